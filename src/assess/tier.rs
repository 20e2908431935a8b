//! Tier part: the inherent-risk tier and its rationale from the vendor's
//! profile and tiers.toml's points, thresholds and overrides.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::*;

#[derive(Debug, Clone, Serialize)]
pub struct TierRationale {
    pub factors: Vec<FactorPoints>,
    pub score: i64,
    /// The tier the score alone gives.
    pub score_tier: u8,
    /// Overrides that matched, with the tier each forces.
    pub overrides: Vec<AppliedOverride>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FactorPoints {
    pub factor: String,
    pub title: String,
    pub value: String,
    pub points: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct AppliedOverride {
    pub tier: u8,
    pub reason: String,
}

/// Tier and its rationale from the profile and the tier policy.
pub fn tier_of(policy: &TierPolicy, profile: &BTreeMap<String, String>) -> (u8, TierRationale) {
    let mut factors = Vec::new();
    let mut score = 0;
    for f in &policy.factors {
        if let Some(value) = profile.get(&f.id) {
            let points = f
                .points
                .iter()
                .find(|(k, _)| k == value)
                .map_or(0, |(_, p)| *p);
            score += points;
            factors.push(FactorPoints {
                factor: f.id.clone(),
                title: f.title.clone(),
                value: value.clone(),
                points,
            });
        }
    }
    // Tiers are sorted 1 first with falling min_score: the first one reached wins.
    let lowest = policy.tiers.last().map_or(1, |t| t.level);
    let score_tier = policy
        .tiers
        .iter()
        .find(|t| score >= t.min_score)
        .map_or(lowest, |t| t.level);
    let overrides: Vec<AppliedOverride> = policy
        .overrides
        .iter()
        .filter(|o| {
            o.when
                .iter()
                .all(|(f, values)| profile.get(f).is_some_and(|v| values.contains(v)))
        })
        .map(|o| AppliedOverride {
            tier: o.tier,
            reason: o.reason.clone(),
        })
        .collect();
    // Overrides only raise the risk: a lower-risk override would hide it.
    let tier = overrides
        .iter()
        .map(|o| o.tier)
        .chain([score_tier])
        .min()
        .unwrap_or(score_tier);
    (
        tier,
        TierRationale {
            factors,
            score,
            score_tier,
            overrides,
        },
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::defaults::PolicyDefaults;

    /// A small policy: three factors, three tiers, one override.
    pub(crate) fn policy() -> TierPolicy {
        let factor = |id: &str, pts: &[(&str, i64)]| Factor {
            id: id.into(),
            title: id.into(),
            points: pts.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        };
        let tier = |level, min_score| Tier {
            level,
            name: format!("T{level}"),
            min_score,
            review_months: 12,
            sections: vec![],
            description: None,
            require_audit_rights: false,
            require_time_bound_remote_access: false,
            disqualifying_exclusions: vec![],
        };
        let defaults = PolicyDefaults::embedded();
        TierPolicy {
            factors: vec![
                factor("phi", &[("none", 0), ("full", 4)]),
                factor("crit", &[("low", 0), ("life", 5)]),
                factor("net", &[("isolated", 0), ("lan", 3)]),
            ],
            tiers: vec![tier(1, 9), tier(2, 4), tier(3, 0)],
            overrides: vec![Override {
                when: vec![
                    ("crit".into(), vec!["life".into()]),
                    ("net".into(), vec!["lan".into()]),
                ],
                tier: 1,
                reason: "life-critical on LAN".into(),
            }],
            default_review_months: defaults.review.default_months,
            contract: defaults.contract,
        }
    }

    #[test]
    fn tiers_from_points_thresholds_and_overrides() {
        let p = policy();
        let profile = |phi: &str, crit: &str, net: &str| -> BTreeMap<String, String> {
            [("phi", phi), ("crit", crit), ("net", net)]
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let (t, r) = tier_of(&p, &profile("none", "low", "isolated"));
        assert_eq!((t, r.score), (3, 0));
        let (t, r) = tier_of(&p, &profile("full", "low", "isolated"));
        assert_eq!(
            (t, r.score, r.score_tier),
            (2, 4, 2),
            "min_score is inclusive"
        );
        let (t, r) = tier_of(&p, &profile("none", "life", "lan"));
        assert_eq!((t, r.score, r.score_tier), (1, 8, 2));
        assert_eq!(
            r.overrides.len(),
            1,
            "the override is part of the rationale"
        );
        let (t, r) = tier_of(&p, &profile("full", "life", "isolated"));
        assert_eq!((t, r.score, r.overrides.len()), (1, 9, 0));
        assert_eq!(
            r.factors.iter().map(|f| f.points).collect::<Vec<_>>(),
            vec![4, 5, 0]
        );
    }

    #[test]
    fn an_override_never_lowers_the_risk() {
        let mut p = policy();
        p.overrides[0].tier = 3;
        let profile: BTreeMap<String, String> = [("phi", "full"), ("crit", "life"), ("net", "lan")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let (t, r) = tier_of(&p, &profile);
        assert_eq!((t, r.score_tier, r.overrides.len()), (1, 1, 1));
    }
}
