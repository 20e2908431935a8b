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
    for (sid, qid, new) in &imported.answers {
        if doc.get(sid).and_then(Item::as_table).is_none() {
            doc.insert(sid, Item::Table(Table::new()));
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
        toml::Value::Table(t) => Value::InlineTable(
            t.iter()
                .map(|(k, v)| (k.clone(), edit_value(v)))
                .collect(),
        ),
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

fn date_value(d: Date) -> Value {
    d.to_string()
        .parse::<Value>()
        .unwrap_or_else(|_| Value::from(d.to_string()))
}

/// `[provenance]`: replaced by this import's.
fn set_provenance(doc: &mut DocumentMut, p: &Provenance) {
    let key = crate::model::raw::RawAnswers::PROVENANCE_KEY;
    if doc.get(key).and_then(Item::as_table).is_none() {
        let mut t = Table::new();
        t.decor_mut()
            .set_prefix("\n# Where these answers came from: written by `vetted questionnaire import`.\n");
        doc.insert(key, Item::Table(t));
    }
    let Some(t) = doc.get_mut(key).and_then(Item::as_table_mut) else {
        return;
    };
    let fields: [(&str, Option<Value>); 5] = [
        ("file", Some(Value::from(p.file.as_str()))),
        ("imported", Some(date_value(p.imported))),
        ("respondent", p.respondent.as_deref().map(Value::from)),
        ("respondent_email", p.respondent_email.as_deref().map(Value::from)),
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
