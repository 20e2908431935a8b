//! The GitHub format: Actions workflow commands
//! (`::error file=…,line=…,col=…,title=…::…`) that annotate a pull request's
//! changed lines. This is the one format that emits commands on purpose, so
//! it escapes its data itself rather than passing through `console::Inert`.

use std::fmt::Write as _;
use std::io;

use super::{PathDisplay, printable};
use crate::CheckReport;
use crate::console::{Style, inert, visible};
use crate::diag::{Diagnostic, Severity};

/// `check`'s report as one annotation per diagnostic.
pub fn write(report: &CheckReport, paths: &PathDisplay, out: &mut dyn io::Write) -> io::Result<()> {
    out.write_all(github(&report.diagnostics, paths).as_bytes())
}

/// GitHub Actions workflow commands: one annotation per diagnostic, shown on
/// the pull request's changed lines.
pub fn github(diags: &[Diagnostic], paths: &PathDisplay) -> String {
    let mut out = String::new();
    for raw in diags {
        let d = &*printable(raw);
        let cmd = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut msg = d.message.clone();
        if let Some(h) = &d.help {
            msg.push_str("\nhelp: ");
            msg.push_str(h);
        }
        let _ = writeln!(
            out,
            "::{cmd} file={},line={},col={},title={}::{}",
            gh_property(&paths.show(&visible(&d.loc.path, false))),
            d.loc.line,
            d.loc.column,
            gh_property(&format!("{} {}", d.code, crate::diag::code_title(d.code))),
            gh_data(&msg)
        );
    }
    out
}

/// Workflow-command data: `%`, CR and LF percent-encoded as the runner
/// expects, and the legacy `##[` form broken (the runner has no encoding for
/// `#`, so it is shown as an escape).
fn gh_data(s: &str) -> String {
    inert(s, Style::Text)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}
