//! Reading a returned workbook within fixed bounds. These are safety
//! limits, not policy: a questionnaire of a hundred questions is a few
//! dozen KiB, and a workbook that is not within them is refused whole.
//!
//! Before calamine sees the file, every part of the zip is unpacked and
//! its real size counted (a part's declared size can lie), so a
//! zip bomb stops at `MAX_UNPACKED_BYTES`. Cells are then read one at a time
//! with calamine's streaming reader (a sheet's declared dimension allocates
//! nothing), at most `MAX_CELLS` of them and none past row `MAX_ROWS`.
//! Formulas are never evaluated: the worksheets' XML is scanned for formula
//! elements, and each such cell is reported where it is.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::Path;

use calamine::{DataRef, Reader, Xlsx};
use quick_xml::events::Event;

use crate::model::Date;

/// Largest workbook file read (8 MiB).
pub const MAX_WORKBOOK_BYTES: u64 = 8 * 1024 * 1024;
/// Largest total size of a workbook's parts once unpacked (64 MiB).
pub const MAX_UNPACKED_BYTES: u64 = 64 * 1024 * 1024;
/// Most parts (files) in a workbook's zip.
const MAX_PARTS: usize = 1000;
/// Highest row read on a sheet (1-based).
pub const MAX_ROWS: u32 = 10_000;
/// Most cells read on one sheet.
pub const MAX_CELLS: usize = 200_000;

/// A cell's value as the spreadsheet stored it.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A date (or date-time) cell: the date, and whether it has a time of day.
    Date(Option<Date>, bool),
    /// An error value (`#N/A`, `#DIV/0!`).
    Error(String),
}

/// The cells of one sheet by (row, column), 0-based, empty cells left out,
/// and the cells holding a formula.
#[derive(Debug, Default)]
pub struct Sheet {
    pub cells: BTreeMap<(u32, u16), CellValue>,
    pub formulas: Vec<(u32, u16)>,
}

impl Sheet {
    pub fn text(&self, row: u32, col: u16) -> Option<String> {
        match self.cells.get(&(row, col))? {
            CellValue::Text(s) => Some(s.trim().to_string()),
            CellValue::Int(i) => Some(i.to_string()),
            CellValue::Float(f) => Some(f.to_string()),
            CellValue::Bool(b) => Some(b.to_string()),
            CellValue::Date(Some(d), _) => Some(d.to_string()),
            CellValue::Date(None, _) | CellValue::Error(_) => None,
        }
    }
}

/// Why a workbook was not read at all.
#[derive(Debug)]
pub enum Refused {
    TooLarge(u64),
    Unpacked,
    TooManyParts,
    NotAWorkbook(String),
    NoSheet(&'static str),
    TooManyRows(&'static str),
    TooManyCells(&'static str),
    Io(std::io::Error),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::TooLarge(n) => write!(
                f,
                "it is {n} bytes, over the {} MiB a questionnaire workbook may have",
                MAX_WORKBOOK_BYTES >> 20
            ),
            Refused::Unpacked => write!(
                f,
                "its parts unpack to more than {} MiB (a zip bomb?)",
                MAX_UNPACKED_BYTES >> 20
            ),
            Refused::TooManyParts => write!(f, "it has more than {MAX_PARTS} parts"),
            Refused::NotAWorkbook(why) => write!(f, "it is not an .xlsx workbook: {why}"),
            Refused::NoSheet(name) => write!(f, "it has no sheet named \"{name}\""),
            Refused::TooManyRows(name) => {
                write!(f, "sheet \"{name}\" has cells past row {MAX_ROWS}")
            }
            Refused::TooManyCells(name) => {
                write!(f, "sheet \"{name}\" has more than {MAX_CELLS} cells")
            }
            Refused::Io(e) => write!(f, "{e}"),
        }
    }
}

/// The named sheets of the workbook at `path`; a sheet in `optional` that
/// the workbook lacks is empty, one of `required` refuses the workbook.
pub fn read_workbook(
    path: &Path,
    required: &[&'static str],
    optional: &[&'static str],
) -> Result<BTreeMap<&'static str, Sheet>, Refused> {
    let (file, len) = crate::parse::open_regular(path).map_err(Refused::Io)?;
    if len > MAX_WORKBOOK_BYTES {
        return Err(Refused::TooLarge(len));
    }
    let mut bytes = Vec::new();
    file.take(MAX_WORKBOOK_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(Refused::Io)?;
    if bytes.len() as u64 > MAX_WORKBOOK_BYTES {
        return Err(Refused::TooLarge(bytes.len() as u64));
    }
    let parts = unpacked_parts(&bytes)?;
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| Refused::NotAWorkbook(e.to_string()))?;
    let names = book.sheet_names();
    let mut out = BTreeMap::new();
    for &name in required.iter().chain(optional) {
        if !names.iter().any(|n| n == name) {
            if required.contains(&name) {
                return Err(Refused::NoSheet(name));
            }
            out.insert(name, Sheet::default());
            continue;
        }
        let xml = sheet_part(&parts, name);
        if let Some(xml) = xml {
            check_references(xml).map_err(Refused::NotAWorkbook)?;
        }
        let mut sheet = read_cells(&mut book, name)?;
        if let Some(xml) = xml {
            sheet.formulas = formula_cells(xml).map_err(Refused::NotAWorkbook)?;
        }
        out.insert(name, sheet);
    }
    Ok(out)
}

/// The parts of the zip that locate worksheets and their formulas, by name;
/// every part is unpacked to count its real size, and the others dropped.
fn unpacked_parts(bytes: &[u8]) -> Result<BTreeMap<String, Vec<u8>>, Refused> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| Refused::NotAWorkbook(e.to_string()))?;
    if zip.len() > MAX_PARTS {
        return Err(Refused::TooManyParts);
    }
    let mut total = 0u64;
    let mut parts = BTreeMap::new();
    for i in 0..zip.len() {
        let entry = zip
            .by_index(i)
            .map_err(|e| Refused::NotAWorkbook(e.to_string()))?;
        let name = entry.name().to_string();
        let mut data = Vec::new();
        entry
            .take(MAX_UNPACKED_BYTES - total + 1)
            .read_to_end(&mut data)
            .map_err(|e| Refused::NotAWorkbook(e.to_string()))?;
        total += data.len() as u64;
        if total > MAX_UNPACKED_BYTES {
            return Err(Refused::Unpacked);
        }
        // Kept: what finds the worksheets and their formulas.
        if name.starts_with("xl/worksheets/")
            || name == "xl/workbook.xml"
            || name == "xl/_rels/workbook.xml.rels"
        {
            parts.insert(name, data);
        }
    }
    Ok(parts)
}

/// The cells of sheet `name`, one at a time, within the bounds.
fn read_cells(book: &mut Xlsx<Cursor<Vec<u8>>>, name: &'static str) -> Result<Sheet, Refused> {
    let bad = |e: calamine::XlsxError| Refused::NotAWorkbook(e.to_string());
    let mut reader = book.worksheet_cells_reader(name).map_err(bad)?;
    let mut sheet = Sheet::default();
    let mut seen = 0usize;
    while let Some(cell) = reader.next_cell().map_err(bad)? {
        seen += 1;
        if seen > MAX_CELLS {
            return Err(Refused::TooManyCells(name));
        }
        let (row, col) = cell.get_position();
        if row >= MAX_ROWS {
            return Err(Refused::TooManyRows(name));
        }
        let Ok(col) = u16::try_from(col) else {
            continue;
        };
        let value = match cell.get_value() {
            DataRef::Empty => continue,
            DataRef::String(s) => CellValue::Text(s.clone()),
            DataRef::SharedString(s) => CellValue::Text((*s).to_string()),
            DataRef::Int(i) => CellValue::Int(*i),
            DataRef::Float(f) => CellValue::Float(*f),
            DataRef::Bool(b) => CellValue::Bool(*b),
            DataRef::DateTime(dt) => {
                let (y, m, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
                let date = jiff::civil::Date::new(y as i16, m as i8, d as i8).ok();
                CellValue::Date(date, (h, mi, s, ms) != (0, 0, 0, 0))
            }
            DataRef::DateTimeIso(s) => iso_date(s),
            DataRef::DurationIso(s) => CellValue::Text(s.clone()),
            DataRef::Error(e) => CellValue::Error(e.to_string()),
        };
        if matches!(&value, CellValue::Text(s) if s.trim().is_empty()) {
            continue;
        }
        sheet.cells.insert((row, col), value);
    }
    Ok(sheet)
}

/// An ISO 8601 date or date-time cell (`t="d"`, as LibreOffice may write).
fn iso_date(s: &str) -> CellValue {
    let (day, time) = s.split_once('T').unwrap_or((s, ""));
    let timed = !time.trim_start_matches(['0', ':', '.']).is_empty();
    CellValue::Date(day.parse::<Date>().ok(), timed)
}

/// The XML part of sheet `name`: the workbook names it, its relationships
/// give the part.
fn sheet_part<'a>(parts: &'a BTreeMap<String, Vec<u8>>, name: &str) -> Option<&'a [u8]> {
    let attr = |e: &quick_xml::events::BytesStart<'_>, key: &[u8]| {
        e.attributes().flatten().find_map(|a| {
            (a.key.as_ref() == key || a.key.local_name().as_ref() == key)
                .then(|| String::from_utf8_lossy(&a.value).into_owned())
        })
    };
    let mut rid = None;
    scan(parts.get("xl/workbook.xml")?, |e| {
        if e.local_name().as_ref() == b"sheet"
            && attr(e, b"name").as_deref().map(unescape).as_deref() == Some(name)
        {
            rid = attr(e, b"r:id");
        }
    })
    .ok()?;
    let rid = rid?;
    let mut target = None;
    scan(parts.get("xl/_rels/workbook.xml.rels")?, |e| {
        if e.local_name().as_ref() == b"Relationship" && attr(e, b"Id").as_deref() == Some(&rid) {
            target = attr(e, b"Target");
        }
    })
    .ok()?;
    let target = target?;
    let path = match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("xl/{target}"),
    };
    parts.get(&path).map(Vec::as_slice)
}

fn unescape(s: &str) -> String {
    quick_xml::escape::unescape(s).map_or_else(|_| s.to_string(), |c| c.into_owned())
}

/// Calls `f` on every start or empty element of `xml`.
fn scan(xml: &[u8], mut f: impl FnMut(&quick_xml::events::BytesStart<'_>)) -> Result<(), String> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => f(&e),
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(e.to_string()),
        }
    }
}

/// Cells of a worksheet's XML that hold a formula (`<c r="D7"><f>…`).
///
/// One formula is not one: LibreOffice saves a boolean cell as the formula
/// `TRUE()` or `FALSE()` with the boolean as its value
/// (`<c t="b"><f>TRUE()</f><v>1</v></c>`), so a yes/no answer typed as a
/// boolean and saved by LibreOffice is still the plain boolean it was.
fn formula_cells(xml: &[u8]) -> Result<Vec<(u32, u16)>, String> {
    /// Longer formula text is not kept: it is no boolean constant.
    const KEPT: usize = 16;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let (mut current, mut boolean) = (None, false);
    let mut formula: Option<String> = None;
    let mut out = Vec::new();
    let push = |at: Option<(u32, u16)>, out: &mut Vec<(u32, u16)>| {
        if let Some(at) = at {
            if out.last() != Some(&at) && out.len() < MAX_CELLS {
                out.push(at);
            }
        }
    };
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == b"c" => {
                current = None;
                boolean = false;
                for a in e.attributes().flatten() {
                    match a.key.as_ref() {
                        b"r" => current = parse_ref(&String::from_utf8_lossy(&a.value)),
                        b"t" => boolean = a.value.as_ref() == b"b",
                        _ => {}
                    }
                }
            }
            Ok(Event::Start(e)) if e.local_name().as_ref() == b"f" => formula = Some(String::new()),
            // `<f t="shared" si="0"/>`: a formula shared from another cell.
            Ok(Event::Empty(e)) if e.local_name().as_ref() == b"f" => push(current, &mut out),
            Ok(Event::Text(t)) => {
                if let Some(text) = formula.as_mut().filter(|f| f.len() <= KEPT) {
                    text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == b"f" => {
                let text = formula.take().unwrap_or_default();
                let constant = boolean
                    && matches!(
                        text.trim().to_ascii_uppercase().as_str(),
                        "TRUE()" | "FALSE()"
                    );
                if !constant {
                    push(current, &mut out);
                }
            }
            Ok(Event::Eof) => return Ok(out),
            Ok(_) => {}
            Err(e) => return Err(e.to_string()),
        }
    }
}

/// Every cell reference and range calamine reads from a worksheet (a
/// cell's and a row's `r`, the `<dimension>`, a shared formula's `ref`) is
/// within a sheet's bounds and a range does not end before it starts:
/// calamine's own arithmetic on them overflows otherwise (a panic where
/// overflow is checked, as in debug builds), so such a sheet is refused.
fn check_references(xml: &[u8]) -> Result<(), String> {
    let mut bad = None;
    scan(xml, |e| {
        let key: &[u8] = match e.local_name().as_ref() {
            b"c" | b"row" => b"r",
            b"dimension" | b"f" => b"ref",
            _ => return,
        };
        for a in e.attributes().flatten() {
            if bad.is_none() && a.key.as_ref() == key && !reference_in_bounds(&a.value) {
                bad = Some(String::from_utf8_lossy(&a.value).into_owned());
            }
        }
    })?;
    match bad {
        Some(r) => Err(format!(
            "a worksheet has the cell reference or range `{r}`, outside a sheet"
        )),
        None => Ok(()),
    }
}

/// `D7`, `7` (a row), or a range `A1:H7` that does not end before it starts,
/// with at most three column letters (XFD) and seven row digits.
fn reference_in_bounds(r: &[u8]) -> bool {
    let one = |p: &[u8]| -> Option<(u32, u32)> {
        let split = p.iter().position(u8::is_ascii_digit).unwrap_or(p.len());
        let (letters, digits) = p.split_at(split);
        if letters.len() > 3
            || !letters.iter().all(u8::is_ascii_alphabetic)
            || digits.is_empty()
            || digits.len() > 7
            || !digits.iter().all(u8::is_ascii_digit)
        {
            return None;
        }
        let col = letters.iter().fold(0u32, |c, l| {
            c * 26 + u32::from(l.to_ascii_uppercase() - b'A') + 1
        });
        let row = digits
            .iter()
            .fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
        Some((row, col))
    };
    let mut parts = r.split(|&b| b == b':');
    match (parts.next().and_then(one), parts.next(), parts.next()) {
        (Some(_), None, _) => true,
        (Some(start), Some(end), None) => {
            one(end).is_some_and(|end| end.0 >= start.0 && end.1 >= start.1)
        }
        _ => false,
    }
}

/// `D7` as 0-based (row, column).
fn parse_ref(r: &str) -> Option<(u32, u16)> {
    let split = r.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = r.split_at(split);
    let mut col: u32 = 0;
    for c in letters.chars() {
        if !c.is_ascii_uppercase() {
            return None;
        }
        col = col.checked_mul(26)? + (c as u32 - 'A' as u32 + 1);
    }
    let row: u32 = digits.parse().ok()?;
    Some((
        row.checked_sub(1)?,
        u16::try_from(col.checked_sub(1)?).ok()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_parse_to_zero_based_positions() {
        assert_eq!(parse_ref("A1"), Some((0, 0)));
        assert_eq!(parse_ref("D7"), Some((6, 3)));
        assert_eq!(parse_ref("AA10"), Some((9, 26)));
        assert_eq!(parse_ref("7"), None);
        assert_eq!(parse_ref("A0"), None);
    }

    /// Found by the questionnaire_import fuzz target: `<dimension
    /// ref="v1:H7"/>` (a range ending left of its start) made calamine
    /// subtract with overflow, a panic in a build that checks overflow.
    #[test]
    fn references_calamine_cannot_take_are_refused() {
        for ok in ["A1", "XFD1048576", "a1", "7", "A1:H7", "B2:B2"] {
            assert!(reference_in_bounds(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "v1:H7",
            "B2:A1",
            "A2:B1",
            "AAAA1",
            "A12345678",
            "A",
            "",
            "A1:",
            "A1:B2:C3",
            "1A",
        ] {
            assert!(!reference_in_bounds(bad.as_bytes()), "{bad}");
        }
        let xml = br#"<worksheet><dimension ref="v1:H7"/><sheetData/></worksheet>"#;
        assert!(check_references(xml).unwrap_err().contains("`v1:H7`"));
        let xml = br#"<worksheet><dimension ref="A1:H7"/><sheetData><row r="7"><c r="D7"><f t="shared" ref="D7:D9" si="0">1</f></c></row></sheetData></worksheet>"#;
        assert_eq!(check_references(xml), Ok(()));
    }

    #[test]
    fn formula_cells_are_found_without_evaluating_them() {
        let xml = br#"<worksheet><sheetData><row r="7"><c r="C7" t="s"><v>1</v></c><c r="D7"><f>1+1</f><v>2</v></c><c r="E7"><f t="shared" si="0" ref="E7:XFD1048576"/><v>0</v></c></row></sheetData></worksheet>"#;
        assert_eq!(formula_cells(xml).unwrap(), vec![(6, 3), (6, 4)]);
    }

    #[test]
    fn a_boolean_saved_by_libreoffice_is_no_formula_but_true_elsewhere_is() {
        // What LibreOffice writes for a boolean cell, and lookalikes that
        // are formulas: TRUE() in a number cell, another function.
        let xml = br#"<worksheet><sheetData><row r="2"><c r="D2" t="b"><f>TRUE()</f><v>1</v></c><c r="E2" t="b"><f>false()</f><v>0</v></c><c r="F2"><f>TRUE()</f><v>1</v></c><c r="G2" t="b"><f>NOT(FALSE())</f><v>1</v></c><c r="H2" t="b"><f>TRUE()&amp;HYPERLINK("x")</f><v>1</v></c></row></sheetData></worksheet>"#;
        assert_eq!(formula_cells(xml).unwrap(), vec![(1, 5), (1, 6), (1, 7)]);
    }
}
