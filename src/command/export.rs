//! `export`: one table of the assessed registry (the vendor inventory,
//! artifacts, findings or products) as CSV, JSON or an XLSX workbook.
//! Like `build` and `calendar`, a registry that breaks the data contract
//! gives no export: its dates and statuses cannot be trusted.

use std::path::PathBuf;

use super::build::{Refusal, publishable};
use crate::error::Error;
use crate::export::{self, Format, Table};
use crate::model::Date;

/// What `vetted export` is asked.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub registry: PathBuf,
    pub today: Date,
    pub rev: Option<String>,
    pub table: Table,
    pub format: Format,
}

/// The exported file's bytes, or why there are none.
#[derive(Debug)]
pub enum ExportOutcome {
    Written(Vec<u8>),
    Refused(Refusal),
}

pub fn export(opts: &ExportOptions) -> Result<ExportOutcome, Error> {
    let mut report = match publishable(&opts.registry, opts.rev.as_deref(), opts.today)? {
        Ok(report) => report,
        Err(refusal) => return Ok(ExportOutcome::Refused(refusal)),
    };
    let Some((registry, assessment)) = report.assessed() else {
        return Ok(ExportOutcome::Refused(Refusal::of(&mut report)));
    };
    let sheet = export::sheet(registry, assessment, opts.table);
    Ok(ExportOutcome::Written(export::write(&sheet, opts.format)?))
}
