//! One invalid fixture per validation diagnostic code: each must report its
//! code at a location, exit with the documented code, and match its snapshot.

mod common;

use std::fs;

use common::{Case, registry, vetted};
use vetted::diag::{Code, Severity};

const TODAY: &str = "2026-11-22";

/// Cases from `fixtures/invalid` (data contract) and `fixtures/assess` (assessment rules).
fn cases() -> Vec<(String, Case)> {
    let mut cases: Vec<(String, Case)> = ["invalid", "assess"]
        .iter()
        .flat_map(|dir| fs::read_dir(common::fixtures().join(dir)).unwrap())
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            (name, Case::read(&e.path().join("case.toml")))
        })
        .collect();
    cases.sort_by(|a, b| a.0.cmp(&b.0));
    cases
}

#[test]
fn the_minimal_fixture_is_clean() {
    let tmp = registry("minimal", None);
    let run = vetted(
        tmp.path(),
        &["check", "--registry", "reg", "--today", TODAY],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("checked 2 vendors: 0 errors"),
        "{}",
        run.stdout
    );
}

#[test]
fn every_invalid_fixture_reports_its_code() {
    for (name, case) in cases() {
        let code = &name[..5];
        let tmp = registry("minimal", Some(&case));
        let run = vetted(
            tmp.path(),
            &["check", "--registry", "reg", "--today", TODAY],
        );
        let severity = Code::ALL
            .iter()
            .find(|c| c.id() == code)
            .unwrap_or_else(|| panic!("{name}: no such code"))
            .severity();
        let expected_exit = i32::from(severity == Severity::Error);
        assert_eq!(
            run.code, expected_exit,
            "{name}: exit code\n{}{}",
            run.stdout, run.stderr
        );
        // The code appears on a located first line: reg/<path>:<line>:<col>: <severity>[<code>]
        let located = run.stdout.lines().any(|l| {
            l.starts_with("reg/") && l.contains(&format!("[{code}]:")) && {
                let mut parts = l.splitn(4, ':');
                let (_path, line, col) = (parts.next(), parts.next(), parts.next());
                line.is_some_and(|x| x.parse::<u32>().is_ok())
                    && col.is_some_and(|x| x.parse::<u32>().is_ok())
            }
        });
        assert!(
            located,
            "{name}: no located {code} diagnostic in\n{}",
            run.stdout
        );
        insta::assert_snapshot!(
            name.clone(),
            format!("# {}\n{}", case.description, run.stdout)
        );

        // With --fail-on warning, any warning or error fails the run; notes never do.
        let strict = vetted(
            tmp.path(),
            &[
                "check",
                "--registry",
                "reg",
                "--today",
                TODAY,
                "--fail-on",
                "warning",
            ],
        );
        assert_eq!(
            strict.code,
            i32::from(severity >= Severity::Warning),
            "{name}: --fail-on warning"
        );
    }
}

#[test]
fn every_code_has_a_fixture() {
    let names: Vec<String> = cases().into_iter().map(|(n, _)| n).collect();
    for code in Code::ALL {
        assert!(
            names.iter().any(|n| n.starts_with(code.id())),
            "no fixture for {} ({})",
            code.id(),
            code.title()
        );
    }
}

#[test]
fn json_and_github_formats_carry_locations() {
    let case = cases()
        .into_iter()
        .find(|(n, _)| n.starts_with("E0102"))
        .unwrap()
        .1;
    let tmp = registry("minimal", Some(&case));
    let json = vetted(
        tmp.path(),
        &[
            "check",
            "--registry",
            "reg",
            "--today",
            TODAY,
            "--format",
            "json",
        ],
    );
    assert_eq!(json.code, 1);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "E0102");
    assert_eq!(d["path"], "reg/vendors/acme-infusion/vendor.toml");
    assert_eq!(d["line"], 26);
    assert_eq!(d["column"], 1);
    assert_eq!(v["summary"]["errors"], 1);

    let gh = vetted(
        tmp.path(),
        &[
            "check",
            "--registry",
            "reg",
            "--today",
            TODAY,
            "--format",
            "github",
        ],
    );
    assert_eq!(gh.code, 1);
    assert!(
        gh.stdout.starts_with("::error file=reg/vendors/acme-infusion/vendor.toml,line=26,col=1,title=E0102 unknown key::unknown field `audit_right`"),
        "{}",
        gh.stdout
    );
}

#[test]
fn usage_and_io_errors_exit_2() {
    let tmp = registry("minimal", None);
    let missing = vetted(tmp.path(), &["check", "--registry", "nowhere"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("no registry at nowhere"),
        "{}",
        missing.stderr
    );
    let bad_date = vetted(
        tmp.path(),
        &["check", "--registry", "reg", "--today", "2026-02-30"],
    );
    assert_eq!(bad_date.code, 2);
    let bad_flag = vetted(
        tmp.path(),
        &["check", "--registry", "reg", "--format", "xml"],
    );
    assert_eq!(bad_flag.code, 2);
}

#[test]
fn no_color_and_pipes_get_plain_text() {
    let case = cases()
        .into_iter()
        .find(|(n, _)| n.starts_with("E0101"))
        .unwrap()
        .1;
    let tmp = registry("minimal", Some(&case));
    let run = vetted(tmp.path(), &["check", "--registry", "reg"]);
    assert!(!run.stdout.contains('\x1b'), "escape codes in piped output");
}

#[test]
fn the_readme_documents_every_code() {
    let readme = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for code in Code::ALL {
        assert!(
            readme.contains(&format!("| {} |", code.id())),
            "README lacks {}",
            code.id()
        );
    }
}

#[test]
fn a_broken_policy_still_reports_every_vendor_file_problem() {
    // Vendors are read in the same parallel task that validates them; with no
    // valid policy to validate against they must still be read and reported.
    let tmp = registry("minimal", None);
    let reg = tmp.path().join("reg");
    let questionnaire = reg.join("questionnaire.toml");
    let text = fs::read_to_string(&questionnaire).unwrap();
    assert!(text.contains("when = \"older_than_months\""));
    fs::write(
        &questionnaire,
        text.replacen("when = \"older_than_months\"", "when = \"contains\"", 1),
    )
    .unwrap();
    fs::write(
        reg.join("vendors/cloudsched/findings.toml"),
        "this is = = not toml\n",
    )
    .unwrap();
    let run = vetted(
        tmp.path(),
        &["check", "--registry", "reg", "--today", TODAY],
    );
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("questionnaire.toml"), "{}", run.stdout);
    assert!(run.stdout.contains("[E0501]"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("reg/vendors/cloudsched/findings.toml:1:"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("[E0101]"), "{}", run.stdout);
}
