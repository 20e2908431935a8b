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
    let model = Model::new(registry, assessment);
    let files = render_site(&theme, &model, opts.progress)?;
    let pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
    let bytes = publish::publish(&opts.out, &files)?;
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
}

/// Every file of the site, in a fixed order.
fn render_site(theme: &Theme, model: &Model, progress: bool) -> Result<Vec<OutFile>, Error> {
    let site = model.site();
    let pairs = model.pairs();
    let mut jobs = vec![
        Job::Dashboard,
        Job::Vendors,
        Job::Calendar,
        Job::Questionnaire,
        Job::Findings,
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

    let rendered: Vec<Result<OutFile, Error>> = jobs
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
            out
        })
        .collect();
    bar.finish_and_clear();

    let mut files = Vec::with_capacity(rendered.len() + 4);
    for r in rendered {
        files.push(r?);
    }
    files.push(search_index(model)?);
    for (name, bytes) in &theme.statics {
        files.push(OutFile {
            path: format!("static/{name}"),
            bytes: bytes.clone(),
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
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
