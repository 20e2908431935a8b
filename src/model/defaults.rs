//! The defaults of every policy key, from `policy-defaults.toml` embedded in
//! the binary: hospital policy lives in TOML, not in Rust literals, and a
//! registry that leaves a key out behaves exactly as before the key existed.

use serde::Deserialize;

use super::decision::DecisionPolicy;
use super::domain::{ContractPolicy, ScopeExclusion};

const TEXT: &str = include_str!("policy-defaults.toml");

/// Every policy key with its default value (no `Option`: a key missing from
/// the embedded file fails the unit test below, not a user's build).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyDefaults {
    pub site: SiteDefaults,
    pub policy: SettingsDefaults,
    pub review: ReviewDefaults,
    pub tier: TierDefaults,
    pub contract: ContractPolicy,
    pub decision: DecisionPolicy,
}

/// Defaults of vetted.toml's `[site]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteDefaults {
    pub rows_per_page: i64,
    pub vendor_history: i64,
    pub intranet_hosts: Vec<String>,
}

/// Defaults of the keys a tiers.toml `[[tier]]` may leave out.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierDefaults {
    pub disqualifying_exclusions: Vec<ScopeExclusion>,
}

/// Defaults of vetted.toml's `[policy]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsDefaults {
    pub expiry_warning_days: i64,
    pub max_breach_notification_hours: i64,
    pub exception_warning_days: i64,
    pub review_warning_days: i64,
    pub tracked_severity: super::domain::TrackedSeverity,
    pub renewal_warning_days: i64,
    pub end_of_support_warning_months: i64,
    pub residency: ResidencyDefaults,
    pub fourth_parties: FourthPartiesDefaults,
    pub evidence_files: super::evidence_file::EvidenceFilePolicy,
}

/// Defaults of vetted.toml's `[policy.residency]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResidencyDefaults {
    pub allowed_regions: Vec<String>,
}

/// Defaults of vetted.toml's `[policy.fourth_parties]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FourthPartiesDefaults {
    pub phi_data: Vec<String>,
    pub concentration_threshold: i64,
    pub concentration_tiers: Vec<i64>,
}

/// Defaults of tiers.toml's `[review]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewDefaults {
    pub default_months: i64,
}

impl PolicyDefaults {
    /// The embedded defaults. Parsed on each call (a few hundred bytes, read
    /// once per policy file) rather than kept in a global.
    pub fn embedded() -> PolicyDefaults {
        // The text is part of the binary and parsed by a unit test, so no
        // input can make this fail.
        toml::from_str(TEXT).expect("policy-defaults.toml is valid")
    }
}

/// The embedded `[policy.evidence_files]` (policy-defaults.toml): here, with
/// the other defaults, so that `evidence_file` needs nothing of this module.
impl Default for super::evidence_file::EvidenceFilePolicy {
    fn default() -> Self {
        PolicyDefaults::embedded().policy.evidence_files
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_defaults_are_todays_rules() {
        let d = PolicyDefaults::embedded();
        assert_eq!(d.policy.expiry_warning_days, 60);
        assert_eq!(d.policy.max_breach_notification_hours, 72);
        assert_eq!(d.policy.exception_warning_days, 30);
        assert_eq!(d.policy.review_warning_days, 30);
        assert_eq!(
            d.policy.tracked_severity,
            crate::model::TrackedSeverity::Warning
        );
        // Set by issue #13: these two change the output of registries without them.
        assert_eq!(d.policy.renewal_warning_days, 90);
        assert_eq!(d.policy.end_of_support_warning_months, 18);
        assert!(d.policy.residency.allowed_regions.is_empty());
        assert!(d.policy.fourth_parties.phi_data.is_empty());
        assert_eq!(d.policy.fourth_parties.concentration_threshold, 0);
        assert_eq!(d.policy.fourth_parties.concentration_tiers, [1]);
        assert_eq!(d.review.default_months, 12);
        assert_eq!(d.policy.evidence_files.max_bytes, 25 << 20);
        assert_eq!(
            d.policy.evidence_files.allowed_types,
            <crate::model::evidence_file::EvidenceFileType as crate::model::ClosedSet>::ALL
        );
        assert!(d.site.intranet_hosts.is_empty());
        assert!(d.tier.disqualifying_exclusions.is_empty());
        assert_eq!(d.contract.baa.factor, "phi_access");
        assert_eq!(d.contract.baa.exempt, ["none"]);
        assert_eq!(d.contract.remote_access.factor, "remote_access");
        assert_eq!(d.contract.remote_access.refused, ["always-on"]);
        assert_eq!(d.contract.remote_access.exempt, ["none"]);
        use crate::model::{BlockingSeverity, DecisionCondition};
        assert_eq!(d.decision.not_approved_at, BlockingSeverity::Error);
        assert_eq!(
            d.decision.conditions,
            <DecisionCondition as crate::model::ClosedSet>::ALL
        );
    }
}
