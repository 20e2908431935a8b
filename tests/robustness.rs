//! Random and truncated bytes in every kind of registry file: vetted never
//! panics, and every rejected file gets a diagnostic located in that file.

mod common;

use std::fs;
use std::path::Path;

use vetted::RegistryOptions;

const FILES: &[&str] = &[
    "vetted.toml",
    "questionnaire.toml",
    "tiers.toml",
    "artifact-kinds.toml",
    "vendors/acme-infusion/vendor.toml",
    "vendors/acme-infusion/answers.toml",
    "vendors/acme-infusion/artifacts.toml",
    "vendors/acme-infusion/findings.toml",
    "vendors/acme-infusion/exceptions.toml",
    "vendors/acme-infusion/notes.md",
];

const FINDINGS: &str = "[[finding]]\nid = \"F-1\"\ntitle = \"Telnet open\"\nseverity = \"high\"\nopened = 2026-01-05\ndue = 2026-03-01\n";
const EXCEPTIONS: &str = "[[exception]]\nid = \"X-1\"\naccepts = \"finding:F-1\"\nreason = \"Isolated VLAN\"\napprover = \"CISO\"\napproved = 2026-01-10\nexpires = 2026-12-31\n";

/// xorshift64*: a small deterministic generator, so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn check(reg: &Path) -> vetted::Checked {
    let opts = RegistryOptions {
        registry: reg.to_path_buf(),
        today: "2026-11-22".parse().unwrap(),
    };
    vetted::load_and_validate(&opts).expect("registry folder exists")
}

/// The mutated file is either accepted (no error in it) or rejected with an
/// error located in it, at a real line and column.
fn assert_located(reg: &Path, file: &str, what: &str) {
    let checked = check(reg);
    let errors_elsewhere = checked
        .diagnostics
        .iter()
        .filter(|d| &*d.loc.path != file)
        .count();
    let here: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| &*d.loc.path == file)
        .collect();
    // A location inside the file: a line the file has (the last one may be
    // the empty line after a final line break).
    let lines = std::fs::read(reg.join(file))
        .map(|b| b.split(|c| *c == b'\n').count())
        .unwrap_or(1);
    for d in &here {
        assert!(
            d.loc.line >= 1 && d.loc.column >= 1,
            "{file} ({what}): unlocated {d:?}"
        );
        assert!(
            d.loc.line as usize <= lines.max(1),
            "{file} ({what}): line {} of a {lines}-line file: {d:?}",
            d.loc.line
        );
    }
    let vendor_missing = file.starts_with("vendors/")
        && !file.ends_with("notes.md")
        && checked
            .registry
            .as_ref()
            .is_some_and(|r| r.vendors.iter().all(|v| v.slug != "acme-infusion"));
    // A vendor dropped from the registry must be explained by a diagnostic in its file.
    if vendor_missing {
        assert!(
            !here.is_empty() || errors_elsewhere > 0,
            "{file} ({what}): vendor dropped silently"
        );
    }
    if checked.registry.is_none() {
        assert!(
            !checked.diagnostics.is_empty(),
            "{file} ({what}): registry rejected silently"
        );
    }
}

/// The minimal fixture plus a findings and an exceptions file, so every kind of file is present.
fn full_registry() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = common::registry("minimal", None);
    let reg = tmp.path().join("reg");
    fs::write(reg.join("vendors/acme-infusion/findings.toml"), FINDINGS).unwrap();
    fs::write(
        reg.join("vendors/acme-infusion/exceptions.toml"),
        EXCEPTIONS,
    )
    .unwrap();
    let clean = check(&reg);
    assert!(clean.diagnostics.is_empty(), "{:?}", clean.diagnostics);
    (tmp, reg)
}

#[test]
fn garbage_and_truncation_never_panic_and_are_located() {
    let (_tmp, reg) = full_registry();
    let mut rng = Rng(0x5eed_cafe_f00d_d00d);
    let mut runs = 0;
    for file in FILES {
        let path = reg.join(file);
        let original = fs::read(&path).unwrap();

        // Every truncation point on a stride, plus every line boundary.
        let mut cuts: Vec<usize> = (0..original.len()).step_by(7).collect();
        cuts.extend(
            original
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i),
        );
        for cut in cuts {
            fs::write(&path, &original[..cut]).unwrap();
            assert_located(&reg, file, &format!("truncated at {cut}"));
            runs += 1;
        }
        // Random bytes.
        for i in 0..40 {
            let len = rng.below(400);
            let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            fs::write(&path, &bytes).unwrap();
            let checked = check(&reg);
            if !file.ends_with(".md") && len > 0 {
                assert!(
                    checked.diagnostics.iter().any(|d| &*d.loc.path == *file),
                    "{file}: random bytes #{i} accepted without a diagnostic"
                );
            }
            assert_located(&reg, file, &format!("random #{i}"));
            runs += 1;
        }
        // Random single-byte mutations of the valid file: flips, TOML punctuation.
        for i in 0..60 {
            let mut bytes = original.clone();
            let at = rng.below(bytes.len());
            let pick = b"[]{}=\"'#\n\\.,0-:\xff\xc3";
            bytes[at] = if i % 2 == 0 {
                pick[rng.below(pick.len())]
            } else {
                rng.next() as u8
            };
            fs::write(&path, &bytes).unwrap();
            assert_located(&reg, file, &format!("mutation #{i} at byte {at}"));
            runs += 1;
        }
        fs::write(&path, &original).unwrap();
    }
    assert!(runs > 1000, "only {runs} inputs tried");
}

#[test]
fn the_binary_exits_1_or_2_never_101_on_garbage() {
    let (tmp, reg) = full_registry();
    let mut rng = Rng(42);
    for file in FILES.iter().filter(|f| f.ends_with(".toml")) {
        let path = reg.join(file);
        let original = fs::read(&path).unwrap();
        let bytes: Vec<u8> = (0..200).map(|_| rng.next() as u8).collect();
        fs::write(&path, &bytes).unwrap();
        let run = common::vetted(
            tmp.path(),
            &["check", "--registry", "reg", "--today", "2026-11-22"],
        );
        assert!(
            run.code == 1 || run.code == 2,
            "{file}: exit {} \n{}{}",
            run.code,
            run.stdout,
            run.stderr
        );
        assert!(
            run.stdout.contains(&format!("reg/{file}:")),
            "{file}: not located in\n{}",
            run.stdout
        );
        fs::write(&path, &original).unwrap();
    }
}
