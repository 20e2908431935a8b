//! A risk profile for a new vendor of a chosen tier: one value per factor of
//! tiers.toml whose tier (points, thresholds and overrides, computed by
//! `assess::tier_of` itself) is the one asked for.

use std::collections::BTreeMap;

use crate::assess::tier_of;
use crate::model::TierPolicy;

/// The most profiles tried before giving up (a policy with very many
/// factors and values; the usual one has a few hundred profiles).
const MAX_PROFILES: usize = 1 << 20;

/// The first profile whose tier is `tier`, in the order of the checked
/// policy (factors by id, each one's values by points, the last factor
/// turning fastest), so the lowest-risk tier gets every factor's
/// lowest-scoring value; `None` when none is found. The same policy always
/// gives the same profile.
pub fn profile_for_tier(policy: &TierPolicy, tier: u8) -> Option<BTreeMap<String, String>> {
    let factors = &policy.factors;
    if factors.iter().any(|f| f.points.is_empty()) {
        return None;
    }
    let mut at = vec![0usize; factors.len()];
    for _ in 0..MAX_PROFILES {
        let profile: BTreeMap<String, String> = factors
            .iter()
            .zip(&at)
            .filter_map(|(f, &i)| Some((f.id.clone(), f.points.get(i)?.0.clone())))
            .collect();
        if tier_of(policy, &profile).0 == tier {
            return Some(profile);
        }
        // The next profile: an odometer over the factors' values.
        let mut turned = false;
        for (i, f) in at.iter_mut().zip(factors).rev() {
            *i += 1;
            if *i < f.points.len() {
                turned = true;
                break;
            }
            *i = 0;
        }
        if !turned {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::tier_of;

    fn example_tiers() -> TierPolicy {
        let text = include_str!("../../../registry/tiers.toml");
        crate::validate::tier_policy_from_text(text).expect("the example's tiers.toml")
    }

    #[test]
    fn every_tier_of_the_example_has_a_profile_that_gives_it() {
        let policy = example_tiers();
        for t in &policy.tiers {
            let p = profile_for_tier(&policy, t.level).unwrap();
            assert_eq!(p.len(), policy.factors.len());
            assert_eq!(tier_of(&policy, &p).0, t.level, "{p:?}");
        }
        // The lowest-risk tier comes from every factor's first value.
        let lowest = policy.tiers.last().unwrap().level;
        let p = profile_for_tier(&policy, lowest).unwrap();
        for f in &policy.factors {
            assert_eq!(p[&f.id], f.points[0].0);
        }
    }

    #[test]
    fn a_tier_no_profile_reaches_has_none() {
        let mut policy = example_tiers();
        // Tier 2 now needs more points than any profile has, and nothing
        // forces it.
        for t in &mut policy.tiers {
            if t.level == 2 {
                t.min_score = 1000;
            }
        }
        policy.tiers.sort_by_key(|t| std::cmp::Reverse(t.min_score));
        assert!(profile_for_tier(&policy, 2).is_none());
        assert!(profile_for_tier(&policy, 9).is_none());
    }
}
