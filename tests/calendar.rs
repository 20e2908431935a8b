//! `vetted calendar` and the site's `calendar.ics`: an RFC 5545 calendar of
//! every dated event, with identifiers that survive a date change, written
//! atomically, refused (and nothing written) for a registry that breaks the
//! data contract. The file is also parsed by an independent reader
//! (tests/python/validate_ics.py, with the `icalendar` package).

mod common;

use std::fs;
use std::path::Path;

use common::{registry, vetted};

const TODAY: &str = "2026-11-29";

fn example() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The UID of the event whose SUMMARY (unfolded) starts with `summary`.
fn uid_of(ics: &str, summary: &str) -> Option<String> {
    let unfolded = ics.replace("\r\n ", "");
    unfolded.split("BEGIN:VEVENT").skip(1).find_map(|event| {
        let has = event.lines().any(|l| {
            l.strip_prefix("SUMMARY:")
                .is_some_and(|s| s.starts_with(summary))
        });
        has.then(|| {
            event
                .lines()
                .find_map(|l| l.strip_prefix("UID:"))
                .unwrap_or_default()
                .to_string()
        })
    })
}

#[test]
fn the_example_calendar_holds_every_kind_of_event_with_unique_ids() {
    let run = vetted(example(), &["calendar", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ics = &run.stdout;
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    let unfolded = ics.replace("\r\n ", "");
    for kind in [
        "artifact",
        "review",
        "exception",
        "finding",
        "renewal",
        "end-of-support",
    ] {
        assert!(
            unfolded.contains(&format!("\r\nCATEGORIES:{kind}\r\n")),
            "no {kind} event"
        );
    }
    let uids: Vec<&str> = unfolded
        .split("\r\n")
        .filter_map(|l| l.strip_prefix("UID:"))
        .collect();
    let mut unique = uids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(uids.len(), unique.len(), "every UID once");
    assert_eq!(
        uids.len(),
        unfolded.matches("BEGIN:VEVENT").count(),
        "one UID per event"
    );
    // A renewal before the signature (Meridian, E1010) is no event.
    assert!(!unfolded.contains("DTSTART;VALUE=DATE:20191031"));
    // Deterministic.
    assert_eq!(
        vetted(example(), &["calendar", "--today", TODAY]).stdout,
        *ics
    );
}

#[test]
fn a_moved_date_keeps_its_event_id_and_the_file_is_written_whole() {
    let tmp = registry("minimal", None);
    let reg = tmp.path().join("reg");
    let out = tmp.path().join("cal.ics");
    let args = [
        "calendar",
        "--registry",
        "reg",
        "--today",
        "2026-11-22",
        "--out",
        "cal.ics",
    ];
    let run = vetted(tmp.path(), &args);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    let before = fs::read_to_string(&out).unwrap();
    let renewal = "Contract renewal: CloudSched";
    let id = uid_of(&before, renewal).expect("a renewal event");
    assert!(before.contains("DTSTART;VALUE=DATE:20270115"));
    let vendor = reg.join("vendors/cloudsched/vendor.toml");
    let text = fs::read_to_string(&vendor).unwrap();
    fs::write(
        &vendor,
        text.replace("renewal = 2027-01-15", "renewal = 2027-02-15"),
    )
    .unwrap();
    assert_eq!(vetted(tmp.path(), &args).code, 0);
    let after = fs::read_to_string(&out).unwrap();
    assert!(after.contains("DTSTART;VALUE=DATE:20270215"));
    assert_eq!(
        uid_of(&after, renewal),
        Some(id),
        "a subscribed calendar moves the event instead of adding one"
    );
    // No temporary file is left beside it.
    let names: Vec<String> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn a_registry_that_breaks_the_data_contract_gets_no_calendar() {
    let tmp = common::contract_broken_registry();
    fs::write(tmp.path().join("cal.ics"), "previous").unwrap();
    let run = vetted(
        tmp.path(),
        &[
            "calendar",
            "--registry",
            "reg",
            "--today",
            "2026-11-22",
            "--out",
            "cal.ics",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("E0105"), "{}", run.stderr);
    assert_eq!(
        fs::read_to_string(tmp.path().join("cal.ics")).unwrap(),
        "previous",
        "the previous calendar is left as it was"
    );
}

#[test]
fn build_publishes_the_same_calendar_and_the_calendar_page_links_it() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let run = vetted(
        example(),
        &[
            "build",
            "--today",
            TODAY,
            "--out",
            site.to_str().unwrap(),
            "--cache-dir",
            tmp.path().join("cache").to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let published = fs::read_to_string(site.join("calendar.ics")).unwrap();
    let printed = vetted(example(), &["calendar", "--today", TODAY]).stdout;
    assert_eq!(published, printed);
    let page = fs::read_to_string(site.join("calendar/index.html")).unwrap();
    assert!(
        page.contains("href=\"../calendar.ics\""),
        "the page links it"
    );
}

#[test]
fn an_independent_icalendar_reader_accepts_the_calendar() {
    let python = common::test_python();
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("example.ics");
    let run = vetted(
        example(),
        &[
            "calendar",
            "--today",
            TODAY,
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let events = vetted(example(), &["calendar", "--today", TODAY])
        .stdout
        .matches("BEGIN:VEVENT")
        .count();
    let out = std::process::Command::new(&python)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/validate_ics.py"))
        .arg(&file)
        .arg(events.to_string())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
