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
    assert!(
        has("registry/vendors/belltower-nursecall/vendor.toml") && has("error[E1301]: Belltower")
    );
    assert!(has("error[E1302]: RxVault"));
    assert!(has("error[E1007]: RxVault"));
    assert!(has(
        "warning[E1205]: Harborline Interop: contract renewal date 2026-09-30 has passed"
    ));
    assert!(has("note[E1404]: Kestrel Patient Monitoring"));
    assert!(has("warning[E1403]:") && has("EX-2026-008"));
    assert!(has(
        "error[E1003]: Quillon Diagnostics: tier 2 requires a valid Business associate agreement for Quillon Diagnostics; none is on file"
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
