//! Evidence files named by `file =`: the path stays inside the vendor
//! folder (no `..`, no absolute path, no symbolic link leading out), the
//! file exists, and its sha256, when given, matches (errors: the artifact is
//! left out). Then the site's rules of `[policy.evidence_files]`: a size
//! limit (never read past it) and a type allowed by extension and content
//! (warnings: the artifact counts, the file is not served). A file passing
//! all of them becomes the artifact's [`PublishedFile`].

use std::path::{Component, Path};

use super::common::Diags;
use crate::diag::{Code, Diagnostic};
use crate::model::evidence_file::{
    Bounded, EvidenceFilePolicy, PublishedFile, Refusal, classify, read_bounded, sha256_hex,
    site_name,
};
use crate::parse::{Doc, KeyPath};

/// Where a `file =` reference is written and what it is checked against.
pub(super) struct FileRef<'a> {
    /// The `file` key and the `sha256` key of the artifact.
    pub file_at: KeyPath<String>,
    pub sha256_at: KeyPath<String>,
    pub file: &'a str,
    pub sha256: Option<&'a str>,
    /// The registry and the vendor folder.
    pub root: &'a Path,
    pub abs_dir: &'a Path,
    pub policy: &'a EvidenceFilePolicy,
}

/// A `file =` reference: `Err(())` (reported) when the artifact must be left
/// out; `Ok(None)` when it counts but the file is not served; `Ok(Some)`
/// when the site copies and links it.
pub(super) fn check_file_ref<T>(
    doc: &Doc<T>,
    r: &FileRef<'_>,
    d: &mut Diags,
) -> Result<Option<PublishedFile>, ()> {
    let (file, loc) = (r.file, doc.loc(&r.file_at));
    if escapes(file) {
        d.push(
            Diagnostic::new(Code::PathEscapes, loc, format!("`{file}` points outside the vendor folder"))
                .help("give a relative path inside the vendor folder, e.g. evidence/soc2-2025.pdf, without `..`"),
        );
        return Err(());
    }
    let abs = r.abs_dir.join(file);
    if abs.symlink_metadata().is_err() {
        d.push(
            Diagnostic::new(Code::FileNotFound, loc, format!("`{file}` does not exist in the vendor folder"))
                .help("add the file in the same pull request, or use `link` for evidence stored elsewhere"),
        );
        return Err(());
    }
    let Some(source) = resolves_inside(&abs, r.abs_dir, r.root) else {
        d.push(
            Diagnostic::new(
                Code::PathEscapes,
                loc,
                format!("`{file}` is a symbolic link that resolves outside the vendor folder"),
            )
            .help("commit the file itself instead of a link"),
        );
        return Err(());
    };
    let bytes = match read_bounded(&source, r.policy.max_bytes) {
        Ok(Bounded::Bytes(b)) => b,
        Ok(Bounded::Over(len)) => {
            d.push(too_large(doc, r, len));
            return Ok(None);
        }
        Err(e) => {
            d.push(Diagnostic::new(
                Code::Unreadable,
                loc,
                format!("cannot read `{file}`: {e}"),
            ));
            return Err(());
        }
    };
    let actual = sha256_hex(&bytes);
    if let Some(expected) = r.sha256
        && !actual.eq_ignore_ascii_case(expected)
    {
        d.push(checksum_mismatch(doc, r, &actual, expected));
        return Err(());
    }
    match classify(file, &bytes, &r.policy.allowed_types) {
        Ok(kind) => Ok(Some(PublishedFile {
            source,
            name: site_name(file),
            sha256: actual,
            len: bytes.len() as u64,
            kind,
        })),
        Err(why) => {
            d.push(not_served(doc, r, &why));
            Ok(None)
        }
    }
}

/// E0403 at the `sha256` line, with the value that would match.
fn checksum_mismatch<T>(doc: &Doc<T>, r: &FileRef<'_>, actual: &str, expected: &str) -> Diagnostic {
    let at = if r.sha256.is_some() {
        &r.sha256_at
    } else {
        &r.file_at
    };
    Diagnostic::new(
        Code::ChecksumMismatch,
        doc.loc(at),
        format!("`{}` has sha256 {actual}, the registry says {expected}", r.file),
    )
    .help(format!(
        "the evidence file changed since its sha256 was recorded: if the new file is the right one, set sha256 = \"{actual}\""
    ))
}

/// E0406: over `[policy.evidence_files] max_bytes`.
fn too_large<T>(doc: &Doc<T>, r: &FileRef<'_>, len: u64) -> Diagnostic {
    let max = r.policy.max_bytes;
    let unverified = if r.sha256.is_some() {
        " and its sha256 is not verified"
    } else {
        ""
    };
    Diagnostic::new(
        Code::EvidenceFileTooLarge,
        doc.loc(&r.file_at),
        format!(
            "`{}` has {len} bytes, over the site's limit of {max}: it is not copied into the site{unverified}",
            r.file
        ),
    )
    .help("link to the full document with `link`, commit a smaller extract, or raise `[policy.evidence_files] max_bytes`")
}

/// E0405: a type the site does not serve, or content that is not its type.
fn not_served<T>(doc: &Doc<T>, r: &FileRef<'_>, why: &Refusal) -> Diagnostic {
    let help = match why {
        Refusal::UnknownExtension(_) => format!(
            "the site serves only {}; convert the file (to PDF, say) or link to it with `link`",
            r.policy
                .allowed_types
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Refusal::NotAllowed(t) => format!(
            "add \"{t}\" to `[policy.evidence_files] allowed_types` in vetted.toml, or link to the file with `link`"
        ),
        Refusal::Content(..) => {
            "check the file: a file whose content differs from its extension is never served"
                .to_string()
        }
    };
    Diagnostic::new(
        Code::EvidenceFileType,
        doc.loc(&r.file_at),
        format!("`{}` {why}: it is not copied into the site", r.file),
    )
    .help(help)
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
/// the registry): the resolved path, which is what is read from then on.
fn resolves_inside(abs: &Path, abs_dir: &Path, root: &Path) -> Option<std::path::PathBuf> {
    let (base, target, root) = (
        abs_dir.canonicalize().ok()?,
        abs.canonicalize().ok()?,
        root.canonicalize().ok()?,
    );
    (target.starts_with(&base) && target.starts_with(root)).then_some(target)
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

    /// (kept, published, codes) of checking `file` with `sha`.
    fn check_in(
        root: &Path,
        dir: &Path,
        policy: &EvidenceFilePolicy,
        file: &str,
        sha: Option<&str>,
    ) -> (bool, bool, Vec<&'static str>) {
        let adoc = doc::<RawArtifacts>(
            "artifacts.toml",
            "[[artifact]]\nkind = \"soc2\"\ntitle = \"t\"\nfile = \"r.pdf\"\n",
        );
        let at = adoc.root().at(RawArtifacts::ARTIFACT).item(0);
        let r = FileRef {
            file_at: at.at(RawArtifact::FILE),
            sha256_at: at.at(RawArtifact::SHA256),
            file,
            sha256: sha,
            root,
            abs_dir: dir,
            policy,
        };
        let mut d = Diags::default();
        let out = check_file_ref(&adoc, &r, &mut d);
        let codes = d.0.into_iter().map(|x| x.code).collect();
        (out.is_ok(), matches!(out, Ok(Some(_))), codes)
    }

    #[test]
    fn a_file_must_exist_match_its_sha256_and_pass_the_sites_rules() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("acme");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("r.pdf"), "%PDF-1.4 abc").unwrap();
        std::fs::write(dir.join("page.html"), "<p>hi</p>").unwrap();
        std::fs::write(dir.join("fake.pdf"), "<script>x</script>").unwrap();
        let sha = sha256_hex(b"%PDF-1.4 abc");
        let policy = EvidenceFilePolicy::default();
        let check = |file: &str, sha: Option<&str>| check_in(root.path(), &dir, &policy, file, sha);
        assert_eq!(check("r.pdf", Some(&sha)), (true, true, vec![]));
        assert_eq!(
            check("r.pdf", Some(&sha.to_uppercase())),
            (true, true, vec![])
        );
        assert_eq!(check("r.pdf", None), (true, true, vec![]));
        assert_eq!(
            check("r.pdf", Some(&"0".repeat(64))),
            (false, false, vec!["E0403"])
        );
        assert_eq!(check("gone.pdf", None), (false, false, vec!["E0402"]));
        assert_eq!(check("../r.pdf", None), (false, false, vec!["E0401"]));
        assert_eq!(check("page.html", None), (true, false, vec!["E0405"]));
        assert_eq!(check("fake.pdf", None), (true, false, vec!["E0405"]));
        let small = EvidenceFilePolicy {
            max_bytes: 4,
            ..EvidenceFilePolicy::default()
        };
        assert_eq!(
            check_in(root.path(), &dir, &small, "r.pdf", Some(&sha)),
            (true, false, vec!["E0406"])
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_out_of_the_vendor_folder_is_refused() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("acme");
        std::fs::create_dir_all(dir.join("evidence")).unwrap();
        std::fs::write(root.path().join("secret.txt"), "other vendor").unwrap();
        std::os::unix::fs::symlink("../../secret.txt", dir.join("evidence/x.txt")).unwrap();
        std::os::unix::fs::symlink("..", dir.join("up")).unwrap();
        let policy = EvidenceFilePolicy::default();
        for file in ["evidence/x.txt", "up/secret.txt"] {
            assert_eq!(
                check_in(root.path(), &dir, &policy, file, None),
                (false, false, vec!["E0401"]),
                "{file}"
            );
        }
        // A link inside the folder is followed, and what is published is its target.
        std::fs::write(dir.join("evidence/real.txt"), "pentest summary").unwrap();
        std::os::unix::fs::symlink("real.txt", dir.join("evidence/alias.txt")).unwrap();
        assert_eq!(
            check_in(root.path(), &dir, &policy, "evidence/alias.txt", None),
            (true, true, vec![])
        );
    }
}
