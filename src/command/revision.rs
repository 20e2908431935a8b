//! A registry as it stood at a git revision, for `--rev` and `diff`.

use std::path::{Path, PathBuf};

use crate::error::Error;

/// A registry folder to read: the working folder itself, or a revision's
/// tree written out into a temporary folder that lives as long as this value
/// (the stages after `load` may still read files from it, such as evidence
/// files for their checksums).
pub struct RegistryCopy {
    dir: PathBuf,
    _temp: Option<tempfile::TempDir>,
}

impl RegistryCopy {
    /// `registry` as it is on disk (`rev` is `None`), or as it stood at `rev`.
    pub fn open(registry: &Path, rev: Option<&str>) -> Result<RegistryCopy, Error> {
        match rev {
            None => Ok(RegistryCopy {
                dir: registry.to_path_buf(),
                _temp: None,
            }),
            Some(rev) => Self::at_revision(registry, rev),
        }
    }

    /// The registry's files as of `rev`, in a temporary folder.
    pub fn at_revision(registry: &Path, rev: &str) -> Result<RegistryCopy, Error> {
        let temp = tempfile::tempdir().map_err(|source| Error::TempDir { source })?;
        let dir = temp.path().join("registry");
        crate::history::materialize(registry, rev, &dir)?;
        Ok(RegistryCopy {
            dir,
            _temp: Some(temp),
        })
    }

    /// The folder holding the registry's files.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_revision_the_folder_is_read_in_place() {
        let copy = RegistryCopy::open(Path::new("some/registry"), None).unwrap();
        assert_eq!(copy.dir(), Path::new("some/registry"));
    }

    #[test]
    fn a_revision_outside_a_repository_is_an_error_and_leaves_nothing_behind() {
        let tmp = tempfile::tempdir().unwrap();
        let Err(e) = RegistryCopy::open(tmp.path(), Some("HEAD")) else {
            panic!("a folder in no repository has no revisions");
        };
        assert!(e.to_string().contains("git"), "{e}");
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
    }
}
