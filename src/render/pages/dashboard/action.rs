//! The dashboard's first list: live vendors needing action, ranked, and
//! links to the pre-filtered lists behind each number (URL-hash filters,
//! the site's convention: `PAGE#key=value&key=value`).
//!
//! The ranking uses only what the assessment already decided: the tier
//! (tier 1 first), the decision badge's rank (worst first), then the counts
//! the assessment keeps (unaccepted errors, unaccepted red flags, an overdue
//! review, expired and missing required evidence, overdue findings,
//! warnings). There is no threshold here: which problems make a vendor not
//! approved or approved with conditions is `[decision]` in vetted.toml.

use std::cmp::Reverse;

use crate::assess::ArtifactStatus;
use crate::model::Decision;
use crate::render::assessed::Assessed;
use crate::render::badge::decision_badge;
use crate::render::link::vendor_link;
use crate::render::model::Model;
use crate::render::view::{ActionRef, Capped, FilterLink};

/// A URL-hash filter link: `page#k=v&k=v`, values percent-encoded (so a
/// value with `&`, `=`, `#` or a space stays one value).
pub(crate) fn filtered(page: &str, filters: &[(&str, &str)]) -> String {
    let hash: Vec<String> = filters
        .iter()
        .map(|(k, v)| format!("{k}={}", crate::render::table::hash_encode(v)))
        .collect();
    if hash.is_empty() {
        page.to_string()
    } else {
        format!("{page}#{}", hash.join("&"))
    }
}

/// What needs doing about one vendor, counted from its assessment.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Needs {
    errors: usize,
    red_flags: usize,
    review_overdue: bool,
    expired: usize,
    missing: usize,
    overdue_findings: usize,
    warnings: usize,
}

impl Needs {
    fn of(p: &Assessed) -> Needs {
        let a = &p.assessment;
        let required = |s: &[ArtifactStatus]| {
            a.requirements
                .iter()
                .filter(|r| {
                    s.contains(&r.status) && r.accepted_by.is_none() && r.not_assessed.is_none()
                })
                .count()
        };
        Needs {
            errors: a.counts.errors,
            red_flags: a
                .red_flags
                .iter()
                .filter(|f| f.accepted_by.is_none())
                .count(),
            review_overdue: a.review.overdue,
            expired: required(&[ArtifactStatus::Expired]),
            missing: required(&[ArtifactStatus::Missing, ArtifactStatus::Misdated]),
            overdue_findings: a.counts.overdue_findings,
            warnings: a.counts.warnings,
        }
    }

    fn any(&self) -> bool {
        *self != Needs::default()
    }

    /// Why, in a few words each, in the order of the ranking.
    fn why(&self) -> Vec<String> {
        let n = |count: usize, one: &str, many: &str| match count {
            0 => None,
            1 => Some(format!("1 {one}")),
            c => Some(format!("{c} {many}")),
        };
        [
            n(self.errors, "error", "errors"),
            n(self.red_flags, "red flag", "red flags"),
            self.review_overdue.then(|| "review overdue".to_string()),
            n(self.expired, "expired evidence", "expired evidence"),
            n(self.missing, "missing evidence", "missing evidence"),
            n(self.overdue_findings, "overdue finding", "overdue findings"),
            n(self.warnings, "warning", "warnings"),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// Where a vendor ranks: tier, decision rank (worst first), `Needs` (more
/// first), then its position in the name-ordered list.
type Rank = (u8, Reverse<u8>, Reverse<Needs>, usize);

/// Live vendors not approved outright (or with anything to do), ranked:
/// tier, decision rank (worst first), then `Needs` (more first), then name.
pub(crate) fn action_list(model: &Model, live: &[&Assessed]) -> Vec<ActionRef> {
    let mut ranked: Vec<(Rank, ActionRef)> = live
        .iter()
        .enumerate()
        .filter_map(|(order, p)| {
            let needs = Needs::of(p);
            let decision = p.assessment.decision.value;
            if decision == Decision::Approved && !needs.any() {
                return None;
            }
            let badge = decision_badge(decision);
            let rank = badge.rank;
            let action = ActionRef {
                vendor: vendor_link(p.vendor),
                tier: model.tier(p.assessment.tier),
                decision: badge,
                why: needs.why(),
                reason: p.assessment.decision.messages().next().map(str::to_string),
                href: p.href.clone(),
            };
            // `live` is in name order: the position breaks ties by name.
            Some((
                (p.assessment.tier, Reverse(rank), Reverse(needs), order),
                action,
            ))
        })
        .collect();
    ranked.sort_by_key(|(rank, _)| *rank);
    ranked.into_iter().map(|(_, a)| a).collect()
}

/// The vendors list filtered by each decision the action list holds, worst
/// first, with how many live vendors have it.
pub(crate) fn action_lists(all: &[ActionRef], live: &[&Assessed]) -> Vec<FilterLink> {
    let mut decisions: Vec<Decision> = live
        .iter()
        .map(|p| p.assessment.decision.value)
        .filter(|d| all.iter().any(|a| a.decision.key == decision_badge(*d).key))
        .collect();
    decisions.sort_by_key(|d| Reverse(decision_badge(*d).rank));
    decisions.dedup();
    decisions
        .into_iter()
        .map(|d| {
            let b = decision_badge(d);
            FilterLink {
                count: Some(
                    live.iter()
                        .filter(|p| p.assessment.decision.value == d)
                        .count(),
                ),
                href: filtered("vendors/index.html", &[("decision", &b.key)]),
                label: b.label,
            }
        })
        .collect()
}

/// The capped action list and its full lists.
pub(crate) fn action(model: &Model, live: &[&Assessed]) -> (Capped<ActionRef>, Vec<FilterLink>) {
    let all = action_list(model, live);
    let lists = action_lists(&all, live);
    (Capped::new(all), lists)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_filters_encode_their_values() {
        assert_eq!(
            filtered(
                "vendors/index.html",
                &[("tier", "1"), ("decision", "not-approved")]
            ),
            "vendors/index.html#tier=1&decision=not-approved"
        );
        assert_eq!(
            filtered("x.html", &[("q", "a&b c#=é")]),
            "x.html#q=a%26b%20c%23%3D%C3%A9"
        );
        assert_eq!(filtered("x.html", &[]), "x.html");
    }

    #[test]
    fn more_of_a_worse_problem_ranks_first_and_why_follows_that_order() {
        let errors = Needs {
            errors: 1,
            ..Needs::default()
        };
        let warnings = Needs {
            warnings: 9,
            red_flags: 3,
            ..Needs::default()
        };
        assert!(Reverse(errors) < Reverse(warnings));
        assert_eq!(warnings.why(), ["3 red flags", "9 warnings"]);
        assert!(!Needs::default().any());
    }
}
