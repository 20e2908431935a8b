//! `questionnaire export` and `questionnaire import`: the vendor
//! questionnaire as a spreadsheet sent to the vendor and read back into
//! answers.toml (see `crate::questionnaire` for the workbook itself).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::Refusal;
use crate::error::Error;
use crate::model::Date;
use crate::model::raw::RawVendor;
use crate::pipeline::RegistryOptions;
use crate::questionnaire::{self, CellProblem, ExportRequest, Provenance};

pub use crate::questionnaire::edit::AnswerChange;

/// What `vetted questionnaire export` is asked.
#[derive(Debug, Clone)]
pub struct QuestionnaireExportOptions {
    pub registry: PathBuf,
    pub today: Date,
    pub vendor: String,
    pub out: PathBuf,
    /// No answers pre-filled (also for a vendor folder without answers yet).
    pub blank: bool,
    /// Export the questionnaire and answers as they stood at this git revision.
    pub rev: Option<String>,
}

/// What `vetted questionnaire import` is asked.
#[derive(Debug, Clone)]
pub struct QuestionnaireImportOptions {
    pub registry: PathBuf,
    pub today: Date,
    pub vendor: String,
    pub workbook: PathBuf,
    /// Check and show the changes, write nothing.
    pub dry_run: bool,
}

/// The exported workbook, or why there is none.
#[derive(Debug)]
pub enum QuestionnaireExportOutcome {
    /// The workbook was written to `out`; it asks this many questions.
    Written {
        questions: usize,
    },
    Refused(Refusal),
}

/// What an import did, or why it did nothing.
#[derive(Debug)]
pub enum QuestionnaireImportOutcome {
    /// Every answer is valid: what changed (written unless `--dry-run`).
    Imported(Box<ImportDone>),
    /// Cells that are not valid answers; answers.toml was not touched.
    BadCells(Vec<CellProblem>),
    Refused(Refusal),
}

#[derive(Debug)]
pub struct ImportDone {
    /// `vendors/<slug>/answers.toml`, relative to the registry.
    pub answers_file: String,
    pub changes: Vec<AnswerChange>,
    pub provenance: Provenance,
    /// Whether answers.toml was rewritten.
    pub written: bool,
    /// What the change means, as `vetted diff` reports it (tier, status,
    /// decision, red flags raised and resolved, new problems): the vendor
    /// checked before and after, alone with the registry's policy. `None`
    /// when nothing changed.
    pub diff: Option<crate::diff::RegistryDiff>,
}

/// The registry's policy and the one vendor `slug`, or the refusal when
/// its policy files are broken (vendor errors do not stop either command:
/// importing may fix them). No other vendor is read.
fn registry(
    path: &Path,
    today: Date,
    slug: &str,
) -> Result<Result<crate::model::Registry, Refusal>, Error> {
    let checked = crate::pipeline::load_and_validate_vendors(
        &RegistryOptions {
            registry: path.to_path_buf(),
            today,
        },
        Some(&[slug]),
    )?;
    Ok(match checked.registry {
        Some(r) => Ok(r),
        None => Err(Refusal::Invalid {
            diagnostics: checked.diagnostics,
            sources: checked.sources,
        }),
    })
}

/// `vendors/<slug>` of the registry, for a valid slug whose folder exists.
fn vendor_dir(root: &Path, slug: &str) -> Result<PathBuf, Error> {
    let dir = root.join("vendors").join(slug);
    if !crate::validate::is_valid_slug(slug) || !dir.is_dir() {
        return Err(Error::NoVendor {
            slug: slug.to_string(),
        });
    }
    Ok(dir)
}

pub fn questionnaire_export(
    opts: &QuestionnaireExportOptions,
) -> Result<QuestionnaireExportOutcome, Error> {
    let copy = super::RegistryCopy::open(&opts.registry, opts.rev.as_deref())?;
    let reg = match registry(copy.dir(), opts.today, &opts.vendor)? {
        Ok(r) => r,
        Err(refusal) => return Ok(QuestionnaireExportOutcome::Refused(refusal)),
    };
    let slug = opts.vendor.as_str();
    let dir = vendor_dir(&reg.root, slug)?;
    let found = reg.vendors.iter().find(|v| v.slug == slug);
    let (name, profile, answers) = match found {
        Some(v) => (
            v.name.clone(),
            v.profile.clone(),
            (!opts.blank).then_some(&v.answers),
        ),
        None if opts.blank => {
            let (name, profile) = raw_vendor(&dir, slug)?;
            (name, profile, None)
        }
        None => {
            return Err(Error::VendorNotAssessed {
                slug: slug.to_string(),
            });
        }
    };
    let (tier, _) = crate::assess::tier_of(&reg.tiers, &profile);
    let sections = reg
        .tiers
        .tier(tier)
        .map(|t| t.sections.clone())
        .unwrap_or_default();
    let req = ExportRequest {
        questionnaire: &reg.questionnaire,
        slug,
        vendor_name: &name,
        organisation: &reg.settings.organisation,
        tier,
        tier_sections: &sections,
        answers,
        today: opts.today,
    };
    let bytes = questionnaire::export_workbook(&req).map_err(|source| Error::WorkbookWrite {
        path: opts.out.clone(),
        source,
    })?;
    crate::atomic::write(&opts.out, &bytes).map_err(|source| Error::WriteFile {
        path: opts.out.clone(),
        source,
    })?;
    let questions = reg
        .questionnaire
        .sections
        .iter()
        .map(|s| s.questions.len())
        .sum();
    Ok(QuestionnaireExportOutcome::Written { questions })
}

/// Name and profile from vendor.toml alone, for a vendor not yet assessed
/// (no answers.toml yet).
fn raw_vendor(
    dir: &Path,
    slug: &str,
) -> Result<(String, std::collections::BTreeMap<String, String>), Error> {
    let rel: Arc<str> = format!("vendors/{slug}/vendor.toml").into();
    let parsed = crate::parse::read_text(&dir.join("vendor.toml"), &rel)
        .ok()
        .and_then(|text| crate::parse::parse_toml::<RawVendor>(&rel, text).ok());
    match parsed {
        Some(doc) => Ok((doc.value.name, doc.value.profile)),
        None => Err(Error::VendorNotAssessed {
            slug: slug.to_string(),
        }),
    }
}

pub fn questionnaire_import(
    opts: &QuestionnaireImportOptions,
) -> Result<QuestionnaireImportOutcome, Error> {
    let reg = match registry(&opts.registry, opts.today, &opts.vendor)? {
        Ok(r) => r,
        Err(refusal) => return Ok(QuestionnaireImportOutcome::Refused(refusal)),
    };
    let slug = opts.vendor.as_str();
    let dir = vendor_dir(&reg.root, slug)?;
    let imported = match questionnaire::import_workbook(
        &opts.workbook,
        slug,
        &reg.questionnaire,
        opts.today,
    ) {
        Ok(i) => i,
        Err(Ok(problems)) => return Ok(QuestionnaireImportOutcome::BadCells(problems)),
        Err(Err(why)) => {
            return Err(Error::WorkbookRefused {
                path: opts.workbook.clone(),
                why: why.to_string(),
            });
        }
    };
    let answers_file = format!("vendors/{slug}/answers.toml");
    let path = dir.join("answers.toml");
    let text = if path.exists() {
        let rel: Arc<str> = answers_file.as_str().into();
        match crate::parse::read_text(&path, &rel) {
            Ok(t) => t.text.to_string(),
            Err(d) => {
                return Err(Error::AnswersEdit {
                    path,
                    why: d.message,
                });
            }
        }
    } else {
        String::new()
    };
    let (new_text, changes) = questionnaire::edit::apply(&text, &reg.questionnaire, &imported)
        .map_err(|e| Error::AnswersEdit {
            path: path.clone(),
            why: e.to_string(),
        })?;
    let diff = if changes.is_empty() {
        None
    } else {
        let file = &imported.provenance.file;
        Some(vendor_diff(
            &reg.root,
            slug,
            (&text, &new_text),
            file,
            opts.today,
        )?)
    };
    let written = !opts.dry_run && !changes.is_empty();
    if written {
        crate::atomic::write(&path, new_text.as_bytes())
            .map_err(|source| Error::WriteFile { path, source })?;
    }
    Ok(QuestionnaireImportOutcome::Imported(Box::new(ImportDone {
        answers_file,
        changes,
        provenance: imported.provenance,
        written,
        diff,
    })))
}

/// `vetted diff` between the vendor with answers.toml `before` and `after`:
/// each checked in a temporary registry holding the policy files and this
/// vendor's folder only (no other vendor's files are read or copied).
fn vendor_diff(
    root: &Path,
    slug: &str,
    (before, after): (&str, &str),
    workbook: &str,
    today: Date,
) -> Result<crate::diff::RegistryDiff, Error> {
    let copy = |answers: &str| -> Result<tempfile::TempDir, Error> {
        let tmp = tempfile::tempdir().map_err(|source| Error::TempDir { source })?;
        let fail = |path: PathBuf, source| Error::MaterializeWrite { path, source };
        for file in [
            "vetted.toml",
            "questionnaire.toml",
            "tiers.toml",
            "artifact-kinds.toml",
        ] {
            let from = root.join(file);
            if from.is_file() {
                std::fs::copy(&from, tmp.path().join(file)).map_err(|e| fail(from, e))?;
            }
        }
        let dir = tmp.path().join("vendors").join(slug);
        copy_folder(&root.join("vendors").join(slug), &dir).map_err(|e| fail(dir.clone(), e))?;
        std::fs::write(dir.join("answers.toml"), answers)
            .map_err(|e| fail(dir.join("answers.toml"), e))?;
        Ok(tmp)
    };
    let (b, h) = (copy(before)?, copy(after)?);
    let check = |dir: &Path| {
        crate::check(&RegistryOptions {
            registry: dir.to_path_buf(),
            today,
        })
    };
    let (rb, rh) = (check(b.path())?, check(h.path())?);
    Ok(crate::diff::compare(
        "answers.toml",
        &rb,
        b.path(),
        workbook,
        &rh,
        h.path(),
    ))
}

/// A vendor folder's regular files and folders, copied; links are left
/// out (the check of the real registry reports them).
fn copy_folder(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let dest = to.join(entry.file_name());
        if kind.is_dir() {
            copy_folder(&entry.path(), &dest)?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), dest)?;
        }
    }
    Ok(())
}
