//! What a site page is: a template, an output path, a title and view data,
//! declared once per page kind with [`Page`]. Everything else a page needs
//! (the shared `site` and `page` variables, the relative root, rendering and
//! the view snapshot) is worked out here, the same for every kind.

use std::borrow::Cow;

use serde::Serialize;
use tera::Context;

use super::manifest::{Hash, Hasher};
use super::model::Model;
use super::publish::OutFile;
use super::theme::Theme;
use super::view::{NavSection, PageView, SiteView};
use crate::error::Error;

/// Where one page is written and what it is called.
pub struct Target<'a> {
    /// Path from the site root, with `/` (`vendors/acme/index.html`).
    pub path: Cow<'a, str>,
    /// `page.title`: `<title>` and the page's `<h1>`.
    pub title: Cow<'a, str>,
}

impl Target<'static> {
    /// A page kind with one page at a fixed path.
    pub const fn fixed(path: &'static str, title: &'static str) -> Target<'static> {
        Target {
            path: Cow::Borrowed(path),
            title: Cow::Borrowed(title),
        }
    }
}

/// One kind of site page (the dashboard, a vendor's page, the feed, …).
///
/// Adding a page to the site is one implementation of this trait in its own
/// module under `pages/`, its template in the theme, and a line in
/// `pages::PAGES`.
pub trait Page: Sync {
    /// The view data the template reads under [`Page::KEY`] (the theme's contract).
    type Data: Serialize;
    /// The template under the theme's `templates/`.
    const TEMPLATE: &'static str;
    /// `page.section`: the navigation entry that is current on this page.
    const SECTION: NavSection;
    /// The name of the page's data in the template context.
    const KEY: &'static str;
    /// Whether the page counts as an HTML page of the site (the feed does not).
    const HTML: bool = true;

    /// How many pages of this kind the site has: one, or one per vendor.
    fn count(&self, _model: &Model) -> usize {
        1
    }

    /// Where page `i` is written and its title.
    fn target<'m>(&self, model: &'m Model, i: usize) -> Target<'m>;

    /// The view data of page `i`.
    fn data(&self, model: &Model, i: usize) -> Self::Data;

    /// In an incremental build, a cheaper stand-in for hashing the view
    /// data: hash into `h` everything page `i`'s data is made from beyond
    /// what `render::inputs::shared` covers (`None`, the default: the view
    /// data is built and hashed). It must cover every input `data` reads.
    fn inputs(&self, _model: &Model, _i: usize, _h: &mut Hasher) -> Option<Result<(), Error>> {
        None
    }
}

/// One page's view data as the theme sees it: what `tests/view_model.rs`
/// snapshots, so a theme author sees when the contract changes.
#[derive(Debug, Clone, Serialize)]
pub struct PageData {
    /// The template that draws it.
    pub template: &'static str,
    /// The `page` variable.
    pub page: PageView,
    /// The name of the page's own variable (`dashboard`, `vendor`, …).
    pub key: &'static str,
    /// The page's own variable.
    pub data: serde_json::Value,
}

/// What an incremental build does with a page whose inputs it has hashed:
/// `reuse(path, inputs)` says whether the published copy was taken over.
pub struct Reuse<'a> {
    /// Everything every page depends on, hashed (`render::site_inputs`).
    pub salt: &'a sha2::Sha256,
    /// `salt` plus the registry-wide inputs of keyed pages (`Page::inputs`).
    pub keyed: &'a sha2::Sha256,
    pub reuse: &'a (dyn Fn(&str, &Hash) -> bool + Sync),
}

/// A page built, or taken over from the published site unchanged.
pub enum Built {
    Reused,
    /// The page, and the hash of its inputs (in an incremental build).
    Rendered(OutFile, Option<Hash>),
}

/// [`Page`] with its data type erased, so every kind sits in one table.
pub trait SitePage: Sync {
    fn count(&self, model: &Model) -> usize;
    fn is_html(&self) -> bool;
    /// Render page `i` with the theme; in an incremental build, first hash
    /// what it is made from (its template, `page` variable and data, after
    /// `reuse.salt`) and render only when `reuse` does not take it over.
    fn build(
        &self,
        theme: &Theme,
        site: &SiteView,
        model: &Model,
        i: usize,
        reuse: Option<&Reuse>,
    ) -> Result<Built, Error>;
    /// Page `i`'s view data, as JSON.
    fn view(&self, model: &Model, i: usize) -> Result<PageData, Error>;
}

impl<P: Page> SitePage for P {
    fn count(&self, model: &Model) -> usize {
        Page::count(self, model)
    }

    fn is_html(&self) -> bool {
        P::HTML
    }

    fn build(
        &self,
        theme: &Theme,
        site: &SiteView,
        model: &Model,
        i: usize,
        reuse: Option<&Reuse>,
    ) -> Result<Built, Error> {
        let target = self.target(model, i);
        let page = page_view::<P>(&target);
        let keyed = match reuse {
            Some(r) => T_HASH.time(|| keyed_inputs(self, r.keyed, model, i, &page))?,
            None => None,
        };
        if let (Some(r), Some(k)) = (reuse, &keyed) {
            if (r.reuse)(&page.path, k) {
                return Ok(Built::Reused);
            }
        }
        let data = T_DATA.time(|| self.data(model, i));
        let inputs = match (reuse, keyed) {
            (Some(_), Some(k)) => Some(k),
            (Some(r), None) => {
                let inputs = T_HASH.time(|| inputs_of::<P>(r.salt, &page, &data))?;
                if (r.reuse)(&page.path, &inputs) {
                    return Ok(Built::Reused);
                }
                Some(inputs)
            }
            (None, _) => None,
        };
        let mut ctx = Context::new();
        ctx.insert("site", site);
        ctx.insert("page", &page);
        ctx.insert("root", &page.root);
        ctx.insert(P::KEY, &data);
        let text = T_RENDER.time(|| theme.render(P::TEMPLATE, &page.path, &ctx))?;
        let file = OutFile {
            path: page.path,
            bytes: text.into_bytes(),
        };
        Ok(Built::Rendered(file, inputs))
    }

    fn view(&self, model: &Model, i: usize) -> Result<PageData, Error> {
        let target = self.target(model, i);
        let data =
            serde_json::to_value(self.data(model, i)).map_err(|source| Error::ViewSerialise {
                page: target.path.to_string(),
                source,
            })?;
        Ok(PageData {
            template: P::TEMPLATE,
            page: page_view::<P>(&target),
            key: P::KEY,
            data,
        })
    }
}

static T_DATA: crate::timings::Sum = crate::timings::Sum::new();
static T_HASH: crate::timings::Sum = crate::timings::Sum::new();
static T_RENDER: crate::timings::Sum = crate::timings::Sum::new();

/// Report the page stages' summed times (`VETTED_TIMINGS`).
pub fn report_timings() {
    T_DATA.report("view data");
    T_HASH.report("hashing view data");
    T_RENDER.report("template rendering");
}

/// A hasher after `salt` with what every page key starts with: the page's
/// template, its kind and the `page` variable.
fn page_hasher<P: Page>(salt: &sha2::Sha256, page: &PageView) -> Result<Hasher, Error> {
    let mut h = Hasher::new(salt.clone());
    h.update(P::TEMPLATE.as_bytes());
    h.update(&[0]);
    h.update(P::KEY.as_bytes());
    h.update(&[0]);
    serde_json::to_writer(&mut h, page).map_err(|source| Error::ViewSerialise {
        page: page.path.clone(),
        source,
    })?;
    Ok(h)
}

/// The page's key from [`Page::inputs`] (after `keyed`: the site salt and
/// the shared inputs), or `None` for a kind that is keyed by its view data.
fn keyed_inputs<P: Page>(
    kind: &P,
    keyed: &sha2::Sha256,
    model: &Model,
    i: usize,
    page: &PageView,
) -> Result<Option<Hash>, Error> {
    let mut h = page_hasher::<P>(keyed, page)?;
    match kind.inputs(model, i, &mut h) {
        Some(r) => r.map(|()| Some(h.finish())),
        None => Ok(None),
    }
}

/// The hash of what a page's template sees, after `salt` (the theme, the
/// `site` variable, vetted's version): its template's name, the `page`
/// variable and its own data, as the JSON the context is made from.
fn inputs_of<P: Page>(salt: &sha2::Sha256, page: &PageView, data: &P::Data) -> Result<Hash, Error> {
    let mut h = page_hasher::<P>(salt, page)?;
    serde_json::to_writer(&mut h, data).map_err(|source| Error::ViewSerialise {
        page: page.path.clone(),
        source,
    })?;
    Ok(h.finish())
}

fn page_view<P: Page>(target: &Target) -> PageView {
    PageView {
        title: target.title.to_string(),
        section: P::SECTION,
        root: root_of(&target.path),
        path: target.path.to_string(),
    }
}

/// `./` for the root, `../` per folder level below it.
pub fn root_of(path: &str) -> String {
    let depth = path.matches('/').count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_follow_depth() {
        assert_eq!(root_of("index.html"), "./");
        assert_eq!(root_of("vendors/index.html"), "../");
        assert_eq!(root_of("vendors/acme/index.html"), "../../");
    }
}
