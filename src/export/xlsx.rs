//! XLSX (by `rust_xlsxwriter`): one sheet named after the table, a bold
//! header row that stays in view and carries the filter buttons, dates as
//! date cells (`yyyy-mm-dd`), counts as numbers, flags as booleans, and
//! text always as string cells: a vendor name such as `=HYPERLINK(…)` is
//! shown as typed, never evaluated (nothing here writes a formula).
//!
//! The same sheet gives the same bytes: the document's creation date is the
//! assessment date (`--today`), not the clock, and the archive's entries
//! carry the library's fixed timestamp.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::{Cell, Sheet};
use crate::error::Error;
use crate::model::Date;

/// Excel's longest cell text; longer registry text is cut there.
const MAX_TEXT: usize = 32_767;
/// Column widths, in characters, that content may ask for.
const MIN_WIDTH: usize = 6;
const MAX_WIDTH: usize = 60;

pub fn write(sheet: &Sheet) -> Result<Vec<u8>, Error> {
    build(sheet).map_err(|source| Error::ExportWorkbook { source })
}

fn excel_date(d: Date) -> Result<ExcelDateTime, XlsxError> {
    let year = u16::try_from(d.year()).map_err(|_| XlsxError::DateTimeRangeError(d.to_string()))?;
    let (month, day) = (d.month().unsigned_abs(), d.day().unsigned_abs());
    ExcelDateTime::from_ymd(year, month, day)
}

fn build(sheet: &Sheet) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let created = excel_date(sheet.today)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("vetted export: {}", sheet.table.name()))
            .set_creation_datetime(&created),
    );
    let ws = book.add_worksheet();
    ws.set_name(sheet.table.name())?;
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let mut widths: Vec<usize> = sheet.columns.iter().map(|c| c.len() + 3).collect();
    for (col, name) in (0u16..).zip(sheet.columns) {
        ws.write_string_with_format(0, col, *name, &bold)?;
    }
    for (row, cells) in (1u32..).zip(&sheet.rows) {
        for ((col, cell), width) in (0u16..).zip(cells).zip(widths.iter_mut()) {
            *width = (*width).max(write_cell(ws, row, col, cell, &date)?);
        }
    }
    ws.set_freeze_panes(1, 0)?;
    let last_row = u32::try_from(sheet.rows.len()).map_err(|_| XlsxError::RowColumnLimitError)?;
    let last_col = u16::try_from(sheet.columns.len().saturating_sub(1))
        .map_err(|_| XlsxError::RowColumnLimitError)?;
    ws.autofilter(0, 0, last_row, last_col)?;
    for (col, w) in (0u16..).zip(widths) {
        // Whole characters: a width is then exact in decimal, the same bytes every run.
        ws.set_column_width(col, w.clamp(MIN_WIDTH, MAX_WIDTH) as u32)?;
    }
    book.save_to_buffer()
}

/// Writes one cell; returns the width its content asks for, in characters.
fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    date: &Format,
) -> Result<usize, XlsxError> {
    Ok(match cell {
        Cell::Empty => 0,
        Cell::Text(s) => {
            // The longest line decides the width.
            let text: String = s.chars().take(MAX_TEXT).collect();
            let width = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
            ws.write_string(row, col, text)?;
            width
        }
        Cell::Int(n) => {
            // Counts, tiers and day numbers: far inside f64's exact range.
            ws.write_number(row, col, *n as f64)?;
            n.to_string().len()
        }
        Cell::Bool(b) => {
            ws.write_boolean(row, col, *b)?;
            5
        }
        Cell::Date(d) => {
            ws.write_datetime_with_format(row, col, &excel_date(*d)?, date)?;
            10
        }
    })
}
