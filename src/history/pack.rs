//! Trees read straight from pack files, with a delta-base cache sized for
//! big trees.
//!
//! libgit2 caches a delta base only up to 1 MiB (a compile-time constant), so
//! once the `vendors` tree outgrows that (about 20,000 vendors) every read
//! inflated the chain's full base again and replayed up to 50 deltas. git
//! keeps every intermediate base in a 96 MiB cache instead; so does this
//! reader, one per worker thread, in a cache that holds at least a dozen of
//! the biggest objects seen. Pack files are parsed by `gix-pack`; this module
//! only walks delta chains and keeps their results.
//!
//! Anything this reader cannot serve (a loose object, an alternate object
//! store, a base outside the pack, a damaged entry) answers `None`; the
//! object layer (`objects.rs`) then tries the loose objects and libgit2.

use std::path::Path;
use std::sync::Arc;

use git2::Oid;
use gix_object::Kind;
use gix_pack::data::entry::Header;
use rustc_hash::FxHashMap;

/// The pack files of one object database, opened (memory-mapped) once per walk.
pub struct Packs {
    bundles: Vec<gix_pack::Bundle>,
}

impl Packs {
    /// The packs under `objects/pack`, in name order. A pack that cannot be
    /// opened is left to libgit2.
    pub fn open(objects: &Path) -> Packs {
        let mut idx: Vec<_> = std::fs::read_dir(objects.join("pack"))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "idx"))
            .collect();
        idx.sort();
        let bundles = idx
            .iter()
            .filter_map(|p| gix_pack::Bundle::at(p, gix_hash::Kind::Sha1).ok())
            .collect();
        Packs { bundles }
    }

    /// Whether the object `id` is in one of the packs (readable or not).
    pub fn contains(&self, id: Oid) -> bool {
        self.locate(id.as_bytes()).is_some()
    }

    /// Where the object `id` is stored: its pack and offset.
    fn locate(&self, id: &[u8]) -> Option<(u32, u64)> {
        let id = gix_hash::oid::try_from_bytes(id).ok()?;
        self.bundles.iter().enumerate().find_map(|(p, b)| {
            let i = b.index.lookup(id)?;
            Some((p as u32, b.index.pack_offset_at_index(i)))
        })
    }
}

/// The fewest bytes one reader keeps of resolved objects; git's default
/// `core.deltaBaseCacheLimit` is 96 MiB for the whole process.
const CACHE_BYTES: usize = 16 << 20;
/// How many of the biggest objects seen a reader keeps at least, so that a
/// run of commits finds its trees' bases however big the trees grow.
/// Measured at 100k vendors (5 MB trees): 6 of them walk in 8.7 s, 12 in 6.9 s.
const CACHE_OBJECTS: usize = 12;
/// The most bytes one reader keeps, whatever the object sizes.
const CACHE_MAX_BYTES: usize = 256 << 20;
/// Longest delta chain followed (git writes at most 50 by default; a cycle
/// in a damaged pack must not loop forever).
const MAX_CHAIN: usize = 10_000;
/// Biggest object the history reads, here or through libgit2 (which
/// allocates whatever a damaged entry declares): 64 MiB. A registry tree of
/// 100,000 vendors is about 4 MiB and a registry file at most 1 MiB, so only
/// a damaged (or hostile) pack declares more.
pub const MAX_OBJECT: u64 = 64 << 20;

/// An object's kind and data.
pub type Object = (Kind, Arc<Vec<u8>>);

/// Resolved objects by pack and entry offset, least recently used first out.
struct Cache {
    map: FxHashMap<(u32, u64), (Object, u64)>,
    bytes: usize,
    biggest: usize,
    tick: u64,
    /// The fewest bytes kept (`CACHE_BYTES`; smaller in tests).
    floor: usize,
}

impl Cache {
    fn get(&mut self, key: (u32, u64)) -> Option<Object> {
        self.tick += 1;
        let (obj, used) = self.map.get_mut(&key)?;
        *used = self.tick;
        Some(obj.clone())
    }

    fn put(&mut self, key: (u32, u64), obj: Object) {
        let size = obj.1.len();
        self.biggest = self.biggest.max(size);
        let cap = (self.biggest * CACHE_OBJECTS).clamp(self.floor, CACHE_MAX_BYTES);
        if size > cap / 4 {
            return;
        }
        self.tick += 1;
        if let Some((old, _)) = self.map.insert(key, (obj, self.tick)) {
            self.bytes -= old.1.len();
        }
        self.bytes += size;
        if self.bytes > cap {
            // Evict the least recently used down to three quarters, in one
            // pass: a scan per insertion cost more than the reads it saved.
            let mut by_age: Vec<(u64, (u32, u64), usize)> = self
                .map
                .iter()
                .map(|(k, (o, used))| (*used, *k, o.1.len()))
                .collect();
            by_age.sort_unstable();
            for (_, k, len) in by_age {
                if self.bytes <= cap / 4 * 3 {
                    break;
                }
                self.map.remove(&k);
                self.bytes -= len;
            }
        }
    }
}

/// One thread's reader: a zlib state, a scratch buffer and a base cache.
pub struct Reader<'p> {
    packs: &'p Packs,
    inflate: gix_zlib::Inflate,
    delta: Vec<u8>,
    cache: Cache,
}

impl<'p> Reader<'p> {
    pub fn new(packs: &'p Packs) -> Self {
        Self::with_cache(packs, CACHE_BYTES)
    }

    fn with_cache(packs: &'p Packs, floor: usize) -> Self {
        Reader {
            packs,
            inflate: gix_zlib::Inflate::default(),
            delta: Vec::new(),
            cache: Cache {
                map: FxHashMap::default(),
                bytes: 0,
                biggest: 0,
                tick: 0,
                floor,
            },
        }
    }

    /// The object `id` with its kind, or `None` when this reader cannot
    /// serve it (not packed, or an entry it cannot resolve).
    pub fn object(&mut self, id: Oid) -> Option<Object> {
        let (pack, offset) = self.packs.locate(id.as_bytes())?;
        self.resolve(pack, offset)
    }

    /// Whether the packed object `id`, or an entry of its delta chain (by
    /// offset or by id, in any pack), declares more than `MAX_OBJECT` bytes,
    /// or cannot be checked: an entry header this reader cannot parse, a base
    /// offset outside the pack, a chain longer than `MAX_CHAIN`. Only a
    /// damaged pack does any of these, and libgit2 would allocate whatever
    /// it reads as the size (2.7 GB from a header gix-pack refuses: found by
    /// the history fuzz target), so the object is refused before libgit2
    /// sees it. A delta base in no pack is left to libgit2 (a loose object
    /// or an alternate store can hold it).
    pub fn declares_too_much(&self, id: Oid) -> bool {
        let Some((mut pack, mut at)) = self.packs.locate(id.as_bytes()) else {
            return false;
        };
        for _ in 0..MAX_CHAIN {
            let Some(bundle) = self.packs.bundles.get(pack as usize) else {
                return true;
            };
            let Ok(entry) = bundle.pack.entry(at) else {
                return true;
            };
            if entry.decompressed_size > MAX_OBJECT {
                return true;
            }
            match entry.header {
                Header::OfsDelta { base_distance } => {
                    match entry.checked_base_pack_offset(base_distance) {
                        Some(base) => at = base,
                        None => return true,
                    }
                }
                Header::RefDelta { base_id } => match self.packs.locate(base_id.as_bytes()) {
                    Some(found) => (pack, at) = found,
                    None => return false,
                },
                _ => return false,
            }
        }
        true
    }

    /// The object at `offset` of pack `pack`: follow its delta chain down to
    /// a full object or a cached one, then apply the deltas back up, keeping
    /// every intermediate result (each is some other commit's tree).
    fn resolve(&mut self, pack: u32, offset: u64) -> Option<Object> {
        let file = &self.packs.bundles.get(pack as usize)?.pack;
        let mut chain = Vec::new();
        let mut entry = file.entry(offset).ok()?;
        let mut obj = loop {
            if let Some(hit) = self.cache.get((pack, entry.data_offset)) {
                break hit;
            }
            if chain.len() >= MAX_CHAIN || entry.decompressed_size > MAX_OBJECT {
                return None;
            }
            let base = match &entry.header {
                Header::OfsDelta { base_distance } => file
                    .entry(entry.checked_base_pack_offset(*base_distance)?)
                    .ok()?,
                Header::RefDelta { base_id } => {
                    // The base in this pack, even when an earlier pack also
                    // holds it; a base only in another pack is left to the
                    // next reader.
                    let index = &self.packs.bundles.get(pack as usize)?.index;
                    let at = index.pack_offset_at_index(index.lookup(base_id)?);
                    file.entry(at).ok()?
                }
                header => {
                    let kind = header.as_kind()?;
                    let mut data = Vec::new();
                    data.try_reserve_exact(entry.decompressed_size as usize)
                        .ok()?;
                    data.resize(entry.decompressed_size as usize, 0);
                    file.decompress_entry(&entry, &mut self.inflate, &mut data)
                        .ok()?;
                    let obj = (kind, Arc::new(data));
                    self.keep((pack, entry.data_offset), &obj);
                    break obj;
                }
            };
            chain.push(entry);
            entry = base;
        };
        for delta in chain.iter().rev() {
            let n = delta.decompressed_size as usize;
            self.delta.clear();
            self.delta.try_reserve(n).ok()?;
            self.delta.resize(n, 0);
            file.decompress_entry(delta, &mut self.inflate, &mut self.delta)
                .ok()?;
            let data = apply_delta(&obj.1, &self.delta)?;
            obj = (obj.0, Arc::new(data));
            self.keep((pack, delta.data_offset), &obj);
        }
        Some(obj)
    }

    /// Cache a resolved object, unless it is a commit: the walk reads each
    /// commit once, and git rarely stores commits as deltas, so caching
    /// them would only push out the trees' delta bases.
    fn keep(&mut self, key: (u32, u64), obj: &Object) {
        if obj.0 != Kind::Commit {
            self.cache.put(key, obj.clone());
        }
    }
}

/// A size in a delta header: 7 bits a byte, least significant first.
fn varint(d: &[u8]) -> Option<(usize, &[u8])> {
    let mut value: u64 = 0;
    for (i, b) in d.iter().enumerate().take(10) {
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some((usize::try_from(value).ok()?, &d[i + 1..]));
        }
    }
    None
}

/// Apply one git delta to `base`: copy ranges of the base and insert literal
/// bytes. Every length and offset is checked; a malformed delta answers
/// `None` (pack content is as untrusted as the registry it holds).
fn apply_delta(base: &[u8], delta: &[u8]) -> Option<Vec<u8>> {
    let (base_len, d) = varint(delta)?;
    let (out_len, mut d) = varint(d)?;
    if base_len != base.len() || out_len as u64 > MAX_OBJECT {
        return None;
    }
    let mut out = Vec::new();
    out.try_reserve_exact(out_len).ok()?;
    while let Some((&op, rest)) = d.split_first() {
        d = rest;
        if op & 0x80 != 0 {
            // Copy: which offset and size bytes follow is in the op's bits.
            let (mut at, mut len) = (0usize, 0usize);
            for bit in 0..7 {
                if op & (1 << bit) != 0 {
                    let (&b, rest) = d.split_first()?;
                    d = rest;
                    if bit < 4 {
                        at |= usize::from(b) << (8 * bit);
                    } else {
                        len |= usize::from(b) << (8 * (bit - 4));
                    }
                }
            }
            if len == 0 {
                len = 0x10000;
            }
            out.extend_from_slice(base.get(at..at.checked_add(len)?)?);
        } else if op != 0 {
            let n = usize::from(op);
            out.extend_from_slice(d.get(..n)?);
            d = &d[n..];
        } else {
            return None; // opcode 0 is reserved
        }
        if out.len() > out_len {
            return None;
        }
    }
    (out.len() == out_len).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A delta as git writes one: sizes, then ops.
    fn delta(base: usize, out: usize, ops: &[u8]) -> Vec<u8> {
        let mut d = Vec::new();
        for mut n in [base, out] {
            loop {
                let b = (n & 0x7f) as u8;
                n >>= 7;
                if n == 0 {
                    d.push(b);
                    break;
                }
                d.push(b | 0x80);
            }
        }
        d.extend_from_slice(ops);
        d
    }

    #[test]
    fn a_delta_copies_and_inserts() {
        let base = b"vendors/acme-imaging vendors/zeta-health".repeat(4);
        // Copy 8 bytes from offset 0, insert "NEW", copy 6 bytes from 34.
        let ops = [
            0x80 | 0x01 | 0x10,
            0,
            8,
            3,
            b'N',
            b'E',
            b'W',
            0x80 | 0x01 | 0x10,
            34,
            6,
        ];
        let out = apply_delta(&base, &delta(base.len(), 17, &ops)).unwrap();
        assert_eq!(out, b"vendors/NEWhealth");
    }

    /// 80 versions of a 3,000-entry tree, one entry changed each time, packed
    /// by libgit2 (which deltas them against each other).
    fn packed_versions() -> (tempfile::TempDir, Vec<Oid>) {
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init(dir.path()).unwrap();
        let same = repo.blob(b"unchanged").unwrap();
        let mut trees = Vec::new();
        for version in 0..80usize {
            let changed = repo.blob(format!("version {version}").as_bytes()).unwrap();
            let mut tb = repo.treebuilder(None).unwrap();
            for i in 0..3000usize {
                let id = if i == version * 37 % 3000 {
                    changed
                } else {
                    same
                };
                tb.insert(format!("vendor-{i:05}.toml"), id, 0o100644)
                    .unwrap();
            }
            trees.push(tb.write().unwrap());
        }
        let mut pb = repo.packbuilder().unwrap();
        for t in &trees {
            pb.insert_tree(*t).unwrap();
        }
        pb.write(&dir.path().join(".git/objects/pack"), 0).unwrap();
        (dir, trees)
    }

    #[test]
    fn packed_trees_read_the_same_as_through_libgit2_in_any_order() {
        let (dir, trees) = packed_versions();
        let repo = git2::Repository::open(dir.path()).unwrap();
        let odb = repo.odb().unwrap();
        let packs = Packs::open(&dir.path().join(".git/objects"));
        assert_eq!(packs.bundles.len(), 1);
        // Most versions are stored as deltas: the chains are really walked.
        let deltas = trees
            .iter()
            .filter(|t| {
                let (p, at) = packs.locate(t.as_bytes()).unwrap();
                packs.bundles[p as usize]
                    .pack
                    .entry(at)
                    .unwrap()
                    .header
                    .is_delta()
            })
            .count();
        assert!(deltas > 60, "only {deltas} of 80 trees are deltas");
        let mut scrambled = trees.clone();
        scrambled.sort();
        let newest_first: Vec<Oid> = trees.iter().rev().copied().collect();
        // A cache floor far below the 80 trees' 10 MB makes the reader evict.
        for floor in [CACHE_BYTES, 64 << 10] {
            let mut reader = Reader::with_cache(&packs, floor);
            for order in [&trees, &newest_first, &scrambled] {
                for t in order.iter() {
                    let want = odb.read(*t).unwrap();
                    let (kind, got) = reader
                        .object(*t)
                        .expect("a packed tree is read from the pack");
                    assert_eq!(kind, Kind::Tree);
                    assert_eq!(got.as_slice(), want.data(), "tree {t}");
                }
            }
            if floor < CACHE_BYTES {
                assert!(reader.cache.bytes <= reader.cache.biggest * CACHE_OBJECTS);
                assert!(reader.cache.map.len() < 80);
            }
        }
        // A packed blob comes with its kind; an object in no pack is left
        // to the other readers.
        let mut reader = Reader::new(&packs);
        let blob = repo.blob(b"unchanged").unwrap();
        let (kind, data) = reader.object(blob).expect("the blob is packed");
        assert_eq!((kind, data.as_slice()), (Kind::Blob, &b"unchanged"[..]));
        let absent = Oid::from_str("0123456789012345678901234567890123456789").unwrap();
        assert!(reader.object(absent).is_none());
        assert!(!packs.contains(absent) && packs.contains(blob));
    }

    #[test]
    fn a_malformed_delta_is_refused_not_panicked_on() {
        let base = b"0123456789".to_vec();
        // Copy past the end of the base.
        assert!(apply_delta(&base, &delta(10, 4, &[0x80 | 0x01 | 0x10, 8, 4])).is_none());
        // Wrong base size.
        assert!(apply_delta(&base, &delta(9, 1, &[1, b'x'])).is_none());
        // Insert running past the delta's end.
        assert!(apply_delta(&base, &delta(10, 5, &[5, b'x'])).is_none());
        // Result longer than announced, and shorter.
        assert!(apply_delta(&base, &delta(10, 1, &[2, b'x', b'y'])).is_none());
        assert!(apply_delta(&base, &delta(10, 3, &[2, b'x', b'y'])).is_none());
        // Reserved opcode 0, and a truncated copy op.
        assert!(apply_delta(&base, &delta(10, 1, &[0])).is_none());
        assert!(apply_delta(&base, &delta(10, 1, &[0x80 | 0x01])).is_none());
        // A size header that never ends.
        assert!(apply_delta(&base, &[0xff; 12]).is_none());
    }
}
