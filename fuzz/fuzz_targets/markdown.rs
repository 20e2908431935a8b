//! notes.md (and question guidance) to HTML: `render::markdown::to_safe_html`,
//! plus the link checks for URLs from TOML fields (`safe_url`, `contact_url`).
//!
//! Invariants on the HTML: it tokenises as well-formed HTML (every tag closed
//! in order, no stray `<`); no script-capable element (`<script`, `<iframe`,
//! `<img`, `<svg`, ...); no event-handler (`on…=`), `style`, `id` or `name`
//! attribute; every URL attribute, decoded as a browser would, is an http,
//! https or mailto URL or an in-page `#fragment`; every link has
//! `rel="noopener noreferrer"`. On the link checks: an accepted URL, as a
//! browser reads it, has a safe scheme and no control character.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vetted::render::markdown::{contact_url, safe_url, to_safe_html};

/// Elements that run script, load something, or take over the page.
const FORBIDDEN_TAGS: &[&str] = &[
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "img",
    "image", "svg", "math", "link", "meta", "base", "form", "input", "button", "textarea",
    "select", "template", "noscript", "video", "audio", "source", "track", "picture", "portal",
    "xmp", "plaintext", "noembed", "noframes", "title", "html", "head", "body", "dialog",
];

/// Elements with no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
];

/// Attributes holding a URL.
const URL_ATTRS: &[&str] = &[
    "href", "src", "cite", "action", "formaction", "background", "poster", "longdesc",
    "xlink:href", "data", "codebase", "srcset", "ping", "manifest",
];

/// Decode the character references html5ever's serialiser writes (and any
/// numeric one), as the browser will before it reads a URL.
fn decode(v: &str) -> String {
    let mut out = String::new();
    let mut rest = v;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|&e| e <= 12) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..end];
        let c = match name {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "nbsp" => Some('\u{a0}'),
            "Tab" => Some('\t'),
            "NewLine" => Some('\n'),
            "colon" => Some(':'),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The URL as a browser parses it: leading and trailing C0 controls and
/// spaces stripped, tabs and newlines removed anywhere; lower-cased.
fn as_browser_reads(url: &str) -> String {
    url.trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase()
}

fn safe_scheme(url: &str) -> bool {
    let u = as_browser_reads(url);
    ["http:", "https:", "mailto:"].iter().any(|s| u.starts_with(s))
}

struct Tag<'a> {
    name: String,
    end: bool,
    attrs: Vec<(String, String)>,
    raw: &'a str,
}

/// Tokenise serialised HTML: text and tags. Panics on anything a
/// serialiser of a well-formed tree would not write.
fn tags(html: &str) -> Vec<Tag<'_>> {
    let mut out = Vec::new();
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off;
        let mut j = start + 1;
        let end = b.get(j) == Some(&b'/');
        if end {
            j += 1;
        }
        let name_len = html[j..]
            .bytes()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        assert!(
            name_len > 0,
            "a raw `<` that does not start a tag at byte {start}: {html:?}"
        );
        let name = html[j..j + name_len].to_ascii_lowercase();
        j += name_len;
        let mut attrs = Vec::new();
        loop {
            while b.get(j).is_some_and(|c| c.is_ascii_whitespace()) {
                j += 1;
            }
            match b.get(j) {
                None => panic!("unterminated tag at byte {start}: {html:?}"),
                Some(b'>') => {
                    j += 1;
                    break;
                }
                Some(b'/') if b.get(j + 1) == Some(&b'>') => {
                    j += 2;
                    break;
                }
                Some(_) => {}
            }
            assert!(!end, "attributes on an end tag at byte {start}: {html:?}");
            let an = html[j..]
                .bytes()
                .take_while(|c| !c.is_ascii_whitespace() && !b"=>/\"'".contains(c))
                .count();
            assert!(an > 0, "malformed attribute at byte {j}: {html:?}");
            let aname = html[j..j + an].to_ascii_lowercase();
            j += an;
            let mut value = String::new();
            if b.get(j) == Some(&b'=') {
                j += 1;
                let q = b.get(j).copied();
                assert!(
                    q == Some(b'"'),
                    "unquoted attribute value at byte {j}: {html:?}"
                );
                let close = html[j + 1..]
                    .find('"')
                    .unwrap_or_else(|| panic!("unterminated attribute at byte {j}: {html:?}"));
                value = decode(&html[j + 1..j + 1 + close]);
                j += close + 2;
            }
            attrs.push((aname, value));
        }
        out.push(Tag {
            name,
            end,
            attrs,
            raw: &html[start..j],
        });
        i = j;
    }
    out
}

fn check_html(html: &str) {
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "`<script` in {html:?}");
    let mut open: Vec<String> = Vec::new();
    for t in tags(html) {
        assert!(
            !FORBIDDEN_TAGS.contains(&t.name.as_str()),
            "forbidden element {:?} in {html:?}",
            t.raw
        );
        if t.end {
            let top = open.pop();
            assert_eq!(
                top.as_deref(),
                Some(t.name.as_str()),
                "{:?} closes {top:?} in {html:?}",
                t.raw
            );
            continue;
        }
        for (name, value) in &t.attrs {
            assert!(
                !name.starts_with("on"),
                "event handler {name:?} in {:?} of {html:?}",
                t.raw
            );
            assert!(
                !matches!(name.as_str(), "style" | "id" | "name" | "srcdoc" | "is"),
                "attribute {name:?} in {:?} of {html:?}",
                t.raw
            );
            if URL_ATTRS.contains(&name.as_str()) {
                assert!(
                    value.starts_with('#') || safe_scheme(value),
                    "unsafe URL {value:?} in {:?} of {html:?}",
                    t.raw
                );
            }
        }
        if t.name == "a" && t.attrs.iter().any(|(n, _)| n == "href") {
            assert!(
                t.attrs
                    .iter()
                    .any(|(n, v)| n == "rel" && v.contains("noopener") && v.contains("noreferrer")),
                "a link without rel=\"noopener noreferrer\": {:?} in {html:?}",
                t.raw
            );
        }
        if !VOID.contains(&t.name.as_str()) {
            open.push(t.name);
        }
    }
    assert!(open.is_empty(), "unclosed {open:?} in {html:?}");
}

fn check_link(what: &str, input: &str, url: Option<String>) {
    if let Some(u) = url {
        assert!(
            !u.chars().any(char::is_control),
            "{what}({input:?}) = {u:?} holds a control character"
        );
        assert!(
            safe_scheme(&u),
            "{what}({input:?}) = {u:?}: not http, https or mailto as a browser reads it"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let html = to_safe_html(&text);
    check_html(&html);
    // URL fields are short; one line is plenty.
    if text.len() <= 4096 {
        check_link("safe_url", &text, safe_url(&text));
        check_link("contact_url", &text, contact_url(&text));
    }
});
