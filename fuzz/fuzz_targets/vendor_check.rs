//! `vetted check` on a registry of one vendor folder cut from the input (see
//! the input format in src/lib.rs): load, validate and assess, then print the
//! diagnostics in every format and the tier table, as the CLI does.
//!
//! Invariants: nothing panics; every diagnostic is located (line and column
//! from 1); a rejected registry or a dropped vendor is explained by a
//! diagnostic; what reaches a terminal or CI log (human output, plain and
//! coloured, through the CLI's `Inert` filter; the tier table; `--format
//! github`) holds no raw control or invisible formatting character and no
//! GitHub Actions workflow command, and neither does the library's own
//! `report::human` and `report::vendor_table`; `--format github` is one
//! well-formed command per diagnostic; JSON output stays JSON with the same
//! values; coloured output is the plain output plus colour.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use vetted::RegistryOptions;
use vetted::report::{self, PathDisplay};
use vetted_fuzz::*;

struct Setup {
    registry: PathBuf,
    today: vetted::model::Date,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        single_threaded();
        Setup {
            registry: policy_registry(&scratch().join("registry")),
            today: today(),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let s = setup();
    let vendor = VendorInput::parse(data);
    vendor.write(&s.registry);
    let opts = RegistryOptions {
        registry: s.registry.clone(),
        today: s.today,
    };
    let report = vetted::check(&opts).expect("the registry folder exists");
    let diags = &report.diagnostics;

    // Located, and nothing rejected or dropped silently.
    for d in diags {
        assert!(d.loc.line >= 1 && d.loc.column >= 1, "unlocated: {d:?}");
        if let Some(src) = report.checked.sources.get(&d.loc.path) {
            if d.loc.end > 0 {
                assert!(
                    src.line_text(d.loc.line).is_some(),
                    "line {} is past the end of {}: {d:?}",
                    d.loc.line,
                    d.loc.path
                );
            }
        }
    }
    let has_error = diags
        .iter()
        .any(|d| d.severity == vetted::diag::Severity::Error);
    match &report.checked.registry {
        None => assert!(has_error, "registry rejected without an error"),
        Some(reg) => assert!(
            !reg.vendors.is_empty() || vendor.hidden() || has_error,
            "vendor dropped without an error"
        ),
    }

    // What `vetted check` prints, as main.rs writes it (relative paths, as a
    // CI run with `--registry registry` shows them).
    let paths = PathDisplay::new(Path::new("registry"));
    let sources = &report.checked.sources;
    let human = |color: bool| {
        through_inert(Style::Text, |out| {
            report::write_human(diags, sources, &paths, color, out).expect("in memory");
            if let (Some(reg), Some(a)) = (&report.checked.registry, &report.assessment) {
                out.write_all(report::vendor_table(reg, a).as_bytes())
                    .expect("in memory");
            }
            writeln!(
                out,
                "checked: {}",
                report::summary_line(vetted::diag::Tally::of(diags))
            )
            .expect("in memory");
        })
    };
    let plain = human(false);
    assert_visible("human", &plain, false);
    assert_inert("human", &plain);
    let coloured = human(true);
    assert_visible("human (colour)", &coloured, true);
    assert_inert("human (colour)", &coloured);
    assert_eq!(
        strip_sgr(&coloured),
        plain,
        "coloured output differs from plain output by more than colour"
    );

    // The library's renderers are inert by themselves too, for callers
    // other than the CLI.
    let unfiltered = report::human(diags, sources, &paths, false);
    assert_visible("report::human", &unfiltered, false);
    assert_inert("report::human", &unfiltered);
    if let (Some(reg), Some(a)) = (&report.checked.registry, &report.assessment) {
        let table = report::vendor_table(reg, a);
        assert_visible("report::vendor_table", &table, false);
        assert_inert("report::vendor_table", &table);
    }

    assert_github(&report::github(diags, &paths), diags.len());

    let vendors = match (&report.checked.registry, &report.assessment) {
        (Some(reg), Some(a)) => report::json_vendors(reg, a),
        _ => serde_json::Value::Array(vec![]),
    };
    let value = serde_json::json!({
        "version": 1,
        "today": TODAY,
        "vendors": vendors,
        "diagnostics": report::json_diagnostics(diags, &paths),
    });
    let json = through_inert(Style::Json, |out| {
        serde_json::to_writer_pretty(&mut *out, &value).expect("in memory");
        out.write_all(b"\n").expect("in memory");
    });
    assert_visible("json", &json, false);
    assert_inert("json", &json);
    let back: serde_json::Value =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("json: not JSON ({e}): {json}"));
    assert_eq!(back, value, "json: the output filter changed a value");
    let _ = report.contract_errors();
    let _ = report.is_invalid();
});
