//! The checking half of the pipeline, shared by every command that reads a
//! registry folder: `load` → `validate` → `assess`, into a [`CheckReport`].
//!
//! `check` reports it, `build` renders it, `diff` compares two of them. The
//! commands themselves (revisions, history, publishing, what to print) are
//! in `command`.

use std::path::{Path, PathBuf};

use crate::assess::{self, Assessment};
use crate::diag::{self, Diagnostic, Severity, Sources};
use crate::error::Error;
use crate::model::{Date, Registry};
use crate::{load, validate};

/// Parse a `--today` value.
pub fn parse_date(s: &str) -> Result<Date, Error> {
    s.trim().parse::<Date>().map_err(|source| Error::BadDate {
        input: s.to_string(),
        source,
    })
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
    /// Vendor folders read but not assessed at all (see `validate::Validated`).
    pub not_assessed: Vec<String>,
}

impl Checked {
    /// Folders of the vendors assessed only in part (validation left some
    /// of their values out: `Vendor::left_out`), sorted.
    pub fn partially_assessed(&self) -> Vec<String> {
        self.registry.as_ref().map_or_else(Vec::new, |r| {
            r.vendors
                .iter()
                .filter(|v| v.is_partial())
                .map(|v| v.slug.clone())
                .collect()
        })
    }

    /// Whether the registry broke the data contract (any validation error).
    pub fn is_invalid(&self) -> bool {
        self.registry.is_none()
            || self
                .diagnostics
                .iter()
                .any(|d| d.severity == Severity::Error)
    }
}

/// Validation plus assessment: what `vetted check` reports.
pub struct CheckReport {
    /// The date every rule was evaluated against.
    pub today: Date,
    /// The validated registry and its sources. Its diagnostics have moved
    /// into `diagnostics` below (its own list is empty).
    pub checked: Checked,
    /// The assessment. Its diagnostics have moved into `diagnostics` below.
    pub assessment: Option<Assessment>,
    /// Validation and assessment diagnostics, sorted.
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckReport {
    fn is_contract_error(d: &Diagnostic) -> bool {
        d.severity == Severity::Error && diag::is_data_contract(d.code)
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

    /// The registry and its assessment, when the registry could be read at
    /// all (policy files valid); `None` otherwise.
    pub fn assessed(&self) -> Option<(&Registry, &Assessment)> {
        self.checked.registry.as_ref().zip(self.assessment.as_ref())
    }

    /// Whether a diagnostic at or above `fail_on` was reported (exit code 1).
    pub fn fails(&self, fail_on: FailOn) -> bool {
        let threshold = fail_on.threshold();
        self.diagnostics.iter().any(|d| d.severity >= threshold)
    }
}

/// The lowest severity that fails a run (`--fail-on`); notes never do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
}

impl FailOn {
    pub fn threshold(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
        }
    }
}

/// Load, validate and assess the registry folder at `opts.registry`.
pub fn check(opts: &RegistryOptions) -> Result<CheckReport, Error> {
    crate::timings::lap("start");
    let mut checked = load_and_validate(opts)?;
    crate::timings::lap("load and validate");
    let mut assessment = checked
        .registry
        .as_ref()
        .map(|r| assess::assess(r, opts.today));
    crate::timings::lap("assess");
    // Moved, not copied: a large registry has a hundred thousand of them.
    let mut diagnostics = std::mem::take(&mut checked.diagnostics);
    if let Some(a) = &mut assessment {
        diagnostics.append(&mut a.diagnostics);
    }
    diag::sort(&mut diagnostics);
    Ok(CheckReport {
        today: opts.today,
        checked,
        assessment,
        diagnostics,
    })
}

/// Load and validate the registry at `opts.registry`.
pub fn load_and_validate(opts: &RegistryOptions) -> Result<Checked, Error> {
    load_and_validate_vendors(opts, None)
}

/// Load and validate the registry's policy files and, of its vendors, only
/// those named in `only` (all when `None`): what `schema` (no vendor) and
/// `questionnaire` (one vendor) need, without reading the others.
pub fn load_and_validate_vendors(
    opts: &RegistryOptions,
    only: Option<&[&str]>,
) -> Result<Checked, Error> {
    ensure_registry(&opts.registry)?;
    let mut loaded = load::load(&opts.registry);
    if let Some(only) = only {
        loaded.vendors.retain(|v| only.contains(&v.slug.as_str()));
    }
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
        return Err(Error::NoRegistry {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_trimmed_and_bad_ones_name_the_input() {
        assert_eq!(
            parse_date(" 2026-11-22\n").unwrap(),
            jiff::civil::date(2026, 11, 22)
        );
        match parse_date("22/11/2026") {
            Err(Error::BadDate { input, .. }) => assert_eq!(input, "22/11/2026"),
            other => panic!("expected BadDate, got {other:?}"),
        }
    }

    #[test]
    fn a_missing_folder_is_no_registry() {
        let opts = RegistryOptions {
            registry: PathBuf::from("/nonexistent/vetted/registry"),
            today: jiff::civil::date(2026, 11, 22),
        };
        assert!(matches!(check(&opts), Err(Error::NoRegistry { path }) if path == opts.registry));
    }

    #[test]
    fn fail_on_sets_the_lowest_failing_severity() {
        assert_eq!(FailOn::Error.threshold(), Severity::Error);
        assert_eq!(FailOn::Warning.threshold(), Severity::Warning);
        assert!(Severity::Note < FailOn::Warning.threshold());
    }
}
