//! The git history reader (`history::read`) on a small repository whose
//! object files the input damages. Damaged objects must give an error (or,
//! where the damage is never read, a history), never a panic or a crash.
//!
//! Once per process the target builds, with `git`, a repository of six
//! commits of the `minimal` fixture (vendors added, edited, renamed; notes
//! removed; a policy change) in two copies: one with loose objects, one
//! repacked into a single pack with deltas. Input:
//!
//! ```text
//! byte 0   mode: 0 and 2 = patch the packed copy's .pack or .idx file,
//!                1 = replace a loose object's content (inflated; it is
//!                    deflated again, so the damage reaches the parsers),
//!                3 = patch a loose object's file (deflated bytes)
//! byte 1   which file (index into the sorted object files, modulo)
//! rest     mode 1: the object's new inflated content ("tree 123\0...")
//!          other modes: patches, each `offset:u16le len:u8 bytes[len]`,
//!          overwriting at offset modulo the file's length; len 255 cuts the
//!          file at the offset instead
//! ```
//!
//! The damaged file is restored before the next input.
#![no_main]

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

use libfuzzer_sys::fuzz_target;
use vetted::history::HistoryOptions;
use vetted_fuzz::*;

struct Copy {
    /// The registry folder inside the repository.
    registry: PathBuf,
    /// Object files (absolute) and their pristine bytes, sorted by path.
    objects: Vec<(PathBuf, Vec<u8>)>,
}

struct Setup {
    packed: Copy,
    loose: Copy,
    opts: HistoryOptions,
    /// The file the last input damaged, to restore.
    damaged: Mutex<Option<(PathBuf, Vec<u8>)>>,
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Fuzz Author")
        .env("GIT_AUTHOR_EMAIL", "author@fuzz.example")
        .env("GIT_AUTHOR_DATE", "2026-01-02T03:04:05Z")
        .env("GIT_COMMITTER_NAME", "Fuzz Committer")
        .env("GIT_COMMITTER_EMAIL", "committer@fuzz.example")
        .env("GIT_COMMITTER_DATE", "2026-01-02T03:04:05Z")
        .output()
        .expect("the history target needs `git` on PATH");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().expect("a file in a folder")).expect("mkdir");
    fs::write(path, text).expect("write");
}

fn edit(path: &Path, find: &str, replace: &str) {
    let text = fs::read_to_string(path).expect("read");
    assert!(text.contains(find), "{find:?} not in {}", path.display());
    fs::write(path, text.replacen(find, replace, 1)).expect("write");
}

fn build_repo(root: &Path) {
    let reg = root.join("registry");
    git(root, &["init", "-q", "-b", "main"]);
    for (name, text) in POLICY {
        write(&reg.join(name), text);
    }
    for (path, text) in MINIMAL_VENDORS {
        if path.starts_with("vendors/acme-infusion/") {
            write(&reg.join(path), text);
        }
    }
    let commit = |msg: &str| {
        git(root, &["add", "-A"]);
        git(root, &["commit", "-q", "-m", msg]);
    };
    commit("Add the registry and Acme");
    for (path, text) in MINIMAL_VENDORS {
        if path.starts_with("vendors/cloudsched/") {
            write(&reg.join(path), text);
        }
    }
    commit("Add CloudSched");
    edit(
        &reg.join("vendors/acme-infusion/answers.toml"),
        "notification_hours = 48",
        "notification_hours = 96",
    );
    commit("Acme: slower notification");
    edit(
        &reg.join("vendors/acme-infusion/artifacts.toml"),
        "issued = 2024-03-01",
        "issued = 2025-03-01",
    );
    edit(
        &reg.join("vendors/acme-infusion/notes.md"),
        "biomed VLAN",
        "isolated biomed VLAN",
    );
    commit("Acme: new BAA, notes");
    fs::rename(
        reg.join("vendors/cloudsched"),
        reg.join("vendors/cloud-sched"),
    )
    .expect("rename");
    commit("Rename cloudsched");
    fs::remove_file(reg.join("vendors/acme-infusion/notes.md")).expect("rm");
    edit(
        &reg.join("vetted.toml"),
        "expiry_warning_days = 60",
        "expiry_warning_days = 90",
    );
    commit("Drop notes; warn earlier");
}

fn object_files(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let objects = root.join(".git/objects");
    for dir in fs::read_dir(&objects).expect("objects").flatten() {
        let name = dir.file_name();
        if name == "info" || !dir.path().is_dir() {
            continue;
        }
        for f in fs::read_dir(dir.path()).expect("objects/xx").flatten() {
            let p = f.path();
            let n = p.file_name().unwrap_or_default().to_string_lossy();
            if name == "pack" && !(n.ends_with(".pack") || n.ends_with(".idx")) {
                continue;
            }
            let bytes = fs::read(&p).expect("object");
            out.push((p, bytes));
        }
    }
    out.sort();
    assert!(!out.is_empty(), "no object files in {}", objects.display());
    out
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        single_threaded();
        // As the binary does before any command: libgit2's object cache off
        // (a repository handle kept between inputs would otherwise cache
        // objects of files this target damages, and grow), no re-hashing.
        vetted::history::tune_process();
        let base = scratch().join("history");
        let loose = base.join("loose");
        fs::create_dir_all(&loose).expect("mkdir");
        build_repo(&loose);
        let packed = base.join("packed");
        let status = Command::new("cp")
            .arg("-a")
            .arg(&loose)
            .arg(&packed)
            .status()
            .expect("cp");
        assert!(status.success(), "cp -a failed");
        git(&packed, &["repack", "-a", "-d", "-f", "-q", "--depth=50", "--window=50"]);
        git(&packed, &["prune-packed", "-q"]);

        let registry = loose.join("registry");
        let checked = vetted::check(&vetted::RegistryOptions {
            registry: registry.clone(),
            today: today(),
        })
        .expect("registry");
        let kinds = checked
            .checked
            .registry
            .map(|r| r.kinds)
            .unwrap_or_default();
        let opts = HistoryOptions {
            cache_dir: None,
            kinds,
            working_tree: false,
            tiers: None,
            rev: None,
        };
        // The undamaged repository reads.
        let h = vetted::history::read(&registry, &opts).expect("the pristine history reads");
        assert_eq!(h.commits.len(), 6, "six registry commits");
        let packed = Copy {
            registry: packed.join("registry"),
            objects: object_files(&packed),
        };
        let loose = Copy {
            registry,
            objects: object_files(&loose),
        };
        if let Some(dir) = std::env::var_os("VETTED_FUZZ_HISTORY_SEEDS") {
            write_seeds(Path::new(&dir), &packed, &loose);
        }
        Setup {
            packed,
            loose,
            opts,
            damaged: Mutex::new(None),
        }
    })
}

/// Replace `path` by a new file (a new inode: nothing mapped the old one's pages).
fn replace(path: &Path, bytes: &[u8]) {
    let tmp = path.with_extension("fuzz-tmp");
    fs::write(&tmp, bytes).expect("write");
    fs::rename(&tmp, path).expect("rename");
}

fn patch(mut bytes: Vec<u8>, mut rest: &[u8]) -> Vec<u8> {
    while rest.len() >= 3 && !bytes.is_empty() {
        let off = usize::from(u16::from_le_bytes([rest[0], rest[1]])) % bytes.len();
        let len = rest[2];
        rest = &rest[3..];
        if len == 255 {
            bytes.truncate(off);
            continue;
        }
        let n = usize::from(len).min(rest.len());
        let end = (off + n).min(bytes.len());
        bytes[off..end].copy_from_slice(&rest[..end - off]);
        rest = &rest[n..];
    }
    bytes
}

/// Seed inputs for this repository (`fuzz/make_seeds.py` asks for them): each
/// loose object's inflated content, each pack file intact and with its
/// header, first entry or fan-out damaged, and a few damaged loose files.
fn write_seeds(dir: &Path, packed: &Copy, loose: &Copy) {
    use std::io::Read as _;
    fs::create_dir_all(dir).expect("seed folder");
    for (i, (_, bytes)) in loose.objects.iter().enumerate() {
        let mut content = Vec::new();
        flate2::read::ZlibDecoder::new(&bytes[..])
            .read_to_end(&mut content)
            .expect("a loose object inflates");
        let kind: String = content
            .iter()
            .take_while(|b| b.is_ascii_alphabetic())
            .map(|&b| char::from(b))
            .collect();
        let mut seed = vec![1, i as u8];
        seed.extend_from_slice(&content);
        fs::write(dir.join(format!("loose-{i:02}-{kind}")), seed).expect("seed");
        if i % 8 == 0 {
            let seed = [3, i as u8, 4, 0, 2, 0xff, 0xff];
            fs::write(dir.join(format!("loose-{i:02}-deflate-damaged")), seed).expect("seed");
        }
    }
    for (i, (path, bytes)) in packed.objects.iter().enumerate() {
        let ext = path.extension().unwrap_or_default().to_string_lossy();
        let len = bytes.len();
        let mut seeds: Vec<(String, Vec<u8>)> = vec![(format!("{ext}-intact"), vec![])];
        if ext == "pack" {
            // The object count, the first entry's header, mid-file, and a cut.
            seeds.push(("pack-count".into(), vec![8, 0, 4, 0, 0, 0x7f, 0xff]));
            seeds.push(("pack-first-entry".into(), vec![12, 0, 2, 0xff, 0xff]));
            let mid = (len / 2) as u16;
            let [a, b] = mid.to_le_bytes();
            seeds.push(("pack-middle".into(), vec![a, b, 3, 0x78, 0x9c, 0x00]));
            seeds.push(("pack-cut".into(), vec![a, b, 255]));
        } else {
            // The fan-out table and the first offsets.
            let [a, b] = (8u16 + 4 * 200).to_le_bytes();
            seeds.push(("idx-fanout".into(), vec![a, b, 4, 0, 0, 0, 0]));
            let off = (len - 40 - 4 * 4) as u16;
            let [a, b] = off.to_le_bytes();
            seeds.push(("idx-offsets".into(), vec![a, b, 4, 0x80, 0, 0, 1]));
        }
        for (name, patches) in seeds {
            let mut seed = vec![0, i as u8];
            seed.extend(patches);
            fs::write(dir.join(format!("packed-{i}-{name}")), seed).expect("seed");
        }
    }
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(bytes).expect("in memory");
    z.finish().expect("in memory")
}

fuzz_target!(|data: &[u8]| {
    let s = setup();
    let mut damaged = s.damaged.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((path, bytes)) = damaged.take() {
        replace(&path, &bytes);
    }
    let (&mode, rest) = data.split_first().unwrap_or((&0, &[]));
    let (&which, rest) = rest.split_first().unwrap_or((&0, &[]));
    let copy = if mode & 1 == 0 { &s.packed } else { &s.loose };
    let (path, pristine) = &copy.objects[usize::from(which) % copy.objects.len()];
    let new = match mode & 3 {
        1 if path.parent().is_some_and(|p| !p.ends_with("pack")) => deflate(rest),
        _ => patch(pristine.clone(), rest),
    };
    replace(path, &new);
    *damaged = Some((path.clone(), pristine.clone()));
    drop(damaged);
    if let Ok(h) = vetted::history::read(&copy.registry, &s.opts) {
        // What `vetted history --json` would serialise.
        let _ = serde_json::to_string(&h.commits);
    }
});
