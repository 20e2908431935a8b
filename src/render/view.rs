//! The view model: the documented, serialisable structs templates receive.
//! This is the theme's contract (see `themes/default/CONTRACT.md`), versioned
//! by [`VIEW_CONTRACT_VERSION`] and snapshotted as JSON by `tests/view_model.rs`.
//!
//! Every template gets three variables: `site` ([`SiteView`]), `page`
//! ([`PageView`]) and `root` (the same as `page.root`, at the top level so
//! components can take it as an implicit `@root` parameter), plus one
//! page-specific variable: `dashboard`, `vendors`, `vendor`, `calendar`,
//! `questionnaire`, `findings`, `changes`, `feed`, `evidence`,
//! `subprocessors`, `subprocessor` or `products`.
//!
//! Conventions that hold everywhere:
//! - `href` fields are paths from the site root (`vendors/acme/index.html#artifact-0`);
//!   templates write `{{ root }}{{ x.href }}` so links work from any depth,
//!   any sub-path and `file://`.
//! - `url` fields are external links taken from the registry, present only when
//!   their scheme is http, https or mailto; otherwise they are `none` and the
//!   raw text is shown without a link.
//! - Fields ending in `_html` went through the Markdown sanitiser and are the
//!   only ones a template may mark `safe`.
//! - Dates are `YYYY-MM-DD` strings; `when` fields say it relative to the
//!   build date ("in 12 days", "3 days ago").
//! - Collections are lists in display order; there are no maps, so output
//!   does not depend on hashing.

use serde::Serialize;

/// Version of the view contract: raised whenever a field templates see is
/// removed, renamed or changes meaning (adding a field raises it too, so a
/// theme author diffing the snapshots knows to look). Templates read it as
/// `site.contract_version`.
pub const VIEW_CONTRACT_VERSION: u32 = 6;

// ------------------------------------------------------------------ shared

/// Site-wide facts, the same on every page.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    /// `[site] title` of vetted.toml.
    pub title: String,
    pub organisation: String,
    pub description: Option<String>,
    /// The date the registry was assessed against (YYYY-MM-DD): the build's only date.
    pub today: String,
    /// vetted's version.
    pub version: String,
    /// [`VIEW_CONTRACT_VERSION`]: the version of the data every template receives.
    pub contract_version: u32,
}

/// The page being rendered.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    /// Text for `<title>` and the page's `<h1>`.
    pub title: String,
    /// Which navigation entry is current: `dashboard`, `vendors`, `calendar`,
    /// `questionnaire`, `findings`, `changes` (a vendor page is in `vendors`).
    pub section: NavSection,
    /// Relative path from this page to the site root: `./`, `../` or `../../`.
    pub root: String,
    /// This page's path from the root (`vendors/acme/index.html`).
    pub path: String,
}

/// An entry of the site's main navigation; templates see it as a lowercase word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NavSection {
    Dashboard,
    Vendors,
    Calendar,
    Questionnaire,
    Findings,
    Changes,
    Evidence,
    Subprocessors,
    Products,
}

/// A status shown as a badge: text always, colour as a second carrier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Badge {
    /// Machine value (`non-compliant`, `expiring`, `high`, …), for `data-` attributes and filters.
    pub key: String,
    /// Text the reader sees (`Non-compliant`).
    pub label: String,
    /// Colour family: `good`, `warn`, `bad`, `info` or `neutral`.
    pub tone: Tone,
    /// Sort rank, higher is worse (for sortable tables).
    pub rank: u8,
}

impl Badge {
    pub(crate) fn new(key: &str, label: &str, tone: Tone, rank: u8) -> Badge {
        Badge {
            key: key.to_string(),
            label: label.to_string(),
            tone,
            rank,
        }
    }
}

/// The colour family of a badge or headline number; templates see it as
/// a lowercase word (`good`, `warn`, `bad`, `info`, `neutral`) and use it in
/// class names. Colour is only ever a second carrier: the label says it too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tone {
    Good,
    Warn,
    Bad,
    Info,
    Neutral,
}

/// A risk tier.
#[derive(Debug, Clone, Serialize)]
pub struct TierView {
    /// 1 is the highest risk.
    pub level: u8,
    /// `T1`.
    pub label: String,
    /// The tier's name from tiers.toml (`Critical`).
    pub name: String,
}

/// A link to a vendor's page.
#[derive(Debug, Clone, Serialize)]
pub struct VendorLink {
    pub name: String,
    pub slug: String,
    /// `vendors/<slug>/index.html`.
    pub href: String,
}

/// An exception that accepts an item, linked to its entry on the vendor page.
#[derive(Debug, Clone, Serialize)]
pub struct AcceptedBy {
    pub id: String,
    /// `vendors/<slug>/index.html#exception-<id>`.
    pub href: String,
}

/// Change history from git: a vendor's timeline, the dashboard's recent
/// changes, or the site-wide change log.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryView {
    /// False when the registry is not in a git repository.
    pub available: bool,
    /// Only part of the history is present (a shallow clone).
    pub partial: bool,
    /// Shown when there is nothing to list.
    pub note: String,
    /// What a reader should know about this history (shallow clone, no repository).
    pub notes: Vec<String>,
    /// Newest first; uncommitted working-tree changes first of all.
    pub entries: Vec<HistoryEntry>,
    /// Entries before capping (the change log lists the most recent ones).
    pub total: usize,
}

/// One commit's change (to one vendor, or to the registry on the change log).
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    /// The author's date, YYYY-MM-DD (empty for uncommitted changes).
    pub date: String,
    pub author: String,
    /// First line of the commit message.
    pub summary: String,
    /// The rest of the message.
    pub body: String,
    /// Short commit id, or `uncommitted`.
    pub commit: String,
    pub commit_id: String,
    pub uncommitted: bool,
    /// Site-wide lists: every vendor the commit changed, with its changes.
    pub vendors: Vec<ChangedVendor>,
    /// A vendor's timeline: added, modified, removed, or `renamed from <slug>`.
    pub kind: String,
    /// Field-level changes, as sentences.
    pub changes: Vec<String>,
    /// Derived changes: tier moves, artifact validity moves.
    pub derived: Vec<String>,
    /// Policy-file changes (change log only).
    pub policy: Vec<String>,
}

/// One vendor a commit changed (site-wide lists).
#[derive(Debug, Clone, Serialize)]
pub struct ChangedVendor {
    /// `href` is empty for a vendor that no longer exists.
    pub vendor: VendorLink,
    pub kind: String,
    pub changes: Vec<String>,
    pub derived: Vec<String>,
}

/// When an answer or artifact last changed, and in which commit.
#[derive(Debug, Clone, Serialize)]
pub struct ProvenanceView {
    pub date: String,
    /// Short commit id, or `uncommitted`.
    pub commit: String,
    pub author: String,
}

/// `changes/index.html`: the site-wide change log.
#[derive(Debug, Clone, Serialize)]
pub struct ChangesPage {
    /// This page's entries (`total` is their number).
    pub history: HistoryView,
    /// `changes.atom`, the feed of the same changes.
    pub feed_href: String,
    /// Every change in the history.
    pub all: usize,
    /// This page's place in the paginated log (its pager).
    pub table: TableView,
}

// ------------------------------------------------------------------ charts

/// A bar chart, ready to draw.
#[derive(Debug, Clone, Serialize)]
pub struct ChartView {
    /// Prefix for element ids (`chart-tiers`).
    pub id: String,
    /// Short title (SVG `<title>` and the figure caption).
    pub title: String,
    /// Text alternative listing every value (SVG `<desc>`).
    pub desc: String,
    /// `viewBox` size.
    pub width: u32,
    pub height: u32,
    /// `horizontal` (bars grow right) or `vertical` (bars grow up).
    pub orientation: String,
    pub bars: Vec<BarView>,
    /// The axis line the bars grow from.
    pub axis: Line,
    pub total: usize,
    /// Column headings for the data table: label, value.
    pub headings: [String; 2],
}

#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub x1: u32,
    pub y1: u32,
    pub x2: u32,
    pub y2: u32,
}

/// One bar with its labels.
#[derive(Debug, Clone, Serialize)]
pub struct BarView {
    /// Short label drawn on the axis (`T1 Critical`, `Dec`).
    pub label: String,
    /// Optional second line under the label (the year under January).
    pub sublabel: Option<String>,
    /// Full label for the data table (`Tier 1: Critical`, `December 2026`).
    pub full_label: String,
    pub value: usize,
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
    pub label_x: u32,
    pub label_y: u32,
    /// SVG `text-anchor` of the label: `start`, `middle` or `end`.
    pub label_anchor: String,
    pub sublabel_y: u32,
    pub value_x: u32,
    pub value_y: u32,
    pub value_anchor: String,
    /// CSS class for the fill (`bar-tier-1`, `bar-month`, `bar-month-current`).
    pub class: String,
}

/// `changes.atom`: the same changes as an Atom feed (template `changes.atom`).
/// Links are relative to the feed and ids are `urn:vetted:` names, so the
/// feed needs no configured base URL.
#[derive(Debug, Clone, Serialize)]
pub struct FeedPage {
    /// `urn:vetted:<organisation>:changes`.
    pub id: String,
    /// RFC 3339 date of the newest commit (the build date without one).
    pub updated: String,
    /// The newest commits; templates skip `uncommitted` entries.
    pub history: HistoryView,
    /// The feed itself (`rel="self"`), relative like every link of the feed.
    pub self_href: String,
    /// Per entry of `history.entries`: its commit's entry on the change log
    /// (`changes/page/N/index.html#commit-<short>`).
    pub links: Vec<String>,
}

// --------------------------------------------------------------- dashboard

/// `index.html`.
#[derive(Debug, Clone, Serialize)]
pub struct DashboardPage {
    /// Vendors needing action, ranked: tier 1 first, then the decision's
    /// rank (worst first), then errors, red flags, overdue review, expired
    /// and missing required evidence, overdue findings, warnings.
    pub action: Capped<ActionRef>,
    /// The full lists behind `action`: the vendors list filtered by each
    /// decision the action list holds (`vendors/index.html#decision=<key>`).
    pub action_lists: Vec<FilterLink>,
    /// Entry points to the portfolio questions (cross-vendor pages, filtered).
    pub questions: Vec<PortfolioQuestion>,
    /// Headline numbers, in display order.
    pub cards: Vec<StatCard>,
    /// Vendors per tier, tier 1 first (every tier of tiers.toml, even with 0).
    pub tiers: Vec<TierCount>,
    /// Vendors per compliance status, worst first.
    pub statuses: Vec<StatusCount>,
    /// Vendors per decision (approved first), every decision listed.
    pub decisions: Vec<StatusCount>,
    /// Horizontal bars: vendors per tier.
    pub tier_chart: ChartView,
    /// Vertical bars: artifact expiries per month over the next 12 months.
    pub expiry_chart: ChartView,
    /// Artifacts of live vendors whose validity ends within 30, 31–60 and 61–90 days.
    pub expiring: Vec<ExpiryWindow>,
    /// Artifacts of live vendors that have expired (superseded ones left out).
    pub expired: Capped<ArtifactRef>,
    /// Required evidence with no valid artifact on file.
    pub missing: Capped<RequirementRef>,
    /// Live vendors whose reassessment is overdue.
    pub overdue_reviews: Capped<ReviewRef>,
    /// Open findings, overdue first, each with its vendor's tier.
    pub open_findings: Capped<TieredFinding>,
    pub overdue_findings: usize,
    /// Exceptions that are expiring or expired.
    pub exceptions: Capped<ExceptionRef>,
    /// Red flags of live vendors, unaccepted and worst first.
    pub red_flags: Capped<FlagRef>,
    /// Recent changes across the registry.
    pub history: HistoryView,
}

/// A headline number.
#[derive(Debug, Clone, Serialize)]
pub struct StatCard {
    pub label: String,
    pub value: usize,
    /// `good`, `warn`, `bad` or `neutral` (bad/warn only when `value > 0`).
    pub tone: Tone,
    /// Where the details are (site-root-relative), if anywhere.
    pub href: Option<String>,
    /// A short explanation under the number.
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TierCount {
    pub tier: TierView,
    pub count: usize,
    /// The vendors list filtered to the tier (`vendors/index.html#tier=1`).
    pub href: String,
    pub description: Option<String>,
    /// Reassessment interval of the tier.
    pub review_months: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct DecisionView {
    pub badge: Badge,
    /// Every reason for the decision, as `vetted check` gives them.
    pub reasons: Vec<String>,
    /// How many of `reasons` are red flags' messages (the default theme
    /// counts them and links to the Red flags list, which shows each once).
    pub red_flags: usize,
    /// The reasons that are not red flags' messages, in order.
    pub other_reasons: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusCount {
    pub status: Badge,
    pub count: usize,
    /// The vendors list filtered to it (`vendors/index.html#decision=<key>`
    /// or `#status=<key>`).
    pub href: String,
}

/// Artifacts whose validity ends within a window of days.
#[derive(Debug, Clone, Serialize)]
pub struct ExpiryWindow {
    /// Upper bound of the window in days (30, 60, 90).
    pub days: i64,
    /// `Within 30 days`, `In 31–60 days`, …
    pub label: String,
    pub artifacts: Capped<ArtifactRef>,
}

/// The first items of a dashboard list, so the dashboard stays a summary
/// however large the registry; the full lists are on their own pages.
#[derive(Debug, Clone, Serialize)]
pub struct Capped<T> {
    /// At most [`Capped::LIMIT`] items, in display order.
    pub items: Vec<T>,
    /// How many there are in all.
    pub total: usize,
    /// How many are not listed (`total - items.len()`).
    pub more: usize,
}

impl<T> Capped<T> {
    /// Items a dashboard list shows.
    pub const LIMIT: usize = 25;

    pub fn new(mut all: Vec<T>) -> Capped<T> {
        let total = all.len();
        all.truncate(Self::LIMIT);
        Capped {
            more: total - all.len(),
            items: all,
            total,
        }
    }
}

/// An artifact listed outside its vendor's page.
#[derive(Debug, Clone, Serialize)]
pub struct ArtifactRef {
    pub vendor: VendorLink,
    /// The vendor's tier.
    pub tier: TierView,
    pub title: String,
    pub kind_title: String,
    pub status: Badge,
    pub valid_until: Option<String>,
    pub days_left: Option<i64>,
    pub when: String,
    /// The artifact on its vendor page.
    pub href: String,
}

/// A requirement of a vendor without valid evidence.
#[derive(Debug, Clone, Serialize)]
pub struct RequirementRef {
    pub vendor: VendorLink,
    /// The vendor's tier.
    pub tier: TierView,
    pub kind_title: String,
    pub product: Option<String>,
    pub status: Badge,
    pub accepted_by: Option<AcceptedBy>,
    pub href: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReviewRef {
    pub vendor: VendorLink,
    pub tier: TierView,
    pub last_assessed: Option<String>,
    pub next_due: Option<String>,
    pub when: String,
    pub forced_by_major_change: bool,
    pub href: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExceptionRef {
    pub vendor: VendorLink,
    /// The vendor's tier.
    pub tier: TierView,
    pub id: String,
    /// What it accepts, in words (`Finding F-1`).
    pub accepts: String,
    /// The accepted item on the vendor page.
    pub accepts_href: String,
    pub expires: String,
    pub when: String,
    pub status: Badge,
    pub href: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FlagRef {
    pub vendor: VendorLink,
    /// The vendor's tier.
    pub tier: TierView,
    pub severity: Badge,
    pub message: String,
    pub section_title: String,
    pub question: String,
    pub accepted_by: Option<AcceptedBy>,
    /// The answer that raised it, on the vendor page.
    pub href: String,
}

/// A vendor needing action (the dashboard's first list).
#[derive(Debug, Clone, Serialize)]
pub struct ActionRef {
    pub vendor: VendorLink,
    pub tier: TierView,
    pub decision: Badge,
    /// Why, in a few words each, worst first (`2 errors`, `review overdue`).
    pub why: Vec<String>,
    /// The decision's first reason, in full (for a tooltip-free second line).
    pub reason: Option<String>,
    /// The vendor page's decision section.
    pub href: String,
}

/// A link to a pre-filtered list, with how many rows it holds.
#[derive(Debug, Clone, Serialize)]
pub struct FilterLink {
    pub label: String,
    /// Rows the filtered list holds (`None`: not counted here).
    pub count: Option<usize>,
    /// Site-root-relative, filters in the URL hash (`evidence/index.html#tier=1&kind=soc2-type2`).
    pub href: String,
}

/// A cross-vendor question and where its answer is, in one or two clicks.
#[derive(Debug, Clone, Serialize)]
pub struct PortfolioQuestion {
    pub question: String,
    /// What the links show, in a few words.
    pub hint: String,
    pub links: Vec<FilterLink>,
}

/// An open finding on the dashboard, with its vendor's tier.
#[derive(Debug, Clone, Serialize)]
pub struct TieredFinding {
    pub tier: TierView,
    pub finding: FindingRow,
}

// ------------------------------------------------------------ vendors list

/// `vendors/index.html`.
#[derive(Debug, Clone, Serialize)]
pub struct VendorsPage {
    /// One row per vendor, by name.
    pub rows: Vec<VendorRow>,
    /// Options of the tier filter.
    pub tiers: Vec<TierView>,
    /// Options of the status filter.
    pub statuses: Vec<Badge>,
    pub total: usize,
    /// Options of the decision filter.
    pub decisions: Vec<Badge>,
    /// This page's place in the paginated list (`rows` are this page's rows).
    pub table: TableView,
}

#[derive(Debug, Clone, Serialize)]
pub struct VendorRow {
    pub vendor: VendorLink,
    pub tier: TierView,
    pub status: Badge,
    /// Approved, approved with conditions, not approved, not assessed.
    pub decision: Badge,
    pub category: String,
    /// prospective, active or offboarded.
    pub lifecycle: Badge,
    pub next_review: Option<String>,
    pub review_overdue: bool,
    /// Worst status among required and listed evidence.
    pub worst_artifact: Badge,
    pub red_flags: usize,
    pub open_findings: usize,
    pub overdue_findings: usize,
}

// ------------------------------------------------------------- vendor page

/// `vendors/<slug>/index.html`.
#[derive(Debug, Clone, Serialize)]
pub struct VendorPage {
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
    pub category: String,
    /// Internal owner.
    pub owner: String,
    pub lifecycle: Badge,
    pub website: Option<ExternalLink>,
    /// Where the vendor hosts or processes data (vendor.toml `regions`).
    pub regions: Vec<String>,
    pub tier: TierView,
    pub tier_description: Option<String>,
    pub status: Badge,
    /// Why the status is what it is, worst first.
    pub reasons: Vec<ReasonView>,
    /// The decision on the vendor and its reasons (what refuses approval,
    /// or the conditions of it), worst first.
    pub decision: DecisionView,
    /// Set when data-contract errors left part of the vendor's files out:
    /// the assessment covers only the rest.
    pub partial: Option<PartialView>,
    pub rationale: RationaleView,
    pub review: ReviewView,
    pub products: Vec<ProductView>,
    pub subprocessors: Vec<SubprocessorView>,
    pub contacts: Vec<ContactView>,
    pub contract: Option<ContractView>,
    /// Answers by questionnaire section, in questionnaire order.
    pub sections: Vec<AnswerSection>,
    /// Where the answers came from (`[provenance]` of answers.toml, written
    /// by `vetted questionnaire import`); `None` when it does not say.
    pub answers_source: Option<AnswersSourceView>,
    /// Questions the tier requires that have no answer.
    pub unanswered: Vec<UnansweredView>,
    pub artifacts: Vec<ArtifactView>,
    /// Evidence the tier requires, per product.
    pub requirements: Vec<RequirementView>,
    pub findings: Vec<FindingView>,
    pub exceptions: Vec<ExceptionView>,
    /// notes.md, sanitised.
    pub notes_html: Option<String>,
    pub counts: CountsView,
    /// The vendor's timeline, newest first, capped (`total` counts them all).
    pub history: HistoryView,
    /// The change log's entry (from `root`) of the newest change `history`
    /// leaves out (it lists the `[site] vendor_history` most recent); older
    /// ones follow it there. None when every change is listed.
    pub history_more: Option<String>,
    /// Every red flag the answers raised, in questionnaire order (the same
    /// flags as the answers' `flags`), for the top of the page.
    pub red_flags: Vec<FlagView>,
    /// The running header of the printed record.
    pub print: PrintView,
    /// `reasons` less those the page names above them: red flags (E1101)
    /// and reasons with the same words as one of the decision's.
    pub status_reasons: Vec<ReasonView>,
}

/// What the printed vendor record's running header says (plain text: a
/// template puts it into CSS with the `css_string` filter).
#[derive(Debug, Clone, Serialize)]
pub struct PrintView {
    /// The vendor's name.
    pub vendor: String,
    /// The date the registry was assessed against (`YYYY-MM-DD`).
    pub as_of: String,
    /// The registry's commit: `registry 1a2b3c4d5e`, `uncommitted changes on
    /// 1a2b3c4d5e`, or `not in git`.
    pub commit: String,
}

/// The returned questionnaire workbook the answers were imported from.
/// Every field is the vendor's own text (escaped by the templates).
#[derive(Debug, Clone, Serialize)]
pub struct AnswersSourceView {
    /// The workbook's file name.
    pub file: Option<String>,
    /// `YYYY-MM-DD`: the day the answers were imported.
    pub imported: Option<String>,
    pub respondent: Option<String>,
    pub respondent_email: Option<String>,
    /// `YYYY-MM-DD`: the day the vendor says it completed the questionnaire.
    pub completed: Option<String>,
}

/// What a partial assessment left out, one line each
/// ("artifacts.toml artifact 3 (covers: E0305 …)"), in file order.
#[derive(Debug, Clone, Serialize)]
pub struct PartialView {
    pub left_out: Vec<String>,
}

/// A link from a TOML field: `url` only when its scheme is safe.
#[derive(Debug, Clone, Serialize)]
pub struct ExternalLink {
    pub text: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReasonView {
    pub severity: Badge,
    /// Stable diagnostic code (E1001).
    pub code: String,
    pub message: String,
}

/// Why the vendor has its tier.
#[derive(Debug, Clone, Serialize)]
pub struct RationaleView {
    /// The risk profile: factor, value, points.
    pub factors: Vec<FactorRow>,
    pub score: i64,
    /// The tier the score alone gives.
    pub score_tier: TierView,
    /// Override rules that matched.
    pub overrides: Vec<OverrideView>,
    /// Minimum score of each tier.
    pub thresholds: Vec<ThresholdView>,
    /// One sentence: how score and overrides gave the tier.
    pub explanation: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FactorRow {
    pub factor: String,
    pub title: String,
    pub value: String,
    pub points: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct OverrideView {
    pub tier: TierView,
    pub reason: String,
    /// Whether this override decided the final tier.
    pub decisive: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThresholdView {
    pub tier: TierView,
    pub min_score: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReviewView {
    pub last_assessed: Option<String>,
    pub assessor: Option<String>,
    pub major_change: Option<String>,
    pub next_due: Option<String>,
    pub when: String,
    pub overdue: bool,
    pub forced_by_major_change: bool,
    /// Reassessment interval of the tier, in months.
    pub interval_months: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProductView {
    pub name: String,
    pub version: String,
    pub description: Option<String>,
    pub end_of_support: Option<String>,
    pub end_of_support_passed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct SubprocessorView {
    pub name: String,
    pub service: String,
    pub data: Vec<String>,
    pub region: Option<String>,
    /// Whether the vendor's BAA is flowed down to it (`baa_flow_down`), when stated.
    pub baa_flow_down: Option<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContactView {
    /// `Security`, `Account`, `Vulnerability disclosure`.
    pub role: String,
    pub value: String,
    /// mailto: for an address, the URL for a safe link, else none.
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContractView {
    pub signed: Option<String>,
    pub renewal: Option<String>,
    pub renewal_passed: bool,
    /// `Yes`, `No` or `Not recorded`.
    pub baa: String,
    pub audit_rights: String,
    pub secure_remote_access: String,
    /// `48 hours` or `Not set`.
    pub breach_notification: String,
}

/// A questionnaire section with this vendor's answers.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerSection {
    pub id: String,
    /// `section-<id>`.
    pub anchor: String,
    pub title: String,
    pub summary: Option<String>,
    /// The section on the questionnaire page, from `root`.
    pub href: String,
    /// Whether the vendor's tier requires this section.
    pub in_scope: bool,
    pub answered: usize,
    pub total: usize,
    pub questions: Vec<AnswerRow>,
    /// Questions neither answered, required nor flagged: the default theme
    /// counts them instead of listing each one.
    pub optional_unanswered: usize,
    /// When this section's answers last changed (from git history): the
    /// newest commit that changed one of them, else the commit that added
    /// the vendor; `None` without history or answers.
    pub last_changed: Option<ProvenanceView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AnswerRow {
    pub id: String,
    /// `q-<section>-<question>`, the same on the vendor and questionnaire pages.
    pub anchor: String,
    /// The question as the vendor reads it (on the questionnaire page).
    pub prompt: String,
    /// The question's short title (`title` in questionnaire.toml, else the
    /// prompt): what the vendor page shows, linked to `href`.
    pub title: String,
    /// Question type: bool, choice, multi, integer, date, text, url, list.
    pub kind: String,
    pub answer: Option<AnswerView>,
    /// Whether the vendor's tier requires an answer.
    pub required: bool,
    /// The question, its strong-answer guidance and its red-flag rules on
    /// the questionnaire page, from `root` (`questionnaire/index.html#<anchor>`).
    pub href: String,
    /// Red flags this answer (or its absence) raised.
    pub flags: Vec<FlagView>,
    /// Whether something links to this answer on the vendor page (a red flag,
    /// the unanswered list, an exception), so it carries the id `anchor`;
    /// other answers carry none (vendor pages stay small).
    pub target: bool,
}

/// An answer formatted by its type.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerView {
    /// The answer as one line (`Yes`, `48 hours`, `SOC 2 Type II, HITRUST r2`):
    /// options as their questionnaire labels, booleans as words.
    pub text: String,
    /// For multi and list answers: the items (options as their labels); empty otherwise.
    pub items: Vec<String>,
    /// For url answers with a safe scheme.
    pub url: Option<String>,
    /// For text answers: render as a paragraph rather than a value.
    pub long: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct FlagView {
    pub severity: Badge,
    pub message: String,
    pub accepted_by: Option<AcceptedBy>,
    /// The rule that raised it on the questionnaire page, from `root`
    /// (`questionnaire/index.html#r-<section>-<question>-<n>`).
    pub rule_href: String,
    /// The question's short title, and its in-page anchor on the vendor page.
    pub question: String,
    pub anchor: String,
    /// The id of its entry in the page's Red flags list (`flag-<n>`, from 1
    /// in questionnaire order): the message is shown there once, and the
    /// answer links to it.
    pub entry: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnansweredView {
    pub section_title: String,
    /// The question's short title.
    pub title: String,
    /// In-page anchor of the question.
    pub anchor: String,
    pub accepted_by: Option<AcceptedBy>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArtifactView {
    /// Position in artifacts.toml.
    pub index: usize,
    /// `artifact-<index>`.
    pub anchor: String,
    pub kind: String,
    pub kind_title: String,
    pub title: String,
    /// The subprocessor this evidence is about (`subject`), as written;
    /// none for the vendor's own evidence.
    pub subject: Option<String>,
    pub status: Badge,
    pub valid_until: Option<String>,
    pub days_left: Option<i64>,
    pub when: String,
    /// How `valid_until` was reached.
    pub basis: String,
    pub issued: Option<String>,
    /// First day of the period a report covers, when stated.
    pub period_start: Option<String>,
    pub period_end: Option<String>,
    pub scope: Option<String>,
    /// What the scope leaves out (`excludes`), in file order.
    pub excludes: Vec<ExclusionView>,
    /// Products covered; empty means the whole vendor.
    pub covers: Vec<String>,
    pub version: Option<String>,
    /// The `link` field.
    pub link: Option<ExternalLink>,
    /// The `file` field (path inside the vendor folder).
    pub file: Option<String>,
    pub sha256: Option<String>,
    /// Where the site serves `file`, from the site root
    /// (`vendors/<slug>/files/<sha256 prefix>/<name>`); none when the file
    /// failed a rule of `[policy.evidence_files]` (it is then not in the site).
    pub file_href: Option<String>,
    /// The served file's type and size in words ("PDF, 2.1 KB").
    pub file_label: Option<String>,
    /// `link` points at a host of `[site] intranet_hosts`: it opens only
    /// on the hospital network.
    pub intranet: bool,
    pub accepted_by: Option<AcceptedBy>,
    pub notes: Option<String>,
    /// When the artifact last changed (from git history).
    pub since: Option<ProvenanceView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequirementView {
    pub kind: String,
    pub kind_title: String,
    /// The products the evidence must cover, in order (one row for
    /// requirements alike in all but their product); empty for vendor-wide
    /// evidence.
    pub products: Vec<String>,
    pub status: Badge,
    pub satisfied_by: Option<ArtifactLink>,
    /// The kind of the artifact that met it, and its title: the required
    /// kind, or one that substitutes for it (then `substitute` is true).
    pub met_by_kind: Option<String>,
    pub met_by_title: Option<String>,
    pub substitute: bool,
    pub accepted_by: Option<AcceptedBy>,
    /// Why it could not be judged ("artifact 3 has data errors"); `status`
    /// is then "Not assessed".
    pub not_assessed: Option<String>,
}

/// One scope exclusion of an artifact: the value as written (`production`)
/// and what it leaves out, in words.
#[derive(Debug, Clone, Serialize)]
pub struct ExclusionView {
    pub value: String,
    pub meaning: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArtifactLink {
    pub title: String,
    /// In-page anchor (`artifact-0`).
    pub anchor: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingView {
    pub id: String,
    /// `finding-<id>`.
    pub anchor: String,
    pub title: String,
    pub severity: Badge,
    /// `Open` or `Closed`.
    pub state: Badge,
    pub open: bool,
    pub overdue: bool,
    pub opened: String,
    pub due: Option<String>,
    pub closed: Option<String>,
    pub owner: Option<String>,
    pub source: Option<String>,
    pub description: Option<String>,
    pub accepted_by: Option<AcceptedBy>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExceptionView {
    pub id: String,
    /// `exception-<id>`.
    pub anchor: String,
    /// What it accepts, in words.
    pub accepts: String,
    /// The accepted item on the vendor page.
    pub accepts_href: String,
    pub reason: String,
    pub approver: String,
    pub approved: String,
    pub expires: String,
    pub when: String,
    /// active, expiring or expired.
    pub status: Badge,
    pub compensating_controls: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountsView {
    pub errors: usize,
    pub warnings: usize,
    pub red_flags: usize,
    pub open_findings: usize,
    pub overdue_findings: usize,
}

// ---------------------------------------------------------------- calendar

/// `calendar/index.html`.
#[derive(Debug, Clone, Serialize)]
pub struct CalendarPage {
    /// First day shown (the first of the month three months back).
    pub from: String,
    /// Months with events, plus the current month, in order.
    pub months: Vec<MonthView>,
    /// The same months grouped by year, for navigation.
    pub years: Vec<YearView>,
    /// Events before `from`, not shown.
    pub earlier: usize,
    pub total: usize,
    /// Past and unresolved events (bad status), and their page.
    pub overdue: usize,
    pub overdue_href: String,
    /// On the overdue page: this page's overdue events, oldest first.
    pub overdue_events: Vec<EventView>,
    /// True on `calendar/index.html`, the index of months (`months` is
    /// then empty; a month's page has that month, with this page's events).
    pub index: bool,
    /// This page's place among the calendar's pages (its pager).
    pub table: TableView,
}

#[derive(Debug, Clone, Serialize)]
pub struct MonthView {
    /// `2026-11` (also the anchor `month-2026-11`).
    pub key: String,
    /// `November 2026`.
    pub label: String,
    pub current: bool,
    pub past: bool,
    pub events: Vec<EventView>,
}

/// A year of the calendar's month navigation.
#[derive(Debug, Clone, Serialize)]
pub struct YearView {
    pub year: String,
    pub months: Vec<MonthLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MonthLink {
    /// `2026-11`; the month's section is `#month-2026-11`.
    pub key: String,
    /// `Nov`.
    pub short: String,
    pub count: usize,
    pub current: bool,
    /// The month's page (`calendar/month/2026-11/index.html`); empty without events.
    pub href: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    pub date: String,
    /// `artifact`, `review`, `exception`, `finding`, `renewal` or `end-of-support`.
    pub kind: String,
    /// `Evidence expires`, `Review due`, …
    pub kind_label: String,
    pub vendor: VendorLink,
    pub title: String,
    pub status: Badge,
    pub when: String,
    pub past: bool,
    pub href: String,
}

// ----------------------------------------------------------- questionnaire

/// `questionnaire/index.html`.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionnairePage {
    pub sections: Vec<QuestionnaireSection>,
    pub question_count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuestionnaireSection {
    pub id: String,
    pub anchor: String,
    pub title: String,
    pub summary: Option<String>,
    /// Tiers whose assessment includes this section.
    pub tiers: Vec<TierView>,
    pub questions: Vec<QuestionView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuestionView {
    pub id: String,
    pub anchor: String,
    pub prompt: String,
    /// The short title vendor pages list the answer by (the prompt when
    /// questionnaire.toml gives none).
    pub title: String,
    pub kind: String,
    pub unit: Option<String>,
    pub options: Vec<String>,
    /// The options with the labels the site shows for them (`labels`), in order.
    pub option_labels: Vec<OptionLabel>,
    /// Tiers that require an answer.
    pub required_for: Vec<TierView>,
    pub guidance_html: String,
    pub rules: Vec<RuleView>,
}

/// An option of a choice or multi question and its label (the option itself
/// when questionnaire.toml gives it none).
#[derive(Debug, Clone, Serialize)]
pub struct OptionLabel {
    pub value: String,
    pub label: String,
}

/// A red-flag rule in words.
#[derive(Debug, Clone, Serialize)]
pub struct RuleView {
    /// `r-<section>-<question>-<n>` (n counts the question's rules from 1):
    /// vendor pages link each flag here.
    pub anchor: String,
    pub severity: Badge,
    /// `when the answer is no`.
    pub condition: String,
    pub message: String,
    /// `Red flag (error) when the answer is no: Refuses to share audit reports.`
    /// With `by_tier`, ending ` (tier 1: error; tier 3: warning)`.
    pub text: String,
    /// `severity_by_tier`: the severity for these tiers instead of `severity`.
    pub by_tier: Vec<TierSeverity>,
}

/// A tier and the severity a red flag has for it.
#[derive(Debug, Clone, Serialize)]
pub struct TierSeverity {
    pub tier: TierView,
    pub severity: Badge,
}

// ---------------------------------------------------------------- findings

/// `findings/index.html`.
#[derive(Debug, Clone, Serialize)]
pub struct FindingsPage {
    /// Open first, overdue first, then by severity, due date and vendor.
    pub rows: Vec<FindingRow>,
    pub open: usize,
    pub overdue: usize,
    pub closed: usize,
    /// Options of the filters (tier, status, severity).
    pub tiers: Vec<TierView>,
    pub states: Vec<Badge>,
    pub severities: Vec<Badge>,
    /// This page's place in the paginated list (`rows` are this page's rows).
    pub table: TableView,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingRow {
    pub vendor: VendorLink,
    /// The vendor's tier.
    pub tier: TierView,
    pub id: String,
    pub title: String,
    pub severity: Badge,
    pub state: Badge,
    pub open: bool,
    pub overdue: bool,
    pub opened: String,
    pub due: Option<String>,
    pub closed: Option<String>,
    pub owner: Option<String>,
    pub accepted_by: Option<AcceptedBy>,
    /// The finding on its vendor page.
    pub href: String,
}

// ------------------------------------------------------------------ search

/// One entry of the search index (`search/<shard>.js`, written there as
/// `[t, kind code, u, x]`). Short keys keep the snapshot small.
#[derive(Debug, Clone, Serialize)]
pub struct SearchEntry {
    /// Title shown in results.
    pub t: String,
    /// Kind: `Vendor`, `Product`, `Subprocessor`, `Finding`, `Evidence`,
    /// `Owner`, `Category`, `Question`.
    pub k: String,
    /// Target, site-root-relative.
    pub u: String,
    /// Extra text searched and shown (category, products, section).
    pub x: String,
}

// ------------------------------------------------------- paginated tables

pub use super::table::{FacetGroup, FacetLink, PagerLink, TableView};

// ------------------------------------------------------ cross-vendor views

/// Where one page of a statically paginated table sits among its pages.
/// Every page is complete HTML; `prev`/`next` and `links` are site-root-relative.
#[derive(Debug, Clone, Serialize)]
pub struct PagerView {
    /// 1-based number of this page.
    pub page: usize,
    pub pages: usize,
    /// Rows in the whole table.
    pub total: usize,
    /// 1-based positions of this page's first and last rows (0, 0 when empty).
    pub first: usize,
    pub last: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// Every page, in order.
    pub links: Vec<PageLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    pub number: usize,
    pub href: String,
    pub current: bool,
}

/// An option of a filter control: the value put in the URL hash and its label.
#[derive(Debug, Clone, Serialize)]
pub struct FilterOption {
    pub value: String,
    pub label: String,
}

/// `evidence/index.html` (and `evidence/page/N/index.html`): live vendors ×
/// the evidence kinds any of them is required to hold. Rows tier 1 first,
/// then by name. Filter keys: `tier`, `kind`, `status` (a cell's status
/// badge key, matched in the same cell as `kind`), `decision`, `q`.
#[derive(Debug, Clone, Serialize)]
pub struct EvidencePage {
    /// The columns, in artifact-kinds.toml order.
    pub kinds: Vec<EvidenceKindColumn>,
    /// This page's rows (a facet's on a facet page).
    pub rows: Vec<EvidenceRow>,
    /// The paginated table: pager, facets (tier, kind), `evidence/rows.js`.
    pub table: TableView,
    /// Options of the tier filter.
    pub tiers: Vec<TierView>,
    /// Options of the status filter: `unmet` (any requirement without valid
    /// evidence), then every cell status present (badge keys), best first.
    pub statuses: Vec<FilterOption>,
}

/// A column of the evidence matrix: a kind some vendor must hold.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceKindColumn {
    /// The kind id (the `kind` filter value).
    pub id: String,
    pub title: String,
    /// Vendors that must hold it, and those of them without valid evidence.
    pub required: usize,
    pub unmet: usize,
    /// `unmet` per tier, tier 1 first; tiers with none left out.
    pub unmet_by_tier: Vec<TierTally>,
}

/// How many of something a tier has.
#[derive(Debug, Clone, Serialize)]
pub struct TierTally {
    pub tier: TierView,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceRow {
    pub vendor: VendorLink,
    pub tier: TierView,
    pub decision: Badge,
    /// One per column of [`EvidencePage::kinds`], in that order.
    pub cells: Vec<EvidenceCell>,
    /// `kind:status` for each required cell (and `kind:unmet` for one not
    /// met), space-separated: the row's `data-cells`, which the kind and
    /// status filters read together.
    pub cells_key: String,
}

/// What the vendor holds for one required kind (over its products when the
/// kind is required per product).
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceCell {
    pub kind: String,
    /// False: the vendor's tier and profile do not require the kind (other
    /// fields are empty).
    pub required: bool,
    /// The worst status over the requirements.
    pub status: Option<Badge>,
    /// Requirements (one per product, or one) and how many are met.
    pub of: usize,
    pub met: usize,
    /// The artifact that satisfies it, when one artifact satisfies every requirement.
    pub title: Option<String>,
    /// That artifact on the vendor page, else the vendor's evidence section.
    pub href: String,
    /// The title of a kind that stands in for this one, when one does.
    pub substitute: Option<String>,
    /// An exception accepts the gap.
    pub accepted: bool,
}

/// `subprocessors/index.html`: every fourth party named by a vendor.
/// Filter keys: `tier` (any dependent vendor of that tier), `q`.
#[derive(Debug, Clone, Serialize)]
pub struct SubprocessorsPage {
    /// This page's rows.
    pub rows: Vec<SubprocessorRow>,
    /// The paginated table: pager, `subprocessors/rows.js` (no facet pages).
    pub table: TableView,
    pub tiers: Vec<TierView>,
    pub concentration: ConcentrationView,
}

/// The policy's concentration rule (`[policy.fourth_parties]`).
#[derive(Debug, Clone, Serialize)]
pub struct ConcentrationView {
    /// `concentration_tiers`.
    pub tiers: Vec<TierView>,
    /// `concentration_threshold` (0: off).
    pub threshold: usize,
    /// Live vendors of those tiers.
    pub vendors: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct SubprocessorRow {
    pub name: String,
    /// `subprocessors/<slug>/index.html`.
    pub href: String,
    /// Vendors listing it, and their products.
    pub vendors: usize,
    pub products: usize,
    /// The highest tier (lowest level) among them.
    pub top_tier: TierView,
    /// Levels of every tier among them, space-separated (`data-tiers`).
    pub tier_levels: String,
    /// Distinct services, data values and regions as the vendors state them.
    pub services: Vec<String>,
    pub data: Vec<String>,
    pub regions: Vec<String>,
    /// Live vendors of the concentration tiers depending on it.
    pub concentration: usize,
    /// `concentration` reaches the policy's threshold.
    pub concentrated: bool,
}

/// `subprocessors/<slug>/index.html`: one fourth party and who depends on it.
#[derive(Debug, Clone, Serialize)]
pub struct SubprocessorPage {
    pub summary: SubprocessorRow,
    /// Every spelling of the name the vendors use.
    pub names: Vec<String>,
    pub rows: Vec<SubprocessorUse>,
    pub pager: PagerView,
    pub tiers: Vec<TierView>,
    pub policy: ConcentrationView,
}

/// A vendor's entry for the subprocessor.
#[derive(Debug, Clone, Serialize)]
pub struct SubprocessorUse {
    pub vendor: VendorLink,
    pub tier: TierView,
    pub decision: Badge,
    pub lifecycle: Badge,
    /// The vendor's products.
    pub products: Vec<String>,
    pub service: String,
    pub data: Vec<String>,
    pub region: Option<String>,
    /// `Yes`, `No` or `Not stated`.
    pub baa_flow_down: String,
    /// The vendor page's profile, where its subprocessors are listed.
    pub href: String,
}

/// `products/index.html`: every product of every vendor, earliest end of
/// support first (not stated last). Filter keys: `tier`, `status` (the
/// end-of-support key), `eos` (a year: dates before 1 January of it), `q`.
#[derive(Debug, Clone, Serialize)]
pub struct ProductsPage {
    /// This page's rows (a facet's on a facet page).
    pub rows: Vec<ProductRow>,
    /// The paginated table: pager, facets (tier, `eos` group), `products/rows.js`.
    pub table: TableView,
    pub tiers: Vec<TierView>,
    /// `past`, `upcoming`, `not-stated`.
    pub statuses: Vec<Badge>,
    /// Options of the `eos` filter: the year after each stated date's year.
    pub years: Vec<FilterOption>,
    /// The version-bound kinds of artifact-kinds.toml (SBOM, MDS2 in the
    /// example): one column each.
    pub kinds: Vec<FilterOption>,
    /// Ready-made filters: `value` is the hash (`eos=2028`), `label` says
    /// what it shows and how many (the next three years from the build date).
    pub shortcuts: Vec<FilterOption>,
    pub past: usize,
    pub upcoming: usize,
    pub not_stated: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProductRow {
    pub vendor: VendorLink,
    pub tier: TierView,
    pub name: String,
    pub version: String,
    pub end_of_support: Option<String>,
    /// Its year (`data-eos`), for the `eos` filter.
    pub eos_year: Option<i16>,
    /// `past`, `upcoming` (warn tone within the policy's warning months) or `not-stated`.
    pub eos: Badge,
    pub when: String,
    /// One per [`ProductsPage::kinds`]: the best artifact of the kind covering
    /// this product, if any.
    pub evidence: Vec<ProductEvidence>,
    /// The product on its vendor page.
    pub href: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProductEvidence {
    pub kind: String,
    /// None: nothing of the kind on file for the product.
    pub status: Option<Badge>,
    pub href: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_lists_say_how_many_are_left_out() {
        let c = Capped::new((0..30).collect::<Vec<_>>());
        assert_eq!(
            (c.items.len(), c.total, c.more),
            (Capped::<i32>::LIMIT, 30, 5)
        );
        let c = Capped::new(vec![1, 2]);
        assert_eq!((c.items, c.total, c.more), (vec![1, 2], 2, 0));
    }
}
