//! Load stage: discover the registry's files and parse every one of them, vendor
//! folders in parallel. Takes a registry folder, gives raw documents plus the
//! diagnostics of files that could not be read or parsed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::diag::{Code, Diagnostic, Loc, SourceText, Sources};
use crate::model::raw::*;
use crate::parse::{self, Doc};

pub const SETTINGS_FILE: &str = "vetted.toml";
pub const QUESTIONNAIRE_FILE: &str = "questionnaire.toml";
pub const TIERS_FILE: &str = "tiers.toml";
pub const KINDS_FILE: &str = "artifact-kinds.toml";
/// The registry-wide policy files, in the order history reports their changes.
pub const POLICY_FILES: [&str; 4] = [SETTINGS_FILE, QUESTIONNAIRE_FILE, TIERS_FILE, KINDS_FILE];

/// Files a vendor folder may hold, and whether each is required.
pub const VENDOR_FILES: &[(&str, bool)] = &[
    ("vendor.toml", true),
    ("answers.toml", true),
    ("artifacts.toml", true),
    ("findings.toml", false),
    ("exceptions.toml", false),
    ("notes.md", false),
];

#[derive(Debug)]
pub struct Loaded {
    pub root: PathBuf,
    pub sources: Sources,
    pub settings: Option<Doc<RawSettings>>,
    pub questionnaire: Option<Doc<RawQuestionnaire>>,
    pub tiers: Option<Doc<RawTiers>>,
    pub kinds: Option<Doc<RawArtifactKinds>>,
    /// Vendor folders, found but not yet read: validation reads each one and
    /// checks it in the same parallel task, so a large registry never holds
    /// every parsed file at once.
    pub vendors: Vec<VendorDir>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A folder under `vendors/`.
#[derive(Debug)]
pub struct VendorDir {
    /// Folder name as found on disk (may be an invalid slug; validate decides).
    pub slug: String,
    /// Path relative to the registry: `vendors/<slug>`.
    pub dir: Arc<str>,
    pub abs_dir: PathBuf,
}

#[derive(Debug)]
pub struct LoadedVendor {
    /// Folder name as found on disk (may be an invalid slug; validate decides).
    pub slug: String,
    /// Path relative to the registry: `vendors/<slug>`.
    pub dir: Arc<str>,
    pub abs_dir: PathBuf,
    pub vendor: Option<Doc<RawVendor>>,
    pub answers: Option<Doc<RawAnswers>>,
    pub artifacts: Option<Doc<RawArtifacts>>,
    pub findings: Option<Doc<RawFindings>>,
    pub exceptions: Option<Doc<RawExceptions>>,
    pub notes: Option<(Arc<str>, SourceText)>,
    /// Whether each known file was present (even if it failed to parse).
    pub present: BTreeMap<&'static str, bool>,
}

/// Find the registry: an explicit folder, else `./registry`, else the current
/// folder when it holds `vetted.toml`.
pub fn discover(explicit: Option<&Path>) -> PathBuf {
    if let Some(p) = explicit {
        return p.to_path_buf();
    }
    let default = PathBuf::from("registry");
    if default.join(SETTINGS_FILE).is_file() || !Path::new(SETTINGS_FILE).is_file() {
        default
    } else {
        PathBuf::from(".")
    }
}

/// Load the registry's policy files and list its vendor folders. Never fails:
/// problems become diagnostics. A registry folder that does not exist is an
/// I/O error reported by the caller. Vendor folders are read by `load_vendor`.
pub fn load(root: &Path) -> Loaded {
    let mut sources = Sources::default();
    let mut diagnostics = Vec::new();

    let settings = load_config::<RawSettings>(root, SETTINGS_FILE, &mut sources, &mut diagnostics);
    let questionnaire =
        load_config::<RawQuestionnaire>(root, QUESTIONNAIRE_FILE, &mut sources, &mut diagnostics);
    let tiers = load_config::<RawTiers>(root, TIERS_FILE, &mut sources, &mut diagnostics);
    let kinds = load_config::<RawArtifactKinds>(root, KINDS_FILE, &mut sources, &mut diagnostics);

    let (dirs, walk_diags) = vendor_dirs(root);
    diagnostics.extend(walk_diags);

    let vendors = dirs
        .into_iter()
        .map(|(slug, abs_dir)| VendorDir {
            dir: format!("vendors/{slug}").into(),
            slug,
            abs_dir,
        })
        .collect();

    Loaded {
        root: root.to_path_buf(),
        sources,
        settings,
        questionnaire,
        tiers,
        kinds,
        vendors,
        diagnostics,
    }
}

fn load_config<T: DeserializeOwned>(
    root: &Path,
    name: &str,
    sources: &mut Sources,
    diags: &mut Vec<Diagnostic>,
) -> Option<Doc<T>> {
    let rel: Arc<str> = name.into();
    let abs = root.join(name);
    if !abs.exists() {
        diags.push(
            Diagnostic::new(Code::MissingFile, Loc::file(&rel), format!("the registry has no {name}"))
                .help("run `vetted init` in an empty folder (it never overwrites a file): it writes a complete registry there, to copy the file from"),
        );
        return None;
    }
    if let Some(d) = check_inside(root, &abs, &rel) {
        diags.push(d);
        return None;
    }
    parse_file(&abs, &rel, sources, diags)
}

fn parse_file<T: DeserializeOwned>(
    abs: &Path,
    rel: &Arc<str>,
    sources: &mut Sources,
    diags: &mut Vec<Diagnostic>,
) -> Option<Doc<T>> {
    let text = match parse::read_text(abs, rel) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    sources.insert(rel.clone(), text.clone());
    match parse::parse_toml::<T>(rel, text) {
        Ok(doc) => Some(doc),
        Err(ds) => {
            diags.extend(ds);
            None
        }
    }
}

/// A symlink inside the registry must resolve inside the registry.
pub fn check_inside(root: &Path, abs: &Path, rel: &Arc<str>) -> Option<Diagnostic> {
    let is_link = abs
        .symlink_metadata()
        .map(|m| m.file_type().is_symlink())
        .unwrap_or(false);
    if !is_link {
        return None;
    }
    let inside = match (root.canonicalize(), abs.canonicalize()) {
        (Ok(r), Ok(t)) => t.starts_with(r),
        _ => false,
    };
    (!inside).then(|| {
        Diagnostic::new(
            Code::PathEscapes,
            Loc::file(rel),
            format!("{rel} is a symbolic link that points outside the registry"),
        )
        .help("replace the link with what it points to; registry files and folders must live inside the registry")
    })
}

/// The folders under `vendors/`, sorted by name, and diagnostics for stray files.
fn vendor_dirs(root: &Path) -> (Vec<(String, PathBuf)>, Vec<Diagnostic>) {
    let vendors = root.join("vendors");
    let mut dirs = Vec::new();
    let mut diags = Vec::new();
    if !vendors.is_dir() {
        let rel: Arc<str> = "vendors".into();
        diags.push(
            Diagnostic::new(Code::MissingFile, Loc::file(&rel), "the registry has no vendors/ folder")
                .help("`vetted new SLUG` creates it with a first vendor's folder, vendors/SLUG/; an empty vendors/ is fine too"),
        );
        return (dirs, diags);
    }
    // Like every other level, `vendors` itself may be a link only within the
    // registry: a link out would list (and publish) someone else's folder.
    if let Some(d) = check_inside(root, &vendors, &"vendors".into()) {
        diags.push(d);
        return (dirs, diags);
    }
    let entries = match list_dir(&vendors) {
        Ok(entries) => entries,
        Err(e) => {
            let rel: Arc<str> = "vendors".into();
            diags.push(Diagnostic::new(
                Code::Unreadable,
                Loc::file(&rel),
                format!("cannot list vendors/: {e}"),
            ));
            return (dirs, diags);
        }
    };
    for entry in entries {
        let name = entry.name;
        if name.starts_with('.') {
            continue;
        }
        // The entry's type comes from the directory listing: only a symbolic
        // link costs system calls (where it points, and what it points to).
        let is_dir = if entry.file_type.is_symlink() {
            let rel: Arc<str> = format!("vendors/{name}").into();
            if let Some(d) = check_inside(root, &entry.path, &rel) {
                diags.push(d);
                continue;
            }
            entry.path.is_dir()
        } else {
            entry.file_type.is_dir()
        };
        if is_dir {
            dirs.push((name, entry.path));
        } else {
            let rel: Arc<str> = format!("vendors/{name}").into();
            diags.push(
                Diagnostic::new(
                    Code::UnknownFile,
                    Loc::file(&rel),
                    format!("{rel} is a file; vendors/ holds one folder per vendor"),
                )
                .help("move it into a vendor folder or delete it"),
            );
        }
    }
    (dirs, diags)
}

/// An entry of a folder listing.
struct DirItem {
    name: String,
    path: PathBuf,
    /// From the listing itself: a symbolic link is reported as one, not followed.
    file_type: std::fs::FileType,
}

/// One level of a folder, sorted by name. (walkdir, given a sort order, also
/// lists every subfolder, even below `max_depth`: ten thousand needless
/// listings for the vendors folder.) Entries that vanish while listed are skipped.
fn list_dir(dir: &Path) -> std::io::Result<Vec<DirItem>> {
    let mut items: Vec<(std::ffi::OsString, DirItem)> = std::fs::read_dir(dir)?
        .flatten()
        .filter_map(|e| {
            let file_type = e.file_type().ok()?;
            let os = e.file_name();
            let item = DirItem {
                name: os.to_string_lossy().into_owned(),
                path: e.path(),
                file_type,
            };
            Some((os, item))
        })
        .collect();
    items.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(items.into_iter().map(|(_, item)| item).collect())
}

/// Read and parse one vendor folder: the parsed files, their text, and the
/// diagnostics of files that could not be read or parsed.
pub fn load_vendor(root: &Path, v: VendorDir) -> (LoadedVendor, Sources, Vec<Diagnostic>) {
    let VendorDir { slug, dir, abs_dir } = v;
    let mut sources = Sources::default();
    let mut diags = Vec::new();
    let mut present = BTreeMap::new();

    // One listing of the folder tells which files exist and which are
    // symbolic links (from the directory entry, no extra system call), and
    // finds stray files that look like misspelled registry files.
    let mut listed: BTreeMap<String, bool> = BTreeMap::new();
    for DirItem {
        name, file_type, ..
    } in list_dir(&abs_dir).unwrap_or_default()
    {
        let is_link = file_type.is_symlink();
        let known = VENDOR_FILES.iter().any(|(f, _)| *f == name);
        if !known && file_type.is_file() && (name.ends_with(".toml") || name.ends_with(".md")) {
            let rel: Arc<str> = format!("{dir}/{name}").into();
            let expected = VENDOR_FILES
                .iter()
                .map(|(f, _)| *f)
                .collect::<Vec<_>>()
                .join(", ");
            diags.push(
                Diagnostic::new(
                    Code::UnknownFile,
                    Loc::file(&rel),
                    format!("vetted does not read {name}"),
                )
                .help(format!(
                    "a vendor folder holds {expected}; check the file name"
                )),
            );
        }
        listed.insert(name, is_link);
    }

    let mut rel_of = |name: &'static str| -> Option<(Arc<str>, PathBuf)> {
        let rel: Arc<str> = format!("{dir}/{name}").into();
        let abs = abs_dir.join(name);
        let is_link = listed.get(name).copied();
        present.insert(name, is_link.is_some());
        if is_link == Some(true)
            && let Some(d) = check_inside(root, &abs, &rel)
        {
            diags.push(d);
            return None;
        }
        is_link.map(|_| (rel, abs))
    };
    let files: Vec<Option<(Arc<str>, PathBuf)>> =
        VENDOR_FILES.iter().map(|(name, _)| rel_of(name)).collect();
    let mut it = files.into_iter();
    let mut next = || it.next().flatten();
    let (f_vendor, f_answers, f_artifacts, f_findings, f_exceptions, f_notes) =
        (next(), next(), next(), next(), next(), next());

    let vendor = f_vendor.and_then(|(r, a)| parse_file(&a, &r, &mut sources, &mut diags));
    let answers = f_answers.and_then(|(r, a)| parse_file(&a, &r, &mut sources, &mut diags));
    let artifacts = f_artifacts.and_then(|(r, a)| parse_file(&a, &r, &mut sources, &mut diags));
    let findings = f_findings.and_then(|(r, a)| parse_file(&a, &r, &mut sources, &mut diags));
    let exceptions = f_exceptions.and_then(|(r, a)| parse_file(&a, &r, &mut sources, &mut diags));
    let notes = f_notes.and_then(|(r, a)| match parse::read_text(&a, &r) {
        Ok(t) => {
            sources.insert(r.clone(), t.clone());
            Some((r, t))
        }
        Err(d) => {
            diags.push(d);
            None
        }
    });

    for (name, required) in VENDOR_FILES {
        if *required && !present.get(name).copied().unwrap_or(false) {
            let rel: Arc<str> = format!("{dir}/{name}").into();
            diags.push(
                Diagnostic::new(
                    Code::MissingFile,
                    Loc::file(&rel),
                    format!("vendor folder {dir} has no {name}"),
                )
                .help(format!(
                    "every vendor needs {name}; `vetted new SLUG` writes every file of a new vendor's folder (never into an existing one): write one with a spare slug and copy {name} from it"
                )),
            );
        }
    }

    (
        LoadedVendor {
            slug,
            dir,
            abs_dir,
            vendor,
            answers,
            artifacts,
            findings,
            exceptions,
            notes,
            present,
        },
        sources,
        diags,
    )
}
