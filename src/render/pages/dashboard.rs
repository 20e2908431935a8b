//! `index.html`: the dashboard. Headline numbers, vendors per tier and
//! status, and capped lists of what needs action (expiring and expired
//! evidence, missing evidence, overdue reviews, open findings, exceptions,
//! red flags), each linking to the full list.

use crate::assess::{ArtifactAssessment, ArtifactStatus, ComplianceStatus, ExceptionStatus};
use crate::model::{Artifact, ClosedSet, Decision};
use crate::render::assessed::Assessed;
use crate::render::badge::{
    artifact_badge, compliance_badge, decision_badge, exception_badge, severity_badge,
};
use crate::render::chart;
use crate::render::link::{accepted, accepts_href, anchor, question_anchor, vendor_link};
use crate::render::model::Model;
use crate::render::page::{Page, Target};
use crate::render::pages::findings;
use crate::render::timeline::{RECENT_CHANGES, site_history};
use crate::render::view::{
    ArtifactRef, Capped, DashboardPage, ExceptionRef, ExpiryWindow, FindingRow, FlagRef,
    NavSection, RequirementRef, ReviewRef, StatCard, StatusCount, TierCount, Tone,
};

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
        let open_findings: Vec<FindingRow> = findings::rows(model)
            .into_iter()
            .filter(|f| f.open)
            .collect();
        let overdue_findings = open_findings.iter().filter(|f| f.overdue).count();
        let red_flags = red_flags(model, &live);
        let count = |s: ComplianceStatus| live.iter().filter(|p| p.assessment.status == s).count();
        let unaccepted_flags = red_flags.iter().filter(|f| f.accepted_by.is_none()).count();
        let cards = cards(&Headline {
            live: live.len(),
            offboarded: model.assessed().len() - live.len(),
            non_compliant: count(ComplianceStatus::NonCompliant),
            attention: count(ComplianceStatus::Attention),
            expired: expired.len(),
            expiring_90: expiring.iter().map(|w| w.artifacts.total).sum(),
            overdue_reviews: overdue_reviews.len(),
            open_findings: open_findings.len(),
            overdue_findings,
            unaccepted_flags,
            accepted_flags: red_flags.len() - unaccepted_flags,
        });
        DashboardPage {
            cards,
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
            missing: Capped::new(missing(&live)),
            overdue_reviews: Capped::new(overdue_reviews),
            open_findings: Capped::new(open_findings),
            overdue_findings,
            exceptions: Capped::new(exceptions(model)),
            red_flags: Capped::new(red_flags),
            history: site_history(model, RECENT_CHANGES),
        }
    }
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
    .map(|s| StatusCount {
        status: compliance_badge(s),
        count: live.iter().filter(|p| p.assessment.status == s).count(),
    })
    .collect()
}

/// Live vendors per decision, approved first, every decision listed.
fn decision_counts(live: &[&Assessed]) -> Vec<StatusCount> {
    Decision::ALL
        .iter()
        .map(|d| StatusCount {
            status: decision_badge(*d),
            count: live
                .iter()
                .filter(|p| p.assessment.decision.value == *d)
                .count(),
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
fn missing(live: &[&Assessed]) -> Vec<RequirementRef> {
    let mut missing = Vec::new();
    for p in live {
        for r in &p.assessment.requirements {
            if r.satisfied_by.is_none()
                && matches!(r.status, ArtifactStatus::Missing | ArtifactStatus::Misdated)
                && r.not_assessed.is_none()
            {
                missing.push(RequirementRef {
                    vendor: vendor_link(p.vendor),
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
                severity: severity_badge(f.severity),
                message: f.message.clone(),
                section_title: model.section_title(&f.section),
                question: model.prompt(&f.section, &f.question),
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
    non_compliant: usize,
    attention: usize,
    expired: usize,
    expiring_90: usize,
    overdue_reviews: usize,
    open_findings: usize,
    overdue_findings: usize,
    unaccepted_flags: usize,
    accepted_flags: usize,
}

fn cards(h: &Headline) -> Vec<StatCard> {
    let vendors_note = match h.offboarded {
        0 => "active and prospective".to_string(),
        n => format!("active and prospective; {n} offboarded"),
    };
    vec![
        card(
            "Vendors",
            h.live,
            Tone::Neutral,
            "vendors/index.html",
            &vendors_note,
        ),
        card(
            "Non-compliant",
            h.non_compliant,
            Tone::Bad,
            "vendors/index.html",
            "vendors with an unaccepted error",
        ),
        card(
            "Needs attention",
            h.attention,
            Tone::Warn,
            "vendors/index.html",
            "vendors with warnings only",
        ),
        card(
            "Expired evidence",
            h.expired,
            Tone::Bad,
            "index.html#expired",
            "artifacts past their validity",
        ),
        card(
            "Expiring in 90 days",
            h.expiring_90,
            Tone::Warn,
            "index.html#expiring",
            "artifacts to renew soon",
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
            "findings/index.html",
            &format!("{} overdue", h.overdue_findings),
        ),
        card(
            "Red flags",
            h.unaccepted_flags,
            Tone::Bad,
            "index.html#red-flags",
            &format!("{} accepted by exception", h.accepted_flags),
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
