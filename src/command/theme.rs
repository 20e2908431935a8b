//! `theme eject`, and where a registry's theme folders are.

use std::path::{Path, PathBuf};

use crate::error::Error;

/// `themes/<name>` next to the registry folder (`../themes/<name>` when the
/// registry is the current folder).
pub fn themes_beside(registry: &Path, name: &str) -> PathBuf {
    let parent = registry
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let parent = if registry == Path::new(".") {
        Path::new("..")
    } else {
        parent
    };
    parent.join("themes").join(name)
}

/// What `vetted theme eject` is asked.
#[derive(Debug, Clone)]
pub struct EjectOptions {
    /// The registry folder, to find the default destination beside it.
    pub registry: PathBuf,
    /// Destination; `None` means `themes/default` next to the registry.
    pub dir: Option<PathBuf>,
}

/// The default theme's files, written out for editing.
#[derive(Debug, Clone)]
pub struct Ejected {
    /// The folder they were written into.
    pub dir: PathBuf,
    /// Every file written, in order.
    pub files: Vec<PathBuf>,
}

/// Write the embedded default theme's files out; never overwrites a file.
pub fn eject_theme(opts: &EjectOptions) -> Result<Ejected, Error> {
    let dir = opts
        .dir
        .clone()
        .unwrap_or_else(|| themes_beside(&opts.registry, "default"));
    let files = crate::render::eject_theme(&dir)?;
    Ok(Ejected { dir, files })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn themes_sit_beside_the_registry_folder() {
        let at = |r: &str| themes_beside(Path::new(r), "dark");
        assert_eq!(at("registry"), Path::new("./themes/dark"));
        assert_eq!(at("site/registry"), Path::new("site/themes/dark"));
        assert_eq!(at("/srv/reg"), Path::new("/srv/themes/dark"));
        // The current folder is the registry: its themes are one level up.
        assert_eq!(at("."), Path::new("../themes/dark"));
    }
}
