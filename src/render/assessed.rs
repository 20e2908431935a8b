//! The join of the registry with its assessment, built once per build.
//!
//! The assessment lists its results by slug, artifact index, finding id and
//! exception id; pages need the registry's record next to each result. This
//! module pairs them once, so every page reaches what it needs from the vendor
//! (`Assessed::artifacts`, `findings`, `exceptions`) instead of searching or
//! zipping by position, and no page can pair them differently from another.

use std::collections::BTreeMap;

use super::link::vendor_href;
use crate::assess::{
    ArtifactAssessment, Assessment, ExceptionState, FindingState, VendorAssessment,
};
use crate::model::{Artifact, Exception, Finding, Registry, Vendor, VendorStatus};

/// A vendor with its assessment and each of its records with its result.
pub struct Assessed<'a> {
    pub vendor: &'a Vendor,
    pub assessment: &'a VendorAssessment,
    /// `vendors/<slug>/index.html`, worked out once: every list links here.
    pub href: String,
    /// artifacts.toml order; `state` is none for an artifact the assessment skipped.
    pub artifacts: Vec<Joined<'a, Artifact, ArtifactAssessment>>,
    /// findings.toml order.
    pub findings: Vec<Joined<'a, Finding, FindingState>>,
    /// exceptions.toml order.
    pub exceptions: Vec<Joined<'a, Exception, ExceptionState>>,
}

/// A registry record and what the assessment made of it.
pub struct Joined<'a, R, S> {
    pub record: &'a R,
    pub state: Option<&'a S>,
}

impl<'a> Assessed<'a> {
    /// Prospective or active: what the dashboard and calendar count.
    pub fn is_live(&self) -> bool {
        self.vendor.status != VendorStatus::Offboarded
    }

    /// Artifacts the assessment evaluated, with their results, in file order.
    pub fn assessed_artifacts(
        &self,
    ) -> impl Iterator<Item = (&'a Artifact, &'a ArtifactAssessment)> + '_ {
        self.artifacts
            .iter()
            .filter_map(|j| j.state.map(|s| (j.record, s)))
    }

    /// Exceptions with their status, in file order.
    pub fn assessed_exceptions(
        &self,
    ) -> impl Iterator<Item = (&'a Exception, &'a ExceptionState)> + '_ {
        self.exceptions
            .iter()
            .filter_map(|j| j.state.map(|s| (j.record, s)))
    }

    fn new(vendor: &'a Vendor, assessment: &'a VendorAssessment) -> Assessed<'a> {
        Assessed {
            vendor,
            assessment,
            href: vendor_href(vendor),
            artifacts: join(&vendor.artifacts, &assessment.artifacts, |r, s| {
                r.index == s.index
            }),
            findings: join(&vendor.findings, &assessment.findings, |r, s| r.id == s.id),
            exceptions: join(&vendor.exceptions, &assessment.exceptions, |r, s| {
                r.id == s.id
            }),
        }
    }
}

/// Each record with the first result that `same` matches to it. Per vendor
/// these lists hold a handful of items, so a scan beats building an index.
fn join<'a, R, S>(
    records: &'a [R],
    states: &'a [S],
    same: impl Fn(&R, &S) -> bool,
) -> Vec<Joined<'a, R, S>> {
    records
        .iter()
        .map(|record| Joined {
            record,
            state: states.iter().find(|s| same(record, s)),
        })
        .collect()
}

/// Every vendor that has an assessment, joined with it, sorted by name
/// (case-insensitive), then slug: the order of every vendor list on the site.
pub fn join_all<'a>(registry: &'a Registry, assessment: &'a Assessment) -> Vec<Assessed<'a>> {
    let by_slug: BTreeMap<&str, &VendorAssessment> = assessment
        .vendors
        .iter()
        .map(|a| (a.slug.as_str(), a))
        .collect();
    let mut all: Vec<(String, Assessed<'a>)> = registry
        .vendors
        .iter()
        .filter_map(|v| {
            let a = by_slug.get(v.slug.as_str())?;
            Some((v.name.to_lowercase(), Assessed::new(v, a)))
        })
        .collect();
    all.sort_by(|(a_name, a), (b_name, b)| (a_name, &a.vendor.slug).cmp(&(b_name, &b.vendor.slug)));
    all.into_iter().map(|(_, a)| a).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_pairs_each_record_with_its_first_match() {
        let records = [1, 2, 3];
        let states = [(3, "c"), (1, "a"), (1, "again")];
        let joined = join(&records, &states, |r, s| *r == s.0);
        let got: Vec<(i32, Option<&str>)> = joined
            .iter()
            .map(|j| (*j.record, j.state.map(|s| s.1)))
            .collect();
        assert_eq!(got, [(1, Some("a")), (2, None), (3, Some("c"))]);
    }
}
