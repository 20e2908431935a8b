//! `vetted questionnaire import --vendor acme-infusion FILE.xlsx`: a returned
//! workbook (untrusted: a vendor's spreadsheet) imported through the
//! library's entry point (`command::questionnaire_import`, not a dry run)
//! into the `minimal` fixture's registry, built once per process; the
//! vendor's answers.toml is put back after every input.
//!
//! Input: an input starting with `PK` is the workbook's bytes. Any other is
//! the text of its XML parts, split at NUL bytes, in the order of `PARTS`
//! (an empty or missing chunk keeps the part of the workbook `questionnaire
//! export` writes for the vendor, answers pre-filled): the target zips them
//! (stored, with right checksums), so mutations reach the XML readers and
//! the validator instead of stopping at the zip's checksums.
//!
//! Invariants: nothing panics; a workbook that is not read is refused with
//! `Error::WorkbookRefused` and bad cells are listed (at least one, each at a
//! real cell reference), and then answers.toml is byte for byte unchanged; a
//! valid workbook writes answers.toml exactly when an answer changes, and
//! what it writes parses, keeps every answer it had (importing never removes
//! one), holds each reported change, and `check` on the registry then reports
//! no data-contract error (the import never writes a file that breaks the
//! contract; the fixture has none before). What the CLI prints (the bad
//! cells, the changes and their `vetted diff` Markdown, a refusal's message)
//! holds, through the CLI's `Inert` filter, no raw control or invisible
//! character (but the zero-width spaces the diff's Markdown writer puts in
//! to break autolinks) and no GitHub Actions workflow command.
//!
//! With `VETTED_FUZZ_QUESTIONNAIRE_SEEDS=DIR` set, the setup writes the
//! workbooks `vetted questionnaire export` gives for the fixture's vendors
//! into DIR (fuzz/make_seeds.py uses them as seeds).
#![no_main]

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use vetted::command::{self, QuestionnaireImportOptions, QuestionnaireImportOutcome};
use vetted::{Error, RegistryOptions};
use vetted_fuzz::*;

const VENDOR: &str = "acme-infusion";

/// The parts an input that is not a zip replaces, in its chunks' order.
const PARTS: [&str; 7] = [
    "xl/worksheets/sheet2.xml",
    "xl/sharedStrings.xml",
    "xl/worksheets/sheet1.xml",
    "xl/worksheets/sheet3.xml",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/styles.xml",
];

struct Setup {
    registry: PathBuf,
    answers: PathBuf,
    /// The fixture's answers.toml, put back after every input.
    original: Vec<u8>,
    workbook: PathBuf,
    today: vetted::model::Date,
    /// The exported workbook's parts (name, bytes), in its zip's order.
    base: Vec<(String, Vec<u8>)>,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        single_threaded();
        let registry = policy_registry(&scratch().join("registry"));
        // The import checks the vendor before and after in temporary
        // registries: keep them in the scratch folder (memory, cleaned up).
        // SAFETY: set once, before any other thread of this process reads
        // the environment (rayon's one worker does not).
        unsafe { std::env::set_var("TMPDIR", scratch()) };
        for (rel, text) in MINIMAL_VENDORS {
            let path = registry.join(rel);
            fs::create_dir_all(path.parent().expect("a vendor file has a folder"))
                .expect("cannot create a vendor folder");
            fs::write(&path, text).expect("cannot write a vendor file");
        }
        let answers = registry.join("vendors").join(VENDOR).join("answers.toml");
        let original = fs::read(&answers).expect("the fixture has answers.toml");
        let mut s = Setup {
            workbook: scratch().join("returned.xlsx"),
            answers,
            original,
            registry,
            today: today(),
            base: Vec::new(),
        };
        s.base = base_parts(&s);
        let errors = contract_errors(&s);
        assert!(
            errors.is_empty(),
            "the fixture breaks the contract: {errors:?}"
        );
        if let Some(dir) = std::env::var_os("VETTED_FUZZ_QUESTIONNAIRE_SEEDS") {
            write_seeds(&s, Path::new(&dir));
        }
        s
    })
}

fn contract_errors(s: &Setup) -> Vec<vetted::diag::Diagnostic> {
    vetted::check(&RegistryOptions {
        registry: s.registry.clone(),
        today: s.today,
    })
    .expect("the registry folder exists")
    .contract_errors()
}

/// The parts of the workbook `questionnaire export` writes for the vendor.
fn base_parts(s: &Setup) -> Vec<(String, Vec<u8>)> {
    let out = scratch().join("base.xlsx");
    let opts = command::QuestionnaireExportOptions {
        registry: s.registry.clone(),
        today: s.today,
        vendor: VENDOR.to_string(),
        out: out.clone(),
        blank: false,
        rev: None,
    };
    match command::questionnaire_export(&opts) {
        Ok(command::QuestionnaireExportOutcome::Written { .. }) => {}
        other => panic!("cannot export the questionnaire: {other:?}"),
    }
    let bytes = fs::read(&out).expect("the export was written");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("the export is a zip");
    let mut parts = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("a part of the export");
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut data).expect("a part of the export");
        parts.push((entry.name().to_string(), data));
    }
    for name in PARTS {
        assert!(
            parts.iter().any(|(n, _)| n == name),
            "the export has no {name}"
        );
    }
    parts
}

/// The workbook of an input that is not a zip: the export's parts with
/// those the input gives replaced, zipped without compression.
fn zipped(s: &Setup, data: &[u8]) -> Vec<u8> {
    let mut given: Vec<&[u8]> = chunks(data).collect();
    given.resize(PARTS.len(), b"");
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, base) in &s.base {
        let bytes = match PARTS.iter().position(|p| p == name) {
            Some(i) if !given[i].is_empty() => given[i],
            _ => base.as_slice(),
        };
        zip.start_file(name.as_str(), stored).expect("in memory");
        std::io::Write::write_all(&mut zip, bytes).expect("in memory");
    }
    zip.finish().expect("in memory").into_inner()
}

/// The workbooks `questionnaire export` writes for the fixture's vendors.
fn write_seeds(s: &Setup, dir: &Path) {
    fs::create_dir_all(dir).expect("cannot create the seed folder");
    for (vendor, blank, name) in [
        (VENDOR, true, "export-blank.xlsx"),
        (VENDOR, false, "export-prefilled.xlsx"),
        ("cloudsched", false, "export-other-vendor.xlsx"),
    ] {
        let opts = command::QuestionnaireExportOptions {
            registry: s.registry.clone(),
            today: s.today,
            vendor: vendor.to_string(),
            out: dir.join(name),
            blank,
            rev: None,
        };
        match command::questionnaire_export(&opts) {
            Ok(command::QuestionnaireExportOutcome::Written { .. }) => {}
            other => panic!("cannot export {vendor}'s questionnaire: {other:?}"),
        }
    }
}

/// `text` as the CLI prints it: visible (with `markdown`, but the
/// zero-width spaces the diff's Markdown writer puts in to break autolinks),
/// and no workflow command.
fn assert_printable(what: &str, text: &str, markdown: bool) {
    let printed = through_inert(Style::Text, |out| {
        out.write_all(text.as_bytes()).expect("in memory");
    });
    if markdown {
        assert_visible(what, &without_writer_zwsp(&printed), false);
    } else {
        assert_visible(what, &printed, false);
    }
    assert_inert(what, &printed);
}

fn assert_unchanged(s: &Setup, why: &str) {
    let now = fs::read(&s.answers).expect("answers.toml is still there");
    assert!(
        now == s.original,
        "{why}, yet answers.toml changed:\n{}",
        String::from_utf8_lossy(&now)
    );
}

/// (section, question) of every answer in answers.toml text.
fn answered(text: &str) -> Vec<(String, String)> {
    let table: toml::Table = toml::from_str(text).expect("answers.toml parses");
    let mut out = Vec::new();
    for (sid, section) in &table {
        if sid == "provenance" {
            continue;
        }
        if let Some(t) = section.as_table() {
            out.extend(t.keys().map(|q| (sid.clone(), q.clone())));
        }
    }
    out
}

fn check_written(s: &Setup, done: &command::ImportDone) {
    let bytes = fs::read(&s.answers).expect("answers.toml was written");
    let text = String::from_utf8(bytes).expect("answers.toml is written as UTF-8");
    let table: toml::Table = toml::from_str(&text).unwrap_or_else(|e| {
        panic!("the import wrote answers.toml that does not parse ({e}):\n{text}")
    });
    let before = answered(std::str::from_utf8(&s.original).expect("UTF-8 fixture"));
    let after = answered(&text);
    for key in &before {
        assert!(
            after.contains(key),
            "the import removed the answer {key:?}:\n{text}"
        );
    }
    for c in &done.changes {
        let now = table
            .get(&c.section)
            .and_then(|t| t.get(&c.question))
            .unwrap_or_else(|| panic!("change {c:?} is not in the written file:\n{text}"));
        assert_eq!(
            now, &c.new,
            "the written value differs from the change reported"
        );
    }
    let errors = contract_errors(s);
    assert!(
        errors.is_empty(),
        "the import wrote answers.toml that breaks the data contract: {errors:#?}\n{text}"
    );
}

fn check_outcome(s: &Setup, outcome: Result<QuestionnaireImportOutcome, Error>) {
    match outcome {
        Err(e) => {
            assert!(
                matches!(e, Error::WorkbookRefused { .. }),
                "a workbook stopped the import with another error than a refusal: {e:?}"
            );
            // As the CLI prints an error (`console::say`).
            let said = vetted::console::visible(&format!("error: {e}"), true).into_owned();
            assert_printable("refusal", &said, false);
            assert_unchanged(s, "the workbook was refused");
        }
        Ok(QuestionnaireImportOutcome::Refused(r)) => {
            panic!("the fixture registry's policy was refused: {r:?}")
        }
        Ok(QuestionnaireImportOutcome::BadCells(problems)) => {
            assert!(!problems.is_empty(), "bad cells, but none listed");
            for p in &problems {
                let letters = p.cell.trim_end_matches(|c: char| c.is_ascii_digit());
                let digits = &p.cell[letters.len()..];
                assert!(
                    !letters.is_empty()
                        && letters.bytes().all(|b| b.is_ascii_uppercase())
                        && digits.parse::<u32>().is_ok_and(|n| n >= 1),
                    "not a cell reference: {p:?}"
                );
            }
            let shown = s.workbook.display().to_string();
            assert_printable(
                "bad cells",
                &vetted::questionnaire::problems_text(&shown, &problems),
                false,
            );
            assert_unchanged(s, "the workbook has bad cells");
        }
        Ok(QuestionnaireImportOutcome::Imported(done)) => {
            assert_eq!(
                done.written,
                !done.changes.is_empty(),
                "answers.toml written {} with {} change(s)",
                done.written,
                done.changes.len()
            );
            let text = vetted::questionnaire::changes_text(
                &done.answers_file,
                &done.changes,
                done.written,
            );
            assert_printable("changes", &text, false);
            if let Some(d) = &done.diff {
                let md = vetted::diff::render(d, vetted::diff::Format::Markdown);
                assert_printable("changes (diff)", &md, true);
            }
            if done.written {
                check_written(s, &done);
            } else {
                assert_unchanged(s, "no answer changed");
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let s = setup();
    if data.starts_with(b"PK") {
        fs::write(&s.workbook, data).expect("cannot write the workbook");
    } else {
        fs::write(&s.workbook, zipped(s, data)).expect("cannot write the workbook");
    }
    let opts = QuestionnaireImportOptions {
        registry: s.registry.clone(),
        today: s.today,
        vendor: VENDOR.to_string(),
        workbook: s.workbook.clone(),
        dry_run: false,
    };
    check_outcome(s, command::questionnaire_import(&opts));
    if fs::read(&s.answers).ok().as_deref() != Some(s.original.as_slice()) {
        fs::write(&s.answers, &s.original).expect("cannot put answers.toml back");
    }
});
