//! artifact-kinds.toml: each kind's validity rule, the tiers and profile
//! conditions that require it, the statuses it is accepted for, and the kind
//! it may substitute for.

use std::collections::BTreeMap;

use super::common::{Diags, check_conditions, not_allowed, tier_level};
use crate::diag::{Code, Diagnostic};
use crate::model::closed::ClosedSet;
use crate::model::raw::*;
use crate::model::*;
use crate::parse::{Doc, KeyPath};

/// The kinds fit to use: a kind whose validity rule is unusable is reported
/// and left out; other errors are reported and the kind kept.
pub(super) fn check_kinds(
    doc: &Doc<RawArtifactKinds>,
    tiers: &TierPolicy,
    d: &mut Diags,
) -> BTreeMap<String, ArtifactKind> {
    doc.value
        .kinds
        .iter()
        .filter_map(|(id, k)| Some((id.clone(), check_kind(doc, id, k, tiers, d)?)))
        .collect()
}

/// One kind; `None` when its validity rule cannot be used.
fn check_kind(
    doc: &Doc<RawArtifactKinds>,
    id: &str,
    k: &RawArtifactKind,
    tiers: &TierPolicy,
    d: &mut Diags,
) -> Option<ArtifactKind> {
    let path = doc.root().at(RawArtifactKinds::KIND).entry(id);
    let validity = check_validity(doc, id, &path, &k.validity, d)?;
    let required_for = k
        .required_for
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let at = path.at(RawArtifactKind::REQUIRED_FOR).item(i);
            tier_level(doc, &at, *l, tiers, d)
        })
        .collect();
    let required_when = check_conditions(
        doc,
        &path.at(RawArtifactKind::REQUIRED_WHEN),
        &k.required_when,
        tiers,
        d,
    );
    let accepted = accepted_statuses(doc, &path, k, d);
    if let Some(sub) = &k.substitutes
        && !doc.value.kinds.contains_key(sub)
    {
        d.push(
            Diagnostic::new(
                Code::UnknownReference,
                doc.loc(&path.at(RawArtifactKind::SUBSTITUTES)),
                format!("kind `{id}` substitutes unknown kind `{sub}`"),
            )
            .help("name another kind of this file"),
        );
    }
    Some(ArtifactKind {
        id: id.to_string(),
        title: k.title.clone(),
        description: k.description.clone(),
        validity,
        required_for,
        required_when,
        substitutes: k.substitutes.clone(),
        accepted_for_status: accepted,
        version_bound: k.version_bound,
        per_product: k.per_product || k.version_bound,
    })
}

/// The validity rule of kind `id`: a known `from`, and the months where
/// validity counts from a date. `None` (reported) otherwise.
fn check_validity(
    doc: &Doc<RawArtifactKinds>,
    id: &str,
    path: &KeyPath<RawArtifactKind>,
    raw: &RawValidity,
    d: &mut Diags,
) -> Option<ValidityRule> {
    let validity = path.at(RawArtifactKind::VALIDITY);
    let from = match raw.from.known() {
        Ok(from) => from,
        Err(other) => {
            d.push(not_allowed(
                doc,
                &validity.at(RawValidity::FROM),
                other,
                ValidFrom::VALUES,
            ));
            return None;
        }
    };
    if matches!(from, ValidFrom::PeriodEnd | ValidFrom::Issued) && raw.months.is_none_or(|m| m < 1)
    {
        d.push(
            Diagnostic::new(
                Code::InvalidPolicy,
                doc.loc(&validity),
                format!("kind `{id}` counts validity from a date but has no `months`"),
            )
            .help("add months = N (at least 1)"),
        );
        return None;
    }
    Some(validity_rule(from, raw))
}

/// The vendor statuses the kind is accepted for; an unknown one is reported
/// and left out.
fn accepted_statuses(
    doc: &Doc<RawArtifactKinds>,
    path: &KeyPath<RawArtifactKind>,
    k: &RawArtifactKind,
    d: &mut Diags,
) -> Vec<VendorStatus> {
    let mut accepted = Vec::new();
    for (i, s) in k.accepted_for_status.iter().enumerate() {
        match s.known() {
            Ok(st) => accepted.push(st),
            Err(text) => d.push(not_allowed(
                doc,
                &path.at(RawArtifactKind::ACCEPTED_FOR_STATUS).item(i),
                text,
                VendorStatus::VALUES,
            )),
        }
    }
    accepted
}

/// The typed rule of a kind whose `from` is known and whose dated kinds have
/// their months (checked above, so the months are there).
fn validity_rule(from: ValidFrom, raw: &RawValidity) -> ValidityRule {
    let months = raw.months.unwrap_or_default();
    match from {
        ValidFrom::PeriodEnd => ValidityRule::PeriodEnd {
            months,
            // Not set: no bridge letter extends the report.
            bridge_max_months: raw.bridge_max_months.unwrap_or_default(),
        },
        ValidFrom::Issued => ValidityRule::Issued {
            months,
            surveillance_months: raw.surveillance_months,
            interim_window_days: raw.interim_window_days,
        },
        ValidFrom::Explicit => ValidityRule::Explicit,
        ValidFrom::None => ValidityRule::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::testing::*;

    #[test]
    fn a_dated_validity_needs_months() {
        let text = "[kind.soc2]\ntitle = \"SOC 2\"\nvalidity = { from = \"period_end\" }\n\n[kind.pen]\ntitle = \"Pen test\"\nvalidity = { from = \"whenever\" }\naccepted_for_status = [\"active\", \"gone\"]\n";
        let mut d = Diags::default();
        let kinds = check_kinds(&doc("artifact-kinds.toml", text), &tiers(), &mut d);
        assert!(kinds.is_empty());
        assert_eq!(
            found(d),
            [
                (
                    "E0106",
                    7,
                    21,
                    "`whenever` is not allowed for `kind.pen.validity.from`".into()
                ),
                (
                    "E0501",
                    3,
                    12,
                    "kind `soc2` counts validity from a date but has no `months`".into()
                ),
            ]
        );
    }

    #[test]
    fn a_kind_becomes_its_typed_rule_with_its_statuses() {
        let text = "[kind.soc2]\ntitle = \"SOC 2\"\nvalidity = { from = \"period_end\", months = 12 }\naccepted_for_status = [\"prospective\"]\n";
        let mut d = Diags::default();
        let kinds = check_kinds(&doc("artifact-kinds.toml", text), &tiers(), &mut d);
        assert!(d.0.is_empty(), "{:#?}", d.0);
        let soc2 = &kinds["soc2"];
        assert_eq!(
            soc2.validity,
            ValidityRule::PeriodEnd {
                months: 12,
                bridge_max_months: 0
            }
        );
        assert_eq!(soc2.accepted_for_status, [VendorStatus::Prospective]);
    }
}
