//! Answers part: red flags raised by the questionnaire's rules, and required
//! questions of the tier's sections left unanswered. What each condition
//! means is `raises`: a new condition type is one arm there plus its test.

use serde::Serialize;

use super::context::{Context, Part, Problem};
use super::dates::add_months;
use crate::diag::{Code, Severity};
use crate::model::*;

#[derive(Debug, Clone, Serialize)]
pub struct QuestionRef {
    pub section: String,
    pub question: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RaisedFlag {
    pub section: String,
    pub question: String,
    pub severity: Severity,
    pub message: String,
    pub accepted_by: Option<String>,
}

/// The answers' result: flags raised and questions left open.
pub(crate) struct Answers {
    pub red_flags: Vec<RaisedFlag>,
    pub unanswered: Vec<QuestionRef>,
}

/// Whether a rule raises a red flag for this answer. `Missing` only counts for
/// sections the vendor's tier requires; every other condition needs an
/// answer of its type. The match is over every condition, with no catch-all,
/// so a new condition type does not compile until it is given a meaning here.
pub fn raises(c: &Condition, answer: Option<&AnswerValue>, today: Date, in_scope: bool) -> bool {
    use AnswerValue as A;
    match c {
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
        Condition::NotContains(x) => matches!(answer, Some(A::List(items)) if !items.contains(x)),
    }
}

/// Red flags and unanswered questions of a live vendor, in questionnaire order.
pub(crate) fn answers(ctx: &Context<'_>) -> Part<Answers> {
    let mut part = Part {
        result: Answers {
            red_flags: Vec::new(),
            unanswered: Vec::new(),
        },
        problems: Vec::new(),
    };
    if !ctx.live() {
        return part;
    }
    let tier_sections: &[String] = ctx.tier_def.map_or(&[], |t| &t.sections);
    for section in &ctx.registry.questionnaire.sections {
        let in_scope = tier_sections.contains(&section.id);
        for q in &section.questions {
            question(ctx, section, q, in_scope, &mut part);
        }
    }
    part
}

fn question(
    ctx: &Context<'_>,
    section: &Section,
    q: &Question,
    in_scope: bool,
    part: &mut Part<Answers>,
) {
    let v = ctx.vendor;
    let answer = v.answers.get(&section.id).and_then(|s| s.get(&q.id));
    let loc = answer.map_or_else(|| v.locs.answers_file.clone(), |a| a.loc.clone());
    for rule in &q.red_flags {
        if !raises(
            &rule.condition,
            answer.map(|a| &a.value),
            ctx.today,
            in_scope,
        ) {
            continue;
        }
        let accepted_by = ctx.acceptances.by(&Accepts::RedFlag {
            section: section.id.clone(),
            question: q.id.clone(),
        });
        part.problems.push(
            Problem::new(
                Code::RedFlag,
                loc.clone(),
                rule.message.clone(),
                format!("{}.{}: {}", section.id, q.id, first_sentence(&q.guidance)),
            )
            .severity(rule.severity)
            .accepted_by(accepted_by.clone()),
        );
        part.result.red_flags.push(RaisedFlag {
            section: section.id.clone(),
            question: q.id.clone(),
            severity: rule.severity,
            message: rule.message.clone(),
            accepted_by,
        });
    }
    if in_scope && answer.is_none() && q.required_for.contains(&ctx.tier) {
        let accepted_by = ctx.acceptances.by(&Accepts::Question {
            section: section.id.clone(),
            question: q.id.clone(),
        });
        part.problems.push(
            Problem::new(
                Code::Unanswered,
                v.locs.answers_file.clone(),
                format!(
                    "tier {} requires an answer to {}.{}",
                    ctx.tier, section.id, q.id
                ),
                format!("add `{} = ...` under [{}]: {}", q.id, section.id, q.prompt),
            )
            .accepted_by(accepted_by),
        );
        part.result.unanswered.push(QuestionRef {
            section: section.id.clone(),
            question: q.id.clone(),
        });
    }
}

/// The guidance's first sentence, as the help line of a red flag.
fn first_sentence(s: &str) -> &str {
    let s = s.trim();
    match s.find(". ") {
        Some(i) => &s[..=i],
        None => s,
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
        assert!(raises(
            &Condition::Equals(Scalar::Bool(false)),
            Some(&b),
            today,
            true
        ));
        assert!(!raises(
            &Condition::Equals(Scalar::Bool(true)),
            Some(&b),
            today,
            true
        ));
        assert!(raises(&Condition::Missing, None, today, true));
        assert!(
            !raises(&Condition::Missing, None, today, false),
            "missing only counts in the tier's sections"
        );
        let h = AnswerValue::Integer(72);
        assert!(!raises(&Condition::GreaterThan(72), Some(&h), today, true));
        assert!(raises(&Condition::GreaterThan(71), Some(&h), today, true));
        assert!(!raises(&Condition::LessThan(72), Some(&h), today, true));
        assert!(raises(&Condition::LessThan(73), Some(&h), today, true));
        // older_than_months: the day 12 months after is not older; the day after is.
        assert!(!raises(
            &Condition::OlderThanMonths(12),
            Some(&AnswerValue::Date(d("2025-11-22"))),
            today,
            true
        ));
        assert!(raises(
            &Condition::OlderThanMonths(12),
            Some(&AnswerValue::Date(d("2025-11-21"))),
            today,
            true
        ));
        let l = AnswerValue::List(vec!["nvd".into(), "cisa-kev".into()]);
        assert!(raises(
            &Condition::Contains("nvd".into()),
            Some(&l),
            today,
            true
        ));
        assert!(raises(
            &Condition::NotContains("vendor-feeds".into()),
            Some(&l),
            today,
            true
        ));
        assert!(!raises(
            &Condition::NotContains("nvd".into()),
            Some(&l),
            today,
            true
        ));
        assert!(
            !raises(&Condition::NotContains("nvd".into()), None, today, true),
            "unanswered is `missing`, not not_contains"
        );
    }

    #[test]
    fn a_condition_of_another_type_never_raises() {
        let today = d("2026-11-22");
        let text = AnswerValue::Text("72".into());
        assert!(!raises(
            &Condition::GreaterThan(1),
            Some(&text),
            today,
            true
        ));
        assert!(!raises(
            &Condition::Equals(Scalar::Int(72)),
            Some(&text),
            today,
            true
        ));
    }

    #[test]
    fn help_lines_take_the_first_sentence_of_the_guidance() {
        assert_eq!(first_sentence("  One. Two. "), "One.");
        assert_eq!(first_sentence("No full stop"), "No full stop");
        assert_eq!(first_sentence("v1.2 is fine"), "v1.2 is fine");
    }
}

#[cfg(test)]
mod part_tests {
    use super::*;
    use crate::assess::testing::{TODAY, context, exception, registry, vendor};

    #[test]
    fn flags_carry_their_rule_and_acceptance_and_required_questions_are_listed() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        assert!(answers(&context(&reg, &v, TODAY)).problems.is_empty());
        let standards = v.answers.get_mut("standards").unwrap();
        standards.remove("frameworks");
        standards.get_mut("shares_audit_reports").unwrap().value = AnswerValue::Bool(false);
        v.exceptions = vec![exception(
            "EX-9",
            Accepts::RedFlag {
                section: "standards".into(),
                question: "shares_audit_reports".into(),
            },
            "2027-06-01",
        )];
        let part = answers(&context(&reg, &v, TODAY));
        let flags: Vec<(&str, Severity, Option<&str>)> = part
            .result
            .red_flags
            .iter()
            .map(|f| (f.question.as_str(), f.severity, f.accepted_by.as_deref()))
            .collect();
        assert_eq!(
            flags,
            [
                ("frameworks", Severity::Error, None),
                ("shares_audit_reports", Severity::Warning, Some("EX-9"))
            ]
        );
        let problems: Vec<(Code, &str, Option<&str>)> = part
            .problems
            .iter()
            .map(|p| (p.code, p.text.as_str(), p.accepted_by.as_deref()))
            .collect();
        assert_eq!(
            problems,
            [
                (Code::RedFlag, "No framework named.", None),
                (
                    Code::Unanswered,
                    "tier 1 requires an answer to standards.frameworks",
                    None
                ),
                (
                    Code::RedFlag,
                    "Refuses to share audit reports.",
                    Some("EX-9")
                ),
            ]
        );
        assert_eq!(
            part.problems[0].help,
            "standards.frameworks: Names frameworks with current third-party reports."
        );
        assert_eq!(part.result.unanswered.len(), 1);
    }

    #[test]
    fn offboarded_vendors_are_not_assessed_on_answers() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        v.status = VendorStatus::Offboarded;
        v.answers.clear();
        let part = answers(&context(&reg, &v, TODAY));
        assert!(part.problems.is_empty() && part.result.unanswered.is_empty());
    }
}
