//! `index.html`: the dashboard, action first. The vendors needing action,
//! ranked (`action`); headline numbers, each opening the pre-filtered list
//! it counts (URL-hash filters); vendors per tier, decision and status; the
//! portfolio questions (`questions`); and capped lists of what needs action
//! (expiring and expired evidence, missing evidence, overdue reviews, open
//! findings, exceptions, red flags), each with its vendor's tier and a link
//! to the full list.

mod action;
mod questions;

use std::collections::BTreeMap;

use crate::assess::{ArtifactAssessment, ArtifactStatus, ComplianceStatus, ExceptionStatus};
use crate::model::{Artifact, ClosedSet, Decision};
use crate::render::assessed::Assessed;
use crate::render::badge::{
    artifact_badge, compliance_badge, decision_badge, exception_badge, open_badge, severity_badge,
};
use crate::render::chart;
use crate::render::link::{accepted, accepts_href, anchor, question_anchor, vendor_link};
use crate::render::model::Model;
use crate::render::page::{Page, Target};
use crate::render::pages::findings;
use crate::render::text::month_label;
use crate::render::timeline::{RECENT_CHANGES, site_history};
use crate::render::view::{
    ArtifactRef, Capped, DashboardPage, ExceptionRef, ExpiryWindow, FlagRef, NavSection,
    RequirementRef, ReviewRef, StatCard, StatusCount, TierCount, TieredFinding, Tone,
};
use action::filtered;
use questions::{EVIDENCE, PRODUCTS};

const VENDORS: &str = "vendors/index.html";
const FINDINGS: &str = "findings/index.html";

pub struct Dashboard;

impl Page for Dashboard {
    type Data = DashboardPage;
    const TEMPLATE: &'static str = "index.html";
    const SECTION: NavSection = NavSection::Dashboard;
    const KEY: &'static str = "dashboard";

    fn target<'m>(&self, _: &'m Model, _: usize) -> Target<'m> {
        Target::fixed("index.html", "Dashboard")
    }

    fn data(&self, model: &Model, _: usize) -> DashboardPage {
        let live: Vec<&Assessed> = model.live().collect();
        let tiers = tier_counts(model, &live);
        let current = current_artifacts(model, &live);
        let expiring = expiring(&current);
        let expired = expired(&current);
        let overdue_reviews = overdue_reviews(model, &live);
        let open_findings = open_findings(model);
        let overdue_findings = open_findings.iter().filter(|f| f.finding.overdue).count();
        let red_flags = red_flags(model, &live);
        let (action, action_lists) = action::action(model, &live);
        DashboardPage {
            cards: cards(&headline(model, &live, &open_findings, &red_flags)),
            action,
            action_lists,
            questions: questions::questions(model, &live),
            tier_chart: chart::tier_chart(&tiers),
            expiry_chart: chart::expiry_chart(
                model.today,
                current.iter().filter_map(|(_, a)| a.valid_until),
            ),
            tiers,
            statuses: status_counts(&live),
            decisions: decision_counts(&live),
            expiring,
            expired: Capped::new(expired),
            missing: Capped::new(missing(model, &live)),
            overdue_reviews: Capped::new(overdue_reviews),
            open_findings: Capped::new(open_findings),
            overdue_findings,
            exceptions: Capped::new(exceptions(model)),
            red_flags: Capped::new(red_flags),
            history: site_history(model, RECENT_CHANGES),
        }
    }
}

/// Open findings (overdue first, as the findings page orders them), each
/// with its vendor's tier.
fn open_findings(model: &Model) -> Vec<TieredFinding> {
    let tiers: BTreeMap<&str, u8> = model
        .assessed()
        .iter()
        .map(|p| (p.vendor.slug.as_str(), p.assessment.tier))
        .collect();
    findings::rows(model)
        .into_iter()
        .filter(|f| f.open)
        .map(|f| TieredFinding {
            tier: model.tier(
                tiers
                    .get(f.vendor.slug.as_str())
                    .copied()
                    .unwrap_or_default(),
            ),
            finding: f,
        })
        .collect()
}

/// Live vendors per tier: every tier of tiers.toml (even with none) and
/// every tier a vendor has, tier 1 first.
fn tier_counts(model: &Model, live: &[&Assessed]) -> Vec<TierCount> {
    let mut tiers: Vec<TierCount> = model
        .all_tiers()
        .into_iter()
        .map(|t| {
            let def = model.registry.tiers.tier(t.level);
            TierCount {
                count: live.iter().filter(|p| p.assessment.tier == t.level).count(),
                description: def.and_then(|d| d.description.clone()),
                review_months: model.registry.tiers.review_months(t.level),
                href: filtered(VENDORS, &[("tier", &t.level.to_string())]),
                tier: t,
            }
        })
        .collect();
    tiers.sort_by_key(|t| t.tier.level);
    tiers
}

/// Live vendors per compliance status, worst first.
fn status_counts(live: &[&Assessed]) -> Vec<StatusCount> {
    [
        ComplianceStatus::NonCompliant,
        ComplianceStatus::Attention,
        ComplianceStatus::Compliant,
    ]
    .into_iter()
    .map(|s| {
        let status = compliance_badge(s);
        StatusCount {
            href: filtered(VENDORS, &[("status", &status.key)]),
            count: live.iter().filter(|p| p.assessment.status == s).count(),
            status,
        }
    })
    .collect()
}

/// Live vendors per decision, approved first, every decision listed.
fn decision_counts(live: &[&Assessed]) -> Vec<StatusCount> {
    Decision::ALL
        .iter()
        .map(|d| {
            let status = decision_badge(*d);
            StatusCount {
                href: filtered(VENDORS, &[("decision", &status.key)]),
                count: live
                    .iter()
                    .filter(|p| p.assessment.decision.value == *d)
                    .count(),
                status,
            }
        })
        .collect()
}

/// Artifacts of live vendors that still matter (not superseded).
fn current_artifacts<'a>(
    model: &Model,
    live: &[&'a Assessed],
) -> Vec<(ArtifactRef, &'a ArtifactAssessment)> {
    live.iter()
        .flat_map(|p| p.assessed_artifacts().map(move |(art, a)| (*p, art, a)))
        .filter(|(_, _, a)| a.status != ArtifactStatus::Superseded)
        .map(|(p, art, a)| (artifact_ref(model, p, art, a), a))
        .collect()
}

fn artifact_ref(
    model: &Model,
    p: &Assessed,
    art: &Artifact,
    a: &ArtifactAssessment,
) -> ArtifactRef {
    ArtifactRef {
        vendor: vendor_link(p.vendor),
        tier: model.tier(p.assessment.tier),
        title: art.title.clone(),
        kind_title: model.kind_title(&a.kind),
        status: artifact_badge(a.status),
        valid_until: a.valid_until.map(|d| d.to_string()),
        days_left: a.days_left,
        when: a.valid_until.map_or_else(String::new, |d| model.when(d)),
        href: format!("{}#artifact-{}", p.href, a.index),
    }
}

/// By end of validity, then vendor and title.
fn sort_by_date(list: &mut [ArtifactRef]) {
    list.sort_by(|a, b| {
        (&a.valid_until, a.vendor.name.to_lowercase(), &a.title).cmp(&(
            &b.valid_until,
            b.vendor.name.to_lowercase(),
            &b.title,
        ))
    });
}

/// Validity ending within 0–30, 31–60 and 61–90 days (expired ones left out).
fn expiring(current: &[(ArtifactRef, &ArtifactAssessment)]) -> Vec<ExpiryWindow> {
    [(0, 30), (31, 60), (61, 90)]
        .into_iter()
        .map(|(lo, hi)| {
            let mut items: Vec<ArtifactRef> = current
                .iter()
                .filter(|(_, a)| {
                    a.days_left.is_some_and(|d| d >= lo && d <= hi)
                        && a.status != ArtifactStatus::Expired
                })
                .map(|(r, _)| r.clone())
                .collect();
            sort_by_date(&mut items);
            ExpiryWindow {
                days: hi,
                label: if lo == 0 {
                    format!("Within {hi} days")
                } else {
                    format!("In {lo}–{hi} days")
                },
                artifacts: Capped::new(items),
            }
        })
        .collect()
}

fn expired(current: &[(ArtifactRef, &ArtifactAssessment)]) -> Vec<ArtifactRef> {
    let mut expired: Vec<ArtifactRef> = current
        .iter()
        .filter(|(_, a)| a.status == ArtifactStatus::Expired)
        .map(|(r, _)| r.clone())
        .collect();
    sort_by_date(&mut expired);
    expired
}

/// Required evidence of live vendors with nothing valid on file (a misdated
/// artifact gives no validity, so its requirement is listed too).
fn missing(model: &Model, live: &[&Assessed]) -> Vec<RequirementRef> {
    let mut missing = Vec::new();
    for p in live {
        for r in &p.assessment.requirements {
            if r.satisfied_by.is_none()
                && matches!(r.status, ArtifactStatus::Missing | ArtifactStatus::Misdated)
                && r.not_assessed.is_none()
            {
                missing.push(RequirementRef {
                    vendor: vendor_link(p.vendor),
                    tier: model.tier(p.assessment.tier),
                    kind_title: r.kind_title.clone(),
                    product: r.product.clone(),
                    status: artifact_badge(r.status),
                    accepted_by: accepted(p.vendor, r.accepted_by.as_ref()),
                    href: format!("{}#evidence", p.href),
                });
            }
        }
    }
    missing
}

/// Live vendors whose reassessment is overdue, longest overdue first.
fn overdue_reviews(model: &Model, live: &[&Assessed]) -> Vec<ReviewRef> {
    let mut reviews: Vec<ReviewRef> = live
        .iter()
        .filter(|p| p.assessment.review.overdue)
        .map(|p| {
            let r = &p.assessment.review;
            ReviewRef {
                vendor: vendor_link(p.vendor),
                tier: model.tier(p.assessment.tier),
                last_assessed: r.last_assessed.map(|d| d.to_string()),
                next_due: r.next_due.map(|d| d.to_string()),
                when: r
                    .next_due
                    .map_or_else(|| "never assessed".to_string(), |d| model.when(d)),
                forced_by_major_change: r.forced_by_major_change,
                href: format!("{}#review", p.href),
            }
        })
        .collect();
    reviews.sort_by(|a, b| {
        (&a.next_due, a.vendor.name.to_lowercase())
            .cmp(&(&b.next_due, b.vendor.name.to_lowercase()))
    });
    reviews
}

/// Exceptions of every vendor (offboarded too) that are expiring, expired
/// or not in force, soonest first.
fn exceptions(model: &Model) -> Vec<ExceptionRef> {
    let mut list = Vec::new();
    for p in model.assessed() {
        for (e, state) in p.assessed_exceptions() {
            if state.status == ExceptionStatus::Active {
                continue;
            }
            list.push(ExceptionRef {
                vendor: vendor_link(p.vendor),
                tier: model.tier(p.assessment.tier),
                id: e.id.clone(),
                accepts: model.accepts_text(&e.accepts),
                accepts_href: accepts_href(p.vendor, &e.accepts),
                expires: e.expires.to_string(),
                when: model.when(e.expires),
                status: exception_badge(state.status),
                href: format!("{}#{}", p.href, anchor("exception", &e.id)),
            });
        }
    }
    list.sort_by(|a, b| {
        (&a.expires, a.vendor.name.to_lowercase(), &a.id).cmp(&(
            &b.expires,
            b.vendor.name.to_lowercase(),
            &b.id,
        ))
    });
    list
}

/// Red flags of live vendors: unaccepted first, then worst first.
fn red_flags(model: &Model, live: &[&Assessed]) -> Vec<FlagRef> {
    let mut flags = Vec::new();
    for p in live {
        for f in &p.assessment.red_flags {
            flags.push(FlagRef {
                vendor: vendor_link(p.vendor),
                tier: model.tier(p.assessment.tier),
                severity: severity_badge(f.severity),
                message: f.message.clone(),
                section_title: model.section_title(&f.section),
                question: model.question_title(&f.section, &f.question),
                accepted_by: accepted(p.vendor, f.accepted_by.as_ref()),
                href: format!("{}#{}", p.href, question_anchor(&f.section, &f.question)),
            });
        }
    }
    flags.sort_by(|a, b| {
        (
            a.accepted_by.is_some(),
            std::cmp::Reverse(a.severity.rank),
            a.vendor.name.to_lowercase(),
            &a.message,
        )
            .cmp(&(
                b.accepted_by.is_some(),
                std::cmp::Reverse(b.severity.rank),
                b.vendor.name.to_lowercase(),
                &b.message,
            ))
    });
    flags
}

/// The numbers behind the headline cards, counted before lists are capped.
struct Headline {
    live: usize,
    offboarded: usize,
    not_approved: usize,
    non_compliant: usize,
    attention: usize,
    /// Required evidence of live vendors by status (the evidence page's cells).
    expired: usize,
    expiring: usize,
    missing: usize,
    misdated: usize,
    overdue_reviews: usize,
    open_findings: usize,
    overdue_findings: usize,
    unaccepted_flags: usize,
    accepted_flags: usize,
    eos: questions::EndOfSupport,
    next_month: (crate::model::Date, usize),
}

fn headline(
    model: &Model,
    live: &[&Assessed],
    open_findings: &[TieredFinding],
    red_flags: &[FlagRef],
) -> Headline {
    let status = |s: ComplianceStatus| live.iter().filter(|p| p.assessment.status == s).count();
    let required = |s: ArtifactStatus| {
        live.iter()
            .flat_map(|p| p.requirements())
            .filter(|r| r.status == s && r.not_assessed.is_none())
            .count()
    };
    let unaccepted_flags = red_flags.iter().filter(|f| f.accepted_by.is_none()).count();
    Headline {
        live: live.len(),
        offboarded: model.assessed().len() - live.len(),
        not_approved: live
            .iter()
            .filter(|p| p.assessment.decision.value == Decision::NotApproved)
            .count(),
        non_compliant: status(ComplianceStatus::NonCompliant),
        attention: status(ComplianceStatus::Attention),
        expired: required(ArtifactStatus::Expired),
        expiring: required(ArtifactStatus::Expiring),
        missing: required(ArtifactStatus::Missing),
        misdated: required(ArtifactStatus::Misdated),
        overdue_reviews: live.iter().filter(|p| p.assessment.review.overdue).count(),
        open_findings: open_findings.len(),
        overdue_findings: open_findings.iter().filter(|f| f.finding.overdue).count(),
        unaccepted_flags,
        accepted_flags: red_flags.len() - unaccepted_flags,
        eos: questions::end_of_support(model, live),
        next_month: questions::next_month(model, live),
    }
}

/// The headline cards; each opens the list it counts, pre-filtered.
fn cards(h: &Headline) -> Vec<StatCard> {
    let vendors_note = match h.offboarded {
        0 => "active and prospective".to_string(),
        n => format!("active and prospective; {n} offboarded"),
    };
    let not_approved = decision_badge(Decision::NotApproved).key;
    let (month, next_month) = h.next_month;
    let with = |page: &str, key: &str, value: &str| filtered(page, &[(key, value)]);
    vec![
        card("Vendors", h.live, Tone::Neutral, VENDORS, &vendors_note),
        card(
            "Not approved",
            h.not_approved,
            Tone::Bad,
            &with(VENDORS, "decision", &not_approved),
            "vendors refused approval",
        ),
        card(
            "Non-compliant",
            h.non_compliant,
            Tone::Bad,
            &with(
                VENDORS,
                "status",
                &compliance_badge(ComplianceStatus::NonCompliant).key,
            ),
            "vendors with an unaccepted error",
        ),
        card(
            "Needs attention",
            h.attention,
            Tone::Warn,
            &with(
                VENDORS,
                "status",
                &compliance_badge(ComplianceStatus::Attention).key,
            ),
            "vendors with warnings only",
        ),
        card(
            "Expired evidence",
            h.expired,
            Tone::Bad,
            &with(
                EVIDENCE,
                "status",
                &artifact_badge(ArtifactStatus::Expired).key,
            ),
            "required evidence past its validity",
        ),
        card(
            "Expiring evidence",
            h.expiring,
            Tone::Warn,
            &with(
                EVIDENCE,
                "status",
                &artifact_badge(ArtifactStatus::Expiring).key,
            ),
            "required evidence to renew soon",
        ),
        card(
            "Missing evidence",
            h.missing,
            Tone::Bad,
            &with(
                EVIDENCE,
                "status",
                &artifact_badge(ArtifactStatus::Missing).key,
            ),
            &match h.misdated {
                0 => "required evidence not on file".to_string(),
                n => format!("required evidence not on file; {n} more misdated"),
            },
        ),
        card(
            "Overdue reviews",
            h.overdue_reviews,
            Tone::Bad,
            "index.html#reviews",
            "reassessments past due",
        ),
        card(
            "Open findings",
            h.open_findings,
            Tone::Warn,
            &with(FINDINGS, "status", &open_badge(true).key),
            &format!("{} overdue", h.overdue_findings),
        ),
        card(
            "Red flags",
            h.unaccepted_flags,
            Tone::Bad,
            "index.html#red-flags",
            &format!("{} accepted by exception", h.accepted_flags),
        ),
        card(
            "Near end of support",
            h.eos.upcoming,
            Tone::Warn,
            &with(PRODUCTS, "eos", "upcoming"),
            &format!("devices; {} past end of support", h.eos.past),
        ),
        card(
            "Expiring next month",
            next_month,
            Tone::Neutral,
            &questions::calendar_month_href(month, next_month > 0),
            &format!("evidence and exceptions, {}", month_label(month)),
        ),
    ]
}

/// A headline number; a warning or bad number of zero shows as good.
fn card(label: &str, value: usize, tone: Tone, href: &str, note: &str) -> StatCard {
    StatCard {
        label: label.to_string(),
        value,
        tone: if value == 0 && tone != Tone::Neutral {
            Tone::Good
        } else {
            tone
        },
        href: Some(href.to_string()),
        note: note.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zero_warning_card_reads_as_good_but_neutral_stays_neutral() {
        assert_eq!(card("x", 0, Tone::Bad, "h", "n").tone, Tone::Good);
        assert_eq!(card("x", 2, Tone::Bad, "h", "n").tone, Tone::Bad);
        assert_eq!(card("x", 0, Tone::Neutral, "h", "n").tone, Tone::Neutral);
    }
}
