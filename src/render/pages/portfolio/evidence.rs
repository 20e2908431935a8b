//! `evidence/index.html`: live vendors × the evidence kinds any of them must
//! hold, each cell the vendor page's requirements of that kind in one
//! (their worst status, what meets them, a substitute).

use super::{page_count, page_path, page_rows, page_title, pager};
use crate::render::assessed::Assessed;
use crate::render::badge::{artifact_badge, decision_badge};
use crate::render::link::vendor_link;
use crate::render::model::Model;
use crate::render::page::{Page, Target};
use crate::render::view::{
    Badge, EvidenceCell, EvidenceKindColumn, FilterOption, EvidencePage, EvidenceRow, NavSection, Tone,
};

/// Rows per page: a row holds a cell per kind, so the page stays well
/// under 1 MiB.
pub const PER_PAGE: usize = 200;
const DIR: &str = "evidence";

/// The whole matrix.
pub struct Matrix {
    pub kinds: Vec<EvidenceKindColumn>,
    /// Tier 1 first, then by name (the site's vendor order).
    pub rows: Vec<EvidenceRow>,
    pub statuses: Vec<FilterOption>,
}

pub struct EvidencePages;

impl Page for EvidencePages {
    type Data = EvidencePage;
    const TEMPLATE: &'static str = "evidence.html";
    const SECTION: NavSection = NavSection::Evidence;
    const KEY: &'static str = "evidence";

    fn count(&self, model: &Model) -> usize {
        page_count(model.cross().evidence.rows.len(), PER_PAGE)
    }

    fn target<'m>(&self, model: &'m Model, i: usize) -> Target<'m> {
        Target {
            path: page_path(DIR, i).into(),
            title: page_title("Evidence", i, self.count(model)).into(),
        }
    }

    fn data(&self, model: &Model, i: usize) -> EvidencePage {
        let m = &model.cross().evidence;
        EvidencePage {
            kinds: m.kinds.clone(),
            rows: page_rows(&m.rows, i, PER_PAGE),
            pager: pager(DIR, i, m.rows.len(), PER_PAGE),
            tiers: model.all_tiers(),
            statuses: m.statuses.clone(),
        }
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
            EvidenceKindColumn {
                id: (*k).to_string(),
                title: model.kind_title(k),
                required: required.len(),
                unmet: required.iter().filter(|c| c.met < c.of).count(),
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
