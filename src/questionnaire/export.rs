//! The workbook sent to a vendor: written with rust_xlsxwriter, every text
//! from the registry as a string cell (never a formula, whatever it starts
//! with), and the same bytes for the same registry and `--today` (the
//! document's creation date is `--today`, the zip entries carry no clock).

use std::collections::BTreeMap;

use rust_xlsxwriter::{
    DataValidation, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign, Formula,
    ProtectionOptions, Workbook, Worksheet, XlsxError,
};

use super::*;
use crate::model::{Answer, Date, Question, QuestionType, Questionnaire};

/// Everything the workbook shows about one vendor.
pub struct ExportRequest<'a> {
    pub questionnaire: &'a Questionnaire,
    pub slug: &'a str,
    pub vendor_name: &'a str,
    pub organisation: &'a str,
    /// The vendor's tier level: which questions are required.
    pub tier: u8,
    /// The tier's sections: a question outside them is not asked of this tier.
    pub tier_sections: &'a [String],
    /// Pre-filled answers (empty with `--blank`).
    pub answers: Option<&'a BTreeMap<String, BTreeMap<String, Answer>>>,
    pub today: Date,
}

/// Column widths of the questions sheet, in characters.
const WIDTHS: [f64; 8] = [28.0, 22.0, 50.0, 40.0, 14.0, 30.0, 10.0, 60.0];

/// The formats of the workbook, made once.
struct Formats {
    header: Format,
    locked: Format,
    answer: Format,
    date: Format,
    title: Format,
}

impl Formats {
    fn new() -> Self {
        let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        Formats {
            header: Format::new().set_bold().set_align(FormatAlign::Top),
            locked: wrap.clone(),
            answer: wrap.clone().set_unlocked(),
            date: Format::new()
                .set_unlocked()
                .set_num_format("yyyy-mm-dd")
                .set_align(FormatAlign::Top),
            title: Format::new().set_bold().set_font_size(14),
        }
    }
}

/// The workbook's bytes.
pub fn export_workbook(req: &ExportRequest<'_>) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    let created = excel_date(req.today)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("Security questionnaire: {}", req.vendor_name))
            .set_company(req.organisation)
            .set_creation_datetime(&created),
    );
    let lists = long_lists(req.questionnaire);
    instructions(wb.add_worksheet(), req, &f)?;
    questions(wb.add_worksheet(), req, &f, &lists)?;
    let meta = wb.add_worksheet();
    meta.set_name(META_SHEET)?;
    for (row, (label, value)) in [
        (META_VENDOR, req.slug.to_string()),
        (META_FINGERPRINT, fingerprint(req.questionnaire)),
        (META_FORMAT, FORMAT.to_string()),
    ]
    .into_iter()
    .enumerate()
    {
        meta.write_string(row as u32, 0, label)?;
        meta.write_string(row as u32, 1, value)?;
    }
    meta.set_hidden(true).protect();
    if !lists.is_empty() {
        let sheet = wb.add_worksheet();
        sheet.set_name(LISTS_SHEET)?;
        for (col, (_, options)) in lists.iter().enumerate() {
            for (row, o) in options.iter().enumerate() {
                sheet.write_string(row as u32, col as u16, o.as_str())?;
            }
        }
        sheet.set_hidden(true).protect();
    }
    wb.save_to_buffer()
}

/// Choice questions whose options do not fit Excel's 255-character inline
/// list, by `section.question`, each given a column of the lists sheet.
fn long_lists(q: &Questionnaire) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for s in &q.sections {
        for question in &s.questions {
            let len: usize = question.options.iter().map(|o| o.len() + 1).sum();
            if question.kind == QuestionType::Choice && len > 255 {
                out.push((
                    format!("{}.{}", s.id, question.id),
                    question.options.clone(),
                ));
            }
        }
    }
    out
}

fn excel_date(d: Date) -> Result<ExcelDateTime, XlsxError> {
    let y = u16::try_from(d.year()).map_err(|_| XlsxError::DateTimeRangeError(d.to_string()))?;
    ExcelDateTime::from_ymd(y, d.month() as u8, d.day() as u8)
}

fn instructions(
    sheet: &mut Worksheet,
    req: &ExportRequest<'_>,
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(INSTRUCTIONS_SHEET)?;
    sheet.set_column_width(0, 24)?;
    sheet.set_column_width(1, 90)?;
    sheet.write_string_with_format(
        0,
        0,
        format!("Security questionnaire for {}", req.vendor_name),
        &f.title,
    )?;
    let lines = [
        format!("Sent by {} on {}.", req.organisation, req.today),
        format!(
            "Answer every question on the \"{QUESTIONS_SHEET}\" sheet in its \"answer\" column; \
             rows whose \"required\" column says yes must be answered."
        ),
        "Pick yes/no and single choices from the drop-down; for multi and list questions \
         write one value per line (Alt+Enter in Excel, Ctrl+Enter in LibreOffice); \
         dates as dates (YYYY-MM-DD); numbers as whole numbers."
            .to_string(),
        "Do not change the id, section or question columns, rename the sheets, or type \
         formulas: answers are read as values, and a formula is refused."
            .to_string(),
        "Fill in the three cells below, save the workbook as .xlsx and send it back to us."
            .to_string(),
    ];
    for (i, line) in lines.into_iter().enumerate() {
        sheet.write_string_with_format(2 + i as u32, 1, line, &f.locked)?;
    }
    let first = 8;
    for (i, label) in [RESPONDENT_LABEL, EMAIL_LABEL, COMPLETED_LABEL]
        .into_iter()
        .enumerate()
    {
        let row = first + i as u32;
        sheet.write_string_with_format(row, 0, label, &f.header)?;
        let fmt = if label == COMPLETED_LABEL {
            &f.date
        } else {
            &f.answer
        };
        sheet.write_blank(row, 1, fmt)?;
    }
    sheet.add_data_validation(first + 2, 1, first + 2, 1, &date_validation()?)?;
    sheet.protect_with_options(&protection());
    sheet.set_active(true);
    Ok(())
}

/// What a vendor may still do on a protected sheet: select, resize.
fn protection() -> ProtectionOptions {
    ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    }
}

fn date_validation() -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_date(DataValidationRule::Between(
            ExcelDateTime::from_ymd(1900, 1, 1)?,
            ExcelDateTime::from_ymd(9999, 12, 31)?,
        ))
        .set_error_message("Enter a date, YYYY-MM-DD.")
}

fn questions(
    sheet: &mut Worksheet,
    req: &ExportRequest<'_>,
    f: &Formats,
    lists: &[(String, Vec<String>)],
) -> Result<(), XlsxError> {
    sheet.set_name(QUESTIONS_SHEET)?;
    for (col, (name, width)) in COLUMNS.iter().zip(WIDTHS).enumerate() {
        sheet.write_string_with_format(0, col as u16, *name, &f.header)?;
        sheet.set_column_width(col as u16, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let mut row = 1u32;
    for s in &req.questionnaire.sections {
        let asked = req.tier_sections.iter().any(|t| t == &s.id);
        for q in &s.questions {
            let required = asked && q.required_for.contains(&req.tier);
            let id = format!("{}.{}", s.id, q.id);
            let texts = [
                id.clone(),
                s.title.clone(),
                plain_text(&q.prompt),
                String::new(),
                type_text(q),
                q.options.join("\n"),
                (if required { YES } else { NO }).to_string(),
                plain_text(&q.guidance),
            ];
            for (col, text) in texts.into_iter().enumerate() {
                if col as u16 != ANSWER_COL {
                    sheet.write_string_with_format(row, col as u16, text, &f.locked)?;
                }
            }
            let answer = req
                .answers
                .and_then(|a| a.get(&s.id))
                .and_then(|a| a.get(&q.id));
            answer_cell(sheet, row, q, answer, f)?;
            let list = lists.iter().position(|(k, _)| k == &id);
            if let Some(dv) = validation(q, list)? {
                sheet.add_data_validation(row, ANSWER_COL, row, ANSWER_COL, &dv)?;
            }
            row += 1;
        }
    }
    sheet.protect_with_options(&protection());
    Ok(())
}

/// The answer cell: a date cell, a number, or text, always unlocked.
fn answer_cell(
    sheet: &mut Worksheet,
    row: u32,
    q: &Question,
    answer: Option<&Answer>,
    f: &Formats,
) -> Result<(), XlsxError> {
    use crate::model::AnswerValue;
    match answer.map(|a| &a.value) {
        None if q.kind == QuestionType::Date => sheet.write_blank(row, ANSWER_COL, &f.date),
        None => sheet.write_blank(row, ANSWER_COL, &f.answer),
        Some(AnswerValue::Date(d)) => {
            sheet.write_datetime_with_format(row, ANSWER_COL, excel_date(*d)?, &f.date)
        }
        Some(AnswerValue::Integer(i)) => {
            sheet.write_number_with_format(row, ANSWER_COL, *i as f64, &f.answer)
        }
        Some(v) => sheet.write_string_with_format(row, ANSWER_COL, answer_text(v), &f.answer),
    }?;
    Ok(())
}

/// The answer cell's data validation: a drop-down for yes/no and choice
/// questions, dates for dates, whole numbers for integers, and an input
/// message with the options for multi questions.
fn validation(q: &Question, list: Option<usize>) -> Result<Option<DataValidation>, XlsxError> {
    let dv = match q.kind {
        QuestionType::Bool => DataValidation::new().allow_list_strings(&[YES, NO])?,
        QuestionType::Choice => match list {
            Some(col) => {
                let letter = cell_name(0, col as u16);
                let letter = letter.trim_end_matches('1');
                let last = q.options.len();
                DataValidation::new().allow_list_formula(Formula::new(format!(
                    "={LISTS_SHEET}!${letter}$1:${letter}${last}"
                )))
            }
            None => DataValidation::new().allow_list_strings(&q.options)?,
        },
        QuestionType::Date => date_validation()?,
        QuestionType::Integer => DataValidation::new()
            .allow_whole_number(DataValidationRule::Between(i32::MIN, i32::MAX))
            .set_error_message("Enter a whole number.")?,
        QuestionType::Multi => DataValidation::new()
            .set_input_title("One option per line")?
            .set_input_message(truncate(&q.options.join(", "), 250))?,
        QuestionType::Text | QuestionType::Url | QuestionType::List => return Ok(None),
    };
    Ok(Some(dv))
}

/// At most `max` characters of `s` (Excel's input messages are short).
fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max.saturating_sub(1)) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// A prompt or guidance (Markdown, as the site renders it) as the plain text
/// a spreadsheet cell shows: the words of emphasis and code spans without
/// their `**`, `*` and backticks, a link as its text; paragraphs and line
/// breaks kept. Parsed with the site's own Markdown parser.
fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) | Event::Html(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_)) => out.push('\n'),
            _ => {}
        }
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts_and_guidance_are_plain_text_in_the_workbook() {
        assert_eq!(
            plain_text(
                "Name each **certified** framework, *not* a `pentest` [link](https://x.example)."
            ),
            "Name each certified framework, not a pentest link."
        );
        assert_eq!(
            plain_text("First.\n\nSecond\nline."),
            "First.\nSecond line."
        );
        // Text that looks like a formula stays that text (written as a string cell).
        assert_eq!(plain_text("=HYPERLINK(\"x\")"), "=HYPERLINK(\"x\")");
    }
}
