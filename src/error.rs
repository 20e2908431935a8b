//! The errors that stop a command before it can report (exit code 2): a
//! usage mistake, an I/O failure, or a git repository that cannot be read.
//!
//! Findings in the registry are never errors here: they are diagnostics,
//! reported in full by `check` (see `diag`). An `Error` is what is left when
//! there is nothing to report on.
//!
//! Each variant says what went wrong in its message (one line, printed after
//! `error: `), keeps the underlying error as its `source`, and may carry a
//! help line (`Error::help`) printed under it as `  = help: …`. Where today's
//! message already holds its hint in the same line (`NoRegistry`), the hint
//! stays there: the CLI's output is a contract for scripts and CI logs.

use std::io;
use std::path::PathBuf;

/// The help printed under an error about git objects that cannot be read.
const DAMAGED_OBJECTS_HELP: &str = "the repository's objects could not be read: `git fsck` names the damaged ones, \
     and a fresh clone (or `git fetch` from a good copy) restores them; a build that stops here \
     leaves the published site as it was";

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

    /// Git objects that cannot be read (a damaged pack, index or loose
    /// object): the message names what; the help says how to repair it.
    #[error("{message}")]
    DamagedObjects { message: String },

    /// Transitional: a usage error worded by its caller. Still built by
    /// `render/` (theme errors); to be replaced by typed variants.
    #[error("{0}")]
    Usage(String),

    /// Transitional: an I/O error worded by its caller. Still built by
    /// `history/` and `render/` (publishing, theme files); to be replaced by
    /// typed variants with their `io::Error` as source.
    #[error("{0}")]
    Io(String),

    /// Transitional: a git error worded by its caller. Still built by
    /// `history/`. A message starting with "cannot read" is about damaged
    /// objects and gets `DamagedObjects`' help, until those sites build
    /// `DamagedObjects` themselves.
    #[error("{0}")]
    Git(String),
}

impl Error {
    /// The help line printed under the error, if the variant has one.
    pub fn help(&self) -> Option<&'static str> {
        match self {
            Error::DamagedObjects { .. } => Some(DAMAGED_OBJECTS_HELP),
            Error::Git(m) if m.starts_with("cannot read") => Some(DAMAGED_OBJECTS_HELP),
            Error::NoRegistry { .. }
            | Error::BadDate { .. }
            | Error::NoJobs
            | Error::Threads { .. }
            | Error::TempDir { .. }
            | Error::Output { .. }
            | Error::Listen { .. }
            | Error::ServerStart { .. }
            | Error::RegistryHasErrors
            | Error::Usage(_)
            | Error::Io(_)
            | Error::Git(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    #[test]
    fn damaged_objects_get_the_fsck_help_and_nothing_else_does() {
        let damaged = Error::DamagedObjects {
            message: "cannot read tree 1234: bad zlib stream".into(),
        };
        assert_eq!(
            damaged.to_string(),
            "cannot read tree 1234: bad zlib stream"
        );
        assert!(damaged.help().is_some_and(|h| h.contains("git fsck")));
        // The transitional variant keeps today's rule: by the message's start.
        let legacy = Error::Git("cannot read the pack index: truncated".into());
        assert_eq!(legacy.help(), damaged.help());
        let unknown_rev = Error::Git("cannot resolve revision `nope`: not found".into());
        assert_eq!(unknown_rev.help(), None);
        for other in [
            Error::NoJobs,
            Error::RegistryHasErrors,
            Error::Io("cannot read theme file x".into()),
            Error::NoRegistry {
                path: "missing".into(),
            },
        ] {
            assert_eq!(other.help(), None, "{other}");
        }
    }

    #[test]
    fn messages_keep_their_wording_and_sources_are_kept() {
        let e = Error::NoRegistry {
            path: "nowhere/registry".into(),
        };
        assert_eq!(
            e.to_string(),
            "no registry at nowhere/registry: pass --registry DIR, or run vetted where ./registry or ./vetted.toml exists"
        );
        assert!(e.source().is_none());

        let bad = "2026-13-01".parse::<jiff::civil::Date>().unwrap_err();
        let shown = bad.to_string();
        let e = Error::BadDate {
            input: "2026-13-01".into(),
            source: bad,
        };
        assert_eq!(
            e.to_string(),
            format!("`2026-13-01` is not a date (YYYY-MM-DD): {shown}")
        );
        assert_eq!(e.source().map(ToString::to_string), Some(shown));

        let e = Error::Output {
            source: io::Error::new(io::ErrorKind::BrokenPipe, "pipe closed"),
        };
        assert_eq!(e.to_string(), "cannot write output: pipe closed");
        let source = e.source().and_then(|s| s.downcast_ref::<io::Error>());
        assert_eq!(source.map(io::Error::kind), Some(io::ErrorKind::BrokenPipe));

        assert_eq!(Error::NoJobs.to_string(), "--jobs must be at least 1");
        assert_eq!(
            Error::Listen {
                port: 8000,
                source: io::Error::new(io::ErrorKind::AddrInUse, "in use"),
            }
            .to_string(),
            "cannot listen on 127.0.0.1:8000: in use"
        );
    }
}
