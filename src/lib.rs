//! vetted: a git-managed registry of hospital medtech vendors, validated in CI
//! and rendered as a static compliance site.
//!
//! The pipeline is one module per stage, each a function from typed input to
//! typed output: `load` → `validate` → `assess` → `history` → `render` →
//! `publish`. `main.rs` only parses arguments and maps errors to exit codes.

pub mod assess;
pub mod console;
pub mod diag;
pub mod diff;
pub mod history;
pub mod load;
pub mod model;
pub mod parse;
pub mod render;
pub mod report;
pub mod serve;
pub mod validate;

use std::path::{Path, PathBuf};

use diag::{Diagnostic, Sources};
use model::{Date, Registry};

/// Errors that stop a command before it can report diagnostics (exit code 2).
#[derive(Debug)]
pub enum Error {
    Usage(String),
    Io(String),
    Git(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Usage(m) | Error::Io(m) | Error::Git(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {}

/// Parse a `--today` value.
pub fn parse_date(s: &str) -> Result<Date, Error> {
    s.trim()
        .parse::<Date>()
        .map_err(|e| Error::Usage(format!("`{s}` is not a date (YYYY-MM-DD): {e}")))
}

/// Options shared by every command that reads the registry.
#[derive(Debug, Clone)]
pub struct RegistryOptions {
    pub registry: PathBuf,
    pub today: Date,
}

/// The registry loaded and validated: everything `check` and `build` start from.
pub struct Checked {
    pub registry: Option<Registry>,
    pub sources: Sources,
    /// Validation diagnostics (the data contract).
    pub diagnostics: Vec<Diagnostic>,
    /// Vendor folders read but not assessed (see `validate::Validated`).
    pub not_assessed: Vec<String>,
}

impl Checked {
    /// Whether the registry broke the data contract (any validation error).
    pub fn is_invalid(&self) -> bool {
        self.registry.is_none()
            || self
                .diagnostics
                .iter()
                .any(|d| d.severity == diag::Severity::Error)
    }
}

/// Validation plus assessment: what `vetted check` reports.
pub struct CheckReport {
    /// The validated registry and its sources. Its diagnostics have moved
    /// into `diagnostics` below (its own list is empty).
    pub checked: Checked,
    /// The assessment. Its diagnostics have moved into `diagnostics` below.
    pub assessment: Option<assess::Assessment>,
    /// Validation and assessment diagnostics, sorted.
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckReport {
    fn is_contract_error(d: &Diagnostic) -> bool {
        d.severity == diag::Severity::Error && diag::is_data_contract(d.code)
    }

    /// Whether the registry broke the data contract (as `Checked::is_invalid`).
    pub fn is_invalid(&self) -> bool {
        self.checked.registry.is_none() || self.diagnostics.iter().any(Self::is_contract_error)
    }

    /// The data-contract errors (validation, not assessment): what stops a build.
    pub fn contract_errors(&self) -> Vec<Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| Self::is_contract_error(d))
            .cloned()
            .collect()
    }
}

/// Load, validate and assess the registry.
pub fn check(opts: &RegistryOptions) -> Result<CheckReport, Error> {
    let mut checked = load_and_validate(opts)?;
    let mut assessment = checked
        .registry
        .as_ref()
        .map(|r| assess::assess(r, opts.today));
    // Moved, not copied: a large registry has a hundred thousand of them.
    let mut diagnostics = std::mem::take(&mut checked.diagnostics);
    if let Some(a) = &mut assessment {
        diagnostics.append(&mut a.diagnostics);
    }
    diag::sort(&mut diagnostics);
    Ok(CheckReport {
        checked,
        assessment,
        diagnostics,
    })
}

/// Load and validate the registry at `opts.registry`.
pub fn load_and_validate(opts: &RegistryOptions) -> Result<Checked, Error> {
    ensure_registry(&opts.registry)?;
    let loaded = load::load(&opts.registry);
    let v = validate::validate(loaded);
    Ok(Checked {
        registry: v.registry,
        sources: v.sources,
        diagnostics: v.diagnostics,
        not_assessed: v.not_assessed,
    })
}

fn ensure_registry(path: &Path) -> Result<(), Error> {
    if !path.is_dir() {
        return Err(Error::Io(format!(
            "no registry at {}: pass --registry DIR, or run vetted where ./registry or ./vetted.toml exists",
            path.display()
        )));
    }
    Ok(())
}
