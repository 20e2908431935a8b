//! Markdown in one place: registry Markdown (notes.md, question guidance) to
//! sanitised HTML, and the link check for URLs taken from TOML fields.
//!
//! Markdown is rendered by pulldown-cmark, then everything it produced,
//! including raw HTML the author wrote, goes through ammonia. Only http,
//! https and mailto links and in-page fragments survive; images become links
//! (the site makes no external request); headings are shifted down so a note's
//! `# Title` never competes with the page's one `<h1>`.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::validate::{SAFE_SCHEMES, link_scheme};

/// How many levels registry headings move down: `#` becomes `<h3>`.
const HEADING_SHIFT: usize = 2;

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    // Images would be requests to elsewhere; they are turned into links before this.
    b.rm_tags(["img"]);
    b.url_schemes(SAFE_SCHEMES.iter().copied().collect::<HashSet<_>>());
    // A relative link in a note would point into the site, where nothing
    // matches it; only in-page fragments are meaningful.
    b.url_relative(ammonia::UrlRelative::Custom(Box::new(fragment_only)));
    b.link_rel(Some("noopener noreferrer"));
    b
});

fn fragment_only(url: &str) -> Option<Cow<'_, str>> {
    url.starts_with('#').then_some(Cow::Borrowed(url))
}

/// Render registry Markdown to HTML that is safe to mark `safe` in a template.
pub fn to_safe_html(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TASKLISTS);
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: shift(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(shift(level))),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }),
        Event::End(TagEnd::Image) => Event::End(TagEnd::Link),
        other => other,
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    SANITIZER.clean(&html).to_string()
}

fn shift(level: HeadingLevel) -> HeadingLevel {
    use HeadingLevel::*;
    const LEVELS: [HeadingLevel; 6] = [H1, H2, H3, H4, H5, H6];
    let i = LEVELS.iter().position(|l| *l == level).unwrap_or(5);
    LEVELS[(i + HEADING_SHIFT).min(5)]
}

/// A link from a TOML field, if it may be emitted as an `href`: an absolute
/// http, https or mailto URL. Validation already rejects other schemes; this
/// is the renderer's own check, so a registry that skipped validation still
/// cannot put `javascript:` into a page.
pub fn safe_url(link: &str) -> Option<String> {
    let link = link.trim();
    match link_scheme(link) {
        Some(s) if SAFE_SCHEMES.contains(&s.as_str()) && !link.chars().any(char::is_control) => {
            Some(link.to_string())
        }
        _ => None,
    }
}

/// A contact value as a link: URLs with a safe scheme as they are, a bare
/// e-mail address as `mailto:`.
pub fn contact_url(value: &str) -> Option<String> {
    let v = value.trim();
    if link_scheme(v).is_some() {
        return safe_url(v);
    }
    let looks_like_email = v.contains('@')
        && !v.starts_with('@')
        && !v.ends_with('@')
        && !v
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>\"'()[]\\,;:".contains(c));
    looks_like_email.then(|| format!("mailto:{v}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_scripts_handlers_and_frames() {
        let html = to_safe_html(
            "Hi <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<iframe src=\"https://e.example\"></iframe>\n\n<a href=\"#ok\" onclick=\"x()\">in page</a>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("alert(1)"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("<iframe"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(html.contains("href=\"#ok\""), "{html}");
    }

    #[test]
    fn only_safe_link_schemes_survive() {
        let html = to_safe_html(
            "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](java\tscript:x) [d](data:text/html,x) \
             [e](vbscript:x) [f](https://ok.example/x) [g](mailto:a@b.example) [h](../escape.html) [i](#frag)",
        );
        assert!(!html.to_ascii_lowercase().contains("javascript"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(!html.contains("vbscript"), "{html}");
        assert!(!html.contains("../escape.html"), "{html}");
        assert!(html.contains("href=\"https://ok.example/x\""), "{html}");
        assert!(html.contains("href=\"mailto:a@b.example\""), "{html}");
        assert!(html.contains("href=\"#frag\""), "{html}");
        assert!(html.contains("rel=\"noopener noreferrer\""), "{html}");
    }

    #[test]
    fn images_become_links_and_headings_shift() {
        let html = to_safe_html("# Notes\n\n## Sub\n\n![diagram](https://img.example/d.png)");
        assert!(html.contains("<h3>Notes</h3>"), "{html}");
        assert!(html.contains("<h4>Sub</h4>"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains("href=\"https://img.example/d.png\""),
            "{html}"
        );
        assert!(html.contains(">diagram</a>"), "{html}");
    }

    #[test]
    fn toml_links_are_checked() {
        assert_eq!(
            safe_url("https://a.example/x").as_deref(),
            Some("https://a.example/x")
        );
        assert_eq!(
            safe_url("mailto:x@a.example").as_deref(),
            Some("mailto:x@a.example")
        );
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(safe_url(" java\nscript:alert(1)"), None);
        assert_eq!(safe_url("evidence/soc2.pdf"), None);
        assert_eq!(safe_url("//evil.example/x"), None);
        assert_eq!(
            contact_url("psirt@acme.example").as_deref(),
            Some("mailto:psirt@acme.example")
        );
        assert_eq!(
            contact_url("https://acme.example/security").as_deref(),
            Some("https://acme.example/security")
        );
        assert_eq!(contact_url("Jane Doe, +1 555"), None);
        assert_eq!(contact_url("javascript:alert(1)//@x"), None);
    }
}
