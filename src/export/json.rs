//! JSON: one document, `{"version", "export", "today", "columns", "rows"}`,
//! each row an object whose keys are the columns in table order; dates are
//! `YYYY-MM-DD` strings, counts numbers, flags booleans, no value `null`.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::{Cell, Sheet};
use crate::model::Date;

/// The document's format version; raised when a column changes meaning or
/// goes away (new columns do not raise it).
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    export: &'static str,
    today: Date,
    columns: &'static [&'static str],
    rows: Vec<Row<'a>>,
}

/// A row as an object, keys in column order.
struct Row<'a> {
    columns: &'static [&'static str],
    cells: &'a [Cell],
}

impl Serialize for Row<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.cells.len()))?;
        for (name, cell) in self.columns.iter().zip(self.cells) {
            match cell {
                Cell::Empty => map.serialize_entry(name, &())?,
                Cell::Text(t) => map.serialize_entry(name, t)?,
                Cell::Int(n) => map.serialize_entry(name, n)?,
                Cell::Bool(b) => map.serialize_entry(name, b)?,
                Cell::Date(d) => map.serialize_entry(name, &d.to_string())?,
            }
        }
        map.end()
    }
}

/// The document, pretty-printed, with a final line break.
pub fn write(sheet: &Sheet) -> Vec<u8> {
    let doc = Document {
        version: VERSION,
        export: sheet.table.name(),
        today: sheet.today,
        columns: sheet.columns,
        rows: sheet
            .rows
            .iter()
            .map(|cells| Row {
                columns: sheet.columns,
                cells,
            })
            .collect(),
    };
    // Serialising these types into memory cannot fail.
    let mut out = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::Table;

    #[test]
    fn rows_keep_column_order_and_types() {
        let sheet = Sheet {
            table: Table::Products,
            today: "2026-11-29".parse().unwrap(),
            columns: &["z", "a", "m", "d"],
            rows: vec![vec![
                Cell::text("=x"),
                Cell::Int(2),
                Cell::Empty,
                Cell::Date("2027-03-31".parse().unwrap()),
            ]],
        };
        let text = String::from_utf8(write(&sheet)).unwrap();
        let compact: String = text.split_whitespace().collect();
        assert!(
            compact.contains(r#"{"z":"=x","a":2,"m":null,"d":"2027-03-31"}"#),
            "{text}"
        );
        assert!(compact.starts_with(r#"{"version":1,"export":"products","today":"2026-11-29""#));
    }
}
