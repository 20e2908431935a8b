//! Uncommitted work: vendor folders that differ from HEAD in the working
//! folder, as one pseudo-commit at the top of the history. libgit2 finds
//! what changed (its status); HEAD's side is read through [`Objects`].

use std::path::Path;

use git2::{Oid, Repository};

use super::objects::Objects;
use super::types::{CommitChanges, CommitInfo, HistoryOptions, VendorChange, VendorChangeKind};
use super::walk::{self, file_changes, text};
use crate::error::Damage;
use crate::error::Error;
use crate::load::TIERS_FILE;

/// The vendor folders under `vendors` that have uncommitted changes.
fn touched_folders(repo: &Repository, prefix: &[String]) -> Result<Vec<String>, Error> {
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
        .map_err(|source| Damage::WorktreeStatus { source })?;
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
    Ok(touched)
}

/// HEAD's registry tree, if HEAD is a commit that holds the registry.
fn head_registry(
    repo: &Repository,
    objs: &mut Objects<'_, '_>,
    prefix: &[String],
) -> Result<Option<Oid>, Error> {
    let Some(head) = repo.head().ok().and_then(|h| h.target()) else {
        return Ok(None);
    };
    let Ok((root, _)) = walk::tree_and_parent(objs, head) else {
        return Ok(None);
    };
    walk::registry_tree(objs, root, prefix)
}

/// Uncommitted changes to vendor folders, as one pseudo-commit.
pub fn changes(
    repo: &Repository,
    objs: &mut Objects<'_, '_>,
    prefix: &[String],
    registry: &Path,
    opts: &HistoryOptions,
) -> Result<Option<CommitChanges>, Error> {
    let touched = touched_folders(repo, prefix)?;
    if touched.is_empty() {
        return Ok(None);
    }
    let reg_tree = match head_registry(repo, objs, prefix)? {
        Some(t) => Some(objs.tree(t)?),
        None => None,
    };
    let vendors_tree = match reg_tree
        .as_deref()
        .and_then(|t| super::raw::find_dir(t, b"vendors"))
    {
        Some(v) => Some(objs.tree(v)?),
        None => None,
    };
    // Tier rules before (HEAD) and after (the working folder, as loaded).
    let before = text(
        objs,
        reg_tree
            .as_deref()
            .and_then(|t| super::raw::find_file(t, TIERS_FILE.as_bytes())),
    )?;
    let tiers = (
        before
            .as_deref()
            .and_then(crate::validate::tier_policy_from_text)
            .map(std::sync::Arc::new),
        opts.tiers.clone(),
    );
    let mut vendors = Vec::new();
    for slug in touched {
        let dir = registry.join("vendors").join(&slug);
        let plain = |slug, kind| VendorChange {
            slug,
            kind,
            changes: vec![],
            derived: vec![],
        };
        if !dir.is_dir() {
            vendors.push(plain(slug, VendorChangeKind::Removed));
            continue;
        }
        let old = vendors_tree
            .as_deref()
            .and_then(|t| super::raw::find(t, slug.as_bytes()));
        let Some(old_tree) = old.map(|o| objs.tree(o)).transpose()? else {
            vendors.push(plain(slug, VendorChangeKind::Added));
            continue;
        };
        let mut changes = Vec::new();
        let mut derived = Vec::new();
        for (name, _) in crate::load::VENDOR_FILES {
            let before = text(objs, super::raw::find_file(&old_tree, name.as_bytes()))?;
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
