//! History from git: repositories built in temporary folders with fixed
//! signatures and timestamps, compared commit for commit with `git log`.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use vetted::history::{self, DerivedChange, HistoryOptions, VendorChangeKind};

/// A scratch repository holding the minimal fixture under `registry/`.
struct Repo {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    clock: u64,
}

impl Repo {
    fn new() -> Repo {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("repo");
        common::copy_dir(&common::fixtures().join("minimal"), &root.join("registry"));
        let mut r = Repo {
            _tmp: tmp,
            root,
            clock: 1_700_000_000,
        };
        r.git(&["init", "-q", "-b", "main"]);
        r.commit_all("Add the registry");
        r
    }

    fn git(&mut self, args: &[&str]) -> String {
        self.clock += 3600;
        let date = format!("@{} +0100", self.clock);
        let author = common::Author {
            date: &date,
            ..common::Author::ANA
        };
        common::git(&self.root, args, &author)
    }

    fn commit_all(&mut self, msg: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", msg]);
    }

    fn edit(&self, file: &str, find: &str, replace: &str) {
        let p = self.root.join("registry").join(file);
        let text = fs::read_to_string(&p).unwrap();
        assert!(text.contains(find), "{file}: {find}");
        fs::write(p, text.replacen(find, replace, 1)).unwrap();
    }

    fn registry(&self) -> PathBuf {
        self.root.join("registry")
    }

    /// Raise Acme's breach-notification hours by one, `i` steps past 48.
    fn loosen_notification(&self, i: usize) {
        self.edit(
            "vendors/acme-infusion/vendor.toml",
            &format!("breach_notification_hours = {}", 48 + i),
            &format!("breach_notification_hours = {}", 49 + i),
        );
    }

    /// Pack every object with long delta chains and drop the loose copies.
    fn pack_all(&mut self) {
        self.git(&[
            "repack",
            "-a",
            "-d",
            "-q",
            "-f",
            "--depth=50",
            "--window=50",
        ]);
        self.git(&["prune-packed"]);
    }
}

fn read(registry: &Path) -> history::History {
    history::read(registry, &HistoryOptions::default()).unwrap()
}

fn git_log(root: &Path, path: &str) -> Vec<String> {
    let out = Command::new("git")
        .args(["log", "--first-parent", "--format=%H", "--", path])
        .current_dir(root)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// Each vendor's timeline lists, commit for commit, what
/// `git log --first-parent -- registry/vendors/<slug>` lists.
fn assert_same_as_git_log(r: &Repo, h: &history::History, slugs: &[&str]) {
    for slug in slugs {
        let ours: Vec<String> = h.vendors[*slug]
            .iter()
            .map(|e| e.commit.id.clone())
            .collect();
        assert_eq!(
            ours,
            git_log(&r.root, &format!("registry/vendors/{slug}")),
            "{slug}"
        );
    }
}

#[test]
fn linear_history_with_field_changes_and_derived_tier() {
    let mut r = Repo::new();
    r.edit(
        "vendors/acme-infusion/vendor.toml",
        "renewal = 2027-03-01",
        "renewal = 2028-03-01",
    );
    r.commit_all("Renew Acme contract");
    r.edit(
        "vendors/cloudsched/vendor.toml",
        "phi_access = \"none\"",
        "phi_access = \"full\"",
    );
    r.commit_all("CloudSched now stores patient names");
    fs::write(r.root.join("README"), "not the registry").unwrap();
    r.commit_all("Unrelated change");

    let h = read(&r.registry());
    assert!(h.available && !h.partial);
    assert_eq!(h.commits.len(), 3, "only commits that touch the registry");
    let acme = &h.vendors["acme-infusion"];
    assert_eq!(acme.len(), 2);
    assert_eq!(acme[0].commit.summary, "Renew Acme contract");
    assert_eq!(acme[0].commit.author, "Ana Analyst");
    assert_eq!(
        acme[0].changes[0].label,
        "contract.renewal: 2027-03-01 → 2028-03-01"
    );
    assert_eq!(acme[1].kind, VendorChangeKind::Added);
    let cs = &h.vendors["cloudsched"];
    assert_eq!(cs[0].derived, vec![DerivedChange::Tier { from: 3, to: 2 }]);
    // Provenance: the renewal is not an answer, but the vendor's files date from the first commit.
    assert_eq!(h.provenance["acme-infusion"]["*"].id, acme[1].commit.id);

    assert_same_as_git_log(&r, &h, &["acme-infusion", "cloudsched"]);
}

#[test]
fn merges_are_one_change_with_the_merge_message() {
    let mut r = Repo::new();
    r.git(&["checkout", "-q", "-b", "pr-1"]);
    r.edit(
        "vendors/acme-infusion/answers.toml",
        "shares_audit_reports = true",
        "shares_audit_reports = false",
    );
    r.commit_all("wip");
    r.edit(
        "vendors/acme-infusion/answers.toml",
        "notification_hours = 48",
        "notification_hours = 24",
    );
    r.commit_all("wip 2");
    r.git(&["checkout", "-q", "main"]);
    r.edit(
        "vendors/cloudsched/vendor.toml",
        "renewal = 2027-01-15",
        "renewal = 2027-02-15",
    );
    r.commit_all("Move CloudSched renewal");
    r.git(&[
        "merge",
        "-q",
        "--no-ff",
        "pr-1",
        "-m",
        "Merge pull request #1: Acme reassessment",
    ]);

    let h = read(&r.registry());
    let acme = &h.vendors["acme-infusion"];
    assert_eq!(
        acme[0].commit.summary,
        "Merge pull request #1: Acme reassessment"
    );
    let labels: Vec<&str> = acme[0].changes.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(
        labels,
        vec![
            "incident_response.notification_hours: 48 → 24",
            "standards.shares_audit_reports: yes → no"
        ]
    );
    assert_eq!(
        h.provenance["acme-infusion"]["answers:standards.shares_audit_reports"].id,
        acme[0].commit.id
    );
    assert_same_as_git_log(&r, &h, &["acme-infusion", "cloudsched"]);
}

#[test]
fn a_renamed_vendor_keeps_its_history() {
    let mut r = Repo::new();
    r.edit(
        "vendors/cloudsched/vendor.toml",
        "renewal = 2027-01-15",
        "renewal = 2027-02-15",
    );
    r.commit_all("Move CloudSched renewal");
    r.git(&[
        "mv",
        "registry/vendors/cloudsched",
        "registry/vendors/cloud-sched",
    ]);
    r.commit_all("Rename CloudSched folder");
    let h = read(&r.registry());
    let events = &h.vendors["cloud-sched"];
    assert_eq!(events.len(), 3, "{events:#?}");
    assert_eq!(
        events[0].kind,
        VendorChangeKind::Renamed {
            from: "cloudsched".into()
        }
    );
    assert_eq!(events[2].kind, VendorChangeKind::Added);
    assert!(!h.vendors.contains_key("cloudsched"));
    let mut expected = git_log(&r.root, "registry/vendors/cloud-sched");
    let older: Vec<String> = git_log(&r.root, "registry/vendors/cloudsched")
        .into_iter()
        .filter(|c| !expected.contains(c))
        .collect();
    expected.extend(older);
    let ours: Vec<String> = events.iter().map(|e| e.commit.id.clone()).collect();
    assert_eq!(ours, expected);
}

#[test]
fn a_shallow_clone_gives_partial_history_with_a_note() {
    let mut r = Repo::new();
    for i in 0..3 {
        r.edit(
            "vendors/acme-infusion/vendor.toml",
            &format!("breach_notification_hours = {}", 48 - i),
            &format!("breach_notification_hours = {}", 47 - i),
        );
        r.commit_all(&format!("Tighten notification {i}"));
    }
    let clone = r.root.parent().unwrap().join("shallow");
    let url = format!("file://{}", r.root.display());
    let out = Command::new("git")
        .args(["clone", "-q", "--depth", "2", &url])
        .arg(&clone)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let h = read(&clone.join("registry"));
    assert!(h.partial);
    assert!(
        h.notes.iter().any(|n| n.contains("shallow")),
        "{:?}",
        h.notes
    );
    assert!(h.commits.len() <= 2 && !h.commits.is_empty());
}

#[test]
fn no_repository_means_no_history_and_one_note() {
    let tmp = common::registry("minimal", None);
    let h = read(&tmp.path().join("reg"));
    assert!(!h.available);
    assert_eq!(h.notes.len(), 1);
    assert!(h.commits.is_empty());
}

#[test]
fn uncommitted_changes_come_first() {
    let r = Repo::new();
    r.edit(
        "vendors/acme-infusion/artifacts.toml",
        "period_end = 2026-03-31",
        "period_end = 2026-06-30",
    );
    let mut opts = HistoryOptions {
        working_tree: true,
        ..HistoryOptions::default()
    };
    let reg = vetted::load_and_validate(&vetted::RegistryOptions {
        registry: r.registry(),
        today: "2026-11-22".parse().unwrap(),
    })
    .unwrap();
    let reg = reg.registry.unwrap();
    opts.kinds = reg.kinds.clone();
    // The working folder's tier rules, as loaded, for uncommitted tier moves.
    opts.tiers = Some(std::sync::Arc::new(reg.tiers.clone()));
    let h = history::read(&r.registry(), &opts).unwrap();
    let first = &h.vendors["acme-infusion"][0];
    assert_eq!(first.commit.id, "uncommitted");
    assert_eq!(
        first.changes[0].label,
        "artifact[soc2-type2: SOC 2 Type II, pump fleet server].period_end: 2026-03-31 → 2026-06-30"
    );
    assert_eq!(
        first.derived,
        vec![DerivedChange::Validity {
            artifact: "soc2-type2: SOC 2 Type II, pump fleet server".into(),
            from: Some("2027-03-31".parse().unwrap()),
            to: Some("2027-06-30".parse().unwrap()),
        }]
    );
    assert_eq!(
        first.derived[0].to_string(),
        "soc2-type2: SOC 2 Type II, pump fleet server: valid until 2027-03-31 → 2027-06-30"
    );
    // A profile edit not yet committed already shows its tier move.
    r.edit(
        "vendors/cloudsched/vendor.toml",
        "phi_access = \"none\"",
        "phi_access = \"full\"",
    );
    let h = history::read(&r.registry(), &opts).unwrap();
    let cs = &h.vendors["cloudsched"][0];
    assert_eq!(
        (cs.commit.id.as_str(), cs.derived.clone()),
        ("uncommitted", vec![DerivedChange::Tier { from: 3, to: 2 }])
    );
}

#[test]
fn the_cache_makes_a_rebuild_walk_only_new_commits_and_survives_corruption() {
    let mut r = Repo::new();
    for i in 0..5 {
        r.edit(
            "vendors/acme-infusion/vendor.toml",
            &format!("breach_notification_hours = {}", 48 - i),
            &format!("breach_notification_hours = {}", 47 - i),
        );
        r.commit_all(&format!("Tighten notification {i}"));
    }
    let cache_dir = r.root.parent().unwrap().join("cache");
    let opts = HistoryOptions {
        cache_dir: Some(cache_dir.clone()),
        ..HistoryOptions::default()
    };
    let cold = history::read(&r.registry(), &opts).unwrap();
    assert_eq!((cold.walked, cold.cached), (6, 0));
    let warm = history::read(&r.registry(), &opts).unwrap();
    assert_eq!((warm.walked, warm.cached), (0, 6));
    r.edit(
        "vendors/cloudsched/vendor.toml",
        "renewal = 2027-01-15",
        "renewal = 2027-02-15",
    );
    r.commit_all("One more");
    let one = history::read(&r.registry(), &opts).unwrap();
    assert_eq!((one.walked, one.cached), (1, 6));
    assert_eq!(one.commits.len(), 7);
    // Back one commit and forward again: both come from the cache (going
    // back does not shrink it).
    let newest = r.git(&["rev-parse", "HEAD"]);
    r.git(&["reset", "-q", "--hard", "HEAD~1"]);
    let back = history::read(&r.registry(), &opts).unwrap();
    assert_eq!((back.walked, back.cached), (0, 6));
    r.git(&["reset", "-q", "--hard", newest.trim()]);
    let forward = history::read(&r.registry(), &opts).unwrap();
    assert_eq!((forward.walked, forward.cached), (0, 7));
    let uncached = read(&r.registry());
    assert_eq!(
        serde_json::to_string(&one.commits).unwrap(),
        serde_json::to_string(&uncached.commits).unwrap()
    );

    // Corrupt the cache: flip bytes in the body.
    let file = fs::read_dir(&cache_dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mut bytes = fs::read(&file).unwrap();
    let n = bytes.len();
    bytes[n - 10] ^= 0x55;
    fs::write(&file, &bytes).unwrap();
    let rebuilt = history::read(&r.registry(), &opts).unwrap();
    assert_eq!((rebuilt.walked, rebuilt.cached), (7, 0));
    assert!(
        rebuilt.notes.iter().any(|n| n.contains("rebuilt")),
        "{:?}",
        rebuilt.notes
    );
    assert_eq!(
        serde_json::to_string(&rebuilt.commits).unwrap(),
        serde_json::to_string(&uncached.commits).unwrap()
    );
    // Truncated cache, and garbage: also rebuilt.
    fs::write(&file, &bytes[..n / 2]).unwrap();
    assert_eq!(history::read(&r.registry(), &opts).unwrap().cached, 0);
    fs::write(&file, b"not a cache").unwrap();
    assert_eq!(history::read(&r.registry(), &opts).unwrap().cached, 0);
}

fn vetted_in(root: &Path, args: &[&str]) -> common::Run {
    common::vetted(root, args)
}

#[test]
fn diff_reports_tier_changes_red_flags_and_new_problems() {
    let mut r = Repo::new();
    r.edit(
        "vendors/acme-infusion/answers.toml",
        "shares_audit_reports = true",
        "shares_audit_reports = false",
    );
    r.edit(
        "vendors/cloudsched/vendor.toml",
        "phi_access = \"none\"",
        "phi_access = \"full\"",
    );
    r.edit(
        "vendors/cloudsched/vendor.toml",
        "name = \"CloudSched\"",
        "name = \"CloudSched <script>alert(1)</script> [x](javascript:alert(1))\"",
    );
    // Working tree against HEAD.
    let md = vetted_in(
        &r.root,
        &[
            "diff",
            "HEAD",
            "--registry",
            "registry",
            "--today",
            "2026-11-22",
        ],
    );
    assert_eq!(
        md.code, 1,
        "new errors fail the diff\n{}{}",
        md.stdout, md.stderr
    );
    assert!(md.stdout.contains("- **Tier 3 → 2**"), "{}", md.stdout);
    // Decision changes come first, each with why.
    let decisions = md
        .stdout
        .find("### Decisions")
        .expect("a decisions section");
    let first_vendor = md.stdout.find("### Acme").unwrap();
    assert!(decisions < first_vendor, "{}", md.stdout);
    assert!(
        md.stdout
            .contains("(`cloudsched`): Approved → **Not approved**\n  - CloudSched"),
        "{}",
        md.stdout
    );
    assert!(
        md.stdout.contains(
            "New red flag: standards.shares\\_audit\\_reports: Refuses to share audit reports."
        ),
        "{}",
        md.stdout
    );
    assert!(
        md.stdout
            .contains("`vendor.toml` profile.phi\\_access: none → full")
    );
    assert!(
        !md.stdout.contains("<script>") && !md.stdout.contains("](javascript"),
        "registry text is escaped in Markdown"
    );
    // Two revisions, as JSON.
    r.commit_all("CloudSched stores PHI");
    let json = vetted_in(
        &r.root,
        &[
            "diff",
            "HEAD~1",
            "HEAD",
            "--registry",
            "registry",
            "--today",
            "2026-11-22",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let cs = v["changed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["slug"] == "cloudsched")
        .unwrap();
    assert_eq!(cs["tier"], serde_json::json!([3, 2]));
    assert!(
        v["new_problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["code"] == "E1201")
    );
    // No change: exit 0.
    let same = vetted_in(
        &r.root,
        &[
            "diff",
            "HEAD",
            "HEAD",
            "--registry",
            "registry",
            "--today",
            "2026-11-22",
        ],
    );
    assert_eq!(same.code, 0);
    assert!(same.stdout.contains("No change to the registry."));
}

#[test]
fn check_and_diff_read_a_revision_not_the_working_folder() {
    let mut r = Repo::new();
    r.edit(
        "vendors/acme-infusion/vendor.toml",
        "audit_rights = true",
        "audit_rights = false",
    );
    r.commit_all("Drop audit rights");
    let now = vetted_in(
        &r.root,
        &["check", "--registry", "registry", "--today", "2026-11-22"],
    );
    assert_eq!(now.code, 1);
    let before = vetted_in(
        &r.root,
        &[
            "check",
            "--registry",
            "registry",
            "--today",
            "2026-11-22",
            "--rev",
            "HEAD~1",
        ],
    );
    assert_eq!(before.code, 0, "{}", before.stdout);
    let bad = vetted_in(
        &r.root,
        &["check", "--registry", "registry", "--rev", "no-such-rev"],
    );
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("cannot resolve revision `no-such-rev`"));
    assert!(
        bad.stderr
            .contains("  = help: fetch it, or name a branch, tag or commit that exists"),
        "{}",
        bad.stderr
    );
    let tmp = common::registry("minimal", None);
    let norepo = vetted_in(tmp.path(), &["diff", "HEAD", "--registry", "reg"]);
    assert_eq!(norepo.code, 2);
    assert!(
        norepo.stderr.contains("not in a git repository"),
        "{}",
        norepo.stderr
    );
}

#[test]
fn the_site_shows_timelines_provenance_the_change_log_and_a_feed() {
    let mut r = Repo::new();
    r.edit(
        "vendors/acme-infusion/answers.toml",
        "notification_hours = 48",
        "notification_hours = 24",
    );
    r.commit_all("Acme commits to 24-hour breach notification\n\nAgreed on the 2026-02 call; see ticket SEC-42.");
    r.edit(
        "vendors/cloudsched/vendor.toml",
        "phi_access = \"none\"",
        "phi_access = \"full\"",
    );
    r.commit_all("CloudSched <b>now</b> stores patient names");
    let first = r
        .git(&["rev-parse", "--short=10", "HEAD~2"])
        .trim()
        .to_string();
    let second = r
        .git(&["rev-parse", "--short=10", "HEAD~1"])
        .trim()
        .to_string();
    let run = vetted_in(
        &r.root,
        &[
            "build",
            "--registry",
            "registry",
            "--today",
            "2026-11-22",
            "--out",
            "site",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let read = |p: &str| fs::read_to_string(r.root.join("site").join(p)).unwrap();

    let acme = read("vendors/acme-infusion/index.html");
    assert!(acme.contains("Acme commits to 24-hour breach notification"));
    // The body is shown once, in the change log, not on every page the
    // commit touches.
    assert!(
        !acme.contains("Agreed on the 2026-02 call; see ticket SEC-42."),
        "no message body on vendor pages"
    );
    assert!(
        read("changes/index.html").contains("Agreed on the 2026-02 call; see ticket SEC-42."),
        "the message body is in the change log"
    );
    assert!(acme.contains("answers.toml: incident_response.notification_hours: 48 → 24"));
    // Provenance beside the answer that changed, and the vendor's first commit for the rest.
    assert!(
        acme.contains(&format!("<code>{second}</code>")),
        "provenance of the changed answer"
    );
    assert!(
        acme.contains(&format!("<code>{first}</code>")),
        "provenance of unchanged fields"
    );

    let cs = read("vendors/cloudsched/index.html");
    assert!(
        cs.contains("tier 3 → 2"),
        "derived tier change on the timeline"
    );
    assert!(
        cs.contains("CloudSched &lt;b&gt;now&lt;&#x2F;b&gt; stores")
            || cs.contains("CloudSched &lt;b&gt;now&lt;/b&gt; stores"),
        "commit messages are escaped"
    );

    let log = read("changes/index.html");
    assert!(
        log.contains("Acme commits to 24-hour breach notification")
            && log.contains("Add the registry")
    );
    let dash = read("index.html");
    assert!(
        dash.contains("stores patient names"),
        "recent changes on the dashboard"
    );

    let feed = read("changes.atom");
    assert_eq!(feed.matches("<entry>").count(), 3, "{feed}");
    assert!(feed.contains(
        "<title>CloudSched: CloudSched &lt;b&gt;now&lt;/b&gt; stores patient names</title>"
    ));
    assert!(feed.starts_with(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"
    ));

    // Uncommitted edits appear first, marked as such; the cache serves the rest.
    r.edit(
        "vendors/acme-infusion/vendor.toml",
        "renewal = 2027-03-01",
        "renewal = 2028-03-01",
    );
    let again = vetted_in(
        &r.root,
        &[
            "build",
            "--registry",
            "registry",
            "--today",
            "2026-11-22",
            "--out",
            "site",
        ],
    );
    assert_eq!(again.code, 0, "{}", again.stderr);
    let acme = read("vendors/acme-infusion/index.html");
    assert!(
        acme.contains("Uncommitted") && acme.contains("contract.renewal: 2027-03-01 → 2028-03-01")
    );

    // --rev builds the site as it stood at a revision, history included.
    let old = vetted_in(
        &r.root,
        &[
            "build",
            "--registry",
            "registry",
            "--today",
            "2026-11-22",
            "--out",
            "old-site",
            "--rev",
            "HEAD~1",
        ],
    );
    assert_eq!(old.code, 0, "{}", old.stderr);
    let log = fs::read_to_string(r.root.join("old-site/changes/index.html")).unwrap();
    assert!(log.contains("Acme commits to 24-hour") && !log.contains("stores patient names"));
}

#[test]
fn a_packed_repository_gives_the_same_history_as_loose_objects() {
    // Trees read from pack files go through vetted's own delta-chain reader;
    // loose objects go through libgit2. Both must tell the same history.
    let mut r = Repo::new();
    for i in 0..30 {
        r.loosen_notification(i);
        if i % 3 == 0 {
            let src = r.registry().join("vendors/cloudsched");
            common::copy_dir(&src, &r.registry().join(format!("vendors/clone-{i:02}")));
        }
        r.commit_all(&format!("Loosen notification {i}"));
    }
    r.git(&[
        "mv",
        "registry/vendors/clone-03",
        "registry/vendors/renamed-03",
    ]);
    r.commit_all("Rename a clone");
    let loose = read(&r.registry());
    assert_eq!(loose.commits.len(), 32);

    // Pack everything with long delta chains and drop the loose objects.
    r.pack_all();
    let counts = r.git(&["count-objects", "-v"]);
    assert!(
        counts.contains("\ncount: 0\n") || counts.starts_with("count: 0\n"),
        "{counts}"
    );
    assert!(counts.contains("packs: 1"), "{counts}");
    let packed = read(&r.registry());
    assert_eq!(
        serde_json::to_string(&packed.commits).unwrap(),
        serde_json::to_string(&loose.commits).unwrap()
    );
    assert_eq!(
        serde_json::to_string(&packed.vendors).unwrap(),
        serde_json::to_string(&loose.vendors).unwrap()
    );
    assert_same_as_git_log(&r, &packed, &["acme-infusion", "cloudsched", "clone-27"]);
    assert_eq!(
        packed.vendors["renamed-03"].len(),
        2,
        "the rename keeps the clone's history"
    );
}

#[test]
fn a_damaged_pack_stops_the_build_with_a_hint_and_keeps_the_published_site() {
    let mut r = Repo::new();
    for i in 0..12 {
        r.loosen_notification(i);
        r.commit_all(&format!("Loosen notification {i}"));
    }
    r.pack_all();
    let args = [
        "build",
        "--today",
        "2026-11-22",
        "--out",
        "site",
        "--cache-dir",
        "cache",
    ];
    let first = vetted_in(&r.root, &args);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let page = r.root.join("site/changes/index.html");
    let published = fs::read(&page).unwrap();

    // Damage the back half of the pack (trees and blobs; commits come first).
    let pack = fs::read_dir(r.root.join(".git/objects/pack"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "pack"))
        .unwrap();
    let mut bytes = fs::read(&pack).unwrap();
    let n = bytes.len();
    for b in &mut bytes[n / 2..n - 64] {
        *b ^= 0x5a;
    }
    let mut perms = fs::metadata(&pack).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    fs::set_permissions(&pack, perms).unwrap();
    fs::write(&pack, &bytes).unwrap();
    fs::remove_dir_all(r.root.join("cache")).unwrap();

    let second = vetted_in(&r.root, &args);
    assert_eq!(second.code, 2, "{}", second.stderr);
    assert!(
        second.stderr.contains("error: cannot read"),
        "{}",
        second.stderr
    );
    assert!(second.stderr.contains("git fsck"), "{}", second.stderr);
    assert!(!second.stderr.contains("panicked"), "{}", second.stderr);
    assert_eq!(
        fs::read(&page).unwrap(),
        published,
        "the published site is untouched"
    );
}

/// Objects that neither the packs nor the loose objects hold (here: all of
/// them, in the alternate object store of a `git clone --shared`) are read
/// through libgit2, with the same result, and a note says so.
#[test]
fn objects_read_through_libgit2_are_counted_in_a_note() {
    let mut r = Repo::new();
    r.edit(
        "vendors/acme-infusion/vendor.toml",
        "renewal = 2027-03-01",
        "renewal = 2028-03-01",
    );
    r.commit_all("Renew Acme contract");
    let own = read(&r.registry());
    assert!(
        own.notes.is_empty(),
        "loose objects need no libgit2: {:?}",
        own.notes
    );
    let shared = r.root.parent().unwrap().join("shared");
    let src = r.root.to_string_lossy().into_owned();
    r.git(&["clone", "-q", "--shared", &src, &shared.to_string_lossy()]);
    let h = read(&shared.join("registry"));
    assert_eq!(h.commits, own.commits);
    assert_eq!(h.notes.len(), 1, "{:?}", h.notes);
    assert!(
        h.notes[0].contains("read through libgit2")
            && h.notes[0].contains("(an alternate object store)"),
        "{}",
        h.notes[0]
    );
}
