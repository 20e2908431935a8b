//! Change history as the site shows it: a vendor's timeline, the registry's
//! change log (the dashboard's recent changes, the change-log page and the
//! feed), and when an answer or artifact last changed. Takes the history
//! stage's typed events; gives [`HistoryView`]s.

use super::model::Model;
use super::view::{ChangedVendor, HistoryEntry, HistoryView, ProvenanceView, VendorLink};
use crate::history::{CommitChanges, CommitInfo, FieldChange, VendorChangeKind, VendorEvent};

/// Entries on the dashboard's recent changes.
pub const RECENT_CHANGES: usize = 10;
/// Entries in the Atom feed.
pub const FEED_CAP: usize = 50;

fn kind_label(k: &VendorChangeKind) -> String {
    match k {
        VendorChangeKind::Added => "added".into(),
        VendorChangeKind::Removed => "removed".into(),
        VendorChangeKind::Modified => "modified".into(),
        VendorChangeKind::Renamed { from } => format!("renamed from {from}"),
    }
}

fn labels(changes: &[FieldChange]) -> Vec<String> {
    changes
        .iter()
        .map(|x| format!("{}: {}", x.file, x.label))
        .collect()
}

fn entry(c: &CommitInfo) -> HistoryEntry {
    HistoryEntry {
        date: c.date.clone(),
        author: c.author.clone(),
        summary: c.summary.clone(),
        body: c
            .message
            .lines()
            .skip(1)
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string(),
        commit: c.short.clone(),
        commit_id: c.id.clone(),
        uncommitted: c.id == "uncommitted",
        vendors: Vec::new(),
        kind: String::new(),
        changes: Vec::new(),
        derived: Vec::new(),
        policy: Vec::new(),
    }
}

/// A vendor's timeline entry.
/// The commit's body is left to the change log: a commit that touches many
/// vendors would otherwise copy it into every one of their pages.
fn vendor_entry(e: &VendorEvent) -> HistoryEntry {
    HistoryEntry {
        kind: kind_label(&e.kind),
        changes: labels(&e.changes),
        derived: e.derived.iter().map(ToString::to_string).collect(),
        body: String::new(),
        ..entry(&e.commit)
    }
}

/// A change-log entry: one commit, every vendor it changed, its policy changes.
fn commit_entry(c: &CommitChanges, link: impl Fn(&str) -> Option<VendorLink>) -> HistoryEntry {
    let vendors = c
        .vendors
        .iter()
        .map(|v| ChangedVendor {
            // A vendor removed since has no page: its slug, without a link.
            vendor: link(&v.slug).unwrap_or_else(|| VendorLink {
                name: v.slug.clone(),
                slug: v.slug.clone(),
                href: String::new(),
            }),
            kind: kind_label(&v.kind),
            changes: labels(&v.changes),
            derived: v.derived.iter().map(ToString::to_string).collect(),
        })
        .collect();
    HistoryEntry {
        vendors,
        policy: labels(&c.policy),
        ..entry(&c.commit)
    }
}

/// The frame every history list shares: availability, notes, the empty-state text.
fn frame(model: &Model, entries: Vec<HistoryEntry>, total: usize) -> HistoryView {
    let h = model.history;
    let note = if !h.available {
        "This registry is not kept in git, so there is no change history.".to_string()
    } else {
        "No recorded changes.".to_string()
    };
    HistoryView {
        available: h.available,
        partial: h.partial,
        note,
        notes: h.notes.clone(),
        entries,
        total,
    }
}

/// A vendor's timeline, newest first, capped at `[site] vendor_history`
/// entries (the rest are in the change log, which the page links to): a
/// page's size stays bounded however often a vendor changes.
pub fn vendor_history(model: &Model, slug: &str) -> HistoryView {
    let events: &[VendorEvent] = model
        .history
        .vendors
        .get(slug)
        .map_or(&[], |v| v.as_slice());
    let entries = events
        .iter()
        .take(model.registry.settings.vendor_history)
        .map(vendor_entry)
        .collect();
    frame(model, entries, events.len())
}

/// Registry-wide changes, newest first, one entry per commit.
pub fn site_history(model: &Model, cap: usize) -> HistoryView {
    let commits = &model.history.commits;
    let entries = commits
        .iter()
        .take(cap)
        .map(|c| commit_entry(c, |slug| model.vendor_link_by_slug(slug)))
        .collect();
    frame(model, entries, commits.len())
}

/// When any answer of a questionnaire section last changed: the vendor's
/// newest change to `answers.toml` under `[<section>]`, or the commit that
/// added the vendor when none did since.
pub fn section_changed(model: &Model, slug: &str, section: &str) -> Option<ProvenanceView> {
    let events = model.history.vendors.get(slug)?;
    let in_section = |path: &str| {
        path.strip_prefix(section)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
    };
    events
        .iter()
        .find(|e| {
            e.changes
                .iter()
                .any(|c| c.file == "answers.toml" && in_section(&c.path))
        })
        .map(|e| ProvenanceView {
            date: e.commit.date.clone(),
            commit: e.commit.short.clone(),
            author: e.commit.author.clone(),
        })
        .or_else(|| since(model, slug, "*"))
}

/// Registry-wide changes `start..start + len`, newest first: one page of the
/// change log. `total` is the number of entries given, so the history
/// partial does not point to the change log from the change log itself.
pub fn site_history_page(model: &Model, start: usize, len: usize) -> HistoryView {
    let entries: Vec<HistoryEntry> = model
        .history
        .commits
        .iter()
        .skip(start)
        .take(len)
        .map(|c| commit_entry(c, |slug| model.vendor_link_by_slug(slug)))
        .collect();
    let n = entries.len();
    frame(model, entries, n)
}

/// The anchor of a commit's entry on the change log (`commit-1a2b3c4`).
pub fn commit_anchor(short: &str) -> String {
    format!("commit-{short}")
}

/// When a field last changed: its own last change, or the commit that
/// added the vendor when it never changed since.
pub fn since(model: &Model, slug: &str, key: &str) -> Option<ProvenanceView> {
    let fields = model.history.provenance.get(slug)?;
    fields
        .get(key)
        .or_else(|| fields.get("*"))
        .map(|p| ProvenanceView {
            date: p.date.clone(),
            commit: p.short.clone(),
            author: p.author.clone(),
        })
}
