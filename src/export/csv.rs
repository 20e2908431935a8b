//! CSV (RFC 4180, by the `csv` crate): UTF-8, a header row, CRLF line
//! ends, fields quoted when they must be.
//!
//! A spreadsheet application reads a field that starts with `=`, `+`, `-`
//! or `@` as a formula (and some a leading tab or carriage return too), so a
//! vendor name such as `=HYPERLINK(…)` could run when the file is opened.
//! Every text field that starts with one of these is written with a single
//! quote before it (`'=HYPERLINK(…)`), which spreadsheets show as text.
//! Numbers and dates are vetted's own and are never prefixed.

use std::borrow::Cow;

use super::{Cell, Sheet};
use crate::error::Error;

/// The first characters that make a spreadsheet read a field as a formula.
pub const GUARDED: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// `text` as a CSV field that no spreadsheet reads as a formula.
pub fn guard(text: &str) -> Cow<'_, str> {
    if text.starts_with(GUARDED) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

fn field(cell: &Cell) -> Cow<'_, str> {
    match cell {
        Cell::Empty => Cow::Borrowed(""),
        Cell::Text(s) => guard(s),
        Cell::Int(n) => Cow::Owned(n.to_string()),
        Cell::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        Cell::Date(d) => Cow::Owned(d.to_string()),
    }
}

pub fn write(sheet: &Sheet) -> Result<Vec<u8>, Error> {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let fail = |e: ::csv::Error| Error::Output {
        source: std::io::Error::other(e),
    };
    w.write_record(sheet.columns).map_err(fail)?;
    for row in &sheet.rows {
        w.write_record(row.iter().map(|c| field(c).into_owned()))
            .map_err(fail)?;
    }
    w.into_inner().map_err(|e| Error::Output {
        source: std::io::Error::other(e.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::Table;

    #[test]
    fn formula_starts_are_quoted_and_other_text_is_not() {
        for hostile in ["=1+1", "+cmd", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(guard(hostile), format!("'{hostile}"));
        }
        for plain in ["Acme", "", "a=b", " =x", "'quoted"] {
            assert_eq!(guard(plain), plain);
        }
    }

    #[test]
    fn cells_are_written_by_type_with_crlf_and_quoting() {
        let sheet = Sheet {
            table: Table::Products,
            today: "2026-11-29".parse().unwrap(),
            columns: &["a", "b", "c", "d", "e"],
            rows: vec![vec![
                Cell::text("x, \"y\"\nz"),
                Cell::Int(-3),
                Cell::Bool(true),
                Cell::Date("2027-03-31".parse().unwrap()),
                Cell::Empty,
            ]],
        };
        let out = String::from_utf8(write(&sheet).unwrap()).unwrap();
        assert_eq!(
            out,
            "a,b,c,d,e\r\n\"x, \"\"y\"\"\nz\",-3,true,2027-03-31,\r\n"
        );
    }
}
