//! Files written whole: the bytes go to a temporary file beside the target,
//! are synced, and the file is renamed over the target, so a reader never
//! sees half a file and a failure leaves the old one. Used by every command
//! that writes a file (`check --output`, `calendar`, `export`, `schema`,
//! `questionnaire`, `init`, `new`).
//!
//! The file gets the permissions of the one it replaces, or those of any new
//! file (0666 less the umask), never a temporary file's 0600: registry
//! files, reports and exports are meant to be read by others.

use std::fs;
use std::io::{self, Write as _};
use std::path::Path;

use tempfile::NamedTempFile;

/// A temporary file in `path`'s folder, named `prefix…`, with the
/// permissions `path` will have.
pub fn temp_beside(path: &Path, prefix: &str) -> io::Result<NamedTempFile> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let tmp = builder.tempfile_in(dir)?;
    if let Ok(meta) = fs::metadata(path) {
        tmp.as_file().set_permissions(meta.permissions())?;
    }
    Ok(tmp)
}

/// Write `bytes` to `path`, replacing it whole.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut tmp = temp_beside(path, ".vetted-write")?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map(|_| ()).map_err(|e| e.error)
}

/// Write `bytes` to `path` only when nothing is there (a file, a folder, a
/// link): `AlreadyExists` otherwise, and nothing written.
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut tmp = temp_beside(path, ".vetted-new")?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist_noclobber(path).map(|_| ()).map_err(|e| e.error)
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;

    #[test]
    fn whole_files_keep_the_permissions_of_the_one_they_replace() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("answers.toml");
        write(&path, b"one\n").unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        // A new file: what any file created here gets (0666 less this
        // process's umask), not a temporary file's 0600.
        let reference = dir.path().join("reference");
        fs::File::create(&reference).unwrap();
        assert_eq!(mode(&path), mode(&reference), "{:o}", mode(&path));
        fs::remove_file(&reference).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        write(&path, b"two\n").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two\n");
        assert_eq!(mode(&path), 0o640);
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file left");
    }

    #[test]
    fn a_new_file_never_replaces_anything() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vendor.toml");
        write_new(&path, b"first\n").unwrap();
        let e = write_new(&path, b"second\n").unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&path).unwrap(), b"first\n");
    }
}
