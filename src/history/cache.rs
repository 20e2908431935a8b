//! The history cache: what a walk learned, keyed by commit id. Commits are
//! immutable, so a cached comparison stays true; the cache holds one
//! contiguous first-parent chain from some head down to the root, so a
//! rebuild after one new commit compares one commit.
//!
//! The file is a JSON header line (format, version, key, checksum) followed by
//! the entries, one JSON object per line, so that all cores parse and write
//! them (a rebuild after one commit reads the whole chain back). A file that
//! fails any check is ignored and rebuilt, never trusted: wrong key (another
//! repository, registry or policy), bad checksum (truncated or edited), or a
//! chain whose links do not hold. Users may delete the cache folder at any
//! time.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use git2::Oid;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::types::CommitChanges;

const FORMAT: &str = "vetted-history-cache";
// 3: commit subjects, messages and authors are bounded (history::MAX_*).
// 4: a text file's change label no longer repeats the file's name
// (`notes.md: 1 line added, 0 removed`, not `notes.md: notes.md: 1 lines …`).
const VERSION: u32 = 4;

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
    index: HashMap<Oid, usize>,
    /// The file's entry lines as read (checked), while the whole cached
    /// chain is still the one a save would write after the new commits:
    /// then `save` writes them back as they are instead of serialising
    /// every entry again (a build after one commit reads 55,000 entries
    /// and adds one).
    body: Option<Vec<u8>>,
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
            body: None,
        };
        let path = Self::file(dir, &key);
        let Ok(bytes) = std::fs::read(&path) else {
            return (empty(key), None);
        };
        match Self::parse(&bytes, &key) {
            Some((entries, ids)) => {
                let index = ids.into_iter().enumerate().map(|(i, id)| (id, i)).collect();
                let body = bytes
                    .iter()
                    .position(|b| *b == b'\n')
                    .and_then(|nl| bytes.get(nl + 1..))
                    .map(<[u8]>::to_vec);
                (
                    Cache {
                        key,
                        entries,
                        index,
                        body,
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

    /// The entries, and their ids parsed once.
    fn parse(bytes: &[u8], key: &str) -> Option<(Vec<Entry>, Vec<Oid>)> {
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
        let entries: Vec<Entry> = body
            .par_split(|b| *b == b'\n')
            .filter(|line| !line.is_empty())
            .map(|line| serde_json::from_slice(line).ok())
            .collect::<Option<Vec<Entry>>>()?;
        if entries.len() != header.count {
            return None;
        }
        // The chain must link, newest to oldest, and ids must be commit ids.
        for w in entries.windows(2) {
            if w[0].parent.as_deref() != Some(w[1].id.as_str()) {
                return None;
            }
        }
        let ids = entries
            .iter()
            .map(|e| Oid::from_str(&e.id).ok())
            .collect::<Option<Vec<Oid>>>()?;
        Some((entries, ids))
    }

    /// Take the cached chain starting at commit `id`, down to the root (moved
    /// out, not copied: a walk takes at most one).
    pub fn take_chain_from(&mut self, id: Oid) -> Option<Vec<Entry>> {
        let i = *self.index.get(&id)?;
        self.index.clear();
        if i != 0 {
            self.body = None;
        }
        Some(self.entries.split_off(i))
    }

    /// Write `entries` (the whole chain from the head) as this cache's file,
    /// atomically: a temporary file renamed over the old one. When the
    /// chain is `fresh` new entries on top of the whole chain this cache
    /// was read with, the file's lines are reused for that part.
    pub fn save(&self, dir: &Path, entries: &[Entry], fresh: usize) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let old = self
            .body
            .as_deref()
            .filter(|_| self.entries.is_empty() && fresh <= entries.len());
        let to_serialise = match old {
            Some(_) => entries.get(..fresh).unwrap_or_default(),
            None => entries,
        };
        let lines: Vec<Vec<u8>> = to_serialise
            .par_chunks(512)
            .map(|chunk| {
                let mut buf = Vec::new();
                for e in chunk {
                    serde_json::to_writer(&mut buf, e)?;
                    buf.push(b'\n');
                }
                Ok(buf)
            })
            .collect::<Result<_, serde_json::Error>>()
            .map_err(std::io::Error::other)?;
        let lines: Vec<&[u8]> = lines.iter().map(Vec::as_slice).chain(old).collect();
        let mut digest = Sha256::new();
        for chunk in &lines {
            digest.update(chunk);
        }
        let header = Header {
            format: FORMAT.into(),
            version: VERSION,
            key: self.key.clone(),
            checksum: hex(&digest.finalize()),
            count: entries.len(),
        };
        let path = Self::file(dir, &self.key);
        let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
        {
            let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
            serde_json::to_writer(&mut f, &header).map_err(std::io::Error::other)?;
            f.write_all(b"\n")?;
            for chunk in &lines {
                f.write_all(chunk)?;
            }
            f.flush()?;
        }
        std::fs::rename(&tmp, &path)
    }
}
