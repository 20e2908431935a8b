//! `calendar/index.html`: every date that matters, by month: evidence
//! expiries, reviews due, exception expiries, finding due dates, contract
//! renewals and end of support, for live vendors, from three months back.
//! The same events are `calendar.ics` (`render::ics`).

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::assess;
use crate::model::Date;
use crate::render::assessed::Assessed;
use crate::render::badge::{artifact_badge, exception_badge};
use crate::render::link::{anchor, vendor_link};
use crate::render::model::Model;
use crate::render::page::{Page, Target};
use crate::render::table::{Facet, Listing};
use crate::render::text::{month_key, month_label};
use crate::render::view::{
    Badge, CalendarPage, EventView, MonthLink, MonthView, NavSection, Tone, YearView,
};

pub struct Calendar;

const DIR: &str = "calendar/";

/// Every event, the months shown (from three months back), and the pages:
/// `calendar/index.html` (the index of months), one folder per month
/// (`calendar/month/2026-11/`, paginated) and `calendar/overdue/`.
struct Table {
    from: Date,
    events: Vec<(Date, EventView)>,
    /// Months from `from` on, with their event counts (events left empty).
    months: Vec<MonthView>,
    listing: Listing,
}

/// Past and not resolved: an expired artifact, an overdue review or finding,
/// a lapsed exception, an unsupported product.
fn overdue(e: &EventView) -> bool {
    e.past && e.status.tone == Tone::Bad
}

fn table(model: &Model) -> Arc<Table> {
    model.memo.get("calendar", || {
        let from = assess::add_months(model.today.first_of_month(), -3);
        let events = events(model);
        let mut months = months(
            model.today,
            events.iter().filter(|(d, _)| *d >= from).cloned(),
        );
        let mut facets = Vec::new();
        for m in &mut months {
            let rows = (0..events.len())
                .filter(|&i| {
                    events
                        .get(i)
                        .is_some_and(|(d, _)| *d >= from && month_key(*d) == m.key)
                })
                .collect();
            facets.push(Facet {
                key: "month".into(),
                key_label: "Month".into(),
                value: m.key.clone(),
                label: m.label.clone(),
                rows,
            });
        }
        facets.push(Facet {
            key: "overdue".into(),
            key_label: "Overdue".into(),
            value: String::new(),
            label: "Overdue".into(),
            rows: (0..events.len())
                .filter(|&i| events.get(i).is_some_and(|(_, e)| overdue(e)))
                .collect(),
        });
        // The index is the (empty) whole list: one page, `calendar/index.html`.
        let per = model.registry.settings.rows_per_page;
        let listing = Listing::new("calendar", DIR, 0, per, facets);
        Table {
            from,
            events,
            months,
            listing,
        }
    })
}

impl Page for Calendar {
    type Data = CalendarPage;
    const TEMPLATE: &'static str = "calendar.html";
    const SECTION: NavSection = NavSection::Calendar;
    const KEY: &'static str = "calendar";

    fn count(&self, model: &Model) -> usize {
        table(model).listing.count()
    }

    fn target<'m>(&self, model: &'m Model, i: usize) -> Target<'m> {
        let t = table(model);
        let title = match t.listing.facet_of(i) {
            Some(f) => format!("Expiry calendar · {}", f.label),
            None => "Expiry calendar".to_string(),
        };
        Target {
            path: t.listing.path(i).into(),
            title: title.into(),
        }
    }

    fn data(&self, model: &Model, i: usize) -> CalendarPage {
        let t = table(model);
        let view = t.listing.view(i);
        let facet = t.listing.facet_of(i);
        let events: Vec<EventView> = t
            .listing
            .window(i)
            .iter()
            .filter_map(|&r| t.events.get(r).map(|(_, e)| e.clone()))
            .collect();
        // A month page shows its month; the overdue page one list; the index none.
        let months = match facet {
            Some(f) if f.key == "month" => t
                .months
                .iter()
                .filter(|m| m.key == f.value)
                .map(|m| MonthView {
                    events: events.clone(),
                    ..m.clone()
                })
                .collect(),
            _ => Vec::new(),
        };
        CalendarPage {
            from: t.from.to_string(),
            years: years(&t.months),
            earlier: t.events.iter().filter(|(d, _)| *d < t.from).count(),
            total: t.events.len(),
            overdue: t.events.iter().filter(|(_, e)| overdue(e)).count(),
            overdue_href: "calendar/overdue/index.html".into(),
            overdue_events: if facet.is_some_and(|f| f.key == "overdue") {
                events
            } else {
                Vec::new()
            },
            index: facet.is_none(),
            months,
            table: view,
        }
    }
}

/// Every dated event of the live vendors, by date (then vendor, kind and
/// title): the calendar page shows them by month, `calendar.ics` as VEVENTs.
pub(crate) fn events(model: &Model) -> Vec<(Date, EventView)> {
    let mut events = Events {
        model,
        list: Vec::new(),
    };
    for p in model.live() {
        events.artifacts(p);
        events.review(p);
        events.exceptions(p);
        events.findings(p);
        events.renewal(p);
        events.end_of_support(p);
    }
    let mut events = events.list;
    events.sort_by_cached_key(|(d, e)| {
        (
            *d,
            e.vendor.name.to_lowercase(),
            e.vendor.slug.clone(),
            e.kind.clone(),
            e.title.clone(),
        )
    });
    events
}

/// What an event is: its `kind` key and the label a reader sees.
type EventKind = (&'static str, &'static str);
const ARTIFACT: EventKind = ("artifact", "Evidence expires");
const REVIEW: EventKind = ("review", "Review due");
const EXCEPTION: EventKind = ("exception", "Exception expires");
const FINDING: EventKind = ("finding", "Finding due");
const RENEWAL: EventKind = ("renewal", "Contract renewal");
const END_OF_SUPPORT: EventKind = ("end-of-support", "End of support");

/// The calendar's events as they are collected, vendor by vendor.
struct Events<'m, 'a> {
    model: &'m Model<'a>,
    list: Vec<(Date, EventView)>,
}

impl Events<'_, '_> {
    /// One event on `date`, linked to `fragment` on the vendor's page.
    fn push(
        &mut self,
        p: &Assessed,
        date: Date,
        (kind, kind_label): EventKind,
        title: String,
        status: Badge,
        fragment: &str,
    ) {
        let today = self.model.today;
        self.list.push((
            date,
            EventView {
                date: date.to_string(),
                kind: kind.to_string(),
                kind_label: kind_label.to_string(),
                vendor: vendor_link(p.vendor),
                title,
                status,
                when: self.model.when(date),
                past: date < today,
                href: format!("{}#{fragment}", p.href),
            },
        ));
    }

    /// The end of each artifact's validity (superseded ones left out).
    fn artifacts(&mut self, p: &Assessed) {
        for (art, a, until) in p.expiries() {
            let fragment = format!("artifact-{}", a.index);
            self.push(
                p,
                until,
                ARTIFACT,
                art.title.clone(),
                artifact_badge(a.status),
                &fragment,
            );
        }
    }

    fn review(&mut self, p: &Assessed) {
        let review = &p.assessment.review;
        let Some(due) = review.next_due else {
            return;
        };
        let status = if review.overdue {
            Badge::new("overdue", "Overdue", Tone::Bad, 3)
        } else {
            Badge::new("scheduled", "Scheduled", Tone::Info, 1)
        };
        let title = if review.forced_by_major_change {
            "Reassessment (major change)".to_string()
        } else {
            format!(
                "Reassessment ({})",
                self.model.tier(p.assessment.tier).label
            )
        };
        self.push(p, due, REVIEW, title, status, "review");
    }

    fn exceptions(&mut self, p: &Assessed) {
        for (e, st) in p.assessed_exceptions() {
            let title = format!("{}: {}", e.id, self.model.accepts_text(&e.accepts));
            let fragment = anchor("exception", &e.id);
            self.push(
                p,
                e.expires,
                EXCEPTION,
                title,
                exception_badge(st.status),
                &fragment,
            );
        }
    }

    /// The due date of each open finding.
    fn findings(&mut self, p: &Assessed) {
        for f in p.vendor.findings.iter().filter(|f| f.open) {
            let Some(due) = f.due else {
                continue;
            };
            let status = if due < self.model.today {
                Badge::new("overdue", "Overdue", Tone::Bad, 3)
            } else {
                Badge::new("open", "Open", Tone::Warn, 2)
            };
            let title = format!("{}: {}", f.id, f.title);
            self.push(p, due, FINDING, title, status, &anchor("finding", &f.id));
        }
    }

    fn renewal(&mut self, p: &Assessed) {
        // A renewal before the signature (E1010) is no date to plan by.
        let Some(r) = p.assessment.renewal else {
            return;
        };
        let status = if r < self.model.today {
            Badge::new("passed", "Passed", Tone::Warn, 2)
        } else {
            Badge::new("scheduled", "Scheduled", Tone::Info, 1)
        };
        self.push(
            p,
            r,
            RENEWAL,
            "Contract renewal".to_string(),
            status,
            "contract",
        );
    }

    fn end_of_support(&mut self, p: &Assessed) {
        for prod in &p.vendor.products {
            let Some(eos) = prod.end_of_support else {
                continue;
            };
            let status = if eos < self.model.today {
                Badge::new("unsupported", "Unsupported", Tone::Bad, 3)
            } else {
                Badge::new("scheduled", "Scheduled", Tone::Info, 1)
            };
            let title = format!("{} {}", prod.name, prod.version);
            self.push(p, eos, END_OF_SUPPORT, title, status, "profile");
        }
    }
}

/// Events grouped by month, in order; the current month is always shown,
/// even with nothing in it.
fn months(today: Date, events: impl Iterator<Item = (Date, EventView)>) -> Vec<MonthView> {
    let this_month = month_key(today);
    let mut by_month: BTreeMap<String, MonthView> = BTreeMap::new();
    for (d, e) in std::iter::once((today, None)).chain(events.map(|(d, e)| (d, Some(e)))) {
        let key = month_key(d);
        let month = by_month.entry(key.clone()).or_insert_with(|| MonthView {
            current: key == this_month,
            past: key < this_month,
            label: month_label(d),
            key,
            events: Vec::new(),
        });
        month.events.extend(e);
    }
    by_month.into_values().collect()
}

/// The months grouped by year, for navigation.
fn years(months: &[MonthView]) -> Vec<YearView> {
    let mut years: Vec<YearView> = Vec::new();
    for m in months {
        let (year, _) = m.key.split_once('-').unwrap_or((&m.key, ""));
        if years.last().is_none_or(|y| y.year != year) {
            years.push(YearView {
                year: year.to_string(),
                months: Vec::new(),
            });
        }
        if let Some(y) = years.last_mut() {
            y.months.push(MonthLink {
                key: m.key.clone(),
                short: m.label.chars().take(3).collect(),
                count: m.events.len(),
                href: if m.events.is_empty() {
                    String::new()
                } else {
                    crate::render::table::page_path(&format!("{DIR}month/{}/", m.key), 1)
                },
                current: m.current,
            });
        }
    }
    years
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(date: &str) -> (Date, EventView) {
        let d: Date = date.parse().unwrap();
        let e = EventView {
            date: date.to_string(),
            kind: "review".into(),
            kind_label: "Review due".into(),
            vendor: crate::render::view::VendorLink {
                name: "Acme".into(),
                slug: "acme".into(),
                href: "vendors/acme/index.html".into(),
            },
            title: "Reassessment (T1)".into(),
            status: Badge::new("scheduled", "Scheduled", Tone::Info, 1),
            when: String::new(),
            past: false,
            href: "vendors/acme/index.html#review".into(),
        };
        (d, e)
    }

    #[test]
    fn months_always_show_the_current_one_and_group_by_year() {
        let today: Date = "2026-11-22".parse().unwrap();
        let events = ["2026-09-03", "2027-01-15", "2027-01-20"].map(event);
        let months = months(today, events.into_iter());
        let keys: Vec<(&str, usize, bool, bool)> = months
            .iter()
            .map(|m| (m.key.as_str(), m.events.len(), m.current, m.past))
            .collect();
        assert_eq!(
            keys,
            [
                ("2026-09", 1, false, true),
                ("2026-11", 0, true, false),
                ("2027-01", 2, false, false),
            ]
        );
        let years = years(&months);
        let shape: Vec<(&str, Vec<&str>)> = years
            .iter()
            .map(|y| {
                (
                    y.year.as_str(),
                    y.months.iter().map(|m| m.short.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(shape, [("2026", vec!["Sep", "Nov"]), ("2027", vec!["Jan"])]);
    }
}
