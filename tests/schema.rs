//! `vetted schema`: the JSON Schemas of the registry's file kinds, read by an
//! independent consumer: the Python `jsonschema` package (Draft 2020-12,
//! formats checked) validates every TOML file of a registry, read with
//! Python's own `tomllib` (tests/python/validate_schemas.py). The schemas
//! agree with `check`: every file of a registry `check` accepts is valid
//! (the example registry, the fixture registries, every assessment case),
//! and files `check` rejects for a reason a schema can state fail (the
//! invalid fixture cases, and mutations of the example registry).
//!
//! The validator runs in `target/pyvenv` (`scripts/install-test-deps`);
//! without it these tests fail, saying so: they are never skipped.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Case, copy_dir, fixtures, registry, vetted};
use serde_json::Value;

const TODAY: &str = "2026-11-29";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `vetted schema` in `dir` for `registry`, into `out`.
fn write_schemas(dir: &Path, registry: &str, out: &str) {
    let run = vetted(
        dir,
        &[
            "schema",
            "--registry",
            registry,
            "--out",
            out,
            "--today",
            TODAY,
        ],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

/// The errors the independent validator finds in each TOML file of
/// `registry` against the schemas in `schemas`, by path in the registry.
fn validate(schemas: &Path, registry: &Path) -> BTreeMap<String, Vec<String>> {
    let out = Command::new(common::test_python())
        .arg(root().join("tests/python/validate_schemas.py"))
        .arg(schemas)
        .arg(registry)
        .output()
        .expect("run the validator");
    assert!(
        out.status.success(),
        "validate_schemas.py failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: Value = serde_json::from_slice(&out.stdout).expect("validator summary");
    let mut names: Vec<&str> = summary["schemas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names.len(), 9);
    serde_json::from_value(summary["files"].clone()).unwrap()
}

fn invalid_files(found: &BTreeMap<String, Vec<String>>) -> BTreeMap<&str, &Vec<String>> {
    found
        .iter()
        .filter(|(_, errors)| !errors.is_empty())
        .map(|(file, errors)| (file.as_str(), errors))
        .collect()
}

#[test]
fn every_file_of_the_example_registry_is_valid_against_its_schema() {
    let tmp = tempfile::tempdir().unwrap();
    let example = root().join("registry");
    write_schemas(tmp.path(), example.to_str().unwrap(), "schemas");
    let found = validate(&tmp.path().join("schemas"), &example);
    // The 4 policy files and at least vendor, answers and artifacts of 15 vendors.
    assert!(found.len() >= 4 + 15 * 3, "{:?}", found.keys());
    assert!(found.contains_key("vendors/belltower-nursecall/exceptions.toml"));
    assert!(found.contains_key("vendors/corvane-infusion/findings.toml"));
    assert_eq!(invalid_files(&found), BTreeMap::new());
}

#[test]
fn the_committed_schemas_of_the_example_registry_are_up_to_date() {
    let tmp = tempfile::tempdir().unwrap();
    write_schemas(
        tmp.path(),
        root().join("registry").to_str().unwrap(),
        "schemas",
    );
    let committed = root().join("registry/schemas");
    let names = |dir: &Path| -> BTreeSet<String> {
        fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    assert_eq!(names(&committed), names(&tmp.path().join("schemas")));
    for name in names(&committed) {
        assert!(
            fs::read(committed.join(&name)).unwrap()
                == fs::read(tmp.path().join("schemas").join(&name)).unwrap(),
            "registry/schemas/{name} is out of date: run `cargo run -- schema`"
        );
    }
    // And the repository's Taplo configuration points every file at them.
    let taplo = fs::read_to_string(root().join(".taplo.toml")).unwrap();
    assert_eq!(taplo, vetted::schema::taplo_config("registry"));
}

#[test]
fn the_default_folder_is_schemas_in_the_registry_which_check_ignores() {
    let tmp = registry("minimal", None);
    let check = || {
        vetted(
            tmp.path(),
            &["check", "--registry", "reg", "--today", TODAY],
        )
    };
    let before = check();
    let run = vetted(tmp.path(), &["schema", "--registry", "reg"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("wrote 9 JSON Schemas into reg/schemas"),
        "{}",
        run.stderr
    );
    let dir = tmp.path().join("reg/schemas");
    let first: Vec<Vec<u8>> = vetted::schema::NAMES
        .iter()
        .map(|n| fs::read(dir.join(n)).unwrap())
        .collect();
    // The same policy gives the same bytes, and nothing else is left there.
    let again = vetted(tmp.path(), &["schema", "--registry", "reg"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    for (name, bytes) in vetted::schema::NAMES.iter().zip(&first) {
        assert_eq!(&fs::read(dir.join(name)).unwrap(), bytes, "{name}");
    }
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 9);
    let after = check();
    assert_eq!((before.code, &before.stdout), (after.code, &after.stdout));
}

#[test]
fn a_broken_policy_gives_no_schemas() {
    let tmp = registry("minimal", None);
    fs::write(
        tmp.path().join("reg/tiers.toml"),
        "[[tier]]\nlevel = \"one\"\n",
    )
    .unwrap();
    let run = vetted(tmp.path(), &["schema", "--registry", "reg"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains("the registry is invalid; nothing was written and reg/schemas is unchanged"),
        "{}",
        run.stderr
    );
    assert!(!tmp.path().join("reg/schemas").exists());
}

/// The fixture registries, and every assessment case (each a registry that
/// keeps the data contract), are valid against their own schemas.
#[test]
fn every_registry_that_check_accepts_is_valid_against_its_schemas() {
    let mut cases: Vec<(String, Option<Case>)> = vec![("minimal".into(), None)];
    let assess = fixtures().join("assess");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&assess)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        cases.push((name, Some(Case::read(&dir.join("case.toml")))));
    }
    assert!(cases.len() > 30);
    for (name, case) in &cases {
        let tmp = registry("minimal", case.as_ref());
        write_schemas(tmp.path(), "reg", "schemas");
        let found = validate(&tmp.path().join("schemas"), &tmp.path().join("reg"));
        assert_eq!(invalid_files(&found), BTreeMap::new(), "{name}");
    }
}

/// The hostile fixture (markup, control characters, odd Unicode in every
/// text) breaks no data-contract rule, and its files are valid too.
#[test]
fn the_hostile_fixture_is_valid_against_its_schemas() {
    let tmp = registry("hostile", None);
    let check = vetted(
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
    let report: Value = serde_json::from_str(&check.stdout).unwrap();
    let contract_errors: Vec<&Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"].as_str().unwrap().starts_with("E0") && d["severity"] == "error")
        .collect();
    assert!(contract_errors.is_empty(), "{contract_errors:#?}");
    write_schemas(tmp.path(), "reg", "schemas");
    let found = validate(&tmp.path().join("schemas"), &tmp.path().join("reg"));
    assert_eq!(invalid_files(&found), BTreeMap::new());
}

/// The invalid fixture cases whose error is the shape of one file (an
/// unknown key, a wrong type, a missing key, an impossible date, a value
/// outside a closed set or a question's options, an unknown question): the
/// files `check` reports are exactly the files the schemas reject.
#[test]
fn files_check_rejects_for_their_shape_fail_their_schema() {
    let codes = [
        "E0102", "E0103", "E0104", "E0105", "E0106", "E0301", "E0302", "E0303",
    ];
    let tmp = registry("minimal", None);
    write_schemas(tmp.path(), "reg", "schemas");
    let schemas = tmp.path().join("schemas");
    let invalid = fixtures().join("invalid");
    let mut seen = 0;
    let mut dirs: Vec<PathBuf> = fs::read_dir(&invalid)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        if !codes.iter().any(|c| name.starts_with(c)) {
            continue;
        }
        seen += 1;
        let case = Case::read(&dir.join("case.toml"));
        let reg = registry("minimal", Some(&case));
        let found = validate(&schemas, &reg.path().join("reg"));
        let rejected: BTreeSet<&str> = invalid_files(&found).into_keys().collect();
        let reported: BTreeSet<&str> = case
            .at
            .iter()
            .map(|at| at.split(':').next().unwrap())
            .collect();
        assert_eq!(rejected, reported, "{name}: {found:#?}");
    }
    assert!(seen >= 10, "{seen}");
}

/// Mutations of the example registry's files, each the kind of mistake an
/// editor should catch as it is typed: `check` reports a data-contract
/// error in the file, and the file fails its schema; no other file does.
#[test]
fn mutated_example_files_fail_both_check_and_their_schema() {
    let mutations: &[(&str, &str, &str)] = &[
        // An unknown key.
        (
            "vendors/quillon-lab/vendor.toml",
            "owner = \"Laboratory Services\"",
            "owner = \"Laboratory Services\"\nownr = \"x\"",
        ),
        // A wrong type: an integer for a date.
        (
            "vendors/harborline-integration/artifacts.toml",
            "issued = 2026-05-20",
            "issued = 20260520",
        ),
        // A choice answer outside the question's options, and a url answer
        // with a scheme check refuses.
        (
            "vendors/tidewell-rpm/answers.toml",
            "patch_cadence = \"monthly\"",
            "patch_cadence = \"whenever\"",
        ),
        (
            "vendors/tidewell-rpm/answers.toml",
            "hardening_guide_url = \"https://",
            "hardening_guide_url = \"javascript://",
        ),
        // A multi answer with an item outside the options.
        (
            "vendors/verbatim-speech/answers.toml",
            "frameworks = [\"soc2-type2\",",
            "frameworks = [\"best-effort\", \"soc2-type2\",",
        ),
        // An unknown question id.
        (
            "vendors/lumenview-imaging/answers.toml",
            "[standards]\n",
            "[standards]\nshares_reports = true\n",
        ),
        // An unknown artifact kind.
        (
            "vendors/kestrel-telemetry/artifacts.toml",
            "kind = \"pentest\"",
            "kind = \"pen-test\"",
        ),
        // A finding severity outside its closed set.
        (
            "vendors/quillon-lab/findings.toml",
            "severity = \"medium\"",
            "severity = \"moderate\"",
        ),
        // An exception that accepts an unknown kind of thing.
        (
            "vendors/kestrel-telemetry/exceptions.toml",
            "accepts = \"rule:E1204\"",
            "accepts = \"policy:E1204\"",
        ),
        // A profile value that is not one of the factor's.
        (
            "vendors/sonora-hygiene/vendor.toml",
            "phi_access = \"",
            "phi_access = \"x-",
        ),
    ];
    let tmp = tempfile::tempdir().unwrap();
    write_schemas(
        tmp.path(),
        root().join("registry").to_str().unwrap(),
        "schemas",
    );
    let reg = tmp.path().join("reg");
    copy_dir(&root().join("registry"), &reg);
    for (file, find, replace) in mutations {
        let path = reg.join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(find), "{file}: `{find}` not found");
        fs::write(&path, text.replacen(find, replace, 1)).unwrap();
    }
    let mutated: BTreeSet<&str> = mutations.iter().map(|(file, _, _)| *file).collect();

    let check = vetted(
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
    let report: Value = serde_json::from_str(&check.stdout).unwrap();
    let contract_errors: BTreeSet<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"].as_str().unwrap().starts_with("E0") && d["severity"] == "error")
        .map(|d| {
            d["path"]
                .as_str()
                .unwrap()
                .trim_start_matches("reg/")
                .to_string()
        })
        .collect();
    let contract_errors: BTreeSet<&str> = contract_errors.iter().map(String::as_str).collect();
    assert_eq!(contract_errors, mutated);

    let found = validate(&tmp.path().join("schemas"), &reg);
    let rejected: BTreeSet<&str> = invalid_files(&found).into_keys().collect();
    assert_eq!(rejected, mutated, "{found:#?}");
    // Both answers.toml mutations of tidewell are caught, not only one.
    assert_eq!(found["vendors/tidewell-rpm/answers.toml"].len(), 2);
}
