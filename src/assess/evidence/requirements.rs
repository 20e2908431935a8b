//! The evidence a vendor's tier (and profile) requires, per product for
//! per-product kinds, and which artifact satisfies each requirement.

use serde::Serialize;

use super::artifacts::{ArtifactStatus, Assessed};
use crate::assess::context::{Context, Part, Problem};
use crate::diag::Code;
use crate::model::*;

#[derive(Debug, Clone, Serialize)]
pub struct Requirement {
    pub kind: String,
    pub kind_title: String,
    /// The product the evidence must cover, or none for vendor-wide evidence.
    pub product: Option<String>,
    /// Index of the artifact that satisfies it.
    pub satisfied_by: Option<usize>,
    pub status: ArtifactStatus,
    pub accepted_by: Option<String>,
    /// Why the requirement could not be judged ("artifact 3 has data
    /// errors"): an artifact that might meet it was left out for data
    /// errors, so it is neither met nor reported missing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_assessed: Option<String>,
}

/// Requirements of a live vendor, in kind order, then product order.
pub(crate) fn requirements(ctx: &Context<'_>, assessed: &[Assessed<'_>]) -> Part<Vec<Requirement>> {
    let mut part = Part {
        result: Vec::new(),
        problems: Vec::new(),
    };
    if !ctx.live() {
        return part;
    }
    let v = ctx.vendor;
    for kind in ctx.registry.kinds.values() {
        let required = kind.required_for.contains(&ctx.tier)
            && kind
                .required_when
                .iter()
                .all(|(f, values)| v.profile.get(f).is_some_and(|x| values.contains(x)));
        if !required {
            continue;
        }
        // Per-product kinds need evidence covering each product; an artifact
        // with no `covers` is vendor-wide and covers them all.
        let products: Vec<Option<&Product>> = if v.products.is_empty() || !kind.per_product {
            vec![None]
        } else {
            v.products.iter().map(Some).collect()
        };
        for product in products {
            let (req, problem) = requirement(ctx, kind, product, assessed);
            part.result.push(req);
            part.problems.extend(problem);
        }
    }
    part
}

/// One requirement: the best artifact that satisfies it, or the problem.
fn requirement(
    ctx: &Context<'_>,
    kind: &ArtifactKind,
    product: Option<&Product>,
    assessed: &[Assessed<'_>],
) -> (Requirement, Option<Problem>) {
    let kinds = &ctx.registry.kinds;
    let candidates: Vec<&Assessed<'_>> = assessed
        .iter()
        .filter(|x| {
            let a = x.artifact;
            a.kind == kind.id
                || kinds.get(&a.kind).and_then(|k| k.substitutes.as_ref()) == Some(&kind.id)
        })
        .filter(|x| {
            let a = x.artifact;
            product.is_none_or(|p| a.covers.is_empty() || a.covers.contains(&p.name))
        })
        .collect();
    let best = candidates
        .iter()
        .filter(|x| x.assessment.status.satisfies())
        .min_by_key(|x| x.assessment.status);
    let accepted_by = ctx.acceptances.by(&Accepts::Artifact(kind.id.clone()));
    let mut problem = None;
    let mut not_assessed = None;
    let (satisfied_by, status) = match best {
        Some(x) => (Some(x.artifact.index), x.assessment.status),
        None => {
            let worst_listed = candidates
                .iter()
                .map(|x| x.assessment.status)
                .filter(|s| *s != ArtifactStatus::Superseded)
                .max();
            // An expired or stale artifact already has its own diagnostic.
            let left_out = ctx.vendor.artifact_left_out(|k| {
                k == kind.id || kinds.get(k).and_then(|x| x.substitutes.as_ref()) == Some(&kind.id)
            });
            if let Some(n) = left_out {
                not_assessed = Some(format!("artifact {n} has data errors"));
            } else if worst_listed.is_none() || worst_listed == Some(ArtifactStatus::NotAccepted) {
                problem = Some(missing(ctx, kind, product).accepted_by(accepted_by.clone()));
            }
            let status = match worst_listed {
                Some(s @ (ArtifactStatus::Expired | ArtifactStatus::Stale)) => s,
                _ => ArtifactStatus::Missing,
            };
            (None, status)
        }
    };
    let req = Requirement {
        kind: kind.id.clone(),
        kind_title: kind.title.clone(),
        product: product.map(|p| p.name.clone()),
        satisfied_by,
        status,
        accepted_by,
        not_assessed,
    };
    (req, problem)
}

fn missing(ctx: &Context<'_>, kind: &ArtifactKind, product: Option<&Product>) -> Problem {
    let v = ctx.vendor;
    let what = product.map_or_else(|| v.name.clone(), |p| format!("{} {}", p.name, p.version));
    let covers = product.map_or(String::new(), |p| format!(" and covers = [\"{}\"]", p.name));
    Problem::new(
        Code::ArtifactMissing,
        v.locs.artifacts_file.clone(),
        format!(
            "tier {} requires a valid {} for {what}; none is on file",
            ctx.tier, kind.title
        ),
        format!("add an [[artifact]] with kind = \"{}\"{covers}", kind.id),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::evidence::artifacts::artifacts;
    use crate::assess::testing::{TODAY, context, exception, registry, vendor};

    fn reqs(reg: &Registry, v: &Vendor) -> Part<Vec<Requirement>> {
        let ctx = context(reg, v, TODAY);
        let assessed = artifacts(&ctx);
        requirements(&ctx, &assessed.result)
    }

    #[test]
    fn the_tier_and_profile_decide_what_is_required() {
        let reg = registry();
        let v = vendor(&reg, "acme-infusion");
        let part = reqs(&reg, &v);
        let got: Vec<(&str, Option<&str>, Option<usize>)> = part
            .result
            .iter()
            .map(|r| (r.kind.as_str(), r.product.as_deref(), r.satisfied_by))
            .collect();
        assert_eq!(
            got,
            [
                ("baa", None, Some(2)),
                ("sbom", Some("SmartPump 4"), Some(1)),
                ("soc2-type2", Some("SmartPump 4"), Some(0)),
            ]
        );
        assert!(part.problems.is_empty());
        // No PHI: no BAA required (required_when).
        let cloud = vendor(&reg, "cloudsched");
        assert!(reqs(&reg, &cloud).result.iter().all(|r| r.kind != "baa"));
    }

    #[test]
    fn missing_evidence_is_reported_once_and_can_be_accepted() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        v.artifacts.retain(|a| a.kind != "baa");
        let part = reqs(&reg, &v);
        let baa = part.result.iter().find(|r| r.kind == "baa").unwrap();
        assert_eq!(
            (baa.status, baa.satisfied_by),
            (ArtifactStatus::Missing, None)
        );
        assert_eq!(part.problems.len(), 1);
        assert_eq!(
            part.problems[0].text,
            "tier 1 requires a valid Business associate agreement for Acme Infusion Systems; none is on file"
        );
        v.exceptions = vec![exception(
            "EX-1",
            Accepts::Artifact("baa".into()),
            "2027-06-01",
        )];
        let part = reqs(&reg, &v);
        assert_eq!(part.problems[0].accepted_by.as_deref(), Some("EX-1"));
    }

    #[test]
    fn a_substitute_kind_satisfies_the_requirement() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        let mut iso = v.artifacts[0].clone();
        iso.kind = "iso27001".into();
        iso.issued = Some("2026-06-01".parse().unwrap());
        v.artifacts[0] = iso;
        let part = reqs(&reg, &v);
        let soc2 = part.result.iter().find(|r| r.kind == "soc2-type2").unwrap();
        assert_eq!(soc2.satisfied_by, Some(0));
    }
}
