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
//!
//! A new format is one module here plus one variant of [`Format`] (the CLI's
//! `--format` values come from the enum), dispatched in [`write()`] and given
//! its stream style in [`Format::stream_style`].
//!
//! Registry text is made printable (`console::visible`) by each format where
//! it is shown; the CLI passes text formats through `console::Inert` as well.

pub mod github;
pub mod history;
pub mod human;
pub mod json;

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
}

impl Format {
    /// How a stream carrying this format is made inert (see
    /// `console::Inert`): as text, as JSON, or not at all (`None`) for a
    /// format that emits workflow commands on purpose and escapes its data
    /// itself.
    pub fn stream_style(self) -> Option<Style> {
        match self {
            Format::Human => Some(Style::Text),
            Format::Json => Some(Style::Json),
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
    }
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
        assert_eq!(Format::Github.stream_style(), None);
    }
}
