//! `changes.atom`: the most recent registry changes as an Atom feed, drawn
//! by the theme's `changes.atom` template (XML-escaped with its `xml` filter).

use crate::render::model::Model;
use crate::render::page::{Page, Target};
use crate::render::timeline::{FEED_CAP, site_history};
use crate::render::view::{FeedPage, NavSection};

pub struct Feed;

impl Page for Feed {
    type Data = FeedPage;
    const TEMPLATE: &'static str = "changes.atom";
    const SECTION: NavSection = NavSection::Changes;
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
            self_href: "changes.atom".into(),
            links: history
                .entries
                .iter()
                .enumerate()
                .map(|(i, e)| super::changes::commit_href(model, i, &e.commit))
                .collect(),
            history,
        }
    }
}

#[cfg(test)]
mod tests {
    use tera::Context;

    use crate::render::theme::Theme;
    use crate::render::view::{ChangedVendor, FeedPage, HistoryEntry, HistoryView, VendorLink};

    fn entry(id: &str, vendors: Vec<ChangedVendor>, policy: &[&str]) -> HistoryEntry {
        HistoryEntry {
            date: "2026-10-30".into(),
            author: "Ana <Okafor>".into(),
            summary: "Update & review".into(),
            body: String::new(),
            commit: id[..7].into(),
            commit_id: id.into(),
            uncommitted: id == "uncommitted",
            vendors,
            kind: String::new(),
            changes: Vec::new(),
            derived: Vec::new(),
            policy: policy.iter().map(|p| p.to_string()).collect(),
        }
    }

    fn changed(name: &str, href: &str, derived: &[&str], changes: &[&str]) -> ChangedVendor {
        ChangedVendor {
            vendor: VendorLink {
                name: name.into(),
                slug: name.to_lowercase(),
                href: href.into(),
            },
            kind: "modified".into(),
            changes: changes.iter().map(|c| c.to_string()).collect(),
            derived: derived.iter().map(|d| d.to_string()).collect(),
        }
    }

    /// The theme's feed: uncommitted changes skipped, one vendor linked to its
    /// page, several (or none) to the change log, every value XML-escaped.
    #[test]
    fn the_default_feed_template_writes_atom() {
        let feed = FeedPage {
            id: "urn:vetted:fixture-hospital:changes".into(),
            updated: "2026-10-30T00:00:00Z".into(),
            history: HistoryView {
                available: true,
                partial: false,
                note: String::new(),
                notes: Vec::new(),
                total: 4,
                entries: vec![
                    entry("uncommitted", vec![changed("Acme", "a", &[], &[])], &[]),
                    entry(
                        "1111111aaaa",
                        vec![changed(
                            "Acme",
                            "vendors/acme/index.html",
                            &["tier 3 → 1"],
                            &["x: 1 → 2"],
                        )],
                        &[],
                    ),
                    entry(
                        "2222222bbbb",
                        vec![
                            changed("A", "vendors/a/index.html", &[], &[]),
                            changed("B\u{1}", "", &[], &["y"]),
                        ],
                        &["tiers.toml: p"],
                    ),
                    entry(
                        "3333333cccc",
                        Vec::new(),
                        &["vetted.toml: a", "tiers.toml: b"],
                    ),
                ],
            },
            self_href: "changes.atom".into(),
            links: ["uncommitted", "1111111", "2222222", "3333333"]
                .iter()
                .map(|c| format!("changes/index.html#commit-{c}"))
                .collect(),
        };
        let mut site = std::collections::BTreeMap::new();
        site.insert("title", "Registry 'R'");
        let mut ctx = Context::new();
        ctx.insert("site", &site);
        ctx.insert("feed", &feed);
        let theme = Theme::load(None).unwrap();
        let got = theme.render("changes.atom", "changes.atom", &ctx).unwrap();
        let entry = |title: &str, id: &str, href: &str, summary: &str| {
            let related = if href.is_empty() {
                String::new()
            } else {
                format!("    <link rel=\"related\" type=\"text/html\" href=\"{href}\"/>\n")
            };
            format!(
                "  <entry>\n    <title>{title}</title>\n    <id>urn:vetted:commit:{id}</id>\n    \
                 <updated>2026-10-30T00:00:00Z</updated>\n    <author><name>Ana &lt;Okafor&gt;</name></author>\n    \
                 <link rel=\"alternate\" type=\"text/html\" href=\"changes/index.html#commit-{}\"/>\n{related}    \
                 <summary type=\"text\">{summary}</summary>\n  </entry>\n",
                &id[..7]
            )
        };
        let want = [
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n",
            "  <title>Registry &apos;R&apos; — changes</title>\n",
            "  <id>urn:vetted:fixture-hospital:changes</id>\n",
            "  <updated>2026-10-30T00:00:00Z</updated>\n",
            "  <link rel=\"alternate\" type=\"text/html\" href=\"changes/index.html\"/>\n",
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"changes.atom\"/>\n",
            &entry(
                "Acme: Update &amp; review",
                "1111111aaaa",
                "vendors/acme/index.html",
                "Acme (modified; tier 3 → 1; x: 1 → 2) (commit 1111111)",
            ),
            &entry(
                "A, B\u{FFFD}: Update &amp; review",
                "2222222bbbb",
                "",
                "A (modified) · B\u{FFFD} (modified; y) · tiers.toml: p (commit 2222222)",
            ),
            &entry(
                "Update &amp; review",
                "3333333cccc",
                "",
                "vetted.toml: a · tiers.toml: b (commit 3333333)",
            ),
            "</feed>\n",
        ]
        .concat();
        assert_eq!(got, want);
    }
}
