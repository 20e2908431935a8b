//! `vetted diff`: the semantic change between two versions of the registry,
//! as Markdown for a pull-request comment or as JSON.
//!
//! Both versions are loaded, validated and assessed exactly as `check` does;
//! the comparison is then of what a reviewer cares about: vendors added and
//! removed, field changes, tier and status changes, red flags raised and
//! resolved, artifact status changes, findings opened and closed, and new
//! problems (which decide the exit code).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::assess::Assessed;
use crate::console::Style;
use crate::diag::{Diagnostic, Severity};
use crate::history::semantic::{self, FieldChange};
use crate::model::Vendor;
use crate::{CheckReport, FailOn};

#[derive(Debug, Serialize)]
pub struct RegistryDiff {
    pub base: String,
    pub head: String,
    pub added: Vec<VendorSummary>,
    pub removed: Vec<VendorSummary>,
    pub changed: Vec<VendorDiff>,
    pub policy: Vec<FieldChange>,
    /// Problems present at head and not at base.
    pub new_problems: Vec<Problem>,
    /// Problems present at base and gone at head.
    pub resolved_problems: Vec<Problem>,
}

#[derive(Debug, Serialize)]
pub struct VendorSummary {
    pub slug: String,
    pub name: String,
    pub tier: u8,
    pub status: String,
    pub decision: String,
}

#[derive(Debug, Serialize)]
pub struct VendorDiff {
    pub slug: String,
    pub name: String,
    pub tier: (u8, u8),
    pub status: (String, String),
    /// The decision at base and at head ("Approved", "Not approved", …).
    pub decision: (String, String),
    /// Why the head decision is what it is (what refuses approval, or its conditions).
    pub decision_reasons: Vec<String>,
    pub changes: Vec<FieldChange>,
    pub red_flags_raised: Vec<String>,
    pub red_flags_resolved: Vec<String>,
    /// "SOC 2 Type II: SOC 2 2025: expired → valid"
    pub artifacts: Vec<String>,
    pub findings_opened: Vec<String>,
    pub findings_closed: Vec<String>,
}

impl RegistryDiff {
    /// Whether the change introduces a problem at or above `fail_on` (exit code 1).
    pub fn fails(&self, fail_on: FailOn) -> bool {
        let threshold = fail_on.threshold();
        self.new_problems.iter().any(|p| p.severity >= threshold)
    }
}

/// The output formats of `diff` (`--format`): Markdown for a pull-request
/// comment, JSON for other tools.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    // No doc comments on the variants: clap would show them in `--help`.
    Markdown,
    Json,
}

impl Format {
    /// How a stream carrying this format is made inert (`console::Inert`).
    pub fn stream_style(self) -> Style {
        match self {
            Format::Markdown => Style::Text,
            Format::Json => Style::Json,
        }
    }
}

/// `d` in `format`, ending with a line break.
pub fn render(d: &RegistryDiff, format: Format) -> String {
    match format {
        Format::Markdown => markdown(d),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(d).unwrap_or_default();
            s.push('\n');
            s
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    pub severity: Severity,
    pub code: &'static str,
    pub path: String,
    pub message: String,
}

fn problems(r: &CheckReport) -> BTreeSet<Problem> {
    r.diagnostics
        .iter()
        .filter(|d: &&Diagnostic| d.severity >= Severity::Warning)
        .map(|d| Problem {
            severity: d.severity,
            code: d.code,
            path: d.loc.path.to_string(),
            message: d.message.clone(),
        })
        .collect()
}

fn read_text(dir: &Path, file: &str) -> Option<String> {
    std::fs::read_to_string(dir.join(file)).ok()
}

/// Compare two checked registries whose files live in `base_dir` and `head_dir`.
pub fn compare(
    base_name: &str,
    base: &CheckReport,
    base_dir: &Path,
    head_name: &str,
    head: &CheckReport,
    head_dir: &Path,
) -> RegistryDiff {
    let (b, h) = (by_slug(base), by_slug(head));
    let added = h
        .iter()
        .filter(|(k, _)| !b.contains_key(*k))
        .map(|(_, x)| summary(x))
        .collect();
    let removed = b
        .iter()
        .filter(|(k, _)| !h.contains_key(*k))
        .map(|(_, x)| summary(x))
        .collect();
    let changed = h
        .iter()
        .filter_map(|(slug, hj)| {
            let bj = b.get(slug)?;
            let d = vendor_diff(bj, base_dir, hj, head_dir);
            (!d.is_unchanged()).then_some(d)
        })
        .collect();
    let mut policy = Vec::new();
    for file in [
        "vetted.toml",
        "questionnaire.toml",
        "tiers.toml",
        "artifact-kinds.toml",
    ] {
        policy.extend(semantic::diff_toml(
            file,
            read_text(base_dir, file).as_deref(),
            read_text(head_dir, file).as_deref(),
        ));
    }
    let (pb, ph) = (problems(base), problems(head));
    RegistryDiff {
        base: base_name.to_string(),
        head: head_name.to_string(),
        added,
        removed,
        changed,
        policy,
        new_problems: ph.difference(&pb).cloned().collect(),
        resolved_problems: pb.difference(&ph).cloned().collect(),
    }
}

/// The checked registry's vendors joined with their assessments, by slug;
/// empty when the registry could not be read.
fn by_slug(r: &CheckReport) -> BTreeMap<&str, Assessed<'_>> {
    r.assessed()
        .map(|(registry, assessment)| {
            assessment
                .join(registry)
                .into_iter()
                .map(|j| (j.vendor.slug.as_str(), j))
                .collect()
        })
        .unwrap_or_default()
}

fn summary(j: &Assessed<'_>) -> VendorSummary {
    VendorSummary {
        slug: j.vendor.slug.clone(),
        name: j.vendor.name.clone(),
        tier: j.assessment.tier,
        status: status_label(j.assessment),
        decision: j.assessment.decision.value.label().to_string(),
    }
}

/// The status as `diff` shows it: a partial assessment (data-contract errors
/// left part of the vendor out) says so, so a vendor becoming or ceasing to
/// be partial is a status change.
fn status_label(a: &crate::assess::VendorAssessment) -> String {
    if a.partial {
        format!("{} (partial: data errors)", a.status.label())
    } else {
        a.status.label().to_string()
    }
}

/// What changed for one vendor present in both versions.
fn vendor_diff(b: &Assessed<'_>, base_dir: &Path, h: &Assessed<'_>, head_dir: &Path) -> VendorDiff {
    let (fb, fh) = (unaccepted_flags(b), unaccepted_flags(h));
    let (ob, oh) = (open_findings(b.vendor), open_findings(h.vendor));
    let (ba, ha) = (b.assessment, h.assessment);
    VendorDiff {
        slug: h.vendor.slug.clone(),
        name: h.vendor.name.clone(),
        tier: (ba.tier, ha.tier),
        status: (status_label(ba), status_label(ha)),
        decision: (
            ba.decision.value.label().to_string(),
            ha.decision.value.label().to_string(),
        ),
        decision_reasons: ha.decision.messages().map(String::from).collect(),
        changes: file_changes(
            &base_dir.join(&*b.vendor.dir),
            &head_dir.join(&*h.vendor.dir),
        ),
        red_flags_raised: fh.difference(&fb).cloned().collect(),
        red_flags_resolved: fb.difference(&fh).cloned().collect(),
        artifacts: artifact_changes(&artifact_statuses(b), &artifact_statuses(h)),
        findings_opened: oh
            .iter()
            .filter(|(k, _)| !ob.contains_key(*k))
            .map(|(k, t)| format!("{k} {t}"))
            .collect(),
        findings_closed: ob
            .iter()
            .filter(|(k, _)| !oh.contains_key(*k))
            .map(|(k, t)| format!("{k} {t}"))
            .collect(),
    }
}

impl VendorDiff {
    /// Nothing a reviewer needs to see: findings alone do not list a vendor.
    fn is_unchanged(&self) -> bool {
        self.changes.is_empty()
            && self.tier.0 == self.tier.1
            && self.status.0 == self.status.1
            && self.decision.0 == self.decision.1
            && self.red_flags_raised.is_empty()
            && self.red_flags_resolved.is_empty()
            && self.artifacts.is_empty()
    }
}

/// Field changes in the vendor's files between its two folders.
fn file_changes(bp: &Path, hp: &Path) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    for (file, _) in crate::load::VENDOR_FILES {
        if file.ends_with(".md") {
            let (x, y) = (
                std::fs::read_to_string(bp.join(file)).ok(),
                std::fs::read_to_string(hp.join(file)).ok(),
            );
            changes.extend(semantic::diff_lines(file, x.as_deref(), y.as_deref()));
        } else {
            changes.extend(semantic::diff_toml(
                file,
                read_text(bp, file).as_deref(),
                read_text(hp, file).as_deref(),
            ));
        }
    }
    changes
}

/// Red flags not accepted by an exception, as the comment quotes them.
fn unaccepted_flags(j: &Assessed<'_>) -> BTreeSet<String> {
    j.red_flags()
        .iter()
        .filter(|f| f.accepted_by.is_none())
        .map(|f| format!("{}.{}: {}", f.section, f.question, f.message))
        .collect()
}

/// Each assessed artifact's status, keyed by "kind: title".
fn artifact_statuses(j: &Assessed<'_>) -> BTreeMap<String, String> {
    j.assessed_artifacts()
        .map(|(x, s)| {
            (
                format!("{}: {}", x.kind, x.title),
                s.status.label().to_string(),
            )
        })
        .collect()
}

/// "kind: title: old → new", "…: added (status)", "…: removed".
fn artifact_changes(ab: &BTreeMap<String, String>, ah: &BTreeMap<String, String>) -> Vec<String> {
    let mut artifacts = Vec::new();
    for (k, s) in ah {
        match ab.get(k) {
            Some(old) if old != s => artifacts.push(format!("{k}: {old} → {s}")),
            None => artifacts.push(format!("{k}: added ({s})")),
            _ => {}
        }
    }
    for k in ab.keys().filter(|k| !ah.contains_key(*k)) {
        artifacts.push(format!("{k}: removed"));
    }
    artifacts
}

/// Open findings by id, with their titles.
fn open_findings(v: &Vendor) -> BTreeMap<String, String> {
    v.findings
        .iter()
        .filter(|f| f.open)
        .map(|f| (f.id.clone(), f.title.clone()))
        .collect()
}

/// Longest piece of registry or git text quoted in a comment, in
/// characters: a field can hold a megabyte, a comment holds 65,536.
const MAX_QUOTE: usize = 300;

/// Registry text as one line, visible (control and invisible characters
/// escaped, see `console::visible`) and cut to `MAX_QUOTE` characters.
fn one_line(s: &str) -> String {
    let flat: String = s
        .chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let shown = crate::console::visible(&flat, false);
    let total = shown.chars().count();
    if total <= MAX_QUOTE {
        return shown.into_owned();
    }
    let mut cut: String = shown.chars().take(MAX_QUOTE).collect();
    let _ = write!(cut, "… ({} more characters)", total - MAX_QUOTE);
    cut
}

/// Escape text for GitHub-flavoured Markdown so registry content stays inert
/// in a pull-request comment: no HTML, links, images, entities, math,
/// headings, lists or tables (every character Markdown gives a meaning
/// inside a line is backslash-escaped, and so is a list marker at the start;
/// line breaks become spaces), and no autolinks,
/// mentions or issue references. GitHub finds those last three in the
/// rendered text, after escapes are undone, so a zero-width space breaks
/// them instead: after `@` and `#`, inside `://`, and after `www`.
pub fn md(s: &str) -> String {
    const ZWSP: char = '\u{200B}';
    let text = one_line(s);
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '+' | '!' | '|'
            | '<' | '>' | '~' | '@' | '&' | '$' | '^' => {
                out.push('\\');
                out.push(c);
            }
            // A list marker, were the text ever to start a line: `- x`, `1. x`.
            '-' | '.' if out.chars().all(|p| p.is_ascii_digit()) => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        let next = chars.peek().copied();
        let breaks = match c {
            '@' | '#' => true,
            ':' => next == Some('/'),
            'w' | 'W' => {
                next == Some('.')
                    && out.len() >= 3
                    && out.as_bytes()[out.len() - 3..].eq_ignore_ascii_case(b"www")
            }
            _ => false,
        };
        if breaks {
            out.push(ZWSP);
        }
    }
    out
}

/// Registry text as an inline code span: nothing inside one is Markdown, a
/// link, a mention or HTML. The fence is one backtick longer than the
/// longest run in the text, so the text cannot close it.
pub fn code(s: &str) -> String {
    let text = one_line(s);
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    // A space inside each end keeps a leading or trailing backtick apart
    // from the fence (Markdown strips one such space from each side).
    let pad = if text.starts_with('`') || text.ends_with('`') || text.trim().is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// "### Decisions": each changed decision with up to three of the new
/// decision's reasons, then each added vendor's decision.
fn decisions_section(s: &mut String, changed: &[&VendorDiff], added: &[VendorSummary]) {
    if changed.is_empty() && added.is_empty() {
        return;
    }
    s.push_str("### Decisions\n\n");
    for v in changed {
        let _ = writeln!(
            s,
            "- **{}** ({}): {} → **{}**",
            md(&v.name),
            code(&v.slug),
            v.decision.0,
            v.decision.1
        );
        const SHOWN: usize = 3;
        for r in v.decision_reasons.iter().take(SHOWN) {
            let _ = writeln!(s, "  - {}", md(r));
        }
        if v.decision_reasons.len() > SHOWN {
            let _ = writeln!(s, "  - and {} more", v.decision_reasons.len() - SHOWN);
        }
    }
    for v in added {
        let _ = writeln!(
            s,
            "- **{}** ({}): new vendor, **{}**",
            md(&v.name),
            code(&v.slug),
            v.decision
        );
    }
    s.push('\n');
}

pub fn markdown(d: &RegistryDiff) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "## vetted: registry changes {} → {}\n",
        code(&d.base),
        code(&d.head)
    );
    let tier_changes = d.changed.iter().filter(|v| v.tier.0 != v.tier.1).count();
    let decision_changes: Vec<&VendorDiff> = d
        .changed
        .iter()
        .filter(|v| v.decision.0 != v.decision.1)
        .collect();
    let raised: usize = d.changed.iter().map(|v| v.red_flags_raised.len()).sum();
    let resolved: usize = d.changed.iter().map(|v| v.red_flags_resolved.len()).sum();
    let _ = writeln!(
        s,
        "{} vendor(s) changed, {} added, {} removed · {} decision change(s) · {} tier change(s) · {} red flag(s) raised, {} resolved · {} new problem(s), {} resolved\n",
        d.changed.len(),
        d.added.len(),
        d.removed.len(),
        decision_changes.len(),
        tier_changes,
        raised,
        resolved,
        d.new_problems.len(),
        d.resolved_problems.len()
    );
    let unchanged =
        d.added.is_empty() && d.removed.is_empty() && d.changed.is_empty() && d.policy.is_empty();
    if unchanged && d.new_problems.is_empty() {
        s.push_str("No change to the registry.\n");
        return s;
    }
    // A folder that is no vendor yet (an invalid slug, a file missing) is
    // no record change, but its problems fail the diff: list them.
    if unchanged {
        s.push_str("No change to vendor records or policy.\n\n");
    }
    // Decisions first: what a reviewer must see before any detail.
    decisions_section(&mut s, &decision_changes, &d.added);
    for v in &d.added {
        let _ = writeln!(
            s,
            "### New vendor: {} ({})\n\n{} · Tier {} · {}\n",
            md(&v.name),
            code(&v.slug),
            v.decision,
            v.tier,
            v.status
        );
    }
    for v in &d.removed {
        let _ = writeln!(
            s,
            "### Removed vendor: {} ({})\n",
            md(&v.name),
            code(&v.slug)
        );
    }
    for v in &d.changed {
        let _ = writeln!(s, "### {} ({})\n", md(&v.name), code(&v.slug));
        if v.decision.0 != v.decision.1 {
            let _ = writeln!(s, "- **Decision:** {} → {}", v.decision.0, v.decision.1);
        }
        if v.tier.0 != v.tier.1 {
            let _ = writeln!(s, "- **Tier {} → {}**", v.tier.0, v.tier.1);
        }
        if v.status.0 != v.status.1 {
            let _ = writeln!(s, "- **Status:** {} → {}", v.status.0, v.status.1);
        }
        for f in &v.red_flags_raised {
            let _ = writeln!(s, "- New red flag: {}", md(f));
        }
        for f in &v.red_flags_resolved {
            let _ = writeln!(s, "- Resolved red flag: {}", md(f));
        }
        for a in &v.artifacts {
            let _ = writeln!(s, "- Artifact {}", md(a));
        }
        for f in &v.findings_opened {
            let _ = writeln!(s, "- Finding opened: {}", md(f));
        }
        for f in &v.findings_closed {
            let _ = writeln!(s, "- Finding closed: {}", md(f));
        }
        if !v.changes.is_empty() {
            let _ = writeln!(
                s,
                "\n<details><summary>{} field change(s)</summary>\n",
                v.changes.len()
            );
            for c in &v.changes {
                let _ = writeln!(s, "- {} {}", code(&c.file), md(&c.label));
            }
            s.push_str("\n</details>\n");
        }
        s.push('\n');
    }
    if !d.policy.is_empty() {
        s.push_str("### Policy changes\n\n");
        for c in &d.policy {
            let _ = writeln!(s, "- {} {}", code(&c.file), md(&c.label));
        }
        s.push('\n');
    }
    if !d.new_problems.is_empty() {
        s.push_str("### New problems\n\n");
        for p in &d.new_problems {
            let _ = writeln!(
                s,
                "- **{}** {} {}: {}",
                p.severity.as_str(),
                p.code,
                code(&p.path),
                md(&p.message)
            );
        }
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::model::Registry;

    fn minimal() -> Registry {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
        crate::validate::validate(crate::load::load(&root))
            .registry
            .expect("the minimal fixture is valid")
    }

    fn statuses(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, s)| (k.to_string(), s.to_string()))
            .collect()
    }

    #[test]
    fn artifact_changes_list_changed_added_then_removed() {
        let base = statuses(&[("a: A", "valid"), ("b: B", "valid"), ("c: C", "expired")]);
        let head = statuses(&[("a: A", "expiring"), ("b: B", "valid"), ("d: D", "valid")]);
        assert_eq!(
            artifact_changes(&base, &head),
            [
                "a: A: valid → expiring",
                "d: D: added (valid)",
                "c: C: removed"
            ]
        );
    }

    #[test]
    fn artifact_statuses_pair_each_artifact_with_its_own_result() {
        let registry = minimal();
        let mut assessment = crate::assess::assess(&registry, "2026-11-22".parse().unwrap());
        let a = &mut assessment.vendors[0];
        assert!(a.artifacts.len() >= 2, "acme-infusion has three artifacts");
        // A result the assessment skipped (an unknown kind) must not shift
        // the others onto the wrong artifact, as pairing by position would.
        a.artifacts.remove(0);
        a.artifacts[0].status = crate::assess::ArtifactStatus::Missing;
        let joined = assessment.join(&registry);
        let got = artifact_statuses(&joined[0]);
        let v = &registry.vendors[0];
        let second = format!("{}: {}", v.artifacts[1].kind, v.artifacts[1].title);
        let first = format!("{}: {}", v.artifacts[0].kind, v.artifacts[0].title);
        assert_eq!(got.len(), v.artifacts.len() - 1);
        assert_eq!(got.get(&second).map(String::as_str), Some("missing"));
        assert!(!got.contains_key(&first));
    }
}
