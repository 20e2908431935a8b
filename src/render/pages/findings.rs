//! `findings/index.html`: findings across all vendors. Its rows are also the
//! dashboard's open findings.

use crate::render::badge::{finding_badge, open_badge};
use crate::render::link::{accepted, anchor, vendor_link};
use crate::render::model::Model;
use crate::render::page::{Page, Target};
use crate::render::view::{FindingRow, FindingsPage, NavSection};

pub struct Findings;

impl Page for Findings {
    type Data = FindingsPage;
    const TEMPLATE: &'static str = "findings.html";
    const SECTION: NavSection = NavSection::Findings;
    const KEY: &'static str = "findings";

    fn target<'m>(&self, _: &'m Model, _: usize) -> Target<'m> {
        Target::fixed("findings/index.html", "Findings")
    }

    fn data(&self, model: &Model, _: usize) -> FindingsPage {
        let rows = rows(model);
        FindingsPage {
            open: rows.iter().filter(|f| f.open).count(),
            overdue: rows.iter().filter(|f| f.overdue).count(),
            closed: rows.iter().filter(|f| !f.open).count(),
            rows,
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
