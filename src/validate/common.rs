//! What every part of validation shares: the diagnostics sink, the checked
//! policy a vendor is checked against, and the checks of values that occur
//! in several files (plain dates, links, closed-set values, tier levels,
//! profile-factor conditions).

use std::collections::BTreeMap;

use toml::value::Datetime;

use crate::diag::{Code, Diagnostic, Loc};
use crate::model::closed::ClosedSet;
use crate::model::*;
use crate::parse::{Doc, KeyPath};

/// The diagnostics one check reports; a stage or a vendor task owns one and
/// appends it to the run's list, so the parallel vendor checks share nothing.
#[derive(Default)]
pub(super) struct Diags(pub(super) Vec<Diagnostic>);

impl Diags {
    pub(super) fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
}

/// The checked policy files a vendor is checked against.
pub(super) struct Policy<'a> {
    pub(super) questionnaire: &'a Questionnaire,
    pub(super) tiers: &'a TierPolicy,
    pub(super) kinds: &'a BTreeMap<String, ArtifactKind>,
    /// `[policy.evidence_files]` of vetted.toml.
    pub(super) evidence_files: &'a crate::model::evidence_file::EvidenceFilePolicy,
}

/// A TOML datetime that must be a plain calendar date.
pub(super) fn date<T, V>(
    doc: &Doc<T>,
    path: &KeyPath<V>,
    dt: &Datetime,
    d: &mut Diags,
) -> Option<Date> {
    let ok = match (dt.date, dt.time, dt.offset) {
        (Some(date), None, None) => {
            Date::new(date.year as i16, date.month as i8, date.day as i8).ok()
        }
        _ => None,
    };
    if ok.is_none() {
        d.push(
            Diagnostic::new(
                Code::ImpossibleDate,
                doc.loc(path),
                format!("`{path}` must be a plain date, not {dt}"),
            )
            .help("write the date as YYYY-MM-DD, unquoted, without a time"),
        );
    }
    ok
}

pub(super) fn opt_date<T>(
    doc: &Doc<T>,
    path: &KeyPath<Datetime>,
    dt: &Option<Datetime>,
    d: &mut Diags,
) -> Option<Date> {
    dt.as_ref().and_then(|dt| date(doc, path, dt, d))
}

/// The scheme of a link, after removing what browsers ignore (whitespace,
/// control characters) so `java\tscript:` is seen for what it is.
pub fn link_scheme(link: &str) -> Option<String> {
    let cleaned: String = link
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect();
    let end = cleaned.find([':', '/', '?', '#'])?;
    if cleaned.as_bytes()[end] != b':' || end == 0 {
        return None;
    }
    let scheme = &cleaned[..end];
    let valid = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// The schemes of `SafeScheme`, as `link_scheme` gives them.
pub const SAFE_SCHEMES: &[&str] = SafeScheme::VALUES;

/// An absolute link must use a safe scheme. `absolute_required`: relative links are errors too.
pub(super) fn check_link<T, V>(
    doc: &Doc<T>,
    path: &KeyPath<V>,
    link: &str,
    absolute_required: bool,
    d: &mut Diags,
) -> bool {
    match link_scheme(link) {
        Some(s) if SAFE_SCHEMES.contains(&s.as_str()) => true,
        Some(s) => {
            d.push(
                Diagnostic::new(
                    Code::LinkScheme,
                    doc.loc(path),
                    format!("link uses the `{s}:` scheme"),
                )
                .help("only http, https and mailto links are allowed"),
            );
            false
        }
        None if absolute_required => {
            d.push(
                Diagnostic::new(
                    Code::LinkScheme,
                    doc.loc(path),
                    format!("`{link}` is not an absolute http(s) or mailto link"),
                )
                .help("write the full address, e.g. https://docs.example.org/report.pdf"),
            );
            false
        }
        None => true,
    }
}

/// An artifact kind that artifact-kinds.toml does not define, with the kinds
/// it does as help.
pub(super) fn unknown_kind<T, V>(
    doc: &Doc<T>,
    path: &KeyPath<V>,
    kind: &str,
    kinds: &BTreeMap<String, ArtifactKind>,
) -> Diagnostic {
    let known: Vec<&str> = kinds.keys().map(String::as_str).collect();
    Diagnostic::new(
        Code::UnknownReference,
        doc.loc(path),
        format!("unknown artifact kind `{kind}`"),
    )
    .help(format!(
        "kinds in artifact-kinds.toml: {}",
        known.join(", ")
    ))
}

/// A value outside the values a key allows, with those values as help.
pub(super) fn not_allowed<T, V>(
    doc: &Doc<T>,
    path: &KeyPath<V>,
    value: &str,
    allowed: &[&str],
) -> Diagnostic {
    Diagnostic::new(
        Code::ValueNotAllowed,
        doc.loc(path),
        format!("`{value}` is not allowed for `{path}`"),
    )
    .help(format!("use one of: {}", allowed.join(", ")))
}

/// A tier level that tiers.toml defines; `None` (after reporting which
/// tiers exist) for any other number.
pub(super) fn tier_level<T>(
    doc: &Doc<T>,
    path: &KeyPath<i64>,
    level: i64,
    tiers: &TierPolicy,
    d: &mut Diags,
) -> Option<u8> {
    match u8::try_from(level)
        .ok()
        .filter(|l| tiers.tier(*l).is_some())
    {
        Some(l) => Some(l),
        None => {
            d.push(undefined_tier(
                doc.loc(path),
                format!("tier {level} is not defined in tiers.toml"),
                tiers,
            ));
            None
        }
    }
}

/// A tier level tiers.toml does not define, at `loc`, with the ones it does.
pub(super) fn undefined_tier(loc: Loc, message: String, tiers: &TierPolicy) -> Diagnostic {
    let known: Vec<String> = tiers.tiers.iter().map(|t| t.level.to_string()).collect();
    Diagnostic::new(Code::UnknownReference, loc, message)
        .help(format!("defined tiers: {}", known.join(", ")))
}

/// Profile conditions (`factor = [values]`): each factor is a factor of
/// tiers.toml and each value one of its values. Unknown factors are left
/// out; a value outside the factor is reported but kept.
pub(super) fn check_conditions<T>(
    doc: &Doc<T>,
    path: &KeyPath<BTreeMap<String, Vec<String>>>,
    when: &BTreeMap<String, Vec<String>>,
    tiers: &TierPolicy,
    d: &mut Diags,
) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for (factor, values) in when {
        let fpath = path.entry(factor);
        let Some(f) = tiers.factors.iter().find(|f| &f.id == factor) else {
            d.push(
                Diagnostic::new(
                    Code::UnknownReference,
                    doc.key_loc(&fpath),
                    format!("unknown profile factor `{factor}`"),
                )
                .help(format!(
                    "factors in tiers.toml: {}",
                    factor_ids(&tiers.factors)
                )),
            );
            continue;
        };
        for (i, v) in values.iter().enumerate() {
            if !f.points.iter().any(|(k, _)| k == v) {
                let allowed: Vec<&str> = f.points.iter().map(|(k, _)| k.as_str()).collect();
                d.push(not_allowed(doc, &fpath.item(i), v, &allowed));
            }
        }
        out.push((factor.clone(), values.clone()));
    }
    out
}

/// The ids of the profile factors, for a help text naming them.
pub(super) fn factor_ids(factors: &[Factor]) -> String {
    factors
        .iter()
        .map(|f| f.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_schemes_are_read_as_a_browser_reads_them() {
        assert_eq!(link_scheme("https://x.example").as_deref(), Some("https"));
        assert_eq!(
            link_scheme("java\tscript:alert(1)").as_deref(),
            Some("javascript")
        );
        assert_eq!(link_scheme(" JavaScript:x").as_deref(), Some("javascript"));
        assert_eq!(link_scheme("evidence/report.pdf"), None);
        assert_eq!(
            link_scheme("a/b:c"),
            None,
            "a colon after a slash is a path"
        );
        assert_eq!(link_scheme(":nothing"), None);
    }
}
