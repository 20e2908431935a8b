//! The history cache: what a walk learned, keyed by commit id. Commits are
//! immutable, so a cached comparison stays true; the cache holds one
//! contiguous first-parent chain from some head down to the root, so a
//! rebuild after one new commit compares one commit.
//!
//! The file is a JSON header line (format, version, key, checksum) followed by
//! the entries. A file that fails any check is ignored and rebuilt, never
//! trusted: wrong key (another repository, registry or policy), bad checksum
//! (truncated or edited), or a chain whose links do not hold. Users may delete
//! the cache folder at any time.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use git2::Oid;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::CommitChanges;

const FORMAT: &str = "vetted-history-cache";
const VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub id: String,
    pub parent: Option<String>,
    /// `None` when the commit did not change the registry.
    pub changes: Option<CommitChanges>,
}

#[derive(Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    key: String,
    checksum: String,
    count: usize,
}

pub struct Cache {
    key: String,
    entries: Vec<Entry>,
    index: HashMap<String, usize>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Cache {
    fn file(dir: &Path, key: &str) -> PathBuf {
        dir.join(format!("history-{}.json", &key[..16]))
    }

    /// Load the cache for this repository, registry prefix and salt (anything
    /// else the cached results depend on). Returns an empty cache and a note
    /// when the file exists but cannot be trusted.
    pub fn load_salted(
        dir: &Path,
        git_dir: &Path,
        prefix: &[String],
        salt: &str,
    ) -> (Cache, Option<String>) {
        let mut h = Sha256::new();
        h.update(
            git_dir
                .canonicalize()
                .unwrap_or_else(|_| git_dir.to_path_buf())
                .to_string_lossy()
                .as_bytes(),
        );
        h.update([0]);
        h.update(prefix.join("/").as_bytes());
        h.update([0]);
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.update([0]);
        h.update(salt.as_bytes());
        let key = hex(&h.finalize());
        let empty = |key: String| Cache {
            key,
            entries: Vec::new(),
            index: HashMap::new(),
        };
        let path = Self::file(dir, &key);
        let Ok(bytes) = std::fs::read(&path) else {
            return (empty(key), None);
        };
        match Self::parse(&bytes, &key) {
            Some(entries) => {
                let index = entries
                    .iter()
                    .enumerate()
                    .map(|(i, e)| (e.id.clone(), i))
                    .collect();
                (
                    Cache {
                        key,
                        entries,
                        index,
                    },
                    None,
                )
            }
            None => (
                empty(key),
                Some("The history cache was damaged or out of date; it was rebuilt.".into()),
            ),
        }
    }

    pub fn load(dir: &Path, git_dir: &Path, prefix: &[String]) -> (Cache, Option<String>) {
        Self::load_salted(dir, git_dir, prefix, "")
    }

    fn parse(bytes: &[u8], key: &str) -> Option<Vec<Entry>> {
        let nl = bytes.iter().position(|b| *b == b'\n')?;
        let header: Header = serde_json::from_slice(&bytes[..nl]).ok()?;
        let body = &bytes[nl + 1..];
        if header.format != FORMAT
            || header.version != VERSION
            || header.key != key
            || header.checksum != hex(&Sha256::digest(body))
        {
            return None;
        }
        let entries: Vec<Entry> = serde_json::from_slice(body).ok()?;
        if entries.len() != header.count {
            return None;
        }
        // The chain must link, newest to oldest, and ids must be commit ids.
        for w in entries.windows(2) {
            if w[0].parent.as_deref() != Some(w[1].id.as_str()) {
                return None;
            }
        }
        if entries.iter().any(|e| Oid::from_str(&e.id).is_err()) {
            return None;
        }
        Some(entries)
    }

    /// The cached chain starting at commit `id`, down to the root.
    pub fn chain_from(&self, id: Oid) -> Option<Vec<Entry>> {
        let i = *self.index.get(&id.to_string())?;
        Some(self.entries[i..].to_vec())
    }

    pub fn replace(&mut self, entries: Vec<Entry>) {
        self.index = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        self.entries = entries;
    }

    /// Write atomically: a temporary file renamed over the old one.
    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let body = serde_json::to_vec(&self.entries).map_err(std::io::Error::other)?;
        let header = Header {
            format: FORMAT.into(),
            version: VERSION,
            key: self.key.clone(),
            checksum: hex(&Sha256::digest(&body)),
            count: self.entries.len(),
        };
        let path = Self::file(dir, &self.key);
        let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
        {
            let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
            serde_json::to_writer(&mut f, &header).map_err(std::io::Error::other)?;
            f.write_all(b"\n")?;
            f.write_all(&body)?;
            f.flush()?;
        }
        std::fs::rename(&tmp, &path)
    }
}
