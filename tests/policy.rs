//! Policy keys of vetted.toml and tiers.toml that used to be Rust literals:
//! their embedded defaults give today's behaviour, each key changes the rule
//! it names, and a bad value is reported where it is written.

use std::fs;
use std::path::{Path, PathBuf};

use vetted::diag::Diagnostic;
use vetted::{RegistryOptions, check};

fn minimal() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The minimal fixture with `edits` applied: (file, text to find, replacement).
fn registry(edits: &[(&str, &str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&minimal(), dir.path());
    for (file, find, replace) in edits {
        let path = dir.path().join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(find), "{file} has no {find:?}");
        fs::write(&path, text.replacen(find, replace, 1)).unwrap();
    }
    dir
}

fn appended(file: &str, text: &str) -> (String, String) {
    let old = fs::read_to_string(minimal().join(file)).unwrap();
    let last = old.lines().last().unwrap().to_string();
    (last.clone(), format!("{last}\n{text}"))
}

fn diagnostics(edits: &[(&str, &str, &str)]) -> Vec<Diagnostic> {
    let dir = registry(edits);
    let report = check(&RegistryOptions {
        registry: dir.path().to_path_buf(),
        today: "2026-11-22".parse().unwrap(),
    })
    .unwrap();
    report.diagnostics
}

fn with_code<'a>(ds: &'a [Diagnostic], code: &str) -> Vec<&'a Diagnostic> {
    ds.iter().filter(|d| d.code == code).collect()
}

/// What the embedded defaults hold, written out as a registry would.
const TIERS_DEFAULTS: &str = r#"
[review]
default_months = 12

[contract.baa]
factor = "phi_access"
exempt = ["none"]

[contract.remote_access]
factor = "remote_access"
refused = ["always-on"]
exempt = ["none"]
"#;

#[test]
fn todays_values_written_out_change_nothing() {
    let (tl, tn) = appended("tiers.toml", TIERS_DEFAULTS);
    let (vl, vn) = appended(
        "vetted.toml",
        "exception_warning_days = 30\nreview_warning_days = 30\n",
    );
    for edit in [
        (
            "vendors/acme-infusion/vendor.toml",
            "baa = true",
            "baa = false",
        ),
        (
            "vendors/acme-infusion/vendor.toml",
            "remote_access = \"time-bound\"",
            "remote_access = \"always-on\"",
        ),
        (
            "vendors/acme-infusion/vendor.toml",
            "last_assessed = 2026-03-10",
            "last_assessed = 2025-12-10",
        ),
    ] {
        let implicit = diagnostics(&[edit]);
        let explicit = diagnostics(&[edit, ("tiers.toml", &tl, &tn), ("vetted.toml", &vl, &vn)]);
        assert!(!implicit.is_empty());
        assert_eq!(implicit, explicit, "after {edit:?}");
    }
}

#[test]
fn the_baa_rule_reads_its_exempt_values_from_tiers_toml() {
    let no_baa = (
        "vendors/acme-infusion/vendor.toml",
        "baa = true",
        "baa = false",
    );
    let ds = diagnostics(&[no_baa]);
    let baa = with_code(&ds, "E1201");
    assert_eq!(baa.len(), 1);
    assert_eq!(
        baa[0].message,
        "Acme Infusion Systems accesses PHI (limited) but the contract has no BAA"
    );
    let (l, n) = appended(
        "tiers.toml",
        "[contract.baa]\nexempt = [\"none\", \"limited\"]\n",
    );
    let ds = diagnostics(&[no_baa, ("tiers.toml", &l, &n)]);
    assert!(
        with_code(&ds, "E1201").is_empty(),
        "limited PHI access is exempt"
    );
}

#[test]
fn the_remote_access_rule_reads_its_refused_values_from_tiers_toml() {
    let (l, n) = appended(
        "tiers.toml",
        "[contract.remote_access]\nrefused = [\"always-on\", \"time-bound\"]\n",
    );
    let ds = diagnostics(&[("tiers.toml", &l, &n)]);
    let refused = with_code(&ds, "E1204");
    assert_eq!(refused.len(), 1);
    assert_eq!(
        refused[0].message,
        "Acme Infusion Systems: tier 1 requires time-bound vendor remote access, not time-bound"
    );
    assert!(refused[0].loc.path.ends_with("acme-infusion/vendor.toml"));
    assert_eq!(refused[0].loc.line, 19, "at the profile's remote_access");
}

#[test]
fn the_review_windows_are_policy_keys() {
    // Due 2027-03-10, 108 days after today: a note only within review_warning_days.
    assert!(with_code(&diagnostics(&[]), "E1304").is_empty());
    let (l, n) = appended("vetted.toml", "review_warning_days = 120\n");
    let ds = diagnostics(&[("vetted.toml", &l, &n)]);
    assert_eq!(with_code(&ds, "E1304").len(), 1);
    // A tier without review_months takes [review] default_months.
    let (l, n) = appended("tiers.toml", "[review]\ndefault_months = 6\n");
    let ds = diagnostics(&[
        ("tiers.toml", "review_months = 12\n", ""),
        ("tiers.toml", &l, &n),
    ]);
    let overdue = with_code(&ds, "E1301");
    assert_eq!(overdue.len(), 1);
    assert_eq!(
        overdue[0].message,
        "Acme Infusion Systems: reassessment was due on 2026-09-10 (tier 1: every 6 months since 2026-03-10)"
    );
}

#[test]
fn bad_policy_values_are_reported_where_they_are_written() {
    let (l, n) = appended(
        "tiers.toml",
        "[review]\ndefault_months = 0\n\n[contract.baa]\nfactor = \"phi\"\n\n[contract.remote_access]\nexempt = [\"never\"]\n",
    );
    let (vl, vn) = appended("vetted.toml", "review_warning_days = -1\n");
    let ds = diagnostics(&[("tiers.toml", &l, &n), ("vetted.toml", &vl, &vn)]);
    let tiers_lines = fs::read_to_string(minimal().join("tiers.toml"))
        .unwrap()
        .lines()
        .count() as u32;
    let at = |code: &str, file: &str| -> Vec<(u32, String)> {
        ds.iter()
            .filter(|d| d.code == code && d.loc.path.ends_with(file))
            .map(|d| (d.loc.line, d.message.clone()))
            .collect()
    };
    assert_eq!(
        at("E0501", "tiers.toml"),
        [(
            tiers_lines + 2,
            "review.default_months must be at least 1".into()
        )]
    );
    assert_eq!(
        at("E0305", "tiers.toml"),
        [(tiers_lines + 5, "unknown profile factor `phi`".into())]
    );
    assert_eq!(
        at("E0106", "tiers.toml"),
        [(
            tiers_lines + 8,
            "`never` is not allowed for `contract.remote_access.exempt[0]`".into()
        )]
    );
    let vetted_lines = fs::read_to_string(minimal().join("vetted.toml"))
        .unwrap()
        .lines()
        .count() as u32;
    assert_eq!(
        at("E0501", "vetted.toml"),
        [(
            vetted_lines + 1,
            "`policy.review_warning_days` must not be negative".into()
        )]
    );
}

/// Acme's SOC 2 report (tier 1) excluding production.
const EXCLUDES_PRODUCTION: (&str, &str, &str) = (
    "vendors/acme-infusion/artifacts.toml",
    "scope = \"Pump fleet server and support operations\"\n",
    "scope = \"Pump fleet server and support operations\"\nexcludes = [\"production\"]\n",
);

#[test]
fn disqualifying_exclusions_are_a_per_tier_key_that_defaults_to_none() {
    // Default: an exclusion is recorded but disqualifies nothing.
    let ds = diagnostics(&[EXCLUDES_PRODUCTION]);
    assert!(with_code(&ds, "E1012").is_empty());
    assert!(with_code(&ds, "E1003").is_empty());
    // The default written out changes nothing.
    let none = "require_time_bound_remote_access = true\ndisqualifying_exclusions = []";
    let written = diagnostics(&[
        EXCLUDES_PRODUCTION,
        (
            "tiers.toml",
            "require_time_bound_remote_access = true",
            none,
        ),
    ]);
    assert_eq!(ds, written);
    // Tier 1 disqualifying production: the report no longer counts.
    let tier1 =
        "require_time_bound_remote_access = true\ndisqualifying_exclusions = [\"production\"]";
    let ds = diagnostics(&[
        EXCLUDES_PRODUCTION,
        (
            "tiers.toml",
            "require_time_bound_remote_access = true",
            tier1,
        ),
    ]);
    let excluded = with_code(&ds, "E1012");
    assert_eq!(excluded.len(), 1);
    assert_eq!(
        (excluded[0].loc.line, excluded[0].loc.column),
        (7, 13),
        "at the value in excludes"
    );
    let missing = with_code(&ds, "E1003");
    assert_eq!(missing.len(), 1);
    assert_eq!(
        missing[0].message,
        "Acme Infusion Systems: tier 1 requires a valid SOC 2 Type II report for SmartPump 4 4.2.1; none on file is accepted; any of: SOC 2 Type II report, ISO/IEC 27001 certificate would satisfy it"
    );
    // Another tier's list does not reach a tier 1 vendor.
    let ds = diagnostics(&[
        EXCLUDES_PRODUCTION,
        (
            "tiers.toml",
            "review_months = 18\n",
            "review_months = 18\ndisqualifying_exclusions = [\"production\"]\n",
        ),
    ]);
    assert!(with_code(&ds, "E1012").is_empty());
    // A value outside the closed set is reported where it is written.
    let ds = diagnostics(&[(
        "tiers.toml",
        "require_time_bound_remote_access = true",
        "require_time_bound_remote_access = true\ndisqualifying_exclusions = [\"prod\"]",
    )]);
    let bad = with_code(&ds, "E0106");
    assert_eq!(bad.len(), 1);
    assert_eq!(
        bad[0].message,
        "`prod` is not allowed for `tier[0].disqualifying_exclusions[0]`"
    );
}

#[test]
fn which_answers_are_claims_is_the_questionnaire_s_evidence_table() {
    let claim = (
        "vendors/acme-infusion/answers.toml",
        "frameworks = [\"soc2-type2\"]",
        "frameworks = [\"soc2-type2\", \"iso27001\"]",
    );
    // Without the table no answer is a claim.
    assert!(with_code(&diagnostics(&[claim]), "E1103").is_empty());
    let guidance = "guidance = \"Names frameworks with current third-party reports.\"\n";
    let table = |t: &str| format!("{guidance}\n[section.question.evidence]\n{t}");
    let mapped = table("soc2-type2 = [\"soc2-type2\"]\niso27001 = [\"iso27001\"]\n");
    let ds = diagnostics(&[claim, ("questionnaire.toml", guidance, &mapped)]);
    let unbacked = with_code(&ds, "E1103");
    assert_eq!(unbacked.len(), 1);
    assert_eq!(
        unbacked[0].message,
        "Acme Infusion Systems: the answers claim `iso27001` (standards.frameworks), but no ISO/IEC 27001 certificate is on file"
    );
    // An unknown option or kind is reported where it is written.
    let bad = table("iso-27001 = [\"iso27001\"]\nsoc2-type2 = [\"soc2\"]\n");
    let ds = diagnostics(&[("questionnaire.toml", guidance, &bad)]);
    let at = |code: &str| -> Vec<(u32, u32, String)> {
        with_code(&ds, code)
            .iter()
            .map(|d| (d.loc.line, d.loc.column, d.message.clone()))
            .collect()
    };
    assert_eq!(
        at("E0302"),
        [(
            14,
            1,
            "`iso-27001` is not an option of question `frameworks`".into()
        )]
    );
    assert_eq!(
        at("E0305"),
        [(15, 15, "unknown artifact kind `soc2`".into())]
    );
}

/// Each vendor's decision, by slug.
fn decisions(edits: &[(&str, &str, &str)]) -> Vec<(String, String)> {
    let dir = registry(edits);
    let report = check(&RegistryOptions {
        registry: dir.path().to_path_buf(),
        today: "2026-11-22".parse().unwrap(),
    })
    .unwrap();
    let (_, assessment) = report.assessed().unwrap();
    assessment
        .vendors
        .iter()
        .map(|a| (a.slug.clone(), a.decision.value.as_str().to_string()))
        .collect()
}

#[test]
fn the_decision_rules_are_read_from_vetted_toml() {
    // cloudsched with one warning: its contract renewal date has passed.
    let renewal = (
        "vendors/cloudsched/vendor.toml",
        "renewal = 2027-01-15",
        "renewal = 2026-11-01",
    );
    assert_eq!(decisions(&[])[1].1, "approved", "the fixture is clean");
    let defaults = decisions(&[renewal]);
    let (l, strict) = appended(
        "vetted.toml",
        "\n[decision]\nnot_approved_at = \"warning\"\n",
    );
    let (_, lenient) = appended("vetted.toml", "\n[decision]\nconditions = []\n");
    let strict = decisions(&[renewal, ("vetted.toml", &l, &strict)]);
    let lenient = decisions(&[renewal, ("vetted.toml", &l, &lenient)]);
    let of =
        |ds: &[(String, String)], slug: &str| ds.iter().find(|(s, _)| s == slug).unwrap().1.clone();
    assert_eq!(of(&defaults, "cloudsched"), "approved-with-conditions");
    assert_eq!(of(&strict, "cloudsched"), "not-approved", "warnings refuse");
    assert_eq!(
        of(&lenient, "cloudsched"),
        "approved",
        "no condition counts"
    );
}

#[test]
fn a_decision_value_outside_its_set_is_reported_where_written() {
    let (l, n) = appended(
        "vetted.toml",
        "\n[decision]\nnot_approved_at = \"note\"\nconditions = [\"warning\", \"open-findings\"]\n",
    );
    let ds = diagnostics(&[("vetted.toml", &l, &n)]);
    let bad: Vec<(u32, u32, &str)> = with_code(&ds, "E0106")
        .iter()
        .map(|d| (d.loc.line, d.loc.column, d.message.as_str()))
        .collect();
    assert_eq!(
        bad,
        [
            (
                10,
                19,
                "`note` is not allowed for `decision.not_approved_at`"
            ),
            (
                11,
                26,
                "`open-findings` is not allowed for `decision.conditions[1]`"
            ),
        ]
    );
}

/// Acme with an open finding, due `due`, that tracks its always-on remote
/// access (E1204), and `[policy]` lines `policy` appended to vetted.toml.
fn tracked(due: &str, policy: &str) -> Vec<Diagnostic> {
    let (vl, vn) = appended("vetted.toml", policy);
    let findings = format!(
        "[[finding]]\nid = \"F-1\"\ntitle = \"Standing tunnel\"\nseverity = \"high\"\nopened = 2026-10-01\ndue = {due}\ntracks = \"rule:E1204\"\n"
    );
    let dir = registry(&[
        (
            "vendors/acme-infusion/vendor.toml",
            "remote_access = \"time-bound\"",
            "remote_access = \"always-on\"",
        ),
        ("vetted.toml", &vl, &vn),
    ]);
    fs::write(
        dir.path().join("vendors/acme-infusion/findings.toml"),
        findings,
    )
    .unwrap();
    check(&RegistryOptions {
        registry: dir.path().to_path_buf(),
        today: "2026-11-22".parse().unwrap(),
    })
    .unwrap()
    .diagnostics
}

#[test]
fn tracked_severity_sets_how_a_problem_tracked_within_its_due_date_is_reported() {
    use vetted::diag::Severity;
    let severity = |ds: &[Diagnostic]| with_code(ds, "E1204")[0].severity;
    // The default, written out or not: a warning.
    let default = tracked("2026-12-31", "");
    assert_eq!(severity(&default), Severity::Warning);
    assert_eq!(
        default,
        tracked("2026-12-31", "tracked_severity = \"warning\"\n")
    );
    assert!(
        with_code(&default, "E1204")[0]
            .message
            .ends_with("[tracked by F-1, due 2026-12-31]")
    );
    assert_eq!(
        severity(&tracked("2026-12-31", "tracked_severity = \"note\"\n")),
        Severity::Note
    );
    assert_eq!(
        severity(&tracked("2026-12-31", "tracked_severity = \"error\"\n")),
        Severity::Error
    );
    // Due today is still within; the day after, the problem is an error again
    // and the finding is overdue.
    assert_eq!(
        severity(&tracked("2026-11-22", "tracked_severity = \"note\"\n")),
        Severity::Note
    );
    let overdue = tracked("2026-11-21", "tracked_severity = \"note\"\n");
    assert_eq!(severity(&overdue), Severity::Error);
    assert_eq!(with_code(&overdue, "E1401").len(), 1);
    // A value outside the set is reported where it is written.
    let bad = tracked("2026-12-31", "tracked_severity = \"info\"\n");
    let e = with_code(&bad, "E0106");
    assert_eq!(e.len(), 1);
    assert_eq!(
        e[0].message,
        "`info` is not allowed for `policy.tracked_severity`"
    );
}

#[test]
fn severity_by_tier_sets_a_red_flags_severity_for_a_tier() {
    use vetted::diag::Severity;
    // Acme (tier 1) refuses to share audit reports: a warning by the rule's severity.
    let refuses = (
        "vendors/acme-infusion/answers.toml",
        "shares_audit_reports = true",
        "shares_audit_reports = false",
    );
    let flag = |ds: &[Diagnostic]| {
        ds.iter()
            .find(|d| d.code == "E1101" && d.message.contains("Refuses"))
            .map(|d| d.severity)
    };
    assert_eq!(flag(&diagnostics(&[refuses])), Some(Severity::Warning));
    let rule = "message = \"Refuses to share audit reports.\"";
    let by_tier = |map: &str| {
        diagnostics(&[
            refuses,
            (
                "questionnaire.toml",
                rule,
                &format!("severity_by_tier = {map}\n{rule}"),
            ),
        ])
    };
    assert_eq!(flag(&by_tier("{ 1 = \"error\" }")), Some(Severity::Error));
    assert_eq!(
        flag(&by_tier("{ 2 = \"error\" }")),
        Some(Severity::Warning),
        "another tier's severity"
    );
    let bad = by_tier("{ 7 = \"error\", 2 = \"fatal\" }");
    let codes: Vec<(&str, &str)> = bad
        .iter()
        .filter(|d| d.loc.path.ends_with("questionnaire.toml"))
        .map(|d| (d.code, d.message.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            (
                "E0305",
                "tier 7 of `section[0].question[1].red_flag[0].severity_by_tier` is not defined in tiers.toml"
            ),
            (
                "E0106",
                "`fatal` is not allowed for `section[0].question[1].red_flag[0].severity_by_tier.2`"
            ),
        ],
        "each reported where it is written, in file order"
    );
}

/// A subprocessor entry for Acme, inserted after its product.
fn acme_subprocessor(entry: &str) -> (&'static str, &'static str, String) {
    (
        "vendors/acme-infusion/vendor.toml",
        "end_of_support = 2031-12-31",
        format!("end_of_support = 2031-12-31\n\n[[subprocessor]]\n{entry}"),
    )
}

#[test]
fn forward_windows_and_fourth_party_defaults_written_out_change_nothing() {
    let (vl, vn) = appended(
        "vetted.toml",
        "renewal_warning_days = 90\nend_of_support_warning_months = 18\n\n\
         [policy.residency]\nallowed_regions = []\n\n\
         [policy.fourth_parties]\nphi_data = []\nconcentration_threshold = 0\nconcentration_tiers = [1]\n",
    );
    let (f, o, n) = acme_subprocessor(
        "name = \"Nimbus\"\nservice = \"Hosting\"\ndata = [\"phi\"]\nregion = \"Mars\"",
    );
    for edits in [
        vec![],
        vec![(f, o, n.as_str())],
        vec![(
            "vendors/acme-infusion/vendor.toml",
            "end_of_support = 2031-12-31",
            "end_of_support = 2027-12-31",
        )],
    ] {
        let implicit = diagnostics(&edits);
        let mut with_keys = edits.clone();
        with_keys.push(("vetted.toml", &vl, &vn));
        assert_eq!(implicit, diagnostics(&with_keys), "after {edits:?}");
    }
    // Without fourth-party policy a subprocessor raises nothing.
    let ds = diagnostics(&[(f, o, n.as_str())]);
    assert!(ds.iter().all(|d| !d.code.starts_with("E15")));
}

#[test]
fn the_forward_windows_are_policy_keys() {
    // CloudSched renews on 2027-01-15, 54 days after today: within the default 90.
    let ds = diagnostics(&[]);
    let renewal = with_code(&ds, "E1207");
    assert_eq!(renewal.len(), 1);
    assert_eq!(
        renewal[0].message,
        "CloudSched: the contract renews on 2027-01-15 (in 54 days); the contract's own security terms are complete"
    );
    let (l, n) = appended("vetted.toml", "renewal_warning_days = 53\n");
    assert!(with_code(&diagnostics(&[("vetted.toml", &l, &n)]), "E1207").is_empty());
    // SmartPump 4 is supported to 2031-12-31: 62 months before is 2026-10-31,
    // 61 months before is 2026-11-30 (after today).
    assert!(with_code(&ds, "E1306").is_empty());
    let (l, n) = appended("vetted.toml", "end_of_support_warning_months = 62\n");
    let soon = diagnostics(&[("vetted.toml", &l, &n)]);
    assert_eq!(with_code(&soon, "E1306").len(), 1);
    let (l, n) = appended("vetted.toml", "end_of_support_warning_months = 61\n");
    assert!(with_code(&diagnostics(&[("vetted.toml", &l, &n)]), "E1306").is_empty());
}

#[test]
fn residency_and_phi_subprocessors_are_policy_keys() {
    let (f, o, n) = acme_subprocessor(
        "name = \"Nimbus\"\nservice = \"Hosting\"\ndata = [\"PHI\"]\nregion = \"EU (Frankfurt)\"",
    );
    let sub = (f, o, n.as_str());
    let (l, n) = appended(
        "vetted.toml",
        "[policy.residency]\nallowed_regions = [\"US\"]\n",
    );
    let ds = diagnostics(&[sub, ("vetted.toml", &l, &n)]);
    let region = with_code(&ds, "E1501");
    assert_eq!(region.len(), 1);
    assert_eq!(
        region[0].message,
        "Acme Infusion Systems: subprocessor Nimbus processes data in EU (Frankfurt), outside the allowed regions (US)"
    );
    let (l, n) = appended(
        "vetted.toml",
        "[policy.residency]\nallowed_regions = [\"US\", \"eu\"]\n",
    );
    assert!(with_code(&diagnostics(&[sub, ("vetted.toml", &l, &n)]), "E1501").is_empty());
    let (l, n) = appended(
        "vetted.toml",
        "[policy.fourth_parties]\nphi_data = [\"phi\"]\n",
    );
    let ds = diagnostics(&[sub, ("vetted.toml", &l, &n)]);
    assert_eq!(with_code(&ds, "E1502").len(), 1, "Acme's BAA rule applies");
    assert_eq!(with_code(&ds, "E1503").len(), 1);
}

#[test]
fn concentration_is_a_policy_key() {
    let (f, o, n) = acme_subprocessor("name = \"Nimbus\"\nservice = \"Hosting\"\nregion = \"US\"");
    let cloud = (
        "vendors/cloudsched/vendor.toml",
        "owner = \"Nursing Administration\"",
        "owner = \"Nursing Administration\"\n\n[[subprocessor]]\nname = \"NIMBUS\"\nservice = \"Hosting\"\nregion = \"US\"",
    );
    let edits = |policy: &str| {
        let (l, n2) = appended(
            "vetted.toml",
            &format!("[policy.fourth_parties]\n{policy}\n"),
        );
        diagnostics(&[(f, o, n.as_str()), cloud, ("vetted.toml", &l, &n2)])
    };
    // Acme is tier 1, CloudSched tier 3.
    assert!(with_code(&edits("concentration_threshold = 2"), "E1504").is_empty());
    let both = edits("concentration_threshold = 2\nconcentration_tiers = [1, 3]");
    let flagged = with_code(&both, "E1504");
    assert_eq!(flagged.len(), 2);
    assert!(flagged[0].message.ends_with("also used by CloudSched"));
    assert!(
        with_code(
            &edits("concentration_threshold = 3\nconcentration_tiers = [1, 3]"),
            "E1504"
        )
        .is_empty()
    );
    let bad = edits("concentration_threshold = 1\nconcentration_tiers = [9]");
    assert_eq!(with_code(&bad, "E0501").len(), 1);
    assert_eq!(with_code(&bad, "E0305").len(), 1);
}

/// `[policy.evidence_files]` and `[site] intranet_hosts`: the defaults
/// written out change nothing, each key decides what it names, and a bad
/// value is reported where it is written.
#[test]
fn evidence_file_rules_and_intranet_hosts_are_policy_keys() {
    let file = (
        "vendors/acme-infusion/artifacts.toml",
        "link = \"https://evidence.fixture.example/acme/baa.pdf\"",
        "file = \"baa.txt\"",
    );
    let with = |policy: &str| {
        let (l, n) = appended("vetted.toml", policy);
        let dir = registry(&[file, ("vetted.toml", &l, &n)]);
        fs::write(
            dir.path().join("vendors/acme-infusion/baa.txt"),
            "Business associate agreement, signed 2024-03-01.\n",
        )
        .unwrap();
        let report = check(&RegistryOptions {
            registry: dir.path().to_path_buf(),
            today: "2026-11-22".parse().unwrap(),
        })
        .unwrap();
        report
            .diagnostics
            .into_iter()
            .filter(|d| d.code.starts_with("E0"))
            .map(|d| {
                (
                    d.code,
                    d.loc.path.rsplit('/').next().unwrap_or("").to_string(),
                    d.loc.line,
                )
            })
            .collect::<Vec<_>>()
    };
    let baa_line = 22;
    assert_eq!(with(""), []);
    assert_eq!(
        with(
            "\n[policy.evidence_files]\nmax_bytes = 26214400\n\
             allowed_types = [\"pdf\", \"png\", \"jpeg\", \"text\", \"csv\", \"json\", \"xml\", \"docx\", \"xlsx\", \"pptx\"]\n"
        ),
        []
    );
    let artifacts = "artifacts.toml".to_string();
    assert_eq!(
        with("\n[policy.evidence_files]\nallowed_types = [\"pdf\"]\n"),
        [("E0405", artifacts.clone(), baa_line)]
    );
    assert_eq!(
        with("\n[policy.evidence_files]\nmax_bytes = 10\n"),
        [("E0406", artifacts, baa_line)]
    );
    let lines = fs::read_to_string(minimal().join("vetted.toml"))
        .unwrap()
        .lines()
        .count() as u32;
    let bad =
        with("\n[policy.evidence_files]\nmax_bytes = 0\nallowed_types = [\"text\", \"html\"]\n");
    assert_eq!(
        bad,
        [
            ("E0501", "vetted.toml".to_string(), lines + 3),
            ("E0106", "vetted.toml".to_string(), lines + 4),
        ]
    );
    let hosts = diagnostics(&[(
        "vetted.toml",
        "organisation = \"Fixture Hospital\"",
        "organisation = \"Fixture Hospital\"\nintranet_hosts = [\"evidence.fixture.example\", \"https://x.example/\"]",
    )]);
    let e0501: Vec<(u32, &str)> = with_code(&hosts, "E0501")
        .iter()
        .map(|d| (d.loc.line, d.message.as_str()))
        .collect();
    assert_eq!(
        e0501,
        [(
            4,
            "`site.intranet_hosts` holds `https://x.example/`, which is not a host name"
        )]
    );
}
