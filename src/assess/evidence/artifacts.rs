//! Each artifact's validity and status for its vendor, and older artifacts
//! superseded by better ones of their kind.

use serde::Serialize;

use super::validity::{self, EvidenceDates, Validity};
use crate::assess::context::{Context, Part, Problem};
use crate::diag::Code;
use crate::model::dates::days_between;
use crate::model::*;

/// Ordered from best to worst so `max` gives the worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ArtifactStatus {
    /// Replaced by a newer artifact of the same kind; kept for the record.
    Superseded,
    Valid,
    Expiring,
    /// Accepted only for another vendor status (SOC 2 Type I for a live
    /// vendor), or its scope excludes what the vendor's tier requires.
    NotAccepted,
    /// Describes a product version other than the one in use.
    Stale,
    Expired,
    /// A date is impossible (E1010, E1011): it gives no validity.
    Misdated,
    Missing,
}

impl ArtifactStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Superseded => "superseded",
            Self::Valid => "valid",
            Self::Expiring => "expiring",
            Self::NotAccepted => "not accepted",
            Self::Stale => "stale",
            Self::Expired => "expired",
            Self::Misdated => "misdated",
            Self::Missing => "missing",
        }
    }

    /// Whether an artifact in this status counts as evidence.
    pub(crate) fn satisfies(self) -> bool {
        matches!(self, Self::Valid | Self::Expiring)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ArtifactAssessment {
    pub index: usize,
    pub kind: String,
    pub status: ArtifactStatus,
    /// Last day the artifact counts as evidence (inclusive), when it expires at all.
    pub valid_until: Option<Date>,
    pub days_left: Option<i64>,
    /// How `valid_until` was reached, for the reader.
    pub basis: String,
    pub accepted_by: Option<String>,
}

/// Status by date alone: valid through `until` inclusive, expiring within the
/// warning window, expired from the day after.
pub fn status_on(until: Option<Date>, today: Date, warning_days: i64) -> ArtifactStatus {
    match until {
        Some(u) if today > u => ArtifactStatus::Expired,
        Some(u) if days_between(today, u) <= warning_days => ArtifactStatus::Expiring,
        _ => ArtifactStatus::Valid,
    }
}

/// An artifact with its assessment, kept together so nothing pairs them by position.
pub(crate) struct Assessed<'a> {
    pub artifact: &'a Artifact,
    pub assessment: ArtifactAssessment,
    /// Problems about its standing, reported for live vendors unless a better
    /// artifact of the kind supersedes it.
    standing: Vec<Problem>,
}

/// Every artifact of a known kind, assessed; artifacts keep their file order.
pub(crate) fn artifacts<'a>(ctx: &Context<'a>) -> Part<Vec<Assessed<'a>>> {
    let mut problems = Vec::new();
    let mut assessed: Vec<Assessed<'a>> = ctx
        .vendor
        .artifacts
        .iter()
        .filter_map(|a| {
            let kind = ctx.registry.kinds.get(&a.kind)?;
            Some(assess_artifact(ctx, kind, a, &mut problems))
        })
        .collect();
    supersede(&mut assessed);
    if ctx.live() {
        for a in &mut assessed {
            problems.append(&mut a.standing);
        }
    }
    Part {
        result: assessed,
        problems,
    }
}

/// One artifact: its validity, then its status for this vendor. Problems
/// with the artifact's dates go to `problems` at once; problems with its
/// standing wait in `Assessed::standing` for superseding.
fn assess_artifact<'a>(
    ctx: &Context<'a>,
    kind: &ArtifactKind,
    a: &'a Artifact,
    problems: &mut Vec<Problem>,
) -> Assessed<'a> {
    // `artifact:<kind>` accepts the vendor's own evidence of that kind, not a
    // subprocessor's (its lapses are accepted by `rule:<code>:<subprocessor>`
    // style exceptions or E1503's, never by one about the vendor's evidence).
    let own = a.subject.is_none();
    let accepted_by = own
        .then(|| ctx.acceptances.by(&Accepts::Artifact(a.kind.clone())))
        .flatten();
    if ctx.distrusted.artifact(a.index) {
        // Its impossible dates are reported by the dates part; it gives no validity.
        return Assessed {
            artifact: a,
            assessment: ArtifactAssessment {
                index: a.index,
                kind: a.kind.clone(),
                status: ArtifactStatus::Misdated,
                valid_until: None,
                days_left: None,
                basis: "gives no validity: its dates are impossible (see E1010, E1011)".into(),
                accepted_by,
            },
            standing: Vec::new(),
        };
    }
    let v = match validity::validity(&kind.validity, &EvidenceDates::from(a)) {
        Ok(v) => v,
        Err(undated) => {
            let field = undated.field();
            let message = undated.message(&kind_of(kind, a));
            problems.push(
                Problem::new(
                    Code::ArtifactUndated,
                    a.field_loc(undated.artifact_field()),
                    message.clone(),
                    format!("add {field} = YYYY-MM-DD to the artifact"),
                )
                .subject(a.kind.clone()),
            );
            return Assessed {
                artifact: a,
                assessment: ArtifactAssessment {
                    index: a.index,
                    kind: a.kind.clone(),
                    status: ArtifactStatus::Expired,
                    valid_until: None,
                    days_left: None,
                    basis: message,
                    accepted_by,
                },
                standing: Vec::new(),
            };
        }
    };
    if let Some(bridge) = v.rejected_bridge {
        problems.push(Problem::new(
            Code::BridgeRejected,
            a.field_loc(ArtifactField::BridgeUntil),
            format!(
                "bridge letter to {} extends {} beyond the {}-month maximum; it is ignored",
                bridge.bridge_until,
                kind_of(kind, a),
                bridge.max_months
            ),
            format!(
                "a bridge letter may extend a report by at most {} months; obtain the new report",
                bridge.max_months
            ),
        )
        .subject(a.kind.clone()));
    }
    let (status, standing) = standing(ctx, kind, a, &v);
    let standing: Vec<Problem> = standing
        .into_iter()
        .map(|p| {
            let p = if own {
                p.target(Accepts::Artifact(a.kind.clone()))
            } else {
                p
            };
            ctx.acceptances.settle(p.subject(a.kind.clone()))
        })
        .collect();
    let accepted_by = accepted_by.or_else(|| standing.iter().find_map(|p| p.accepted_by.clone()));
    Assessed {
        artifact: a,
        assessment: ArtifactAssessment {
            index: a.index,
            kind: a.kind.clone(),
            status,
            valid_until: v.valid_until,
            days_left: v.valid_until.map(|u| days_between(ctx.today, u)),
            basis: v.basis.to_string(),
            accepted_by,
        },
        standing,
    }
}

/// The artifact's status for this vendor today, and what is wrong with it.
fn standing(
    ctx: &Context<'_>,
    kind: &ArtifactKind,
    a: &Artifact,
    v: &Validity,
) -> (ArtifactStatus, Vec<Problem>) {
    let v_status = ctx.vendor.status;
    let mut problems = Vec::new();
    let mut status = status_on(v.valid_until, ctx.today, ctx.settings().expiry_warning_days);
    let refused_for_status =
        !kind.accepted_for_status.is_empty() && !kind.accepted_for_status.contains(&v_status);
    if refused_for_status {
        status = ArtifactStatus::NotAccepted;
    }
    if status != ArtifactStatus::NotAccepted
        && let Some(p) = stale_product(ctx, kind, a)
    {
        status = ArtifactStatus::Stale;
        let version = a.version.as_deref().unwrap_or_default();
        problems.push(Problem::new(
            Code::ArtifactStale,
            a.field_loc(ArtifactField::Version),
            format!(
                "{} describes {} {version}, but version {} is in use",
                kind.title, p.name, p.version
            ),
            format!(
                "ask the vendor for the {} of {} {} and add it",
                kind.title, p.name, p.version
            ),
        ));
    }
    let disqualified = disqualified(ctx, kind, a);
    if !disqualified.is_empty() && status.satisfies() {
        status = ArtifactStatus::NotAccepted;
    }
    problems.extend(disqualified);
    let until = v.valid_until.map_or("-".into(), |u| u.to_string());
    // Where the date that lapses is written.
    let dated_by = || {
        a.field_loc(if kind.validity.from() == ValidFrom::PeriodEnd {
            ArtifactField::PeriodEnd
        } else if a.expires.is_some() {
            ArtifactField::Expires
        } else {
            ArtifactField::Issued
        })
    };
    match status {
        ArtifactStatus::Expired => problems.push(Problem::new(
            v.lapse_code(),
            dated_by(),
            format!(
                "{} \"{}\" expired on {until} ({})",
                kind_of(kind, a),
                a.title,
                v.basis
            ),
            "request the current report or certificate and add it as a new artifact",
        )),
        ArtifactStatus::Expiring => problems.push(Problem::new(
            Code::ArtifactExpiring,
            dated_by(),
            format!(
                "{} \"{}\" expires on {until} ({} days)",
                kind_of(kind, a),
                a.title,
                v.valid_until.map_or(0, |u| days_between(ctx.today, u))
            ),
            "request the next report now so evidence does not lapse",
        )),
        ArtifactStatus::NotAccepted if refused_for_status => {
            problems.push(not_accepted(ctx, kind, a))
        }
        _ => {}
    }
    (status, problems)
}

/// One problem (E1012, at the value in `excludes`) for each exclusion of the
/// artifact's scope that the vendor's tier disqualifies
/// (`disqualifying_exclusions` of its `[[tier]]`). Any such problem makes
/// the artifact unacceptable as evidence for this vendor.
fn disqualified(ctx: &Context<'_>, kind: &ArtifactKind, a: &Artifact) -> Vec<Problem> {
    let Some(tier) = ctx.tier_def else {
        return Vec::new();
    };
    a.excludes
        .iter()
        .filter(|x| tier.disqualifying_exclusions.contains(&x.exclusion))
        .map(|x| {
            Problem::new(
                Code::ScopeExcluded,
                x.loc.clone(),
                format!(
                    "{} \"{}\" excludes {} (`{}`), which tier {} ({}) does not accept; it does not count as evidence",
                    kind_of(kind, a),
                    a.title,
                    x.exclusion.meaning(),
                    x.exclusion,
                    tier.level,
                    tier.name
                ),
                format!(
                    "ask the vendor for a {} whose scope includes {}",
                    kind_of(kind, a),
                    x.exclusion.meaning()
                ),
            )
        })
        .collect()
}

/// The first product a version-bound artifact no longer describes. A
/// subprocessor's evidence describes none of the vendor's products.
fn stale_product<'a>(ctx: &Context<'a>, kind: &ArtifactKind, a: &Artifact) -> Option<&'a Product> {
    if !kind.version_bound || a.subject.is_some() {
        return None;
    }
    let version = a.version.as_ref()?;
    ctx.vendor
        .products
        .iter()
        .find(|p| (a.covers.is_empty() || a.covers.contains(&p.name)) && &p.version != version)
}

fn not_accepted(ctx: &Context<'_>, kind: &ArtifactKind, a: &Artifact) -> Problem {
    let statuses: Vec<&str> = kind
        .accepted_for_status
        .iter()
        .map(|s| s.as_str())
        .collect();
    Problem::new(
        Code::ArtifactNotAccepted,
        a.field_loc(ArtifactField::Kind),
        format!(
            "a {} is accepted only for {} vendors; this vendor is {}",
            kind_of(kind, a),
            statuses.join(" or "),
            ctx.vendor.status.as_str()
        ),
        kind.substitutes
            .as_ref()
            .map_or("replace it with accepted evidence".to_string(), |s| {
                format!(
                    "obtain a {} instead",
                    ctx.registry
                        .kinds
                        .get(s)
                        .map_or(s.as_str(), |k| k.title.as_str())
                )
            }),
    )
}

/// An expired or stale artifact is superseded when another of its kind
/// about the same party (the vendor, or the same subprocessor: `subject`)
/// covering the same products counts as evidence; its problems are dropped.
/// A subprocessor's evidence never supersedes the vendor's own.
fn supersede(assessed: &mut [Assessed<'_>]) {
    let superseded: Vec<bool> = assessed
        .iter()
        .map(|old| {
            matches!(
                old.assessment.status,
                ArtifactStatus::Expired | ArtifactStatus::Stale
            ) && assessed.iter().any(|new| {
                new.assessment.kind == old.assessment.kind
                    && same_subject(new.artifact, old.artifact)
                    && new.assessment.status.satisfies()
                    && (new.artifact.covers.is_empty()
                        || old
                            .artifact
                            .covers
                            .iter()
                            .all(|c| new.artifact.covers.contains(c)))
            })
        })
        .collect();
    for (a, superseded) in assessed.iter_mut().zip(superseded) {
        if superseded {
            a.assessment.status = ArtifactStatus::Superseded;
            a.standing.clear();
        }
    }
}

/// Whether two artifacts are about the same party: both the vendor's own,
/// or both about the same subprocessor (names compared as `name_key` does).
fn same_subject(a: &Artifact, b: &Artifact) -> bool {
    match (&a.subject, &b.subject) {
        (None, None) => true,
        (Some(x), Some(y)) => name_key(x) == name_key(y),
        _ => false,
    }
}

/// How messages name an artifact's kind: its title, and for a
/// subprocessor's evidence whose it is ("SOC 2 Type II report of
/// subprocessor Nimbus Hosting").
pub(crate) fn kind_of(kind: &ArtifactKind, a: &Artifact) -> String {
    match &a.subject {
        Some(s) => format!("{} of subprocessor {s}", kind.title),
        None => kind.title.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn expiry_boundaries() {
        let u = Some(d("2026-06-30"));
        assert_eq!(status_on(u, d("2026-06-29"), 60), ArtifactStatus::Expiring);
        assert_eq!(
            status_on(u, d("2026-06-30"), 60),
            ArtifactStatus::Expiring,
            "valid on its last day"
        );
        assert_eq!(status_on(u, d("2026-07-01"), 60), ArtifactStatus::Expired);
        assert_eq!(
            status_on(u, d("2026-05-01"), 60),
            ArtifactStatus::Expiring,
            "60 days before"
        );
        assert_eq!(
            status_on(u, d("2026-04-30"), 60),
            ArtifactStatus::Valid,
            "61 days before"
        );
        assert_eq!(status_on(None, d("2099-01-01"), 60), ArtifactStatus::Valid);
    }

    use crate::assess::evidence::requirements::requirements;
    use crate::assess::testing::{TODAY, context, registry, vendor};

    fn statuses(assessed: &[Assessed<'_>]) -> Vec<(usize, ArtifactStatus)> {
        assessed
            .iter()
            .map(|a| (a.artifact.index, a.assessment.status))
            .collect()
    }

    #[test]
    fn a_current_report_supersedes_an_expired_one_and_silences_it() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        let mut old = v.artifacts[0].clone();
        old.index = 3;
        old.period_end = Some(d("2024-12-31"));
        v.artifacts.push(old);
        let part = artifacts(&context(&reg, &v, TODAY));
        assert_eq!(
            statuses(&part.result),
            [
                (0, ArtifactStatus::Valid),
                (1, ArtifactStatus::Valid),
                (2, ArtifactStatus::Valid),
                (3, ArtifactStatus::Superseded)
            ]
        );
        assert!(part.problems.is_empty());
        // Without the current one, the old report is expired and says why.
        v.artifacts.remove(0);
        let part = artifacts(&context(&reg, &v, TODAY));
        let expired = &part.problems[0];
        assert_eq!(expired.code, Code::ArtifactExpired);
        assert_eq!(
            expired.text,
            "SOC 2 Type II report \"SOC 2 Type II, pump fleet server\" expired on 2025-12-31 (12 months after the period ending 2024-12-31)"
        );
    }

    #[test]
    fn a_subprocessors_report_supersedes_only_its_own_and_names_it() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        // The vendor's expired report and a current one of the same kind
        // and dates except the period, only about a subprocessor.
        let mut current = v.artifacts[0].clone();
        current.index = 3;
        current.subject = Some("Nimbus Hosting".into());
        let current_end = current.period_end;
        v.artifacts[0].period_end = Some(d("2024-12-31"));
        v.artifacts.push(current);
        let part = artifacts(&context(&reg, &v, TODAY));
        assert_eq!(
            statuses(&part.result),
            [
                (0, ArtifactStatus::Expired),
                (1, ArtifactStatus::Valid),
                (2, ArtifactStatus::Valid),
                (3, ArtifactStatus::Valid)
            ],
            "the vendor's expired report stays expired and reported"
        );
        assert_eq!(part.problems.len(), 1);
        assert_eq!(part.problems[0].code, Code::ArtifactExpired);
        // The other way round: the subprocessor's expired report is its
        // own, reported naming it, and not superseded by the vendor's.
        v.artifacts[0].period_end = current_end;
        v.artifacts[3].period_end = Some(d("2024-12-31"));
        let part = artifacts(&context(&reg, &v, TODAY));
        assert_eq!(part.result[3].assessment.status, ArtifactStatus::Expired);
        assert_eq!(part.problems.len(), 1);
        assert_eq!(part.problems[0].code, Code::ArtifactExpired);
        assert_eq!(
            part.problems[0].text,
            "SOC 2 Type II report of subprocessor Nimbus Hosting \"SOC 2 Type II, pump fleet server\" expired on 2025-12-31 (12 months after the period ending 2024-12-31)"
        );
        assert_eq!(
            part.problems[0].loc,
            v.artifacts[3].field_loc(ArtifactField::PeriodEnd)
        );
        // A newer report about the same subprocessor (names as name_key
        // compares them) supersedes it.
        let mut newer = v.artifacts[0].clone();
        newer.index = 4;
        newer.subject = Some(" nimbus hosting".into());
        v.artifacts.push(newer);
        let part = artifacts(&context(&reg, &v, TODAY));
        assert_eq!(part.result[3].assessment.status, ArtifactStatus::Superseded);
        assert!(part.problems.is_empty());
    }

    #[test]
    fn an_exception_on_the_vendors_kind_does_not_accept_a_subprocessors_lapse() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        v.artifacts[0].period_end = Some(d("2024-12-31"));
        v.exceptions = vec![crate::assess::testing::exception(
            "EX-1",
            Accepts::Artifact("soc2-type2".into()),
            "2027-12-31",
        )];
        let accepted = |v: &Vendor| {
            let part = artifacts(&context(&reg, v, TODAY));
            (part.problems.len(), part.problems[0].accepted_by.clone())
        };
        assert_eq!(accepted(&v), (1, Some("EX-1".into())), "the vendor's own");
        v.artifacts[0].subject = Some("Nimbus Hosting".into());
        assert_eq!(accepted(&v), (1, None), "the subprocessor's");
    }

    #[test]
    fn an_sbom_of_another_version_is_stale() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        v.products[0].version = "4.3.0".into();
        let part = artifacts(&context(&reg, &v, TODAY));
        assert_eq!(part.result[1].assessment.status, ArtifactStatus::Stale);
        assert_eq!(part.problems.len(), 1);
        assert_eq!(
            part.problems[0].text,
            "Software bill of materials describes SmartPump 4 4.2.1, but version 4.3.0 is in use"
        );
    }

    #[test]
    fn standing_problems_wait_for_a_live_vendor_and_dates_do_not() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        v.status = VendorStatus::Offboarded;
        v.artifacts[0].period_end = None;
        v.artifacts[2].expires = Some(d("2026-01-01"));
        let part = artifacts(&context(&reg, &v, TODAY));
        let codes: Vec<Code> = part.problems.iter().map(|p| p.code).collect();
        assert_eq!(
            codes,
            [Code::ArtifactUndated],
            "the expired BAA is not reported"
        );
        assert_eq!(part.result[0].assessment.status, ArtifactStatus::Expired);
        assert_eq!(part.result[2].assessment.status, ArtifactStatus::Expired);
    }

    /// Acme (tier 1) with its SOC 2 report excluding `excluded`, under a
    /// tier 1 that disqualifies `disqualifying`.
    fn excluding(
        excluded: &[ScopeExclusion],
        disqualifying: &[ScopeExclusion],
    ) -> (Registry, Vendor) {
        let mut reg = registry();
        reg.tiers.tiers[0].disqualifying_exclusions = disqualifying.to_vec();
        let mut v = vendor(&reg, "acme-infusion");
        let loc = v.artifacts[0].loc.clone();
        v.artifacts[0].excludes = excluded
            .iter()
            .map(|x| Excluded {
                exclusion: *x,
                loc: loc.clone(),
            })
            .collect();
        (reg, v)
    }

    #[test]
    fn an_exclusion_the_tier_disqualifies_makes_the_report_unacceptable() {
        use ScopeExclusion::*;
        let (reg, v) = excluding(&[SomeSites, Production], &[Production, SupportTooling]);
        let part = artifacts(&context(&reg, &v, TODAY));
        assert_eq!(
            part.result[0].assessment.status,
            ArtifactStatus::NotAccepted
        );
        assert_eq!(
            part.problems.len(),
            1,
            "some-sites is tolerated, production is not"
        );
        let p = &part.problems[0];
        assert_eq!(p.code, Code::ScopeExcluded);
        assert_eq!(p.severity, crate::diag::Severity::Warning);
        assert_eq!(
            p.text,
            "SOC 2 Type II report \"SOC 2 Type II, pump fleet server\" excludes the production environment (`production`), which tier 1 (Critical) does not accept; it does not count as evidence"
        );
    }

    #[test]
    fn exclusions_no_tier_disqualifies_change_nothing() {
        use ScopeExclusion::*;
        // The default: no tier disqualifies anything.
        let (reg, v) = excluding(&[Production, SupportTooling], &[]);
        let part = artifacts(&context(&reg, &v, TODAY));
        assert_eq!(part.result[0].assessment.status, ArtifactStatus::Valid);
        assert!(part.problems.is_empty());
        // Another tier's exclusions do not reach a tier 1 vendor.
        let (mut reg, v) = excluding(&[Production], &[]);
        reg.tiers.tiers[1].disqualifying_exclusions = vec![Production];
        let part = artifacts(&context(&reg, &v, TODAY));
        assert_eq!(part.result[0].assessment.status, ArtifactStatus::Valid);
    }

    #[test]
    fn an_expired_excluding_report_stays_expired_and_says_both() {
        use ScopeExclusion::*;
        let (reg, mut v) = excluding(&[Production], &[Production]);
        v.artifacts[0].period_end = Some(d("2025-06-30"));
        let part = artifacts(&context(&reg, &v, TODAY));
        assert_eq!(part.result[0].assessment.status, ArtifactStatus::Expired);
        let mut codes: Vec<Code> = part.problems.iter().map(|p| p.code).collect();
        codes.sort_by_key(|c| c.id());
        assert_eq!(codes, [Code::ArtifactExpired, Code::ScopeExcluded]);
    }

    #[test]
    fn an_exception_for_the_kind_accepts_the_exclusion() {
        use crate::assess::testing::exception;
        use ScopeExclusion::*;
        let (reg, mut v) = excluding(&[Production], &[Production]);
        v.exceptions = vec![exception(
            "EX-9",
            Accepts::Artifact("soc2-type2".into()),
            "2027-06-01",
        )];
        let part = artifacts(&context(&reg, &v, TODAY));
        assert_eq!(part.problems[0].accepted_by.as_deref(), Some("EX-9"));
    }

    #[test]
    fn artifacts_stay_paired_with_their_assessment_when_one_is_skipped() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        // An artifact of a kind the policy does not know is skipped; the
        // ones after it must keep their own assessment.
        let mut unknown = v.artifacts[1].clone();
        unknown.kind = "retired-kind".into();
        v.artifacts.insert(0, unknown);
        for (i, a) in v.artifacts.iter_mut().enumerate() {
            a.index = i;
        }
        assert!(!reg.kinds.contains_key("retired-kind"));
        let ctx = context(&reg, &v, TODAY);
        let part = artifacts(&ctx);
        for a in &part.result {
            assert_eq!(a.artifact.index, a.assessment.index);
            assert_eq!(a.artifact.kind, a.assessment.kind);
        }
        let reqs = requirements(&ctx, &part.result).result;
        let soc2 = reqs.iter().find(|r| r.kind == "soc2-type2").unwrap();
        assert_eq!(
            soc2.satisfied_by,
            Some(1),
            "the SOC 2 report, not what sits at position 0"
        );
    }
}
