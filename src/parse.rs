//! Reading and parsing one registry file: size, encoding and TOML checks, with
//! the span of every key and value kept for later diagnostics.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::Read;
use std::marker::PhantomData;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diag::{Code, Diagnostic, Loc, SourceText};

/// Largest registry file vetted reads (1 MiB). Real vendor files are a few KiB;
/// the limit keeps a hostile pull request from exhausting memory.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// A parsed file: its value, where each of its keys and values sits, and its text.
#[derive(Debug, Clone)]
pub struct Doc<T> {
    pub value: T,
    pub path: Arc<str>,
    pub source: SourceText,
    pub spans: Spans,
}

/// Spans by dotted path: `product[0].version`, `standards.frameworks[1]`.
///
/// Tens of thousands of files each index a hundred paths, so the index keeps
/// no path text: each entry holds the 64-bit hash of its path, and entries are
/// sorted by hash for binary search. Building it is one pass over the parsed
/// table with one reusable path buffer. The index only places diagnostics: a
/// hash collision (two paths, one hash) could at worst point a message at the
/// wrong line, never change what is reported.
#[derive(Debug, Clone, Default)]
pub struct Spans {
    entries: Vec<SpanEntry>,
}

/// A path's hash with the spans of its key (`NO_KEY` for array items) and value.
#[derive(Debug, Clone, Copy)]
struct SpanEntry {
    hash: u64,
    key: (u32, u32),
    value: (u32, u32),
}

const NO_KEY: (u32, u32) = (u32::MAX, u32::MAX);

fn pair(r: Range<usize>) -> (u32, u32) {
    (r.start as u32, r.end as u32)
}

fn path_hash(path: &str) -> u64 {
    use std::hash::Hasher as _;
    let mut h = rustc_hash::FxHasher::default();
    h.write(path.as_bytes());
    h.finish()
}

impl Spans {
    fn find(&self, path: &str) -> Option<&SpanEntry> {
        let hash = path_hash(path);
        self.entries
            .binary_search_by_key(&hash, |e| e.hash)
            .ok()
            .map(|i| &self.entries[i])
    }
    fn value(&self, path: &str) -> Option<Range<usize>> {
        self.find(path)
            .map(|e| e.value.0 as usize..e.value.1 as usize)
    }
    fn key(&self, path: &str) -> Option<Range<usize>> {
        self.find(path)
            .filter(|e| e.key != NO_KEY)
            .map(|e| e.key.0 as usize..e.key.1 as usize)
    }
    fn push(&mut self, path: &str, key: Option<Range<usize>>, value: Range<usize>) {
        self.entries.push(SpanEntry {
            hash: path_hash(path),
            key: key.map_or(NO_KEY, pair),
            value: pair(value),
        });
    }
    fn sort(&mut self) {
        self.entries.sort_unstable_by_key(|e| e.hash);
    }
}

impl<T> Doc<T> {
    /// The path of the whole document, to build typed paths from.
    pub fn root(&self) -> KeyPath<T> {
        KeyPath::root()
    }

    /// Location of the value at `path`, falling back to its key, then to the
    /// nearest enclosing path (an optional key that is absent points at its
    /// table), then to the start of the file.
    pub fn loc<V>(&self, path: &KeyPath<V>) -> Loc {
        let mut p = path.as_str();
        loop {
            if let Some(span) = self.spans.value(p).or_else(|| self.spans.key(p)) {
                return self.source.loc(&self.path, span);
            }
            match p.rfind(['.', '[']) {
                Some(i) => p = &p[..i],
                None => return Loc::file(&self.path),
            }
        }
    }

    /// Location of the key at `path` (falls back like `loc`).
    pub fn key_loc<V>(&self, path: &KeyPath<V>) -> Loc {
        match self.spans.key(path.as_str()) {
            Some(span) => self.source.loc(&self.path, span),
            None => self.loc(path),
        }
    }

    /// Location of the value at `path` only when the file has it.
    pub fn value_loc<V>(&self, path: &KeyPath<V>) -> Option<Loc> {
        self.spans
            .value(path.as_str())
            .map(|span| self.source.loc(&self.path, span))
    }

    /// `loc(&table.at(key))` without allocating the path: for the fields
    /// every vendor and artifact records, so a large registry does not pay
    /// one allocation per field.
    pub fn loc_at<P, V>(&self, table: &KeyPath<P>, key: Key<P, V>) -> Loc {
        let found = table.with_child_text(key, |text| {
            self.spans.value(text).or_else(|| self.spans.key(text))
        });
        match found {
            Some(span) => self.source.loc(&self.path, span),
            None => self.loc(table),
        }
    }

    /// `value_loc(&table.at(key))` without allocating the path.
    pub fn value_loc_at<P, V>(&self, table: &KeyPath<P>, key: Key<P, V>) -> Option<Loc> {
        table
            .with_child_text(key, |text| self.spans.value(text))
            .map(|span| self.source.loc(&self.path, span))
    }
}

impl<T> Doc<T> {
    /// Where the key `name` of the table at `table` is written (its key, or
    /// for an array of tables its first header), when the file has it.
    /// `name` is one of the table's declared `KEYS`.
    pub fn child_start<P>(&self, table: &KeyPath<P>, name: &str) -> Option<usize> {
        let child: KeyPath<()> = table.child(name);
        let text = child.as_str();
        let span = self.spans.key(text).or_else(|| self.spans.value(text))?;
        Some(span.start)
    }

    /// Of `names` (keys of the table at `table`, as `keys!` lists them in
    /// `KEYS`), the one written last at or before byte `offset`: which key
    /// of the table an error at `offset` is under. `None` when the table has
    /// none of them there.
    pub fn key_before<P>(
        &self,
        table: &KeyPath<P>,
        names: &[&'static str],
        offset: usize,
    ) -> Option<&'static str> {
        names
            .iter()
            .filter_map(|name| {
                let start = self.child_start(table, name)?;
                (start <= offset).then_some((start, *name))
            })
            .max_by_key(|(start, _)| *start)
            .map(|(_, name)| name)
    }
}

/// A key of the raw struct `P` whose value has type `V`, spelt as in the file
/// (`product`, `end_of_support`). Declared once per struct with `keys!` in
/// `model::raw`, next to the struct, and checked against serde's own field
/// list by a test, so a location cannot name a key the file format lacks.
pub struct Key<P, V> {
    name: &'static str,
    _types: PhantomData<fn() -> (P, V)>,
}

impl<P, V> Key<P, V> {
    /// Only `keys!` declares keys.
    pub const fn declare(name: &'static str) -> Self {
        Key {
            name,
            _types: PhantomData,
        }
    }
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

impl<P, V> Clone for Key<P, V> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<P, V> Copy for Key<P, V> {}

/// Declares the keys of a raw struct as typed constants:
/// `keys! { RawProduct { NAME: String = "name", END_OF_SUPPORT: Datetime = "end_of_support" } }`.
/// The value type is the field's without `Option`; `KEYS` lists the names for the test.
macro_rules! keys {
    ($( $owner:ident { $( $konst:ident : $value:ty = $name:literal ),+ $(,)? } )+) => {
        $(
            impl $owner {
                $( pub const $konst: $crate::parse::Key<$owner, $value> = $crate::parse::Key::declare($name); )+
                /// Every key declared for this struct, as spelt in the file.
                pub const KEYS: &'static [&'static str] = &[ $( $name, )+ ];
            }
        )+
    };
}
pub(crate) use keys;

/// The path, inside one parsed file, of a value of type `T`, built from
/// declared keys, item indexes and user-written map keys: the one way a
/// location inside a file is named. Its text (`product[0].version`) is what
/// diagnostics quote and what `Spans` is keyed by.
pub struct KeyPath<T> {
    text: String,
    _type: PhantomData<fn() -> T>,
}

impl<T> Clone for KeyPath<T> {
    fn clone(&self) -> Self {
        KeyPath {
            text: self.text.clone(),
            _type: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for KeyPath<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl<T> std::fmt::Display for KeyPath<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl<T> KeyPath<T> {
    /// The whole document.
    pub fn root() -> Self {
        Self::from_text(String::new())
    }

    fn from_text(text: String) -> Self {
        KeyPath {
            text,
            _type: PhantomData,
        }
    }

    /// The dotted text: `product[0].version`, empty for the whole document.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub(crate) fn child<V>(&self, name: &str) -> KeyPath<V> {
        let mut text = String::with_capacity(self.text.len() + 1 + name.len());
        text.push_str(&self.text);
        if !text.is_empty() {
            text.push('.');
        }
        text.push_str(name);
        KeyPath::from_text(text)
    }

    /// The value of a declared key of this table.
    pub fn at<V>(&self, key: Key<T, V>) -> KeyPath<V> {
        self.child(key.name)
    }

    /// Calls `f` with the text of `self.at(key)`, built in a buffer reused
    /// by the thread instead of a new string.
    fn with_child_text<V, R>(&self, key: Key<T, V>, f: impl FnOnce(&str) -> R) -> R {
        thread_local! {
            static BUFFER: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
        }
        BUFFER.with(|buffer| {
            let mut text = buffer.borrow_mut();
            text.clear();
            text.push_str(&self.text);
            if !self.text.is_empty() {
                text.push('.');
            }
            text.push_str(key.name);
            f(&text)
        })
    }
}

impl<T> KeyPath<Vec<T>> {
    /// The `i`th item (0-based) of this array.
    pub fn item(&self, i: usize) -> KeyPath<T> {
        let mut text = self.text.clone();
        let _ = write!(text, "[{i}]");
        KeyPath::from_text(text)
    }
}

impl<V> KeyPath<BTreeMap<String, V>> {
    /// The value of a key the user chose (a section id, a factor id).
    pub fn entry(&self, key: &str) -> KeyPath<V> {
        self.child(key)
    }
}

impl KeyPath<toml::Value> {
    /// The `i`th item of a value that the schema leaves open (an answer).
    pub fn item(&self, i: usize) -> KeyPath<toml::Value> {
        let mut text = self.text.clone();
        let _ = write!(text, "[{i}]");
        KeyPath::from_text(text)
    }
}

/// Read a file as UTF-8 text, enforcing the size limit and rejecting a BOM.
/// `rel` is the path shown in diagnostics.
pub fn read_text(abs: &Path, rel: &Arc<str>) -> Result<SourceText, Diagnostic> {
    let unreadable = |e: std::io::Error| {
        Diagnostic::new(
            Code::Unreadable,
            Loc::file(rel),
            format!("cannot read {rel}: {e}"),
        )
        .help("registry files are regular files: check the file's permissions, and replace a pipe, socket or device with the file itself")
    };
    let (file, len) = open_regular(abs).map_err(unreadable)?;
    if len > MAX_FILE_BYTES {
        return Err(too_large(rel, len));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // Read one byte past the limit so a file that grew since `metadata` is caught.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(rel, bytes.len() as u64));
    }
    decode(bytes, rel)
}

/// Open a file from the registry for reading, refusing anything but a
/// regular file before and after opening: a FIFO would block `check` forever,
/// a device can be endless, and the second look catches a file swapped in
/// between. Opened non-blocking, so even a FIFO that wins that race cannot
/// stall the open. Gives the file and its length.
pub fn open_regular(abs: &Path) -> std::io::Result<(fs::File, u64)> {
    fn refuse(meta: &fs::Metadata) -> std::io::Result<()> {
        if meta.is_file() {
            return Ok(());
        }
        let kind = file_kind(meta.file_type());
        Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("it is {kind}, not a regular file"),
        ))
    }
    refuse(&fs::metadata(abs)?)?;
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(abs)?;
    let meta = file.metadata()?;
    refuse(&meta)?;
    Ok((file, meta.len()))
}

/// What a file that is not a regular file is, in words.
fn file_kind(t: fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if t.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

fn too_large(rel: &Arc<str>, len: u64) -> Diagnostic {
    Diagnostic::new(
        Code::TooLarge,
        Loc::file(rel),
        format!("{rel} is {len} bytes, over the limit of {MAX_FILE_BYTES} bytes"),
    )
    .help("registry files are small text files; move large evidence out of the registry and link to it")
}

/// Decode bytes as UTF-8 text without a byte-order mark.
pub fn decode(bytes: Vec<u8>, rel: &Arc<str>) -> Result<SourceText, Diagnostic> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(Diagnostic::new(
            Code::ByteOrderMark,
            Loc::file(rel),
            "file starts with a UTF-8 byte-order mark",
        )
        .help("save the file as UTF-8 without BOM"));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceText::new(text.into())),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            // Locate the bad byte using the valid prefix.
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let src = SourceText::new(prefix.into());
            let loc = src.loc(rel, valid..valid);
            Err(
                Diagnostic::new(Code::NotUtf8, loc, format!("invalid UTF-8 at byte {valid}"))
                    .help("save the file as UTF-8"),
            )
        }
    }
}

/// Parse TOML text into `T`, keeping spans. Returns every syntax error found,
/// or every schema error (unknown keys, wrong types, missing keys): see
/// `schema_errors`.
pub fn parse_toml<T: DeserializeOwned>(
    rel: &Arc<str>,
    source: SourceText,
) -> Result<Doc<T>, Vec<Diagnostic>> {
    let text: &str = &source.text;
    let (table, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        let diags = errors
            .iter()
            .map(|e| syntax_diagnostic(rel, &source, e))
            .collect();
        return Err(diags);
    }
    let mut spans = Spans::default();
    let mut path = String::new();
    index_table(table.get_ref(), &mut path, &mut spans);
    spans.sort();
    let value = match T::deserialize(toml::de::Deserializer::from(table)) {
        Ok(value) => value,
        Err(first) => {
            let errors = schema_errors::<T>(text, first);
            return Err(errors
                .iter()
                .map(|e| schema_diagnostic(rel, &source, e))
                .collect());
        }
    };
    Ok(Doc {
        value,
        path: rel.clone(),
        source,
        spans,
    })
}

fn index_table(table: &DeTable<'_>, path: &mut String, spans: &mut Spans) {
    for (key, value) in table {
        let mark = path.len();
        if mark > 0 {
            path.push('.');
        }
        path.push_str(key.get_ref());
        index_value(value, path, Some(key.span()), spans);
        path.truncate(mark);
    }
}

fn index_value(
    value: &Spanned<DeValue<'_>>,
    path: &mut String,
    key: Option<Range<usize>>,
    spans: &mut Spans,
) {
    match value.get_ref() {
        DeValue::Table(t) => index_table(t, path, spans),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let mark = path.len();
                let _ = write!(path, "[{i}]");
                index_value(item, path, None, spans);
                path.truncate(mark);
            }
        }
        _ => {}
    }
    spans.push(path, key, value.span());
}

/// Most schema errors reported for one file; each costs one more pass over it.
const MAX_SCHEMA_ERRORS: usize = 100;

/// Every schema error of a file whose deserialization failed with `first`.
///
/// serde stops at the first error. To find the next one, the part of the
/// parsed tree that caused it is cut out (the unknown key, the value of the
/// wrong type, the table that lacks a key) and the tree deserialized again,
/// until it succeeds. Only files that fail pay for this. An error that only
/// follows from a cut (the key just cut out is now missing) is not reported,
/// and the search stops there.
fn schema_errors<T: DeserializeOwned>(text: &str, first: toml::de::Error) -> Vec<toml::de::Error> {
    let (mut table, _) = DeTable::parse_recoverable(text);
    let mut cuts: Vec<Removed> = Vec::new();
    let mut errors = vec![first];
    while errors.len() < MAX_SCHEMA_ERRORS {
        let last = &errors[errors.len() - 1];
        let Some(span) = last.span() else { break };
        let cut = if last.message().starts_with("unknown field") {
            Cut::Key(span)
        } else {
            Cut::Value(span)
        };
        let Some(removed) = cut_table(table.get_mut(), &cut) else {
            break;
        };
        cuts.push(removed);
        let Err(next) = T::deserialize(toml::de::Deserializer::from(table.clone())) else {
            break;
        };
        let follows_from_a_cut = cuts.iter().any(|c| {
            c.key.as_deref().is_some_and(|key| {
                next.message()
                    .starts_with(&format!("missing field `{key}`"))
            })
        });
        let repeated = errors
            .iter()
            .any(|e| e.span() == next.span() && e.message() == next.message());
        if follows_from_a_cut || repeated {
            break;
        }
        errors.push(next);
    }
    errors
}

/// The part of a parsed tree to cut out to get past one schema error.
enum Cut {
    /// The entry whose key has this span (an unknown key).
    Key(Range<usize>),
    /// The entry or array item whose value has this span.
    Value(Range<usize>),
}

/// What a cut removed: the key of the entry (`None` for an array item).
struct Removed {
    key: Option<String>,
}

/// Cuts the deepest match: an array of tables has the span of its first
/// item, and the item is what is at fault.
fn cut_table(table: &mut DeTable<'_>, cut: &Cut) -> Option<Removed> {
    if let Some(removed) = table
        .iter_mut()
        .find_map(|(_, v)| cut_value(v.get_mut(), cut))
    {
        return Some(removed);
    }
    let hit = table.iter().find_map(|(k, v)| {
        let matches = match cut {
            Cut::Key(s) => k.span() == *s,
            Cut::Value(s) => v.span() == *s,
        };
        matches.then(|| k.get_ref().to_string())
    });
    let key = hit?;
    table.remove(key.as_str());
    Some(Removed { key: Some(key) })
}

fn cut_value(value: &mut DeValue<'_>, cut: &Cut) -> Option<Removed> {
    match value {
        DeValue::Table(t) => cut_table(t, cut),
        DeValue::Array(items) => {
            if let Some(removed) = items
                .iter_mut()
                .find_map(|item| cut_value(item.get_mut(), cut))
            {
                return Some(removed);
            }
            if let Cut::Value(s) = cut
                && let Some(i) = items.iter().position(|item| item.span() == *s)
            {
                let all = std::mem::replace(items, toml::de::DeArray::new());
                *items = all
                    .into_iter()
                    .enumerate()
                    .filter_map(|(j, item)| (j != i).then_some(item))
                    .collect();
                return Some(Removed { key: None });
            }
            None
        }
        _ => None,
    }
}

fn syntax_diagnostic(rel: &Arc<str>, source: &SourceText, e: &toml::de::Error) -> Diagnostic {
    let loc = e
        .span()
        .map_or_else(|| Loc::file(rel), |s| source.loc(rel, s));
    let message = first_line(e.message());
    if message.contains("date") || message.contains("time") {
        Diagnostic::new(
            Code::ImpossibleDate,
            loc,
            format!("impossible date: {message}"),
        )
        .help("write a real calendar date as YYYY-MM-DD, unquoted (2025-02-28, not 2025-02-30)")
    } else {
        Diagnostic::new(Code::TomlSyntax, loc, message)
            .help("see https://toml.io for the syntax; strings need quotes, dates do not")
    }
}

fn schema_diagnostic(rel: &Arc<str>, source: &SourceText, e: &toml::de::Error) -> Diagnostic {
    let loc = e
        .span()
        .map_or_else(|| Loc::file(rel), |s| source.loc(rel, s));
    let message = first_line(e.message());
    if message.starts_with("unknown field") {
        Diagnostic::new(Code::UnknownKey, loc, message).help("remove the key or fix its spelling")
    } else if message.starts_with("missing field") {
        Diagnostic::new(Code::MissingKey, loc, message)
            .help("add the key; the README lists every file's required keys")
    } else {
        Diagnostic::new(Code::WrongType, loc, message).help(
            "check the value's type: strings in quotes, dates unquoted YYYY-MM-DD, lists in [ ]",
        )
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::raw::{RawArtifact, RawArtifacts, RawContract, RawVendor};

    fn parse<T: DeserializeOwned>(text: &str) -> Result<Doc<T>, Vec<Diagnostic>> {
        let rel: Arc<str> = "f.toml".into();
        parse_toml::<T>(&rel, SourceText::new(text.into()))
    }

    fn located(diags: &[Diagnostic]) -> Vec<(u32, u32, &'static str, &str)> {
        diags
            .iter()
            .map(|d| (d.loc.line, d.loc.column, d.code, d.message.as_str()))
            .collect()
    }

    const ARTIFACT: &str = "[[artifact]]\nkind = \"soc2\"\ntitle = \"SOC 2\"\n";

    #[test]
    fn every_unknown_key_and_wrong_type_of_a_file_is_reported() {
        let text = format!(
            "{ARTIFACT}tittle = \"x\"\nissued = \"2025-01-01\"\n\n{ARTIFACT}scop = \"all\"\n"
        );
        let diags = parse::<RawArtifacts>(&text).unwrap_err();
        let mut got = located(&diags);
        got.sort();
        assert_eq!(got.len(), 3, "{got:#?}");
        assert_eq!((got[0].0, got[0].1, got[0].2), (4, 1, "E0102"));
        assert!(got[0].3.starts_with("unknown field `tittle`"));
        assert_eq!((got[1].0, got[1].1, got[1].2), (5, 10, "E0103"));
        assert_eq!((got[2].0, got[2].1, got[2].2), (10, 1, "E0102"));
        assert!(got[2].3.starts_with("unknown field `scop`"));
    }

    #[test]
    fn a_table_missing_a_key_is_reported_and_the_next_items_still_checked() {
        let text = format!("[[artifact]]\nkind = \"soc2\"\n\n{ARTIFACT}colour = 1\n");
        let diags = parse::<RawArtifacts>(&text).unwrap_err();
        let got = located(&diags);
        assert_eq!(got.len(), 2, "{got:#?}");
        assert_eq!(
            (got[0].0, got[0].2, got[0].3),
            (1, "E0104", "missing field `title`")
        );
        assert_eq!((got[1].0, got[1].2), (7, "E0102"));
    }

    #[test]
    fn a_wrong_type_in_a_required_key_is_not_also_reported_missing() {
        let diags = parse::<RawArtifacts>("[[artifact]]\nkind = 3\ntitle = \"t\"\n").unwrap_err();
        let got = located(&diags);
        assert_eq!(got.len(), 1, "{got:#?}");
        assert_eq!((got[0].0, got[0].1, got[0].2), (2, 8, "E0103"));
    }

    #[test]
    fn a_valid_file_parses_with_its_spans() {
        let doc = parse::<RawArtifacts>(&format!("{ARTIFACT}covers = [\"A\", \"B\"]\n")).unwrap();
        let item = doc.root().at(RawArtifacts::ARTIFACT).item(0);
        assert_eq!(item.as_str(), "artifact[0]");
        let cover = item.at(RawArtifact::COVERS).item(1);
        assert_eq!(cover.as_str(), "artifact[0].covers[1]");
        let loc = doc.loc(&cover);
        assert_eq!((loc.line, loc.column), (4, 16));
        assert_eq!(
            doc.value_loc(&item.at(RawArtifact::KIND)).unwrap().column,
            8
        );
        for key in [RawArtifact::KIND, RawArtifact::TITLE, RawArtifact::SCOPE] {
            assert_eq!(
                doc.loc_at(&item, key),
                doc.loc(&item.at(key)),
                "{}",
                key.name()
            );
            assert_eq!(doc.value_loc_at(&item, key), doc.value_loc(&item.at(key)));
        }
        // An absent key has no value location; `loc` points at its table.
        assert!(doc.value_loc(&item.at(RawArtifact::EXPIRES)).is_none());
        let table = doc.loc(&item.at(RawArtifact::EXPIRES));
        assert_eq!((table.line, table.column), (1, 1));
    }

    #[test]
    fn key_locations_point_at_the_key_of_a_user_written_entry() {
        let text = "name = \"n\"\nstatus = \"active\"\ncategory = \"c\"\nowner = \"o\"\n\n[profile]\nhosting = \"cloud\"\n\n[contract]\nbaa = true\n";
        let doc = parse::<RawVendor>(text).unwrap();
        let hosting = doc.root().at(RawVendor::PROFILE).entry("hosting");
        assert_eq!(hosting.as_str(), "profile.hosting");
        let key = doc.key_loc(&hosting);
        let value = doc.loc(&hosting);
        assert_eq!((key.line, key.column, value.column), (7, 1, 11));
        let renewal = doc.root().at(RawVendor::CONTRACT).at(RawContract::RENEWAL);
        assert_eq!(renewal.as_str(), "contract.renewal");
        assert_eq!(
            doc.loc(&renewal).line,
            9,
            "an absent key falls back to its table"
        );
    }
}
