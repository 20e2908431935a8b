//! A returned workbook's cells, turned into answers: rows are found by
//! their id (never by position), each answer cell is read as the question's
//! type (accepting what spreadsheet applications store: booleans or
//! yes/no text, numbers as floats, dates as date cells, ISO dates or serial
//! numbers) and then checked by `validate::answer_problems`, the rules
//! `check` applies to answers.toml. Every bad cell is reported with its
//! sheet and reference; nothing is returned when any is bad.
//!
//! An empty answer cell, or a row that was deleted, leaves the answer as it
//! is: importing never removes an answer.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use toml::value::Datetime;

use super::read::{CellValue, Refused, Sheet, read_workbook};
use super::*;
use crate::model::{Date, Question, QuestionType, Questionnaire};

/// A bad cell: where it is, what is wrong, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellProblem {
    pub sheet: String,
    /// `D7`.
    pub cell: String,
    pub message: String,
    pub help: Option<String>,
}

/// Who filled the workbook, as recorded in answers.toml's `[provenance]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Provenance {
    /// The workbook's file name.
    pub file: String,
    pub imported: Date,
    pub respondent: Option<String>,
    pub respondent_email: Option<String>,
    pub completed: Option<Date>,
}

/// What a valid workbook holds.
#[derive(Debug, Clone)]
pub struct Imported {
    /// (section, question, value) in questionnaire order, for every answer
    /// cell that is filled in.
    pub answers: Vec<(String, String, toml::Value)>,
    pub provenance: Provenance,
}

/// Read and check the workbook at `path` for vendor `slug`. `Err(Ok(_))`
/// lists every bad cell; `Err(Err(_))` is a workbook refused whole.
pub fn import_workbook(
    path: &Path,
    slug: &str,
    q: &Questionnaire,
    today: Date,
) -> Result<Imported, Result<Vec<CellProblem>, Refused>> {
    let sheets =
        read_workbook(path, &[QUESTIONS_SHEET, META_SHEET], &[INSTRUCTIONS_SHEET]).map_err(Err)?;
    let empty = Sheet::default();
    let sheet = |name| sheets.get(name).unwrap_or(&empty);
    let mut problems = Vec::new();
    for (name, s) in &sheets {
        for &(row, col) in &s.formulas {
            problems.push(problem(
                name,
                row,
                col,
                "a formula, which vetted never evaluates".to_string(),
                "type the value itself (paste as values only)",
            ));
        }
    }
    check_meta(sheet(META_SHEET), slug, q, &mut problems);
    let answers = answers(sheet(QUESTIONS_SHEET), q, &mut problems);
    let provenance = provenance(sheet(INSTRUCTIONS_SHEET), path, today, &mut problems);
    if !problems.is_empty() {
        problems.sort_by(|a, b| {
            (a.sheet.as_str(), sort_key(&a.cell)).cmp(&(b.sheet.as_str(), sort_key(&b.cell)))
        });
        problems.dedup();
        return Err(Ok(problems));
    }
    Ok(Imported {
        answers,
        provenance,
    })
}

/// Cells sort by row, then column (`D7` before `A10`).
fn sort_key(cell: &str) -> (u32, usize, String) {
    let split = cell
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(cell.len());
    let row = cell[split..].parse().unwrap_or(0);
    (row, split, cell.to_string())
}

fn problem(sheet: &str, row: u32, col: u16, message: String, help: &str) -> CellProblem {
    CellProblem {
        sheet: sheet.to_string(),
        cell: cell_name(row, col),
        message,
        help: Some(help.to_string()).filter(|h| !h.is_empty()),
    }
}

/// Row of the label `label` in column A.
fn labelled_row(s: &Sheet, label: &str) -> Option<u32> {
    s.cells.iter().find_map(|(&(row, col), _)| {
        (col == 0 && s.text(row, 0).as_deref() == Some(label)).then_some(row)
    })
}

/// The hidden sheet must name this vendor and this questionnaire.
fn check_meta(s: &Sheet, slug: &str, q: &Questionnaire, problems: &mut Vec<CellProblem>) {
    let want = [
        (
            META_VENDOR,
            slug.to_string(),
            "this workbook was exported for another vendor: import it with --vendor set to the vendor it was sent to",
        ),
        (
            META_FINGERPRINT,
            fingerprint(q),
            "the questionnaire changed since this workbook was exported: export a new one, or copy the answers into it",
        ),
    ];
    for (label, expected, help) in want {
        let Some(row) = labelled_row(s, label) else {
            problems.push(problem(
                META_SHEET,
                0,
                0,
                format!(
                    "no `{label}` row: this is not a workbook `vetted questionnaire export` wrote"
                ),
                "export the questionnaire again and fill that workbook",
            ));
            continue;
        };
        let found = s.text(row, 1).unwrap_or_default();
        if found != expected {
            problems.push(problem(
                META_SHEET,
                row,
                1,
                format!("the workbook's {label} is `{found}`, expected `{expected}`"),
                help,
            ));
        }
    }
}

/// The filled answer cells, located by their id cells, read and checked.
fn answers(
    s: &Sheet,
    q: &Questionnaire,
    problems: &mut Vec<CellProblem>,
) -> Vec<(String, String, toml::Value)> {
    let col_of =
        |name: &str| (0..COLUMNS.len() as u16 * 4).find(|&c| s.text(0, c).as_deref() == Some(name));
    let (Some(id_col), Some(answer_col)) = (
        col_of(COLUMNS[ID_COL as usize]),
        col_of(COLUMNS[ANSWER_COL as usize]),
    ) else {
        problems.push(problem(
            QUESTIONS_SHEET,
            0,
            0,
            "the header row has no `id` or no `answer` column".to_string(),
            "do not change the header row; export the questionnaire again if it was lost",
        ));
        return Vec::new();
    };
    let mut found: BTreeMap<(usize, usize), toml::Value> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    let rows: BTreeSet<u32> = s.cells.keys().map(|&(r, _)| r).filter(|&r| r > 0).collect();
    for row in rows {
        let Some(id) = s.text(row, id_col) else {
            if s.cells.contains_key(&(row, answer_col)) {
                problems.push(problem(
                    QUESTIONS_SHEET,
                    row,
                    answer_col,
                    "an answer on a row without an id".to_string(),
                    "answer only on the rows of the questions",
                ));
            }
            continue;
        };
        let Some((si, qi, sid, question)) = locate(q, &id) else {
            problems.push(problem(
                QUESTIONS_SHEET,
                row,
                id_col,
                format!("`{id}` is not a question of the questionnaire"),
                "do not change the id column",
            ));
            continue;
        };
        if !seen.insert(id.clone()) {
            problems.push(problem(
                QUESTIONS_SHEET,
                row,
                id_col,
                format!("`{id}` appears twice"),
                "keep one row per question",
            ));
            continue;
        }
        let Some(cell) = s.cells.get(&(row, answer_col)) else {
            continue;
        };
        if s.formulas.contains(&(row, answer_col)) {
            continue;
        }
        let at =
            |message: String, help: &str| problem(QUESTIONS_SHEET, row, answer_col, message, help);
        match read_answer(cell, question) {
            Err((message, help)) => problems.push(at(message, &help)),
            Ok(value) => {
                let wrong = crate::validate::answer_problems(sid, question, &value);
                if wrong.is_empty() {
                    found.insert((si, qi), value);
                }
                for (message, help) in wrong {
                    problems.push(at(message, help.as_deref().unwrap_or("")));
                }
            }
        }
    }
    found
        .into_iter()
        .filter_map(|((si, qi), v)| {
            let s = q.sections.get(si)?;
            Some((s.id.clone(), s.questions.get(qi)?.id.clone(), v))
        })
        .collect()
}

/// `section.question` as indices into the questionnaire.
fn locate<'q>(q: &'q Questionnaire, id: &str) -> Option<(usize, usize, &'q str, &'q Question)> {
    let (sid, qid) = id.split_once('.')?;
    let si = q.sections.iter().position(|s| s.id == sid)?;
    let section = q.sections.get(si)?;
    let qi = section.questions.iter().position(|x| x.id == qid)?;
    Some((si, qi, section.id.as_str(), section.questions.get(qi)?))
}

type Bad = (String, String);

/// A cell read as the answer to `q`, before `check`'s rules: the TOML
/// value answers.toml would hold.
fn read_answer(cell: &CellValue, q: &Question) -> Result<toml::Value, Bad> {
    use toml::Value as V;
    if let CellValue::Error(e) = cell {
        return Err((
            format!("the cell holds the error {e}"),
            "type the answer itself".into(),
        ));
    }
    let shown = || match cell {
        CellValue::Text(s) => s.clone(),
        CellValue::Int(i) => i.to_string(),
        CellValue::Float(f) => f.to_string(),
        CellValue::Bool(b) => b.to_string(),
        CellValue::Date(Some(d), _) => d.to_string(),
        CellValue::Date(None, _) | CellValue::Error(_) => String::new(),
    };
    Ok(match q.kind {
        QuestionType::Bool => V::Boolean(read_bool(cell).ok_or_else(|| {
            (
                format!("`{}` is not yes or no", shown()),
                format!("pick {YES} or {NO} from the drop-down"),
            )
        })?),
        QuestionType::Integer => V::Integer(read_integer(cell).ok_or_else(|| {
            (
                format!("`{}` is not a whole number", shown()),
                "write digits only, e.g. 72".into(),
            )
        })?),
        QuestionType::Date => V::Datetime(toml_date(read_date(cell).ok_or_else(|| {
            (
                format!("`{}` is not a date", shown()),
                "enter a date as YYYY-MM-DD, without a time".into(),
            )
        })?)),
        QuestionType::Multi | QuestionType::List => {
            let text = shown();
            let seps: &[char] = if q.kind == QuestionType::Multi {
                &['\n', ',', ';']
            } else {
                &['\n']
            };
            V::Array(
                text.split(seps)
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| V::String(s.to_string()))
                    .collect(),
            )
        }
        QuestionType::Text | QuestionType::Url | QuestionType::Choice => {
            V::String(shown().trim().to_string())
        }
    })
}

fn read_bool(cell: &CellValue) -> Option<bool> {
    match cell {
        CellValue::Bool(b) => Some(*b),
        CellValue::Text(s) => match s.trim().to_lowercase().as_str() {
            "yes" | "true" => Some(true),
            "no" | "false" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

fn read_integer(cell: &CellValue) -> Option<i64> {
    match cell {
        CellValue::Int(i) => Some(*i),
        CellValue::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(*f as i64),
        CellValue::Text(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A date cell, an ISO date text, or an Excel serial day number (a date
/// cell that lost its format); only a date TOML can write, years 0000 to
/// 9999 (jiff also reads negative years, `-000001-01-01`, which answers.toml
/// cannot hold).
fn read_date(cell: &CellValue) -> Option<Date> {
    let date = match cell {
        CellValue::Date(d, false) => *d,
        CellValue::Text(s) => s.trim().parse().ok(),
        CellValue::Int(_) | CellValue::Float(_) => {
            let serial = match cell {
                CellValue::Int(i) => *i as f64,
                CellValue::Float(f) => *f,
                _ => return None,
            };
            // Day 60 is Excel's 1900-02-29, which never was.
            if serial.fract() != 0.0 || !(61.0..=2_958_465.0).contains(&serial) {
                return None;
            }
            jiff::civil::date(1899, 12, 30)
                .checked_add(jiff::Span::new().days(serial as i64))
                .ok()
        }
        _ => None,
    };
    date.filter(|d| (0..=9999).contains(&d.year()))
}

fn toml_date(d: Date) -> Datetime {
    Datetime {
        date: Some(toml::value::Date {
            year: d.year() as u16,
            month: d.month() as u8,
            day: d.day() as u8,
        }),
        time: None,
        offset: None,
    }
}

/// The respondent's cells of the instructions sheet, and the file's name.
fn provenance(s: &Sheet, path: &Path, today: Date, problems: &mut Vec<CellProblem>) -> Provenance {
    let value = |label: &str| labelled_row(s, label).map(|row| (row, s.cells.get(&(row, 1))));
    let text = |label: &str| {
        value(label)
            .and_then(|(row, _)| s.text(row, 1))
            .filter(|t| !t.is_empty())
    };
    let completed = match value(COMPLETED_LABEL) {
        Some((row, Some(cell))) => match read_date(cell) {
            Some(d) => Some(d),
            None => {
                problems.push(problem(
                    INSTRUCTIONS_SHEET,
                    row,
                    1,
                    "the date completed is not a date".to_string(),
                    "enter a date as YYYY-MM-DD",
                ));
                None
            }
        },
        _ => None,
    };
    Provenance {
        file: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        imported: today,
        respondent: text(RESPONDENT_LABEL),
        respondent_email: text(EMAIL_LABEL),
        completed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date_question() -> Question {
        Question {
            id: "dr_last_tested".into(),
            prompt: String::new(),
            title: String::new(),
            kind: QuestionType::Date,
            options: Vec::new(),
            required_for: Vec::new(),
            guidance: String::new(),
            unit: None,
            red_flags: Vec::new(),
            evidence: Vec::new(),
            labels: Vec::new(),
        }
    }

    /// Found by the questionnaire_import fuzz target: jiff reads
    /// `-000001-01-01` as a date, whose year was written into answers.toml
    /// as 65535 (a file that does not parse) and then panicked the printing
    /// of the change.
    #[test]
    fn a_date_before_year_zero_is_not_a_date() {
        for text in ["-000001-01-01", "-009999-12-31"] {
            assert_eq!(
                read_date(&CellValue::Text(text.to_string())),
                None,
                "{text}"
            );
            assert!(read_answer(&CellValue::Text(text.to_string()), &date_question()).is_err());
        }
        let negative = jiff::civil::date(-1, 1, 1);
        assert_eq!(read_date(&CellValue::Date(Some(negative), false)), None);
        for text in ["0000-01-01", "2026-02-01", "9999-12-31", "+009999-12-31"] {
            let d = read_date(&CellValue::Text(text.to_string())).expect(text);
            let value = read_answer(&CellValue::Text(text.to_string()), &date_question()).unwrap();
            let written = toml::Value::Datetime(toml_date(d)).to_string();
            let back: toml::Table = toml::from_str(&format!("d = {written}")).expect(&written);
            assert_eq!(back["d"], value, "{text}");
        }
    }
}
