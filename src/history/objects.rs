//! The one way history reads git objects (commits, trees, blobs): from the
//! pack files first (gix-pack, through `pack::Reader` and its delta-base
//! cache), then from the loose objects, and only then through libgit2, which
//! serves what neither holds (an alternate object store, a delta whose base
//! lies in another pack) and reports damage precisely. Every object read
//! through libgit2 is counted by reason, and the count reaches
//! `History::notes`: a slow path is never taken silently.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use git2::Oid;
pub use gix_object::Kind;

use super::loose::{self, Loose};
use super::pack;
use crate::error::Error;
use crate::error::{Damage, ObjectRole, ObjectStore};

/// Why an object was read through libgit2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FallbackReason {
    /// In no pack file and not loose: an alternate object store.
    Elsewhere,
    /// In a pack, but the pack reader could not resolve it (a delta base in
    /// another pack, an entry it cannot decode).
    Unresolved,
    /// A loose object file that could not be opened or read.
    LooseUnreadable,
}

impl FallbackReason {
    const ALL: [FallbackReason; 3] = [
        FallbackReason::Elsewhere,
        FallbackReason::Unresolved,
        FallbackReason::LooseUnreadable,
    ];

    fn why(self) -> &'static str {
        match self {
            FallbackReason::Elsewhere => {
                "in no pack file and not loose (an alternate object store)"
            }
            FallbackReason::Unresolved => "packed in a way the pack reader does not resolve",
            FallbackReason::LooseUnreadable => "loose object files that could not be read",
        }
    }
}

/// How many objects were read through libgit2, by reason. Shared by the
/// walk's threads.
#[derive(Debug, Default)]
pub struct Fallbacks {
    counts: [AtomicUsize; FallbackReason::ALL.len()],
}

impl Fallbacks {
    fn count(&self, reason: FallbackReason) {
        self.counts[reason as usize].fetch_add(1, Ordering::Relaxed);
    }

    /// Objects read through libgit2 for `reason`.
    pub fn get(&self, reason: FallbackReason) -> usize {
        self.counts[reason as usize].load(Ordering::Relaxed)
    }

    /// A note for `History::notes` when any object came through libgit2.
    pub fn note(&self) -> Option<String> {
        let parts: Vec<String> = FallbackReason::ALL
            .iter()
            .filter(|r| self.get(**r) > 0)
            .map(|r| format!("{} {}", self.get(*r), r.why()))
            .collect();
        let total: usize = FallbackReason::ALL.iter().map(|r| self.get(*r)).sum();
        (total > 0).then(|| {
            format!(
                "{total} git object(s) were read through libgit2, the slower path: {}.",
                parts.join("; ")
            )
        })
    }
}

/// The object stores of one repository, opened once per walk: its packs
/// (memory-mapped), its loose objects folder, and the fallback counts.
pub struct Store {
    packs: pack::Packs,
    objects: PathBuf,
    pub fallbacks: Fallbacks,
}

impl Store {
    /// The stores under `objects` (a repository's `objects` folder).
    pub fn open(objects: &Path) -> Store {
        Store {
            packs: pack::Packs::open(objects),
            objects: objects.to_path_buf(),
            fallbacks: Fallbacks::default(),
        }
    }

    /// A pack reader for one thread (each keeps its own delta-base cache).
    pub fn reader(&self) -> pack::Reader<'_> {
        pack::Reader::new(&self.packs)
    }
}

/// One thread's view of a [`Store`]: its pack reader, and the libgit2 object
/// database for the fallback.
pub struct Objects<'a, 'p> {
    store: &'p Store,
    reader: &'a mut pack::Reader<'p>,
    odb: &'a git2::Odb<'a>,
}

fn kind_of(t: git2::ObjectType) -> Option<Kind> {
    Some(match t {
        git2::ObjectType::Commit => Kind::Commit,
        git2::ObjectType::Tree => Kind::Tree,
        git2::ObjectType::Blob => Kind::Blob,
        git2::ObjectType::Tag => Kind::Tag,
        _ => return None,
    })
}

impl<'a, 'p> Objects<'a, 'p> {
    pub fn new(store: &'p Store, reader: &'a mut pack::Reader<'p>, odb: &'a git2::Odb<'a>) -> Self {
        Objects { store, reader, odb }
    }

    /// The object `id`, which must be of kind `want`. `object` says what it
    /// is read as: it starts the message of a damaged object, which gets the
    /// `git fsck` help.
    pub fn read(&mut self, id: Oid, want: Kind, object: ObjectRole) -> Result<Arc<Vec<u8>>, Error> {
        let (kind, data) = self.any(id, object)?;
        if kind != want {
            return Err(Error::WrongObjectKind { id, want });
        }
        Ok(data)
    }

    pub fn commit(&mut self, id: Oid) -> Result<Arc<Vec<u8>>, Error> {
        self.read(id, Kind::Commit, ObjectRole::Commit(id))
    }

    pub fn tree(&mut self, id: Oid) -> Result<Arc<Vec<u8>>, Error> {
        self.read(id, Kind::Tree, ObjectRole::Tree)
    }

    /// A blob as text (lossy UTF-8: registry files are UTF-8, and a damaged
    /// byte must not stop the walk).
    pub fn blob_text(&mut self, id: Oid) -> Result<String, Error> {
        let data = self.read(id, Kind::Blob, ObjectRole::HistoryFile)?;
        Ok(String::from_utf8_lossy(&data).into_owned())
    }

    /// Whether the object `id` is present (a shallow clone's boundary
    /// parents are not).
    pub fn exists(&self, id: Oid) -> bool {
        self.store.packs.contains(id) || self.odb.exists(id)
    }

    /// The object `id` with its kind, from the first store that serves it.
    fn any(&mut self, id: Oid, object: ObjectRole) -> Result<(Kind, Arc<Vec<u8>>), Error> {
        if let Some(obj) = self.reader.object(id) {
            return Ok(obj);
        }
        let reason = if self.store.packs.contains(id) {
            // libgit2 allocates whatever size a damaged entry declares
            // (found by the history fuzz target): refuse an absurd one first.
            if self.reader.declares_too_much(id) {
                return Err(Damage::ImpossibleSize {
                    store: ObjectStore::Packed,
                    id,
                }
                .into());
            }
            FallbackReason::Unresolved
        } else {
            match loose::read(&self.store.objects, &id.to_string()) {
                Loose::Found(kind, data) => return Ok((kind, Arc::new(data))),
                Loose::TooBig => {
                    return Err(Damage::ImpossibleSize {
                        store: ObjectStore::Loose,
                        id,
                    }
                    .into());
                }
                Loose::Damaged => {
                    let hex = id.to_string();
                    let path = self.store.objects.join(&hex[..2]).join(&hex[2..]);
                    return Err(Damage::LooseObject { id: hex, path }.into());
                }
                Loose::Missing => FallbackReason::Elsewhere,
                Loose::Unreadable => FallbackReason::LooseUnreadable,
            }
        };
        self.store.fallbacks.count(reason);
        let obj = self
            .odb
            .read(id)
            .map_err(|source| Damage::Unreadable { object, source })?;
        let kind = kind_of(obj.kind()).ok_or(Damage::UnknownType { object, id })?;
        Ok((kind, Arc::new(obj.data().to_vec())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A repository with one packed blob, one loose blob, and one blob in an
    /// alternate object store (only libgit2 reads that one).
    #[test]
    fn packs_then_loose_then_libgit2_counted() {
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init(dir.path().join("main")).unwrap();
        let packed = repo.blob(b"packed").unwrap();
        let mut pb = repo.packbuilder().unwrap();
        pb.insert_object(packed, None).unwrap();
        let objects = repo.path().join("objects");
        pb.write(&objects.join("pack"), 0).unwrap();
        let loose = repo.blob(b"loose").unwrap();
        let other = git2::Repository::init(dir.path().join("other")).unwrap();
        let elsewhere = other.blob(b"elsewhere").unwrap();
        std::fs::write(
            objects.join("info/alternates"),
            other.path().join("objects").to_string_lossy().as_bytes(),
        )
        .unwrap();
        let repo = git2::Repository::open(dir.path().join("main")).unwrap();
        let odb = repo.odb().unwrap();
        let store = Store::open(&objects);
        let mut reader = store.reader();
        let mut objs = Objects::new(&store, &mut reader, &odb);
        assert_eq!(objs.blob_text(packed).unwrap(), "packed");
        assert_eq!(objs.blob_text(loose).unwrap(), "loose");
        assert_eq!(store.fallbacks.note(), None, "nothing through libgit2 yet");
        assert_eq!(objs.blob_text(elsewhere).unwrap(), "elsewhere");
        assert!(objs.exists(elsewhere) && objs.exists(packed));
        let e = objs.tree(loose).unwrap_err();
        assert_eq!(e.to_string(), format!("{loose} is not a tree"));
        assert!(
            matches!(e, Error::WrongObjectKind { id, want: Kind::Tree } if id == loose),
            "{e:?}"
        );
        let absent = Oid::from_str("0123456789012345678901234567890123456789").unwrap();
        let e = objs.tree(absent).unwrap_err();
        assert!(e.to_string().starts_with("cannot read a tree: "), "{e}");
        assert!(
            matches!(
                e,
                Error::DamagedObjects {
                    damage: Damage::Unreadable {
                        object: ObjectRole::Tree,
                        ..
                    }
                }
            ),
            "{e:?}"
        );
        assert!(!objs.exists(absent));
        assert_eq!(store.fallbacks.get(FallbackReason::Elsewhere), 2);
        assert_eq!(store.fallbacks.get(FallbackReason::Unresolved), 0);
        assert_eq!(
            store.fallbacks.note().unwrap(),
            "2 git object(s) were read through libgit2, the slower path: 2 in no pack file and not loose (an alternate object store)."
        );
        // A loose file that is not zlib is a damaged object, never handed
        // to libgit2.
        let hex = "ab".repeat(20);
        std::fs::create_dir_all(objects.join("ab")).unwrap();
        let damaged = objects.join("ab").join(&hex[2..]);
        std::fs::write(&damaged, b"not zlib").unwrap();
        let e = objs.commit(Oid::from_str(&hex).unwrap()).unwrap_err();
        assert!(
            matches!(
                &e,
                Error::DamagedObjects { damage: Damage::LooseObject { id, path } }
                    if *id == hex && *path == damaged
            ),
            "{e:?}"
        );
        assert_eq!(store.fallbacks.get(FallbackReason::LooseUnreadable), 0);
        // One that cannot be opened (a folder in its place): libgit2 is
        // asked, and says why it failed.
        let hex = "cd".repeat(20);
        std::fs::create_dir_all(objects.join("cd").join(&hex[2..])).unwrap();
        let e = objs.commit(Oid::from_str(&hex).unwrap()).unwrap_err();
        assert!(
            e.to_string()
                .starts_with(&format!("cannot read commit {hex}: ")),
            "{e}"
        );
        assert_eq!(store.fallbacks.get(FallbackReason::LooseUnreadable), 1);
    }
}
