//! Incremental builds: a build with the cache folder renders only the pages
//! whose inputs changed and publishes without rewriting unchanged files, and
//! its output is byte for byte a cold build's after every kind of change.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::{Author, git};
use vetted::Error;
use vetted::command::{self, BuildOptions, BuildOutcome, HistorySource};
use vetted::render::BuildStats;

const TODAY: &str = "2026-11-22";

/// The example registry in a git repository of its own: `root/registry`.
struct Repo {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    /// The `--today` of every build (changed by a test).
    today: std::cell::Cell<&'static str>,
}

impl Repo {
    fn new() -> Repo {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("repo");
        common::copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("registry"),
            &root.join("registry"),
        );
        git(&root, &["init", "-q", "-b", "main"], &Author::ANA);
        let repo = Repo {
            _tmp: tmp,
            root,
            today: std::cell::Cell::new(TODAY),
        };
        repo.commit("The example registry");
        repo
    }

    fn reg(&self) -> PathBuf {
        self.root.join("registry")
    }

    fn path(&self, name: &str) -> PathBuf {
        self.root.parent().unwrap().join(name)
    }

    fn commit(&self, message: &str) {
        git(&self.root, &["add", "-A"], &Author::ANA);
        git(
            &self.root,
            &["commit", "-q", "--allow-empty", "-m", message],
            &Author::ANA,
        );
    }

    fn edit(&self, file: &str, find: &str, replace: &str) {
        let p = self.reg().join(file);
        let text = fs::read_to_string(&p).unwrap();
        assert!(text.contains(find), "{file}: `{find}` not found");
        fs::write(&p, text.replacen(find, replace, 1)).unwrap();
    }

    /// Build into `out`; with `cache`, incrementally. Notes come back too.
    fn try_build(
        &self,
        out: &Path,
        cache: Option<&Path>,
        theme_dir: Option<PathBuf>,
    ) -> Result<(BuildStats, Vec<String>), Error> {
        let opts = BuildOptions {
            registry: self.reg(),
            today: self.today.get().parse().unwrap(),
            out: out.to_path_buf(),
            theme_dir,
            history: HistorySource::Git {
                cache_dir: cache.map(Path::to_path_buf),
            },
            rev: None,
            progress: false,
        };
        let mut notes = Vec::new();
        match command::build(&opts, &mut |n| notes.push(n.to_string()))? {
            BuildOutcome::Built(built) => Ok((built.stats, notes)),
            BuildOutcome::Refused(r) => panic!("refused: {:?}", r.diagnostics().0),
        }
    }

    /// A warm build into `public` (cache `cache`), then a cold one into
    /// `cold`: the two trees must be identical. Gives the warm build's stats.
    fn warm_equals_cold(&self, why: &str) -> BuildStats {
        let (stats, notes) = self
            .try_build(&self.path("public"), Some(&self.path("cache")), None)
            .unwrap();
        assert!(notes.iter().all(|n| !n.contains("manifest")), "{notes:?}");
        self.try_build(&self.path("cold"), None, None).unwrap();
        let (warm, cold) = (tree(&self.path("public")), tree(&self.path("cold")));
        assert_eq!(
            warm.keys().collect::<Vec<_>>(),
            cold.keys().collect::<Vec<_>>(),
            "{why}: the same files"
        );
        for (path, bytes) in &warm {
            assert!(
                bytes == &cold[path],
                "{why}: {path} differs from a cold build"
            );
        }
        stats
    }
}

/// Every file under `dir`, by relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            files.insert(rel, fs::read(entry.path()).unwrap());
        }
    }
    files
}

/// (inode, modification time) of every file under `dir`.
fn stamps(dir: &Path) -> BTreeMap<String, (u64, std::time::SystemTime)> {
    use std::os::unix::fs::MetadataExt;
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let m = entry.metadata().unwrap();
            let rel = entry.path().strip_prefix(dir).unwrap();
            files.insert(
                rel.to_string_lossy().replace('\\', "/"),
                (m.ino(), m.modified().unwrap()),
            );
        }
    }
    files
}

/// The files whose inode or modification time changed between two stamps.
fn rewritten(
    before: &BTreeMap<String, (u64, std::time::SystemTime)>,
    after: &BTreeMap<String, (u64, std::time::SystemTime)>,
) -> Vec<String> {
    after
        .iter()
        .filter(|(path, s)| before.get(*path) != Some(s))
        .map(|(path, _)| path.clone())
        .collect()
}

const TIDEWELL: &str = "vendors/tidewell-rpm/index.html";
const BELLTOWER: &str = "vendors/belltower-nursecall/index.html";

#[test]
fn a_warm_build_is_a_cold_build_byte_for_byte_after_every_kind_of_change() {
    let repo = Repo::new();
    let first = repo.warm_equals_cold("first build (no manifest yet)");
    assert_eq!(first.reused, 0, "nothing to reuse on the first build");

    // Nothing changed: every file is kept.
    let before = stamps(&repo.path("public"));
    let same = repo.warm_equals_cold("nothing changed");
    assert_eq!(same.reused, before.len(), "every file kept");
    assert!(rewritten(&before, &stamps(&repo.path("public"))).is_empty());

    // One vendor edited (uncommitted): its page and the aggregates change,
    // the other vendors' pages and the static files are not rewritten.
    let before = stamps(&repo.path("public"));
    repo.edit(
        "vendors/tidewell-rpm/notes.md",
        "",
        "Renewal call booked with the account team.\n\n",
    );
    let edited = repo.warm_equals_cold("one vendor edited");
    let changed = rewritten(&before, &stamps(&repo.path("public")));
    assert!(changed.iter().any(|p| p == TIDEWELL), "{changed:?}");
    assert!(!changed.iter().any(|p| p == BELLTOWER), "{changed:?}");
    assert!(
        !changed.iter().any(|p| p.starts_with("static/")),
        "{changed:?}"
    );
    assert!(
        changed.len() < before.len() / 2 && edited.reused >= before.len() / 2,
        "most files kept: {} rewritten of {}",
        changed.len(),
        before.len()
    );

    // The same edit committed: only the history changed (uncommitted → a commit).
    repo.commit("Tidewell: renewal call");
    repo.warm_equals_cold("a commit that changes only the history");

    // An empty commit: a new entry in the change log, no vendor changed.
    repo.commit("Nothing but a message");
    repo.warm_equals_cold("an empty commit");

    // A vendor added, then one removed.
    common::copy_dir(
        &repo.reg().join("vendors/tidewell-rpm"),
        &repo.reg().join("vendors/tidewell-two"),
    );
    repo.edit(
        "vendors/tidewell-two/vendor.toml",
        "name = \"Tidewell Health\"",
        "name = \"Tidewell Two\"",
    );
    repo.commit("Add Tidewell Two");
    repo.warm_equals_cold("a vendor added");
    assert!(
        repo.path("public/vendors/tidewell-two/index.html")
            .is_file()
    );
    fs::remove_dir_all(repo.reg().join("vendors/belltower-nursecall")).unwrap();
    repo.commit("Remove Belltower");
    repo.warm_equals_cold("a vendor removed");
    assert!(!repo.path("public").join(BELLTOWER).exists());

    // A policy change that every page shows (the site title): all rendered again.
    let before = stamps(&repo.path("public"));
    repo.edit(
        "vetted.toml",
        "title = \"Northbridge Medtech Vendor Registry\"",
        "title = \"Northbridge Vendor Registry\"",
    );
    repo.warm_equals_cold("the site title changed");
    let changed = rewritten(&before, &stamps(&repo.path("public")));
    assert!(changed.iter().any(|p| p == TIDEWELL), "{changed:?}");
    assert!(
        changed
            .iter()
            .any(|p| p == "vendors/lumenview-imaging/index.html")
    );
}

#[test]
fn keyed_vendor_pages_follow_every_input_they_show() {
    // Vendor pages are keyed by their inputs (not by their view data):
    // each change below reaches vendor pages through a different input.
    let repo = Repo::new();
    repo.warm_equals_cold("first build");
    repo.today.set("2027-03-01");
    repo.warm_equals_cold("--today changed");
    let before = stamps(&repo.path("public"));
    repo.edit(
        "tiers.toml",
        "name = \"Critical\"",
        "name = \"Most critical\"",
    );
    repo.warm_equals_cold("a tier renamed in tiers.toml");
    let changed = rewritten(&before, &stamps(&repo.path("public")));
    assert!(changed.iter().any(|p| p == TIDEWELL), "{changed:?}");
    repo.edit(
        "questionnaire.toml",
        "Which security and privacy frameworks",
        "Which frameworks",
    );
    repo.warm_equals_cold("a question's prompt changed");
    repo.commit("Policy");
    repo.warm_equals_cold("the policy committed");
    // An evidence file replaced (and its recorded sha256 with it).
    let csv = repo
        .reg()
        .join("vendors/kestrel-telemetry/evidence/pentest-2026-summary.csv");
    let sha = |b: &[u8]| {
        use sha2::Digest;
        sha2::Sha256::digest(b)
            .iter()
            .map(|x| format!("{x:02x}"))
            .collect::<String>()
    };
    let mut bytes = fs::read(&csv).unwrap();
    let old = sha(&bytes);
    bytes.extend_from_slice(b"KPT-99,low,Central Station,Banner text,fixed,none\n");
    fs::write(&csv, &bytes).unwrap();
    repo.edit(
        "vendors/kestrel-telemetry/artifacts.toml",
        &old,
        &sha(&bytes),
    );
    repo.warm_equals_cold("an evidence file changed");
    // A vendor folder renamed (history follows the rename).
    git(
        &repo.root,
        &[
            "mv",
            "registry/vendors/tidewell-rpm",
            "registry/vendors/tidewell-renamed",
        ],
        &Author::ANA,
    );
    repo.warm_equals_cold("a vendor renamed (uncommitted)");
    repo.commit("Rename Tidewell");
    repo.warm_equals_cold("a vendor renamed");
    assert!(!repo.path("public").join(TIDEWELL).exists());
    // One vendor's name changed: another vendor's page is kept.
    let before = stamps(&repo.path("public"));
    repo.edit(
        "vendors/kestrel-telemetry/vendor.toml",
        "name = \"Kestrel Patient Monitoring\"",
        "name = \"Kestrel Monitoring\"",
    );
    repo.warm_equals_cold("a vendor's name changed");
    let changed = rewritten(&before, &stamps(&repo.path("public")));
    assert!(
        changed
            .iter()
            .any(|p| p == "vendors/kestrel-telemetry/index.html"),
        "{changed:?}"
    );
    assert!(!changed.iter().any(|p| p == BELLTOWER), "{changed:?}");
}

#[test]
fn a_theme_change_renders_every_page_again() {
    let repo = Repo::new();
    let (public, cache) = (repo.path("public"), repo.path("cache"));
    repo.try_build(&public, Some(&cache), None).unwrap();
    let theme = repo.path("theme");
    fs::create_dir_all(theme.join("templates/partials")).unwrap();
    let footer = vetted::render::DEFAULT_THEME
        .iter()
        .find(|(p, _)| *p == "templates/partials/footer.html")
        .map(|(_, t)| t.replace("</footer>", "<p>Theme 2</p></footer>"))
        .expect("the default theme has a footer partial");
    fs::write(theme.join("templates/partials/footer.html"), footer).unwrap();
    let (stats, _) = repo
        .try_build(&public, Some(&cache), Some(theme.clone()))
        .unwrap();
    repo.try_build(&repo.path("cold"), None, Some(theme))
        .unwrap();
    assert_eq!(tree(&public), tree(&repo.path("cold")));
    assert!(
        fs::read_to_string(public.join(TIDEWELL))
            .unwrap()
            .contains("Theme 2")
    );
    // Only files whose bytes are the same (static files, the search index) are kept.
    let html_kept = stats.reused.saturating_sub(
        tree(&public)
            .keys()
            .filter(|p| !p.ends_with(".html"))
            .count(),
    );
    assert_eq!(html_kept, 0, "no page kept: {stats:?}");
}

#[test]
fn a_damaged_manifest_is_ignored_with_a_note_and_the_build_is_cold() {
    let repo = Repo::new();
    let (public, cache) = (repo.path("public"), repo.path("cache"));
    repo.try_build(&public, Some(&cache), None).unwrap();
    let manifests: Vec<PathBuf> = fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("site-")
        })
        .collect();
    assert_eq!(manifests.len(), 1, "one manifest: {manifests:?}");
    let text = fs::read_to_string(&manifests[0]).unwrap();
    // An entry that claims a page was made from other inputs: the checksum catches it.
    fs::write(
        &manifests[0],
        text.replacen("\"inputs\":\"", "\"inputs\":\"0", 1),
    )
    .unwrap();
    let (stats, notes) = repo.try_build(&public, Some(&cache), None).unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("site manifest was damaged")),
        "{notes:?}"
    );
    assert_eq!(stats.reused, 0, "nothing trusted");
    repo.try_build(&repo.path("cold"), None, None).unwrap();
    assert_eq!(tree(&public), tree(&repo.path("cold")));
    // The build wrote a good manifest again.
    let (stats, notes) = repo.try_build(&public, Some(&cache), None).unwrap();
    assert!(notes.iter().all(|n| !n.contains("manifest")), "{notes:?}");
    assert!(stats.reused > 0);
}

#[test]
fn a_published_file_edited_by_hand_is_written_again() {
    let repo = Repo::new();
    let (public, cache) = (repo.path("public"), repo.path("cache"));
    repo.try_build(&public, Some(&cache), None).unwrap();
    let page = public.join(TIDEWELL);
    let original = fs::read(&page).unwrap();
    // Appended to in place: the same inode, another size.
    let mut f = fs::OpenOptions::new().append(true).open(&page).unwrap();
    std::io::Write::write_all(&mut f, b"<!-- edited -->").unwrap();
    drop(f);
    fs::remove_file(public.join("static/style.css")).unwrap();
    repo.try_build(&public, Some(&cache), None).unwrap();
    assert_eq!(fs::read(&page).unwrap(), original);
    assert!(public.join("static/style.css").is_file());
}

#[test]
fn an_error_mid_build_leaves_the_published_site_and_its_files_intact() {
    let repo = Repo::new();
    let (public, cache) = (repo.path("public"), repo.path("cache"));
    // A theme that fails on one vendor's page, once that vendor is renamed.
    let theme = repo.path("theme");
    fs::create_dir_all(theme.join("templates/partials/vendor")).unwrap();
    let findings = vetted::render::DEFAULT_THEME
        .iter()
        .find(|(p, _)| *p == "templates/partials/vendor/findings.html")
        .map(|(_, t)| *t)
        .expect("the default theme has a findings partial");
    fs::write(
        theme.join("templates/partials/vendor/findings.html"),
        format!(
            "{{% if vendor.name == \"Tidewell Broken\" %}}{{{{ vendor.no_such_field.deeper }}}}{{% endif %}}{findings}"
        ),
    )
    .unwrap();
    repo.try_build(&public, Some(&cache), Some(theme.clone()))
        .unwrap();
    let (before, before_stamps) = (tree(&public), stamps(&public));
    repo.edit(
        "vendors/tidewell-rpm/vendor.toml",
        "name = \"Tidewell Health\"",
        "name = \"Tidewell Broken\"",
    );
    match repo.try_build(&public, Some(&cache), Some(theme.clone())) {
        Err(e @ Error::ThemeRender { .. }) => assert!(e.to_string().contains("findings.html")),
        other => panic!("expected a render error, got {:?}", other.map(|s| s.0)),
    }
    assert_eq!(tree(&public), before, "the published site is unchanged");
    assert_eq!(
        stamps(&public),
        before_stamps,
        "no published file was touched"
    );
    let litter: Vec<_> = fs::read_dir(public.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    assert!(litter.is_empty(), "no staging folder left: {litter:?}");
    // Fixed: the next build keeps what it can and equals a cold one.
    repo.edit(
        "vendors/tidewell-rpm/vendor.toml",
        "name = \"Tidewell Broken\"",
        "name = \"Tidewell Fixed\"",
    );
    let (stats, _) = repo
        .try_build(&public, Some(&cache), Some(theme.clone()))
        .unwrap();
    assert!(stats.reused > 0);
    repo.try_build(&repo.path("cold"), None, Some(theme))
        .unwrap();
    assert_eq!(tree(&public), tree(&repo.path("cold")));
}

#[test]
fn build_no_cache_is_a_cold_build_that_reads_and_writes_no_cache() {
    let repo = Repo::new();
    let dir = repo.root.parent().unwrap().to_path_buf();
    let reg = repo.reg();
    let args = |extra: &[&'static str]| {
        let mut a = vec![
            "build".to_string(),
            "--registry".into(),
            reg.display().to_string(),
            "--today".into(),
            TODAY.into(),
            "--out".into(),
            "public".into(),
        ];
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let run = |extra: &[&'static str]| {
        let a = args(extra);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        common::vetted(&dir, &a)
    };
    let first = run(&[]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(dir.join(".vetted-cache").is_dir());
    let warm = run(&[]);
    assert!(
        !warm.stderr.contains(" 0 files unchanged"),
        "{}",
        warm.stderr
    );
    fs::remove_dir_all(dir.join(".vetted-cache")).unwrap();
    let cold = run(&["--no-cache"]);
    assert_eq!(cold.code, 0, "{}", cold.stderr);
    assert!(
        cold.stderr.contains(" 0 files unchanged"),
        "{}",
        cold.stderr
    );
    assert!(!dir.join(".vetted-cache").exists(), "no cache written");
}

/// The `history-*.json` file of a cache folder.
fn history_cache(cache: &Path) -> Vec<u8> {
    let mut files: Vec<PathBuf> = fs::read_dir(cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("history-"))
        })
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    fs::read(files.remove(0)).unwrap()
}

#[test]
fn a_history_cache_saved_on_top_of_its_own_lines_is_the_one_a_full_walk_writes() {
    let repo = Repo::new();
    let (out, cache) = (repo.path("public"), repo.path("cache"));
    repo.try_build(&out, Some(&cache), None).unwrap();
    for i in 0..3 {
        repo.edit(
            "vendors/tidewell-rpm/notes.md",
            "",
            &format!("Call {i} booked.\n\n"),
        );
        repo.commit(&format!("Tidewell: call {i}"));
        // A build after one new commit keeps the cached lines as read and
        // adds the new one; the next build reads it back without a note.
        let (_, notes) = repo.try_build(&out, Some(&cache), None).unwrap();
        assert!(notes.iter().all(|n| !n.contains("cache")), "{notes:?}");
    }
    // A full walk into an empty cache folder writes the same file.
    let fresh = repo.path("fresh-cache");
    repo.try_build(&repo.path("other"), Some(&fresh), None)
        .unwrap();
    assert!(history_cache(&cache) == history_cache(&fresh));
    repo.warm_equals_cold("three commits, each on a warm history cache");
}

#[test]
fn a_vendor_page_follows_its_older_changes_link_when_newer_commits_move_it() {
    // One commit a change log page and one change a vendor page: the
    // vendor's "Older changes" link names the page its second newest change
    // is on, which every newer commit moves, whatever it touches.
    let repo = Repo::new();
    repo.edit(
        "vetted.toml",
        "rows_per_page = 100\n",
        "rows_per_page = 1\nvendor_history = 1\n",
    );
    repo.commit("One commit a page");
    for i in 0..2 {
        repo.edit(
            "vendors/tidewell-rpm/notes.md",
            "",
            &format!("Call {i} booked.\n\n"),
        );
        repo.commit(&format!("Tidewell: call {i}"));
    }
    repo.warm_equals_cold("two Tidewell commits");
    let page = || fs::read_to_string(repo.path("public").join(TIDEWELL)).unwrap();
    let before = page();
    repo.edit(
        "vendors/belltower-nursecall/notes.md",
        "",
        "Call booked.\n\n",
    );
    repo.commit("Belltower: call");
    repo.warm_equals_cold("another vendor's commit moves the older changes");
    assert_ne!(before, page(), "the link moved to the next change log page");
}
