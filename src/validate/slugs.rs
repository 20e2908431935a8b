//! Vendor folder names: each a valid slug, and no two the same ignoring case.

use std::collections::HashMap;

use crate::diag::{Code, Diagnostic, Loc};
use crate::load::VendorDir;

/// What a slug is, for the help under a bad one (a folder, or `vetted new`'s argument).
pub const SLUG_HELP: &str = "a slug is lowercase a-z, 0-9 and single '-' between words, at most 64 characters, e.g. acme-infusion";

/// Whether `s` is a vendor slug: lowercase a-z and 0-9 words joined by
/// single hyphens, at most 64 characters, so it is safe as a URL path segment.
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

pub(super) fn check_slugs(vendors: &[VendorDir], diags: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for v in vendors {
        let loc = Loc::file(&v.dir);
        if !is_valid_slug(&v.slug) {
            diags.push(
                Diagnostic::new(
                    Code::BadSlug,
                    loc.clone(),
                    format!("`{}` is not a valid vendor slug", v.slug),
                )
                .help(SLUG_HELP),
            );
        }
        let key = v.slug.to_lowercase();
        if let Some(first) = seen.get(&key) {
            diags.push(
                Diagnostic::new(
                    Code::DuplicateSlug,
                    loc,
                    format!(
                        "`{}` is the same slug as `{first}` (slugs ignore case)",
                        v.slug
                    ),
                )
                .help("merge the two folders or rename one"),
            );
        } else {
            seen.insert(key, &v.slug);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_words_joined_by_single_hyphens() {
        for ok in ["acme", "acme-infusion", "a1-b2", &"a".repeat(64)] {
            assert!(is_valid_slug(ok), "{ok}");
        }
        for bad in [
            "",
            "Acme",
            "acme infusion",
            "-acme",
            "acme-",
            "a--b",
            &"a".repeat(65),
            "ä",
        ] {
            assert!(!is_valid_slug(bad), "{bad}");
        }
    }
}
