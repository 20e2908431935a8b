//! The rendered site: snapshots of every page type's `<main>`, determinism at
//! any thread count, atomic publishing, escaping of hostile registry content,
//! and links that stay inside the site.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use vetted::Error;
use vetted::command::{self, BuildOptions, BuildOutcome, HistorySource, Refusal};
use vetted::render::BuildStats;

const TODAY: &str = "2026-11-22";

/// Findings and exceptions for the fixture's acme-infusion, so those views have content.
const FINDINGS: &str = r#"[[finding]]
id = "F-1"
title = "Telnet open on the pump gateway"
severity = "high"
opened = 2026-01-05
due = 2026-03-01
owner = "Biomed engineering"
description = "Port 23 answers on the gateway's management interface."

[[finding]]
id = "F-2"
title = "Default SNMP community string"
severity = "medium"
opened = 2026-06-01
due = 2027-01-31

[[finding]]
id = "F-3"
title = "Outdated TLS ciphers"
severity = "low"
opened = 2025-10-01
status = "closed"
closed = 2026-02-15
"#;

const EXCEPTIONS: &str = r#"[[exception]]
id = "X-1"
accepts = "finding:F-1"
reason = "The gateway sits on an isolated biomed VLAN; telnet is blocked at the firewall."
approver = "CISO"
approved = 2026-01-10
expires = 2026-12-15
compensating_controls = "Firewall rule FW-118 and quarterly scans."
"#;

/// A copy of the minimal fixture with findings and exceptions, in a temp dir holding `reg/`.
fn fixture() -> tempfile::TempDir {
    let tmp = common::registry("minimal", None);
    let v = tmp.path().join("reg/vendors/acme-infusion");
    fs::write(v.join("findings.toml"), FINDINGS).unwrap();
    fs::write(v.join("exceptions.toml"), EXCEPTIONS).unwrap();
    tmp
}

/// `vetted build` through the library, without git history (the fixture's
/// temporary folder is in no repository: the site would say so on every page).
fn try_build(reg: &Path, out: &Path, theme_dir: Option<PathBuf>) -> Result<BuildStats, Error> {
    let opts = BuildOptions {
        registry: reg.to_path_buf(),
        today: TODAY.parse().unwrap(),
        out: out.to_path_buf(),
        theme_dir,
        history: HistorySource::None,
        rev: None,
        progress: false,
    };
    let mut notes = Vec::new();
    let outcome = command::build(&opts, &mut |n| notes.push(n.to_string()))?;
    assert!(notes.is_empty(), "no history, no notes: {notes:?}");
    match outcome {
        BuildOutcome::Built(built) => Ok(built.stats),
        BuildOutcome::Refused(refusal) => {
            let errors: Vec<_> = refusal
                .diagnostics()
                .0
                .iter()
                .map(|d| format!("{}:{}: {}", d.loc.path, d.loc.line, d.message))
                .collect();
            panic!("the fixture must validate: {errors:#?}")
        }
    }
}

fn build_site(reg: &Path, out: &Path) -> BuildStats {
    try_build(reg, out, None).unwrap_or_else(|e| panic!("build failed: {e}"))
}

/// Every file under `dir`, by relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(rel, fs::read(entry.path()).unwrap());
        }
    }
    files
}

fn page(out: &Path, path: &str) -> String {
    fs::read_to_string(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The `<main …>…</main>` region of a page.
fn main_region(html: &str) -> &str {
    let start = html.find("<main").expect("page has <main>");
    let end = html.rfind("</main>").expect("page has </main>") + "</main>".len();
    &html[start..end]
}

#[test]
fn snapshots_of_every_page_type() {
    let tmp = fixture();
    let out = tmp.path().join("public");
    let stats = build_site(&tmp.path().join("reg"), &out);
    assert_eq!(
        stats.pages, 35,
        "dashboard, vendors, 2 vendor pages, calendar, questionnaire, findings, changes, 10 facet pages, 6 calendar month and overdue pages, evidence and its 4 facet pages (tier, kind), subprocessors (none to list: no page of its own), products and its 3 facet pages (tier, end-of-support group)"
    );
    for (name, path) in [
        ("site_main_dashboard", "index.html"),
        ("site_main_vendors", "vendors/index.html"),
        ("site_main_vendor", "vendors/acme-infusion/index.html"),
        ("site_main_calendar", "calendar/index.html"),
        ("site_main_questionnaire", "questionnaire/index.html"),
        ("site_main_findings", "findings/index.html"),
        ("site_main_changes", "changes/index.html"),
        ("site_main_evidence", "evidence/index.html"),
        ("site_main_subprocessors", "subprocessors/index.html"),
        ("site_main_products", "products/index.html"),
    ] {
        let html = page(&out, path);
        insta::assert_snapshot!(name, main_region(&html));
    }
}

#[test]
fn same_input_gives_the_same_bytes_at_any_thread_count() {
    let tmp = fixture();
    let reg = tmp.path().join("reg");
    let in_pool = |threads: usize, out: &Path| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| build_site(&reg, out));
        tree(out)
    };
    let one = in_pool(1, &tmp.path().join("one"));
    let four = in_pool(4, &tmp.path().join("four"));
    let again = in_pool(4, &tmp.path().join("again"));
    assert!(one.contains_key("index.html") && one.contains_key(".vetted-site"));
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        four.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &one {
        assert!(
            four[path] == *bytes,
            "{path} differs between 1 and 4 threads"
        );
        assert!(again[path] == *bytes, "{path} differs between two builds");
    }
    // Rebuilding over an existing site replaces it with the same bytes.
    build_site(&reg, &tmp.path().join("one"));
    assert_eq!(tree(&tmp.path().join("one")), one);
}

/// Files beside `out` that a build may leave behind (temporary or backup folders).
fn litter(out: &Path) -> Vec<String> {
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&format!(".{name}.")))
        .collect()
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let tmp = fixture();
    let reg = tmp.path().join("reg");
    let out = tmp.path().join("public");
    build_site(&reg, &out);
    let before = tree(&out);

    // A template that does not compile.
    let broken = tmp.path().join("broken-theme");
    fs::create_dir_all(broken.join("templates/partials")).unwrap();
    fs::write(
        broken.join("templates/partials/footer.html"),
        "<footer>{% if %}</footer>",
    )
    .unwrap();
    match try_build(&reg, &out, Some(broken)) {
        Err(e) => assert!(
            e.to_string().contains("footer.html"),
            "the error names the template: {e}"
        ),
        Ok(stats) => panic!("expected a theme error, got {stats:?}"),
    }
    assert_eq!(tree(&out), before, "the previous site is unchanged");
    assert!(
        litter(&out).is_empty(),
        "no temporary folder is left: {:?}",
        litter(&out)
    );

    // A template that compiles but fails while rendering, half-way through the pages.
    let failing = tmp.path().join("failing-theme");
    fs::create_dir_all(failing.join("templates/partials/vendor")).unwrap();
    fs::write(
        failing.join("templates/partials/vendor/findings.html"),
        "{{ vendor.no_such_field.deeper }}",
    )
    .unwrap();
    match try_build(&reg, &out, Some(failing)) {
        Err(e @ Error::ThemeRender { .. }) => {
            assert!(e.to_string().contains("findings.html"), "{e}");
            assert!(
                std::error::Error::source(&e).is_some(),
                "tera's error is kept"
            );
        }
        other => panic!("expected a render error, got {:?}", other.err()),
    }
    assert_eq!(tree(&out), before, "the previous site is unchanged");
    assert!(litter(&out).is_empty());
}

#[test]
fn refuses_to_replace_a_folder_vetted_did_not_write() {
    let tmp = fixture();
    let reg = tmp.path().join("reg");
    let out = tmp.path().join("documents");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("thesis.txt"), "years of work").unwrap();
    match try_build(&reg, &out, None) {
        Err(e @ Error::OutForeign { .. }) => assert!(
            e.to_string().contains("refusing") && e.to_string().contains("documents"),
            "{e}"
        ),
        Err(other) => panic!("expected a refusal, got {other:?}"),
        Ok(stats) => panic!("expected a refusal, got {stats:?}"),
    }
    assert_eq!(
        fs::read_to_string(out.join("thesis.txt")).unwrap(),
        "years of work"
    );
    assert_eq!(fs::read_dir(&out).unwrap().count(), 1);

    // A file is never replaced either.
    let file = tmp.path().join("notes.txt");
    fs::write(&file, "keep").unwrap();
    match try_build(&reg, &file, None) {
        Err(Error::OutNotAFolder { path }) => assert_eq!(path, file),
        other => panic!("expected a refusal, got {:?}", other.err()),
    }
    assert_eq!(fs::read_to_string(&file).unwrap(), "keep");

    // An empty folder may be used.
    let empty = tmp.path().join("empty");
    fs::create_dir_all(&empty).unwrap();
    build_site(&reg, &empty);
    assert!(empty.join(vetted::render::MARKER).is_file());
}

/// A build as the CLI runs it, with its notes.
fn build_with(opts: &BuildOptions) -> (Result<BuildOutcome, Error>, Vec<String>) {
    let mut notes = Vec::new();
    let outcome = command::build(opts, &mut |n| notes.push(n.to_string()));
    (outcome, notes)
}

fn options(reg: &Path, out: &Path) -> BuildOptions {
    BuildOptions {
        registry: reg.to_path_buf(),
        today: TODAY.parse().unwrap(),
        out: out.to_path_buf(),
        theme_dir: None,
        history: HistorySource::None,
        rev: None,
        progress: false,
    }
}

#[test]
fn a_registry_that_breaks_the_data_contract_is_refused_and_nothing_is_written() {
    let tmp = fixture();
    let reg = tmp.path().join("reg");
    let out = tmp.path().join("public");
    build_site(&reg, &out);
    let before = tree(&out);

    // A vendor record with an unknown key: refused with that error only.
    let vendor = reg.join("vendors/acme-infusion/vendor.toml");
    let original = fs::read_to_string(&vendor).unwrap();
    fs::write(&vendor, format!("{original}colour = \"blue\"\n")).unwrap();
    match build_with(&options(&reg, &out)) {
        (Ok(BuildOutcome::Refused(refusal @ Refusal::ContractErrors { .. })), notes) => {
            let (errors, sources) = refusal.diagnostics();
            assert!(!errors.is_empty());
            for d in errors {
                assert_eq!(d.severity, vetted::diag::Severity::Error, "{d:?}");
                assert!(vetted::diag::is_data_contract(d.code), "{d:?}");
            }
            assert!(
                errors
                    .iter()
                    .any(|d| &*d.loc.path == "vendors/acme-infusion/vendor.toml"),
                "{errors:?}"
            );
            // The sources travel with the errors, so they can be shown with their lines.
            assert!(sources.get("vendors/acme-infusion/vendor.toml").is_some());
            assert!(
                notes.is_empty(),
                "refused before the history walk: {notes:?}"
            );
        }
        (other, _) => panic!("expected a refusal for contract errors, got {other:?}"),
    }
    assert_eq!(tree(&out), before, "the previous site is unchanged");
    fs::write(&vendor, original).unwrap();

    // Policy that cannot be read at all: refused with every diagnostic.
    let tiers = reg.join("tiers.toml");
    fs::write(&tiers, "[[tier]\n").unwrap();
    match build_with(&options(&reg, &out)) {
        (Ok(BuildOutcome::Refused(refusal @ Refusal::Invalid { .. })), _) => {
            let (diagnostics, _) = refusal.diagnostics();
            assert!(
                diagnostics.iter().any(|d| &*d.loc.path == "tiers.toml"),
                "{diagnostics:?}"
            );
        }
        (other, _) => panic!("expected the registry to be refused as invalid, got {other:?}"),
    }
    assert_eq!(tree(&out), before, "the previous site is unchanged");
    assert!(litter(&out).is_empty());
}

#[test]
fn a_build_reports_what_it_built_and_the_history_notes_as_they_come() {
    let tmp = fixture();
    let reg = tmp.path().join("reg");
    let out = tmp.path().join("public");
    let cache = tmp.path().join("cache");
    let opts = BuildOptions {
        history: HistorySource::Git {
            cache_dir: Some(cache.clone()),
        },
        ..options(&reg, &out)
    };
    let (outcome, notes) = build_with(&opts);
    let Ok(BuildOutcome::Built(built)) = outcome else {
        panic!("expected a site, got {outcome:?}");
    };
    assert_eq!(built.vendors, 2);
    // 8 page kinds, plus the facet pages of vendors and findings and the
    // calendar's month and overdue pages (#15), and the three cross-vendor
    // pages with the facet pages of evidence and products.
    assert_eq!(built.stats.pages, 35);
    assert!(built.stats.bytes > 0);
    // The fixture's findings and exceptions give the assessment something to say.
    assert!(built.tally.errors + built.tally.warnings + built.tally.notes > 0);
    // The temporary folder is in no repository: the walk says so, once.
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("git"), "{notes:?}");
    assert!(
        page(&out, "changes/index.html").contains(&notes[0]),
        "the site says it too"
    );
    // No repository, no history to cache (the site manifest is kept there).
    let cached: Vec<String> = fs::read_dir(&cache)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    assert!(
        cached.iter().all(|n| n.starts_with("site-")),
        "no history cache: {cached:?}"
    );
}

#[test]
fn hostile_registry_content_never_becomes_markup() {
    let tmp = fixture();
    let reg = tmp.path().join("reg");
    let vendor = reg.join("vendors/acme-infusion");
    let toml = fs::read_to_string(vendor.join("vendor.toml")).unwrap();
    fs::write(
        vendor.join("vendor.toml"),
        toml.replacen(
            "name = \"Acme Infusion Systems\"",
            "name = \"<script>alert(2)</script>\"",
            1,
        )
        .replacen(
            "owner = \"Clinical Engineering\"",
            "owner = \"\\\"><img src=x onerror=alert(3)>\"",
            1,
        ),
    )
    .unwrap();
    fs::write(
        vendor.join("notes.md"),
        "# Notes\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n\
         <iframe src=\"https://evil.example/\"></iframe>\n\n<a href=\"#x\" onclick=\"alert(4)\">click</a>\n\n\
         Plain text survives: 1 < 2 & 3 > 2.\n",
    )
    .unwrap();
    let out = tmp.path().join("public");
    build_site(&reg, &out);

    let files = tree(&out);
    let mut pages = 0;
    for (path, bytes) in &files {
        if !path.ends_with(".html") {
            continue;
        }
        pages += 1;
        let html = String::from_utf8_lossy(bytes).to_lowercase();
        assert!(!html.contains("<script>alert"), "{path}: live script");
        assert!(!html.contains("<iframe"), "{path}: iframe");
        assert!(!html.contains("<img"), "{path}: image");
        // Escaped text may say "onerror=", but never inside a tag.
        for needle in ["onerror", "onclick", "javascript:"] {
            for (i, _) in html.match_indices(needle) {
                assert!(
                    !in_tag(&html, i),
                    "{path}: `{needle}` inside a tag: …{}…",
                    &html[i.saturating_sub(60)..i + 20]
                );
            }
        }
        // The only scripts are the theme's, loaded from the site itself.
        for (i, _) in html.match_indices("<script") {
            assert!(
                html[i..].starts_with("<script src=\""),
                "{path}: inline script"
            );
        }
    }
    assert!(pages >= 7);
    let vendor_page = page(&out, "vendors/acme-infusion/index.html");
    assert!(
        vendor_page.contains("&lt;script&gt;alert(2)&lt;/script&gt;"),
        "the name is shown, escaped"
    );
    assert!(
        vendor_page.contains("&lt;img src=x onerror=alert(3)&gt;"),
        "the owner is shown, escaped"
    );
    assert!(
        vendor_page.contains("1 &lt; 2 &amp; 3 &gt; 2"),
        "notes text is kept"
    );
    assert!(page(&out, "vendors/index.html").contains("&lt;script&gt;alert(2)&lt;/script&gt;"));
    // In the search index the name is data inside a JSON string, not markup.
    let entries = search_entries(&files);
    assert!(entries.iter().any(|e| e[0] == "<script>alert(2)</script>"));
    for (path, bytes) in &files {
        if path.starts_with("search/") {
            let text = String::from_utf8_lossy(bytes);
            assert!(
                !text.contains("</script"),
                "{path}: no closing tag even inside strings"
            );
        }
    }
}

/// Every entry of the search index (`search/e/<n>.js`), in id order.
fn search_entries(files: &BTreeMap<String, Vec<u8>>) -> Vec<Vec<serde_json::Value>> {
    let mut out = Vec::new();
    for n in 0.. {
        let Some(bytes) = files.get(&format!("search/e/{n}.js")) else {
            break;
        };
        let text = String::from_utf8(bytes.clone()).unwrap();
        let json = text
            .split_once("] = ")
            .and_then(|(_, s)| s.split_once("; }(("))
            .map(|(json, _)| json.replace("<\\/", "</"))
            .unwrap_or_else(|| panic!("search/e/{n}.js: {text}"));
        let chunk: Vec<Vec<serde_json::Value>> = serde_json::from_str(&json).unwrap();
        out.extend(chunk);
    }
    out
}

/// Whether byte `i` of `html` is inside a tag (after a `<` not yet closed by `>`).
fn in_tag(html: &str, i: usize) -> bool {
    match (html[..i].rfind('<'), html[..i].rfind('>')) {
        (Some(lt), Some(gt)) => lt > gt,
        (Some(_), None) => true,
        _ => false,
    }
}

/// Every `href="…"`, `src="…"` and `data-index="…"` value of a page, with the tag it is in.
fn links(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\"", " data-index=\""] {
        for (i, _) in html.match_indices(attr) {
            let start = i + attr.len();
            let end = start + html[start..].find('"').unwrap();
            let tag_start = html[..i].rfind('<').unwrap();
            let tag: String = html[tag_start + 1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            out.push((tag, html[start..end].replace("&amp;", "&")));
        }
    }
    out
}

fn ids(html: &str) -> Vec<&str> {
    html.match_indices(" id=\"")
        .map(|(i, m)| {
            let start = i + m.len();
            &html[start..start + html[start..].find('"').unwrap()]
        })
        .collect()
}

/// Cross-vendor pages of #15 the dashboard links to by their contract
/// paths, built on other branches: a link to one may dangle only until
/// they are merged. Remove this list at the merge.
const PAGES_OF_OTHER_BRANCHES: [&str; 3] = [
    "evidence/index.html",
    "subprocessors/index.html",
    "products/index.html",
];

#[test]
fn every_link_is_relative_and_reaches_a_file_of_the_site() {
    let tmp = fixture();
    let out = tmp.path().join("public");
    build_site(&tmp.path().join("reg"), &out);
    let files = tree(&out);
    let mut checked = 0;
    for (path, bytes) in &files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes.clone()).unwrap();
        let dir = Path::new(path).parent().unwrap();
        for (tag, link) in links(&html) {
            checked += 1;
            let lower = link.to_ascii_lowercase();
            if lower.starts_with("http://")
                || lower.starts_with("https://")
                || lower.starts_with("mailto:")
            {
                assert_eq!(
                    tag, "a",
                    "{path}: external URL outside a link: <{tag}> {link}"
                );
                continue;
            }
            if link == "data:," {
                assert_eq!(tag, "link", "{path}: only the empty favicon uses data:");
                continue;
            }
            assert!(!link.contains(':'), "{path}: unexpected scheme in {link}");
            assert!(!link.starts_with('/'), "{path}: absolute path {link}");
            let (file, fragment) = link
                .split_once('#')
                .map_or((link.as_str(), None), |(f, x)| (f, Some(x)));
            // A link to a folder would break on file://: every page link names its file.
            assert!(
                !file.ends_with('/') && file != "." && file != "..",
                "{path}: link to a folder: {link}"
            );
            let target = if file.is_empty() {
                path.clone()
            } else {
                let mut parts: Vec<&str> = dir.iter().map(|c| c.to_str().unwrap()).collect();
                for part in file.split('/') {
                    match part {
                        "." | "" => {}
                        ".." => assert!(parts.pop().is_some(), "{path}: {link} leaves the site"),
                        p => parts.push(p),
                    }
                }
                parts.join("/")
            };
            if PAGES_OF_OTHER_BRANCHES.contains(&target.as_str()) && !files.contains_key(&target) {
                continue;
            }
            assert!(
                files.contains_key(&target),
                "{path}: {link} -> {target} does not exist"
            );
            // `#key=value&...` is a list page's filter state (the site's
            // URL-hash convention), not an element id.
            if let Some(fragment) = fragment.filter(|f| !f.is_empty() && !f.contains('=')) {
                let target_html = String::from_utf8_lossy(&files[&target]).into_owned();
                assert!(
                    ids(&target_html).contains(&fragment),
                    "{path}: {link}: no id {fragment} in {target}"
                );
            }
        }
    }
    assert!(checked > 100, "only {checked} links checked");
    // External evidence links are still there, as links.
    let vendor = page(&out, "vendors/acme-infusion/index.html");
    assert!(vendor.contains("href=\"https://evidence.fixture.example/acme/soc2-2025.pdf\""));
    assert!(vendor.contains("href=\"mailto:psirt@acme.example\""));
}

#[test]
fn site_wide_lists_are_not_repeated_on_every_page() {
    let tmp = fixture();
    let out = tmp.path().join("public");
    build_site(&tmp.path().join("reg"), &out);
    let cloudsched = page(&out, "vendors/cloudsched/index.html");
    assert!(
        !cloudsched.contains("Acme Infusion Systems"),
        "a vendor page does not list other vendors"
    );
    assert!(
        !cloudsched.contains("VETTED_SEARCH"),
        "the search index is a separate file"
    );
    let entries = search_entries(&tree(&out));
    let vendors: Vec<&Vec<serde_json::Value>> = entries.iter().filter(|e| e[1] == "v").collect();
    assert_eq!(vendors.len(), 2);
    assert!(vendors.iter().any(|e| e[2] == "@acme-infusion"));
}

#[test]
fn a_theme_overrides_single_files_and_eject_never_overwrites() {
    let tmp = fixture();
    let reg = tmp.path().join("reg");
    let default_site = tmp.path().join("default");
    build_site(&reg, &default_site);

    // The ejected theme, used as a theme folder, renders exactly the default site.
    let theme = tmp.path().join("theme");
    let written = vetted::render::eject_theme(&theme).unwrap();
    assert!(written.iter().any(|p| p.ends_with("templates/base.html")));
    assert!(written.iter().any(|p| p.ends_with("static/style.css")));
    assert!(written.iter().all(|p| p.is_file()));
    let ejected_site = tmp.path().join("ejected");
    try_build(&reg, &ejected_site, Some(theme.clone())).unwrap();
    assert_eq!(tree(&ejected_site), tree(&default_site));

    // Ejecting again refuses, names the files, and changes nothing.
    fs::write(theme.join("static/style.css"), "/* mine */").unwrap();
    match vetted::render::eject_theme(&theme) {
        Err(e) => assert!(e.to_string().contains("style.css"), "{e}"),
        Ok(written) => panic!("expected a refusal, got {written:?}"),
    }
    assert_eq!(
        fs::read_to_string(theme.join("static/style.css")).unwrap(),
        "/* mine */"
    );

    // One overridden partial changes only what it renders; the rest falls back.
    let partial = tmp.path().join("partial-theme");
    fs::create_dir_all(partial.join("templates/partials")).unwrap();
    fs::create_dir_all(partial.join("static")).unwrap();
    fs::write(
        partial.join("templates/partials/footer.html"),
        "<footer class=\"mine\">{{ site.organisation }} &amp; friends</footer>\n",
    )
    .unwrap();
    fs::write(
        partial.join("static/logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    let custom = tmp.path().join("custom");
    try_build(&reg, &custom, Some(partial)).unwrap();
    let html = page(&custom, "index.html");
    assert!(html.contains("<footer class=\"mine\">Fixture Hospital &amp; friends</footer>"));
    assert_eq!(
        main_region(&html),
        main_region(&page(&default_site, "index.html"))
    );
    assert!(custom.join("static/logo.svg").is_file());
    assert_eq!(
        fs::read(custom.join("static/style.css")).unwrap(),
        fs::read(default_site.join("static/style.css")).unwrap()
    );
}

#[test]
fn pages_are_accessible_by_construction() {
    let tmp = fixture();
    let out = tmp.path().join("public");
    build_site(&tmp.path().join("reg"), &out);
    for (path, bytes) in tree(&out) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        assert_eq!(html.matches("<h1").count(), 1, "{path}: one h1");
        assert_eq!(
            html.matches("<main id=\"main\"").count(),
            1,
            "{path}: one main#main"
        );
        assert!(html.contains("<html lang=\"en\">"), "{path}: language");
        assert!(html.contains("href=\"#main\""), "{path}: skip link");
        assert!(
            html.contains("<header") && html.contains("<nav") && html.contains("<footer"),
            "{path}: landmarks"
        );
        let ths = html.matches("<th").count() - html.matches("<thead").count();
        assert_eq!(
            ths,
            html.matches("<th scope=\"").count(),
            "{path}: every th has a scope"
        );
        assert_eq!(
            html.matches("<table").count(),
            html.matches("<caption").count(),
            "{path}: every table has a caption"
        );
        for (i, _) in html.match_indices("<svg") {
            let svg = &html[i..i + html[i..].find("</svg>").unwrap()];
            assert!(
                svg.contains("role=\"img\"") && svg.contains("<title") && svg.contains("<desc"),
                "{path}: chart text alternative"
            );
        }
    }
}

#[test]
fn the_vendor_page_shows_exclusions_beside_the_scope_and_which_kind_met_a_requirement() {
    let tmp = fixture();
    let reg = tmp.path().join("reg");
    let artifacts = reg.join("vendors/acme-infusion/artifacts.toml");
    let text = fs::read_to_string(&artifacts).unwrap();
    let text = text
        .replacen("kind = \"soc2-type2\"", "kind = \"iso27001\"", 1)
        .replacen(
            "scope = \"Pump fleet server and support operations\"\n",
            "scope = \"Pump fleet server <b>and</b> support\"\nexcludes = [\"subservice-organisations\", \"some-sites\"]\n",
            1,
        );
    fs::write(&artifacts, text).unwrap();
    let out = tmp.path().join("site");
    build_site(&reg, &out);
    let html = page(&out, "vendors/acme-infusion/index.html");
    assert!(
        html.contains("Scope: Pump fleet server &lt;b&gt;and&lt;/b&gt; support</small><small class=\"scope-excludes\">Excludes: the controls of subservice organisations (<code>subservice-organisations</code>), some of the vendor&#39;s sites (<code>some-sites</code>)</small>"),
        "{}",
        main_region(&html)
    );
    assert!(
        html.contains("Met by ISO/IEC 27001 certificate in place of SOC 2 Type II report"),
        "{}",
        main_region(&html)
    );
}

/// Requirements met alike for several products (one pen test covering three
/// products) are one row naming the products; requirements met by different
/// artifacts (an MDS2 per product) stay one row each; vendor-wide ones say so.
#[test]
fn the_vendor_page_lists_a_requirement_met_alike_for_several_products_once() {
    let tmp = tempfile::tempdir().unwrap();
    let reg = tmp.path().join("registry");
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("registry"),
        &reg,
    );
    let out = tmp.path().join("site");
    build_site(&reg, &out);
    let html = page(&out, "vendors/corvane-infusion/index.html");
    let table = &html[html.find("Evidence the tier requires").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    let row = |kind: &str| -> Vec<&str> {
        table
            .split("<tr>")
            .filter(|r| r.starts_with(&format!("<th scope=\"row\">{kind}</th>")))
            .map(|r| r.split("<td>").nth(1).unwrap().trim_end_matches("</td>"))
            .collect()
    };
    assert_eq!(
        row("Penetration test summary"),
        ["Aurora LVP, Aurora Syringe, Corvane Fleet Server"],
        "{table}"
    );
    assert_eq!(
        row("MDS2 form"),
        ["Aurora LVP", "Aurora Syringe", "Corvane Fleet Server"],
        "{table}"
    );
    assert_eq!(row("Business associate agreement"), ["Whole vendor"]);
}

/// Evidence about a subprocessor (`subject`) is shown as the subprocessor's,
/// its name escaped; the vendor's own report still meets the requirement.
#[test]
fn the_vendor_page_shows_whose_assurance_a_subprocessors_artifact_is() {
    let tmp = fixture();
    let reg = tmp.path().join("reg");
    let vendor = reg.join("vendors/acme-infusion/vendor.toml");
    let mut text = fs::read_to_string(&vendor).unwrap();
    text.push_str(
        "\n[[subprocessor]]\nname = \"Nimbus <Hosting> & Co\"\nservice = \"hosting\"\ndata = [\"phi\"]\nregion = \"US\"\n",
    );
    fs::write(&vendor, text).unwrap();
    let artifacts = reg.join("vendors/acme-infusion/artifacts.toml");
    let mut text = fs::read_to_string(&artifacts).unwrap();
    text.push_str(
        "\n[[artifact]]\nkind = \"soc2-type2\"\nsubject = \"Nimbus <Hosting> & Co\"\ntitle = \"SOC 2 Type II, Nimbus\"\nissued = 2026-05-15\nperiod_end = 2026-03-31\n",
    );
    fs::write(&artifacts, text).unwrap();
    let out = tmp.path().join("site");
    build_site(&reg, &out);
    let html = page(&out, "vendors/acme-infusion/index.html");
    assert!(
        html.contains("<span class=\"cell-title\">SOC 2 Type II, Nimbus</span><small class=\"artifact-subject\">About: Nimbus &lt;Hosting&gt; &amp; Co (a subprocessor: its own assurance, not the vendor's evidence)</small>"),
        "{}",
        main_region(&html)
    );
    assert_eq!(
        html.matches("artifact-subject").count(),
        1,
        "the vendor's own artifacts say nothing of a subject"
    );
}

/// A partially assessed vendor's page (issue 13, item 3): `build` refuses the
/// registry, but the renderer itself (what a future preview or the lead's
/// decision may use) shows a clear "Partial assessment" banner naming what
/// was left out, escaped, and the requirement it blocks as not assessed.
#[test]
fn a_partial_vendor_page_says_what_was_left_out() {
    let tmp = fixture();
    let reg = tmp.path().join("reg");
    let artifacts = reg.join("vendors/acme-infusion/artifacts.toml");
    let text = fs::read_to_string(&artifacts).unwrap();
    fs::write(
        &artifacts,
        text.replacen(
            r#"covers = ["SmartPump 4"]"#,
            r#"covers = ["<b>Auroa</b> LVP"]"#,
            1,
        ),
    )
    .unwrap();
    let today = TODAY.parse().unwrap();
    let checked = vetted::load_and_validate(&vetted::RegistryOptions {
        registry: reg.clone(),
        today,
    })
    .unwrap();
    assert!(
        checked.is_invalid(),
        "the data error still breaks the contract"
    );
    let registry = checked.registry.expect("the policy is valid");
    let assessment = vetted::assess::assess(&registry, today);
    let out = tmp.path().join("site");
    vetted::render::build(
        &registry,
        &assessment,
        &vetted::render::BuildOptions {
            out: out.clone(),
            theme_dir: None,
            progress: false,
            history: None,
            cache_dir: None,
        },
    )
    .unwrap();
    let html = page(&out, "vendors/acme-infusion/index.html");
    let main = main_region(&html);
    assert!(main.contains("Partial assessment"), "{main}");
    assert!(
        main.contains("artifacts.toml artifact 1 (covers: E0305 `&lt;b&gt;Auroa&lt;"),
        "{main}"
    );
    assert!(!main.contains("<b>Auroa"), "escaped");
    assert!(
        main.contains("Not assessed: artifact 1 has data errors"),
        "{main}"
    );
    // A clean vendor has no banner.
    let clean = page(&out, "vendors/cloudsched/index.html");
    assert!(!main_region(&clean).contains("Partial assessment"));
}

/// `find` replaced by `replace` (once) in the registry file `rel`; panics when absent.
fn edit(reg: &Path, rel: &str, find: &str, replace: &str) {
    let path = reg.join(rel);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(find), "{rel}: `{find}` not found");
    fs::write(&path, text.replacen(find, replace, 1)).unwrap();
}

/// Evidence files: one that passes every rule of `[policy.evidence_files]`
/// is in the site byte for byte and linked from its artifact's row; one of
/// a type the site never serves, one whose content is not its extension's
/// and one over the size limit are neither copied nor linked. Links to an
/// intranet host say so in text.
#[test]
fn evidence_files_are_served_byte_for_byte_and_a_failing_file_never() {
    let tmp = fixture();
    let reg = tmp.path().join("reg");
    let out = tmp.path().join("public");
    let (acme, cloud) = ("vendors/acme-infusion", "vendors/cloudsched");
    fs::create_dir_all(reg.join(acme).join("evidence")).unwrap();
    fs::create_dir_all(reg.join(cloud).join("evidence")).unwrap();
    // A PDF with bytes a text conversion would alter (CR LF, NUL, 0xFF).
    let pdf: &[u8] =
        b"%PDF-1.4\r\n%\xe2\xe3\xcf\xd3\r\n1 0 obj\n<< >>\nendobj\n\x00\xff trailer\n%%EOF\n";
    fs::write(reg.join(acme).join("evidence/SOC2 Report (2025).pdf"), pdf).unwrap();
    let html = "<!DOCTYPE html><script>alert(document.domain)</script>\n";
    fs::write(reg.join(acme).join("evidence/sbom.html"), html).unwrap();
    fs::write(reg.join(acme).join("evidence/baa.pdf"), html).unwrap();
    fs::write(reg.join(cloud).join("evidence/iso.txt"), "x".repeat(5000)).unwrap();
    let sha = format!("{:x}", <sha2::Sha256 as sha2::Digest>::digest(pdf));
    let artifacts = format!("{acme}/artifacts.toml");
    edit(
        &reg,
        &artifacts,
        "link = \"https://evidence.fixture.example/acme/soc2-2025.pdf\"",
        &format!(
            "link = \"https://evidence.fixture.example/acme/soc2-2025.pdf\"\n\
             file = \"evidence/SOC2 Report (2025).pdf\"\nsha256 = \"{sha}\""
        ),
    );
    edit(
        &reg,
        &artifacts,
        "link = \"https://evidence.fixture.example/acme/sbom-4.2.1.json\"",
        "file = \"evidence/sbom.html\"",
    );
    edit(
        &reg,
        &artifacts,
        "link = \"https://evidence.fixture.example/acme/baa.pdf\"",
        "file = \"evidence/baa.pdf\"",
    );
    edit(
        &reg,
        &format!("{cloud}/artifacts.toml"),
        "link = \"https://evidence.fixture.example/cloudsched/iso.pdf\"",
        "link = \"https://certificates.registrar.example/cloudsched.pdf\"\nfile = \"evidence/iso.txt\"",
    );
    edit(
        &reg,
        "vetted.toml",
        "organisation = \"Fixture Hospital\"",
        "organisation = \"Fixture Hospital\"\nintranet_hosts = [\"fixture.example\"]",
    );
    edit(
        &reg,
        "vetted.toml",
        "max_breach_notification_hours = 72",
        "max_breach_notification_hours = 72\n\n[policy.evidence_files]\nmax_bytes = 4096",
    );
    build_site(&reg, &out);

    let site = tree(&out);
    let served = format!("{acme}/files/{}/soc2-report-2025.pdf", &sha[..12]);
    assert_eq!(
        site.get(&served).map(Vec::as_slice),
        Some(pdf),
        "byte-identical at {served}"
    );
    let copied: Vec<&String> = site.keys().filter(|p| p.contains("/files/")).collect();
    assert_eq!(
        copied,
        [&served],
        "only the file that passed is in the site"
    );
    for (path, bytes) in &site {
        assert!(
            !String::from_utf8_lossy(bytes).contains("alert(document.domain)"),
            "{path} holds the refused file's content"
        );
    }

    let acme_page = page(&out, &format!("{acme}/index.html"));
    let hrefs: Vec<String> = links(&acme_page).into_iter().map(|(_, h)| h).collect();
    assert!(
        hrefs.contains(&format!("../../{served}")),
        "linked: {hrefs:?}"
    );
    assert!(
        !hrefs
            .iter()
            .any(|h| h.contains("sbom") || h.contains("baa")),
        "a refused file is not linked: {hrefs:?}"
    );
    // Refused files show as their path, marked as not published.
    assert!(
        acme_page.contains("<code title=\"File in the vendor folder\">evidence/sbom.html</code>")
    );
    assert!(
        acme_page.contains("<code title=\"File in the vendor folder\">evidence/baa.pdf</code>")
    );
    let label = format!("PDF, {} bytes", pdf.len());
    assert!(acme_page.contains(&label), "type and size beside the link");
    assert_eq!(
        acme_page.matches("<small>Intranet</small>").count(),
        1,
        "the intranet link is marked"
    );

    let cloud_page = page(&out, &format!("{cloud}/index.html"));
    assert!(
        !cloud_page.contains("/files/"),
        "the file over the limit is not linked"
    );
    assert!(
        !cloud_page.contains(">Intranet</small>"),
        "another host is not intranet"
    );
    assert!(cloud_page.contains("https://certificates.registrar.example/cloudsched.pdf"));
}

/// A `file =` that is a symbolic link to another vendor's folder is a
/// data-contract error (E0401): the build is refused and writes nothing.
#[cfg(unix)]
#[test]
fn an_evidence_file_that_leads_out_of_the_vendor_folder_is_refused() {
    let tmp = fixture();
    let reg = tmp.path().join("reg");
    let out = tmp.path().join("public");
    fs::write(
        reg.join("vendors/cloudsched/secret.txt"),
        "another vendor's evidence",
    )
    .unwrap();
    let acme = reg.join("vendors/acme-infusion");
    std::os::unix::fs::symlink("../cloudsched/secret.txt", acme.join("leak.txt")).unwrap();
    edit(
        &reg,
        "vendors/acme-infusion/artifacts.toml",
        "link = \"https://evidence.fixture.example/acme/baa.pdf\"",
        "file = \"leak.txt\"",
    );
    match build_with(&options(&reg, &out)) {
        (Ok(BuildOutcome::Refused(refusal)), _) => {
            let (errors, _) = refusal.diagnostics();
            assert!(
                errors
                    .iter()
                    .any(|d| d.code == "E0401"
                        && &*d.loc.path == "vendors/acme-infusion/artifacts.toml"),
                "{errors:?}"
            );
        }
        (other, _) => panic!("expected a refusal, got {other:?}"),
    }
    assert!(!out.exists(), "nothing is written");
}

/// The example registry's site, built through the library without history.
fn example_site() -> (tempfile::TempDir, String) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build_site(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("registry"),
        &out,
    );
    let index = page(&out, "index.html");
    (tmp, index)
}

/// The part of `html` from the element with this id to the end of its section.
fn section<'h>(html: &'h str, id: &str) -> &'h str {
    let start = html.find(&format!("id=\"{id}\"")).unwrap();
    let end = start + html[start..].find("</section>").unwrap();
    &html[start..end]
}

/// The example registry, built without history.
fn example_out() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let reg = Path::new(env!("CARGO_MANIFEST_DIR")).join("registry");
    try_build(&reg, &out, None).unwrap_or_else(|e| panic!("build failed: {e}"));
    (tmp, out)
}

/// The `<tr …>…</tr>` of the row whose `data-key` is `key`.
fn row<'h>(html: &'h str, key: &str) -> &'h str {
    let start = html
        .find(&format!("<tr data-key=\"{key}\""))
        .unwrap_or_else(|| panic!("no row {key}"));
    let end = html[start..].find("</tr>").unwrap() + start;
    &html[start..end]
}

#[test]
fn the_dashboard_ranks_vendors_needing_action_tier_first_then_decision() {
    let (_tmp, index) = example_site();
    let main = main_region(&index);
    // The action list comes first in the page, before the headline numbers.
    assert!(main.find("id=\"action\"").unwrap() < main.find("class=\"stats\"").unwrap());
    let action = section(main, "action");
    let rows: Vec<(&str, &str)> = action
        .split("<tr data-key=\"")
        .skip(1)
        .map(|r| r.split_once('"').unwrap())
        .map(|(key, rest)| (key, &rest[..rest.find("</tr>").unwrap()]))
        .collect();
    let keys: Vec<&str> = rows.iter().map(|(k, _)| *k).collect();
    assert_eq!(
        keys,
        [
            // Tier 1, all not approved: most errors first, then red flags.
            "rxvault-dispensing",
            "lumenview-imaging",
            "corvane-infusion",
            "verbatim-speech",
            "tidewell-rpm",
            "kestrel-telemetry",
            // Tier 2: not approved before approved with conditions.
            "belltower-nursecall",
            "meridian-modality",
            "quillon-lab",
            "harborline-integration",
            "pellucid-sterile",
            // Tier 3.
            "sonora-hygiene",
            "thermisense-coldchain",
        ]
    );
    // Tier and decision only ever get worse-to-better down the list.
    let tier_of = |row: &str| row.split("class=\"tier tier-").nth(1).unwrap()[..1].to_string();
    let tiers: Vec<String> = rows.iter().map(|(_, r)| tier_of(r)).collect();
    assert!(tiers.windows(2).all(|w| w[0] <= w[1]), "{tiers:?}");
    // Why, in a few words, with the decision and a link to the vendor page.
    let (_, rx) = rows[0];
    assert!(rx.contains("href=\"./vendors/rxvault-dispensing/index.html\""));
    assert!(rx.contains("Not approved"));
    assert!(rx.contains("4 errors · 5 red flags · review overdue · 2 expired evidence"));
    let (_, kestrel) = rows[5];
    assert!(kestrel.contains("1 error · 1 red flag · review overdue"));
    let (_, pellucid) = rows[10];
    assert!(pellucid.contains("Approved with conditions") && pellucid.contains("6 red flags"));
    // The approved vendor needs nothing and the offboarded one is no longer
    // assessed: neither is listed. The full lists are the vendors list
    // filtered by decision.
    assert!(!action.contains("rosterly-scheduling") && !action.contains("brightbay-bedside"));
    assert!(
        action.contains(
            "<a href=\"./vendors/index.html#decision=not-approved\">Not approved (11)</a>"
        )
    );
    assert!(action.contains("./vendors/index.html#decision=approved-with-conditions"));
}

#[test]
fn every_dashboard_number_opens_the_list_it_counts_filtered_in_the_hash() {
    let (_tmp, index) = example_site();
    let main = main_region(&index);
    let stats = &main[main.find("class=\"stats\"").unwrap()..];
    let stats = &stats[..stats.find("</section>").unwrap()];
    let hrefs: Vec<&str> = stats
        .split("href=\"")
        .skip(1)
        .map(|h| &h[..h.find('"').unwrap()])
        .collect();
    assert_eq!(
        hrefs,
        [
            "./vendors/index.html",
            "./vendors/index.html#decision=not-approved",
            "./vendors/index.html#status=non-compliant",
            "./vendors/index.html#status=attention",
            "./evidence/index.html#status=expired",
            "./evidence/index.html#status=expiring",
            "./evidence/index.html#status=missing",
            "./index.html#reviews",
            "./findings/index.html#status=open",
            "./index.html#red-flags",
            "./products/index.html#eos=upcoming",
            // 2026-11-22: next month's expiries, on the calendar's month.
            "./calendar/month/2026-12/index.html",
        ]
    );
    // Per tier, per decision, per status: the vendors list, filtered.
    for href in [
        "./vendors/index.html#tier=1",
        "./vendors/index.html#tier=3",
        "./vendors/index.html#decision=approved",
        "./vendors/index.html#decision=not-assessed",
        "./vendors/index.html#status=compliant",
        "./findings/index.html#status=overdue",
    ] {
        assert!(main.contains(&format!("href=\"{href}\"")), "{href}");
    }
    // The portfolio questions, each one or two clicks away.
    let questions = section(main, "questions");
    for href in [
        "./evidence/index.html#tier=1&amp;kind=soc2-type2&amp;status=unmet",
        "./subprocessors/index.html\"",
        "./subprocessors/index.html#q=Nimbus%20Cloud%20Platform",
        "./products/index.html#sort=eos&amp;dir=asc",
        "./products/index.html#eos=past",
        "./calendar/month/2026-12/index.html",
    ] {
        assert!(questions.contains(&format!("href=\"{href}")), "{href}");
    }
    // Three tier-1 vendors lack a valid SOC 2 Type II report, and that
    // kind, the most lacking, comes first.
    let first = &questions[questions.find("<li>").unwrap()..];
    assert!(first.starts_with("<li><a href=\"./evidence/index.html#tier=1&amp;kind=soc2-type2&amp;status=unmet\">SOC 2 Type II report</a> <span class=\"count\">3</span>"), "{}", &first[..200]);
}

#[test]
fn every_dashboard_table_of_vendor_rows_has_a_tier_column() {
    let (_tmp, index) = example_site();
    let main = main_region(&index);
    let tables: Vec<&str> = main.split("<table").skip(1).collect();
    let mut checked = 0;
    for t in tables {
        let t = &t[..t.find("</table>").unwrap()];
        if !t.contains("vendors/") {
            continue; // the charts' number tables
        }
        checked += 1;
        assert!(
            t.contains("<th scope=\"col\">Tier</th>"),
            "no Tier column: {}",
            &t[..300.min(t.len())]
        );
        assert!(t.contains("class=\"tier tier-"), "no tier badge in rows");
    }
    assert!(checked >= 7, "only {checked} vendor tables");
}

/// The example registry in a fresh git repository of two commits (the second
/// changes one answer of LumenView's `[vulnerability_management]`), built with
/// its history. Gives the temp dir, the site and the two short commit ids.
fn example_site_with_history() -> (tempfile::TempDir, PathBuf, [String; 2]) {
    let tmp = tempfile::tempdir().unwrap();
    let reg = tmp.path().join("registry");
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("registry"),
        &reg,
    );
    // One change a vendor page (LumenView has two: the page links to the
    // change log for the older one).
    let settings = reg.join("vetted.toml");
    let text = fs::read_to_string(&settings).unwrap();
    fs::write(
        &settings,
        text.replacen("[site]\n", "[site]\nvendor_history = 1\n", 1),
    )
    .unwrap();
    let first = common::Author::ANA;
    let second = common::Author {
        date: "@1710000000 +0000",
        ..common::Author::ANA
    };
    common::git(tmp.path(), &["init", "-q", "-b", "main"], &first);
    common::git(tmp.path(), &["add", "-A"], &first);
    common::git(tmp.path(), &["commit", "-q", "-m", "example"], &first);
    let answers = reg.join("vendors/lumenview-imaging/answers.toml");
    let text = fs::read_to_string(&answers).unwrap();
    fs::write(
        &answers,
        text.replacen(
            "patch_cadence = \"monthly\"",
            "patch_cadence = \"quarterly\"",
            1,
        ),
    )
    .unwrap();
    common::git(
        tmp.path(),
        &["commit", "-q", "-am", "LumenView patches quarterly"],
        &second,
    );
    let short = |rev: &str| common::git(tmp.path(), &["rev-parse", "--short=10", rev], &first);
    let ids = [
        short("HEAD~1").trim().to_string(),
        short("HEAD").trim().to_string(),
    ];
    let out = tmp.path().join("public");
    let opts = BuildOptions {
        registry: reg,
        today: TODAY.parse().unwrap(),
        out: out.clone(),
        theme_dir: None,
        history: HistorySource::Git { cache_dir: None },
        rev: None,
        progress: false,
    };
    let outcome = command::build(&opts, &mut |_| {}).unwrap();
    assert!(matches!(outcome, BuildOutcome::Built(_)));
    (tmp, out, ids)
}

/// The vendor page of the example: decision, red flags and notes first; answers
/// by their short titles and option labels, each section and each flagged
/// question linked to its entry on the questionnaire page (which holds the
/// guidance, once); one "last changed" line
/// per section; the printed record's running header.
#[test]
fn the_example_vendor_page_puts_the_decision_first_and_links_guidance() {
    let (_tmp, out, [first, second]) = example_site_with_history();
    let html = page(&out, "vendors/lumenview-imaging/index.html");
    let main = main_region(&html);
    let at = |needle: &str| {
        main.find(needle)
            .unwrap_or_else(|| panic!("no {needle} in the vendor page"))
    };
    let order = [
        "id=\"decision-h\"",
        "id=\"red-flags-h\"",
        "id=\"notes-h\"",
        "id=\"status-h\"",
        "id=\"profile-h\"",
        "id=\"evidence\"",
        "id=\"history-h\"",
        "id=\"answers-h\"",
    ];
    for pair in order.windows(2) {
        assert!(at(pair[0]) < at(pair[1]), "{} before {}", pair[0], pair[1]);
    }
    // Labels, not option ids; booleans as words.
    assert!(main.contains("<dd>SOC 2 Type II, NIST Cybersecurity Framework"));
    assert!(!main.contains("<dd>soc2-type2") && !main.contains(", soc2-type2"));
    assert!(main.contains("Quarterly"), "a choice answer by its label");
    // Answers are listed by the question's short title; the questionnaire
    // page has the prompt and says what the title is.
    assert!(main.contains("<dt>Shares audit reports</dt>"));
    assert!(!main.contains("Will you give us"));
    // Guidance is on the questionnaire page only; every questionnaire link resolves there.
    let questionnaire = page(&out, "questionnaire/index.html");
    assert!(questionnaire.contains("Will you give us your current third-party audit reports"));
    assert!(questionnaire.contains("<dt>Listed as</dt><dd>Shares audit reports</dd>"));
    let guidance = "independently certified or attested";
    assert!(questionnaire.contains(guidance));
    assert!(!html.contains(guidance) && !html.contains("What a strong answer contains"));
    let targets = ids(&questionnaire);
    let mut rules = 0;
    for (_, link) in links(main) {
        if let Some(fragment) = link.strip_prefix("../../questionnaire/index.html#") {
            assert!(
                targets.contains(&fragment),
                "no {fragment} on the questionnaire page"
            );
            rules += usize::from(fragment.starts_with("r-"));
        }
    }
    // A red flag's message is shown once, in the Red flags list (which links
    // to the answer, whose title links to the question's rules); the answer
    // carries a marker linking to that entry.
    let flags = main.matches("<a class=\"fm fm-").count();
    assert!(flags > 0 && rules == 0, "{rules} rule links, {flags} flags");
    let here = ids(main);
    let list = &main[at("id=\"red-flags\"")..at("id=\"notes\"")];
    for n in 1..=flags {
        let entry = format!("flag-{n}");
        assert!(here.contains(&entry.as_str()), "no #{entry}");
        assert!(
            main.contains(&format!(" href=\"#{entry}\">⚑ ")),
            "no marker to #{entry}"
        );
        let li = &list[list.find(&format!("<li id=\"{entry}\">")).unwrap()..];
        let li = &li[..li.find("</li>").unwrap()];
        let message = li[li.find("<a href=\"#q-").unwrap()..]
            .split('>')
            .nth(1)
            .unwrap();
        let message = message.trim_end_matches("</a");
        assert!(message.len() > 20, "{entry}: {li}");
        // Once in the Red flags list, never again in the answers (the
        // decision's reasons may name an error flag: that is the decision).
        assert_eq!(list.matches(message).count(), 1, "{message} listed once");
        assert!(
            !main[at("id=\"answers\"")..].contains(message),
            "{message} not repeated"
        );
        let answer = li[li.find("<a href=\"#").unwrap() + 10..]
            .split('"')
            .next()
            .unwrap();
        assert!(here.contains(&answer), "{entry} links to answer #{answer}");
        assert!(
            main.contains(&format!(
                "<dt id=\"{answer}\"><a href=\"../../questionnaire/index.html#{answer}\">"
            )),
            "the flagged answer #{answer} links to its guidance and rules"
        );
        // The decision counts the flags that refuse approval instead of
        // repeating their messages.
        let decision = &main[at("id=\"decision-h\"")..at("id=\"red-flags\"")];
        assert!(
            !decision.contains(message),
            "{message} repeated by the decision"
        );
    }
    let decision = &main[at("id=\"decision-h\"")..at("id=\"red-flags\"")];
    assert!(decision.contains(" listed below</a></li>"), "{decision}");
    // `[site] vendor_history = 1`: the newest change, then the change log's
    // entry of the older one.
    let history = &main[at("id=\"history\"")..at("id=\"answers\"")];
    assert_eq!(
        history.matches("<li class=\"change").count(),
        1,
        "{history}"
    );
    // The short commit id only (the change log has the full one).
    assert!(
        history.contains(&format!("<code>{second}</code>")),
        "{history}"
    );
    assert!(!history.contains("<code title="), "{history}");
    let older = format!("href=\"../../changes/index.html#commit-{first}\">Older changes");
    assert!(history.contains(&older), "{history}");
    assert!(page(&out, "changes/index.html").contains(&format!(" id=\"commit-{first}\"")));
    // One "last changed" line per answered section, none per answer.
    let sections = main.matches("<section class=\"qa-section").count();
    assert_eq!(
        main.matches("<p class=\"since\">Last changed").count(),
        sections
    );
    let line = |section: &str| {
        let s = &main[at(&format!("id=\"section-{section}\""))..];
        s[s.find("<p class=\"since\">").unwrap()..][..120].to_string()
    };
    assert!(
        line("vulnerability_management").contains(&format!("2024-03-09 · <code>{second}</code>"))
    );
    assert!(line("standards").contains(&format!("2023-11-14 · <code>{first}</code>")));
    // The running header: vendor, as-of date and the commit the record reflects.
    assert!(html.contains(&format!(
        "<style>@page{{@top-left{{content:\"LumenView Imaging\"}}@top-right{{content:\"As of \" \"2026-11-22\" \" \\b7  \" \"commit {second}\"}}}}</style>"
    )));
    // Another vendor's page names its own last commit (the policy's, here).
    let other = page(&out, "vendors/belltower-nursecall/index.html");
    assert!(other.contains(&format!("\"commit {first}\"")));
}

/// Registry text reaches the print header's CSS only escaped: it cannot end
/// the string, the rule or the `<style>` element.
#[test]
fn the_print_header_escapes_registry_text() {
    let tmp = fixture();
    let reg = tmp.path().join("reg");
    let vendor = reg.join("vendors/acme-infusion/vendor.toml");
    let text = fs::read_to_string(&vendor).unwrap();
    fs::write(
        &vendor,
        text.replacen(
            "name = \"Acme Infusion Systems\"",
            "name = \"Acme\\\"}</style><script>alert(1)</script>\\\\\"",
            1,
        ),
    )
    .unwrap();
    let out = tmp.path().join("site");
    build_site(&reg, &out);
    let html = page(&out, "vendors/acme-infusion/index.html");
    let style = &html[html.find("<style>").unwrap()..];
    let style = &style[..style.find("</style>").unwrap()];
    assert_eq!(
        style,
        "<style>@page{@top-left{content:\"Acme\\22 \\7d \\3c /style\\3e \\3c script\\3e alert(1)\\3c /script\\3e \\5c \"}@top-right{content:\"As of \" \"2026-11-22\" \" \\b7  \" \"not in git\"}}"
    );
    assert!(!html.contains("<script>alert"));
}

/// `data-key`s of a list page's table rows, in order.
fn row_keys(html: &str) -> Vec<String> {
    html.split("<tr data-key=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

/// The fixture with `[site] rows_per_page = 1`, built into `tmp/site`.
fn paged_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = fixture();
    let reg = tmp.path().join("reg");
    let settings = fs::read_to_string(reg.join("vetted.toml")).unwrap();
    let settings = settings.replacen("[site]\n", "[site]\nrows_per_page = 1\n", 1);
    fs::write(reg.join("vetted.toml"), settings).unwrap();
    let out = tmp.path().join("site");
    build_site(&reg, &out);
    (tmp, out)
}

#[test]
fn big_lists_are_split_into_complete_pages_with_a_pager_and_facet_pages() {
    let (_tmp, out) = paged_site();
    // Every vendor on exactly one page, in the data script's order.
    let script = page(&out, "vendors/rows.js");
    assert!(script.starts_with("(window.VETTED_ROWS = window.VETTED_ROWS || {})[\"vendors\"] = {"));
    let first = page(&out, "vendors/index.html");
    let second = page(&out, "vendors/page/2/index.html");
    assert!(!out.join("vendors/page/3/index.html").exists());
    let keys: Vec<String> = [row_keys(&first), row_keys(&second)].concat();
    assert_eq!(keys, ["acme-infusion", "cloudsched"]);
    for k in &keys {
        assert!(script.contains(&format!("[\"{k}\",")), "{k} in rows.js");
    }
    // The pager: numbered links, rel next/prev, the current page marked.
    assert!(
        first.contains(r#"<a href="../vendors/page/2/index.html" rel="next">Next</a>"#),
        "{first}"
    );
    assert!(first.contains(r#"<a href="../vendors/index.html" aria-current="page">1</a>"#));
    assert!(second.contains(r#"<a href="../../../vendors/index.html" rel="prev">Previous</a>"#));
    assert!(second.contains(r#"aria-current="page">2</a>"#));
    // The count element of the DOM contract.
    assert!(first.contains(r#"data-count="vendors" data-shown="2" data-total="2""#));
    // No-JS filters: one page per tier and decision that has vendors, linked
    // from the list, listing only those vendors.
    let tier_links: Vec<&str> = first
        .split("data-facet=\"tier=")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    assert!(!tier_links.is_empty());
    for t in tier_links {
        let html = page(&out, &format!("vendors/tier/{t}/index.html"));
        let tiers: Vec<&str> = html
            .split("<tr data-key=")
            .skip(1)
            .filter_map(|s| s.split("data-tier=\"").nth(1))
            .filter_map(|s| s.split('"').next())
            .collect();
        assert!(
            !tiers.is_empty() && tiers.iter().all(|x| *x == t),
            "tier {t}: {tiers:?}"
        );
    }
    assert!(first.contains("data-facet=\"decision="));
    // A facet is one page: its first rows, and a line to the full list
    // filtered by hash when it has more (every row stays on the full list's pages).
    let facet_pages: Vec<String> = tree(&out)
        .into_keys()
        .filter(|p| p.contains("/tier/") || p.contains("/status/") || p.contains("/decision/"))
        .collect();
    assert!(!facet_pages.is_empty());
    assert!(
        facet_pages.iter().all(|p| !p.contains("/page/")),
        "{facet_pages:?}"
    );
    let open = page(&out, "findings/status/open/index.html");
    assert_eq!(row_keys(&open).len(), 1);
    assert!(
        open.contains(r#"Showing 1 of 2: <a href="../../../findings/index.html#status=open">page through all of them in the full list</a>"#),
        "{open}"
    );
    // Findings: three findings, one a page, each page complete; facets by status.
    let findings: Vec<String> = [
        "findings/index.html",
        "findings/page/2/index.html",
        "findings/page/3/index.html",
    ]
    .iter()
    .flat_map(|p| row_keys(&page(&out, p)))
    .collect();
    assert_eq!(findings.len(), 3, "{findings:?}");
    assert_eq!(
        row_keys(&page(&out, "findings/status/closed/index.html")),
        ["acme-infusion/F-3"]
    );
    assert!(page(&out, "findings/rows.js").contains("\"acme-infusion/F-3\""));
}

#[test]
fn every_calendar_month_and_the_overdue_list_are_paginated_in_full() {
    // The calendar has no full list: its rows live only in the month and
    // overdue pages, so each is paginated whole (a month cut to its first
    // page lost every later date of the month).
    let (_tmp, out) = paged_site();
    let files = tree(&out);
    let rows_of = |dir: &str| -> usize {
        files
            .keys()
            .filter(|p| p.starts_with(dir) && p.ends_with("index.html"))
            .map(|p| page(&out, p).matches("<tr").count().saturating_sub(1))
            .sum()
    };
    let index = page(&out, "calendar/index.html");
    let months: Vec<(String, usize)> = index
        .split("calendar/month/")
        .skip(1)
        .filter_map(|s| {
            let key = s.split('/').next()?.to_string();
            let n = s
                .split("<span class=\"count\">")
                .nth(1)?
                .split('<')
                .next()?;
            Some((key, n.parse().ok()?))
        })
        .collect();
    assert!(
        months.iter().any(|(_, n)| *n > 1),
        "a month with more dates than a page: {months:?}"
    );
    for (key, n) in &months {
        assert_eq!(
            rows_of(&format!("calendar/month/{key}/")),
            *n,
            "month {key}"
        );
        if *n > 1 {
            assert!(
                files.contains_key(&format!("calendar/month/{key}/page/{n}/index.html")),
                "{key} page {n}"
            );
            // The month navigation is on the first page only; later pages
            // link back to the index of months.
            let first = page(&out, &format!("calendar/month/{key}/index.html"));
            let later = page(&out, &format!("calendar/month/{key}/page/2/index.html"));
            assert!(first.contains("<nav class=\"month-nav\""), "{key}");
            assert!(!later.contains("<nav class=\"month-nav\""), "{key} page 2");
            assert!(
                later.contains("<a href=\"../../../../../calendar/index.html\">All months</a>"),
                "{key} page 2"
            );
        }
    }
    let (first_month, _) = months.first().expect("a month");
    let overdue: usize = page(&out, &format!("calendar/month/{first_month}/index.html"))
        .split(" overdue date")
        .next()
        .and_then(|s| s.rsplit('>').next())
        .and_then(|n| n.trim().parse().ok())
        .expect("the overdue count on a month page");
    assert_eq!(rows_of("calendar/overdue/"), overdue);
}

/// A git registry of the fixture with six commits, `[site] rows_per_page = 2`.
fn registry_with_history() -> tempfile::TempDir {
    let tmp = fixture();
    let reg = tmp.path().join("reg");
    let settings = fs::read_to_string(reg.join("vetted.toml")).unwrap();
    fs::write(
        reg.join("vetted.toml"),
        settings.replacen("[site]\n", "[site]\nrows_per_page = 2\n", 1),
    )
    .unwrap();
    let ana = common::Author::ANA;
    common::git(&reg, &["init", "-q", "-b", "main"], &ana);
    common::git(&reg, &["add", "-A"], &ana);
    common::git(&reg, &["commit", "-qm", "Initial registry"], &ana);
    let findings = reg.join("vendors/acme-infusion/findings.toml");
    for i in 1..=5 {
        let text = fs::read_to_string(&findings).unwrap();
        fs::write(
            &findings,
            text.replacen("Telnet open", &format!("Telnet {i} open"), 1)
                .replacen(
                    &format!("Telnet {} open", i - 1),
                    &format!("Telnet {i} open"),
                    1,
                ),
        )
        .unwrap();
        common::git(
            &reg,
            &["commit", "-qam", &format!("Finding F-1 reworded ({i})")],
            &ana,
        );
    }
    tmp
}

#[test]
fn the_change_log_is_paginated_and_the_feed_links_each_commit_to_its_entry() {
    let tmp = registry_with_history();
    let reg = tmp.path().join("reg");
    let out = tmp.path().join("site");
    let opts = BuildOptions {
        registry: reg.clone(),
        today: TODAY.parse().unwrap(),
        out: out.clone(),
        theme_dir: None,
        history: HistorySource::Git {
            cache_dir: Some(tmp.path().join("cache")),
        },
        rev: None,
        progress: false,
    };
    let outcome = command::build(&opts, &mut |_| {}).unwrap();
    assert!(matches!(outcome, BuildOutcome::Built(_)));
    // Six commits, two a page: three pages, none pointing to itself as "the change log".
    for p in [
        "changes/index.html",
        "changes/page/2/index.html",
        "changes/page/3/index.html",
    ] {
        let html = page(&out, p);
        assert_eq!(
            html.matches("<li class=\"change\" id=\"commit-").count(),
            2,
            "{p}"
        );
        assert!(!html.contains(">Change log</a></p>"), "{p} links to itself");
    }
    assert!(!out.join("changes/page/4/index.html").exists());
    // An independent reader: feedparser.
    let run = std::process::Command::new(common::test_python())
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/validate_atom.py"))
        .arg(out.join("changes.atom"))
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert!(
        summary["self"][0]
            .as_str()
            .unwrap()
            .ends_with("changes.atom"),
        "{summary}"
    );
    let entries = summary["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 6);
    for e in entries {
        let href = e["alternate"][0].as_str().unwrap();
        let rel = &href[href.rfind("changes/").unwrap()..];
        let (file, anchor) = rel.split_once('#').unwrap();
        let html = page(&out, file);
        assert!(
            html.contains(&format!("id=\"{anchor}\"")),
            "{rel} has no entry {anchor}"
        );
        let short = anchor.trim_start_matches("commit-");
        assert!(e["id"].as_str().unwrap().contains(short), "{e}");
    }
}

#[test]
fn the_calendar_is_an_index_of_month_pages_and_an_overdue_page() {
    let tmp = fixture();
    let out = tmp.path().join("site");
    build_site(&tmp.path().join("reg"), &out);
    let index = page(&out, "calendar/index.html");
    assert!(
        !index.contains("<tr class=\"event-"),
        "the index lists months, not dates"
    );
    let months: Vec<&str> = index
        .split("href=\"../calendar/month/")
        .skip(1)
        .filter_map(|s| s.split('/').next())
        .collect();
    assert!(!months.is_empty());
    for m in &months {
        let html = page(&out, &format!("calendar/month/{m}/index.html"));
        let dates: Vec<&str> = html
            .split("<td><time>")
            .skip(1)
            .filter_map(|s| s.split('<').next())
            .collect();
        assert!(
            !dates.is_empty() && dates.iter().all(|d| d.starts_with(m)),
            "{m}: {dates:?}"
        );
    }
    let overdue = page(&out, "calendar/overdue/index.html");
    let past: Vec<&str> = overdue
        .split("<tr")
        .skip(2)
        .filter_map(|s| s.split('>').next())
        .collect();
    assert!(
        !past.is_empty() && past.iter().all(|c| *c == " class=\"is-past\""),
        "{past:?}"
    );
}

#[test]
fn the_cross_vendor_pages_answer_the_portfolio_questions() {
    let (_tmp, out) = example_out();
    // Which vendors share subprocessor X? Nimbus Cloud Platform, with its vendors.
    let index = page(&out, "subprocessors/index.html");
    assert!(index.contains("href=\"../subprocessors/nimbus-cloud-platform/index.html\""));
    let nimbus = page(&out, "subprocessors/nimbus-cloud-platform/index.html");
    assert!(nimbus.contains("<h1>Nimbus Cloud Platform</h1>"));
    assert!(
        nimbus.contains("Used by 8 vendors"),
        "vendors counted once each"
    );
    assert!(nimbus.contains("4 of 6 live T1 vendors depend on it"));
    assert!(
        nimbus.contains("Concentrated"),
        "threshold 3 in vetted.toml"
    );
    for v in [
        "LumenView Imaging",
        "Tidewell Health",
        "Verbatim Clinical Speech",
        "Rosterly",
    ] {
        assert!(
            nimbus.contains(&format!(">{v}</a>")),
            "{v} depends on Nimbus"
        );
    }
    assert!(
        row(&nimbus, "lumenview-imaging").contains("LumenView PACS"),
        "its products"
    );
    // Which devices reach end of support before 2028? The row says when, and
    // carries the group and year the `eos` filter reads (`eos=past`, `eos=2028`).
    let products = page(&out, "products/index.html");
    let terminal = row(&products, "brightbay-bedside/Brightbay Bedside Terminal");
    assert!(terminal.contains("data-eos=\"past 2025\""));
    assert!(terminal.contains("<time datetime=\"2025-12-31\">2025-12-31</time>"));
    assert!(terminal.contains(">T3<"), "tier column");
    assert!(products.contains("<option value=\"2028\">Before 2028</option>"));
    let speech = row(&products, "verbatim-speech/Verbatim Dictate Cloud");
    assert!(speech.contains("data-eos=\"not-stated\""), "{speech}");
    // Which tier-1 vendors lack a valid SOC 2? Their cells say so, in the
    // tokens the kind and status filters read.
    let evidence = page(&out, "evidence/index.html");
    assert!(evidence.contains("<option value=\"soc2-type2\">SOC 2 Type II report</option>"));
    let lacking: Vec<&str> = evidence
        .match_indices("<tr data-key=\"")
        .map(|(i, _)| &evidence[i..i + evidence[i..].find('>').unwrap()])
        .filter(|tr| tr.contains("data-tier=\"1\"") && tr.contains("soc2-type2:unmet"))
        .map(|tr| tr.split('"').nth(1).unwrap())
        .collect();
    assert_eq!(
        lacking,
        ["lumenview-imaging", "rxvault-dispensing", "tidewell-rpm"]
    );
    assert!(row(&evidence, "lumenview-imaging").contains("0 of 3 products met"));
    assert!(row(&evidence, "rxvault-dispensing").contains("soc2-type2:missing"));
    // Tier 1 first: every tier-1 row before the first tier-2 row.
    let first_t2 = evidence.find("data-tier=\"2\"").unwrap();
    assert!(evidence[first_t2..].find("data-tier=\"1\"").is_none());
    // Every page of the site links the new pages.
    assert!(page(&out, "index.html").contains("href=\"./evidence/index.html\""));
}

#[test]
fn hostile_subprocessor_and_product_names_are_escaped_and_make_safe_paths() {
    let tmp = fixture();
    let reg = tmp.path().join("reg");
    let vendor = reg.join("vendors/acme-infusion");
    let long = "Δ".repeat(3000);
    let hostile = [
        "<script>alert(5)</script>",
        "../../../../etc/passwd",
        &format!("Long {}", "x".repeat(5000)),
        &long,
        "..",
    ];
    let mut toml = fs::read_to_string(vendor.join("vendor.toml")).unwrap();
    toml.push_str("\n[[product]]\nname = \"<img src=x onerror=alert(6)>\"\nversion = \"../1\"\n");
    for name in hostile {
        toml.push_str(&format!(
            "\n[[subprocessor]]\nname = {}\nservice = \"<b>hosting</b>\"\ndata = [\"phi\"]\nregion = \"US\"\n",
            toml_string(name)
        ));
    }
    fs::write(vendor.join("vendor.toml"), toml).unwrap();
    let out = tmp.path().join("public");
    build_site(&reg, &out);
    let files = tree(&out);
    let dirs: Vec<&str> = files
        .keys()
        .filter_map(|p| p.strip_prefix("subprocessors/"))
        .filter_map(|p| p.strip_suffix("/index.html"))
        .collect();
    assert_eq!(
        dirs,
        [
            "etc-passwd",
            &format!("long-{}", "x".repeat(55)),
            "script-alert-5-script",
            "subprocessor-2",
            "subprocessor",
        ],
        "one folder each, safe names, collisions numbered"
    );
    assert!(files.keys().all(|p| !p.contains("..")));
    for path in [
        "subprocessors/index.html",
        "subprocessors/script-alert-5-script/index.html",
    ] {
        let html = page(&out, path);
        assert!(
            html.contains("&lt;script&gt;alert(5)&lt;&#x2F;script&gt;")
                || html.contains("&lt;script&gt;alert(5)&lt;/script&gt;"),
            "{path}"
        );
        assert!(!html.contains("<script>alert"), "{path}");
        assert!(!html.contains("<b>hosting"), "{path}");
    }
    let products = page(&out, "products/index.html");
    assert!(products.contains("&lt;img src=x onerror=alert(6)&gt;"));
    assert!(!products.contains("<img"));
    assert!(page(&out, "subprocessors/subprocessor-2/index.html").contains(&long));
}

/// `s` as a TOML basic string.
fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Vendor pages stay small without losing a link: an answer carries its id
/// (`q-<section>-<question>`) only when something links to it (a red flag,
/// the unanswered list, an exception, the dashboard), while every answer still
/// links to its guidance on the questionnaire page.
#[test]
fn answer_ids_only_where_something_links_to_them() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build_site(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("registry"),
        &out,
    );
    let files = tree(&out);
    let pages: Vec<(&String, String)> = files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8_lossy(b).into_owned()))
        .collect();
    // Every link to an answer, as "vendors/<slug>/index.html#q-…".
    let mut linked = std::collections::BTreeSet::new();
    for (path, html) in &pages {
        for (_, link) in links(html) {
            let Some((file, fragment)) = link.split_once('#') else {
                continue;
            };
            if !fragment.starts_with("q-") {
                continue;
            }
            let target = if file.is_empty() {
                (*path).clone()
            } else if let Some(i) = file.rfind("vendors/") {
                file[i..].to_string()
            } else {
                continue;
            };
            linked.insert(format!("{target}#{fragment}"));
        }
    }
    let (mut with_id, mut without_id) = (0, 0);
    for (path, html) in pages
        .iter()
        .filter(|(p, _)| p.starts_with("vendors/") && p.matches('/').count() == 2)
    {
        let answers = &html[html.find("id=\"answers\"").unwrap()..];
        for id in ids(answers).into_iter().filter(|i| i.starts_with("q-")) {
            assert!(
                linked.contains(&format!("{path}#{id}")),
                "{path}: id {id} that nothing links to"
            );
            with_id += 1;
        }
        // An answer with an id (something points at it) links to its own
        // guidance; the others are a plain title, and every section title
        // links to the section's questions and guidance.
        let targets = answers.matches("<dt id=").count();
        let guided = answers
            .matches("\"><a href=\"../../questionnaire/index.html#q-")
            .count();
        assert_eq!(
            targets, guided,
            "{path}: a flagged answer without its guidance link"
        );
        assert_eq!(answers.matches("<dt><a ").count(), 0, "{path}");
        let sections = answers.matches("<section class=\"qa-section").count();
        let headed = answers
            .matches("<h3><a href=\"../../questionnaire/index.html#section-")
            .count();
        assert!(
            sections > 0 && headed == sections,
            "{path}: {headed} of {sections}"
        );
        without_id += answers.matches("<dt>").count();
    }
    assert!(
        with_id > 0 && without_id > with_id,
        "{with_id} ids, {without_id} answers without"
    );
}
