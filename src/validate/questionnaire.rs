//! questionnaire.toml: sections and questions with unique ids, question
//! types and their options, the tiers that require a question, and the
//! red-flag rules, each turned into its typed condition.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::common::{Diags, not_allowed, tier_level, undefined_tier, unknown_kind};
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
        if RawAnswers::KEYS.contains(&s.id.as_str()) {
            d.push(
                Diagnostic::new(
                    Code::InvalidPolicy,
                    doc.loc(&spath.at(RawSection::ID)),
                    format!("section id `{}` is reserved", s.id),
                )
                .help("answers.toml uses that table for itself ([provenance]: where the answers came from); choose another id"),
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
        title: check_title(doc, qpath, q, d),
        kind,
        options: q.options.clone(),
        required_for,
        guidance: q.guidance.clone(),
        unit: q.unit.clone(),
        red_flags,
        // Filled by `check_claims` once the artifact kinds are known.
        evidence: Vec::new(),
        labels: check_labels(doc, qpath, q, has_options, d),
    })
}

/// A question's short `title` (E0501 when blank; the prompt when absent or
/// blank).
fn check_title(
    doc: &Doc<RawQuestionnaire>,
    qpath: &KeyPath<RawQuestion>,
    q: &RawQuestion,
    d: &mut Diags,
) -> String {
    match q.title.as_deref().map(str::trim) {
        Some("") => {
            d.push(
                Diagnostic::new(
                    Code::InvalidPolicy,
                    doc.loc(&qpath.at(RawQuestion::TITLE)),
                    format!("the title of question `{}` is blank", q.id),
                )
                .help("give the question a short title (\"Incident contact\"), or leave `title` out to show the prompt"),
            );
            q.prompt.clone()
        }
        Some(t) => t.to_string(),
        None => q.prompt.clone(),
    }
}

/// A question's `labels` (option -> readable label): only a choice or multi
/// question has them (E0501), each key is one of its options (E0302) and no
/// label is blank (E0501). What is wrong is reported and left out.
fn check_labels(
    doc: &Doc<RawQuestionnaire>,
    qpath: &KeyPath<RawQuestion>,
    q: &RawQuestion,
    has_options: bool,
    d: &mut Diags,
) -> Vec<(String, String)> {
    let path = qpath.at(RawQuestion::LABELS);
    if q.labels.is_empty() {
        return Vec::new();
    }
    if !has_options {
        d.push(
            Diagnostic::new(
                Code::InvalidPolicy,
                doc.key_loc(&path),
                "only a choice or multi question has option labels",
            )
            .help("remove `labels`, or give the question options"),
        );
        return Vec::new();
    }
    let mut out = Vec::new();
    for (option, label) in &q.labels {
        let opath = path.entry(option);
        if !q.options.contains(option) {
            d.push(
                Diagnostic::new(
                    Code::OutsideOptions,
                    doc.key_loc(&opath),
                    format!("`{option}` is not an option of question `{}`", q.id),
                )
                .help(format!("options: {}", q.options.join(", "))),
            );
        } else if label.trim().is_empty() {
            d.push(
                Diagnostic::new(
                    Code::InvalidPolicy,
                    doc.loc(&opath),
                    format!("the label of option `{option}` is blank"),
                )
                .help("give the option a label, or leave it out to show the option as written"),
            );
        } else {
            out.push((option.clone(), label.trim().to_string()));
        }
    }
    out
}

/// The claims of the questionnaire (`[section.question.evidence]`: option
/// -> artifact kinds that prove it), checked once artifact-kinds.toml is:
/// only a choice or multi question makes claims (E0501), each key is one of
/// its options (E0302) and each kind a kind of artifact-kinds.toml (E0305),
/// with at least one kind per option (E0501). What is wrong is reported
/// where it is written and left out; the rest is put on the question.
pub(super) fn check_claims(
    doc: &Doc<RawQuestionnaire>,
    questionnaire: &mut Questionnaire,
    kinds: &std::collections::BTreeMap<String, ArtifactKind>,
    d: &mut Diags,
) {
    let mut done: Vec<(&str, &str)> = Vec::new();
    for (si, s) in doc.value.sections.iter().enumerate() {
        for (qi, q) in s.questions.iter().enumerate() {
            // A duplicate section or question was left out: the first one
            // written is the question the claims belong to.
            if q.evidence.is_empty() || done.contains(&(s.id.as_str(), q.id.as_str())) {
                continue;
            }
            done.push((&s.id, &q.id));
            let Some(question) = questionnaire
                .sections
                .iter_mut()
                .find(|x| x.id == s.id)
                .and_then(|x| x.questions.iter_mut().find(|x| x.id == q.id))
            else {
                continue;
            };
            let qpath = doc
                .root()
                .at(RawQuestionnaire::SECTION)
                .item(si)
                .at(RawSection::QUESTION)
                .item(qi);
            question.evidence = check_claim_table(doc, &qpath, q, question.kind, kinds, d);
        }
    }
}

/// One question's `[evidence]` table, checked (see `check_claims`).
fn check_claim_table(
    doc: &Doc<RawQuestionnaire>,
    qpath: &KeyPath<RawQuestion>,
    q: &RawQuestion,
    kind: QuestionType,
    kinds: &std::collections::BTreeMap<String, ArtifactKind>,
    d: &mut Diags,
) -> Vec<(String, Vec<String>)> {
    let path = qpath.at(RawQuestion::EVIDENCE);
    if !matches!(kind, QuestionType::Choice | QuestionType::Multi) {
        d.push(
            Diagnostic::new(
                Code::InvalidPolicy,
                doc.key_loc(&path),
                format!("a {kind} question makes no claims: `evidence` needs options"),
            )
            .help("only the options of a choice or multi question can be backed by evidence"),
        );
        return Vec::new();
    }
    let mut out = Vec::new();
    for (option, listed) in &q.evidence {
        let opath = path.entry(option);
        if !q.options.contains(option) {
            d.push(
                Diagnostic::new(
                    Code::OutsideOptions,
                    doc.key_loc(&opath),
                    format!("`{option}` is not an option of question `{}`", q.id),
                )
                .help(format!("options: {}", q.options.join(", "))),
            );
            continue;
        }
        if listed.is_empty() {
            d.push(
                Diagnostic::new(
                    Code::InvalidPolicy,
                    doc.loc(&opath),
                    format!("claim `{option}` names no artifact kind that proves it"),
                )
                .help("list the kinds of artifact-kinds.toml any one of which backs the claim"),
            );
            continue;
        }
        let mut known = Vec::new();
        for (i, k) in listed.iter().enumerate() {
            if kinds.contains_key(k) {
                known.push(k.clone());
            } else {
                d.push(unknown_kind(doc, &opath.item(i), k, kinds));
            }
        }
        if !known.is_empty() {
            out.push((option.clone(), known));
        }
    }
    out
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
                d.push(undefined_tier(
                    doc.key_loc(&at),
                    format!("tier {key} of `{map}` is not defined in tiers.toml"),
                    tiers,
                ));
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
    fn a_short_title_is_listed_by_and_a_blank_one_is_refused_at_its_line() {
        let (q, diags) = questionnaire("type = \"bool\"\ntitle = \" Incident contact \"\n");
        assert_eq!(diags, []);
        let question = q.question("s", "q").unwrap();
        assert_eq!(
            (question.prompt.as_str(), question.title.as_str()),
            ("Q?", "Incident contact")
        );
        let (q, diags) = questionnaire("type = \"bool\"\n");
        assert_eq!(
            (diags.len(), q.question("s", "q").unwrap().title.as_str()),
            (0, "Q?")
        );
        let (q, diags) = questionnaire("type = \"bool\"\ntitle = \"  \"\n");
        assert_eq!(
            diags,
            [("E0501", 10, 9, "the title of question `q` is blank".into())]
        );
        assert_eq!(
            q.question("s", "q").unwrap().title,
            "Q?",
            "the prompt stands in"
        );
    }

    #[test]
    fn option_labels_name_options_and_are_checked() {
        let (q, diags) = questionnaire(
            "type = \"choice\"\noptions = [\"a-b\", \"c\"]\n\n[section.question.labels]\n\"a-b\" = \" A and B \"\nx = \"X\"\nc = \" \"\n",
        );
        let codes: Vec<&str> = diags.iter().map(|d| d.0).collect();
        assert_eq!(codes, ["E0302", "E0501"], "{diags:#?}");
        let question = q.question("s", "q").unwrap();
        assert_eq!(
            question.labels,
            [("a-b".to_string(), "A and B".to_string())]
        );
        assert_eq!(question.option_label("a-b"), "A and B");
        assert_eq!(
            question.option_label("c"),
            "c",
            "no label: shown as written"
        );
        let (_, diags) =
            questionnaire("type = \"bool\"\n\n[section.question.labels]\nyes = \"Y\"\n");
        assert_eq!(diags.iter().map(|d| d.0).collect::<Vec<_>>(), ["E0501"]);
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
    fn claims_name_options_of_the_question_and_known_kinds() {
        let text = "[[section]]\nid = \"s\"\ntitle = \"S\"\n\n[[section.question]]\nid = \"fw\"\nprompt = \"Q?\"\nguidance = \"g\"\ntype = \"multi\"\noptions = [\"soc2\", \"iso\", \"nist\"]\n\n[section.question.evidence]\nsoc2 = [\"soc2-type2\"]\niso = [\"iso27001\", \"iso-27001\"]\nhitrust = [\"hitrust-r2\"]\nnist = []\n\n[[section.question]]\nid = \"b\"\nprompt = \"Q?\"\nguidance = \"g\"\ntype = \"bool\"\nevidence = { yes = [\"soc2-type2\"] }\n";
        let qdoc = doc::<RawQuestionnaire>("questionnaire.toml", text);
        let mut d = Diags::default();
        let mut q = check_questionnaire(&qdoc, &tiers(), &mut d);
        assert!(d.0.is_empty(), "{:#?}", d.0);
        let kind = |id: &str| ArtifactKind {
            id: id.into(),
            title: id.into(),
            description: None,
            validity: ValidityRule::None,
            required_for: vec![],
            required_when: vec![],
            substitutes: None,
            accepted_for_status: vec![],
            version_bound: false,
            per_product: false,
        };
        let kinds: std::collections::BTreeMap<String, ArtifactKind> = ["soc2-type2", "iso27001"]
            .iter()
            .map(|k| (k.to_string(), kind(k)))
            .collect();
        check_claims(&qdoc, &mut q, &kinds, &mut d);
        assert_eq!(
            found(d),
            [
                (
                    "E0302",
                    15,
                    1,
                    "`hitrust` is not an option of question `fw`".into()
                ),
                ("E0305", 14, 20, "unknown artifact kind `iso-27001`".into()),
                (
                    "E0501",
                    16,
                    8,
                    "claim `nist` names no artifact kind that proves it".into()
                ),
                (
                    "E0501",
                    23,
                    1,
                    "a bool question makes no claims: `evidence` needs options".into()
                ),
            ]
        );
        assert_eq!(
            q.question("s", "fw").unwrap().evidence,
            [
                ("iso".to_string(), vec!["iso27001".to_string()]),
                ("soc2".to_string(), vec!["soc2-type2".to_string()]),
            ]
        );
        assert!(q.question("s", "b").unwrap().evidence.is_empty());
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
    fn a_section_may_not_be_called_provenance() {
        let mut d = Diags::default();
        let text = "[[section]]\nid = \"provenance\"\ntitle = \"P\"\n[[section.question]]\nid = \"q\"\nprompt = \"Q?\"\nguidance = \"g\"\ntype = \"bool\"\n";
        let q = check_questionnaire(&doc("questionnaire.toml", text), &tiers(), &mut d);
        assert!(q.sections.is_empty());
        let found = found(d);
        assert!(
            found.iter().any(|f| f.0 == "E0501"
                && f.1 == 2
                && f.3 == "section id `provenance` is reserved"),
            "{found:?}"
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
