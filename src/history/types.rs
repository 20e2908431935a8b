//! The history stage's results and options: owned serde types (git2 types
//! never leave the stage).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::derived::DerivedChange;
use super::semantic::FieldChange;
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
    pub derived: Vec<DerivedChange>,
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
    pub derived: Vec<DerivedChange>,
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
    /// The working folder's tier policy (the registry as loaded), to report
    /// tier moves in uncommitted work; `None` reports none there.
    pub tiers: Option<Arc<TierPolicy>>,
    /// Read the history as of this revision instead of HEAD.
    pub rev: Option<String>,
}
