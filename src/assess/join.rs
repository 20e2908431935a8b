//! The join of a registry with its assessment: one model of a vendor and
//! what the assessment made of it.
//!
//! The assessment lists its results by slug, artifact index, finding id and
//! exception id; every later stage (the report's vendor table and JSON, the
//! diff, the site) needs the registry's record next to each result. This
//! module pairs them once, by key and never by position, so a stage reaches
//! what it needs from the vendor (`Assessed::artifacts`, `findings`,
//! `exceptions`, `requirements`, `red_flags`) instead of searching or
//! zipping, and no two stages can pair them differently. It only borrows:
//! building it clones nothing from the registry or the assessment.
//!
//! Where to add: something every stage reads about a vendor and its result
//! is an accessor on [`Assessed`] (with its test here); something only the
//! site needs (a link, an anchor) belongs on top of it in `render::assessed`.

use std::collections::HashMap;

use super::{
    ArtifactAssessment, ArtifactStatus, Assessment, ExceptionState, FindingState, RaisedFlag,
    Requirement, VendorAssessment,
};
use crate::model::{Artifact, Date, Exception, Finding, Registry, Vendor, VendorStatus};

/// A vendor with its assessment and each of its records with its result.
#[derive(Debug)]
pub struct Assessed<'a> {
    pub vendor: &'a Vendor,
    pub assessment: &'a VendorAssessment,
    /// artifacts.toml order, each paired with its result by `index`; `state`
    /// is none for an artifact the assessment skipped (a kind it does not know).
    pub artifacts: Vec<Joined<'a, Artifact, ArtifactAssessment>>,
    /// findings.toml order, each paired with its state by id.
    pub findings: Vec<Joined<'a, Finding, FindingState>>,
    /// exceptions.toml order, each paired with its state by id.
    pub exceptions: Vec<Joined<'a, Exception, ExceptionState>>,
}

/// A registry record and what the assessment made of it.
#[derive(Debug)]
pub struct Joined<'a, R, S> {
    pub record: &'a R,
    pub state: Option<&'a S>,
}

impl Assessment {
    /// Every vendor of `registry` that has an assessment here, joined with
    /// it, in registry order (by slug). `assess` keeps the registry's order,
    /// so each vendor's assessment is normally at its own position; the slug
    /// is checked there, and looked up when it differs (an assessment of
    /// another registry), so the pairing is by slug either way.
    pub fn join<'a>(&'a self, registry: &'a Registry) -> Vec<Assessed<'a>> {
        let mut by_slug: Option<HashMap<&str, &VendorAssessment>> = None;
        registry
            .vendors
            .iter()
            .enumerate()
            .filter_map(|(i, vendor)| {
                let assessment = match self.vendors.get(i) {
                    Some(a) if a.slug == vendor.slug => a,
                    _ => by_slug
                        .get_or_insert_with(|| {
                            self.vendors.iter().map(|a| (a.slug.as_str(), a)).collect()
                        })
                        .get(vendor.slug.as_str())
                        .copied()?,
                };
                Some(Assessed::new(vendor, assessment))
            })
            .collect()
    }
}

impl<'a> Assessed<'a> {
    /// `vendor` joined with `assessment`, which must be its own (same slug).
    pub fn new(vendor: &'a Vendor, assessment: &'a VendorAssessment) -> Assessed<'a> {
        debug_assert_eq!(vendor.slug, assessment.slug);
        Assessed {
            vendor,
            assessment,
            artifacts: pair(&vendor.artifacts, &assessment.artifacts, |r, s| {
                r.index == s.index
            }),
            findings: pair(&vendor.findings, &assessment.findings, |r, s| r.id == s.id),
            exceptions: pair(&vendor.exceptions, &assessment.exceptions, |r, s| {
                r.id == s.id
            }),
        }
    }

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

    /// Findings with their state, in file order.
    pub fn assessed_findings(&self) -> impl Iterator<Item = (&'a Finding, &'a FindingState)> + '_ {
        self.findings
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

    /// Artifacts whose validity ends on a known date, with that date, in
    /// file order; superseded ones are left out (a newer artifact of the kind
    /// replaced them). The calendar's evidence expiries and the export's
    /// earliest expiry both read this.
    pub fn expiries(
        &self,
    ) -> impl Iterator<Item = (&'a Artifact, &'a ArtifactAssessment, Date)> + '_ {
        self.assessed_artifacts().filter_map(|(art, a)| {
            let until = a.valid_until?;
            (a.status != ArtifactStatus::Superseded).then_some((art, a, until))
        })
    }

    /// The artifact with this file index (as a requirement's `satisfied_by`
    /// names it), with its result.
    pub fn artifact(&self, index: usize) -> Option<&Joined<'a, Artifact, ArtifactAssessment>> {
        self.artifacts.iter().find(|j| j.record.index == index)
    }

    /// Evidence the vendor's tier requires, and how it stands.
    pub fn requirements(&self) -> &'a [Requirement] {
        &self.assessment.requirements
    }

    /// Red flags its answers raise, accepted or not.
    pub fn red_flags(&self) -> &'a [RaisedFlag] {
        &self.assessment.red_flags
    }
}

/// Each record with the first result that `same` matches to it. Per vendor
/// these lists hold a handful of items, so a scan beats building an index.
fn pair<'a, R, S>(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::testing::{TODAY, d, exception, registry};
    use crate::assess::{ArtifactStatus, ExceptionStatus, assess};
    use crate::model::Accepts;

    /// The assessment of the vendor with `slug`, looked up by slug.
    fn of<'a>(assessment: &'a Assessment, slug: &str) -> &'a VendorAssessment {
        assessment.vendors.iter().find(|a| a.slug == slug).unwrap()
    }

    fn finding(id: &str) -> Finding {
        crate::assess::testing::finding(id, None, true)
    }

    #[test]
    fn pair_matches_each_record_with_its_first_match() {
        let records = [1, 2, 3];
        let states = [(3, "c"), (1, "a"), (1, "again")];
        let joined = pair(&records, &states, |r, s| *r == s.0);
        let got: Vec<(i32, Option<&str>)> = joined
            .iter()
            .map(|j| (*j.record, j.state.map(|s| s.1)))
            .collect();
        assert_eq!(got, [(1, Some("a")), (2, None), (3, Some("c"))]);
    }

    #[test]
    fn join_pairs_every_vendor_by_slug_in_registry_order() {
        let reg = registry();
        let assessment = assess(&reg, d(TODAY));
        let joined = assessment.join(&reg);
        let slugs: Vec<&str> = joined.iter().map(|j| j.vendor.slug.as_str()).collect();
        assert_eq!(slugs, ["acme-infusion", "cloudsched"]);
        assert!(joined.iter().all(|j| j.vendor.slug == j.assessment.slug));
        assert!(std::ptr::eq(
            joined[1].assessment,
            of(&assessment, "cloudsched")
        ));
    }

    #[test]
    fn join_pairs_by_slug_when_the_assessment_is_in_another_order() {
        let reg = registry();
        let mut assessment = assess(&reg, d(TODAY));
        assessment.vendors.reverse();
        let joined = assessment.join(&reg);
        let pairs: Vec<(&str, &str)> = joined
            .iter()
            .map(|j| (j.vendor.slug.as_str(), j.assessment.slug.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("acme-infusion", "acme-infusion"),
                ("cloudsched", "cloudsched")
            ]
        );
        // A vendor without an assessment is left out, not paired with another's.
        assessment.vendors.remove(0);
        let joined = assessment.join(&reg);
        assert_eq!(joined.len(), 1);
        assert_eq!(joined[0].assessment.slug, "acme-infusion");
    }

    #[test]
    fn artifacts_pair_by_index_past_a_skipped_one() {
        let reg = registry();
        let assessment = assess(&reg, d(TODAY));
        let v = &reg.vendors[0];
        assert!(v.artifacts.len() >= 2, "acme-infusion has three artifacts");
        // The assessment skips an artifact of a kind it does not know: drop
        // the first result, and mark the second so it can be told apart.
        let mut a = of(&assessment, &v.slug).clone();
        a.artifacts.remove(0);
        a.artifacts[0].status = ArtifactStatus::Missing;
        let second = v.artifacts[1].index;
        let joined = Assessed::new(v, &a);
        assert_eq!(joined.artifacts.len(), v.artifacts.len());
        assert!(joined.artifacts[0].state.is_none());
        let (art, state) = joined.assessed_artifacts().next().unwrap();
        assert!(std::ptr::eq(art, &v.artifacts[1]));
        assert_eq!(state.index, second);
        assert_eq!(state.status, ArtifactStatus::Missing);
        assert_eq!(joined.assessed_artifacts().count(), v.artifacts.len() - 1);
        assert!(std::ptr::eq(joined.artifact(second).unwrap().record, art));
        assert!(joined.artifact(usize::MAX).is_none());
    }

    #[test]
    fn expiries_leave_out_superseded_and_undated_artifacts() {
        let reg = registry();
        let assessment = assess(&reg, d(TODAY));
        let v = &reg.vendors[0];
        let mut a = of(&assessment, &v.slug).clone();
        assert!(a.artifacts.len() >= 3, "acme-infusion has three artifacts");
        a.artifacts[0].valid_until = Some(d("2027-01-31"));
        a.artifacts[0].status = ArtifactStatus::Superseded;
        a.artifacts[1].valid_until = Some(d("2027-02-28"));
        a.artifacts[1].status = ArtifactStatus::Valid;
        a.artifacts[2].valid_until = None;
        let joined = Assessed::new(v, &a);
        let got: Vec<(usize, Date)> = joined
            .expiries()
            .map(|(art, s, until)| {
                assert_eq!(art.index, s.index);
                (s.index, until)
            })
            .collect();
        assert_eq!(got, [(a.artifacts[1].index, d("2027-02-28"))]);
    }

    #[test]
    fn findings_and_exceptions_pair_by_id_not_position() {
        let mut reg = registry();
        let v = &mut reg.vendors[0];
        v.findings = vec![finding("F-1"), finding("F-2"), finding("F-3")];
        v.exceptions = vec![
            exception("EX-1", Accepts::Finding("F-1".into()), "2027-06-01"),
            exception("EX-2", Accepts::Finding("F-2".into()), "2026-11-01"),
        ];
        let assessment = assess(&reg, d(TODAY));
        let mut a = of(&assessment, "acme-infusion").clone();
        a.findings.reverse();
        a.findings.remove(0); // F-3's state is gone
        a.exceptions.reverse();
        let v = &reg.vendors[0];
        let joined = Assessed::new(v, &a);

        let findings: Vec<(&str, Option<&str>)> = joined
            .findings
            .iter()
            .map(|j| (j.record.id.as_str(), j.state.map(|s| s.id.as_str())))
            .collect();
        assert_eq!(
            findings,
            [("F-1", Some("F-1")), ("F-2", Some("F-2")), ("F-3", None)]
        );
        let exceptions: Vec<(&str, &str, ExceptionStatus)> = joined
            .assessed_exceptions()
            .map(|(e, s)| (e.id.as_str(), s.id.as_str(), s.status))
            .collect();
        assert_eq!(
            exceptions,
            [
                ("EX-1", "EX-1", ExceptionStatus::Active),
                ("EX-2", "EX-2", ExceptionStatus::Expired)
            ]
        );
        assert_eq!(joined.assessed_findings().count(), 2);
    }

    #[test]
    fn requirements_and_red_flags_are_the_vendors_own() {
        let reg = registry();
        let assessment = assess(&reg, d(TODAY));
        for j in assessment.join(&reg) {
            assert!(std::ptr::eq(
                j.requirements(),
                &j.assessment.requirements[..]
            ));
            assert!(std::ptr::eq(j.red_flags(), &j.assessment.red_flags[..]));
            assert_eq!(j.is_live(), j.vendor.status != VendorStatus::Offboarded);
        }
    }
}
