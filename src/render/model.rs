//! The shared context every page is built from: the registry, its
//! assessment joined to it once ([`Assessed`]), the history, and lookups that
//! name things the way the policy files do (tier names, kind titles, prompts).
//! Pages read it and never modify it, so they render in parallel.

use std::collections::BTreeMap;

use super::assessed::{Assessed, join_all};
use super::text;
use super::view::{SiteView, TierView, VIEW_CONTRACT_VERSION, VendorLink};
use crate::assess::{self, Assessment};
use crate::history::History;
use crate::model::{Accepts, Date, Registry, Vendor};

/// The assessed registry, indexed for building views.
pub struct Model<'a> {
    pub registry: &'a Registry,
    pub assessment: &'a Assessment,
    pub history: &'a History,
    /// The date the registry was assessed against.
    pub today: Date,
    /// Vendors with their assessment, by name then slug.
    assessed: Vec<Assessed<'a>>,
    /// Every vendor of the registry by slug: the change log names vendors by slug.
    by_slug: BTreeMap<&'a str, &'a Vendor>,
    /// The newest commit that changed a policy file (the printed vendor record names it).
    pub policy_commit: Option<&'a crate::history::CommitInfo>,
    /// Work shared by the pages of one kind (a table's sorted rows and facets).
    pub memo: super::memo::Memo,
}

impl<'a> Model<'a> {
    pub fn new(
        registry: &'a Registry,
        assessment: &'a Assessment,
        history: &'a History,
    ) -> Model<'a> {
        let mut by_slug = BTreeMap::new();
        for v in &registry.vendors {
            by_slug.entry(v.slug.as_str()).or_insert(v);
        }
        Model {
            registry,
            assessment,
            history,
            today: assessment.today,
            assessed: join_all(registry, assessment),
            by_slug,
            policy_commit: history
                .commits
                .iter()
                .find(|c| !c.policy.is_empty())
                .map(|c| &c.commit),
            memo: super::memo::Memo::default(),
        }
    }

    /// Vendors that have an assessment, sorted by name (then slug).
    pub fn assessed(&self) -> &[Assessed<'a>] {
        &self.assessed
    }

    /// Assessed vendors that are prospective or active.
    pub fn live(&self) -> impl Iterator<Item = &Assessed<'a>> {
        self.assessed.iter().filter(|a| a.is_live())
    }

    pub fn site(&self) -> SiteView {
        let s = &self.registry.settings;
        SiteView {
            title: s.title.clone(),
            organisation: s.organisation.clone(),
            description: s.description.clone(),
            today: self.today.to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            contract_version: VIEW_CONTRACT_VERSION,
        }
    }

    /// A tier by level, named from tiers.toml (`Tier N` for a level it lacks).
    pub fn tier(&self, level: u8) -> TierView {
        TierView {
            level,
            label: format!("T{level}"),
            name: self
                .registry
                .tiers
                .tier(level)
                .map_or_else(|| format!("Tier {level}"), |t| t.name.clone()),
        }
    }

    /// Every tier of tiers.toml and every tier a vendor has, by level.
    pub fn all_tiers(&self) -> Vec<TierView> {
        let mut levels: Vec<u8> = self.registry.tiers.tiers.iter().map(|t| t.level).collect();
        levels.extend(self.assessment.vendors.iter().map(|a| a.tier));
        levels.sort_unstable();
        levels.dedup();
        levels.into_iter().map(|l| self.tier(l)).collect()
    }

    /// An artifact kind's title from artifact-kinds.toml (its id if unknown).
    pub fn kind_title(&self, kind: &str) -> String {
        self.registry
            .kinds
            .get(kind)
            .map_or_else(|| kind.to_string(), |k| k.title.clone())
    }

    pub fn section_title(&self, section: &str) -> String {
        self.registry
            .questionnaire
            .section(section)
            .map_or_else(|| section.to_string(), |s| s.title.clone())
    }

    /// A question's short title, as the site lists answers by it
    /// (`section.question` if unknown).
    pub fn question_title(&self, section: &str, question: &str) -> String {
        self.registry
            .questionnaire
            .question(section, question)
            .map_or_else(|| format!("{section}.{question}"), |q| q.title.clone())
    }

    /// `date` relative to the build date: `in 12 days`, `3 days ago`.
    pub fn when(&self, date: Date) -> String {
        text::when(assess::days_between(self.today, date))
    }

    /// What an exception accepts, in words (`Finding F-1`, `Red flag: <question title>`).
    pub fn accepts_text(&self, a: &Accepts) -> String {
        match a {
            Accepts::Finding(id) => format!("Finding {id}"),
            Accepts::RedFlag { section, question } => {
                format!("Red flag: {}", self.question_title(section, question))
            }
            Accepts::Artifact(kind) => format!("Evidence: {}", self.kind_title(kind)),
            Accepts::Question { section, question } => {
                format!("Unanswered: {}", self.question_title(section, question))
            }
            Accepts::Rule { code, subject } => {
                let title = crate::diag::code_title(code);
                match subject {
                    Some(s) => format!("Rule {code} ({title}): {s}"),
                    None => format!("Rule {code} ({title})"),
                }
            }
        }
    }

    /// A link to the vendor with this slug, if the registry has it.
    pub fn vendor_link_by_slug(&self, slug: &str) -> Option<VendorLink> {
        self.by_slug.get(slug).map(|v| super::link::vendor_link(v))
    }
}
