//! The SARIF format: one SARIF 2.1.0 log (OASIS) for code-scanning tools
//! such as GitHub code scanning (README, "Output formats").
//!
//! One run whose tool is vetted, with a rule per diagnostic code used (its
//! title, its default level and a help text) and a result per diagnostic at
//! its file, line and column. Paths are relative to the repository, as the
//! human output shows them, under the `%SRCROOT%` base; each result carries a
//! fingerprint of its code, path and message, so a result keeps its identity
//! across runs and when lines move.

use std::collections::BTreeMap;
use std::io;

use serde::Serialize;

use super::{Fingerprints, PathDisplay, printable};
use crate::CheckReport;
use crate::console::visible;
use crate::diag::{Code, Diagnostic, Severity, code_title};

/// The SARIF version written, and its schema.
pub const SARIF_VERSION: &str = "2.1.0";
pub const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/// The key of vetted's fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "vetted/v1";
/// Most results in the run: GitHub code scanning rejects a run with more
/// (its hard limit, "Results per run"). Above it the most severe results are
/// kept, and a notification says how many were left out; `--format json`
/// always has them all.
pub const MAX_RESULTS: usize = 25_000;

#[derive(Serialize)]
pub struct Log {
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    pub version: &'static str,
    pub runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    pub tool: Tool,
    /// vetted counts columns in characters (`diag::SourceText::line_col`).
    pub column_kind: &'static str,
    pub results: Vec<SarifResult>,
    /// Only when results were left out (`MAX_RESULTS`): why, and how many.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub invocations: Vec<Invocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Invocation {
    pub execution_successful: bool,
    pub tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
pub struct Notification {
    pub level: &'static str,
    pub message: Text,
}

#[derive(Serialize)]
pub struct Tool {
    pub driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Driver {
    pub name: &'static str,
    pub version: &'static str,
    pub rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    pub id: &'static str,
    pub short_description: Text,
    pub full_description: Text,
    pub help: Text,
    pub default_configuration: Configuration,
}

#[derive(Serialize)]
pub struct Configuration {
    pub level: &'static str,
}

#[derive(Serialize)]
pub struct Text {
    pub text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifResult {
    pub rule_id: &'static str,
    pub rule_index: usize,
    pub level: &'static str,
    pub message: Text,
    pub locations: Vec<Location>,
    pub partial_fingerprints: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    pub physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhysicalLocation {
    pub artifact_location: ArtifactLocation,
    pub region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactLocation {
    pub uri: String,
    /// `%SRCROOT%` for a path relative to the repository; absent for an
    /// absolute path (given as a `file:` URI).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    pub start_line: u32,
    pub start_column: u32,
}

/// The SARIF level of a severity.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// The log for `diags`, at most `MAX_RESULTS` of them.
pub fn log(diags: &[Diagnostic], paths: &PathDisplay) -> Log {
    log_capped(diags, paths, MAX_RESULTS)
}

/// Which of `diags` a run of at most `max` results keeps: all when they fit,
/// else the most severe (errors, then warnings, then notes; in report order
/// within a severity), still in report order.
fn kept(diags: &[Diagnostic], max: usize) -> Vec<bool> {
    if diags.len() <= max {
        return vec![true; diags.len()];
    }
    let mut order: Vec<usize> = (0..diags.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(diags[i].severity));
    let mut keep = vec![false; diags.len()];
    for &i in order.iter().take(max) {
        keep[i] = true;
    }
    keep
}

fn log_capped(diags: &[Diagnostic], paths: &PathDisplay, max: usize) -> Log {
    let keep = kept(diags, max);
    let left_out = keep.iter().filter(|k| !**k).count();
    // Every code used, in code order; its index in `rules` is `ruleIndex`.
    let mut used: Vec<&'static str> = diags.iter().map(|d| d.code).collect();
    used.sort_unstable();
    used.dedup();
    let rules: Vec<Rule> = used.iter().map(|id| rule(id)).collect();
    let mut fingerprints = Fingerprints::default();
    let results = diags
        .iter()
        .zip(&keep)
        .filter_map(|(raw, &keep)| {
            let d = &*printable(raw);
            let path = paths.show(&visible(&d.loc.path, false));
            // Every result counts toward the fingerprints, kept or not, so a
            // result's fingerprint does not depend on what was left out.
            let fingerprint = fingerprints.next(d.code, &path, &d.message);
            if !keep {
                return None;
            }
            let mut text = d.message.clone();
            if let Some(h) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(h);
            }
            Some(SarifResult {
                rule_id: d.code,
                rule_index: used.binary_search(&d.code).unwrap_or_default(),
                level: level(d.severity),
                message: Text { text },
                locations: vec![Location {
                    physical_location: PhysicalLocation {
                        artifact_location: artifact_location(&path),
                        region: Region {
                            start_line: d.loc.line.max(1),
                            start_column: d.loc.column.max(1),
                        },
                    },
                }],
                partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint)]),
            })
        })
        .collect();
    let invocations = if left_out == 0 {
        Vec::new()
    } else {
        vec![Invocation {
            execution_successful: true,
            tool_execution_notifications: vec![Notification {
                level: "warning",
                message: Text {
                    text: format!(
                        "{left_out} of {} results left out: a run holds at most {max} \
                         (GitHub code scanning's limit); the most severe are kept. \
                         `vetted check --format json` lists them all.",
                        diags.len()
                    ),
                },
            }],
        }]
    };
    Log {
        schema: SARIF_SCHEMA,
        version: SARIF_VERSION,
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "vetted",
                    version: env!("CARGO_PKG_VERSION"),
                    rules,
                },
            },
            column_kind: "unicodeCodePoints",
            results,
            invocations,
        }],
    }
}

/// The rule for a code: its title, default level and help.
fn rule(id: &'static str) -> Rule {
    let title = code_title(id);
    let severity = Code::ALL
        .iter()
        .find(|c| c.id() == id)
        .map_or(Severity::Error, |c| c.severity());
    let kind = if crate::diag::is_data_contract(id) {
        "a data-contract rule: the registry's files break the format vetted reads"
    } else {
        "an assessment rule: the registry's data breaks the hospital's policy"
    };
    Rule {
        id,
        short_description: Text {
            text: title.to_owned(),
        },
        full_description: Text {
            text: format!("{id}: {title}."),
        },
        help: Text {
            text: format!(
                "{id} ({title}) is {kind}. Each result's message ends with what to do; \
                 the README's \"Diagnostic codes\" table describes every code."
            ),
        },
        default_configuration: Configuration {
            level: level(severity),
        },
    }
}

/// A path as a URI reference: relative to `%SRCROOT%`, or a `file:` URI for
/// an absolute path; every byte outside the unreserved set and `/`
/// percent-encoded.
fn artifact_location(path: &str) -> ArtifactLocation {
    let mut uri = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    if path.starts_with('/') {
        ArtifactLocation {
            uri: format!("file://{uri}"),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri,
            uri_base_id: Some("%SRCROOT%"),
        }
    }
}

/// Write the log, pretty-printed, and a final line break.
pub fn write(report: &CheckReport, paths: &PathDisplay, out: &mut dyn io::Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(&report.diagnostics, paths))?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::*;
    use crate::diag::Loc;

    fn diag(code: Code, path: &str, line: u32, message: &str) -> Diagnostic {
        let mut loc = Loc::file(&Arc::from(path));
        loc.line = line;
        loc.column = 3;
        Diagnostic::new(code, loc, message)
    }

    #[test]
    fn above_the_limit_the_most_severe_are_kept_in_report_order() {
        let diags = [
            diag(Code::RenewalSoon, "vendors/a/vendor.toml", 1, "note a"),
            diag(Code::RedFlag, "vendors/a/answers.toml", 2, "error a").severity(Severity::Error),
            diag(Code::ReviewOverdue, "vendors/b/vendor.toml", 3, "warning b")
                .severity(Severity::Warning),
            diag(Code::RenewalSoon, "vendors/b/vendor.toml", 4, "note b"),
            diag(Code::RedFlag, "vendors/c/answers.toml", 5, "error c").severity(Severity::Error),
        ];
        let paths = PathDisplay::new(Path::new("registry"));
        let all = log_capped(&diags, &paths, 5);
        assert!(all.runs[0].invocations.is_empty(), "nothing left out");
        let capped = log_capped(&diags, &paths, 3);
        let run = &capped.runs[0];
        let kept: Vec<&str> = run
            .results
            .iter()
            .map(|r| r.message.text.as_str())
            .collect();
        assert_eq!(kept, ["error a", "warning b", "error c"]);
        // A kept result's fingerprint is the one it has in the whole run.
        let whole: BTreeMap<&str, &String> = all.runs[0]
            .results
            .iter()
            .map(|r| {
                (
                    r.message.text.as_str(),
                    &r.partial_fingerprints[FINGERPRINT_KEY],
                )
            })
            .collect();
        for r in &run.results {
            assert_eq!(
                &r.partial_fingerprints[FINGERPRINT_KEY],
                whole[r.message.text.as_str()]
            );
        }
        let note = &run.invocations[0].tool_execution_notifications[0];
        assert!(
            note.message.text.starts_with("2 of 5 results left out"),
            "{}",
            note.message.text
        );
    }

    #[test]
    fn one_rule_per_code_used_and_results_point_at_them() {
        let diags = [
            diag(Code::ReviewOverdue, "vendors/a/vendor.toml", 4, "overdue"),
            diag(Code::RenewalSoon, "vendors/a/vendor.toml", 9, "renews"),
            diag(Code::ReviewOverdue, "vendors/b/vendor.toml", 4, "overdue"),
            diag(Code::RedFlag, "vendors/b/answers.toml", 2, "flag").severity(Severity::Error),
        ];
        let log = log(&diags, &PathDisplay::new(Path::new("registry")));
        let run = &log.runs[0];
        let ids: Vec<_> = run.tool.driver.rules.iter().map(|r| r.id).collect();
        assert_eq!(ids, ["E1101", "E1207", "E1301"]);
        let r = &run.tool.driver.rules[1];
        assert_eq!(r.short_description.text, code_title("E1207"));
        assert_eq!(r.default_configuration.level, "note");
        // The red flag is raised as an error: its result says so, its rule
        // keeps the code's default.
        assert_eq!(
            run.tool.driver.rules[0].default_configuration.level,
            "warning"
        );
        let levels: Vec<_> = run.results.iter().map(|r| r.level).collect();
        assert_eq!(levels, ["error", "note", "error", "error"]);
        for res in &run.results {
            assert_eq!(ids[res.rule_index], res.rule_id);
        }
        let loc = &run.results[1].locations[0].physical_location;
        assert_eq!(loc.artifact_location.uri, "registry/vendors/a/vendor.toml");
        assert_eq!(loc.artifact_location.uri_base_id, Some("%SRCROOT%"));
        assert_eq!((loc.region.start_line, loc.region.start_column), (9, 3));
        assert_eq!(run.results[1].message.text, "renews");
    }

    #[test]
    fn the_same_problem_elsewhere_or_on_another_line() {
        let paths = PathDisplay::new(Path::new("registry"));
        let fp = |d: Diagnostic| {
            log(&[d], &paths).runs[0].results[0].partial_fingerprints[FINGERPRINT_KEY].clone()
        };
        let a = fp(diag(
            Code::ReviewOverdue,
            "vendors/a/vendor.toml",
            4,
            "overdue",
        ));
        assert_eq!(
            a,
            fp(diag(
                Code::ReviewOverdue,
                "vendors/a/vendor.toml",
                40,
                "overdue"
            ))
        );
        assert_ne!(
            a,
            fp(diag(
                Code::ReviewOverdue,
                "vendors/b/vendor.toml",
                4,
                "overdue"
            ))
        );
    }

    #[test]
    fn paths_become_uri_references() {
        let rel = artifact_location("reg dir/vendors/ä#1/vendor.toml");
        assert_eq!(rel.uri, "reg%20dir/vendors/%C3%A4%231/vendor.toml");
        assert_eq!(rel.uri_base_id, Some("%SRCROOT%"));
        let abs = artifact_location("/srv/reg/vendor.toml");
        assert_eq!(abs.uri, "file:///srv/reg/vendor.toml");
        assert_eq!(abs.uri_base_id, None);
    }

    #[test]
    fn the_log_is_sarif_2_1_0_json() {
        let diags = [diag(Code::ReviewOverdue, "vendors/a/vendor.toml", 1, "x")];
        let v = serde_json::to_value(log(&diags, &PathDisplay::new(Path::new(".")))).unwrap();
        assert_eq!(v["version"], "2.1.0");
        assert_eq!(v["runs"][0]["columnKind"], "unicodeCodePoints");
        assert_eq!(v["runs"][0]["tool"]["driver"]["name"], "vetted");
        assert_eq!(v["runs"][0]["results"][0]["ruleId"], "E1301");
        assert_eq!(
            v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"],
            "%SRCROOT%"
        );
        assert!(v["runs"][0]["results"][0]["partialFingerprints"]["vetted/v1"].is_string());
    }
}
