//! Reviews part: the next reassessment (last assessment + the tier's
//! interval), forced now by a major change after the last assessment;
//! overdue, due soon (within vetted.toml's `review_warning_days`), or never
//! assessed at all.

use serde::Serialize;

use super::context::{Context, Part, Problem};
use crate::diag::Code;
use crate::model::dates::{add_months, days_between};
use crate::model::*;

#[derive(Debug, Clone, Serialize)]
pub struct ReviewState {
    pub last_assessed: Option<Date>,
    pub next_due: Option<Date>,
    pub overdue: bool,
    /// A major change after the last assessment forces a review now.
    pub forced_by_major_change: bool,
}

pub(crate) fn reviews(ctx: &Context<'_>) -> Part<ReviewState> {
    let review = &ctx.distrusted.review(&ctx.vendor.review);
    let interval = ctx.registry.tiers.review_months(ctx.tier);
    let last = review.last_assessed;
    let forced = matches!((review.major_change, last), (Some(m), Some(l)) if m > l)
        || (review.major_change.is_some() && last.is_none());
    let mut next_due = last.map(|l| add_months(l, interval));
    if forced {
        next_due = review
            .major_change
            .max(last)
            .min(next_due.or(review.major_change));
    }
    // A [review] left out for data errors is not judged at all.
    let live = ctx.live() && !ctx.vendor.review_left_out();
    let overdue = live && next_due.is_some_and(|d| d < ctx.today);
    let problems = if live {
        problem(ctx, last, next_due, forced, interval)
            .into_iter()
            .collect()
    } else {
        Vec::new()
    };
    Part {
        result: ReviewState {
            last_assessed: last,
            next_due,
            overdue: overdue || (live && forced),
            forced_by_major_change: forced,
        },
        problems,
    }
}

fn problem(
    ctx: &Context<'_>,
    last: Option<Date>,
    next_due: Option<Date>,
    forced: bool,
    interval: i64,
) -> Option<Problem> {
    let v = ctx.vendor;
    let (l, due) = match (last, next_due) {
        (None, _) => {
            return Some(Problem::about_vendor(
                Code::NeverAssessed,
                v.locs.review.clone(),
                "has never been assessed",
                "record review.last_assessed and review.assessor after the first assessment",
            ));
        }
        (Some(l), Some(due)) => (l, due),
        (Some(_), None) => return None,
    };
    if forced {
        Some(Problem::new(
            Code::MajorChange,
            v.locs.major_change.clone(),
            format!(
                "a major change on {} came after the last assessment on {l}",
                v.review.major_change.map_or("-".into(), |m| m.to_string())
            ),
            "reassess the vendor, then set review.last_assessed",
        ))
    } else if due < ctx.today {
        Some(Problem::new(
            Code::ReviewOverdue,
            v.locs.last_assessed.clone(),
            format!(
                "reassessment was due on {due} (tier {}: every {interval} months since {l})",
                ctx.tier
            ),
            "reassess the vendor, then update review.last_assessed",
        ))
    } else if days_between(ctx.today, due) <= ctx.settings().review_warning_days {
        Some(Problem::new(
            Code::ReviewDueSoon,
            v.locs.last_assessed.clone(),
            format!("reassessment due on {due}"),
            "schedule the review",
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::context::Phrasing;
    use crate::assess::testing::{context, d, registry, vendor};

    #[test]
    fn next_review_is_the_tiers_interval_after_the_last() {
        let reg = registry();
        let v = vendor(&reg, "acme-infusion");
        // Tier 1 every 12 months from 2026-03-10.
        let part = reviews(&context(&reg, &v, "2026-11-22"));
        assert_eq!(part.result.next_due, Some(d("2027-03-10")));
        assert!(!part.result.overdue && part.problems.is_empty());
        // review_warning_days (30): due soon from 30 days before, as a note.
        assert!(
            reviews(&context(&reg, &v, "2027-02-07"))
                .problems
                .is_empty()
        );
        let soon = reviews(&context(&reg, &v, "2027-02-08"));
        assert_eq!(soon.problems[0].code, Code::ReviewDueSoon);
        assert_eq!(soon.problems[0].text, "reassessment due on 2027-03-10");
        let late = reviews(&context(&reg, &v, "2027-03-11"));
        assert!(late.result.overdue);
        assert_eq!(
            late.problems[0].text,
            "reassessment was due on 2027-03-10 (tier 1: every 12 months since 2026-03-10)"
        );
    }

    #[test]
    fn the_due_soon_window_is_the_policys() {
        let mut reg = registry();
        reg.settings.review_warning_days = 200;
        let v = vendor(&reg, "acme-infusion");
        let part = reviews(&context(&reg, &v, "2026-11-22"));
        assert_eq!(part.problems[0].code, Code::ReviewDueSoon);
    }

    #[test]
    fn a_major_change_forces_a_review_and_none_at_all_is_reported() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        v.review.major_change = Some(d("2026-05-01"));
        let part = reviews(&context(&reg, &v, "2026-11-22"));
        assert_eq!(part.result.next_due, Some(d("2026-05-01")));
        assert!(part.result.overdue && part.result.forced_by_major_change);
        assert_eq!(
            part.problems[0].text,
            "a major change on 2026-05-01 came after the last assessment on 2026-03-10"
        );
        v.review.last_assessed = None;
        let never = reviews(&context(&reg, &v, "2026-11-22"));
        assert_eq!(never.problems[0].code, Code::NeverAssessed);
        assert_eq!(never.problems[0].phrasing, Phrasing::NameFirst);
        assert_eq!(never.problems[0].text, "has never been assessed");
    }
}
