//! Validate stage: raw documents in, checked `Registry` plus diagnostics out.
//!
//! Policy files (questionnaire, tiers, artifact kinds) are checked first, then
//! every vendor in parallel against them. An item with an error is left out of
//! the registry (and reported); later stages never re-check. What was left
//! out is recorded on the vendor (`Vendor::left_out`, found by `partial`
//! from where each error is located): the vendor is still assessed on
//! everything else, and its assessment is partial. Only a vendor whose tier
//! cannot be computed (vendor.toml unreadable, status or profile broken) or
//! whose answers.toml or artifacts.toml is missing or unreadable is not
//! assessed at all (`Validated::not_assessed`).
//!
//! Every location is a `KeyPath` built from the keys `model::raw` declares
//! (`doc.root().at(RawVendor::PRODUCT).item(i)`), never a hand-written dotted
//! string; a value outside a closed set arrives as `Closed::Unknown` and is
//! reported here with the set's own list of values.
//!
//! One part per registry file: `settings`, `tiers`, `questionnaire`,
//! `kinds` (the policy files), `slugs` (vendor folder names), `vendor`,
//! `answers`, `artifacts` (with `evidence` for `file =` references),
//! `findings`, `exceptions`, `notes` (a vendor's files); `common` holds the
//! checks they share (dates, links, closed-set values, tier levels, factor
//! conditions) and the `Diags` sink. This module only runs them in order and
//! joins their results into the `Registry`; the parts import `common` and
//! nothing of each other except a real dependency (`artifacts` → `evidence`).
//!
//! Where to add what: a new key of a registry file is a field of its `Raw*`
//! struct plus its line in `keys!` (a test fails until both agree), then its
//! check in that file's part here; a new closed set is one `closed_set!` in
//! `model::domain`, held as `Closed<T>` in the raw struct; a new red-flag
//! condition lives wholly in `model::condition` (`Condition::parse` is what
//! `questionnaire` calls); a new vendor file is a new part, called from
//! `check_vendor` below, with its items' anchors in `partial` (what an
//! error in it leaves out).

mod answers;
mod artifacts;
mod common;
mod evidence;
mod exceptions;
mod findings;
mod kinds;
mod notes;
mod partial;
mod questionnaire;
mod settings;
mod slugs;
#[cfg(test)]
mod testing;
mod tiers;
mod vendor;

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Loc, Severity, Sources};
use crate::load::{self, Loaded, LoadedVendor, VendorDir};
use crate::model::*;

use common::{Diags, Policy};

pub use answers::answer_problems;
pub use common::{SAFE_SCHEMES, link_scheme};
pub use slugs::{SLUG_HELP, is_valid_slug};
pub use tiers::tier_policy_from_text;

/// What the stage hands on: the checked registry (when the policy is usable),
/// every source text for reports, and every diagnostic, sorted.
pub struct Validated {
    /// `None` when a policy file is missing or unusable.
    pub registry: Option<Registry>,
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
    /// Vendor folders that were read but not assessed at all, by folder
    /// name, sorted: the tier cannot be computed, a required file is missing
    /// or unreadable, or the policy itself is broken. A vendor assessed with
    /// parts left out is in the registry, with `Vendor::left_out`.
    pub not_assessed: Vec<String>,
}

/// Check everything `load` read: the policy files, the vendor folder names,
/// then every vendor folder against the policy.
pub fn validate(loaded: Loaded) -> Validated {
    let Loaded {
        root,
        sources,
        settings,
        questionnaire,
        tiers,
        kinds,
        vendors,
        mut diagnostics,
    } = loaded;
    let mut d = Diags::default();

    let tiers = tiers.map(|doc| tiers::check_tiers(&doc, &mut d));
    let settings = settings.map(|doc| settings::check_settings(&doc, tiers.as_ref(), &mut d));
    let questionnaire_doc = questionnaire;
    let mut questionnaire = match (&questionnaire_doc, &tiers) {
        (Some(doc), Some(t)) => Some(questionnaire::check_questionnaire(doc, t, &mut d)),
        _ => None,
    };
    let kinds = match (&kinds, &tiers) {
        (Some(doc), Some(t)) => Some(kinds::check_kinds(doc, t, &mut d)),
        _ => None,
    };
    if let (Some(doc), Some(q), Some(k)) = (&questionnaire_doc, &mut questionnaire, &kinds) {
        questionnaire::check_claims(doc, q, k, &mut d);
    }
    diagnostics.append(&mut d.0);

    slugs::check_slugs(&vendors, &mut diagnostics);

    // Without a valid policy nothing can be checked against it, but every
    // vendor file is still read so its own problems are reported.
    let policy = match (&settings, &questionnaire, &tiers, &kinds) {
        (Some(settings), Some(questionnaire), Some(tiers), Some(kinds)) => Some(Policy {
            questionnaire,
            tiers,
            kinds,
            evidence_files: &settings.evidence_files,
        }),
        _ => None,
    };
    let (vendors, not_assessed, sources) =
        read_vendors(&root, vendors, policy.as_ref(), sources, &mut diagnostics);
    crate::diag::sort(&mut diagnostics);

    let (Some(settings), Some(questionnaire), Some(tiers), Some(kinds)) =
        (settings, questionnaire, tiers, kinds)
    else {
        return Validated {
            registry: None,
            sources,
            diagnostics,
            not_assessed,
        };
    };
    Validated {
        registry: Some(Registry {
            root,
            settings,
            questionnaire,
            tiers,
            kinds,
            vendors,
        }),
        sources,
        diagnostics,
        not_assessed,
    }
}

/// Read, parse and (given a policy) check every vendor folder, one parallel
/// task per vendor, so each vendor's parsed documents are dropped as soon as
/// its domain record exists. Returns the vendors fit to assess (wholly or
/// in part), sorted by slug, the folder names of those that are not, and
/// `sources` joined with every vendor file's text.
fn read_vendors(
    root: &Path,
    vendors: Vec<VendorDir>,
    policy: Option<&Policy<'_>>,
    sources: Sources,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Vendor>, Vec<String>, Sources) {
    let results: Vec<(Result<Vendor, String>, Sources, Vec<Diagnostic>)> = vendors
        .into_par_iter()
        .map(|v| {
            let slug = v.slug.clone();
            let (loaded, s, mut ds) = load::load_vendor(root, v);
            let Some(policy) = policy else {
                return (Err(slug), s, ds);
            };
            let mut d = Diags::default();
            let vendor = check_vendor(loaded, policy, root, &ds, &mut d);
            ds.append(&mut d.0);
            (vendor.ok_or(slug), s, ds)
        })
        .collect();
    let mut parts = Vec::with_capacity(results.len() + 1);
    parts.push(sources);
    let mut out = Vec::with_capacity(results.len());
    let mut skipped = Vec::new();
    for (v, s, ds) in results {
        match v {
            Ok(v) => out.push(v),
            Err(slug) => skipped.push(slug),
        }
        parts.push(s);
        diagnostics.extend(ds);
    }
    out.sort_by(|a, b| a.slug.cmp(&b.slug));
    skipped.sort();
    (out, skipped, Sources::join(parts))
}

/// One vendor folder checked against the policy: every file is checked even
/// when another failed, so one pull request sees every problem. `None` when
/// the vendor cannot be assessed at all: its tier cannot be computed
/// (vendor.toml unreadable, status or profile broken) or answers.toml or
/// artifacts.toml is missing or unreadable. Otherwise every item an error
/// (of `d`, or of `load_errors` for an optional file that did not parse) is
/// located in is left out of the record and listed in `Vendor::left_out`.
fn check_vendor(
    v: LoadedVendor,
    p: &Policy<'_>,
    root: &Path,
    load_errors: &[Diagnostic],
    d: &mut Diags,
) -> Option<Vendor> {
    let LoadedVendor {
        slug,
        dir,
        abs_dir,
        vendor,
        answers,
        artifacts,
        findings,
        exceptions,
        notes,
        present,
    } = v;
    if !is_valid_slug(&slug) {
        return None;
    }
    let answers_checked = answers
        .as_ref()
        .map(|doc| answers::check_answers(doc, p.questionnaire, d));
    let provenance = answers
        .as_ref()
        .and_then(|doc| answers::check_provenance(doc, d));
    // vendor.toml first: the products and subprocessors are subjects
    // findings and exceptions may name.
    let checked = vendor
        .as_ref()
        .map(|vdoc| vendor::check_vendor_file(vdoc, p.tiers, d));
    let known = checked
        .as_ref()
        .map(|c| (c.products.as_slice(), c.subprocessors.as_slice()));
    let findings_checked = findings
        .as_ref()
        .map(|doc| findings::check_findings(doc, known, p, d));
    // An exception may accept a finding that is written but left out for
    // its own errors (it is then not dangling), and any finding at all when
    // findings.toml is present but unreadable.
    let finding_ids: Option<Vec<&str>> = match &findings {
        Some(doc) => Some(doc.value.findings.iter().map(|f| f.id.as_str()).collect()),
        None if present.get("findings.toml").copied().unwrap_or(false) => None,
        None => Some(Vec::new()),
    };
    let exceptions_checked = exceptions
        .as_ref()
        .map(|doc| exceptions::check_exceptions(doc, finding_ids.as_deref(), known, p, d))
        .unwrap_or_default();
    let notes_checked = notes.as_ref().map(|(rel, src)| {
        notes::check_markdown_links(rel, src, d);
        src.text.clone()
    });
    let (Some(vdoc), Some(checked)) = (vendor, checked) else {
        if let Some(doc) = &artifacts {
            artifacts::check_artifacts(doc, None, p, root, &abs_dir, d);
        }
        return None;
    };
    let artifacts_checked = artifacts
        .as_ref()
        .map(|doc| artifacts::check_artifacts(doc, Some(&checked.products), p, root, &abs_dir, d));
    if let Some(doc) = &artifacts {
        artifacts::check_subjects(doc, &checked.subprocessors, d);
    }
    let (Some(status), Some(adoc), Some(answers_checked), Some(artdoc), Some(artifacts_checked)) = (
        checked.status,
        answers.as_ref(),
        answers_checked,
        artifacts.as_ref(),
        artifacts_checked,
    ) else {
        return None;
    };
    // Without a complete profile the tier cannot be computed; the vendor is
    // reported but left out of assessment.
    let (profile, profile_locs) = checked.profile?;

    let docs = partial::VendorDocs {
        vendor: Some(&vdoc),
        answers: Some(adoc),
        artifacts: Some(artdoc),
        findings: findings.as_ref(),
        exceptions: exceptions.as_ref(),
        notes: notes.as_ref().map(|(rel, _)| rel),
    };
    let mut left_out = partial::left_out(&d.0, &docs, p.kinds);
    // An optional file that is there but did not parse is left out whole.
    for (name, parsed) in [
        ("findings.toml", findings.is_some()),
        ("exceptions.toml", exceptions.is_some()),
        ("notes.md", notes.is_some()),
    ] {
        if parsed || !present.get(name).copied().unwrap_or(false) {
            continue;
        }
        let file: std::sync::Arc<str> = format!("{dir}/{name}").into();
        let why = load_errors
            .iter()
            .find(|e| e.severity == Severity::Error && *e.loc.path == *file);
        left_out.push(LeftOut {
            file,
            item: LeftOutItem::File,
            key: String::new(),
            code: why.map_or("", |e| e.code),
            message: why.map_or_else(
                || format!("{name} could not be read"),
                |e| e.message.clone(),
            ),
        });
    }
    let mut products = checked.products;
    let (mut artifacts, mut answers) = (artifacts_checked, answers_checked);
    without_left_out(&mut products, &mut artifacts, &mut answers, &left_out);

    let locs = vendor::vendor_locs(
        &vdoc,
        Loc::file(&adoc.path),
        Loc::file(&artdoc.path),
        profile_locs,
    );
    let raw = &vdoc.value;
    Some(Vendor {
        slug,
        dir,
        name: raw.name.clone(),
        status,
        category: raw.category.clone(),
        owner: raw.owner.clone(),
        description: raw.description.clone(),
        website: raw.website.clone(),
        products,
        subprocessors: checked.subprocessors,
        regions: checked.regions,
        contacts: checked.contacts,
        profile,
        contract: checked.contract,
        review: checked.review,
        answers,
        provenance,
        artifacts,
        findings: findings_checked.unwrap_or_default(),
        exceptions: exceptions_checked,
        notes: notes_checked,
        left_out,
        locs,
    })
}

/// The checked products, artifacts and answers without any that `left_out`
/// names, whether or not their own check already dropped them: a product
/// with a bad end-of-support date (or listed twice, under either entry) is
/// not assessed per product at all.
fn without_left_out(
    products: &mut Vec<Product>,
    artifacts: &mut Vec<Artifact>,
    answers: &mut BTreeMap<String, BTreeMap<String, Answer>>,
    left_out: &[LeftOut],
) {
    for l in left_out {
        match &l.item {
            LeftOutItem::Product { name, .. } => {
                products.retain(|p| !p.name.eq_ignore_ascii_case(name));
            }
            LeftOutItem::Artifact { index, .. } => artifacts.retain(|a| a.index != *index),
            LeftOutItem::Answer { section, question } => match question {
                Some(q) => {
                    if let Some(s) = answers.get_mut(section) {
                        s.remove(q);
                    }
                }
                None => {
                    answers.remove(section);
                }
            },
            _ => {}
        }
    }
}
