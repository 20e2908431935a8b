//! The example registry: its reported findings match what its records say,
//! and the report is identical at any thread count.

mod common;

use std::path::Path;

fn run(args: &[&str]) -> common::Run {
    common::vetted(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

#[test]
fn the_example_registry_reports_what_its_records_say() {
    let out = run(&["check", "--today", "2026-11-22"]);
    assert_eq!(
        out.code, 1,
        "the example registry has deliberate errors\n{}",
        out.stderr
    );
    let has = |needle: &str| out.stdout.lines().any(|l| l.contains(needle));
    // Deliberate problems, each at its file.
    assert!(
        has("registry/vendors/corvane-infusion/artifacts.toml")
            && has(
                "error[E1004]: Corvane Infusion Systems: Software bill of materials describes Aurora LVP 5.2.0, but version 5.3.2 is in use"
            )
    );
    assert!(
        has("registry/vendors/lumenview-imaging/artifacts.toml")
            && has("error[E1001]: LumenView Imaging: SOC 2 Type II report")
    );
    assert!(has("registry/vendors/meridian-modality/vendor.toml") && has("error[E1202]: Meridian"));
    assert!(has("error[E1006]: Meridian"));
    // Impossible dates: located errors, the example still builds.
    assert!(has(
        "error[E1010]: LumenView Imaging: Penetration test summary \"External penetration test, PACS 11.4 and cloud archive\" was issued on 2026-02-20, before its period ended on 2026-02-27"
    ));
    assert!(has(
        "error[E1011]: Meridian Imaging Systems: Penetration test summary \"Scanner console penetration test 2026, VB50 pre-release\" has period_end = 2026-12-18, in the future"
    ));
    assert!(has(
        "error[E1010]: Meridian Imaging Systems: the contract renews on 2019-10-31, before it was signed on 2019-11-01"
    ));
    assert!(
        !has("warning[E1205]: Meridian"),
        "a renewal before signature is not a lapse"
    );
    // A SOC 2 period ending 30 September bridged to 31 December: accepted.
    assert!(has(
        "warning[E1002]: Meridian Imaging Systems: SOC 2 Type II report \"SOC 2 Type II, Meridian remote service platform, Oct 2024 - Sep 2025\" expires on 2026-12-31"
    ));
    assert!(!has("[E1005]: Meridian"));
    assert!(
        has("registry/vendors/belltower-nursecall/vendor.toml") && has("error[E1301]: Belltower")
    );
    // Tracked by open findings within their due dates: warnings (tracked_severity).
    assert!(has("warning[E1302]: RxVault") && has("[tracked by F-2026-021, due 2026-12-15]"));
    assert!(has("warning[E1007]: RxVault") && has("[tracked by F-2026-019, due 2026-12-31]"));
    // Accepted under the contract rule by `rule:E1204`.
    assert!(has(
        "note[E1404]: RxVault Automation: tier 1 requires time-bound vendor remote access, not always-on [E1204 accepted by exception EX-2026-032]"
    ));
    // severity_by_tier: a drifting SBOM is an error for a tier-1 vendor.
    assert!(has(
        "error[E1101]: Verbatim Clinical Speech: The SBOM is not refreshed"
    ));
    assert!(has(
        "warning[E1205]: Harborline Interop: contract renewal date 2026-09-30 has passed"
    ));
    assert!(has("note[E1404]: Kestrel Patient Monitoring"));
    assert!(has("warning[E1403]:") && has("EX-2026-008"));
    assert!(has(
        "error[E1003]: Quillon Diagnostics: tier 2 requires a valid Business associate agreement for Quillon Diagnostics; none is on file"
    ));
    // Forward warnings, reassessment triggers and fourth parties (issue #13).
    assert!(has(
        "warning[E1207]: Belltower Communications: the contract renews on 2027-01-31 (in 70 days): negotiate the terms still missing: a breach-notification timeline of at most 72 hours"
    ));
    assert!(has(
        "warning[E1306]: Belltower Communications: Belltower Responder 6.4.1 reaches end of support on 2028-03-31"
    ));
    assert!(has(
        "error[E1307]: Harborline Interop: a new integration on 2026-08-17"
    ));
    assert!(has(
        "error[E1308]: Kestrel Patient Monitoring: a security incident on 2026-09-22"
    ));
    assert!(has(
        "note[E1404]: Pellucid Sterile Processing: data is hosted or processed in Canada, outside the allowed regions (US) [E1501 accepted by exception EX-2026-035]"
    ));
    assert!(has(
        "error[E1501]: RxVault Automation: subprocessor Pulsebridge Support Services processes data in India"
    ));
    assert!(has(
        "error[E1502]: Verbatim Clinical Speech: subprocessor Scribeline Transcription Services handles PHI"
    ));
    assert!(has(
        "warning[E1503]: Meridian Imaging Systems: no current assurance evidence for subprocessor Orbital Field Services"
    ));
    assert!(has(
        "warning[E1504]: Tidewell Health: subprocessor Nimbus Cloud Platform is shared by 4 vendors of tier 1"
    ));
    assert!(
        !has("E1502]: Kestrel") && !has("E1503]: Kestrel"),
        "Arcline's flow-down and SOC 2 are on file"
    );
    assert!(has(
        "error[E1101]: Corvane Infusion Systems: Detection is watched in business hours only"
    ));
    assert!(has(
        "error[E1101]: Belltower Communications: End-of-life components ship with no mitigation."
    ));
    // Tiers: overrides and scores, one line per vendor.
    let line = |slug: &str| {
        out.stdout
            .lines()
            .find(|l| l.starts_with(&format!("{slug} ")))
            .unwrap_or_else(|| panic!("no {slug} row"))
            .to_string()
    };
    assert!(line("tidewell-rpm").contains("T1") && line("tidewell-rpm").contains("override"));
    assert!(
        line("rosterly-scheduling").contains("T3")
            && line("rosterly-scheduling").contains("Compliant")
    );
    assert!(line("brightbay-bedside").contains("offboarded"));
    // No problems reported for the offboarded vendor.
    assert!(!has("Brightbay"), "offboarded vendors are not assessed");
    insta::assert_snapshot!("example_registry_check", out.stdout);
}

#[test]
fn output_is_identical_at_any_thread_count() {
    let one = run(&[
        "check",
        "--today",
        "2026-11-22",
        "--jobs",
        "1",
        "--format",
        "json",
    ]);
    let many = run(&[
        "check",
        "--today",
        "2026-11-22",
        "--jobs",
        "8",
        "--format",
        "json",
    ]);
    assert_eq!(one.stdout, many.stdout);
    let env = common::vetted_env(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["check", "--format", "json"],
        &[("VETTED_TODAY", "2026-11-22")],
    );
    assert_eq!(
        env.stdout, one.stdout,
        "VETTED_TODAY pins the date like --today"
    );
}

/// Every red flag the two source articles name is expressed by a rule of the
/// default questionnaire (section.question, rule), and each rule type is used.
#[test]
fn the_default_questionnaire_expresses_every_article_red_flag() {
    let q: toml::Table = toml::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("registry/questionnaire.toml"),
        )
        .unwrap(),
    )
    .unwrap();
    let mut rules = Vec::new();
    for s in q["section"].as_array().unwrap() {
        for x in s["question"].as_array().unwrap() {
            for r in x
                .get("red_flag")
                .and_then(|r| r.as_array())
                .into_iter()
                .flatten()
            {
                let value = r
                    .get("value")
                    .map(|v| v.to_string().trim_matches('"').to_string())
                    .unwrap_or_default();
                rules.push(
                    format!(
                        "{}.{} {} {}",
                        s["id"].as_str().unwrap(),
                        x["id"].as_str().unwrap(),
                        r["when"].as_str().unwrap(),
                        value
                    )
                    .trim()
                    .to_string(),
                );
            }
        }
    }
    for expected in [
        "standards.shares_audit_reports equals false", // "we don't share audit reports"
        "standards.hipaa_evidence equals self-attestation-only", // vague HIPAA claims
        "standards.audit_scope not_contains production-environment", // certifications excluding key systems
        "standards.audit_scope not_contains support-tooling",
        "standards.latest_report_date older_than_months 12", // reports within the last 12 months
        "vulnerability_management.patch_cadence equals as-needed", // no formal patch schedule
        "vulnerability_management.update_downtime equals disruptive-no-alternative",
        "vulnerability_management.support_years less_than 10", // 10-15 year device lifespans
        "sbom.sbom_available equals false",                    // no SBOM
        "sbom.dependency_visibility equals none",              // no visibility into dependencies
        "sbom.monitoring_sources not_contains nvd",            // monitoring the NVD
        "sdlc.sdl_practices not_contains threat-modeling", // SDL: threat modelling, review, pentest
        "sdlc.postmarket_process equals false",
        "data_protection.data_ownership equals vendor-broad-rights", // broad rights to customer data
        "data_protection.support_data_access equals standing-unrestricted",
        "data_protection.deletion_process equals undocumented", // no documented deletion
        "data_protection.retention_days missing",               // unclear retention
        "remote_access.shared_accounts equals true",            // shared vendor accounts
        "remote_access.access_model equals always-on",          // unrestricted remote access
        "remote_access.access_logging equals minimal",          // minimal logging
        "remote_access.subprocessors_disclosed equals false", // no transparency into subprocessors
        "incident_response.notification_hours missing",       // no firm notification timeline
        "incident_response.responsibility_matrix equals false", // unclear division of responsibilities
        "incident_response.dr_last_tested missing",             // DR never tested
        "deployment.hardening_guide_url missing",               // hardening guidance
        "deployment.vlan_segmentation equals not-supported",    // dedicated, monitored VLANs
    ] {
        assert!(
            rules.iter().any(|r| r == expected),
            "no rule `{expected}` in {rules:#?}"
        );
    }
    for when in [
        "equals",
        "missing",
        "less_than",
        "greater_than",
        "older_than_months",
        "contains",
        "not_contains",
    ] {
        assert!(
            rules.iter().any(|r| r.split(' ').nth(1) == Some(when)),
            "no `{when}` rule"
        );
    }
}

#[test]
fn every_example_vendor_has_one_decision_in_json() {
    let out = run(&["check", "--today", "2026-11-22", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let vendors = doc["vendors"].as_array().unwrap();
    let decision = |slug: &str| {
        let v = vendors.iter().find(|v| v["slug"] == slug).unwrap();
        (
            v["decision"]["value"].as_str().unwrap().to_string(),
            v["decision"]["reasons"].as_array().unwrap().len(),
        )
    };
    assert_eq!(decision("rosterly-scheduling"), ("approved".into(), 0));
    assert_eq!(
        decision("brightbay-bedside").0,
        "not-assessed",
        "offboarded"
    );
    let (belltower, reasons) = decision("belltower-nursecall");
    assert_eq!(belltower, "not-approved");
    assert!(reasons > 0, "a refusal says why");
    let first = &vendors
        .iter()
        .find(|v| v["slug"] == "belltower-nursecall")
        .unwrap()["decision"]["reasons"][0];
    assert!(
        first["code"].as_str().is_some_and(|c| c.starts_with("E1")) && first["message"].is_string(),
        "each reason names the diagnostic code behind it: {first}"
    );
    let counts = &doc["summary"]["decisions"];
    let total: u64 = [
        "approved",
        "approved-with-conditions",
        "not-approved",
        "not-assessed",
    ]
    .iter()
    .map(|k| counts[*k].as_u64().unwrap())
    .sum();
    assert_eq!(total as usize, vendors.len(), "every vendor counted once");
}

/// README, "What the example registry shows": each rule of the assessment
/// an analyst relies on appears on the example vendor the table names, on
/// the date the README uses.
#[test]
fn the_example_registry_shows_each_rule_the_readme_lists() {
    let out = run(&["check", "--today", "2026-11-29"]);
    let first_lines: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("registry/"))
        .collect();
    let has = |file: &str, code: &str, text: &str| {
        assert!(
            first_lines
                .iter()
                .any(|l| l.contains(file) && l.contains(code) && l.contains(text)),
            "no {code} in {file} saying {text:?}"
        );
    };
    // Month ends: a full quarter's bridge letter after a 30 September period end.
    has(
        "meridian-modality/artifacts.toml",
        "warning[E1002]",
        "expires on 2026-12-31",
    );
    // Impossible dates.
    has(
        "lumenview-imaging/artifacts.toml",
        "error[E1010]",
        "before its period ended",
    );
    has(
        "meridian-modality/vendor.toml",
        "error[E1010]",
        "before it was signed",
    );
    has(
        "meridian-modality/artifacts.toml",
        "error[E1011]",
        "in the future",
    );
    // Accepted risk for any rule.
    has(
        "rxvault-dispensing/vendor.toml",
        "note[E1404]",
        "[E1204 accepted by exception EX-2026-032]",
    );
    has(
        "pellucid-sterile/vendor.toml",
        "note[E1404]",
        "[E1501 accepted by exception EX-2026-035]",
    );
    // Scope exclusions.
    has(
        "tidewell-rpm/artifacts.toml",
        "warning[E1012]",
        "excludes the production environment",
    );
    // Fourth parties.
    has(
        "quillon-lab/vendor.toml",
        "error[E1501]",
        "outside the allowed regions",
    );
    has(
        "meridian-modality/vendor.toml",
        "error[E1502]",
        "not flowed down",
    );
    has(
        "meridian-modality/vendor.toml",
        "warning[E1503]",
        "no current assurance",
    );
    has(
        "lumenview-imaging/vendor.toml",
        "warning[E1504]",
        "shared by 4 vendors of tier 1",
    );
    has(
        "tidewell-rpm/vendor.toml",
        "note[E1404]",
        "[E1503 accepted by exception EX-2026-037]",
    );
    assert!(
        !first_lines
            .iter()
            .any(|l| l.contains("kestrel-telemetry/vendor.toml")
                && (l.contains("E1502") || l.contains("E1503"))),
        "Kestrel's subprocessor has the flow-down and its own SOC 2"
    );
    // Forward warnings.
    has(
        "belltower-nursecall/vendor.toml",
        "warning[E1306]",
        "18-month planning window",
    );
    has(
        "belltower-nursecall/vendor.toml",
        "warning[E1207]",
        "negotiate the terms still missing",
    );
    // Findings that track problems.
    has(
        "rxvault-dispensing/vendor.toml",
        "warning[E1302]",
        "[tracked by F-2026-021, due 2026-12-15]",
    );
    // Claims against evidence, substitutes.
    has(
        "thermisense-coldchain/answers.toml",
        "warning[E1103]",
        "no SOC 2 Type II report is on file",
    );
    has(
        "quillon-lab/artifacts.toml",
        "note[E1013]",
        "met by ISO/IEC 27001 certificate",
    );
    // Severity by tier: the same missing SBOM is a warning for tier 3.
    has(
        "thermisense-coldchain/answers.toml",
        "warning[E1101]",
        "No SBOM",
    );
    has(
        "verbatim-speech/answers.toml",
        "error[E1101]",
        "SBOM is not refreshed",
    );
    // Questionnaire gaps and the new reassessment triggers.
    has(
        "corvane-infusion/answers.toml",
        "error[E1101]",
        "business hours only",
    );
    has(
        "harborline-integration/vendor.toml",
        "error[E1307]",
        "new integration",
    );
    has(
        "kestrel-telemetry/vendor.toml",
        "error[E1308]",
        "security incident",
    );
    // One decision per vendor.
    let row = |slug: &str| {
        out.stdout
            .lines()
            .find(|l| l.starts_with(&format!("{slug} ")))
            .unwrap_or_else(|| panic!("no {slug} row"))
            .to_string()
    };
    assert!(row("rosterly-scheduling").contains("  Approved  "));
    assert!(row("pellucid-sterile").contains("Approved with conditions"));
    assert!(row("thermisense-coldchain").contains("Approved with conditions"));
    assert!(row("belltower-nursecall").contains("Not approved"));
    assert!(row("brightbay-bedside").contains("Not assessed"));
    assert!(
        out.stdout
            .contains("\ndecisions: 1 approved, 2 approved with conditions, ")
    );
}
