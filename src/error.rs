//! The errors that stop a command before it can report (exit code 2): a
//! usage mistake, an I/O failure, or a git repository that cannot be read.
//!
//! Findings in the registry are never errors here: they are diagnostics,
//! reported in full by `check` (see `diag`). An `Error` is what is left when
//! there is nothing to report on.
//!
//! Each variant says what went wrong in its message (one line, printed after
//! `error: `), keeps the underlying error as its `source` and the context
//! (path, revision, object id) as typed fields, and may carry a help line
//! (`Error::help`, decided by the variant alone) printed under it as
//! `  = help: …`. Where today's message already holds its hint in the same
//! line (`NoRegistry`, `OutForeign`, `ThemeLinkOut`), the hint stays there:
//! the CLI's output is a contract for scripts and CI logs, so messages keep
//! their wording byte for byte.
//!
//! libgit2 errors are shown by their message only (`git2::Error`'s own
//! `Display` appends its class and code, which the CLI never printed).

use std::fmt;
use std::io;
use std::path::PathBuf;

use git2::Oid;
use gix_object::Kind;

/// The help printed under an error about git objects that cannot be read.
const DAMAGED_OBJECTS_HELP: &str = "the repository's objects could not be read: `git fsck` names the damaged ones, \
     and a fresh clone (or `git fetch` from a good copy) restores them; a build that stops here \
     leaves the published site as it was";

/// The help printed under a revision that does not resolve.
const REVISION_HELP: &str = "fetch it, or name a branch, tag or commit that exists";

/// The help printed under a theme file that cannot be read. The limit is
/// `render::theme::MAX_THEME_FILE` (a test there keeps the two in step).
const THEME_FILE_HELP: &str =
    "a theme file must be a regular file (not a pipe, device or folder) of at most 16 MiB";

/// The help printed under a theme template that cannot be read.
const THEME_TEMPLATE_HELP: &str =
    "a theme template must be a regular UTF-8 text file of at most 16 MiB";

/// The help printed under `init`/`new` refusing to overwrite files.
const SCAFFOLD_EXISTING_HELP: &str =
    "run it in a new folder, or move those files away first; vetted never overwrites them";

/// The help printed under a registry folder name unfit for a CI command.
const CI_NAME_HELP: &str = "name the registry folder with letters, digits, '.', '_' and '-' only, \
     or run init without --ci and write the workflow yourself";

/// The help printed under `new` for a vendor folder that exists.
const VENDOR_EXISTS_HELP: &str = "choose another slug, or edit the files already in that folder";

/// The help printed under `new` in a registry with a broken policy.
const POLICY_INVALID_HELP: &str = "run `vetted check` and fix the policy files first";

/// The help printed under `new --tier` for a tier no profile reaches.
const TIER_UNREACHABLE_HELP: &str =
    "check the tiers' min_score and the factors' points and overrides in tiers.toml";

/// A file-system step, named in the message ("cannot create …").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FsOp {
    Read,
    Create,
    Remove,
    Write,
}

impl fmt::Display for FsOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FsOp::Read => "read",
            FsOp::Create => "create",
            FsOp::Remove => "remove",
            FsOp::Write => "write",
        })
    }
}

/// Which object history was reading when it failed; starts the message
/// ("cannot read a tree: …").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectRole {
    /// A commit of the walk or of `--rev`.
    Commit(Oid),
    /// A tree (a folder of the registry, or the path to it).
    Tree,
    /// A registry file compared by the history walk.
    HistoryFile,
    /// A registry file written out for `--rev`/`diff`.
    File,
}

impl fmt::Display for ObjectRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ObjectRole::Commit(id) => write!(f, "cannot read commit {id}"),
            ObjectRole::Tree => f.write_str("cannot read a tree"),
            ObjectRole::HistoryFile => f.write_str("cannot read a file from history"),
            ObjectRole::File => f.write_str("cannot read a file"),
        }
    }
}

/// Where an object that declares an impossible size was stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectStore {
    Packed,
    Loose,
}

impl fmt::Display for ObjectStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ObjectStore::Packed => "packed",
            ObjectStore::Loose => "loose",
        })
    }
}

/// What of a repository could not be read: a damaged pack, index, loose
/// object or reference. Every message starts with "cannot read"; all share
/// `DamagedObjects`' `git fsck` help.
#[derive(Debug, thiserror::Error)]
pub enum Damage {
    /// A loose object whose zlib stream is cut short (libgit2 hangs on one).
    #[error(
        "cannot read the repository: loose object {id} is truncated or damaged ({})",
        path.display()
    )]
    LooseObject { id: String, path: PathBuf },

    /// A pack index that fails its own checks (libgit2 crashes on one).
    #[error("cannot read the repository: pack index {} is damaged ({why})", path.display())]
    PackIndex { path: PathBuf, why: &'static str },

    /// An object that declares a size no registry file has (refused before
    /// anything allocates it).
    #[error("cannot read the repository: {store} object {id} declares an impossible size")]
    ImpossibleSize { store: ObjectStore, id: Oid },

    /// libgit2 could not read the object.
    #[error("{object}: {}", source.message())]
    Unreadable {
        object: ObjectRole,
        source: git2::Error,
    },

    /// libgit2 read an object of no known kind.
    #[error("{object}: {id} has an unknown type")]
    UnknownType { object: ObjectRole, id: Oid },

    /// A commit whose bytes do not parse.
    #[error("cannot read commit {id}: it does not parse")]
    CommitUnparsable { id: Oid },

    /// HEAD does not lead to a commit.
    #[error("cannot read HEAD: {}", source.message())]
    Head { source: git2::Error },

    /// The index (or the work tree against it) could not be read.
    #[error("cannot read the working tree status: {}", source.message())]
    WorktreeStatus { source: git2::Error },
}

/// A tera error followed by its chain of causes, one per line: tera's own
/// message names the template, the causes say what is wrong in it.
fn with_causes(e: &tera::Error) -> String {
    let mut s = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        s.push_str(&format!("\ncaused by: {cause}"));
        source = cause.source();
    }
    s
}

/// Paths joined by ", ".
fn joined(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A failure that stops a command (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The registry folder does not exist.
    #[error(
        "no registry at {}: pass --registry DIR, or run vetted where ./registry or ./vetted.toml exists",
        path.display()
    )]
    NoRegistry { path: PathBuf },

    /// A `--today` (or `VETTED_TODAY`) value that is not a date.
    #[error("`{input}` is not a date (YYYY-MM-DD): {source}")]
    BadDate { input: String, source: jiff::Error },

    /// `--jobs 0`.
    #[error("--jobs must be at least 1")]
    NoJobs,

    /// The worker threads could not be started (or were already started).
    #[error("cannot start {jobs} threads: {source}")]
    Threads {
        jobs: usize,
        source: rayon::ThreadPoolBuildError,
    },

    /// The temporary folder that holds a revision's copy of the registry.
    #[error("cannot create a temporary folder: {source}")]
    TempDir { source: io::Error },

    /// Standard output went away (a closed pipe, a full disk).
    #[error("cannot write output: {source}")]
    Output { source: io::Error },

    /// A file a command was asked to write (`calendar --out`) could not be
    /// written; nothing was left half-written in its place.
    #[error("cannot write {}: {source}", path.display())]
    WriteFile { path: PathBuf, source: io::Error },

    /// `export --format xlsx` was given no `--out`: a workbook is not for a terminal.
    #[error("an xlsx export needs --out FILE.xlsx")]
    ExportNeedsOut,

    /// The export workbook could not be assembled (`rust_xlsxwriter`).
    #[error("cannot write the workbook: {source}")]
    ExportWorkbook { source: rust_xlsxwriter::XlsxError },

    /// `serve` could not bind its port on 127.0.0.1.
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Listen { port: u16, source: io::Error },

    /// `serve` could not start its accepting thread.
    #[error("cannot start the preview server: {source}")]
    ServerStart { source: io::Error },

    /// A rebuild under `serve` found data-contract errors; they were printed
    /// above, and the last good site stays up.
    #[error("the registry has errors (above)")]
    RegistryHasErrors,

    // --- git: the registry's repository and its history ---
    /// The repository holding the registry exists but cannot be opened.
    #[error("cannot open the git repository: {}", source.message())]
    GitOpen { path: PathBuf, source: git2::Error },

    /// A history worker could not open the repository found before.
    #[error("cannot open the repository: {}", source.message())]
    GitReopen { path: PathBuf, source: git2::Error },

    /// libgit2's object database could not be opened.
    #[error("cannot open the object database: {}", source.message())]
    ObjectDatabase { source: git2::Error },

    /// History is read from a checkout: a bare repository has no registry
    /// folder to compare with.
    #[error("the registry's repository is bare; run vetted in a checkout")]
    BareRepository { path: PathBuf },

    /// The registry (or its work tree) has no canonical path.
    #[error("cannot resolve {}", path.display())]
    RegistryUnresolved { path: PathBuf, source: io::Error },

    /// The registry was found through a repository it is not inside.
    #[error("the registry is outside its repository's work tree")]
    OutsideWorkTree {
        registry: PathBuf,
        work_tree: PathBuf,
    },

    /// `--rev`/`diff` named a revision the repository does not have.
    #[error("cannot resolve revision `{rev}`: {}", source.message())]
    RevisionNotFound { rev: String, source: git2::Error },

    /// `--rev`/`diff` for a registry outside any git repository.
    #[error("{} is not in a git repository, so --rev/diff cannot read {rev}", path.display())]
    NotInRepository { path: PathBuf, rev: String },

    /// The revision exists but holds no registry folder (`dir` is the
    /// registry's path in the repository, "." for its root).
    #[error("revision `{rev}` has no {dir}")]
    RevisionLacksRegistry { rev: String, dir: String },

    /// A revision's registry could not be written into its temporary folder
    /// (`path` is the folder being written).
    #[error("cannot write {}: {source}", path.display())]
    MaterializeWrite { path: PathBuf, source: io::Error },

    /// An object of another kind where a tree entry or commit named one.
    #[error("{id} is not a {want}")]
    WrongObjectKind { id: Oid, want: Kind },

    /// A commit whose bytes name no tree.
    #[error("commit {id} has no tree")]
    CommitWithoutTree { id: Oid },

    /// The history walk was given no pack reader for its threads.
    #[error("no pack reader")]
    NoPackReader,

    /// Git objects that cannot be read (a damaged pack, index or loose
    /// object): the message names what; the help says how to repair it.
    #[error(transparent)]
    DamagedObjects {
        #[from]
        damage: Damage,
    },

    // --- build: publishing the site ---
    /// `--out` ends in no folder name (`/`, `..`).
    #[error("--out {} does not name a folder", path.display())]
    OutNotAFolderName { path: PathBuf },

    /// `--out` could not be examined.
    #[error("cannot inspect {}: {source}", path.display())]
    OutInspect { path: PathBuf, source: io::Error },

    /// `--out` is a folder vetted did not write: it is never replaced.
    #[error(
        "refusing to replace {}: it exists and was not written by vetted (no {marker} file in it); \
         remove it yourself or choose another --out",
        path.display()
    )]
    OutForeign {
        path: PathBuf,
        /// The file that marks a generated site (`render::publish::MARKER`).
        marker: &'static str,
    },

    /// `--out` is a file (or a link), not a folder.
    #[error("refusing to replace {}: it exists and is not a folder", path.display())]
    OutNotAFolder { path: PathBuf },

    /// A step of writing the new site beside `--out` failed.
    #[error("cannot {op} {}: {source}", path.display())]
    PublishStaging {
        op: FsOp,
        path: PathBuf,
        source: io::Error,
    },

    /// An evidence file changed between the check and the copy into the site.
    #[error("evidence file {} changed during the build: {why}; build again", path.display())]
    EvidenceFileChanged { path: PathBuf, why: String },

    /// The previous site could not be moved aside for the new one.
    #[error("cannot move the previous site {} aside: {source}", path.display())]
    PublishMoveAside { path: PathBuf, source: io::Error },

    /// The new site could not be moved into place (the previous one is put
    /// back).
    #[error("cannot move the new site into {}: {source}", path.display())]
    PublishMoveIn { path: PathBuf, source: io::Error },

    /// A page's view model could not be serialised for its template.
    #[error("cannot serialise the view of {page}: {source}")]
    ViewSerialise {
        page: String,
        source: serde_json::Error,
    },

    /// The search index could not be serialised.
    #[error("cannot serialise the search index: {source}")]
    SearchIndexSerialise { source: serde_json::Error },

    // --- themes ---
    /// `--theme` names no folder.
    #[error("theme folder {} does not exist", path.display())]
    ThemeMissing { path: PathBuf },

    /// Walking the theme folder failed.
    #[error("cannot read theme folder {}: {source}", path.display())]
    ThemeFolder {
        path: PathBuf,
        source: walkdir::Error,
    },

    /// A template that is not a readable regular UTF-8 file within the limit.
    #[error("cannot read theme template {}: {source}", path.display())]
    ThemeTemplate { path: PathBuf, source: io::Error },

    /// A static file that is not a readable regular file within the limit.
    #[error("cannot read theme file {}: {source}", path.display())]
    ThemeFile { path: PathBuf, source: io::Error },

    /// A link in the theme folder that leads out of it (a theme arrives like
    /// the registry, in a pull request).
    #[error(
        "theme file {} is a symbolic link that points outside {}; replace it with the file itself",
        path.display(),
        root.display()
    )]
    ThemeLinkOut { path: PathBuf, root: PathBuf },

    /// A theme file whose name is not UTF-8 (templates are named by text).
    #[error("theme file name is not UTF-8: {}", path.display())]
    ThemeNameNotUtf8 { path: PathBuf },

    /// The theme's templates do not compile; the message holds tera's chain
    /// of causes, one per line.
    #[error("the theme's templates do not compile:\n{}", with_causes(source))]
    ThemeCompile { source: tera::Error },

    /// A page could not be rendered with its template.
    #[error(
        "cannot render {page} with the theme's {template}:\n{}",
        with_causes(source)
    )]
    ThemeRender {
        page: String,
        template: String,
        source: tera::Error,
    },

    /// `eject-theme` found files where it would write: nothing is written.
    #[error("refusing to overwrite existing theme files: {}", joined(paths))]
    EjectExisting { paths: Vec<PathBuf> },

    /// A step of writing the ejected theme failed.
    #[error("cannot {op} {}: {source}", path.display())]
    EjectWrite {
        op: FsOp,
        path: PathBuf,
        source: io::Error,
    },

    // --- questionnaire: the vendor questionnaire as a spreadsheet ---
    /// `--vendor` names no vendor folder of the registry.
    #[error("no vendor `{slug}`: there is no folder vendors/{slug} in the registry")]
    NoVendor { slug: String },

    /// The vendor's files cannot be read well enough to fill its workbook.
    #[error(
        "vendor `{slug}` cannot be assessed (see `vetted check`), so its answers cannot be exported"
    )]
    VendorNotAssessed { slug: String },

    /// rust_xlsxwriter could not build the workbook.
    #[error("cannot write the workbook {}: {source}", path.display())]
    WorkbookWrite {
        path: PathBuf,
        source: rust_xlsxwriter::XlsxError,
    },

    /// A returned workbook refused whole (too large, not a workbook, a
    /// sheet missing): nothing was read from it.
    #[error("refusing the workbook {}: {why}", path.display())]
    WorkbookRefused { path: PathBuf, why: String },

    /// `questionnaire import --rev`: an import writes the working folder.
    #[error(
        "--rev cannot be used with `questionnaire import`: it updates the working folder's answers.toml"
    )]
    ImportAtRevision,

    /// answers.toml could not be read or edited; it is unchanged.
    #[error("cannot update {}: {why}", path.display())]
    AnswersEdit { path: PathBuf, why: String },

    /// `check --output FILE` could not write its report (a temporary file
    /// beside FILE, renamed over it).
    #[error("cannot {op} {}: {source}", path.display())]
    ReportWrite {
        op: FsOp,
        path: PathBuf,
        source: io::Error,
    },

    // --- init and new: a new registry, a new vendor folder ---
    /// `init` or `new` found files where it would write: nothing was written.
    #[error("refusing to overwrite {}; nothing was written", joined(paths))]
    ScaffoldExisting { paths: Vec<PathBuf> },

    /// A file of a new registry or vendor folder could not be written; the
    /// files written before it were removed again.
    #[error("cannot {op} {}: {source}", path.display())]
    ScaffoldWrite {
        op: FsOp,
        path: PathBuf,
        source: io::Error,
    },

    /// `init DIR` where DIR ends in no folder name (`..`, `/`).
    #[error("{} does not name a folder for the registry", path.display())]
    InitNotAFolderName { path: PathBuf },

    /// `init --ci` for a registry folder whose name cannot be written into a
    /// CI command as it is.
    #[error("the registry folder `{name}` cannot be written into a CI workflow")]
    CiUnsafeName { name: String },

    /// `new` with a folder name that is not a vendor slug.
    #[error("`{slug}` is not a valid vendor slug")]
    BadSlug { slug: String },

    /// `new` for a vendor whose folder exists.
    #[error("vendor folder {} already exists", path.display())]
    VendorExists { path: PathBuf },

    /// `new` in a registry whose policy files break the data contract.
    #[error(
        "the registry's policy files have {errors} data-contract error(s), so no vendor can be written from them"
    )]
    PolicyInvalid { errors: usize },

    /// `new --tier` with a level tiers.toml does not define.
    #[error("tier {tier} is not a tier of tiers.toml (its tiers: {levels})")]
    UnknownTier { tier: u8, levels: String },

    /// `new --tier` for a tier that no profile of the factors reaches.
    #[error("no profile of tiers.toml's factors gives tier {tier}")]
    TierUnreachable { tier: u8 },

    /// `new --name` or `--category` with a value a vendor file cannot hold.
    #[error("{flag} {why}")]
    BadVendorValue {
        flag: &'static str,
        why: &'static str,
    },
}

impl Error {
    /// The help line printed under the error, if the variant has one.
    pub fn help(&self) -> Option<&'static str> {
        match self {
            Error::DamagedObjects { .. } => Some(DAMAGED_OBJECTS_HELP),
            Error::NoVendor { .. } => Some("name the vendor by its folder name under vendors/"),
            Error::VendorNotAssessed { .. } => Some(
                "fix what `vetted check` reports for it, or send it a blank questionnaire with --blank",
            ),
            Error::WorkbookRefused { .. } => Some(
                "import the workbook `vetted questionnaire export` wrote, filled in and saved as .xlsx; \
                 a workbook over the size limits or missing its sheets is never read",
            ),
            Error::AnswersEdit { .. } => {
                Some("fix answers.toml so that it parses, then import again")
            }
            Error::RevisionNotFound { .. } => Some(REVISION_HELP),
            Error::ThemeFile { .. } => Some(THEME_FILE_HELP),
            Error::ThemeTemplate { .. } => Some(THEME_TEMPLATE_HELP),
            Error::ExportNeedsOut => Some(
                "write the workbook to a file: `vetted export --format xlsx --out vendors.xlsx`; csv and json print to standard output",
            ),
            Error::ExportWorkbook { .. } => None,
            Error::ScaffoldExisting { .. } => Some(SCAFFOLD_EXISTING_HELP),
            Error::CiUnsafeName { .. } => Some(CI_NAME_HELP),
            Error::BadSlug { .. } => Some(crate::validate::SLUG_HELP),
            Error::VendorExists { .. } => Some(VENDOR_EXISTS_HELP),
            Error::PolicyInvalid { .. } => Some(POLICY_INVALID_HELP),
            Error::TierUnreachable { .. } => Some(TIER_UNREACHABLE_HELP),
            Error::NoRegistry { .. }
            | Error::BadDate { .. }
            | Error::NoJobs
            | Error::Threads { .. }
            | Error::TempDir { .. }
            | Error::Output { .. }
            | Error::WriteFile { .. }
            | Error::Listen { .. }
            | Error::ServerStart { .. }
            | Error::RegistryHasErrors
            | Error::GitOpen { .. }
            | Error::GitReopen { .. }
            | Error::ObjectDatabase { .. }
            | Error::BareRepository { .. }
            | Error::RegistryUnresolved { .. }
            | Error::OutsideWorkTree { .. }
            | Error::NotInRepository { .. }
            | Error::RevisionLacksRegistry { .. }
            | Error::MaterializeWrite { .. }
            | Error::WrongObjectKind { .. }
            | Error::CommitWithoutTree { .. }
            | Error::NoPackReader
            | Error::OutNotAFolderName { .. }
            | Error::OutInspect { .. }
            | Error::OutForeign { .. }
            | Error::OutNotAFolder { .. }
            | Error::PublishStaging { .. }
            | Error::EvidenceFileChanged { .. }
            | Error::PublishMoveAside { .. }
            | Error::PublishMoveIn { .. }
            | Error::ViewSerialise { .. }
            | Error::SearchIndexSerialise { .. }
            | Error::ThemeMissing { .. }
            | Error::ThemeFolder { .. }
            | Error::ThemeLinkOut { .. }
            | Error::ThemeNameNotUtf8 { .. }
            | Error::ThemeCompile { .. }
            | Error::ThemeRender { .. }
            | Error::EjectExisting { .. }
            | Error::EjectWrite { .. }
            | Error::ReportWrite { .. }
            | Error::ScaffoldWrite { .. }
            | Error::InitNotAFolderName { .. }
            | Error::UnknownTier { .. }
            | Error::BadVendorValue { .. } => None,
            Error::WorkbookWrite { .. } | Error::ImportAtRevision => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    fn io_err() -> io::Error {
        io::Error::new(io::ErrorKind::PermissionDenied, "denied")
    }

    fn git_err() -> git2::Error {
        git2::Error::from_str("object not found")
    }

    fn oid() -> Oid {
        Oid::from_str("1234567890abcdef1234567890abcdef12345678").unwrap()
    }

    fn tera_compile_err() -> tera::Error {
        let mut t = tera::Tera::new();
        t.add_raw_templates([("page.html", "{{")]).unwrap_err()
    }

    fn tera_render_err() -> tera::Error {
        tera::Tera::new()
            .render("missing.html", &tera::Context::new())
            .unwrap_err()
    }

    /// The message, the help and whether a source is kept, for one error.
    fn expect(e: &Error, message: &str, help: Option<&str>, has_source: bool) {
        assert_eq!(e.to_string(), message, "{e:?}");
        assert_eq!(e.help(), help, "{e:?}");
        assert_eq!(e.source().is_some(), has_source, "{e:?}");
    }

    #[test]
    fn usage_and_output_errors_keep_their_wording_and_sources() {
        expect(
            &Error::ExportNeedsOut,
            "an xlsx export needs --out FILE.xlsx",
            Error::ExportNeedsOut.help(),
            false,
        );
        assert!(Error::ExportNeedsOut.help().is_some());
        expect(
            &Error::NoRegistry {
                path: "nowhere/registry".into(),
            },
            "no registry at nowhere/registry: pass --registry DIR, or run vetted where ./registry or ./vetted.toml exists",
            None,
            false,
        );
        let bad = "2026-13-01".parse::<jiff::civil::Date>().unwrap_err();
        let shown = bad.to_string();
        let e = Error::BadDate {
            input: "2026-13-01".into(),
            source: bad,
        };
        expect(
            &e,
            &format!("`2026-13-01` is not a date (YYYY-MM-DD): {shown}"),
            None,
            true,
        );
        expect(&Error::NoJobs, "--jobs must be at least 1", None, false);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .spawn_handler(|_| Err(io::Error::other("no threads")))
            .build()
            .unwrap_err();
        let shown = pool.to_string();
        expect(
            &Error::Threads {
                jobs: 4,
                source: pool,
            },
            &format!("cannot start 4 threads: {shown}"),
            None,
            true,
        );
        expect(
            &Error::TempDir { source: io_err() },
            "cannot create a temporary folder: denied",
            None,
            true,
        );
        let e = Error::Output {
            source: io::Error::new(io::ErrorKind::BrokenPipe, "pipe closed"),
        };
        expect(&e, "cannot write output: pipe closed", None, true);
        let source = e.source().and_then(|s| s.downcast_ref::<io::Error>());
        assert_eq!(source.map(io::Error::kind), Some(io::ErrorKind::BrokenPipe));
        expect(
            &Error::Listen {
                port: 8000,
                source: io::Error::new(io::ErrorKind::AddrInUse, "in use"),
            },
            "cannot listen on 127.0.0.1:8000: in use",
            None,
            true,
        );
        expect(
            &Error::ServerStart { source: io_err() },
            "cannot start the preview server: denied",
            None,
            true,
        );
        expect(
            &Error::RegistryHasErrors,
            "the registry has errors (above)",
            None,
            false,
        );
    }

    #[test]
    fn git_errors_show_libgit2s_message_alone_and_keep_the_error() {
        let e = Error::GitOpen {
            path: "reg".into(),
            source: git_err(),
        };
        expect(
            &e,
            "cannot open the git repository: object not found",
            None,
            true,
        );
        let kept = e.source().and_then(|s| s.downcast_ref::<git2::Error>());
        assert_eq!(kept.map(git2::Error::message), Some("object not found"));
        expect(
            &Error::GitReopen {
                path: ".git".into(),
                source: git_err(),
            },
            "cannot open the repository: object not found",
            None,
            true,
        );
        expect(
            &Error::ObjectDatabase { source: git_err() },
            "cannot open the object database: object not found",
            None,
            true,
        );
        expect(
            &Error::BareRepository {
                path: "repo.git".into(),
            },
            "the registry's repository is bare; run vetted in a checkout",
            None,
            false,
        );
        expect(
            &Error::RegistryUnresolved {
                path: "reg".into(),
                source: io_err(),
            },
            "cannot resolve reg",
            None,
            true,
        );
        expect(
            &Error::OutsideWorkTree {
                registry: "/a/reg".into(),
                work_tree: "/b".into(),
            },
            "the registry is outside its repository's work tree",
            None,
            false,
        );
        expect(
            &Error::RevisionNotFound {
                rev: "v9".into(),
                source: git_err(),
            },
            "cannot resolve revision `v9`: object not found",
            Some("fetch it, or name a branch, tag or commit that exists"),
            true,
        );
        expect(
            &Error::NotInRepository {
                path: "reg".into(),
                rev: "HEAD~1".into(),
            },
            "reg is not in a git repository, so --rev/diff cannot read HEAD~1",
            None,
            false,
        );
        expect(
            &Error::RevisionLacksRegistry {
                rev: "v1".into(),
                dir: "data/registry".into(),
            },
            "revision `v1` has no data/registry",
            None,
            false,
        );
        expect(
            &Error::MaterializeWrite {
                path: "/tmp/x".into(),
                source: io_err(),
            },
            "cannot write /tmp/x: denied",
            None,
            true,
        );
        expect(
            &Error::WrongObjectKind {
                id: oid(),
                want: Kind::Tree,
            },
            "1234567890abcdef1234567890abcdef12345678 is not a tree",
            None,
            false,
        );
        expect(
            &Error::CommitWithoutTree { id: oid() },
            "commit 1234567890abcdef1234567890abcdef12345678 has no tree",
            None,
            false,
        );
        expect(&Error::NoPackReader, "no pack reader", None, false);
    }

    #[test]
    fn every_damage_starts_with_cannot_read_and_gets_the_fsck_help() {
        let id = "1234567890abcdef1234567890abcdef12345678";
        let cases: Vec<(Damage, String, bool)> = vec![
            (
                Damage::LooseObject {
                    id: id.into(),
                    path: "objects/12/34".into(),
                },
                format!(
                    "cannot read the repository: loose object {id} is truncated or damaged (objects/12/34)"
                ),
                false,
            ),
            (
                Damage::PackIndex {
                    path: "pack/p.idx".into(),
                    why: "not a version 2 index",
                },
                "cannot read the repository: pack index pack/p.idx is damaged (not a version 2 index)"
                    .into(),
                false,
            ),
            (
                Damage::ImpossibleSize {
                    store: ObjectStore::Packed,
                    id: oid(),
                },
                format!("cannot read the repository: packed object {id} declares an impossible size"),
                false,
            ),
            (
                Damage::ImpossibleSize {
                    store: ObjectStore::Loose,
                    id: oid(),
                },
                format!("cannot read the repository: loose object {id} declares an impossible size"),
                false,
            ),
            (
                Damage::Unreadable {
                    object: ObjectRole::Commit(oid()),
                    source: git_err(),
                },
                format!("cannot read commit {id}: object not found"),
                true,
            ),
            (
                Damage::Unreadable {
                    object: ObjectRole::Tree,
                    source: git_err(),
                },
                "cannot read a tree: object not found".into(),
                true,
            ),
            (
                Damage::Unreadable {
                    object: ObjectRole::HistoryFile,
                    source: git_err(),
                },
                "cannot read a file from history: object not found".into(),
                true,
            ),
            (
                Damage::UnknownType {
                    object: ObjectRole::File,
                    id: oid(),
                },
                format!("cannot read a file: {id} has an unknown type"),
                false,
            ),
            (
                Damage::CommitUnparsable { id: oid() },
                format!("cannot read commit {id}: it does not parse"),
                false,
            ),
            (
                Damage::Head { source: git_err() },
                "cannot read HEAD: object not found".into(),
                true,
            ),
            (
                Damage::WorktreeStatus { source: git_err() },
                "cannot read the working tree status: object not found".into(),
                true,
            ),
        ];
        for (damage, message, has_source) in cases {
            // The help's wording is today's: scripts and CI logs match it.
            expect(
                &Error::from(damage),
                &message,
                Some(DAMAGED_OBJECTS_HELP),
                has_source,
            );
        }
        assert!(DAMAGED_OBJECTS_HELP.contains("`git fsck`"));
    }

    #[test]
    fn publishing_errors_name_the_folder_and_keep_the_io_error() {
        expect(
            &Error::OutNotAFolderName { path: "..".into() },
            "--out .. does not name a folder",
            None,
            false,
        );
        expect(
            &Error::OutInspect {
                path: "site".into(),
                source: io_err(),
            },
            "cannot inspect site: denied",
            None,
            true,
        );
        expect(
            &Error::OutForeign {
                path: "docs".into(),
                marker: ".vetted-site",
            },
            "refusing to replace docs: it exists and was not written by vetted (no .vetted-site file in it); \
             remove it yourself or choose another --out",
            None,
            false,
        );
        expect(
            &Error::OutNotAFolder {
                path: "site".into(),
            },
            "refusing to replace site: it exists and is not a folder",
            None,
            false,
        );
        for (op, verb) in [
            (FsOp::Read, "read"),
            (FsOp::Create, "create"),
            (FsOp::Remove, "remove"),
            (FsOp::Write, "write"),
        ] {
            expect(
                &Error::PublishStaging {
                    op,
                    path: ".site.tmp-1/index.html".into(),
                    source: io_err(),
                },
                &format!("cannot {verb} .site.tmp-1/index.html: denied"),
                None,
                true,
            );
            expect(
                &Error::EjectWrite {
                    op,
                    path: "theme/static".into(),
                    source: io_err(),
                },
                &format!("cannot {verb} theme/static: denied"),
                None,
                true,
            );
        }
        expect(
            &Error::PublishMoveAside {
                path: "site".into(),
                source: io_err(),
            },
            "cannot move the previous site site aside: denied",
            None,
            true,
        );
        expect(
            &Error::PublishMoveIn {
                path: "site".into(),
                source: io_err(),
            },
            "cannot move the new site into site: denied",
            None,
            true,
        );
        let json = || serde_json::from_str::<u8>("x").unwrap_err();
        let shown = json().to_string();
        expect(
            &Error::ViewSerialise {
                page: "vendors/acme/index.html".into(),
                source: json(),
            },
            &format!("cannot serialise the view of vendors/acme/index.html: {shown}"),
            None,
            true,
        );
        expect(
            &Error::SearchIndexSerialise { source: json() },
            &format!("cannot serialise the search index: {shown}"),
            None,
            true,
        );
    }

    #[test]
    fn theme_errors_keep_their_wording_and_say_what_a_theme_file_may_be() {
        expect(
            &Error::ThemeMissing {
                path: "mytheme".into(),
            },
            "theme folder mytheme does not exist",
            None,
            false,
        );
        let gone = std::env::temp_dir().join("vetted-no-such-theme-folder");
        let walk = walkdir::WalkDir::new(&gone)
            .into_iter()
            .next()
            .and_then(Result::err)
            .expect("a missing folder cannot be walked");
        let shown = walk.to_string();
        expect(
            &Error::ThemeFolder {
                path: "t/static".into(),
                source: walk,
            },
            &format!("cannot read theme folder t/static: {shown}"),
            None,
            true,
        );
        expect(
            &Error::ThemeTemplate {
                path: "t/templates/base.html".into(),
                source: io::Error::new(io::ErrorKind::InvalidData, "not UTF-8"),
            },
            "cannot read theme template t/templates/base.html: not UTF-8",
            Some(THEME_TEMPLATE_HELP),
            true,
        );
        expect(
            &Error::ThemeFile {
                path: "t/static/logo.png".into(),
                source: io_err(),
            },
            "cannot read theme file t/static/logo.png: denied",
            Some(THEME_FILE_HELP),
            true,
        );
        assert!(THEME_FILE_HELP.contains("regular file"));
        assert!(THEME_TEMPLATE_HELP.contains("UTF-8"));
        expect(
            &Error::ThemeLinkOut {
                path: "t/static/x".into(),
                root: "t".into(),
            },
            "theme file t/static/x is a symbolic link that points outside t; replace it with the file itself",
            None,
            false,
        );
        expect(
            &Error::ThemeNameNotUtf8 {
                path: "t/static/bad".into(),
            },
            "theme file name is not UTF-8: t/static/bad",
            None,
            false,
        );
        let compile = tera_compile_err();
        let chain = with_causes(&compile);
        assert!(chain.starts_with(&compile.to_string()));
        expect(
            &Error::ThemeCompile { source: compile },
            &format!("the theme's templates do not compile:\n{chain}"),
            None,
            true,
        );
        let render = tera_render_err();
        let chain = with_causes(&render);
        expect(
            &Error::ThemeRender {
                page: "index.html".into(),
                template: "missing.html".into(),
                source: render,
            },
            &format!("cannot render index.html with the theme's missing.html:\n{chain}"),
            None,
            true,
        );
        expect(
            &Error::EjectExisting {
                paths: vec!["t/a.html".into(), "t/b.css".into()],
            },
            "refusing to overwrite existing theme files: t/a.html, t/b.css",
            None,
            false,
        );
    }

    #[test]
    fn init_and_new_errors_name_what_they_refuse_and_say_what_to_do() {
        expect(
            &Error::ScaffoldExisting {
                paths: vec!["registry/vetted.toml".into(), ".taplo.toml".into()],
            },
            "refusing to overwrite registry/vetted.toml, .taplo.toml; nothing was written",
            Some(SCAFFOLD_EXISTING_HELP),
            false,
        );
        expect(
            &Error::ScaffoldWrite {
                op: FsOp::Create,
                path: "registry/vendors".into(),
                source: io_err(),
            },
            "cannot create registry/vendors: denied",
            None,
            true,
        );
        expect(
            &Error::InitNotAFolderName { path: "..".into() },
            ".. does not name a folder for the registry",
            None,
            false,
        );
        expect(
            &Error::CiUnsafeName {
                name: "my registry".into(),
            },
            "the registry folder `my registry` cannot be written into a CI workflow",
            Some(CI_NAME_HELP),
            false,
        );
        expect(
            &Error::BadSlug { slug: "A B".into() },
            "`A B` is not a valid vendor slug",
            Some(crate::validate::SLUG_HELP),
            false,
        );
        expect(
            &Error::VendorExists {
                path: "registry/vendors/acme".into(),
            },
            "vendor folder registry/vendors/acme already exists",
            Some(VENDOR_EXISTS_HELP),
            false,
        );
        expect(
            &Error::PolicyInvalid { errors: 2 },
            "the registry's policy files have 2 data-contract error(s), so no vendor can be written from them",
            Some(POLICY_INVALID_HELP),
            false,
        );
        expect(
            &Error::UnknownTier {
                tier: 7,
                levels: "1, 2 and 3".into(),
            },
            "tier 7 is not a tier of tiers.toml (its tiers: 1, 2 and 3)",
            None,
            false,
        );
        expect(
            &Error::TierUnreachable { tier: 2 },
            "no profile of tiers.toml's factors gives tier 2",
            Some(TIER_UNREACHABLE_HELP),
            false,
        );
        expect(
            &Error::BadVendorValue {
                flag: "--name",
                why: "is empty",
            },
            "--name is empty",
            None,
            false,
        );
    }

    #[test]
    fn questionnaire_errors_name_the_vendor_or_the_file_and_say_what_to_do() {
        expect(
            &Error::NoVendor {
                slug: "acme".into(),
            },
            "no vendor `acme`: there is no folder vendors/acme in the registry",
            Some("name the vendor by its folder name under vendors/"),
            false,
        );
        let e = Error::VendorNotAssessed {
            slug: "acme".into(),
        };
        assert!(e.help().is_some_and(|h| h.contains("--blank")));
        let e = Error::WorkbookRefused {
            path: "q.xlsx".into(),
            why: "it is not an .xlsx workbook".into(),
        };
        assert_eq!(
            e.to_string(),
            "refusing the workbook q.xlsx: it is not an .xlsx workbook"
        );
        assert!(e.help().is_some_and(|h| h.contains("questionnaire export")));
        expect(
            &Error::AnswersEdit {
                path: "a.toml".into(),
                why: "bad".into(),
            },
            "cannot update a.toml: bad",
            Some("fix answers.toml so that it parses, then import again"),
            false,
        );
        let e = Error::WorkbookWrite {
            path: "q.xlsx".into(),
            source: rust_xlsxwriter::XlsxError::SheetnameCannotBeBlank(String::new()),
        };
        assert!(
            e.to_string()
                .starts_with("cannot write the workbook q.xlsx: ")
        );
        assert!(e.source().is_some() && e.help().is_none());
    }

    #[test]
    fn a_tera_error_is_shown_with_every_cause_on_its_own_line() {
        let e = tera_compile_err();
        let mut want = e.to_string();
        let mut cause = e.source();
        while let Some(c) = cause {
            want.push_str(&format!("\ncaused by: {c}"));
            cause = c.source();
        }
        assert_eq!(with_causes(&e), want);
    }
}
