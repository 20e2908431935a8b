//! The JUnit format: JUnit XML (README, "Output formats"), the test report
//! CI systems (GitLab `artifacts: reports: junit`, Jenkins, Azure
//! Pipelines…) display as a list of passed and failed tests.
//!
//! A test suite per vendor (named by its slug, with its decision as a
//! property), plus one named `registry` for the policy files and anything
//! else outside a vendor folder; in each, a test case per diagnostic code
//! raised there (named by code and title), or one passing case when there
//! is none. A code with an error is a failed case: its `<failure>` has the
//! first error's message, the code as its type, and every diagnostic as a
//! `path:line:column: severity: message` line with its help. Warnings and
//! notes do not fail a CI test report: their cases pass with the same lines
//! in `<system-out>`, which consumers show with the case (`<skipped>` would
//! read as "not checked", which they were). Counts are of test cases.
//!
//! Text is escaped for XML, and characters XML 1.0 forbids are replaced
//! (`render::theme::xml_escape`, as the Atom feed does), after registry text
//! was made printable (`report::printable`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;

use super::{PathDisplay, printable};
use crate::CheckReport;
use crate::console::visible;
use crate::diag::{Diagnostic, Severity, code_title};
use crate::render::theme::xml_escape;

/// The name of the suite for diagnostics outside a vendor folder.
pub const REGISTRY_SUITE: &str = "registry";

/// The whole report: `<testsuites>`.
#[derive(Debug)]
pub struct TestSuites {
    pub suites: Vec<TestSuite>,
}

/// One `<testsuite>`: a vendor, or the registry's own files.
#[derive(Debug)]
pub struct TestSuite {
    pub name: String,
    pub properties: Vec<(&'static str, String)>,
    pub cases: Vec<TestCase>,
}

/// One `<testcase>`: a diagnostic code in a suite.
#[derive(Debug)]
pub struct TestCase {
    pub name: String,
    pub classname: String,
    pub failure: Option<Failure>,
    pub system_out: Option<String>,
}

/// A `<failure>`: the first error's message, the code, every diagnostic.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub kind: &'static str,
    pub text: String,
}

impl TestSuite {
    pub fn tests(&self) -> usize {
        self.cases.len()
    }
    pub fn failures(&self) -> usize {
        self.cases.iter().filter(|c| c.failure.is_some()).count()
    }
}

impl TestSuites {
    pub fn tests(&self) -> usize {
        self.suites.iter().map(TestSuite::tests).sum()
    }
    pub fn failures(&self) -> usize {
        self.suites.iter().map(TestSuite::failures).sum()
    }
}

/// Which suite a diagnostic belongs to: the vendor whose folder holds its
/// file, else the registry.
fn suite_of(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("vendors/")?;
    let (slug, _) = rest.split_once('/')?;
    Some(slug)
}

/// The report for `report`.
pub fn suites(report: &CheckReport, paths: &PathDisplay) -> TestSuites {
    // Vendor slug -> its decision, for every vendor vetted knows of.
    let mut vendors: BTreeMap<String, Option<&'static str>> = BTreeMap::new();
    if let Some(a) = &report.assessment {
        for v in &a.vendors {
            vendors.insert(v.slug.clone(), Some(v.decision.value.as_str()));
        }
    }
    for slug in &report.checked.not_assessed {
        vendors.entry(slug.clone()).or_insert(Some("not-assessed"));
    }
    // Suite (None: the registry) -> code -> diagnostics.
    type ByCode<'a> = BTreeMap<&'static str, Vec<&'a Diagnostic>>;
    let mut grouped: BTreeMap<Option<String>, ByCode<'_>> = BTreeMap::new();
    grouped.insert(None, BTreeMap::new());
    for slug in vendors.keys() {
        grouped.insert(Some(slug.clone()), BTreeMap::new());
    }
    for d in &report.diagnostics {
        let key = suite_of(&d.loc.path).map(str::to_owned);
        grouped
            .entry(key)
            .or_default()
            .entry(d.code)
            .or_default()
            .push(d);
    }
    let suites = grouped
        .into_iter()
        .map(|(slug, codes)| {
            let name = match &slug {
                Some(s) => visible(s, false).into_owned(),
                None => REGISTRY_SUITE.to_owned(),
            };
            let mut properties = Vec::new();
            if let Some(Some(decision)) = slug.as_ref().and_then(|s| vendors.get(s)) {
                properties.push(("decision", (*decision).to_owned()));
            }
            let mut cases: Vec<TestCase> = codes
                .into_iter()
                .map(|(code, diags)| case(&name, code, &diags, paths))
                .collect();
            if cases.is_empty() {
                let what = if slug.is_some() {
                    "vendor"
                } else {
                    "policy files"
                };
                cases.push(TestCase {
                    name: format!("{what}: no diagnostics"),
                    classname: name.clone(),
                    failure: None,
                    system_out: None,
                });
            }
            TestSuite {
                name,
                properties,
                cases,
            }
        })
        .collect();
    TestSuites { suites }
}

/// The case for one code in one suite.
fn case(suite: &str, code: &'static str, diags: &[&Diagnostic], paths: &PathDisplay) -> TestCase {
    let mut text = String::new();
    let mut first_error = None;
    for raw in diags {
        let d = &*printable(raw);
        if first_error.is_none() && d.severity == Severity::Error {
            first_error = Some(d.message.clone());
        }
        let _ = writeln!(
            text,
            "{}:{}:{}: {}: {}",
            paths.show(&visible(&d.loc.path, false)),
            d.loc.line,
            d.loc.column,
            d.severity.as_str(),
            d.message
        );
        if let Some(h) = &d.help {
            for line in h.lines() {
                let _ = writeln!(text, "    help: {line}");
            }
        }
    }
    let name = format!("{code} {}", code_title(code));
    match first_error {
        Some(message) => TestCase {
            name,
            classname: suite.to_owned(),
            failure: Some(Failure {
                message,
                kind: code,
                text,
            }),
            system_out: None,
        },
        None => TestCase {
            name,
            classname: suite.to_owned(),
            failure: None,
            system_out: Some(text),
        },
    }
}

/// The XML document.
pub fn xml(s: &TestSuites) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"vetted\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">",
        s.tests(),
        s.failures()
    );
    for suite in &s.suites {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">",
            xml_escape(&suite.name),
            suite.tests(),
            suite.failures()
        );
        if !suite.properties.is_empty() {
            out.push_str("    <properties>\n");
            for (k, v) in &suite.properties {
                let _ = writeln!(
                    out,
                    "      <property name=\"{}\" value=\"{}\"/>",
                    xml_escape(k),
                    xml_escape(v)
                );
            }
            out.push_str("    </properties>\n");
        }
        for c in &suite.cases {
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"{}\"",
                xml_escape(&c.name),
                xml_escape(&c.classname)
            );
            if c.failure.is_none() && c.system_out.is_none() {
                out.push_str("/>\n");
                continue;
            }
            out.push_str(">\n");
            if let Some(f) = &c.failure {
                let _ = writeln!(
                    out,
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                    xml_escape(&f.message),
                    xml_escape(f.kind),
                    xml_escape(&f.text)
                );
            }
            if let Some(o) = &c.system_out {
                let _ = writeln!(out, "      <system-out>{}</system-out>", xml_escape(o));
            }
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Write the document.
pub fn write(report: &CheckReport, paths: &PathDisplay, out: &mut dyn io::Write) -> io::Result<()> {
    out.write_all(xml(&suites(report, paths)).as_bytes())
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::*;
    use crate::diag::{Code, Loc};

    #[test]
    fn a_diagnostic_belongs_to_its_vendor_folder_or_the_registry() {
        assert_eq!(suite_of("vendors/acme/vendor.toml"), Some("acme"));
        assert_eq!(suite_of("vendors/acme/sub/x.toml"), Some("acme"));
        assert_eq!(suite_of("vendors/acme"), None);
        assert_eq!(suite_of("vetted.toml"), None);
        assert_eq!(suite_of("tiers.toml"), None);
    }

    fn diag(code: Code, message: &str) -> Diagnostic {
        let mut loc = Loc::file(&Arc::from("vendors/a/vendor.toml"));
        loc.line = 5;
        loc.column = 2;
        Diagnostic::new(code, loc, message).help("do <this> & that")
    }

    #[test]
    fn errors_fail_their_case_and_other_severities_pass_with_output() {
        let paths = PathDisplay::new(Path::new("reg"));
        let e1 = diag(Code::ReviewOverdue, "first");
        let e2 = diag(Code::ReviewOverdue, "second");
        let failed = case("a", "E1301", &[&e1, &e2], &paths);
        let f = failed.failure.as_ref().unwrap();
        assert_eq!(f.message, "first");
        assert_eq!(f.kind, "E1301");
        assert_eq!(
            f.text,
            "reg/vendors/a/vendor.toml:5:2: error: first\n    help: do <this> & that\n\
             reg/vendors/a/vendor.toml:5:2: error: second\n    help: do <this> & that\n"
        );
        assert_eq!(failed.name, "E1301 reassessment is overdue");
        let w = diag(Code::NeverAssessed, "never");
        let passed = case("a", "E1303", &[&w], &paths);
        assert!(passed.failure.is_none());
        assert!(passed.system_out.unwrap().contains("warning: never"));
    }

    #[test]
    fn the_document_escapes_text_and_counts_cases() {
        let suites = TestSuites {
            suites: vec![TestSuite {
                name: "a\"<b>".into(),
                properties: vec![("decision", "not-approved".into())],
                cases: vec![
                    TestCase {
                        name: "E1301 x".into(),
                        classname: "a".into(),
                        failure: Some(Failure {
                            message: "m & \"q\" \u{1}".into(),
                            kind: "E1301",
                            text: "]]> <x>\n".into(),
                        }),
                        system_out: None,
                    },
                    TestCase {
                        name: "E1303 y".into(),
                        classname: "a".into(),
                        failure: None,
                        system_out: Some("'ok'\u{FFFF}".into()),
                    },
                ],
            }],
        };
        assert_eq!((suites.tests(), suites.failures()), (2, 1));
        let x = xml(&suites);
        assert!(x.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"vetted\" tests=\"2\" failures=\"1\""));
        assert!(x.contains("<testsuite name=\"a&quot;&lt;b&gt;\" tests=\"2\" failures=\"1\""));
        assert!(x.contains("<property name=\"decision\" value=\"not-approved\"/>"));
        assert!(x.contains(
            "<failure message=\"m &amp; &quot;q&quot; \u{FFFD}\" type=\"E1301\">]]&gt; &lt;x&gt;\n</failure>"
        ));
        assert!(x.contains("<system-out>&apos;ok&apos;\u{FFFD}</system-out>"));
        assert!(x.ends_with("</testsuites>\n"));
    }
}
