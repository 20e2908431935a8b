//! Lifecycle part (active vendors): products past their end of support
//! (E1305), and products that reach it within vetted.toml's
//! `end_of_support_warning_months` (E1306, from that many months before the
//! last supported day, counted back from it, that day included).

use super::context::{Context, Part, Problem};
use crate::diag::Code;
use crate::model::dates::{add_months, days_between};

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
            } else if let Some(eos) = p.end_of_support {
                let months = ctx.settings().end_of_support_warning_months;
                // From `months` before the last supported day, that day included.
                if ctx.today >= add_months(eos, -months) {
                    problems.push(Problem::new(
                        Code::EndOfSupportSoon,
                        p.end_of_support_loc.clone(),
                        format!(
                            "{} {} reaches end of support on {eos} (in {} days, within the {months}-month planning window)",
                            p.name,
                            p.version,
                            days_between(ctx.today, eos)
                        ),
                        "budget and schedule the upgrade or replacement now, or obtain extended security support in writing",
                    ).subject(p.name.clone()));
                }
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
        // SmartPump 4 is supported to 2031-12-31: on that day it is still
        // supported (only the forward warning).
        let last_day = lifecycle(&context(&reg, &v, "2031-12-31")).problems;
        assert_eq!(
            last_day.iter().map(|p| p.code).collect::<Vec<_>>(),
            [Code::EndOfSupportSoon]
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

    fn codes(reg: &crate::model::Registry, v: &crate::model::Vendor, today: &str) -> Vec<Code> {
        lifecycle(&context(reg, v, today))
            .problems
            .iter()
            .map(|p| p.code)
            .collect()
    }

    #[test]
    fn end_of_support_is_announced_within_the_window_inclusive() {
        let reg = registry();
        let v = vendor(&reg, "acme-infusion");
        // 18 months (the default) before 2031-12-31 is 2030-06-30.
        assert!(codes(&reg, &v, "2030-06-29").is_empty(), "the day before");
        assert_eq!(codes(&reg, &v, "2030-06-30"), [Code::EndOfSupportSoon]);
        assert_eq!(codes(&reg, &v, "2030-07-01"), [Code::EndOfSupportSoon]);
        assert_eq!(
            lifecycle(&context(&reg, &v, "2030-06-30")).problems[0].text,
            "SmartPump 4 4.2.1 reaches end of support on 2031-12-31 (in 549 days, within the 18-month planning window)"
        );
        assert_eq!(
            codes(&reg, &v, "2032-01-01"),
            [Code::EndOfSupport],
            "then E1305 alone"
        );
    }

    #[test]
    fn the_window_is_the_policys_and_counts_back_from_month_ends() {
        let mut reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        // A leap-day end of support: 24 months before 2028-02-29 is 2026-02-28
        // (February 2026 has no 29th).
        v.products[0].end_of_support = Some(crate::assess::testing::d("2028-02-29"));
        reg.settings.end_of_support_warning_months = 24;
        assert!(codes(&reg, &v, "2026-02-27").is_empty());
        assert_eq!(codes(&reg, &v, "2026-02-28"), [Code::EndOfSupportSoon]);
        // The default 18 months before a 31 December: 30 June, not 1 July.
        reg.settings.end_of_support_warning_months = 18;
        v.products[0].end_of_support = Some(crate::assess::testing::d("2029-12-31"));
        assert!(codes(&reg, &v, "2028-06-29").is_empty());
        assert_eq!(codes(&reg, &v, "2028-06-30"), [Code::EndOfSupportSoon]);
        reg.settings.end_of_support_warning_months = 0;
        assert_eq!(
            codes(&reg, &v, "2029-12-31"),
            [Code::EndOfSupportSoon],
            "0: on the last day only"
        );
        assert!(codes(&reg, &v, "2029-12-30").is_empty());
        let mut prospective = v.clone();
        prospective.status = crate::model::VendorStatus::Prospective;
        assert!(
            codes(&reg, &prospective, "2029-12-31").is_empty(),
            "only active vendors"
        );
    }
}
