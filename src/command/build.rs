//! `build`: check the registry, walk its history, render and publish the
//! site. A registry that breaks the data contract is refused before anything
//! is written; assessment findings do not stop the build (the site shows
//! them).

use std::path::{Path, PathBuf};

use super::{RegistryCopy, themes_beside};
use crate::diag::{Diagnostic, Sources, Tally};
use crate::error::Error;
use crate::history::{self, History};
use crate::model::{Date, Registry};
use crate::pipeline::{CheckReport, RegistryOptions};
use crate::render::{self, BuildStats};

/// What `vetted build` is asked.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The registry folder (as the user named it; its git history is read
    /// from here, also with `rev`).
    pub registry: PathBuf,
    /// The date every rule is evaluated against.
    pub today: Date,
    /// Output folder, replaced atomically.
    pub out: PathBuf,
    /// A theme folder overriding the embedded default theme file by file;
    /// `None`: `themes/<site.theme or default>` beside the registry, when
    /// that folder exists.
    pub theme_dir: Option<PathBuf>,
    /// Where the site's change history comes from.
    pub history: HistorySource,
    /// Build the registry as it stood at this git revision.
    pub rev: Option<String>,
    /// Show a progress bar on standard error while rendering.
    pub progress: bool,
}

/// Where the site's change history comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistorySource {
    /// Walk the registry's git history (uncommitted changes included),
    /// keeping what the walk learns in `cache_dir` when given, and the site
    /// manifest there too (then only pages whose inputs changed are
    /// rendered, and unchanged files are not rewritten).
    Git { cache_dir: Option<PathBuf> },
    /// No history: the site says there is none (for tests and previews that
    /// must not depend on a repository).
    None,
}

/// How a build ended, short of an error.
#[derive(Debug)]
pub enum BuildOutcome {
    /// The site was published.
    Built(Built),
    /// The registry breaks the data contract; nothing was written and the
    /// output folder is as it was.
    Refused(Refusal),
}

/// A published site.
#[derive(Debug, Clone, Copy)]
pub struct Built {
    /// Pages and bytes written.
    pub stats: BuildStats,
    /// Vendors on the site.
    pub vendors: usize,
    /// The assessment's diagnostics, counted (the site shows them).
    pub tally: Tally,
}

/// Why a build was refused, with the diagnostics that say so.
#[derive(Debug)]
pub enum Refusal {
    /// The policy files could not be read into a registry at all:
    /// every diagnostic found.
    Invalid {
        diagnostics: Vec<Diagnostic>,
        sources: Sources,
    },
    /// Vendor or policy records break the data contract: those errors only
    /// (the assessment's findings are for `check`).
    ContractErrors {
        errors: Vec<Diagnostic>,
        sources: Sources,
    },
}

impl Refusal {
    /// Why `report` cannot be built, its diagnostics moved out of it.
    pub(crate) fn of(report: &mut CheckReport) -> Refusal {
        let sources = std::mem::take(&mut report.checked.sources);
        if report.assessed().is_none() {
            Refusal::Invalid {
                diagnostics: std::mem::take(&mut report.diagnostics),
                sources,
            }
        } else {
            Refusal::ContractErrors {
                errors: report.contract_errors(),
                sources,
            }
        }
    }

    /// The diagnostics to show, and the source text they point into.
    pub fn diagnostics(&self) -> (&[Diagnostic], &Sources) {
        match self {
            Refusal::Invalid {
                diagnostics,
                sources,
            } => (diagnostics, sources),
            Refusal::ContractErrors { errors, sources } => (errors, sources),
        }
    }
}

/// The registry checked for a command that publishes from it (`build`,
/// `calendar`): its report when it is assessed and keeps the data contract,
/// otherwise why nothing may be published.
pub(crate) fn publishable(
    registry: &Path,
    rev: Option<&str>,
    today: Date,
) -> Result<Result<CheckReport, Refusal>, Error> {
    let copy = RegistryCopy::open(registry, rev)?;
    let mut report = crate::check(&RegistryOptions {
        registry: copy.dir().to_path_buf(),
        today,
    })?;
    if report.assessed().is_none() || report.is_invalid() {
        return Ok(Err(Refusal::of(&mut report)));
    }
    Ok(Ok(report))
}

/// Check, walk the history, render and publish. `on_note` hears what the
/// history walk wants a reader to know (no repository, a shallow clone, a
/// rebuilt cache) as soon as it is known, before rendering can fail.
pub fn build(opts: &BuildOptions, on_note: &mut dyn FnMut(&str)) -> Result<BuildOutcome, Error> {
    let mut report = match publishable(&opts.registry, opts.rev.as_deref(), opts.today)? {
        Ok(report) => report,
        Err(refusal) => return Ok(BuildOutcome::Refused(refusal)),
    };
    // Always assessed (`publishable` says so); refused, not panicked, otherwise.
    let Some((registry, assessment)) = report.assessed() else {
        return Ok(BuildOutcome::Refused(Refusal::of(&mut report)));
    };
    let history = read_history(opts, registry, on_note)?;
    crate::timings::lap("history");
    let stats = render::build(
        registry,
        assessment,
        &render::BuildOptions {
            out: opts.out.clone(),
            theme_dir: theme_dir(opts, registry),
            progress: opts.progress,
            history,
            cache_dir: match &opts.history {
                HistorySource::Git { cache_dir } => cache_dir.clone(),
                HistorySource::None => None,
            },
        },
    )?;
    for note in stats.notes.iter().flatten() {
        on_note(note);
    }
    Ok(BuildOutcome::Built(Built {
        stats,
        vendors: registry.vendors.len(),
        tally: Tally::of(&report.diagnostics),
    }))
}

/// The theme folder asked for, or the registry's own one beside it.
fn theme_dir(opts: &BuildOptions, registry: &Registry) -> Option<PathBuf> {
    opts.theme_dir.clone().or_else(|| {
        let name = registry.settings.theme.as_deref().unwrap_or("default");
        Some(themes_beside(&opts.registry, name)).filter(|p| p.is_dir())
    })
}

fn read_history(
    opts: &BuildOptions,
    registry: &Registry,
    on_note: &mut dyn FnMut(&str),
) -> Result<Option<History>, Error> {
    let HistorySource::Git { cache_dir } = &opts.history else {
        return Ok(None);
    };
    let history = history::read(
        &opts.registry,
        &history::HistoryOptions {
            cache_dir: cache_dir.clone(),
            kinds: registry.kinds.clone(),
            working_tree: true,
            tiers: Some(std::sync::Arc::new(registry.tiers.clone())),
            rev: opts.rev.clone(),
        },
    )?;
    for note in &history.notes {
        on_note(note);
    }
    Ok(Some(history))
}
