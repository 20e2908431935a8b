//! The whole authoring round trip a new registry goes through, with the real
//! binary and independent tools on the vendor's side: `init`, `new`, the
//! questionnaire exported, filled as a vendor fills it (openpyxl writing the
//! cells, then LibreOffice re-saving the workbook as a spreadsheet
//! application does), imported, `check`ed and `build`; the vendor's page
//! shows the imported answers and where they came from.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{Run, vetted};
use serde_json::Value;

const TODAY: &str = "2026-11-29";
/// Free text as the vendor types it: markup and quotes that must reach the
/// page as text.
const TEXT: &str = "Handled by the <b>security</b> team & \"PSIRT\"";

fn ok(run: &Run) {
    assert_eq!(
        run.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
}

/// The workbook as a vendor returns it: every answer filled in by openpyxl
/// from the sheet's own type and allowed-values columns, the respondent's
/// cells too.
fn fill_like_a_vendor(from: &Path, to: &Path) -> usize {
    let out = Command::new(common::test_python())
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/fill_like_a_vendor.py"))
        .arg(from)
        .arg(to)
        .args(["Dana Okafor", "dana@acme.example", "2026-11-20", TEXT])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

/// `workbook` opened and saved again by LibreOffice Calc (headless, with a
/// private profile): the file a spreadsheet application writes.
fn resave_with_libreoffice(dir: &Path, workbook: &Path) -> std::path::PathBuf {
    let out = dir.join("libreoffice");
    let profile = format!("file://{}", dir.join("lo-profile").display());
    let run = Command::new("soffice")
        .args(["--headless", &format!("-env:UserInstallation={profile}")])
        .args(["--convert-to", "xlsx", "--outdir"])
        .arg(&out)
        .arg(workbook)
        .output()
        .expect("soffice is missing: run scripts/install-test-deps (LibreOffice Calc)");
    let resaved = out.join(workbook.file_name().unwrap());
    assert!(
        resaved.is_file(),
        "soffice wrote nothing: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    resaved
}

fn codes(dir: &Path) -> Vec<String> {
    let run = vetted(dir, &["check", "--today", TODAY, "--format", "json"]);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn init_new_questionnaire_out_and_back_check_and_build() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    ok(&vetted(dir, &["init"]));
    ok(&vetted(
        dir,
        &[
            "new",
            "acme-infusion",
            "--name",
            "Acme Infusion",
            "--category",
            "infusion-pump",
            "--tier",
            "2",
        ],
    ));
    let fresh = codes(dir);
    assert!(
        fresh.iter().any(|c| c == "E1102"),
        "unanswered questions: {fresh:?}"
    );

    // Out to the vendor, and back filled in.
    let sent = dir.join("acme-questionnaire.xlsx");
    ok(&vetted(
        dir,
        &[
            "questionnaire",
            "export",
            "--vendor",
            "acme-infusion",
            "--today",
            TODAY,
            "--out",
            sent.to_str().unwrap(),
        ],
    ));
    let returned = dir.join("returned").join("acme-questionnaire.xlsx");
    fs::create_dir_all(returned.parent().unwrap()).unwrap();
    let answered = fill_like_a_vendor(&sent, &returned);
    let policy: toml::Table =
        toml::from_str(&fs::read_to_string(dir.join("registry/questionnaire.toml")).unwrap())
            .unwrap();
    let questions: usize = policy["section"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["question"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(answered, questions, "a row per question");
    let resaved = resave_with_libreoffice(dir, &returned);
    let import = vetted(
        dir,
        &[
            "questionnaire",
            "import",
            "--vendor",
            "acme-infusion",
            "--today",
            TODAY,
            resaved.to_str().unwrap(),
        ],
    );
    ok(&import);
    assert!(
        import.stdout.contains("standards.scope_statement"),
        "{}",
        import.stdout
    );

    // Every question answered, nothing that breaks the data contract; what
    // is left is the assessment (evidence to file, red flags of the answers).
    let after = codes(dir);
    assert!(!after.iter().any(|c| c == "E1102"), "{after:?}");
    assert!(!after.iter().any(|c| c.starts_with("E0")), "{after:?}");
    let answers =
        fs::read_to_string(dir.join("registry/vendors/acme-infusion/answers.toml")).unwrap();
    let parsed: toml::Table = toml::from_str(&answers).unwrap();
    assert_eq!(
        parsed["provenance"]["respondent"].as_str(),
        Some("Dana Okafor")
    );
    assert_eq!(
        parsed["provenance"]["file"].as_str(),
        Some("acme-questionnaire.xlsx")
    );

    // Published: the page shows the answers, as text, and their provenance.
    ok(&vetted(dir, &["build", "--today", TODAY, "--out", "site"]));
    let page = fs::read_to_string(dir.join("site/vendors/acme-infusion/index.html")).unwrap();
    assert!(
        page.contains("Handled by the &lt;b&gt;security&lt;&#x2F;b&gt; team")
            || page.contains("Handled by the &lt;b&gt;security&lt;/b&gt; team"),
        "the vendor's text, escaped"
    );
    assert!(!page.contains("<b>security</b>"));
    let source = page
        .split("answers-source")
        .nth(1)
        .and_then(|s| s.split("</p>").next())
        .expect("the answers' provenance line");
    for want in [
        "acme-questionnaire.xlsx",
        "Dana Okafor",
        "2026-11-20",
        TODAY,
    ] {
        assert!(source.contains(want), "{want} in {source}");
    }
}
