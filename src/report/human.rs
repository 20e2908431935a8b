//! The human format: for each diagnostic a grep-friendly first line
//! (`registry/vendors/acme/artifacts.toml:12:9: error[E1001]: …`), the
//! offending source line with its span underlined (annotate-snippets), and a
//! help line; then one line per vendor and a last line of counts.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::{PathDisplay, printable, summary_line};
use crate::CheckReport;
use crate::console::{Style, inert, unusual, visible};
use crate::diag::{Diagnostic, Severity, Sources, Tally};

/// `check`'s report for people: every diagnostic, the vendor table (when
/// the registry could be assessed), and the counts.
pub fn write(
    report: &CheckReport,
    paths: &PathDisplay,
    color: bool,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let checked = &report.checked;
    write_human(&report.diagnostics, &checked.sources, paths, color, out)?;
    if let Some((registry, assessment)) = report.assessed() {
        out.write_all(vendor_table(registry, assessment).as_bytes())?;
        writeln!(
            out,
            "{}",
            decisions_line(assessment, checked.not_assessed.len())
        )?;
        out.write_all(not_assessed_lines(assessment).as_bytes())?;
    }
    let vendors = checked.registry.as_ref().map_or(0, |r| r.vendors.len());
    let partial = checked.partially_assessed();
    let tally = Tally::of(&report.diagnostics);
    writeln!(
        out,
        "{}",
        checked_line(
            vendors.saturating_sub(partial.len()),
            &partial,
            &checked.not_assessed,
            tally
        )
    )
}

/// The human rendering of `diags`, as a string.
pub fn human(diags: &[Diagnostic], sources: &Sources, paths: &PathDisplay, color: bool) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_human(diags, sources, paths, color, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Write the human rendering: blocks of diagnostics are rendered in parallel
/// and written in order, a bounded batch at a time, so a run with a hundred
/// thousand diagnostics never holds all of its output in memory.
pub fn write_human(
    diags: &[Diagnostic],
    sources: &Sources,
    paths: &PathDisplay,
    color: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    const BLOCK: usize = 256;
    for batch in diags.chunks(BLOCK * 32) {
        // Blocks are whole lines: each is made inert (no workflow command)
        // here, so the library's output is safe wherever it is written.
        let blocks: Vec<String> = batch
            .par_chunks(BLOCK)
            .map(|block| {
                let text = human_block(block, sources, paths, color);
                match inert(&text, Style::Text) {
                    Cow::Borrowed(_) => text,
                    Cow::Owned(safe) => safe,
                }
            })
            .collect();
        for b in blocks {
            out.write_all(b.as_bytes())?;
        }
    }
    Ok(())
}

fn human_block(
    diags: &[Diagnostic],
    sources: &Sources,
    paths: &PathDisplay,
    color: bool,
) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    // Without a source line, what annotate-snippets draws depends only on the
    // severity and the help text, and most such diagnostics repeat a help line
    // (a red flag's strong answer): render each once per block.
    let mut bare: HashMap<(Severity, Option<&str>), String> = HashMap::new();
    for raw in diags {
        let d = &*printable(raw);
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Note => Level::NOTE,
        };
        let path = paths.show(&visible(&d.loc.path, false));
        // The first line is ours (grep-friendly `path:line:col: severity[code]: message`);
        // annotate-snippets draws the source line under it.
        // The span's line, and its byte range within the line (clamped).
        let snippet = sources
            .get(&d.loc.path)
            .filter(|_| d.loc.end > 0)
            .and_then(|src| {
                let text = src.line_text(d.loc.line)?;
                let line_start = src.line_start(d.loc.line)?;
                let start = d.loc.start.saturating_sub(line_start);
                let end = d.loc.end.saturating_sub(line_start);
                Some(visible_line(text, char_span(text, start, end)))
            });
        let render = |group| {
            let mut report = vec![group];
            if let Some(help) = &d.help {
                report.push(Group::with_title(
                    Level::HELP.secondary_title(help.as_str()),
                ));
            }
            renderer.render(&report)
        };
        let rendered = match snippet {
            Some((text, span)) => match (!color)
                .then(|| plain_snippet(&path, d, &text, span.clone()))
                .flatten()
            {
                Some(fast) => fast,
                None => render(
                    Group::with_level(level.clone()).element(
                        Snippet::source(&*text)
                            .line_start(d.loc.line as usize)
                            .path(path.clone())
                            .annotation(AnnotationKind::Primary.span(span)),
                    ),
                ),
            },
            None => bare
                .entry((d.severity, raw.help.as_deref()))
                .or_insert_with(|| render(Group::with_level(level.clone())))
                .clone(),
        };
        // A grep-friendly first line, then the rendered snippet.
        let _ = writeln!(
            out,
            "{path}:{}:{}: {}[{}]: {}",
            d.loc.line,
            d.loc.column,
            d.severity.as_str(),
            d.code,
            d.message
        );
        if !rendered.trim().is_empty() {
            let _ = writeln!(out, "{rendered}");
        }
        out.push('\n');
    }
    out
}

/// A byte span within `text` widened to whole characters and kept inside the
/// line, at least one character wide when the line has one. Parsers report
/// spans in bytes, and an error can start or end inside a multi-byte
/// character (`name 💩= "x"`); a renderer slicing there would panic.
fn char_span(text: &str, start: usize, end: usize) -> Range<usize> {
    let mut start = start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    if end == start {
        end = text[start..]
            .chars()
            .next()
            .map_or(start, |c| start + c.len_utf8());
    }
    start..end
}

/// A source line with its control and invisible formatting characters shown
/// as escapes (see `visible`), and `span` moved to match. Tabs stay: the
/// renderer expands them.
fn visible_line(text: &str, span: Range<usize>) -> (Cow<'_, str>, Range<usize>) {
    let shown = |c: char| unusual(c) && c != '\t';
    if !text.chars().any(shown) {
        return (Cow::Borrowed(text), span);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let (mut start, mut end) = (None, None);
    for (i, c) in text.char_indices() {
        if i == span.start {
            start = Some(out.len());
        }
        if i == span.end {
            end = Some(out.len());
        }
        if shown(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    let start = start.unwrap_or(out.len());
    let end = end.unwrap_or(out.len()).max(start);
    (Cow::Owned(out), start..end)
}

/// What annotate-snippets draws, without colour, for one annotated span on a
/// short line of plain ASCII text: the common case, drawn directly because
/// tens of thousands of diagnostics spent most of their time in the general
/// renderer. Anything else (tabs, Unicode, control characters, long lines,
/// multi-line help) returns `None` and goes to annotate-snippets. A test
/// checks both renderers give the same bytes.
fn plain_snippet(path: &str, d: &Diagnostic, text: &str, span: Range<usize>) -> Option<String> {
    // annotate-snippets starts trimming lines a little beyond 130 columns,
    // and cuts the indentation of a line indented by more than 20 columns
    // (`...` in its place; found by the vendor_check fuzz target).
    const MAX_LINE: usize = 120;
    const MAX_INDENT: usize = 20;
    let plain = |s: &str| s.bytes().all(|b| (0x20..0x7f).contains(&b));
    if text.len() > MAX_LINE
        || text.bytes().take_while(|&b| b == b' ').count() > MAX_INDENT
        || !plain(text)
        || text.ends_with(' ')
        || span.start >= span.end
        || span.end > text.len()
        || d.help.as_deref().is_some_and(|h| h.chars().any(unusual))
    {
        return None;
    }
    let line = d.loc.line;
    let pad = " ".repeat(line.to_string().len());
    let mut out = String::with_capacity(2 * text.len() + path.len() + 64);
    let _ = write!(
        out,
        "{pad}--> {path}:{line}:{col}\n{pad} |\n{line} | {text}\n{pad} | {:start$}{:^<len$}",
        "",
        "",
        col = span.start + 1,
        start = span.start,
        len = span.end - span.start,
    );
    if let Some(help) = &d.help {
        let _ = write!(out, "\n{pad} |\nhelp: {help}");
    }
    Some(out)
}

/// The last line of `check`: how many vendors were assessed fully, which
/// were assessed only in part (data-contract errors left some of their
/// values out) and which folders were not assessed at all (their tier
/// cannot be computed or a required file is unreadable), and the counts.
pub fn checked_line(
    full: usize,
    partially: &[String],
    not_assessed: &[String],
    t: Tally,
) -> String {
    let noun = |n: usize| if n == 1 { "vendor" } else { "vendors" };
    if not_assessed.is_empty() && partially.is_empty() {
        return format!("checked {full} {}: {}", noun(full), summary_line(t));
    }
    const NAMED: usize = 10;
    let names = |list: &[String]| {
        let mut names = list
            .iter()
            .take(NAMED)
            .map(|s| visible(s, false).into_owned())
            .collect::<Vec<_>>()
            .join(", ");
        if list.len() > NAMED {
            let _ = write!(names, " and {} more", list.len() - NAMED);
        }
        names
    };
    let folders = full + partially.len() + not_assessed.len();
    let mut line = format!("checked {folders} vendor folders: {full} assessed fully");
    if !partially.is_empty() {
        let _ = write!(
            line,
            ", {} partially (data-contract errors: {})",
            partially.len(),
            names(partially)
        );
    }
    if !not_assessed.is_empty() {
        let _ = write!(
            line,
            ", {} not assessed (data-contract errors: {})",
            not_assessed.len(),
            names(not_assessed)
        );
    }
    let _ = write!(line, "; {}", summary_line(t));
    line
}

/// One line per partially assessed vendor that has requirements its left-out
/// items kept from being judged: `acme: not assessed: SOC 2 Type II report
/// for SmartPump 4 (artifact 1 has data errors)`. Bounded like the summary.
pub fn not_assessed_lines(assessment: &crate::assess::Assessment) -> String {
    const NAMED: usize = 10;
    let mut out = String::new();
    for a in assessment.vendors.iter().filter(|a| a.partial).take(NAMED) {
        let items: Vec<String> = a
            .requirements
            .iter()
            .filter_map(|r| {
                let why = r.not_assessed.as_deref()?;
                let what = match &r.product {
                    Some(p) => format!("{} for {}", r.kind_title, visible(p, false)),
                    None => r.kind_title.clone(),
                };
                Some(format!("{what} ({why})"))
            })
            .collect();
        if items.is_empty() {
            continue;
        }
        let mut line = items
            .iter()
            .take(NAMED)
            .cloned()
            .collect::<Vec<_>>()
            .join("; ");
        if items.len() > NAMED {
            let _ = write!(line, "; and {} more", items.len() - NAMED);
        }
        let _ = writeln!(out, "{}: not assessed: {line}", visible(&a.slug, false));
    }
    out
}

/// How many vendors got each decision; folders not assessed at all (their
/// files break the data contract) count as not assessed.
pub fn decisions_line(assessment: &crate::assess::Assessment, not_assessed: usize) -> String {
    let parts: Vec<String> = assessment
        .decision_counts(not_assessed)
        .into_iter()
        .map(|(d, n)| format!("{n} {}", d.label().to_lowercase()))
        .collect();
    format!("decisions: {}", parts.join(", "))
}

/// One line per vendor: tier (with score and any override), status, decision, next review.
pub fn vendor_table(
    registry: &crate::model::Registry,
    assessment: &crate::assess::Assessment,
) -> String {
    let mut out = String::new();
    let width = registry
        .vendors
        .iter()
        .map(|v| v.slug.len())
        .max()
        .unwrap_or(4)
        .max(6);
    let mut rows = Vec::new();
    for joined in assessment.join(registry) {
        let (v, a) = (joined.vendor, joined.assessment);
        let why = match a.rationale.overrides.first() {
            Some(o) if o.tier < a.rationale.score_tier => format!("override: {}", o.reason),
            _ => format!(
                "score {} reaches tier {}",
                a.rationale.score, a.rationale.score_tier
            ),
        };
        let review = a
            .review
            .next_due
            .map_or_else(|| "-".to_string(), |d| d.to_string());
        let status = if !joined.is_live() {
            "offboarded"
        } else {
            a.status.label()
        };
        // A partial assessment's status covers only what was not left out.
        let status = if a.partial {
            format!("{status} (partial)")
        } else {
            status.to_string()
        };
        rows.push((v, a, status, review, why));
    }
    let status_width = rows.iter().map(|r| r.2.len()).max().unwrap_or(0).max(15);
    let _ = writeln!(
        out,
        "{:<width$}  {:<4} {:>5}  {:<status_width$}  {:<24}  {:<11}  why this tier",
        "vendor", "tier", "score", "status", "decision", "next review"
    );
    for (v, a, status, review, why) in rows {
        let _ = writeln!(
            out,
            "{:<width$}  T{:<3} {:>5}  {:<status_width$}  {:<24}  {:<11}  {}",
            v.slug,
            a.tier,
            a.rationale.score,
            status,
            a.decision.value.label(),
            review,
            visible(&why, false)
        );
    }
    // Slugs are checked, names are not: no workflow command gets through.
    inert(&out, Style::Text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Loc;
    use crate::report::github;

    /// annotate-snippets' own rendering of one annotated span, for comparison.
    fn general(path: &str, d: &Diagnostic, text: &str, span: Range<usize>) -> String {
        let mut report = vec![
            Group::with_level(Level::ERROR).element(
                Snippet::source(text)
                    .line_start(d.loc.line as usize)
                    .path(path)
                    .annotation(AnnotationKind::Primary.span(span)),
            ),
        ];
        if let Some(help) = &d.help {
            report.push(Group::with_title(
                Level::HELP.secondary_title(help.as_str()),
            ));
        }
        Renderer::plain().render(&report)
    }

    fn diag(line: u32, help: Option<&str>) -> Diagnostic {
        let mut d = Diagnostic::new(
            crate::diag::Code::RedFlag,
            Loc {
                path: "vendors/a/answers.toml".into(),
                line,
                column: 1,
                start: 0,
                end: 1,
            },
            "message",
        );
        d.help = help.map(str::to_string);
        d
    }

    #[test]
    fn the_direct_renderer_draws_what_annotate_snippets_draws() {
        let lines = [
            "patch_cadence = \"as-needed\"",
            "x = 1",
            "  indented = [ \"a\", \"b\" ]",
            // The deepest indentation drawn directly (20 spaces).
            "                    | Date       | Evidence                 |",
            "[vendor]",
            "link = \"https://example.org/a-rather-long-path/with/segments?and=query#fragment-here\"",
            // The longest line drawn directly (120 bytes).
            "link = \"https://example.org/a-long-path/with/many/segments/that/goes/on/and/on/until/it/reaches/the/limit?q=12345678901\"",
        ];
        let helps = [
            None,
            Some("A published, regular release schedule (monthly or quarterly)."),
            Some("x"),
            Some("Ask for the report — “SOC 2 Type II”, not a bridge letter; ça va."),
        ];
        let mut compared = 0;
        for text in lines {
            for line in [1, 7, 9, 10, 99, 100, 12345] {
                for help in helps {
                    let d = diag(line, help);
                    for start in 0..text.len() {
                        for end in [start + 1, (start + 3).min(text.len()), text.len()] {
                            let fast =
                                plain_snippet("vendors/a/answers.toml", &d, text, start..end)
                                    .expect("plain ASCII takes the direct path");
                            let slow = general("vendors/a/answers.toml", &d, text, start..end);
                            assert_eq!(fast, slow, "line {line} span {start}..{end} of {text:?}");
                            compared += 1;
                        }
                    }
                }
            }
        }
        assert!(compared > 1000);
    }

    #[test]
    fn registry_text_cannot_send_escape_sequences_to_a_terminal_or_ci_log() {
        let mut d = diag(2, Some("line one\nline \u{202e}two"));
        d.loc.path = "vendors/evil\u{1b}[31m/vendor.toml".into();
        d.message = "`\u{1b}]8;;https://x.example\u{7}click\u{1b}]8;;\u{7}` is not a slug".into();
        let paths = PathDisplay::new(std::path::Path::new("registry"));
        let human = human(std::slice::from_ref(&d), &Sources::default(), &paths, false);
        let gh = github(std::slice::from_ref(&d), &paths);
        for out in [&human, &gh] {
            assert!(!out.contains(['\u{1b}', '\u{7}', '\u{202e}']), "{out:?}");
            assert!(out.contains("vendors/evil\\u{1b}[31m/vendor.toml"), "{out}");
            assert!(
                out.contains("\\u{1b}]8;;https://x.example\\u{7}click"),
                "{out}"
            );
            assert!(out.contains("line \\u{202e}two"), "{out}");
        }
        // The help keeps its line break; colour output keeps vetted's own escapes.
        assert!(human.contains("line one\n"), "{human}");
        let coloured = human_block(std::slice::from_ref(&d), &Sources::default(), &paths, true);
        assert!(coloured.contains('\u{1b}') && !coloured.contains("\u{1b}[31m/"));
        // Ordinary text is borrowed, not copied.
        assert!(matches!(visible("acme-infusion", false), Cow::Borrowed(_)));
    }

    #[test]
    fn source_lines_show_invisible_characters_and_keep_their_span() {
        let text = "na\u{feff}me = \"\u{202e}x\"\t# c";
        let at = text.find('=').unwrap();
        let (shown, span) = visible_line(text, at..at + 1);
        assert_eq!(shown, "na\\u{feff}me = \"\\u{202e}x\"\t# c");
        assert_eq!(&shown[span], "=");
        // A span running to the end of the line, and one past it.
        let (shown, span) = visible_line(text, text.len() - 1..text.len());
        assert_eq!(&shown[span], "c");
        assert!(matches!(visible_line("a = 1", 0..1).0, Cow::Borrowed(_)));
        // Drawn through the renderer: nothing raw reaches the output.
        let mut src = Sources::default();
        let path: std::sync::Arc<str> = "vendors/a/vendor.toml".into();
        src.insert(
            path.clone(),
            crate::diag::SourceText::new(format!("{text}\n").into()),
        );
        let mut d = diag(1, None);
        d.loc.path = path;
        d.loc.start = 2;
        d.loc.end = 3;
        let paths = PathDisplay::new(std::path::Path::new("registry"));
        let out = human(std::slice::from_ref(&d), &src, &paths, false);
        assert!(!out.contains(['\u{feff}', '\u{202e}']), "{out}");
        assert!(out.contains("na\\u{feff}me"), "{out}");
    }

    #[test]
    fn anything_unusual_goes_to_annotate_snippets() {
        let d = diag(3, None);
        for text in [
            "a\tb = 1",
            "name = \"Zürich\"",
            "k = \"\u{202e}x\"",
            "t = 1 ",
            // Indented past 20 columns: annotate-snippets cuts the indentation.
            "                     | Date | Evidence |",
            "                                      | Date       | Evidence                 |",
        ] {
            assert_eq!(plain_snippet("p", &d, text, 0..1), None, "{text:?}");
        }
        let long = format!("k = \"{}\"", "x".repeat(200));
        assert_eq!(plain_snippet("p", &d, &long, 0..1), None);
        for help in [
            "first line\nsecond line",
            "a\u{202e}b",
            "zero\u{200b}width",
            "esc\u{1b}[31m",
        ] {
            let d = diag(3, Some(help));
            assert_eq!(plain_snippet("p", &d, "k = 1", 0..1), None, "{help:?}");
        }
    }
}
