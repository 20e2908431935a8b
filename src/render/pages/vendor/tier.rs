//! The vendor page's tier rationale: the profile's points, the score's tier,
//! the overrides that matched, and one sentence saying how they gave the tier.

use crate::assess::TierRationale;
use crate::render::model::Model;
use crate::render::view::{FactorRow, OverrideView, RationaleView, ThresholdView};

pub fn rationale(model: &Model, r: &TierRationale) -> RationaleView {
    // Overrides only ever raise the risk: the lowest level that beats the
    // score's tier decides, and only its first override is marked decisive.
    let decisive_tier = r
        .overrides
        .iter()
        .map(|o| o.tier)
        .min()
        .filter(|t| *t < r.score_tier);
    let mut decided = false;
    let overrides = r
        .overrides
        .iter()
        .map(|o| {
            let decisive = !decided && Some(o.tier) == decisive_tier;
            decided |= decisive;
            OverrideView {
                tier: model.tier(o.tier),
                reason: o.reason.clone(),
                decisive,
            }
        })
        .collect();
    RationaleView {
        factors: r
            .factors
            .iter()
            .map(|f| FactorRow {
                factor: f.factor.clone(),
                title: f.title.clone(),
                value: f.value.clone(),
                points: f.points,
            })
            .collect(),
        score: r.score,
        score_tier: model.tier(r.score_tier),
        overrides,
        thresholds: model
            .registry
            .tiers
            .tiers
            .iter()
            .map(|t| ThresholdView {
                tier: model.tier(t.level),
                min_score: t.min_score,
            })
            .collect(),
        explanation: explanation(r, decisive_tier),
    }
}

fn explanation(r: &TierRationale, decisive_tier: Option<u8>) -> String {
    match decisive_tier {
        Some(t) => format!(
            "A score of {} gives tier {} on its own; an override raises it to tier {t}.",
            r.score, r.score_tier
        ),
        None if r.overrides.is_empty() => {
            format!("A score of {} gives tier {}.", r.score, r.score_tier)
        }
        None => format!(
            "A score of {} gives tier {}; the overrides that matched do not raise it further.",
            r.score, r.score_tier
        ),
    }
}
