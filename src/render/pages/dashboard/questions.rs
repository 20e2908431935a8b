//! "Portfolio questions": the cross-vendor questions a CISO asks, each
//! answered one or two clicks from the dashboard by a cross-vendor page
//! opened with URL-hash filters. Paths and filter keys are the site's
//! contract (`evidence/index.html`, `subprocessors/index.html`,
//! `products/index.html`, the calendar); what each link offers comes from
//! the registry (the kinds the top tier requires, the subprocessors vendors
//! share, the end-of-support planning window of vetted.toml).

use std::cmp::Reverse;
use std::collections::BTreeMap;

use super::action::filtered;
use crate::assess::ArtifactStatus;
use crate::model::Date;
use crate::model::dates::add_months;
use crate::render::assessed::Assessed;
use crate::render::model::Model;
use crate::render::text::{month_key, month_label};
use crate::render::view::{FilterLink, PortfolioQuestion};

/// Subprocessors named in the "shared subprocessor" question: the most
/// shared; the full list is one click away.
const SHARED_SHOWN: usize = 5;

pub(crate) const EVIDENCE: &str = "evidence/index.html";
pub(crate) const SUBPROCESSORS: &str = "subprocessors/index.html";
pub(crate) const PRODUCTS: &str = "products/index.html";

/// Where the calendar shows a month: its own page (`calendar/month/YYYY-MM/`,
/// which exists for every month with events); a month without events links
/// the calendar's index of months.
pub(crate) fn calendar_month_href(month: Date, has_events: bool) -> String {
    if has_events {
        format!("calendar/month/{}/index.html", month_key(month))
    } else {
        "calendar/index.html".to_string()
    }
}

/// End of support of live vendors' products, counted the way the products
/// page's `eos` filter groups them.
pub(crate) struct EndOfSupport {
    pub past: usize,
    /// Within vetted.toml's `end_of_support_warning_months`.
    pub upcoming: usize,
    pub stated: usize,
    pub not_stated: usize,
}

pub(crate) fn end_of_support(model: &Model, live: &[&Assessed]) -> EndOfSupport {
    let months = model.registry.settings.end_of_support_warning_months;
    let mut e = EndOfSupport {
        past: 0,
        upcoming: 0,
        stated: 0,
        not_stated: 0,
    };
    for p in live {
        for prod in &p.vendor.products {
            match prod.end_of_support {
                None => e.not_stated += 1,
                Some(eos) => {
                    e.stated += 1;
                    if eos < model.today {
                        e.past += 1;
                    } else if model.today >= add_months(eos, -months) {
                        e.upcoming += 1;
                    }
                }
            }
        }
    }
    e
}

/// What expires in the month after today's: live vendors' evidence (not
/// superseded) and exceptions, both events of the calendar.
pub(crate) fn next_month(model: &Model, live: &[&Assessed]) -> (Date, usize) {
    let month = add_months(model.today.first_of_month(), 1);
    let key = month_key(month);
    let in_month = |d: Date| month_key(d) == key;
    let evidence: usize = live
        .iter()
        .map(|p| p.expiries().filter(|(_, _, d)| in_month(*d)).count())
        .sum();
    let exceptions: usize = live
        .iter()
        .map(|p| {
            p.assessed_exceptions()
                .filter(|(e, _)| in_month(e.expires))
                .count()
        })
        .sum();
    (month, evidence + exceptions)
}

pub(crate) fn questions(model: &Model, live: &[&Assessed]) -> Vec<PortfolioQuestion> {
    vec![
        top_tier_evidence(model, live),
        shared_subprocessors(live),
        devices(model, live),
        expiring_next_month(model, live),
    ]
}

/// Per kind the top tier requires: its vendors without valid evidence of it.
fn top_tier_evidence(model: &Model, live: &[&Assessed]) -> PortfolioQuestion {
    let top = model.all_tiers().into_iter().next();
    let level = top.as_ref().map_or(1, |t| t.level);
    let name = top.map_or_else(
        || format!("tier-{level}"),
        |t| format!("{} ({})", t.label, t.name),
    );
    // Kind id -> (title, vendors lacking it), in artifact-kinds.toml order.
    let mut kinds: Vec<(String, String, usize)> = model
        .registry
        .kinds
        .values()
        .filter(|k| k.required_for.contains(&level))
        .map(|k| (k.id.clone(), k.title.clone(), 0))
        .collect();
    for p in live.iter().filter(|p| p.assessment.tier == level) {
        for (id, _, lacking) in kinds.iter_mut() {
            let valid =
                |s: ArtifactStatus| matches!(s, ArtifactStatus::Valid | ArtifactStatus::Expiring);
            let lacks = p
                .requirements()
                .iter()
                .any(|r| &r.kind == id && r.not_assessed.is_none() && !valid(r.status));
            *lacking += usize::from(lacks);
        }
    }
    // Most lacking first; ties in artifact-kinds.toml order (a stable sort).
    kinds.sort_by_key(|k| Reverse(k.2));
    let level_text = level.to_string();
    PortfolioQuestion {
        question: format!("Which {name} vendors lack valid required evidence (a SOC 2, say)?"),
        hint: format!("{name} vendors without valid evidence, per kind their tier requires"),
        links: kinds
            .into_iter()
            .map(|(id, title, lacking)| FilterLink {
                label: title,
                count: Some(lacking),
                href: filtered(
                    EVIDENCE,
                    &[("tier", &level_text), ("kind", &id), ("status", "unmet")],
                ),
            })
            .collect(),
    }
}

/// The most shared subprocessors, each opening the subprocessors list
/// filtered to it (its own page is the next click).
fn shared_subprocessors(live: &[&Assessed]) -> PortfolioQuestion {
    let mut users: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for p in live {
        let mut names: Vec<&str> = p
            .vendor
            .subprocessors
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        names.sort_unstable_by_key(|n| n.to_lowercase());
        names.dedup_by_key(|n| n.to_lowercase());
        for n in names {
            users
                .entry(n.to_lowercase())
                .or_insert((n.to_string(), 0))
                .1 += 1;
        }
    }
    let total = users.len();
    let mut shared: Vec<(String, usize)> = users.into_values().filter(|(_, n)| *n > 1).collect();
    shared.sort_by(|a, b| {
        (Reverse(a.1), a.0.to_lowercase()).cmp(&(Reverse(b.1), b.0.to_lowercase()))
    });
    let mut links = vec![FilterLink {
        label: "Every subprocessor and who depends on it".to_string(),
        count: Some(total),
        href: SUBPROCESSORS.to_string(),
    }];
    links.extend(
        shared
            .into_iter()
            .take(SHARED_SHOWN)
            .map(|(name, n)| FilterLink {
                href: filtered(SUBPROCESSORS, &[("q", &name)]),
                label: name,
                count: Some(n),
            }),
    );
    PortfolioQuestion {
        question: "Which vendors share subprocessor X?".to_string(),
        hint: "Subprocessors and how many vendors use each; a subprocessor's page lists them"
            .to_string(),
        links,
    }
}

fn devices(model: &Model, live: &[&Assessed]) -> PortfolioQuestion {
    let e = end_of_support(model, live);
    let months = model.registry.settings.end_of_support_warning_months;
    let link = |label: String, count: usize, filters: &[(&str, &str)]| FilterLink {
        label,
        count: Some(count),
        href: filtered(PRODUCTS, filters),
    };
    PortfolioQuestion {
        question: "Which devices reach end of support before a date (2028, say)?".to_string(),
        hint: "Products and devices by end of support, soonest first".to_string(),
        links: vec![
            link(
                "By end of support, soonest first".to_string(),
                e.stated,
                &[("sort", "eos"), ("dir", "asc")],
            ),
            link(
                "Past end of support".to_string(),
                e.past,
                &[("eos", "past")],
            ),
            link(
                format!("Within {months} months"),
                e.upcoming,
                &[("eos", "upcoming")],
            ),
            link(
                "End of support not stated".to_string(),
                e.not_stated,
                &[("eos", "not-stated")],
            ),
        ],
    }
}

fn expiring_next_month(model: &Model, live: &[&Assessed]) -> PortfolioQuestion {
    let (month, count) = next_month(model, live);
    let expiring = live
        .iter()
        .flat_map(|p| p.requirements())
        .filter(|r| r.status == ArtifactStatus::Expiring && r.not_assessed.is_none())
        .count();
    PortfolioQuestion {
        question: "What expires next month?".to_string(),
        hint: "Evidence and exceptions ending next month, in the calendar".to_string(),
        links: vec![
            FilterLink {
                label: month_label(month),
                count: Some(count),
                href: calendar_month_href(month, count > 0),
            },
            FilterLink {
                label: "Required evidence expiring".to_string(),
                count: Some(expiring),
                href: filtered(EVIDENCE, &[("status", "expiring")]),
            },
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_with_events_links_its_page_of_the_calendar() {
        let d: Date = "2026-12-01".parse().unwrap();
        assert_eq!(
            calendar_month_href(d, true),
            "calendar/month/2026-12/index.html"
        );
        assert_eq!(calendar_month_href(d, false), "calendar/index.html");
    }
}
