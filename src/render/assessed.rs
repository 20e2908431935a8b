//! The site's view of the join: each vendor joined with its assessment
//! ([`crate::assess::Assessed`], built by `Assessment::join`, the one place
//! the registry and its assessment are paired) plus what only pages need on
//! top of it, its page link, in the order every vendor list on the site uses.
//!
//! Pages read the join's fields and accessors (`vendor`, `assessment`,
//! `artifacts`, `assessed_exceptions()`, ...) straight through this type, so
//! they never pair records with results themselves.

use std::ops::Deref;

use super::link::vendor_href;
use crate::assess::{self, Assessment};
use crate::model::Registry;

/// A vendor with its assessment, as the site lists it.
pub struct Assessed<'a> {
    /// The registry's vendor joined with its results.
    pub join: assess::Assessed<'a>,
    /// `vendors/<slug>/index.html`, worked out once: every list links here.
    pub href: String,
}

/// Pages read the join as if it were this type: the link is the only thing
/// the site adds, and it changes nothing about the join.
impl<'a> Deref for Assessed<'a> {
    type Target = assess::Assessed<'a>;

    fn deref(&self) -> &Self::Target {
        &self.join
    }
}

/// Every vendor that has an assessment, joined with it, sorted by name
/// (case-insensitive), then slug: the order of every vendor list on the site.
pub fn join_all<'a>(registry: &'a Registry, assessment: &'a Assessment) -> Vec<Assessed<'a>> {
    let mut all: Vec<(String, Assessed<'a>)> = assessment
        .join(registry)
        .into_iter()
        .map(|join| {
            let key = join.vendor.name.to_lowercase();
            let href = vendor_href(join.vendor);
            (key, Assessed { join, href })
        })
        .collect();
    all.sort_by(|(a_name, a), (b_name, b)| (a_name, &a.vendor.slug).cmp(&(b_name, &b.vendor.slug)));
    all.into_iter().map(|(_, a)| a).collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn vendors_are_listed_by_name_then_slug_with_their_link() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
        let mut registry = crate::validate::validate(crate::load::load(&root))
            .registry
            .expect("the minimal fixture is valid");
        // Names in the opposite order from slugs, one differing only in case.
        registry.vendors[0].name = "zeta".into();
        registry.vendors[1].name = "Alpha".into();
        let assessment = crate::assess::assess(&registry, "2026-11-22".parse().unwrap());
        let listed = join_all(&registry, &assessment);
        let got: Vec<(&str, &str, &str)> = listed
            .iter()
            .map(|a| {
                (
                    a.vendor.name.as_str(),
                    a.assessment.slug.as_str(),
                    a.href.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("Alpha", "cloudsched", "vendors/cloudsched/index.html"),
                ("zeta", "acme-infusion", "vendors/acme-infusion/index.html"),
            ]
        );
    }
}
