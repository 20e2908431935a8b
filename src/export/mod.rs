//! Export stage: the assessed registry as flat tables for spreadsheets and
//! other tools (`vetted export`). It takes the registry joined with its
//! assessment and gives a [`Sheet`] (named columns, typed cells), which one
//! module per format writes: `csv` (RFC 4180), `json` and `xlsx`.
//!
//! The tables read the assessment as the site shows it: statuses are the
//! site's badge keys (`render::badge`), dates the assessment's derived ones
//! (an artifact's `valid_until`, a vendor's next review), so an auditor's
//! spreadsheet agrees with the published pages and with `check --format json`.
//! Rows are in a fixed order (vendor slug, then the item's id or position in
//! its file), so the same registry and date give the same bytes.

mod csv;
mod json;
mod tables;
mod xlsx;

use serde::Serialize;

use crate::assess::Assessment;
use crate::error::Error;
use crate::model::{Date, Registry};

pub use csv::{GUARDED, guard};

/// Which table to export (`--what`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Table {
    /// One row per vendor: the inventory.
    Vendors,
    /// One row per evidence artifact.
    Artifacts,
    /// One row per finding.
    Findings,
    /// One row per product.
    Products,
}

impl Table {
    /// The table's name: the sheet name, and `export` in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Table::Vendors => "vendors",
            Table::Artifacts => "artifacts",
            Table::Findings => "findings",
            Table::Products => "products",
        }
    }
}

/// The file format (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// RFC 4180 CSV, UTF-8, a header row.
    Csv,
    /// `{"version", "export", "today", "columns", "rows": [{column: value}]}`.
    Json,
    /// An Excel workbook with one sheet (needs `--out`).
    Xlsx,
}

impl Format {
    /// Whether the format is binary, so never printed to a terminal.
    pub fn is_binary(self) -> bool {
        self == Format::Xlsx
    }
}

/// One cell: its type decides how each format writes it (a date is a date
/// cell in a workbook and an ISO string elsewhere).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// No value: an empty CSV field, `null` in JSON, a blank cell.
    Empty,
    Text(String),
    Int(i64),
    Bool(bool),
    Date(Date),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// A text cell, or an empty one for none.
    pub fn opt_text(s: Option<impl Into<String>>) -> Cell {
        s.map_or(Cell::Empty, |s| Cell::Text(s.into()))
    }

    pub fn opt_date(d: Option<Date>) -> Cell {
        d.map_or(Cell::Empty, Cell::Date)
    }

    pub fn count(n: usize) -> Cell {
        Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

/// A table ready to write: its columns and rows, in order.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub table: Table,
    /// The date the registry was assessed against.
    pub today: Date,
    pub columns: &'static [&'static str],
    /// Each row has one cell per column.
    pub rows: Vec<Vec<Cell>>,
}

/// The `table` of the assessed registry.
pub fn sheet(registry: &Registry, assessment: &Assessment, table: Table) -> Sheet {
    let joined = assessment.join(registry);
    let (columns, rows) = match table {
        Table::Vendors => (tables::VENDOR_COLUMNS, tables::vendors(registry, &joined)),
        Table::Artifacts => (
            tables::ARTIFACT_COLUMNS,
            tables::artifacts(registry, &joined),
        ),
        Table::Findings => (tables::FINDING_COLUMNS, tables::findings(&joined)),
        Table::Products => (
            tables::PRODUCT_COLUMNS,
            tables::products(&joined, assessment.today),
        ),
    };
    debug_assert!(rows.iter().all(|r| r.len() == columns.len()));
    Sheet {
        table,
        today: assessment.today,
        columns,
        rows,
    }
}

/// `sheet` written in `format`.
pub fn write(sheet: &Sheet, format: Format) -> Result<Vec<u8>, Error> {
    match format {
        Format::Csv => csv::write(sheet),
        Format::Json => Ok(json::write(sheet)),
        Format::Xlsx => xlsx::write(sheet),
    }
}
