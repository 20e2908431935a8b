//! `vendors/index.html`: every vendor in one table, complete without
//! JavaScript (the theme's script adds filtering and sorting).

use crate::assess::ComplianceStatus;
use crate::render::assessed::Assessed;
use crate::render::badge::{artifact_badge, compliance_badge, decision_badge, lifecycle_badge};
use crate::render::link::vendor_link;
use crate::render::model::Model;
use crate::render::page::{Page, Target};
use crate::render::view::{NavSection, VendorRow, VendorsPage};

pub struct Vendors;

impl Page for Vendors {
    type Data = VendorsPage;
    const TEMPLATE: &'static str = "vendors.html";
    const SECTION: NavSection = NavSection::Vendors;
    const KEY: &'static str = "vendors";

    fn target<'m>(&self, _: &'m Model, _: usize) -> Target<'m> {
        Target::fixed("vendors/index.html", "Vendors")
    }

    fn data(&self, model: &Model, _: usize) -> VendorsPage {
        let rows: Vec<VendorRow> = model.assessed().iter().map(|p| row(model, p)).collect();
        VendorsPage {
            total: rows.len(),
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
