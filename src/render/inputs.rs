//! Page input keys: for a page kind that can say what it is made from more
//! cheaply than by building its view data, the incremental build hashes
//! those inputs instead of the view (`page::Page::inputs`). A key must cover
//! EVERYTHING the page's data function reads; a missed input means a stale
//! page after an incremental build (tests/incremental.rs compares warm
//! builds with cold ones after every kind of change).
//!
//! What every keyed page shares (the policy files as loaded, `--today`, the
//! history's availability and notes, the newest policy commit) is hashed
//! once per build into the salt ([`shared`]); each page adds its own part.

use std::io::Write;

use serde::Serialize;

use super::assessed::Assessed;
use super::manifest::Hasher;
use super::model::Model;
use crate::error::Error;

/// Serialise `value` as JSON into the hash, then a separator.
fn put<T: Serialize + ?Sized>(h: &mut Hasher, what: &str, value: &T) -> Result<(), Error> {
    serde_json::to_writer(&mut *h, value).map_err(|source| Error::ViewSerialise {
        page: format!("inputs: {what}"),
        source,
    })?;
    h.update(&[0]);
    Ok(())
}

/// The registry-wide inputs of keyed pages, added to `h` (the site salt).
pub fn shared(model: &Model, h: &mut Hasher) -> Result<(), Error> {
    let r = model.registry;
    h.update(b"keyed-inputs-v1\0");
    put(h, "settings", &r.settings)?;
    put(h, "questionnaire", &r.questionnaire)?;
    put(h, "tiers", &r.tiers)?;
    put(h, "kinds", &r.kinds)?;
    put(h, "today", &model.today.to_string())?;
    let hist = model.history;
    put(h, "history", &(hist.available, hist.partial, &hist.notes))?;
    put(h, "policy commit", &model.policy_commit)?;
    // The data functions are code: a vetted binary rebuilt from changed
    // source under the same version number must not take over pages.
    if let Some(m) = std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok())
    {
        let stamp = super::manifest::Stamp::of(&m);
        put(h, "binary", &stamp)?;
    }
    Ok(())
}

/// A vendor page's own inputs: the vendor as loaded (evidence files it
/// publishes included, which the record's serialisation leaves out), its
/// assessment, and its history (timeline and field provenance).
pub fn vendor_page(model: &Model, p: &Assessed, h: &mut Hasher) -> Result<(), Error> {
    let v = p.vendor;
    put(h, "vendor", v)?;
    for a in &v.artifacts {
        match &a.published {
            Some(f) => {
                let _ = write!(
                    h,
                    "{}\0{}\0{}\0{:?}\0{}\0",
                    f.name,
                    f.sha256,
                    f.len,
                    f.kind,
                    f.site_path(&v.slug)
                );
            }
            None => h.update(b"-\0"),
        }
    }
    put(h, "assessment", p.assessment)?;
    put(h, "timeline", &model.history.vendors.get(&v.slug))?;
    put(h, "provenance", &model.history.provenance.get(&v.slug))?;
    put(h, "older changes", &older_changes(model, &v.slug))?;
    Ok(())
}

/// What the page's "Older changes" link depends on beyond the timeline: the
/// newest change the page does not list, and the change log page it is on
/// (its position there moves with every newer commit; the page number, at
/// `[site] rows_per_page` commits a page, only now and then). The same
/// memo as `pages::vendor`'s `history_more`.
fn older_changes<'m>(model: &'m Model, slug: &str) -> Option<(&'m str, Option<usize>)> {
    let events = model.history.vendors.get(slug)?;
    let first = events.get(model.registry.settings.vendor_history)?;
    let at = model.memo.get("commit positions", || {
        model
            .history
            .commits
            .iter()
            .enumerate()
            .map(|(i, c)| (c.commit.id.clone(), i))
            .collect::<std::collections::HashMap<String, usize>>()
    });
    let per = model.registry.settings.rows_per_page.max(1);
    Some((&first.commit.id, at.get(&first.commit.id).map(|i| i / per)))
}
