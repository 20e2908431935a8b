//! The GitLab format: a Code Quality report (README, "Output formats"),
//! the JSON array GitLab reads from a job's `artifacts: reports:
//! codequality` and shows on merge requests.
//!
//! One issue per diagnostic with the fields GitLab documents as required:
//! `description`, `check_name` (the code), `fingerprint` (stable across
//! runs and line moves: a hash of code, path and message), `severity` and
//! `location.path` / `location.lines.begin`. Severities map to GitLab's
//! scale as: error `major`, warning `minor`, note `info`.

use std::io;

use serde::Serialize;

use super::{Fingerprints, PathDisplay, printable};
use crate::CheckReport;
use crate::console::visible;
use crate::diag::{Diagnostic, Severity};

/// One Code Quality issue.
#[derive(Serialize)]
pub struct Issue {
    pub description: String,
    pub check_name: &'static str,
    pub fingerprint: String,
    pub severity: &'static str,
    pub location: Location,
}

#[derive(Serialize)]
pub struct Location {
    pub path: String,
    pub lines: Lines,
}

#[derive(Serialize)]
pub struct Lines {
    pub begin: u32,
}

/// GitLab's severity for a diagnostic's.
pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Note => "info",
    }
}

/// The report for `diags`.
pub fn issues(diags: &[Diagnostic], paths: &PathDisplay) -> Vec<Issue> {
    let mut fingerprints = Fingerprints::default();
    diags
        .iter()
        .map(|raw| {
            let d = &*printable(raw);
            let path = paths.show(&visible(&d.loc.path, false));
            let mut description = format!(
                "{} {}: {}",
                d.code,
                crate::diag::code_title(d.code),
                d.message
            );
            if let Some(h) = &d.help {
                description.push_str(" (help: ");
                description.push_str(h);
                description.push(')');
            }
            Issue {
                fingerprint: fingerprints.next(d.code, &path, &d.message),
                description,
                check_name: d.code,
                severity: severity(d.severity),
                location: Location {
                    path,
                    lines: Lines {
                        begin: d.loc.line.max(1),
                    },
                },
            }
        })
        .collect()
}

/// Write the report, pretty-printed, and a final line break.
pub fn write(report: &CheckReport, paths: &PathDisplay, out: &mut dyn io::Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &issues(&report.diagnostics, paths))?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::*;
    use crate::diag::{Code, Loc};

    #[test]
    fn one_issue_per_diagnostic_with_gitlabs_fields() {
        let mut loc = Loc::file(&Arc::from("vendors/a/vendor.toml"));
        loc.line = 7;
        let diags = [
            Diagnostic::new(Code::ReviewOverdue, loc.clone(), "late"),
            Diagnostic::new(Code::ReviewDueSoon, loc.clone(), "soon"),
            Diagnostic::new(Code::NeverAssessed, loc, "never"),
        ];
        let issues = issues(&diags, &PathDisplay::new(Path::new("registry")));
        let v = serde_json::to_value(&issues).unwrap();
        assert_eq!(v[0]["check_name"], "E1301");
        assert_eq!(v[0]["location"]["path"], "registry/vendors/a/vendor.toml");
        assert_eq!(v[0]["location"]["lines"]["begin"], 7);
        assert!(v[0]["description"].as_str().unwrap().ends_with(": late"));
        let sev: Vec<_> = issues.iter().map(|i| i.severity).collect();
        assert_eq!(sev, ["major", "info", "minor"]);
        let fps: std::collections::BTreeSet<_> = issues.iter().map(|i| &i.fingerprint).collect();
        assert_eq!(fps.len(), 3);
    }
}
