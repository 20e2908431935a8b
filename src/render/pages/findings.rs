//! `findings/index.html` and its further pages and facets
//! (`findings/page/N/`, `findings/status/open/`, `findings/tier/1/`):
//! findings across all vendors, a page of `[site] rows_per_page` at a time;
//! vetted.js filters and sorts all of them from `findings/rows.js` (see
//! [`crate::render::table`]). Its rows are also the dashboard's open findings.

use std::sync::Arc;

use serde_json::json;

use crate::error::Error;
use crate::model::FindingSeverity;
use crate::model::closed::ClosedSet;
use crate::render::badge::{finding_badge, open_badge};
use crate::render::link::{accepted, anchor, vendor_link};
use crate::render::model::Model;
use crate::render::page::{Page, Target};
use crate::render::publish::OutFile;
use crate::render::table::{Columns, DataRow, Facet, Listing, Part, data_script};
use crate::render::view::{Badge, FindingRow, FindingsPage, NavSection, Tone};

pub struct Findings;

const DIR: &str = "findings/";
const NAME: &str = "findings";

/// Every finding in order, and the listing of its pages and facets.
struct Table {
    rows: Vec<FindingRow>,
    listing: Listing,
}

fn table(model: &Model) -> Arc<Table> {
    model.memo.get(NAME, || {
        let rows = rows(model);
        let mut facets = Vec::new();
        for s in [open_badge(true), open_badge(false)] {
            facets.push(Facet::new(
                &rows,
                "status",
                "Status",
                &s.key,
                &s.label,
                |f| f.state.key == s.key,
            ));
        }
        for &sev in FindingSeverity::ALL.iter().rev() {
            let b = finding_badge(sev);
            facets.push(Facet::new(
                &rows,
                "severity",
                "Severity",
                &b.key,
                &b.label,
                |f| f.severity.key == b.key,
            ));
        }
        facets.extend(Facet::tiers(&rows, &model.all_tiers(), |f| f.tier.level));
        let per = model.registry.settings.rows_per_page;
        let listing = Listing::new(NAME, DIR, rows.len(), per, facets);
        Table { rows, listing }
    })
}

impl Page for Findings {
    type Data = FindingsPage;
    const TEMPLATE: &'static str = "findings.html";
    const SECTION: NavSection = NavSection::Findings;
    const KEY: &'static str = "findings";

    fn count(&self, model: &Model) -> usize {
        table(model).listing.count()
    }

    fn target<'m>(&self, model: &'m Model, i: usize) -> Target<'m> {
        table(model).listing.target(i, "Findings")
    }

    fn data(&self, model: &Model, i: usize) -> FindingsPage {
        let t = table(model);
        let all = &t.rows;
        FindingsPage {
            open: all.iter().filter(|f| f.open).count(),
            overdue: all.iter().filter(|f| f.overdue).count(),
            closed: all.iter().filter(|f| !f.open).count(),
            rows: t
                .listing
                .window(i)
                .iter()
                .filter_map(|&r| all.get(r).cloned())
                .collect(),
            tiers: model.all_tiers(),
            states: vec![open_badge(true), open_badge(false)],
            severities: FindingSeverity::ALL
                .iter()
                .rev()
                .copied()
                .map(finding_badge)
                .collect(),
            table: t.listing.view(i),
        }
    }
}

/// Every vendor's findings: open first, overdue first, then by severity
/// (worst first), due date (none last), vendor and id.
pub fn rows(model: &Model) -> Vec<FindingRow> {
    let mut rows = Vec::new();
    for p in model.assessed() {
        for j in &p.findings {
            let (f, st) = (j.record, j.state);
            rows.push(FindingRow {
                vendor: vendor_link(p.vendor),
                tier: model.tier(p.assessment.tier),
                id: f.id.clone(),
                title: f.title.clone(),
                severity: finding_badge(f.severity),
                state: open_badge(f.open),
                open: f.open,
                overdue: st.is_some_and(|s| s.overdue),
                opened: f.opened.to_string(),
                due: f.due.map(|d| d.to_string()),
                closed: f.closed.map(|d| d.to_string()),
                owner: f.owner.clone(),
                accepted_by: accepted(p.vendor, st.and_then(|s| s.accepted_by.as_ref())),
                href: format!("{}#{}", p.href, anchor("finding", &f.id)),
            });
        }
    }
    // Stable, and each key is worked out once rather than per comparison.
    rows.sort_by_cached_key(|f| {
        (
            !f.open,
            !f.overdue,
            std::cmp::Reverse(f.severity.rank),
            f.due.clone().unwrap_or_else(|| "9999".into()),
            f.vendor.name.to_lowercase(),
            f.id.clone(),
        )
    });
    rows
}

/// The columns of `findings/rows.js`, as `findings.html` draws them.
const COLUMNS: Columns = Columns {
    sort: &[
        "vendor", "tier", "finding", "severity", "opened", "due", "state",
    ],
    filters: &["tier", "status", "severity"],
    cells: &[
        ("td", ""),
        ("td", ""),
        ("th", ""),
        ("td", ""),
        ("td", ""),
        ("td", ""),
        ("td", ""),
    ],
};

/// `findings/rows.js`: every finding row for vetted.js.
pub fn script(model: &Model) -> Result<OutFile, Error> {
    let t = table(model);
    let rows: Vec<DataRow> = t.rows.iter().map(data_row).collect();
    data_script(&format!("{DIR}rows.js"), NAME, &COLUMNS, &rows)
}

/// `data-key` of a finding's row: `vendor-slug/finding-id`.
pub fn key(f: &FindingRow) -> String {
    format!("{}/{}", f.vendor.slug, f.id)
}

fn data_row(f: &FindingRow) -> DataRow {
    let mut due = match &f.due {
        Some(d) => vec![Part::Time(d.clone())],
        None => vec![Part::Muted("None".into())],
    };
    if f.overdue {
        due.push(Part::Text(" ".into()));
        due.push(Part::Badge(Badge::new("overdue", "Overdue", Tone::Bad, 0)));
    }
    let mut state = vec![Part::Badge(f.state.clone())];
    if let Some(c) = &f.closed {
        state.push(Part::Sub(format!("closed {c}")));
    }
    if let Some(a) = &f.accepted_by {
        state.push(Part::Text(" accepted by exception ".into()));
        state.push(Part::Link(a.id.clone(), a.href.clone()));
    }
    DataRow {
        key: key(f),
        sort: vec![
            json!(f.vendor.name.to_lowercase()),
            json!(f.tier.level),
            json!(f.id.to_lowercase()),
            json!(f.severity.rank),
            json!(f.opened),
            json!(f.due.as_deref().unwrap_or("9999")),
            json!(f.state.rank),
        ],
        filter: vec![
            f.tier.level.to_string(),
            f.state.key.clone(),
            f.severity.key.clone(),
        ],
        cells: vec![
            vec![Part::Link(f.vendor.name.clone(), f.vendor.href.clone())],
            vec![Part::Tier(f.tier.clone())],
            vec![
                Part::MonoLink(f.id.clone(), f.href.clone()),
                Part::Text(format!(" {}", f.title)),
            ],
            vec![Part::Badge(f.severity.clone())],
            vec![Part::Time(f.opened.clone())],
            due,
            state,
        ],
    }
}
