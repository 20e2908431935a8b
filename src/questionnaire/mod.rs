//! The vendor questionnaire as a spreadsheet round trip.
//!
//! `export` writes a workbook for one vendor from the registry's own
//! questionnaire: a "Questionnaire" sheet with one row per question (answers
//! pre-filled from answers.toml), an "Instructions" sheet with the
//! respondent's cells, and a hidden "vetted" sheet naming the vendor and the
//! questionnaire's fingerprint. `read` opens a returned workbook within
//! fixed bounds; `import` turns its cells into answers, checked by the same
//! code `check` runs (`validate::answer_cell`), and `edit` writes them into
//! answers.toml with toml_edit, keeping everything it does not change.

pub mod edit;
pub mod export;
pub mod import;
mod read;

use sha2::{Digest, Sha256};

use crate::model::{AnswerValue, Question, QuestionType, Questionnaire};

pub use export::{ExportRequest, export_workbook};
pub use import::{CellProblem, Imported, Provenance, import_workbook};
pub use read::{MAX_CELLS, MAX_ROWS, MAX_UNPACKED_BYTES, MAX_WORKBOOK_BYTES};

/// The sheet of questions and answers.
pub const QUESTIONS_SHEET: &str = "Questionnaire";
/// The sheet the vendor reads first, with the respondent's cells.
pub const INSTRUCTIONS_SHEET: &str = "Instructions";
/// The hidden sheet with the vendor slug and the questionnaire fingerprint.
pub const META_SHEET: &str = "vetted";
/// The hidden sheet holding long drop-down lists (over Excel's 255
/// characters for an inline list).
pub const LISTS_SHEET: &str = "Lists";

/// The header row of the questions sheet, in column order. Import finds
/// its columns by these names, not by position.
pub const COLUMNS: [&str; 8] = [
    "id",
    "section",
    "question",
    "answer",
    "type",
    "allowed values",
    "required",
    "guidance",
];
/// Column of the `section.question` id.
pub const ID_COL: u16 = 0;
/// Column of the answer, the only one the vendor edits.
pub const ANSWER_COL: u16 = 3;

/// Labels of the respondent's cells on the instructions sheet (column A;
/// the value is in column B).
pub const RESPONDENT_LABEL: &str = "Respondent name";
pub const EMAIL_LABEL: &str = "Respondent email";
pub const COMPLETED_LABEL: &str = "Date completed";

/// Labels of the hidden sheet's rows (column A; the value in column B).
pub const META_VENDOR: &str = "vendor";
pub const META_FINGERPRINT: &str = "questionnaire";
pub const META_FORMAT: &str = "format";
/// The layout version written into the hidden sheet.
pub const FORMAT: &str = "vetted-questionnaire/1";

/// The words a yes/no answer is written with (and read from, with
/// true/false and the spreadsheet's own booleans).
pub const YES: &str = "yes";
pub const NO: &str = "no";

/// What the answers of a questionnaire may be: every section, question,
/// type and option, hashed. Prompts and guidance are not in it (rewording
/// a question does not make a returned workbook unusable); a question added,
/// removed or retyped, or an option changed, does.
pub fn fingerprint(q: &Questionnaire) -> String {
    let mut h = Sha256::new();
    for s in &q.sections {
        for question in &s.questions {
            h.update(s.id.as_bytes());
            h.update([0]);
            h.update(question.id.as_bytes());
            h.update([0]);
            h.update(question.kind.to_string().as_bytes());
            for o in &question.options {
                h.update([1]);
                h.update(o.as_bytes());
            }
            h.update([2]);
        }
    }
    let digest = h.finalize();
    digest
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect::<String>()
}

/// How an answer is written in its cell (dates and integers are written as
/// real dates and numbers instead; this is their text form): yes/no, one
/// item of a multi or list per line.
pub fn answer_text(v: &AnswerValue) -> String {
    match v {
        AnswerValue::Bool(true) => YES.to_string(),
        AnswerValue::Bool(false) => NO.to_string(),
        AnswerValue::Integer(i) => i.to_string(),
        AnswerValue::Date(d) => d.to_string(),
        AnswerValue::Text(s) => s.clone(),
        AnswerValue::List(items) => items.join("\n"),
    }
}

/// The "type" column: the question type, with its unit for integers and
/// how to write several values for multi and list.
pub fn type_text(q: &Question) -> String {
    match (q.kind, &q.unit) {
        (QuestionType::Integer, Some(unit)) => format!("integer ({unit})"),
        (QuestionType::Multi, _) => "multi (one option per line)".to_string(),
        (QuestionType::List, _) => "list (one item per line)".to_string(),
        (QuestionType::Bool, _) => "yes/no".to_string(),
        (QuestionType::Date, _) => "date".to_string(),
        (kind, _) => kind.to_string(),
    }
}

/// A cell reference like `D7` from 0-based row and column.
pub fn cell_name(row: u32, col: u16) -> String {
    let mut letters = Vec::new();
    let mut c = u32::from(col) + 1;
    while c > 0 {
        let rem = (c - 1) % 26;
        letters.push(b'A' + rem as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

/// Every bad cell, one per line as `FILE: Sheet!D7: message`, with its
/// help under it (the format `check` prints diagnostics in). A message
/// quotes the vendor's cell text: its control and invisible characters are
/// shown escaped (`console::visible`), so a cell cannot recolour or rewrite
/// the terminal it is printed to.
pub fn problems_text(file: &str, problems: &[CellProblem]) -> String {
    use crate::console::visible;
    let mut out = String::new();
    let file = visible(file, false);
    for p in problems {
        out.push_str(&format!(
            "{file}: {}!{}: error: {}\n",
            visible(&p.sheet, false),
            p.cell,
            visible(&p.message, false)
        ));
        if let Some(help) = &p.help {
            out.push_str(&format!("  = help: {}\n", visible(help, false)));
        }
    }
    out
}

/// What an import changes, one answer per line (`old → new`), the values
/// as answers.toml writes them.
pub fn changes_text(answers_file: &str, changes: &[edit::AnswerChange], written: bool) -> String {
    let verb = if written { "changed" } else { "would change" };
    let mut out = match changes.len() {
        0 => format!("{answers_file}: no answer changes\n"),
        n => format!("{answers_file}: {n} answer(s) {verb}\n"),
    };
    for c in changes {
        let old = c
            .old
            .as_ref()
            .map_or_else(|| "(unanswered)".to_string(), inline);
        out.push_str(&format!(
            "  {}.{}: {old} → {}\n",
            c.section,
            c.question,
            inline(&c.new)
        ));
    }
    out
}

/// A value as TOML writes it inline, on one line, its invisible
/// characters (which TOML leaves raw in a string) shown escaped.
fn inline(v: &toml::Value) -> String {
    crate::console::visible(&v.to_string().replace('\n', "\\n"), false).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names_are_spreadsheet_references() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(6, 3), "D7");
        assert_eq!(cell_name(9, 25), "Z10");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(1_048_575, 16_383), "XFD1048576");
    }

    /// Found by the questionnaire_import fuzz target: a bad cell's text was
    /// printed raw, escape sequences and bidirectional overrides included.
    #[test]
    fn bad_cells_and_changes_print_the_vendors_text_escaped() {
        let problems = [CellProblem {
            sheet: "Questionnaire".into(),
            cell: "D3".into(),
            message: "`\u{1b}[31mmaybe\u{202e}` is not yes or no".into(),
            help: Some("pick yes or no from the drop-down".into()),
        }];
        let text = problems_text("q.xlsx", &problems);
        assert_eq!(
            text,
            "q.xlsx: Questionnaire!D3: error: `\\u{1b}[31mmaybe\\u{202e}` is not yes or no\n  = help: pick yes or no from the drop-down\n"
        );
        let change = edit::AnswerChange {
            section: "s".into(),
            question: "q".into(),
            old: None,
            new: toml::Value::String("x\u{202e}\u{1b}y\nz".into()),
        };
        let text = changes_text("answers.toml", &[change], true);
        assert!(
            !text
                .chars()
                .any(|c| c != '\n' && crate::console::unusual(c)),
            "{text:?}"
        );
        assert!(text.contains("\\u{202e}"), "{text}");
    }
}
