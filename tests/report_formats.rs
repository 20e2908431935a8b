//! `check --format sarif|junit|gitlab` read by independent consumers: the
//! SARIF log validated against OASIS's SARIF 2.1.0 schema, the GitLab Code
//! Quality report against a schema of GitLab's documented fields (both with
//! the Python `jsonschema` package), the JUnit XML parsed by `junitparser`;
//! each compared with `--format json`. Also `--output`, stable
//! fingerprints, and hostile registry text.
//!
//! The validators run in `target/pyvenv`, installed by
//! `scripts/install-test-deps` (which `scripts/test` runs first). Without it
//! these tests fail, saying so: they are never skipped.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Run, vetted};
use serde_json::Value;

const TODAY: &str = "2026-11-29";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run `tests/python/<script>` on `report`: its JSON summary, or its error.
fn validate(script: &str, report: &Path) -> Result<Value, String> {
    let out = Command::new(common::test_python())
        .arg(root().join("tests/python").join(script))
        .arg(report)
        .output()
        .expect("run the validator");
    if out.status.success() {
        Ok(serde_json::from_slice(&out.stdout).expect("validator summary"))
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

fn valid(script: &str, report: &Path) -> Value {
    validate(script, report)
        .unwrap_or_else(|e| panic!("{script} rejects {}:\n{e}", report.display()))
}

/// `check` in `dir` on `registry` in `format`, written with `--output` into
/// `out`; gives the run (its stdout is the human report) and the file.
fn check_to(dir: &Path, registry: &str, format: &str, out: &Path) -> (Run, String) {
    let run = vetted(
        dir,
        &[
            "check",
            "--registry",
            registry,
            "--today",
            TODAY,
            "--format",
            format,
            "--output",
            out.to_str().unwrap(),
        ],
    );
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    let text = fs::read_to_string(out).unwrap();
    (run, text)
}

fn check_stdout(dir: &Path, registry: &str, format: &str) -> Run {
    vetted(
        dir,
        &[
            "check",
            "--registry",
            registry,
            "--today",
            TODAY,
            "--format",
            format,
        ],
    )
}

/// The JSON report's diagnostics.
fn json_diagnostics(dir: &Path, registry: &str) -> Vec<Value> {
    let run = check_stdout(dir, registry, "json");
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    doc["diagnostics"].as_array().unwrap().clone()
}

#[test]
fn the_example_registry_in_every_ci_format_is_accepted_by_its_validator() {
    let tmp = tempfile::tempdir().unwrap();
    let diags = json_diagnostics(&root(), "registry");
    assert!(diags.len() > 50, "the example shows many diagnostics");
    let human = check_stdout(&root(), "registry", "human");

    // SARIF: OASIS schema; one result per diagnostic, a rule per code used.
    let file = tmp.path().join("vetted.sarif");
    let (run, _) = check_to(&root(), "registry", "sarif", &file);
    assert_eq!(
        run.stdout, human.stdout,
        "--output leaves the human report on stdout"
    );
    assert_eq!(run.code, human.code, "--output leaves the exit code alone");
    let sarif = valid("validate_sarif.py", &file);
    assert_eq!(sarif["results"], diags.len());
    let codes: BTreeSet<&str> = diags.iter().map(|d| d["code"].as_str().unwrap()).collect();
    let rules: BTreeSet<&str> = sarif["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert_eq!(rules, codes);
    let count = |sev: &str| diags.iter().filter(|d| d["severity"] == sev).count();
    for level in ["error", "warning", "note"] {
        assert_eq!(sarif["levels"][level], count(level), "{level}");
    }

    // GitLab Code Quality: error major, warning minor, note info.
    let file = tmp.path().join("gl-code-quality-report.json");
    check_to(&root(), "registry", "gitlab", &file);
    let gitlab = valid("validate_gitlab.py", &file);
    assert_eq!(gitlab["issues"], diags.len());
    assert_eq!(gitlab["severities"]["major"], count("error"));
    assert_eq!(gitlab["severities"]["minor"], count("warning"));
    assert_eq!(gitlab["severities"]["info"], count("note"));

    // JUnit: per vendor, a case per code, failed where it has an error.
    let file = tmp.path().join("vetted-junit.xml");
    check_to(&root(), "registry", "junit", &file);
    let junit = valid("validate_junit.py", &file);
    let mut expected: BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> = BTreeMap::new();
    for d in &diags {
        let path = d["path"].as_str().unwrap();
        let suite = path
            .strip_prefix("registry/vendors/")
            .and_then(|r| r.split_once('/'))
            .map_or("registry", |(slug, _)| slug);
        let e = expected.entry(suite.to_owned()).or_default();
        let code = d["code"].as_str().unwrap().to_owned();
        if d["severity"] == "error" {
            e.1.insert(code.clone());
        }
        e.0.insert(code);
    }
    let doc: Value =
        serde_json::from_str(&check_stdout(&root(), "registry", "json").stdout).unwrap();
    let suites = junit["suites"].as_object().unwrap();
    // Every vendor has its suite (15), plus the registry's.
    assert_eq!(suites.len(), 16, "{:?}", suites.keys().collect::<Vec<_>>());
    for v in doc["vendors"].as_array().unwrap() {
        let slug = v["slug"].as_str().unwrap();
        assert_eq!(suites[slug]["decision"], v["decision"]["value"], "{slug}");
    }
    let mut failures = 0;
    let mut tests = 0;
    for (name, s) in suites {
        let (cases, failed) = expected.remove(name).unwrap_or_default();
        let strings = |v: &Value| -> BTreeSet<String> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap().to_owned())
                .collect()
        };
        let got_cases = strings(&s["cases"]);
        if cases.is_empty() {
            // One passing case says the suite was checked.
            assert_eq!(got_cases.len(), 1, "{name}");
            assert!(s["failed"].as_array().unwrap().is_empty());
        } else {
            assert_eq!(got_cases, cases, "{name}");
        }
        assert_eq!(strings(&s["failed"]), failed, "{name}");
        failures += failed.len();
        tests += got_cases.len();
    }
    assert!(
        expected.is_empty(),
        "diagnostics outside every suite: {expected:?}"
    );
    assert_eq!(junit["failures"], failures);
    assert_eq!(junit["tests"], tests);
    assert!(failures > 0);
}

#[test]
fn the_validators_reject_a_broken_report() {
    // The checks have teeth: a report missing a required field fails.
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("r.sarif");
    let (_, text) = check_to(&root(), "registry", "sarif", &file);
    let mut log: Value = serde_json::from_str(&text).unwrap();
    log["runs"][0]["results"][0]["level"] = "fatal".into();
    fs::write(&file, log.to_string()).unwrap();
    assert!(validate("validate_sarif.py", &file).is_err());

    let file = tmp.path().join("r.json");
    let (_, text) = check_to(&root(), "registry", "gitlab", &file);
    let mut report: Value = serde_json::from_str(&text).unwrap();
    report[0]["location"]
        .as_object_mut()
        .unwrap()
        .remove("lines");
    fs::write(&file, report.to_string()).unwrap();
    assert!(validate("validate_gitlab.py", &file).is_err());

    let file = tmp.path().join("r.xml");
    let (_, text) = check_to(&root(), "registry", "junit", &file);
    fs::write(&file, text.replacen("failures=\"", "failures=\"1", 1)).unwrap();
    assert!(validate("validate_junit.py", &file).is_err());
}

/// The hostile fixture, its CloudSched vendor renamed to every kind of
/// trouble for a report: a terminal escape, XML markup and a CDATA end, NUL
/// and C1 controls, a non-character, a line break followed by a workflow
/// command, the legacy command form and a bidirectional override. The
/// vendor's name starts its diagnostics' messages.
fn hostile() -> tempfile::TempDir {
    let tmp = common::registry("hostile", None);
    let file = tmp.path().join("reg/vendors/cloudsched/vendor.toml");
    let text = fs::read_to_string(&file).unwrap();
    let name = r#"name = "Cloud\u001b[31mSched ]]> <x a='1'> &amp; \u0000 \u0085 \uFFFE\n::error::pwned ##[group]x \u202e""#;
    assert!(text.starts_with("name = \"CloudSched\""));
    fs::write(&file, text.replacen("name = \"CloudSched\"", name, 1)).unwrap();
    tmp
}

#[test]
fn hostile_text_stays_inert_and_well_formed_in_every_ci_format() {
    let tmp = hostile();
    for (format, script) in [
        ("sarif", "validate_sarif.py"),
        ("junit", "validate_junit.py"),
        ("gitlab", "validate_gitlab.py"),
    ] {
        // Standard output, as a CI log shows it, and the --output file.
        let run = check_stdout(tmp.path(), "reg", format);
        let file = tmp.path().join(format!("report.{format}"));
        let (_, text) = check_to(tmp.path(), "reg", format, &file);
        assert_eq!(run.stdout, text, "{format}: stdout and --output agree");
        assert!(text.contains("Sched"), "{format}: the vendor is reported");
        for c in text.chars() {
            assert!(
                !(c == '\u{202e}' || (c.is_control() && c != '\n')),
                "{format}: raw {c:?} in the report"
            );
        }
        for line in text.lines() {
            assert!(!line.trim_start().starts_with("::"), "{format}: {line}");
            assert!(!line.contains("##["), "{format}: {line}");
        }
        valid(script, &file);
    }
    // The XML parser reads the markup back as text.
    let file = tmp.path().join("report.junit");
    let junit = valid("validate_junit.py", &file);
    let out = junit["suites"]["cloudsched"]["system_out"]
        .as_str()
        .unwrap();
    assert!(out.contains("]]> <x a='1'> &amp; "), "{out}");
    assert!(!out.contains('\u{FFFE}'));
}

#[test]
fn fingerprints_survive_runs_and_moved_lines() {
    let tmp = hostile();
    let fingerprints = |format: &str| -> Vec<(String, u64)> {
        let file = tmp.path().join(format!("fp.{format}"));
        let (_, text) = check_to(tmp.path(), "reg", format, &file);
        let v: Value = serde_json::from_str(&text).unwrap();
        if format == "sarif" {
            v["runs"][0]["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    (
                        r["partialFingerprints"]["vetted/v1"]
                            .as_str()
                            .unwrap()
                            .to_owned(),
                        r["locations"][0]["physicalLocation"]["region"]["startLine"]
                            .as_u64()
                            .unwrap(),
                    )
                })
                .collect()
        } else {
            v.as_array()
                .unwrap()
                .iter()
                .map(|i| {
                    (
                        i["fingerprint"].as_str().unwrap().to_owned(),
                        i["location"]["lines"]["begin"].as_u64().unwrap(),
                    )
                })
                .collect()
        }
    };
    let before = [fingerprints("sarif"), fingerprints("gitlab")];
    assert!(!before[0].is_empty());
    assert_eq!(
        before,
        [fingerprints("sarif"), fingerprints("gitlab")],
        "same run, same fingerprints"
    );
    // Three comment lines on top of the file move every line down.
    let file = tmp.path().join("reg/vendors/cloudsched/vendor.toml");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(&file, format!("# a\n# b\n# c\n{text}")).unwrap();
    let after = [fingerprints("sarif"), fingerprints("gitlab")];
    for (b, a) in before.iter().zip(&after) {
        let fp = |v: &Vec<(String, u64)>| v.iter().map(|(f, _)| f.clone()).collect::<Vec<_>>();
        assert_eq!(fp(b), fp(a), "fingerprints do not hold the line");
        let lines = |v: &Vec<(String, u64)>| v.iter().map(|(_, l)| *l).collect::<Vec<_>>();
        assert_eq!(
            lines(a),
            lines(b).iter().map(|l| l + 3).collect::<Vec<_>>(),
            "the lines moved"
        );
    }
}

#[test]
fn output_replaces_the_file_whole_and_leaves_nothing_beside_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("reports");
    fs::create_dir(&dir).unwrap();
    let file = dir.join("vetted.sarif");
    fs::write(&file, "old").unwrap();
    check_to(&root(), "registry", "sarif", &file);
    let names: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["vetted.sarif"], "no temporary file left");
    assert!(fs::read_to_string(&file).unwrap().starts_with('{'));

    // A folder that does not exist: an error (exit 2), nothing written.
    let missing = tmp.path().join("nope/vetted.sarif");
    let run = vetted(
        &root(),
        &[
            "check",
            "--today",
            TODAY,
            "--format",
            "junit",
            "--output",
            missing.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("cannot create"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
}
