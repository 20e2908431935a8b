//! `check`: load, validate and assess the registry, at a revision or as it
//! is on disk.

use std::path::PathBuf;

use super::RegistryCopy;
use crate::error::Error;
use crate::model::Date;
use crate::pipeline::{CheckReport, RegistryOptions};

/// What `vetted check` is asked.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The registry folder (as the user named it; see `load::discover`).
    pub registry: PathBuf,
    /// The date every rule is evaluated against.
    pub today: Date,
    /// Check the registry as it stood at this git revision instead.
    pub rev: Option<String>,
}

/// Check the registry. Findings are in the report, never an `Err`: an error
/// means there was nothing to check (no registry, an unknown revision).
pub fn check(opts: &CheckOptions) -> Result<CheckReport, Error> {
    let copy = RegistryCopy::open(&opts.registry, opts.rev.as_deref())?;
    crate::check(&RegistryOptions {
        registry: copy.dir().to_path_buf(),
        today: opts.today,
    })
}
