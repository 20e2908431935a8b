//! The one decision per vendor: approved, approved with conditions, not
//! approved or not assessed, with its reasons. Derived from the problems
//! every part found, by the rules of `[decision]` in vetted.toml (defaults
//! in `model/policy-defaults.toml`): nothing here is a hospital's policy.
//!
//! * not assessed: the vendor is offboarded (it is no longer assessed), or
//!   data-contract errors left part of its record out (the rest is assessed
//!   and reported, but no decision rests on part of a record);
//! * not approved: a problem no exception accepts at or above
//!   `not_approved_at` (default `error`);
//! * approved with conditions: any of `conditions` is present (by default
//!   an accepted risk, a problem tracked by a finding within its due date,
//!   an open finding within its due date, an unaccepted warning);
//! * approved: none of them.

use serde::Serialize;

use super::context::Context;
use super::verdict::{Reason, Verdict};
use crate::diag::Severity;
use crate::model::*;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VendorDecision {
    pub value: Decision,
    /// Why: what refuses approval, or the conditions of the approval, one
    /// sentence each, worst first; empty for a plain approval.
    pub reasons: Vec<DecisionReason>,
}

/// One reason for a decision: its sentence and, when it comes from a
/// diagnostic, that diagnostic's code (so a report can link the two).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionReason {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
    pub message: String,
}

/// A reason as the rules collect it: how bad, which code, what it says.
type Collected = (Severity, Option<&'static str>, String);

impl VendorDecision {
    fn new(decision: Decision, mut reasons: Vec<Collected>) -> Self {
        // Worst first, then by text; the same sentence once.
        reasons.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.2.cmp(&b.2)));
        reasons.dedup_by(|a, b| a.2 == b.2);
        VendorDecision {
            value: decision,
            reasons: reasons
                .into_iter()
                .map(|(_, code, message)| DecisionReason { code, message })
                .collect(),
        }
    }

    /// The reasons' sentences, in order.
    pub fn messages(&self) -> impl Iterator<Item = &str> {
        self.reasons.iter().map(|r| r.message.as_str())
    }
}

/// The decision from the vendor's settled problems: `verdict`'s reasons
/// (unaccepted problems, a tracked one at its lowered severity) and
/// conditions (accepted, or tracked within the finding's due date).
pub(crate) fn decide(ctx: &Context<'_>, verdict: &Verdict) -> VendorDecision {
    let v = ctx.vendor;
    if !ctx.live() {
        return VendorDecision::new(
            Decision::NotAssessed,
            vec![(
                Severity::Note,
                None,
                "Offboarded: no longer assessed for evidence, answers or reviews".into(),
            )],
        );
    }
    if v.is_partial() {
        // Data-contract errors: the rest was assessed, but no decision can
        // rest on a record with parts left out.
        const SHOWN: usize = 10;
        let mut reasons: Vec<Collected> = v
            .left_out
            .iter()
            .take(SHOWN)
            .map(|l| {
                (
                    Severity::Error,
                    Some(l.code),
                    format!("Data error: {}", l.describe()),
                )
            })
            .collect();
        if v.left_out.len() > SHOWN {
            reasons.push((
                Severity::Error,
                None,
                format!("and {} more items left out", v.left_out.len() - SHOWN),
            ));
        }
        return VendorDecision::new(Decision::NotAssessed, reasons);
    }
    let policy = &ctx.settings().decision;
    let blocking = policy.not_approved_at.severity();
    let refusing: Vec<Collected> = verdict
        .reasons
        .iter()
        .filter(|r| r.severity >= blocking)
        .map(|r| (r.severity, Some(r.code), r.message.clone()))
        .collect();
    if !refusing.is_empty() {
        return VendorDecision::new(Decision::NotApproved, refusing);
    }
    let mut conditions = Vec::new();
    for condition in &policy.conditions {
        match condition {
            DecisionCondition::AcceptedRisk => {
                conditions.extend(verdict.conditions.iter().filter_map(|r| {
                    let id = r.accepted_by.as_deref()?;
                    Some((Severity::Note, Some(r.code), accepted(v, id, r)))
                }));
            }
            DecisionCondition::TrackedProblem => {
                conditions.extend(
                    verdict
                        .conditions
                        .iter()
                        .filter(|r| r.accepted_by.is_none() && r.tracked_by.is_some())
                        .map(|r| (r.severity, Some(r.code), format!("Tracked: {}", r.message))),
                );
            }
            DecisionCondition::OpenFinding => {
                // Open and within its due date (past it, E1401 refuses or an
                // exception accepts it); one that tracks a problem is listed
                // with that problem instead.
                let current = |f: &&Finding| {
                    f.open && f.due.is_none_or(|d| d >= ctx.today) && f.tracks.is_none()
                };
                conditions.extend(v.findings.iter().filter(current).map(|f| {
                    let due = f
                        .due
                        .map_or_else(|| "no due date".to_string(), |d| format!("due {d}"));
                    (
                        Severity::Note,
                        None,
                        format!(
                            "Open finding {} ({}, {due}): {}",
                            f.id,
                            f.severity.as_str(),
                            f.title
                        ),
                    )
                }));
            }
            DecisionCondition::Warning => {
                conditions.extend(
                    verdict
                        .reasons
                        .iter()
                        .filter(|r| r.severity == Severity::Warning && r.tracked_by.is_none())
                        .map(|r| (Severity::Warning, Some(r.code), r.message.clone())),
                );
            }
        }
    }
    if conditions.is_empty() {
        VendorDecision::new(Decision::Approved, Vec::new())
    } else {
        VendorDecision::new(Decision::Conditional, conditions)
    }
}

/// "Accepted risk (exception EX-1, until 2027-03-01): …".
fn accepted(v: &Vendor, id: &str, r: &Reason) -> String {
    let until = v
        .exceptions
        .iter()
        .find(|e| e.id == id)
        .map(|e| format!(", until {}", e.expires))
        .unwrap_or_default();
    format!("Accepted risk (exception {id}{until}): {}", r.message)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::assess::context::Problem;
    use crate::assess::testing::{TODAY, context, finding, registry, vendor};
    use crate::assess::verdict::verdict;
    use crate::diag::{Code, Loc};

    fn problem(code: Code, severity: Severity, accepted_by: Option<&str>) -> Problem {
        let path: Arc<str> = "vendors/acme-infusion/vendor.toml".into();
        Problem::new(
            code,
            Loc::file(&path),
            format!("{} problem", code.id()),
            "h",
        )
        .severity(severity)
        .accepted_by(accepted_by.map(String::from))
    }

    fn decide_with(
        policy: Option<DecisionPolicy>,
        findings: Vec<Finding>,
        problems: &[Problem],
    ) -> VendorDecision {
        let mut reg = registry();
        if let Some(p) = policy {
            reg.settings.decision = p;
        }
        let mut v = vendor(&reg, "acme-infusion");
        v.findings = findings;
        let ctx = context(&reg, &v, TODAY);
        let verdict = verdict("Acme", problems.to_vec(), &ctx.acceptances);
        decide(&ctx, &verdict)
    }

    #[test]
    fn an_unaccepted_error_refuses_approval_and_is_the_reason() {
        let d = decide_with(
            None,
            vec![],
            &[
                problem(Code::ArtifactExpired, Severity::Error, None),
                problem(Code::RedFlag, Severity::Warning, None),
            ],
        );
        assert_eq!(d.value, Decision::NotApproved);
        assert_eq!(
            d.messages().collect::<Vec<_>>(),
            ["E1001 problem"],
            "only what refuses approval"
        );
        assert_eq!(d.reasons[0].code, Some("E1001"));
    }

    #[test]
    fn accepted_risks_warnings_and_open_findings_are_conditions() {
        let d = decide_with(
            None,
            vec![
                finding("F-1", Some("2027-01-31"), true),
                finding("F-2", Some("2026-01-31"), false),
                // Overdue: E1401's business (accepted or refusing), not a condition here.
                finding("F-3", Some("2026-11-21"), true),
                // Tracks a problem: listed with the problem.
                Finding {
                    tracks: Some(Accepts::Rule {
                        code: "E1303".into(),
                        subject: None,
                    }),
                    ..finding("F-4", Some("2027-01-31"), true)
                },
            ],
            &[
                problem(Code::AlwaysOnRemoteAccess, Severity::Error, Some("EX-9")),
                problem(Code::RedFlag, Severity::Warning, None),
                problem(Code::ReviewDueSoon, Severity::Note, None),
            ],
        );
        assert_eq!(d.value, Decision::Conditional);
        assert_eq!(
            d.messages().collect::<Vec<_>>(),
            [
                "E1101 problem",
                "Accepted risk (exception EX-9): E1204 problem",
                "Open finding F-1 (high, due 2027-01-31): Old OS",
            ],
            "the warning first; a closed finding and a note are no condition"
        );
    }

    #[test]
    fn a_problem_tracked_within_its_due_date_is_a_condition_not_a_refusal() {
        let tracker = Finding {
            tracks: Some(Accepts::Rule {
                code: "E1201".into(),
                subject: None,
            }),
            ..finding("F-4", Some("2027-01-31"), true)
        };
        let d = decide_with(
            None,
            vec![tracker],
            &[problem(Code::NoBaa, Severity::Error, None)],
        );
        assert_eq!(d.value, Decision::Conditional);
        assert_eq!(
            d.messages().collect::<Vec<_>>(),
            ["Tracked: E1201 problem [tracked by F-4, due 2027-01-31]"]
        );
        // Past its due date the problem refuses approval again.
        let late = Finding {
            tracks: Some(Accepts::Rule {
                code: "E1201".into(),
                subject: None,
            }),
            ..finding("F-4", Some("2026-11-21"), true)
        };
        let d = decide_with(
            None,
            vec![late],
            &[problem(Code::NoBaa, Severity::Error, None)],
        );
        assert_eq!(d.value, Decision::NotApproved);
    }

    #[test]
    fn nothing_to_report_is_a_plain_approval() {
        let d = decide_with(
            None,
            vec![finding("F-2", Some("2026-01-31"), false)],
            &[problem(Code::ReviewDueSoon, Severity::Note, None)],
        );
        assert_eq!(d.value, Decision::Approved);
        assert!(d.reasons.is_empty());
    }

    #[test]
    fn the_policy_decides_what_refuses_and_what_is_a_condition() {
        let problems = [problem(Code::RedFlag, Severity::Warning, None)];
        let strict = DecisionPolicy {
            not_approved_at: BlockingSeverity::Warning,
            conditions: vec![],
        };
        assert_eq!(
            decide_with(Some(strict), vec![], &problems).value,
            Decision::NotApproved
        );
        let lenient = DecisionPolicy {
            not_approved_at: BlockingSeverity::Error,
            conditions: vec![DecisionCondition::AcceptedRisk],
        };
        assert_eq!(
            decide_with(
                Some(lenient),
                vec![finding("F-1", Some("2027-01-31"), true)],
                &problems
            )
            .value,
            Decision::Approved,
            "neither warnings nor open findings are conditions under this policy"
        );
    }

    #[test]
    fn offboarded_vendors_are_not_assessed() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        v.status = VendorStatus::Offboarded;
        let ctx = context(&reg, &v, TODAY);
        let verdict = verdict(
            "Acme",
            vec![problem(Code::NoBaa, Severity::Error, None)],
            &ctx.acceptances,
        );
        let d = decide(&ctx, &verdict);
        assert_eq!(d.value, Decision::NotAssessed);
        assert_eq!(d.reasons.len(), 1);
    }
}
