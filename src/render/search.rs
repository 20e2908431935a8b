//! `search-index.js`: what the site's search box finds (vendors, products,
//! questions), as one script assigning `window.VETTED_SEARCH`, loaded with
//! `<script src>` so search works from `file://` where fetching JSON does not.

use super::link::question_anchor;
use super::model::Model;
use super::publish::OutFile;
use super::view::SearchEntry;
use crate::error::Error;

/// Every search entry: vendors by name with their products, then questions.
pub fn entries(model: &Model) -> Vec<SearchEntry> {
    let mut out = Vec::new();
    for p in model.assessed() {
        let v = p.vendor;
        let products: Vec<&str> = v.products.iter().map(|p| p.name.as_str()).collect();
        out.push(SearchEntry {
            t: v.name.clone(),
            k: "Vendor".into(),
            u: p.href.clone(),
            x: [v.category.as_str(), &products.join(", ")]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" · "),
        });
        for prod in &v.products {
            out.push(SearchEntry {
                t: format!("{} {}", prod.name, prod.version),
                k: "Product".into(),
                u: format!("{}#profile", p.href),
                x: v.name.clone(),
            });
        }
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

/// The search index as a script.
pub fn script(model: &Model) -> Result<OutFile, Error> {
    let json = serde_json::to_string(&entries(model))
        .map_err(|source| Error::SearchIndexSerialise { source })?;
    // `</` never appears inside a JS string literal that serde_json wrote unless the data has it;
    // escape it anyway so the file is also safe to inline.
    let json = json.replace("</", "<\\/");
    Ok(OutFile {
        path: "search-index.js".to_string(),
        bytes: format!("window.VETTED_SEARCH = {json};\n").into_bytes(),
    })
}
