//! tiers.toml: the profile factors, the tiers (levels, scores, review
//! intervals), the overrides, and the `[review]` and `[contract]` policy
//! keys with their embedded defaults.

use std::sync::Arc;

use super::common::{Diags, check_conditions, factor_ids, not_allowed, tier_level};
use crate::diag::{Code, Diagnostic, Loc, Severity};
use crate::model::closed::ClosedSet;
use crate::model::defaults::{PolicyDefaults, TierDefaults};
use crate::model::raw::*;
use crate::model::*;
use crate::parse::{Doc, KeyPath};

/// The checked tier policy. Every error is reported; a tier with a bad or
/// duplicate level and an override with an unknown tier are left out.
pub(super) fn check_tiers(doc: &Doc<RawTiers>, d: &mut Diags) -> TierPolicy {
    let raw = &doc.value;
    let defaults = PolicyDefaults::embedded();
    let default_review_months = check_default_review_months(
        doc,
        raw.review.default_months,
        defaults.review.default_months,
        d,
    );
    let factors = factors(raw);
    let tiers = check_tier_list(doc, default_review_months, &defaults.tier, d);
    let contract = check_contract_policy(doc, &factors, defaults.contract, d);
    let mut policy = TierPolicy {
        factors,
        tiers,
        overrides: Vec::new(),
        default_review_months,
        contract,
    };
    policy.overrides = check_overrides(doc, &policy, d);
    policy
}

/// The profile factors, each with its values ordered by points (then name).
fn factors(raw: &RawTiers) -> Vec<Factor> {
    raw.factors
        .iter()
        .map(|(id, f)| {
            let mut points: Vec<(String, i64)> =
                f.points.iter().map(|(k, v)| (k.clone(), *v)).collect();
            points.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
            Factor {
                id: id.clone(),
                title: f.title.clone(),
                points,
            }
        })
        .collect()
}

/// The `[[tier]]` tables, sorted by level, each level positive and used once,
/// higher-risk tiers needing higher scores, and at least one tier.
fn check_tier_list(
    doc: &Doc<RawTiers>,
    default_review_months: i64,
    defaults: &TierDefaults,
    d: &mut Diags,
) -> Vec<Tier> {
    let mut tiers: Vec<Tier> = Vec::new();
    for (i, t) in doc.value.tiers.iter().enumerate() {
        if let Some(mut tier) = check_tier(doc, i, t, &tiers, default_review_months, d) {
            tier.disqualifying_exclusions = disqualifying_exclusions(doc, i, t, defaults, d);
            tiers.push(tier);
        }
    }
    tiers.sort_by_key(|t| t.level);
    check_tier_order(doc, &tiers, d);
    if tiers.is_empty() {
        d.push(
            Diagnostic::new(
                Code::InvalidPolicy,
                Loc::file(&doc.path),
                "tiers.toml defines no tier",
            )
            .help("add [[tier]] tables"),
        );
    }
    tiers
}

/// One tier; `None` when its level is not a small positive number or is
/// already taken by one of `earlier`.
fn check_tier(
    doc: &Doc<RawTiers>,
    i: usize,
    t: &RawTier,
    earlier: &[Tier],
    default_review_months: i64,
    d: &mut Diags,
) -> Option<Tier> {
    let path = doc.root().at(RawTiers::TIER).item(i);
    let Some(level) = u8::try_from(t.level).ok().filter(|l| *l >= 1) else {
        d.push(
            Diagnostic::new(
                Code::InvalidPolicy,
                doc.loc(&path.at(RawTier::LEVEL)),
                "a tier level is a small positive number",
            )
            .help("number tiers 1, 2, 3, ... with 1 the highest risk"),
        );
        return None;
    };
    if earlier.iter().any(|x| x.level == level) {
        d.push(
            Diagnostic::new(
                Code::DuplicateId,
                doc.loc(&path.at(RawTier::LEVEL)),
                format!("tier {level} is defined twice"),
            )
            .help("give every tier its own level"),
        );
        return None;
    }
    let review_months = t.review_months.unwrap_or(default_review_months);
    if review_months < 1 {
        d.push(
            Diagnostic::new(
                Code::InvalidPolicy,
                doc.loc(&path.at(RawTier::REVIEW_MONTHS)),
                "review_months must be at least 1",
            )
            .help("the reassessment interval in months, e.g. 12"),
        );
    }
    Some(Tier {
        level,
        name: t.name.clone(),
        min_score: t.min_score,
        review_months: review_months.max(1),
        sections: t.sections.clone(),
        description: t.description.clone(),
        require_audit_rights: t.require_audit_rights,
        require_time_bound_remote_access: t.require_time_bound_remote_access,
        disqualifying_exclusions: Vec::new(),
    })
}

/// A tier's `disqualifying_exclusions`: values of the closed set of scope
/// exclusions (another is reported and left out), or the embedded default
/// (none) when the tier does not set the key.
fn disqualifying_exclusions(
    doc: &Doc<RawTiers>,
    i: usize,
    t: &RawTier,
    defaults: &TierDefaults,
    d: &mut Diags,
) -> Vec<ScopeExclusion> {
    let Some(listed) = &t.disqualifying_exclusions else {
        return defaults.disqualifying_exclusions.clone();
    };
    let path = doc
        .root()
        .at(RawTiers::TIER)
        .item(i)
        .at(RawTier::DISQUALIFYING_EXCLUSIONS);
    let mut out = Vec::new();
    for (j, x) in listed.iter().enumerate() {
        match x.known() {
            Ok(x) if !out.contains(&x) => out.push(x),
            Ok(_) => {}
            Err(text) => d.push(not_allowed(
                doc,
                &path.item(j),
                text,
                ScopeExclusion::VALUES,
            )),
        }
    }
    out
}

/// Scores map to tiers by min_score: a higher-risk tier needs a higher score.
/// `tiers` is sorted by level.
fn check_tier_order(doc: &Doc<RawTiers>, tiers: &[Tier], d: &mut Diags) {
    for pair in tiers.windows(2) {
        if pair[0].min_score <= pair[1].min_score {
            let i = doc
                .value
                .tiers
                .iter()
                .position(|t| t.level == pair[0].level as i64)
                .unwrap_or(0);
            d.push(
                Diagnostic::new(
                    Code::InvalidPolicy,
                    doc.loc(&doc.root().at(RawTiers::TIER).item(i).at(RawTier::MIN_SCORE)),
                    format!(
                        "tier {} must need a higher min_score than tier {}",
                        pair[0].level, pair[1].level
                    ),
                )
                .help("tier 1 is the highest risk: its min_score is the highest"),
            );
        }
    }
}

/// The `[[override]]` tables whose tier is defined; their conditions are
/// checked against the factors of `policy`.
fn check_overrides(doc: &Doc<RawTiers>, policy: &TierPolicy, d: &mut Diags) -> Vec<Override> {
    let mut overrides = Vec::new();
    for (i, o) in doc.value.overrides.iter().enumerate() {
        let path = doc.root().at(RawTiers::OVERRIDE).item(i);
        let when = check_conditions(doc, &path.at(RawOverride::WHEN), &o.when, policy, d);
        if let Some(tier) = tier_level(doc, &path.at(RawOverride::TIER), o.tier, policy, d) {
            overrides.push(Override {
                when,
                tier,
                reason: o.reason.clone(),
            });
        }
    }
    overrides
}
/// `[review] default_months`: at least one month, like `review_months`.
fn check_default_review_months(
    doc: &Doc<RawTiers>,
    set: Option<i64>,
    default: i64,
    d: &mut Diags,
) -> i64 {
    match set {
        Some(m) if m < 1 => {
            d.push(
                Diagnostic::new(
                    Code::InvalidPolicy,
                    doc.loc(
                        &doc.root()
                            .at(RawTiers::REVIEW)
                            .at(RawReviewPolicy::DEFAULT_MONTHS),
                    ),
                    "review.default_months must be at least 1",
                )
                .help("the reassessment interval in months, e.g. 12"),
            );
            default
        }
        Some(m) => m,
        None => default,
    }
}

/// `[contract]`: each key the file sets replaces its default. A factor the
/// file names must be a factor of this file, and the values it lists values
/// of the rule's factor. Defaults are not checked against the factors: a
/// registry without `phi_access` simply never needs a BAA, as before the
/// keys existed.
fn check_contract_policy(
    doc: &Doc<RawTiers>,
    factors: &[Factor],
    defaults: ContractPolicy,
    d: &mut Diags,
) -> ContractPolicy {
    let raw = &doc.value.contract;
    let (baa, ra) = (&raw.baa, &raw.remote_access);
    let policy = ContractPolicy {
        baa: BaaRule {
            factor: baa.factor.clone().unwrap_or(defaults.baa.factor),
            exempt: baa.exempt.clone().unwrap_or(defaults.baa.exempt),
        },
        remote_access: RemoteAccessRule {
            factor: ra.factor.clone().unwrap_or(defaults.remote_access.factor),
            refused: ra.refused.clone().unwrap_or(defaults.remote_access.refused),
            exempt: ra.exempt.clone().unwrap_or(defaults.remote_access.exempt),
        },
    };
    type Listed<'a> = (KeyPath<Vec<String>>, &'a Option<Vec<String>>);
    let mut check = |factor_path: KeyPath<String>, factor: &str, named: bool, lists: &[Listed]| {
        let Some(f) = factors.iter().find(|f| f.id == factor) else {
            // Only a factor the file names is an error (see above).
            if named {
                d.push(
                    Diagnostic::new(
                        Code::UnknownReference,
                        doc.loc(&factor_path),
                        format!("unknown profile factor `{factor}`"),
                    )
                    .help(format!("factors in tiers.toml: {}", factor_ids(factors))),
                );
            }
            return;
        };
        let allowed: Vec<&str> = f.points.iter().map(|(k, _)| k.as_str()).collect();
        for (list_path, values) in lists {
            for (i, v) in values.iter().flatten().enumerate() {
                if !allowed.contains(&v.as_str()) {
                    d.push(not_allowed(doc, &list_path.item(i), v, &allowed));
                }
            }
        }
    };
    let contract = doc.root().at(RawTiers::CONTRACT);
    let baa_path = contract.at(RawContractPolicy::BAA);
    check(
        baa_path.at(RawBaaRule::FACTOR),
        &policy.baa.factor,
        baa.factor.is_some(),
        &[(baa_path.at(RawBaaRule::EXEMPT), &baa.exempt)],
    );
    let ra_path = contract.at(RawContractPolicy::REMOTE_ACCESS);
    check(
        ra_path.at(RawRemoteAccessRule::FACTOR),
        &policy.remote_access.factor,
        ra.factor.is_some(),
        &[
            (ra_path.at(RawRemoteAccessRule::REFUSED), &ra.refused),
            (ra_path.at(RawRemoteAccessRule::EXEMPT), &ra.exempt),
        ],
    );
    policy
}

/// The tier policy of a tiers.toml text, or `None` when it does not parse.
/// History uses it to compute a vendor's tier as it stood at each commit.
pub fn tier_policy_from_text(text: &str) -> Option<TierPolicy> {
    let rel: Arc<str> = crate::load::TIERS_FILE.into();
    let doc = crate::parse::parse_toml::<RawTiers>(&rel, crate::diag::SourceText::new(text.into()))
        .ok()?;
    let mut d = Diags::default();
    let policy = check_tiers(&doc, &mut d);
    d.0.iter()
        .all(|x| x.severity != Severity::Error)
        .then_some(policy)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::testing::*;

    #[test]
    fn tiers_must_need_higher_scores_for_higher_risk() {
        let mut d = Diags::default();
        let text = TIERS.replace("min_score = 0", "min_score = 5");
        check_tiers(&doc("tiers.toml", &text), &mut d);
        assert_eq!(
            found(d),
            [(
                "E0501",
                9,
                13,
                "tier 1 must need a higher min_score than tier 2".into()
            )]
        );
    }

    #[test]
    fn disqualifying_exclusions_are_values_of_the_closed_set_and_default_to_none() {
        let tiers = tiers();
        assert!(
            tiers
                .tiers
                .iter()
                .all(|t| t.disqualifying_exclusions.is_empty())
        );
        let mut d = Diags::default();
        let text = TIERS.replace(
            "sections = [\"s\"]",
            "sections = [\"s\"]\ndisqualifying_exclusions = [\"production\", \"prod\", \"support-tooling\"]",
        );
        let t = check_tiers(&doc("tiers.toml", &text), &mut d);
        assert_eq!(
            found(d),
            [(
                "E0106",
                12,
                43,
                "`prod` is not allowed for `tier[0].disqualifying_exclusions[1]`".into()
            )]
        );
        assert_eq!(
            t.tiers[0].disqualifying_exclusions,
            [ScopeExclusion::Production, ScopeExclusion::SupportTooling]
        );
    }
}
