//! Reviews part: the next reassessment (last assessment + the tier's
//! interval), forced now by a reassessment trigger after the last
//! assessment (a major change, E1302; a new integration, E1307; a security
//! incident at the vendor, E1308; each reported at its date); overdue, due
//! soon (within vetted.toml's `review_warning_days`), or never assessed at
//! all.

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
    /// A new integration after the last assessment forces a review now.
    pub forced_by_new_integration: bool,
    /// A security incident after the last assessment forces a review now.
    pub forced_by_security_incident: bool,
}

/// Whether a trigger dated `t` forces a review after the last assessment.
fn forces(t: Option<Date>, last: Option<Date>) -> bool {
    match (t, last) {
        (Some(t), Some(l)) => t > l,
        (Some(_), None) => true,
        (None, _) => false,
    }
}

pub(crate) fn reviews(ctx: &Context<'_>) -> Part<ReviewState> {
    let review = &ctx.distrusted.review(&ctx.vendor.review);
    let interval = ctx.registry.tiers.review_months(ctx.tier);
    let last = review.last_assessed;
    let by_major = forces(review.major_change, last);
    let by_integration = forces(review.new_integration, last);
    let by_incident = forces(review.security_incident, last);
    let forced = by_major || by_integration || by_incident;
    let mut next_due = last.map(|l| add_months(l, interval));
    // Due on the earliest trigger after the last assessment, if sooner.
    let earliest = [
        (by_major, review.major_change),
        (by_integration, review.new_integration),
        (by_incident, review.security_incident),
    ]
    .into_iter()
    .filter_map(|(f, t)| t.filter(|_| f))
    .min();
    if let Some(t) = earliest {
        next_due = Some(next_due.map_or(t, |d| d.min(t)));
    }
    // A [review] left out for data errors is not judged at all.
    let live = ctx.live() && !ctx.vendor.review_left_out();
    let overdue = live && next_due.is_some_and(|d| d < ctx.today);
    let problems = if live {
        problem(ctx, review, next_due, by_major, interval)
            .into_iter()
            .chain(last.into_iter().flat_map(|l| triggers(ctx, review, l)))
            .collect()
    } else {
        Vec::new()
    };
    Part {
        result: ReviewState {
            last_assessed: last,
            next_due,
            overdue: overdue || (live && forced),
            forced_by_major_change: by_major,
            forced_by_new_integration: by_integration,
            forced_by_security_incident: by_incident,
        },
        problems,
    }
}

/// A new integration or a security incident after the last assessment on
/// `l`, each at its date. `review`: the dates the dates part trusts (one in
/// the future is E1011 there, and forces nothing).
fn triggers(ctx: &Context<'_>, review: &Review, l: Date) -> Vec<Problem> {
    let v = ctx.vendor;
    let mut out = Vec::new();
    if let Some(t) = review.new_integration.filter(|t| *t > l) {
        out.push(Problem::new(
            Code::IntegrationSinceReview,
            v.locs.new_integration.clone(),
            format!("a new integration on {t} came after the last assessment on {l}"),
            "reassess the vendor (interfaces, the data crossing them, new access paths), then set review.last_assessed",
        ));
    }
    if let Some(t) = review.security_incident.filter(|t| *t > l) {
        out.push(Problem::new(
            Code::IncidentSinceReview,
            v.locs.security_incident.clone(),
            format!("a security incident on {t} came after the last assessment on {l}"),
            "reassess the vendor (root cause, remediation, notification as contracted), then set review.last_assessed",
        ));
    }
    out
}

/// `forced`: by a major change. The other triggers are `triggers`'; any
/// trigger silences the overdue and due-soon problems (the review is due now).
fn problem(
    ctx: &Context<'_>,
    review: &Review,
    next_due: Option<Date>,
    forced: bool,
    interval: i64,
) -> Option<Problem> {
    let v = ctx.vendor;
    let last = review.last_assessed;
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
                review.major_change.map_or("-".into(), |m| m.to_string())
            ),
            "reassess the vendor, then set review.last_assessed",
        ))
    } else if forces(review.new_integration, last) || forces(review.security_incident, last) {
        None
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

    #[test]
    fn a_new_integration_or_an_incident_after_the_last_assessment_forces_a_review() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        // Last assessed 2026-03-10: a trigger on that day is covered by it.
        v.review.new_integration = Some(d("2026-03-10"));
        v.review.security_incident = Some(d("2026-03-10"));
        let part = reviews(&context(&reg, &v, "2026-11-22"));
        assert!(part.problems.is_empty() && !part.result.overdue);
        v.review.new_integration = Some(d("2026-03-11"));
        let part = reviews(&context(&reg, &v, "2026-11-22"));
        assert_eq!(part.problems.len(), 1);
        assert_eq!(part.problems[0].code, Code::IntegrationSinceReview);
        assert_eq!(
            part.problems[0].text,
            "a new integration on 2026-03-11 came after the last assessment on 2026-03-10"
        );
        assert!(part.result.overdue && part.result.forced_by_new_integration);
        assert!(!part.result.forced_by_major_change);
        assert_eq!(part.result.next_due, Some(d("2026-03-11")));
        v.review.security_incident = Some(d("2026-09-01"));
        v.review.major_change = Some(d("2026-06-01"));
        let part = reviews(&context(&reg, &v, "2026-11-22"));
        let codes: Vec<Code> = part.problems.iter().map(|p| p.code).collect();
        assert_eq!(
            codes,
            [
                Code::MajorChange,
                Code::IntegrationSinceReview,
                Code::IncidentSinceReview
            ]
        );
        assert_eq!(
            part.problems[2].text,
            "a security incident on 2026-09-01 came after the last assessment on 2026-03-10"
        );
        assert_eq!(
            part.result.next_due,
            Some(d("2026-03-11")),
            "the earliest trigger"
        );
    }

    #[test]
    fn a_trigger_dated_in_the_future_forces_no_review() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        // Today: it has happened, after the last assessment (2026-03-10).
        v.review.new_integration = Some(d("2026-11-22"));
        v.review.security_incident = Some(d("2026-11-22"));
        let part = reviews(&context(&reg, &v, "2026-11-22"));
        let codes: Vec<Code> = part.problems.iter().map(|p| p.code).collect();
        assert_eq!(
            codes,
            [Code::IntegrationSinceReview, Code::IncidentSinceReview]
        );
        assert!(part.result.overdue);
        // Tomorrow: E1011 in the dates part; here it is ignored, and the
        // review is due on its interval as if it were not written.
        v.review.new_integration = Some(d("2026-11-23"));
        v.review.security_incident = Some(d("2026-11-23"));
        let part = reviews(&context(&reg, &v, "2026-11-22"));
        assert!(part.problems.is_empty(), "{:?}", part.problems);
        assert!(!part.result.overdue);
        assert!(!part.result.forced_by_new_integration && !part.result.forced_by_security_incident);
        assert_eq!(part.result.next_due, Some(d("2027-03-10")));
    }

    #[test]
    fn a_trigger_replaces_the_due_soon_and_overdue_problems() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        v.review.security_incident = Some(d("2027-02-10"));
        // 2027-02-08 would be "due soon" (E1304); the incident makes it due now.
        let part = reviews(&context(&reg, &v, "2027-02-20"));
        let codes: Vec<Code> = part.problems.iter().map(|p| p.code).collect();
        assert_eq!(codes, [Code::IncidentSinceReview]);
        assert_eq!(part.result.next_due, Some(d("2027-02-10")));
        // Never assessed: only that is said.
        v.review.last_assessed = None;
        let part = reviews(&context(&reg, &v, "2027-02-20"));
        let codes: Vec<Code> = part.problems.iter().map(|p| p.code).collect();
        assert_eq!(codes, [Code::NeverAssessed]);
    }
}
