//! Lifecycle part (active vendors): products past their end of support.

use super::context::{Context, Part, Problem};
use crate::diag::Code;

pub(crate) fn lifecycle(ctx: &Context<'_>) -> Part<()> {
    let mut problems = Vec::new();
    if ctx.active() {
        for p in &ctx.vendor.products {
            if let Some(eos) = p.end_of_support
                && eos < ctx.today
            {
                problems.push(Problem::new(
                    Code::EndOfSupport,
                    p.end_of_support_loc.clone(),
                    format!("{} {} reached end of support on {eos}", p.name, p.version),
                    "plan the upgrade or replacement; unsupported devices get no security patches",
                ));
            }
        }
    }
    Part {
        result: (),
        problems,
    }
}
