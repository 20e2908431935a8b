//! Assess stage: a validated `Registry` and a date in, per-vendor assessments
//! and located diagnostics out, computed for each vendor in parallel.
//!
//! Every rule reads its numbers from the registry's policy files (tiers.toml,
//! artifact-kinds.toml, questionnaire.toml, vetted.toml, with the embedded
//! defaults of `model::defaults`); nothing here is a hospital's policy, only
//! the mechanics of applying one.
//!
//! Each part is a function over one shared `Context` returning its typed
//! result and its `Problem`s: `tier`, `dates` (first: impossible dates, and
//! what they make untrustworthy for every other part), `exceptions` (they
//! decide what is accepted), `evidence` (artifact validity, scope
//! exclusions, superseding, requirements and the kinds that met them),
//! `answers` (red flags, unanswered questions), `claims` (frameworks claimed
//! in the answers with no artifact on file), `contract`, `lifecycle`,
//! `reviews`, `findings`, `fourth_parties` (residency, BAA flow-down and
//! assurance of subprocessors, and concentration, which needs every
//! vendor's tier: `assess` computes it once before the parallel per-vendor
//! assessment and hands it in through `Context`). `assess_vendor` assembles them, `decision` derives
//! the vendor's decision from the problems, and `verdict` turns the problems
//! into diagnostics, status reasons and the status. A part
//! writes each problem's text once (`context::Problem`); the diagnostic's
//! message and the status reason are both made from it.
//!
//! `join` pairs the registry with the result once, by slug, index and id
//! ([`Assessed`]): the report, the diff and the site read a vendor's results
//! from there.
//!
//! Where to add:
//! * a red-flag condition type: wholly in `model::condition` (its spelling,
//!   parsing, meaning and wording, with its tests); `answers` applies it.
//! * an artifact validity rule: one more `Adjustment` in
//!   `evidence/validity.rs`, with its test there; a parameter it needs from
//!   artifact-kinds.toml is a field of `model::ValidityRule`.
//! * a policy threshold: a key in `model/policy-defaults.toml` (its default),
//!   the raw and checked policy types, and the part that reads it.

mod answers;
mod claims;
mod context;
mod contract;
mod dates;
mod decision;
mod evidence;
mod exceptions;
mod findings;
mod fourth_parties;
mod join;
mod lifecycle;
#[cfg(test)]
mod partial;
mod registry_wide;
mod reviews;
#[cfg(test)]
mod testing;
mod tier;
mod verdict;

use rayon::prelude::*;
use serde::Serialize;

use crate::diag::Diagnostic;
use crate::model::*;
use context::{Acceptances, Context, Distrusted, Part};

pub use crate::model::dates::{add_days, add_months, days_between};
pub use answers::{QuestionRef, RaisedFlag};
pub use claims::UnbackedClaim;
pub use context::Tracked;
pub use decision::{DecisionReason, VendorDecision};
pub use evidence::validity::{
    Basis, EvidenceDates, RejectedBridge, Undated, Validity, valid_until_raw, validity,
};
pub use evidence::{ArtifactAssessment, ArtifactStatus, Requirement, status_on};
pub use exceptions::{ExceptionState, ExceptionStatus};
pub use findings::FindingState;
pub use join::{Assessed, Joined};
pub use reviews::ReviewState;
pub use tier::{AppliedOverride, FactorPoints, TierRationale, tier_of};
pub use verdict::{ComplianceStatus, Reason};

#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    pub today: Date,
    /// Same order as `Registry::vendors` (by slug). Later stages reach a
    /// vendor's result through [`Assessment::join`], never by position.
    pub vendors: Vec<VendorAssessment>,
    #[serde(skip)]
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VendorAssessment {
    pub slug: String,
    pub tier: u8,
    pub tier_name: String,
    pub rationale: TierRationale,
    pub artifacts: Vec<ArtifactAssessment>,
    pub requirements: Vec<Requirement>,
    pub red_flags: Vec<RaisedFlag>,
    pub unanswered: Vec<QuestionRef>,
    /// Frameworks claimed in the answers with no artifact on file (E1103).
    pub unbacked_claims: Vec<UnbackedClaim>,
    pub review: ReviewState,
    /// The contract's renewal date, unless it lies before the signature
    /// (E1010): the date the calendar and forward warnings may rely on.
    pub renewal: Option<Date>,
    pub findings: Vec<FindingState>,
    pub exceptions: Vec<ExceptionState>,
    pub status: ComplianceStatus,
    /// Approved, approved with conditions, not approved or not assessed, and why.
    pub decision: VendorDecision,
    /// Why the status is what it is: the message of every unaccepted problem, worst first.
    pub reasons: Vec<Reason>,
    /// The worst status among required evidence and listed artifacts.
    pub worst_artifact: ArtifactStatus,
    pub counts: Counts,
    /// Whether validation left parts of the vendor's files out for data
    /// errors: the assessment covers only the rest (see `left_out`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
    /// What was left out and why (`Vendor::left_out`), in file order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub left_out: Vec<LeftOut>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub red_flags: usize,
    pub open_findings: usize,
    pub overdue_findings: usize,
}

impl Assessment {
    /// How many vendors got each decision, every decision listed in order;
    /// `not_assessed` folders (not assessed at all: their files break the
    /// data contract) count as not assessed.
    pub fn decision_counts(&self, not_assessed: usize) -> Vec<(Decision, usize)> {
        Decision::ALL
            .iter()
            .map(|d| {
                let n = self
                    .vendors
                    .iter()
                    .filter(|a| a.decision.value == *d)
                    .count();
                let extra = if *d == Decision::NotAssessed {
                    not_assessed
                } else {
                    0
                };
                (*d, n + extra)
            })
            .collect()
    }
}

pub fn assess(registry: &Registry, today: Date) -> Assessment {
    let concentration = registry_wide::concentration(registry);
    let results: Vec<(VendorAssessment, Vec<Diagnostic>)> = registry
        .vendors
        .par_iter()
        .map(|v| assess_vendor(registry, v, today, &concentration))
        .collect();
    let mut vendors = Vec::with_capacity(results.len());
    let mut diagnostics = Vec::new();
    for (a, d) in results {
        vendors.push(a);
        diagnostics.extend(d);
    }
    crate::diag::sort(&mut diagnostics);
    Assessment {
        today,
        vendors,
        diagnostics,
    }
}

/// Runs every part in the order their diagnostics are reported, then
/// assembles the assessment.
fn assess_vendor(
    reg: &Registry,
    v: &Vendor,
    today: Date,
    concentration: &registry_wide::Concentration,
) -> (VendorAssessment, Vec<Diagnostic>) {
    let (tier, rationale) = tier_of(&reg.tiers, &v.profile);
    let tier_def = reg.tiers.tier(tier);
    let mut ctx = Context {
        registry: reg,
        vendor: v,
        today,
        tier,
        tier_def,
        acceptances: Acceptances::none(today),
        distrusted: Distrusted::default(),
        concentration,
    };
    // Impossible dates first: what they make untrustworthy (exceptions
    // included) no other part may rely on.
    let dates = dates::dates(&ctx);
    let (mut exceptions, acceptances) = exceptions::exceptions(v, &reg.settings, today);
    ctx.acceptances = dates.result.withdraw(acceptances, &mut exceptions.result);
    ctx.distrusted = dates.result;
    let ctx = ctx;
    let mut problems = dates.problems;
    problems.extend(exceptions.problems);
    let mut take = |part_problems: Vec<_>| problems.extend(part_problems);

    let assessed = evidence::artifacts(&ctx);
    let requirements = evidence::requirements(&ctx, &assessed.result);
    take(assessed.problems);
    take(requirements.problems);
    let answers = answers::answers(&ctx);
    take(answers.problems);
    let claims = claims::claims(&ctx);
    take(claims.problems);
    let Part { problems: p, .. } = contract::contract(&ctx);
    take(p);
    let Part { problems: p, .. } = lifecycle::lifecycle(&ctx);
    take(p);
    let review = reviews::reviews(&ctx);
    take(review.problems);
    let findings = findings::findings(&ctx);
    take(findings.problems);

    let artifacts: Vec<ArtifactAssessment> =
        assessed.result.into_iter().map(|a| a.assessment).collect();
    take(fourth_parties::fourth_parties(&ctx, &artifacts).problems);
    let requirements = requirements.result;
    let verdict = verdict::verdict(&v.name, problems, &ctx.acceptances);
    let decision = decision::decide(&ctx, &verdict);
    let worst_artifact = requirements
        .iter()
        .filter(|r| r.not_assessed.is_none())
        .map(|r| r.status)
        .chain(artifacts.iter().map(|a| a.status))
        .max()
        .unwrap_or(ArtifactStatus::Valid)
        .max(ArtifactStatus::Valid);
    let red_flags = answers.result.red_flags;
    let counts = Counts {
        errors: verdict.errors,
        warnings: verdict.warnings,
        red_flags: red_flags.iter().filter(|f| f.accepted_by.is_none()).count(),
        open_findings: v.findings.iter().filter(|f| f.open).count(),
        overdue_findings: findings.result.iter().filter(|f| f.overdue).count(),
    };
    let assessment = VendorAssessment {
        slug: v.slug.clone(),
        tier,
        tier_name: tier_def.map_or_else(|| format!("Tier {tier}"), |t| t.name.clone()),
        rationale,
        artifacts,
        requirements,
        red_flags,
        unanswered: answers.result.unanswered,
        unbacked_claims: claims.result,
        review: review.result,
        renewal: v
            .contract
            .as_ref()
            .and_then(|c| c.renewal)
            .filter(|_| !ctx.distrusted.renewal()),
        findings: findings.result,
        exceptions: exceptions.result,
        status: verdict.status,
        decision,
        reasons: verdict.reasons,
        worst_artifact,
        counts,
        partial: v.is_partial(),
        left_out: v.left_out.clone(),
    };
    (assessment, verdict.diagnostics)
}
