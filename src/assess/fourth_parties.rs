//! Fourth-parties part (live vendors): the vendor's subprocessors.
//!
//! * Residency: where the vendor (`regions`) and each subprocessor
//!   (`region`) host or process data must be one of vetted.toml's
//!   `[policy.residency] allowed_regions` (empty: no restriction), compared
//!   as `model::region_key` gives them (E1501, at the value).
//! * A subprocessor whose `data` holds a `[policy.fourth_parties] phi_data`
//!   value touches PHI: where the vendor's own BAA rule applies, the BAA must
//!   flow down to it (`baa_flow_down = true`, E1502); and its own assurance
//!   must be on file, as a current artifact whose `subject` names it (E1503,
//!   a warning: the legal control is the flow-down; an accepted exception
//!   silences it like any other problem).
//! * Concentration: a subprocessor that at least `concentration_threshold`
//!   live vendors of `concentration_tiers` depend on is reported on each of
//!   them, naming the others (E1504; threshold 0: off).
//!
//! Every problem about a subprocessor has its name (as written in
//! vendor.toml) as its rule subject (`rule:E1503:Nimbus Hosting`); the
//! vendor's own regions (E1501) have none.

use super::context::{Context, Part, Problem};
use super::evidence::{ArtifactAssessment, ArtifactStatus};
use crate::diag::Code;
use crate::model::*;

/// `artifacts`: the vendor's artifacts as the evidence part assessed them.
pub(crate) fn fourth_parties(ctx: &Context<'_>, artifacts: &[ArtifactAssessment]) -> Part<()> {
    let mut problems = Vec::new();
    if ctx.live() {
        problems.extend(residency(ctx));
        for s in &ctx.vendor.subprocessors {
            problems.extend(phi_terms(ctx, s, artifacts));
            problems.extend(concentrated(ctx, s));
        }
    }
    Part {
        result: (),
        problems,
    }
}

fn residency(ctx: &Context<'_>) -> Vec<Problem> {
    let allowed = &ctx.settings().allowed_regions;
    if allowed.is_empty() {
        return Vec::new();
    }
    let ok = |r: &str| allowed.iter().any(|a| region_key(a) == region_key(r));
    let list = allowed.join(", ");
    let help = format!(
        "keep the data in the allowed regions ({list}) by contract, or record an exception"
    );
    let v = ctx.vendor;
    let mut problems = Vec::new();
    for (i, r) in v.regions.iter().enumerate() {
        if !ok(r) {
            problems.push(Problem::new(
                Code::RegionNotAllowed,
                v.locs
                    .regions
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| v.locs.vendor_file.clone()),
                format!("data is hosted or processed in {r}, outside the allowed regions ({list})"),
                help.clone(),
            ));
        }
    }
    for s in &v.subprocessors {
        match &s.region {
            Some(r) if !ok(r) => problems.push(
                Problem::new(
                    Code::RegionNotAllowed,
                    s.locs.region.clone(),
                    format!(
                        "subprocessor {} processes data in {r}, outside the allowed regions ({list})",
                        s.name
                    ),
                    help.clone(),
                )
                .subject(s.name.clone()),
            ),
            Some(_) => {}
            None => problems.push(
                Problem::new(
                    Code::RegionNotAllowed,
                    s.locs.entry.clone(),
                    format!(
                        "subprocessor {} states no region, so residency in {list} cannot be confirmed",
                        s.name
                    ),
                    "ask the vendor where the subprocessor holds the data and set region",
                )
                .subject(s.name.clone()),
            ),
        }
    }
    problems
}

/// The subprocessor's `data` values that mean PHI under the policy.
fn phi_values<'s>(ctx: &Context<'_>, s: &'s Subprocessor) -> Vec<&'s str> {
    let phi = &ctx.settings().phi_data;
    s.data
        .iter()
        .filter(|d| phi.iter().any(|p| name_key(p) == name_key(d)))
        .map(String::as_str)
        .collect()
}

fn phi_terms(
    ctx: &Context<'_>,
    s: &Subprocessor,
    artifacts: &[ArtifactAssessment],
) -> Vec<Problem> {
    let phi = phi_values(ctx, s);
    if phi.is_empty() {
        return Vec::new();
    }
    let phi = phi.join(", ");
    let mut problems = Vec::new();
    let baa_applies = ctx
        .registry
        .tiers
        .contract
        .baa
        .required_by(&ctx.vendor.profile)
        .is_some();
    if baa_applies && s.baa_flow_down != Some(true) {
        problems.push(Problem::new(
            Code::NoBaaFlowDown,
            s.locs.baa_flow_down.clone(),
            format!(
                "subprocessor {} handles PHI ({phi}) but the vendor's BAA is not flowed down to it",
                s.name
            ),
            "obtain the vendor's subcontractor BAA with it (HIPAA requires one) and set baa_flow_down = true",
        ).subject(s.name.clone()));
    }
    if !assured(ctx, s, artifacts) {
        problems.push(Problem::new(
            Code::SubprocessorUnassured,
            s.locs.name.clone(),
            format!(
                "no current assurance evidence for subprocessor {}, which handles PHI ({phi})",
                s.name
            ),
            format!(
                "add its SOC 2, ISO/IEC 27001 or HITRUST report as an [[artifact]] with subject = \"{}\", or record an exception",
                s.name
            ),
        ).subject(s.name.clone()));
    }
    problems
}

/// An artifact about the subprocessor that counts as evidence today.
fn assured(ctx: &Context<'_>, s: &Subprocessor, artifacts: &[ArtifactAssessment]) -> bool {
    ctx.vendor.artifacts.iter().any(|a| {
        a.subject
            .as_deref()
            .is_some_and(|subject| name_key(subject) == name_key(&s.name))
            && artifacts.iter().any(|x| {
                x.index == a.index
                    && matches!(x.status, ArtifactStatus::Valid | ArtifactStatus::Expiring)
            })
    })
}

/// Most other vendors a concentration warning names; the rest are counted.
const CONCENTRATION_NAMED: usize = 10;

fn concentrated(ctx: &Context<'_>, s: &Subprocessor) -> Option<Problem> {
    let settings = ctx.settings();
    let threshold = settings.concentration_threshold;
    if threshold == 0 || !settings.concentration_tiers.contains(&ctx.tier) {
        return None;
    }
    let users = ctx.concentration.users(&s.name)?;
    if users.len() < threshold {
        return None;
    }
    let others: Vec<&str> = users
        .iter()
        .filter(|(slug, _)| slug != &ctx.vendor.slug)
        .map(|(_, name)| name.as_str())
        .collect();
    // Name a few: every vendor's message naming every other user grows with
    // the square of the registry (2,600 names on each page at 10,000 vendors).
    let mut named = others
        .iter()
        .take(CONCENTRATION_NAMED)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if others.len() > CONCENTRATION_NAMED {
        named.push_str(&format!(" and {} more", others.len() - CONCENTRATION_NAMED));
    }
    let tiers: Vec<String> = settings
        .concentration_tiers
        .iter()
        .map(u8::to_string)
        .collect();
    Some(Problem::new(
        Code::SubprocessorConcentration,
        s.locs.name.clone(),
        format!(
            "subprocessor {} is shared by {} vendors of tier{} {} (policy threshold {threshold}); also used by {}",
            s.name,
            users.len(),
            if tiers.len() == 1 { "" } else { "s" },
            tiers.join(", "),
            named
        ),
        format!(
            "an outage or breach at {} reaches all of them at once: cover it in continuity and exit plans",
            s.name
        ),
    ).subject(s.name.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::testing::{TODAY, context, registry, vendor};
    use crate::diag::Loc;

    fn sub(name: &str, data: &[&str], region: Option<&str>, flow: Option<bool>) -> Subprocessor {
        let path: std::sync::Arc<str> = "vendors/acme-infusion/vendor.toml".into();
        Subprocessor {
            name: name.into(),
            service: "hosting".into(),
            data: data.iter().map(|d| d.to_string()).collect(),
            region: region.map(Into::into),
            baa_flow_down: flow,
            locs: SubprocessorLocs {
                entry: Loc::file(&path),
                name: Loc::file(&path),
                region: Loc::file(&path),
                baa_flow_down: Loc::file(&path),
            },
        }
    }

    fn run(reg: &Registry, v: &Vendor, artifacts: &[ArtifactAssessment]) -> Vec<(Code, String)> {
        fourth_parties(&context(reg, v, TODAY), artifacts)
            .problems
            .into_iter()
            .map(|p| (p.code, p.text))
            .collect()
    }

    #[test]
    fn without_policy_nothing_is_reported() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        v.regions = vec!["Mars".into()];
        v.subprocessors = vec![sub("Nimbus", &["phi"], Some("Mars"), None)];
        assert!(run(&reg, &v, &[]).is_empty());
    }

    #[test]
    fn regions_outside_the_policy_are_reported_ignoring_detail_and_case() {
        let mut reg = registry();
        reg.settings.allowed_regions = vec!["US".into()];
        let mut v = vendor(&reg, "acme-infusion");
        v.regions = vec!["us".into(), "Canada".into()];
        v.subprocessors = vec![
            sub("Nimbus", &[], Some("US (two regions)"), None),
            sub("Scribe", &[], Some("US and Philippines"), None),
            sub("Quiet", &[], None, None),
        ];
        assert_eq!(
            run(&reg, &v, &[]),
            [
                (
                    Code::RegionNotAllowed,
                    "data is hosted or processed in Canada, outside the allowed regions (US)"
                        .into()
                ),
                (
                    Code::RegionNotAllowed,
                    "subprocessor Scribe processes data in US and Philippines, outside the allowed regions (US)"
                        .into()
                ),
                (
                    Code::RegionNotAllowed,
                    "subprocessor Quiet states no region, so residency in US cannot be confirmed"
                        .into()
                ),
            ]
        );
        v.status = VendorStatus::Offboarded;
        assert!(
            run(&reg, &v, &[]).is_empty(),
            "offboarded vendors are not assessed"
        );
    }

    #[test]
    fn a_phi_subprocessor_needs_the_flow_down_and_its_own_current_evidence() {
        let mut reg = registry();
        reg.settings.phi_data = vec!["PHI".into()];
        let mut v = vendor(&reg, "acme-infusion");
        v.subprocessors = vec![
            sub("Nimbus", &["telemetry", " phi"], Some("US"), None),
            sub("Relay", &["telemetry"], Some("US"), None),
        ];
        assert_eq!(
            run(&reg, &v, &[]),
            [
                (
                    Code::NoBaaFlowDown,
                    "subprocessor Nimbus handles PHI ( phi) but the vendor's BAA is not flowed down to it"
                        .into()
                ),
                (
                    Code::SubprocessorUnassured,
                    "no current assurance evidence for subprocessor Nimbus, which handles PHI ( phi)"
                        .into()
                ),
            ]
        );
        // The flow-down in place and a current artifact about it: nothing.
        v.subprocessors[0].baa_flow_down = Some(true);
        let mut a = v.artifacts[0].clone();
        a.subject = Some("nimbus ".into());
        a.index = 99;
        v.artifacts.push(a);
        let assessed = |status| ArtifactAssessment {
            index: 99,
            kind: "soc2-type2".into(),
            status,
            valid_until: None,
            days_left: None,
            basis: String::new(),
            accepted_by: None,
        };
        assert!(run(&reg, &v, &[assessed(ArtifactStatus::Valid)]).is_empty());
        assert!(run(&reg, &v, &[assessed(ArtifactStatus::Expiring)]).is_empty());
        assert_eq!(
            run(&reg, &v, &[assessed(ArtifactStatus::Expired)])[0].0,
            Code::SubprocessorUnassured,
            "expired evidence is no assurance"
        );
        // A vendor the BAA rule exempts owes no flow-down, but still the evidence.
        v.subprocessors[0].baa_flow_down = None;
        v.profile.insert("phi_access".into(), "none".into());
        assert_eq!(
            run(&reg, &v, &[assessed(ArtifactStatus::Superseded)])
                .into_iter()
                .map(|(c, _)| c)
                .collect::<Vec<_>>(),
            [Code::SubprocessorUnassured]
        );
    }

    /// Each problem as the verdict settles it: code, subject, accepting exception.
    fn settled(reg: &Registry, v: &Vendor) -> Vec<(Code, Option<String>, Option<String>)> {
        let ctx = context(reg, v, TODAY);
        fourth_parties(&ctx, &[])
            .problems
            .into_iter()
            .map(|p| ctx.acceptances.settle(p))
            .map(|p| (p.code, p.subject, p.accepted_by))
            .collect()
    }

    fn rule(code: &str, subject: Option<&str>) -> Accepts {
        Accepts::Rule {
            code: code.into(),
            subject: subject.map(Into::into),
        }
    }

    #[test]
    fn a_rule_narrowed_to_one_subprocessor_accepts_only_that_one() {
        use crate::assess::testing::exception;
        let mut reg = registry();
        reg.settings.phi_data = vec!["phi".into()];
        let mut v = vendor(&reg, "acme-infusion");
        v.subprocessors = vec![
            sub("Nimbus Hosting", &["phi"], Some("US"), Some(true)),
            sub("Relay Scribe", &["phi"], Some("US"), Some(true)),
        ];
        v.exceptions = vec![exception(
            "EX-1",
            rule("E1503", Some("Nimbus Hosting")),
            "2027-06-01",
        )];
        assert_eq!(
            settled(&reg, &v),
            [
                (
                    Code::SubprocessorUnassured,
                    Some("Nimbus Hosting".into()),
                    Some("EX-1".into())
                ),
                (
                    Code::SubprocessorUnassured,
                    Some("Relay Scribe".into()),
                    None
                ),
            ]
        );
        // The flow-down and concentration rules narrow the same way.
        v.subprocessors[1].baa_flow_down = None;
        v.exceptions = vec![exception(
            "EX-2",
            rule("E1502", Some("Nimbus Hosting")),
            "2027-06-01",
        )];
        let flow: Vec<_> = settled(&reg, &v)
            .into_iter()
            .filter(|(c, _, _)| *c == Code::NoBaaFlowDown)
            .collect();
        assert_eq!(
            flow,
            [(Code::NoBaaFlowDown, Some("Relay Scribe".into()), None)],
            "Relay's missing flow-down is not Nimbus's"
        );
    }

    #[test]
    fn residency_of_a_subprocessor_narrows_and_the_vendors_own_does_not() {
        use crate::assess::testing::exception;
        let mut reg = registry();
        reg.settings.allowed_regions = vec!["US".into()];
        let mut v = vendor(&reg, "acme-infusion");
        v.regions = vec!["Canada".into()];
        v.subprocessors = vec![
            sub("Nimbus Hosting", &[], Some("Canada"), None),
            sub("Relay Scribe", &[], Some("Canada"), None),
        ];
        v.exceptions = vec![exception(
            "EX-1",
            rule("E1501", Some("Nimbus Hosting")),
            "2027-06-01",
        )];
        assert_eq!(
            settled(&reg, &v),
            [
                (Code::RegionNotAllowed, None, None),
                (
                    Code::RegionNotAllowed,
                    Some("Nimbus Hosting".into()),
                    Some("EX-1".into())
                ),
                (Code::RegionNotAllowed, Some("Relay Scribe".into()), None),
            ]
        );
        // rule:E1501 whole accepts the vendor's own region and every subprocessor's.
        v.exceptions = vec![exception("EX-2", rule("E1501", None), "2027-06-01")];
        assert!(
            settled(&reg, &v)
                .iter()
                .all(|(_, _, by)| by.as_deref() == Some("EX-2"))
        );
    }

    #[test]
    fn concentration_counts_live_vendors_of_the_tiers_from_the_threshold() {
        let mut reg = registry();
        reg.settings.concentration_threshold = 2;
        reg.settings.concentration_tiers = vec![1];
        // acme-infusion is tier 1, cloudsched tier 3.
        for v in reg.vendors.iter_mut() {
            v.subprocessors = vec![sub(" NIMBUS", &[], Some("US"), None)];
        }
        let acme = vendor(&reg, "acme-infusion");
        assert!(run(&reg, &acme, &[]).is_empty(), "one tier-1 vendor alone");
        let cloud = reg
            .vendors
            .iter_mut()
            .find(|v| v.slug == "cloudsched")
            .unwrap();
        cloud.profile.insert("phi_access".into(), "full".into());
        cloud
            .profile
            .insert("clinical_criticality".into(), "high".into());
        cloud.subprocessors[0].name = "nimbus".into();
        let acme = vendor(&reg, "acme-infusion");
        let cloud = vendor(&reg, "cloudsched");
        assert_eq!(context(&reg, &cloud, TODAY).tier, 1);
        assert_eq!(
            run(&reg, &acme, &[]),
            [(
                Code::SubprocessorConcentration,
                "subprocessor  NIMBUS is shared by 2 vendors of tier 1 (policy threshold 2); also used by CloudSched"
                    .into()
            )]
        );
        reg.settings.concentration_threshold = 3;
        assert!(run(&reg, &acme, &[]).is_empty(), "below the threshold");
        reg.settings.concentration_threshold = 2;
        reg.vendors
            .iter_mut()
            .find(|v| v.slug == "cloudsched")
            .unwrap()
            .status = VendorStatus::Offboarded;
        assert!(
            run(&reg, &acme, &[]).is_empty(),
            "offboarded vendors do not count"
        );
        // Many users: ten named, the rest counted (a message naming every
        // other user would grow with the square of the registry).
        let template = reg
            .vendors
            .iter()
            .find(|v| v.slug == "cloudsched")
            .unwrap()
            .clone();
        for i in 0..12 {
            let mut c = template.clone();
            c.slug = format!("user-{i:02}");
            c.name = format!("User {i:02}");
            c.status = VendorStatus::Active;
            reg.vendors.push(c);
        }
        let text = &run(&reg, &acme, &[])[0].1;
        assert!(
            text.ends_with("also used by User 00, User 01, User 02, User 03, User 04, User 05, User 06, User 07, User 08, User 09 and 2 more"),
            "{text}"
        );
    }
}
