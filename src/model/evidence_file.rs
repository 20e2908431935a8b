//! Evidence files the site may serve (`file =` of artifacts.toml): the
//! types vetted recognises, each by its extensions AND its content (magic
//! bytes, or well-formed text), and the safe, deterministic name a file gets
//! in the site. Pure functions on bytes: reading (bounded) is in
//! `validate::evidence`, copying in `render::evidence_files`.
//!
//! Which of these types a registry serves, and up to what size, is policy
//! (`[policy.evidence_files]`). No type a browser would run (HTML, SVG,
//! JavaScript) is in the set at all: a served file runs in the site's
//! origin, next to the compliance pages.

use std::io::Cursor;

use crate::model::closed::closed_set;

closed_set! {
    /// A type of evidence file the site can serve (`[policy.evidence_files]
    /// allowed_types`). HTML, SVG and scripts are not in the set, whatever
    /// the policy says.
    pub enum EvidenceFileType: "a type of evidence file the site may serve" {
        /// PDF document (`.pdf`, content starts `%PDF-`).
        Pdf = "pdf",
        /// PNG image (`.png`, PNG signature).
        Png = "png",
        /// JPEG image (`.jpg`, `.jpeg`, SOI marker).
        Jpeg = "jpeg",
        /// Plain UTF-8 text (`.txt`, `.md`), not starting like markup.
        Text = "text",
        /// Comma-separated values (`.csv`), UTF-8, no cell a spreadsheet would run as a formula.
        Csv = "csv",
        /// JSON (`.json`), well-formed.
        Json = "json",
        /// XML (`.xml`) without a DOCTYPE, stylesheet, script or XHTML/SVG namespace.
        Xml = "xml",
        /// Word document (`.docx`): an Office Open XML package, no macros.
        Docx = "docx",
        /// Excel workbook (`.xlsx`): an Office Open XML package, no macros.
        Xlsx = "xlsx",
        /// PowerPoint presentation (`.pptx`): an Office Open XML package, no macros.
        Pptx = "pptx",
    }
}

/// Why a file is not served: the message of its diagnostic (E0405).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The extension is none vetted serves (`.html`, `.svg`, `.exe`, none).
    UnknownExtension(String),
    /// A known type the policy does not allow.
    NotAllowed(EvidenceFileType),
    /// The content is not what the extension says.
    Content(EvidenceFileType, &'static str),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::UnknownExtension(e) if e.is_empty() => {
                f.write_str("has no extension, so its type is unknown")
            }
            Self::UnknownExtension(e) => {
                write!(f, "has the extension `.{e}`, not a type the site serves")
            }
            Self::NotAllowed(t) => write!(
                f,
                "is a {} file, a type the policy does not allow",
                t.label()
            ),
            Self::Content(t, why) => write!(f, "is named as a {} file but {why}", t.label()),
        }
    }
}

impl EvidenceFileType {
    /// The file-name extensions (lower case) of the type.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Self::Pdf => &["pdf"],
            Self::Png => &["png"],
            Self::Jpeg => &["jpg", "jpeg"],
            Self::Text => &["txt", "md"],
            Self::Csv => &["csv"],
            Self::Json => &["json"],
            Self::Xml => &["xml"],
            Self::Docx => &["docx"],
            Self::Xlsx => &["xlsx"],
            Self::Pptx => &["pptx"],
        }
    }

    /// A short name for pages and messages.
    pub fn label(self) -> &'static str {
        match self {
            Self::Pdf => "PDF",
            Self::Png => "PNG",
            Self::Jpeg => "JPEG",
            Self::Text => "text",
            Self::Csv => "CSV",
            Self::Json => "JSON",
            Self::Xml => "XML",
            Self::Docx => "Word",
            Self::Xlsx => "Excel",
            Self::Pptx => "PowerPoint",
        }
    }

    /// The type a (lower-case) extension names.
    pub fn by_extension(ext: &str) -> Option<Self> {
        <Self as super::closed::ClosedSet>::ALL
            .iter()
            .copied()
            .find(|t| t.extensions().contains(&ext))
    }

    /// `Err(why)` when the bytes are not a file of this type.
    pub fn sniff(self, bytes: &[u8]) -> Result<(), &'static str> {
        match self {
            Self::Pdf => magic(bytes, b"%PDF-", "does not start with %PDF-"),
            Self::Png => magic(bytes, b"\x89PNG\r\n\x1a\n", "lacks the PNG signature"),
            Self::Jpeg => magic(bytes, b"\xff\xd8\xff", "lacks the JPEG start marker"),
            Self::Text => plain_text(bytes).map(|_| ()),
            Self::Csv => plain_text(bytes).and_then(csv_without_formulas),
            Self::Json => plain_text(bytes).and_then(|t| {
                serde_json::from_str::<serde::de::IgnoredAny>(t)
                    .map(|_| ())
                    .map_err(|_| "is not well-formed JSON")
            }),
            Self::Xml => xml_without_active_content(bytes),
            Self::Docx => office(bytes, "word/document.xml"),
            Self::Xlsx => office(bytes, "xl/workbook.xml"),
            Self::Pptx => office(bytes, "ppt/presentation.xml"),
        }
    }
}

/// The type of a file named `file` with content `bytes`, if the site may
/// serve it under `allowed`: by its extension, then by its content.
pub fn classify(
    file: &str,
    bytes: &[u8],
    allowed: &[EvidenceFileType],
) -> Result<EvidenceFileType, Refusal> {
    let ext = extension(file);
    let t = EvidenceFileType::by_extension(&ext).ok_or(Refusal::UnknownExtension(ext))?;
    if !allowed.contains(&t) {
        return Err(Refusal::NotAllowed(t));
    }
    t.sniff(bytes).map_err(|why| Refusal::Content(t, why))?;
    Ok(t)
}

/// The lower-case extension of the file's base name ("" when none).
fn extension(file: &str) -> String {
    base_name(file)
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

fn base_name(file: &str) -> &str {
    file.rsplit(['/', '\\']).next().unwrap_or(file)
}

/// The file's name in the site: its base name in lower case, every
/// character outside `[a-z0-9_-]` in the stem made `-`, the stem cut to 80
/// characters (never empty, never starting with `.` or `-`), then `.` and
/// the extension. No `..`, no separator, no control character, and the same
/// name on every platform.
pub fn site_name(file: &str) -> String {
    let base = base_name(file).to_lowercase();
    let (stem, ext) = base.rsplit_once('.').unwrap_or((&base, ""));
    let mut clean = String::new();
    for c in stem.chars() {
        let c = if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            c
        } else {
            '-'
        };
        if !(c == '-' && (clean.is_empty() || clean.ends_with('-'))) {
            clean.push(c);
        }
        if clean.len() >= 80 {
            break;
        }
    }
    let stem = clean.trim_end_matches('-');
    let stem = if stem.is_empty() { "file" } else { stem };
    let ext: String = ext.chars().filter(char::is_ascii_alphanumeric).collect();
    if ext.is_empty() {
        stem.to_string()
    } else {
        format!("{stem}.{ext}")
    }
}

fn magic(bytes: &[u8], sig: &[u8], why: &'static str) -> Result<(), &'static str> {
    if bytes.starts_with(sig) {
        Ok(())
    } else {
        Err(why)
    }
}

/// UTF-8 (a byte-order mark allowed) without NUL or other control
/// characters but tab, line breaks and form feed, and not starting with `<`:
/// a browser or server that sniffs must never take it for markup.
fn plain_text(bytes: &[u8]) -> Result<&str, &'static str> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| "is not UTF-8 text")?;
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c'))
    {
        return Err("holds control characters (binary content)");
    }
    if text.trim_start().starts_with('<') {
        return Err("starts like HTML or XML markup");
    }
    Ok(text)
}

/// No cell a spreadsheet would evaluate: one starting with `=`, `+`, `@`,
/// a tab or carriage return, or `-` not followed by a number. The file is
/// served byte for byte, so it is refused rather than altered.
fn csv_without_formulas(text: &str) -> Result<(), &'static str> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    for record in reader.records() {
        let record = record.map_err(|_| "is not well-formed CSV")?;
        for cell in record.iter() {
            let mut chars = cell.chars();
            let risky = match chars.next() {
                Some('=' | '+' | '@' | '\t' | '\r') => true,
                Some('-') => !chars.next().is_some_and(|c| c.is_ascii_digit() || c == '.'),
                _ => false,
            };
            if risky {
                return Err("has a cell a spreadsheet would run as a formula");
            }
        }
    }
    Ok(())
}

/// Markup a browser would render as a page or run: a DOCTYPE or entity
/// (which can smuggle a namespace in), a stylesheet instruction (XSLT
/// builds HTML), a script, or an XHTML/SVG namespace, also written with
/// character references.
fn xml_without_active_content(bytes: &[u8]) -> Result<(), &'static str> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| "is not UTF-8 text")?;
    if !text.trim_start().starts_with('<') {
        return Err("does not start with an XML tag");
    }
    let lower = text.to_ascii_lowercase();
    const ACTIVE: &[&str] = &[
        "<!doctype",
        "<!entity",
        "<?xml-stylesheet",
        "<script",
        "javascript:",
        "xhtml",
        "/2000/svg",
    ];
    if ACTIVE.iter().any(|a| lower.contains(a)) {
        return Err(
            "holds markup a browser would render or run (DOCTYPE, stylesheet, script, XHTML or SVG)",
        );
    }
    // A namespace written with references (`xmlns="&#104;ttp…"`) hides
    // which it is.
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("xmlns") {
        rest = &rest[at + 5..];
        let value = rest
            .split_once(['"', '\''])
            .map(|(_, v)| v.split(['"', '\'']).next().unwrap_or(v));
        if value.is_some_and(|v| v.contains('&')) {
            return Err("declares a namespace with character references");
        }
    }
    quick_xml_well_formed(text)
}

/// Well-formed enough for an XML parser to read to the end.
fn quick_xml_well_formed(text: &str) -> Result<(), &'static str> {
    let mut reader = quick_xml::Reader::from_str(text);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(_) => return Err("is not well-formed XML"),
        }
    }
}

/// An Office Open XML package: a zip whose directory lists the content
/// types and the main part of its kind, and no macro project.
fn office(bytes: &[u8], main_part: &str) -> Result<(), &'static str> {
    magic(bytes, b"PK\x03\x04", "is not a zip-based Office file")?;
    let zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| "is not a readable zip archive")?;
    let names: Vec<&str> = zip.file_names().collect();
    if !names.contains(&"[Content_Types].xml") || !names.contains(&main_part) {
        return Err("is a zip archive but not an Office document of that kind");
    }
    if names
        .iter()
        .any(|n| n.to_ascii_lowercase().ends_with("vbaproject.bin"))
    {
        return Err("holds a macro project");
    }
    Ok(())
}

/// A file's content read with a bound: never more than `max + 1` bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bounded {
    Bytes(Vec<u8>),
    /// Larger than the bound (the length its metadata gives, or `max + 1`).
    Over(u64),
}

/// Read a regular file (see `parse::open_regular`: no pipe or device) of
/// at most `max` bytes; one over it is not read further.
pub fn read_bounded(path: &std::path::Path, max: u64) -> std::io::Result<Bounded> {
    use std::io::Read as _;
    let (file, len) = crate::parse::open_regular(path)?;
    if len > max {
        return Ok(Bounded::Over(len));
    }
    let mut bytes = Vec::new();
    file.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    // The file may have grown since its length was read.
    Ok(if bytes.len() as u64 > max {
        Bounded::Over(bytes.len() as u64)
    } else {
        Bounded::Bytes(bytes)
    })
}

/// The sha256 of `bytes`, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    format!("{:x}", Sha256::digest(bytes))
}

/// `[policy.evidence_files]` of vetted.toml, checked (defaults in
/// policy-defaults.toml).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceFilePolicy {
    /// The largest file served, in bytes; never more than one byte past it is read.
    pub max_bytes: u64,
    /// The types served.
    pub allowed_types: Vec<EvidenceFileType>,
}

/// An evidence file that passed every rule when the registry was loaded:
/// what the build copies into the site (after reading it again, bounded,
/// and finding the same sha256) and links from the artifact's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedFile {
    /// The file on disk (symbolic links resolved, inside the vendor folder).
    pub source: std::path::PathBuf,
    /// Its name in the site ([`site_name`]).
    pub name: String,
    /// The sha256 of the bytes checked, lower-case hex.
    pub sha256: String,
    pub len: u64,
    pub kind: EvidenceFileType,
}

impl PublishedFile {
    /// `vendors/<slug>/files/<first 12 hex digits of sha256>/<name>`, from
    /// the site root: one folder per content, so two files of one name never
    /// collide and the same content is written once.
    pub fn site_path(&self, slug: &str) -> String {
        let short = self.sha256.get(..12).unwrap_or(&self.sha256);
        format!("vendors/{slug}/files/{short}/{}", self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::closed::ClosedSet;

    const ALL: &[EvidenceFileType] = EvidenceFileType::ALL;

    fn kind(file: &str, bytes: &[u8]) -> Result<EvidenceFileType, Refusal> {
        classify(file, bytes, ALL)
    }

    #[test]
    fn each_type_is_recognised_by_extension_and_content() {
        use EvidenceFileType::*;
        assert_eq!(kind("a/Report.PDF", b"%PDF-1.7\n..."), Ok(Pdf));
        assert_eq!(kind("x.png", b"\x89PNG\r\n\x1a\n\0\0"), Ok(Png));
        assert_eq!(kind("x.jpeg", b"\xff\xd8\xff\xe0"), Ok(Jpeg));
        assert_eq!(kind("x.jpg", b"\xff\xd8\xff\xdb"), Ok(Jpeg));
        assert_eq!(
            kind("x.txt", "Pentest summary\n\tok — né\n".as_bytes()),
            Ok(Text)
        );
        assert_eq!(
            kind("x.csv", b"id,severity,delta\nF-1,high,-3\nF-2,low,-0.5\n"),
            Ok(Csv)
        );
        assert_eq!(kind("x.json", b" {\"a\": [1, 2]}"), Ok(Json));
        assert_eq!(
            kind(
                "x.xml",
                b"<?xml version=\"1.0\"?><r xmlns=\"urn:x\"><a/></r>"
            ),
            Ok(Xml)
        );
    }

    #[test]
    fn content_that_is_not_what_the_extension_says_is_refused() {
        let html = b"<!DOCTYPE html><script>alert(1)</script>";
        for name in [
            "x.pdf", "x.png", "x.jpg", "x.txt", "x.csv", "x.json", "x.xml", "x.docx",
        ] {
            assert!(
                matches!(kind(name, html), Err(Refusal::Content(..))),
                "{name}"
            );
        }
        assert!(kind("x.txt", b"ok\0binary").is_err());
        assert!(kind("x.txt", b"\xff\xfe").is_err());
        assert!(kind("x.json", b"{not json").is_err());
        assert!(kind("x.pdf", b" %PDF-1.7").is_err());
    }

    #[test]
    fn html_svg_and_scripts_are_never_served() {
        for name in [
            "x.html",
            "x.htm",
            "x.svg",
            "x.js",
            "x.mjs",
            "x.xhtml",
            "x.exe",
            "x",
            "x.pdf.html",
        ] {
            assert!(
                matches!(kind(name, b"%PDF-1.7"), Err(Refusal::UnknownExtension(_))),
                "{name}"
            );
        }
    }

    #[test]
    fn xml_that_a_browser_would_render_or_run_is_refused() {
        for bad in [
            "<r xmlns=\"http://www.w3.org/1999/xhtml\"><script>x</script></r>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            "<?xml version=\"1.0\"?><?xml-stylesheet href=\"x.xsl\"?><r/>",
            "<!DOCTYPE r [<!ENTITY n \"http://www.w3.org/1999/xhtml\">]><r xmlns=\"&n;\"/>",
            "<r xmlns:h=\"&#104;ttp://www.w3.org/1999/&#120;html\"><h:p/></r>",
            "<r><unclosed></r>",
        ] {
            assert!(kind("x.xml", bad.as_bytes()).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_csv_cell_a_spreadsheet_would_run_is_refused() {
        for bad in [
            "a,=1+1\n",
            "+cmd\n",
            "@SUM(A1)\n",
            "\"-x\",1\n",
            "a,\"=HYPERLINK(1)\"\n",
        ] {
            assert!(kind("x.csv", bad.as_bytes()).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_policy_decides_which_known_types_are_served() {
        assert_eq!(
            classify("x.pdf", b"%PDF-1.7", &[EvidenceFileType::Text]),
            Err(Refusal::NotAllowed(EvidenceFileType::Pdf))
        );
    }

    #[test]
    fn office_files_are_zip_packages_of_their_kind_without_macros() {
        use std::io::Write as _;
        let pkg = |parts: &[&str]| {
            let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
            for p in parts {
                w.start_file(*p, zip::write::SimpleFileOptions::default())
                    .unwrap();
                w.write_all(b"<x/>").unwrap();
            }
            w.finish().unwrap().into_inner()
        };
        let docx = pkg(&["[Content_Types].xml", "word/document.xml"]);
        assert_eq!(kind("x.docx", &docx), Ok(EvidenceFileType::Docx));
        assert!(kind("x.xlsx", &docx).is_err(), "a Word package named .xlsx");
        let macros = pkg(&[
            "[Content_Types].xml",
            "word/document.xml",
            "word/vbaProject.bin",
        ]);
        assert!(kind("x.docx", &macros).is_err());
        assert!(kind("x.docx", b"PK\x03\x04garbage").is_err());
    }

    #[test]
    fn reading_stops_one_byte_past_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.txt");
        std::fs::write(&path, "12345").unwrap();
        assert_eq!(
            read_bounded(&path, 5).unwrap(),
            Bounded::Bytes(b"12345".to_vec())
        );
        assert_eq!(read_bounded(&path, 4).unwrap(), Bounded::Over(5));
        assert!(read_bounded(dir.path(), 5).is_err(), "a folder is not read");
    }

    #[test]
    fn site_names_are_safe_and_deterministic() {
        assert_eq!(
            site_name("evidence/SOC2 Report (2025).PDF"),
            "soc2-report-2025.pdf"
        );
        assert_eq!(site_name("..hidden.pdf"), "hidden.pdf");
        assert_eq!(site_name("a\\b\\..\\x.txt"), "x.txt");
        assert_eq!(site_name("r\u{0}\u{1b}[31m.txt"), "r-31m.txt");
        assert_eq!(site_name("über-prüfung.csv"), "ber-pr-fung.csv");
        assert_eq!(site_name("....pdf"), "file.pdf");
        assert_eq!(site_name("noext"), "noext");
        let long = format!("{}.pdf", "a".repeat(300));
        assert_eq!(site_name(&long).len(), 84);
        for n in ["x/../..", "a..b.pdf", "..", ".", "/"] {
            let s = site_name(n);
            assert!(
                !s.contains("..") && !s.contains('/') && !s.starts_with('.'),
                "{n} -> {s}"
            );
        }
    }
}
