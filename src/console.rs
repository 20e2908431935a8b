//! Text bound for a terminal or a CI log, where registry and git text must
//! stay inert.
//!
//! Two things in a log are live. Escape sequences (and invisible formatting
//! characters) can recolour, rewrite or hide output: `visible` shows them as
//! `\u{1b}`-style escapes. And a GitHub Actions runner executes workflow
//! commands: a line whose first non-blank characters are `::` (`::error`,
//! `::stop-commands::`, `::add-mask::`), and the legacy `##[command]` form
//! anywhere in a line. `inert` breaks both forms in whole lines of output,
//! whatever put them there; `Inert` applies it to everything a writer is
//! given. vetted's own text never holds either form, so nothing it means to
//! say is changed; `--format github`, which emits commands on purpose, escapes
//! its data itself (`report::github`).

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io;

/// Registry text made safe to print to a terminal or a CI log: control
/// characters (an escape sequence could recolour, rewrite or hide output) and
/// invisible formatting characters are shown as `\u{1b}`-style escapes.
/// `newlines` keeps line breaks (a help text may have several lines).
pub fn visible(s: &str, newlines: bool) -> Cow<'_, str> {
    let bad = |c: char| unusual(c) && !(newlines && c == '\n');
    if !s.chars().any(bad) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Control characters and the invisible formatting ones (bidirectional
/// overrides, zero-width marks) that renderers treat specially.
pub fn unusual(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// How a broken workflow command is spelled: as text (`\u{23}`, vetted's
/// escape notation) or inside JSON strings (`\u0023`, the same string value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Text,
    Json,
}

impl Style {
    fn hash(self) -> &'static str {
        match self {
            Style::Text => "\\u{23}",
            Style::Json => "\\u0023",
        }
    }
}

/// Whether `s` may hold a workflow command (a quick test before the exact
/// one), or, in JSON, a character to escape (any non-ASCII byte: rare).
fn suspicious(s: &[u8], style: Style) -> bool {
    memchr::memmem::find(s, b"##[").is_some()
        || memchr::memmem::find(s, b"::").is_some()
        || (style == Style::Json && (!s.is_ascii() || s.contains(&0x7f)))
}

/// JSON text with control and invisible formatting characters that its
/// serializer leaves raw (DEL, C1 controls such as U+009B, which some
/// terminals read as an escape sequence; bidirectional overrides;
/// zero-width marks) written as `\uXXXX` escapes. They can only be inside
/// strings, so the value is unchanged.
fn json_escapes(s: &str) -> Cow<'_, str> {
    // Raw line breaks and tabs are the serializer's own layout: inside
    // strings it escapes them itself.
    let raw = |c: char| unusual(c) && !matches!(c, '\n' | '\r' | '\t');
    if !s.chars().any(raw) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if raw(c) {
            // Every `unusual` character is in the Basic Multilingual Plane.
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `s` with every workflow command broken: the second `#` of `##[` is
/// escaped, and so is the first `:` of a line whose first non-blank
/// characters are `::`. A runner splits lines at `\n` and at `\r`, and
/// skips any Unicode white space before `::`; so does this. In JSON, control
/// and invisible formatting characters are also escaped (`json_escapes`).
pub fn inert(s: &str, style: Style) -> Cow<'_, str> {
    if !suspicious(s.as_bytes(), style) {
        return Cow::Borrowed(s);
    }
    if style == Style::Json
        && let Cow::Owned(escaped) = json_escapes(s)
    {
        return Cow::Owned(inert(&escaped, style).into_owned());
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut changed = false;
    for line in s.split_inclusive(['\n', '\r']) {
        let body = line.trim_start();
        let lead = line.len() - body.len();
        out.push_str(&line[..lead]);
        let mut rest = body;
        // JSON lines begin with structure or a quoted string, never `::`.
        if style == Style::Text && rest.starts_with("::") {
            out.push_str("\\u{3a}");
            rest = &rest[1..];
            changed = true;
        }
        while let Some(i) = rest.find("##[") {
            out.push_str(&rest[..i + 1]);
            out.push_str(style.hash());
            rest = &rest[i + 2..];
            changed = true;
        }
        out.push_str(rest);
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(s)
    }
}

/// A writer that passes everything through `inert`, a whole line at a time
/// (a partial line waits for its end, or for `flush`). Wrap every stream
/// that can reach a CI log in it.
pub struct Inert<W: io::Write> {
    inner: W,
    style: Style,
    pending: Vec<u8>,
}

impl<W: io::Write> Inert<W> {
    pub fn new(inner: W, style: Style) -> Self {
        Inert {
            inner,
            style,
            pending: Vec::new(),
        }
    }

    fn emit(&mut self, bytes: &[u8]) -> io::Result<()> {
        if !suspicious(bytes, self.style) {
            return self.inner.write_all(bytes);
        }
        let text = String::from_utf8_lossy(bytes);
        self.inner.write_all(inert(&text, self.style).as_bytes())
    }
}

impl<W: io::Write> io::Write for Inert<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // Lines end at `\n` or `\r`: everything up to the last one is whole.
        match buf.iter().rposition(|&b| b == b'\n' || b == b'\r') {
            None => self.pending.extend_from_slice(buf),
            Some(end) => {
                if self.pending.is_empty() {
                    self.emit(&buf[..=end])?;
                } else {
                    // The buffer is put back, emptied, to keep its capacity.
                    let mut line = std::mem::take(&mut self.pending);
                    line.extend_from_slice(&buf[..=end]);
                    let emitted = self.emit(&line);
                    line.clear();
                    self.pending = line;
                    emitted?;
                }
                self.pending.extend_from_slice(&buf[end + 1..]);
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            let rest = std::mem::take(&mut self.pending);
            self.emit(&rest)?;
        }
        self.inner.flush()
    }
}

impl<W: io::Write> Drop for Inert<W> {
    fn drop(&mut self) {
        let _ = io::Write::flush(self);
    }
}

/// Print one message to standard error, made visible and inert: for errors,
/// notes and progress lines, which may quote paths and registry text.
pub fn say(message: &str) {
    use io::Write as _;
    let text = visible(message, true);
    let mut line = inert(&text, Style::Text).into_owned();
    line.push('\n');
    let _ = io::stderr().lock().write_all(line.as_bytes());
}

/// `say` with `format!` arguments.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => { $crate::console::say(&format!($($arg)*)) };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    /// What a GitHub runner would treat as a command in one line of output
    /// (ActionCommand.TryParseV2 and the legacy TryParse).
    pub fn runner_would_execute(line: &str) -> bool {
        line.trim_start().starts_with("::") || line.contains("##[")
    }

    fn executes(out: &str) -> bool {
        out.split(['\n', '\r']).any(runner_would_execute)
    }

    #[test]
    fn workflow_commands_are_broken_in_every_position() {
        let cases = [
            "::stop-commands::abc",
            "   ::error::x",
            "\t::add-mask::secret",
            "\u{a0}\u{2003}::warning::nbsp and em space",
            "help: a\n      ::stop-commands::tok\nmore",
            "a\r::set-output name=x::1",
            "name ##[group]legacy",
            "##[stop-commands]t ##[endgroup]",
            "###[x] ##[[y]",
            "a ::not at start:: fine",
        ];
        for c in cases {
            let out = inert(c, Style::Text);
            assert!(!executes(&out), "{c:?} -> {out:?}");
        }
        // Text that is not a command is left as it is, borrowed.
        for c in ["a ::not at start:: fine", "C::D", "# heading [x]", "plain"] {
            assert!(matches!(inert(c, Style::Text), Cow::Borrowed(_)), "{c:?}");
        }
        assert_eq!(inert("  ::x::y", Style::Text), "  \\u{3a}:x::y");
        assert_eq!(inert("a ##[b]", Style::Text), "a #\\u{23}[b]");
    }

    #[test]
    fn json_stays_json_with_the_same_values() {
        let v = serde_json::json!({"name": "##[stop-commands]x ###[y", "k": "::a::b", "c": "\u{7f}\u{9b}31m\u{202e}é"});
        let text = serde_json::to_string_pretty(&v).unwrap();
        let safe = inert(&text, Style::Json);
        assert!(!executes(&safe), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, v);
        assert!(!safe.chars().any(|c| unusual(c) && c != '\n'), "{safe}");
        assert!(safe.contains("\\u007f\\u009b31m\\u202eé"), "{safe}");
    }

    #[test]
    fn the_writer_sees_whole_lines_across_writes() {
        let mut buf = Vec::new();
        {
            let mut w = Inert::new(&mut buf, Style::Text);
            for piece in [
                "ok\n  :",
                ":stop-comm",
                "ands::t\nname #",
                "#[x] end",
                "\n::last",
            ] {
                w.write_all(piece.as_bytes()).unwrap();
            }
        }
        let out = String::from_utf8(buf).unwrap();
        assert!(!executes(&out), "{out:?}");
        assert_eq!(
            out,
            "ok\n  \\u{3a}:stop-commands::t\nname #\\u{23}[x] end\n\\u{3a}:last"
        );
    }
}
