//! Answers part: red flags raised by the questionnaire's rules, and required
//! questions of the tier's sections left unanswered. What each condition
//! means is `model::Condition::raises`.

use serde::Serialize;

use super::context::{Context, Part, Problem};
use crate::diag::{Code, Severity};
use crate::model::*;

#[derive(Debug, Clone, Serialize)]
pub struct QuestionRef {
    pub section: String,
    pub question: String,
    /// The exception in force that accepts the gap, if any.
    pub accepted_by: Option<String>,
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
    // An answer left out for data errors is neither unanswered nor judged.
    if v.answer_left_out(&section.id, &q.id) {
        return;
    }
    let answer = v.answers.get(&section.id).and_then(|s| s.get(&q.id));
    let loc = answer.map_or_else(|| v.locs.answers_file.clone(), |a| a.loc.clone());
    let unanswered = in_scope && answer.is_none() && q.required_for.contains(&ctx.tier);
    // What a `missing` rule says of an unanswered question the tier requires
    // joins E1102 instead of being a second diagnostic at the same place.
    let mut missing_says = Vec::new();
    for rule in &q.red_flags {
        if !rule
            .condition
            .raises(answer.map(|a| &a.value), ctx.today, in_scope)
        {
            continue;
        }
        if unanswered && rule.condition == Condition::Missing {
            missing_says.push(rule.message.as_str());
            continue;
        }
        let severity = rule.severity_for(ctx.tier);
        let problem = ctx.acceptances.settle(
            Problem::new(
                Code::RedFlag,
                loc.clone(),
                rule.message.clone(),
                format!("{}.{}: {}", section.id, q.id, first_sentence(&q.guidance)),
            )
            .severity(severity)
            .target(Accepts::RedFlag {
                section: section.id.clone(),
                question: q.id.clone(),
            })
            .subject(format!("{}.{}", section.id, q.id)),
        );
        part.result.red_flags.push(RaisedFlag {
            section: section.id.clone(),
            question: q.id.clone(),
            severity,
            message: rule.message.clone(),
            accepted_by: problem.accepted_by.clone(),
        });
        part.problems.push(problem);
    }
    if unanswered {
        let why = if missing_says.is_empty() {
            String::new()
        } else {
            format!(" ({})", missing_says.join(" "))
        };
        let problem = ctx.acceptances.settle(
            Problem::new(
                Code::Unanswered,
                v.locs.answers_file.clone(),
                format!(
                    "tier {} requires an answer to {}.{}{why}",
                    ctx.tier, section.id, q.id
                ),
                format!("add `{} = ...` under [{}]: {}", q.id, section.id, q.prompt),
            )
            .target(Accepts::Question {
                section: section.id.clone(),
                question: q.id.clone(),
            })
            .subject(format!("{}.{}", section.id, q.id)),
        );
        part.result.unanswered.push(QuestionRef {
            section: section.id.clone(),
            question: q.id.clone(),
            accepted_by: problem.accepted_by.clone(),
        });
        part.problems.push(problem);
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
            [("shares_audit_reports", Severity::Warning, Some("EX-9"))],
            "the `missing` rule of a required, unanswered question joins E1102"
        );
        let problems: Vec<(Code, &str, Option<&str>)> = part
            .problems
            .iter()
            .map(|p| (p.code, p.text.as_str(), p.accepted_by.as_deref()))
            .collect();
        assert_eq!(
            problems,
            [
                (
                    Code::Unanswered,
                    "tier 1 requires an answer to standards.frameworks (No framework named.)",
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
            part.problems[1].help,
            "standards.shares_audit_reports: Shares the full report under NDA."
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
