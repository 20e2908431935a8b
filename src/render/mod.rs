//! Render and publish stages: the validated registry and its assessment in,
//! a self-contained static site out.
//!
//! `build` renders every page in memory (in parallel with rayon, each page a
//! pure function of the view model), then `publish` swaps the result into the
//! output folder atomically. Pages link to each other with relative paths
//! computed from their depth, so the site works from any sub-path and from
//! `file://`; nothing is loaded from elsewhere. The same input gives the same
//! bytes at any thread count: views are built from sorted data and hold no maps.
//!
//! Templates receive only the view structs in [`view`]; that is the theme's
//! contract, documented in `themes/default/CONTRACT.md`.

mod chart;
pub mod markdown;
mod model;
mod publish;
mod theme;
pub mod view;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

pub use publish::MARKER;
pub use theme::DEFAULT_THEME;

use crate::Error;
use crate::assess::Assessment;
use crate::model::Registry;
use model::Model;
use publish::OutFile;
use theme::Theme;
use view::{PageView, SiteView};

/// What `vetted build` asks of the renderer.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Output folder; replaced as a whole.
    pub out: PathBuf,
    /// A theme folder whose files replace the embedded default theme's, file by file.
    pub theme_dir: Option<PathBuf>,
    /// Show a progress bar on stderr.
    pub progress: bool,
    /// Change history from git (`None`: the site says there is none).
    pub history: Option<crate::history::History>,
}

/// What a build produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuildStats {
    /// HTML pages written.
    pub pages: usize,
    /// Bytes written, all files included.
    pub bytes: u64,
}

/// Render every page in memory (parallel with rayon), then publish atomically to `opts.out`.
pub fn build(
    registry: &Registry,
    assessment: &Assessment,
    opts: &BuildOptions,
) -> Result<BuildStats, Error> {
    // Refuse a bad --out before doing any work.
    publish::check_target(&opts.out)?;
    let theme = Theme::load(opts.theme_dir.as_deref())?;
    let empty = crate::history::History::default();
    let model = Model::new(
        registry,
        assessment,
        opts.history.as_ref().unwrap_or(&empty),
    );
    // Pages stream into a staging folder as they are rendered; any error
    // drops the staging (and its folder) before the swap.
    let staging = publish::Staging::begin(&opts.out)?;
    let pages = render_site(&theme, &model, opts.progress, &staging)?;
    let bytes = staging.commit()?;
    Ok(BuildStats { pages, bytes })
}

/// Write the embedded default theme's files into `dir` (for `vetted theme eject`);
/// refuses to overwrite existing files (returns Error::Io naming them).
pub fn eject_theme(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    theme::eject(dir)
}

/// One page to render.
enum Job {
    Dashboard,
    Vendors,
    Vendor(usize),
    Calendar,
    Questionnaire,
    Findings,
    Changes,
}

/// Every file of the site, in a fixed order.
/// Render every page, writing each as soon as it exists. Returns the number of pages.
fn render_site(
    theme: &Theme,
    model: &Model,
    progress: bool,
    staging: &publish::Staging,
) -> Result<usize, Error> {
    let site = model.site();
    let pairs = model.pairs();
    let mut jobs = vec![
        Job::Dashboard,
        Job::Vendors,
        Job::Calendar,
        Job::Questionnaire,
        Job::Findings,
        Job::Changes,
    ];
    jobs.extend((0..pairs.len()).map(Job::Vendor));

    let bar = if progress {
        let bar = indicatif::ProgressBar::new(jobs.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} rendering {pos}/{len} pages {wide_bar}",
        ) {
            bar.set_style(style);
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };

    let rendered: Vec<Result<(), Error>> = jobs
        .par_iter()
        .map(|job| {
            let out = match job {
                Job::Dashboard => page(
                    theme,
                    &site,
                    "index.html",
                    "index.html",
                    "Dashboard",
                    "dashboard",
                    "dashboard",
                    &model.dashboard(),
                ),
                Job::Vendors => page(
                    theme,
                    &site,
                    "vendors.html",
                    "vendors/index.html",
                    "Vendors",
                    "vendors",
                    "vendors",
                    &model.vendors(),
                ),
                Job::Calendar => page(
                    theme,
                    &site,
                    "calendar.html",
                    "calendar/index.html",
                    "Expiry calendar",
                    "calendar",
                    "calendar",
                    &model.calendar(),
                ),
                Job::Questionnaire => page(
                    theme,
                    &site,
                    "questionnaire.html",
                    "questionnaire/index.html",
                    "Questionnaire",
                    "questionnaire",
                    "questionnaire",
                    &model.questionnaire(),
                ),
                Job::Findings => page(
                    theme,
                    &site,
                    "findings.html",
                    "findings/index.html",
                    "Findings",
                    "findings",
                    "findings",
                    &model.findings(),
                ),
                Job::Changes => page(
                    theme,
                    &site,
                    "changes.html",
                    "changes/index.html",
                    "Change log",
                    "changes",
                    "changes",
                    &model.changes(),
                ),
                Job::Vendor(i) => {
                    let p = &pairs[*i];
                    let v = model.vendor(p);
                    let path = model::vendor_href(p.vendor);
                    page(
                        theme,
                        &site,
                        "vendor.html",
                        &path,
                        &v.name.clone(),
                        "vendors",
                        "vendor",
                        &v,
                    )
                }
            };
            bar.inc(1);
            let f = out?;
            staging.write(&f.path, &f.bytes)
        })
        .collect();
    bar.finish_and_clear();
    let pages = rendered.len();
    for r in rendered {
        r?;
    }
    for f in [search_index(model)?, atom_feed(model)] {
        staging.write(&f.path, &f.bytes)?;
    }
    for (name, bytes) in &theme.statics {
        staging.write(&format!("static/{name}"), bytes)?;
    }
    Ok(pages)
}

/// Escape text for XML content and attributes.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if xml_char(c) => out.push(c),
            // What XML 1.0 forbids or discourages shows as the replacement
            // character, so the feed stays well-formed for every parser.
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// Whether XML 1.0 allows `c` and does not discourage it: not a C0 control
/// (but tab, line feed, carriage return), not DEL or a C1 control, not a
/// Unicode non-character (U+FDD0..U+FDEF, and U+FFFE and U+FFFF in every
/// plane). Rust strings hold no surrogates.
fn xml_char(c: char) -> bool {
    let u = u32::from(c);
    match u {
        0x09 | 0x0A | 0x0D => true,
        0x00..=0x1F | 0x7F..=0x9F | 0xFDD0..=0xFDEF => false,
        _ => u & 0xFFFE != 0xFFFE,
    }
}

/// `changes.atom`: the most recent registry changes as an Atom feed. Links
/// are relative to the feed (the site works from any sub-path), ids are
/// `urn:vetted:` names, so the feed needs no configured base URL.
fn atom_feed(model: &Model) -> OutFile {
    let h = model.site_history(model::FEED_CAP);
    let site = model.site();
    let updated = h.entries.iter().find(|e| !e.uncommitted).map_or_else(
        || format!("{}T00:00:00Z", site.today),
        |e| format!("{}T00:00:00Z", e.date),
    );
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n",
    );
    s.push_str(&format!(
        "  <title>{} — changes</title>\n",
        xml(&site.title)
    ));
    s.push_str(&format!(
        "  <id>urn:vetted:{}:changes</id>\n",
        xml(&site.organisation.replace(' ', "-").to_lowercase())
    ));
    s.push_str(&format!("  <updated>{updated}</updated>\n"));
    s.push_str("  <link rel=\"alternate\" type=\"text/html\" href=\"changes/index.html\"/>\n");
    for e in h.entries.iter().filter(|e| !e.uncommitted) {
        let who: Vec<&str> = e.vendors.iter().map(|v| v.vendor.name.as_str()).collect();
        let title = if who.is_empty() {
            e.summary.clone()
        } else {
            format!("{}: {}", who.join(", "), e.summary)
        };
        let href = match e.vendors.as_slice() {
            [one] if !one.vendor.href.is_empty() => one.vendor.href.clone(),
            _ => "changes/index.html".to_string(),
        };
        let mut body: Vec<String> = Vec::new();
        for v in &e.vendors {
            let mut parts = vec![v.kind.clone()];
            parts.extend(v.derived.iter().cloned());
            parts.extend(v.changes.iter().cloned());
            body.push(format!("{} ({})", v.vendor.name, parts.join("; ")));
        }
        body.extend(e.policy.iter().cloned());
        s.push_str("  <entry>\n");
        s.push_str(&format!("    <title>{}</title>\n", xml(&title)));
        s.push_str(&format!(
            "    <id>urn:vetted:commit:{}</id>\n",
            xml(&e.commit_id)
        ));
        s.push_str(&format!(
            "    <updated>{}T00:00:00Z</updated>\n",
            xml(&e.date)
        ));
        s.push_str(&format!(
            "    <author><name>{}</name></author>\n",
            xml(&e.author)
        ));
        s.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml(&href)
        ));
        s.push_str(&format!(
            "    <summary type=\"text\">{} (commit {})</summary>\n",
            xml(&body.join(" · ")),
            xml(&e.commit)
        ));
        s.push_str("  </entry>\n");
    }
    s.push_str("</feed>\n");
    OutFile {
        path: "changes.atom".into(),
        bytes: s.into_bytes(),
    }
}

/// `./` for the root, `../` per folder level below it.
fn root_of(path: &str) -> String {
    let depth = path.matches('/').count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

#[allow(clippy::too_many_arguments)]
fn page<T: Serialize>(
    theme: &Theme,
    site: &SiteView,
    template: &str,
    path: &str,
    title: &str,
    section: &str,
    key: &'static str,
    data: &T,
) -> Result<OutFile, Error> {
    let root = root_of(path);
    let page = PageView {
        title: title.to_string(),
        section: section.to_string(),
        root: root.clone(),
        path: path.to_string(),
    };
    let mut ctx = Context::new();
    ctx.insert("site", site);
    ctx.insert("page", &page);
    ctx.insert("root", &root);
    ctx.insert(key, data);
    let html = theme.render(template, path, &ctx)?;
    Ok(OutFile {
        path: path.to_string(),
        bytes: html.into_bytes(),
    })
}

/// `search-index.js`: the search entries as one global, loaded with `<script src>`
/// so search works from `file://` where fetching JSON does not.
fn search_index(model: &Model) -> Result<OutFile, Error> {
    let json = serde_json::to_string(&model.search_index())
        .map_err(|e| Error::Io(format!("cannot serialise the search index: {e}")))?;
    // `</` never appears inside a JS string literal that serde_json wrote unless the data has it;
    // escape it anyway so the file is also safe to inline.
    let json = json.replace("</", "<\\/");
    Ok(OutFile {
        path: "search-index.js".to_string(),
        bytes: format!("window.VETTED_SEARCH = {json};\n").into_bytes(),
    })
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
