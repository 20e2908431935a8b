//! What a question's answer is: its declared type (`type =` in
//! questionnaire.toml) and a typed answer value. Below `domain` and
//! `condition`, which both use them.

use serde::Serialize;

use super::closed::closed_set;
use super::dates::Date;

closed_set! {
    /// What a question's answer is (`type =` in questionnaire.toml).
    pub enum QuestionType: "the type of a question's answer" {
        Bool = "bool",
        Choice = "choice",
        Multi = "multi",
        Integer = "integer",
        Date = "date",
        Text = "text",
        Url = "url",
        List = "list",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum AnswerValue {
    Bool(bool),
    Integer(i64),
    Date(Date),
    /// choice, text and url answers.
    Text(String),
    /// multi and list answers.
    List(Vec<String>),
}

impl std::fmt::Display for AnswerValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnswerValue::Bool(b) => write!(f, "{}", if *b { "yes" } else { "no" }),
            AnswerValue::Integer(i) => write!(f, "{i}"),
            AnswerValue::Date(d) => write!(f, "{d}"),
            AnswerValue::Text(s) => f.write_str(s),
            AnswerValue::List(items) => f.write_str(&items.join(", ")),
        }
    }
}
