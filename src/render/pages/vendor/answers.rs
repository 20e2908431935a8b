//! The vendor page's answers: every questionnaire section with this vendor's
//! answers and the red flags they raised, and the required questions left
//! unanswered. Guidance and the red-flag rules are not repeated here: each
//! question and flag links to its entry on the questionnaire page.

use crate::assess::RaisedFlag;
use crate::model::{Answer, Question, Section};
use crate::render::assessed::Assessed;
use crate::render::badge::severity_badge;
use crate::render::link::{
    accepted, accepts_href, anchor, question_anchor, questionnaire_href, rule_anchor,
};
use crate::render::model::Model;
use crate::render::text::{format_answer, kind_name};
use crate::render::timeline::section_changed;
use crate::render::view::{AnswerRow, AnswerSection, FlagView, UnansweredView};

/// Answers by section, in questionnaire order; each raised flag numbered
/// (`FlagView::entry`) in that order, as the Red flags list shows them.
pub fn sections(model: &Model, p: &Assessed) -> Vec<AnswerSection> {
    let mut sections = unnumbered(model, p);
    let flags = sections
        .iter_mut()
        .flat_map(|s| s.questions.iter_mut())
        .flat_map(|q| q.flags.iter_mut());
    for (n, f) in flags.enumerate() {
        f.entry = format!("flag-{}", n + 1);
    }
    sections
}

fn unnumbered(model: &Model, p: &Assessed) -> Vec<AnswerSection> {
    let tier_sections: &[String] = model
        .registry
        .tiers
        .tier(p.assessment.tier)
        .map_or(&[], |t| &t.sections);
    model
        .registry
        .questionnaire
        .sections
        .iter()
        .map(|s| {
            let in_scope = tier_sections.contains(&s.id);
            let questions: Vec<AnswerRow> =
                s.questions.iter().map(|q| row(p, s, q, in_scope)).collect();
            let answered = questions.iter().filter(|q| q.answer.is_some()).count();
            let section_anchor = anchor("section", &s.id);
            AnswerSection {
                id: s.id.clone(),
                href: questionnaire_href(&section_anchor),
                anchor: section_anchor,
                title: s.title.clone(),
                summary: s.summary.clone(),
                in_scope,
                answered,
                total: questions.len(),
                optional_unanswered: questions
                    .iter()
                    .filter(|q| q.answer.is_none() && !q.required && q.flags.is_empty())
                    .count(),
                questions,
                last_changed: (answered > 0)
                    .then(|| section_changed(model, &p.vendor.slug, &s.id))
                    .flatten(),
            }
        })
        .collect()
}

/// One question with this vendor's answer and its red flags.
fn row(p: &Assessed, s: &Section, q: &Question, in_scope: bool) -> AnswerRow {
    let (v, a) = (p.vendor, p.assessment);
    let answer: Option<&Answer> = v.answers.get(&s.id).and_then(|m| m.get(&q.id));
    let flags: Vec<FlagView> = a
        .red_flags
        .iter()
        .filter(|f| f.section == s.id && f.question == q.id)
        .map(|f| flag(p, q, f))
        .collect();
    let q_anchor = question_anchor(&s.id, &q.id);
    let required = in_scope && q.required_for.contains(&a.tier);
    let fragment = format!("#{q_anchor}");
    let target = !flags.is_empty()
        || (answer.is_none() && required)
        || a.unanswered
            .iter()
            .any(|u| u.section == s.id && u.question == q.id)
        || v.exceptions
            .iter()
            .any(|e| accepts_href(v, &e.accepts).ends_with(&fragment));
    AnswerRow {
        id: q.id.clone(),
        href: questionnaire_href(&q_anchor),
        anchor: q_anchor,
        prompt: q.prompt.clone(),
        title: q.title.clone(),
        kind: kind_name(q.kind).to_string(),
        answer: answer.map(|x| format_answer(q, &x.value)),
        required,
        flags,
        target,
    }
}

/// A raised red flag, linked to the rule that raised it on the questionnaire
/// page: the question's rule with the flag's message (the question's entry
/// when none matches, as after a policy edit).
fn flag(p: &Assessed, q: &Question, f: &RaisedFlag) -> FlagView {
    let q_anchor = question_anchor(&f.section, &f.question);
    let rule_href = q
        .red_flags
        .iter()
        .position(|r| r.message == f.message)
        .map_or_else(
            || questionnaire_href(&q_anchor),
            |i| questionnaire_href(&rule_anchor(&f.section, &f.question, i + 1)),
        );
    FlagView {
        severity: severity_badge(f.severity),
        message: f.message.clone(),
        accepted_by: accepted(p.vendor, f.accepted_by.as_ref()),
        rule_href,
        question: q.title.clone(),
        anchor: q_anchor,
        entry: String::new(),
    }
}

/// Every red flag the answers raised, in questionnaire order.
pub fn red_flags(sections: &[AnswerSection]) -> Vec<FlagView> {
    sections
        .iter()
        .flat_map(|s| &s.questions)
        .flat_map(|q| q.flags.iter().cloned())
        .collect()
}

/// Questions the tier requires that have no answer, with the exception
/// (still in force) that accepts the gap, if any, as the assessment found it.
pub fn unanswered(model: &Model, p: &Assessed) -> Vec<UnansweredView> {
    let v = p.vendor;
    p.assessment
        .unanswered
        .iter()
        .map(|u| {
            let by = u.accepted_by.as_ref();
            UnansweredView {
                section_title: model.section_title(&u.section),
                title: model.question_title(&u.section, &u.question),
                anchor: question_anchor(&u.section, &u.question),
                accepted_by: accepted(v, by),
            }
        })
        .collect()
}
