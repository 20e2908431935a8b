//! Fixtures the parts' unit tests share: a document parsed from text, the
//! diagnostics as comparable tuples, and a small valid tier policy.

use std::sync::Arc;

use super::common::Diags;
use super::tiers::check_tiers;
use crate::model::TierPolicy;
use crate::parse::Doc;

/// `text` parsed as the file `name`; panics (naming the file) when it does not parse.
pub(super) fn doc<T: serde::de::DeserializeOwned>(name: &str, text: &str) -> Doc<T> {
    let rel: Arc<str> = name.into();
    crate::parse::parse_toml::<T>(&rel, crate::diag::SourceText::new(text.into()))
        .unwrap_or_else(|e| panic!("{name}: {e:#?}"))
}

/// Code, line, column and message of each diagnostic, sorted.
pub(super) fn found(d: Diags) -> Vec<(&'static str, u32, u32, String)> {
    let mut v: Vec<_> =
        d.0.into_iter()
            .map(|x| (x.code, x.loc.line, x.loc.column, x.message))
            .collect();
    v.sort();
    v
}

/// Two tiers over one factor, `phi_access`; tier 1 requires section `s`.
pub(super) const TIERS: &str = r#"
[factor.phi_access]
title = "PHI access"
points = { none = 0, full = 3 }

[[tier]]
level = 1
name = "High"
min_score = 3
review_months = 12
sections = ["s"]

[[tier]]
level = 2
name = "Low"
min_score = 0
review_months = 24
sections = []
"#;

/// The checked policy of `TIERS`.
pub(super) fn tiers() -> TierPolicy {
    let mut d = Diags::default();
    let t = check_tiers(&doc("tiers.toml", TIERS), &mut d);
    assert!(d.0.is_empty(), "{:#?}", d.0);
    t
}
