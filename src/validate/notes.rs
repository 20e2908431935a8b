//! notes.md: its links use safe schemes.

use std::sync::Arc;

use super::common::{Diags, SAFE_SCHEMES, link_scheme};
use crate::diag::{Code, Diagnostic, SourceText};

/// Links in notes.md with a scheme other than http, https or mailto are
/// reported here; the renderer drops them too.
pub(super) fn check_markdown_links(rel: &Arc<str>, src: &SourceText, d: &mut Diags) {
    use pulldown_cmark::{Event, Parser, Tag};
    for (event, range) in Parser::new(&src.text).into_offset_iter() {
        let dest = match &event {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => dest_url.to_string(),
            _ => continue,
        };
        if let Some(s) = link_scheme(&dest)
            && !SAFE_SCHEMES.contains(&s.as_str())
        {
            d.push(
                Diagnostic::new(
                    Code::LinkScheme,
                    src.loc(rel, range),
                    format!("link uses the `{s}:` scheme"),
                )
                .help("only http, https and mailto links are allowed; the site drops this link"),
            );
        }
    }
}
