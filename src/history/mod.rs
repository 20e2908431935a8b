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

pub mod cache;
mod loose;
mod pack;
mod raw;
pub mod semantic;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use git2::{ObjectType, Oid, Repository, Tree};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use semantic::{FieldChange, Op};

use crate::Error;
use crate::model::raw::RawArtifact;
use crate::model::{ArtifactKind, TierPolicy};

/// Who made a commit, when and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitInfo {
    /// Full hex id; "uncommitted" for working-tree changes.
    pub id: String,
    pub short: String,
    pub author: String,
    /// Seconds since the epoch.
    pub time: i64,
    /// The author's local date, YYYY-MM-DD.
    pub date: String,
    pub summary: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum VendorChangeKind {
    Added,
    Removed,
    Modified,
    Renamed { from: String },
}

/// What one commit did to one vendor folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorChange {
    /// The folder name at this commit.
    pub slug: String,
    pub kind: VendorChangeKind,
    /// Field-level changes (empty for an added vendor: everything is new).
    pub changes: Vec<FieldChange>,
    /// Derived changes that matter to readers: tier, artifact validity.
    pub derived: Vec<String>,
}

/// What one commit did to the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitChanges {
    pub commit: CommitInfo,
    pub vendors: Vec<VendorChange>,
    /// Changes to the policy files (questionnaire, tiers, artifact kinds, settings).
    pub policy: Vec<FieldChange>,
}

/// One entry of a vendor's timeline.
#[derive(Debug, Clone, Serialize)]
pub struct VendorEvent {
    pub commit: CommitInfo,
    pub kind: VendorChangeKind,
    pub changes: Vec<FieldChange>,
    pub derived: Vec<String>,
}

/// When a field last changed.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    pub short: String,
    pub id: String,
    pub date: String,
    pub author: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct History {
    /// False outside a git repository.
    pub available: bool,
    /// Only part of the history is present (a shallow clone).
    pub partial: bool,
    /// What a reader should know about this history (no repository, shallow clone, cache rebuilt).
    pub notes: Vec<String>,
    /// Commits that changed the registry, newest first; working-tree changes first of all.
    pub commits: Vec<CommitChanges>,
    /// Current slug -> the vendor's timeline, newest first (renames followed).
    pub vendors: BTreeMap<String, Vec<VendorEvent>>,
    /// Current slug -> "answers:<section>.<question>" / "artifact:<kind: title>" -> last change.
    pub provenance: BTreeMap<String, BTreeMap<String, Provenance>>,
    /// How many commits the walk compared, and how many came from the cache.
    pub walked: usize,
    pub cached: usize,
}

#[derive(Debug, Clone, Default)]
pub struct HistoryOptions {
    /// Where to keep the walk cache; `None` disables it.
    pub cache_dir: Option<PathBuf>,
    /// Artifact kinds, to report when an artifact's validity moved.
    pub kinds: BTreeMap<String, ArtifactKind>,
    /// Include uncommitted working-tree changes.
    pub working_tree: bool,
    /// Read the history as of this revision instead of HEAD.
    pub rev: Option<String>,
}

fn git_err(context: &str, e: git2::Error) -> Error {
    Error::Git(format!("{context}: {}", e.message()))
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
        Err(e) => return Err(git_err("cannot open the git repository", e)),
    };
    let Some(workdir) = repo.workdir() else {
        return Err(Error::Git(
            "the registry's repository is bare; run vetted in a checkout".into(),
        ));
    };
    // Before libgit2 reads an object: it hangs on a truncated loose one,
    // and crashes on a damaged pack index.
    let objects = repo.commondir().join("objects");
    loose::verify(&objects)?;
    loose::verify_pack_indexes(&objects)?;
    let (Ok(root), Ok(reg)) = (workdir.canonicalize(), registry.canonicalize()) else {
        return Err(Error::Io(format!("cannot resolve {}", registry.display())));
    };
    let rel = reg
        .strip_prefix(&root)
        .map_err(|_| Error::Git("the registry is outside its repository's work tree".into()))?;
    let prefix = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Ok(Some(Located { repo, prefix }))
}

/// libgit2 allocates every tree it inflates with the C allocator; a vendors
/// tree of 10,000 folders is ~500 KB, above glibc's mmap threshold, so each
/// read would map and unmap fresh pages and two threads would contend on the
/// kernel's mapping lock. Keeping such buffers on the heap removes that.
fn tune_libc_malloc() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator tunables; it is called before the walk starts threads.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 64 * 1024 * 1024);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 128 * 1024 * 1024);
    }
}

/// Read the registry's history. Never fails for a missing repository (the
/// history is then unavailable, with a note); fails for a broken one.
pub fn read(registry: &Path, opts: &HistoryOptions) -> Result<History, Error> {
    // Commits are content-addressed and already verified by git when fetched;
    // re-hashing every object read costs more than the walk itself.
    git2::opts::strict_hash_verification(false);
    // Every tree is read once per walk (the parent tree is reused), so the
    // object cache only adds locking and copies.
    git2::opts::enable_caching(false);
    tune_libc_malloc();
    let Some(Located { repo, prefix }) = locate(registry)? else {
        return Ok(History {
            notes: vec![
                "The registry is not in a git repository, so there is no change history.".into(),
            ],
            ..History::default()
        });
    };
    let head = match &opts.rev {
        Some(rev) => repo
            .revparse_single(rev)
            .and_then(|o| o.peel_to_commit())
            .map_err(|e| Error::Git(format!("cannot resolve revision `{rev}`: {}", e.message())))?,
        None => match repo.head() {
            Ok(h) => h
                .peel_to_commit()
                .map_err(|e| git_err("cannot read HEAD", e))?,
            Err(e)
                if matches!(
                    e.code(),
                    git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound
                ) =>
            {
                return Ok(History {
                    available: true,
                    notes: vec!["The repository has no commits yet.".into()],
                    ..History::default()
                });
            }
            Err(e) => return Err(git_err("cannot read HEAD", e)),
        },
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

    // The first-parent chain, newest first, stopping where the cache takes over.
    let mut chain: Vec<Link> = Vec::new();
    let mut cached_tail: Vec<cache::Entry> = Vec::new();
    let odb = repo
        .odb()
        .map_err(|e| git_err("cannot open the object database", e))?;
    let mut cur = Some(head.id());
    while let Some(id) = cur {
        if let Some(tail) = cache.as_mut().and_then(|c| c.take_chain_from(id)) {
            cached_tail = tail;
            break;
        }
        let (tree, parent) = raw::commit_tree_and_parent(&odb, id)?;
        // A shallow boundary lists a parent that is not in the object database.
        let parent = parent.filter(|p| !partial || odb.exists(*p));
        chain.push(Link { id, tree, parent });
        cur = parent;
    }
    drop(odb);

    let git_dir = repo.path().to_path_buf();
    // Runs of commits are contiguous, so a thread reuses the tree it read for
    // a commit as the next commit's parent tree. Each worker thread reads its trees through its own pack reader, whose
    // cache keeps the delta bases of the commits it just compared. Runs of
    // commits are contiguous, and rayon hands each thread neighbouring runs,
    // so each run's delta chains continue where the previous one stopped.
    // Long runs resolve fewer chains from scratch; about 8 per thread keep
    // the threads evenly loaded. Measured on 10k vendors / 50k commits:
    // runs of 256 walk in 6.5 s, runs of 16 in 8.0 s.
    let packs = pack::Packs::open(&repo.commondir().join("objects"));
    let threads = rayon::current_num_threads();
    let readers: Vec<Mutex<pack::Reader<'_>>> = (0..threads)
        .map(|_| Mutex::new(pack::Reader::new(&packs)))
        .collect();
    let chunk = (chain.len() / (threads * 8)).clamp(16, 256);
    let fresh: Vec<Result<Option<CommitChanges>, Error>> = chain
        .par_chunks(chunk)
        .enumerate()
        .flat_map_iter(|(ci, links)| {
            // The link after this run is its last commit's parent.
            let after = chain.get((ci + 1) * chunk).map(|l| l.tree);
            compare_chunk(&git_dir, &readers, &prefix, links, after, opts)
        })
        .collect();
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
        if let Err(e) = c.save(dir, &entries) {
            notes.push(format!(
                "The history cache could not be written ({e}); the next build walks again."
            ));
        }
    }

    let mut commits: Vec<CommitChanges> = entries.into_iter().filter_map(|e| e.changes).collect();
    if opts.working_tree && opts.rev.is_none() {
        if let Some(uncommitted) = working_tree_changes(&repo, &prefix, registry, opts)? {
            commits.insert(0, uncommitted);
        }
    }
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

type Timelines = BTreeMap<String, Vec<VendorEvent>>;
type Provenances = BTreeMap<String, BTreeMap<String, Provenance>>;

/// One commit of the first-parent chain.
#[derive(Clone, Copy)]
struct Link {
    id: Oid,
    tree: Oid,
    parent: Option<Oid>,
}

/// What one commit holds of the registry, read raw: the registry tree's id,
/// the ids of the policy files, and the `vendors` tree.
#[derive(Default)]
struct RegistryTrees {
    reg: Option<Oid>,
    policy: [Option<Oid>; POLICY_FILES.len()],
    vendors: Option<Arc<Vec<u8>>>,
}

/// A raw tree from the packs (with their delta-base cache), or else through
/// libgit2 (loose objects, alternates, and precise errors).
fn read_tree(
    reader: &mut pack::Reader<'_>,
    odb: &git2::Odb<'_>,
    id: Oid,
) -> Result<Arc<Vec<u8>>, Error> {
    match reader.tree(id) {
        Some(t) => Ok(t),
        // libgit2 allocates whatever size a damaged entry declares (found
        // by the history fuzz target): refuse an absurd one first.
        None if reader.declares_too_much(id) => Err(Error::Git(format!(
            "cannot read the repository: packed object {id} declares an impossible size"
        ))),
        None => Ok(Arc::new(raw::read_tree(odb, id)?.data().to_vec())),
    }
}

/// The registry under a commit's root tree, without building libgit2 tree
/// objects: every commit of the walk comes through here.
fn registry_of(
    reader: &mut pack::Reader<'_>,
    odb: &git2::Odb<'_>,
    root: Oid,
    prefix: &[String],
) -> Result<RegistryTrees, Error> {
    let mut reg = root;
    for part in prefix {
        match raw::find_dir(&read_tree(reader, odb, reg)?, part.as_bytes()) {
            Some(id) => reg = id,
            None => return Ok(RegistryTrees::default()),
        }
    }
    let reg_raw = read_tree(reader, odb, reg)?;
    let policy = POLICY_FILES.map(|f| raw::find_file(&reg_raw, f.as_bytes()));
    let vendors = match raw::find_dir(&reg_raw, b"vendors") {
        Some(v) => Some(read_tree(reader, odb, v)?),
        None => None,
    };
    Ok(RegistryTrees {
        reg: Some(reg),
        policy,
        vendors,
    })
}

/// Compare a contiguous run of commits on one thread, reading each registry
/// tree once: a commit's tree is its child's parent tree.
fn compare_chunk(
    git_dir: &Path,
    readers: &[Mutex<pack::Reader<'_>>],
    prefix: &[String],
    links: &[Link],
    after: Option<Oid>,
    opts: &HistoryOptions,
) -> Vec<Result<Option<CommitChanges>, Error>> {
    let run = |repo: &Repository| -> Result<Vec<Result<Option<CommitChanges>, Error>>, Error> {
        let odb = repo
            .odb()
            .map_err(|e| git_err("cannot open the object database", e))?;
        // One reader per worker thread: its base cache holds the trees of
        // the commits this thread just read, which the next ones delta from.
        let slot = rayon::current_thread_index().unwrap_or(0) % readers.len().max(1);
        let mut reader = readers
            .get(slot)
            .ok_or_else(|| Error::Git("no pack reader".into()))?
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let reader = &mut *reader;
        let mut walker = Walker::default();
        let mut out = Vec::with_capacity(links.len());
        let mut new = registry_of(reader, &odb, links[0].tree, prefix)?;
        for (i, link) in links.iter().enumerate() {
            let old = match link.parent {
                None => RegistryTrees::default(),
                Some(parent) => {
                    // The parent is the next link, the next chunk's first, or
                    // (where the cache takes over) a commit to read.
                    let root = match links.get(i + 1).map(|l| l.tree).or(after) {
                        Some(t) => t,
                        None => raw::commit_tree_and_parent(&odb, parent)?.0,
                    };
                    registry_of(reader, &odb, root, prefix)?
                }
            };
            out.push(walker.compare(repo, link.id, &new, &old, opts));
            new = old;
        }
        Ok(out)
    };
    // One repository handle per worker thread, opened once: opening costs more
    // than comparing a short run of commits.
    thread_local! {
        static REPO: std::cell::RefCell<Option<(PathBuf, Repository)>> = const { std::cell::RefCell::new(None) };
    }
    let result = REPO.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.as_ref().is_none_or(|(dir, _)| dir != git_dir) {
            let repo =
                Repository::open(git_dir).map_err(|e| git_err("cannot open the repository", e))?;
            *slot = Some((git_dir.to_path_buf(), repo));
        }
        match slot.as_ref() {
            Some((_, repo)) => run(repo),
            None => Err(Error::Git("cannot open the repository".into())),
        }
    });
    match result {
        Ok(v) => v,
        // Keep one result per commit; the caller reports the first error.
        Err(e) => {
            let mut v = vec![Err(e)];
            v.extend((1..links.len()).map(|_| Ok(None)));
            v
        }
    }
}

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

/// Per-thread state for comparing commits: parsed tier policies by blob id.
#[derive(Default)]
struct Walker {
    policies: HashMap<Oid, Option<Arc<TierPolicy>>>,
}

/// Artifact fields whose change can move its validity.
const DATE_FIELDS: &[&str] = &[
    ".issued",
    ".period_end",
    ".expires",
    ".bridge_until",
    ".last_surveillance",
    ".interim_completed",
];

const POLICY_FILES: [&str; 4] = [
    "vetted.toml",
    "questionnaire.toml",
    "tiers.toml",
    "artifact-kinds.toml",
];

impl Walker {
    /// Compare one commit's registry with its first parent's. The raw
    /// `vendors` trees are compared bytewise without parsing; only folders
    /// whose ids differ are read further.
    #[allow(clippy::too_many_arguments)]
    fn compare(
        &mut self,
        repo: &Repository,
        id: Oid,
        new: &RegistryTrees,
        old: &RegistryTrees,
        opts: &HistoryOptions,
    ) -> Result<Option<CommitChanges>, Error> {
        if new.reg == old.reg {
            return Ok(None);
        }
        let mut policy = Vec::new();
        for (file, (a, b)) in POLICY_FILES.iter().zip(old.policy.iter().zip(&new.policy)) {
            if a != b {
                let (ta, tb) = (blob_text(repo, *a)?, blob_text(repo, *b)?);
                policy.extend(semantic::diff_toml(file, ta.as_deref(), tb.as_deref()));
            }
        }
        let tiers = POLICY_FILES
            .iter()
            .position(|f| *f == "tiers.toml")
            .unwrap_or(2);
        let (tiers_old, tiers_new) = (old.policy[tiers], new.policy[tiers]);
        let (old_vendors, new_vendors) = (
            old.vendors.as_deref().map(Vec::as_slice),
            new.vendors.as_deref().map(Vec::as_slice),
        );

        let mut vendors = Vec::new();
        // compare_dirs ends at once when the trees are identical.
        {
            let (mut added, removed, modified) = raw::compare_dirs(
                old_vendors.unwrap_or_default(),
                new_vendors.unwrap_or_default(),
            );
            for (slug, old_id) in removed {
                // A removed folder whose content (or vendor.toml) reappears under another name is a rename.
                let old_vendor_toml = tree_entry_id(repo, old_id, "vendor.toml");
                let renamed_to = added.iter().position(|(_, new_id)| {
                    *new_id == old_id
                        || (old_vendor_toml.is_some()
                            && tree_entry_id(repo, *new_id, "vendor.toml") == old_vendor_toml)
                });
                match renamed_to {
                    Some(i) => {
                        let (to, new_id) = added.remove(i);
                        let (changes, derived) = self.vendor_diff(
                            repo,
                            Some(old_id),
                            Some(new_id),
                            tiers_old,
                            tiers_new,
                            opts,
                        )?;
                        vendors.push(VendorChange {
                            slug: to,
                            kind: VendorChangeKind::Renamed { from: slug },
                            changes,
                            derived,
                        });
                    }
                    None => vendors.push(VendorChange {
                        slug,
                        kind: VendorChangeKind::Removed,
                        changes: vec![],
                        derived: vec![],
                    }),
                }
            }
            for (slug, _) in added {
                vendors.push(VendorChange {
                    slug,
                    kind: VendorChangeKind::Added,
                    changes: vec![],
                    derived: vec![],
                });
            }
            for (slug, old_id, new_id) in modified {
                let (changes, derived) =
                    self.vendor_diff(repo, Some(old_id), Some(new_id), tiers_old, tiers_new, opts)?;
                vendors.push(VendorChange {
                    slug,
                    kind: VendorChangeKind::Modified,
                    changes,
                    derived,
                });
            }
            vendors.sort_by(|a, b| a.slug.cmp(&b.slug));
        }
        if vendors.is_empty() && policy.is_empty() {
            return Ok(None);
        }
        let commit = repo
            .find_commit(id)
            .map_err(|e| git_err(&format!("cannot read commit {id}"), e))?;
        Ok(Some(CommitChanges {
            commit: commit_info(&commit),
            vendors,
            policy,
        }))
    }

    fn policy(
        &mut self,
        repo: &Repository,
        blob: Option<Oid>,
    ) -> Result<Option<Arc<TierPolicy>>, Error> {
        let Some(id) = blob else { return Ok(None) };
        if let Some(p) = self.policies.get(&id) {
            return Ok(p.clone());
        }
        let text = blob_text(repo, Some(id))?;
        let p = text
            .as_deref()
            .and_then(crate::validate::tier_policy_from_text)
            .map(Arc::new);
        self.policies.insert(id, p.clone());
        Ok(p)
    }

    /// Field-level and derived changes between two versions of a vendor folder.
    fn vendor_diff(
        &mut self,
        repo: &Repository,
        old: Option<Oid>,
        new: Option<Oid>,
        tiers_old: Option<Oid>,
        tiers_new: Option<Oid>,
        opts: &HistoryOptions,
    ) -> Result<(Vec<FieldChange>, Vec<String>), Error> {
        let old_tree = old
            .map(|o| repo.find_tree(o))
            .transpose()
            .map_err(|e| git_err("cannot read a tree", e))?;
        let new_tree = new
            .map(|o| repo.find_tree(o))
            .transpose()
            .map_err(|e| git_err("cannot read a tree", e))?;
        let mut changes = Vec::new();
        let mut derived = Vec::new();
        let mut names: Vec<String> = Vec::new();
        for t in [old_tree.as_ref(), new_tree.as_ref()].into_iter().flatten() {
            for e in t.iter() {
                if e.kind() == Some(ObjectType::Blob)
                    && let Ok(n) = e.name()
                    && !names.iter().any(|x| x == n)
                {
                    names.push(n.to_string());
                }
            }
        }
        names.sort();
        for name in names {
            let (a, b) = (
                entry_id(old_tree.as_ref(), &name),
                entry_id(new_tree.as_ref(), &name),
            );
            if a == b {
                continue;
            }
            let (ta, tb) = (blob_text(repo, a)?, blob_text(repo, b)?);
            if name.ends_with(".md") || name.ends_with(".toml") {
                let (fields, d) = file_changes(
                    &name,
                    ta.as_deref(),
                    tb.as_deref(),
                    &opts.kinds,
                    &mut || Ok((self.policy(repo, tiers_old)?, self.policy(repo, tiers_new)?)),
                )?;
                changes.extend(fields);
                derived.extend(d);
            } else {
                let op = match (a, b) {
                    (None, _) => Op::Added,
                    (_, None) => Op::Removed,
                    _ => Op::Changed,
                };
                changes.push(FieldChange {
                    file: name.clone(),
                    path: String::new(),
                    op,
                    old: None,
                    new: None,
                    label: format!("evidence file {name} {}", format!("{op:?}").to_lowercase()),
                });
            }
        }
        Ok((changes, derived))
    }
}

type Policies = (Option<Arc<TierPolicy>>, Option<Arc<TierPolicy>>);

/// Field-level and derived changes between two versions of one vendor file
/// (Markdown by lines, TOML by fields). Derived changes need whole values, so
/// they are parsed only when a field they depend on changed; `tiers` gives
/// the tier rules before and after, and is called only then.
fn file_changes(
    name: &str,
    old: Option<&str>,
    new: Option<&str>,
    kinds: &BTreeMap<String, ArtifactKind>,
    tiers: &mut dyn FnMut() -> Result<Policies, Error>,
) -> Result<(Vec<FieldChange>, Vec<String>), Error> {
    if name.ends_with(".md") {
        return Ok((semantic::diff_lines(name, old, new), vec![]));
    }
    let fields = semantic::diff_toml(name, old, new);
    let mut derived = Vec::new();
    if name == "vendor.toml" && fields.iter().any(|c| c.path.starts_with("profile.")) {
        let profile = |t: Option<&str>| -> Option<BTreeMap<String, String>> {
            let v = semantic::parse_value(t?)?;
            let t = v.get("profile")?.as_table()?;
            Some(
                t.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                    .collect(),
            )
        };
        if let ((Some(pa), Some(pb)), (Some(pol_a), Some(pol_b))) =
            ((profile(old), profile(new)), tiers()?)
        {
            let (ta, _) = crate::assess::tier_of(&pol_a, &pa);
            let (tb, _) = crate::assess::tier_of(&pol_b, &pb);
            if ta != tb {
                derived.push(format!("tier {ta} → {tb}"));
            }
        }
    }
    if name == "artifacts.toml"
        && fields.iter().any(|c| {
            c.path.starts_with("artifact[") && DATE_FIELDS.iter().any(|f| c.path.ends_with(f))
        })
    {
        let (va, vb) = (
            old.and_then(semantic::parse_value),
            new.and_then(semantic::parse_value),
        );
        derived.extend(validity_moves(va.as_ref(), vb.as_ref(), kinds));
    }
    Ok((fields, derived))
}

/// "soc2-type2: SOC 2 2025 valid until 2026-06-30 → 2026-09-30" for artifacts whose validity moved.
fn validity_moves(
    old: Option<&toml::Value>,
    new: Option<&toml::Value>,
    kinds: &BTreeMap<String, ArtifactKind>,
) -> Vec<String> {
    let items = |v: Option<&toml::Value>| -> BTreeMap<String, RawArtifact> {
        let Some(arr) = v.and_then(|v| v.get("artifact")).and_then(|a| a.as_array()) else {
            return BTreeMap::new();
        };
        arr.iter()
            .filter_map(|i| i.clone().try_into::<RawArtifact>().ok())
            .map(|a| (format!("{}: {}", a.kind, a.title), a))
            .collect()
    };
    let (a, b) = (items(old), items(new));
    let mut out = Vec::new();
    for (key, ra) in &a {
        let Some(rb) = b.get(key) else { continue };
        let Some(kind) = kinds.get(&rb.kind) else {
            continue;
        };
        let (ua, ub) = (
            crate::assess::valid_until_raw(kind, ra),
            crate::assess::valid_until_raw(kind, rb),
        );
        if ua != ub {
            let show = |d: Option<crate::model::Date>| {
                d.map_or("no expiry".to_string(), |d| d.to_string())
            };
            out.push(format!("{key}: valid until {} → {}", show(ua), show(ub)));
        }
    }
    out
}

fn commit_info(c: &git2::Commit<'_>) -> CommitInfo {
    let author = c.author();
    let time = author.when();
    let date = jiff::Timestamp::from_second(time.seconds())
        .ok()
        .and_then(|ts| {
            jiff::tz::Offset::from_seconds(time.offset_minutes() * 60)
                .ok()
                .map(|o| ts.to_zoned(o.to_time_zone()).date().to_string())
        })
        .unwrap_or_default();
    let full = String::from_utf8_lossy(c.message_bytes());
    let full = full.trim_end();
    let summary = full.lines().next().unwrap_or("");
    let id = c.id().to_string();
    CommitInfo {
        short: id[..id.len().min(10)].to_string(),
        id,
        author: bounded(&String::from_utf8_lossy(author.name_bytes()), MAX_AUTHOR),
        time: time.seconds(),
        date,
        summary: bounded(summary, MAX_SUMMARY),
        message: bounded(full, MAX_MESSAGE),
    }
}

/// Longest author name kept, in characters.
pub const MAX_AUTHOR: usize = 200;
/// Longest commit subject kept, in characters.
pub const MAX_SUMMARY: usize = 300;
/// Longest commit message kept (subject and body), in characters. Commit
/// text comes from pull requests: a 10 MB message must not become a 10 MB
/// page, or a 10 MB line in a CI log.
pub const MAX_MESSAGE: usize = 4000;

/// `s` cut to `max` characters, saying how much was cut.
fn bounded(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some((end, _)) => {
            let rest = s[end..].chars().count();
            format!("{} … [{rest} more characters not shown]", &s[..end])
        }
    }
}

/// The id of the registry's tree inside a commit's root tree.
fn registry_tree(repo: &Repository, root: Oid, prefix: &[String]) -> Result<Option<Oid>, Error> {
    let mut id = root;
    for part in prefix {
        let tree = repo
            .find_tree(id)
            .map_err(|e| git_err("cannot read a tree", e))?;
        match tree.get_name(part) {
            Some(e) if e.kind() == Some(ObjectType::Tree) => id = e.id(),
            _ => return Ok(None),
        }
    }
    Ok(Some(id))
}

fn entry_id(tree: Option<&Tree<'_>>, name: &str) -> Option<Oid> {
    tree.and_then(|t| t.get_name(name)).map(|e| e.id())
}

fn tree_entry_id(repo: &Repository, tree: Oid, name: &str) -> Option<Oid> {
    repo.find_tree(tree)
        .ok()
        .and_then(|t| t.get_name(name).map(|e| e.id()))
}

fn sub_tree<'r>(
    repo: &'r Repository,
    tree: Option<&Tree<'r>>,
    name: &str,
) -> Result<Option<Tree<'r>>, Error> {
    match tree.and_then(|t| t.get_name(name)) {
        Some(e) if e.kind() == Some(ObjectType::Tree) => repo
            .find_tree(e.id())
            .map(Some)
            .map_err(|e| git_err("cannot read a tree", e)),
        _ => Ok(None),
    }
}

fn blob_text(repo: &Repository, id: Option<Oid>) -> Result<Option<String>, Error> {
    let Some(id) = id else { return Ok(None) };
    // Straight from the object database: no object wrapper, one copy.
    let odb = repo
        .odb()
        .map_err(|e| git_err("cannot open the object database", e))?;
    let obj = odb
        .read(id)
        .map_err(|e| git_err("cannot read a file from history", e))?;
    Ok(Some(match String::from_utf8_lossy(obj.data()) {
        std::borrow::Cow::Borrowed(s) => s.to_string(),
        std::borrow::Cow::Owned(s) => s,
    }))
}

/// Uncommitted changes to vendor folders, as one pseudo-commit.
fn working_tree_changes(
    repo: &Repository,
    prefix: &[String],
    registry: &Path,
    opts: &HistoryOptions,
) -> Result<Option<CommitChanges>, Error> {
    let mut status_opts = git2::StatusOptions::new();
    let spec = if prefix.is_empty() {
        "vendors".to_string()
    } else {
        format!("{}/vendors", prefix.join("/"))
    };
    status_opts
        .pathspec(&spec)
        .include_untracked(true)
        .recurse_untracked_dirs(true);
    let statuses = repo
        .statuses(Some(&mut status_opts))
        .map_err(|e| git_err("cannot read the working tree status", e))?;
    let mut touched: Vec<String> = statuses
        .iter()
        .filter(|s| !s.status().is_ignored())
        .filter_map(|s| s.path().ok().map(str::to_string))
        .filter_map(|p| {
            p.strip_prefix(&format!("{spec}/"))
                .and_then(|r| r.split('/').next())
                .map(str::to_string)
        })
        .collect();
    touched.sort();
    touched.dedup();
    if touched.is_empty() {
        return Ok(None);
    }
    let head_tree = repo.head().ok().and_then(|h| h.peel_to_tree().ok());
    let reg_tree = match head_tree {
        Some(t) => registry_tree(repo, t.id(), prefix)?,
        None => None,
    };
    let reg_tree = reg_tree
        .map(|t| repo.find_tree(t))
        .transpose()
        .map_err(|e| git_err("cannot read a tree", e))?;
    let vendors_tree = sub_tree(repo, reg_tree.as_ref(), "vendors")?;
    // Tier rules before (HEAD) and after (working folder), for derived tier changes.
    let tiers = (
        blob_text(repo, entry_id(reg_tree.as_ref(), "tiers.toml"))?
            .as_deref()
            .and_then(crate::validate::tier_policy_from_text)
            .map(Arc::new),
        std::fs::read_to_string(registry.join("tiers.toml"))
            .ok()
            .as_deref()
            .and_then(crate::validate::tier_policy_from_text)
            .map(Arc::new),
    );
    let mut vendors = Vec::new();
    for slug in touched {
        let dir = registry.join("vendors").join(&slug);
        let old = vendors_tree
            .as_ref()
            .and_then(|t| t.get_name(&slug))
            .map(|e| e.id());
        let old_tree = old
            .map(|o| repo.find_tree(o))
            .transpose()
            .map_err(|e| git_err("cannot read a tree", e))?;
        if !dir.is_dir() {
            vendors.push(VendorChange {
                slug,
                kind: VendorChangeKind::Removed,
                changes: vec![],
                derived: vec![],
            });
            continue;
        }
        let Some(old_tree) = old_tree else {
            vendors.push(VendorChange {
                slug,
                kind: VendorChangeKind::Added,
                changes: vec![],
                derived: vec![],
            });
            continue;
        };
        let mut changes = Vec::new();
        let mut derived = Vec::new();
        for (name, _) in crate::load::VENDOR_FILES {
            let before = blob_text(repo, old_tree.get_name(name).map(|e| e.id()))?;
            let after = std::fs::read(dir.join(name))
                .ok()
                .map(|b| String::from_utf8_lossy(&b).into_owned());
            if before == after {
                continue;
            }
            let (fields, d) = file_changes(
                name,
                before.as_deref(),
                after.as_deref(),
                &opts.kinds,
                &mut || Ok(tiers.clone()),
            )?;
            changes.extend(fields);
            derived.extend(d);
        }
        if !changes.is_empty() {
            vendors.push(VendorChange {
                slug,
                kind: VendorChangeKind::Modified,
                changes,
                derived,
            });
        }
    }
    if vendors.is_empty() {
        return Ok(None);
    }
    let commit = CommitInfo {
        id: "uncommitted".into(),
        short: "uncommitted".into(),
        author: String::new(),
        time: 0,
        date: String::new(),
        summary: "Uncommitted changes in the working tree".into(),
        message: String::new(),
    };
    Ok(Some(CommitChanges {
        commit,
        vendors,
        policy: vec![],
    }))
}

/// Write the registry as it stood at `rev` into `dest` (an empty folder), so the
/// ordinary loader can read it. Only regular files are written; names that
/// could escape `dest` are skipped.
pub fn materialize(registry: &Path, rev: &str, dest: &Path) -> Result<CommitInfo, Error> {
    let Some(Located { repo, prefix }) = locate(registry)? else {
        return Err(Error::Git(format!(
            "{} is not in a git repository, so --rev/diff cannot read {rev}",
            registry.display()
        )));
    };
    let commit = repo
        .revparse_single(rev)
        .and_then(|o| o.peel_to_commit())
        .map_err(|e| Error::Git(format!("cannot resolve revision `{rev}`: {}", e.message())))?;
    let Some(tree) = registry_tree(&repo, commit.tree_id(), &prefix)? else {
        return Err(Error::Git(format!(
            "revision `{rev}` has no {}",
            if prefix.is_empty() {
                ".".into()
            } else {
                prefix.join("/")
            }
        )));
    };
    write_tree(&repo, tree, dest)?;
    Ok(commit_info(&commit))
}

fn write_tree(repo: &Repository, tree: Oid, dest: &Path) -> Result<(), Error> {
    let io = |e: std::io::Error| Error::Io(format!("cannot write {}: {e}", dest.display()));
    std::fs::create_dir_all(dest).map_err(io)?;
    let tree = repo
        .find_tree(tree)
        .map_err(|e| git_err("cannot read a tree", e))?;
    for e in tree.iter() {
        let Ok(name) = e.name() else { continue };
        if name.is_empty() || name == "." || name == ".." || name.contains(['/', '\\']) {
            continue;
        }
        let path = dest.join(name);
        match e.kind() {
            Some(ObjectType::Tree) => write_tree(repo, e.id(), &path)?,
            // 0o120000 is a symbolic link: never recreated.
            Some(ObjectType::Blob) if e.filemode() != 0o120000 => {
                let blob = repo
                    .find_blob(e.id())
                    .map_err(|e| git_err("cannot read a file", e))?;
                std::fs::write(&path, blob.content()).map_err(io)?;
            }
            _ => {}
        }
    }
    Ok(())
}
