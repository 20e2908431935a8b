//! Themes: the default theme embedded in the binary, overridable file by file
//! from a folder with the same layout (`templates/…`, `static/…`).
//!
//! A file in the theme folder replaces the embedded file of the same path;
//! files it lacks fall back to the embedded ones; extra files are added
//! (new partials, a logo). Every template is autoescaped, whatever its name;
//! the feed template escapes for XML with the `xml` filter this module adds.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use tera::{Context, Tera};

use crate::error::Error;
use crate::error::FsOp;

macro_rules! embedded {
    ($($path:literal),* $(,)?) => {
        &[ $( ($path, include_str!(concat!("../../themes/default/", $path))) ),* ]
    };
}

/// The default theme: (path inside the theme folder, contents).
pub const DEFAULT_THEME: &[(&str, &str)] = embedded![
    "CONTRACT.md",
    "templates/base.html",
    "templates/index.html",
    "templates/vendors.html",
    "templates/vendor.html",
    "templates/calendar.html",
    "templates/questionnaire.html",
    "templates/findings.html",
    "templates/changes.html",
    "templates/changes.atom",
    "templates/evidence.html",
    "templates/subprocessors.html",
    "templates/subprocessor.html",
    "templates/products.html",
    "templates/partials/head.html",
    "templates/partials/header.html",
    "templates/partials/footer.html",
    "templates/partials/badge.html",
    "templates/partials/tier_badge.html",
    "templates/partials/accepted.html",
    "templates/partials/artifact_row.html",
    "templates/partials/finding_row.html",
    "templates/partials/answer.html",
    "templates/partials/chart.html",
    "templates/partials/history.html",
    "templates/partials/more.html",
    "templates/partials/table.html",
    "templates/partials/vendor/summary.html",
    "templates/partials/vendor/profile.html",
    "templates/partials/vendor/tier.html",
    "templates/partials/vendor/answers.html",
    "templates/partials/vendor/evidence.html",
    "templates/partials/vendor/findings.html",
    "templates/partials/vendor/flags.html",
    "templates/partials/vendor/history.html",
    "templates/partials/pager.html",
    "templates/partials/evidence_row.html",
    "templates/partials/subprocessor_row.html",
    "templates/partials/subprocessor_use_row.html",
    "templates/partials/product_row.html",
    "static/style.css",
    "static/vetted.js",
];

/// A loaded theme: templates compiled, static files in memory.
pub struct Theme {
    tera: Tera,
    /// Files under `static/`, by path inside it, sorted.
    pub statics: BTreeMap<String, Vec<u8>>,
    /// SHA-256 of every template and static file, by name: part of every
    /// page's inputs in an incremental build.
    pub fingerprint: [u8; 32],
}

impl Theme {
    /// The embedded theme, with the files of `dir` (if any) laid over it.
    pub fn load(dir: Option<&Path>) -> Result<Theme, Error> {
        let mut templates: BTreeMap<String, String> = BTreeMap::new();
        let mut statics: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        for (path, text) in DEFAULT_THEME {
            if let Some(name) = path.strip_prefix("templates/") {
                templates.insert(name.to_string(), text.to_string());
            } else if let Some(name) = path.strip_prefix("static/") {
                statics.insert(name.to_string(), text.as_bytes().to_vec());
            }
        }
        if let Some(dir) = dir {
            if !dir.is_dir() {
                return Err(Error::ThemeMissing {
                    path: dir.to_path_buf(),
                });
            }
            for (name, path) in files_under(&dir.join("templates"))? {
                let text = read_limited(&path).and_then(|b| {
                    String::from_utf8(b).map_err(|_| {
                        std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8")
                    })
                });
                let text = text.map_err(|source| Error::ThemeTemplate {
                    path: path.clone(),
                    source,
                })?;
                templates.insert(name, text);
            }
            for (name, path) in files_under(&dir.join("static"))? {
                let bytes = read_limited(&path).map_err(|source| Error::ThemeFile {
                    path: path.clone(),
                    source,
                })?;
                statics.insert(name, bytes);
            }
        }
        let mut tera = Tera::new();
        // Every name ends with "": autoescape for every template, whatever its extension.
        tera.autoescape_on([""]);
        tera.register_filter("xml", xml_filter);
        tera.register_filter("css_string", css_string_filter);
        tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|source| Error::ThemeCompile { source })?;
        let fingerprint = fingerprint(&templates, &statics);
        Ok(Theme {
            tera,
            statics,
            fingerprint,
        })
    }

    /// Render one template for the page at `path`.
    pub fn render(&self, template: &str, path: &str, ctx: &Context) -> Result<String, Error> {
        self.tera
            .render(template, ctx)
            .map_err(|source| Error::ThemeRender {
                page: path.to_string(),
                template: template.to_string(),
                source,
            })
    }
}

fn fingerprint(
    templates: &BTreeMap<String, String>,
    statics: &BTreeMap<String, Vec<u8>>,
) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    let files = templates.iter().map(|(n, t)| (n, t.as_bytes()));
    for (name, bytes) in files.chain(statics.iter().map(|(n, b)| (n, b.as_slice()))) {
        // Lengths first, so no two themes hash the same text.
        h.update((name.len() as u64).to_le_bytes());
        h.update(name.as_bytes());
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    }
    h.finalize().into()
}

/// The `xml` filter: text escaped for XML content and attributes, with
/// characters XML 1.0 forbids or discourages shown as U+FFFD, so a feed stays
/// well-formed for every parser whatever the registry or git history holds.
/// Its output is marked safe: autoescaping must not escape it again as HTML.
fn xml_filter(value: &str, _: tera::Kwargs, _: &tera::State) -> tera::Value {
    tera::Value::safe_string(&xml_escape(value))
}

/// The `css_string` filter: text as a quoted CSS string for a `<style>`
/// element (the print header's `content:`). Marked safe, since HTML escapes
/// mean nothing inside `<style>`; it is safe because only letters, digits,
/// space and harmless punctuation pass as they are.
fn css_string_filter(value: &str, _: tera::Kwargs, _: &tera::State) -> tera::Value {
    tera::Value::safe_string(&css_string(value))
}

/// `"…"`: every character but ASCII letters, digits, space and `.,:;-_·/()#`
/// (none of which can end the string, the rule or the `<style>` element)
/// becomes a CSS escape `\HEX ` (controls and non-characters become U+FFFD),
/// so registry text cannot leave the string it is put in.
pub(crate) fn css_string(s: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | ' ' | '.' | ',' | ':' | ';' | '-' | '_' => {
                out.push(c);
            }
            '/' | '(' | ')' | '#' | '\u{B7}' => out.push(c),
            c if xml_char(c) && !c.is_control() => {
                let _ = write!(out, "\\{:x} ", u32::from(c));
            }
            _ => out.push_str("\\fffd "),
        }
    }
    out.push('"');
    out
}

/// Escape text for XML content and attributes.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// Whether XML 1.0 allows `c` and does not discourage it: not a C0 control
/// (but tab, line feed, carriage return), not DEL or a C1 control, not a
/// Unicode non-character (U+FDD0..U+FDEF, and U+FFFE and U+FFFF in every
/// plane). Rust strings hold no surrogates.
fn xml_char(c: char) -> bool {
    let u = u32::from(c);
    match u {
        0x09 | 0x0A | 0x0D => true,
        0x00..=0x1F | 0x7F..=0x9F | 0xFDD0..=0xFDEF => false,
        _ => u & 0xFFFE != 0xFFFE,
    }
}

/// Largest theme file read (16 MiB): stylesheets, scripts and images.
pub const MAX_THEME_FILE: u64 = 16 << 20;

/// A theme file's bytes: a regular file only, at most `MAX_THEME_FILE`.
fn read_limited(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let (file, len) = crate::parse::open_regular(path)?;
    if len > MAX_THEME_FILE {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("{len} bytes, over the limit of {MAX_THEME_FILE}"),
        ));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(MAX_THEME_FILE).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Regular files below `dir`, as (path relative to `dir` with `/`, full path),
/// sorted; hidden files and folders are skipped. A missing `dir` has none.
fn files_under(dir: &Path) -> Result<Vec<(String, PathBuf)>, Error> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.map_err(|source| Error::ThemeFolder {
            path: dir.to_path_buf(),
            source,
        })?;
        // A theme sits beside the registry and arrives the same way: a link
        // may not lead out of its folder, and only regular files are read
        // (a pipe would block the build).
        let file_type = entry.file_type();
        if file_type.is_dir() {
            continue;
        }
        if file_type.is_symlink() {
            let inside = match (dir.canonicalize(), entry.path().canonicalize()) {
                (Ok(root), Ok(target)) => target.starts_with(root),
                _ => false,
            };
            if !inside {
                return Err(Error::ThemeLinkOut {
                    path: entry.path().to_path_buf(),
                    root: dir.to_path_buf(),
                });
            }
            if entry.path().is_dir() {
                continue;
            }
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
        let Some(parts) = parts else {
            return Err(Error::ThemeNameNotUtf8 {
                path: entry.path().to_path_buf(),
            });
        };
        out.push((parts.join("/"), entry.path().to_path_buf()));
    }
    Ok(out)
}

/// Write the embedded theme into `dir`, refusing to overwrite anything.
pub fn eject(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let targets: Vec<(PathBuf, &str)> = DEFAULT_THEME
        .iter()
        .map(|(p, text)| (dir.join(p), *text))
        .collect();
    let existing: Vec<PathBuf> = targets
        .iter()
        .filter(|(p, _)| p.symlink_metadata().is_ok())
        .map(|(p, _)| p.clone())
        .collect();
    if !existing.is_empty() {
        return Err(Error::EjectExisting { paths: existing });
    }
    let mut written = Vec::with_capacity(targets.len());
    for (path, text) in targets {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|source| Error::EjectWrite {
                op: FsOp::Create,
                path: parent.to_path_buf(),
                source,
            })?;
        }
        // create_new: a file that appeared since the check is still not overwritten.
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|source| Error::EjectWrite {
                op: FsOp::Create,
                path: path.clone(),
                source,
            })?;
        std::io::Write::write_all(&mut f, text.as_bytes()).map_err(|source| Error::EjectWrite {
            op: FsOp::Write,
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The help under an unreadable theme file names the limit this module
    /// enforces.
    #[test]
    fn the_theme_file_help_names_the_real_limit() {
        let e = Error::ThemeFile {
            path: "t/static/x".into(),
            source: std::io::Error::other("x"),
        };
        let limit = format!("at most {} MiB", MAX_THEME_FILE >> 20);
        assert!(
            e.help().is_some_and(|h| h.contains(&limit)),
            "{:?}",
            e.help()
        );
        let e = Error::ThemeTemplate {
            path: "t/templates/x".into(),
            source: std::io::Error::other("x"),
        };
        assert!(
            e.help().is_some_and(|h| h.contains(&limit)),
            "{:?}",
            e.help()
        );
    }

    #[test]
    fn theme_errors_are_typed_with_their_paths() {
        let tmp = tempfile::tempdir().unwrap();
        let missing = tmp.path().join("none");
        match Theme::load(Some(&missing)) {
            Err(Error::ThemeMissing { path }) => assert_eq!(path, missing),
            other => panic!("expected ThemeMissing, got {:?}", other.err()),
        }
        let theme = tmp.path().join("theme");
        fs::create_dir_all(theme.join("templates")).unwrap();
        fs::write(theme.join("templates/index.html"), b"\xff\xfe").unwrap();
        match Theme::load(Some(&theme)) {
            Err(e @ Error::ThemeTemplate { .. }) => {
                assert!(e.to_string().ends_with("index.html: not UTF-8"), "{e}");
                assert!(std::error::Error::source(&e).is_some());
            }
            other => panic!("expected ThemeTemplate, got {:?}", other.err()),
        }
        fs::write(theme.join("templates/index.html"), "{% if %}").unwrap();
        match Theme::load(Some(&theme)) {
            Err(e @ Error::ThemeCompile { .. }) => {
                assert!(
                    e.to_string()
                        .starts_with("the theme's templates do not compile:\n"),
                    "{e}"
                );
            }
            other => panic!("expected ThemeCompile, got {:?}", other.err()),
        }
        let out = tmp.path().join("ejected");
        eject(&out).unwrap();
        match eject(&out) {
            Err(Error::EjectExisting { paths }) => assert_eq!(paths.len(), DEFAULT_THEME.len()),
            other => panic!("expected EjectExisting, got {:?}", other.err()),
        }
    }

    #[test]
    fn xml_escapes_markup_and_replaces_forbidden_characters() {
        assert_eq!(xml_escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(xml_escape("tab\tnl\ncr\r"), "tab\tnl\ncr\r");
        assert_eq!(
            xml_escape("\u{1}\u{7F}\u{85}\u{FDD0}\u{FFFE}\u{1FFFF}é"),
            "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}é"
        );
    }

    /// The embedded list is written by hand (no build script): a file added
    /// to `themes/default/` but not to `DEFAULT_THEME` fails here.
    #[test]
    fn every_file_of_the_default_theme_is_embedded() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let on_disk: Vec<String> = walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(&dir).unwrap();
                rel.to_string_lossy().replace('\\', "/")
            })
            .collect();
        let mut embedded: Vec<String> = DEFAULT_THEME.iter().map(|(p, _)| p.to_string()).collect();
        embedded.sort();
        let mut on_disk = on_disk;
        on_disk.sort();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn css_strings_cannot_break_out() {
        assert_eq!(css_string("Acme 2.0 (EU)"), "\"Acme 2.0 (EU)\"");
        let hostile = css_string("a\"}</style><script>x\\\n\u{0}é");
        assert_eq!(
            hostile,
            "\"a\\22 \\7d \\3c /style\\3e \\3c script\\3e x\\5c \\fffd \\fffd \\e9 \""
        );
        let inner = &hostile[1..hostile.len() - 1];
        assert!(!inner.contains(['"', '<', '>', '{', '}', '\n']));
    }

    #[test]
    fn the_xml_filter_is_not_escaped_twice() {
        let theme = Theme::load(None).unwrap();
        let mut tera = theme.tera.clone();
        tera.add_raw_template("t.atom", "<t>{{ x | xml }}</t>")
            .unwrap();
        let mut ctx = Context::new();
        ctx.insert("x", "Tom & Jerry's <b>");
        assert_eq!(
            tera.render("t.atom", &ctx).unwrap(),
            "<t>Tom &amp; Jerry&apos;s &lt;b&gt;</t>"
        );
    }
}
