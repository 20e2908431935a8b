//! JSON Schemas (draft 2020-12) of every registry file kind, for editors
//! that complete and check TOML through JSON Schemas (Taplo, Even Better
//! TOML): `vetted schema` writes them, `vetted init` too.
//!
//! A schema describes the JSON view of a TOML file, as Taplo maps it: tables
//! are objects, arrays of tables arrays of objects, and a date a string with
//! `"format": "date"`. The shape of each file comes from its raw serde type
//! (`model::raw`, `#[derive(JsonSchema)]`): its keys, their doc comments as
//! descriptions, unknown keys refused as the loader refuses them, and the
//! closed sets of values (`model::closed`). What the registry's policy
//! decides is added from the loaded registry: the sections, questions, types
//! and options of `answers.toml` come from its own questionnaire, an
//! artifact's `kind` is one of its artifact kinds, and a vendor's profile
//! names its tier factors with their values.
//!
//! A schema is never stricter than `check`: every file `check` accepts is
//! valid against its schema (tests/schema.rs proves it with an independent
//! validator). Some rules are left to `check` (cross-file references, date
//! order, residency).

use std::collections::BTreeMap;
use std::path::Path;

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde_json::{Map, Value, json};

use crate::error::Error;
use crate::model::closed::ClosedSet;
use crate::model::domain::AcceptsKind;
use crate::model::raw::*;
use crate::model::{Question, QuestionType, Registry};
use crate::validate::SAFE_SCHEMES;

/// The folder `vetted schema` writes to by default, inside the registry.
pub const DIR: &str = "schemas";

/// The file name of each schema, in the order `generate` gives them.
pub const NAMES: [&str; 9] = [
    "vetted.schema.json",
    "questionnaire.schema.json",
    "tiers.schema.json",
    "artifact-kinds.schema.json",
    "vendor.schema.json",
    "answers.schema.json",
    "artifacts.schema.json",
    "findings.schema.json",
    "exceptions.schema.json",
];

/// Every schema of `registry`'s file kinds: (file name, pretty JSON with
/// sorted keys and a final newline), in the order of [`NAMES`]. The same
/// registry policy gives the same bytes.
pub fn generate(registry: &Registry) -> Vec<(&'static str, String)> {
    let schemas = [
        file::<RawSettings>("vetted.toml", "site and policy settings"),
        file::<RawQuestionnaire>("questionnaire.toml", "the vendor questionnaire"),
        file::<RawTiers>("tiers.toml", "risk factors and tiers"),
        file::<RawArtifactKinds>("artifact-kinds.toml", "kinds of evidence"),
        vendor(registry),
        answers(registry),
        artifacts(registry),
        tracked::<RawFindings>("findings.toml", "remediation items", "finding", "tracks"),
        tracked::<RawExceptions>("exceptions.toml", "accepted risks", "exception", "accepts"),
    ];
    NAMES
        .into_iter()
        .zip(schemas)
        .map(|(name, schema)| (name, to_text(schema)))
        .collect()
}

/// The files each schema is for, as glob patterns inside the registry, in
/// the order of [`NAMES`].
pub const FILES: [&str; 9] = [
    "vetted.toml",
    "questionnaire.toml",
    "tiers.toml",
    "artifact-kinds.toml",
    "vendors/*/vendor.toml",
    "vendors/*/answers.toml",
    "vendors/*/artifacts.toml",
    "vendors/*/findings.toml",
    "vendors/*/exceptions.toml",
];

/// A Taplo configuration file (`.taplo.toml`, read by the Taplo CLI and by
/// Even Better TOML in VS Code) that gives each file of the registry at
/// `registry` (a `/`-separated path relative to the folder the configuration
/// file is in, `"."` for that folder itself) the schema of its kind from
/// `<registry>/schemas`.
pub fn taplo_config(registry: &str) -> String {
    let prefix = match registry.trim_end_matches('/') {
        "" | "." => String::new(),
        r => format!("{r}/"),
    };
    let mut text = String::from(
        "# Taplo configuration (the Taplo CLI, Even Better TOML in VS Code): each\n\
         # registry file is completed and checked against the JSON Schema of its\n\
         # kind. `vetted schema` writes the schemas; run it again after changing\n\
         # questionnaire.toml, tiers.toml or artifact-kinds.toml.\n",
    );
    // Quoted as TOML quotes a string, whatever the registry's path holds.
    let quote = |s: String| toml::Value::String(s).to_string();
    for (name, files) in NAMES.iter().zip(FILES) {
        let include = quote(format!("{prefix}{files}"));
        let path = quote(format!("{prefix}{DIR}/{name}"));
        text.push_str(&format!(
            "\n[[rule]]\ninclude = [{include}]\n\n[rule.schema]\npath = {path}\n"
        ));
    }
    text
}

/// Write `schemas` into `dir` (created if missing), each file atomically:
/// into a temporary file beside it, renamed over it once complete.
pub fn write(dir: &Path, schemas: &[(&'static str, String)]) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::WriteFile {
        path: dir.to_path_buf(),
        source,
    })?;
    for (name, text) in schemas {
        let path = dir.join(name);
        crate::atomic::write(&path, text.as_bytes())
            .map_err(|source| Error::WriteFile { path, source })?;
    }
    Ok(())
}

/// Pretty JSON, keys sorted at every level (whatever order serde_json's
/// map keeps), with a final newline.
fn to_text(schema: Value) -> String {
    let mut text = serde_json::to_string_pretty(&sorted(schema)).unwrap_or_default();
    text.push('\n');
    text
}

fn sorted(v: Value) -> Value {
    match v {
        Value::Object(map) => {
            let by_key: BTreeMap<String, Value> =
                map.into_iter().map(|(k, v)| (k, sorted(v))).collect();
            Value::Object(by_key.into_iter().collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

/// The schema of the raw type `T`, titled for `file`.
fn file<T: JsonSchema>(file: &str, what: &str) -> Value {
    // Inlined, without `$ref`s: one self-contained tree each editor can
    // follow (none of the raw types is recursive).
    let mut settings = SchemaSettings::draft2020_12();
    settings.inline_subschemas = true;
    let schema = settings.into_generator().into_root_schema_for::<T>();
    let mut v = schema.to_value();
    drop_null(&mut v);
    if let Value::Object(root) = &mut v {
        root.insert("title".into(), json!(format!("{file}: {what}")));
        root.insert(
            "$comment".into(),
            json!("Generated by `vetted schema` from the registry's policy files; do not edit, run it again."),
        );
    }
    v
}

/// TOML has no null: an optional key is one that may be left out, so the
/// `null` schemars allows (and gives as default) for an `Option` is taken
/// out again; an editor must never offer to write it.
fn drop_null(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if map.get("default") == Some(&Value::Null) {
                map.remove("default");
            }
            if let Some(Value::Array(values)) = map.get_mut("enum") {
                values.retain(|v| !v.is_null());
            }
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if let [only] = types.as_slice() {
                    let only = only.clone();
                    map.insert("type".into(), only);
                }
            }
            if let Some(Value::Array(any)) = map.get_mut("anyOf") {
                any.retain(|s| s != &json!({ "type": "null" }));
                if let [only] = any.as_slice() {
                    let only = only.clone();
                    map.remove("anyOf");
                    if let Value::Object(inner) = only {
                        for (k, v) in inner {
                            map.entry(k).or_insert(v);
                        }
                    }
                }
            }
            map.values_mut().for_each(drop_null);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null),
        _ => {}
    }
}

/// The object at `pointer` in `v`, when there is one.
fn object_at<'a>(v: &'a mut Value, pointer: &str) -> Option<&'a mut Map<String, Value>> {
    v.pointer_mut(pointer).and_then(Value::as_object_mut)
}

/// findings.toml and exceptions.toml: `key` (`tracks`, `accepts`) of each
/// item of the array of tables `table` starts with one of the kinds of
/// target an exception accepts.
fn tracked<T: JsonSchema>(name: &str, what: &str, table: &str, key: &str) -> Value {
    let mut v = file::<T>(name, what);
    let pattern = format!("^({}):.", AcceptsKind::VALUES.join("|"));
    if let Some(prop) = object_at(
        &mut v,
        &format!("/properties/{table}/items/properties/{key}"),
    ) {
        prop.insert("pattern".into(), json!(pattern));
    }
    v
}

/// vendor.toml: `[profile]` names every factor of tiers.toml, each with one
/// of its values.
fn vendor(registry: &Registry) -> Value {
    let mut v = file::<RawVendor>("vendor.toml", "a vendor's identity, profile and contract");
    let factors = &registry.tiers.factors;
    let properties: Map<String, Value> = factors
        .iter()
        .map(|f| {
            let values: Vec<&str> = f.points.iter().map(|(value, _)| value.as_str()).collect();
            let schema = json!({ "type": "string", "enum": values, "description": f.title });
            (f.id.clone(), schema)
        })
        .collect();
    let required: Vec<&str> = factors.iter().map(|f| f.id.as_str()).collect();
    if let Some(profile) = object_at(&mut v, "/properties/profile") {
        profile.insert("properties".into(), Value::Object(properties));
        profile.insert("required".into(), json!(required));
        profile.insert("additionalProperties".into(), json!(false));
    }
    v
}

/// artifacts.toml: `kind` is one of the registry's artifact kinds.
fn artifacts(registry: &Registry) -> Value {
    let mut v = file::<RawArtifacts>("artifacts.toml", "a vendor's evidence on file");
    let kinds: Vec<&str> = registry.kinds.keys().map(String::as_str).collect();
    let listed: Vec<String> = registry
        .kinds
        .values()
        .map(|k| format!("`{}`: {}", k.id, k.title))
        .collect();
    if let Some(kind) = object_at(&mut v, "/properties/artifact/items/properties/kind") {
        kind.insert("enum".into(), json!(kinds));
        kind.insert(
            "description".into(),
            json!(format!(
                "The artifact's kind, a kind of artifact-kinds.toml: {}.",
                listed.join("; ")
            )),
        );
    }
    v
}

/// answers.toml, from the registry's questionnaire: one table per section,
/// one key per question, typed as the question asks.
fn answers(registry: &Registry) -> Value {
    let sections: Map<String, Value> = registry
        .questionnaire
        .sections
        .iter()
        .map(|s| {
            let questions: Map<String, Value> = s
                .questions
                .iter()
                .map(|q| (q.id.clone(), answer(q)))
                .collect();
            let mut section = json!({
                "type": "object",
                "title": s.title,
                "properties": questions,
                "additionalProperties": false,
            });
            if let (Some(summary), Value::Object(map)) = (&s.summary, &mut section) {
                map.insert("description".into(), json!(summary));
            }
            (s.id.clone(), section)
        })
        .collect();
    let mut sections = sections;
    // `[provenance]`: where the answers came from (`questionnaire import`
    // writes it); no questionnaire section may take its name.
    let mut provenance = file::<RawProvenance>("answers.toml", "provenance");
    if let Value::Object(map) = &mut provenance {
        for key in ["$schema", "$comment", "title"] {
            map.remove(key);
        }
        map.insert(
            "description".into(),
            json!("Where these answers came from: written by `vetted questionnaire import`."),
        );
    }
    sections.insert("provenance".into(), provenance);
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": "Generated by `vetted schema` from the registry's questionnaire.toml; do not edit, run it again.",
        "title": "answers.toml: a vendor's answers to the questionnaire",
        "description": "One table per questionnaire section, one key per question; an unanswered question is left out.",
        "type": "object",
        "properties": sections,
        "additionalProperties": false,
    })
}

/// The schema of one answer: its type, its options, and the prompt,
/// guidance and tiers that require it as description.
fn answer(q: &Question) -> Value {
    let options = || json!({ "type": "string", "enum": q.options });
    let mut schema = match q.kind {
        QuestionType::Bool => json!({ "type": "boolean" }),
        QuestionType::Integer => json!({ "type": "integer" }),
        QuestionType::Date => json!({ "type": "string", "format": "date" }),
        QuestionType::Text => json!({ "type": "string" }),
        QuestionType::Url => json!({ "type": "string", "pattern": link_pattern() }),
        QuestionType::Choice => options(),
        QuestionType::Multi => json!({ "type": "array", "items": options() }),
        QuestionType::List => json!({ "type": "array", "items": { "type": "string" } }),
    };
    let mut description = format!("{}\n\n{}", q.prompt, q.guidance.trim());
    let mut facts = vec![format!("Type: {}", q.kind)];
    if let Some(unit) = &q.unit {
        facts.push(format!("unit: {unit}"));
    }
    if !q.required_for.is_empty() {
        let tiers: Vec<String> = q.required_for.iter().map(u8::to_string).collect();
        let tier = if tiers.len() == 1 { "tier" } else { "tiers" };
        facts.push(format!("required for {tier} {}", tiers.join(", ")));
    }
    description.push_str(&format!("\n\n{}.", facts.join("; ")));
    if let Value::Object(map) = &mut schema {
        map.insert("title".into(), json!(q.prompt));
        map.insert("description".into(), json!(description));
    }
    schema
}

/// An absolute link with a safe scheme, as `check` wants a `url` answer
/// (the scheme in any case, after leading blanks).
fn link_pattern() -> String {
    let schemes: Vec<String> = SAFE_SCHEMES
        .iter()
        .map(|s| {
            s.chars()
                .map(|c| match c {
                    c if c.is_ascii_alphabetic() => {
                        format!("[{}{}]", c.to_ascii_lowercase(), c.to_ascii_uppercase())
                    }
                    c => regex_escape(c),
                })
                .collect()
        })
        .collect();
    format!("^\\s*({}):", schemes.join("|"))
}

fn regex_escape(c: char) -> String {
    if c.is_ascii_alphanumeric() {
        c.to_string()
    } else {
        format!("\\{c}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_set_is_exactly_the_nine_file_kinds() {
        let mut names = NAMES.to_vec();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "answers.schema.json",
                "artifact-kinds.schema.json",
                "artifacts.schema.json",
                "exceptions.schema.json",
                "findings.schema.json",
                "questionnaire.schema.json",
                "tiers.schema.json",
                "vendor.schema.json",
                "vetted.schema.json",
            ]
        );
    }

    #[test]
    fn the_taplo_configuration_has_one_rule_per_schema_relative_to_the_registry() {
        let here = taplo_config(".");
        let doc: toml::Table = toml::from_str(&here).unwrap();
        let rules = doc["rule"].as_array().unwrap();
        assert_eq!(rules.len(), NAMES.len());
        assert_eq!(
            rules[5]["include"][0].as_str(),
            Some("vendors/*/answers.toml")
        );
        assert_eq!(
            rules[5]["schema"]["path"].as_str(),
            Some("schemas/answers.schema.json")
        );
        // A path that needs quoting stays one TOML string.
        let odd: toml::Table = toml::from_str(&taplo_config("my \"reg\"/")).unwrap();
        assert_eq!(
            odd["rule"][0]["schema"]["path"].as_str(),
            Some("my \"reg\"/schemas/vetted.schema.json")
        );
    }

    #[test]
    fn null_is_taken_out_of_optional_keys() {
        let mut v = json!({
            "a": { "type": ["string", "null"], "default": null, "enum": ["x", null] },
            "b": { "anyOf": [{ "$ref": "#/$defs/X" }, { "type": "null" }], "description": "d" },
        });
        drop_null(&mut v);
        assert_eq!(
            v,
            json!({
                "a": { "type": "string", "enum": ["x"] },
                "b": { "$ref": "#/$defs/X", "description": "d" },
            })
        );
    }

    #[test]
    fn the_link_pattern_takes_the_safe_schemes_in_any_case() {
        assert_eq!(SAFE_SCHEMES, ["http", "https", "mailto"]);
        assert!(link_pattern().starts_with("^\\s*([hH][tT][tT][pP]|"));
    }

    /// Every key the schemas name is a key of the file (`keys!`), and back.
    #[test]
    fn struct_schemas_name_exactly_the_declared_keys() {
        fn keys_of<T: JsonSchema>() -> Vec<String> {
            let v = file::<T>("f", "w");
            let mut keys: Vec<String> = v["properties"]
                .as_object()
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default();
            keys.sort();
            keys
        }
        fn declared(keys: &[&str]) -> Vec<String> {
            let mut v: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
            v.sort();
            v
        }
        assert_eq!(keys_of::<RawSettings>(), declared(RawSettings::KEYS));
        assert_eq!(keys_of::<RawVendor>(), declared(RawVendor::KEYS));
        assert_eq!(keys_of::<RawArtifact>(), declared(RawArtifact::KEYS));
        assert_eq!(keys_of::<RawQuestion>(), declared(RawQuestion::KEYS));
        assert_eq!(keys_of::<RawTier>(), declared(RawTier::KEYS));
        assert_eq!(keys_of::<RawFinding>(), declared(RawFinding::KEYS));
        assert_eq!(keys_of::<RawException>(), declared(RawException::KEYS));
        assert_eq!(
            keys_of::<RawArtifactKind>(),
            declared(RawArtifactKind::KEYS)
        );
    }
}
