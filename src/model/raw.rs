//! Raw serde types, one per registry file, exactly as users write them.
//!
//! Every struct denies unknown fields so a typo is an error from day one.
//! Dates are TOML local dates (`2025-06-30`, unquoted); `validate` turns these
//! raw values into the checked domain types in `model::domain`.
//! Closed sets of values are `Closed<T>`, so a value outside the set is kept
//! and reported where it stands; the keys of every struct are declared once
//! with `keys!` (at the end of this file) and are the only way to name a
//! location inside a file.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;
use toml::value::Datetime;

use crate::model::closed::Closed;
use crate::model::condition::RedFlagWhen;
use crate::model::decision::{BlockingSeverity, DecisionCondition};
use crate::model::domain::{
    FindingSeverity, FindingStatus, QuestionType, RuleSeverity, ScopeExclusion, TrackedSeverity,
    ValidFrom, VendorStatus,
};
use crate::parse::keys;

/// The JSON Schema of a TOML local date (`2025-06-30`, unquoted) as the JSON
/// view of a file shows it (taplo, `vetted schema`): an RFC 3339 full-date
/// string. Only a schema: the date fields are read as `Datetime`.
pub struct TomlDate;

impl JsonSchema for TomlDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "description": "a date, YYYY-MM-DD (in TOML unquoted, without a time)",
        })
    }
}

// ---------------------------------------------------------------- vetted.toml

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSettings {
    /// `[site]`: what the published site shows in its header and footer.
    pub site: RawSite,
    /// `[policy]`: hospital-wide thresholds the checks apply to every vendor.
    #[serde(default)]
    pub policy: RawPolicy,
    /// `[decision]`: how each vendor's decision is derived.
    #[serde(default)]
    pub decision: RawDecision,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    /// The site's title.
    pub title: String,
    /// The organisation that keeps the registry.
    pub organisation: String,
    /// What the registry is for (Markdown), shown on the home page.
    #[serde(default)]
    pub description: Option<String>,
    /// Theme folder name under `themes/` next to the registry (default: "default").
    #[serde(default)]
    pub theme: Option<String>,
    /// Hosts of the hospital's intranet (a link to one of them, or to a
    /// subdomain, is marked "intranet" on the site); default none.
    #[serde(default)]
    pub intranet_hosts: Option<Vec<String>>,
    /// Rows per page of the site's big tables (default 100, 1 to 1000).
    #[serde(default)]
    pub rows_per_page: Option<i64>,
    /// Changes a vendor page lists, newest first (default 5, 1 to 1000).
    #[serde(default)]
    pub vendor_history: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPolicy {
    /// Days before expiry at which an artifact becomes "expiring" (default 60).
    pub expiry_warning_days: Option<i64>,
    /// Longest breach-notification delay the hospital accepts, in hours (default 72).
    pub max_breach_notification_hours: Option<i64>,
    /// Days before an exception's expiry at which it is reported as expiring (default 30).
    pub exception_warning_days: Option<i64>,
    /// Days before a reassessment is due at which it is reported as due soon (default 30).
    pub review_warning_days: Option<i64>,
    /// Severity of a problem tracked by an open finding within its due date (default warning).
    pub tracked_severity: Option<Closed<TrackedSeverity>>,
    /// Days before a contract renewal at which the missing terms are listed (default 90).
    pub renewal_warning_days: Option<i64>,
    /// Months before a product's end of support at which it is reported (default 18).
    pub end_of_support_warning_months: Option<i64>,
    /// `[policy.residency]`: where vendor and subprocessor data may live.
    #[serde(default)]
    pub residency: RawResidency,
    /// `[policy.fourth_parties]`: subprocessors that touch PHI, and concentration.
    #[serde(default)]
    pub fourth_parties: RawFourthParties,
    /// `[policy.evidence_files]`: which evidence files (`file =`) the site serves.
    #[serde(default)]
    pub evidence_files: RawEvidenceFiles,
}

/// `[decision]`: how each vendor's decision is derived.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDecision {
    /// An unaccepted problem at or above this severity refuses approval (default "error").
    pub not_approved_at: Option<Closed<BlockingSeverity>>,
    /// What makes an approval conditional (default: all of them).
    pub conditions: Option<Vec<Closed<DecisionCondition>>>,
}

/// `[policy.residency]` of vetted.toml (default: no restriction).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawResidency {
    /// Regions vendors and subprocessors may host or process data in (empty: any).
    pub allowed_regions: Option<Vec<String>>,
}

/// `[policy.fourth_parties]` of vetted.toml (default: off).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFourthParties {
    /// Subprocessor `data` values that mean PHI (default none: no subprocessor is held to PHI terms).
    pub phi_data: Option<Vec<String>>,
    /// How many vendors of `concentration_tiers` may share a subprocessor before it is flagged (0: off).
    pub concentration_threshold: Option<i64>,
    /// Tiers whose vendors count towards concentration (default [1]).
    pub concentration_tiers: Option<Vec<i64>>,
}

/// `[policy.evidence_files]` of vetted.toml: evidence files the site
/// copies and links; a file failing a rule is reported and never served.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawEvidenceFiles {
    /// The largest evidence file served, in bytes (default 26214400, 25 MiB).
    pub max_bytes: Option<i64>,
    /// The types served, checked by extension and content (default: all of them).
    pub allowed_types: Option<Vec<Closed<crate::model::evidence_file::EvidenceFileType>>>,
}

// --------------------------------------------------------- questionnaire.toml

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawQuestionnaire {
    /// `[[section]]`: the questionnaire's sections, in order.
    #[serde(rename = "section", default)]
    pub sections: Vec<RawSection>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSection {
    /// Section id: the table name of the section in answers.toml.
    pub id: String,
    /// The section's title.
    pub title: String,
    /// What the section covers.
    #[serde(default)]
    pub summary: Option<String>,
    /// `[[section.question]]`: the section's questions, in order.
    #[serde(rename = "question", default)]
    pub questions: Vec<RawQuestion>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawQuestion {
    /// Question id: the key of the answer in its section's table of answers.toml.
    pub id: String,
    /// The question as the vendor reads it.
    pub prompt: String,
    /// A short title for the question where the site lists answers (vendor
    /// pages, red flags, exceptions): "Incident contact". The full prompt is
    /// on the questionnaire page and in the vendor's workbook. Default: the
    /// prompt.
    #[serde(default)]
    pub title: Option<String>,
    /// The answer's type.
    #[serde(rename = "type")]
    pub kind: Closed<QuestionType>,
    /// Allowed values for `choice` and `multi`.
    #[serde(default)]
    pub options: Vec<String>,
    /// Tiers (1 = highest risk) for which an answer is required.
    #[serde(default)]
    pub required_for: Vec<i64>,
    /// What a strong answer contains (Markdown).
    pub guidance: String,
    /// Unit shown after integer answers ("hours", "days").
    #[serde(default)]
    pub unit: Option<String>,
    /// `[[section.question.red_flag]]`: rules that raise a red flag on an answer.
    #[serde(rename = "red_flag", default)]
    pub red_flags: Vec<RawRedFlag>,
    /// Option -> artifact kinds that back it: answering the option claims a
    /// certification, and an artifact of one of the kinds must be on file.
    #[serde(default)]
    pub evidence: BTreeMap<String, Vec<String>>,
    /// Option -> the label the site shows for it ("soc2-type2" = "SOC 2 Type II");
    /// an option without one is shown as written.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

/// A declarative red-flag rule. Exactly one condition key is set.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRedFlag {
    /// The condition on the answer that raises the flag.
    pub when: Closed<RedFlagWhen>,
    /// The operand: a bool, integer, string or (for contains) option value. Absent for `missing`.
    #[serde(default)]
    #[schemars(with = "Option<serde_json::Value>")]
    pub value: Option<toml::Value>,
    /// Default warning.
    #[serde(default)]
    pub severity: Option<Closed<RuleSeverity>>,
    /// Tier level ("1", "3") -> severity for vendors of that tier instead of `severity`.
    #[serde(default)]
    pub severity_by_tier: BTreeMap<String, Closed<RuleSeverity>>,
    /// What the reviewer sees.
    pub message: String,
}

// ----------------------------------------------------------------- tiers.toml

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTiers {
    /// Profile factor id -> its values and their points.
    #[serde(rename = "factor")]
    pub factors: BTreeMap<String, RawFactor>,
    /// `[[tier]]`: the risk tiers, 1 the highest risk.
    #[serde(rename = "tier")]
    pub tiers: Vec<RawTier>,
    /// `[[override]]`: profiles that land in a tier whatever their score.
    #[serde(rename = "override", default)]
    pub overrides: Vec<RawOverride>,
    /// `[review]`: reassessment intervals.
    #[serde(default)]
    pub review: RawReviewPolicy,
    /// `[contract]`: contract terms the risk profile calls for.
    #[serde(default)]
    pub contract: RawContractPolicy,
}

/// `[review]` of tiers.toml; every key falls back to the embedded defaults.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawReviewPolicy {
    /// Reassessment interval, in months, of a tier without `review_months` (default 12).
    pub default_months: Option<i64>,
}

/// `[contract]` of tiers.toml: contract terms the risk profile calls for.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawContractPolicy {
    /// `[contract.baa]`: when a business associate agreement is required.
    #[serde(default)]
    pub baa: RawBaaRule,
    /// `[contract.remote_access]`: which remote access a tier refuses or exempts.
    #[serde(default)]
    pub remote_access: RawRemoteAccessRule,
}

/// `[contract.baa]`: a BAA is required when the profile's `factor` has a
/// value other than the `exempt` ones (default: `phi_access`, exempt `none`).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawBaaRule {
    /// The profile factor that decides (default `phi_access`).
    pub factor: Option<String>,
    /// Values of the factor that need no BAA (default `["none"]`).
    pub exempt: Option<Vec<String>>,
}

/// `[contract.remote_access]`, read for tiers that require time-bound remote
/// access (default: `remote_access`, refused `always-on`, exempt `none`).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRemoteAccessRule {
    /// The profile factor that decides (default `remote_access`).
    pub factor: Option<String>,
    /// Values such a tier never accepts.
    pub refused: Option<Vec<String>>,
    /// Values that need no remote-access clause in the contract.
    pub exempt: Option<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFactor {
    /// The factor's title.
    pub title: String,
    /// Value -> points, in the order users should read them.
    pub points: BTreeMap<String, i64>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTier {
    /// 1 is the highest risk.
    pub level: i64,
    /// The tier's name.
    pub name: String,
    /// The lowest inherent-risk score that lands in this tier.
    pub min_score: i64,
    /// Reassessment interval in months (default: `[review] default_months`).
    #[serde(default)]
    pub review_months: Option<i64>,
    /// Questionnaire section ids whose required questions must be answered.
    pub sections: Vec<String>,
    /// What the tier means.
    #[serde(default)]
    pub description: Option<String>,
    /// Contract must grant audit rights.
    #[serde(default)]
    pub require_audit_rights: bool,
    /// Vendor remote access must be none or time-bound (never always-on).
    #[serde(default)]
    pub require_time_bound_remote_access: bool,
    /// Scope exclusions that disqualify an artifact as evidence for this tier
    /// (default: `[tier] disqualifying_exclusions` of the embedded defaults, none).
    #[serde(default)]
    pub disqualifying_exclusions: Option<Vec<Closed<ScopeExclusion>>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawOverride {
    /// factor -> accepted values; every factor must match.
    pub when: BTreeMap<String, Vec<String>>,
    /// The tier level such a profile lands in.
    pub tier: i64,
    /// Why, shown to reviewers.
    pub reason: String,
}

// -------------------------------------------------------- artifact-kinds.toml

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawArtifactKinds {
    /// `[kind.<id>]`: artifact kind id -> its definition; the id is what artifacts.toml `kind` names.
    #[serde(rename = "kind")]
    pub kinds: BTreeMap<String, RawArtifactKind>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawArtifactKind {
    /// The kind's title.
    pub title: String,
    /// What an artifact of this kind is.
    #[serde(default)]
    pub description: Option<String>,
    /// How long an artifact of this kind counts as evidence.
    pub validity: RawValidity,
    /// Tiers that require this kind (empty: never required by tier).
    #[serde(default)]
    pub required_for: Vec<i64>,
    /// Profile conditions that must all hold for the requirement to apply,
    /// e.g. `{ phi_access = ["limited", "full"] }`.
    #[serde(default)]
    pub required_when: BTreeMap<String, Vec<String>>,
    /// Another kind this one may stand in for (SOC 2 Type I for Type II).
    #[serde(default)]
    pub substitutes: Option<String>,
    /// Vendor statuses for which this kind is accepted at all (empty: all).
    #[serde(default)]
    pub accepted_for_status: Vec<Closed<VendorStatus>>,
    /// Bound to one product version (SBOM, MDS2): stale once the version changes.
    #[serde(default)]
    pub version_bound: bool,
    /// Evidence is needed for each product (a SOC 2 scope, a pentest); false:
    /// one artifact serves the whole vendor (a BAA, an insurance policy).
    #[serde(default)]
    pub per_product: bool,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawValidity {
    /// The date validity counts from.
    pub from: Closed<ValidFrom>,
    /// How many months an artifact stays valid from that date.
    #[serde(default)]
    pub months: Option<i64>,
    /// Longest extension a bridge letter may give (SOC 2).
    #[serde(default)]
    pub bridge_max_months: Option<i64>,
    /// A surveillance audit (or the issue date) must be at most this old (ISO 27001).
    #[serde(default)]
    pub surveillance_months: Option<i64>,
    /// An interim assessment must be completed in the this-many days before the
    /// first anniversary of issue to keep the second year (HITRUST r2).
    #[serde(default)]
    pub interim_window_days: Option<i64>,
}

// ------------------------------------------------------------------ vendor.toml

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawVendor {
    /// The vendor's name.
    pub name: String,
    /// Where the vendor stands with the hospital.
    pub status: Closed<VendorStatus>,
    /// What the vendor supplies (a free kebab-case word, e.g. infusion-pump).
    pub category: String,
    /// The internal owner of the relationship.
    pub owner: String,
    /// What the vendor supplies (Markdown).
    #[serde(default)]
    pub description: Option<String>,
    /// The vendor's website (http, https or mailto).
    #[serde(default)]
    pub website: Option<String>,
    /// `[[product]]`: the vendor's products in use.
    #[serde(rename = "product", default)]
    pub products: Vec<RawProduct>,
    /// `[[subprocessor]]`: fourth parties that touch data or devices.
    #[serde(rename = "subprocessor", default)]
    pub subprocessors: Vec<RawSubprocessor>,
    /// Regions where the vendor itself hosts or processes the hospital's data.
    #[serde(default)]
    pub regions: Vec<String>,
    /// `[contacts]`: who to reach at the vendor.
    #[serde(default)]
    pub contacts: RawContacts,
    /// Inherent-risk inputs: factor id (from tiers.toml) -> value.
    pub profile: BTreeMap<String, String>,
    /// `[contract]`: the contract's dates and security terms.
    #[serde(default)]
    pub contract: Option<RawContract>,
    /// `[review]`: the last assessment and the events that force a new one.
    #[serde(default)]
    pub review: Option<RawReview>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawProduct {
    /// The product's name (what artifacts' `covers` names).
    pub name: String,
    /// The version in use; SBOM and MDS2 artifacts are bound to it.
    pub version: String,
    /// The date the vendor stops supporting this version.
    #[serde(default)]
    #[schemars(with = "Option<TomlDate>")]
    pub end_of_support: Option<Datetime>,
    /// What the product is.
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSubprocessor {
    /// The subprocessor's name (what an artifact's `subject` names).
    pub name: String,
    /// What it does for the vendor.
    pub service: String,
    /// What data it handles: free kebab-case words; `[policy.fourth_parties] phi_data` says which mean PHI.
    #[serde(default)]
    pub data: Vec<String>,
    /// Where it hosts or processes data (one geography; detail in parentheses is ignored).
    #[serde(default)]
    pub region: Option<String>,
    /// The vendor's BAA obligations are flowed down to this subprocessor by contract.
    #[serde(default)]
    pub baa_flow_down: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawContacts {
    /// Security contact (an address or a name).
    pub security: Option<String>,
    /// Account manager.
    pub account: Option<String>,
    /// Vulnerability disclosure / PSIRT page.
    pub disclosure: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawContract {
    /// The date the contract was signed.
    #[schemars(with = "Option<TomlDate>")]
    pub signed: Option<Datetime>,
    /// The contract's next renewal date.
    #[schemars(with = "Option<TomlDate>")]
    pub renewal: Option<Datetime>,
    /// The contract includes a business associate agreement.
    #[serde(default)]
    pub baa: Option<bool>,
    /// The contract grants audit rights.
    #[serde(default)]
    pub audit_rights: Option<bool>,
    /// Hours after a confirmed incident within which the vendor must notify.
    #[serde(default)]
    pub breach_notification_hours: Option<i64>,
    /// Contract requires remote access to be time-bound and logged.
    #[serde(default)]
    pub secure_remote_access: Option<bool>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawReview {
    /// The date of the last assessment.
    #[schemars(with = "Option<TomlDate>")]
    pub last_assessed: Option<Datetime>,
    /// Who made it.
    pub assessor: Option<String>,
    /// A major product change since the last review.
    #[schemars(with = "Option<TomlDate>")]
    pub major_change: Option<Datetime>,
    /// A new integration (interface, data feed) put in place since the last review.
    #[schemars(with = "Option<TomlDate>")]
    pub new_integration: Option<Datetime>,
    /// A security incident at the vendor since the last review.
    #[schemars(with = "Option<TomlDate>")]
    pub security_incident: Option<Datetime>,
}

// ----------------------------------------------------------------- answers.toml

/// answers.toml: section id -> question id -> value (typed against the
/// questionnaire in `validate`), and `[provenance]`, where the answers came
/// from. `provenance` is the one table that is not a section (a
/// questionnaire may not name a section so).
///
/// Deserialized by hand: the section tables are open (any id), the one
/// declared key is read as `RawProvenance`. The impl asks for a struct with
/// `KEYS` as its fields, so the keys test below sees them; a TOML table
/// visits it as a map either way.
#[derive(Debug, Clone, Default)]
pub struct RawAnswers {
    pub provenance: Option<RawProvenance>,
    pub sections: BTreeMap<String, BTreeMap<String, toml::Value>>,
}

impl crate::parse::KeyPath<RawAnswers> {
    /// A section table of answers.toml (an id the questionnaire chose).
    pub fn section(&self, id: &str) -> crate::parse::KeyPath<BTreeMap<String, toml::Value>> {
        self.child(id)
    }
}

impl RawAnswers {
    /// The name of the `[provenance]` table, for code that writes it.
    pub const PROVENANCE_KEY: &'static str = "provenance";
}

impl<'de> Deserialize<'de> for RawAnswers {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Tables;
        impl<'de> serde::de::Visitor<'de> for Tables {
            type Value = RawAnswers;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a table of sections")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<RawAnswers, A::Error> {
                let mut out = RawAnswers::default();
                while let Some(key) = map.next_key::<String>()? {
                    if key == RawAnswers::PROVENANCE_KEY {
                        out.provenance = Some(map.next_value()?);
                    } else {
                        let section = map.next_value()?;
                        out.sections.insert(key, section);
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_struct("RawAnswers", RawAnswers::KEYS, Tables)
    }
}

/// `[provenance]` of answers.toml: where the answers came from, written by
/// `vetted questionnaire import` and shown on the vendor's page.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawProvenance {
    /// The returned workbook's file name.
    pub file: Option<String>,
    /// The day it was imported.
    #[schemars(with = "Option<TomlDate>")]
    pub imported: Option<Datetime>,
    /// Who at the vendor filled it in.
    pub respondent: Option<String>,
    /// The respondent's email address.
    pub respondent_email: Option<String>,
    /// The day the vendor says it was completed.
    #[schemars(with = "Option<TomlDate>")]
    pub completed: Option<Datetime>,
}

// --------------------------------------------------------------- artifacts.toml

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawArtifacts {
    /// `[[artifact]]`: the evidence on file.
    #[serde(rename = "artifact", default)]
    pub artifacts: Vec<RawArtifact>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawArtifact {
    /// The artifact's kind: a kind of artifact-kinds.toml.
    pub kind: String,
    /// What the artifact is.
    pub title: String,
    /// The date it was issued.
    #[schemars(with = "Option<TomlDate>")]
    pub issued: Option<Datetime>,
    /// First day of the period a report covers, or of testing (optional).
    #[schemars(with = "Option<TomlDate>")]
    pub period_start: Option<Datetime>,
    /// End of the period a report covers, or of testing (validity counts from here).
    #[schemars(with = "Option<TomlDate>")]
    pub period_end: Option<Datetime>,
    /// The date it expires (kinds whose validity is `explicit`).
    #[schemars(with = "Option<TomlDate>")]
    pub expires: Option<Datetime>,
    /// What the evidence's scope covers, as stated in it.
    pub scope: Option<String>,
    /// The subprocessor (a `[[subprocessor]]` name of vendor.toml) this
    /// evidence is about; absent: the vendor itself.
    pub subject: Option<String>,
    /// Products this evidence is valid for (names from vendor.toml).
    #[serde(default)]
    pub covers: Vec<String>,
    /// For version-bound kinds (SBOM, MDS2): the product version it describes.
    pub version: Option<String>,
    /// Where to read it (http, https or mailto).
    pub link: Option<String>,
    /// A file inside the vendor folder.
    pub file: Option<String>,
    /// SHA-256 of `file`, hex.
    pub sha256: Option<String>,
    /// SOC 2: date up to which a bridge letter vouches for controls.
    #[schemars(with = "Option<TomlDate>")]
    pub bridge_until: Option<Datetime>,
    /// ISO 27001: date of the last surveillance audit.
    #[schemars(with = "Option<TomlDate>")]
    pub last_surveillance: Option<Datetime>,
    /// HITRUST r2: date the interim assessment was completed.
    #[schemars(with = "Option<TomlDate>")]
    pub interim_completed: Option<Datetime>,
    /// Reviewer notes.
    pub notes: Option<String>,
    /// What the evidence's scope leaves out (production, support tooling…).
    #[serde(default)]
    pub excludes: Vec<Closed<ScopeExclusion>>,
}

// ---------------------------------------------------------------- findings.toml

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFindings {
    /// `[[finding]]`: remediation items.
    #[serde(rename = "finding", default)]
    pub findings: Vec<RawFinding>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFinding {
    /// The finding's id, unique in the vendor (what `finding:<id>` names).
    pub id: String,
    /// What is wrong.
    pub title: String,
    /// How serious it is.
    pub severity: Closed<FindingSeverity>,
    /// The date it was opened.
    #[schemars(with = "TomlDate")]
    pub opened: Datetime,
    /// The date remediation is due.
    #[schemars(with = "Option<TomlDate>")]
    pub due: Option<Datetime>,
    /// Default open.
    #[serde(default)]
    pub status: Option<Closed<FindingStatus>>,
    /// The date it was closed.
    #[schemars(with = "Option<TomlDate>")]
    pub closed: Option<Datetime>,
    /// Who follows it up.
    pub owner: Option<String>,
    /// Where it came from (an assessment, a pentest…).
    pub source: Option<String>,
    /// Details (Markdown).
    pub description: Option<String>,
    /// What the finding tracks, in the grammar of an exception's `accepts`.
    pub tracks: Option<String>,
}

// -------------------------------------------------------------- exceptions.toml

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawExceptions {
    /// `[[exception]]`: accepted risks, each with an expiry.
    #[serde(rename = "exception", default)]
    pub exceptions: Vec<RawException>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawException {
    /// The exception's id, unique in the vendor.
    pub id: String,
    /// What is accepted: `finding:<id>`, `red-flag:<section>.<question>`,
    /// `artifact:<kind>`, `question:<section>.<question>` or `rule:<code>[:<subject>]`.
    pub accepts: String,
    /// Why the risk is accepted.
    pub reason: String,
    /// Who approved it.
    pub approver: String,
    /// The date it was approved.
    #[schemars(with = "TomlDate")]
    pub approved: Datetime,
    /// The date it ends.
    #[schemars(with = "TomlDate")]
    pub expires: Datetime,
    /// What reduces the risk meanwhile.
    pub compensating_controls: Option<String>,
}

// ------------------------------------------------------------------------ keys

// Every key of every raw struct, spelt as in the files. Locations in
// diagnostics are `KeyPath`s built only from these constants; the test below
// checks each list against serde's own field list, so a misspelt key or a
// field added without its key fails the build's tests.
keys! {
    RawSettings { SITE: RawSite = "site", POLICY: RawPolicy = "policy", DECISION: RawDecision = "decision" }
    RawSite {
        TITLE: String = "title",
        ORGANISATION: String = "organisation",
        DESCRIPTION: String = "description",
        THEME: String = "theme",
        INTRANET_HOSTS: Vec<String> = "intranet_hosts",
        ROWS_PER_PAGE: i64 = "rows_per_page",
        VENDOR_HISTORY: i64 = "vendor_history",
    }
    RawPolicy {
        EXPIRY_WARNING_DAYS: i64 = "expiry_warning_days",
        MAX_BREACH_NOTIFICATION_HOURS: i64 = "max_breach_notification_hours",
        EXCEPTION_WARNING_DAYS: i64 = "exception_warning_days",
        REVIEW_WARNING_DAYS: i64 = "review_warning_days",
        TRACKED_SEVERITY: Closed<TrackedSeverity> = "tracked_severity",
        RENEWAL_WARNING_DAYS: i64 = "renewal_warning_days",
        END_OF_SUPPORT_WARNING_MONTHS: i64 = "end_of_support_warning_months",
        RESIDENCY: RawResidency = "residency",
        FOURTH_PARTIES: RawFourthParties = "fourth_parties",
        EVIDENCE_FILES: RawEvidenceFiles = "evidence_files",
    }
    RawDecision {
        NOT_APPROVED_AT: Closed<BlockingSeverity> = "not_approved_at",
        CONDITIONS: Vec<Closed<DecisionCondition>> = "conditions",
    }
    RawResidency { ALLOWED_REGIONS: Vec<String> = "allowed_regions" }
    RawFourthParties {
        PHI_DATA: Vec<String> = "phi_data",
        CONCENTRATION_THRESHOLD: i64 = "concentration_threshold",
        CONCENTRATION_TIERS: Vec<i64> = "concentration_tiers",
    }
    RawEvidenceFiles {
        MAX_BYTES: i64 = "max_bytes",
        ALLOWED_TYPES: Vec<Closed<crate::model::evidence_file::EvidenceFileType>> = "allowed_types",
    }
    RawQuestionnaire { SECTION: Vec<RawSection> = "section" }
    RawSection {
        ID: String = "id",
        TITLE: String = "title",
        SUMMARY: String = "summary",
        QUESTION: Vec<RawQuestion> = "question",
    }
    RawQuestion {
        ID: String = "id",
        PROMPT: String = "prompt",
        TITLE: String = "title",
        TYPE: Closed<QuestionType> = "type",
        OPTIONS: Vec<String> = "options",
        REQUIRED_FOR: Vec<i64> = "required_for",
        GUIDANCE: String = "guidance",
        UNIT: String = "unit",
        RED_FLAG: Vec<RawRedFlag> = "red_flag",
        EVIDENCE: BTreeMap<String, Vec<String>> = "evidence",
        LABELS: BTreeMap<String, String> = "labels",
    }
    RawRedFlag {
        WHEN: Closed<RedFlagWhen> = "when",
        VALUE: toml::Value = "value",
        SEVERITY: Closed<RuleSeverity> = "severity",
        SEVERITY_BY_TIER: BTreeMap<String, Closed<RuleSeverity>> = "severity_by_tier",
        MESSAGE: String = "message",
    }
    RawTiers {
        FACTOR: BTreeMap<String, RawFactor> = "factor",
        TIER: Vec<RawTier> = "tier",
        OVERRIDE: Vec<RawOverride> = "override",
        REVIEW: RawReviewPolicy = "review",
        CONTRACT: RawContractPolicy = "contract",
    }
    RawReviewPolicy { DEFAULT_MONTHS: i64 = "default_months" }
    RawContractPolicy { BAA: RawBaaRule = "baa", REMOTE_ACCESS: RawRemoteAccessRule = "remote_access" }
    RawBaaRule { FACTOR: String = "factor", EXEMPT: Vec<String> = "exempt" }
    RawRemoteAccessRule {
        FACTOR: String = "factor",
        REFUSED: Vec<String> = "refused",
        EXEMPT: Vec<String> = "exempt",
    }
    RawFactor { TITLE: String = "title", POINTS: BTreeMap<String, i64> = "points" }
    RawTier {
        LEVEL: i64 = "level",
        NAME: String = "name",
        MIN_SCORE: i64 = "min_score",
        REVIEW_MONTHS: i64 = "review_months",
        SECTIONS: Vec<String> = "sections",
        DESCRIPTION: String = "description",
        REQUIRE_AUDIT_RIGHTS: bool = "require_audit_rights",
        REQUIRE_TIME_BOUND_REMOTE_ACCESS: bool = "require_time_bound_remote_access",
        DISQUALIFYING_EXCLUSIONS: Vec<Closed<ScopeExclusion>> = "disqualifying_exclusions",
    }
    RawOverride {
        WHEN: BTreeMap<String, Vec<String>> = "when",
        TIER: i64 = "tier",
        REASON: String = "reason",
    }
    RawArtifactKinds { KIND: BTreeMap<String, RawArtifactKind> = "kind" }
    RawArtifactKind {
        TITLE: String = "title",
        DESCRIPTION: String = "description",
        VALIDITY: RawValidity = "validity",
        REQUIRED_FOR: Vec<i64> = "required_for",
        REQUIRED_WHEN: BTreeMap<String, Vec<String>> = "required_when",
        SUBSTITUTES: String = "substitutes",
        ACCEPTED_FOR_STATUS: Vec<Closed<VendorStatus>> = "accepted_for_status",
        VERSION_BOUND: bool = "version_bound",
        PER_PRODUCT: bool = "per_product",
    }
    RawValidity {
        FROM: Closed<ValidFrom> = "from",
        MONTHS: i64 = "months",
        BRIDGE_MAX_MONTHS: i64 = "bridge_max_months",
        SURVEILLANCE_MONTHS: i64 = "surveillance_months",
        INTERIM_WINDOW_DAYS: i64 = "interim_window_days",
    }
    RawVendor {
        NAME: String = "name",
        STATUS: Closed<VendorStatus> = "status",
        CATEGORY: String = "category",
        OWNER: String = "owner",
        DESCRIPTION: String = "description",
        WEBSITE: String = "website",
        PRODUCT: Vec<RawProduct> = "product",
        SUBPROCESSOR: Vec<RawSubprocessor> = "subprocessor",
        REGIONS: Vec<String> = "regions",
        CONTACTS: RawContacts = "contacts",
        PROFILE: BTreeMap<String, String> = "profile",
        CONTRACT: RawContract = "contract",
        REVIEW: RawReview = "review",
    }
    RawProduct {
        NAME: String = "name",
        VERSION: String = "version",
        END_OF_SUPPORT: Datetime = "end_of_support",
        DESCRIPTION: String = "description",
    }
    RawSubprocessor {
        NAME: String = "name",
        SERVICE: String = "service",
        DATA: Vec<String> = "data",
        REGION: String = "region",
        BAA_FLOW_DOWN: bool = "baa_flow_down",
    }
    RawContacts {
        SECURITY: String = "security",
        ACCOUNT: String = "account",
        DISCLOSURE: String = "disclosure",
    }
    RawContract {
        SIGNED: Datetime = "signed",
        RENEWAL: Datetime = "renewal",
        BAA: bool = "baa",
        AUDIT_RIGHTS: bool = "audit_rights",
        BREACH_NOTIFICATION_HOURS: i64 = "breach_notification_hours",
        SECURE_REMOTE_ACCESS: bool = "secure_remote_access",
    }
    RawReview {
        LAST_ASSESSED: Datetime = "last_assessed",
        ASSESSOR: String = "assessor",
        MAJOR_CHANGE: Datetime = "major_change",
        NEW_INTEGRATION: Datetime = "new_integration",
        SECURITY_INCIDENT: Datetime = "security_incident",
    }
    RawAnswers { PROVENANCE: RawProvenance = "provenance" }
    RawProvenance {
        FILE: String = "file",
        IMPORTED: Datetime = "imported",
        RESPONDENT: String = "respondent",
        RESPONDENT_EMAIL: String = "respondent_email",
        COMPLETED: Datetime = "completed",
    }
    RawArtifacts { ARTIFACT: Vec<RawArtifact> = "artifact" }
    RawArtifact {
        KIND: String = "kind",
        TITLE: String = "title",
        ISSUED: Datetime = "issued",
        PERIOD_START: Datetime = "period_start",
        PERIOD_END: Datetime = "period_end",
        EXPIRES: Datetime = "expires",
        SCOPE: String = "scope",
        SUBJECT: String = "subject",
        COVERS: Vec<String> = "covers",
        VERSION: String = "version",
        LINK: String = "link",
        FILE: String = "file",
        SHA256: String = "sha256",
        BRIDGE_UNTIL: Datetime = "bridge_until",
        LAST_SURVEILLANCE: Datetime = "last_surveillance",
        INTERIM_COMPLETED: Datetime = "interim_completed",
        NOTES: String = "notes",
        EXCLUDES: Vec<Closed<ScopeExclusion>> = "excludes",
    }
    RawFindings { FINDING: Vec<RawFinding> = "finding" }
    RawFinding {
        ID: String = "id",
        TITLE: String = "title",
        SEVERITY: Closed<FindingSeverity> = "severity",
        OPENED: Datetime = "opened",
        DUE: Datetime = "due",
        STATUS: Closed<FindingStatus> = "status",
        CLOSED: Datetime = "closed",
        OWNER: String = "owner",
        SOURCE: String = "source",
        DESCRIPTION: String = "description",
        TRACKS: String = "tracks",
    }
    RawExceptions { EXCEPTION: Vec<RawException> = "exception" }
    RawException {
        ID: String = "id",
        ACCEPTS: String = "accepts",
        REASON: String = "reason",
        APPROVER: String = "approver",
        APPROVED: Datetime = "approved",
        EXPIRES: Datetime = "expires",
        COMPENSATING_CONTROLS: String = "compensating_controls",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The field names serde's derive gives `deserialize_struct` for `T`
    /// (after renames): what the file format accepts.
    fn serde_fields<'de, T: Deserialize<'de>>() -> Vec<&'static str> {
        use serde::de::{self, Visitor};
        #[derive(Debug)]
        struct Fields(&'static [&'static str]);
        impl std::fmt::Display for Fields {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{:?}", self.0)
            }
        }
        impl std::error::Error for Fields {}
        impl de::Error for Fields {
            fn custom<M: std::fmt::Display>(_: M) -> Self {
                Fields(&[])
            }
        }
        struct Capture;
        impl<'de> de::Deserializer<'de> for Capture {
            type Error = Fields;
            fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Fields> {
                Err(Fields(&[]))
            }
            fn deserialize_struct<V: Visitor<'de>>(
                self,
                _: &'static str,
                fields: &'static [&'static str],
                _: V,
            ) -> Result<V::Value, Fields> {
                Err(Fields(fields))
            }
            serde::forward_to_deserialize_any! {
                bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
                bytes byte_buf option unit unit_struct newtype_struct seq tuple
                tuple_struct map enum identifier ignored_any
            }
        }
        match T::deserialize(Capture) {
            Err(Fields(fields)) => {
                let mut v = fields.to_vec();
                v.sort_unstable();
                v
            }
            Ok(_) => unreachable!("Capture never yields a value"),
        }
    }

    fn sorted(keys: &[&'static str]) -> Vec<&'static str> {
        let mut v = keys.to_vec();
        v.sort_unstable();
        v
    }

    macro_rules! assert_keys {
        ($($t:ty),+) => {$(
            assert_eq!(sorted(<$t>::KEYS), serde_fields::<$t>(), "keys of {}", stringify!($t));
        )+};
    }

    #[test]
    fn declared_keys_are_exactly_the_fields_serde_reads() {
        assert_keys!(
            RawSettings,
            RawSite,
            RawPolicy,
            RawDecision,
            RawResidency,
            RawFourthParties,
            RawEvidenceFiles,
            RawQuestionnaire,
            RawSection,
            RawQuestion,
            RawRedFlag,
            RawTiers,
            RawReviewPolicy,
            RawContractPolicy,
            RawBaaRule,
            RawRemoteAccessRule,
            RawFactor,
            RawTier,
            RawOverride,
            RawArtifactKinds,
            RawArtifactKind,
            RawValidity,
            RawVendor,
            RawProduct,
            RawSubprocessor,
            RawContacts,
            RawContract,
            RawReview,
            RawAnswers,
            RawProvenance,
            RawArtifacts,
            RawArtifact,
            RawFindings,
            RawFinding,
            RawExceptions,
            RawException
        );
    }

    #[test]
    fn every_artifact_field_a_finding_points_at_is_a_key_of_artifacts_toml() {
        use crate::model::{ArtifactField, ClosedSet};
        for field in ArtifactField::VALUES {
            assert!(RawArtifact::KEYS.contains(field), "{field}");
        }
    }

    #[test]
    fn the_capture_reads_the_names_as_written_in_the_files() {
        // serde's renames are what a file holds, so they are what keys spell.
        let vendor = serde_fields::<RawVendor>();
        assert!(vendor.contains(&"product") && !vendor.contains(&"products"));
        assert!(serde_fields::<RawQuestion>().contains(&"type"));
        // A misspelt key list compares unequal.
        let mut misspelt = RawContract::KEYS.to_vec();
        misspelt[1] = "renewl";
        assert_ne!(sorted(&misspelt), serde_fields::<RawContract>());
    }
}
