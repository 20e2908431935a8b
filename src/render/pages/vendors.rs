//! `vendors/index.html` and its further pages and facets (`vendors/page/N/`,
//! `vendors/tier/1/`, `vendors/decision/not-approved/`): every vendor, a page
//! of `[site] rows_per_page` at a time, complete without JavaScript; with it,
//! vetted.js filters and sorts all of them from `vendors/rows.js`
//! (see [`crate::render::table`]).

use serde_json::json;

use crate::assess::ComplianceStatus;
use crate::error::Error;
use crate::model::Decision;
use crate::model::closed::ClosedSet;
use crate::render::assessed::Assessed;
use crate::render::badge::{artifact_badge, compliance_badge, decision_badge, lifecycle_badge};
use crate::render::link::vendor_link;
use crate::render::model::Model;
use crate::render::page::{Page, Target};
use crate::render::publish::OutFile;
use crate::render::table::{Columns, DataRow, Facet, Listing, Part, data_script};
use crate::render::view::{NavSection, VendorRow, VendorsPage};

pub struct Vendors;

const DIR: &str = "vendors/";
const NAME: &str = "vendors";

/// The whole list, and one facet per tier and per decision that has vendors.
fn listing(model: &Model) -> std::sync::Arc<Listing> {
    model.memo.get(NAME, || make_listing(model))
}

fn make_listing(model: &Model) -> Listing {
    let all = model.assessed();
    let mut facets = Facet::tiers(all, &model.all_tiers(), |p| p.assessment.tier);
    for &d in Decision::ALL {
        let b = decision_badge(d);
        facets.push(Facet {
            key: "decision".into(),
            key_label: "Decision".into(),
            value: b.key,
            label: b.label,
            rows: indices(all, |p| p.assessment.decision.value == d),
        });
    }
    let per = model.registry.settings.rows_per_page;
    Listing::new(NAME, DIR, all.len(), per, facets)
}

fn indices(all: &[Assessed], f: impl Fn(&Assessed) -> bool) -> Vec<usize> {
    all.iter()
        .enumerate()
        .filter(|(_, p)| f(p))
        .map(|(i, _)| i)
        .collect()
}

impl Page for Vendors {
    type Data = VendorsPage;
    const TEMPLATE: &'static str = "vendors.html";
    const SECTION: NavSection = NavSection::Vendors;
    const KEY: &'static str = "vendors";

    fn count(&self, model: &Model) -> usize {
        listing(model).count()
    }

    fn target<'m>(&self, model: &'m Model, i: usize) -> Target<'m> {
        listing(model).target(i, "Vendors")
    }

    fn data(&self, model: &Model, i: usize) -> VendorsPage {
        let l = listing(model);
        let all = model.assessed();
        let rows: Vec<VendorRow> = l
            .window(i)
            .iter()
            .filter_map(|&r| all.get(r))
            .map(|p| row(model, p))
            .collect();
        VendorsPage {
            total: all.len(),
            rows,
            tiers: model.all_tiers(),
            statuses: [
                ComplianceStatus::NonCompliant,
                ComplianceStatus::Attention,
                ComplianceStatus::Compliant,
            ]
            .into_iter()
            .map(compliance_badge)
            .collect(),
            decisions: Decision::ALL.iter().copied().map(decision_badge).collect(),
            table: l.view(i),
        }
    }
}

fn row(model: &Model, p: &Assessed) -> VendorRow {
    let a = p.assessment;
    VendorRow {
        vendor: vendor_link(p.vendor),
        tier: model.tier(a.tier),
        status: compliance_badge(a.status),
        decision: decision_badge(a.decision.value),
        category: p.vendor.category.clone(),
        lifecycle: lifecycle_badge(p.vendor.status),
        next_review: a.review.next_due.map(|d| d.to_string()),
        review_overdue: a.review.overdue,
        worst_artifact: artifact_badge(a.worst_artifact),
        red_flags: a.counts.red_flags,
        open_findings: a.counts.open_findings,
        overdue_findings: a.counts.overdue_findings,
    }
}

/// The columns of `vendors/rows.js`, as `vendors.html` draws them.
const COLUMNS: Columns = Columns {
    sort: &[
        "vendor",
        "tier",
        "decision",
        "status",
        "category",
        "lifecycle",
        "review",
        "evidence",
        "flags",
        "findings",
    ],
    filters: &["tier", "status", "decision"],
    cells: &[
        ("th", ""),
        ("td", ""),
        ("td", ""),
        ("td", ""),
        ("td", ""),
        ("td", ""),
        ("td", ""),
        ("td", ""),
        ("td", "num"),
        ("td", "num"),
    ],
};

/// `vendors/rows.js`: every vendor row for vetted.js.
pub fn script(model: &Model) -> Result<OutFile, Error> {
    let rows: Vec<DataRow> = model
        .assessed()
        .iter()
        .map(|p| data_row(&row(model, p)))
        .collect();
    data_script(&format!("{DIR}rows.js"), NAME, &COLUMNS, &rows)
}

fn data_row(r: &VendorRow) -> DataRow {
    let review = match &r.next_review {
        Some(d) if r.review_overdue => vec![
            Part::Time(d.clone()),
            Part::Text(" ".into()),
            Part::Badge(crate::render::view::Badge::new(
                "overdue",
                "Overdue",
                crate::render::view::Tone::Bad,
                0,
            )),
        ],
        Some(d) => vec![Part::Time(d.clone())],
        None => vec![Part::Muted("Not scheduled".into())],
    };
    let mut findings = vec![Part::Text(r.open_findings.to_string())];
    if r.overdue_findings > 0 {
        findings.push(Part::Text(" ".into()));
        findings.push(Part::Sub(format!("{} overdue", r.overdue_findings)));
    }
    DataRow {
        key: r.vendor.slug.clone(),
        sort: vec![
            json!(r.vendor.name.to_lowercase()),
            json!(r.tier.level),
            json!(r.decision.rank),
            json!(r.status.rank),
            json!(r.category.to_lowercase()),
            json!(r.lifecycle.rank),
            json!(r.next_review.as_deref().unwrap_or("9999-99-99")),
            json!(r.worst_artifact.rank),
            json!(r.red_flags),
            json!(r.open_findings),
        ],
        filter: vec![
            r.tier.level.to_string(),
            r.status.key.clone(),
            r.decision.key.clone(),
        ],
        cells: vec![
            vec![Part::Link(r.vendor.name.clone(), r.vendor.href.clone())],
            vec![Part::Tier(r.tier.clone())],
            vec![Part::Badge(r.decision.clone())],
            vec![Part::Badge(r.status.clone())],
            vec![Part::Text(r.category.clone())],
            vec![Part::Text(r.lifecycle.label.clone())],
            review,
            vec![Part::Badge(r.worst_artifact.clone())],
            vec![Part::Text(r.red_flags.to_string())],
            findings,
        ],
    }
}
