//! Dates part, run before every other: dates that contradict each other
//! (E1010) or lie in the future (E1011). Each is a typo that would
//! otherwise add validity, so besides reporting it (at the offending value,
//! the help naming the other date) the part says what it distrusts
//! ([`Distrusted`], held in `Context`), and the other parts consult it:
//!
//! * an artifact with an impossible date gives no validity (`misdated`);
//! * a review date in the future is ignored (the vendor counts as not
//!   assessed on a trustworthy date, and no interval runs from it; a major
//!   change, new integration or security incident in the future forces no
//!   review);
//! * a contract renewal before the signature is not read as a renewal date;
//! * an exception approved in the future, or expiring before its approval,
//!   is not in force.
//!
//! Findings with contradictory dates are reported only: they add no validity.
//! The same day is never a contradiction (a report issued on the last day of
//! its period; an assessment dated today).

use std::collections::BTreeSet;

use super::context::{Acceptances, Context, Part, Problem};
use super::exceptions::{ExceptionState, ExceptionStatus};
use crate::diag::{Code, Loc};
use crate::model::*;

/// What the dates part found untrustworthy.
#[derive(Debug, Clone, Default)]
pub(crate) struct Distrusted {
    /// Artifacts, by index in artifacts.toml, with an impossible date.
    artifacts: BTreeSet<usize>,
    /// `review.last_assessed` lies in the future.
    last_assessed: bool,
    /// `review.major_change` lies in the future.
    major_change: bool,
    /// `review.new_integration` lies in the future.
    new_integration: bool,
    /// `review.security_incident` lies in the future.
    security_incident: bool,
    /// `contract.renewal` is before `contract.signed`.
    renewal: bool,
    /// Exceptions, by id, approved in the future or expiring before approval.
    exceptions: BTreeSet<String>,
}

impl Distrusted {
    /// Whether the artifact at `index` has an impossible date (it then gives no validity).
    pub fn artifact(&self, index: usize) -> bool {
        self.artifacts.contains(&index)
    }

    /// Whether the contract's renewal date is before its signature.
    pub fn renewal(&self) -> bool {
        self.renewal
    }

    /// The review record with its untrustworthy dates left out.
    pub fn review(&self, review: &Review) -> Review {
        Review {
            last_assessed: review.last_assessed.filter(|_| !self.last_assessed),
            major_change: review.major_change.filter(|_| !self.major_change),
            assessor: review.assessor.clone(),
            new_integration: review.new_integration.filter(|_| !self.new_integration),
            security_incident: review.security_incident.filter(|_| !self.security_incident),
        }
    }

    /// Takes the exceptions with impossible dates out of force: out of the
    /// acceptances, and marked not in force in their states.
    pub fn withdraw<'a>(
        &self,
        mut acceptances: Acceptances<'a>,
        states: &mut [ExceptionState],
    ) -> Acceptances<'a> {
        acceptances
            .active
            .retain(|e| !self.exceptions.contains(&e.id));
        for s in states.iter_mut() {
            if self.exceptions.contains(&s.id) {
                s.status = ExceptionStatus::NotInForce;
            }
        }
        acceptances
    }
}

/// Every impossible date of the vendor, and what it makes untrustworthy.
pub(crate) fn dates(ctx: &Context<'_>) -> Part<Distrusted> {
    let mut out = Out::default();
    for a in &ctx.vendor.artifacts {
        let before = out.problems.len();
        artifact(ctx, a, &mut out.problems);
        if out.problems.len() > before {
            out.distrusted.artifacts.insert(a.index);
        }
    }
    contract(ctx, &mut out);
    review(ctx, &mut out);
    for f in &ctx.vendor.findings {
        finding(ctx, f, &mut out.problems);
    }
    for e in &ctx.vendor.exceptions {
        exception(ctx, e, &mut out);
    }
    Part {
        result: out.distrusted,
        problems: out.problems,
    }
}

#[derive(Default)]
struct Out {
    distrusted: Distrusted,
    problems: Vec<Problem>,
}

fn out_of_order(loc: Loc, text: String, help: String) -> Problem {
    Problem::new(Code::DatesOutOfOrder, loc, text, help)
}

fn in_future(ctx: &Context<'_>, loc: Loc, text: String, what: &str) -> Problem {
    Problem::new(
        Code::FutureDate,
        loc,
        text,
        format!("today is {}: {what}", ctx.today),
    )
}

/// An artifact's dates: issued after its period ended, a period that starts
/// before it ends, an expiry after issue, a bridge letter after the period,
/// a surveillance audit or interim assessment after issue; and no date of
/// what has happened (issue, period, surveillance, interim) in the future.
/// `expires` and `bridge_until` are rightly in the future.
fn artifact(ctx: &Context<'_>, a: &Artifact, problems: &mut Vec<Problem>) {
    use ArtifactField as F;
    let kind = ctx
        .registry
        .kinds
        .get(&a.kind)
        .map_or(a.kind.as_str(), |k| k.title.as_str());
    let name = match &a.subject {
        Some(s) => format!("{kind} of subprocessor {s} \"{}\"", a.title),
        None => format!("{kind} \"{}\"", a.title),
    };
    if let (Some(issued), Some(end)) = (a.issued, a.period_end)
        && issued < end
    {
        problems.push(out_of_order(
            a.field_loc(F::Issued),
            format!("{name} was issued on {issued}, before its period ended on {end}"),
            format!(
                "a report is issued after the period it covers; check issued against period_end = {end}"
            ),
        ));
    }
    if let (Some(start), Some(end)) = (a.period_start, a.period_end)
        && start > end
    {
        problems.push(out_of_order(
            a.field_loc(F::PeriodStart),
            format!("the period of {name} starts on {start}, after it ends on {end}"),
            format!("check period_start against period_end = {end}"),
        ));
    }
    match (a.expires, a.issued, a.period_end) {
        (Some(expires), Some(issued), _) if expires < issued => problems.push(out_of_order(
            a.field_loc(F::Expires),
            format!("{name} expires on {expires}, before it was issued on {issued}"),
            format!("check expires against issued = {issued}"),
        )),
        (Some(expires), None, Some(end)) if expires < end => problems.push(out_of_order(
            a.field_loc(F::Expires),
            format!("{name} expires on {expires}, before its period ended on {end}"),
            format!("check expires against period_end = {end}"),
        )),
        _ => {}
    }
    if let (Some(bridge), Some(end)) = (a.bridge_until, a.period_end)
        && bridge < end
    {
        problems.push(out_of_order(
            a.field_loc(F::BridgeUntil),
            format!(
                "the bridge letter of {name} runs to {bridge}, before the period it extends ended on {end}"
            ),
            format!(
                "a bridge letter vouches for the months after period_end = {end}; check bridge_until"
            ),
        ));
    }
    for (field, date, what) in [
        (
            F::LastSurveillance,
            a.last_surveillance,
            "surveillance audit",
        ),
        (
            F::InterimCompleted,
            a.interim_completed,
            "interim assessment",
        ),
    ] {
        if let (Some(date), Some(issued)) = (date, a.issued)
            && date < issued
        {
            problems.push(out_of_order(
                a.field_loc(field),
                format!("the {what} of {name} on {date} is before its issue on {issued}"),
                format!(
                    "a {what} follows the issue date (issued = {issued}); an earlier one belongs to a previous cycle"
                ),
            ));
        }
    }
    for (field, date) in [
        (F::Issued, a.issued),
        (F::PeriodStart, a.period_start),
        (F::PeriodEnd, a.period_end),
        (F::LastSurveillance, a.last_surveillance),
        (F::InterimCompleted, a.interim_completed),
    ] {
        if let Some(date) = date
            && date > ctx.today
        {
            problems.push(in_future(
                ctx,
                a.field_loc(field),
                format!("{name} has {} = {date}, in the future", field.as_str()),
                "evidence attests only to what has happened; correct the date, or add the artifact once it has",
            ));
        }
    }
}

/// A renewal before the signature; a signature in the future for a vendor
/// past procurement (a prospective vendor may record the planned date).
fn contract(ctx: &Context<'_>, out: &mut Out) {
    let Some(c) = &ctx.vendor.contract else {
        return;
    };
    let locs = &ctx.vendor.locs;
    if let (Some(signed), Some(renewal)) = (c.signed, c.renewal)
        && renewal < signed
    {
        out.distrusted.renewal = true;
        out.problems.push(out_of_order(
            locs.renewal.clone(),
            format!("the contract renews on {renewal}, before it was signed on {signed}"),
            format!("check contract.renewal against signed = {signed}"),
        ));
    }
    if let Some(signed) = c.signed
        && signed > ctx.today
        && ctx.vendor.status != VendorStatus::Prospective
    {
        out.problems.push(in_future(
            ctx,
            locs.signed.clone(),
            format!("the contract is recorded as signed on {signed}, in the future"),
            "record the date the contract was signed (only a prospective vendor may record a planned date)",
        ));
    }
}

/// An assessment or a reassessment trigger (major change, new
/// integration, security incident) dated in the future is ignored.
fn review(ctx: &Context<'_>, out: &mut Out) {
    let (r, locs) = (&ctx.vendor.review, &ctx.vendor.locs);
    if let Some(d) = r.last_assessed
        && d > ctx.today
    {
        out.distrusted.last_assessed = true;
        out.problems.push(Problem::about_vendor(
            Code::FutureDate,
            locs.last_assessed.clone(),
            format!("is recorded as assessed on {d}, in the future"),
            format!(
                "today is {}: the vendor counts as not assessed until review.last_assessed is corrected",
                ctx.today
            ),
        ));
    }
    if let Some(d) = r.major_change
        && d > ctx.today
    {
        out.distrusted.major_change = true;
        out.problems.push(in_future(
            ctx,
            locs.major_change.clone(),
            format!("a major change is recorded on {d}, in the future"),
            "record review.major_change once the change has happened; until then it is ignored",
        ));
    }
    if let Some(d) = r.new_integration
        && d > ctx.today
    {
        out.distrusted.new_integration = true;
        out.problems.push(in_future(
            ctx,
            locs.new_integration.clone(),
            format!("a new integration is recorded on {d}, in the future"),
            "record review.new_integration once the integration is in use; until then it is ignored",
        ));
    }
    if let Some(d) = r.security_incident
        && d > ctx.today
    {
        out.distrusted.security_incident = true;
        out.problems.push(in_future(
            ctx,
            locs.security_incident.clone(),
            format!("a security incident is recorded on {d}, in the future"),
            "record review.security_incident on the day the incident happened; until then it is ignored",
        ));
    }
}

fn finding(ctx: &Context<'_>, f: &Finding, problems: &mut Vec<Problem>) {
    if let Some(due) = f.due
        && due < f.opened
    {
        problems.push(out_of_order(
            f.due_loc.clone(),
            format!(
                "finding {} is due on {due}, before it was opened on {}",
                f.id, f.opened
            ),
            format!("check due against opened = {}", f.opened),
        ));
    }
    if f.opened > ctx.today {
        problems.push(in_future(
            ctx,
            f.opened_loc.clone(),
            format!("finding {} was opened on {}, in the future", f.id, f.opened),
            "record the date the finding was raised",
        ));
    }
    if let Some(closed) = f.closed {
        if closed < f.opened {
            problems.push(out_of_order(
                f.closed_loc.clone(),
                format!(
                    "finding {} was closed on {closed}, before it was opened on {}",
                    f.id, f.opened
                ),
                format!("check closed against opened = {}", f.opened),
            ));
        }
        if closed > ctx.today {
            problems.push(in_future(
                ctx,
                f.closed_loc.clone(),
                format!("finding {} was closed on {closed}, in the future", f.id),
                "record the day the remediation was verified",
            ));
        }
    }
}

fn exception(ctx: &Context<'_>, e: &Exception, out: &mut Out) {
    let before = out.problems.len();
    if e.expires < e.approved {
        out.problems.push(out_of_order(
            e.expires_loc.clone(),
            format!(
                "exception {} expires on {}, before it was approved on {}; it is not in force",
                e.id, e.expires, e.approved
            ),
            format!("check expires against approved = {}", e.approved),
        ));
    }
    if e.approved > ctx.today {
        out.problems.push(in_future(
            ctx,
            e.approved_loc.clone(),
            format!(
                "exception {} is approved on {}, in the future; it is not in force",
                e.id, e.approved
            ),
            "an exception accepts risk only once approved; correct approved",
        ));
    }
    if out.problems.len() > before {
        out.distrusted.exceptions.insert(e.id.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::testing::{
        TODAY, context, d, exception as ex, finding as fi, registry, vendor,
    };

    /// The codes and texts the dates part reports for `v` on `today`.
    fn problems(reg: &Registry, v: &Vendor, today: &str) -> Vec<(Code, String)> {
        dates(&context(reg, v, today))
            .problems
            .into_iter()
            .map(|p| (p.code, p.text))
            .collect()
    }

    fn artifact_with(v: &mut Vendor, edit: impl Fn(&mut Artifact)) {
        let a = &mut v.artifacts[0];
        a.issued = None;
        a.period_start = None;
        a.period_end = None;
        a.expires = None;
        a.bridge_until = None;
        a.last_surveillance = None;
        a.interim_completed = None;
        edit(a);
    }

    #[test]
    fn the_fixture_has_no_impossible_date() {
        let reg = registry();
        for v in &reg.vendors {
            assert!(problems(&reg, v, TODAY).is_empty(), "{}", v.slug);
        }
    }

    #[test]
    fn a_report_is_issued_on_or_after_its_period_end() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        artifact_with(&mut v, |a| {
            a.period_end = Some(d("2026-06-30"));
            a.issued = Some(d("2026-06-30"));
        });
        assert!(problems(&reg, &v, TODAY).is_empty(), "the same day is fine");
        v.artifacts[0].issued = Some(d("2026-06-29"));
        let p = problems(&reg, &v, TODAY);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].0, Code::DatesOutOfOrder);
        assert!(
            p[0].1
                .ends_with("was issued on 2026-06-29, before its period ended on 2026-06-30"),
            "{}",
            p[0].1
        );
        let part = dates(&context(&reg, &v, TODAY));
        assert!(part.result.artifact(v.artifacts[0].index));
        assert!(part.problems[0].help.contains("period_end = 2026-06-30"));
    }

    #[test]
    fn pairs_an_auditor_calls_impossible() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        type Case = (fn(&mut Artifact), Option<&'static str>);
        let cases: [Case; 12] = [
            // period_start after period_end; the same day is a one-day period.
            (
                |a| {
                    a.period_start = Some(d("2026-03-02"));
                    a.period_end = Some(d("2026-03-01"));
                },
                Some("starts on 2026-03-02, after it ends on 2026-03-01"),
            ),
            (
                |a| {
                    a.period_start = Some(d("2026-03-01"));
                    a.period_end = Some(d("2026-03-01"));
                },
                None,
            ),
            // expires before issued (or, undated, before the period ended).
            (
                |a| {
                    a.issued = Some(d("2026-03-02"));
                    a.expires = Some(d("2026-03-01"));
                },
                Some("expires on 2026-03-01, before it was issued on 2026-03-02"),
            ),
            (
                |a| {
                    a.issued = Some(d("2026-03-02"));
                    a.expires = Some(d("2026-03-02"));
                },
                None,
            ),
            (
                |a| {
                    a.period_end = Some(d("2026-03-02"));
                    a.expires = Some(d("2026-03-01"));
                },
                Some("expires on 2026-03-01, before its period ended on 2026-03-02"),
            ),
            // A bridge letter before the period it extends ended.
            (
                |a| {
                    a.period_end = Some(d("2025-09-30"));
                    a.bridge_until = Some(d("2025-09-29"));
                },
                Some("runs to 2025-09-29, before the period it extends ended on 2025-09-30"),
            ),
            (
                |a| {
                    a.period_end = Some(d("2025-09-30"));
                    a.bridge_until = Some(d("2025-09-30"));
                },
                None,
            ),
            // Surveillance audit and interim assessment before issue.
            (
                |a| {
                    a.issued = Some(d("2025-01-15"));
                    a.last_surveillance = Some(d("2025-01-14"));
                },
                Some("the surveillance audit of"),
            ),
            (
                |a| {
                    a.issued = Some(d("2025-01-15"));
                    a.last_surveillance = Some(d("2025-01-15"));
                },
                None,
            ),
            (
                |a| {
                    a.issued = Some(d("2025-01-15"));
                    a.interim_completed = Some(d("2025-01-14"));
                },
                Some("the interim assessment of"),
            ),
            // expires and bridge_until may lie in the future.
            (
                |a| {
                    a.period_end = Some(d("2026-09-30"));
                    a.bridge_until = Some(d("2026-12-31"));
                    a.expires = Some(d("2027-12-31"));
                },
                None,
            ),
            (
                |a| {
                    a.issued = Some(d("2025-01-15"));
                    a.interim_completed = Some(d("2025-01-15"));
                },
                None,
            ),
        ];
        for (edit, expected) in cases {
            artifact_with(&mut v, edit);
            let p = problems(&reg, &v, TODAY);
            match expected {
                None => assert!(p.is_empty(), "{p:?}"),
                Some(text) => {
                    assert_eq!(p.len(), 1, "{p:?}");
                    assert_eq!(p[0].0, Code::DatesOutOfOrder);
                    assert!(p[0].1.contains(text), "{} lacks {text}", p[0].1);
                }
            }
        }
    }

    #[test]
    fn today_is_fine_and_tomorrow_is_in_the_future() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        for field in [
            "issued",
            "period_start",
            "period_end",
            "last_surveillance",
            "interim_completed",
        ] {
            let set = |a: &mut Artifact, date: &str| {
                let date = Some(d(date));
                match field {
                    "issued" => a.issued = date,
                    "period_start" => a.period_start = date,
                    "period_end" => a.period_end = date,
                    "last_surveillance" => a.last_surveillance = date,
                    _ => a.interim_completed = date,
                }
            };
            artifact_with(&mut v, |a| set(a, TODAY));
            assert!(problems(&reg, &v, TODAY).is_empty(), "{field} today");
            artifact_with(&mut v, |a| set(a, "2026-11-23"));
            let p = problems(&reg, &v, TODAY);
            assert_eq!(p.len(), 1, "{field} tomorrow: {p:?}");
            assert_eq!(p[0].0, Code::FutureDate);
            assert!(
                p[0].1
                    .ends_with(&format!("has {field} = 2026-11-23, in the future"))
            );
        }
    }

    #[test]
    fn a_penetration_test_ending_in_the_future_gives_no_validity() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        artifact_with(&mut v, |a| a.period_end = Some(d("2026-12-01")));
        let part = dates(&context(&reg, &v, TODAY));
        assert_eq!(part.problems.len(), 1);
        assert!(part.problems[0].help.starts_with("today is 2026-11-22"));
        assert!(part.result.artifact(v.artifacts[0].index));
        assert!(!part.result.artifact(v.artifacts[0].index + 1));
    }

    #[test]
    fn contract_renewal_before_signature_and_a_future_signature() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        let c = v.contract.as_mut().unwrap();
        c.signed = Some(d("2026-03-01"));
        c.renewal = Some(d("2026-03-01"));
        assert!(problems(&reg, &v, TODAY).is_empty(), "the same day");
        v.contract.as_mut().unwrap().renewal = Some(d("2026-02-28"));
        let part = dates(&context(&reg, &v, TODAY));
        assert_eq!(part.problems.len(), 1);
        assert_eq!(
            part.problems[0].text,
            "the contract renews on 2026-02-28, before it was signed on 2026-03-01"
        );
        assert!(part.result.renewal());
        let c = v.contract.as_mut().unwrap();
        c.renewal = Some(d("2029-03-01"));
        c.signed = Some(d(TODAY));
        assert!(problems(&reg, &v, TODAY).is_empty(), "signed today");
        v.contract.as_mut().unwrap().signed = Some(d("2026-11-23"));
        assert_eq!(
            problems(&reg, &v, TODAY),
            [(
                Code::FutureDate,
                "the contract is recorded as signed on 2026-11-23, in the future".into()
            )]
        );
        v.status = VendorStatus::Prospective;
        assert!(
            problems(&reg, &v, TODAY).is_empty(),
            "a prospective vendor may record the planned signature"
        );
    }

    #[test]
    fn review_dates_in_the_future_are_ignored() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        v.review.last_assessed = Some(d(TODAY));
        v.review.major_change = Some(d(TODAY));
        assert!(problems(&reg, &v, TODAY).is_empty());
        v.review.last_assessed = Some(d("2026-11-23"));
        v.review.major_change = Some(d("2026-11-23"));
        let part = dates(&context(&reg, &v, TODAY));
        let codes: Vec<Code> = part.problems.iter().map(|p| p.code).collect();
        assert_eq!(codes, [Code::FutureDate, Code::FutureDate]);
        let trusted = part.result.review(&v.review);
        assert_eq!((trusted.last_assessed, trusted.major_change), (None, None));
        assert_eq!(trusted.assessor, v.review.assessor);
    }

    #[test]
    fn new_integrations_and_incidents_in_the_future_are_ignored() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        v.review.new_integration = Some(d(TODAY));
        v.review.security_incident = Some(d(TODAY));
        assert!(problems(&reg, &v, TODAY).is_empty(), "today has happened");
        let part = dates(&context(&reg, &v, TODAY));
        let trusted = part.result.review(&v.review);
        assert_eq!(
            (trusted.new_integration, trusted.security_incident),
            (Some(d(TODAY)), Some(d(TODAY)))
        );
        // The day after today.
        v.review.new_integration = Some(d("2026-11-23"));
        v.review.security_incident = Some(d("2026-11-23"));
        let part = dates(&context(&reg, &v, TODAY));
        let got: Vec<(Code, &str, &Loc)> = part
            .problems
            .iter()
            .map(|p| (p.code, p.text.as_str(), &p.loc))
            .collect();
        assert_eq!(
            got,
            [
                (
                    Code::FutureDate,
                    "a new integration is recorded on 2026-11-23, in the future",
                    &v.locs.new_integration
                ),
                (
                    Code::FutureDate,
                    "a security incident is recorded on 2026-11-23, in the future",
                    &v.locs.security_incident
                ),
            ]
        );
        let trusted = part.result.review(&v.review);
        assert_eq!(
            (trusted.new_integration, trusted.security_incident),
            (None, None)
        );
        assert_eq!(trusted.last_assessed, v.review.last_assessed);
    }

    #[test]
    fn a_finding_closed_before_it_was_opened_or_in_the_future() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        // Opened 2026-01-01; closed on the day it was opened and today: fine.
        v.findings = vec![
            fi("F-1", None, false),
            fi("F-2", None, false),
            fi("F-3", None, false),
            fi("F-4", None, false),
        ];
        v.findings[0].closed = Some(d("2026-01-01"));
        v.findings[1].closed = Some(d(TODAY));
        v.findings[2].closed = Some(d("2025-12-31"));
        v.findings[3].closed = Some(d("2026-11-23"));
        assert_eq!(
            problems(&reg, &v, TODAY),
            [
                (
                    Code::DatesOutOfOrder,
                    "finding F-3 was closed on 2025-12-31, before it was opened on 2026-01-01"
                        .into()
                ),
                (
                    Code::FutureDate,
                    "finding F-4 was closed on 2026-11-23, in the future".into()
                ),
            ]
        );
    }

    #[test]
    fn findings_and_exceptions() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        // Opened 2026-01-01.
        v.findings = vec![
            fi("F-1", Some("2026-01-01"), true),
            fi("F-2", Some("2025-12-31"), true),
            fi("F-3", None, true),
        ];
        v.findings[2].opened = d("2026-11-23");
        v.exceptions = vec![
            ex("EX-1", Accepts::Finding("F-1".into()), "2026-01-01"),
            ex("EX-2", Accepts::Finding("F-2".into()), "2025-12-31"),
            ex("EX-3", Accepts::Finding("F-3".into()), "2027-01-01"),
            ex("EX-4", Accepts::Finding("F-3".into()), "2027-01-01"),
        ];
        v.exceptions[2].approved = d(TODAY);
        v.exceptions[3].approved = d("2026-11-23");
        assert_eq!(
            problems(&reg, &v, TODAY),
            [
                (
                    Code::DatesOutOfOrder,
                    "finding F-2 is due on 2025-12-31, before it was opened on 2026-01-01".into()
                ),
                (
                    Code::FutureDate,
                    "finding F-3 was opened on 2026-11-23, in the future".into()
                ),
                (
                    Code::DatesOutOfOrder,
                    "exception EX-2 expires on 2025-12-31, before it was approved on 2026-01-01; it is not in force".into()
                ),
                (
                    Code::FutureDate,
                    "exception EX-4 is approved on 2026-11-23, in the future; it is not in force".into()
                ),
            ]
        );
    }

    #[test]
    fn an_exception_approved_in_the_future_is_not_in_force() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        v.exceptions = vec![
            ex("EX-1", Accepts::Finding("F-1".into()), "2027-06-01"),
            ex("EX-2", Accepts::Finding("F-2".into()), "2027-06-01"),
        ];
        v.exceptions[1].approved = d("2026-11-23");
        let ctx = context(&reg, &v, TODAY);
        assert_eq!(
            ctx.acceptances.by(&Accepts::Finding("F-1".into())),
            Some("EX-1".into())
        );
        assert_eq!(ctx.acceptances.by(&Accepts::Finding("F-2".into())), None);
        let (mut part, acceptances) =
            super::super::exceptions::exceptions(&v, &reg.settings, d(TODAY));
        let acceptances = ctx.distrusted.withdraw(acceptances, &mut part.result);
        assert_eq!(acceptances.active.len(), 1);
        let statuses: Vec<ExceptionStatus> = part.result.iter().map(|s| s.status).collect();
        assert_eq!(
            statuses,
            [ExceptionStatus::Active, ExceptionStatus::NotInForce]
        );
    }

    /// The other parts consult what this one distrusts.
    mod hooks {
        use super::*;
        use crate::assess::{contract, evidence, reviews};

        #[test]
        fn a_misdated_artifact_gives_no_validity_and_its_requirement_is_misdated() {
            let reg = registry();
            let mut v = vendor(&reg, "acme-infusion");
            // The SOC 2 issued the day before its period ended.
            v.artifacts[0].issued = Some(d("2026-03-30"));
            let ctx = context(&reg, &v, TODAY);
            let assessed = evidence::artifacts(&ctx);
            let soc2 = &assessed.result[0].assessment;
            assert_eq!(
                (soc2.status, soc2.valid_until),
                (crate::assess::ArtifactStatus::Misdated, None)
            );
            assert!(
                assessed.problems.is_empty(),
                "no expiry or other standing problem on top of E1010"
            );
            let req = evidence::requirements(&ctx, &assessed.result);
            let soc2_req = req.result.iter().find(|r| r.kind == "soc2-type2").unwrap();
            assert_eq!(
                (soc2_req.status, soc2_req.satisfied_by),
                (crate::assess::ArtifactStatus::Misdated, None)
            );
            assert!(
                req.problems.iter().all(|p| p.code != Code::ArtifactMissing),
                "the misdated artifact has its own diagnostic"
            );
        }

        #[test]
        fn a_future_assessment_does_not_push_the_next_review_out() {
            let reg = registry();
            let mut v = vendor(&reg, "acme-infusion");
            v.review.last_assessed = Some(d("2026-11-23"));
            let r = reviews::reviews(&context(&reg, &v, TODAY));
            assert_eq!((r.result.last_assessed, r.result.next_due), (None, None));
            assert_eq!(r.problems[0].code, Code::NeverAssessed);
        }

        #[test]
        fn review_intervals_from_a_month_end_land_on_a_month_end() {
            let reg = registry();
            let mut v = vendor(&reg, "acme-infusion");
            // Tier 1 of the fixture: every 12 months.
            v.review.last_assessed = Some(d("2024-02-29"));
            let r = reviews::reviews(&context(&reg, &v, "2025-02-28"));
            assert_eq!(
                (r.result.next_due, r.result.overdue),
                (Some(d("2025-02-28")), false)
            );
            v.review.last_assessed = Some(d("2025-02-28"));
            let r = reviews::reviews(&context(&reg, &v, "2026-02-28"));
            assert_eq!(
                (r.result.next_due, r.result.overdue),
                (Some(d("2026-02-28")), false)
            );
            let r = reviews::reviews(&context(&reg, &v, "2026-03-01"));
            assert!(r.result.overdue);
        }

        #[test]
        fn a_renewal_before_the_signature_is_not_read_as_a_renewal_date() {
            let reg = registry();
            let mut v = vendor(&reg, "acme-infusion");
            v.contract.as_mut().unwrap().renewal = Some(d("2024-02-01"));
            let ctx = context(&reg, &v, TODAY);
            assert!(ctx.distrusted.renewal());
            assert!(
                contract::contract(&ctx)
                    .problems
                    .iter()
                    .all(|p| p.code != Code::RenewalPast),
                "E1010 says it; E1205 does not repeat a typo as a lapse"
            );
            v.contract.as_mut().unwrap().renewal = Some(d("2024-03-02"));
            let codes: Vec<Code> = contract::contract(&context(&reg, &v, TODAY))
                .problems
                .iter()
                .map(|p| p.code)
                .collect();
            assert_eq!(codes, [Code::RenewalPast]);
        }
    }
}
