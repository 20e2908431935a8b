//! `questionnaire/index.html`: the questionnaire, its strong-answer guidance
//! and its red-flag rules in words. Guidance is stated here once; vendor
//! pages link to it.

use crate::model::{Question, RedFlagRule, Section};
use crate::render::badge::severity_badge;
use crate::render::link::{anchor, question_anchor, rule_anchor};
use crate::render::markdown::to_safe_html;
use crate::render::model::Model;
use crate::render::page::{Page, Target};
use crate::render::text::kind_name;
use crate::render::view::{
    NavSection, OptionLabel, QuestionView, QuestionnairePage, QuestionnaireSection, RuleView,
    TierSeverity,
};

pub struct Questionnaire;

impl Page for Questionnaire {
    type Data = QuestionnairePage;
    const TEMPLATE: &'static str = "questionnaire.html";
    const SECTION: NavSection = NavSection::Questionnaire;
    const KEY: &'static str = "questionnaire";

    fn target<'m>(&self, _: &'m Model, _: usize) -> Target<'m> {
        Target::fixed("questionnaire/index.html", "Questionnaire")
    }

    fn data(&self, model: &Model, _: usize) -> QuestionnairePage {
        let sections: Vec<QuestionnaireSection> = model
            .registry
            .questionnaire
            .sections
            .iter()
            .map(|s| section(model, s))
            .collect();
        QuestionnairePage {
            question_count: sections.iter().map(|s| s.questions.len()).sum(),
            sections,
        }
    }
}

fn section(model: &Model, s: &Section) -> QuestionnaireSection {
    QuestionnaireSection {
        id: s.id.clone(),
        anchor: anchor("section", &s.id),
        title: s.title.clone(),
        summary: s.summary.clone(),
        tiers: model
            .registry
            .tiers
            .tiers
            .iter()
            .filter(|t| t.sections.contains(&s.id))
            .map(|t| model.tier(t.level))
            .collect(),
        questions: s.questions.iter().map(|q| question(model, s, q)).collect(),
    }
}

fn question(model: &Model, s: &Section, q: &Question) -> QuestionView {
    let mut required: Vec<u8> = q.required_for.clone();
    required.sort_unstable();
    required.dedup();
    QuestionView {
        id: q.id.clone(),
        anchor: question_anchor(&s.id, &q.id),
        prompt: q.prompt.clone(),
        title: q.title.clone(),
        kind: kind_name(q.kind).to_string(),
        unit: q.unit.clone(),
        options: q.options.clone(),
        option_labels: q
            .options
            .iter()
            .map(|o| OptionLabel {
                value: o.clone(),
                label: q.option_label(o).to_string(),
            })
            .collect(),
        required_for: required.into_iter().map(|l| model.tier(l)).collect(),
        guidance_html: to_safe_html(&q.guidance),
        rules: q
            .red_flags
            .iter()
            .enumerate()
            .map(|(i, r)| RuleView {
                anchor: rule_anchor(&s.id, &q.id, i + 1),
                ..rule(model, q, r)
            })
            .collect(),
    }
}

fn rule(model: &Model, q: &Question, r: &RedFlagRule) -> RuleView {
    let condition = r.condition.describe(q.unit.as_deref());
    let by_tier: Vec<String> = r
        .severity_by_tier
        .iter()
        .map(|(tier, s)| format!("tier {tier}: {}", s.as_str()))
        .collect();
    let by_tier_text = if by_tier.is_empty() {
        String::new()
    } else {
        format!(" ({})", by_tier.join("; "))
    };
    RuleView {
        anchor: String::new(),
        severity: severity_badge(r.severity),
        text: format!(
            "Red flag ({}) {condition}: {}{by_tier_text}",
            r.severity.as_str(),
            r.message
        ),
        condition,
        message: r.message.clone(),
        by_tier: r
            .severity_by_tier
            .iter()
            .map(|(tier, s)| TierSeverity {
                tier: model.tier(*tier),
                severity: severity_badge(*s),
            })
            .collect(),
    }
}
