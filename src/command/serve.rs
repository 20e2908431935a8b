//! `serve`: preview the site on 127.0.0.1 and rebuild it when the registry
//! or the theme changes.

use std::path::PathBuf;

use super::themes_beside;
use crate::error::Error;

/// What `vetted serve` is asked.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The registry folder (as the user named it), watched for changes.
    pub registry: PathBuf,
    /// The published site to serve.
    pub out: PathBuf,
    /// Port on 127.0.0.1 (0 picks a free one).
    pub port: u16,
    /// The theme folder, watched for changes; `None` watches
    /// `themes/default` beside the registry.
    pub theme_dir: Option<PathBuf>,
}

/// Serve `opts.out` until the process is stopped, calling `rebuild` after
/// each change (see `serve::serve`). The first build is the caller's: a
/// failed one still serves whatever was published before.
pub fn serve(opts: &ServeOptions, rebuild: impl FnMut() -> Result<(), Error>) -> Result<(), Error> {
    let themes = opts
        .theme_dir
        .clone()
        .unwrap_or_else(|| themes_beside(&opts.registry, "default"));
    crate::serve::serve(&opts.out, opts.port, &[&opts.registry, &themes], rebuild)
}
