//! `init`: a complete new registry. The policy files are the example
//! registry's (the default questionnaire, tiers and artifact kinds, embedded
//! in the binary) with the example hospital's name taken out, and a starter
//! `vetted.toml`; an empty `vendors/`; a Taplo configuration at the
//! repository root that points editors at the registry's JSON Schemas; and,
//! with `--ci`, the CI workflow of README "CI recipes" (templates beside
//! this file). Nothing is ever overwritten: one existing target and nothing
//! is written.
//!
//! The repository root is the registry folder's parent (the current folder
//! for the default `registry`); for `init .` it is the registry itself.

use std::path::{Component, Path, PathBuf};

use super::scaffold::{NewFile, write_new_files};
use crate::error::Error;
use crate::load::{KINDS_FILE, QUESTIONNAIRE_FILE, SETTINGS_FILE, TIERS_FILE};

/// The starter settings: neutral site text, every policy key at its default.
const STARTER_SETTINGS: &str = include_str!("vetted.toml");
/// The example registry's policy files, the defaults `init` starts from.
const EXAMPLE_QUESTIONNAIRE: &str = include_str!("../../../registry/questionnaire.toml");
const EXAMPLE_TIERS: &str = include_str!("../../../registry/tiers.toml");
const EXAMPLE_KINDS: &str = include_str!("../../../registry/artifact-kinds.toml");
/// The CI workflows; `{registry}` is the registry folder, relative to the
/// root, and `{version}` vetted's version (the GitLab image's tag).
const GITHUB_WORKFLOW: &str = include_str!("github.yml");
const GITLAB_WORKFLOW: &str = include_str!("gitlab-ci.yml");

/// Where the example registry names its hospital, and what a new registry
/// says instead (each `from` occurs exactly once: a test keeps them in step
/// with the example).
const NEUTRAL_WORDING: &[(&str, &str, &str)] = &[
    (
        QUESTIONNAIRE_FILE,
        "the Northbridge medtech vendor security questionnaire.",
        "the medtech vendor security questionnaire.",
    ),
    (
        QUESTIONNAIRE_FILE,
        "the part that actually serves Northbridge.",
        "the part that actually serves the hospital.",
    ),
    (
        QUESTIONNAIRE_FILE,
        "reuse Northbridge data",
        "reuse the hospital's data",
    ),
    (
        QUESTIONNAIRE_FILE,
        "inside the required geography (US for Northbridge).",
        "inside the required geography (vetted.toml's allowed_regions).",
    ),
    (
        QUESTIONNAIRE_FILE,
        "slower than the 72 hours Northbridge accepts.",
        "slower than the 72 hours the hospital accepts.",
    ),
    (
        TIERS_FILE,
        "how Northbridge decides",
        "how the hospital decides",
    ),
];

/// The CI system whose workflow `init --ci` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Ci {
    /// `.github/workflows/vetted.yml`: check, SARIF uploaded to code scanning.
    Github,
    /// `.gitlab-ci.yml`: check, Code Quality and JUnit reports.
    Gitlab,
}

/// What `vetted init` is asked.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The new registry's folder (it may exist; its files may not).
    pub dir: PathBuf,
    pub ci: Option<Ci>,
}

/// The new registry: where it is and every file written, in order.
#[derive(Debug, Clone)]
pub struct Initialized {
    pub registry: PathBuf,
    pub files: Vec<PathBuf>,
}

/// Write a new registry; nothing at all when any of its files exists.
pub fn init(opts: &InitOptions) -> Result<Initialized, Error> {
    let (root, rel) = root_and_name(&opts.dir)?;
    let files = starter_files(&opts.dir, &root, &rel, opts.ci)?;
    // The schemas are written once the policy files are there to read; a
    // schema file already in place refuses the whole init, as any other.
    let schema_dir = opts.dir.join(crate::schema::DIR);
    let existing: Vec<PathBuf> = files
        .iter()
        .map(|f| f.path.clone())
        .chain(
            crate::schema::NAMES
                .iter()
                .map(|name| schema_dir.join(name)),
        )
        .filter(|p| p.symlink_metadata().is_ok())
        .collect();
    if !existing.is_empty() {
        return Err(Error::ScaffoldExisting { paths: existing });
    }
    let mut files = write_new_files(&files)?;
    files.extend(write_schemas(&opts.dir)?);
    Ok(Initialized {
        registry: opts.dir.clone(),
        files,
    })
}

/// The JSON Schemas of the new registry (`vetted schema`), into its
/// `schemas/` folder, where the Taplo configuration points.
fn write_schemas(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let validated = crate::validate::validate(crate::load::load(dir));
    let Some(registry) = validated.registry else {
        // The starter files are the binary's own; a test keeps them valid.
        return Ok(Vec::new());
    };
    let out = dir.join(crate::schema::DIR);
    let files: Vec<NewFile> = crate::schema::generate(&registry)
        .into_iter()
        .map(|(name, text)| NewFile {
            path: out.join(name),
            text,
        })
        .collect();
    write_new_files(&files)
}

/// The repository root (the registry's parent) and the registry's path
/// from it, as written into the Taplo and CI configuration.
fn root_and_name(dir: &Path) -> Result<(PathBuf, String), Error> {
    if dir.components().all(|c| c == Component::CurDir) {
        return Ok((dir.to_path_buf(), ".".into()));
    }
    let not_a_name = || Error::InitNotAFolderName {
        path: dir.to_path_buf(),
    };
    let name = dir.file_name().ok_or_else(not_a_name)?;
    let name = name.to_str().ok_or_else(not_a_name)?.to_string();
    // `registry`'s parent is the current folder, written as no folder at
    // all so the paths printed read `.taplo.toml`, not `./.taplo.toml`.
    let root = dir.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok((root, name))
}

/// Every file of the new registry, with its text.
fn starter_files(
    dir: &Path,
    root: &Path,
    rel: &str,
    ci: Option<Ci>,
) -> Result<Vec<NewFile>, Error> {
    let file = |path: PathBuf, text: String| NewFile { path, text };
    let mut files = vec![
        file(dir.join(SETTINGS_FILE), STARTER_SETTINGS.to_string()),
        file(
            dir.join(QUESTIONNAIRE_FILE),
            neutral(QUESTIONNAIRE_FILE, EXAMPLE_QUESTIONNAIRE),
        ),
        file(dir.join(TIERS_FILE), neutral(TIERS_FILE, EXAMPLE_TIERS)),
        file(dir.join(KINDS_FILE), neutral(KINDS_FILE, EXAMPLE_KINDS)),
        // Git keeps no empty folder; the loader skips dot files in vendors/.
        file(dir.join("vendors/.gitkeep"), String::new()),
        file(root.join(".taplo.toml"), crate::schema::taplo_config(rel)),
    ];
    if let Some(ci) = ci {
        let (path, template) = match ci {
            Ci::Github => (".github/workflows/vetted.yml", GITHUB_WORKFLOW),
            Ci::Gitlab => (".gitlab-ci.yml", GITLAB_WORKFLOW),
        };
        files.push(file(root.join(path), ci_workflow(template, rel)?));
    }
    Ok(files)
}

/// An example policy file with the example hospital's name taken out.
fn neutral(name: &str, text: &str) -> String {
    NEUTRAL_WORDING
        .iter()
        .filter(|(file, _, _)| *file == name)
        .fold(text.to_string(), |t, (_, from, to)| t.replacen(from, to, 1))
}

/// A CI template with the registry's path filled in. The path goes into
/// shell commands inside YAML, so only names that need no quoting in either
/// are accepted.
fn ci_workflow(template: &str, rel: &str) -> Result<String, Error> {
    let safe = !rel.is_empty()
        && !rel.starts_with('-')
        && rel
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if !safe {
        return Err(Error::CiUnsafeName { name: rel.into() });
    }
    Ok(template
        .replace("{registry}", rel)
        .replace("{version}", env!("CARGO_PKG_VERSION")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_neutral_wording_replaces_every_mention_of_the_example_hospital() {
        for (name, text) in [
            (QUESTIONNAIRE_FILE, EXAMPLE_QUESTIONNAIRE),
            (TIERS_FILE, EXAMPLE_TIERS),
            (KINDS_FILE, EXAMPLE_KINDS),
        ] {
            for (_, from, _) in NEUTRAL_WORDING.iter().filter(|(f, _, _)| *f == name) {
                assert_eq!(text.matches(from).count(), 1, "{name}: {from}");
            }
            let out = neutral(name, text);
            assert!(
                !out.contains("Northbridge"),
                "{name} still names the example hospital"
            );
            // Only the wording changes: the same lines, the same policy.
            assert_eq!(out.lines().count(), text.lines().count(), "{name}");
        }
        assert!(!STARTER_SETTINGS.contains("Northbridge"));
    }

    #[test]
    fn the_starter_settings_write_every_policy_key_at_its_default() {
        let starter: toml::Table = toml::from_str(STARTER_SETTINGS).unwrap();
        let defaults: toml::Table =
            toml::from_str(include_str!("../../model/policy-defaults.toml")).unwrap();
        let table = |t: &toml::Table, path: &[&str]| {
            path.iter()
                .try_fold(t, |t, k| t.get(*k)?.as_table())
                .cloned()
                .unwrap_or_default()
        };
        for path in [
            &["policy"][..],
            &["policy", "residency"],
            &["policy", "fourth_parties"],
            &["policy", "evidence_files"],
            &["decision"],
        ] {
            let (ours, theirs) = (table(&starter, path), table(&defaults, path));
            let keys = |t: &toml::Table| {
                t.iter()
                    .filter(|(_, v)| !v.is_table())
                    .map(|(k, _)| k.clone())
                    .collect::<Vec<_>>()
            };
            assert_eq!(keys(&ours), keys(&theirs), "{path:?}");
            for (k, v) in theirs.iter().filter(|(_, v)| !v.is_table()) {
                // PHI is named, so a new registry holds PHI subprocessors to
                // the BAA flow-down from its first vendor on.
                if k != "phi_data" {
                    assert_eq!(ours.get(k), Some(v), "{path:?}.{k}");
                }
            }
        }
    }

    #[test]
    fn the_root_is_the_registrys_parent_or_the_registry_itself() {
        let at = |d: &str| root_and_name(Path::new(d)).unwrap();
        assert_eq!(at("registry"), (PathBuf::new(), "registry".into()));
        assert_eq!(at("repo/data"), (PathBuf::from("repo"), "data".into()));
        assert_eq!(at("/srv/reg/"), (PathBuf::from("/srv"), "reg".into()));
        assert_eq!(at("."), (PathBuf::from("."), ".".into()));
        for bad in ["..", "/", "a/.."] {
            assert!(
                matches!(
                    root_and_name(Path::new(bad)),
                    Err(Error::InitNotAFolderName { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_ci_workflow_takes_only_a_plain_folder_name() {
        let yml = ci_workflow(GITHUB_WORKFLOW, "vendor-registry").unwrap();
        assert!(yml.contains("registry: vendor-registry\n"));
        let yml = ci_workflow(GITLAB_WORKFLOW, "vendor-registry").unwrap();
        assert!(yml.contains("--registry vendor-registry "));
        assert!(!yml.contains("{registry}"));
        for bad in ["my registry", "a'b", "$(x)", "-r", "a#b", "é", ""] {
            assert!(
                matches!(
                    ci_workflow(GITLAB_WORKFLOW, bad),
                    Err(Error::CiUnsafeName { .. })
                ),
                "{bad}"
            );
        }
    }
}
