//! Red-flag conditions: what a `[[section.question.red_flag]]` rule tests,
//! declared once. A condition type is one `RedFlagWhen` value (its spelling in
//! questionnaire.toml), one `Condition` variant, and one arm in each of
//! `Condition::parse` (which questions it applies to, what `value` it takes),
//! `Condition::raises` (its meaning) and `Condition::describe` (its wording on
//! the site). Every match is exhaustive, so the compiler asks for all three;
//! the tests below hold each condition's boundaries.

use serde::Serialize;

use super::answer::{AnswerValue, QuestionType};
use super::closed::closed_set;
use super::dates::Date;
use super::dates::add_months;

closed_set! {
    /// The condition a red-flag rule tests (`when =` of a `[[...red_flag]]`).
    pub enum RedFlagWhen: "the condition a red-flag rule tests" {
        Equals = "equals",
        Missing = "missing",
        LessThan = "less_than",
        GreaterThan = "greater_than",
        OlderThanMonths = "older_than_months",
        Contains = "contains",
        NotContains = "not_contains",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "when", content = "value", rename_all = "snake_case")]
pub enum Condition {
    Equals(Scalar),
    Missing,
    LessThan(i64),
    GreaterThan(i64),
    OlderThanMonths(i64),
    Contains(String),
    NotContains(String),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Scalar {
    Bool(bool),
    Int(i64),
    Str(String),
}

impl std::fmt::Display for Scalar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scalar::Bool(b) => write!(f, "{}", if *b { "yes" } else { "no" }),
            Scalar::Int(i) => write!(f, "{i}"),
            Scalar::Str(s) => f.write_str(s),
        }
    }
}

impl Condition {
    /// The typed condition of `when` with `value` on a question of type `kind`
    /// with `options`, or why the two do not fit the question.
    pub fn parse(
        when: RedFlagWhen,
        value: Option<&toml::Value>,
        kind: QuestionType,
        options: &[String],
    ) -> Result<Condition, String> {
        use RedFlagWhen as W;
        let int = value.and_then(|v| v.as_integer());
        let string = value.and_then(|v| v.as_str()).map(str::to_string);
        Ok(match when {
            W::Missing => Condition::Missing,
            W::Equals => Condition::Equals(equals_value(value, kind, options)?),
            W::LessThan | W::GreaterThan if kind == QuestionType::Integer => match int {
                Some(i) if when == W::LessThan => Condition::LessThan(i),
                Some(i) => Condition::GreaterThan(i),
                None => return Err(format!("`{when}` needs an integer value")),
            },
            W::OlderThanMonths if kind == QuestionType::Date => match int {
                Some(i) if i >= 0 => Condition::OlderThanMonths(i),
                _ => return Err("`older_than_months` needs a number of months".into()),
            },
            W::Contains | W::NotContains
                if matches!(kind, QuestionType::Multi | QuestionType::List) =>
            {
                match string {
                    Some(s) if kind == QuestionType::List || options.contains(&s) => {
                        if when == W::Contains {
                            Condition::Contains(s)
                        } else {
                            Condition::NotContains(s)
                        }
                    }
                    Some(s) => return Err(format!("`{s}` is not an option of this question")),
                    None => return Err(format!("`{when}` needs a string value")),
                }
            }
            W::LessThan | W::GreaterThan | W::OlderThanMonths | W::Contains | W::NotContains => {
                return Err(format!("`{when}` does not apply to a {kind:?} question"));
            }
        })
    }

    /// Whether the rule raises a red flag for this answer. `Missing` only
    /// counts for sections the vendor's tier requires (`in_scope`); every
    /// other condition needs an answer of its type.
    pub fn raises(&self, answer: Option<&AnswerValue>, today: Date, in_scope: bool) -> bool {
        use AnswerValue as A;
        match self {
            Condition::Missing => answer.is_none() && in_scope,
            Condition::Equals(s) => match (s, answer) {
                (Scalar::Bool(x), Some(A::Bool(y))) => x == y,
                (Scalar::Int(x), Some(A::Integer(y))) => x == y,
                (Scalar::Str(x), Some(A::Text(y))) => x == y,
                _ => false,
            },
            Condition::LessThan(n) => matches!(answer, Some(A::Integer(i)) if i < n),
            Condition::GreaterThan(n) => matches!(answer, Some(A::Integer(i)) if i > n),
            Condition::OlderThanMonths(m) => {
                matches!(answer, Some(A::Date(d)) if add_months(*d, *m) < today)
            }
            Condition::Contains(x) => matches!(answer, Some(A::List(items)) if items.contains(x)),
            Condition::NotContains(x) => {
                matches!(answer, Some(A::List(items)) if !items.contains(x))
            }
        }
    }

    /// The condition in words for the site, with the question's unit
    /// ("hours") after numbers.
    pub fn describe(&self, unit: Option<&str>) -> String {
        let unit = unit.map_or(String::new(), |u| format!(" {u}"));
        match self {
            Condition::Equals(Scalar::Bool(b)) => {
                format!("when the answer is {}", if *b { "yes" } else { "no" })
            }
            Condition::Equals(Scalar::Int(i)) => format!("when the answer is {i}{unit}"),
            Condition::Equals(Scalar::Str(s)) => format!("when the answer is “{s}”"),
            Condition::Missing => "when the question is not answered".to_string(),
            Condition::LessThan(n) => format!("when the answer is less than {n}{unit}"),
            Condition::GreaterThan(n) => format!("when the answer is more than {n}{unit}"),
            Condition::OlderThanMonths(m) => format!("when the date is more than {m} months ago"),
            Condition::Contains(x) => format!("when the answer includes “{x}”"),
            Condition::NotContains(x) => format!("when the answer does not include “{x}”"),
        }
    }
}

/// The value an `equals` rule compares with: of the question's type, and an
/// option of a choice question.
fn equals_value(
    value: Option<&toml::Value>,
    kind: QuestionType,
    options: &[String],
) -> Result<Scalar, String> {
    match (value, kind) {
        (Some(toml::Value::Boolean(b)), QuestionType::Bool) => Ok(Scalar::Bool(*b)),
        (Some(toml::Value::Integer(i)), QuestionType::Integer) => Ok(Scalar::Int(*i)),
        (
            Some(toml::Value::String(s)),
            QuestionType::Choice | QuestionType::Text | QuestionType::Url,
        ) => {
            if kind == QuestionType::Choice && !options.contains(s) {
                return Err(format!("`{s}` is not an option of this question"));
            }
            Ok(Scalar::Str(s.clone()))
        }
        _ => Err(format!(
            "`equals` needs a value of the question's type ({kind:?})"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn red_flag_rules() {
        let today = d("2026-11-22");
        let b = AnswerValue::Bool(false);
        assert!(Condition::Equals(Scalar::Bool(false)).raises(Some(&b), today, true));
        assert!(!Condition::Equals(Scalar::Bool(true)).raises(Some(&b), today, true));
        assert!(Condition::Missing.raises(None, today, true));
        assert!(
            !Condition::Missing.raises(None, today, false),
            "missing only counts in the tier's sections"
        );
        let h = AnswerValue::Integer(72);
        assert!(!Condition::GreaterThan(72).raises(Some(&h), today, true));
        assert!(Condition::GreaterThan(71).raises(Some(&h), today, true));
        assert!(!Condition::LessThan(72).raises(Some(&h), today, true));
        assert!(Condition::LessThan(73).raises(Some(&h), today, true));
        // older_than_months: the day 12 months after is not older; the day after is.
        assert!(!Condition::OlderThanMonths(12).raises(
            Some(&AnswerValue::Date(d("2025-11-22"))),
            today,
            true
        ));
        assert!(Condition::OlderThanMonths(12).raises(
            Some(&AnswerValue::Date(d("2025-11-21"))),
            today,
            true
        ));
        // From a month's last day, 12 months later is that month's last day.
        assert!(!Condition::OlderThanMonths(12).raises(
            Some(&AnswerValue::Date(d("2025-02-28"))),
            d("2026-02-28"),
            true
        ));
        assert!(Condition::OlderThanMonths(12).raises(
            Some(&AnswerValue::Date(d("2025-02-28"))),
            d("2026-03-01"),
            true
        ));
        assert!(
            !Condition::OlderThanMonths(6).raises(
                Some(&AnswerValue::Date(d("2026-04-30"))),
                d("2026-10-31"),
                true
            ),
            "30 April + 6 months is 31 October"
        );
        let l = AnswerValue::List(vec!["nvd".into(), "cisa-kev".into()]);
        assert!(Condition::Contains("nvd".into()).raises(Some(&l), today, true));
        assert!(Condition::NotContains("vendor-feeds".into()).raises(Some(&l), today, true));
        assert!(!Condition::NotContains("nvd".into()).raises(Some(&l), today, true));
        assert!(
            !Condition::NotContains("nvd".into()).raises(None, today, true),
            "unanswered is `missing`, not not_contains"
        );
    }

    #[test]
    fn a_condition_of_another_type_never_raises() {
        let today = d("2026-11-22");
        let text = AnswerValue::Text("72".into());
        assert!(!Condition::GreaterThan(1).raises(Some(&text), today, true));
        assert!(!Condition::Equals(Scalar::Int(72)).raises(Some(&text), today, true));
    }
}
