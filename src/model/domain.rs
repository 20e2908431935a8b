//! Checked domain types, produced by `validate` from the raw files.
//!
//! Everything here is known-good: enums instead of strings, real dates,
//! references resolved. Fields that assessment may point at carry a `Loc`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diag::{Code, Loc, Severity};
use crate::model::condition::Condition;

pub use crate::model::closed::ClosedSet;
use crate::model::closed::closed_set;

pub use super::answer::{AnswerValue, QuestionType};
pub use super::dates::Date;

#[derive(Debug, Clone, Serialize)]
pub struct Registry {
    #[serde(skip)]
    pub root: PathBuf,
    pub settings: Settings,
    pub questionnaire: Questionnaire,
    pub tiers: TierPolicy,
    pub kinds: BTreeMap<String, ArtifactKind>,
    /// Sorted by slug.
    pub vendors: Vec<Vendor>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    pub title: String,
    pub organisation: String,
    pub description: Option<String>,
    pub theme: Option<String>,
    /// Rows per page of the site's big tables (`[site] rows_per_page`).
    pub rows_per_page: usize,
    /// Changes a vendor page lists, newest first (`[site] vendor_history`).
    pub vendor_history: usize,
    pub expiry_warning_days: i64,
    pub max_breach_notification_hours: i64,
    pub exception_warning_days: i64,
    /// Days before a reassessment is due at which it is reported as due soon.
    pub review_warning_days: i64,
    /// How each vendor's decision is derived (`[decision]`).
    pub decision: super::decision::DecisionPolicy,
    /// The severity of a problem tracked by an open finding within its due date.
    pub tracked_severity: Severity,
    /// Days before a contract renewal at which the terms still missing are listed.
    pub renewal_warning_days: i64,
    /// Months before a product's end of support at which it is reported.
    pub end_of_support_warning_months: i64,
    /// Regions where vendors and subprocessors may host or process data
    /// (empty: no restriction). Compared as `region_key` gives them.
    pub allowed_regions: Vec<String>,
    /// Subprocessor `data` values that mean the subprocessor touches PHI.
    pub phi_data: Vec<String>,
    /// Vendors of `concentration_tiers` sharing one subprocessor at which it
    /// is reported (0: off).
    pub concentration_threshold: usize,
    pub concentration_tiers: Vec<u8>,
    /// `[policy.evidence_files]`: the evidence files the site serves.
    pub evidence_files: super::evidence_file::EvidenceFilePolicy,
    /// `[site] intranet_hosts`, lower case: links to these hosts (or their
    /// subdomains) are marked "intranet".
    pub intranet_hosts: Vec<String>,
}

closed_set! {
    /// `[policy] tracked_severity`: how a problem tracked by an open finding
    /// that is not overdue is reported (never worse than its own severity).
    pub enum TrackedSeverity: "the severity of a problem tracked by an open finding within its due date (default warning)" {
        Error = "error",
        Warning = "warning",
        Note = "note",
    }
}

impl TrackedSeverity {
    pub fn severity(self) -> Severity {
        match self {
            Self::Error => Severity::Error,
            Self::Warning => Severity::Warning,
            Self::Note => Severity::Note,
        }
    }
}

/// How a region is compared with the policy's `allowed_regions`: the text
/// before any parenthesised detail, trimmed, case-insensitively
/// (`"US (two regions)"` is `us`).
pub fn region_key(region: &str) -> String {
    region
        .split('(')
        .next()
        .unwrap_or_default()
        .trim()
        .to_lowercase()
}

/// How subprocessor names and `data` values are compared: trimmed, case-insensitively.
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

// ------------------------------------------------------------- questionnaire

#[derive(Debug, Clone, Serialize)]
pub struct Questionnaire {
    pub sections: Vec<Section>,
}

impl Questionnaire {
    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }
    pub fn question(&self, section: &str, question: &str) -> Option<&Question> {
        self.section(section)?
            .questions
            .iter()
            .find(|q| q.id == question)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub summary: Option<String>,
    pub questions: Vec<Question>,
}

closed_set! {
    /// How serious a raised red flag is (`severity =` of a red-flag rule).
    pub enum RuleSeverity: "how serious a raised red flag is (default warning)" {
        Error = "error",
        Warning = "warning",
    }
}

impl RuleSeverity {
    pub fn severity(self) -> Severity {
        match self {
            Self::Error => Severity::Error,
            Self::Warning => Severity::Warning,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Question {
    pub id: String,
    pub prompt: String,
    /// The short title the site lists answers by (`title`, else the prompt).
    pub title: String,
    #[serde(rename = "type")]
    pub kind: QuestionType,
    pub options: Vec<String>,
    pub required_for: Vec<u8>,
    pub guidance: String,
    pub unit: Option<String>,
    pub red_flags: Vec<RedFlagRule>,
    /// Claims and their proof: an option of this question that, when
    /// answered, claims a certification or attestation, and the artifact
    /// kinds any one of which on file backs the claim (`[evidence]`).
    pub evidence: Vec<(String, Vec<String>)>,
    /// Option -> its readable label (`labels`), for the options that have one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<(String, String)>,
}

impl Question {
    /// An option as people read it: its label, or the option as written.
    pub fn option_label<'a>(&'a self, option: &'a str) -> &'a str {
        self.labels
            .iter()
            .find(|(o, _)| o == option)
            .map_or(option, |(_, l)| l.as_str())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RedFlagRule {
    pub condition: Condition,
    pub severity: Severity,
    /// `severity_by_tier`: the severity for these tier levels instead of `severity`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub severity_by_tier: BTreeMap<u8, Severity>,
    pub message: String,
}

impl RedFlagRule {
    /// The severity of the flag for a vendor of this tier.
    pub fn severity_for(&self, tier: u8) -> Severity {
        self.severity_by_tier
            .get(&tier)
            .copied()
            .unwrap_or(self.severity)
    }
}

// --------------------------------------------------------------------- tiers

#[derive(Debug, Clone, Serialize)]
pub struct TierPolicy {
    pub factors: Vec<Factor>,
    /// Sorted by level, 1 first.
    pub tiers: Vec<Tier>,
    pub overrides: Vec<Override>,
    /// Reassessment interval of a tier that sets no `review_months`.
    pub default_review_months: i64,
    /// Contract terms that depend on the vendor's risk profile.
    pub contract: ContractPolicy,
}

impl TierPolicy {
    pub fn tier(&self, level: u8) -> Option<&Tier> {
        self.tiers.iter().find(|t| t.level == level)
    }

    /// Months between reassessments for a tier; the policy's default when the
    /// tier is not defined, so every reader (assessment, site) agrees.
    pub fn review_months(&self, level: u8) -> i64 {
        self.tier(level)
            .map_or(self.default_review_months, |t| t.review_months)
    }
}

/// The `[contract]` table of tiers.toml: which profile values call for which
/// contract terms. Also deserialised from the embedded defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContractPolicy {
    pub baa: BaaRule,
    pub remote_access: RemoteAccessRule,
}

/// A business associate agreement is required when the profile's `factor`
/// has any value not listed in `exempt`. Listing the exempt values (not the
/// requiring ones) makes a value added to the factor later require a BAA
/// until the policy says otherwise: the safe way round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaaRule {
    pub factor: String,
    pub exempt: Vec<String>,
}

impl BaaRule {
    /// The profile value that makes a BAA necessary, if any.
    pub fn required_by<'p>(&self, profile: &'p BTreeMap<String, String>) -> Option<&'p str> {
        profile
            .get(&self.factor)
            .map(String::as_str)
            .filter(|v| !self.exempt.iter().any(|e| e == v))
    }
}

/// For tiers with `require_time_bound_remote_access`: profile values of
/// `factor` that are refused outright, and values that need no contract clause
/// (no remote access at all); any other value needs `secure_remote_access`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemoteAccessRule {
    pub factor: String,
    pub refused: Vec<String>,
    pub exempt: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Factor {
    pub id: String,
    pub title: String,
    /// Sorted by points, lowest first.
    pub points: Vec<(String, i64)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tier {
    pub level: u8,
    pub name: String,
    pub min_score: i64,
    pub review_months: i64,
    pub sections: Vec<String>,
    pub description: Option<String>,
    pub require_audit_rights: bool,
    pub require_time_bound_remote_access: bool,
    /// Scope exclusions that make an artifact unacceptable as evidence for
    /// this tier (E1012); none unless the tier says so.
    pub disqualifying_exclusions: Vec<ScopeExclusion>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Override {
    pub when: Vec<(String, Vec<String>)>,
    pub tier: u8,
    pub reason: String,
}

// ------------------------------------------------------------ artifact kinds

#[derive(Debug, Clone, Serialize)]
pub struct ArtifactKind {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub validity: ValidityRule,
    pub required_for: Vec<u8>,
    pub required_when: Vec<(String, Vec<String>)>,
    pub substitutes: Option<String>,
    pub accepted_for_status: Vec<VendorStatus>,
    pub version_bound: bool,
    /// Required once per product (always true for version-bound kinds).
    pub per_product: bool,
}

/// How long an artifact of a kind counts as evidence. Each way of dating
/// carries only the parameters that apply to it, and the dated ones always
/// have their months (validate rejects a dated kind without them).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum ValidityRule {
    /// `months` after the end of the period the report covers (SOC 2, a
    /// penetration test); a bridge letter may extend it by up to
    /// `bridge_max_months` (0: bridge letters are not accepted).
    PeriodEnd { months: i64, bridge_max_months: i64 },
    /// `months` from the issue date (a certificate), shortened when a
    /// surveillance audit or an interim assessment is due and not done.
    Issued {
        months: i64,
        surveillance_months: Option<i64>,
        interim_window_days: Option<i64>,
    },
    /// Until the artifact's own `expires` date.
    Explicit,
    /// Never by date.
    None,
}

impl ValidityRule {
    pub fn from(&self) -> ValidFrom {
        match self {
            Self::PeriodEnd { .. } => ValidFrom::PeriodEnd,
            Self::Issued { .. } => ValidFrom::Issued,
            Self::Explicit => ValidFrom::Explicit,
            Self::None => ValidFrom::None,
        }
    }
}

closed_set! {
    /// The date an artifact's validity counts from (`validity.from =`).
    pub enum ValidFrom: "the date an artifact's validity counts from" {
        PeriodEnd = "period_end",
        Issued = "issued",
        Explicit = "explicit",
        None = "none",
    }
}

// -------------------------------------------------------------------- vendors

closed_set! {
    /// The link schemes a registry may use (websites, evidence links, notes.md);
    /// any other is reported by `validate` and dropped by the site.
    pub enum SafeScheme: "a link scheme the registry may use" {
        Http = "http",
        Https = "https",
        Mailto = "mailto",
    }
}

closed_set! {
    /// Where a vendor stands in its lifecycle (`status =` in vendor.toml).
    pub enum VendorStatus: "where a vendor stands in its lifecycle" {
        Prospective = "prospective",
        Active = "active",
        Offboarded = "offboarded",
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Vendor {
    pub slug: String,
    /// `vendors/<slug>`, relative to the registry.
    pub dir: Arc<str>,
    pub name: String,
    pub status: VendorStatus,
    pub category: String,
    pub owner: String,
    pub description: Option<String>,
    pub website: Option<String>,
    pub products: Vec<Product>,
    pub subprocessors: Vec<Subprocessor>,
    /// Regions where the vendor itself hosts or processes data.
    pub regions: Vec<String>,
    pub contacts: Contacts,
    /// factor id -> value, every factor of tiers.toml present.
    pub profile: BTreeMap<String, String>,
    pub contract: Option<Contract>,
    pub review: Review,
    /// section id -> question id -> answer.
    pub answers: BTreeMap<String, BTreeMap<String, Answer>>,
    /// `[provenance]` of answers.toml: where the answers came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provenance: Option<AnswersProvenance>,
    pub artifacts: Vec<Artifact>,
    pub findings: Vec<Finding>,
    pub exceptions: Vec<Exception>,
    /// Markdown source of notes.md.
    pub notes: Option<Arc<str>>,
    /// What validation left out of this record for data-contract errors,
    /// in file order: the vendor is then assessed on everything else and
    /// its assessment is partial. Empty for a clean vendor.
    pub left_out: Vec<LeftOut>,
    #[serde(skip)]
    pub locs: VendorLocs,
}

impl Vendor {
    /// Whether validation left anything out of this vendor's record.
    pub fn is_partial(&self) -> bool {
        !self.left_out.is_empty()
    }

    /// The 1-based number of an artifact left out for data errors that
    /// might satisfy a requirement `counts_for` accepts (given the artifact's
    /// kind); an artifact whose kind itself is unknown might satisfy any.
    pub fn artifact_left_out(&self, counts_for: impl Fn(&str) -> bool) -> Option<usize> {
        self.left_out.iter().find_map(|l| match &l.item {
            LeftOutItem::Artifact { index, kind } if kind.as_deref().is_none_or(&counts_for) => {
                Some(index + 1)
            }
            _ => None,
        })
    }

    /// Whether the answer to `section.question` was left out (a value of
    /// the wrong type or outside the options): neither unanswered nor
    /// checked for red flags.
    pub fn answer_left_out(&self, section: &str, question: &str) -> bool {
        self.left_out.iter().any(|l| {
            matches!(&l.item, LeftOutItem::Answer { section: s, question: q }
                if s == section && q.as_deref().is_none_or(|q| q == question))
        })
    }

    /// Whether `[contract]` was left out: the contract rules are skipped.
    pub fn contract_left_out(&self) -> bool {
        self.left_out
            .iter()
            .any(|l| l.item == LeftOutItem::Contract)
    }

    /// Whether `[review]` was left out: the review rules are skipped.
    pub fn review_left_out(&self) -> bool {
        self.left_out.iter().any(|l| l.item == LeftOutItem::Review)
    }
}

/// One part of a vendor's files left out of its record because it breaks
/// the data contract, with the first error that put it there. Filled by
/// validation from where each error is located, never from its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeftOut {
    /// The file, relative to the registry: `vendors/acme/artifacts.toml`.
    pub file: Arc<str>,
    /// What was left out.
    #[serde(flatten)]
    pub item: LeftOutItem,
    /// The key path of the first error inside it (`artifact[2].covers`),
    /// or of the item itself when the error is not under one of its keys.
    pub key: String,
    /// The code of that error (`E0305`).
    pub code: &'static str,
    /// That error's message.
    pub message: String,
}

impl LeftOut {
    /// "artifacts.toml artifact 3 (covers: E0305 `Auroa LVP` is not a product of this vendor)".
    pub fn describe(&self) -> String {
        let file = self.file.rsplit('/').next().unwrap_or(&self.file);
        let key = self.key.rsplit('.').next().unwrap_or(&self.key);
        let error = [self.code, self.message.as_str()]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let why = if key.is_empty() {
            error
        } else {
            format!("{key}: {error}")
        };
        format!("{file} {} ({why})", self.item.label())
    }
}

/// What of a vendor's files was left out; assessment reads it to skip the
/// rules that depend on the value instead of judging without it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "item", rename_all = "snake_case")]
pub enum LeftOutItem {
    /// An optional file that could not be read or parsed (findings.toml,
    /// exceptions.toml, notes.md).
    File,
    /// `artifact[index]`; `kind` is `None` when the kind itself is unknown.
    Artifact { index: usize, kind: Option<String> },
    /// An answer; `question` is `None` for a whole section the questionnaire lacks.
    Answer {
        section: String,
        question: Option<String>,
    },
    /// `finding[index]`, with the id it is written with.
    Finding { index: usize, id: String },
    /// `exception[index]`, with the id it is written with.
    Exception { index: usize, id: String },
    /// `product[index]` of vendor.toml, with its name.
    Product { index: usize, name: String },
    /// `[contract]` of vendor.toml.
    Contract,
    /// `[review]` of vendor.toml.
    Review,
    /// `subprocessor[index]` of vendor.toml.
    Subprocessor { index: usize },
    /// Another value that no rule reads (website, contacts, a link in notes.md).
    Other { key: String },
}

impl LeftOutItem {
    /// How a reader names it: "artifact 3", "[standards].frameworks", "finding 2".
    pub fn label(&self) -> String {
        match self {
            Self::File => "whole file".into(),
            Self::Artifact { index, .. } => format!("artifact {}", index + 1),
            Self::Answer {
                section,
                question: Some(q),
            } => format!("[{section}].{q}"),
            Self::Answer {
                section,
                question: None,
            } => format!("[{section}]"),
            Self::Finding { index, .. } => format!("finding {}", index + 1),
            Self::Exception { index, .. } => format!("exception {}", index + 1),
            Self::Product { index, .. } => format!("product {}", index + 1),
            Self::Contract => "[contract]".into(),
            Self::Review => "[review]".into(),
            Self::Subprocessor { index } => format!("subprocessor {}", index + 1),
            Self::Other { key } => key.clone(),
        }
    }
}

/// Where vendor-level facts live, for diagnostics that are about the vendor as a whole.
#[derive(Debug, Clone)]
pub struct VendorLocs {
    pub vendor_file: Loc,
    pub answers_file: Loc,
    pub artifacts_file: Loc,
    pub profile: BTreeMap<String, Loc>,
    pub contract: Loc,
    pub review: Loc,
    pub last_assessed: Loc,
    pub major_change: Loc,
    pub signed: Loc,
    pub new_integration: Loc,
    pub security_incident: Loc,
    /// Where each of `Vendor::regions` is written, in order.
    pub regions: Vec<Loc>,
    pub renewal: Loc,
    pub baa: Loc,
    pub audit_rights: Loc,
    pub breach_notification_hours: Loc,
}

#[derive(Debug, Clone, Serialize)]
pub struct Product {
    pub name: String,
    pub version: String,
    pub end_of_support: Option<Date>,
    pub description: Option<String>,
    #[serde(skip)]
    pub loc: Loc,
    #[serde(skip)]
    pub end_of_support_loc: Loc,
}

#[derive(Debug, Clone, Serialize)]
pub struct Subprocessor {
    pub name: String,
    pub service: String,
    pub data: Vec<String>,
    pub region: Option<String>,
    pub baa_flow_down: Option<bool>,
    #[serde(skip)]
    pub locs: SubprocessorLocs,
}

/// Where a subprocessor's values are written (the entry's table for a key it lacks).
#[derive(Debug, Clone)]
pub struct SubprocessorLocs {
    pub entry: Loc,
    pub name: Loc,
    pub region: Loc,
    pub baa_flow_down: Loc,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Contacts {
    pub security: Option<String>,
    pub account: Option<String>,
    pub disclosure: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Contract {
    pub signed: Option<Date>,
    pub renewal: Option<Date>,
    pub baa: Option<bool>,
    pub audit_rights: Option<bool>,
    pub breach_notification_hours: Option<i64>,
    pub secure_remote_access: Option<bool>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Review {
    pub last_assessed: Option<Date>,
    pub assessor: Option<String>,
    pub major_change: Option<Date>,
    pub new_integration: Option<Date>,
    pub security_incident: Option<Date>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    pub value: AnswerValue,
    #[serde(skip)]
    pub loc: Loc,
}

/// `[provenance]` of answers.toml: the returned questionnaire workbook the
/// answers were imported from (`vetted questionnaire import`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswersProvenance {
    pub file: Option<String>,
    pub imported: Option<Date>,
    pub respondent: Option<String>,
    pub respondent_email: Option<String>,
    /// The day the vendor says it completed the questionnaire.
    pub completed: Option<Date>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Artifact {
    /// Position in artifacts.toml, 0-based; stable id within the vendor.
    pub index: usize,
    pub kind: String,
    pub title: String,
    pub issued: Option<Date>,
    /// First day of the period a report covers (informative; validity never counts from it).
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    pub expires: Option<Date>,
    pub scope: Option<String>,
    /// The subprocessor this evidence is about; `None`: the vendor itself.
    pub subject: Option<String>,
    /// Product names; empty means the whole vendor.
    pub covers: Vec<String>,
    pub version: Option<String>,
    pub link: Option<String>,
    pub file: Option<String>,
    pub sha256: Option<String>,
    /// `file` when it passed every rule of `[policy.evidence_files]`: the
    /// site copies and links it.
    #[serde(skip)]
    pub published: Option<super::evidence_file::PublishedFile>,
    pub bridge_until: Option<Date>,
    pub last_surveillance: Option<Date>,
    pub interim_completed: Option<Date>,
    pub notes: Option<String>,
    /// What the evidence's scope leaves out (`excludes =`), in file order.
    pub excludes: Vec<Excluded>,
    #[serde(skip)]
    pub loc: Loc,
    /// Where each field that assessment points at is written (fields the
    /// artifact has; the others fall back to `loc`).
    #[serde(skip)]
    pub field_locs: Vec<(ArtifactField, Loc)>,
}

closed_set! {
    /// What an artifact's scope leaves out (`excludes =` in artifacts.toml).
    /// Policy (`disqualifying_exclusions` of a `[[tier]]`) decides which of
    /// these make the artifact unacceptable as evidence for which tier.
    pub enum ScopeExclusion: "what an artifact's scope leaves out" {
        /// The production environment that serves customers (only a staging,
        /// corporate or development environment was examined).
        Production = "production",
        /// The tools and staff access the vendor uses to support customers
        /// (ticketing, remote-support consoles, support engineers' access).
        SupportTooling = "support-tooling",
        /// Remote service and maintenance connections into customer sites.
        RemoteService = "remote-service",
        /// Controls operated by subservice organisations (hosting, data
        /// centres), carved out of the report rather than included.
        SubserviceOrganisations = "subservice-organisations",
        /// Some of the vendor's products or services are out of scope.
        SomeProducts = "some-products",
        /// Some of the vendor's sites, offices or data centres are out of scope.
        SomeSites = "some-sites",
    }
}

impl ScopeExclusion {
    /// What the exclusion leaves out, in words, for messages and pages.
    pub fn meaning(self) -> &'static str {
        match self {
            Self::Production => "the production environment",
            Self::SupportTooling => "the customer-support tooling and staff access",
            Self::RemoteService => "remote service connections into customer sites",
            Self::SubserviceOrganisations => "the controls of subservice organisations",
            Self::SomeProducts => "some of the vendor's products or services",
            Self::SomeSites => "some of the vendor's sites",
        }
    }
}

/// One `excludes` value of an artifact and where it is written; serialised
/// as the value alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excluded {
    pub exclusion: ScopeExclusion,
    pub loc: Loc,
}

impl Serialize for Excluded {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.exclusion.serialize(s)
    }
}

closed_set! {
    /// A field of an artifact that an assessment diagnostic can point at,
    /// spelt as in artifacts.toml (a test checks each is a key of `RawArtifact`).
    pub enum ArtifactField: "a field of an artifact that a finding can point at" {
        Kind = "kind",
        Issued = "issued",
        PeriodStart = "period_start",
        PeriodEnd = "period_end",
        Expires = "expires",
        Covers = "covers",
        Version = "version",
        BridgeUntil = "bridge_until",
        LastSurveillance = "last_surveillance",
        InterimCompleted = "interim_completed",
        Link = "link",
        File = "file",
        Excludes = "excludes",
    }
}

impl Artifact {
    /// Location of a field, or of the artifact table when the field is absent.
    pub fn field_loc(&self, field: ArtifactField) -> Loc {
        self.field_locs
            .iter()
            .find(|(f, _)| *f == field)
            .map_or_else(|| self.loc.clone(), |(_, loc)| loc.clone())
    }
}

closed_set! {
    /// How serious a finding is (`severity =` in findings.toml).
    pub enum FindingSeverity: "how serious a finding is" {
        Low = "low",
        Medium = "medium",
        High = "high",
        Critical = "critical",
    }
}

closed_set! {
    /// Whether a finding is still open (`status =` in findings.toml, default open).
    pub enum FindingStatus: "whether a finding is still open (default open)" {
        Open = "open",
        Closed = "closed",
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub id: String,
    pub title: String,
    pub severity: FindingSeverity,
    pub opened: Date,
    pub due: Option<Date>,
    pub open: bool,
    pub closed: Option<Date>,
    pub owner: Option<String>,
    pub source: Option<String>,
    pub description: Option<String>,
    /// What the finding tracks (`tracks =`, the grammar of `accepts`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracks: Option<Accepts>,
    #[serde(skip)]
    pub loc: Loc,
    #[serde(skip)]
    pub opened_loc: Loc,
    #[serde(skip)]
    pub due_loc: Loc,
    #[serde(skip)]
    pub closed_loc: Loc,
}

closed_set! {
    /// The kind of thing an exception accepts: the part of `accepts =` before the colon.
    pub enum AcceptsKind: "the kind of thing an exception accepts" {
        Finding = "finding",
        RedFlag = "red-flag",
        Artifact = "artifact",
        Question = "question",
        Rule = "rule",
    }
}

/// What an exception accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "target", rename_all = "kebab-case")]
pub enum Accepts {
    Finding(String),
    RedFlag {
        section: String,
        question: String,
    },
    Artifact(String),
    Question {
        section: String,
        question: String,
    },
    /// `rule:<code>[:<subject>]`: every problem of an assessment rule, or
    /// only those about one subject (see [`RuleSubject`]).
    Rule {
        code: String,
        subject: Option<String>,
    },
}

impl std::fmt::Display for Accepts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Accepts::Finding(id) => write!(f, "finding:{id}"),
            Accepts::RedFlag { section, question } => write!(f, "red-flag:{section}.{question}"),
            Accepts::Artifact(kind) => write!(f, "artifact:{kind}"),
            Accepts::Question { section, question } => write!(f, "question:{section}.{question}"),
            Accepts::Rule {
                code,
                subject: None,
            } => write!(f, "rule:{code}"),
            Accepts::Rule {
                code,
                subject: Some(s),
            } => write!(f, "rule:{code}:{s}"),
        }
    }
}

/// What `rule:<code>:<subject>` may narrow an assessment rule to: the one
/// thing each of its problems is about. A rule without a subject (contract
/// terms, reviews: about the vendor as a whole) is accepted only whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleSubject {
    /// An artifact kind of artifact-kinds.toml (`rule:E1001:pentest`).
    ArtifactKind,
    /// A question of the questionnaire, `<section>.<question>`
    /// (`rule:E1101:remote_access.session_recording`).
    Question,
    /// A product of the vendor, by name (`rule:E1305:Aurora LVP`).
    Product,
    /// A finding of the vendor, by id (`rule:E1401:F-2`).
    Finding,
    /// A subprocessor of the vendor, by name as written in vendor.toml
    /// (`rule:E1503:Nimbus Hosting`). E1501 about the vendor's own regions
    /// has no subject: only `rule:E1501` accepts it.
    Subprocessor,
}

impl RuleSubject {
    /// The subject of the problems of an assessment rule, if they have one.
    pub fn of(code: Code) -> Option<RuleSubject> {
        use Code::*;
        match code {
            ArtifactExpired | ArtifactExpiring | ArtifactMissing | ArtifactStale
            | BridgeRejected | SurveillanceOverdue | InterimMissing | ArtifactNotAccepted
            | ArtifactUndated | ScopeExcluded | MetBySubstitute => Some(RuleSubject::ArtifactKind),
            RedFlag | Unanswered | ClaimWithoutEvidence => Some(RuleSubject::Question),
            EndOfSupport | EndOfSupportSoon => Some(RuleSubject::Product),
            FindingOverdue => Some(RuleSubject::Finding),
            RegionNotAllowed
            | NoBaaFlowDown
            | SubprocessorUnassured
            | SubprocessorConcentration => Some(RuleSubject::Subprocessor),
            _ => None,
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            RuleSubject::ArtifactKind => "an artifact kind",
            RuleSubject::Question => "a question as <section>.<question>",
            RuleSubject::Product => "a product name of vendor.toml",
            RuleSubject::Finding => "a finding id of findings.toml",
            RuleSubject::Subprocessor => "a subprocessor name of vendor.toml",
        }
    }
}

/// Whether an exception (or a finding's `tracks`) may name this code as
/// `rule:<code>`: every assessment rule, but not data-contract codes (E0xxx,
/// they stop the build) nor the exceptions' own notes and warnings.
pub fn rule_acceptable(code: Code) -> bool {
    !crate::diag::is_data_contract(code.id())
        && !matches!(
            code,
            Code::ExceptionExpired | Code::ExceptionExpiring | Code::Accepted
        )
}

/// Every code `rule:<code>` may name, in code order.
pub fn acceptable_rules() -> impl Iterator<Item = Code> {
    Code::ALL.iter().copied().filter(|c| rule_acceptable(*c))
}

#[derive(Debug, Clone, Serialize)]
pub struct Exception {
    pub id: String,
    pub accepts: Accepts,
    pub reason: String,
    pub approver: String,
    pub approved: Date,
    pub expires: Date,
    pub compensating_controls: Option<String>,
    #[serde(skip)]
    pub loc: Loc,
    #[serde(skip)]
    pub approved_loc: Loc,
    #[serde(skip)]
    pub expires_loc: Loc,
}
