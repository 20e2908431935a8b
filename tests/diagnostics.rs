//! One invalid fixture per diagnostic code: each must report its code at
//! exactly the locations its case lists, exit with the documented code, and
//! match its snapshot. Every case is its own test.

mod common;

use std::fs;

use common::{Case, registry, vetted, vetted_colour};
use vetted::diag::{Code, Severity};

const TODAY: &str = "2026-11-22";

/// One `#[test]` per fixture case, so a failing case hides no other; `CASES`
/// lists them for the tests over all cases, and
/// `the_case_list_matches_the_fixture_folders` keeps the list complete.
macro_rules! fixture_cases {
    ($($test:ident => $dir:literal,)+) => {
        const CASES: &[&str] = &[$($dir,)+];
        $(
            #[test]
            fn $test() {
                check_case($dir);
            }
        )+
    };
}

// Cases from `fixtures/invalid` (data contract) and `fixtures/assess` (assessment rules).
fixture_cases! {
    e0001_not_utf8 => "invalid/E0001-not-utf8",
    e0002_byte_order_mark => "invalid/E0002-byte-order-mark",
    e0003_too_large => "invalid/E0003-too-large",
    e0004_unreadable => "invalid/E0004-unreadable",
    e0101_toml_syntax => "invalid/E0101-toml-syntax",
    e0102_two_unknown_keys => "invalid/E0102-two-unknown-keys",
    e0102_unknown_key => "invalid/E0102-unknown-key",
    e0103_wrong_type => "invalid/E0103-wrong-type",
    e0104_missing_key => "invalid/E0104-missing-key",
    e0105_impossible_date => "invalid/E0105-impossible-date",
    e0106_finding_two_bad_values => "invalid/E0106-finding-two-bad-values",
    e0106_two_bad_values => "invalid/E0106-two-bad-values",
    e0106_value_not_allowed => "invalid/E0106-value-not-allowed",
    e0201_bad_slug => "invalid/E0201-bad-slug",
    e0202_duplicate_slug => "invalid/E0202-duplicate-slug",
    e0203_missing_file => "invalid/E0203-missing-file",
    e0204_unknown_file => "invalid/E0204-unknown-file",
    e0301_unknown_question => "invalid/E0301-unknown-question",
    e0302_outside_options => "invalid/E0302-outside-options",
    e0303_answer_type => "invalid/E0303-answer-type",
    e0304_duplicate_id => "invalid/E0304-duplicate-id",
    e0305_partial_assessment => "invalid/E0305-partial-assessment",
    e0305_unknown_reference => "invalid/E0305-unknown-reference",
    e0305_unknown_subject => "invalid/E0305-unknown-subject",
    e0401_path_escapes => "invalid/E0401-path-escapes",
    e0401_symlink_escapes => "invalid/E0401-symlink-escapes",
    e0402_file_not_found => "invalid/E0402-file-not-found",
    e0403_checksum_mismatch => "invalid/E0403-checksum-mismatch",
    e0404_link_scheme => "invalid/E0404-link-scheme",
    e0405_evidence_file_type => "invalid/E0405-evidence-file-type",
    e0406_evidence_file_too_large => "invalid/E0406-evidence-file-too-large",
    e0501_invalid_policy => "invalid/E0501-invalid-policy",
    e1001_artifact_expired => "assess/E1001-artifact-expired",
    e1002_artifact_expiring => "assess/E1002-artifact-expiring",
    e1003_artifact_missing => "assess/E1003-artifact-missing",
    e1004_artifact_stale => "assess/E1004-artifact-stale",
    e1005_bridge_rejected => "assess/E1005-bridge-rejected",
    e1006_surveillance_overdue => "assess/E1006-surveillance-overdue",
    e1007_interim_missing => "assess/E1007-interim-missing",
    e1008_artifact_not_accepted => "assess/E1008-artifact-not-accepted",
    e1009_artifact_undated => "assess/E1009-artifact-undated",
    e1010_dates_out_of_order => "assess/E1010-dates-out-of-order",
    e1011_future_date => "assess/E1011-future-date",
    e1012_scope_excluded => "assess/E1012-scope-excluded",
    e1013_met_by_substitute => "assess/E1013-met-by-substitute",
    e1101_red_flag => "assess/E1101-red-flag",
    e1102_unanswered => "assess/E1102-unanswered",
    e1103_claim_without_evidence => "assess/E1103-claim-without-evidence",
    e1201_no_baa => "assess/E1201-no-baa",
    e1202_slow_breach_notice => "assess/E1202-slow-breach-notice",
    e1203_no_audit_rights => "assess/E1203-no-audit-rights",
    e1204_always_on_remote_access => "assess/E1204-always-on-remote-access",
    e1205_renewal_past => "assess/E1205-renewal-past",
    e1206_no_contract => "assess/E1206-no-contract",
    e1207_renewal_soon => "assess/E1207-renewal-soon",
    e1301_review_overdue => "assess/E1301-review-overdue",
    e1302_major_change => "assess/E1302-major-change",
    e1303_never_assessed => "assess/E1303-never-assessed",
    e1304_review_due_soon => "assess/E1304-review-due-soon",
    e1305_end_of_support => "assess/E1305-end-of-support",
    e1306_end_of_support_soon => "assess/E1306-end-of-support-soon",
    e1307_integration_since_review => "assess/E1307-integration-since-review",
    e1308_incident_since_review => "assess/E1308-incident-since-review",
    e1401_finding_overdue => "assess/E1401-finding-overdue",
    e1402_exception_expired => "assess/E1402-exception-expired",
    e1403_exception_expiring => "assess/E1403-exception-expiring",
    e1404_accepted => "assess/E1404-accepted",
    e1501_region_not_allowed => "assess/E1501-region-not-allowed",
    e1502_no_baa_flow_down => "assess/E1502-no-baa-flow-down",
    e1503_subprocessor_unassured => "assess/E1503-subprocessor-unassured",
    e1504_subprocessor_concentration => "assess/E1504-subprocessor-concentration",
}

/// The case folder's name (`E0102-unknown-key`) and its `case.toml`.
fn case(dir: &str) -> (String, Case) {
    let path = common::fixtures().join(dir);
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    (name, Case::read(&path.join("case.toml")))
}

fn cases() -> Vec<(String, Case)> {
    CASES.iter().map(|dir| case(dir)).collect()
}

/// Every `path:line:column` (path relative to the registry) at which `code`
/// is reported in human output, in output order. Paths may hold spaces and
/// colons, so the first line of a diagnostic is split at its severity.
fn locations(stdout: &str, code: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|l| {
            let (place, _) = ["error", "warning", "note"]
                .iter()
                .find_map(|sev| l.split_once(&format!(": {sev}[{code}]: ")))?;
            let place = place.strip_prefix("reg/")?;
            let mut parts = place.rsplitn(3, ':');
            let (col, line, path) = (parts.next()?, parts.next()?, parts.next()?);
            line.parse::<u32>().ok()?;
            col.parse::<u32>().ok()?;
            Some(place.to_string()).filter(|_| !path.is_empty())
        })
        .collect()
}

/// A case reports its code at exactly the places it lists, exits with the
/// documented code (also under `--fail-on warning`) and matches its snapshot.
fn check_case(dir: &str) {
    let (name, case) = case(dir);
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
    assert!(!case.at.is_empty(), "{name}: case.toml lists no `at`");
    assert_eq!(
        locations(&run.stdout, code),
        case.at,
        "{name}: where {code} is reported\n{}",
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

#[test]
fn the_case_list_matches_the_fixture_folders() {
    let mut folders: Vec<String> = ["invalid", "assess"]
        .iter()
        .flat_map(|kind| {
            fs::read_dir(common::fixtures().join(kind))
                .unwrap()
                .map(move |e| format!("{kind}/{}", e.unwrap().file_name().to_string_lossy()))
        })
        .collect();
    folders.sort();
    let mut listed: Vec<String> = CASES.iter().map(|c| c.to_string()).collect();
    listed.sort();
    assert_eq!(listed, folders, "add the case folder to fixture_cases!");
}

#[test]
fn locations_are_read_from_the_first_line_of_each_diagnostic() {
    let out = "reg/vendors/Cloud Sched:1:1: error[E0201]: `Cloud Sched` is not a valid slug\n\
               reg/vendors/a/vendor.toml:26:3: error[E0102]: unknown field\n\
               26 | audit_right = true [E0102]: \n\
               reg/vendors/a/vendor.toml:2:10: warning[E1101]: flag\n";
    assert_eq!(locations(out, "E0201"), ["vendors/Cloud Sched:1:1"]);
    assert_eq!(locations(out, "E0102"), ["vendors/a/vendor.toml:26:3"]);
    assert_eq!(locations(out, "E1101"), ["vendors/a/vendor.toml:2:10"]);
    assert!(locations(out, "E0103").is_empty());
}

/// Accepted risk everywhere: for every assessment case (the codes other
/// rules add later included, by their fixtures), an exception accepting
/// `rule:<code>` on the vendors the case reports turns each of its
/// diagnostics into an E1404 note at the same place. The exceptions' own
/// codes (E1402-E1404) cannot be named, which `validate` checks.
#[test]
fn rule_code_accepts_every_assessment_diagnostic() {
    let mut checked = 0;
    for (name, case) in cases() {
        let code = &name[..5];
        if !code.starts_with('E') || vetted::diag::is_data_contract(code) {
            continue;
        }
        if ["E1402", "E1403", "E1404"].contains(&code) {
            continue;
        }
        let tmp = registry("minimal", Some(&case));
        let slugs: std::collections::BTreeSet<&str> = case
            .at
            .iter()
            .filter_map(|at| at.strip_prefix("vendors/")?.split('/').next())
            .collect();
        assert!(!slugs.is_empty(), "{name}: reported on no vendor");
        for slug in slugs {
            let path = tmp
                .path()
                .join("reg/vendors")
                .join(slug)
                .join("exceptions.toml");
            let mut text = fs::read_to_string(&path).unwrap_or_default();
            text.push_str(&format!(
                "\n[[exception]]\nid = \"EX-RULE\"\naccepts = \"rule:{code}\"\nreason = \"accepted\"\n\
                 approver = \"CISO\"\napproved = 2026-01-01\nexpires = 2027-12-31\n"
            ));
            fs::write(&path, text).unwrap();
        }
        let run = vetted(
            tmp.path(),
            &["check", "--registry", "reg", "--today", TODAY],
        );
        assert!(
            locations(&run.stdout, code).is_empty(),
            "{name}: rule:{code} leaves its diagnostics\n{}",
            run.stdout
        );
        let accepted = locations(&run.stdout, "E1404");
        for at in &case.at {
            assert!(
                accepted.contains(at),
                "{name}: no accepted note at {at}\n{}",
                run.stdout
            );
        }
        assert!(
            run.stdout
                .contains(&format!("[{code} accepted by exception EX-RULE]")),
            "{name}\n{}",
            run.stdout
        );
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} assessment cases");
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
        .find(|(n, _)| n == "E0102-unknown-key")
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
fn pipes_and_no_color_get_plain_text_and_a_terminal_gets_colour() {
    let case = cases()
        .into_iter()
        .find(|(n, _)| n == "E0101-toml-syntax")
        .unwrap()
        .1;
    let tmp = registry("minimal", Some(&case));
    let args = ["check", "--registry", "reg"];
    // Colour is on for a terminal: this is what makes the checks below able to fail.
    let terminal = vetted_colour(tmp.path(), &args, false, true);
    assert!(terminal.stdout.contains("[E0101]"), "{}", terminal.stdout);
    assert!(
        terminal.stdout.contains('\x1b'),
        "no colour on a terminal:\n{}",
        terminal.stdout
    );
    let no_color = vetted_colour(tmp.path(), &args, true, true);
    assert!(no_color.stdout.contains("[E0101]"), "{}", no_color.stdout);
    assert!(
        !no_color.stdout.contains('\x1b'),
        "escape codes despite NO_COLOR"
    );
    let piped = vetted_colour(tmp.path(), &args, false, false);
    assert!(piped.stdout.contains("[E0101]"), "{}", piped.stdout);
    assert!(
        !piped.stdout.contains('\x1b'),
        "escape codes in piped output"
    );
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

/// Item 3 of issue 13: one data error must not hide the vendor's whole
/// assessment. The misspelt product leaves its SOC 2 out (E0305), and every
/// rule that does not depend on it still runs at its exact location; the
/// SOC 2 requirement is not called missing (E1003), since the artifact that
/// might meet it was left out; the summary and the JSON call the vendor
/// partially assessed.
#[test]
fn a_data_error_leaves_the_rest_of_the_vendor_assessed() {
    let (_, case) = case("invalid/E0305-partial-assessment");
    let tmp = registry("minimal", Some(&case));
    let run = vetted(
        tmp.path(),
        &["check", "--registry", "reg", "--today", TODAY],
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    for (code, at) in [
        ("E0305", "vendors/acme-infusion/artifacts.toml:7:11"),
        ("E1001", "vendors/acme-infusion/artifacts.toml:27:10"),
        ("E1004", "vendors/acme-infusion/artifacts.toml:14:11"),
        ("E1401", "vendors/acme-infusion/findings.toml:6:7"),
    ] {
        assert_eq!(locations(&run.stdout, code), [at], "{code}\n{}", run.stdout);
    }
    assert!(locations(&run.stdout, "E1003").is_empty(), "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "\nacme-infusion: not assessed: SOC 2 Type II report for SmartPump 4 (artifact 1 has data errors)\n"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.trim_end().ends_with(
            "checked 2 vendor folders: 1 assessed fully, 1 partially (data-contract errors: acme-infusion); 4 errors, 0 warnings, 1 note"
        ),
        "{}",
        run.stdout
    );

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
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["not_assessed"], serde_json::json!([]));
    assert_eq!(
        v["partially_assessed"],
        serde_json::json!([{
            "vendor": "acme-infusion",
            "left_out": [{
                "code": "E0305",
                "file": "reg/vendors/acme-infusion/artifacts.toml",
                "item": "artifact 1",
                "key": "artifact[0].covers",
                "message": "`SmartPunp 4` is not a product of this vendor",
            }],
        }])
    );

    // The build keeps refusing on the data-contract error.
    let build = vetted(
        tmp.path(),
        &[
            "build",
            "--registry",
            "reg",
            "--today",
            TODAY,
            "--out",
            "site",
        ],
    );
    assert_ne!(build.code, 0, "{}{}", build.stdout, build.stderr);
    assert!(
        format!("{}{}", build.stdout, build.stderr).contains("E0305"),
        "{}{}",
        build.stdout,
        build.stderr
    );
    assert!(!tmp.path().join("site").exists());
}

/// E0403's help gives the sha256 that matches: writing it in clears the
/// error (after the reviewer has checked the new file).
#[test]
fn the_checksum_hint_gives_the_value_that_matches() {
    let (_, case) = case("invalid/E0403-checksum-mismatch");
    let tmp = registry("minimal", Some(&case));
    let args = ["check", "--registry", "reg", "--today", TODAY];
    let run = vetted(tmp.path(), &args);
    let hint = run
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("help: the evidence file changed"))
        .unwrap_or_else(|| panic!("no checksum hint\n{}", run.stdout));
    let (_, value) = hint
        .split_once("set sha256 = \"")
        .expect("the hint names a value");
    let value = value.trim_end_matches('"');
    assert_eq!(value.len(), 64, "{hint}");
    let path = tmp.path().join("reg/vendors/acme-infusion/artifacts.toml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replace(&"0".repeat(64), value)).unwrap();
    let fixed = vetted(tmp.path(), &args);
    assert!(
        locations(&fixed.stdout, "E0403").is_empty(),
        "{}",
        fixed.stdout
    );
    assert_eq!(fixed.code, 0, "{}", fixed.stdout);
}
