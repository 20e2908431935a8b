//! History stage: the git repository holding the registry in, the change
//! history of every vendor out.
//!
//! One walk down the first-parent chain from HEAD (a merged pull request is one
//! change, with the merge's message, as `git log --first-parent` shows it).
//! Each commit's registry tree is compared with its parent's by tree id, and
//! only subtrees whose id changed are read, so an unchanged vendor folder costs
//! nothing. Commits are compared in parallel, one repository handle per
//! thread. git2 types never leave this module: results are owned serde types.
//! What a walk learns is cached by commit id (commits are immutable).
//!
//! Parts: `objects` reads every git object (packs, then loose objects, then
//! libgit2, counted); `raw` parses commits and trees (gix-object) and
//! compares trees bytewise; `walk` compares the commits of the chain;
//! `worktree` adds uncommitted work; `semantic` gives field-level changes and
//! `derived` what they mean (tier and validity moves); `cache` keeps what a
//! walk learned.

pub mod cache;
mod commit;
pub mod derived;
mod loose;
pub mod objects;
mod pack;
mod raw;
pub mod semantic;
mod types;
mod walk;
mod worktree;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use git2::{Oid, Repository};

pub use commit::{MAX_AUTHOR, MAX_MESSAGE, MAX_SUMMARY};
pub use derived::DerivedChange;
pub use semantic::{FieldChange, Op};
pub use types::{
    CommitChanges, CommitInfo, History, HistoryOptions, Provenance, VendorChange, VendorChangeKind,
    VendorEvent,
};

use crate::error::Error;
use crate::error::{Damage, ObjectRole};
use commit::commit_info;
use objects::{Objects, Store};

/// Process-wide settings that make the history walk fast. They change
/// libgit2's and the C allocator's global state, so the binary calls this
/// once at start-up, before any thread starts; a library function never
/// does (another program embedding vetted keeps its own settings).
///
/// - libgit2 does not re-hash the objects it reads: they are
///   content-addressed, and git verified them when they were fetched;
///   re-hashing cost more than the walk itself.
/// - libgit2's object cache is off: the walk reads each object once.
/// - glibc keeps buffers up to 64 MiB on the heap instead of mapping fresh
///   pages per read: libgit2 allocates every object it inflates with the C
///   allocator, and a `vendors` tree of 10,000 folders (~500 KB) above the
///   default mmap threshold made threads contend on the kernel's mapping lock.
/// - libgit2 allocates through [`capped_malloc`]: no single allocation over
///   [`LIBGIT2_MAX_ALLOCATION`], so a damaged object that declares gigabytes
///   is an out-of-memory *error* from libgit2, never gigabytes of memory.
pub fn tune_process() {
    git2::opts::strict_hash_verification(false);
    git2::opts::enable_caching(false);
    let allocator = GitAllocator {
        gmalloc: capped_malloc,
        grealloc: capped_realloc,
        gfree: c_free,
    };
    // SAFETY: GIT_OPT_SET_ALLOCATOR takes a `git_allocator *` (three
    // function pointers, laid out as `GitAllocator`) and copies it; git2's
    // option calls above initialised libgit2. The functions wrap the C
    // allocator libgit2 uses by default, so memory it allocated before this
    // call is freed by the same `free`. Called before any thread starts.
    unsafe {
        libgit2_sys::git_libgit2_opts(
            libgit2_sys::GIT_OPT_SET_ALLOCATOR as libc::c_int,
            &raw const allocator,
        );
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator tunables; the binary calls this
    // before it starts threads.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 64 * 1024 * 1024);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 128 * 1024 * 1024);
    }
}

/// The most libgit2 may allocate at once: twice the biggest object the
/// history reads (`pack::MAX_OBJECT`), room for an object, its delta result
/// and the walk's own vectors. More is only ever asked for by a damaged
/// object's declared size (the history fuzz target found 2.7 and 4.0 GB
/// requests from a few damaged bytes).
pub const LIBGIT2_MAX_ALLOCATION: usize = 2 * pack::MAX_OBJECT as usize;

/// libgit2's `git_allocator`.
#[repr(C)]
struct GitAllocator {
    gmalloc:
        unsafe extern "C" fn(libc::size_t, *const libc::c_char, libc::c_int) -> *mut libc::c_void,
    grealloc: unsafe extern "C" fn(
        *mut libc::c_void,
        libc::size_t,
        *const libc::c_char,
        libc::c_int,
    ) -> *mut libc::c_void,
    gfree: unsafe extern "C" fn(*mut libc::c_void),
}

/// `malloc`, refusing (NULL, which libgit2 reports as out of memory) more
/// than [`LIBGIT2_MAX_ALLOCATION`] bytes.
unsafe extern "C" fn capped_malloc(
    n: libc::size_t,
    _file: *const libc::c_char,
    _line: libc::c_int,
) -> *mut libc::c_void {
    if n > LIBGIT2_MAX_ALLOCATION {
        return std::ptr::null_mut();
    }
    // SAFETY: plain C malloc.
    unsafe { libc::malloc(n) }
}

/// `realloc` with the same cap (the old block is kept when refused, as C's
/// `realloc` does on failure).
unsafe extern "C" fn capped_realloc(
    ptr: *mut libc::c_void,
    n: libc::size_t,
    _file: *const libc::c_char,
    _line: libc::c_int,
) -> *mut libc::c_void {
    if n > LIBGIT2_MAX_ALLOCATION {
        return std::ptr::null_mut();
    }
    // SAFETY: `ptr` came from this allocator or libgit2's default (both C malloc).
    unsafe { libc::realloc(ptr, n) }
}

unsafe extern "C" fn c_free(ptr: *mut libc::c_void) {
    // SAFETY: as for `capped_realloc`.
    unsafe { libc::free(ptr) }
}

/// Where the registry sits in its repository.
pub struct Located {
    pub repo: Repository,
    /// Path components from the repository root to the registry folder.
    pub prefix: Vec<String>,
}

/// Find the repository holding `registry`. `Ok(None)` when there is none.
pub fn locate(registry: &Path) -> Result<Option<Located>, Error> {
    let repo = match Repository::discover(registry) {
        Ok(r) => r,
        Err(e) if e.code() == git2::ErrorCode::NotFound => return Ok(None),
        Err(source) => {
            return Err(Error::GitOpen {
                path: registry.to_path_buf(),
                source,
            });
        }
    };
    let Some(workdir) = repo.workdir() else {
        return Err(Error::BareRepository {
            path: repo.path().to_path_buf(),
        });
    };
    // Before libgit2 reads an object: it hangs on a truncated loose one,
    // and crashes on a damaged pack index.
    let objects = repo.commondir().join("objects");
    loose::verify(&objects)?;
    loose::verify_pack_indexes(&objects)?;
    let unresolved = |source| Error::RegistryUnresolved {
        path: registry.to_path_buf(),
        source,
    };
    let root = workdir.canonicalize().map_err(unresolved)?;
    let reg = registry.canonicalize().map_err(unresolved)?;
    let rel = reg
        .strip_prefix(&root)
        .map_err(|_| Error::OutsideWorkTree {
            registry: reg.clone(),
            work_tree: root.clone(),
        })?;
    let prefix = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Ok(Some(Located { repo, prefix }))
}

/// Read the registry's history. Never fails for a missing repository (the
/// history is then unavailable, with a note); fails for a broken one.
pub fn read(registry: &Path, opts: &HistoryOptions) -> Result<History, Error> {
    let Some(Located { repo, prefix }) = locate(registry)? else {
        return Ok(History {
            notes: vec![
                "The registry is not in a git repository, so there is no change history.".into(),
            ],
            ..History::default()
        });
    };
    let Some(head) = head_commit(&repo, opts.rev.as_deref())? else {
        return Ok(History {
            available: true,
            notes: vec!["The repository has no commits yet.".into()],
            ..History::default()
        });
    };
    let mut notes = Vec::new();
    let partial = repo.is_shallow();
    if partial {
        notes.push("This is a shallow clone: the history shown is partial. Fetch the full history (git fetch --unshallow) for all of it.".into());
    }

    let mut cache = match &opts.cache_dir {
        Some(dir) => {
            // Cached results include validity moves, which depend on the artifact kinds.
            let salt = serde_json::to_string(&opts.kinds).unwrap_or_default();
            let (c, note) = cache::Cache::load_salted(dir, repo.path(), &prefix, &salt);
            notes.extend(note);
            Some(c)
        }
        None => None,
    };

    let store = Store::open(&repo.commondir().join("objects"));
    let odb = repo
        .odb()
        .map_err(|source| Error::ObjectDatabase { source })?;
    let mut reader = store.reader();
    let (chain, cached_tail) = first_parent_chain(
        &mut Objects::new(&store, &mut reader, &odb),
        head,
        cache.as_mut(),
        partial,
    )?;
    let fresh = walk::compare_all(repo.path(), &store, &prefix, &chain, opts);
    let chain: Vec<(Oid, Option<Oid>)> = chain.iter().map(|l| (l.id, l.parent)).collect();
    let mut entries: Vec<cache::Entry> = Vec::with_capacity(chain.len() + cached_tail.len());
    for ((id, parent), r) in chain.iter().zip(fresh) {
        entries.push(cache::Entry {
            id: id.to_string(),
            parent: parent.map(|p| p.to_string()),
            changes: r?,
        });
    }
    let walked = entries.len();
    let cached = cached_tail.len();
    entries.extend(cached_tail);
    // Nothing new walked: the file already holds this chain (or a longer
    // one that contains it).
    if let (Some(c), Some(dir), true) = (cache.as_ref(), &opts.cache_dir, walked > 0) {
        if let Err(e) = c.save(dir, &entries, walked) {
            notes.push(format!(
                "The history cache could not be written ({e}); the next build walks again."
            ));
        }
    }

    let mut commits: Vec<CommitChanges> = entries.into_iter().filter_map(|e| e.changes).collect();
    if opts.working_tree && opts.rev.is_none() {
        let mut objs = Objects::new(&store, &mut reader, &odb);
        if let Some(uncommitted) = worktree::changes(&repo, &mut objs, &prefix, registry, opts)? {
            commits.insert(0, uncommitted);
        }
    }
    notes.extend(store.fallbacks.note());
    let (vendors, provenance) = by_vendor(&commits);
    Ok(History {
        available: true,
        partial,
        notes,
        commits,
        vendors,
        provenance,
        walked,
        cached,
    })
}

/// The commit the history starts from: `rev`, or HEAD (`None` when the
/// repository has no commits yet).
fn head_commit(repo: &Repository, rev: Option<&str>) -> Result<Option<Oid>, Error> {
    match rev {
        Some(rev) => repo
            .revparse_single(rev)
            .and_then(|o| o.peel_to_commit())
            .map(|c| Some(c.id()))
            .map_err(|source| Error::RevisionNotFound {
                rev: rev.to_string(),
                source,
            }),
        None => match repo.head() {
            Ok(h) => h
                .peel_to_commit()
                .map(|c| Some(c.id()))
                .map_err(|source| Damage::Head { source }.into()),
            Err(e)
                if matches!(
                    e.code(),
                    git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound
                ) =>
            {
                Ok(None)
            }
            Err(source) => Err(Damage::Head { source }.into()),
        },
    }
}

/// The first-parent chain from `head`, newest first, down to the root or
/// to where the cache takes over (then also the cached rest of the chain).
fn first_parent_chain(
    objs: &mut Objects<'_, '_>,
    head: Oid,
    mut cache: Option<&mut cache::Cache>,
    partial: bool,
) -> Result<(Vec<walk::Link>, Vec<cache::Entry>), Error> {
    let mut chain = Vec::new();
    let mut cur = Some(head);
    while let Some(id) = cur {
        if let Some(tail) = cache.as_mut().and_then(|c| c.take_chain_from(id)) {
            return Ok((chain, tail));
        }
        let (tree, parent) = walk::tree_and_parent(objs, id)?;
        // A shallow boundary lists a parent that is not in the object database.
        let parent = parent.filter(|p| !partial || objs.exists(*p));
        chain.push(walk::Link { id, tree, parent });
        cur = parent;
    }
    Ok((chain, Vec::new()))
}

type Timelines = BTreeMap<String, Vec<VendorEvent>>;
type Provenances = BTreeMap<String, BTreeMap<String, Provenance>>;

/// Bucket commit changes by the vendor's current slug, following renames
/// (newest to oldest: a rename A -> B means older changes to A belong to B).
fn by_vendor(commits: &[CommitChanges]) -> (Timelines, Provenances) {
    let mut alias: HashMap<String, String> = HashMap::new();
    let mut vendors: BTreeMap<String, Vec<VendorEvent>> = BTreeMap::new();
    let mut provenance: BTreeMap<String, BTreeMap<String, Provenance>> = BTreeMap::new();
    for c in commits {
        for v in &c.vendors {
            let current = alias
                .get(&v.slug)
                .cloned()
                .unwrap_or_else(|| v.slug.clone());
            if let VendorChangeKind::Renamed { from } = &v.kind {
                alias.insert(from.clone(), current.clone());
            }
            let prov = Provenance {
                short: c.commit.short.clone(),
                id: c.commit.id.clone(),
                date: c.commit.date.clone(),
                author: c.commit.author.clone(),
            };
            let fields = provenance.entry(current.clone()).or_default();
            for ch in &v.changes {
                if let Some(key) = provenance_key(ch) {
                    fields.entry(key).or_insert_with(|| prov.clone());
                }
            }
            if v.kind == VendorChangeKind::Added {
                fields.entry("*".into()).or_insert_with(|| prov.clone());
            }
            vendors.entry(current).or_default().push(VendorEvent {
                commit: c.commit.clone(),
                kind: v.kind.clone(),
                changes: v.changes.clone(),
                derived: v.derived.clone(),
            });
        }
    }
    (vendors, provenance)
}

/// The provenance key of a change: an answer or an artifact.
fn provenance_key(ch: &FieldChange) -> Option<String> {
    match ch.file.as_str() {
        "answers.toml" => {
            let mut parts = ch.path.splitn(3, '.');
            let (s, q) = (parts.next()?, parts.next()?);
            Some(format!("answers:{s}.{q}"))
        }
        "artifacts.toml" => {
            let start = ch.path.find('[')?;
            let end = ch.path.find(']')?;
            Some(format!("artifact:{}", &ch.path[start + 1..end]))
        }
        _ => None,
    }
}

/// Write the registry as it stood at `rev` into `dest` (an empty folder), so the
/// ordinary loader can read it. Only regular files are written; names that
/// could escape `dest` are skipped.
pub fn materialize(registry: &Path, rev: &str, dest: &Path) -> Result<CommitInfo, Error> {
    let Some(Located { repo, prefix }) = locate(registry)? else {
        return Err(Error::NotInRepository {
            path: registry.to_path_buf(),
            rev: rev.to_string(),
        });
    };
    let commit = repo
        .revparse_single(rev)
        .and_then(|o| o.peel_to_commit())
        .map_err(|source| Error::RevisionNotFound {
            rev: rev.to_string(),
            source,
        })?
        .id();
    let store = Store::open(&repo.commondir().join("objects"));
    let odb = repo
        .odb()
        .map_err(|source| Error::ObjectDatabase { source })?;
    let mut reader = store.reader();
    let mut objs = Objects::new(&store, &mut reader, &odb);
    let data = objs.commit(commit)?;
    let (root, _) = walk::parse_commit(commit, &data)?;
    let Some(tree) = walk::registry_tree(&mut objs, root, &prefix)? else {
        return Err(Error::RevisionLacksRegistry {
            rev: rev.to_string(),
            dir: if prefix.is_empty() {
                ".".into()
            } else {
                prefix.join("/")
            },
        });
    };
    write_tree(&mut objs, tree, dest)?;
    commit_info(commit, &data)
}

fn write_tree(objs: &mut Objects<'_, '_>, tree: Oid, dest: &Path) -> Result<(), Error> {
    // The message names the folder being written, as it always has.
    let io = |source| Error::MaterializeWrite {
        path: dest.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dest).map_err(io)?;
    let data = objs.tree(tree)?;
    for e in raw::entries(&data) {
        let Ok(name) = std::str::from_utf8(e.filename) else {
            continue;
        };
        if name.is_empty() || name == "." || name == ".." || name.contains(['/', '\\']) {
            continue;
        }
        let path = dest.join(name);
        let id = Oid::from_bytes(e.oid.as_bytes()).map_err(|source| Damage::Unreadable {
            object: ObjectRole::Tree,
            source,
        })?;
        if e.mode.is_tree() {
            write_tree(objs, id, &path)?;
        } else if e.mode.is_blob() {
            // Symbolic links (and submodules) are never recreated.
            let blob = objs.read(id, objects::Kind::Blob, ObjectRole::File)?;
            std::fs::write(&path, blob.as_slice()).map_err(io)?;
        }
    }
    Ok(())
}
