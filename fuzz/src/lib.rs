//! Shared pieces of the fuzz targets: a per-process scratch folder, a
//! registry built from the `minimal` test fixture's policy files plus one
//! vendor folder cut from the fuzz input, and the safety invariants every
//! target checks on what vetted prints.
//!
//! Input format for a vendor folder (targets `vendor_check`, `diff_markdown`):
//! the input is split at NUL bytes into chunks, in this order:
//!
//! ```text
//! vendor.toml \0 answers.toml \0 artifacts.toml \0 findings.toml \0 exceptions.toml \0 notes.md \0 FOLDER-NAME
//! ```
//!
//! An empty or missing chunk means the file is absent. The folder name (the
//! vendor's slug on disk) defaults to `acme-infusion`; `/` becomes `_`, and it
//! is cut at 100 bytes. A file named `evidence/baa.txt` (content `EVIDENCE`)
//! is always present so `file = "evidence/baa.txt"` artifacts can be checked.

use std::ffi::OsString;
use std::fs;
use std::io::Write as _;
use std::os::unix::ffi::OsStringExt as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub use vetted::console::{Inert, Style};

/// The date every rule is evaluated against (as the README's examples).
pub const TODAY: &str = "2026-11-22";

/// The policy files every fuzzed registry uses.
pub const POLICY: [(&str, &str); 4] = [
    (
        "vetted.toml",
        include_str!("../../tests/fixtures/minimal/vetted.toml"),
    ),
    (
        "questionnaire.toml",
        include_str!("../../tests/fixtures/minimal/questionnaire.toml"),
    ),
    (
        "tiers.toml",
        include_str!("../../tests/fixtures/minimal/tiers.toml"),
    ),
    (
        "artifact-kinds.toml",
        include_str!("../../tests/fixtures/minimal/artifact-kinds.toml"),
    ),
];

/// The vendor files, in the order of the input's chunks.
pub const VENDOR_FILES: [&str; 6] = [
    "vendor.toml",
    "answers.toml",
    "artifacts.toml",
    "findings.toml",
    "exceptions.toml",
    "notes.md",
];

pub const DEFAULT_FOLDER: &[u8] = b"acme-infusion";
pub const EVIDENCE_PATH: &str = "evidence/baa.txt";
pub const EVIDENCE: &[u8] = b"Business associate agreement, signed 2024-03-01.\n";

static SCRATCH: OnceLock<PathBuf> = OnceLock::new();

extern "C" fn remove_scratch() {
    if let Some(dir) = SCRATCH.get() {
        let _ = fs::remove_dir_all(dir);
    }
}

/// This process's scratch folder, created on first use and removed at exit:
/// `$VETTED_FUZZ_TMP` (set by scripts/fuzz), else /dev/shm, else the
/// system's temporary folder; then `vetted-fuzz-<pid>`.
pub fn scratch() -> &'static Path {
    SCRATCH.get_or_init(|| {
        let base = std::env::var_os("VETTED_FUZZ_TMP")
            .map(PathBuf::from)
            .filter(|p| p.is_dir())
            .or_else(|| Some(PathBuf::from("/dev/shm")).filter(|p| p.is_dir()))
            .unwrap_or_else(std::env::temp_dir);
        // A run that crashed (or was killed) could not remove its folder:
        // remove those of processes that are gone.
        if let Ok(entries) = fs::read_dir(&base) {
            for e in entries.flatten() {
                let name = e.file_name();
                let pid = name
                    .to_str()
                    .and_then(|n| n.strip_prefix("vetted-fuzz-"))
                    .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
                if let Some(pid) = pid {
                    if !Path::new("/proc").join(pid).exists() {
                        let _ = fs::remove_dir_all(e.path());
                    }
                }
            }
        }
        let dir = base.join(format!("vetted-fuzz-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("cannot create the fuzz scratch folder");
        // SAFETY: registers a plain function; libFuzzer ends with exit().
        unsafe {
            libc::atexit(remove_scratch);
        }
        dir
    })
}

/// One thread for rayon: the targets run one input at a time, and coverage
/// is steadier without a pool racing.
pub fn single_threaded() {
    let _ = rayon::ThreadPoolBuilder::new().num_threads(1).build_global();
}

pub fn today() -> vetted::model::Date {
    vetted::parse_date(TODAY).expect("TODAY is a date")
}

/// A registry folder holding the policy files (and no vendors yet).
pub fn policy_registry(dir: &Path) -> PathBuf {
    fs::create_dir_all(dir).expect("cannot create a registry folder");
    for (name, text) in POLICY {
        fs::write(dir.join(name), text).expect("cannot write a policy file");
    }
    dir.to_path_buf()
}

/// One vendor folder cut from fuzz input.
#[derive(Debug, Clone)]
pub struct VendorInput<'a> {
    pub files: [&'a [u8]; 6],
    pub folder: OsString,
}

impl<'a> VendorInput<'a> {
    /// Take the next seven chunks (six files and the folder name).
    pub fn take(chunks: &mut impl Iterator<Item = &'a [u8]>) -> Self {
        let mut files: [&[u8]; 6] = [b""; 6];
        for f in &mut files {
            *f = chunks.next().unwrap_or(b"");
        }
        VendorInput {
            files,
            folder: folder_name(chunks.next().unwrap_or(b"")),
        }
    }

    pub fn parse(data: &'a [u8]) -> Self {
        Self::take(&mut chunks(data))
    }

    /// Write this vendor as the registry's only one (replacing any before).
    pub fn write(&self, registry: &Path) {
        let vendors = registry.join("vendors");
        let _ = fs::remove_dir_all(&vendors);
        let dir = vendors.join(&self.folder);
        let evidence = dir.join(EVIDENCE_PATH);
        fs::create_dir_all(evidence.parent().expect("evidence has a folder"))
            .expect("cannot create the vendor folder");
        fs::write(&evidence, EVIDENCE).expect("cannot write the evidence file");
        for (name, bytes) in VENDOR_FILES.iter().zip(self.files) {
            if !bytes.is_empty() {
                fs::write(dir.join(name), bytes).expect("cannot write a vendor file");
            }
        }
    }

    /// Whether the loader skips this folder (hidden).
    pub fn hidden(&self) -> bool {
        self.folder.as_encoded_bytes().starts_with(b".")
    }
}

/// The input's chunks: split at NUL bytes.
pub fn chunks(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    data.split(|&b| b == 0)
}

/// A usable folder name from fuzz bytes (any bytes but `/` and NUL).
pub fn folder_name(raw: &[u8]) -> OsString {
    let mut b: Vec<u8> = raw
        .iter()
        .take(100)
        .map(|&c| if c == b'/' { b'_' } else { c })
        .collect();
    if b.is_empty() || b == b"." || b == b".." {
        b = DEFAULT_FOLDER.to_vec();
    }
    OsString::from_vec(b)
}

// ------------------------------------------------------------- invariants

/// Characters that must never reach a terminal or CI log raw: control
/// characters other than `\n`, and the invisible formatting characters
/// (bidirectional overrides, zero-width marks) vetted promises to escape.
pub fn unprintable(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// The length of the SGR sequence (`ESC [ params m`) at the start of `s`.
fn sgr_len(s: &str) -> Option<usize> {
    let rest = s.strip_prefix("\u{1b}[")?;
    let params = rest
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b';' || *b == b':')
        .count();
    (rest.as_bytes().get(params) == Some(&b'm')).then_some(2 + params + 1)
}

/// `text` without its SGR (colour) sequences.
pub fn strip_sgr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('\u{1b}') {
        out.push_str(&rest[..i]);
        match sgr_len(&rest[i..]) {
            Some(n) => rest = &rest[i + n..],
            None => {
                out.push('\u{1b}');
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Text bound for a terminal or CI log holds no raw control or invisible
/// formatting character but `\n`; with `sgr`, the colour renderer's own
/// well-formed SGR sequences are allowed.
pub fn assert_visible(what: &str, text: &str, sgr: bool) {
    let stripped;
    let text = if sgr {
        stripped = strip_sgr(text);
        &stripped
    } else {
        text
    };
    for (n, line) in text.split('\n').enumerate() {
        if let Some(c) = line.chars().find(|&c| unprintable(c)) {
            panic!(
                "{what}: raw {:?} (U+{:04X}) reaches the terminal on output line {}: {line:?}",
                c,
                u32::from(c),
                n + 1
            );
        }
    }
}

/// What a GitHub Actions runner would execute in one line of log output:
/// the line, trimmed of (Unicode) white space, starts with `::`
/// (ActionCommand.TryParseV2), or it holds `##[` (the legacy form).
pub fn runner_would_execute(line: &str) -> bool {
    line.trim_start().starts_with("::") || line.contains("##[")
}

/// No line of `text` (split, as the runner does, at `\n` and `\r`) is a
/// workflow command.
pub fn assert_inert(what: &str, text: &str) {
    for (n, line) in text.split(['\n', '\r']).enumerate() {
        assert!(
            !runner_would_execute(line),
            "{what}: output line {} would run as a GitHub Actions workflow command: {line:?}",
            n + 1
        );
    }
}

/// `text` written through the CLI's output filter (`console::Inert`), in
/// pieces as a renderer writes it.
pub fn through_inert(style: Style, write: impl FnOnce(&mut dyn std::io::Write)) -> String {
    let mut buf = Vec::new();
    {
        let mut w = Inert::new(&mut buf, style);
        write(&mut w);
        w.flush().expect("writing to memory cannot fail");
    }
    String::from_utf8(buf).expect("vetted's output is UTF-8")
}

/// `md` (`vetted diff`'s Markdown) without the zero-width spaces the writer puts in on purpose to break
/// autolinks, mentions and references (after `@` and `#`, inside `://`,
/// after `www`). Any other one came from registry text, unescaped.
pub fn without_writer_zwsp(md: &str) -> String {
    const ZWSP: char = '\u{200B}';
    let chars: Vec<char> = md.chars().collect();
    let mut out = String::with_capacity(md.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ZWSP && i > 0 {
            let prev = chars[i - 1];
            let next = chars.get(i + 1).copied();
            let www = i >= 3
                && chars[i - 3..i].iter().all(|c| c.eq_ignore_ascii_case(&'w'))
                && next == Some('.');
            if prev == '@' || prev == '#' || (prev == ':' && next == Some('/')) || www {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// `--format github`: one well-formed workflow command per diagnostic and
/// nothing else (registry text cannot start a command of its own, cut one
/// short, or add a property), no `##[`, no raw control characters.
pub fn assert_github(text: &str, diagnostics: usize) {
    assert_visible("github", text, false);
    assert!(
        !text.contains("##["),
        "github: `##[` in the output: {text:?}"
    );
    let lines: Vec<&str> = text.split_terminator('\n').collect();
    assert_eq!(
        lines.len(),
        diagnostics,
        "github: {diagnostics} diagnostics printed as {} lines: {text:?}",
        lines.len()
    );
    for line in lines {
        let rest = ["::error ", "::warning ", "::notice "]
            .iter()
            .find_map(|p| line.strip_prefix(p))
            .unwrap_or_else(|| panic!("github: not a workflow command: {line:?}"));
        let (props, _data) = rest
            .split_once("::")
            .unwrap_or_else(|| panic!("github: no `::` after the properties: {line:?}"));
        let keys: Vec<&str> = props
            .split(',')
            .map(|kv| {
                kv.split_once('=')
                    .unwrap_or_else(|| panic!("github: property without `=`: {kv:?} in {line:?}"))
                    .0
            })
            .collect();
        assert_eq!(
            keys,
            ["file", "line", "col", "title"],
            "github: properties of {line:?}"
        );
    }
}

/// The `minimal` fixture's vendor files (path inside the registry, text).
pub const MINIMAL_VENDORS: [(&str, &str); 7] = [
    (
        "vendors/acme-infusion/vendor.toml",
        include_str!("../../tests/fixtures/minimal/vendors/acme-infusion/vendor.toml"),
    ),
    (
        "vendors/acme-infusion/answers.toml",
        include_str!("../../tests/fixtures/minimal/vendors/acme-infusion/answers.toml"),
    ),
    (
        "vendors/acme-infusion/artifacts.toml",
        include_str!("../../tests/fixtures/minimal/vendors/acme-infusion/artifacts.toml"),
    ),
    (
        "vendors/acme-infusion/notes.md",
        include_str!("../../tests/fixtures/minimal/vendors/acme-infusion/notes.md"),
    ),
    (
        "vendors/cloudsched/vendor.toml",
        include_str!("../../tests/fixtures/minimal/vendors/cloudsched/vendor.toml"),
    ),
    (
        "vendors/cloudsched/answers.toml",
        include_str!("../../tests/fixtures/minimal/vendors/cloudsched/answers.toml"),
    ),
    (
        "vendors/cloudsched/artifacts.toml",
        include_str!("../../tests/fixtures/minimal/vendors/cloudsched/artifacts.toml"),
    ),
];
