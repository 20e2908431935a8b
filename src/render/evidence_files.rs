//! Evidence files in the site: every artifact's `file =` that passed the
//! rules of `[policy.evidence_files]` when the registry was loaded (its
//! [`PublishedFile`]) is copied, byte for byte, to
//! `vendors/<slug>/files/<sha256 prefix>/<safe name>`, and the artifact's
//! row links there ([`href`]). A file that failed a rule has no
//! `PublishedFile`: it is neither copied nor linked.
//!
//! The file is read again at build time, bounded by the policy's limit, and
//! must still have the sha256 it had when checked: the page already links
//! to it, so a file changed in between fails the build instead of serving
//! bytes nobody checked.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::model::Model;
use super::publish::Staging;
use crate::error::Error;
use crate::model::evidence_file::{Bounded, PublishedFile, read_bounded, sha256_hex};
use crate::model::{Artifact, Vendor};

/// The file's path from the site root, when the site serves it.
pub(crate) fn href(v: &Vendor, art: &Artifact) -> Option<String> {
    art.published.as_ref().map(|f| f.site_path(&v.slug))
}

/// Copy every published evidence file of the vendors that have a page.
/// Returns how many files were written.
pub(super) fn write(model: &Model, staging: &Staging) -> Result<usize, Error> {
    // One write per site path: two artifacts may name the same file.
    let files: BTreeMap<String, &PublishedFile> = model
        .assessed()
        .iter()
        .flat_map(|p| {
            p.vendor
                .artifacts
                .iter()
                .filter_map(|a| Some((href(p.vendor, a)?, a.published.as_ref()?)))
        })
        .collect();
    let max = model.registry.settings.evidence_files.max_bytes;
    files
        .par_iter()
        .map(|(path, f)| staging.write(path, &reread(f, max)?))
        .collect::<Result<Vec<()>, Error>>()
        .map(|w| w.len())
}

/// The file's bytes, if they are still the ones checked.
fn reread(f: &PublishedFile, max: u64) -> Result<Vec<u8>, Error> {
    let changed = |why: String| Error::EvidenceFileChanged {
        path: f.source.clone(),
        why,
    };
    match read_bounded(&f.source, max) {
        Ok(Bounded::Bytes(b)) if sha256_hex(&b) == f.sha256 => Ok(b),
        Ok(Bounded::Bytes(b)) => Err(changed(format!(
            "its sha256 is now {}, it was {} when checked",
            sha256_hex(&b),
            f.sha256
        ))),
        Ok(Bounded::Over(len)) => Err(changed(format!("it now has {len} bytes, over the limit"))),
        Err(e) => Err(changed(format!("it cannot be read: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::evidence_file::EvidenceFileType;

    #[test]
    fn a_file_changed_since_it_was_checked_is_not_copied() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("r.txt");
        std::fs::write(&source, "checked").unwrap();
        let f = PublishedFile {
            source: source.clone(),
            name: "r.txt".into(),
            sha256: sha256_hex(b"checked"),
            len: 7,
            kind: EvidenceFileType::Text,
        };
        assert_eq!(reread(&f, 100).unwrap(), b"checked");
        std::fs::write(&source, "swapped").unwrap();
        let e = reread(&f, 100).unwrap_err().to_string();
        assert!(
            e.contains("changed during the build: its sha256 is now"),
            "{e}"
        );
        std::fs::write(&source, "x".repeat(200)).unwrap();
        assert!(reread(&f, 100).is_err(), "grown past the limit");
        std::fs::remove_file(&source).unwrap();
        assert!(reread(&f, 100).is_err(), "gone");
    }
}
