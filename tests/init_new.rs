//! `vetted init` and `vetted new`, run as a user would: a new registry that
//! `check` passes and `build` publishes with no vendor; a vendor of every
//! tier written into it (and into the example registry) that breaks no
//! data-contract rule, so `check` reports only assessment codes; refusals
//! that write nothing; and the CI workflows, parsed by PyYAML (an
//! independent YAML reader, from `scripts/install-test-deps`) and their
//! commands run.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Run, vetted};
use serde_json::Value;

const TODAY: &str = "2026-11-29";

fn ok(run: &Run) {
    assert_eq!(
        run.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
}

/// `check --format json` of the registry `reg` run in `dir`: the exit code
/// and the report.
fn check_json(dir: &Path, reg: &str) -> (i32, Value) {
    let run = vetted(
        dir,
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
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    (
        run.code,
        serde_json::from_str(&run.stdout).expect("JSON report"),
    )
}

/// The tier levels of a registry's tiers.toml.
fn tier_levels(reg: &Path) -> Vec<i64> {
    let tiers: toml::Table =
        toml::from_str(&fs::read_to_string(reg.join("tiers.toml")).unwrap()).unwrap();
    tiers["tier"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["level"].as_integer().unwrap())
        .collect()
}

/// Every file under `dir`, relative to it.
fn files_under(dir: &Path) -> BTreeSet<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_path_buf())
        .collect()
}

/// Write a vendor of every tier into `dir/reg` with `new`, and check that
/// each breaks no data-contract rule, has the tier asked for and is asked
/// for the kinds its artifacts.toml lists; then `build` publishes them.
fn new_vendor_of_every_tier(dir: &Path, reg: &str) {
    let levels = tier_levels(&dir.join(reg));
    assert!(levels.len() >= 2, "{levels:?}");
    for level in &levels {
        let slug = format!("new-vendor-tier-{level}");
        let run = vetted(
            dir,
            &[
                "new",
                &slug,
                "--registry",
                reg,
                "--tier",
                &level.to_string(),
                "--category",
                "infusion-pump",
            ],
        );
        ok(&run);
        let folder = dir.join(reg).join("vendors").join(&slug);
        assert_eq!(
            files_under(&folder),
            ["answers.toml", "artifacts.toml", "vendor.toml"]
                .iter()
                .map(PathBuf::from)
                .collect(),
        );
        // Every file is valid TOML as written.
        for f in ["vendor.toml", "answers.toml", "artifacts.toml"] {
            let text = fs::read_to_string(folder.join(f)).unwrap();
            toml::from_str::<toml::Table>(&text).unwrap_or_else(|e| panic!("{slug}/{f}: {e}"));
        }
    }
    let (code, report) = check_json(dir, reg);
    let diags = report["diagnostics"].as_array().unwrap();
    let contract: Vec<&Value> = diags
        .iter()
        .filter(|d| d["code"].as_str().unwrap().starts_with("E0"))
        .collect();
    assert!(contract.is_empty(), "data-contract errors: {contract:#?}");
    // What is unanswered is an error (E1102), so check fails, on assessment alone.
    assert_eq!(code, 1);
    for level in &levels {
        let slug = format!("new-vendor-tier-{level}");
        let v = report["vendors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["slug"] == slug.as_str())
            .unwrap_or_else(|| panic!("{slug} was not assessed"));
        assert_eq!(v["tier"].as_i64(), Some(*level), "{slug}");
        assert_eq!(v["status"], "non-compliant", "{slug}");
        // The kinds the tier requires are the ones artifacts.toml lists.
        let asked: BTreeSet<&str> = v["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["kind"].as_str().unwrap())
            .collect();
        let artifacts = fs::read_to_string(
            dir.join(reg)
                .join("vendors")
                .join(&slug)
                .join("artifacts.toml"),
        )
        .unwrap();
        let listed: BTreeSet<&str> = artifacts
            .lines()
            .filter_map(|l| l.strip_prefix("# kind = \""))
            .map(|l| l.trim_end_matches('"'))
            .collect();
        assert_eq!(asked, listed, "{slug}");
        // Every problem of the new vendor is about what is unanswered or missing.
        let codes: BTreeSet<&str> = diags
            .iter()
            .filter(|d| d["path"].as_str().unwrap().contains(&format!("/{slug}/")))
            .map(|d| d["code"].as_str().unwrap())
            .collect();
        assert!(
            codes
                .iter()
                .all(|c| ["E1003", "E1101", "E1102", "E1303"].contains(c)),
            "{slug}: {codes:?}"
        );
    }
    let run = vetted(
        dir,
        &[
            "build",
            "--registry",
            reg,
            "--today",
            TODAY,
            "--out",
            "site",
        ],
    );
    ok(&run);
    for level in &levels {
        assert!(
            dir.join(format!("site/vendors/new-vendor-tier-{level}/index.html"))
                .is_file()
        );
    }
}

#[test]
fn a_new_registry_checks_clean_builds_empty_and_takes_a_vendor_of_every_tier() {
    let tmp = tempfile::tempdir().unwrap();
    let run = vetted(tmp.path(), &["init"]);
    ok(&run);
    let written: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        written,
        [
            "registry/vetted.toml",
            "registry/questionnaire.toml",
            "registry/tiers.toml",
            "registry/artifact-kinds.toml",
            "registry/vendors/.gitkeep",
            ".taplo.toml",
            "registry/schemas/vetted.schema.json",
            "registry/schemas/questionnaire.schema.json",
            "registry/schemas/tiers.schema.json",
            "registry/schemas/artifact-kinds.schema.json",
            "registry/schemas/vendor.schema.json",
            "registry/schemas/answers.schema.json",
            "registry/schemas/artifacts.schema.json",
            "registry/schemas/findings.schema.json",
            "registry/schemas/exceptions.schema.json",
        ]
    );
    for next in ["vetted new", "vetted check", "vetted build"] {
        assert!(run.stderr.contains(next), "{}", run.stderr);
    }
    // The default registry is found without --registry, and is clean.
    let check = vetted(tmp.path(), &["check", "--today", TODAY, "--format", "json"]);
    ok(&check);
    let report: Value = serde_json::from_str(&check.stdout).unwrap();
    assert_eq!(
        report["diagnostics"].as_array().unwrap().len(),
        0,
        "{report:#}"
    );
    // No vendor yet: the site still builds.
    ok(&vetted(
        tmp.path(),
        &["build", "--today", TODAY, "--out", "empty-site"],
    ));
    assert!(tmp.path().join("empty-site/vendors/index.html").is_file());
    // No page names the example hospital.
    for page in files_under(&tmp.path().join("empty-site")) {
        let text = fs::read(tmp.path().join("empty-site").join(&page)).unwrap();
        assert!(
            !String::from_utf8_lossy(&text).contains("Northbridge"),
            "{}",
            page.display()
        );
    }
    // The Taplo configuration points at the registry's files.
    let taplo: toml::Table =
        toml::from_str(&fs::read_to_string(tmp.path().join(".taplo.toml")).unwrap()).unwrap();
    let includes: Vec<&str> = taplo["rule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["include"][0].as_str().unwrap())
        .collect();
    assert!(
        includes.contains(&"registry/questionnaire.toml"),
        "{includes:?}"
    );
    assert!(
        includes.contains(&"registry/vendors/*/answers.toml"),
        "{includes:?}"
    );
    new_vendor_of_every_tier(tmp.path(), "registry");
    // The schemas init wrote accept every file init and new wrote, read by
    // an independent validator (Python's tomllib and jsonschema).
    let reg = tmp.path().join("registry");
    let out = Command::new(common::test_python())
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/validate_schemas.py"))
        .arg(reg.join("schemas"))
        .arg(&reg)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = summary["files"].as_object().unwrap();
    assert!(
        files.keys().any(|f| f.ends_with("answers.toml")),
        "{summary:#}"
    );
    for (file, errors) in files {
        assert_eq!(errors.as_array().unwrap().len(), 0, "{file}: {errors:#}");
    }
}

#[test]
fn the_example_registry_takes_a_new_vendor_of_every_tier() {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("registry"),
        &tmp.path().join("reg"),
    );
    new_vendor_of_every_tier(tmp.path(), "reg");
}

#[test]
fn answers_toml_holds_every_question_under_its_section() {
    let tmp = tempfile::tempdir().unwrap();
    ok(&vetted(tmp.path(), &["init", "reg"]));
    ok(&vetted(
        tmp.path(),
        &["new", "acme", "--registry", "reg", "--tier", "3"],
    ));
    let q: toml::Table =
        toml::from_str(&fs::read_to_string(tmp.path().join("reg/questionnaire.toml")).unwrap())
            .unwrap();
    let answers = fs::read_to_string(tmp.path().join("reg/vendors/acme/answers.toml")).unwrap();
    // Each section's table, then each of its questions as `# id =`.
    let mut rest = answers.as_str();
    let mut required = 0;
    for section in q["section"].as_array().unwrap() {
        let header = format!("\n[{}]\n", section["id"].as_str().unwrap());
        rest = &rest[rest.find(&header).unwrap_or_else(|| panic!("{header}")) + header.len()..];
        for question in section["question"].as_array().unwrap() {
            let line = format!("\n# {} =\n", question["id"].as_str().unwrap());
            let at = rest.find(&line).unwrap_or_else(|| panic!("{line}"));
            let comment = &rest[..at];
            assert!(
                comment.contains(question["type"].as_str().unwrap()),
                "{line}: {comment}"
            );
            if comment.contains("required of tier 3") {
                required += 1;
            }
            rest = &rest[at + line.len() - 1..];
        }
    }
    // As the assessment counts them: each is one E1102.
    let (_, report) = check_json(tmp.path(), "reg");
    let unanswered = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "E1102")
        .count();
    assert_eq!(required, unanswered);
    assert!(required > 0);
}

#[test]
fn init_refuses_to_overwrite_anything_and_then_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join(".taplo.toml"), "# mine\n").unwrap();
    let run = vetted(tmp.path(), &["init", "--ci", "gitlab"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("refusing to overwrite .taplo.toml; nothing was written"),
        "{}",
        run.stderr
    );
    assert_eq!(
        files_under(tmp.path()),
        [PathBuf::from(".taplo.toml")].into()
    );
    assert_eq!(
        fs::read_to_string(tmp.path().join(".taplo.toml")).unwrap(),
        "# mine\n"
    );

    // A second init over a first one: every file named, none changed.
    let tmp = tempfile::tempdir().unwrap();
    ok(&vetted(tmp.path(), &["init", "reg"]));
    fs::write(tmp.path().join("reg/tiers.toml"), "# edited\n").unwrap();
    let before = files_under(tmp.path());
    let run = vetted(tmp.path(), &["init", "reg", "--ci", "github"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("reg/vetted.toml") && run.stderr.contains("reg/tiers.toml"),
        "{}",
        run.stderr
    );
    assert_eq!(files_under(tmp.path()), before);
    assert_eq!(
        fs::read_to_string(tmp.path().join("reg/tiers.toml")).unwrap(),
        "# edited\n"
    );
}

#[test]
fn new_refuses_bad_slugs_existing_folders_and_bad_values_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    ok(&vetted(tmp.path(), &["init", "reg"]));
    ok(&vetted(tmp.path(), &["new", "acme", "--registry", "reg"]));
    fs::create_dir(tmp.path().join("reg/vendors/Bolt")).unwrap();
    let before = files_under(tmp.path());
    let long = "a".repeat(65);
    for slug in [
        "../x",
        "A B",
        "",
        long.as_str(),
        "x/y",
        "..",
        "a--b",
        "a-",
        "é",
    ] {
        let run = vetted(tmp.path(), &["new", "--registry", "reg", "--", slug]);
        assert_eq!(run.code, 2, "{slug}: {}", run.stderr);
        assert!(
            run.stderr.contains("is not a valid vendor slug"),
            "{slug}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("help: a slug is lowercase"),
            "{}",
            run.stderr
        );
    }
    for (args, says) in [
        (
            &["new", "acme"][..],
            "vendor folder reg/vendors/acme already exists",
        ),
        (
            &["new", "bolt"],
            "vendor folder reg/vendors/bolt already exists",
        ),
        (
            &["new", "c", "--tier", "9"],
            "tier 9 is not a tier of tiers.toml",
        ),
        (&["new", "c", "--name", " "], "--name is empty"),
        (
            &["new", "c", "--name", "two\nlines"],
            "--name must be one line",
        ),
        (&["new", "c", "--category", ""], "--category is empty"),
    ] {
        let run = vetted(tmp.path(), &[args, &["--registry", "reg"]].concat());
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
    }
    assert_eq!(files_under(tmp.path()), before);
    assert!(!tmp.path().join("x").exists());

    // A broken policy: nothing is written from it.
    fs::write(
        tmp.path().join("reg/tiers.toml"),
        "[[tier]]\nlevel = \"one\"\n",
    )
    .unwrap();
    let run = vetted(tmp.path(), &["new", "c", "--registry", "reg"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("policy files have"), "{}", run.stderr);
    assert!(!tmp.path().join("reg/vendors/c").exists());
}

#[test]
fn what_the_user_types_is_written_as_toml_strings() {
    let tmp = tempfile::tempdir().unwrap();
    ok(&vetted(tmp.path(), &["init", "reg"]));
    let name = "Acme \"Pumps\" \\ Ünïcode = [x] # not a comment";
    let category = "infusion\"pump'";
    ok(&vetted(
        tmp.path(),
        &[
            "new",
            "acme",
            "--registry",
            "reg",
            "--name",
            name,
            "--category",
            category,
        ],
    ));
    let vendor: toml::Table = toml::from_str(
        &fs::read_to_string(tmp.path().join("reg/vendors/acme/vendor.toml")).unwrap(),
    )
    .unwrap();
    assert_eq!(vendor["name"].as_str(), Some(name));
    assert_eq!(vendor["category"].as_str(), Some(category));
    assert_eq!(vendor["status"].as_str(), Some("prospective"));
    let (_, report) = check_json(tmp.path(), "reg");
    assert_eq!(report["vendors"][0]["name"].as_str(), Some(name));
    // A category no other vendor has gets a note (this is the only vendor: none).
    ok(&vetted(
        tmp.path(),
        &["new", "bolt", "--registry", "reg", "--category", "pacs"],
    ));
    let run = vetted(
        tmp.path(),
        &["new", "cobalt", "--registry", "reg", "--category", "pacs"],
    );
    ok(&run);
    assert!(!run.stderr.contains("note:"), "{}", run.stderr);
    let run = vetted(
        tmp.path(),
        &["new", "delta", "--registry", "reg", "--category", "pac"],
    );
    ok(&run);
    assert!(
        run.stderr
            .contains("note: no other vendor has this category"),
        "{}",
        run.stderr
    );
}

/// A YAML file as PyYAML reads it.
fn read_yaml(path: &Path) -> Value {
    let out = Command::new(common::test_python())
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/read_yaml.py"))
        .arg(path)
        .output()
        .expect("run read_yaml.py");
    assert!(
        out.status.success(),
        "PyYAML rejects {}:\n{}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Run shell `commands` in `dir` as a CI job would, with the vetted under
/// test first on the PATH; gives the exit code.
fn run_commands(dir: &Path, commands: &[&str]) -> i32 {
    let bin = Path::new(env!("CARGO_BIN_EXE_vetted")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let script = format!("set -eo pipefail\n{}\n", commands.join("\n"));
    let out = Command::new("bash")
        .args(["-c", &script])
        .current_dir(dir)
        .env("PATH", path)
        .env("VETTED_TODAY", TODAY)
        .output()
        .unwrap();
    out.status.code().unwrap_or(-1)
}

#[test]
fn the_github_workflow_is_yaml_whose_commands_check_the_registry() {
    let tmp = tempfile::tempdir().unwrap();
    ok(&vetted(
        tmp.path(),
        &["init", "vendor-registry", "--ci", "github"],
    ));
    let wf = read_yaml(&tmp.path().join(".github/workflows/vetted.yml"));
    assert!(wf["on"].get("pull_request").is_some(), "{wf:#}");
    let steps = wf["jobs"]["check"]["steps"].as_array().unwrap();
    // vetted's own composite action, given only inputs it declares, the
    // registry among them; it checks, annotates and uploads the SARIF log
    // (tests/distribution.rs runs its steps).
    let step = steps
        .iter()
        .find(|s| s["uses"] == "./")
        .expect("a step using vetted's action");
    assert_eq!(step["with"]["registry"], "vendor-registry");
    assert_eq!(step["with"]["fail-on"], "error");
    let action = read_yaml(&Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml"));
    for input in step["with"].as_object().unwrap().keys() {
        assert!(action["inputs"].get(input).is_some(), "{input}");
    }
    assert_eq!(
        wf["jobs"]["check"]["permissions"]["security-events"],
        "write"
    );
    assert!(
        !fs::read_to_string(tmp.path().join(".github/workflows/vetted.yml"))
            .unwrap()
            .contains("your.git.host")
    );
}

#[test]
fn the_gitlab_pipeline_is_yaml_whose_script_writes_both_reports() {
    let tmp = tempfile::tempdir().unwrap();
    ok(&vetted(
        tmp.path(),
        &["init", "vendor-registry", "--ci", "gitlab"],
    ));
    let ci = read_yaml(&tmp.path().join(".gitlab-ci.yml"));
    let job = &ci["vetted"];
    let script: Vec<&str> = job["script"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let checks: Vec<&&str> = script.iter().filter(|s| s.starts_with("vetted ")).collect();
    assert_eq!(checks.len(), 2, "{script:?}");
    for c in checks {
        assert!(c.contains("--registry vendor-registry "), "{c}");
    }
    assert_eq!(
        job["image"]["name"],
        format!("$CI_REGISTRY_IMAGE/vetted:{}", env!("CARGO_PKG_VERSION"))
    );
    let reports = &job["artifacts"]["reports"];
    assert_eq!(reports["codequality"], "gl-code-quality-report.json");
    assert_eq!(reports["junit"], "vetted-junit.xml");
    assert_eq!(job["artifacts"]["when"], "always");
    // Clean: the job passes and writes both reports.
    assert_eq!(run_commands(tmp.path(), &script), 0);
    let quality: Value = serde_json::from_str(
        &fs::read_to_string(tmp.path().join("gl-code-quality-report.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(quality.as_array().map(Vec::len), Some(0));
    // With a vendor still to fill in: the job fails, and both reports say why.
    ok(&vetted(
        tmp.path(),
        &["new", "acme", "--registry", "vendor-registry"],
    ));
    assert_eq!(run_commands(tmp.path(), &script), 1);
    let quality: Value = serde_json::from_str(
        &fs::read_to_string(tmp.path().join("gl-code-quality-report.json")).unwrap(),
    )
    .unwrap();
    assert!(!quality.as_array().unwrap().is_empty());
    let junit = fs::read_to_string(tmp.path().join("vetted-junit.xml")).unwrap();
    assert!(junit.contains("E1102"), "{junit}");
}

#[test]
fn a_ci_workflow_needs_a_plain_registry_folder_name_and_writes_nothing_otherwise() {
    let tmp = tempfile::tempdir().unwrap();
    let run = vetted(tmp.path(), &["init", "my registry", "--ci", "github"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("cannot be written into a CI workflow"),
        "{}",
        run.stderr
    );
    assert!(files_under(tmp.path()).is_empty());
    // Without --ci the name is fine.
    ok(&vetted(tmp.path(), &["init", "my registry"]));
    ok(&vetted(
        tmp.path(),
        &["check", "--registry", "my registry", "--today", TODAY],
    ));
}

#[test]
fn the_loaders_hints_about_init_and_new_do_what_they_say() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let codes = |reg: &str| -> Vec<String> {
        let (_, report) = check_json(dir, reg);
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_string())
            .filter(|c| c.starts_with("E0"))
            .collect()
    };
    ok(&vetted(dir, &["init", "reg"]));
    // No vendors/: `vetted new SLUG` creates it.
    fs::remove_dir_all(dir.join("reg/vendors")).unwrap();
    let run = vetted(dir, &["check", "--registry", "reg", "--today", TODAY]);
    assert!(
        run.stdout.contains("`vetted new SLUG` creates it"),
        "{}",
        run.stdout
    );
    ok(&vetted(dir, &["new", "acme", "--registry", "reg"]));
    assert_eq!(codes("reg"), Vec::<String>::new());
    // A policy file missing: `vetted init` in an empty folder writes one to copy.
    fs::remove_file(dir.join("reg/tiers.toml")).unwrap();
    let run = vetted(dir, &["check", "--registry", "reg", "--today", TODAY]);
    assert!(
        run.stdout.contains("run `vetted init` in an empty folder"),
        "{}",
        run.stdout
    );
    fs::create_dir(dir.join("empty")).unwrap();
    ok(&vetted(&dir.join("empty"), &["init"]));
    fs::copy(
        dir.join("empty/registry/tiers.toml"),
        dir.join("reg/tiers.toml"),
    )
    .unwrap();
    assert_eq!(codes("reg"), Vec::<String>::new());
    // A vendor file missing: copy it from a folder `new` writes with a spare slug.
    fs::remove_file(dir.join("reg/vendors/acme/answers.toml")).unwrap();
    let run = vetted(dir, &["check", "--registry", "reg", "--today", TODAY]);
    assert!(
        run.stdout.contains("write one with a spare slug"),
        "{}",
        run.stdout
    );
    ok(&vetted(dir, &["new", "spare", "--registry", "reg"]));
    fs::copy(
        dir.join("reg/vendors/spare/answers.toml"),
        dir.join("reg/vendors/acme/answers.toml"),
    )
    .unwrap();
    assert_eq!(codes("reg"), Vec::<String>::new());
}
