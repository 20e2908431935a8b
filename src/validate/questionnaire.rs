//! questionnaire.toml: sections and questions with unique ids, question
//! types and their options, the tiers that require a question, and the
//! red-flag rules, each turned into its typed condition.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::common::{Diags, not_allowed, tier_level};
use crate::diag::{Code, Diagnostic, Loc, Severity};
use crate::model::closed::{Closed, ClosedSet};
use crate::model::raw::*;
use crate::model::*;
use crate::parse::{Doc, KeyPath};

/// The checked questionnaire: a duplicate section or question is reported
/// and left out, as is a question whose type is unknown.
pub(super) fn check_questionnaire(
    doc: &Doc<RawQuestionnaire>,
    tiers: &TierPolicy,
    d: &mut Diags,
) -> Questionnaire {
    let mut sections: Vec<Section> = Vec::new();
    for (si, s) in doc.value.sections.iter().enumerate() {
        let spath = doc.root().at(RawQuestionnaire::SECTION).item(si);
        if sections.iter().any(|x| x.id == s.id) {
            d.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    doc.loc(&spath.at(RawSection::ID)),
                    format!("section `{}` is defined twice", s.id),
                )
                .help("section ids must be unique"),
            );
            continue;
        }
        sections.push(check_section(doc, &spath, s, tiers, d));
    }
    check_tier_sections(tiers, &sections, d);
    Questionnaire { sections }
}

/// One section and its questions, each question id used once.
fn check_section(
    doc: &Doc<RawQuestionnaire>,
    spath: &KeyPath<RawSection>,
    s: &RawSection,
    tiers: &TierPolicy,
    d: &mut Diags,
) -> Section {
    let mut questions: Vec<Question> = Vec::new();
    for (qi, q) in s.questions.iter().enumerate() {
        let qpath = spath.at(RawSection::QUESTION).item(qi);
        if questions.iter().any(|x| x.id == q.id) {
            d.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    doc.loc(&qpath.at(RawQuestion::ID)),
                    format!("question `{}.{}` is defined twice", s.id, q.id),
                )
                .help("question ids must be unique within a section"),
            );
            continue;
        }
        if let Some(question) = check_question(doc, &qpath, q, tiers, d) {
            questions.push(question);
        }
    }
    Section {
        id: s.id.clone(),
        title: s.title.clone(),
        summary: s.summary.clone(),
        questions,
    }
}

/// Every section a tier of tiers.toml requires is a section of the
/// questionnaire; reported against tiers.toml, where the tier is written.
fn check_tier_sections(tiers: &TierPolicy, sections: &[Section], d: &mut Diags) {
    for (ti, t) in tiers.tiers.iter().enumerate() {
        for (i, s) in t.sections.iter().enumerate() {
            if !sections.iter().any(|x| &x.id == s) {
                // The tier is in tiers.toml but sections live in the questionnaire.
                d.push(
                    Diagnostic::new(
                        Code::UnknownReference,
                        Loc::file(&Arc::from(crate::load::TIERS_FILE)),
                        format!("tier {} requires unknown section `{s}`", t.level),
                    )
                    .help(format!(
                        "{} must name a section id of questionnaire.toml",
                        KeyPath::<RawTiers>::root()
                            .at(RawTiers::TIER)
                            .item(ti)
                            .at(RawTier::SECTIONS)
                            .item(i)
                    )),
                );
            }
        }
    }
}

/// One question: a known type, options exactly where the type takes them,
/// defined tiers, and red-flag rules that fit the type.
fn check_question(
    doc: &Doc<RawQuestionnaire>,
    qpath: &KeyPath<RawQuestion>,
    q: &RawQuestion,
    tiers: &TierPolicy,
    d: &mut Diags,
) -> Option<Question> {
    let kind = match q.kind.known() {
        Ok(kind) => kind,
        Err(text) => {
            d.push(
                Diagnostic::new(
                    Code::ValueNotAllowed,
                    doc.loc(&qpath.at(RawQuestion::TYPE)),
                    format!("unknown question type `{text}`"),
                )
                .help(QuestionType::help()),
            );
            return None;
        }
    };
    let has_options = matches!(kind, QuestionType::Choice | QuestionType::Multi);
    if has_options && q.options.is_empty() {
        d.push(
            Diagnostic::new(
                Code::InvalidPolicy,
                doc.loc(qpath),
                format!("{kind} question `{}` has no options", q.id),
            )
            .help("list the allowed answers in `options`"),
        );
    }
    if !has_options && !q.options.is_empty() {
        d.push(
            Diagnostic::new(
                Code::InvalidPolicy,
                doc.loc(&qpath.at(RawQuestion::OPTIONS)),
                format!("a {kind} question takes no options"),
            )
            .help("only choice and multi questions have options"),
        );
    }
    let required_for = q
        .required_for
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let path = qpath.at(RawQuestion::REQUIRED_FOR).item(i);
            tier_level(doc, &path, *l, tiers, d)
        })
        .collect();
    let red_flags = q
        .red_flags
        .iter()
        .enumerate()
        .filter_map(|(ri, r)| {
            let path = qpath.at(RawQuestion::RED_FLAG).item(ri);
            check_rule(doc, &path, r, kind, &q.options, tiers, d)
        })
        .collect();
    Some(Question {
        id: q.id.clone(),
        prompt: q.prompt.clone(),
        kind,
        options: q.options.clone(),
        required_for,
        guidance: q.guidance.clone(),
        unit: q.unit.clone(),
        red_flags,
    })
}

/// What a red-flag rule's condition may take, for the help of a rule that
/// does not fit its question.
const RULE_HELP: &str = "equals takes a value of the question's type; less_than/greater_than an integer (integer questions); \
             older_than_months an integer (date questions); contains/not_contains an option (multi or list questions); missing no value";

/// One red-flag rule of a question of type `kind`; `None` (after reporting
/// every problem) when its severity or its condition is unusable.
fn check_rule(
    doc: &Doc<RawQuestionnaire>,
    path: &KeyPath<RawRedFlag>,
    r: &RawRedFlag,
    kind: QuestionType,
    options: &[String],
    tiers: &TierPolicy,
    d: &mut Diags,
) -> Option<RedFlagRule> {
    // A bad severity does not stop the condition from being checked too.
    let severity = rule_severity(doc, path, r, d);
    let severity_by_tier = severity_by_tier(doc, path, r, tiers, d);
    let when = match r.when.known() {
        Ok(when) => when,
        Err(other) => {
            d.push(not_allowed(
                doc,
                &path.at(RawRedFlag::WHEN),
                other,
                RedFlagWhen::VALUES,
            ));
            return None;
        }
    };
    let condition = match Condition::parse(when, r.value.as_ref(), kind, options) {
        Ok(condition) => condition,
        Err(msg) => {
            d.push(Diagnostic::new(Code::InvalidPolicy, doc.loc(path), msg).help(RULE_HELP));
            return None;
        }
    };
    Some(RedFlagRule {
        condition,
        severity: severity?,
        severity_by_tier: severity_by_tier?,
        message: r.message.clone(),
    })
}

/// The severity of a rule: a warning unless it says otherwise; `None`
/// (reported) when it names no known severity.
fn rule_severity(
    doc: &Doc<RawQuestionnaire>,
    path: &KeyPath<RawRedFlag>,
    r: &RawRedFlag,
    d: &mut Diags,
) -> Option<Severity> {
    match r.severity.as_ref().map(Closed::known) {
        None => Some(Severity::Warning),
        Some(Ok(s)) => Some(s.severity()),
        Some(Err(other)) => {
            d.push(not_allowed(
                doc,
                &path.at(RawRedFlag::SEVERITY),
                other,
                RuleSeverity::VALUES,
            ));
            None
        }
    }
}

/// `severity_by_tier = { 1 = "error", 3 = "warning" }`: each key a tier
/// level of tiers.toml (E0305 otherwise), each value a rule severity
/// (E0106 otherwise); `None` (after reporting every entry) when one is bad.
fn severity_by_tier(
    doc: &Doc<RawQuestionnaire>,
    path: &KeyPath<RawRedFlag>,
    r: &RawRedFlag,
    tiers: &TierPolicy,
    d: &mut Diags,
) -> Option<BTreeMap<u8, Severity>> {
    let map = path.at(RawRedFlag::SEVERITY_BY_TIER);
    let mut out = BTreeMap::new();
    let mut ok = true;
    for (key, value) in &r.severity_by_tier {
        let at = map.entry(key);
        let level = match key
            .trim()
            .parse::<u8>()
            .ok()
            .filter(|l| tiers.tier(*l).is_some())
        {
            Some(l) => Some(l),
            None => {
                let known: Vec<String> = tiers.tiers.iter().map(|t| t.level.to_string()).collect();
                d.push(
                    Diagnostic::new(
                        Code::UnknownReference,
                        doc.key_loc(&at),
                        format!("tier {key} of `{map}` is not defined in tiers.toml"),
                    )
                    .help(format!("defined tiers: {}", known.join(", "))),
                );
                None
            }
        };
        let severity = match value.known() {
            Ok(s) => Some(s.severity()),
            Err(other) => {
                d.push(not_allowed(doc, &at, other, RuleSeverity::VALUES));
                None
            }
        };
        match (level, severity) {
            (Some(l), Some(s)) => {
                out.insert(l, s);
            }
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::testing::*;

    fn questionnaire(question: &str) -> (Questionnaire, Vec<(&'static str, u32, u32, String)>) {
        let text = format!(
            "[[section]]\nid = \"s\"\ntitle = \"S\"\n\n[[section.question]]\nid = \"q\"\nprompt = \"Q?\"\nguidance = \"g\"\n{question}"
        );
        let mut d = Diags::default();
        let q = check_questionnaire(&doc("questionnaire.toml", &text), &tiers(), &mut d);
        (q, found(d))
    }

    #[test]
    fn a_red_flag_rule_becomes_its_typed_condition() {
        let (q, diags) = questionnaire(
            "type = \"integer\"\n\n[[section.question.red_flag]]\nwhen = \"greater_than\"\nvalue = 72\nseverity = \"error\"\nmessage = \"slow\"\n",
        );
        assert!(diags.is_empty(), "{diags:#?}");
        let rule = &q.question("s", "q").unwrap().red_flags[0];
        assert_eq!(rule.condition, Condition::GreaterThan(72));
        assert_eq!(rule.severity, Severity::Error);
    }

    #[test]
    fn a_condition_outside_the_set_is_reported_at_its_value_with_the_allowed_values() {
        let (q, diags) = questionnaire(
            "type = \"bool\"\n\n[[section.question.red_flag]]\nwhen = \"sometimes\"\nmessage = \"m\"\n",
        );
        assert_eq!(
            diags,
            [(
                "E0106",
                12,
                8,
                "`sometimes` is not allowed for `section[0].question[0].red_flag[0].when`".into()
            )]
        );
        assert!(q.question("s", "q").unwrap().red_flags.is_empty());
    }

    #[test]
    fn a_condition_that_does_not_fit_the_question_type_is_a_policy_error() {
        let (_, diags) = questionnaire(
            "type = \"bool\"\n\n[[section.question.red_flag]]\nwhen = \"less_than\"\nvalue = 3\nmessage = \"m\"\n",
        );
        assert_eq!(
            diags,
            [(
                "E0501",
                11,
                1,
                "`less_than` does not apply to a Bool question".into()
            )]
        );
    }

    #[test]
    fn a_rule_with_a_bad_severity_and_a_bad_condition_reports_both() {
        let (q, diags) = questionnaire(
            "type = \"bool\"\n\n[[section.question.red_flag]]\nwhen = \"sometimes\"\nseverity = \"fatal\"\nmessage = \"m\"\n",
        );
        assert_eq!(
            diags,
            [
                (
                    "E0106",
                    12,
                    8,
                    "`sometimes` is not allowed for `section[0].question[0].red_flag[0].when`"
                        .into()
                ),
                (
                    "E0106",
                    13,
                    12,
                    "`fatal` is not allowed for `section[0].question[0].red_flag[0].severity`"
                        .into()
                ),
            ]
        );
        assert!(q.question("s", "q").unwrap().red_flags.is_empty());
    }

    #[test]
    fn an_unknown_question_type_names_the_types() {
        let mut d = Diags::default();
        let text = "[[section]]\nid = \"s\"\ntitle = \"S\"\n[[section.question]]\nid = \"q\"\nprompt = \"Q?\"\nguidance = \"g\"\ntype = \"yes-no\"\n";
        check_questionnaire(&doc("questionnaire.toml", text), &tiers(), &mut d);
        let help = d.0[0].help.clone().unwrap();
        assert_eq!(
            found(d),
            [("E0106", 8, 8, "unknown question type `yes-no`".into())]
        );
        assert_eq!(
            help,
            "use one of: bool, choice, multi, integer, date, text, url, list"
        );
    }

    #[test]
    fn severity_by_tier_names_defined_tiers_and_rule_severities() {
        let (q, found) = questionnaire(
            "type = \"bool\"\n\n[[section.question.red_flag]]\nwhen = \"equals\"\nvalue = false\nseverity_by_tier = { 1 = \"error\" }\nmessage = \"m\"\n",
        );
        assert!(found.is_empty(), "{found:?}");
        let rule = &q.question("s", "q").unwrap().red_flags[0];
        assert_eq!(rule.severity, Severity::Warning);
        assert_eq!(rule.severity_for(1), Severity::Error);
        assert_eq!(rule.severity_for(2), Severity::Warning, "a tier not listed");
        // Tiers 1 and 2 exist; 3 does not, `0` is no tier and `fatal` no severity.
        let (q, found) = questionnaire(
            "type = \"bool\"\n\n[[section.question.red_flag]]\nwhen = \"equals\"\nvalue = false\nseverity_by_tier = { 3 = \"error\", 2 = \"fatal\", x = \"warning\" }\nmessage = \"m\"\n",
        );
        assert_eq!(
            found,
            [
                (
                    "E0106",
                    14,
                    39,
                    "`fatal` is not allowed for `section[0].question[0].red_flag[0].severity_by_tier.2`".into()
                ),
                (
                    "E0305",
                    14,
                    22,
                    "tier 3 of `section[0].question[0].red_flag[0].severity_by_tier` is not defined in tiers.toml".into()
                ),
                (
                    "E0305",
                    14,
                    48,
                    "tier x of `section[0].question[0].red_flag[0].severity_by_tier` is not defined in tiers.toml".into()
                ),
            ]
        );
        assert!(
            q.question("s", "q").unwrap().red_flags.is_empty(),
            "a rule with a bad entry is left out, as with a bad severity"
        );
    }
}
