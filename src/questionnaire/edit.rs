//! Imported answers written into answers.toml with toml_edit: a value that
//! did not change is not touched (its line stays byte for byte), a changed
//! value keeps its key, comments and place, a new answer goes into its
//! section after the questions that come before it in the questionnaire,
//! and `[provenance]` records where the answers came from.

use toml_edit::{Array, DocumentMut, Item, Table, Value};

use super::import::{Imported, Provenance};
use crate::model::{Date, Questionnaire};

/// One answer the import changes: the old value (`None`: unanswered) and
/// the new one.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerChange {
    pub section: String,
    pub question: String,
    pub old: Option<toml::Value>,
    pub new: toml::Value,
}

/// The new text of answers.toml (`text`, empty for a vendor without one)
/// and the answers that change. A file that does not parse is `Err`.
pub fn apply(
    text: &str,
    q: &Questionnaire,
    imported: &Imported,
) -> Result<(String, Vec<AnswerChange>), toml_edit::TomlError> {
    let mut doc: DocumentMut = text.parse()?;
    let mut changes = Vec::new();
    let mut added = Vec::new();
    for (sid, qid, new) in &imported.answers {
        if doc.get(sid).and_then(Item::as_table).is_none() {
            doc.insert(sid, Item::Table(Table::new()));
            added.push(sid.clone());
        }
        let Some(table) = doc.get_mut(sid).and_then(Item::as_table_mut) else {
            continue;
        };
        let old = table.get(qid).and_then(Item::as_value).and_then(plain);
        if old.as_ref() == Some(new) {
            continue;
        }
        let mut value = edit_value(new);
        match table.get_mut(qid).and_then(Item::as_value_mut) {
            Some(existing) => {
                *value.decor_mut() = existing.decor().clone();
                *existing = value;
            }
            None => {
                let order: Vec<&str> = q
                    .section(sid)
                    .map(|s| s.questions.iter().map(|x| x.id.as_str()).collect())
                    .unwrap_or_default();
                insert_ordered(table, &order, qid, value);
            }
        }
        changes.push(AnswerChange {
            section: sid.clone(),
            question: qid.clone(),
            old,
            new: new.clone(),
        });
    }
    if !added.is_empty() {
        place_new_sections(&mut doc, q, &added);
    }
    if !changes.is_empty() {
        set_provenance(&mut doc, &imported.provenance);
    }
    Ok((doc.to_string(), changes))
}

/// The value as plain TOML, without its formatting.
fn plain(v: &Value) -> Option<toml::Value> {
    let mut t: toml::Table = toml::from_str(&format!("v = {}", v.to_string().trim())).ok()?;
    t.remove("v")
}

fn edit_value(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::from(s.as_str()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) => Value::from(*f),
        toml::Value::Boolean(b) => Value::from(*b),
        toml::Value::Datetime(d) => Value::from(*d),
        toml::Value::Array(items) => Value::Array(items.iter().map(edit_value).collect::<Array>()),
        toml::Value::Table(t) => {
            Value::InlineTable(t.iter().map(|(k, v)| (k.clone(), edit_value(v))).collect())
        }
    }
}

/// Insert `key` into `table` after the last key that comes before it in
/// `order` (or first), moving the keys after it (with their comments).
fn insert_ordered(table: &mut Table, order: &[&str], key: &str, value: Value) {
    let rank = |k: &str| order.iter().position(|o| *o == k);
    let mine = rank(key);
    let keys: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
    let after = keys
        .iter()
        .rposition(|k| matches!((rank(k), mine), (Some(r), Some(m)) if r < m));
    let start = match after {
        Some(i) => i + 1,
        None if mine.is_some() && keys.iter().any(|k| rank(k).is_some()) => 0,
        None => keys.len(),
    };
    let tail: Vec<_> = keys
        .get(start..)
        .unwrap_or_default()
        .iter()
        .filter_map(|k| table.remove_entry(k))
        .collect();
    table.insert(key, Item::Value(value));
    for (k, item) in tail {
        table.insert_formatted(&k, item);
    }
}

/// Section tables the import added go after the sections that come before
/// them in the questionnaire (the others keep their order): every
/// top-level table is given its place in that order.
fn place_new_sections(doc: &mut DocumentMut, q: &Questionnaire, added: &[String]) {
    let rank = |k: &str| q.sections.iter().position(|s| s.id == k);
    let mut existing: Vec<(isize, String)> = doc
        .iter()
        .filter(|(k, _)| !added.iter().any(|a| a == k))
        .filter_map(|(k, item)| Some((item.as_table()?.position()?, k.to_string())))
        .collect();
    existing.sort();
    let mut order: Vec<String> = existing.into_iter().map(|(_, k)| k).collect();
    for new in added {
        let mine = rank(new);
        let at = order
            .iter()
            .rposition(|k| matches!((rank(k), mine), (Some(r), Some(m)) if r < m))
            .map_or_else(
                || {
                    if order.iter().any(|k| rank(k).is_some()) {
                        0
                    } else {
                        order.len()
                    }
                },
                |i| i + 1,
            );
        order.insert(at, new.clone());
    }
    for (i, key) in order.iter().enumerate() {
        if let Some(t) = doc.get_mut(key).and_then(Item::as_table_mut) {
            t.set_position(Some(i as isize));
        }
    }
}

fn date_value(d: Date) -> Value {
    d.to_string()
        .parse::<Value>()
        .unwrap_or_else(|_| Value::from(d.to_string()))
}

/// `[provenance]`: replaced by this import's.
fn set_provenance(doc: &mut DocumentMut, p: &Provenance) {
    let key = crate::model::raw::RawAnswers::PROVENANCE_KEY;
    if doc.get(key).and_then(Item::as_table).is_none() {
        let last = doc
            .iter()
            .filter_map(|(_, item)| item.as_table()?.position())
            .max();
        let mut t = Table::new();
        t.set_position(Some(last.map_or(0, |p| p + 1)));
        t.decor_mut().set_prefix(
            "\n# Where these answers came from: written by `vetted questionnaire import`.\n",
        );
        doc.insert(key, Item::Table(t));
    }
    let Some(t) = doc.get_mut(key).and_then(Item::as_table_mut) else {
        return;
    };
    let fields: [(&str, Option<Value>); 5] = [
        ("file", Some(Value::from(p.file.as_str()))),
        ("imported", Some(date_value(p.imported))),
        ("respondent", p.respondent.as_deref().map(Value::from)),
        (
            "respondent_email",
            p.respondent_email.as_deref().map(Value::from),
        ),
        ("completed", p.completed.map(date_value)),
    ];
    for (k, v) in fields {
        match v {
            Some(v) => match t.get_mut(k).and_then(Item::as_value_mut) {
                Some(existing) => {
                    let mut v = v;
                    *v.decor_mut() = existing.decor().clone();
                    *existing = v;
                }
                None => {
                    t.insert(k, Item::Value(v));
                }
            },
            None => {
                t.remove(k);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn questionnaire() -> Questionnaire {
        let text = "[[section]]\nid = \"a\"\ntitle = \"A\"\n\n\
            [[section.question]]\nid = \"one\"\nprompt = \"1?\"\nguidance = \"g\"\ntype = \"bool\"\n\n\
            [[section.question]]\nid = \"two\"\nprompt = \"2?\"\nguidance = \"g\"\ntype = \"integer\"\n\n\
            [[section.question]]\nid = \"three\"\nprompt = \"3?\"\nguidance = \"g\"\ntype = \"text\"\n\n\
            [[section]]\nid = \"b\"\ntitle = \"B\"\n\n\
            [[section.question]]\nid = \"when\"\nprompt = \"?\"\nguidance = \"g\"\ntype = \"date\"\n\n\
            [[section]]\nid = \"c\"\ntitle = \"C\"\n\n\
            [[section.question]]\nid = \"list\"\nprompt = \"?\"\nguidance = \"g\"\ntype = \"list\"\n";
        let raw: crate::model::raw::RawQuestionnaire = toml::from_str(text).unwrap();
        Questionnaire {
            sections: raw
                .sections
                .into_iter()
                .map(|s| crate::model::Section {
                    id: s.id,
                    title: s.title,
                    summary: None,
                    questions: s
                        .questions
                        .into_iter()
                        .map(|q| crate::model::Question {
                            id: q.id,
                            title: q.prompt.clone(),
                            prompt: q.prompt,
                            kind: crate::model::QuestionType::Text,
                            options: vec![],
                            required_for: vec![],
                            guidance: q.guidance,
                            unit: None,
                            red_flags: vec![],
                            evidence: vec![],
                            labels: vec![],
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    fn imported(answers: &[(&str, &str, &str)]) -> Imported {
        Imported {
            answers: answers
                .iter()
                .map(|(s, q, v)| {
                    let t: toml::Table = toml::from_str(&format!("v = {v}")).unwrap();
                    (s.to_string(), q.to_string(), t["v"].clone())
                })
                .collect(),
            provenance: Provenance {
                file: "q.xlsx".into(),
                imported: jiff::civil::date(2026, 11, 29),
                ..Provenance::default()
            },
        }
    }

    const BEFORE: &str = "# Answers from the 2025 review.\n\n\
        [a]\n# why one\none = false # trailing\nthree = \"x\"\n\n\
        [c]\nlist = [\n  \"p\",  # first\n  \"q\",\n]\n";

    #[test]
    fn only_changed_values_change_and_comments_and_order_stay() {
        let (after, changes) = apply(
            BEFORE,
            &questionnaire(),
            &imported(&[
                ("a", "one", "true"),
                ("a", "two", "5"),
                ("a", "three", "\"x\""),
                ("b", "when", "2026-01-02"),
                ("c", "list", "[\"p\", \"q\"]"),
            ]),
        )
        .unwrap();
        assert_eq!(
            after,
            "# Answers from the 2025 review.\n\n\
             [a]\n# why one\none = true # trailing\ntwo = 5\nthree = \"x\"\n\n\
             [b]\nwhen = 2026-01-02\n\n\
             [c]\nlist = [\n  \"p\",  # first\n  \"q\",\n]\n\n\
             # Where these answers came from: written by `vetted questionnaire import`.\n\
             [provenance]\nfile = \"q.xlsx\"\nimported = 2026-11-29\n"
        );
        let changed: Vec<String> = changes
            .iter()
            .map(|c| format!("{}.{}", c.section, c.question))
            .collect();
        assert_eq!(changed, ["a.one", "a.two", "b.when"]);
        assert_eq!(changes[0].old, Some(toml::Value::Boolean(false)));
        assert_eq!(changes[1].old, None);
    }

    #[test]
    fn nothing_changed_is_the_same_text_without_provenance() {
        let (after, changes) = apply(
            BEFORE,
            &questionnaire(),
            &imported(&[("a", "one", "false")]),
        )
        .unwrap();
        assert!(changes.is_empty());
        assert_eq!(after, BEFORE);
    }

    #[test]
    fn a_new_file_gets_sections_in_questionnaire_order() {
        let (after, _) = apply(
            "",
            &questionnaire(),
            &imported(&[
                ("a", "three", "\"t\""),
                ("c", "list", "[]"),
                ("a", "one", "true"),
            ]),
        )
        .unwrap();
        assert!(
            after.starts_with("[a]\none = true\nthree = \"t\"\n\n[c]\nlist = []\n"),
            "{after}"
        );
    }
}
