//! The four tables, row by row, from the join of the registry with its
//! assessment. Statuses are the site's badge keys, so a row says what the
//! vendor's page says; dates are the assessment's.

use super::Cell;
use crate::assess::{ArtifactStatus, Assessed};
use crate::model::{Date, Registry};
use crate::render::badge::{
    artifact_badge, compliance_badge, decision_badge, finding_badge, lifecycle_badge, open_badge,
};
use crate::render::portfolio::EndOfSupport;

/// Vendors by slug (the registry's order, made explicit).
fn by_slug<'j, 'a>(joined: &'j [Assessed<'a>]) -> Vec<&'j Assessed<'a>> {
    let mut all: Vec<&Assessed> = joined.iter().collect();
    all.sort_by(|a, b| a.vendor.slug.cmp(&b.vendor.slug));
    all
}

pub const VENDOR_COLUMNS: &[&str] = &[
    "slug",
    "name",
    "lifecycle",
    "category",
    "owner",
    "tier",
    "tier_name",
    "status",
    "decision",
    "partial",
    "errors",
    "warnings",
    "red_flags",
    "open_findings",
    "overdue_findings",
    "next_review",
    "review_overdue",
    "earliest_expiry",
    "earliest_expiry_artifact",
    "end_of_support",
];

/// The inventory: one row per vendor.
pub fn vendors(registry: &Registry, joined: &[Assessed]) -> Vec<Vec<Cell>> {
    by_slug(joined)
        .into_iter()
        .map(|p| {
            let (v, a) = (p.vendor, p.assessment);
            // The first evidence to lapse, as the calendar dates it; the
            // earlier artifact in the file on a tie.
            let earliest = p
                .expiries()
                .min_by(|x, y| (x.2, x.1.index).cmp(&(y.2, y.1.index)));
            let end_of_support: Vec<String> = v
                .products
                .iter()
                .filter_map(|pr| {
                    let eos = pr.end_of_support?;
                    Some(format!("{} {} ({eos})", pr.name, pr.version))
                })
                .collect();
            vec![
                Cell::text(&v.slug),
                Cell::text(&v.name),
                Cell::text(lifecycle_badge(v.status).key),
                Cell::text(&v.category),
                Cell::text(&v.owner),
                Cell::Int(i64::from(a.tier)),
                Cell::text(&a.tier_name),
                Cell::text(compliance_badge(a.status).key),
                Cell::text(decision_badge(a.decision.value).key),
                Cell::Bool(a.partial),
                Cell::count(a.counts.errors),
                Cell::count(a.counts.warnings),
                Cell::count(a.counts.red_flags),
                Cell::count(a.counts.open_findings),
                Cell::count(a.counts.overdue_findings),
                Cell::opt_date(a.review.next_due),
                Cell::Bool(a.review.overdue),
                Cell::opt_date(earliest.map(|e| e.2)),
                Cell::opt_text(
                    earliest.map(|(art, _, _)| artifact_name(registry, &art.kind, &art.title)),
                ),
                Cell::text(end_of_support.join("; ")),
            ]
        })
        .collect()
}

/// `SOC 2 Type II report: Acme SOC 2, 2026`: the kind's title from
/// artifact-kinds.toml, then the artifact's own.
fn artifact_name(registry: &Registry, kind: &str, title: &str) -> String {
    let kind_title = registry.kinds.get(kind).map_or(kind, |k| k.title.as_str());
    format!("{kind_title}: {title}")
}

pub const ARTIFACT_COLUMNS: &[&str] = &[
    "vendor",
    "index",
    "kind",
    "kind_title",
    "title",
    "subject",
    "covers",
    "version",
    "issued",
    "period_end",
    "expires",
    "valid_until",
    "days_left",
    "status",
    "basis",
    "accepted_by",
    "link",
    "file",
    "file_href",
];

/// One row per artifact, by vendor then position in artifacts.toml.
pub fn artifacts(registry: &Registry, joined: &[Assessed]) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for p in by_slug(joined) {
        for j in &p.artifacts {
            let (art, st) = (j.record, j.state);
            let kind_title = registry
                .kinds
                .get(&art.kind)
                .map_or_else(|| art.kind.clone(), |k| k.title.clone());
            // As the vendor page shows it: an artifact the assessment skipped
            // (none in a registry that keeps the data contract) as expired.
            let status = st.map_or(ArtifactStatus::Expired, |s| s.status);
            rows.push(vec![
                Cell::text(&p.vendor.slug),
                Cell::count(art.index),
                Cell::text(&art.kind),
                Cell::text(kind_title),
                Cell::text(&art.title),
                Cell::opt_text(art.subject.as_deref()),
                Cell::text(art.covers.join("; ")),
                Cell::opt_text(art.version.as_deref()),
                Cell::opt_date(art.issued),
                Cell::opt_date(art.period_end),
                Cell::opt_date(art.expires),
                Cell::opt_date(st.and_then(|s| s.valid_until)),
                st.and_then(|s| s.days_left).map_or(Cell::Empty, Cell::Int),
                Cell::text(artifact_badge(status).key),
                Cell::opt_text(st.map(|s| s.basis.as_str())),
                Cell::opt_text(st.and_then(|s| s.accepted_by.as_deref())),
                Cell::opt_text(art.link.as_deref()),
                Cell::opt_text(art.file.as_deref()),
                Cell::opt_text(crate::render::evidence_files::href(p.vendor, art).as_deref()),
            ]);
        }
    }
    rows
}

pub const FINDING_COLUMNS: &[&str] = &[
    "vendor",
    "id",
    "title",
    "severity",
    "state",
    "overdue",
    "opened",
    "due",
    "closed",
    "owner",
    "source",
    "tracks",
    "accepted_by",
];

/// One row per finding, by vendor then id.
pub fn findings(joined: &[Assessed]) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for p in by_slug(joined) {
        let mut list: Vec<_> = p.findings.iter().collect();
        list.sort_by(|a, b| a.record.id.cmp(&b.record.id));
        for j in list {
            let (f, st) = (j.record, j.state);
            rows.push(vec![
                Cell::text(&p.vendor.slug),
                Cell::text(&f.id),
                Cell::text(&f.title),
                Cell::text(finding_badge(f.severity).key),
                Cell::text(open_badge(f.open).key),
                Cell::Bool(st.is_some_and(|s| s.overdue)),
                Cell::Date(f.opened),
                Cell::opt_date(f.due),
                Cell::opt_date(f.closed),
                Cell::opt_text(f.owner.as_deref()),
                Cell::opt_text(f.source.as_deref()),
                Cell::opt_text(f.tracks.as_ref().map(ToString::to_string)),
                Cell::opt_text(st.and_then(|s| s.accepted_by.as_deref())),
            ]);
        }
    }
    rows
}

pub const PRODUCT_COLUMNS: &[&str] = &[
    "vendor",
    "product",
    "version",
    "end_of_support",
    "end_of_support_passed",
    "description",
];

/// One row per product, by vendor then position in vendor.toml.
pub fn products(joined: &[Assessed], today: Date) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for p in by_slug(joined) {
        for pr in &p.vendor.products {
            rows.push(vec![
                Cell::text(&p.vendor.slug),
                Cell::text(&pr.name),
                Cell::text(&pr.version),
                Cell::opt_date(pr.end_of_support),
                // As the vendor page and the products page say it: passed from the day after.
                Cell::Bool(EndOfSupport::of(pr.end_of_support, today) == EndOfSupport::Past),
                Cell::opt_text(pr.description.as_deref()),
            ]);
        }
    }
    rows
}
