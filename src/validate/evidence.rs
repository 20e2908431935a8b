//! Evidence files named by `file =`: the path stays inside the vendor
//! folder (no `..`, no absolute path, no symbolic link leading out), the
//! file exists, and its sha256, when given, matches.

use std::path::{Component, Path};

use sha2::{Digest, Sha256};

use super::common::Diags;
use crate::diag::{Code, Diagnostic};
use crate::parse::{Doc, KeyPath};

/// A `file =` reference must stay inside the vendor folder, exist, and match its sha256.
pub(super) fn check_file_ref<T>(
    doc: &Doc<T>,
    path: &KeyPath<String>,
    file: &str,
    sha256: Option<&str>,
    root: &Path,
    abs_dir: &Path,
    d: &mut Diags,
) -> bool {
    if escapes(file) {
        d.push(
            Diagnostic::new(Code::PathEscapes, doc.loc(path), format!("`{file}` points outside the vendor folder"))
                .help("give a relative path inside the vendor folder, e.g. evidence/soc2-2025.pdf, without `..`"),
        );
        return false;
    }
    let abs = abs_dir.join(file);
    if abs.symlink_metadata().is_err() {
        d.push(
            Diagnostic::new(Code::FileNotFound, doc.loc(path), format!("`{file}` does not exist in the vendor folder"))
                .help("add the file in the same pull request, or use `link` for evidence stored elsewhere"),
        );
        return false;
    }
    if !resolves_inside(&abs, abs_dir, root) {
        d.push(
            Diagnostic::new(
                Code::PathEscapes,
                doc.loc(path),
                format!("`{file}` is a symbolic link that resolves outside the vendor folder"),
            )
            .help("commit the file itself instead of a link"),
        );
        return false;
    }
    match sha256 {
        Some(expected) => check_checksum(doc, path, file, &abs, expected, d),
        None => true,
    }
}

/// Whether the path, as written, could leave the folder it is relative to:
/// empty, absolute (on any platform), a drive or scheme, or any `..`.
fn escapes(file: &str) -> bool {
    let p = Path::new(file);
    file.is_empty()
        || p.is_absolute()
        || file.starts_with(['/', '\\'])
        || file.contains(':')
        || p.components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
        || file.split(['/', '\\']).any(|seg| seg == "..")
}

/// Symlinks anywhere on the way must resolve inside the vendor folder (and
/// the registry).
fn resolves_inside(abs: &Path, abs_dir: &Path, root: &Path) -> bool {
    match (abs_dir.canonicalize(), abs.canonicalize()) {
        (Ok(base), Ok(target)) => {
            target.starts_with(base) && target.starts_with(root.canonicalize().unwrap_or_default())
        }
        _ => false,
    }
}

/// The file's sha256 is the one the registry gives (in either case).
fn check_checksum<T>(
    doc: &Doc<T>,
    path: &KeyPath<String>,
    file: &str,
    abs: &Path,
    expected: &str,
    d: &mut Diags,
) -> bool {
    match hash_file(abs) {
        Ok(actual) if actual.eq_ignore_ascii_case(expected) => true,
        Ok(actual) => {
            d.push(
                Diagnostic::new(
                    Code::ChecksumMismatch,
                    doc.loc(path),
                    format!("`{file}` has sha256 {actual}, the registry says {expected}"),
                )
                .help("the evidence file changed; check it and update sha256"),
            );
            false
        }
        Err(e) => {
            d.push(Diagnostic::new(
                Code::Unreadable,
                doc.loc(path),
                format!("cannot read `{file}`: {e}"),
            ));
            false
        }
    }
}

/// The sha256 of a regular file, read in blocks: evidence can be large, and
/// a pipe or device must never be read (see `parse::open_regular`).
fn hash_file(abs: &Path) -> std::io::Result<String> {
    use std::io::Read as _;
    let (mut file, _) = crate::parse::open_regular(abs)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0; 1 << 16];
    loop {
        match file.read(&mut buf)? {
            0 => break,
            n => hasher.update(&buf[..n]),
        }
    }
    Ok(format!("{:x}", hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::raw::{RawArtifact, RawArtifacts};
    use crate::validate::testing::*;

    #[test]
    fn a_path_that_could_leave_the_folder_escapes() {
        for bad in [
            "",
            "/etc/passwd",
            "\\share\\x.pdf",
            "C:x.pdf",
            "../other/x.pdf",
            "evidence/../../x.pdf",
            "evidence\\..\\x.pdf",
        ] {
            assert!(escapes(bad), "{bad}");
        }
        for ok in ["x.pdf", "evidence/soc2-2025.pdf", "./evidence/x.pdf"] {
            assert!(!escapes(ok), "{ok}");
        }
    }

    #[test]
    fn a_file_must_exist_and_match_its_sha256() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("acme");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("r.pdf"), "abc").unwrap();
        // sha256("abc")
        let sha = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        let adoc = doc::<RawArtifacts>(
            "artifacts.toml",
            "[[artifact]]\nkind = \"soc2\"\ntitle = \"t\"\nfile = \"r.pdf\"\n",
        );
        let path = adoc
            .root()
            .at(RawArtifacts::ARTIFACT)
            .item(0)
            .at(RawArtifact::FILE);
        let check = |file: &str, sha: Option<&str>| {
            let mut d = Diags::default();
            let ok = check_file_ref(&adoc, &path, file, sha, root.path(), &dir, &mut d);
            (ok, d.0.into_iter().map(|x| x.code).collect::<Vec<_>>())
        };
        assert_eq!(check("r.pdf", Some(sha)), (true, vec![]));
        assert_eq!(check("r.pdf", Some(&sha.to_uppercase())), (true, vec![]));
        assert_eq!(check("r.pdf", None), (true, vec![]));
        assert_eq!(
            check("r.pdf", Some(&"0".repeat(64))),
            (false, vec!["E0403"])
        );
        assert_eq!(check("gone.pdf", None), (false, vec!["E0402"]));
        assert_eq!(check("../r.pdf", None), (false, vec!["E0401"]));
    }
}
