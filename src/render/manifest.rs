//! The build manifest: what the last build published into `--out`, file by
//! file, so that the next build re-renders only the pages whose inputs
//! changed and publishes without rewriting unchanged files.
//!
//! One entry per published file: a hash of everything that determines it
//! (for a page: vetted's version, the theme's templates, the `site` and
//! `page` variables and the page's view data; see `page::SitePage::build`), a
//! hash of its bytes, and the stamp of the published file (size, modification
//! time, inode) as the build left it. A file is taken over from the published
//! site (hard-linked into the staging folder, so it keeps its inode and
//! modification time) only when its entry matches and the file on disk still
//! has the stamp the manifest recorded: a published file edited, replaced or
//! removed by hand is rendered again.
//!
//! The file lives in the cache folder as `site-<key>.json`, keyed by the
//! output folder's absolute path and vetted's version; like the history
//! cache it is a JSON header line (format, version, key, checksum, count)
//! and one JSON entry per line. A file that fails any check (other key,
//! checksum, count, a line that does not parse) is ignored, with a note, and
//! the build renders every page. Users may delete it at any time.

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

const FORMAT: &str = "vetted-site-manifest";
const VERSION: u32 = 1;

/// A SHA-256 digest.
pub type Hash = [u8; 32];

/// The note for a manifest that exists but cannot be trusted.
pub const NOTE_DAMAGED: &str =
    "The site manifest was damaged or out of date; every page was rendered again.";
/// The note for a manifest that could not be written.
pub const NOTE_UNWRITTEN: &str = "The site manifest could not be written to the cache folder; the next build renders every page.";

/// What identifies a published file as the one a build wrote: size,
/// modification time and inode (a hard link keeps all three).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    len: u64,
    secs: i64,
    nanos: u32,
    ino: u64,
}

impl Stamp {
    /// The file's size in bytes.
    pub fn size(&self) -> u64 {
        self.len
    }

    #[cfg(unix)]
    pub fn of(meta: &fs::Metadata) -> Stamp {
        use std::os::unix::fs::MetadataExt;
        Stamp {
            len: meta.len(),
            secs: meta.mtime(),
            nanos: u32::try_from(meta.mtime_nsec()).unwrap_or(0),
            ino: meta.ino(),
        }
    }

    #[cfg(not(unix))]
    pub fn of(meta: &fs::Metadata) -> Stamp {
        let since = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .unwrap_or_default();
        Stamp {
            len: meta.len(),
            secs: i64::try_from(since.as_secs()).unwrap_or(0),
            nanos: since.subsec_nanos(),
            ino: 0,
        }
    }
}

/// One published file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    /// Path from the site root, with `/`.
    pub path: String,
    /// Hash of the page's inputs (`None` for a file written as bytes only).
    #[serde(with = "hex_opt")]
    pub inputs: Option<Hash>,
    /// Hash of the file's bytes.
    #[serde(with = "hex_one")]
    pub bytes: Hash,
    /// The published file as the build left it.
    pub stamp: Stamp,
}

#[derive(Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    key: String,
    checksum: String,
    count: usize,
}

/// The previous build's manifest for one output folder.
#[derive(Debug, Default)]
pub struct Manifest {
    key: String,
    file: Option<PathBuf>,
    entries: HashMap<String, Entry>,
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

fn unhex(s: &str) -> Option<Hash> {
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        }
    }
    let bytes = s.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (o, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
        let [hi, lo] = pair else { return None };
        *o = nibble(*hi)? << 4 | nibble(*lo)?;
    }
    Some(out)
}

mod hex_one {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(h: &super::Hash, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::hex(h))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<super::Hash, D::Error> {
        let s = String::deserialize(d)?;
        super::unhex(&s).ok_or_else(|| D::Error::custom("not a SHA-256 digest"))
    }
}

mod hex_opt {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(h: &Option<super::Hash>, s: S) -> Result<S::Ok, S::Error> {
        match h {
            Some(h) => s.serialize_str(&super::hex(h)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<super::Hash>, D::Error> {
        match Option::<String>::deserialize(d)? {
            Some(s) => super::unhex(&s)
                .map(Some)
                .ok_or_else(|| D::Error::custom("not a SHA-256 digest")),
            None => Ok(None),
        }
    }
}

impl Manifest {
    /// The manifest of the site at `out`, read from `cache_dir`. An absent
    /// file gives an empty manifest; one that cannot be trusted gives an
    /// empty manifest and [`NOTE_DAMAGED`].
    pub fn load(cache_dir: &Path, out: &Path) -> (Manifest, Option<&'static str>) {
        let key = key_of(out);
        let file = cache_dir.join(format!("site-{}.json", &key[..16]));
        let empty = |key: String, file: PathBuf| Manifest {
            key,
            file: Some(file),
            entries: HashMap::new(),
        };
        let Ok(bytes) = fs::read(&file) else {
            return (empty(key, file), None);
        };
        match parse(&bytes, &key) {
            Some(entries) => (
                Manifest {
                    key,
                    file: Some(file),
                    entries,
                },
                None,
            ),
            None => (empty(key, file), Some(NOTE_DAMAGED)),
        }
    }

    /// The entry for `path`, when there is one.
    pub fn get(&self, path: &str) -> Option<&Entry> {
        self.entries.get(path)
    }

    /// Write `entries` (every file of the site just published) as this
    /// manifest's file, atomically. Does nothing for a manifest without a
    /// cache folder.
    pub fn save(&self, mut entries: Vec<Entry>) -> std::io::Result<()> {
        let Some(file) = &self.file else {
            return Ok(());
        };
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        let mut body = Vec::with_capacity(entries.len() * 220);
        for e in &entries {
            serde_json::to_writer(&mut body, e).map_err(std::io::Error::other)?;
            body.push(b'\n');
        }
        let header = Header {
            format: FORMAT.into(),
            version: VERSION,
            key: self.key.clone(),
            checksum: hex(&Sha256::digest(&body)),
            count: entries.len(),
        };
        let mut text = serde_json::to_vec(&header).map_err(std::io::Error::other)?;
        text.push(b'\n');
        text.extend_from_slice(&body);
        if let Some(dir) = file.parent() {
            fs::create_dir_all(dir)?;
        }
        let tmp = file.with_extension(format!("tmp-{}", std::process::id()));
        let written = fs::File::create(&tmp).and_then(|mut f| f.write_all(&text));
        match written.and_then(|()| fs::rename(&tmp, file)) {
            Ok(()) => Ok(()),
            Err(e) => {
                let _ = fs::remove_file(&tmp);
                Err(e)
            }
        }
    }
}

/// The manifest's key: the output folder's absolute path and vetted's version.
fn key_of(out: &Path) -> String {
    let abs = match (out.parent(), out.file_name()) {
        (Some(parent), Some(name)) => {
            let parent = if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            };
            parent
                .canonicalize()
                .map_or_else(|_| out.to_path_buf(), |p| p.join(name))
        }
        _ => out.to_path_buf(),
    };
    let mut h = Sha256::new();
    h.update(FORMAT.as_bytes());
    h.update([0]);
    h.update(abs.to_string_lossy().as_bytes());
    h.update([0]);
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    hex(&h.finalize())
}

fn parse(bytes: &[u8], key: &str) -> Option<HashMap<String, Entry>> {
    let nl = bytes.iter().position(|b| *b == b'\n')?;
    let header: Header = serde_json::from_slice(bytes.get(..nl)?).ok()?;
    let body = bytes.get(nl + 1..)?;
    if header.format != FORMAT
        || header.version != VERSION
        || header.key != key
        || header.checksum != hex(&Sha256::digest(body))
    {
        return None;
    }
    let mut entries = HashMap::with_capacity(header.count);
    for line in body.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        let e: Entry = serde_json::from_slice(line).ok()?;
        entries.insert(e.path.clone(), e);
    }
    (entries.len() == header.count).then_some(entries)
}

/// A SHA-256 writer, so view data is hashed as it serialises (no copy).
/// serde_json writes in pieces of a few bytes; they are gathered in a
/// buffer and hashed a few kilobytes at a time (the digest is the same as
/// hashing each piece as it comes, at a fraction of the per-call cost).
pub struct Hasher {
    sha: Sha256,
    buf: Vec<u8>,
}

/// Bytes gathered before they are hashed.
const HASH_BUF: usize = 16 * 1024;

impl Default for Hasher {
    fn default() -> Hasher {
        Hasher::new(Sha256::new())
    }
}

impl Hasher {
    /// A hasher that continues from `sha`.
    pub fn new(sha: Sha256) -> Hasher {
        Hasher {
            sha,
            buf: Vec::with_capacity(HASH_BUF),
        }
    }

    /// Hash `bytes` after everything written so far.
    pub fn update(&mut self, bytes: &[u8]) {
        if self.buf.len() + bytes.len() > HASH_BUF {
            self.sha.update(&self.buf);
            self.buf.clear();
            if bytes.len() >= HASH_BUF {
                self.sha.update(bytes);
                return;
            }
        }
        self.buf.extend_from_slice(bytes);
    }

    /// The SHA-256 state after everything written.
    pub fn into_sha(mut self) -> Sha256 {
        self.sha.update(&self.buf);
        self.sha
    }

    /// The digest of everything written.
    pub fn finish(self) -> Hash {
        self.into_sha().finalize().into()
    }
}

impl Write for Hasher {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.update(buf);
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.update(buf);
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str) -> Entry {
        Entry {
            path: path.into(),
            inputs: Some([7; 32]),
            bytes: [9; 32],
            stamp: Stamp {
                len: 3,
                secs: 4,
                nanos: 5,
                ino: 6,
            },
        }
    }

    #[test]
    fn a_saved_manifest_loads_back_and_a_damaged_one_is_ignored_with_a_note() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let cache = dir.path().join("cache");
        let (m, note) = Manifest::load(&cache, &out);
        assert!(note.is_none() && m.entries.is_empty());
        m.save(vec![entry("b.html"), entry("a/index.html")])
            .unwrap();
        let (m, note) = Manifest::load(&cache, &out);
        assert!(note.is_none());
        assert_eq!(m.get("a/index.html").unwrap().inputs, Some([7; 32]));
        assert_eq!(m.get("b.html").unwrap().stamp, entry("x").stamp);
        // Another output folder has another manifest.
        let (other, note) = Manifest::load(&cache, &dir.path().join("elsewhere"));
        assert!(note.is_none() && other.entries.is_empty());
        // One byte changed: the checksum fails.
        let file = m.file.clone().unwrap();
        let mut bytes = fs::read(&file).unwrap();
        let last = bytes.len() - 3;
        bytes[last] ^= 1;
        fs::write(&file, &bytes).unwrap();
        let (m, note) = Manifest::load(&cache, &out);
        assert_eq!(note, Some(NOTE_DAMAGED));
        assert!(m.entries.is_empty());
        // Not JSON at all.
        fs::write(&file, b"\x00\xffgarbage").unwrap();
        assert_eq!(Manifest::load(&cache, &out).1, Some(NOTE_DAMAGED));
    }

    #[test]
    fn digests_round_trip_through_hex() {
        let h: Hash = core::array::from_fn(|i| i as u8 * 7);
        assert_eq!(unhex(&hex(&h)), Some(h));
        assert_eq!(unhex("zz"), None);
        assert_eq!(unhex(&"é".repeat(32)), None);
    }
}
