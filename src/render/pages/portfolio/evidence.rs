//! `evidence/index.html`: live vendors × the evidence kinds any of them must
//! hold, each cell the vendor page's requirements of that kind in one
//! (their worst status, what meets them, a substitute). A paginated table
//! ([`crate::render::table`]): `evidence/page/N/`, facets `evidence/tier/N/`
//! and `evidence/kind/<id>/` (vendors required to hold it), and
//! `evidence/rows.js` (hash keys `q`, `tier`, `decision`, `kind`, `status`:
//! with both, the status of that kind's cell; `unmet`: short of valid).

use std::sync::Arc;

use serde_json::json;

use crate::error::Error;
use crate::render::assessed::Assessed;
use crate::render::badge::{artifact_badge, decision_badge};
use crate::render::link::vendor_link;
use crate::render::model::Model;
use crate::render::page::{Page, Target};
use crate::render::publish::OutFile;
use crate::render::table::{Columns, DataRow, Facet, Listing, Part, data_script_with};
use crate::render::view::{
    Badge, EvidenceCell, EvidenceKindColumn, EvidencePage, EvidenceRow, FilterOption, NavSection,
    TierTally, Tone,
};

const DIR: &str = "evidence/";
const NAME: &str = "evidence";

/// The whole matrix.
pub struct Matrix {
    pub kinds: Vec<EvidenceKindColumn>,
    /// Tier 1 first, then by name (the site's vendor order).
    pub rows: Vec<EvidenceRow>,
    pub statuses: Vec<FilterOption>,
}

pub struct EvidencePages;

/// The listing of the matrix's pages and facets (tier, required kind).
fn listing(model: &Model) -> Arc<Listing> {
    model.memo.get("evidence-listing", || {
        let cross = super::cross(model);
        let m = &cross.evidence;
        let rows = &m.rows;
        let mut facets = Facet::tiers(rows, &model.all_tiers(), |r| r.tier.level);
        for (i, k) in m.kinds.iter().enumerate() {
            let required = |r: &EvidenceRow| r.cells.get(i).is_some_and(|c| c.required);
            facets.push(Facet::new(
                rows, "kind", "Evidence", &k.id, &k.title, required,
            ));
        }
        let per = model.registry.settings.rows_per_page;
        Listing::new(NAME, DIR, rows.len(), per, facets)
    })
}

impl Page for EvidencePages {
    type Data = EvidencePage;
    const TEMPLATE: &'static str = "evidence.html";
    const SECTION: NavSection = NavSection::Evidence;
    const KEY: &'static str = "evidence";

    fn count(&self, model: &Model) -> usize {
        listing(model).count()
    }

    fn target<'m>(&self, model: &'m Model, i: usize) -> Target<'m> {
        listing(model).target(i, "Evidence")
    }

    fn data(&self, model: &Model, i: usize) -> EvidencePage {
        let cross = super::cross(model);
        let m = &cross.evidence;
        let l = listing(model);
        EvidencePage {
            kinds: m.kinds.clone(),
            rows: l
                .window(i)
                .iter()
                .filter_map(|&r| m.rows.get(r).cloned())
                .collect(),
            table: l.view(i),
            tiers: model.all_tiers(),
            statuses: m.statuses.clone(),
        }
    }
}

/// `evidence/rows.js`: every matrix row for vetted.js. Filters: `tier`,
/// `decision`, `kind` (the kinds with a cell), `status` (every cell status,
/// `unmet` too) and `cells` (`kind:status` tokens, read with `kind` and
/// `status` together: `pairs`).
pub fn script(model: &Model) -> Result<OutFile, Error> {
    let cross = super::cross(model);
    let m = &cross.evidence;
    let mut sort: Vec<String> = ["vendor", "tier", "decision"].map(String::from).to_vec();
    let mut cells: Vec<(&str, &str)> = vec![("th", ""), ("td", ""), ("td", "")];
    for k in &m.kinds {
        sort.push(format!("k:{}", k.id));
        cells.push(("td", ""));
    }
    let sort: Vec<&str> = sort.iter().map(String::as_str).collect();
    let cols = Columns {
        sort: &sort,
        filters: &["tier", "decision", "kind", "status", "cells"],
        cells: &cells,
    };
    let rows: Vec<DataRow> = m.rows.iter().map(data_row).collect();
    let pairs = vec![("pairs", json!([["kind", "status", "cells"]]))];
    data_script_with(&format!("{DIR}rows.js"), NAME, &cols, &rows, pairs)
}

fn data_row(r: &EvidenceRow) -> DataRow {
    let mut sort = vec![
        json!(r.vendor.name.to_lowercase()),
        json!(r.tier.level),
        json!(r.decision.rank),
    ];
    let mut cells = vec![
        vec![Part::Link(r.vendor.name.clone(), r.vendor.href.clone())],
        vec![Part::Tier(r.tier.clone())],
        vec![Part::Badge(r.decision.clone())],
    ];
    let (mut kinds, mut statuses) = (Vec::new(), Vec::new());
    for c in &r.cells {
        let Some(st) = c.status.as_ref().filter(|_| c.required) else {
            sort.push(json!(-1));
            cells.push(vec![Part::Muted("Not required".into())]);
            continue;
        };
        kinds.push(c.kind.clone());
        statuses.push(st.key.clone());
        if c.met < c.of {
            statuses.push("unmet".to_string());
        }
        sort.push(json!(st.rank));
        let mut parts = vec![Part::BadgeLink(st.clone(), c.href.clone())];
        if let Some(t) = &c.title {
            parts.push(Part::Sub(t.clone()));
        } else if c.of > 1 {
            parts.push(Part::Sub(format!("{} of {} products met", c.met, c.of)));
        }
        if let Some(s) = &c.substitute {
            parts.push(Part::Sub(format!("Substitute: {s}")));
        }
        if c.accepted {
            parts.push(Part::Sub("Accepted by exception".into()));
        }
        cells.push(parts);
    }
    statuses.sort();
    statuses.dedup();
    DataRow {
        key: r.vendor.slug.clone(),
        sort,
        filter: vec![
            r.tier.level.to_string(),
            r.decision.key.clone(),
            kinds.join(" "),
            statuses.join(" "),
            r.cells_key.clone(),
        ],
        cells,
    }
}

/// The matrix of every live vendor.
pub fn matrix(model: &Model) -> Matrix {
    let live: Vec<&Assessed> = model.live().collect();
    // Columns: kinds some live vendor must hold, in artifact-kinds.toml order.
    let kinds: Vec<&str> = model
        .registry
        .kinds
        .keys()
        .map(String::as_str)
        .filter(|k| {
            live.iter()
                .any(|p| p.requirements().iter().any(|r| r.kind == *k))
        })
        .collect();
    let mut rows: Vec<EvidenceRow> = live.iter().map(|p| row(model, p, &kinds)).collect();
    rows.sort_by_key(|r| r.tier.level); // stable: by name within a tier
    let columns = kinds
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let cells = rows.iter().filter_map(|r| r.cells.get(i));
            let required: Vec<&EvidenceCell> = cells.filter(|c| c.required).collect();
            let unmet: Vec<u8> = rows
                .iter()
                .filter(|r| r.cells.get(i).is_some_and(|c| c.required && c.met < c.of))
                .map(|r| r.tier.level)
                .collect();
            let mut levels = unmet.clone();
            levels.dedup(); // rows are in tier order
            EvidenceKindColumn {
                id: (*k).to_string(),
                title: model.kind_title(k),
                required: required.len(),
                unmet: unmet.len(),
                unmet_by_tier: levels
                    .into_iter()
                    .map(|l| TierTally {
                        tier: model.tier(l),
                        count: unmet.iter().filter(|x| **x == l).count(),
                    })
                    .collect(),
            }
        })
        .collect();
    let mut statuses: Vec<Badge> = Vec::new();
    for c in rows.iter().flat_map(|r| &r.cells) {
        if let Some(s) = &c.status
            && !statuses.iter().any(|x| x.key == s.key)
        {
            statuses.push(s.clone());
        }
    }
    statuses.sort_by(|a, b| (a.rank, &a.key).cmp(&(b.rank, &b.key)));
    let unmet = FilterOption {
        value: "unmet".into(),
        label: "Not met (any status)".into(),
    };
    Matrix {
        kinds: columns,
        rows,
        statuses: std::iter::once(unmet)
            .chain(statuses.into_iter().map(|b| FilterOption {
                value: b.key,
                label: b.label,
            }))
            .collect(),
    }
}

fn row(model: &Model, p: &Assessed, kinds: &[&str]) -> EvidenceRow {
    let cells: Vec<EvidenceCell> = kinds.iter().map(|k| cell(model, p, k)).collect();
    let mut tokens = Vec::new();
    for c in &cells {
        if let Some(s) = &c.status {
            tokens.push(format!("{}:{}", c.kind, s.key));
            if c.met < c.of {
                tokens.push(format!("{}:unmet", c.kind));
            }
        }
    }
    let cells_key = tokens.join(" ");
    EvidenceRow {
        vendor: vendor_link(p.vendor),
        tier: model.tier(p.assessment.tier),
        decision: decision_badge(p.assessment.decision.value),
        cells,
        cells_key,
    }
}

/// The vendor's requirements of `kind` in one cell.
pub fn cell(model: &Model, p: &Assessed, kind: &str) -> EvidenceCell {
    let reqs: Vec<_> = p.requirements().iter().filter(|r| r.kind == kind).collect();
    let status = reqs
        .iter()
        .map(|r| match &r.not_assessed {
            Some(_) => Badge::new("not-assessed", "Not assessed", Tone::Neutral, 0),
            None => artifact_badge(r.status),
        })
        .max_by_key(|b| b.rank);
    let mut by: Vec<usize> = reqs.iter().filter_map(|r| r.satisfied_by).collect();
    let met = by.len();
    by.sort_unstable();
    by.dedup();
    let single = (by.len() == 1 && met == reqs.len())
        .then(|| by.first().and_then(|i| p.artifact(*i)))
        .flatten();
    let href = match by.as_slice() {
        [i] => format!("{}#artifact-{i}", p.href),
        _ => format!("{}#evidence", p.href),
    };
    EvidenceCell {
        kind: kind.to_string(),
        required: !reqs.is_empty(),
        status,
        of: reqs.len(),
        met,
        title: single.map(|j| j.record.title.clone()),
        href,
        substitute: reqs
            .iter()
            .find_map(|r| r.met_by_kind.as_ref().filter(|k| *k != kind))
            .map(|k| model.kind_title(k)),
        accepted: reqs.iter().any(|r| r.accepted_by.is_some()),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::history::History;

    #[test]
    fn a_cell_joins_a_kinds_requirements_over_the_products() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("registry");
        let registry = crate::validate::validate(crate::load::load(&root))
            .registry
            .expect("the example registry is valid");
        let assessment = crate::assess::assess(&registry, "2026-11-22".parse().unwrap());
        let history = History::default();
        let model = Model::new(&registry, &assessment, &history);
        let m = matrix(&model);
        let row = |slug: &str| {
            m.rows
                .iter()
                .find(|r| r.vendor.slug == slug)
                .expect("a live vendor")
        };
        let col = m.kinds.iter().position(|k| k.id == "soc2-type2").unwrap();
        // Three products, none covered by a current report.
        let c = &row("lumenview-imaging").cells[col];
        assert_eq!((c.required, c.met, c.of), (true, 0, 3));
        assert_eq!(c.status.as_ref().unwrap().key, "expired");
        assert!(c.title.is_none() && c.href.ends_with("#evidence"));
        // One report for the whole vendor: its title and anchor.
        let c = &row("corvane-infusion").cells[col];
        assert_eq!(c.met, c.of);
        assert!(c.title.is_some() && c.href.contains("#artifact-"), "{c:?}");
        assert!(
            row("corvane-infusion")
                .cells_key
                .contains("soc2-type2:valid")
        );
        assert!(
            row("rxvault-dispensing")
                .cells_key
                .contains("soc2-type2:unmet")
        );
        let k = &m.kinds[col];
        assert_eq!(
            k.unmet_by_tier.first().map(|t| (t.tier.level, t.count)),
            Some((1, 3))
        );
        // Rows tier 1 first.
        assert!(
            m.rows
                .windows(2)
                .all(|w| w[0].tier.level <= w[1].tier.level)
        );
    }
}
