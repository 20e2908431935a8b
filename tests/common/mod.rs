//! Shared test helpers: build a registry from a fixture plus a declarative case.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

/// The Python of the independent validators' virtual environment
/// (`scripts/install-test-deps`, which `scripts/test` runs first). A test
/// that needs it fails, saying so, when it is missing: never skipped.
pub fn test_python() -> PathBuf {
    let py = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/pyvenv/bin/python");
    assert!(
        py.is_file(),
        "{} is missing: run scripts/install-test-deps to install the validators \
         (tests/python/requirements.txt)",
        py.display()
    );
    py
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            fs::copy(entry.path(), dest).unwrap();
        }
    }
}

/// A change to a fixture registry, read from `case.toml`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub description: String,
    /// Where the case's code must be reported, every place exactly, in
    /// output order: `vendors/acme/vendor.toml:26:1` (relative to the registry).
    #[serde(default)]
    pub at: Vec<String>,
    #[serde(default)]
    pub edit: Vec<Edit>,
    #[serde(default)]
    pub write: Vec<Write>,
    #[serde(default)]
    pub write_bytes: Vec<Bytes>,
    #[serde(default)]
    pub prepend_bytes: Vec<Bytes>,
    #[serde(default)]
    pub pad: Vec<Pad>,
    #[serde(default)]
    pub remove: Vec<String>,
    #[serde(default)]
    pub rename: Vec<Move>,
    #[serde(default)]
    pub copy: Vec<Move>,
    #[serde(default)]
    pub mkdir: Vec<PathOnly>,
    #[serde(default)]
    pub symlink: Vec<Symlink>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    pub file: String,
    pub find: String,
    pub replace: String,
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Write {
    pub file: String,
    pub content: String,
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bytes {
    pub file: String,
    pub bytes: Vec<u8>,
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pad {
    pub file: String,
    pub bytes: usize,
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Move {
    pub from: String,
    pub to: String,
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathOnly {
    pub path: String,
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Symlink {
    pub path: String,
    pub target: String,
}

impl Case {
    pub fn read(path: &Path) -> Case {
        toml::from_str(&fs::read_to_string(path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Apply the case to the registry at `reg`. Panics (fails the test) when an
    /// edit does not find its text, so a stale fixture cannot pass silently.
    pub fn apply(&self, reg: &Path) {
        for e in &self.edit {
            let p = reg.join(&e.file);
            let text = fs::read_to_string(&p).unwrap();
            assert!(text.contains(&e.find), "{}: `{}` not found", e.file, e.find);
            fs::write(&p, text.replacen(&e.find, &e.replace, 1)).unwrap();
        }
        for r in &self.remove {
            let p = reg.join(r);
            if p.is_dir() {
                fs::remove_dir_all(p).unwrap()
            } else {
                fs::remove_file(p).unwrap()
            }
        }
        for w in &self.write {
            let p = reg.join(&w.file);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, &w.content).unwrap();
        }
        for b in &self.write_bytes {
            fs::write(reg.join(&b.file), &b.bytes).unwrap();
        }
        for b in &self.prepend_bytes {
            let p = reg.join(&b.file);
            let mut bytes = b.bytes.clone();
            bytes.extend(fs::read(&p).unwrap());
            fs::write(p, bytes).unwrap();
        }
        for pad in &self.pad {
            let p = reg.join(&pad.file);
            let mut bytes = fs::read(&p).unwrap();
            bytes.resize(bytes.len().max(pad.bytes), b'\n');
            fs::write(p, bytes).unwrap();
        }
        for m in &self.rename {
            fs::rename(reg.join(&m.from), reg.join(&m.to)).unwrap();
        }
        for m in &self.copy {
            copy_dir(&reg.join(&m.from), &reg.join(&m.to));
        }
        for m in &self.mkdir {
            let p = reg.join(&m.path);
            fs::create_dir_all(&p).unwrap();
            fs::write(p.join("placeholder"), "").unwrap();
        }
        for s in &self.symlink {
            let p = reg.join(&s.path);
            // The target exists, so only the escape is wrong.
            let target = p.parent().unwrap().join(&s.target);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).unwrap();
            }
            fs::write(&target, "[standards]\n").unwrap();
            std::os::unix::fs::symlink(&s.target, &p).unwrap();
        }
    }
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Run the vetted binary in `dir`.
pub fn vetted(dir: &Path, args: &[&str]) -> Run {
    vetted_env(dir, args, &[])
}

/// Run the vetted binary in `dir` with extra environment variables.
pub fn vetted_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_vetted"))
        .args(args)
        .current_dir(dir)
        .env_remove("VETTED_TODAY")
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .expect("run vetted");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Run the vetted binary in `dir` with `NO_COLOR` set or unset (the other
/// helpers always set it), its output on a pipe or, with `terminal`, on a
/// pseudo-terminal (through util-linux `script`), as a user's shell would.
pub fn vetted_colour(dir: &Path, args: &[&str], no_color: bool, terminal: bool) -> Run {
    let exe = env!("CARGO_BIN_EXE_vetted");
    let mut cmd = if terminal {
        let quote = |s: &str| format!("'{}'", s.replace('\'', "'\\''"));
        let line: Vec<String> = std::iter::once(exe)
            .chain(args.iter().copied())
            .map(quote)
            .collect();
        let mut c = Command::new("script");
        c.args(["-q", "-e", "-c", &line.join(" "), "/dev/null"]);
        c
    } else {
        let mut c = Command::new(exe);
        c.args(args);
        c
    };
    cmd.current_dir(dir)
        .env_remove("VETTED_TODAY")
        .env_remove("NO_COLOR");
    if no_color {
        cmd.env("NO_COLOR", "1");
    }
    let out = cmd
        .output()
        .expect("run vetted (a terminal needs util-linux `script`)");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A temporary folder holding `reg/`, a copy of `fixtures/<fixture>` with `case` applied.
pub fn registry(fixture: &str, case: Option<&Case>) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let reg = tmp.path().join("reg");
    copy_dir(&fixtures().join(fixture), &reg);
    if let Some(c) = case {
        c.apply(&reg);
    }
    tmp
}

/// The minimal fixture (as `registry`) with one data-contract error: a
/// renewal date that is no date (E0105 in cloudsched's vendor.toml). What
/// `build`, `calendar` and `export` refuse.
pub fn contract_broken_registry() -> tempfile::TempDir {
    let tmp = registry("minimal", None);
    let vendor = tmp.path().join("reg/vendors/cloudsched/vendor.toml");
    let text = std::fs::read_to_string(&vendor).unwrap();
    assert!(text.contains("renewal = 2027-01-15"), "the fixture changed");
    std::fs::write(
        &vendor,
        text.replace("renewal = 2027-01-15", "renewal = 2027-13-45"),
    )
    .unwrap();
    tmp
}

/// Who and when a test commit is: git's identity and date variables.
pub struct Author<'a> {
    pub name: &'a str,
    pub committer: &'a str,
    /// `@<unix seconds> <zone>`, as GIT_*_DATE take it.
    pub date: &'a str,
}

impl Author<'_> {
    pub const ANA: Author<'static> = Author {
        name: "Ana Analyst",
        committer: "Ana Analyst",
        date: "@1700000000 +0000",
    };
}

/// Run git in `root` isolated from the machine's configuration (no system
/// config, HOME in the test's temporary folder), as `author`; panics (fails
/// the test) when git fails. Gives standard output.
pub fn git(root: &Path, args: &[&str], author: &Author) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(root)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", root.parent().unwrap())
        .env("GIT_AUTHOR_NAME", author.name)
        .env("GIT_AUTHOR_EMAIL", "ana@hospital.example")
        .env("GIT_COMMITTER_NAME", author.committer)
        .env("GIT_COMMITTER_EMAIL", "ana@hospital.example")
        .env("GIT_AUTHOR_DATE", author.date)
        .env("GIT_COMMITTER_DATE", author.date)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
