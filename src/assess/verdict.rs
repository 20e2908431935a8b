//! The one place problems become diagnostics and status reasons, and the
//! vendor's compliance status is decided.

use serde::Serialize;

use super::context::{Phrasing, Problem};
use crate::diag::{Code, Diagnostic, Severity};

#[derive(Debug, Clone, Serialize)]
pub struct Reason {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
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
    pub status: ComplianceStatus,
    pub errors: usize,
    pub warnings: usize,
}

pub(crate) fn verdict(vendor_name: &str, problems: Vec<Problem>) -> Verdict {
    let mut pairs: Vec<(Diagnostic, String)> = problems
        .into_iter()
        .map(|p| (diagnostic(vendor_name, &p), reason_text(vendor_name, &p)))
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
    let mut reasons: Vec<Reason> = pairs
        .iter()
        .filter(|(d, _)| d.severity >= Severity::Warning)
        .map(|(d, text)| Reason {
            severity: d.severity,
            code: d.code,
            message: text.clone(),
        })
        .collect();
    reasons.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.code.cmp(b.code)));
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
        None => d,
    }
}

/// The status reason: the problem's text as a sentence, with the vendor's
/// name only where it is the sentence's subject.
pub(super) fn reason_text(name: &str, p: &Problem) -> String {
    match p.phrasing {
        Phrasing::AfterName => sentence(&p.text),
        Phrasing::NameFirst => sentence(&format!("{name} {}", p.text)),
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
    use crate::diag::Loc;

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
        let v = verdict("Acme", problems.clone());
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
}
