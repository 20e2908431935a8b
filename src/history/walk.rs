//! Comparing the commits of the first-parent chain: each commit's registry
//! tree against its parent's, by tree id first, so only folders whose id
//! changed are read further. Runs of commits go to one thread each, reading
//! through that thread's [`Objects`].

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use git2::{Oid, Repository};
use rayon::prelude::*;

use super::commit::commit_info;
use super::derived::{self, DerivedChange, Policies};
use super::objects::{Objects, Store};
use super::semantic::{self, FieldChange, Op};
use super::types::{CommitChanges, HistoryOptions, VendorChange, VendorChangeKind};
use super::{pack, raw};
use crate::error::Error;
use crate::load::{POLICY_FILES, TIERS_FILE};
use crate::model::{ArtifactKind, TierPolicy};

/// One commit of the first-parent chain.
#[derive(Clone, Copy)]
pub struct Link {
    pub id: Oid,
    pub tree: Oid,
    pub parent: Option<Oid>,
}

/// A commit's tree and first parent, from its raw bytes.
pub fn parse_commit(id: Oid, data: &[u8]) -> Result<(Oid, Option<Oid>), Error> {
    raw::tree_and_parent(data).ok_or(Error::CommitWithoutTree { id })
}

/// The commit `id`'s tree and first parent.
pub fn tree_and_parent(objs: &mut Objects<'_, '_>, id: Oid) -> Result<(Oid, Option<Oid>), Error> {
    parse_commit(id, &objs.commit(id)?)
}

/// The id of the registry's tree inside a commit's root tree.
pub fn registry_tree(
    objs: &mut Objects<'_, '_>,
    root: Oid,
    prefix: &[String],
) -> Result<Option<Oid>, Error> {
    let mut id = root;
    for part in prefix {
        match raw::find_dir(&objs.tree(id)?, part.as_bytes()) {
            Some(sub) => id = sub,
            None => return Ok(None),
        }
    }
    Ok(Some(id))
}

/// What one commit holds of the registry, read raw: the registry tree's id,
/// the ids of the policy files (in `POLICY_FILES` order), and the `vendors`
/// tree.
#[derive(Default)]
pub struct RegistryTrees {
    reg: Option<Oid>,
    policy: [Option<Oid>; POLICY_FILES.len()],
    vendors: Option<Arc<Vec<u8>>>,
}

impl RegistryTrees {
    /// The blob id of the policy file `name`.
    fn policy_file(&self, name: &str) -> Option<Oid> {
        POLICY_FILES
            .iter()
            .zip(&self.policy)
            .find_map(|(f, id)| if *f == name { *id } else { None })
    }
}

/// The registry under a commit's root tree, without building libgit2 tree
/// objects: every commit of the walk comes through here.
fn registry_of(
    objs: &mut Objects<'_, '_>,
    root: Oid,
    prefix: &[String],
) -> Result<RegistryTrees, Error> {
    let Some(reg) = registry_tree(objs, root, prefix)? else {
        return Ok(RegistryTrees::default());
    };
    let reg_raw = objs.tree(reg)?;
    let policy = POLICY_FILES.map(|f| raw::find_file(&reg_raw, f.as_bytes()));
    let vendors = match raw::find_dir(&reg_raw, b"vendors") {
        Some(v) => Some(objs.tree(v)?),
        None => None,
    };
    Ok(RegistryTrees {
        reg: Some(reg),
        policy,
        vendors,
    })
}

type Compared = Vec<Result<Option<CommitChanges>, Error>>;

/// Compare every commit of `chain` (newest first) with its first parent, on
/// all cores; one result per commit, in chain order.
///
/// Runs of commits are contiguous, so a thread reuses the tree it read for
/// a commit as the next commit's parent tree. Each worker thread reads
/// through its own pack reader, whose cache keeps the delta bases of the
/// commits it just compared; rayon hands each thread neighbouring runs, so
/// each run's delta chains continue where the previous one stopped. Long
/// runs resolve fewer chains from scratch; about 8 per thread keep the
/// threads evenly loaded. Measured on 10k vendors / 50k commits: runs of 256
/// walk in 6.5 s, runs of 16 in 8.0 s.
pub fn compare_all(
    git_dir: &Path,
    store: &Store,
    prefix: &[String],
    chain: &[Link],
    opts: &HistoryOptions,
) -> Compared {
    let threads = rayon::current_num_threads();
    let readers: Vec<Mutex<pack::Reader<'_>>> =
        (0..threads).map(|_| Mutex::new(store.reader())).collect();
    let chunk = (chain.len() / (threads * 8)).clamp(16, 256);
    chain
        .par_chunks(chunk)
        .enumerate()
        .flat_map_iter(|(ci, links)| {
            // The link after this run is its last commit's parent.
            let after = chain.get((ci + 1) * chunk).map(|l| l.tree);
            compare_chunk(git_dir, store, &readers, prefix, links, after, opts)
        })
        .collect()
}

/// Compare a contiguous run of commits on one thread, reading each registry
/// tree once: a commit's tree is its child's parent tree.
fn compare_chunk<'p>(
    git_dir: &Path,
    store: &'p Store,
    readers: &[Mutex<pack::Reader<'p>>],
    prefix: &[String],
    links: &[Link],
    after: Option<Oid>,
    opts: &HistoryOptions,
) -> Compared {
    let run = |repo: &Repository| -> Result<Compared, Error> {
        let odb = repo
            .odb()
            .map_err(|source| Error::ObjectDatabase { source })?;
        // One reader per worker thread: its base cache holds the trees of
        // the commits this thread just read, which the next ones delta from.
        let slot = rayon::current_thread_index().unwrap_or(0) % readers.len().max(1);
        let mut reader = readers
            .get(slot)
            .ok_or(Error::NoPackReader)?
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut objs = Objects::new(store, &mut reader, &odb);
        let mut walker = Walker::default();
        let mut out = Vec::with_capacity(links.len());
        let mut new = registry_of(&mut objs, links[0].tree, prefix)?;
        for (i, link) in links.iter().enumerate() {
            let old = match link.parent {
                None => RegistryTrees::default(),
                Some(parent) => {
                    // The parent is the next link, the next chunk's first, or
                    // (where the cache takes over) a commit to read.
                    let root = match links.get(i + 1).map(|l| l.tree).or(after) {
                        Some(t) => t,
                        None => tree_and_parent(&mut objs, parent)?.0,
                    };
                    registry_of(&mut objs, root, prefix)?
                }
            };
            out.push(walker.compare(&mut objs, link.id, &new, &old, opts));
            new = old;
        }
        Ok(out)
    };
    // One repository handle per worker thread, opened once: opening costs more
    // than comparing a short run of commits. libgit2 serves only what the
    // packs and loose objects do not hold.
    thread_local! {
        static REPO: std::cell::RefCell<Option<(PathBuf, Repository)>> = const { std::cell::RefCell::new(None) };
    }
    let result = REPO.with(|cell| {
        let mut slot = cell.borrow_mut();
        let repo = match slot.take() {
            Some((dir, repo)) if dir == git_dir => repo,
            _ => Repository::open(git_dir).map_err(|source| Error::GitReopen {
                path: git_dir.to_path_buf(),
                source,
            })?,
        };
        let (_, repo) = slot.insert((git_dir.to_path_buf(), repo));
        run(repo)
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

/// The text of an optional blob.
pub fn text(objs: &mut Objects<'_, '_>, id: Option<Oid>) -> Result<Option<String>, Error> {
    id.map(|id| objs.blob_text(id)).transpose()
}

/// Per-thread state for comparing commits: parsed tier policies by blob id.
#[derive(Default)]
struct Walker {
    policies: HashMap<Oid, Option<Arc<TierPolicy>>>,
}

impl Walker {
    /// Compare one commit's registry with its first parent's. The raw
    /// `vendors` trees are compared bytewise without parsing; only folders
    /// whose ids differ are read further.
    fn compare(
        &mut self,
        objs: &mut Objects<'_, '_>,
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
                let (ta, tb) = (text(objs, *a)?, text(objs, *b)?);
                policy.extend(semantic::diff_toml(file, ta.as_deref(), tb.as_deref()));
            }
        }
        let tiers = (old.policy_file(TIERS_FILE), new.policy_file(TIERS_FILE));
        // compare_dirs ends at once when the trees are identical.
        let (mut added, removed, modified) = raw::compare_dirs(
            old.vendors.as_deref().map_or(&[], Vec::as_slice),
            new.vendors.as_deref().map_or(&[], Vec::as_slice),
        );
        let mut vendors = Vec::new();
        let plain = |slug, kind| VendorChange {
            slug,
            kind,
            changes: vec![],
            derived: vec![],
        };
        for (slug, old_id) in removed {
            // A removed folder whose content (or vendor.toml) reappears under another name is a rename.
            let vendor_toml = |objs: &mut Objects<'_, '_>, tree: Oid| {
                objs.tree(tree)
                    .ok()
                    .and_then(|t| raw::find(&t, b"vendor.toml"))
            };
            let old_vendor_toml = vendor_toml(objs, old_id);
            let mut renamed_to = None;
            for (i, (_, new_id)) in added.iter().enumerate() {
                if *new_id == old_id
                    || (old_vendor_toml.is_some() && vendor_toml(objs, *new_id) == old_vendor_toml)
                {
                    renamed_to = Some(i);
                    break;
                }
            }
            match renamed_to {
                Some(i) => {
                    let (to, new_id) = added.remove(i);
                    let (changes, derived) =
                        self.vendor_diff(objs, Some(old_id), Some(new_id), tiers, opts)?;
                    vendors.push(VendorChange {
                        slug: to,
                        kind: VendorChangeKind::Renamed { from: slug },
                        changes,
                        derived,
                    });
                }
                None => vendors.push(plain(slug, VendorChangeKind::Removed)),
            }
        }
        for (slug, _) in added {
            vendors.push(plain(slug, VendorChangeKind::Added));
        }
        for (slug, old_id, new_id) in modified {
            let (changes, derived) =
                self.vendor_diff(objs, Some(old_id), Some(new_id), tiers, opts)?;
            vendors.push(VendorChange {
                slug,
                kind: VendorChangeKind::Modified,
                changes,
                derived,
            });
        }
        vendors.sort_by(|a, b| a.slug.cmp(&b.slug));
        if vendors.is_empty() && policy.is_empty() {
            return Ok(None);
        }
        let commit = objs.commit(id)?;
        Ok(Some(CommitChanges {
            commit: commit_info(id, &commit)?,
            vendors,
            policy,
        }))
    }

    /// The tier policy in the tiers.toml blob `blob`, parsed once per blob.
    fn policy(
        &mut self,
        objs: &mut Objects<'_, '_>,
        blob: Option<Oid>,
    ) -> Result<Option<Arc<TierPolicy>>, Error> {
        let Some(id) = blob else { return Ok(None) };
        if let Some(p) = self.policies.get(&id) {
            return Ok(p.clone());
        }
        let p = crate::validate::tier_policy_from_text(&objs.blob_text(id)?).map(Arc::new);
        self.policies.insert(id, p.clone());
        Ok(p)
    }

    /// Field-level and derived changes between two versions of a vendor folder.
    fn vendor_diff(
        &mut self,
        objs: &mut Objects<'_, '_>,
        old: Option<Oid>,
        new: Option<Oid>,
        (tiers_old, tiers_new): (Option<Oid>, Option<Oid>),
        opts: &HistoryOptions,
    ) -> Result<(Vec<FieldChange>, Vec<DerivedChange>), Error> {
        let old_tree = old.map(|o| objs.tree(o)).transpose()?;
        let new_tree = new.map(|o| objs.tree(o)).transpose()?;
        let mut names: Vec<String> = Vec::new();
        for t in [old_tree.as_deref(), new_tree.as_deref()]
            .into_iter()
            .flatten()
        {
            for e in raw::entries(t) {
                if e.mode.is_blob_or_symlink()
                    && let Ok(n) = std::str::from_utf8(e.filename)
                    && !names.iter().any(|x| x == n)
                {
                    names.push(n.to_string());
                }
            }
        }
        names.sort();
        let mut changes = Vec::new();
        let mut derived = Vec::new();
        for name in names {
            let (a, b) = (
                old_tree
                    .as_deref()
                    .and_then(|t| raw::find(t, name.as_bytes())),
                new_tree
                    .as_deref()
                    .and_then(|t| raw::find(t, name.as_bytes())),
            );
            if a == b {
                continue;
            }
            if name.ends_with(".md") || name.ends_with(".toml") {
                // Only registry files are read: an evidence file (a PDF of
                // any size) is compared by its blob id alone.
                let (ta, tb) = (text(objs, a)?, text(objs, b)?);
                let (fields, d) = file_changes(
                    &name,
                    ta.as_deref(),
                    tb.as_deref(),
                    &opts.kinds,
                    &mut || Ok((self.policy(objs, tiers_old)?, self.policy(objs, tiers_new)?)),
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

/// Field-level and derived changes between two versions of one vendor file
/// (Markdown by lines, TOML by fields, then what the fields mean).
pub fn file_changes(
    name: &str,
    old: Option<&str>,
    new: Option<&str>,
    kinds: &BTreeMap<String, ArtifactKind>,
    tiers: &mut dyn FnMut() -> Result<Policies, Error>,
) -> Result<(Vec<FieldChange>, Vec<DerivedChange>), Error> {
    if name.ends_with(".md") {
        return Ok((semantic::diff_lines(name, old, new), vec![]));
    }
    let fields = semantic::diff_toml(name, old, new);
    let derived = derived::derive(name, &fields, old, new, kinds, tiers)?;
    Ok((fields, derived))
}
