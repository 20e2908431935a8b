//! Assess stage: a validated `Registry` and a date in, per-vendor assessments
//! and located diagnostics out, computed for each vendor in parallel.
//!
//! Every rule reads its numbers from the registry's policy files (tiers.toml,
//! artifact-kinds.toml, questionnaire.toml, vetted.toml); nothing here is a
//! hospital's policy, only the mechanics of applying one.

use std::collections::BTreeMap;

use jiff::Span;
use rayon::prelude::*;
use serde::Serialize;

use crate::diag::{Code, Diagnostic, Severity};
use crate::model::*;

#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    pub today: Date,
    /// Same order as `Registry::vendors` (by slug).
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
    pub review: ReviewState,
    pub findings: Vec<FindingState>,
    pub exceptions: Vec<ExceptionState>,
    pub status: ComplianceStatus,
    /// Why the status is what it is: the message of every unaccepted problem, worst first.
    pub reasons: Vec<Reason>,
    /// The worst status among required evidence and listed artifacts.
    pub worst_artifact: ArtifactStatus,
    pub counts: Counts,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub red_flags: usize,
    pub open_findings: usize,
    pub overdue_findings: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Reason {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ComplianceStatus {
    Compliant,
    Attention,
    NonCompliant,
}

impl ComplianceStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Compliant => "Compliant",
            Self::Attention => "Needs attention",
            Self::NonCompliant => "Non-compliant",
        }
    }
}

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

/// Ordered from best to worst so `max` gives the worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ArtifactStatus {
    /// Replaced by a newer artifact of the same kind; kept for the record.
    Superseded,
    Valid,
    Expiring,
    /// Accepted only for another vendor status (SOC 2 Type I for a live vendor).
    NotAccepted,
    /// Describes a product version other than the one in use.
    Stale,
    Expired,
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
            Self::Missing => "missing",
        }
    }
    fn satisfies(self) -> bool {
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

#[derive(Debug, Clone, Serialize)]
pub struct Requirement {
    pub kind: String,
    pub kind_title: String,
    /// The product the evidence must cover, or none for vendor-wide evidence.
    pub product: Option<String>,
    /// Index of the artifact that satisfies it.
    pub satisfied_by: Option<usize>,
    pub status: ArtifactStatus,
    pub accepted_by: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuestionRef {
    pub section: String,
    pub question: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RaisedFlag {
    pub section: String,
    pub question: String,
    pub severity: Severity,
    pub message: String,
    pub accepted_by: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReviewState {
    pub last_assessed: Option<Date>,
    pub next_due: Option<Date>,
    pub overdue: bool,
    /// A major change after the last assessment forces a review now.
    pub forced_by_major_change: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingState {
    pub id: String,
    pub overdue: bool,
    pub accepted_by: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExceptionStatus {
    Active,
    Expiring,
    Expired,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExceptionState {
    pub id: String,
    pub status: ExceptionStatus,
    pub days_left: i64,
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

/// Add months, clamping to the month's last day (2024-02-29 + 12 months = 2025-02-28).
pub fn add_months(d: Date, months: i64) -> Date {
    d.checked_add(Span::new().months(months))
        .unwrap_or(if months < 0 { Date::MIN } else { Date::MAX })
}

pub fn add_days(d: Date, days: i64) -> Date {
    d.checked_add(Span::new().days(days))
        .unwrap_or(if days < 0 { Date::MIN } else { Date::MAX })
}

/// Whole days from `a` to `b` (negative when `b` is earlier).
pub fn days_between(a: Date, b: Date) -> i64 {
    a.until(b).map(|s| s.get_days() as i64).unwrap_or(0)
}

pub fn assess(registry: &Registry, today: Date) -> Assessment {
    let results: Vec<(VendorAssessment, Vec<Diagnostic>)> = registry
        .vendors
        .par_iter()
        .map(|v| assess_vendor(registry, v, today))
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

/// When an artifact stops counting as evidence, and why; `None` if it never expires.
/// Returns (valid_until, basis, code to use when it lapses, rejected-bridge note).
fn validity(
    kind: &ArtifactKind,
    a: &Artifact,
) -> Result<(Option<Date>, String, Code, Option<String>), String> {
    let v = &kind.validity;
    let months = v.months.unwrap_or(12);
    let mut code = Code::ArtifactExpired;
    let mut bridge_note = None;
    let (mut until, mut basis) = match v.from {
        ValidFrom::PeriodEnd => {
            let Some(end) = a.period_end else {
                return Err(format!(
                    "{} needs period_end: validity counts from the end of the period it covers",
                    kind.title
                ));
            };
            let mut until = add_months(end, months);
            let mut basis = format!("{months} months after the period ending {end}");
            if let Some(bridge) = a.bridge_until
                && bridge > until
            {
                let max = v.bridge_max_months.unwrap_or(0);
                if bridge <= add_months(until, max) {
                    basis.push_str(&format!(", extended to {bridge} by a bridge letter"));
                    until = bridge;
                } else {
                    bridge_note = Some(format!(
                        "bridge letter to {bridge} extends {} beyond the {max}-month maximum; it is ignored",
                        kind.title
                    ));
                }
            }
            (Some(until), basis)
        }
        ValidFrom::Issued => {
            let Some(issued) = a.issued else {
                return Err(format!(
                    "{} needs issued: validity counts from the issue date",
                    kind.title
                ));
            };
            let mut until = add_months(issued, months);
            let mut basis = format!("{months} months from issue on {issued}");
            if let Some(window) = v.interim_window_days {
                let anniversary = add_months(issued, 12);
                let opens = add_days(anniversary, -window);
                match a.interim_completed {
                    Some(done) if done >= opens && done <= anniversary => {
                        basis.push_str(&format!(", interim assessment completed {done}"));
                    }
                    other => {
                        until = until.min(anniversary);
                        code = Code::InterimMissing;
                        basis = match other {
                            Some(done) => format!(
                                "first anniversary {anniversary}: the interim assessment of {done} is outside the {window} days before it"
                            ),
                            None => format!(
                                "first anniversary {anniversary}, unless an interim assessment is completed from {opens}"
                            ),
                        };
                    }
                }
            }
            if let Some(sm) = v.surveillance_months {
                let last = a.last_surveillance.unwrap_or(issued).max(issued);
                let surveillance_until = add_months(last, sm);
                if surveillance_until < until {
                    until = surveillance_until;
                    code = Code::SurveillanceOverdue;
                    basis = format!(
                        "surveillance audit of {last} is valid for {sm} months (certificate runs to {})",
                        add_months(issued, months)
                    );
                }
            }
            (Some(until), basis)
        }
        ValidFrom::Explicit => match a.expires {
            Some(e) => (Some(e), format!("expires {e}")),
            None => (None, "no expiry date".to_string()),
        },
        ValidFrom::None => (None, "does not expire by date".to_string()),
    };
    // An explicit expiry on any artifact can only shorten its life.
    if let Some(e) = a.expires
        && v.from != ValidFrom::Explicit
        && until.is_none_or(|u| e < u)
    {
        until = Some(e);
        basis = format!("expires {e} as stated on the artifact");
        code = Code::ArtifactExpired;
    }
    Ok((until, basis, code, bridge_note))
}

struct Acceptances<'a> {
    active: Vec<&'a Exception>,
}

impl Acceptances<'_> {
    fn by(&self, target: &Accepts) -> Option<String> {
        self.active
            .iter()
            .find(|e| &e.accepts == target)
            .map(|e| e.id.clone())
    }
}

fn assess_vendor(reg: &Registry, v: &Vendor, today: Date) -> (VendorAssessment, Vec<Diagnostic>) {
    let policy = &reg.settings;
    let (tier, rationale) = tier_of(&reg.tiers, &v.profile);
    let tier_def = reg.tiers.tier(tier);
    let tier_name = tier_def.map_or_else(|| format!("Tier {tier}"), |t| t.name.clone());
    let live = v.status != VendorStatus::Offboarded;
    let active = v.status == VendorStatus::Active;
    let mut diags: Vec<Diagnostic> = Vec::new();
    let name = &v.name;

    // Exceptions first: they decide what else is accepted.
    let mut exceptions = Vec::new();
    let mut acc = Acceptances { active: Vec::new() };
    for e in &v.exceptions {
        let days_left = days_between(today, e.expires);
        let status = if e.expires < today {
            diags.push(
                Diagnostic::new(
                    Code::ExceptionExpired,
                    e.expires_loc.clone(),
                    format!(
                        "{name}: exception {} ({}) expired on {}",
                        e.id, e.accepts, e.expires
                    ),
                )
                .help("renew it with a new approval and expiry, or resolve what it accepted"),
            );
            ExceptionStatus::Expired
        } else if days_left <= policy.exception_warning_days {
            diags.push(
                Diagnostic::new(
                    Code::ExceptionExpiring,
                    e.expires_loc.clone(),
                    format!(
                        "{name}: exception {} ({}) expires in {days_left} days",
                        e.id, e.accepts
                    ),
                )
                .help("plan the remediation or a renewed approval"),
            );
            acc.active.push(e);
            ExceptionStatus::Expiring
        } else {
            acc.active.push(e);
            ExceptionStatus::Active
        };
        exceptions.push(ExceptionState {
            id: e.id.clone(),
            status,
            days_left,
        });
    }
    let accepted_note = |d: Diagnostic, by: &Option<String>| -> Diagnostic {
        match by {
            // Still reported, under its own code, so reviewers see what was accepted.
            Some(id) => Diagnostic {
                severity: Severity::Note,
                code: Code::Accepted.id(),
                message: format!("{} [{} accepted by exception {id}]", d.message, d.code),
                ..d
            },
            None => d,
        }
    };

    // Artifacts
    let mut artifacts: Vec<ArtifactAssessment> = Vec::new();
    let mut pending: Vec<(usize, Diagnostic)> = Vec::new();
    for a in &v.artifacts {
        let Some(kind) = reg.kinds.get(&a.kind) else {
            continue;
        };
        let accepted_by = acc.by(&Accepts::Artifact(a.kind.clone()));
        let (until, basis, lapse_code, bridge_note) = match validity(kind, a) {
            Ok(x) => x,
            Err(msg) => {
                let field = if kind.validity.from == ValidFrom::PeriodEnd {
                    ArtifactField::PeriodEnd
                } else {
                    ArtifactField::Issued
                };
                diags.push(
                    Diagnostic::new(
                        Code::ArtifactUndated,
                        a.field_loc(field),
                        format!("{name}: {msg}"),
                    )
                    .help(format!("add {field} = YYYY-MM-DD to the artifact")),
                );
                artifacts.push(ArtifactAssessment {
                    index: a.index,
                    kind: a.kind.clone(),
                    status: ArtifactStatus::Expired,
                    valid_until: None,
                    days_left: None,
                    basis: msg,
                    accepted_by,
                });
                continue;
            }
        };
        if let Some(note) = bridge_note {
            diags.push(Diagnostic::new(Code::BridgeRejected, a.field_loc(ArtifactField::BridgeUntil), format!("{name}: {note}")).help(format!(
                "a bridge letter may extend a report by at most {} months; obtain the new report",
                kind.validity.bridge_max_months.unwrap_or(0)
            )));
        }
        let days_left = until.map(|u| days_between(today, u));
        let mut status = status_on(until, today, policy.expiry_warning_days);
        if !kind.accepted_for_status.is_empty() && !kind.accepted_for_status.contains(&v.status) {
            status = ArtifactStatus::NotAccepted;
        }
        if kind.version_bound
            && let Some(version) = &a.version
        {
            let stale: Vec<&Product> = v
                .products
                .iter()
                .filter(|p| {
                    (a.covers.is_empty() || a.covers.contains(&p.name)) && &p.version != version
                })
                .collect();
            if !stale.is_empty() && status != ArtifactStatus::NotAccepted {
                status = ArtifactStatus::Stale;
                let p = stale[0];
                pending.push((
                    a.index,
                    Diagnostic::new(
                        Code::ArtifactStale,
                        a.field_loc(ArtifactField::Version),
                        format!(
                            "{name}: {} describes {} {version}, but version {} is in use",
                            kind.title, p.name, p.version
                        ),
                    )
                    .help(format!(
                        "ask the vendor for the {} of {} {} and add it",
                        kind.title, p.name, p.version
                    )),
                ));
            }
        }
        match status {
            ArtifactStatus::Expired => pending.push((
                a.index,
                Diagnostic::new(
                    lapse_code,
                    a.field_loc(if kind.validity.from == ValidFrom::PeriodEnd {
                        ArtifactField::PeriodEnd
                    } else if a.expires.is_some() {
                        ArtifactField::Expires
                    } else {
                        ArtifactField::Issued
                    }),
                    format!(
                        "{name}: {} \"{}\" expired on {} ({basis})",
                        kind.title,
                        a.title,
                        until.map_or("-".into(), |u| u.to_string())
                    ),
                )
                .help("request the current report or certificate and add it as a new artifact"),
            )),
            ArtifactStatus::Expiring => pending.push((
                a.index,
                Diagnostic::new(
                    Code::ArtifactExpiring,
                    a.field_loc(if kind.validity.from == ValidFrom::PeriodEnd {
                        ArtifactField::PeriodEnd
                    } else if a.expires.is_some() {
                        ArtifactField::Expires
                    } else {
                        ArtifactField::Issued
                    }),
                    format!(
                        "{name}: {} \"{}\" expires on {} ({} days)",
                        kind.title,
                        a.title,
                        until.map_or("-".into(), |u| u.to_string()),
                        days_left.unwrap_or(0)
                    ),
                )
                .help("request the next report now so evidence does not lapse"),
            )),
            ArtifactStatus::NotAccepted => pending.push((
                a.index,
                Diagnostic::new(
                    Code::ArtifactNotAccepted,
                    a.field_loc(ArtifactField::Kind),
                    format!(
                        "{name}: a {} is accepted only for {} vendors; this vendor is {}",
                        kind.title,
                        kind.accepted_for_status
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(" or "),
                        v.status.as_str()
                    ),
                )
                .help(kind.substitutes.as_ref().map_or(
                    "replace it with accepted evidence".to_string(),
                    |s| {
                        format!(
                            "obtain a {} instead",
                            reg.kinds.get(s).map_or(s.as_str(), |k| k.title.as_str())
                        )
                    },
                )),
            )),
            _ => {}
        }
        artifacts.push(ArtifactAssessment {
            index: a.index,
            kind: a.kind.clone(),
            status,
            valid_until: until,
            days_left,
            basis,
            accepted_by,
        });
    }
    // An older artifact of a kind is superseded when a newer one of that kind
    // covers the same products and is in better standing.
    for i in 0..artifacts.len() {
        let (ai, a_art) = (&artifacts[i], &v.artifacts[i]);
        if !matches!(ai.status, ArtifactStatus::Expired | ArtifactStatus::Stale) {
            continue;
        }
        let newer = artifacts.iter().zip(&v.artifacts).any(|(b, b_art)| {
            b.kind == ai.kind
                && b.status.satisfies()
                && (b_art.covers.is_empty()
                    || a_art.covers.iter().all(|c| b_art.covers.contains(c)))
        });
        if newer {
            let index = ai.index;
            artifacts[i].status = ArtifactStatus::Superseded;
            pending.retain(|(idx, _)| *idx != index);
        }
    }
    if live {
        for (idx, d) in pending {
            let by = artifacts
                .iter()
                .find(|a| a.index == idx)
                .and_then(|a| a.accepted_by.clone());
            diags.push(accepted_note(d, &by));
        }
    }

    // Requirements: kinds the tier (and profile) require, per product.
    let mut requirements = Vec::new();
    if live {
        for kind in reg.kinds.values() {
            let required = kind.required_for.contains(&tier)
                && kind
                    .required_when
                    .iter()
                    .all(|(f, values)| v.profile.get(f).is_some_and(|x| values.contains(x)));
            if !required {
                continue;
            }
            // Per-product kinds need evidence covering each product; an artifact
            // with no `covers` is vendor-wide and covers them all.
            let products: Vec<Option<&Product>> = if v.products.is_empty() || !kind.per_product {
                vec![None]
            } else {
                v.products.iter().map(Some).collect()
            };
            for product in products {
                let candidates: Vec<(&Artifact, &ArtifactAssessment)> = v
                    .artifacts
                    .iter()
                    .zip(&artifacts)
                    .filter(|(a, _)| {
                        a.kind == kind.id
                            || reg.kinds.get(&a.kind).and_then(|k| k.substitutes.as_ref())
                                == Some(&kind.id)
                    })
                    .filter(|(a, _)| {
                        product.is_none_or(|p| a.covers.is_empty() || a.covers.contains(&p.name))
                    })
                    .collect();
                let best = candidates
                    .iter()
                    .filter(|(_, s)| s.status.satisfies())
                    .min_by_key(|(_, s)| s.status);
                let accepted_by = acc.by(&Accepts::Artifact(kind.id.clone()));
                let (satisfied_by, status) = match best {
                    Some((a, s)) => (Some(a.index), s.status),
                    None => {
                        let worst_listed = candidates
                            .iter()
                            .map(|(_, s)| s.status)
                            .filter(|s| *s != ArtifactStatus::Superseded)
                            .max();
                        // An expired or stale artifact already has its own diagnostic.
                        if worst_listed.is_none()
                            || worst_listed == Some(ArtifactStatus::NotAccepted)
                        {
                            let what = product.map_or_else(
                                || name.to_string(),
                                |p| format!("{} {}", p.name, p.version),
                            );
                            let d = Diagnostic::new(
                                Code::ArtifactMissing,
                                v.locs.artifacts_file.clone(),
                                format!("{name}: tier {tier} requires a valid {} for {what}; none is on file", kind.title),
                            )
                            .help(format!("add an [[artifact]] with kind = \"{}\"{}", kind.id, product.map_or(String::new(), |p| format!(" and covers = [\"{}\"]", p.name))));
                            diags.push(accepted_note(d, &accepted_by));
                        }
                        let status = match worst_listed {
                            Some(s @ (ArtifactStatus::Expired | ArtifactStatus::Stale)) => s,
                            _ => ArtifactStatus::Missing,
                        };
                        (None, status)
                    }
                };
                requirements.push(Requirement {
                    kind: kind.id.clone(),
                    kind_title: kind.title.clone(),
                    product: product.map(|p| p.name.clone()),
                    satisfied_by,
                    status,
                    accepted_by,
                });
            }
        }
    }

    // Red flags and required questions.
    let mut red_flags = Vec::new();
    let mut unanswered = Vec::new();
    let tier_sections: &[String] = tier_def.map_or(&[], |t| &t.sections);
    if live {
        for section in &reg.questionnaire.sections {
            let in_scope = tier_sections.contains(&section.id);
            for q in &section.questions {
                let answer = v.answers.get(&section.id).and_then(|s| s.get(&q.id));
                let loc = answer.map_or_else(|| v.locs.answers_file.clone(), |a| a.loc.clone());
                for rule in &q.red_flags {
                    if !raises(&rule.condition, answer.map(|a| &a.value), today, in_scope) {
                        continue;
                    }
                    let accepted_by = acc.by(&Accepts::RedFlag {
                        section: section.id.clone(),
                        question: q.id.clone(),
                    });
                    let d = Diagnostic::new(
                        Code::RedFlag,
                        loc.clone(),
                        format!("{name}: {}", rule.message),
                    )
                    .severity(rule.severity)
                    .help(format!(
                        "{}.{}: {}",
                        section.id,
                        q.id,
                        first_sentence(&q.guidance)
                    ));
                    diags.push(accepted_note(d, &accepted_by));
                    red_flags.push(RaisedFlag {
                        section: section.id.clone(),
                        question: q.id.clone(),
                        severity: rule.severity,
                        message: rule.message.clone(),
                        accepted_by,
                    });
                }
                if in_scope && answer.is_none() && q.required_for.contains(&tier) {
                    let accepted_by = acc.by(&Accepts::Question {
                        section: section.id.clone(),
                        question: q.id.clone(),
                    });
                    let d = Diagnostic::new(
                        Code::Unanswered,
                        v.locs.answers_file.clone(),
                        format!(
                            "{name}: tier {tier} requires an answer to {}.{}",
                            section.id, q.id
                        ),
                    )
                    .help(format!(
                        "add `{} = ...` under [{}]: {}",
                        q.id, section.id, q.prompt
                    ));
                    diags.push(accepted_note(d, &accepted_by));
                    unanswered.push(QuestionRef {
                        section: section.id.clone(),
                        question: q.id.clone(),
                    });
                }
            }
        }
    }

    // Contract
    if active {
        match &v.contract {
            None => diags.push(
                Diagnostic::new(
                    Code::NoContract,
                    v.locs.vendor_file.clone(),
                    format!("{name} is active but has no [contract] on record"),
                )
                .help("record the contract's dates and security terms under [contract]"),
            ),
            Some(c) => {
                let phi = v.profile.get("phi_access").filter(|x| *x != "none");
                if let Some(phi) = phi
                    && c.baa != Some(true)
                {
                    diags.push(
                        Diagnostic::new(
                            Code::NoBaa,
                            v.locs.baa.clone(),
                            format!("{name} accesses PHI ({}) but the contract has no BAA", phi),
                        )
                        .help("sign a business associate agreement and set baa = true"),
                    );
                }
                match c.breach_notification_hours {
                    Some(h) if h > policy.max_breach_notification_hours => diags.push(
                        Diagnostic::new(
                            Code::SlowBreachNotice,
                            v.locs.breach_notification_hours.clone(),
                            format!("{name}: breach notification within {h} hours exceeds the policy maximum of {} hours", policy.max_breach_notification_hours),
                        )
                        .help("negotiate a notification SLA within policy, or record an exception"),
                    ),
                    None => diags.push(
                        Diagnostic::new(Code::SlowBreachNotice, v.locs.contract.clone(), format!("{name}: the contract sets no firm breach notification timeline"))
                            .help(format!("add breach_notification_hours (policy: at most {})", policy.max_breach_notification_hours)),
                    ),
                    _ => {}
                }
                if let Some(t) = tier_def {
                    if t.require_audit_rights && c.audit_rights != Some(true) {
                        diags.push(
                            Diagnostic::new(
                                Code::NoAuditRights,
                                v.locs.audit_rights.clone(),
                                format!(
                                    "{name}: tier {tier} requires audit rights in the contract"
                                ),
                            )
                            .help("add an audit-rights clause and set audit_rights = true"),
                        );
                    }
                    if t.require_time_bound_remote_access {
                        let remote = v.profile.get("remote_access").map(String::as_str);
                        if remote == Some("always-on") {
                            diags.push(
                                Diagnostic::new(
                                    Code::AlwaysOnRemoteAccess,
                                    v.locs.profile.get("remote_access").cloned().unwrap_or_else(|| v.locs.vendor_file.clone()),
                                    format!("{name}: tier {tier} requires time-bound vendor remote access, not always-on"),
                                )
                                .help("move the vendor to time-limited, ticket-approved, logged sessions"),
                            );
                        } else if remote.is_some_and(|r| r != "none")
                            && c.secure_remote_access != Some(true)
                        {
                            diags.push(
                                Diagnostic::new(Code::AlwaysOnRemoteAccess, v.locs.contract.clone(), format!("{name}: the contract does not require secure, time-bound remote access"))
                                    .help("add the remote-access clause and set secure_remote_access = true"),
                            );
                        }
                    }
                }
                if let Some(r) = c.renewal
                    && r < today
                {
                    diags.push(
                        Diagnostic::new(
                            Code::RenewalPast,
                            v.locs.renewal.clone(),
                            format!("{name}: contract renewal date {r} has passed"),
                        )
                        .help("record the renewed contract's dates, or offboard the vendor"),
                    );
                }
            }
        }
        for p in &v.products {
            if let Some(eos) = p.end_of_support
                && eos < today
            {
                diags.push(
                    Diagnostic::new(Code::EndOfSupport, p.end_of_support_loc.clone(), format!("{name}: {} {} reached end of support on {eos}", p.name, p.version))
                        .help("plan the upgrade or replacement; unsupported devices get no security patches"),
                );
            }
        }
    }

    // Reviews
    let interval = tier_def.map_or(12, |t| t.review_months);
    let last = v.review.last_assessed;
    let forced = matches!((v.review.major_change, last), (Some(m), Some(l)) if m > l)
        || (v.review.major_change.is_some() && last.is_none());
    let mut next_due = last.map(|l| add_months(l, interval));
    if forced {
        next_due = v
            .review
            .major_change
            .max(last)
            .min(next_due.or(v.review.major_change));
    }
    let overdue = live && next_due.is_some_and(|d| d < today);
    if live {
        match (last, next_due) {
            (None, _) => diags.push(
                Diagnostic::new(
                    Code::NeverAssessed,
                    v.locs.review.clone(),
                    format!("{name} has never been assessed"),
                )
                .help("record review.last_assessed and review.assessor after the first assessment"),
            ),
            (Some(l), Some(due)) => {
                if forced {
                    diags.push(
                        Diagnostic::new(
                            Code::MajorChange,
                            v.locs.major_change.clone(),
                            format!("{name}: a major change on {} came after the last assessment on {l}", v.review.major_change.map_or("-".into(), |m| m.to_string())),
                        )
                        .help("reassess the vendor, then set review.last_assessed"),
                    );
                } else if due < today {
                    diags.push(
                        Diagnostic::new(
                            Code::ReviewOverdue,
                            v.locs.last_assessed.clone(),
                            format!("{name}: reassessment was due on {due} (tier {tier}: every {interval} months since {l})"),
                        )
                        .help("reassess the vendor, then update review.last_assessed"),
                    );
                } else if days_between(today, due) <= 30 {
                    diags.push(
                        Diagnostic::new(
                            Code::ReviewDueSoon,
                            v.locs.last_assessed.clone(),
                            format!("{name}: reassessment due on {due}"),
                        )
                        .help("schedule the review"),
                    );
                }
            }
            _ => {}
        }
    }

    // Findings
    let mut findings = Vec::new();
    for f in &v.findings {
        let overdue = f.open && f.due.is_some_and(|d| d < today);
        let accepted_by = acc.by(&Accepts::Finding(f.id.clone()));
        if overdue && live {
            let d = Diagnostic::new(
                Code::FindingOverdue,
                f.due_loc.clone(),
                format!("{name}: finding {} ({}) \"{}\" was due on {}", f.id, format!("{:?}", f.severity).to_lowercase(), f.title, f.due.map_or("-".into(), |d| d.to_string())),
            )
            .help("close it (status = \"closed\", closed = date), move the due date with a reason, or record an exception");
            diags.push(accepted_note(d, &accepted_by));
        }
        findings.push(FindingState {
            id: f.id.clone(),
            overdue,
            accepted_by,
        });
    }

    crate::diag::sort(&mut diags);
    let mut reasons: Vec<Reason> = diags
        .iter()
        .filter(|d| d.severity >= Severity::Warning)
        .map(|d| Reason {
            severity: d.severity,
            code: d.code,
            message: sentence(
                d.message
                    .strip_prefix(&format!("{name}: "))
                    .unwrap_or(&d.message),
            ),
        })
        .collect();
    reasons.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.code.cmp(b.code)));
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    let status = if errors > 0 {
        ComplianceStatus::NonCompliant
    } else if warnings > 0 {
        ComplianceStatus::Attention
    } else {
        ComplianceStatus::Compliant
    };
    let worst_artifact = requirements
        .iter()
        .map(|r| r.status)
        .chain(artifacts.iter().map(|a| a.status))
        .max()
        .unwrap_or(ArtifactStatus::Valid)
        .max(ArtifactStatus::Valid);
    let counts = Counts {
        errors,
        warnings,
        red_flags: red_flags.iter().filter(|f| f.accepted_by.is_none()).count(),
        open_findings: v.findings.iter().filter(|f| f.open).count(),
        overdue_findings: findings.iter().filter(|f| f.overdue).count(),
    };
    let review = ReviewState {
        last_assessed: last,
        next_due,
        overdue: overdue || (live && forced),
        forced_by_major_change: forced,
    };
    (
        VendorAssessment {
            slug: v.slug.clone(),
            tier,
            tier_name,
            rationale,
            artifacts,
            requirements,
            red_flags,
            unanswered,
            review,
            findings,
            exceptions,
            status,
            reasons,
            worst_artifact,
            counts,
        },
        diags,
    )
}

/// Whether a rule raises a red flag for this answer. `Missing` only counts for
/// sections the vendor's tier requires.
pub fn raises(c: &Condition, answer: Option<&AnswerValue>, today: Date, in_scope: bool) -> bool {
    match (c, answer) {
        (Condition::Missing, None) => in_scope,
        (Condition::Missing, Some(_)) | (_, None) => false,
        (Condition::Equals(s), Some(a)) => match (s, a) {
            (Scalar::Bool(x), AnswerValue::Bool(y)) => x == y,
            (Scalar::Int(x), AnswerValue::Integer(y)) => x == y,
            (Scalar::Str(x), AnswerValue::Text(y)) => x == y,
            _ => false,
        },
        (Condition::LessThan(n), Some(AnswerValue::Integer(i))) => i < n,
        (Condition::GreaterThan(n), Some(AnswerValue::Integer(i))) => i > n,
        (Condition::OlderThanMonths(m), Some(AnswerValue::Date(d))) => add_months(*d, *m) < today,
        (Condition::Contains(x), Some(AnswerValue::List(items))) => items.contains(x),
        (Condition::NotContains(x), Some(AnswerValue::List(items))) => !items.contains(x),
        _ => false,
    }
}

/// A reason shown on its own starts with a capital letter.
fn sentence(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn first_sentence(s: &str) -> &str {
    let s = s.trim();
    match s.find(". ") {
        Some(i) => &s[..=i],
        None => s,
    }
}

/// The last valid day of an artifact as written in a raw file (history uses
/// this to report "valid until moved"). `None` when it does not expire or
/// cannot be dated.
pub fn valid_until_raw(kind: &ArtifactKind, raw: &crate::model::raw::RawArtifact) -> Option<Date> {
    let date = |d: &Option<toml::value::Datetime>| {
        d.as_ref()
            .and_then(|d| d.date)
            .and_then(|d| Date::new(d.year as i16, d.month as i8, d.day as i8).ok())
    };
    let path: std::sync::Arc<str> = "".into();
    let a = Artifact {
        index: 0,
        kind: raw.kind.clone(),
        title: raw.title.clone(),
        issued: date(&raw.issued),
        period_end: date(&raw.period_end),
        expires: date(&raw.expires),
        scope: None,
        covers: vec![],
        version: raw.version.clone(),
        link: None,
        file: None,
        sha256: None,
        bridge_until: date(&raw.bridge_until),
        last_surveillance: date(&raw.last_surveillance),
        interim_completed: date(&raw.interim_completed),
        notes: None,
        loc: crate::diag::Loc::file(&path),
        field_locs: Vec::new(),
    };
    validity(kind, &a).ok().and_then(|(until, ..)| until)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::diag::Loc;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn kind(from: ValidFrom, months: Option<i64>) -> ArtifactKind {
        ArtifactKind {
            id: "k".into(),
            title: "Kind".into(),
            description: None,
            validity: Validity {
                from,
                months,
                bridge_max_months: None,
                surveillance_months: None,
                interim_window_days: None,
            },
            required_for: vec![],
            required_when: vec![],
            substitutes: None,
            accepted_for_status: vec![],
            version_bound: false,
            per_product: false,
        }
    }

    fn artifact() -> Artifact {
        let path: Arc<str> = "a.toml".into();
        Artifact {
            index: 0,
            kind: "k".into(),
            title: "T".into(),
            issued: None,
            period_end: None,
            expires: None,
            scope: None,
            covers: vec![],
            version: None,
            link: None,
            file: None,
            sha256: None,
            bridge_until: None,
            last_surveillance: None,
            interim_completed: None,
            notes: None,
            loc: Loc::file(&path),
            field_locs: Vec::new(),
        }
    }

    fn until(k: &ArtifactKind, a: &Artifact) -> Option<Date> {
        validity(k, a).unwrap().0
    }

    #[test]
    fn months_clamp_to_the_end_of_the_month() {
        assert_eq!(add_months(d("2024-02-29"), 12), d("2025-02-28"));
        assert_eq!(add_months(d("2024-02-29"), 48), d("2028-02-29"));
        assert_eq!(add_months(d("2025-01-31"), 1), d("2025-02-28"));
        assert_eq!(add_months(d("2024-01-31"), 1), d("2024-02-29"));
        assert_eq!(add_months(d("2025-08-31"), 1), d("2025-09-30"));
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

    #[test]
    fn soc2_counts_from_the_period_end_not_the_issue_date() {
        let k = kind(ValidFrom::PeriodEnd, Some(12));
        let mut a = artifact();
        a.issued = Some(d("2025-09-15"));
        a.period_end = Some(d("2025-06-30"));
        assert_eq!(until(&k, &a), Some(d("2026-06-30")));
        a.period_end = None;
        assert!(
            validity(&k, &a).is_err(),
            "a report without period_end cannot be dated"
        );
    }

    #[test]
    fn bridge_letters_extend_by_at_most_the_policy_maximum() {
        let mut k = kind(ValidFrom::PeriodEnd, Some(12));
        k.validity.bridge_max_months = Some(3);
        let mut a = artifact();
        a.period_end = Some(d("2025-06-30"));
        a.bridge_until = Some(d("2026-09-30"));
        let (u, _, _, note) = validity(&k, &a).unwrap();
        assert_eq!((u, note), (Some(d("2026-09-30")), None));
        // One day past three months: rejected, validity unchanged.
        a.bridge_until = Some(d("2026-10-01"));
        let (u, _, _, note) = validity(&k, &a).unwrap();
        assert_eq!(u, Some(d("2026-06-30")));
        assert!(note.is_some());
        // Four months: rejected.
        a.bridge_until = Some(d("2026-10-31"));
        let (u, _, _, note) = validity(&k, &a).unwrap();
        assert_eq!(u, Some(d("2026-06-30")));
        assert!(note.unwrap().contains("3-month maximum"));
        // A bridge that ends before the report's own expiry changes nothing.
        a.bridge_until = Some(d("2026-05-01"));
        assert_eq!(until(&k, &a), Some(d("2026-06-30")));
    }

    #[test]
    fn iso27001_needs_a_recent_surveillance_audit() {
        let mut k = kind(ValidFrom::Issued, Some(36));
        k.validity.surveillance_months = Some(12);
        let mut a = artifact();
        a.issued = Some(d("2024-01-15"));
        let (u, _, code, _) = validity(&k, &a).unwrap();
        assert_eq!(
            (u, code),
            (Some(d("2025-01-15")), Code::SurveillanceOverdue)
        );
        a.last_surveillance = Some(d("2025-01-10"));
        assert_eq!(until(&k, &a), Some(d("2026-01-10")));
        // Never beyond the certificate's three years.
        a.last_surveillance = Some(d("2026-06-01"));
        let (u, _, code, _) = validity(&k, &a).unwrap();
        assert_eq!((u, code), (Some(d("2027-01-15")), Code::ArtifactExpired));
    }

    #[test]
    fn hitrust_r2_interim_window_edges() {
        let mut k = kind(ValidFrom::Issued, Some(24));
        k.validity.interim_window_days = Some(90);
        let mut a = artifact();
        a.issued = Some(d("2024-03-01"));
        // The window is the 90 days before the first anniversary (2025-03-01): from 2024-12-01.
        for (interim, expected) in [
            (None, "2025-03-01"),
            (Some("2024-11-30"), "2025-03-01"),
            (Some("2024-12-01"), "2026-03-01"),
            (Some("2025-03-01"), "2026-03-01"),
            (Some("2025-03-02"), "2025-03-01"),
        ] {
            a.interim_completed = interim.map(d);
            assert_eq!(until(&k, &a), Some(d(expected)), "interim {interim:?}");
        }
        a.interim_completed = None;
        assert_eq!(validity(&k, &a).unwrap().2, Code::InterimMissing);
    }

    #[test]
    fn explicit_and_undated_kinds() {
        let k = kind(ValidFrom::Explicit, None);
        let mut a = artifact();
        assert_eq!(until(&k, &a), None);
        a.expires = Some(d("2027-01-01"));
        assert_eq!(until(&k, &a), Some(d("2027-01-01")));
        let none = kind(ValidFrom::None, None);
        assert_eq!(until(&none, &artifact()), None);
        // An explicit expiry shortens a computed one, never lengthens it.
        let pentest = kind(ValidFrom::PeriodEnd, Some(12));
        let mut p = artifact();
        p.period_end = Some(d("2025-10-31"));
        p.expires = Some(d("2026-12-31"));
        assert_eq!(until(&pentest, &p), Some(d("2026-10-31")));
        p.expires = Some(d("2026-05-31"));
        assert_eq!(until(&pentest, &p), Some(d("2026-05-31")));
    }

    #[test]
    fn red_flag_rules() {
        let today = d("2026-11-22");
        let b = AnswerValue::Bool(false);
        assert!(raises(
            &Condition::Equals(Scalar::Bool(false)),
            Some(&b),
            today,
            true
        ));
        assert!(!raises(
            &Condition::Equals(Scalar::Bool(true)),
            Some(&b),
            today,
            true
        ));
        assert!(raises(&Condition::Missing, None, today, true));
        assert!(
            !raises(&Condition::Missing, None, today, false),
            "missing only counts in the tier's sections"
        );
        let h = AnswerValue::Integer(72);
        assert!(!raises(&Condition::GreaterThan(72), Some(&h), today, true));
        assert!(raises(&Condition::GreaterThan(71), Some(&h), today, true));
        assert!(!raises(&Condition::LessThan(72), Some(&h), today, true));
        assert!(raises(&Condition::LessThan(73), Some(&h), today, true));
        // older_than_months: the day 12 months after is not older; the day after is.
        assert!(!raises(
            &Condition::OlderThanMonths(12),
            Some(&AnswerValue::Date(d("2025-11-22"))),
            today,
            true
        ));
        assert!(raises(
            &Condition::OlderThanMonths(12),
            Some(&AnswerValue::Date(d("2025-11-21"))),
            today,
            true
        ));
        let l = AnswerValue::List(vec!["nvd".into(), "cisa-kev".into()]);
        assert!(raises(
            &Condition::Contains("nvd".into()),
            Some(&l),
            today,
            true
        ));
        assert!(raises(
            &Condition::NotContains("vendor-feeds".into()),
            Some(&l),
            today,
            true
        ));
        assert!(!raises(
            &Condition::NotContains("nvd".into()),
            Some(&l),
            today,
            true
        ));
        assert!(
            !raises(&Condition::NotContains("nvd".into()), None, today, true),
            "unanswered is `missing`, not not_contains"
        );
    }

    fn policy() -> TierPolicy {
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
        };
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
}
