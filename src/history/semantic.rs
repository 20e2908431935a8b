//! Semantic differences between two versions of a registry file: which fields
//! were added, removed or changed, with arrays of tables matched by identity
//! (a subprocessor by name, a finding by id, an artifact by kind and title).

use std::collections::BTreeMap;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use toml::de::{DeTable, DeValue};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Added,
    Removed,
    Changed,
}

/// One field-level change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// The file inside the vendor folder (or registry), e.g. `vendor.toml`.
    pub file: String,
    /// Dotted path of the field; array items by identity: `subprocessor[CloudHost Inc.].region`.
    pub path: String,
    pub op: Op,
    pub old: Option<String>,
    pub new: Option<String>,
    /// A sentence for readers: "subprocessor added: CloudHost Inc.", "contract.renewal: 2026-03-01 → 2027-03-01".
    pub label: String,
}

/// A flattened document: path -> rendered leaf value. Values borrow from
/// the file's text where they can: history diffs hundreds of thousands of
/// file versions, and only changed fields are ever copied out.
type Flat<'a> = BTreeMap<String, Leaf<'a>>;

#[derive(Debug, Clone, PartialEq)]
enum Leaf<'a> {
    Scalar(Cow<'a, str>),
    /// Arrays of scalars compare as sets of items.
    List(Vec<Cow<'a, str>>),
    /// Marks an array-of-tables item; its fields are separate entries.
    Item(String),
}

impl Leaf<'_> {
    fn show(&self) -> String {
        match self {
            Leaf::Scalar(s) => s.to_string(),
            Leaf::Item(s) => s.clone(),
            Leaf::List(v) => v.join(", "),
        }
    }
}

fn scalar<'a>(v: &DeValue<'a>) -> Cow<'a, str> {
    match v {
        DeValue::String(s) => s.clone(),
        DeValue::Integer(i) => match i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()) {
            Ok(n) => Cow::Owned(n.to_string()),
            Err(_) => Cow::Owned(i.as_str().to_string()),
        },
        DeValue::Float(f) => Cow::Owned(f.as_str().to_string()),
        DeValue::Boolean(b) => Cow::Borrowed(if *b { "yes" } else { "no" }),
        DeValue::Datetime(d) => Cow::Owned(d.to_string()),
        DeValue::Array(a) => Cow::Owned(
            a.iter()
                .map(|x| scalar(x.get_ref()))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        DeValue::Table(_) => Cow::Borrowed("{…}"),
    }
}

/// What identifies an item of an array of tables, for matching across versions.
fn identity(t: &DeTable<'_>, index: usize) -> String {
    let s = |k: &str| t.get(k).map(|v| scalar(v.get_ref()));
    if let Some(id) = s("id") {
        return id.into_owned();
    }
    if let (Some(kind), Some(title)) = (s("kind"), s("title")) {
        return format!("{kind}: {title}");
    }
    if let Some(name) = s("name") {
        return name.into_owned();
    }
    if let Some(level) = s("level") {
        return level.into_owned();
    }
    format!("#{}", index + 1)
}

fn flatten_table<'a>(prefix: &str, t: &DeTable<'a>, out: &mut Flat<'a>) {
    for (k, v) in t {
        let key: &str = k.get_ref();
        let p = if prefix.is_empty() {
            key.to_string()
        } else {
            format!("{prefix}.{key}")
        };
        flatten(p, v.get_ref(), out);
    }
}

fn flatten<'a>(path: String, v: &DeValue<'a>, out: &mut Flat<'a>) {
    match v {
        DeValue::Table(t) => flatten_table(&path, t, out),
        DeValue::Array(items)
            if !items.is_empty() && items.iter().all(|i| i.get_ref().is_table()) =>
        {
            let mut seen: BTreeMap<String, usize> = BTreeMap::new();
            for (i, item) in items.iter().enumerate() {
                let DeValue::Table(t) = item.get_ref() else {
                    continue;
                };
                let mut id = identity(t, i);
                // Two items with one identity keep both, numbered.
                let n = seen.entry(id.clone()).or_insert(0);
                *n += 1;
                if *n > 1 {
                    id = format!("{id} ({n})");
                }
                let p = format!("{path}[{id}]");
                flatten_table(&p, t, out);
                out.insert(p, Leaf::Item(id));
            }
        }
        DeValue::Array(items) => {
            out.insert(
                path,
                Leaf::List(items.iter().map(|i| scalar(i.get_ref())).collect()),
            );
        }
        other => {
            out.insert(path, Leaf::Scalar(scalar(other)));
        }
    }
}

fn flat(text: Option<&str>) -> Flat<'_> {
    let mut out = Flat::new();
    if let Some(Ok(doc)) = text.map(DeTable::parse) {
        flatten_table("", doc.get_ref(), &mut out);
    }
    out
}

/// The array name of an item path: `subprocessor[X]` -> `subprocessor`.
fn item_kind(path: &str) -> &str {
    let base = path.rsplit_once('[').map_or(path, |(b, _)| b);
    base.rsplit('.').next().unwrap_or(base)
}

fn is_inside_item(path: &str, items: &[&String]) -> bool {
    items.iter().any(|i| {
        path.len() > i.len() && path.starts_with(i.as_str()) && path.as_bytes()[i.len()] == b'.'
    })
}

/// Field-level changes between two versions of a TOML file's text (either
/// may be absent: file added or removed; a version that does not parse
/// counts as empty).
pub fn diff_toml(file: &str, old: Option<&str>, new: Option<&str>) -> Vec<FieldChange> {
    if old == new {
        return Vec::new();
    }
    let (a, b) = (flat(old), flat(new));
    let added_items: Vec<&String> = b
        .iter()
        .filter(|(k, v)| matches!(v, Leaf::Item(_)) && !a.contains_key(*k))
        .map(|(k, _)| k)
        .collect();
    let removed_items: Vec<&String> = a
        .iter()
        .filter(|(k, v)| matches!(v, Leaf::Item(_)) && !b.contains_key(*k))
        .map(|(k, _)| k)
        .collect();
    let mut out = Vec::new();
    let change =
        |path: &str, op, old: Option<String>, new: Option<String>, label: String| FieldChange {
            file: file.to_string(),
            path: path.to_string(),
            op,
            old,
            new,
            label,
        };
    for (path, leaf) in &a {
        if is_inside_item(path, &removed_items) {
            continue;
        }
        match (leaf, b.get(path)) {
            (Leaf::Item(id), None) => out.push(change(
                path,
                Op::Removed,
                Some(id.clone()),
                None,
                format!("{} removed: {id}", item_kind(path)),
            )),
            (x @ (Leaf::Scalar(_) | Leaf::List(_)), None) => {
                let x = x.show();
                out.push(change(
                    path,
                    Op::Removed,
                    Some(x.clone()),
                    None,
                    format!("{path} removed (was {x})"),
                ));
            }
            (Leaf::Scalar(x), Some(Leaf::Scalar(y))) if x != y => out.push(change(
                path,
                Op::Changed,
                Some(x.to_string()),
                Some(y.to_string()),
                format!("{path}: {x} → {y}"),
            )),
            (Leaf::List(x), Some(Leaf::List(y))) if x != y => {
                let added: Vec<&str> = y
                    .iter()
                    .filter(|i| !x.contains(i))
                    .map(|s| s.as_ref())
                    .collect();
                let removed: Vec<&str> = x
                    .iter()
                    .filter(|i| !y.contains(i))
                    .map(|s| s.as_ref())
                    .collect();
                let mut parts = Vec::new();
                if !added.is_empty() {
                    parts.push(format!("added {}", added.join(", ")));
                }
                if !removed.is_empty() {
                    parts.push(format!("removed {}", removed.join(", ")));
                }
                if parts.is_empty() {
                    parts.push("reordered".into());
                }
                out.push(change(
                    path,
                    Op::Changed,
                    Some(x.join(", ")),
                    Some(y.join(", ")),
                    format!("{path}: {}", parts.join("; ")),
                ));
            }
            (x, Some(y)) if std::mem::discriminant(x) != std::mem::discriminant(y) => {
                out.push(change(
                    path,
                    Op::Changed,
                    Some(x.show()),
                    Some(y.show()),
                    format!("{path}: {} → {}", x.show(), y.show()),
                ));
            }
            _ => {}
        }
    }
    for (path, leaf) in &b {
        if a.contains_key(path) || is_inside_item(path, &added_items) {
            continue;
        }
        match leaf {
            Leaf::Item(id) => out.push(change(
                path,
                Op::Added,
                None,
                Some(id.clone()),
                format!("{} added: {id}", item_kind(path)),
            )),
            y => {
                let y = y.show();
                out.push(change(
                    path,
                    Op::Added,
                    None,
                    Some(y.clone()),
                    format!("{path} set to {y}"),
                ));
            }
        }
    }
    out.sort_by(|x, y| x.path.cmp(&y.path).then((x.op as u8).cmp(&(y.op as u8))));
    out
}

/// Line-level summary of a Markdown file change.
pub fn diff_lines(file: &str, old: Option<&str>, new: Option<&str>) -> Vec<FieldChange> {
    let a: Vec<&str> = old.map_or(vec![], |s| s.lines().collect());
    let b: Vec<&str> = new.map_or(vec![], |s| s.lines().collect());
    // Multiset difference: cheap, order-insensitive, good enough for a summary.
    let mut counts: BTreeMap<&str, i64> = BTreeMap::new();
    for l in &a {
        *counts.entry(l).or_default() -= 1;
    }
    for l in &b {
        *counts.entry(l).or_default() += 1;
    }
    let added: i64 = counts.values().filter(|c| **c > 0).sum();
    let removed: i64 = -counts.values().filter(|c| **c < 0).sum::<i64>();
    if added == 0 && removed == 0 {
        return vec![];
    }
    let lines = |n: i64| {
        if n == 1 {
            "1 line".to_string()
        } else {
            format!("{n} lines")
        }
    };
    let (op, label) = match (old, new) {
        (None, Some(_)) => (Op::Added, format!("added ({})", lines(added))),
        (Some(_), None) => (Op::Removed, format!("removed ({})", lines(removed))),
        _ => (
            Op::Changed,
            format!("{} added, {removed} removed", lines(added)),
        ),
    };
    vec![FieldChange {
        file: file.to_string(),
        path: String::new(),
        op,
        old: None,
        new: None,
        label,
    }]
}

/// Parse TOML text leniently for history: a version that does not parse is
/// shown as unreadable rather than stopping the walk.
pub fn parse_value(text: &str) -> Option<toml::Value> {
    text.parse::<toml::Table>().ok().map(toml::Value::Table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_items_and_lists() {
        let old = r#"
name = "Acme"
[[subprocessor]]
name = "A"
region = "US"
[contract]
renewal = 2026-03-01
[standards]
frameworks = ["soc2-type2"]
"#;
        let new = r#"
name = "Acme"
[[subprocessor]]
name = "A"
region = "EU"
[[subprocessor]]
name = "CloudHost Inc."
region = "US"
[contract]
renewal = 2027-03-01
baa = true
[standards]
frameworks = ["soc2-type2", "iso27001"]
"#;
        let labels: Vec<String> = diff_toml("vendor.toml", Some(old), Some(new))
            .into_iter()
            .map(|c| c.label)
            .collect();
        assert_eq!(
            labels,
            vec![
                "contract.baa set to yes",
                "contract.renewal: 2026-03-01 → 2027-03-01",
                "standards.frameworks: added iso27001",
                "subprocessor[A].region: US → EU",
                "subprocessor added: CloudHost Inc.",
            ]
        );
        let back: Vec<String> = diff_toml("vendor.toml", Some(new), Some(old))
            .into_iter()
            .map(|c| c.label)
            .collect();
        assert!(
            back.contains(&"subprocessor removed: CloudHost Inc.".to_string()),
            "{back:?}"
        );
        assert!(diff_toml("vendor.toml", Some(old), Some(old)).is_empty());
    }

    #[test]
    fn artifacts_match_by_kind_and_title() {
        let old = "[[artifact]]\nkind = \"soc2-type2\"\ntitle = \"SOC 2 2025\"\nperiod_end = 2025-06-30\n";
        let new = "[[artifact]]\nkind = \"soc2-type2\"\ntitle = \"SOC 2 2025\"\nperiod_end = 2025-09-30\n[[artifact]]\nkind = \"pentest\"\ntitle = \"Pentest\"\n";
        let labels: Vec<String> = diff_toml("artifacts.toml", Some(old), Some(new))
            .into_iter()
            .map(|c| c.label)
            .collect();
        assert_eq!(
            labels,
            vec![
                "artifact added: pentest: Pentest",
                "artifact[soc2-type2: SOC 2 2025].period_end: 2025-06-30 → 2025-09-30"
            ]
        );
    }

    #[test]
    fn notes_lines() {
        let c = diff_lines("notes.md", Some("a\nb\n"), Some("a\nc\nd\n"));
        assert_eq!(
            (c[0].file.as_str(), c[0].label.as_str()),
            ("notes.md", "2 lines added, 1 removed")
        );
        assert!(diff_lines("notes.md", Some("a"), Some("a")).is_empty());
    }
}
