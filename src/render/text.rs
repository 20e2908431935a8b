//! Words and dates as the site shows them: relative days, month names,
//! question types, answers and red-flag conditions. Pure functions of their
//! input, shared by every page (and by the charts), so no page owns them.

use super::markdown::safe_url;
use super::view::AnswerView;
use crate::model::{AnswerValue, Date, Question, QuestionType};

pub(crate) fn when(days: i64) -> String {
    match days {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        -1 => "yesterday".to_string(),
        d if d > 1 => format!("in {d} days"),
        d => format!("{} days ago", -d),
    }
}

/// `2026-11`: a month's key and anchor suffix; sorts like the dates.
pub(crate) fn month_key(d: Date) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `November`.
pub(crate) fn month_name(d: Date) -> &'static str {
    MONTHS[(d.month() as usize).clamp(1, 12) - 1]
}

/// `November 2026`.
pub(crate) fn month_label(d: Date) -> String {
    format!("{} {}", month_name(d), d.year())
}

/// The question type as the questionnaire file spells it.
pub(crate) fn kind_name(k: QuestionType) -> &'static str {
    match k {
        QuestionType::Bool => "bool",
        QuestionType::Choice => "choice",
        QuestionType::Multi => "multi",
        QuestionType::Integer => "integer",
        QuestionType::Date => "date",
        QuestionType::Text => "text",
        QuestionType::Url => "url",
        QuestionType::List => "list",
    }
}

/// An answer formatted by its question's type (and unit), options by their
/// labels (`labels` in questionnaire.toml).
pub(crate) fn format_answer(q: &Question, value: &AnswerValue) -> AnswerView {
    use AnswerValue as A;
    let plain = |text: String| AnswerView {
        text,
        items: Vec::new(),
        url: None,
        long: false,
    };
    match value {
        A::Bool(b) => plain(if *b { "Yes" } else { "No" }.to_string()),
        A::Integer(i) => plain(match &q.unit {
            Some(u) => format!("{i} {u}"),
            None => i.to_string(),
        }),
        A::Date(d) => plain(d.to_string()),
        A::Text(s) if q.kind == QuestionType::Url => AnswerView {
            url: safe_url(s),
            ..plain(s.clone())
        },
        A::Text(s) if q.kind == QuestionType::Choice => plain(q.option_label(s).to_string()),
        A::Text(s) => AnswerView {
            long: q.kind == QuestionType::Text,
            ..plain(s.clone())
        },
        A::List(items) => {
            // Multi answers are options: shown by their labels; list answers as written.
            let items: Vec<String> = items
                .iter()
                .map(|i| q.option_label(i).to_string())
                .collect();
            AnswerView {
                text: items.join(", "),
                items,
                url: None,
                long: false,
            }
        }
    }
}

/// `expired` → `Expired`.
pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_days_read_naturally() {
        assert_eq!(when(0), "today");
        assert_eq!(when(1), "tomorrow");
        assert_eq!(when(-1), "yesterday");
        assert_eq!(when(12), "in 12 days");
        assert_eq!(when(-3), "3 days ago");
    }

    #[test]
    fn months_have_keys_and_names() {
        let d: Date = "2026-01-05".parse().unwrap();
        assert_eq!(month_key(d), "2026-01");
        assert_eq!(month_name(d), "January");
        assert_eq!(month_label(d), "January 2026");
    }

    #[test]
    fn capitalise_handles_empty_and_words() {
        assert_eq!(capitalise(""), "");
        assert_eq!(capitalise("not accepted"), "Not accepted");
    }
}
