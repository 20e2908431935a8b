//! Derived changes: what a commit's field-level changes mean for readers (a
//! vendor's risk tier moved, an artifact's validity moved), worked out with
//! the assess stage's own rules (`assess::tier_of`, `assess::valid_until_raw`)
//! on each version of the file.
//!
//! A change is typed; its text (`Display`) is what the site, `diff` and
//! `history --json` show, and its serialized form is that text, so the JSON
//! and the history cache read the same as before the type existed.
//!
//! To add a kind of derived change: a variant of [`DerivedChange`], its text
//! in `Display` and `FromStr`, a function that finds it, called from
//! [`derive`], and a unit test below.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::semantic::FieldChange;
use crate::error::Error;
use crate::model::raw::RawArtifact;
use crate::model::{ArtifactKind, Date, TierPolicy};

/// A change that follows from field-level changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DerivedChange {
    /// The vendor's risk tier moved: `tier 3 → 1`.
    Tier { from: u8, to: u8 },
    /// An artifact's last valid day moved (`None`: it does not expire):
    /// `soc2-type2: SOC 2 2025: valid until 2026-06-30 → 2026-09-30`.
    Validity {
        /// The artifact's identity, `<kind>: <title>`.
        artifact: String,
        from: Option<Date>,
        to: Option<Date>,
    },
}

const VALID_UNTIL: &str = ": valid until ";
const NO_EXPIRY: &str = "no expiry";

impl fmt::Display for DerivedChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let day = |d: &Option<Date>| d.map_or(NO_EXPIRY.to_string(), |d| d.to_string());
        match self {
            DerivedChange::Tier { from, to } => write!(f, "tier {from} → {to}"),
            DerivedChange::Validity { artifact, from, to } => {
                write!(f, "{artifact}{VALID_UNTIL}{} → {}", day(from), day(to))
            }
        }
    }
}

/// The text of a derived change back to its type (the history cache holds
/// the text).
impl FromStr for DerivedChange {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("not a derived change: {s}");
        // The artifact's title may hold anything; the dates after the last
        // ": valid until " cannot.
        if let Some((artifact, moved)) = s.rsplit_once(VALID_UNTIL) {
            let (a, b) = moved.split_once(" → ").ok_or_else(bad)?;
            let day = |d: &str| match d {
                NO_EXPIRY => Ok(None),
                d => d.parse::<Date>().map(Some).map_err(|_| bad()),
            };
            return Ok(DerivedChange::Validity {
                artifact: artifact.to_string(),
                from: day(a)?,
                to: day(b)?,
            });
        }
        let (a, b) = s
            .strip_prefix("tier ")
            .and_then(|t| t.split_once(" → "))
            .ok_or_else(bad)?;
        Ok(DerivedChange::Tier {
            from: a.parse().map_err(|_| bad())?,
            to: b.parse().map_err(|_| bad())?,
        })
    }
}

impl Serialize for DerivedChange {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DerivedChange {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// The tier policies before and after a change.
pub type Policies = (Option<Arc<TierPolicy>>, Option<Arc<TierPolicy>>);

/// Artifact fields whose change can move its validity.
const DATE_FIELDS: &[&str] = &[
    ".issued",
    ".period_end",
    ".expires",
    ".bridge_until",
    ".last_surveillance",
    ".interim_completed",
];

/// The derived changes between two versions of the vendor file `name`,
/// given its field-level changes. Whole values are parsed only when a field
/// they depend on changed; `tiers` gives the tier rules before and after,
/// and is called only then.
pub fn derive(
    name: &str,
    fields: &[FieldChange],
    old: Option<&str>,
    new: Option<&str>,
    kinds: &BTreeMap<String, ArtifactKind>,
    tiers: &mut dyn FnMut() -> Result<Policies, Error>,
) -> Result<Vec<DerivedChange>, Error> {
    let mut derived = Vec::new();
    if name == "vendor.toml" && fields.iter().any(|c| c.path.starts_with("profile.")) {
        if let (Some(pa), Some(pb)) = (profile(old), profile(new)) {
            if let (Some(a), Some(b)) = tiers()? {
                derived.extend(tier_move(&a, &pa, &b, &pb));
            }
        }
    }
    if name == "artifacts.toml"
        && fields.iter().any(|c| {
            c.path.starts_with("artifact[") && DATE_FIELDS.iter().any(|f| c.path.ends_with(f))
        })
    {
        derived.extend(validity_moves(old, new, kinds));
    }
    Ok(derived)
}

/// One risk factor's value in a vendor.toml; a value that is not text
/// counts as absent (validate reports it), so it scores no points.
#[derive(Deserialize)]
#[serde(untagged)]
enum FactorValue {
    Text(String),
    Other(serde::de::IgnoredAny),
}

/// The part of vendor.toml the tier depends on. Other keys are ignored: a
/// version with a mistake elsewhere still shows its tier move.
#[derive(Deserialize)]
struct ProfileOf {
    profile: Option<BTreeMap<String, FactorValue>>,
}

/// The risk profile of one version of vendor.toml, as `assess::tier_of`
/// takes it; `None` when the file does not parse or has no profile.
fn profile(text: Option<&str>) -> Option<BTreeMap<String, String>> {
    let of: ProfileOf = toml::from_str(text?).ok()?;
    Some(
        of.profile?
            .into_iter()
            .filter_map(|(k, v)| match v {
                FactorValue::Text(t) => Some((k, t)),
                FactorValue::Other(_) => None,
            })
            .collect(),
    )
}

/// The tier move between two (policy, profile) pairs, if the tier moved.
fn tier_move(
    policy_a: &TierPolicy,
    profile_a: &BTreeMap<String, String>,
    policy_b: &TierPolicy,
    profile_b: &BTreeMap<String, String>,
) -> Option<DerivedChange> {
    let (from, _) = crate::assess::tier_of(policy_a, profile_a);
    let (to, _) = crate::assess::tier_of(policy_b, profile_b);
    (from != to).then_some(DerivedChange::Tier { from, to })
}

/// The `[[artifact]]` items of one version of artifacts.toml, by identity.
/// Each item is read on its own: one that does not parse is skipped, the
/// others still show their moves.
fn artifacts(text: Option<&str>) -> BTreeMap<String, RawArtifact> {
    #[derive(Deserialize)]
    struct Items {
        artifact: Option<Vec<toml::Value>>,
    }
    let Some(items) = text
        .and_then(|t| toml::from_str::<Items>(t).ok())
        .and_then(|i| i.artifact)
    else {
        return BTreeMap::new();
    };
    items
        .into_iter()
        .filter_map(|i| i.try_into::<RawArtifact>().ok())
        .map(|a| (format!("{}: {}", a.kind, a.title), a))
        .collect()
}

/// Artifacts whose last valid day moved between two versions of artifacts.toml.
fn validity_moves(
    old: Option<&str>,
    new: Option<&str>,
    kinds: &BTreeMap<String, ArtifactKind>,
) -> Vec<DerivedChange> {
    let (a, b) = (artifacts(old), artifacts(new));
    let mut out = Vec::new();
    for (key, ra) in &a {
        let Some(rb) = b.get(key) else { continue };
        let Some(kind) = kinds.get(&rb.kind) else {
            continue;
        };
        let (from, to) = (
            crate::assess::valid_until_raw(kind, ra),
            crate::assess::valid_until_raw(kind, rb),
        );
        if from != to {
            out.push(DerivedChange::Validity {
                artifact: key.clone(),
                from,
                to,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Option<Date> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn text_is_todays_and_reads_back() {
        let cases = [
            (DerivedChange::Tier { from: 3, to: 1 }, "tier 3 → 1"),
            (
                DerivedChange::Validity {
                    artifact: "soc2-type2: SOC 2: valid until then".into(),
                    from: day("2026-06-30"),
                    to: None,
                },
                "soc2-type2: SOC 2: valid until then: valid until 2026-06-30 → no expiry",
            ),
            (
                DerivedChange::Validity {
                    artifact: "pentest: Pentest → 2025".into(),
                    from: None,
                    to: day("2027-01-31"),
                },
                "pentest: Pentest → 2025: valid until no expiry → 2027-01-31",
            ),
        ];
        for (change, text) in cases {
            assert_eq!(change.to_string(), text);
            assert_eq!(text.parse::<DerivedChange>().unwrap(), change);
            let json = serde_json::to_string(&change).unwrap();
            assert_eq!(json, serde_json::to_string(text).unwrap());
            assert_eq!(
                serde_json::from_str::<DerivedChange>(&json).unwrap(),
                change
            );
        }
        for bad in [
            "tier 3 to 1",
            "tier x → 1",
            "a: valid until 2026-13-01 → no expiry",
            "",
        ] {
            assert!(bad.parse::<DerivedChange>().is_err(), "{bad}");
        }
    }

    #[test]
    fn the_profile_ignores_the_rest_of_the_file_and_non_text_values() {
        let text = "name = \"Acme\"\nunknown = 1\n[profile]\nphi_access = \"full\"\nscore = 3\n";
        let p = profile(Some(text)).unwrap();
        assert_eq!(
            p.into_iter().collect::<Vec<_>>(),
            vec![("phi_access".into(), "full".into())]
        );
        assert_eq!(profile(Some("name = \"Acme\"\n")), None);
        assert_eq!(profile(Some("not toml [")), None);
        assert_eq!(profile(None), None);
    }

    #[test]
    fn derives_only_when_a_field_it_depends_on_changed() {
        let change = |path: &str| FieldChange {
            file: String::new(),
            path: path.into(),
            op: crate::history::Op::Changed,
            old: None,
            new: None,
            label: String::new(),
        };
        let asked = std::cell::Cell::new(0);
        let mut tiers = || -> Result<Policies, Error> {
            asked.set(asked.get() + 1);
            Ok((None, None))
        };
        let (a, b) = (
            Some("[profile]\nx = \"a\"\n"),
            Some("[profile]\nx = \"b\"\n"),
        );
        let kinds = BTreeMap::new();
        let d = derive("vendor.toml", &[change("name")], a, b, &kinds, &mut tiers).unwrap();
        assert!(d.is_empty());
        let d = derive(
            "vendor.toml",
            &[change("profile.x")],
            a,
            b,
            &kinds,
            &mut tiers,
        )
        .unwrap();
        assert!(d.is_empty(), "no tier policy, no tier move");
        assert_eq!(
            asked.get(),
            1,
            "the policies are read only for a profile change"
        );
        let d = derive(
            "artifacts.toml",
            &[change("artifact[k: t].title")],
            a,
            b,
            &kinds,
            &mut tiers,
        );
        assert!(d.unwrap().is_empty());
    }

    #[test]
    fn items_that_do_not_parse_are_skipped_one_by_one() {
        let text = "[[artifact]]\nkind = \"pentest\"\ntitle = \"P\"\nissued = 2025-01-01\n\
                    [[artifact]]\nkind = 3\n";
        let items = artifacts(Some(text));
        assert_eq!(items.keys().collect::<Vec<_>>(), vec!["pentest: P"]);
        assert!(artifacts(Some("artifact = 1")).is_empty());
    }
}
