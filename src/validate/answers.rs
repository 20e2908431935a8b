//! answers.toml: every answer belongs to a question of the questionnaire and
//! has the question's type (and, for choices, one of its options).

use std::collections::BTreeMap;

use super::common::{Diags, check_link, date};
use crate::diag::{Code, Diagnostic};
use crate::model::raw::*;
use crate::model::*;
use crate::parse::{Doc, KeyPath};

/// The answers fit to assess, by section and question id; an answer with an
/// error is reported and left out.
pub(super) fn check_answers(
    doc: &Doc<RawAnswers>,
    q: &Questionnaire,
    d: &mut Diags,
) -> BTreeMap<String, BTreeMap<String, Answer>> {
    let mut out = BTreeMap::new();
    let root = doc.root();
    for (sid, answers) in &doc.value.sections {
        let spath = root.section(sid);
        let Some(section) = q.section(sid) else {
            let known: Vec<&str> = q.sections.iter().map(|s| s.id.as_str()).collect();
            d.push(
                Diagnostic::new(
                    Code::UnknownQuestion,
                    doc.key_loc(&spath),
                    format!("the questionnaire has no section `{sid}`"),
                )
                .help(format!("sections: {}", known.join(", "))),
            );
            continue;
        };
        let mut sec = BTreeMap::new();
        for (qid, value) in answers {
            let path = spath.entry(qid);
            let Some(question) = section.questions.iter().find(|x| &x.id == qid) else {
                let known: Vec<&str> = section.questions.iter().map(|x| x.id.as_str()).collect();
                d.push(
                    Diagnostic::new(
                        Code::UnknownQuestion,
                        doc.key_loc(&path),
                        format!("section `{sid}` has no question `{qid}`"),
                    )
                    .help(format!("questions in `{sid}`: {}", known.join(", "))),
                );
                continue;
            };
            if let Some(v) = check_answer(doc, &path, value, question, d) {
                sec.insert(
                    qid.clone(),
                    Answer {
                        value: v,
                        loc: doc.loc(&path),
                    },
                );
            }
        }
        out.insert(sid.clone(), sec);
    }
    out
}

/// `[provenance]`: where the answers came from (dates must be dates; the
/// texts are shown as they are, escaped by the site's templates).
pub(super) fn check_provenance(doc: &Doc<RawAnswers>, d: &mut Diags) -> Option<AnswersProvenance> {
    let raw = doc.value.provenance.as_ref()?;
    let table = doc.root().at(RawAnswers::PROVENANCE);
    let mut day = |key, dt: &Option<toml::value::Datetime>| {
        dt.as_ref().and_then(|dt| date(doc, &table.at(key), dt, d))
    };
    Some(AnswersProvenance {
        file: raw.file.clone(),
        imported: day(RawProvenance::IMPORTED, &raw.imported),
        respondent: raw.respondent.clone(),
        respondent_email: raw.respondent_email.clone(),
        completed: day(RawProvenance::COMPLETED, &raw.completed),
    })
}

/// What `check` says of `value` as the answer to `q` of section
/// `section` (its type, options, link, date), as message and help: the
/// same rules for an answer read from elsewhere (a returned questionnaire
/// workbook), which places them itself. Empty when the answer is fine.
pub fn answer_problems(
    section: &str,
    q: &Question,
    value: &toml::Value,
) -> Vec<(String, Option<String>)> {
    let doc = Doc {
        value: RawAnswers::default(),
        path: "answers.toml".into(),
        source: crate::diag::SourceText::new("".into()),
        spans: crate::parse::Spans::default(),
    };
    let path = doc.root().section(section).entry(&q.id);
    let mut d = Diags::default();
    let _ = check_answer(&doc, &path, value, q, &mut d);
    d.0.into_iter().map(|x| (x.message, x.help)).collect()
}

/// One answer, typed as its question asks; `None` (reported) when it does
/// not fit.
fn check_answer(
    doc: &Doc<RawAnswers>,
    path: &KeyPath<toml::Value>,
    value: &toml::Value,
    q: &Question,
    d: &mut Diags,
) -> Option<AnswerValue> {
    let mismatch = |expected: &str, d: &mut Diags| {
        d.push(
            Diagnostic::new(
                Code::AnswerType,
                doc.loc(path),
                format!("`{path}` expects {expected}, found {}", value.type_str()),
            )
            .help(format!("the question asks: {}", q.prompt)),
        );
        None
    };
    match q.kind {
        QuestionType::Bool => match value {
            toml::Value::Boolean(b) => Some(AnswerValue::Bool(*b)),
            _ => mismatch("true or false", d),
        },
        QuestionType::Integer => match value {
            toml::Value::Integer(i) => Some(AnswerValue::Integer(*i)),
            _ => mismatch("an integer", d),
        },
        QuestionType::Date => match value {
            toml::Value::Datetime(dt) => date(doc, path, dt, d).map(AnswerValue::Date),
            _ => mismatch("a date (YYYY-MM-DD, unquoted)", d),
        },
        QuestionType::Text => match value {
            toml::Value::String(s) => Some(AnswerValue::Text(s.clone())),
            _ => mismatch("a string", d),
        },
        QuestionType::Url => match value {
            toml::Value::String(s) => {
                check_link(doc, path, s, true, d).then(|| AnswerValue::Text(s.clone()))
            }
            _ => mismatch("a link in quotes", d),
        },
        QuestionType::Choice => match value {
            toml::Value::String(s) => {
                is_option(doc, path, path, s, q, d).then(|| AnswerValue::Text(s.clone()))
            }
            _ => mismatch("one of the options, in quotes", d),
        },
        QuestionType::Multi | QuestionType::List => match value {
            toml::Value::Array(items) => check_list(doc, path, items, q, d),
            _ => mismatch("a list of strings in [ ]", d),
        },
    }
}

/// Whether `s`, written at `at` in the answer at `path`, is an option of the
/// question; reported when it is not.
fn is_option(
    doc: &Doc<RawAnswers>,
    path: &KeyPath<toml::Value>,
    at: &KeyPath<toml::Value>,
    s: &str,
    q: &Question,
    d: &mut Diags,
) -> bool {
    if q.options.iter().any(|o| o == s) {
        return true;
    }
    d.push(
        Diagnostic::new(
            Code::OutsideOptions,
            doc.loc(at),
            format!("`{s}` is not an option of `{path}`"),
        )
        .help(format!("options: {}", q.options.join(", "))),
    );
    false
}

/// The items of a multi or list answer: strings, and for a multi question
/// options of it. Every bad item is reported before the answer is dropped.
fn check_list(
    doc: &Doc<RawAnswers>,
    path: &KeyPath<toml::Value>,
    items: &[toml::Value],
    q: &Question,
    d: &mut Diags,
) -> Option<AnswerValue> {
    let mut out = Vec::new();
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let at = path.item(i);
        match item.as_str() {
            Some(s) if q.kind == QuestionType::List || is_option(doc, path, &at, s, q, d) => {
                out.push(s.to_string())
            }
            Some(_) => ok = false,
            None => {
                d.push(
                    Diagnostic::new(
                        Code::AnswerType,
                        doc.loc(&at),
                        format!(
                            "list items of `{path}` are strings, found {}",
                            item.type_str()
                        ),
                    )
                    .help("put each item in quotes"),
                );
                ok = false;
            }
        }
    }
    ok.then_some(AnswerValue::List(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::questionnaire::check_questionnaire;
    use crate::validate::testing::*;

    const QUESTIONNAIRE: &str = "[[section]]\nid = \"s\"\ntitle = \"S\"\n\n\
        [[section.question]]\nid = \"mfa\"\nprompt = \"MFA?\"\nguidance = \"g\"\ntype = \"bool\"\n\n\
        [[section.question]]\nid = \"hosting\"\nprompt = \"Where?\"\nguidance = \"g\"\ntype = \"choice\"\noptions = [\"cloud\", \"onprem\"]\n\n\
        [[section.question]]\nid = \"ports\"\nprompt = \"Ports?\"\nguidance = \"g\"\ntype = \"multi\"\noptions = [\"ssh\", \"https\"]\n";

    fn check(answers: &str) -> (BTreeMap<String, BTreeMap<String, Answer>>, Diags) {
        let mut d = Diags::default();
        let q = check_questionnaire(&doc("questionnaire.toml", QUESTIONNAIRE), &tiers(), &mut d);
        assert!(d.0.is_empty(), "{:#?}", d.0);
        let out = check_answers(&doc("answers.toml", answers), &q, &mut d);
        (out, d)
    }

    #[test]
    fn answers_of_the_right_type_are_typed() {
        let (out, d) = check("[s]\nmfa = true\nhosting = \"cloud\"\nports = [\"https\"]\n");
        assert!(d.0.is_empty(), "{:#?}", d.0);
        assert_eq!(out["s"]["mfa"].value, AnswerValue::Bool(true));
        assert_eq!(out["s"]["hosting"].value, AnswerValue::Text("cloud".into()));
        assert_eq!(
            out["s"]["ports"].value,
            AnswerValue::List(vec!["https".into()])
        );
    }

    #[test]
    fn every_bad_answer_is_reported_and_left_out() {
        let (out, d) = check(
            "[s]\nmfa = \"yes\"\nhosting = \"moon\"\nports = [\"telnet\", 22]\nuptime = 99\n\n[t]\nx = 1\n",
        );
        assert_eq!(
            found(d),
            [
                ("E0301", 5, 1, "section `s` has no question `uptime`".into()),
                ("E0301", 7, 2, "the questionnaire has no section `t`".into()),
                (
                    "E0302",
                    3,
                    11,
                    "`moon` is not an option of `s.hosting`".into()
                ),
                (
                    "E0302",
                    4,
                    10,
                    "`telnet` is not an option of `s.ports`".into()
                ),
                (
                    "E0303",
                    2,
                    7,
                    "`s.mfa` expects true or false, found string".into()
                ),
                (
                    "E0303",
                    4,
                    20,
                    "list items of `s.ports` are strings, found integer".into()
                ),
            ]
        );
        assert!(out["s"].is_empty());
        assert!(!out.contains_key("t"));
    }

    #[test]
    fn provenance_is_not_a_section_and_its_dates_are_checked() {
        let text = "[s]\nmfa = true\n\n[provenance]\nfile = \"q.xlsx\"\nimported = 2026-11-29\n\
                    respondent = \"Dana\"\ncompleted = 2026-11-29T10:00:00\n";
        let (out, d) = check(text);
        assert!(d.0.is_empty(), "{:#?}", d.0);
        assert!(!out.contains_key("provenance"));
        let doc = doc::<RawAnswers>("answers.toml", text);
        let mut d = Diags::default();
        let p = check_provenance(&doc, &mut d).unwrap();
        assert_eq!(p.file.as_deref(), Some("q.xlsx"));
        assert_eq!(p.imported, Some(jiff::civil::date(2026, 11, 29)));
        assert_eq!(p.completed, None);
        assert_eq!(
            found(d),
            [(
                "E0105",
                8,
                13,
                "`provenance.completed` must be a plain date, not 2026-11-29T10:00:00".into()
            )]
        );
    }

    #[test]
    fn an_unknown_provenance_key_does_not_parse() {
        let rel: std::sync::Arc<str> = "answers.toml".into();
        let text = "[provenance]\nrespondant = \"Dana\"\n";
        let errors =
            crate::parse::parse_toml::<RawAnswers>(&rel, crate::diag::SourceText::new(text.into()))
                .unwrap_err();
        assert_eq!(errors[0].code, "E0102", "{errors:#?}");
    }

    #[test]
    fn answer_problems_are_checks_own_words() {
        let mut d = Diags::default();
        let q = check_questionnaire(&doc("questionnaire.toml", QUESTIONNAIRE), &tiers(), &mut d);
        let hosting = q.question("s", "hosting").unwrap();
        let problems = answer_problems("s", hosting, &toml::Value::String("moon".into()));
        assert_eq!(
            problems,
            [(
                "`moon` is not an option of `s.hosting`".to_string(),
                Some("options: cloud, onprem".to_string())
            )]
        );
        assert!(answer_problems("s", hosting, &toml::Value::String("cloud".into())).is_empty());
    }
}
