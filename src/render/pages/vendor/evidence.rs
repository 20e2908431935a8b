//! The vendor page's evidence and remediation: artifacts with their status,
//! the evidence the tier requires, findings and exceptions. Each record comes
//! with its assessment from the join ([`Assessed`]).

use crate::assess::{ArtifactStatus, ExceptionStatus};
use crate::model::evidence_file::PublishedFile;
use crate::render::assessed::Assessed;
use crate::render::badge::{artifact_badge, exception_badge, finding_badge, open_badge};
use crate::render::link::{accepted, accepts_href, anchor, external, is_intranet};
use crate::render::markdown::safe_url;
use crate::render::model::Model;
use crate::render::timeline::since;
use crate::render::view::{
    ArtifactLink, ArtifactView, Badge, ExceptionView, ExclusionView, FindingView, RequirementView,
    Tone,
};

/// Artifacts in artifacts.toml order; one the assessment skipped shows as expired.
pub fn artifacts(model: &Model, p: &Assessed) -> Vec<ArtifactView> {
    let v = p.vendor;
    p.artifacts
        .iter()
        .map(|j| {
            let (art, st) = (j.record, j.state);
            ArtifactView {
                index: art.index,
                anchor: format!("artifact-{}", art.index),
                kind: art.kind.clone(),
                kind_title: model.kind_title(&art.kind),
                title: art.title.clone(),
                subject: art.subject.clone(),
                status: artifact_badge(st.map_or(ArtifactStatus::Expired, |s| s.status)),
                valid_until: st.and_then(|s| s.valid_until).map(|d| d.to_string()),
                days_left: st.and_then(|s| s.days_left),
                when: st
                    .and_then(|s| s.valid_until)
                    .map_or_else(String::new, |d| model.when(d)),
                basis: st.map_or_else(String::new, |s| s.basis.clone()),
                issued: art.issued.map(|d| d.to_string()),
                period_start: art.period_start.map(|d| d.to_string()),
                period_end: art.period_end.map(|d| d.to_string()),
                scope: art.scope.clone(),
                excludes: art
                    .excludes
                    .iter()
                    .map(|x| ExclusionView {
                        value: x.exclusion.as_str().to_string(),
                        meaning: x.exclusion.meaning().to_string(),
                    })
                    .collect(),
                covers: art.covers.clone(),
                version: art.version.clone(),
                link: art.link.as_deref().map(external),
                file: art.file.clone(),
                sha256: art.sha256.clone(),
                file_href: crate::render::evidence_files::href(v, art),
                file_label: art.published.as_ref().map(file_label),
                intranet: art
                    .link
                    .as_deref()
                    .and_then(safe_url)
                    .is_some_and(|u| is_intranet(&u, &model.registry.settings.intranet_hosts)),
                accepted_by: accepted(v, st.and_then(|s| s.accepted_by.as_ref())),
                notes: art.notes.clone(),
                since: since(
                    model,
                    &v.slug,
                    &format!("artifact:{}: {}", art.kind, art.title),
                ),
            }
        })
        .collect()
}

/// "PDF, 2.1 KB": the type and size of a served evidence file.
fn file_label(f: &PublishedFile) -> String {
    let size = match f.len {
        n if n < 1024 => format!("{n} bytes"),
        n if n < 1 << 20 => format!("{:.1} KB", n as f64 / 1024.0),
        n => format!("{:.1} MB", n as f64 / f64::from(1 << 20)),
    };
    format!("{}, {size}", f.kind.label())
}

/// Evidence the tier requires, linked to the artifact that satisfies it.
/// Requirements alike in all but their product (same kind, status and
/// artifact, as a pen test covering three products) are one row listing
/// the products, in the order the assessment gives them.
pub fn requirements(p: &Assessed, artifacts: &[ArtifactView]) -> Vec<RequirementView> {
    let mut rows: Vec<RequirementView> = Vec::new();
    for r in &p.assessment.requirements {
        let row = RequirementView {
            kind: r.kind.clone(),
            kind_title: r.kind_title.clone(),
            products: r.product.iter().cloned().collect(),
            status: match &r.not_assessed {
                Some(_) => Badge::new("not-assessed", "Not assessed", Tone::Neutral, 0),
                None => artifact_badge(r.status),
            },
            satisfied_by: r.satisfied_by.and_then(|i| {
                artifacts
                    .iter()
                    .find(|x| x.index == i)
                    .map(|x| ArtifactLink {
                        title: x.title.clone(),
                        anchor: x.anchor.clone(),
                    })
            }),
            met_by_kind: r.met_by_kind.clone(),
            met_by_title: r.met_by_title.clone(),
            substitute: r.met_by_kind.as_ref().is_some_and(|k| k != &r.kind),
            accepted_by: accepted(p.vendor, r.accepted_by.as_ref()),
            not_assessed: r.not_assessed.clone(),
        };
        match rows.iter_mut().find(|x| alike(x, &row)) {
            Some(x) => x.products.extend(row.products),
            None => rows.push(row),
        }
    }
    rows
}

/// Whether two requirement rows differ only in their products (both name
/// products: vendor-wide evidence is never merged into a product's row).
fn alike(a: &RequirementView, b: &RequirementView) -> bool {
    !a.products.is_empty()
        && !b.products.is_empty()
        && a.kind == b.kind
        && a.status.key == b.status.key
        && a.satisfied_by.as_ref().map(|l| &l.anchor) == b.satisfied_by.as_ref().map(|l| &l.anchor)
        && a.met_by_kind == b.met_by_kind
        && a.not_assessed == b.not_assessed
        && a.accepted_by.as_ref().map(|x| &x.id) == b.accepted_by.as_ref().map(|x| &x.id)
}

pub fn findings(p: &Assessed) -> Vec<FindingView> {
    p.findings
        .iter()
        .map(|j| {
            let (f, st) = (j.record, j.state);
            FindingView {
                id: f.id.clone(),
                anchor: anchor("finding", &f.id),
                title: f.title.clone(),
                severity: finding_badge(f.severity),
                state: open_badge(f.open),
                open: f.open,
                overdue: st.is_some_and(|s| s.overdue),
                opened: f.opened.to_string(),
                due: f.due.map(|d| d.to_string()),
                closed: f.closed.map(|d| d.to_string()),
                owner: f.owner.clone(),
                source: f.source.clone(),
                description: f.description.clone(),
                accepted_by: accepted(p.vendor, st.and_then(|s| s.accepted_by.as_ref())),
            }
        })
        .collect()
}

/// Exceptions in exceptions.toml order; one without a status shows as expired.
pub fn exceptions(model: &Model, p: &Assessed) -> Vec<ExceptionView> {
    p.exceptions
        .iter()
        .map(|j| {
            let (e, st) = (j.record, j.state);
            ExceptionView {
                id: e.id.clone(),
                anchor: anchor("exception", &e.id),
                accepts: model.accepts_text(&e.accepts),
                accepts_href: accepts_href(p.vendor, &e.accepts),
                reason: e.reason.clone(),
                approver: e.approver.clone(),
                approved: e.approved.to_string(),
                expires: e.expires.to_string(),
                when: model.when(e.expires),
                status: exception_badge(st.map_or(ExceptionStatus::Expired, |s| s.status)),
                compensating_controls: e.compensating_controls.clone(),
            }
        })
        .collect()
}
