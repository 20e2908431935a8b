//! `changes.atom`: the most recent registry changes as an Atom feed, drawn
//! by the theme's `changes.atom` template (XML-escaped with its `xml` filter).

use crate::render::model::Model;
use crate::render::page::{Page, Target};
use crate::render::timeline::{FEED_CAP, site_history};
use crate::render::view::FeedPage;

pub struct Feed;

impl Page for Feed {
    type Data = FeedPage;
    const TEMPLATE: &'static str = "changes.atom";
    const SECTION: &'static str = "changes";
    const KEY: &'static str = "feed";
    const HTML: bool = false;

    fn target<'m>(&self, _: &'m Model, _: usize) -> Target<'m> {
        Target::fixed("changes.atom", "Change log")
    }

    fn data(&self, model: &Model, _: usize) -> FeedPage {
        let history = site_history(model, FEED_CAP);
        // The feed changed when its newest commit was made; without one, on the build date.
        let updated = history
            .entries
            .iter()
            .find(|e| !e.uncommitted)
            .map_or_else(|| model.today.to_string(), |e| e.date.clone());
        let organisation = &model.registry.settings.organisation;
        FeedPage {
            id: format!(
                "urn:vetted:{}:changes",
                organisation.replace(' ', "-").to_lowercase()
            ),
            updated: format!("{updated}T00:00:00Z"),
            history,
        }
    }
}
