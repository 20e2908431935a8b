//! `changes/index.html`: the site-wide change log.

use crate::render::model::Model;
use crate::render::page::{Page, Target};
use crate::render::timeline::{CHANGE_LOG_CAP, site_history};
use crate::render::view::{ChangesPage, NavSection};

pub struct Changes;

impl Page for Changes {
    type Data = ChangesPage;
    const TEMPLATE: &'static str = "changes.html";
    const SECTION: NavSection = NavSection::Changes;
    const KEY: &'static str = "changes";

    fn target<'m>(&self, _: &'m Model, _: usize) -> Target<'m> {
        Target::fixed("changes/index.html", "Change log")
    }

    fn data(&self, model: &Model, _: usize) -> ChangesPage {
        ChangesPage {
            history: site_history(model, CHANGE_LOG_CAP),
            feed_href: "changes.atom".into(),
        }
    }
}
