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
}

impl Error {
    /// The help line printed under the error, if the variant has one.
    pub fn help(&self) -> Option<&'static str> {
        match self {
            Error::DamagedObjects { .. } => Some(DAMAGED_OBJECTS_HELP),
            Error::RevisionNotFound { .. } => Some(REVISION_HELP),
            Error::ThemeFile { .. } => Some(THEME_FILE_HELP),
            Error::ThemeTemplate { .. } => Some(THEME_TEMPLATE_HELP),
            Error::NoRegistry { .. }
            | Error::BadDate { .. }
            | Error::NoJobs
            | Error::Threads { .. }
            | Error::TempDir { .. }
            | Error::Output { .. }
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
            | Error::EjectWrite { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {}
