//! `new`: a vendor folder written from the registry's own policy:
//! `vendor.toml` (a prospective vendor, with a profile that gives the tier
//! asked for), `answers.toml` (every question of the questionnaire as a
//! commented placeholder) and `artifacts.toml` (the kinds the tier
//! requires, commented). The files break no data-contract rule, so `check`
//! reports only what is still unanswered or missing.

mod files;
mod profile;
mod text;

use std::path::PathBuf;

use crate::diag::Severity;
use crate::error::Error;
use crate::load::POLICY_FILES;
use crate::model::{Date, Registry, VendorStatus};
use crate::pipeline::{RegistryOptions, load_and_validate};
use crate::validate::is_valid_slug;

use super::scaffold::{NewFile, write_new_files};
use files::Scaffold;
pub use profile::profile_for_tier;

/// What `vetted new` is asked.
#[derive(Debug, Clone)]
pub struct NewOptions {
    pub registry: PathBuf,
    pub today: Date,
    /// The vendor's folder name under `vendors/`.
    pub slug: String,
    /// The vendor's name (default: the slug's words, capitalised).
    pub name: Option<String>,
    pub category: Option<String>,
    /// The tier the profile is chosen to give (default: the highest-risk tier).
    pub tier: Option<u8>,
}

/// The vendor folder written.
#[derive(Debug, Clone)]
pub struct NewVendor {
    pub dir: PathBuf,
    pub files: Vec<PathBuf>,
    pub tier: u8,
    pub tier_name: String,
    /// Questions the tier requires, and all questions.
    pub required_questions: usize,
    pub questions: usize,
    /// Ids of the artifact kinds the tier requires.
    pub required_kinds: Vec<String>,
    /// The categories other vendors use, when the new one is none of them
    /// (a typo, or a new category: the caller says which it may be).
    pub new_category: Option<Vec<String>>,
}

/// The category written when `--category` is not given.
const DEFAULT_CATEGORY: &str = "uncategorised";

/// Write `vendors/<slug>/`; nothing when the slug is not one, the folder
/// exists, or the registry's policy files break the data contract.
pub fn new_vendor(opts: &NewOptions) -> Result<NewVendor, Error> {
    if !is_valid_slug(&opts.slug) {
        return Err(Error::BadSlug {
            slug: opts.slug.clone(),
        });
    }
    let name = match &opts.name {
        Some(n) => one_line("--name", n)?,
        None => title_case(&opts.slug),
    };
    let category = match &opts.category {
        Some(c) => one_line("--category", c)?,
        None => DEFAULT_CATEGORY.to_string(),
    };
    let registry = policy(opts)?;
    let dir = opts.registry.join("vendors").join(&opts.slug);
    // Folder names are compared ignoring case, as the loader does (two that
    // differ only in case break the data contract).
    let taken = std::fs::read_dir(opts.registry.join("vendors"))
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .eq_ignore_ascii_case(&opts.slug)
        });
    if taken || dir.symlink_metadata().is_ok() {
        return Err(Error::VendorExists { path: dir });
    }
    let tiers = &registry.tiers;
    let level = opts.tier.or_else(|| tiers.tiers.first().map(|t| t.level));
    let tier = level
        .and_then(|l| tiers.tier(l))
        .ok_or_else(|| Error::UnknownTier {
            tier: opts.tier.unwrap_or_default(),
            levels: text::listed(&tiers.tiers.iter().map(|t| t.level).collect::<Vec<_>>()),
        })?;
    let profile =
        profile_for_tier(tiers, tier.level).ok_or(Error::TierUnreachable { tier: tier.level })?;
    let mut categories: Vec<String> = registry
        .vendors
        .iter()
        .map(|v| v.category.clone())
        .collect();
    categories.sort();
    categories.dedup();
    let s = Scaffold {
        registry: &registry,
        name: &name,
        category: &category,
        categories: &categories,
        status: VendorStatus::Prospective,
        tier,
        profile: &profile,
    };
    let file = |n: &str, text: String| NewFile {
        path: dir.join(n),
        text,
    };
    let written = write_new_files(&[
        file("vendor.toml", files::vendor_toml(&s)),
        file("answers.toml", files::answers_toml(&s)),
        file("artifacts.toml", files::artifacts_toml(&s)),
    ])?;
    let sections = &registry.questionnaire.sections;
    Ok(NewVendor {
        dir: dir.clone(),
        files: written,
        tier: tier.level,
        tier_name: tier.name.clone(),
        required_questions: sections
            .iter()
            .map(|sec| sec.questions.iter().filter(|q| s.requires(sec, q)).count())
            .sum(),
        questions: sections.iter().map(|sec| sec.questions.len()).sum(),
        required_kinds: s.required_kinds().iter().map(|k| k.id.clone()).collect(),
        new_category: (!categories.is_empty() && !categories.contains(&category))
            .then_some(categories.clone()),
    })
}

/// The registry's checked policy (and its vendors, for their folder names
/// and categories); an error when a policy file breaks the data contract.
fn policy(opts: &NewOptions) -> Result<Registry, Error> {
    let checked = load_and_validate(&RegistryOptions {
        registry: opts.registry.clone(),
        today: opts.today,
    })?;
    let errors = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && POLICY_FILES.contains(&&*d.loc.path))
        .count();
    match checked.registry {
        Some(registry) if errors == 0 => Ok(registry),
        _ => Err(Error::PolicyInvalid {
            errors: errors.max(1),
        }),
    }
}

/// A name or category: one line of text, not empty.
fn one_line(flag: &'static str, value: &str) -> Result<String, Error> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::BadVendorValue {
            flag,
            why: "is empty",
        });
    }
    if value.chars().any(char::is_control) {
        return Err(Error::BadVendorValue {
            flag,
            why: "must be one line of text, without control characters",
        });
    }
    Ok(value.to_string())
}

/// `acme-infusion` → `Acme Infusion`.
fn title_case(slug: &str) -> String {
    slug.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_defaults_to_the_slugs_words() {
        assert_eq!(title_case("acme-infusion"), "Acme Infusion");
        assert_eq!(title_case("x9"), "X9");
    }

    #[test]
    fn names_and_categories_are_one_line_of_text() {
        assert_eq!(
            one_line("--name", "  Acme \"Pumps\" ").unwrap(),
            "Acme \"Pumps\""
        );
        for bad in ["", "   ", "a\nb", "a\u{7}"] {
            assert!(
                matches!(one_line("--name", bad), Err(Error::BadVendorValue { .. })),
                "{bad:?}"
            );
        }
    }
}
