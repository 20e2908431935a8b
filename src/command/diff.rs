//! `diff`: the semantic change between two revisions of the registry, each
//! checked as `check` does.

use std::path::PathBuf;

use super::RegistryCopy;
use crate::diff::{self, RegistryDiff};
use crate::error::Error;
use crate::model::Date;
use crate::pipeline::RegistryOptions;

/// What `vetted diff` is asked.
#[derive(Debug, Clone)]
pub struct DiffOptions {
    /// The registry folder (as the user named it).
    pub registry: PathBuf,
    /// The date both revisions are assessed against.
    pub today: Date,
    /// The base revision (e.g. `origin/main`).
    pub base: String,
    /// The head revision; `None` compares with the working tree.
    pub head: Option<String>,
}

/// What `diff` calls the head when no revision is given.
const WORKING_TREE: &str = "working tree";

/// Check both revisions and compare them.
pub fn diff(opts: &DiffOptions) -> Result<RegistryDiff, Error> {
    let base = RegistryCopy::at_revision(&opts.registry, &opts.base)?;
    let head = RegistryCopy::open(&opts.registry, opts.head.as_deref())?;
    let check = |copy: &RegistryCopy| {
        crate::check(&RegistryOptions {
            registry: copy.dir().to_path_buf(),
            today: opts.today,
        })
    };
    let (b, h) = (check(&base)?, check(&head)?);
    let head_name = opts.head.as_deref().unwrap_or(WORKING_TREE);
    Ok(diff::compare(
        &opts.base,
        &b,
        base.dir(),
        head_name,
        &h,
        head.dir(),
    ))
}
