//! Hostile registry content and git history, driven through the real binary:
//! no panic on any text, no workflow command in any output that reaches a CI
//! log, inert Markdown in `diff`, no escape through a `vendors` link, no hang
//! on a pipe, bounded commit text, a well-formed feed whatever the names, and
//! no litter from killed builds.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Run, copy_dir, fixtures, vetted};

const TODAY: &str = "2026-11-22";

/// A copy of the minimal fixture at `<tmp>/reg`.
fn minimal() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let reg = tmp.path().join("reg");
    copy_dir(&fixtures().join("minimal"), &reg);
    (tmp, reg)
}

fn edit(reg: &Path, file: &str, find: &str, replace: &str) {
    let p = reg.join(file);
    let text = fs::read_to_string(&p).unwrap();
    assert!(text.contains(find), "{file}: {find}");
    fs::write(p, text.replacen(find, replace, 1)).unwrap();
}

fn append(reg: &Path, file: &str, text: &str) {
    let p = reg.join(file);
    let mut old = fs::read_to_string(&p).unwrap_or_default();
    old.push_str(text);
    fs::write(p, old).unwrap();
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    vetted(dir, args)
}

/// `vetted build` of `<registry>` into `site`.
fn build_args(registry: &str) -> [&str; 7] {
    [
        "build",
        "--registry",
        registry,
        "--today",
        TODAY,
        "--out",
        "site",
    ]
}

/// `vetted build` of `dir/<registry>` into `dir/site`.
fn build_site(dir: &Path, registry: &str) -> Run {
    run_in(dir, &build_args(registry))
}

/// `vetted check` of `dir/reg` in `format`.
fn check_as(dir: &Path, format: &str) -> Run {
    run_in(
        dir,
        &[
            "check",
            "--registry",
            "reg",
            "--today",
            TODAY,
            "--format",
            format,
        ],
    )
}

/// No panic and no death by signal: exit 0, 1 or 2, and no panic message.
fn assert_no_crash(run: &Run, what: &str) {
    assert!(
        matches!(run.code, 0..=2),
        "{what}: exit {} (101 is a panic, -1 a signal)\n{}",
        run.code,
        run.stderr
    );
    assert!(
        !run.stderr.contains("panicked"),
        "{what}: panicked\n{}",
        run.stderr
    );
}

/// What a GitHub Actions runner would execute in `text`, line by line: a
/// line whose first non-blank characters are `::`, or `##[` anywhere
/// (ActionCommand.TryParseV2 and the legacy TryParse). The runner splits
/// lines at `\n` and `\r`. `own_commands` allows the annotations vetted
/// emits on purpose in `--format github`, checked for shape instead.
fn runner_commands(text: &str, own_commands: bool) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.split(['\n', '\r']) {
        let start = line.trim_start();
        if line.contains("##[") {
            found.push(line.to_string());
        } else if start.starts_with("::") {
            let ours = own_commands
                && ["::error file=", "::warning file=", "::notice file="]
                    .iter()
                    .any(|p| line.starts_with(p))
                // file=…,line=N,col=N,title=…:: then data: the properties hold
                // no `:` (escaped as %3A), so the first `::` after the
                // command ends them.
                && line[2..].find("::").is_some_and(|end| {
                    let props = &line[2..2 + end];
                    props.contains(",line=") && props.contains(",col=") && props.contains(",title=")
                });
            if !ours {
                found.push(line.to_string());
            }
        }
    }
    found
}

fn assert_inert(text: &str, own_commands: bool, what: &str) {
    let found = runner_commands(text, own_commands);
    assert!(
        found.is_empty(),
        "{what}: a runner would execute {found:#?}\n--- output ---\n{text}"
    );
}

// ------------------------------------------------------------------ panics

/// Lines that put a TOML error's span at or inside a multi-byte character,
/// in several scripts and positions.
const UNICODE_LINES: &[&str] = &[
    "name 💩= \"x\"",
    "💩 = 1",
    "x = 1 💩",
    "na\u{FEFF}me = \"x\"",
    "name = \"a\"\u{FEFF}",
    "n\u{202E}ame = 1",
    "name = \"a\"\u{200D}\"b\"",
    "名前 = \"値\"",
    "clé é= 1",
    "ключ = значение",
    "اسم = \"x\"",
    "e\u{301}\u{301}\u{301} = 1",
    "x = [\"a\", 😀]",
    "[section 表]",
    "x = \"unterminated 💩",
    "x = 2026-13-45 💩",
    "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467} = 1",
];

#[test]
fn no_text_in_any_file_makes_any_format_panic() {
    let files = [
        "vendors/cloudsched/vendor.toml",
        "vendors/acme-infusion/answers.toml",
        "vendors/acme-infusion/artifacts.toml",
        "questionnaire.toml",
        "tiers.toml",
    ];
    let (tmp, reg) = minimal();
    let pristine = tmp.path().join("pristine");
    copy_dir(&reg, &pristine);
    for (i, line) in UNICODE_LINES.iter().enumerate() {
        let file = files[i % files.len()];
        fs::remove_dir_all(&reg).unwrap();
        copy_dir(&pristine, &reg);
        // At the start, in the middle and at the end of the file.
        let text = fs::read_to_string(pristine.join(file)).unwrap();
        let mid = text.find('\n').map_or(0, |n| n + 1);
        let placed = match i % 3 {
            0 => format!("{line}\n{text}"),
            1 => format!("{}{line}\n{}", &text[..mid], &text[mid..]),
            _ => format!("{text}{line}"),
        };
        fs::write(reg.join(file), placed).unwrap();
        for format in ["human", "json", "github"] {
            let run = check_as(tmp.path(), format);
            assert_no_crash(
                &run,
                &format!("check --format {format} with {line:?} in {file}"),
            );
            assert_eq!(run.code, 1, "{line:?} in {file} is an error");
            assert!(
                run.stdout.contains("E0101") || run.stdout.contains("E0"),
                "{}",
                run.stdout
            );
        }
        let build = build_site(tmp.path(), "reg");
        assert_no_crash(&build, &format!("build with {line:?} in {file}"));
        assert_eq!(build.code, 1);
        assert!(!tmp.path().join("site").exists(), "nothing published");
    }
}

// ---------------------------------------------------------------- symlinks

#[cfg(unix)]
#[test]
fn a_vendors_folder_linked_out_of_the_registry_is_refused_and_never_listed() {
    use std::os::unix::fs::symlink;
    let (tmp, reg) = minimal();
    // Somewhere else on the machine: a folder of vendor-like folders and a
    // file whose name must not reach the log.
    let outside = tmp.path().join("elsewhere");
    copy_dir(&reg.join("vendors"), &outside);
    fs::write(outside.join("runner-secret-file-name.txt"), "x").unwrap();
    fs::remove_dir_all(reg.join("vendors")).unwrap();
    symlink(&outside, reg.join("vendors")).unwrap();
    for format in ["human", "json", "github"] {
        let run = check_as(tmp.path(), format);
        assert_eq!(run.code, 1, "{format}: {}", run.stdout);
        assert!(run.stdout.contains("E0401"), "{format}: {}", run.stdout);
        for leak in ["runner-secret-file-name", "acme-infusion", "cloudsched"] {
            assert!(
                !run.stdout.contains(leak),
                "{format} lists {leak}: {}",
                run.stdout
            );
        }
    }
    let build = build_site(tmp.path(), "reg");
    assert_eq!(build.code, 1, "{}", build.stderr);
    assert!(!tmp.path().join("site").exists(), "nothing published");

    // The same to a system folder.
    fs::remove_file(reg.join("vendors")).unwrap();
    symlink("/etc", reg.join("vendors")).unwrap();
    let run = run_in(
        tmp.path(),
        &["check", "--registry", "reg", "--today", TODAY],
    );
    assert_eq!(run.code, 1);
    assert!(
        !run.stdout.contains("passwd") && !run.stdout.contains("hostname"),
        "{}",
        run.stdout
    );

    // A link that stays inside the registry is fine.
    fs::remove_file(reg.join("vendors")).unwrap();
    fs::rename(&outside, reg.join("vendor-folders")).unwrap();
    fs::remove_file(reg.join("vendor-folders/runner-secret-file-name.txt")).unwrap();
    symlink("vendor-folders", reg.join("vendors")).unwrap();
    let run = run_in(
        tmp.path(),
        &["check", "--registry", "reg", "--today", TODAY],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("checked 2 vendors"), "{}", run.stdout);
}

// ------------------------------------------------------ non-regular files

/// Run vetted, killing it if it has not finished in `limit`: a hang fails
/// the test instead of stalling the suite.
fn run_bounded(dir: &Path, args: &[&str], limit: Duration) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vetted"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("VETTED_TODAY")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            let out = child.wait_with_output().unwrap();
            return Run {
                code: out.status.code().unwrap_or(-1),
                stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            };
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("vetted {args:?} hung for {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `build_site` under a one-minute watchdog.
fn build_bounded(dir: &Path, registry: &str) -> Run {
    run_bounded(dir, &build_args(registry), Duration::from_secs(60))
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo {}", path.display());
}

#[cfg(unix)]
#[test]
fn pipes_in_the_registry_are_refused_before_they_are_opened() {
    let limit = Duration::from_secs(60);
    // A pipe in place of a required file, an optional file, a policy file,
    // and an evidence file with a checksum.
    for (file, fixup) in [
        ("vendors/cloudsched/vendor.toml", None),
        ("vendors/acme-infusion/notes.md", None),
        ("tiers.toml", None),
        (
            "vendors/cloudsched/evidence.pdf",
            Some((
                "vendors/cloudsched/artifacts.toml",
                "link = \"https://evidence.fixture.example/cloudsched/iso.pdf\"",
                "file = \"evidence.pdf\"\nsha256 = \"0000000000000000000000000000000000000000000000000000000000000000\"",
            )),
        ),
    ] {
        let (tmp, reg) = minimal();
        let _ = fs::remove_file(reg.join(file));
        mkfifo(&reg.join(file));
        if let Some((f, find, replace)) = fixup {
            edit(&reg, f, find, replace);
        }
        for format in ["human", "json"] {
            let run = run_bounded(
                tmp.path(),
                &[
                    "check",
                    "--registry",
                    "reg",
                    "--today",
                    TODAY,
                    "--format",
                    format,
                ],
                limit,
            );
            assert_eq!(run.code, 1, "{file}: {}{}", run.stdout, run.stderr);
            assert!(
                run.stdout.contains("named pipe") && run.stdout.contains("E0004"),
                "{file} ({format}): {}",
                run.stdout
            );
        }
        let build = build_bounded(tmp.path(), "reg");
        assert_eq!(build.code, 1, "{file}: {}", build.stderr);
    }
}

// ------------------------------------------------------- workflow commands

/// A git repository holding the minimal registry with hostile text in the
/// places that reach a CI log: a vendor name, question guidance (the help of
/// a red flag, over several lines), an invalid folder name, a source line
/// that fails to parse, and a commit subject and body.
struct Repo {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

impl Repo {
    fn new() -> Repo {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("repo");
        copy_dir(&fixtures().join("minimal"), &root.join("registry"));
        let r = Repo { _tmp: tmp, root };
        r.git(&["init", "-q", "-b", "main"]);
        r.commit("Add the registry");
        r
    }

    fn reg(&self) -> PathBuf {
        self.root.join("registry")
    }

    fn git(&self, args: &[&str]) {
        // The author name carries a workflow command: it reaches CI logs.
        let author = common::Author {
            name: "Ana ##[stop-commands]author",
            committer: "Ana",
            ..common::Author::ANA
        };
        common::git(&self.root, args, &author);
    }

    fn commit(&self, msg: &str) {
        self.git(&["add", "-A"]);
        // From a file (a message can outgrow the argument list);
        // --cleanup=verbatim keeps leading blanks and `#` lines as written.
        let file = self.root.parent().unwrap().join("message");
        fs::write(&file, msg).unwrap();
        let file = file.to_str().unwrap();
        self.git(&[
            "commit",
            "-q",
            "--allow-empty",
            "--cleanup=verbatim",
            "-F",
            file,
        ]);
    }
}

const COMMANDS: &[&str] = &[
    "##[stop-commands]tok",
    "::stop-commands::tok",
    "  ::error::injected",
    "\t::add-mask::x",
    "##[set-output name=x;]y",
];

fn hostile_repo() -> Repo {
    let r = Repo::new();
    let reg = r.reg();
    edit(
        &reg,
        "vendors/cloudsched/vendor.toml",
        "name = \"CloudSched\"",
        "name = \"CloudSched ##[group]legacy ::warning::x\"",
    );
    // Guidance is the help line of the red flag it explains.
    edit(
        &reg,
        "questionnaire.toml",
        "guidance = \"Shares the full report under NDA.\"",
        "guidance = \"Shares the report.\\n      ::stop-commands::tok\\n##[stop-commands]tok\\r::error::cr\"",
    );
    edit(
        &reg,
        "vendors/acme-infusion/answers.toml",
        "shares_audit_reports = true",
        "shares_audit_reports = false",
    );
    r.commit(&format!(
        "Add hostile text ##[stop-commands]subject\n\n{}",
        COMMANDS.join("\n")
    ));
    // Uncommitted: a folder whose name is a command, and a line that fails to parse.
    let bad = reg.join("vendors/##[group]x");
    fs::create_dir_all(&bad).unwrap();
    fs::write(bad.join("vendor.toml"), "name = \"x\"\n").unwrap();
    append(
        &reg,
        "vendors/cloudsched/answers.toml",
        "\n  ::stop-commands::t = 1\n##[x] = 2\n",
    );
    r
}

#[test]
fn nothing_vetted_prints_is_a_workflow_command() {
    let r = hostile_repo();
    let dir = &r.root;
    let reg = ["--registry", "registry", "--today", TODAY];
    let with = |args: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        v.extend(reg.iter().map(|s| s.to_string()));
        v
    };
    let run = |args: Vec<String>| {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run_in(dir, &a);
        assert_no_crash(&out, &format!("{a:?}"));
        (a.join(" "), out)
    };
    let mut runs = vec![
        run(with(&["check"])),
        run(with(&["check", "--format", "json"])),
        run(with(&["check", "--format", "github"])),
        run(with(&["check", "--format", "sarif"])),
        run(with(&["check", "--format", "junit"])),
        run(with(&["check", "--format", "gitlab"])),
        run(with(&["build", "--out", "site"])),
        run(with(&["diff", "HEAD~1"])),
        run(with(&["diff", "HEAD~1", "--format", "json"])),
        run(with(&["history", "--no-cache"])),
        run(with(&["history", "--json", "--no-cache"])),
    ];
    // The committed registry is valid: build it, and its diff against the first commit.
    fs::remove_dir_all(r.reg().join("vendors/##[group]x")).unwrap();
    let answers = r.reg().join("vendors/cloudsched/answers.toml");
    let text = fs::read_to_string(&answers).unwrap();
    fs::write(
        &answers,
        text.replace("\n  ::stop-commands::t = 1\n##[x] = 2\n", ""),
    )
    .unwrap();
    runs.push(run(with(&["build", "--out", "site"])));
    runs.push(run(with(&["diff", "HEAD~1", "HEAD"])));
    runs.push(run(with(&["check", "--format", "github"])));

    let mut saw_hostile = 0;
    for (what, out) in &runs {
        let github = what.contains("github");
        assert_inert(&out.stdout, github, &format!("{what} (stdout)"));
        assert_inert(&out.stderr, false, &format!("{what} (stderr)"));
        // The hostile text is there, shown inert, not dropped.
        if out.stdout.contains("stop-commands") || out.stderr.contains("stop-commands") {
            saw_hostile += 1;
        }
        if what.contains("json") {
            let v: serde_json::Value = serde_json::from_str(&out.stdout)
                .unwrap_or_else(|e| panic!("{what}: not JSON ({e})\n{}", out.stdout));
            // The JSON still carries the exact text.
            assert!(
                v.to_string().contains("##[") || what.contains("diff"),
                "{what}"
            );
        }
    }
    assert!(saw_hostile >= 6, "the hostile text reached the outputs");
    // Human output shows the broken commands as escapes.
    let human = &runs[0].1.stdout;
    assert!(human.contains("\\u{3a}:stop-commands::tok"), "{human}");
    assert!(human.contains("#\\u{23}[group]"), "{human}");
}

// ----------------------------------------------------------------- diff

/// Every kind of live Markdown GitHub would make of registry text.
const MARKDOWN_ATTACKS: &[&str] = &[
    "<!-- hidden",
    "<img src=x onerror=alert(1)>",
    "# Heading",
    "[link](https://evil.example)",
    "![image](https://evil.example/i.png)",
    "https://evil.example/path",
    "HTTP://EVIL.EXAMPLE",
    "www.evil.example",
    "WWW.Evil.Example",
    "mail me: someone@evil.example",
    "@octocat please look",
    "&commat;octocat",
    "&#64;octocat &lt;b&gt;",
    "| a | b |\n|---|---|",
    "`code` and ``double``",
    "$\\Huge{x}$",
    "#123 and GH-1",
    "- item\n1. item",
    "**bold** _em_ ~~strike~~",
];

#[test]
fn diff_markdown_holds_no_live_markdown_from_the_registry() {
    let r = Repo::new();
    let reg = r.reg();
    let name = MARKDOWN_ATTACKS
        .join(" ")
        .replace('\\', "\\\\")
        .replace('\n', "\\n");
    edit(
        &reg,
        "vendors/cloudsched/vendor.toml",
        "name = \"CloudSched\"",
        &format!("name = \"{}\"", name.replace('"', "\\\"")),
    );
    edit(
        &reg,
        "vendors/cloudsched/vendor.toml",
        "owner = \"Nursing Administration\"",
        "owner = \"@octocat https://evil.example <b>x</b>\"",
    );
    // A vendor folder whose name breaks out of a code span and a line.
    let evil = reg.join("vendors/evil`\n<!--\n# Heading\n<img src=x>@octocat https:");
    fs::create_dir_all(&evil).unwrap();
    fs::write(evil.join("vendor.toml"), "name = \"x\"\n").unwrap();
    let run = run_in(
        &r.root,
        &["diff", "HEAD", "--registry", "registry", "--today", TODAY],
    );
    assert_no_crash(&run, "diff");
    let md = &run.stdout;
    assert!(md.contains("New problems"), "{md}");
    assert_inert(md, false, "diff markdown");
    // Read by a CommonMark parser with GitHub's extensions: the only HTML is
    // vetted's own <details>, no link, image, heading or table comes from
    // the registry, and no text would become an autolink or a mention.
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let mut headings = 0;
    let mut text = String::new();
    for event in Parser::new_ext(md, Options::all()) {
        match event {
            Event::Html(h) | Event::InlineHtml(h) => {
                let h = h.trim();
                assert!(
                    [
                        "<details>",
                        "<details><summary>",
                        "</summary>",
                        "</details>"
                    ]
                    .iter()
                    .any(|ok| h.starts_with(ok)),
                    "HTML from the registry: {h:?}\n{md}"
                );
            }
            Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::Table(_)) => {
                panic!("live Markdown: {event:?}\n{md}")
            }
            Event::Start(Tag::Heading { .. }) => headings += 1,
            // GitHub finds no mention or autolink inside a code span.
            Event::Text(t) => text.push_str(&t),
            Event::InlineMath(_) | Event::DisplayMath(_) | Event::FootnoteReference(_) => {
                panic!("live Markdown: {event:?}\n{md}")
            }
            _ => {}
        }
    }
    // vetted's own: the title, the changed vendor, new problems.
    assert_eq!(headings, 3, "{md}");
    let lower = text.to_lowercase();
    for (i, _) in lower.match_indices('@') {
        let next = lower[i + 1..].chars().next();
        assert!(
            !next.is_some_and(|c| c.is_ascii_alphanumeric()),
            "a mention at {i}: {text}"
        );
    }
    assert!(
        !lower.contains("://") && !lower.contains("www."),
        "autolink: {text}"
    );
    // Entities stay text: `&commat;` is not turned into `@`.
    assert!(text.contains("&commat;"), "{text}");
    // The text is all there, cut at a bound.
    assert!(
        text.contains("evil.example") && text.contains("octocat"),
        "{text}"
    );
}

// ------------------------------------------------------ commit text bounds

#[test]
fn a_huge_commit_message_is_shown_once_and_bounded() {
    let r = Repo::new();
    edit(
        &r.reg(),
        "vendors/cloudsched/vendor.toml",
        "category = \"staff-scheduling\"",
        "category = \"scheduling\"",
    );
    edit(
        &r.reg(),
        "vendors/acme-infusion/vendor.toml",
        "name = \"Acme",
        "name = \"ACME",
    );
    let body = "All work and no play makes a dull commit. ".repeat(50_000);
    let subject = "S".repeat(100_000);
    r.commit(&format!("{subject}\n\n{body}"));
    let run = build_site(&r.root, "registry");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let site = r.root.join("site");
    let size = |p: &str| fs::metadata(site.join(p)).unwrap().len();
    for page in [
        "vendors/acme-infusion/index.html",
        "vendors/cloudsched/index.html",
        "index.html",
        "changes/index.html",
        "changes.atom",
    ] {
        assert!(size(page) < 200_000, "{page} is {} bytes", size(page));
    }
    let changes = fs::read_to_string(site.join("changes/index.html")).unwrap();
    assert!(
        changes.contains("more characters not shown"),
        "the cut is said"
    );
    let acme = fs::read_to_string(site.join("vendors/acme-infusion/index.html")).unwrap();
    assert!(
        !acme.contains("All work and no play"),
        "no body on vendor pages"
    );
    let history = run_in(
        &r.root,
        &["history", "--registry", "registry", "--no-cache"],
    );
    assert_eq!(history.code, 0);
    assert!(
        history.stdout.lines().all(|l| l.len() < 2_000),
        "bounded lines"
    );
    let json = run_in(
        &r.root,
        &["history", "--registry", "registry", "--no-cache", "--json"],
    );
    assert!(json.stdout.len() < 100_000, "{} bytes", json.stdout.len());
}

// ------------------------------------------------------------------- feed

/// Parse with Python's expat, an independent XML 1.0 parser.
fn xml_well_formed(path: &Path) -> Result<(), String> {
    let out = Command::new("python3")
        .args([
            "-c",
            "import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])",
        ])
        .arg(path)
        .output()
        .expect("python3 is needed for the XML check");
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

#[test]
fn the_feed_is_well_formed_whatever_the_names_hold() {
    let r = Repo::new();
    // Non-characters, C0 and C1 controls, through TOML escapes and raw text.
    edit(
        &r.reg(),
        "vendors/cloudsched/vendor.toml",
        "name = \"CloudSched\"",
        "name = \"Cloud\\uFFFE\\uFFFF\\uFDD0\\u0085\\u009B\\u0001\\u001B\\U0001FFFE\\U0010FFFF]]>Sched\"",
    );
    r.commit("Rename \u{FFFE}\u{FFFF}\u{85}\u{9b} ]]> <x> &amp;\u{1}\u{7}");
    let run = build_site(&r.root, "registry");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let feed = r.root.join("site/changes.atom");
    xml_well_formed(&feed)
        .unwrap_or_else(|e| panic!("{e}\n{}", fs::read_to_string(&feed).unwrap_or_default()));
    let text = fs::read_to_string(&feed).unwrap();
    assert!(
        text.contains("Cloud\u{FFFD}") && text.contains("Sched"),
        "{text}"
    );
}

// --------------------------------------------------------- killed builds

#[cfg(unix)]
#[test]
fn a_build_sweeps_what_killed_builds_left_but_not_what_live_ones_use() {
    let (tmp, _reg) = minimal();
    let dir = tmp.path();
    // A PID that is certainly not running: a child that has been waited for.
    let dead = {
        let mut c = Command::new("true").spawn().unwrap();
        c.wait().unwrap();
        c.id()
    };
    // A live process: its folders must stay.
    let mut live = Command::new("sleep").arg("60").spawn().unwrap();
    let stale = [format!(".site.tmp-{dead}"), format!(".site.old-{dead}")];
    let in_use = [
        format!(".site.tmp-{}", live.id()),
        format!(".site.old-{}", live.id()),
    ];
    for d in stale.iter().chain(&in_use) {
        fs::create_dir_all(dir.join(d).join("vendors/x")).unwrap();
        fs::write(dir.join(d).join("vendors/x/index.html"), "x").unwrap();
    }
    // Held by a live process under a dead PID's name (a build in another
    // PID namespace): its lock says it is in use.
    let locked = format!(".site.tmp-{}", dead + 1_000_000);
    fs::create_dir_all(dir.join(&locked)).unwrap();
    let mut holder = Command::new("flock")
        .arg(dir.join(&locked))
        .args(["sleep", "60"])
        .spawn()
        .unwrap();
    // Not ours by name, or not a folder: never touched.
    let others = [
        ".site.tmp-",
        ".site.tmp-12ab",
        ".other.tmp-1",
        ".site.bak-1",
    ];
    for d in others {
        fs::create_dir_all(dir.join(d)).unwrap();
    }
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("keep"), "x").unwrap();
    std::os::unix::fs::symlink(
        outside.path(),
        dir.join(format!(".site.old-{}", dead + 2_000_000)),
    )
    .unwrap();
    // Give flock time to take its lock.
    std::thread::sleep(Duration::from_millis(300));

    let run = build_site(dir, "reg");
    assert_eq!(run.code, 0, "{}", run.stderr);
    for d in &stale {
        assert!(!dir.join(d).exists(), "{d} was left behind");
    }
    for d in in_use.iter().chain([&locked]) {
        assert!(dir.join(d).exists(), "{d} is in use and was removed");
    }
    for d in others {
        assert!(dir.join(d).exists(), "{d} is not vetted's");
    }
    assert!(outside.path().join("keep").exists(), "a link was followed");
    assert!(dir.join("site/index.html").is_file());
    let _ = live.kill();
    let _ = holder.kill();
    let _ = live.wait();
    let _ = holder.wait();
}

// ------------------------------------------------------------- counting

#[test]
fn check_says_how_many_vendors_were_not_assessed_and_which() {
    let (tmp, reg) = minimal();
    append(
        &reg,
        "vendors/cloudsched/vendor.toml",
        "\nunknown_key = 1\n",
    );
    let run = run_in(
        tmp.path(),
        &["check", "--registry", "reg", "--today", TODAY],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("checked 2 vendor folders: 1 assessed fully, 1 not assessed (data-contract errors: cloudsched)"),
        "{}",
        run.stdout
    );
    let json = check_as(tmp.path(), "json");
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["not_assessed"], serde_json::json!(["cloudsched"]));
    assert_eq!(v["partially_assessed"], serde_json::json!([]));
    assert_eq!(v["vendors"].as_array().unwrap().len(), 1);

    // A data error that leaves the tier computable leaves the vendor
    // assessed in part, not out (issue 13, item 3).
    append(
        &reg,
        "vendors/acme-infusion/answers.toml",
        "\n[no_such_section]\nq = 1\n",
    );
    let run = run_in(
        tmp.path(),
        &["check", "--registry", "reg", "--today", TODAY],
    );
    assert!(
        run.stdout.contains(
            "checked 2 vendor folders: 0 assessed fully, 1 partially (data-contract errors: acme-infusion), 1 not assessed (data-contract errors: cloudsched)"
        ),
        "{}",
        run.stdout
    );
    let json = check_as(tmp.path(), "json");
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["not_assessed"], serde_json::json!(["cloudsched"]));
    assert_eq!(
        v["partially_assessed"][0]["vendor"],
        serde_json::json!("acme-infusion")
    );
    assert_eq!(
        v["partially_assessed"][0]["left_out"][0]["item"],
        serde_json::json!("[no_such_section]")
    );
    assert_eq!(v["vendors"].as_array().unwrap().len(), 1);
}

#[cfg(unix)]
#[test]
fn a_theme_file_linked_out_of_its_folder_is_refused() {
    let (tmp, _reg) = minimal();
    let statics = tmp.path().join("themes/default/static");
    fs::create_dir_all(&statics).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", statics.join("leak.css")).unwrap();
    let run = build_site(tmp.path(), "reg");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("points outside"), "{}", run.stderr);
    assert!(!tmp.path().join("site").exists(), "nothing published");
    // A pipe is refused, not waited on.
    fs::remove_file(statics.join("leak.css")).unwrap();
    mkfifo(&statics.join("pipe.css"));
    let run = build_bounded(tmp.path(), "reg");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("named pipe"), "{}", run.stderr);
}

#[test]
fn a_truncated_loose_object_stops_the_build_instead_of_hanging_it() {
    // libgit2 loops forever on these; vetted checks loose objects first.
    let r = Repo::new();
    edit(
        &r.reg(),
        "vendors/cloudsched/vendor.toml",
        "category = \"staff-scheduling\"",
        "category = \"scheduling\"",
    );
    r.commit("Second");
    let objects = r.root.join(".git/objects");
    let mut loose: Vec<PathBuf> = fs::read_dir(&objects)
        .unwrap()
        .flatten()
        .filter(|d| d.file_name().len() == 2)
        .flat_map(|d| fs::read_dir(d.path()).unwrap().flatten().map(|f| f.path()))
        .collect();
    loose.sort();
    assert!(loose.len() > 5);
    // Commits, trees and blobs alike: cut each in turn.
    for path in loose.iter().step_by(3) {
        let whole = fs::read(path).unwrap();
        let mut perms = fs::metadata(path).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        perms.set_readonly(false);
        fs::set_permissions(path, perms).unwrap();
        fs::write(path, &whole[..whole.len() / 2]).unwrap();
        let run = build_bounded(&r.root, "registry");
        assert_eq!(run.code, 2, "{}: {}", path.display(), run.stderr);
        assert!(
            run.stderr.contains("truncated or damaged") && run.stderr.contains("git fsck"),
            "{}",
            run.stderr
        );
        assert!(!r.root.join("site").exists());
        fs::write(path, &whole).unwrap();
    }
    let run = build_bounded(&r.root, "registry");
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn diff_lists_new_problems_even_when_no_record_changed() {
    let r = Repo::new();
    let bad = r.reg().join("vendors/Bad_Slug");
    fs::create_dir_all(&bad).unwrap();
    fs::write(bad.join("vendor.toml"), "name = \"x\"\n").unwrap();
    let run = run_in(
        &r.root,
        &["diff", "HEAD", "--registry", "registry", "--today", TODAY],
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("### New problems") && run.stdout.contains("E0201"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("No change to the registry."),
        "{}",
        run.stdout
    );
}

#[test]
fn a_damaged_pack_index_stops_the_build_instead_of_crashing_it() {
    // libgit2 trusts an index's offsets; a damaged one made it read outside
    // its mapping. vetted checks each index first.
    let r = Repo::new();
    r.git(&["repack", "-a", "-d", "-q"]);
    let pack_dir = r.root.join(".git/objects/pack");
    let idx = fs::read_dir(&pack_dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "idx"))
        .unwrap();
    let whole = fs::read(&idx).unwrap();
    // The offset table, the fan-out table and the trailer.
    for at in [whole.len() - 60, 8 + 100 * 4, whole.len() - 1] {
        let mut damaged = whole.clone();
        damaged[at] ^= 0x80;
        let mut perms = fs::metadata(&idx).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        perms.set_readonly(false);
        fs::set_permissions(&idx, perms).unwrap();
        fs::write(&idx, &damaged).unwrap();
        let run = build_bounded(&r.root, "registry");
        assert_eq!(run.code, 2, "byte {at}: {}", run.stderr);
        assert!(
            run.stderr.contains("pack index") && run.stderr.contains("git fsck"),
            "{}",
            run.stderr
        );
        assert!(!r.root.join("site").exists());
    }
    fs::write(&idx, &whole).unwrap();
    assert_eq!(build_bounded(&r.root, "registry").code, 0);
}
