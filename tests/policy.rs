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
        "CloudSched: the contract renews on 2027-01-15 (in 54 days); its security terms are complete"
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
