//! `history`: walk the registry's git history.

use std::path::PathBuf;

use crate::error::Error;
use crate::history::{self, History};

/// What `vetted history` is asked.
#[derive(Debug, Clone)]
pub struct HistoryOptions {
    /// The registry folder (as the user named it).
    pub registry: PathBuf,
    /// Where the walk keeps what it learns; `None` walks everything again
    /// without reading or writing a cache.
    pub cache_dir: Option<PathBuf>,
}

/// Every commit that changed the registry, newest first (committed changes
/// only, as of HEAD).
pub fn history(opts: &HistoryOptions) -> Result<History, Error> {
    history::read(
        &opts.registry,
        &history::HistoryOptions {
            cache_dir: opts.cache_dir.clone(),
            ..Default::default()
        },
    )
}
