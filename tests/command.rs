//! The commands as library functions (`vetted::command`): what they return,
//! and that the CLI prints exactly what the library's reports write.
//! Repositories are built in temporary folders with fixed signatures and
//! timestamps.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use vetted::command::{self, CheckOptions, DiffOptions, EjectOptions, HistoryOptions};
use vetted::report::{self, Format, PathDisplay};
use vetted::{Error, FailOn};

const TODAY: &str = "2026-11-22";

fn today() -> vetted::model::Date {
    TODAY.parse().unwrap()
}

/// A repository holding the minimal fixture under `registry/`, two commits:
/// the fixture, then Acme's audit rights dropped (a tier-1 error).
struct Repo {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

impl Repo {
    fn new() -> Repo {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("repo");
        common::copy_dir(&common::fixtures().join("minimal"), &root.join("registry"));
        let r = Repo { _tmp: tmp, root };
        r.git(&["init", "-q", "-b", "main"]);
        r.commit_all("Add the registry", 1_700_000_000);
        let vendor = r.registry().join("vendors/acme-infusion/vendor.toml");
        let text = fs::read_to_string(&vendor).unwrap();
        assert!(text.contains("audit_rights = true"));
        fs::write(
            &vendor,
            text.replacen("audit_rights = true", "audit_rights = false", 1),
        )
        .unwrap();
        r.commit_all("Drop audit rights", 1_700_003_600);
        r
    }

    fn git_at(&self, args: &[&str], time: u64) {
        let date = format!("@{time} +0000");
        let author = common::Author {
            date: &date,
            ..common::Author::ANA
        };
        common::git(&self.root, args, &author);
    }

    fn git(&self, args: &[&str]) {
        self.git_at(args, 1_700_000_000);
    }

    fn commit_all(&self, msg: &str, time: u64) {
        self.git_at(&["add", "-A"], time);
        self.git_at(&["commit", "-q", "-m", msg], time);
    }

    fn registry(&self) -> PathBuf {
        self.root.join("registry")
    }
}

fn check_at(registry: &Path, rev: Option<&str>) -> Result<vetted::CheckReport, Error> {
    command::check(&CheckOptions {
        registry: registry.to_path_buf(),
        today: today(),
        rev: rev.map(str::to_string),
    })
}

#[test]
fn check_reads_the_revision_asked_for_and_says_whether_it_fails() {
    let r = Repo::new();
    let now = check_at(&r.registry(), None).unwrap();
    assert_eq!(now.today, today());
    assert!(now.fails(FailOn::Error), "audit rights dropped: an error");
    let before = check_at(&r.registry(), Some("HEAD~1")).unwrap();
    assert!(!before.fails(FailOn::Error), "{:?}", before.diagnostics);
    let (registry, assessment) = before.assessed().expect("a valid registry");
    assert_eq!(registry.vendors.len(), assessment.vendors.len());

    match check_at(&r.registry(), Some("no-such-rev")) {
        Err(e @ Error::RevisionNotFound { .. }) => {
            if let Error::RevisionNotFound { rev, .. } = &e {
                assert_eq!(rev, "no-such-rev");
            }
            assert!(
                e.to_string()
                    .starts_with("cannot resolve revision `no-such-rev`: "),
                "{e}"
            );
            let help = e.help().expect("a missing revision has a help line");
            assert!(!help.contains("fsck"), "an unknown revision is no damage");
            assert!(
                std::error::Error::source(&e).is_some(),
                "libgit2's error is kept"
            );
        }
        Err(other) => panic!("expected a git error, got {other:?}"),
        Ok(_) => panic!("expected a git error"),
    }
    let missing = r.root.join("nowhere");
    match check_at(&missing, None) {
        Err(Error::NoRegistry { path }) => assert_eq!(path, missing),
        Err(other) => panic!("expected no registry, got {other:?}"),
        Ok(_) => panic!("expected no registry"),
    }
}

#[test]
fn diff_compares_two_revisions_or_one_with_the_working_tree() {
    let r = Repo::new();
    let opts = DiffOptions {
        registry: r.registry(),
        today: today(),
        base: "HEAD~1".into(),
        head: Some("HEAD".into()),
    };
    let d = command::diff(&opts).unwrap();
    assert_eq!((d.base.as_str(), d.head.as_str()), ("HEAD~1", "HEAD"));
    assert_eq!(d.changed.len(), 1);
    assert_eq!(d.changed[0].slug, "acme-infusion");
    assert!(d.fails(FailOn::Error), "{:?}", d.new_problems);
    assert!(
        d.new_problems
            .iter()
            .all(|p| p.path.contains("acme-infusion"))
    );

    // Without a head revision: the working tree, named as such.
    let d = command::diff(&DiffOptions { head: None, ..opts }).unwrap();
    assert_eq!(d.head, "working tree");
    assert_eq!(d.changed.len(), 1);
    let md = vetted::diff::render(&d, vetted::diff::Format::Markdown);
    assert!(md.starts_with("## vetted: registry changes `HEAD~1` → `working tree`"));
    let json = vetted::diff::render(&d, vetted::diff::Format::Json);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["head"], "working tree");

    // Nothing changed between a revision and itself.
    let same = command::diff(&DiffOptions {
        registry: r.registry(),
        today: today(),
        base: "HEAD".into(),
        head: Some("HEAD".into()),
    })
    .unwrap();
    assert!(same.changed.is_empty() && !same.fails(FailOn::Warning));
}

/// A data error in the working tree leaves the vendor assessed in part:
/// `diff` still lists it, with its status marked partial, and the data
/// error as a new problem (issue 13, item 3).
#[test]
fn diff_shows_a_vendor_that_became_partially_assessed() {
    let r = Repo::new();
    let artifacts = r.registry().join("vendors/cloudsched/artifacts.toml");
    let text = fs::read_to_string(&artifacts).unwrap();
    fs::write(
        &artifacts,
        format!("{text}\n[[artifact]]\nkind = \"soc2-typo\"\ntitle = \"t\"\nissued = 2026-01-01\n"),
    )
    .unwrap();
    let d = command::diff(&DiffOptions {
        registry: r.registry(),
        today: today(),
        base: "HEAD".into(),
        head: None,
    })
    .unwrap();
    let cloud = d
        .changed
        .iter()
        .find(|v| v.slug == "cloudsched")
        .expect("cloudsched is still compared");
    assert!(
        cloud.status.1.ends_with("(partial: data errors)") && !cloud.status.0.contains("partial"),
        "{:?}",
        cloud.status
    );
    assert!(d.new_problems.iter().any(|p| p.code == "E0305"));
    assert!(d.fails(FailOn::Error));
}

#[test]
fn history_lists_the_commits_and_keeps_its_cache_only_when_asked() {
    let r = Repo::new();
    let cache = r.root.parent().unwrap().join("cache");
    let h = command::history(&HistoryOptions {
        registry: r.registry(),
        cache_dir: None,
    })
    .unwrap();
    assert_eq!(h.commits.len(), 2);
    assert_eq!(h.commits[0].commit.summary, "Drop audit rights");
    assert!(!cache.exists());
    let summary = report::history::summary(&h);
    assert_eq!(summary.lines().count(), 2);
    assert!(
        summary
            .lines()
            .next()
            .unwrap()
            .ends_with("Ana Analyst: Drop audit rights [acme-infusion]"),
        "{summary}"
    );

    let cached = command::history(&HistoryOptions {
        registry: r.registry(),
        cache_dir: Some(cache.clone()),
    })
    .unwrap();
    assert!(cache.exists(), "the walk keeps what it learnt");
    assert_eq!(cached.commits, h.commits);
}

#[test]
fn eject_writes_beside_the_registry_by_default() {
    let tmp = common::registry("minimal", None);
    let reg = tmp.path().join("reg");
    let ejected = command::eject_theme(&EjectOptions {
        registry: reg.clone(),
        dir: None,
    })
    .unwrap();
    assert_eq!(ejected.dir, tmp.path().join("themes/default"));
    assert!(!ejected.files.is_empty());
    assert!(ejected.files.iter().all(|f| f.starts_with(&ejected.dir)));
    // A second time refuses and writes nothing.
    assert!(
        command::eject_theme(&EjectOptions {
            registry: reg,
            dir: None,
        })
        .is_err()
    );
}

/// The report module writes, byte for byte, what `vetted check` prints (the
/// CLI adds only its stream filter, which leaves this fixture's text alone).
#[test]
fn the_cli_prints_what_the_report_module_writes_in_every_format() {
    let tmp = common::registry("hostile", None);
    let report = check_at(&tmp.path().join("reg"), None).unwrap();
    let paths = PathDisplay::new(Path::new("reg"));
    for (format, name) in [
        (Format::Human, "human"),
        (Format::Json, "json"),
        (Format::Github, "github"),
        (Format::Sarif, "sarif"),
        (Format::Junit, "junit"),
        (Format::Gitlab, "gitlab"),
    ] {
        let mut written = Vec::new();
        report::write(format, &report, &paths, false, &mut written).unwrap();
        let run = common::vetted(
            tmp.path(),
            &[
                "check",
                "--registry",
                "reg",
                "--today",
                TODAY,
                "--format",
                name,
            ],
        );
        let expected = match format.stream_style() {
            Some(style) => {
                vetted::console::inert(&String::from_utf8(written).unwrap(), style).into_owned()
            }
            None => String::from_utf8(written).unwrap(),
        };
        assert_eq!(run.stdout, expected, "--format {name}");
        assert_eq!(run.code, i32::from(report.fails(FailOn::Error)), "{name}");
    }
}

#[test]
fn the_json_document_has_its_documented_fields() {
    let tmp = common::registry("minimal", None);
    let report = check_at(&tmp.path().join("reg"), None).unwrap();
    let mut out = Vec::new();
    report::write(
        Format::Json,
        &report,
        &PathDisplay::new(Path::new("reg")),
        false,
        &mut out,
    )
    .unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.ends_with("}\n"));
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "diagnostics",
            "not_assessed",
            "partially_assessed",
            "summary",
            "today",
            "vendors",
            "version"
        ]
    );
    assert_eq!(v["version"], 1);
    assert_eq!(v["today"], TODAY);
    assert_eq!(v["vendors"].as_array().unwrap().len(), 2);
    assert_eq!(
        v["summary"]["errors"].as_u64().unwrap() as usize,
        report
            .diagnostics
            .iter()
            .filter(|d| d.severity == vetted::diag::Severity::Error)
            .count()
    );
    for d in v["diagnostics"].as_array().unwrap() {
        assert!(d["path"].as_str().unwrap().starts_with("reg/"), "{d}");
    }
}
