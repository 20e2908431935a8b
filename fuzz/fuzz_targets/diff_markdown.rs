//! `vetted diff`: two registries of one vendor folder each, cut from the
//! input (the base vendor's seven chunks, then the head's; see src/lib.rs),
//! checked and compared with `diff::compare`; then the Markdown comment
//! (`diff::markdown`) as the CLI prints it, and the JSON form.
//!
//! Invariants on the Markdown, parsed as GitHub-flavoured Markdown: no HTML
//! but the writer's own `<details><summary>` wrapper; no link, image or
//! footnote reference; no bare `http://`, `https://` or `www.` autolink and no
//! `@mention` in text (code spans are inert and not checked). On the raw text,
//! as printed through the CLI's `Inert` filter: no workflow command (`::` at
//! a line's start, `##[` anywhere) and no raw control or invisible character
//! (but the zero-width spaces the writer itself puts in to break autolinks).
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pulldown_cmark::{Event, Options, Parser, Tag};
use vetted::RegistryOptions;
use vetted_fuzz::*;

struct Setup {
    base: PathBuf,
    head: PathBuf,
    today: vetted::model::Date,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        single_threaded();
        Setup {
            base: policy_registry(&scratch().join("base")),
            head: policy_registry(&scratch().join("head")),
            today: today(),
        }
    })
}

/// The writer's own HTML: the field changes folded in a `<details>`.
fn own_html(html: &str) -> bool {
    let h = html.trim_end_matches('\n');
    if h == "</details>" {
        return true;
    }
    h.strip_prefix("<details><summary>")
        .and_then(|r| r.strip_suffix(" field change(s)</summary>"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Text GitHub would turn into a link or a notification.
fn check_text(text: &str, md: &str) {
    let lower = text.to_lowercase();
    for pat in ["http://", "https://"] {
        assert!(
            !lower.contains(pat),
            "an autolink ({pat}) in the text {text:?} of {md:?}"
        );
    }
    // GFM: `www.` after the start, white space or `*`, `_`, `~`, `(`.
    for (i, _) in lower.match_indices("www.") {
        let before = lower[..i].chars().next_back();
        assert!(
            before.is_some_and(|c| !c.is_whitespace() && !"*_~(".contains(c)),
            "an autolink (www.) in the text {text:?} of {md:?}"
        );
    }
    // An @mention (`@` then a word character, not inside a word: an e-mail
    // address is not a mention) or an issue reference (`#26`, `GH-26`).
    let refs = [("@", "an @mention", false), ("#", "an issue reference", true), ("gh-", "an issue reference", true)];
    for (mark, what, digits) in refs {
        for (i, _) in lower.match_indices(mark) {
            let after = lower[i + mark.len()..].chars().next();
            let before = lower[..i].chars().next_back();
            let linked = if digits {
                after.is_some_and(|c| c.is_ascii_digit())
            } else {
                after.is_some_and(word)
            };
            assert!(
                !(linked && !before.is_some_and(word)),
                "{what} in the text {text:?} of {md:?}"
            );
        }
    }
}

fn check_markdown(md: &str) {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TASKLISTS);
    options.insert(Options::ENABLE_FOOTNOTES);
    options.insert(Options::ENABLE_GFM);
    let mut text = String::new();
    for event in Parser::new_ext(md, options) {
        match event {
            Event::Text(t) => {
                text.push_str(&t);
                continue;
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                assert!(own_html(&h), "HTML {h:?} in {md:?}");
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                panic!("a link to {dest_url:?} in {md:?}")
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                panic!("an image from {dest_url:?} in {md:?}")
            }
            Event::FootnoteReference(r) => panic!("a footnote reference {r:?} in {md:?}"),
            Event::Start(Tag::FootnoteDefinition(r)) => {
                panic!("a footnote definition {r:?} in {md:?}")
            }
            _ => {}
        }
        check_text(&text, md);
        text.clear();
    }
    check_text(&text, md);
}

fuzz_target!(|data: &[u8]| {
    let s = setup();
    let mut chunks = chunks(data);
    let base_vendor = VendorInput::take(&mut chunks);
    let head_vendor = VendorInput::take(&mut chunks);
    base_vendor.write(&s.base);
    head_vendor.write(&s.head);
    let check = |registry: &PathBuf| {
        vetted::check(&RegistryOptions {
            registry: registry.clone(),
            today: s.today,
        })
        .expect("the registry folder exists")
    };
    let (base, head) = (check(&s.base), check(&s.head));
    let diff = vetted::diff::compare("base", &base, &s.base, "head", &head, &s.head);
    let md = vetted::diff::markdown(&diff);
    check_markdown(&md);
    // As `vetted diff` prints it.
    let printed = through_inert(Style::Text, |out| {
        out.write_all(md.as_bytes()).expect("in memory")
    });
    assert_visible("diff markdown", &without_writer_zwsp(&printed), false);
    assert_inert("diff markdown", &printed);

    let json = serde_json::to_string_pretty(&diff).expect("a diff serialises");
    let printed = through_inert(Style::Json, |out| {
        out.write_all(json.as_bytes()).expect("in memory")
    });
    assert_inert("diff json", &printed);
    let a: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let b: serde_json::Value = serde_json::from_str(&printed)
        .unwrap_or_else(|e| panic!("diff json: not JSON after the filter ({e}): {printed}"));
    assert_eq!(a, b, "diff json: the output filter changed a value");
});
