//! Loose objects, checked before libgit2 reads any of them.
//!
//! libgit2 (1.9) loops forever inflating a truncated loose object: its
//! inflate loop waits for the end of the zlib stream, and when the file ends
//! first, no call makes progress and none fails. git reports the same file as
//! damaged. So every loose object of the repository is inflated to its end
//! here first (in parallel, in 64 KiB steps, never held whole), and one whose
//! stream does not end, or does not decode, is reported as the damaged
//! object it is. A fresh clone has no loose objects (they arrive packed), and
//! `git gc` packs them after a few thousand, so the check costs little.
//!
//! The object layer reads loose objects here too (`read`), so libgit2 is
//! needed only for what neither the packs nor this folder hold.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use gix_object::Kind;
use rayon::prelude::*;

use crate::error::Damage;
use crate::error::Error;

/// Biggest loose object read, as for packs (`pack::MAX_OBJECT`); a bigger
/// declared size is a damaged file (libgit2 would allocate whatever a damaged
/// header declares).
const MAX_OBJECT: u64 = super::pack::MAX_OBJECT;

/// What the loose object store holds for one id.
#[derive(Debug, PartialEq, Eq)]
pub enum Loose {
    /// No such file: the object is elsewhere (a pack, an alternate store).
    Missing,
    /// A file that could not be opened or read (libgit2 is asked, and says why).
    Unreadable,
    /// A file that does not decode as an object: a damaged object. libgit2
    /// is never handed one: it parses headers we reject (a size with no end,
    /// then allocates what it read; found by the history fuzz target).
    Damaged,
    /// A file whose header declares more than `MAX_OBJECT` bytes.
    TooBig,
    Found(Kind, Vec<u8>),
}

/// The loose object `id` (hex) under `objects`, inflated and checked
/// against its header: its kind, and a size that the data matches exactly.
pub fn read(objects: &Path, id: &str) -> Loose {
    let (Some(dir), Some(file)) = (id.get(..2), id.get(2..)) else {
        return Loose::Missing;
    };
    let path = objects.join(dir).join(file);
    let compressed = match crate::parse::open_regular(&path) {
        Ok((mut f, len)) => {
            let mut buf = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
            if f.read_to_end(&mut buf).is_err() {
                return Loose::Unreadable;
            }
            buf
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Loose::Missing,
        Err(_) => return Loose::Unreadable,
    };
    inflate_object(&compressed)
}

/// A loose object's zlib stream to its kind and data.
fn inflate_object(compressed: &[u8]) -> Loose {
    let mut inflate = gix_zlib::Inflate::default();
    // "<kind> <size>\0" fits in 64 bytes (the size has at most 20 digits).
    let mut head = [0u8; 64];
    let Ok((mut status, used, written)) = inflate.once(compressed, &mut head) else {
        return Loose::Damaged;
    };
    let Ok((kind, size, header_len)) = gix_object::decode::loose_header(&head[..written]) else {
        return Loose::Damaged;
    };
    if size > MAX_OBJECT {
        return Loose::TooBig;
    }
    let size = size as usize;
    let mut data = Vec::new();
    if data.try_reserve_exact(size).is_err() || written - header_len > size {
        return Loose::Damaged;
    }
    data.extend_from_slice(&head[header_len..written]);
    let mut filled = data.len();
    data.resize(size, 0);
    let mut input = &compressed[used..];
    while status != gix_zlib::Status::StreamEnd {
        match inflate.once(input, &mut data[filled..]) {
            Ok((s, 0, 0)) if s != gix_zlib::Status::StreamEnd => return Loose::Damaged,
            Ok((s, used, written)) => {
                (status, input, filled) = (s, &input[used..], filled + written);
            }
            Err(_) => return Loose::Damaged,
        }
    }
    if filled == size {
        Loose::Found(kind, data)
    } else {
        Loose::Damaged
    }
}

/// Check every loose object under `objects` (a repository's `objects`
/// folder). A damaged one is `Damage::LooseObject`, which gets the
/// `git fsck` help.
pub fn verify(objects: &Path) -> Result<(), Error> {
    let files = loose_files(objects);
    let damaged: Option<PathBuf> = files
        .into_par_iter()
        .find_any(|path| !stream_ends(path))
        .map(|p| p.to_path_buf());
    match damaged {
        None => Ok(()),
        Some(path) => {
            let id = path
                .parent()
                .and_then(|d| d.file_name())
                .zip(path.file_name())
                .map(|(d, f)| format!("{}{}", d.to_string_lossy(), f.to_string_lossy()))
                .unwrap_or_default();
            Err(Damage::LooseObject { id, path }.into())
        }
    }
}

/// Check every pack index under `objects/pack`: its own checksum, and that
/// every object offset in it lies inside its pack. libgit2 trusts the
/// offsets of an index, and one damaged on disk sent it reading outside its
/// mapping (a crash, found by the history fuzz target). Hashing an index
/// costs a few milliseconds (it is 28 bytes an object); packs themselves are
/// not hashed (git verified them when they arrived), and a damaged entry in
/// one is an error libgit2 reports.
pub fn verify_pack_indexes(objects: &Path) -> Result<(), Error> {
    let Ok(entries) = fs::read_dir(objects.join("pack")) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let idx = entry.path();
        if idx.extension().is_none_or(|e| e != "idx") {
            continue;
        }
        if let Err(why) = check_index(&idx) {
            return Err(Damage::PackIndex { path: idx, why }.into());
        }
    }
    Ok(())
}

/// One version-2 pack index against itself and its pack.
fn check_index(idx: &Path) -> Result<(), &'static str> {
    const HEADER: usize = 8 + 256 * 4;
    let mut bytes = Vec::new();
    let (mut file, _) = crate::parse::open_regular(idx).map_err(|_| "unreadable")?;
    file.read_to_end(&mut bytes).map_err(|_| "unreadable")?;
    if bytes.len() < HEADER + 40 || bytes[..8] != [0xff, b't', b'O', b'c', 0, 0, 0, 2] {
        return Err("not a version 2 index");
    }
    let (body, sum) = bytes.split_at(bytes.len() - 20);
    let mut hasher = gix_hash::hasher(gix_hash::Kind::Sha1);
    hasher.update(body);
    let own = hasher.try_finalize().map_err(|_| "checksum")?;
    if own.as_slice() != sum {
        return Err("its checksum does not match");
    }
    let be32 =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    let count = be32(8 + 255 * 4) as usize;
    // ids (20), CRCs (4), offsets (4) per object, then large offsets (8 each).
    let offsets_at = HEADER + count * 24;
    let large_at = offsets_at + count * 4;
    let trailer = bytes.len() - 40;
    if large_at > trailer || (trailer - large_at) % 8 != 0 {
        return Err("its tables do not fit");
    }
    let pack = idx.with_extension("pack");
    let pack_len = fs::metadata(&pack)
        .map_err(|_| "its pack is missing")?
        .len();
    let large = (trailer - large_at) / 8;
    for i in 0..count {
        let raw = be32(offsets_at + i * 4);
        let offset = if raw & 0x8000_0000 == 0 {
            u64::from(raw)
        } else {
            let j = (raw & 0x7fff_ffff) as usize;
            if j >= large {
                return Err("an offset points past its table");
            }
            let at = large_at + j * 8;
            u64::from_be_bytes(bytes[at..at + 8].try_into().map_err(|_| "offset")?)
        };
        // Past the 12-byte pack header, before the 20-byte pack checksum.
        if offset < 12 || offset.saturating_add(20) >= pack_len {
            return Err("an object offset lies outside its pack");
        }
    }
    Ok(())
}

/// The files of `objects/xx/` folders (two hex digits; `pack` and `info`
/// are skipped by name).
fn loose_files(objects: &Path) -> Vec<PathBuf> {
    let Ok(dirs) = fs::read_dir(objects) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for dir in dirs.flatten() {
        let name = dir.file_name();
        let is_fanout = name.len() == 2
            && name
                .to_str()
                .is_some_and(|n| n.bytes().all(|b| b.is_ascii_hexdigit()));
        if !is_fanout || !dir.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        if let Ok(files) = fs::read_dir(dir.path()) {
            out.extend(
                files
                    .flatten()
                    .filter(|f| f.file_type().is_ok_and(|t| t.is_file()))
                    .map(|f| f.path()),
            );
        }
    }
    out
}

/// Whether the file holds one complete zlib stream.
fn stream_ends(path: &Path) -> bool {
    let Ok((mut file, _)) = crate::parse::open_regular(path) else {
        return false;
    };
    let mut inflate = gix_zlib::Inflate::default();
    let mut input = vec![0u8; 1 << 16];
    let mut output = vec![0u8; 1 << 16];
    loop {
        let n = match file.read(&mut input) {
            Ok(n) => n,
            Err(_) => return false,
        };
        if n == 0 {
            return false;
        }
        let mut chunk = &input[..n];
        loop {
            match inflate.once(chunk, &mut output) {
                Ok((gix_zlib::Status::StreamEnd, _, _)) => return true,
                Ok((_, used, written)) => {
                    chunk = &chunk[used..];
                    if chunk.is_empty() {
                        break;
                    }
                    if used == 0 && written == 0 {
                        return false;
                    }
                }
                Err(_) => return false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deflate(data: &[u8]) -> Vec<u8> {
        use std::io::Write as _;
        let mut out = Vec::new();
        let level = gix_zlib::Compression::new(6).unwrap();
        let mut w = gix_zlib::stream::deflate::Write::new(&mut out, level);
        w.write_all(data).unwrap();
        w.flush().unwrap();
        drop(w);
        out
    }

    #[test]
    fn loose_objects_read_whole_and_checked_against_their_header() {
        let tmp = tempfile::tempdir().unwrap();
        fs::create_dir(tmp.path().join("ab")).unwrap();
        let body: Vec<u8> = (0..100_000u32).flat_map(|i| i.to_le_bytes()).collect();
        let object = |header: &str, body: &[u8]| {
            let mut o = header.as_bytes().to_vec();
            o.extend_from_slice(body);
            deflate(&o)
        };
        let id = "abcdef0123456789abcdef0123456789abcdef01";
        let path = tmp.path().join("ab").join(&id[2..]);
        let read = |bytes: &[u8]| {
            fs::write(&path, bytes).unwrap();
            read(tmp.path(), id)
        };
        assert_eq!(
            read(&object(&format!("tree {}\0", body.len()), &body)),
            Loose::Found(Kind::Tree, body.clone())
        );
        assert_eq!(
            read(&object("blob 0\0", b"")),
            Loose::Found(Kind::Blob, vec![])
        );
        // Sizes that do not match the data, an absurd size, a bad kind.
        let short = format!("blob {}\0", body.len() - 1);
        assert_eq!(read(&object(&short, &body)), Loose::Damaged);
        let long = format!("blob {}\0", body.len() + 1);
        assert_eq!(read(&object(&long, &body)), Loose::Damaged);
        assert_eq!(read(&object("blob 99999999999\0", b"x")), Loose::TooBig);
        assert_eq!(read(&object("bolb 1\0", b"x")), Loose::Damaged);
        let whole = object(&format!("blob {}\0", body.len()), &body);
        assert_eq!(read(&whole[..whole.len() / 2]), Loose::Damaged);
        assert_eq!(read(b"not zlib"), Loose::Damaged);
        assert_eq!(
            super::read(tmp.path(), &id.replace('a', "0")),
            Loose::Missing
        );
    }

    #[test]
    fn a_whole_stream_passes_and_a_cut_one_does_not() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("ab");
        fs::create_dir(&dir).unwrap();
        // Large enough to need several input and output steps.
        let body: Vec<u8> = (0..300_000u32)
            .flat_map(|i| (i * 7919).to_le_bytes())
            .collect();
        let mut object = format!("blob {}\0", body.len()).into_bytes();
        object.extend(&body);
        let whole = deflate(&object);
        let path = dir.join("cdef");
        fs::write(&path, &whole).unwrap();
        assert!(stream_ends(&path));
        assert!(verify(tmp.path()).is_ok());
        for cut in [0, 1, 2, 10, whole.len() / 2, whole.len() - 1] {
            fs::write(&path, &whole[..cut]).unwrap();
            assert!(!stream_ends(&path), "cut at {cut}");
            match verify(tmp.path()).unwrap_err() {
                Error::DamagedObjects {
                    damage: Damage::LooseObject { id, path: at },
                } => {
                    assert_eq!(id, "abcdef");
                    assert_eq!(at, path);
                }
                other => panic!("expected a damaged loose object, got {other:?}"),
            }
        }
        let mut garbage = whole.clone();
        garbage[5] ^= 0xff;
        garbage.truncate(40);
        fs::write(&path, &garbage).unwrap();
        assert!(!stream_ends(&path));
    }
}
