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
    /// The kind of that artifact: the required kind, or a kind that
    /// `substitutes` for it (then also reported as E1013).
    pub met_by_kind: Option<String>,
    /// The title of `met_by_kind`.
    pub met_by_title: Option<String>,
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
        // Requirements met by a substitute, per artifact: one note names
        // every product it stands in for.
        let mut substituted: Vec<(&Artifact, Vec<&Product>)> = Vec::new();
        for product in products {
            let (req, problem, by) = requirement(ctx, kind, product, assessed);
            part.result.push(req);
            part.problems.extend(problem);
            if let Some(a) = by {
                match substituted.iter_mut().find(|(x, _)| x.index == a.index) {
                    Some((_, ps)) => ps.extend(product),
                    None => substituted.push((a, product.into_iter().collect())),
                }
            }
        }
        for (a, products) in substituted {
            part.problems.push(substitute_note(ctx, kind, &products, a));
        }
    }
    part
}

/// One requirement: the best artifact that satisfies it, or the problem;
/// and the artifact when it is of a kind that substitutes for `kind`.
fn requirement<'a>(
    ctx: &Context<'_>,
    kind: &ArtifactKind,
    product: Option<&Product>,
    assessed: &[Assessed<'a>],
) -> (Requirement, Option<Problem>, Option<&'a Artifact>) {
    let kinds = &ctx.registry.kinds;
    // A subprocessor's evidence (`subject`) is its own assurance, never the vendor's.
    let candidates: Vec<&Assessed<'_>> = assessed
        .iter()
        .filter(|x| x.artifact.subject.is_none())
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
    let mut accepted_by = ctx.acceptances.by(&Accepts::Artifact(kind.id.clone()));
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
            // An expired, stale or misdated artifact already has its own diagnostic.
            let left_out = ctx.vendor.artifact_left_out(|k| {
                k == kind.id || kinds.get(k).and_then(|x| x.substitutes.as_ref()) == Some(&kind.id)
            });
            if let Some(n) = left_out {
                not_assessed = Some(format!("artifact {n} has data errors"));
            } else if worst_listed.is_none() || worst_listed == Some(ArtifactStatus::NotAccepted) {
                let listed = worst_listed.is_some();
                let p = ctx.acceptances.settle(
                    missing(ctx, kind, product, listed)
                        .target(Accepts::Artifact(kind.id.clone()))
                        .subject(kind.id.clone()),
                );
                accepted_by = p.accepted_by.clone();
                problem = Some(p);
            }
            let status = match worst_listed {
                Some(
                    s
                    @ (ArtifactStatus::Expired | ArtifactStatus::Stale | ArtifactStatus::Misdated),
                ) => s,
                _ => ArtifactStatus::Missing,
            };
            (None, status)
        }
    };
    let met_by = best.and_then(|x| kinds.get(&x.artifact.kind));
    let req = Requirement {
        kind: kind.id.clone(),
        kind_title: kind.title.clone(),
        product: product.map(|p| p.name.clone()),
        satisfied_by,
        met_by_kind: met_by.map(|k| k.id.clone()),
        met_by_title: met_by.map(|k| k.title.clone()),
        status,
        accepted_by,
        not_assessed,
    };
    let by = best.map(|x| x.artifact).filter(|a| a.kind != kind.id);
    (req, problem, by)
}

/// The kinds that would satisfy a requirement of `kind` for this vendor:
/// the kind itself, then every kind that `substitutes` for it and is
/// accepted for the vendor's status, in kind order.
fn satisfying_kinds<'k>(ctx: &Context<'k>, kind: &'k ArtifactKind) -> Vec<&'k ArtifactKind> {
    let status = ctx.vendor.status;
    std::iter::once(kind)
        .chain(ctx.registry.kinds.values().filter(|k| {
            k.substitutes.as_ref() == Some(&kind.id)
                && (k.accepted_for_status.is_empty() || k.accepted_for_status.contains(&status))
        }))
        .collect()
}

/// E1003: no acceptable evidence; names every kind that would satisfy the
/// requirement when more than one would. `listed`: artifacts of those kinds
/// are on file, but none is accepted for this vendor.
fn missing(
    ctx: &Context<'_>,
    kind: &ArtifactKind,
    product: Option<&Product>,
    listed: bool,
) -> Problem {
    let v = ctx.vendor;
    let what = product.map_or_else(|| v.name.clone(), |p| format!("{} {}", p.name, p.version));
    let covers = product.map_or(String::new(), |p| format!(" and covers = [\"{}\"]", p.name));
    let none = if listed {
        "none on file is accepted"
    } else {
        "none is on file"
    };
    let satisfying = satisfying_kinds(ctx, kind);
    let any_of = if satisfying.len() > 1 {
        let titles: Vec<&str> = satisfying.iter().map(|k| k.title.as_str()).collect();
        format!("; any of: {} would satisfy it", titles.join(", "))
    } else {
        String::new()
    };
    let ids: Vec<String> = satisfying.iter().map(|k| format!("\"{}\"", k.id)).collect();
    Problem::new(
        Code::ArtifactMissing,
        v.locs.artifacts_file.clone(),
        format!(
            "tier {} requires a valid {} for {what}; {none}{any_of}",
            ctx.tier, kind.title
        ),
        format!(
            "add an [[artifact]] with kind = {}{covers}",
            ids.join(" or ")
        ),
    )
}

/// E1013: the requirement is met, for `products` (none: vendor-wide), by
/// an artifact of a kind that substitutes for the required one; located at
/// that artifact's kind, its rule subject the required kind.
fn substitute_note(
    ctx: &Context<'_>,
    kind: &ArtifactKind,
    products: &[&Product],
    a: &Artifact,
) -> Problem {
    let by = ctx
        .registry
        .kinds
        .get(&a.kind)
        .map_or(a.kind.as_str(), |k| k.title.as_str());
    let names: Vec<&str> = products.iter().map(|p| p.name.as_str()).collect();
    let of = match names.split_last() {
        None => String::new(),
        Some((last, [])) => format!(" for {last}"),
        Some((last, rest)) => format!(" for {} and {last}", rest.join(", ")),
    };
    Problem::new(
        Code::MetBySubstitute,
        a.field_loc(ArtifactField::Kind),
        format!("{} requirement{of} met by {by} \"{}\"", kind.title, a.title),
        format!(
            "{by} is accepted in place of a {} (`substitutes` in artifact-kinds.toml)",
            kind.title
        ),
    )
    .subject(kind.id.clone())
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
        assert_eq!(soc2.met_by_kind.as_deref(), Some("iso27001"));
        assert_eq!(
            soc2.met_by_title.as_deref(),
            Some("ISO/IEC 27001 certificate")
        );
        // Said as a note, at the kind of the artifact that met it.
        assert_eq!(part.problems.len(), 1);
        let note = &part.problems[0];
        assert_eq!(note.code, Code::MetBySubstitute);
        assert_eq!(note.severity, crate::diag::Severity::Note);
        assert_eq!(note.loc, v.artifacts[0].field_loc(ArtifactField::Kind));
        assert_eq!(
            note.text,
            "SOC 2 Type II report requirement for SmartPump 4 met by ISO/IEC 27001 certificate \"SOC 2 Type II, pump fleet server\""
        );
    }

    #[test]
    fn one_note_names_every_product_a_substitute_stands_in_for() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        let mut second = v.products[0].clone();
        second.name = "SmartPump 5".into();
        v.products.push(second);
        v.artifacts[0].kind = "iso27001".into();
        v.artifacts[0].covers.clear();
        let part = reqs(&reg, &v);
        let notes: Vec<&str> = part
            .problems
            .iter()
            .filter(|p| p.code == Code::MetBySubstitute)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(
            notes,
            [
                "SOC 2 Type II report requirement for SmartPump 4 and SmartPump 5 met by ISO/IEC 27001 certificate \"SOC 2 Type II, pump fleet server\""
            ]
        );
        let met: Vec<Option<&str>> = part
            .result
            .iter()
            .filter(|r| r.kind == "soc2-type2")
            .map(|r| r.met_by_kind.as_deref())
            .collect();
        assert_eq!(met, [Some("iso27001"), Some("iso27001")]);
    }

    #[test]
    fn a_subprocessors_report_does_not_satisfy_the_vendors_requirement() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        let soc2 = |part: &Part<Vec<Requirement>>| {
            let r = part.result.iter().find(|r| r.kind == "soc2-type2").unwrap();
            (r.satisfied_by, r.status)
        };
        assert_eq!(soc2(&reqs(&reg, &v)), (Some(0), ArtifactStatus::Valid));
        // The same report, same kind and dates, only about a subprocessor.
        v.artifacts[0].subject = Some("Nimbus Hosting".into());
        let part = reqs(&reg, &v);
        assert_eq!(soc2(&part), (None, ArtifactStatus::Missing));
        assert_eq!(part.problems.len(), 1);
        assert_eq!(part.problems[0].code, Code::ArtifactMissing);
        assert!(
            part.problems[0].text.ends_with("none is on file; any of: SOC 2 Type II report, ISO/IEC 27001 certificate would satisfy it"),
            "not \"none on file is accepted\": {}",
            part.problems[0].text
        );
        // Nor as a substitute.
        v.artifacts[0].kind = "iso27001".into();
        let part = reqs(&reg, &v);
        assert_eq!(soc2(&part), (None, ArtifactStatus::Missing));
        assert!(
            part.problems
                .iter()
                .all(|p| p.code != Code::MetBySubstitute)
        );
    }

    #[test]
    fn a_substitute_note_narrows_to_the_required_kind() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        v.artifacts[0].kind = "iso27001".into();
        let part = reqs(&reg, &v);
        assert_eq!(part.problems[0].code, Code::MetBySubstitute);
        assert_eq!(part.problems[0].subject.as_deref(), Some("soc2-type2"));
    }

    #[test]
    fn the_required_kind_itself_is_recorded_and_not_reported() {
        let reg = registry();
        let v = vendor(&reg, "acme-infusion");
        let part = reqs(&reg, &v);
        let soc2 = part.result.iter().find(|r| r.kind == "soc2-type2").unwrap();
        assert_eq!(soc2.met_by_kind.as_deref(), Some("soc2-type2"));
        assert!(part.problems.is_empty());
    }

    #[test]
    fn missing_evidence_names_every_kind_that_would_satisfy_it() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        v.artifacts.retain(|a| a.kind != "soc2-type2");
        let part = reqs(&reg, &v);
        assert_eq!(part.problems.len(), 1);
        assert_eq!(
            part.problems[0].text,
            "tier 1 requires a valid SOC 2 Type II report for SmartPump 4 4.2.1; none is on file; any of: SOC 2 Type II report, ISO/IEC 27001 certificate would satisfy it"
        );
        assert_eq!(
            part.problems[0].help,
            "add an [[artifact]] with kind = \"soc2-type2\" or \"iso27001\" and covers = [\"SmartPump 4\"]"
        );
    }

    #[test]
    fn a_substitute_not_accepted_for_the_vendor_status_is_not_named() {
        let mut reg = registry();
        reg.kinds.get_mut("iso27001").unwrap().accepted_for_status =
            vec![VendorStatus::Prospective];
        let mut v = vendor(&reg, "acme-infusion");
        v.artifacts.retain(|a| a.kind != "soc2-type2");
        let part = reqs(&reg, &v);
        assert_eq!(
            part.problems[0].text,
            "tier 1 requires a valid SOC 2 Type II report for SmartPump 4 4.2.1; none is on file"
        );
    }

    #[test]
    fn a_report_whose_scope_the_tier_disqualifies_leaves_the_requirement_missing() {
        let mut reg = registry();
        reg.tiers.tiers[0].disqualifying_exclusions = vec![ScopeExclusion::Production];
        let mut v = vendor(&reg, "acme-infusion");
        let loc = v.artifacts[0].loc.clone();
        v.artifacts[0].excludes = vec![Excluded {
            exclusion: ScopeExclusion::Production,
            loc,
        }];
        let ctx = context(&reg, &v, TODAY);
        let assessed = artifacts(&ctx);
        let codes: Vec<Code> = assessed.problems.iter().map(|p| p.code).collect();
        assert_eq!(codes, [Code::ScopeExcluded]);
        let part = requirements(&ctx, &assessed.result);
        let soc2 = part.result.iter().find(|r| r.kind == "soc2-type2").unwrap();
        assert_eq!(
            (soc2.status, soc2.satisfied_by, soc2.met_by_kind.as_deref()),
            (ArtifactStatus::Missing, None, None)
        );
        assert_eq!(part.problems.len(), 1);
        assert_eq!(part.problems[0].code, Code::ArtifactMissing);
        assert_eq!(
            part.problems[0].text,
            "tier 1 requires a valid SOC 2 Type II report for SmartPump 4 4.2.1; none on file is accepted; any of: SOC 2 Type II report, ISO/IEC 27001 certificate would satisfy it"
        );
    }
}
