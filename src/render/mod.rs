//! Render and publish stages: the validated registry and its assessment in,
//! a self-contained static site out.
//!
//! `build` renders every page in memory (in parallel with rayon, each page a
//! pure function of the view model), then `publish` swaps the result into the
//! output folder atomically. Pages link to each other with relative paths
//! computed from their depth, so the site works from any sub-path and from
//! `file://`; nothing is loaded from elsewhere. The same input gives the same
//! bytes at any thread count: views are built from sorted data and hold no maps.
//! With a cache folder the build is incremental (`manifest`): a page whose
//! inputs (its view data, the `site` variable, the theme, vetted's version)
//! hash as in the last build is not rendered, and unchanged files are
//! hard-linked from the published site instead of rewritten; the output is
//! the same bytes as a full build's.
//!
//! Templates receive only the view structs in [`view`]; that is the theme's
//! contract, documented in `themes/default/CONTRACT.md` and snapshotted by
//! [`view_model`].
//!
//! Layout: `page` says what a page is (the `page::Page` trait: template,
//! path, title, data); `pages/` holds one module per page kind and the table
//! of them; `model` is the shared context built once (the registry joined
//! with its assessment in `assessed`, plus lookups); `view` the contract
//! types; `badge`, `link`, `text`, `timeline` and `chart` the pieces pages
//! share; `evidence_files` copies the evidence files the site serves;
//! `search` the search index; `portfolio` the cross-vendor joins; `theme`
//! and `publish` the output side.
//!
//! Adding a page: a module under `pages/` implementing `Page` (its data
//! function and unit tests), a line in `pages::PAGES`, its data type in
//! `view` (the contract), and its template in `themes/default/templates/`
//! plus a line in `theme::DEFAULT_THEME` (a unit test fails without it).
//! `tests/view_model.rs` then snapshots its data.

mod assessed;
pub(crate) mod badge;
mod chart;
pub(crate) mod evidence_files;
mod ics;
mod inputs;
mod link;
mod manifest;
pub mod markdown;
mod memo;
mod model;
mod page;
mod pages;
pub(crate) mod portfolio;
mod publish;
mod search;
pub(crate) mod table;
mod text;
pub(crate) mod theme;
mod timeline;
pub mod view;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

pub use page::PageData;
pub use publish::MARKER;
pub use theme::DEFAULT_THEME;
pub use view::VIEW_CONTRACT_VERSION;

use crate::assess::Assessment;
use crate::error::Error;
use crate::history::History;
use crate::model::Registry;
use model::Model;
use page::SitePage;
use pages::PAGES;
use theme::Theme;
use view::{SearchEntry, SiteView};

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
    /// Cache folder for the site manifest: only pages whose inputs changed
    /// are rendered, and unchanged files are not rewritten (`None`: a full
    /// build).
    pub cache_dir: Option<PathBuf>,
}

/// What a build produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuildStats {
    /// HTML pages written.
    pub pages: usize,
    /// Bytes written, all files included.
    pub bytes: u64,
    /// Files kept from the previous site unchanged (incremental builds).
    pub reused: usize,
    /// What a reader should know about the site manifest (damaged, unwritten).
    pub notes: [Option<&'static str>; 2],
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
    let empty = History::default();
    let model = Model::new(
        registry,
        assessment,
        opts.history.as_ref().unwrap_or(&empty),
    );
    crate::timings::lap("theme and model");
    // Pages stream into a staging folder as they are rendered; any error
    // drops the staging (and its folder) before the swap.
    let staging = publish::Staging::begin(&opts.out, opts.cache_dir.as_deref())?;
    crate::timings::lap("staging begin (manifest load)");
    let pages = render_site(&theme, &model, opts.progress, &staging)?;
    let published = staging.commit()?;
    crate::timings::lap("publish: previous site removed");
    Ok(BuildStats {
        pages,
        bytes: published.bytes,
        reused: published.reused,
        notes: published.notes,
    })
}

/// The assessed registry's dated events as an RFC 5545 calendar (what
/// `build` publishes as `calendar.ics`, and `vetted calendar` prints).
pub fn calendar_ics(registry: &Registry, assessment: &Assessment) -> String {
    let empty = History::default();
    ics::calendar(&Model::new(registry, assessment, &empty))
}

/// Write the embedded default theme's files into `dir` (for `vetted theme eject`);
/// refuses to overwrite existing files (returns `Error::EjectExisting` naming them).
pub fn eject_theme(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    theme::eject(dir)
}

/// Every page of the site as (page kind, index within the kind).
fn jobs(model: &Model) -> Vec<(&'static dyn SitePage, usize)> {
    PAGES
        .iter()
        .flat_map(|kind| (0..kind.count(model)).map(move |i| (*kind, i)))
        .collect()
}

/// Render every page, writing each as soon as it exists. Returns the number
/// of HTML pages.
fn render_site(
    theme: &Theme,
    model: &Model,
    progress: bool,
    staging: &publish::Staging,
) -> Result<usize, Error> {
    let site = model.site();
    let jobs = jobs(model);
    let bar = progress_bar(progress, jobs.len());
    let salt = site_inputs(theme, &site)?;
    let keyed = {
        let mut h = manifest::Hasher::new(salt.clone());
        inputs::shared(model, &mut h)?;
        h.into_sha()
    };
    let reuse = |path: &str, inputs: &manifest::Hash| staging.reuse(path, inputs);
    let reuse = page::Reuse {
        salt: &salt,
        keyed: &keyed,
        reuse: &reuse,
    };
    let reuse = staging.incremental().then_some(&reuse);
    // The pages, and beside them the whole-registry files (search index,
    // tables' data scripts, calendar.ics): independent, so rayon runs them
    // side by side.
    let (rendered, extras) = rayon::join(
        || {
            let rendered: Vec<Result<(), Error>> = jobs
                .par_iter()
                .map(|(kind, i)| {
                    let out = kind.build(theme, &site, model, *i, reuse);
                    bar.inc(1);
                    match out? {
                        page::Built::Reused => Ok(()),
                        page::Built::Rendered(f, inputs) => {
                            staging.write_page(&f.path, &f.bytes, inputs)
                        }
                    }
                })
                .collect();
            rendered
        },
        || whole_registry_files(model, staging),
    );
    bar.finish_and_clear();
    crate::timings::lap("pages, search index, data scripts, calendar.ics (in parallel)");
    page::report_timings();
    for r in rendered {
        r?;
    }
    extras?;
    evidence_files::write(model, staging)?;
    for (name, bytes) in &theme.statics {
        staging.write(&format!("static/{name}"), bytes)?;
    }
    crate::timings::lap("evidence files and statics");
    Ok(jobs.iter().filter(|(kind, _)| kind.is_html()).count())
}

static T_SEARCH: crate::timings::Sum = crate::timings::Sum::new();
static T_SCRIPTS: crate::timings::Sum = crate::timings::Sum::new();
static T_ICS: crate::timings::Sum = crate::timings::Sum::new();

/// The files made from the whole registry: the search index, the tables'
/// data scripts and `calendar.ics`, each in its own rayon task.
fn whole_registry_files(model: &Model, staging: &publish::Staging) -> Result<(), Error> {
    let write_all = |files: Vec<publish::OutFile>| -> Result<(), Error> {
        files
            .iter()
            .try_for_each(|f| staging.write(&f.path, &f.bytes))
    };
    let search = || T_SEARCH.time(|| write_all(search::scripts(model)?));
    let scripts = || T_SCRIPTS.time(|| write_all(pages::data_scripts(model)?));
    let ics = || T_ICS.time(|| staging.write(ics::PATH, ics::calendar(model).as_bytes()));
    let (a, (b, c)) = rayon::join(search, || rayon::join(scripts, ics));
    T_SEARCH.report("search index");
    T_SCRIPTS.report("data scripts");
    T_ICS.report("calendar.ics");
    a.and(b).and(c)
}

/// What every page is made from besides its own data: vetted's version, the
/// theme's files and the `site` variable, hashed once (see `manifest`).
fn site_inputs(theme: &Theme, site: &SiteView) -> Result<sha2::Sha256, Error> {
    let mut h = manifest::Hasher::default();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(&[0]);
    h.update(&theme.fingerprint);
    serde_json::to_writer(&mut h, site).map_err(|source| Error::ViewSerialise {
        page: "site".into(),
        source,
    })?;
    Ok(h.into_sha())
}

fn progress_bar(show: bool, len: usize) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{spinner} rendering {pos}/{len} pages {wide_bar}")
    {
        bar.set_style(style);
    }
    bar
}

/// Everything the theme's templates see, page by page: the theme's contract
/// as data. `tests/view_model.rs` snapshots it as JSON, so a change to what
/// templates receive shows up in review (and in [`VIEW_CONTRACT_VERSION`]).
#[derive(Debug, Clone, Serialize)]
pub struct ViewModel {
    /// [`VIEW_CONTRACT_VERSION`].
    pub contract_version: u32,
    /// The `site` variable, the same on every page.
    pub site: SiteView,
    /// Every page, in the order of the page table (vendor pages by name).
    pub pages: Vec<PageData>,
    /// The entries of the search index (`search/<shard>.js`).
    pub search: Vec<SearchEntry>,
}

/// The view data of every page of the site `build` would write (without
/// rendering anything).
pub fn view_model(
    registry: &Registry,
    assessment: &Assessment,
    history: Option<&History>,
) -> Result<ViewModel, Error> {
    let empty = History::default();
    let model = Model::new(registry, assessment, history.unwrap_or(&empty));
    let pages = jobs(&model)
        .into_iter()
        .map(|(kind, i)| kind.view(&model, i))
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(ViewModel {
        contract_version: VIEW_CONTRACT_VERSION,
        site: model.site(),
        pages,
        search: search::entries(&model),
    })
}
