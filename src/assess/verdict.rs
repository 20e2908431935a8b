//! The one place problems become diagnostics and status reasons, and the
//! vendor's compliance status is decided. Acceptance and tracking are
//! applied here, to every problem of every part alike
//! (`Acceptances::settle`): a rule added later is acceptable with
//! `rule:<code>` and trackable with `tracks = "rule:<code>"` for free.

use serde::Serialize;

use super::context::{Acceptances, Phrasing, Problem, Tracked};
use crate::diag::{Code, Diagnostic, Severity};

#[derive(Debug, Clone, Serialize)]
pub struct Reason {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    /// The exception that accepts the problem (only in `conditions`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted_by: Option<String>,
    /// The open finding that tracks the problem, and its due date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracked_by: Option<Tracked>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ComplianceStatus {
    Compliant,
    Attention,
    NonCompliant,
}

impl ComplianceStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Compliant => "Compliant",
            Self::Attention => "Needs attention",
            Self::NonCompliant => "Non-compliant",
        }
    }
}

/// A vendor's diagnostics (sorted, duplicates dropped), the reasons for its
/// status (worst first) and the status with its error and warning counts.
pub(crate) struct Verdict {
    pub diagnostics: Vec<Diagnostic>,
    pub reasons: Vec<Reason>,
    /// The problems that are conditions, not failures: accepted by an
    /// exception or tracked by an open finding within its due date.
    pub conditions: Vec<Reason>,
    pub status: ComplianceStatus,
    pub errors: usize,
    pub warnings: usize,
}

pub(crate) fn verdict(
    vendor_name: &str,
    problems: Vec<Problem>,
    acceptances: &Acceptances<'_>,
) -> Verdict {
    let mut pairs: Vec<(Diagnostic, (Reason, bool))> = problems
        .into_iter()
        .map(|p| {
            let p = acceptances.settle(p);
            let condition = p.is_condition();
            (
                diagnostic(vendor_name, &p),
                (reason(vendor_name, &p), condition),
            )
        })
        .collect();
    // The order and duplicates of `diag::sort`, so reasons follow the diagnostics.
    pairs.sort_by(|(a, _), (b, _)| {
        (&a.loc.path, a.loc.line, a.loc.column, a.code, &a.message).cmp(&(
            &b.loc.path,
            b.loc.line,
            b.loc.column,
            b.code,
            &b.message,
        ))
    });
    pairs.dedup_by(|(a, _), (b, _)| a == b);
    let by_worst = |a: &Reason, b: &Reason| b.severity.cmp(&a.severity).then(a.code.cmp(b.code));
    let mut reasons: Vec<Reason> = pairs
        .iter()
        .filter(|(d, _)| d.severity >= Severity::Warning)
        .map(|(_, (r, _))| r.clone())
        .collect();
    reasons.sort_by(by_worst);
    let mut conditions: Vec<Reason> = pairs
        .iter()
        .filter(|(_, (_, condition))| *condition)
        .map(|(_, (r, _))| r.clone())
        .collect();
    conditions.sort_by(by_worst);
    let diagnostics: Vec<Diagnostic> = pairs.into_iter().map(|(d, _)| d).collect();
    let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    let status = if errors > 0 {
        ComplianceStatus::NonCompliant
    } else if warnings > 0 {
        ComplianceStatus::Attention
    } else {
        ComplianceStatus::Compliant
    };
    Verdict {
        diagnostics,
        reasons,
        conditions,
        status,
        errors,
        warnings,
    }
}

/// The diagnostic for a problem: an accepted one becomes a note under its
/// own code, still reported so reviewers see what was accepted.
fn diagnostic(name: &str, p: &Problem) -> Diagnostic {
    let message = match p.phrasing {
        Phrasing::AfterName => format!("{name}: {}", p.text),
        Phrasing::NameFirst => format!("{name} {}", p.text),
    };
    let d = Diagnostic::new(p.code, p.loc.clone(), message)
        .severity(p.severity)
        .help(p.help.clone());
    match &p.accepted_by {
        Some(id) => Diagnostic {
            severity: Severity::Note,
            code: Code::Accepted.id(),
            message: format!("{} [{} accepted by exception {id}]", d.message, d.code),
            ..d
        },
        None => Diagnostic {
            message: format!("{}{}", d.message, tracked_note(p)),
            ..d
        },
    }
}

/// " [tracked by F-1, due 2027-01-31]" (", overdue" past it), or nothing.
fn tracked_note(p: &Problem) -> String {
    p.tracked_by.as_ref().map_or(String::new(), |t| {
        let overdue = if t.overdue { ", overdue" } else { "" };
        format!(" [tracked by {}, due {}{overdue}]", t.finding, t.due)
    })
}

/// The status reason: the problem's text as a sentence, with the vendor's
/// name only where it is the sentence's subject; its severity is the
/// diagnostic's (a tracked problem's may be lowered, an accepted one is a note).
fn reason(name: &str, p: &Problem) -> Reason {
    let text = match p.phrasing {
        Phrasing::AfterName => sentence(&p.text),
        Phrasing::NameFirst => sentence(&format!("{name} {}", p.text)),
    };
    Reason {
        severity: if p.accepted_by.is_some() {
            Severity::Note
        } else {
            p.severity
        },
        code: p.code.id(),
        message: format!("{text}{}", tracked_note(p)),
        accepted_by: p.accepted_by.clone(),
        tracked_by: p.tracked_by.clone(),
    }
}

/// A reason shown on its own starts with a capital letter.
fn sentence(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::assess::testing::{TODAY, context, exception, finding, registry, vendor};
    use crate::diag::Loc;
    use crate::model::{Accepts, Date};

    /// No exception, no tracking finding.
    fn none() -> Acceptances<'static> {
        Acceptances {
            active: vec![],
            trackers: vec![],
            tracked_severity: Severity::Warning,
            today: TODAY.parse::<Date>().unwrap(),
        }
    }

    fn loc(line: u32) -> Loc {
        let path: Arc<str> = "vendors/acme/vendor.toml".into();
        let mut l = Loc::file(&path);
        l.line = line;
        l
    }

    #[test]
    fn reasons_are_written_by_the_part_not_cut_from_the_message() {
        let v = verdict(
            "acme: the vendor",
            vec![
                Problem::new(
                    Code::RenewalPast,
                    loc(3),
                    "contract renewal date 2026-01-01 has passed",
                    "h",
                ),
                Problem::about_vendor(Code::NeverAssessed, loc(9), "has never been assessed", "h"),
            ],
            &none(),
        );
        let messages: Vec<&str> = v.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "acme: the vendor: contract renewal date 2026-01-01 has passed",
                "acme: the vendor has never been assessed"
            ]
        );
        let reasons: Vec<&str> = v.reasons.iter().map(|r| r.message.as_str()).collect();
        // A name that itself holds ": " cannot confuse the reason.
        assert_eq!(
            reasons,
            [
                "Contract renewal date 2026-01-01 has passed",
                "Acme: the vendor has never been assessed"
            ],
            "both warnings, by code"
        );
        assert_eq!(v.status, ComplianceStatus::Attention);
        assert_eq!((v.errors, v.warnings), (0, 2));
    }

    #[test]
    fn accepted_problems_are_notes_and_give_no_reason() {
        let v = verdict(
            "Acme",
            vec![
                Problem::new(Code::RedFlag, loc(2), "no SBOM", "h")
                    .severity(Severity::Error)
                    .accepted_by(Some("EX-1".into())),
                Problem::new(
                    Code::ReviewDueSoon,
                    loc(1),
                    "reassessment due on 2026-12-01",
                    "h",
                ),
            ],
            &none(),
        );
        assert_eq!(v.diagnostics[1].severity, Severity::Note);
        assert_eq!(v.diagnostics[1].code, Code::Accepted.id());
        assert_eq!(
            v.diagnostics[1].message,
            format!(
                "Acme: no SBOM [{} accepted by exception EX-1]",
                Code::RedFlag.id()
            )
        );
        assert!(
            v.reasons.is_empty(),
            "review due soon is a note, the flag is accepted"
        );
        assert_eq!(v.status, ComplianceStatus::Compliant);
    }

    #[test]
    fn diagnostics_follow_diag_sort_and_reasons_go_worst_first() {
        let problems = vec![
            Problem::new(Code::ReviewOverdue, loc(7), "b", "h"),
            Problem::new(Code::RenewalPast, loc(5), "a", "h"),
            Problem::new(Code::RenewalPast, loc(5), "a", "h"),
            Problem::new(Code::ArtifactExpiring, loc(1), "c", "h"),
        ];
        let v = verdict("Acme", problems.clone(), &none());
        let mut sorted: Vec<Diagnostic> = problems.iter().map(|p| diagnostic("Acme", p)).collect();
        crate::diag::sort(&mut sorted);
        assert_eq!(
            v.diagnostics, sorted,
            "the same order and duplicates as diag::sort"
        );
        let codes: Vec<&str> = v.reasons.iter().map(|r| r.code).collect();
        let mut expected = [
            Code::RenewalPast,
            Code::ReviewOverdue,
            Code::ArtifactExpiring,
        ];
        expected.sort_by(|a, b| b.severity().cmp(&a.severity()).then(a.id().cmp(b.id())));
        assert_eq!(codes, expected.iter().map(|c| c.id()).collect::<Vec<_>>());
    }

    /// A problem of `code` about `subject`, at line 1.
    fn problem(code: Code, subject: &str) -> Problem {
        Problem::new(code, loc(1), "something is wrong", "h").subject(subject)
    }

    #[test]
    fn rule_code_accepts_every_assessment_rule_whatever_part_raises_it() {
        let reg = registry();
        let rules: Vec<Code> = crate::model::acceptable_rules().collect();
        assert!(rules.contains(&Code::AlwaysOnRemoteAccess) && rules.contains(&Code::RedFlag));
        for excluded in [
            Code::ExceptionExpired,
            Code::ExceptionExpiring,
            Code::Accepted,
            Code::UnknownReference,
        ] {
            assert!(!rules.contains(&excluded), "{}", excluded.id());
        }
        for code in Code::ALL
            .iter()
            .copied()
            .filter(|c| !c.id().starts_with("E0"))
        {
            if !rules.contains(&code) {
                continue;
            }
            let mut v = vendor(&reg, "acme-infusion");
            v.exceptions = vec![exception(
                "EX-R",
                Accepts::Rule {
                    code: code.id().into(),
                    subject: None,
                },
                "2027-06-01",
            )];
            let ctx = context(&reg, &v, TODAY);
            let out = verdict("Acme", vec![problem(code, "x")], &ctx.acceptances);
            assert_eq!(out.diagnostics.len(), 1);
            let d = &out.diagnostics[0];
            assert_eq!(
                (d.code, d.severity),
                (Code::Accepted.id(), Severity::Note),
                "rule:{} accepts it",
                code.id()
            );
            assert!(
                d.message
                    .ends_with(&format!("[{} accepted by exception EX-R]", code.id()))
            );
            assert_eq!(out.status, ComplianceStatus::Compliant);
            assert_eq!(
                out.conditions.len(),
                1,
                "an accepted problem is a condition"
            );
            assert_eq!(out.conditions[0].accepted_by.as_deref(), Some("EX-R"));
            // Another rule's exception does not accept it.
            let other = verdict(
                "Acme",
                vec![problem(Code::ReviewDueSoon, "x")],
                &ctx.acceptances,
            );
            if code != Code::ReviewDueSoon {
                assert_eq!(other.diagnostics[0].code, Code::ReviewDueSoon.id());
            }
        }
    }

    #[test]
    fn a_rule_narrowed_to_a_subject_accepts_only_that_subject() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        v.exceptions = vec![exception(
            "EX-1",
            Accepts::Rule {
                code: "E1305".into(),
                subject: Some("Aurora LVP".into()),
            },
            "2027-06-01",
        )];
        let ctx = context(&reg, &v, TODAY);
        let out = verdict(
            "Acme",
            vec![
                problem(Code::EndOfSupport, "Aurora LVP"),
                problem(Code::EndOfSupport, "SmartPump 4"),
            ],
            &ctx.acceptances,
        );
        let codes: Vec<&str> = out.diagnostics.iter().map(|d| d.code).collect();
        // Both at line 1, so in code order.
        assert_eq!(codes, [Code::EndOfSupport.id(), Code::Accepted.id()]);
        assert!(
            out.diagnostics[1]
                .message
                .starts_with("Acme: something is wrong [E1305")
        );
        assert_eq!(out.status, ComplianceStatus::NonCompliant);
    }

    #[test]
    fn an_exception_in_force_only_accepts_and_an_expired_one_does_not() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        let rule = Accepts::Rule {
            code: "E1204".into(),
            subject: None,
        };
        v.exceptions = vec![exception("EX-1", rule, "2026-11-21")];
        let ctx = context(&reg, &v, TODAY);
        let out = verdict(
            "Acme",
            vec![problem(Code::AlwaysOnRemoteAccess, "x")],
            &ctx.acceptances,
        );
        assert_eq!(out.diagnostics[0].code, Code::AlwaysOnRemoteAccess.id());
    }

    /// Acme with open finding F-1 due `due`, tracking rule E1305 for Aurora LVP.
    fn tracked(due: &str, open: bool, policy: Severity) -> Verdict {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        let mut f = finding("F-1", Some(due), open);
        f.tracks = Some(Accepts::Rule {
            code: "E1305".into(),
            subject: Some("Aurora LVP".into()),
        });
        v.findings = vec![f];
        let mut ctx = context(&reg, &v, TODAY);
        ctx.acceptances.tracked_severity = policy;
        verdict(
            "Acme",
            vec![problem(Code::EndOfSupport, "Aurora LVP")],
            &ctx.acceptances,
        )
    }

    #[test]
    fn a_problem_tracked_by_an_open_finding_within_its_due_date_is_a_condition() {
        // TODAY is 2026-11-22: due that day is still within its due date.
        for due in ["2026-11-22", "2026-11-23", "2027-01-31"] {
            let v = tracked(due, true, Severity::Warning);
            let d = &v.diagnostics[0];
            assert_eq!(
                (d.code, d.severity),
                (Code::EndOfSupport.id(), Severity::Warning),
                "{due}"
            );
            assert_eq!(
                d.message,
                format!("Acme: something is wrong [tracked by F-1, due {due}]")
            );
            assert_eq!(v.status, ComplianceStatus::Attention);
            assert_eq!(
                v.reasons[0].tracked_by.as_ref().map(|t| t.finding.as_str()),
                Some("F-1")
            );
            assert_eq!(v.conditions.len(), 1);
        }
        let note = tracked("2026-12-31", true, Severity::Note);
        assert_eq!(note.diagnostics[0].severity, Severity::Note);
        assert_eq!(note.status, ComplianceStatus::Compliant);
        assert_eq!(
            note.conditions.len(),
            1,
            "a condition even when reported as a note"
        );
        let error = tracked("2026-12-31", true, Severity::Error);
        assert_eq!(error.diagnostics[0].severity, Severity::Error);
    }

    #[test]
    fn tracking_never_raises_a_problem_above_its_own_severity() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        let mut f = finding("F-1", Some("2027-01-31"), true);
        f.tracks = Some(Accepts::Rule {
            code: "E1304".into(),
            subject: None,
        });
        v.findings = vec![f];
        let mut ctx = context(&reg, &v, TODAY);
        ctx.acceptances.tracked_severity = Severity::Error;
        let out = verdict(
            "Acme",
            vec![problem(Code::ReviewDueSoon, "x")],
            &ctx.acceptances,
        );
        assert_eq!(out.diagnostics[0].severity, Severity::Note);
    }

    #[test]
    fn an_overdue_or_closed_finding_leaves_the_problem_its_own_severity() {
        let overdue = tracked("2026-11-21", true, Severity::Note);
        let d = &overdue.diagnostics[0];
        assert_eq!(d.severity, Severity::Error, "the day after the due date");
        assert_eq!(
            d.message,
            "Acme: something is wrong [tracked by F-1, due 2026-11-21, overdue]"
        );
        assert_eq!(overdue.status, ComplianceStatus::NonCompliant);
        assert!(
            overdue.conditions.is_empty(),
            "an overdue tracked problem is no condition"
        );
        let closed = tracked("2027-01-31", false, Severity::Note);
        assert_eq!(closed.diagnostics[0].severity, Severity::Error);
        assert_eq!(closed.diagnostics[0].message, "Acme: something is wrong");
    }

    #[test]
    fn acceptance_wins_over_tracking() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        let rule = Accepts::Rule {
            code: "E1305".into(),
            subject: None,
        };
        let mut f = finding("F-1", Some("2027-01-31"), true);
        f.tracks = Some(rule.clone());
        v.findings = vec![f];
        v.exceptions = vec![exception("EX-1", rule, "2027-06-01")];
        let ctx = context(&reg, &v, TODAY);
        let out = verdict(
            "Acme",
            vec![problem(Code::EndOfSupport, "A")],
            &ctx.acceptances,
        );
        assert_eq!(out.diagnostics[0].code, Code::Accepted.id());
        assert_eq!(out.conditions[0].tracked_by, None);
    }
}
