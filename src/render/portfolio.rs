//! Cross-vendor joins behind the portfolio pages (evidence matrix,
//! subprocessors, products) and shared with `vetted export`: every
//! subprocessor grouped with the vendors that list it, each product's end of
//! support classified against the build date, and the safe page slug of a
//! subprocessor. They read the join ([`crate::assess::Assessed`]) only, so
//! the site and the export cannot disagree on who depends on what.

use std::collections::BTreeMap;

use crate::assess::Assessed;
use crate::model::{Date, Subprocessor, name_key};

/// Where a product's end of support stands on the build date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EndOfSupport {
    /// The date has passed (the day after it, as the vendor page says it).
    Past,
    /// A date is stated and still ahead.
    Upcoming,
    /// The vendor states no date.
    NotStated,
}

impl EndOfSupport {
    pub fn of(date: Option<Date>, today: Date) -> EndOfSupport {
        match date {
            Some(d) if d < today => EndOfSupport::Past,
            Some(_) => EndOfSupport::Upcoming,
            None => EndOfSupport::NotStated,
        }
    }

    /// The filter key (`past`, `upcoming`, `not-stated`).
    pub fn key(self) -> &'static str {
        match self {
            EndOfSupport::Past => "past",
            EndOfSupport::Upcoming => "upcoming",
            EndOfSupport::NotStated => "not-stated",
        }
    }
}

/// One fourth party: every vendor entry naming it (compared as
/// [`name_key`], the way the assessment compares subprocessor names).
#[derive(Debug)]
pub struct FourthParty<'a> {
    /// The name as shown: the first spelling in byte order, so the same
    /// registry always shows the same one.
    pub name: &'a str,
    /// Page folder under `subprocessors/` ([`slugs`]).
    pub slug: String,
    /// (index of the vendor in the joined list, its entry), in the joined
    /// list's order; a vendor listing it twice appears twice.
    pub users: Vec<(usize, &'a Subprocessor)>,
}

/// Every subprocessor of the joined vendors, by `name_key`, with a unique
/// slug each. `joined` is the order of the users (the site passes its
/// vendors by name).
pub fn fourth_parties<'a, J>(joined: &[J]) -> Vec<FourthParty<'a>>
where
    J: std::ops::Deref<Target = Assessed<'a>>,
{
    let mut by_key: BTreeMap<String, Vec<(usize, &'a Subprocessor)>> = BTreeMap::new();
    for (i, p) in joined.iter().enumerate() {
        for s in &p.vendor.subprocessors {
            by_key.entry(name_key(&s.name)).or_default().push((i, s));
        }
    }
    let keys: Vec<&str> = by_key.keys().map(String::as_str).collect();
    let slugs = slugs(&keys);
    by_key
        .into_iter()
        .zip(slugs)
        .map(|((_, users), slug)| FourthParty {
            name: users
                .iter()
                .map(|(_, s)| s.name.trim())
                .min()
                .unwrap_or_default(),
            slug,
            users,
        })
        .collect()
}

/// Longest slug made from a name (before a collision suffix).
pub const SLUG_MAX: usize = 60;

/// A folder name from a registry name: lowercase ASCII letters and digits,
/// every other run of characters one `-`, no `-` at either end, at most
/// [`SLUG_MAX`] characters; `subprocessor` when nothing is left. It never
/// holds `.` or `/`, so it cannot leave its folder.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            if out.len() >= SLUG_MAX {
                break;
            }
            out.push(c);
        } else {
            dash = true;
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "subprocessor".to_string()
    } else {
        out.to_string()
    }
}

/// Unique slugs for `names`, in their order: a name whose slug an earlier
/// one took gets `-2`, `-3`, … (the first free). Deterministic for the same
/// list in the same order.
pub fn slugs(names: &[&str]) -> Vec<String> {
    let mut taken = std::collections::BTreeSet::new();
    names
        .iter()
        .map(|n| {
            let base = slug(n);
            let mut s = base.clone();
            let mut k = 2;
            while !taken.insert(s.clone()) {
                s = format!("{base}-{k}");
                k += 1;
            }
            s
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn slugs_are_safe_folder_names() {
        assert_eq!(slug("Nimbus Cloud Platform"), "nimbus-cloud-platform");
        assert_eq!(slug("  ../../etc/passwd "), "etc-passwd");
        assert_eq!(slug("<script>alert(1)</script>"), "script-alert-1-script");
        assert_eq!(slug("Ünïcode Çorp"), "n-code-orp");
        assert_eq!(slug("..."), "subprocessor");
        assert_eq!(slug(""), "subprocessor");
        let long = slug(&"a".repeat(5000));
        assert_eq!(long.len(), SLUG_MAX);
        let long = slug(&"ab ".repeat(5000));
        assert!(long.len() <= SLUG_MAX && !long.ends_with('-'), "{long}");
    }

    #[test]
    fn colliding_slugs_get_the_first_free_suffix_in_order() {
        assert_eq!(
            slugs(&["a b", "a-b", "a.b", "a-b-2", "c"]),
            ["a-b", "a-b-2", "a-b-3", "a-b-2-2", "c"]
        );
    }

    #[test]
    fn end_of_support_is_past_from_the_day_after() {
        let today: Date = "2026-11-22".parse().unwrap();
        let of = |s: &str| EndOfSupport::of(Some(s.parse().unwrap()), today);
        assert_eq!(of("2026-11-21"), EndOfSupport::Past);
        assert_eq!(of("2026-11-22"), EndOfSupport::Upcoming);
        assert_eq!(EndOfSupport::of(None, today), EndOfSupport::NotStated);
        assert_eq!(EndOfSupport::NotStated.key(), "not-stated");
    }

    #[test]
    fn subprocessors_are_grouped_by_name_key_with_their_users() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("registry");
        let registry = crate::validate::validate(crate::load::load(&root))
            .registry
            .expect("the example registry is valid");
        let assessment = crate::assess::assess(&registry, "2026-11-22".parse().unwrap());
        let joined = super::super::assessed::join_all(&registry, &assessment);
        let all = fourth_parties(&joined);
        let nimbus = all
            .iter()
            .find(|f| f.name == "Nimbus Cloud Platform")
            .expect("the example's shared cloud");
        assert_eq!(nimbus.slug, "nimbus-cloud-platform");
        let users: Vec<&str> = nimbus
            .users
            .iter()
            .map(|(i, _)| joined[*i].vendor.slug.as_str())
            .collect();
        assert_eq!(users.len(), 8, "{users:?}");
        assert!(users.contains(&"lumenview-imaging") && users.contains(&"tidewell-rpm"));
        // Unique slugs, in name_key order.
        let mut slugs: Vec<&str> = all.iter().map(|f| f.slug.as_str()).collect();
        let n = slugs.len();
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), n);
        assert!(
            all.windows(2)
                .all(|w| name_key(w[0].name) < name_key(w[1].name))
        );
    }
}
