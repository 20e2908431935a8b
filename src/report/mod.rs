//! What `check` reports, in each output format, and the other summaries
//! the CLI prints (`history`, a build's assessment line).
//!
//! One module per format of `check`'s report, behind one entry point,
//! [`write()`]:
//!
//! * [`human`](mod@human): for people: a grep-friendly first line per diagnostic, the
//!   offending source line with its span underlined, a help line; then the
//!   vendor table and a last line of counts.
//! * [`json`]: one JSON document for other tools.
//! * [`github`](mod@github): GitHub Actions workflow commands that annotate a pull
//!   request's changed lines.
//! * [`sarif`]: a SARIF 2.1.0 log for code scanning (GitHub code scanning).
//! * [`junit`]: JUnit XML, a test suite per vendor, for CI test reports.
//! * [`gitlab`]: a GitLab Code Quality report.
//!
//! SARIF and GitLab results carry a [`fingerprint`] of code, path and
//! message, so a result keeps its identity across runs and line moves.
//!
//! A new format is one module here plus one variant of [`Format`] (the CLI's
//! `--format` values come from the enum), dispatched in [`write()`] and given
//! its stream style in [`Format::stream_style`].
//!
//! Registry text is made printable (`console::visible`) by each format where
//! it is shown; the CLI passes text formats through `console::Inert` as well.

pub mod github;
pub mod gitlab;
pub mod history;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use std::borrow::Cow;
use std::io;

use crate::CheckReport;
use crate::console::Style;
pub use crate::console::visible;
use crate::diag::{Diagnostic, Tally};

pub use github::github;
pub use human::{checked_line, human, vendor_table, write_human};
pub use json::{json_diagnostics, json_vendors};

/// The output formats of `check` (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
    Sarif,
    Junit,
    Gitlab,
}

impl Format {
    /// How a stream carrying this format is made inert (see
    /// `console::Inert`): as text, as JSON, or not at all (`None`) for a
    /// format that emits workflow commands on purpose and escapes its data
    /// itself.
    pub fn stream_style(self) -> Option<Style> {
        match self {
            Format::Human => Some(Style::Text),
            Format::Json | Format::Sarif | Format::Gitlab => Some(Style::Json),
            // XML text: a broken command (`\u{3a}`, `\u{23}`) is plain
            // character data, so the document stays well-formed.
            Format::Junit => Some(Style::Text),
            Format::Github => None,
        }
    }
}

/// Write `report` in `format`. `paths` shows where each file is; `color`
/// asks for terminal colours (the human format only).
pub fn write(
    format: Format,
    report: &CheckReport,
    paths: &PathDisplay,
    color: bool,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::write(report, paths, color, out),
        Format::Json => json::write(report, paths, out),
        Format::Github => github::write(report, paths, out),
        Format::Sarif => sarif::write(report, paths, out),
        Format::Junit => junit::write(report, paths, out),
        Format::Gitlab => gitlab::write(report, paths, out),
    }
}

/// A result's identity for code-scanning and code-quality tools: the
/// SHA-256 of its code, path (as shown) and message, in hex. It does not
/// hold the line, so a result keeps its identity when lines move; it is the
/// same on every run and machine.
pub fn fingerprint(code: &str, path: &str, message: &str) -> String {
    use sha2::Digest as _;
    let mut h = sha2::Sha256::new();
    for part in [code, path, message] {
        // Length-prefixed, so no two triples hash the same bytes.
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    hex(&h.finalize())
}

/// Fingerprints for a report's results in order: [`fingerprint`], with the
/// occurrence number hashed in for the second and later result of the same
/// code, path and message, so every result has its own (tools merge equal
/// fingerprints into one result).
#[derive(Default)]
pub struct Fingerprints {
    seen: rustc_hash::FxHashMap<String, u64>,
}

impl Fingerprints {
    pub fn next(&mut self, code: &str, path: &str, message: &str) -> String {
        let first = fingerprint(code, path, message);
        let n = self.seen.entry(first.clone()).or_insert(0);
        *n += 1;
        if *n == 1 {
            first
        } else {
            fingerprint(code, path, &format!("{message}\u{0}{n}"))
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = std::fmt::Write::write_fmt(&mut s, format_args!("{b:02x}"));
        s
    })
}

/// How paths are shown: the registry folder as the user named it, joined with
/// the path relative to the registry, so CI annotations point at repository files.
#[derive(Debug, Clone)]
pub struct PathDisplay {
    prefix: String,
}

impl PathDisplay {
    pub fn new(registry: &std::path::Path) -> Self {
        let s = registry.to_string_lossy().replace('\\', "/");
        let s = s.trim_start_matches("./").trim_end_matches('/');
        let prefix = if s.is_empty() || s == "." {
            String::new()
        } else {
            format!("{s}/")
        };
        PathDisplay { prefix }
    }
    pub fn show(&self, rel: &str) -> String {
        format!("{}{rel}", self.prefix)
    }
}

/// "1 error, 2 warnings, 0 notes".
pub fn summary_line(t: Tally) -> String {
    let plural = |n: usize, w: &str| {
        if n == 1 {
            format!("{n} {w}")
        } else {
            format!("{n} {w}s")
        }
    };
    format!(
        "{}, {}, {}",
        plural(t.errors, "error"),
        plural(t.warnings, "warning"),
        plural(t.notes, "note")
    )
}

/// `d` with its message and help made printable (see `visible`); borrowed
/// unless registry text put something unprintable in them. The path is made
/// printable where it is shown (it is also the key to the source text).
pub(crate) fn printable(d: &Diagnostic) -> Cow<'_, Diagnostic> {
    let message = visible(&d.message, false);
    let help = d.help.as_deref().map(|h| visible(h, true));
    if matches!(message, Cow::Borrowed(_)) && !matches!(help, Some(Cow::Owned(_))) {
        return Cow::Borrowed(d);
    }
    let mut owned = d.clone();
    owned.message = message.into_owned();
    owned.help = help.map(Cow::into_owned);
    Cow::Owned(owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_the_registry_as_named_plus_the_file() {
        let show =
            |reg: &str| PathDisplay::new(std::path::Path::new(reg)).show("vendors/a/vendor.toml");
        assert_eq!(show("registry"), "registry/vendors/a/vendor.toml");
        assert_eq!(show("./registry/"), "registry/vendors/a/vendor.toml");
        assert_eq!(show("."), "vendors/a/vendor.toml");
        assert_eq!(show(""), "vendors/a/vendor.toml");
        assert_eq!(show("ci\\reg"), "ci/reg/vendors/a/vendor.toml");
    }

    #[test]
    fn fingerprints_are_stable_and_ignore_nothing_but_the_line() {
        let f = fingerprint("E1301", "registry/vendors/a/vendor.toml", "overdue");
        assert_eq!(f.len(), 64);
        assert!(f.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(
            f,
            fingerprint("E1301", "registry/vendors/a/vendor.toml", "overdue")
        );
        assert_ne!(
            f,
            fingerprint("E1302", "registry/vendors/a/vendor.toml", "overdue")
        );
        assert_ne!(
            f,
            fingerprint("E1301", "registry/vendors/b/vendor.toml", "overdue")
        );
        assert_ne!(
            f,
            fingerprint("E1301", "registry/vendors/a/vendor.toml", "overdue!")
        );
        // Field boundaries count: ("ab", "c") is not ("a", "bc").
        assert_ne!(fingerprint("ab", "c", ""), fingerprint("a", "bc", ""));
    }

    #[test]
    fn repeated_results_get_their_own_fingerprints() {
        let mut f = Fingerprints::default();
        let a = f.next("E1003", "p", "m");
        let b = f.next("E1003", "p", "m");
        let c = f.next("E1003", "p", "other");
        assert_eq!(a, fingerprint("E1003", "p", "m"));
        assert_ne!(a, b);
        assert_ne!(b, c);
        let mut again = Fingerprints::default();
        assert_eq!(
            [a, b],
            [again.next("E1003", "p", "m"), again.next("E1003", "p", "m")]
        );
    }

    #[test]
    fn counts_are_spelled_out_with_plurals() {
        let t = |errors, warnings, notes| Tally {
            errors,
            warnings,
            notes,
        };
        assert_eq!(summary_line(t(0, 0, 0)), "0 errors, 0 warnings, 0 notes");
        assert_eq!(summary_line(t(1, 1, 1)), "1 error, 1 warning, 1 note");
        assert_eq!(summary_line(t(2, 10, 1)), "2 errors, 10 warnings, 1 note");
    }

    #[test]
    fn only_the_github_format_escapes_its_own_stream() {
        assert_eq!(Format::Human.stream_style(), Some(Style::Text));
        assert_eq!(Format::Json.stream_style(), Some(Style::Json));
        assert_eq!(Format::Sarif.stream_style(), Some(Style::Json));
        assert_eq!(Format::Gitlab.stream_style(), Some(Style::Json));
        assert_eq!(Format::Junit.stream_style(), Some(Style::Text));
        assert_eq!(Format::Github.stream_style(), None);
    }
}
