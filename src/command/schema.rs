//! `schema`: the JSON Schemas of the registry's file kinds
//! ([`crate::schema`]), written into `<registry>/schemas` (or `--out`) for
//! editors that complete and check TOML against them.

use std::path::PathBuf;

use super::build::Refusal;
use super::revision::RegistryCopy;
use crate::error::Error;
use crate::model::Date;
use crate::pipeline::{RegistryOptions, load_and_validate_vendors};

/// What `vetted schema` is asked.
#[derive(Debug, Clone)]
pub struct SchemaOptions {
    pub registry: PathBuf,
    /// Where to write (default: `schemas` inside the registry).
    pub out: Option<PathBuf>,
    pub today: Date,
    pub rev: Option<String>,
}

/// The schemas written, or why there are none.
#[derive(Debug)]
pub enum SchemaOutcome {
    /// The folder written to and the file names written, in order.
    Written {
        dir: PathBuf,
        files: Vec<&'static str>,
    },
    /// The policy files (vetted.toml, questionnaire.toml, tiers.toml,
    /// artifact-kinds.toml) cannot be read into a policy: nothing written.
    /// Vendor files do not matter here.
    Refused(Refusal),
}

pub fn schema(opts: &SchemaOptions) -> Result<SchemaOutcome, Error> {
    let copy = RegistryCopy::open(&opts.registry, opts.rev.as_deref())?;
    // The policy files only: no vendor file is read.
    let checked = load_and_validate_vendors(
        &RegistryOptions {
            registry: copy.dir().to_path_buf(),
            today: opts.today,
        },
        Some(&[]),
    )?;
    let Some(registry) = checked.registry else {
        return Ok(SchemaOutcome::Refused(Refusal::Invalid {
            diagnostics: checked.diagnostics,
            sources: checked.sources,
        }));
    };
    let schemas = crate::schema::generate(&registry);
    let dir = opts
        .out
        .clone()
        .unwrap_or_else(|| opts.registry.join(crate::schema::DIR));
    crate::schema::write(&dir, &schemas)?;
    Ok(SchemaOutcome::Written {
        dir,
        files: schemas.iter().map(|(name, _)| *name).collect(),
    })
}
