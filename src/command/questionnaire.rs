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
    // However long the workbook's cells, the file written stays within what
    // `check` reads: a registry file over the limit is a contract error.
    if new_text.len() as u64 > crate::parse::MAX_FILE_BYTES {
        return Err(Error::WorkbookRefused {
            path: opts.workbook.clone(),
            why: format!(
                "its answers would make {answers_file} {} bytes, over the {} bytes a registry file may have",
                new_text.len(),
                crate::parse::MAX_FILE_BYTES
            ),
        });
    }
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
        for file in crate::load::POLICY_FILES {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read as _, Write as _};

    const TODAY: &str = "2026-11-22";

    /// The `minimal` fixture's registry in a temporary folder, and the
    /// workbook exported for acme-infusion with its Instructions
    /// (sheet1) and Questionnaire (sheet2) XML passed through `edit`.
    fn tampered_import(
        edit: impl Fn(&str, String) -> String,
    ) -> (
        Result<QuestionnaireImportOutcome, Error>,
        tempfile::TempDir,
        Vec<u8>,
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let reg = tmp.path().join("registry");
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
        copy_folder(&fixture, &reg).unwrap();
        let today = crate::parse_date(TODAY).unwrap();
        let exported = tmp.path().join("q.xlsx");
        let export = QuestionnaireExportOptions {
            registry: reg.clone(),
            today,
            vendor: "acme-infusion".into(),
            out: exported.clone(),
            blank: false,
            rev: None,
        };
        questionnaire_export(&export).unwrap();
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&exported).unwrap()).unwrap();
        let returned = tmp.path().join("returned.xlsx");
        let mut out = zip::ZipWriter::new(std::fs::File::create(&returned).unwrap());
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            let name = entry.name().to_string();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            if name.starts_with("xl/worksheets/") {
                bytes = edit(&name, String::from_utf8(bytes).unwrap()).into_bytes();
            }
            out.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            out.write_all(&bytes).unwrap();
        }
        out.finish().unwrap();
        let answers = reg.join("vendors/acme-infusion/answers.toml");
        let before = std::fs::read(&answers).unwrap();
        let outcome = questionnaire_import(&QuestionnaireImportOptions {
            registry: reg,
            today,
            vendor: "acme-infusion".into(),
            workbook: returned,
            dry_run: false,
        });
        assert_eq!(
            std::fs::read(&answers).unwrap(),
            before,
            "answers.toml was written"
        );
        (outcome, tmp, before)
    }

    /// `xml` with the cell `cell` replaced by an inline string cell.
    fn cell(xml: String, cell: &str, inline: &str) -> String {
        let start = xml.find(&format!("<c r=\"{cell}\"")).expect(cell);
        let rest = &xml[start..];
        let gt = rest.find('>').unwrap();
        let len = if rest[..gt].ends_with('/') {
            gt + 1
        } else {
            rest.find("</c>").unwrap() + 4
        };
        format!(
            "{}<c r=\"{cell}\" t=\"inlineStr\"><is><t>{inline}</t></is></c>{}",
            &xml[..start],
            &xml[start + len..]
        )
    }

    /// Found by the questionnaire_import fuzz target: a respondent name of a
    /// megabyte made the import write an answers.toml over the 1 MiB a
    /// registry file may have, which `check` then rejects.
    #[test]
    fn a_workbook_that_would_make_answers_toml_too_large_is_refused() {
        let long = "A".repeat(crate::parse::MAX_FILE_BYTES as usize);
        let (outcome, _tmp, _) = tampered_import(|name, xml| match name {
            "xl/worksheets/sheet1.xml" => cell(xml, "B9", &long),
            "xl/worksheets/sheet2.xml" => cell(xml, "D4", "24"),
            _ => xml,
        });
        match outcome {
            Err(Error::WorkbookRefused { why, .. }) => {
                assert!(why.contains("over the 1048576 bytes"), "{why}")
            }
            other => panic!("not refused: {other:?}"),
        }
    }

    /// Found by the questionnaire_import fuzz target: jiff reads a date
    /// before year 0 (`-000001-01-01`), which answers.toml cannot hold.
    #[test]
    fn a_date_before_year_zero_is_a_bad_cell_in_answers_and_provenance() {
        let (outcome, _tmp, _) = tampered_import(|name, xml| match name {
            "xl/worksheets/sheet1.xml" => cell(xml, "B11", "-000001-01-01"),
            "xl/worksheets/sheet2.xml" => cell(xml, "D5", "-000001-01-01"),
            _ => xml,
        });
        match outcome {
            Ok(QuestionnaireImportOutcome::BadCells(problems)) => {
                let at: Vec<_> = problems
                    .iter()
                    .map(|p| format!("{}!{}", p.sheet, p.cell))
                    .collect();
                assert_eq!(at, ["Instructions!B11", "Questionnaire!D5"], "{problems:?}");
            }
            other => panic!("not bad cells: {other:?}"),
        }
    }
}
