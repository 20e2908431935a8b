//! The site at scale, in a browser: a generated registry of a few thousand
//! vendors (benches/gen_registry.py, few commits) is built, exported and
//! opened in Debian's headless Chromium (`tests/browser/scale.mjs`): the
//! lists are filtered through the URL hash and by typing, sorted, paged and
//! searched, and each result is compared with `vetted export --format json`
//! of the same registry. Results only, never timings (those are in
//! benches/site_budget.py). Needs Chromium and the pinned npm packages
//! (`scripts/install-browser-deps`, which `scripts/test` runs first): fails,
//! saying so, without them.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

const TODAY: &str = "2026-11-29";
const VENDORS: &str = "2000";
const COMMITS: &str = "200";

fn browser_deps(root: &Path) {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&chromium).is_file()
            && root
                .join("tests/browser/node_modules/playwright-core")
                .is_dir(),
        "Chromium ({chromium}) or tests/browser/node_modules is missing: run scripts/install-browser-deps"
    );
}

#[test]
fn a_few_thousand_vendors_filter_sort_page_and_search_in_chromium() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    browser_deps(root);
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let gen_registry = Command::new("python3")
        .arg(root.join("benches/gen_registry.py"))
        .args(["--vendors", VENDORS, "--commits", COMMITS, "--seed", "15"])
        .arg(&repo)
        .output()
        .expect("run python3 benches/gen_registry.py");
    assert!(
        gen_registry.status.success(),
        "{}",
        String::from_utf8_lossy(&gen_registry.stderr)
    );
    let reg = repo.join("registry");
    let reg = reg.to_str().unwrap();
    let site = tmp.path().join("site");
    let cache = tmp.path().join("cache");
    let build = common::vetted(
        tmp.path(),
        &[
            "build",
            "--registry",
            reg,
            "--today",
            TODAY,
            "--out",
            site.to_str().unwrap(),
            "--cache-dir",
            cache.to_str().unwrap(),
        ],
    );
    assert_eq!(build.code, 0, "build: {}", build.stderr);

    // What the site must show, from the export of the same registry.
    let exported = tmp.path().join("export");
    fs::create_dir(&exported).unwrap();
    for what in ["vendors", "findings", "products"] {
        let run = common::vetted(
            tmp.path(),
            &[
                "export",
                "--registry",
                reg,
                "--today",
                TODAY,
                "--format",
                "json",
                "--what",
                what,
            ],
        );
        assert_eq!(run.code, 0, "export --what {what}: {}", run.stderr);
        fs::write(exported.join(format!("{what}.json")), run.stdout).unwrap();
    }
    // The export agrees with check on the vendors it reports.
    let check = common::vetted(
        tmp.path(),
        &[
            "check",
            "--registry",
            reg,
            "--today",
            TODAY,
            "--format",
            "json",
        ],
    );
    let report: serde_json::Value =
        serde_json::from_str(&check.stdout).expect("check --format json");
    let listed: serde_json::Value =
        serde_json::from_slice(&fs::read(exported.join("vendors.json")).unwrap()).unwrap();
    assert_eq!(
        report["vendors"].as_array().map(Vec::len),
        listed["rows"].as_array().map(Vec::len),
        "check and export list the same vendors"
    );

    let node = Command::new("node")
        .arg(root.join("tests/browser/scale.mjs"))
        .arg(&site)
        .arg(&exported)
        .output()
        .expect("run node (scripts/install-browser-deps)");
    let out = String::from_utf8_lossy(&node.stdout);
    let err = String::from_utf8_lossy(&node.stderr);
    assert!(
        node.status.success(),
        "tests/browser/scale.mjs failed:\n{out}\n{err}"
    );
    println!("{out}");
}
