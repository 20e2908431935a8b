//! The distribution files, run by the tools that read them: the pre-commit
//! hooks by `pre-commit` itself (from PyPI) on a temporary repository, the
//! composite GitHub Action's shell steps by `tests/python/run_action.py`
//! (action.yml read with PyYAML, each step run as a runner would), and the
//! Dockerfile's shape. The static binary the Dockerfile packages is checked
//! by `scripts/check-static`, which `scripts/test` runs after
//! `scripts/build-static` (a second release build has no place in `cargo
//! test`).
//!
//! Nothing here reaches the network: the hooks run the test binary through
//! the `language: system` hook, and the action's `cargo install` and `curl`
//! are stubs that put the test binary in place. The Python tools run in
//! `target/pyvenv` (`scripts/install-test-deps`); without it these tests
//! fail, saying so.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const TODAY: &str = "2026-11-29";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn venv_bin(tool: &str) -> PathBuf {
    common::test_python().with_file_name(tool)
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run git");
    assert!(out.status.success(), "git {args:?}: {}", text(&out));
}

fn write_executable(path: &Path, body: &str) {
    fs::write(path, body).unwrap();
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
}

/// The hooks' two flavours differ only in how vetted gets there.
#[test]
fn pre_commit_manifest_is_valid_and_both_hooks_agree() {
    let out = Command::new(venv_bin("pre-commit"))
        .args(["validate-manifest", ".pre-commit-hooks.yaml"])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));

    let script = "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))";
    let out = Command::new(common::test_python())
        .args(["-c", script, ".pre-commit-hooks.yaml"])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let hooks: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = hooks.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["vetted-check", "vetted-check-system"]);
    assert_eq!(hooks[0]["language"], "rust");
    assert_eq!(hooks[1]["language"], "system");
    for key in ["entry", "files", "pass_filenames"] {
        assert_eq!(hooks[0][key], hooks[1][key], "{key}");
    }
    assert_eq!(hooks[0]["entry"], "vetted check");
    assert_eq!(hooks[0]["pass_filenames"], false);
}

/// A hook repository holding this worktree's `.pre-commit-hooks.yaml`,
/// committed: what pre-commit clones from `repo:` at `rev:`.
fn hook_repository(dir: &Path) -> String {
    fs::create_dir_all(dir).unwrap();
    fs::copy(
        root().join(".pre-commit-hooks.yaml"),
        dir.join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    git(dir, &["init", "-q"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "hooks"]);
    let out = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(dir)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn pre_commit(repo: &Path, home: &Path, args: &[&str]) -> Output {
    let bin = Path::new(env!("CARGO_BIN_EXE_vetted")).parent().unwrap();
    let path = format!("{}:/usr/local/bin:/usr/bin:/bin", bin.display());
    Command::new(venv_bin("pre-commit"))
        .arg("run")
        .args(args)
        .current_dir(repo)
        .env("PRE_COMMIT_HOME", home.join("pre-commit-cache"))
        .env("HOME", home)
        .env("PATH", path)
        .env("VETTED_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// pre-commit clones the hook repository, runs `vetted check` on a
/// registry that passes, skips a commit touching no registry file, and
/// fails, with vetted's located diagnostic, once a vendor file is broken.
#[test]
fn pre_commit_hook_checks_the_registry() {
    let tmp = tempfile::tempdir().unwrap();
    let rev = hook_repository(&tmp.path().join("hooks"));
    let repo = tmp.path().join("registry-repo");
    common::copy_dir(&common::fixtures().join("minimal"), &repo.join("registry"));
    fs::write(repo.join("README.md"), "our vendors\n").unwrap();
    fs::write(
        repo.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: vetted-check-system\n        args: [--registry, registry]\n",
            tmp.path().join("hooks").display()
        ),
    )
    .unwrap();
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);

    let out = pre_commit(&repo, tmp.path(), &["--all-files"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("vetted check"), "{}", text(&out));
    assert!(text(&out).contains("Passed"), "{}", text(&out));

    let out = pre_commit(&repo, tmp.path(), &["--files", "README.md"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("Skipped"), "{}", text(&out));

    let vendor = repo.join("registry/vendors/cloudsched/vendor.toml");
    let mut broken = fs::read_to_string(&vendor).unwrap();
    broken.push_str("\nstatus = [\n");
    fs::write(&vendor, broken).unwrap();
    git(&repo, &["add", "-A"]);
    let out = pre_commit(
        &repo,
        tmp.path(),
        &["--files", "registry/vendors/cloudsched/vendor.toml"],
    );
    assert!(!out.status.success(), "{}", text(&out));
    let log = text(&out);
    assert!(log.contains("Failed"), "{log}");
    assert!(
        log.contains("registry/vendors/cloudsched/vendor.toml:") && log.contains("error[E0"),
        "vetted's diagnostic is not in pre-commit's output:\n{log}"
    );
}

/// A runner's environment around `run_action.py`: the action is this
/// repository, `cargo` and `curl` are stubs that install the test binary
/// (and log their arguments), `registry` is a copy of `fixture`.
struct Runner {
    tmp: tempfile::TempDir,
}

impl Runner {
    fn new(fixture: &Path) -> Runner {
        let tmp = tempfile::tempdir().unwrap();
        for dir in ["workspace", "home", "temp", "stubs"] {
            fs::create_dir_all(tmp.path().join(dir)).unwrap();
        }
        common::copy_dir(fixture, &tmp.path().join("workspace/registry"));
        let stubs = tmp.path().join("stubs");
        write_executable(
            &stubs.join("cargo"),
            "#!/bin/sh\n# cargo install … --root R: the test binary into R/bin\n\
             echo \"cargo $*\" >> \"$STUB_LOG\"\nroot=\nwhile [ $# -gt 0 ]; do\n  \
             [ \"$1\" = --root ] && root=$2\n  shift\ndone\n\
             mkdir -p \"$root/bin\" && cp \"$VETTED_TEST_BINARY\" \"$root/bin/vetted\"\n",
        );
        write_executable(
            &stubs.join("curl"),
            "#!/bin/sh\n# curl … --output FILE URL: the test binary into FILE\n\
             echo \"curl $*\" >> \"$STUB_LOG\"\nout=\nwhile [ $# -gt 0 ]; do\n  \
             [ \"$1\" = --output ] && out=$2\n  shift\ndone\n\
             cp \"$VETTED_TEST_BINARY\" \"$out\"\n",
        );
        Runner { tmp }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.tmp.path().join(rel)
    }

    fn stub_log(&self) -> String {
        fs::read_to_string(self.path("stub.log")).unwrap_or_default()
    }

    /// Run the action with these inputs: run_action.py's summary.
    fn run(&self, inputs: &[(&str, &str)]) -> Value {
        let inputs: serde_json::Map<String, Value> = inputs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Value::from(*v)))
            .collect();
        let path = format!("{}:/usr/bin:/bin", self.path("stubs").display());
        let out = Command::new(common::test_python())
            .arg(root().join("tests/python/run_action.py"))
            .arg(root().join("action.yml"))
            .arg(Value::Object(inputs).to_string())
            .env_clear()
            .env("PATH", path)
            .env("HOME", self.path("home"))
            .env("GITHUB_ACTION_PATH", root())
            .env("GITHUB_WORKSPACE", self.path("workspace"))
            .env("RUNNER_TEMP", self.path("temp"))
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("NO_COLOR", "1")
            .env("STUB_LOG", self.path("stub.log"))
            .env("VETTED_TEST_BINARY", env!("CARGO_BIN_EXE_vetted"))
            .output()
            .unwrap();
        assert!(out.status.success(), "run_action.py: {}", text(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

fn step<'a>(run: &'a Value, name: &str) -> &'a Value {
    run["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no step {name:?} in {run:#}"))
}

fn validate_sarif(file: &Path) -> Value {
    let out = Command::new(common::test_python())
        .arg(root().join("tests/python/validate_sarif.py"))
        .arg(file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}: {}", file.display(), text(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A clean registry: vetted is built once (`cargo install --locked --path`
/// on the action's own checkout), a valid SARIF log is written and listed
/// for upload, the job passes; a second run with the cache restored does
/// not build again.
#[test]
fn action_checks_a_clean_registry_and_writes_sarif() {
    let runner = Runner::new(&common::fixtures().join("minimal"));
    let run = runner.run(&[("today", TODAY), ("sarif-file", "reports/vetted.sarif")]);
    assert_eq!(run["status"], 0, "{run:#}");
    let home = runner.path("home");
    assert_eq!(
        runner.stub_log().trim(),
        format!(
            "cargo install --locked --path {} --root {}/.vetted-action",
            root().display(),
            home.display()
        )
    );
    assert!(
        run["outputs"]["key"]["key"]
            .as_str()
            .unwrap()
            .starts_with("vetted-Linux-X64-")
    );
    assert_eq!(run["outputs"]["check"]["exit-code"], "0");
    let summary = validate_sarif(&runner.path("workspace/reports/vetted.sarif"));
    assert_eq!(summary["levels"]["note"], 1, "{summary}");
    assert!(
        run["summary"]
            .as_str()
            .unwrap()
            .contains("checked 2 vendors")
    );

    let upload = step(&run, "Upload SARIF to code scanning");
    assert_eq!(upload["uses"], "github/codeql-action/upload-sarif@v3");
    assert_eq!(upload["with"]["sarif_file"], "reports/vetted.sarif");
    assert!(upload["if"].as_str().unwrap().starts_with("always()"));
    assert_eq!(step(&run, "Fail when check failed")["exit"], 0);

    let again = runner.run(&[("today", TODAY)]);
    assert_eq!(again["status"], 0, "{again:#}");
    assert_eq!(runner.stub_log().lines().count(), 1, "built twice");
}

/// The example registry has errors: annotations are printed, the SARIF
/// log still written and uploaded, and the job fails with check's status;
/// with `fail-on: warning` on the clean fixture, its note does not fail.
#[test]
fn action_fails_the_job_when_check_fails() {
    let runner = Runner::new(&root().join("registry"));
    let run = runner.run(&[("today", TODAY)]);
    assert_eq!(run["status"], 1, "{run:#}");
    let check = step(&run, "Check the registry");
    assert_eq!(check["exit"], 0, "the check step records the status");
    let log = check["stdout"].as_str().unwrap();
    assert!(
        log.contains("::error file=registry/vendors/"),
        "no annotations"
    );
    let last = log.lines().last().unwrap_or_default();
    assert!(last.starts_with("checked 15 vendors: 72 errors"), "{last}");
    assert_eq!(run["outputs"]["check"]["exit-code"], "1");
    let summary = validate_sarif(&runner.path("workspace/vetted.sarif"));
    assert!(summary["levels"]["error"].as_u64().unwrap() > 0);
    assert!(step(&run, "Upload SARIF to code scanning")["uses"].is_string());
    let fail = step(&run, "Fail when check failed");
    assert_eq!(fail["exit"], 1);
    assert!(
        fail["stdout"]
            .as_str()
            .unwrap()
            .contains("::error::vetted check exited with status 1")
    );

    let clean = Runner::new(&common::fixtures().join("minimal"));
    let run = clean.run(&[
        ("today", TODAY),
        ("fail-on", "warning"),
        ("annotations", "false"),
    ]);
    assert_eq!(run["status"], 0, "{run:#}");
    assert!(
        !step(&run, "Check the registry")["stdout"]
            .as_str()
            .unwrap()
            .contains("::")
    );
}

/// `binary-url` downloads instead of building, and only a file with the
/// given SHA-256 is installed; a mismatch fails before check runs.
#[test]
fn action_installs_a_downloaded_binary_only_when_its_checksum_matches() {
    let bytes = fs::read(env!("CARGO_BIN_EXE_vetted")).unwrap();
    let sha = {
        use sha2::Digest;
        format!("{:x}", sha2::Sha256::digest(&bytes))
    };
    let url = "https://downloads.example.org/vetted-x86_64-linux";
    let runner = Runner::new(&common::fixtures().join("minimal"));
    let run = runner.run(&[
        ("today", TODAY),
        ("binary-url", url),
        ("binary-sha256", &sha),
    ]);
    assert_eq!(run["status"], 0, "{run:#}");
    let log = runner.stub_log();
    assert!(
        log.starts_with("curl ") && log.contains("--proto =https") && log.contains(url),
        "{log}"
    );
    assert!(!log.contains("cargo"), "{log}");

    let runner = Runner::new(&common::fixtures().join("minimal"));
    let wrong = "0".repeat(64);
    let run = runner.run(&[("binary-url", url), ("binary-sha256", &wrong)]);
    assert_ne!(run["status"], 0, "{run:#}");
    assert_eq!(step(&run, "Check the registry")["skipped"], true);
    assert!(!runner.path("home/.vetted-action/bin/vetted").exists());

    let run = Runner::new(&common::fixtures().join("minimal")).run(&[("binary-url", url)]);
    assert_eq!(run["status"], 2, "{run:#}");
}

/// The image's shape (there is no Docker daemon to build it here): the
/// build stage runs scripts/build-static, the default image is the binary
/// alone FROM scratch, unprivileged, in /repo; the ci stage adds a shell;
/// the build context keeps what the build reads and nothing else.
#[test]
fn dockerfile_packages_the_static_build_unprivileged() {
    let dockerfile = fs::read_to_string(root().join("Dockerfile")).unwrap();
    let stages: Vec<&str> = dockerfile.split("\nFROM ").skip(1).collect();
    assert_eq!(stages.len(), 3, "build, ci, final");
    assert!(
        stages[0].starts_with("rust:1.85"),
        "the crate's rust-version"
    );
    assert!(stages[0].contains("scripts/build-static"));
    assert!(stages[1].starts_with("busybox:") && stages[1].contains(" AS ci"));
    assert!(stages[2].starts_with("scratch"));
    for stage in &stages[1..] {
        assert!(
            stage.contains("COPY --from=build /src/target/static/vetted /usr/local/bin/vetted")
        );
        assert!(stage.contains("\nUSER 65532:65532\n"), "not root");
        assert!(stage.contains("\nWORKDIR /repo\n"));
        assert!(stage.contains("\nENTRYPOINT [\"/usr/local/bin/vetted\"]\n"));
    }
    let build_static = fs::read_to_string(root().join("scripts/build-static")).unwrap();
    assert!(build_static.contains("out=target/static"));

    let ignore = fs::read_to_string(root().join(".dockerignore")).unwrap();
    let kept: Vec<&str> = ignore.lines().filter_map(|l| l.strip_prefix('!')).collect();
    assert!(
        ignore.lines().any(|l| l == "*"),
        "everything else is left out"
    );
    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "src/",
        "themes/",
        "scripts/build-static",
    ] {
        assert!(
            kept.contains(&needed),
            "{needed} is not in the build context"
        );
    }
}

/// The README's recipes name no placeholder host to install from, and read
/// as their consumers read them (`tests/python/check_readme_recipes.py`):
/// YAML that parses, the action's declared inputs, a pre-commit
/// configuration pre-commit accepts.
#[test]
fn readme_recipes_use_the_distribution_files() {
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    for placeholder in ["your.git.host", "cargo install --git"] {
        assert!(
            !readme.contains(placeholder),
            "README still says {placeholder}"
        );
    }
    for used in ["scripts/build-static", "vetted-check-system", "--target ci"] {
        assert!(readme.contains(used), "README does not show {used}");
    }
    let out = Command::new(common::test_python())
        .arg(root().join("tests/python/check_readme_recipes.py"))
        .arg(root().join("README.md"))
        .arg(root().join("action.yml"))
        .arg(venv_bin("pre-commit"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
}
