//! The search index: what the site's search box finds (vendors, categories,
//! owners and contacts, products, subprocessors, findings, evidence titles,
//! questions), split so a keystroke loads little whatever the registry's size.
//!
//! - `search/e/<n>.js`: the entries, [`CHUNK`] per file, each once, as
//!   `[title, kind code, target, extra]`, ordered by kind (vendors first)
//!   then as listed; an entry's id is its position. A target starting with
//!   `@` is `vendors/<slug>/index.html` plus what follows the slug
//!   (`@acme`). An entry about an item of a vendor's page is
//!   `[title, kind code, vendor id, "#fragment", extra]`: the vendor by the
//!   id of its entry, whose name the script adds to the extra text (#15:
//!   no slug and name repeated in every finding, product, contact and
//!   evidence entry).
//! - `search/<c>.js`: for every word whose first character is `c` (a
//!   lowercase ASCII letter or digit; `_` for any other), the ids of the
//!   entries with that word in their title or extra text, delta-encoded
//!   (first id, then differences).
//!
//! A query word matches an entry when it begins one of the entry's words;
//! the search box loads the word files of the query's words, intersects
//! their ids, and loads only the entry files of the results it shows.
//! Every file is a script adding to `window.VETTED_SEARCH` (`w` for words,
//! `e` for entries), so it loads with `<script src>` from `file://`.

use std::collections::BTreeMap;

use super::link::{anchor, question_anchor};
use super::model::Model;
use super::publish::OutFile;
use super::view::SearchEntry;
use crate::error::Error;

/// Folder of the shards.
pub const DIR: &str = "search";

/// Shard keys, in file order: every one is written, empty or not.
pub const SHARDS: &str = "abcdefghijklmnopqrstuvwxyz0123456789_";

/// Every search entry: vendors by name with their categories, owners,
/// contacts, products, findings and evidence; subprocessors; categories;
/// questions.
pub fn entries(model: &Model) -> Vec<SearchEntry> {
    let mut out = Vec::new();
    let entry = |t: String, k: &str, u: String, x: String| SearchEntry {
        t,
        k: k.into(),
        u,
        x,
    };
    let mut categories: BTreeMap<&str, usize> = BTreeMap::new();
    for p in model.assessed() {
        let v = p.vendor;
        *categories.entry(v.category.as_str()).or_default() += 1;
        let at = |a: &str| format!("{}#{a}", p.href);
        let extra = [v.category.as_str(), v.owner.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ");
        out.push(entry(v.name.clone(), "Vendor", p.href.clone(), extra));
        if !v.owner.is_empty() {
            let x = format!("Owner of {}", v.name);
            out.push(entry(v.owner.clone(), "Owner", at("profile"), x));
        }
        let c = &v.contacts;
        for (role, value) in [
            ("Security contact", &c.security),
            ("Account contact", &c.account),
            ("Vulnerability disclosure", &c.disclosure),
        ] {
            if let Some(value) = value {
                let x = format!("{role} · {}", v.name);
                out.push(entry(value.clone(), "Owner", at("profile"), x));
            }
        }
        for prod in &v.products {
            let t = format!("{} {}", prod.name, prod.version);
            out.push(entry(t, "Product", at("profile"), v.name.clone()));
        }
        for j in &p.findings {
            let f = j.record;
            let x = match &f.owner {
                Some(o) => format!("{} · {o}", v.name),
                None => v.name.clone(),
            };
            let t = format!("{} {}", f.id, f.title);
            out.push(entry(t, "Finding", at(&anchor("finding", &f.id)), x));
        }
        for j in &p.artifacts {
            let a = j.record;
            let x = format!("{} · {}", model.kind_title(&a.kind), v.name);
            let u = at(&format!("artifact-{}", a.index));
            out.push(entry(a.title.clone(), "Evidence", u, x));
        }
    }
    for g in &crate::render::pages::cross(model).subprocessors.groups {
        let r = &g.row;
        let x = format!(
            "{} {}{}",
            r.vendors,
            if r.vendors == 1 { "vendor" } else { "vendors" },
            r.regions
                .first()
                .map_or_else(String::new, |x| format!(" · {x}"))
        );
        out.push(entry(r.name.clone(), "Subprocessor", r.href.clone(), x));
    }
    for (c, n) in categories {
        if c.is_empty() {
            continue;
        }
        let u = format!("vendors/index.html#q={}", url_encode(c));
        let x = format!("{n} {}", if n == 1 { "vendor" } else { "vendors" });
        out.push(entry(c.to_string(), "Category", u, x));
    }
    for s in &model.registry.questionnaire.sections {
        for q in &s.questions {
            out.push(SearchEntry {
                t: q.prompt.clone(),
                k: "Question".into(),
                u: format!("questionnaire/index.html#{}", question_anchor(&s.id, &q.id)),
                x: s.title.clone(),
            });
        }
    }
    out
}

/// `%`-encoding for a hash value: everything but ASCII letters, digits and `-._~`.
fn url_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The one-letter code of a kind in the shards (the theme's script names them).
fn code(kind: &str) -> &'static str {
    match kind {
        "Vendor" => "v",
        "Product" => "p",
        "Subprocessor" => "s",
        "Finding" => "f",
        "Evidence" => "e",
        "Owner" => "o",
        "Category" => "c",
        _ => "q",
    }
}

/// A target as the shards write it: a vendor page shortened to `@slug#…`.
fn short(u: &str) -> String {
    match u
        .strip_prefix("vendors/")
        .and_then(|r| r.split_once("/index.html"))
    {
        Some((slug, rest)) => format!("@{slug}{rest}"),
        None => u.to_string(),
    }
}

/// The shard of a word: its first character if an ASCII letter or digit
/// (lowercased), else `_`.
pub fn shard_of(word: &str) -> char {
    match word.chars().next() {
        Some(c) if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
        _ => '_',
    }
}

/// Entries per entry file.
pub const CHUNK: usize = 1000;

/// Kind codes in result order.
const ORDER: &str = "vcopsfeq";

/// The words of a text as the index splits them: lowercase runs of letters
/// and digits.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// The entries as the entry files write them: an entry about something on
/// a vendor's page names its vendor by the id of the vendor's entry,
/// `[title, kind, vendor id, "#fragment", extra]`, its extra text without the
/// vendor's name (the script shows it from the vendor's entry); others stay
/// `[title, kind, target, extra]`. The words are indexed from the full text.
fn compact_entries(all: &[[String; 4]]) -> Vec<serde_json::Value> {
    use serde_json::json;
    let vendors: BTreeMap<&str, (usize, &str)> = all
        .iter()
        .enumerate()
        .filter(|(_, e)| e[1] == "v")
        .filter_map(|(id, e)| Some((e[2].strip_prefix('@')?, (id, e[0].as_str()))))
        .collect();
    all.iter()
        .map(|e| {
            let [t, k, u, x] = e;
            let (slug, fragment) = u.split_once('#').unwrap_or((u.as_str(), ""));
            let vendor = slug.strip_prefix('@').and_then(|s| vendors.get(s));
            match vendor {
                Some(&(id, name)) if k != "v" => {
                    let owner_of = format!("Owner of {name}");
                    let rest: Vec<&str> = x
                        .split(" · ")
                        .filter(|p| *p != name && *p != owner_of)
                        .collect();
                    let hash = if u.contains('#') {
                        format!("#{fragment}")
                    } else {
                        String::new()
                    };
                    json!([t, k, id, hash, rest.join(" · ")])
                }
                _ => json!([t, k, u, x]),
            }
        })
        .collect()
}

/// The index as files under `search/`: entry chunks and word shards.
pub fn scripts(model: &Model) -> Result<Vec<OutFile>, Error> {
    let mut all: Vec<[String; 4]> = entries(model)
        .into_iter()
        .map(|e| [e.t, code(&e.k).into(), short(&e.u), e.x])
        .collect();
    all.sort_by_key(|e| ORDER.find(e[1].as_str()).unwrap_or(ORDER.len()));
    let compact = compact_entries(&all);
    let mut shards: BTreeMap<char, BTreeMap<String, Vec<usize>>> =
        SHARDS.chars().map(|c| (c, BTreeMap::new())).collect();
    for (id, e) in all.iter().enumerate() {
        let mut ws: Vec<String> = words(&e[0]).chain(words(&e[3])).collect();
        ws.sort_unstable();
        ws.dedup();
        for w in ws {
            let ids = shards
                .entry(shard_of(&w))
                .or_default()
                .entry(w)
                .or_default();
            ids.push(id);
        }
    }
    let script = |key: String, json: String| {
        // Escape `</` anyway, so the file is also safe to inline.
        let json = json.replace("</", "<\\/");
        format!(
            "(function (s) {{ s[{key}] = {json}; }}((window.VETTED_SEARCH = window.VETTED_SEARCH || {{ w: {{}}, e: {{}} }}).{}));\n",
            if key.starts_with('"') { "w" } else { "e" }
        )
    };
    let mut out = Vec::new();
    for (n, chunk) in compact.chunks(CHUNK).enumerate() {
        let json = serde_json::to_string(chunk)
            .map_err(|source| Error::SearchIndexSerialise { source })?;
        out.push(OutFile {
            path: format!("{DIR}/e/{n}.js"),
            bytes: script(n.to_string(), json).into_bytes(),
        });
    }
    for (c, words) in shards {
        let deltas: BTreeMap<String, Vec<usize>> = words
            .into_iter()
            .map(|(w, ids)| {
                let mut prev = 0;
                let d = ids
                    .into_iter()
                    .map(|id| {
                        let x = id - prev;
                        prev = id;
                        x
                    })
                    .collect();
                (w, d)
            })
            .collect();
        let json = serde_json::to_string(&deltas)
            .map_err(|source| Error::SearchIndexSerialise { source })?;
        out.push(OutFile {
            path: format!("{DIR}/{c}.js"),
            bytes: script(format!("\"{c}\""), json).into_bytes(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_go_to_the_shard_of_their_first_character() {
        let w: Vec<String> = words("Acme SOC-2 report, <b>Émile</b> ../..").collect();
        assert_eq!(w, ["acme", "soc", "2", "report", "b", "émile", "b"]);
        assert_eq!(shard_of("acme"), 'a');
        assert_eq!(shard_of("2"), '2');
        assert_eq!(shard_of("émile"), '_');
    }

    #[test]
    fn vendor_items_name_their_vendor_by_id_without_slug_or_name() {
        let e = |t: &str, k: &str, u: &str, x: &str| [t, k, u, x].map(String::from);
        let all = [
            e("Acme", "v", "@acme", "pacs · Radiology"),
            e("Radiology", "o", "@acme#profile", "Owner of Acme"),
            e(
                "sec@acme.example",
                "o",
                "@acme#profile",
                "Security contact · Acme",
            ),
            e("F-1 Weak TLS", "f", "@acme#finding-F-1", "Acme · J. Doe"),
            e("Nimbus", "s", "subprocessors/nimbus/index.html", "1 vendor"),
        ];
        let c: Vec<String> = compact_entries(&all)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            c,
            [
                r#"["Acme","v","@acme","pacs · Radiology"]"#,
                r##"["Radiology","o",0,"#profile",""]"##,
                r##"["sec@acme.example","o",0,"#profile","Security contact"]"##,
                r##"["F-1 Weak TLS","f",0,"#finding-F-1","J. Doe"]"##,
                r#"["Nimbus","s","subprocessors/nimbus/index.html","1 vendor"]"#,
            ]
        );
    }

    #[test]
    fn vendor_targets_are_shortened_and_others_kept() {
        assert_eq!(
            short("vendors/acme/index.html#artifact-0"),
            "@acme#artifact-0"
        );
        assert_eq!(short("vendors/acme/index.html"), "@acme");
        assert_eq!(short("vendors/index.html#q=x"), "vendors/index.html#q=x");
        assert_eq!(
            short("subprocessors/a/index.html"),
            "subprocessors/a/index.html"
        );
        assert_eq!(url_encode("Imaging & PACS"), "Imaging%20%26%20PACS");
    }
}
