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
                ).subject(p.name.clone()));
            }
        }
    }
    Part {
        result: (),
        problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::testing::{context, d, registry, vendor};

    #[test]
    fn products_past_end_of_support_from_the_day_after() {
        let reg = registry();
        let v = vendor(&reg, "acme-infusion");
        // SmartPump 4 is supported to 2031-12-31.
        assert!(
            lifecycle(&context(&reg, &v, "2031-12-31"))
                .problems
                .is_empty()
        );
        let part = lifecycle(&context(&reg, &v, "2032-01-01"));
        assert_eq!(part.problems.len(), 1);
        assert_eq!(
            part.problems[0].text,
            "SmartPump 4 4.2.1 reached end of support on 2031-12-31"
        );
        let mut prospective = v.clone();
        prospective.status = crate::model::VendorStatus::Prospective;
        assert!(
            lifecycle(&context(&reg, &prospective, "2032-01-01"))
                .problems
                .is_empty(),
            "only active vendors"
        );
        assert_eq!(d("2031-12-31"), v.products[0].end_of_support.unwrap());
    }
}
