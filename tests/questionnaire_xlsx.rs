//! `vetted questionnaire export` and `import`: the vendor questionnaire as a
//! spreadsheet round trip, proven with independent tools: openpyxl reads
//! the exported workbook (drop-downs, date cells, protection, pre-filled
//! answers) and fills it as a vendor would (tests/python/fill_questionnaire.py),
//! and LibreOffice (headless `soffice`, Debian's package installed by
//! scripts/install-test-deps) re-saves it, as a vendor's spreadsheet
//! application would, before it is imported. Bad cells are each reported
//! with their sheet and cell and nothing is written; hostile workbooks are
//! refused whole.

mod common;

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{copy_dir, test_python, vetted};
use serde_json::Value;
use vetted::model::{AnswerValue, QuestionType};

const TODAY: &str = "2026-11-29";
const VENDOR: &str = "belltower-nursecall";

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("registry")
}

/// A copy of the example registry in a temporary folder.
fn example_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let reg = tmp.path().join("registry");
    copy_dir(&example(), &reg);
    (tmp, reg)
}

fn run(dir: &Path, args: &[&str]) -> common::Run {
    let mut all = args.to_vec();
    all.extend_from_slice(&["--today", TODAY]);
    vetted(dir, &all)
}

fn export(dir: &Path, reg: &Path, out: &str, blank: bool) -> PathBuf {
    let mut args = vec![
        "questionnaire",
        "export",
        "--registry",
        reg.to_str().unwrap(),
        "--vendor",
        VENDOR,
        "--out",
        out,
    ];
    if blank {
        args.push("--blank");
    }
    let r = run(dir, &args);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    dir.join(out)
}

fn import(dir: &Path, reg: &Path, workbook: &Path) -> common::Run {
    run(
        dir,
        &[
            "questionnaire",
            "import",
            "--registry",
            reg.to_str().unwrap(),
            "--vendor",
            VENDOR,
            workbook.to_str().unwrap(),
        ],
    )
}

fn python(args: &[&str]) -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/fill_questionnaire.py");
    let out = Command::new(test_python())
        .arg(script)
        .args(args)
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "fill_questionnaire.py {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn inspect(workbook: &Path) -> Value {
    serde_json::from_str(&python(&["inspect", workbook.to_str().unwrap()])).unwrap()
}

fn fill(from: &Path, to: &Path, edits: &str) {
    python(&["fill", from.to_str().unwrap(), to.to_str().unwrap(), edits]);
}

/// The example registry's questionnaire and the vendor's checked answers.
fn registry() -> vetted::model::Registry {
    vetted::load_and_validate(&vetted::RegistryOptions {
        registry: example(),
        today: vetted::parse_date(TODAY).unwrap(),
    })
    .unwrap()
    .registry
    .unwrap()
}

/// What openpyxl reads from an answer cell, for an answer.
fn as_cell(v: &AnswerValue) -> Value {
    match v {
        AnswerValue::Date(d) => serde_json::json!({ "date": d.to_string() }),
        AnswerValue::Integer(i) => serde_json::json!(i),
        other => Value::String(vetted::questionnaire::answer_text(other)),
    }
}

#[test]
fn the_exported_workbook_has_drop_downs_dates_protection_and_the_answers() {
    let tmp = tempfile::tempdir().unwrap();
    let wb = export(tmp.path(), &example(), "q.xlsx", false);
    let book = inspect(&wb);
    let reg = registry();
    let vendor = reg.vendors.iter().find(|v| v.slug == VENDOR).unwrap();
    assert_eq!(
        book["sheets"],
        serde_json::json!(["Instructions", "Questionnaire", "vetted"])
    );
    assert_eq!(book["hidden"], serde_json::json!(["vetted"]));
    for sheet in ["Instructions", "Questionnaire", "vetted"] {
        assert_eq!(book["protected"][sheet], true, "{sheet}");
    }
    assert_eq!(book["freeze"], "A2");
    assert_eq!(book["meta"]["vendor"], VENDOR);
    assert_eq!(
        book["meta"]["questionnaire"],
        vetted::questionnaire::fingerprint(&reg.questionnaire)
    );
    assert_eq!(book["created"], format!("{TODAY}T00:00:00"));
    for label in ["Respondent name", "Respondent email", "Date completed"] {
        assert_eq!(book["instructions"][label]["locked"], false, "{label}");
    }
    assert_eq!(
        book["instructions"]["Date completed"]["validation"]["type"],
        "date"
    );
    let rows = book["rows"].as_object().unwrap();
    let mut seen = 0;
    for s in &reg.questionnaire.sections {
        for q in &s.questions {
            let row = &rows[&format!("{}.{}", s.id, q.id)];
            seen += 1;
            assert_eq!(row["locked"], false, "{row}");
            assert_eq!(row["id_locked"], true, "{row}");
            let dv = &row["validation"];
            match q.kind {
                QuestionType::Choice => {
                    assert_eq!(dv["type"], "list");
                    assert_eq!(dv["values"], serde_json::json!(q.options), "{}", q.id);
                }
                QuestionType::Bool => assert_eq!(dv["values"], serde_json::json!(["yes", "no"])),
                QuestionType::Date => {
                    assert_eq!(dv["type"], "date");
                    assert_eq!(row["number_format"], "yyyy-mm-dd");
                }
                QuestionType::Integer => assert_eq!(dv["type"], "whole"),
                _ => {}
            }
            let answer = vendor.answers.get(&s.id).and_then(|a| a.get(&q.id));
            match answer {
                Some(a) => {
                    assert_eq!(row["value"], as_cell(&a.value), "{}.{}", s.id, q.id);
                    if q.kind == QuestionType::Date {
                        assert_eq!(row["is_date"], true);
                    }
                }
                None => assert_eq!(row["value"], Value::Null, "{}.{}", s.id, q.id),
            }
        }
    }
    assert_eq!(rows.len(), seen);
}

#[test]
fn the_same_registry_and_day_give_the_same_bytes_and_blank_leaves_answers_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let a = export(tmp.path(), &example(), "a.xlsx", false);
    let b = export(tmp.path(), &example(), "b.xlsx", false);
    assert_eq!(fs::read(&a).unwrap(), fs::read(&b).unwrap());
    let blank = inspect(&export(tmp.path(), &example(), "blank.xlsx", true));
    for row in blank["rows"].as_object().unwrap().values() {
        assert_eq!(row["value"], Value::Null, "{row}");
    }
    // A vendor folder without answers yet: only with --blank.
    let (_keep, reg) = example_copy();
    fs::remove_file(answers_path(&reg)).unwrap();
    let refused = run(
        tmp.path(),
        &[
            "questionnaire",
            "export",
            "--registry",
            reg.to_str().unwrap(),
            "--vendor",
            VENDOR,
            "--out",
            "x.xlsx",
        ],
    );
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(refused.stderr.contains("--blank"), "{}", refused.stderr);
    let new = export(tmp.path(), &reg, "new.xlsx", true);
    // Its first answers create answers.toml.
    let filled = tmp.path().join("first.xlsx");
    fill(
        &new,
        &filled,
        r#"[["Questionnaire", "sbom.sbom_available", "no"], ["Questionnaire", "standards.shares_audit_reports", true]]"#,
    );
    let r = import(tmp.path(), &reg, &filled);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let created = fs::read_to_string(answers_path(&reg)).unwrap();
    assert!(
        created.starts_with(
            "[standards]\nshares_audit_reports = true\n\n[sbom]\nsbom_available = false\n"
        ),
        "{created}"
    );
}

/// A vendor's edits: changed and new answers, and the respondent.
const EDITS: &str = r#"[
  ["Questionnaire", "standards.shares_audit_reports", "yes"],
  ["Questionnaire", "standards.latest_report_date", {"date": "2026-03-01"}],
  ["Questionnaire", "incident_response.engagement_hours", 24],
  ["Questionnaire", "vulnerability_management.patch_cadence", "monthly"],
  ["Questionnaire", "deployment.required_ports", {"text": "=TCP 443 to the cloud\nTCP 22"}],
  ["Instructions", "Respondent name", "Dana Okafor"],
  ["Instructions", "Respondent email", "dana@belltower.example"],
  ["Instructions", "Date completed", {"date": "2026-11-20"}]
]"#;

/// The answers.toml the edits give: exactly those lines changed, every
/// comment kept, and `[provenance]` added.
fn expected_answers(before: &str, file: &str) -> String {
    let swap = |text: String, from: &str, to: &str| {
        assert!(text.contains(from), "{from}");
        text.replacen(from, to, 1)
    };
    let mut want = swap(
        before.to_string(),
        "shares_audit_reports = false\n",
        "shares_audit_reports = true\nlatest_report_date = 2026-03-01\n",
    );
    want = swap(
        want,
        "patch_cadence = \"as-needed\"",
        "patch_cadence = \"monthly\"",
    );
    want = swap(want, "engagement_hours = 48", "engagement_hours = 24");
    let ports = before
        .lines()
        .find(|l| l.starts_with("required_ports = "))
        .unwrap();
    want = swap(
        want,
        ports,
        "required_ports = [\"=TCP 443 to the cloud\", \"TCP 22\"]",
    );
    want.push_str(&format!(
        "\n# Where these answers came from: written by `vetted questionnaire import`.\n\
         [provenance]\nfile = \"{file}\"\nimported = {TODAY}\nrespondent = \"Dana Okafor\"\n\
         respondent_email = \"dana@belltower.example\"\ncompleted = 2026-11-20\n"
    ));
    want
}

fn answers_path(reg: &Path) -> PathBuf {
    reg.join("vendors").join(VENDOR).join("answers.toml")
}

/// Import `workbook` into a fresh copy of the example and check the result.
fn imports_exactly_the_edits(workbook: &Path) {
    let (tmp, reg) = example_copy();
    let before = fs::read_to_string(answers_path(&reg)).unwrap();
    let r = import(tmp.path(), &reg, workbook);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("5 answer(s) changed")
            && r.stdout
                .contains("standards.shares_audit_reports: false → true")
            && r.stdout
                .contains("standards.latest_report_date: (unanswered) → 2026-03-01"),
        "{}",
        r.stdout
    );
    let file = workbook.file_name().unwrap().to_str().unwrap();
    let after = fs::read_to_string(answers_path(&reg)).unwrap();
    assert_eq!(after, expected_answers(&before, file));
    let check = run(
        tmp.path(),
        &[
            "check",
            "--registry",
            reg.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    let report: Value = serde_json::from_str(&check.stdout).unwrap();
    let contract: Vec<&Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error" && d["code"].as_str().unwrap().starts_with("E0"))
        .collect();
    assert!(contract.is_empty(), "{contract:#?}");
    // The same workbook again changes nothing and writes nothing.
    let again = import(tmp.path(), &reg, workbook);
    assert_eq!(again.code, 0);
    assert!(
        again.stdout.contains("no answer changes"),
        "{}",
        again.stdout
    );
    assert_eq!(fs::read_to_string(answers_path(&reg)).unwrap(), after);
}

#[test]
fn answers_filled_with_openpyxl_are_imported_in_place_keeping_comments() {
    let tmp = tempfile::tempdir().unwrap();
    let wb = export(tmp.path(), &example(), "q.xlsx", false);
    let filled = tmp.path().join("filled.xlsx");
    fill(&wb, &filled, EDITS);
    imports_exactly_the_edits(&filled);
}

#[test]
fn a_workbook_resaved_by_libreoffice_imports_the_same() {
    let tmp = tempfile::tempdir().unwrap();
    let wb = export(tmp.path(), &example(), "q.xlsx", false);
    let filled = tmp.path().join("filled.xlsx");
    fill(&wb, &filled, EDITS);
    let out = tmp.path().join("lo");
    let profile = format!("file://{}", tmp.path().join("lo-profile").display());
    let soffice = Command::new("soffice")
        .args(["--headless", &format!("-env:UserInstallation={profile}")])
        .args(["--convert-to", "xlsx", "--outdir"])
        .arg(&out)
        .arg(&filled)
        .output()
        .expect("soffice is missing: run scripts/install-test-deps (LibreOffice Calc)");
    let resaved = out.join("filled.xlsx");
    assert!(
        resaved.is_file(),
        "soffice wrote nothing: {}",
        String::from_utf8_lossy(&soffice.stderr)
    );
    assert_ne!(fs::read(&resaved).unwrap(), fs::read(&filled).unwrap());
    imports_exactly_the_edits(&resaved);
}

#[test]
fn every_bad_cell_is_reported_where_it_is_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let wb = export(tmp.path(), &example(), "q.xlsx", false);
    let bad = tmp.path().join("bad.xlsx");
    fill(
        &wb,
        &bad,
        r#"[
          ["Questionnaire", "vulnerability_management.patch_cadence", "weekly-ish"],
          ["Questionnaire", "standards.shares_audit_reports", "maybe"],
          ["Questionnaire", "incident_response.engagement_hours", "a day"],
          ["Questionnaire", "incident_response.rto_hours", "=1+1"],
          ["Questionnaire", "standards.frameworks", "iso27001\nmade-up"],
          ["Questionnaire", "vulnerability_management.support_years", 2.5],
          ["Questionnaire", "deployment.integration_security", {"delete_row": true}],
          ["vetted", "vendor", "another-vendor"],
          ["vetted", "questionnaire", "0123456789abcdef"]
        ]"#,
    );
    let (tmp2, reg) = example_copy();
    let before = fs::read(answers_path(&reg)).unwrap();
    let r = import(tmp2.path(), &reg, &bad);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let at = |cell: &str, text: &str| {
        let line = format!("bad.xlsx: {cell}: error: ");
        assert!(
            r.stdout
                .lines()
                .any(|l| l.contains(&line) && l.contains(text)),
            "no {cell} {text} in\n{}",
            r.stdout
        );
    };
    let book = inspect(&wb);
    let cell = |id: &str| {
        format!(
            "Questionnaire!{}",
            book["rows"][id]["cell"].as_str().unwrap()
        )
    };
    at(
        &cell("vulnerability_management.patch_cadence"),
        "`weekly-ish` is not an option",
    );
    at(
        &cell("standards.shares_audit_reports"),
        "`maybe` is not yes or no",
    );
    at(
        &cell("incident_response.engagement_hours"),
        "`a day` is not a whole number",
    );
    at(&cell("incident_response.rto_hours"), "a formula");
    at(&cell("standards.frameworks"), "`made-up` is not an option");
    at(
        &cell("vulnerability_management.support_years"),
        "`2.5` is not a whole number",
    );
    at("vetted!B1", "another-vendor");
    at("vetted!B2", "0123456789abcdef");
    assert_eq!(r.stdout.matches(": error: ").count(), 8, "{}", r.stdout);
    assert!(r.stderr.contains("8 invalid cell(s)"), "{}", r.stderr);
    assert!(r.stdout.contains("  = help: "));
    assert_eq!(fs::read(answers_path(&reg)).unwrap(), before);
}

/// `q.xlsx` with `extra` parts added and the Questionnaire sheet's XML
/// passed through `sheet`.
fn tampered(src: &Path, dst: &Path, sheet: impl Fn(String) -> String, extra: &[(&str, Vec<u8>)]) {
    let mut zip = zip::ZipArchive::new(fs::File::open(src).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(fs::File::create(dst).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut data).unwrap();
        if name == "xl/worksheets/sheet2.xml" {
            data = sheet(String::from_utf8(data).unwrap()).into_bytes();
        }
        out.start_file(name, opts).unwrap();
        out.write_all(&data).unwrap();
    }
    for (name, data) in extra {
        out.start_file(*name, opts).unwrap();
        out.write_all(data).unwrap();
    }
    out.finish().unwrap();
}

#[test]
fn hostile_workbooks_are_refused_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let wb = export(tmp.path(), &example(), "q.xlsx", false);
    let (tmp2, reg) = example_copy();
    let before = fs::read(answers_path(&reg)).unwrap();
    let refused = |path: &Path, why: &str| {
        let r = import(tmp2.path(), &reg, path);
        assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
        assert!(
            r.stderr.contains("refusing the workbook") && r.stderr.contains(why),
            "{}",
            r.stderr
        );
        assert_eq!(fs::read(answers_path(&reg)).unwrap(), before);
    };
    // A sheet declaring the largest dimension, with a cell in its last row.
    let huge = tmp.path().join("huge.xlsx");
    tampered(
        &wb,
        &huge,
        |xml| {
            let xml = regex_free_dimension(&xml);
            xml.replace(
                "</sheetData>",
                "<row r=\"1048576\"><c r=\"XFD1048576\" t=\"inlineStr\"><is><t>x</t></is></c></row></sheetData>",
            )
        },
        &[],
    );
    refused(&huge, "past row");
    // A zip bomb: 200 MiB of zeros packed into a few hundred KiB.
    let bomb = tmp.path().join("bomb.xlsx");
    tampered(
        &wb,
        &bomb,
        |x| x,
        &[("xl/media/bomb.bin", vec![0u8; 200 << 20])],
    );
    assert!(fs::metadata(&bomb).unwrap().len() < 1 << 20);
    refused(&bomb, "unpack to more than");
    // Too large a file, and not a workbook at all.
    let big = tmp.path().join("big.xlsx");
    fs::write(
        &big,
        vec![b'x'; (vetted::questionnaire::MAX_WORKBOOK_BYTES + 1) as usize],
    )
    .unwrap();
    refused(&big, "bytes, over the");
    let text = tmp.path().join("text.xlsx");
    fs::write(&text, "id,answer\n").unwrap();
    refused(&text, "not an .xlsx workbook");
}

/// The sheet's `<dimension ref=…>` set to the whole sheet.
fn regex_free_dimension(xml: &str) -> String {
    let start = xml.find("<dimension ref=\"").expect("a dimension") + "<dimension ref=\"".len();
    let end = start + xml[start..].find('"').unwrap();
    format!("{}A1:XFD1048576{}", &xml[..start], &xml[end..])
}

#[test]
fn the_vendor_page_shows_where_the_answers_came_from_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    let wb = export(tmp.path(), &example(), "q.xlsx", false);
    let filled = tmp.path().join("from-vendor.xlsx");
    fill(
        &wb,
        &filled,
        r#"[
          ["Questionnaire", "incident_response.engagement_hours", 12],
          ["Instructions", "Respondent name", "<script>alert(1)</script> Dana"],
          ["Instructions", "Respondent email", "dana@belltower.example"],
          ["Instructions", "Date completed", {"date": "2026-11-20"}]
        ]"#,
    );
    let (tmp2, reg) = example_copy();
    let r = import(tmp2.path(), &reg, &filled);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let site = tmp2.path().join("site");
    let b = run(
        tmp2.path(),
        &[
            "build",
            "--registry",
            reg.to_str().unwrap(),
            "--out",
            site.to_str().unwrap(),
        ],
    );
    assert_eq!(b.code, 0, "{}{}", b.stdout, b.stderr);
    let page = fs::read_to_string(site.join("vendors").join(VENDOR).join("index.html")).unwrap();
    assert!(
        page.contains(&format!(
            "Imported on {TODAY} from the questionnaire workbook <code>from-vendor.xlsx</code>, \
             completed by &lt;script&gt;alert(1)&lt;/script&gt; Dana &lt;dana@belltower.example&gt; on 2026-11-20."
        )),
        "{}",
        page.lines().filter(|l| l.contains("answers-source")).collect::<Vec<_>>().join("\n")
    );
    assert!(!page.contains("<script>alert"));
}

#[test]
fn registry_text_that_looks_like_a_formula_is_written_as_text() {
    let (tmp, reg) = example_copy();
    let q = reg.join("questionnaire.toml");
    let text = fs::read_to_string(&q).unwrap();
    let prompt = "prompt = \"Which security and privacy frameworks does your organisation follow or hold certification against?\"";
    assert!(text.contains(prompt));
    let text = text
        .replacen(
            prompt,
            "prompt = '=HYPERLINK(\"https://evil.example\",\"click\")'",
            1,
        )
        .replacen(
            "title = \"Security standards and proof\"",
            "title = \"@SUM(A1:A9)\"",
            1,
        );
    // Options over Excel's 255 characters for an inline list: the drop-down
    // reads them from a hidden sheet instead.
    let cadence = r#"options = ["monthly", "quarterly", "semi-annual", "annual", "as-needed"]"#;
    let mut long: Vec<String> = ["monthly", "quarterly", "semi-annual", "annual", "as-needed"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    long.extend((0..20).map(|i| format!("a-rather-long-release-schedule-{i}")));
    let text = text.replacen(cadence, &format!("options = {long:?}"), 1);
    fs::write(&q, text).unwrap();
    let wb = export(tmp.path(), &reg, "q.xlsx", false);
    let book = inspect(&wb);
    let cadence = &book["rows"]["vulnerability_management.patch_cadence"];
    assert_eq!(cadence["validation"]["values"], serde_json::json!(long));
    assert_eq!(cadence["value"], "as-needed");
    assert!(
        book["hidden"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("Lists"))
    );
    let texts = &book["rows"]["standards.frameworks"]["texts"];
    assert_eq!(texts[1], serde_json::json!(["@SUM(A1:A9)", "s"]));
    assert_eq!(
        texts[2],
        serde_json::json!(["=HYPERLINK(\"https://evil.example\",\"click\")", "s"])
    );
    let mut zip = zip::ZipArchive::new(fs::File::open(&wb).unwrap()).unwrap();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut xml = String::new();
        if entry.name().starts_with("xl/worksheets/") {
            std::io::Read::read_to_string(&mut entry, &mut xml).unwrap();
            assert!(
                !xml.contains("<f>") && !xml.contains("<f "),
                "a formula in {}",
                entry.name()
            );
        }
    }
}
