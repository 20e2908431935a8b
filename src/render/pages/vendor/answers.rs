//! The vendor page's answers: every questionnaire section with this vendor's
//! answers and the red flags they raised, and the required questions left
//! unanswered.

use crate::model::{Answer, Question, Section};
use crate::render::assessed::Assessed;
use crate::render::badge::severity_badge;
use crate::render::link::{accepted, anchor, question_anchor};
use crate::render::markdown::to_safe_html;
use crate::render::model::Model;
use crate::render::text::{format_answer, kind_name};
use crate::render::timeline::since;
use crate::render::view::{AnswerRow, AnswerSection, FlagView, UnansweredView};

/// Answers by section, in questionnaire order.
pub fn sections(model: &Model, p: &Assessed) -> Vec<AnswerSection> {
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
            let questions: Vec<AnswerRow> = s
                .questions
                .iter()
                .map(|q| row(model, p, s, q, in_scope))
                .collect();
            AnswerSection {
                id: s.id.clone(),
                anchor: anchor("section", &s.id),
                title: s.title.clone(),
                summary: s.summary.clone(),
                in_scope,
                answered: questions.iter().filter(|q| q.answer.is_some()).count(),
                total: questions.len(),
                questions,
            }
        })
        .collect()
}

/// One question with this vendor's answer, its red flags and when it last changed.
fn row(model: &Model, p: &Assessed, s: &Section, q: &Question, in_scope: bool) -> AnswerRow {
    let (v, a) = (p.vendor, p.assessment);
    let answer: Option<&Answer> = v.answers.get(&s.id).and_then(|m| m.get(&q.id));
    let flags = a
        .red_flags
        .iter()
        .filter(|f| f.section == s.id && f.question == q.id)
        .map(|f| FlagView {
            severity: severity_badge(f.severity),
            message: f.message.clone(),
            accepted_by: accepted(v, f.accepted_by.as_ref()),
        })
        .collect();
    AnswerRow {
        id: q.id.clone(),
        anchor: question_anchor(&s.id, &q.id),
        prompt: q.prompt.clone(),
        kind: kind_name(q.kind).to_string(),
        answer: answer.map(|x| format_answer(q, &x.value)),
        required: in_scope && q.required_for.contains(&a.tier),
        guidance_html: to_safe_html(&q.guidance),
        flags,
        since: answer.and_then(|_| since(model, &v.slug, &format!("answers:{}.{}", s.id, q.id))),
    }
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
                prompt: model.prompt(&u.section, &u.question),
                anchor: question_anchor(&u.section, &u.question),
                accepted_by: accepted(v, by),
            }
        })
        .collect()
}
