//! Writing the files of a new registry (`init`) or vendor folder (`new`):
//! all of them or none, never over an existing file.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, FsOp};

/// A file to write: where, and its text.
#[derive(Debug, Clone)]
pub struct NewFile {
    pub path: PathBuf,
    pub text: String,
}

/// Write every file, or none: when any target exists (a file, a folder, a
/// link, even a dangling one) nothing is written and the error names every
/// such target. Each file goes into a temporary file beside it, renamed into
/// place only if the name is still free, so a reader never sees half a file
/// and a file that appeared since the check is not overwritten either. When
/// a write fails, the files written before it are removed again (the
/// folders created for them stay: they may have been there already).
pub fn write_new_files(files: &[NewFile]) -> Result<Vec<PathBuf>, Error> {
    let existing: Vec<PathBuf> = files
        .iter()
        .filter(|f| f.path.symlink_metadata().is_ok())
        .map(|f| f.path.clone())
        .collect();
    if !existing.is_empty() {
        return Err(Error::ScaffoldExisting { paths: existing });
    }
    let mut written = Vec::with_capacity(files.len());
    for f in files {
        if let Err(e) = write_new(&f.path, f.text.as_bytes()) {
            for p in &written {
                let _ = fs::remove_file(p);
            }
            return Err(e);
        }
        written.push(f.path.clone());
    }
    Ok(written)
}

/// One file, atomically, only where nothing is.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let fail = |op, path: &Path, source| Error::ScaffoldWrite {
        op,
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir).map_err(|e| fail(FsOp::Create, dir, e))?;
    crate::atomic::write_new(path, bytes).map_err(|e| fail(FsOp::Write, path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(dir: &Path, name: &str) -> NewFile {
        NewFile {
            path: dir.join(name),
            text: format!("{name}\n"),
        }
    }

    #[test]
    fn writes_every_file_and_its_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let files = [file(tmp.path(), "a.toml"), file(tmp.path(), "x/y/b.toml")];
        let written = write_new_files(&files).unwrap();
        assert_eq!(written.len(), 2);
        assert_eq!(
            fs::read_to_string(tmp.path().join("x/y/b.toml")).unwrap(),
            "x/y/b.toml\n"
        );
        // No temporary file is left behind.
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 2);
    }

    #[test]
    fn one_existing_target_writes_nothing_and_names_every_existing_one() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("b.toml"), "mine").unwrap();
        std::os::unix::fs::symlink("nowhere", tmp.path().join("c.toml")).unwrap();
        let files = [
            file(tmp.path(), "a.toml"),
            file(tmp.path(), "b.toml"),
            file(tmp.path(), "c.toml"),
        ];
        match write_new_files(&files) {
            Err(Error::ScaffoldExisting { paths }) => {
                assert_eq!(
                    paths,
                    [tmp.path().join("b.toml"), tmp.path().join("c.toml")]
                )
            }
            other => panic!("{other:?}"),
        }
        assert!(!tmp.path().join("a.toml").exists());
        assert_eq!(
            fs::read_to_string(tmp.path().join("b.toml")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn a_failed_write_removes_what_was_written_before_it() {
        let tmp = tempfile::tempdir().unwrap();
        // `blocker` is a file, so nothing can be created under it.
        fs::write(tmp.path().join("blocker"), "").unwrap();
        let files = [
            file(tmp.path(), "a.toml"),
            file(tmp.path(), "blocker/b.toml"),
        ];
        let e = write_new_files(&files).unwrap_err();
        assert!(
            matches!(
                e,
                Error::ScaffoldWrite {
                    op: FsOp::Create,
                    ..
                }
            ),
            "{e:?}"
        );
        assert!(!tmp.path().join("a.toml").exists());
    }
}
