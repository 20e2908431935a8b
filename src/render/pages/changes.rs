//! `changes/index.html` and `changes/page/N/index.html`: the whole
//! site-wide change log, `[site] rows_per_page` commits a page, newest first,
//! each entry with its own anchor (`#commit-<short id>`, what the feed links to).

use crate::render::model::Model;
use crate::render::page::{Page, Target};
use crate::render::table::{Listing, page_path};
use crate::render::timeline::site_history_page;
use crate::render::view::{ChangesPage, NavSection};

pub struct Changes;

const DIR: &str = "changes/";

fn listing(model: &Model) -> Listing {
    let per = model.registry.settings.rows_per_page;
    Listing::new("changes", DIR, model.history.commits.len(), per, Vec::new())
}

/// Where commit number `i` (newest first) of the history is on the change
/// log: its page and anchor, from the site root.
pub fn commit_href(model: &Model, i: usize, short: &str) -> String {
    let per = model.registry.settings.rows_per_page.max(1);
    format!(
        "{}#{}",
        page_path(DIR, i / per + 1),
        crate::render::timeline::commit_anchor(short)
    )
}

impl Page for Changes {
    type Data = ChangesPage;
    const TEMPLATE: &'static str = "changes.html";
    const SECTION: NavSection = NavSection::Changes;
    const KEY: &'static str = "changes";

    fn count(&self, model: &Model) -> usize {
        listing(model).count()
    }

    fn target<'m>(&self, model: &'m Model, i: usize) -> Target<'m> {
        let title = if i == 0 {
            "Change log".to_string()
        } else {
            format!("Change log, page {}", i + 1)
        };
        Target {
            path: listing(model).path(i).into(),
            title: title.into(),
        }
    }

    fn data(&self, model: &Model, i: usize) -> ChangesPage {
        let l = listing(model);
        let table = l.view(i);
        let start = table.first.saturating_sub(1);
        ChangesPage {
            history: site_history_page(model, start, l.window(i).len()),
            all: model.history.commits.len(),
            feed_href: "changes.atom".into(),
            table,
        }
    }
}
