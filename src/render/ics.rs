//! `calendar.ics`: the calendar page's events as an RFC 5545 calendar, for
//! subscription from a mail client. Each event is an all-day VEVENT whose
//! UID is derived from what the event is about (kind, vendor, item), never
//! from its position, so a subscribed calendar updates an event whose date
//! moved instead of adding a second one. Output is deterministic: DTSTAMP is
//! the assessment date.
//!
//! Each VEVENT is kept small (#15: 50,000 of them at 10,000 vendors): no
//! DTEND (a one-day all-day event needs none), SUMMARY `kind: vendor: item`,
//! DESCRIPTION only what SUMMARY does not say (status and the page link).
//!
//! Registry text is untrusted: it is escaped as RFC 5545 TEXT (backslash,
//! `;`, `,`, line breaks), control characters are dropped, and lines are
//! folded at 75 octets without splitting a character.

use sha2::{Digest, Sha256};

use super::model::Model;
use super::pages::calendar::events;
use super::view::EventView;
use crate::model::Date;

/// The path of the calendar in the published site.
pub const PATH: &str = "calendar.ics";

/// The whole calendar, CRLF line ends, every line folded. Events are
/// formatted in parallel (50,000 of them at 10,000 vendors), in order.
pub fn calendar(model: &Model) -> String {
    use rayon::prelude::*;
    let settings = &model.registry.settings;
    let head = [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        format!("PRODID:-//vetted//{}//EN", text(&settings.title)),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!("X-WR-CALNAME:{}", text(&settings.title)),
    ];
    let stamp = format!("DTSTAMP:{}T000000Z", compact(model.today));
    let events = events(model);
    let vevents: Vec<String> = events
        .par_chunks(1024)
        .map(|chunk| {
            let mut out = String::with_capacity(chunk.len() * 400);
            for (date, e) in chunk {
                vevent(*date, e, &stamp, &mut out);
            }
            out
        })
        .collect();
    let mut out = String::with_capacity(vevents.iter().map(String::len).sum::<usize>() + 512);
    for line in head {
        fold(&line, &mut out);
    }
    for v in &vevents {
        out.push_str(v);
    }
    fold("END:VCALENDAR", &mut out);
    out
}

/// One event's lines, folded, appended to `out`.
fn vevent(date: Date, e: &EventView, stamp: &str, out: &mut String) {
    fold("BEGIN:VEVENT", out);
    fold(&format!("UID:{}", uid(e)), out);
    fold(stamp, out);
    fold(&format!("DTSTART;VALUE=DATE:{}", compact(date)), out);
    // No DTEND: an all-day event without one lasts that one day
    // (RFC 5545, 3.6.1). SUMMARY says what, whose and which item; the
    // DESCRIPTION adds only the status and where it is on the site.
    fold(
        &format!(
            "SUMMARY:{}",
            text(&format!("{}: {}: {}", e.kind_label, e.vendor.name, e.title))
        ),
        out,
    );
    fold(
        &format!(
            "DESCRIPTION:{}",
            text(&format!("{}. {}", e.status.label, e.href))
        ),
        out,
    );
    fold(&format!("CATEGORIES:{}", text(&e.kind)), out);
    fold("TRANSP:TRANSPARENT", out);
    fold("END:VEVENT", out);
}

/// `20270331`: a DATE value (`strftime("%Y%m%d")`, without its parser for
/// the years a registry has).
fn compact(d: Date) -> String {
    match d.year() {
        0..=9999 => format!("{:04}{:02}{:02}", d.year(), d.month(), d.day()),
        _ => d.strftime("%Y%m%d").to_string(),
    }
}

/// A stable identifier: what the event is about (kind, vendor, the anchor
/// of the item on the vendor page, its title), hashed.
fn uid(e: &EventView) -> String {
    let mut h = Sha256::new();
    for part in [&e.kind, &e.vendor.slug, &e.href, &e.title] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    let digest = h.finalize();
    let mut id = super::manifest::hex(digest.get(..16).unwrap_or_default());
    id.push_str("@vetted");
    id
}

/// RFC 5545 TEXT: `\`, `;` and `,` escaped, line breaks as `\n`, other
/// control characters dropped.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` folded at 75 octets (a continuation line starts with one
/// space, which counts), never inside a UTF-8 character, then CRLF.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_control_characters_dropped() {
        assert_eq!(
            text("a\\b;c,d\ne\u{7}f\r"),
            "a\\\\b\\;c\\,d\\ne\u{0}f".replace('\u{0}', "")
        );
    }

    #[test]
    fn dates_are_compact_as_strftime_writes_them() {
        for (y, m, d) in [(2026, 11, 29), (999, 1, 2), (9999, 12, 31), (-5, 3, 4)] {
            let date = Date::new(y, m, d).unwrap();
            assert_eq!(compact(date), date.strftime("%Y%m%d").to_string());
        }
    }

    #[test]
    fn lines_fold_at_75_octets_between_characters() {
        let mut out = String::new();
        let line = format!("SUMMARY:{}", "é".repeat(60));
        fold(&line, &mut out);
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75, "{} octets", physical.len());
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line, "unfolding gives the line back");
        let mut short = String::new();
        fold("VERSION:2.0", &mut short);
        assert_eq!(short, "VERSION:2.0\r\n");
    }

    #[test]
    fn a_uid_depends_on_what_the_event_is_about_not_its_date() {
        let e = |href: &str, title: &str| EventView {
            date: "2027-01-01".into(),
            kind: "artifact".into(),
            kind_label: "Evidence expires".into(),
            vendor: crate::render::view::VendorLink {
                name: "Acme".into(),
                slug: "acme".into(),
                href: "vendors/acme/index.html".into(),
            },
            title: title.into(),
            status: crate::render::view::Badge::new(
                "valid",
                "Valid",
                crate::render::view::Tone::Good,
                1,
            ),
            when: "in 1 day".into(),
            past: false,
            href: href.into(),
        };
        let a = e("vendors/acme/index.html#artifact-0", "SOC 2");
        let mut moved = a.clone();
        moved.date = "2027-06-30".into();
        assert_eq!(uid(&a), uid(&moved));
        assert_ne!(
            uid(&a),
            uid(&e("vendors/acme/index.html#artifact-1", "SOC 2"))
        );
        assert_ne!(
            uid(&a),
            uid(&e("vendors/acme/index.html#artifact-0", "ISO"))
        );
        assert!(uid(&a).ends_with("@vetted") && uid(&a).len() == 32 + 7);
    }
}
