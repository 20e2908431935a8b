//! Contract part (active vendors): a contract on record, a BAA where the
//! profile calls for one, a firm breach-notification timeline within policy,
//! audit rights and time-bound remote access where the tier requires them,
//! and a renewal date not yet past. Which profile values call for which
//! terms is tiers.toml's `[contract]` (`ContractPolicy`), not Rust.
//!
//! A renewal within vetted.toml's `renewal_warning_days` (inclusive) is the
//! moment to negotiate: E1207 lists every term above still missing (raised
//! to a warning), or says the terms are complete (the code's note).

use super::context::{Context, Part, Problem};
use crate::diag::{Code, Severity};
use crate::model::dates::days_between;
use crate::model::*;

pub(crate) fn contract(ctx: &Context<'_>) -> Part<()> {
    let mut problems = Vec::new();
    // A [contract] left out for data errors is not judged at all.
    if ctx.active() && !ctx.vendor.contract_left_out() {
        match &ctx.vendor.contract {
            None => problems.push(Problem::about_vendor(
                Code::NoContract,
                ctx.vendor.locs.vendor_file.clone(),
                "is active but has no [contract] on record",
                "record the contract's dates and security terms under [contract]",
            )),
            Some(c) => {
                let terms: Vec<Problem> = baa(ctx, c)
                    .into_iter()
                    .chain(breach_notification(ctx, c))
                    .chain(audit_rights(ctx, c))
                    .chain(remote_access(ctx, c))
                    .collect();
                let soon = renewal_soon(ctx, c, &terms);
                problems.extend(terms);
                problems.extend(renewal(ctx, c));
                problems.extend(soon);
            }
        }
    }
    Part {
        result: (),
        problems,
    }
}

fn baa(ctx: &Context<'_>, c: &Contract) -> Option<Problem> {
    let policy = &ctx.registry.tiers.contract.baa;
    let value = policy.required_by(&ctx.vendor.profile)?;
    (c.baa != Some(true)).then(|| {
        Problem::about_vendor(
            Code::NoBaa,
            ctx.vendor.locs.baa.clone(),
            format!("accesses PHI ({value}) but the contract has no BAA"),
            "sign a business associate agreement and set baa = true",
        )
    })
}

fn breach_notification(ctx: &Context<'_>, c: &Contract) -> Option<Problem> {
    let max = ctx.settings().max_breach_notification_hours;
    let locs = &ctx.vendor.locs;
    match c.breach_notification_hours {
        Some(h) if h > max => Some(Problem::new(
            Code::SlowBreachNotice,
            locs.breach_notification_hours.clone(),
            format!(
                "breach notification within {h} hours exceeds the policy maximum of {max} hours"
            ),
            "negotiate a notification SLA within policy, or record an exception",
        )),
        None => Some(Problem::new(
            Code::SlowBreachNotice,
            locs.contract.clone(),
            "the contract sets no firm breach notification timeline",
            format!("add breach_notification_hours (policy: at most {max})"),
        )),
        _ => None,
    }
}

fn audit_rights(ctx: &Context<'_>, c: &Contract) -> Option<Problem> {
    let required = ctx.tier_def.is_some_and(|t| t.require_audit_rights);
    (required && c.audit_rights != Some(true)).then(|| {
        Problem::new(
            Code::NoAuditRights,
            ctx.vendor.locs.audit_rights.clone(),
            format!("tier {} requires audit rights in the contract", ctx.tier),
            "add an audit-rights clause and set audit_rights = true",
        )
    })
}

/// Refused values are reported at the profile; any other value but the
/// exempt ones needs the contract's remote-access clause.
fn remote_access(ctx: &Context<'_>, c: &Contract) -> Option<Problem> {
    if !ctx
        .tier_def
        .is_some_and(|t| t.require_time_bound_remote_access)
    {
        return None;
    }
    let rule = &ctx.registry.tiers.contract.remote_access;
    let v = ctx.vendor;
    let value = v.profile.get(&rule.factor)?;
    if rule.refused.contains(value) {
        Some(Problem::new(
            Code::AlwaysOnRemoteAccess,
            v.locs
                .profile
                .get(&rule.factor)
                .cloned()
                .unwrap_or_else(|| v.locs.vendor_file.clone()),
            format!(
                "tier {} requires time-bound vendor remote access, not {value}",
                ctx.tier
            ),
            "move the vendor to time-limited, ticket-approved, logged sessions",
        ))
    } else if !rule.exempt.contains(value) && c.secure_remote_access != Some(true) {
        Some(Problem::new(
            Code::AlwaysOnRemoteAccess,
            v.locs.contract.clone(),
            "the contract does not require secure, time-bound remote access",
            "add the remote-access clause and set secure_remote_access = true",
        ))
    } else {
        None
    }
}

fn renewal(ctx: &Context<'_>, c: &Contract) -> Option<Problem> {
    let r = c
        .renewal
        .filter(|r| *r < ctx.today && !ctx.distrusted.renewal())?;
    Some(Problem::new(
        Code::RenewalPast,
        ctx.vendor.locs.renewal.clone(),
        format!("contract renewal date {r} has passed"),
        "record the renewed contract's dates, or offboard the vendor",
    ))
}

/// A renewal from today to `renewal_warning_days` ahead, with the terms
/// still missing (the problems of the term checks) to negotiate.
fn renewal_soon(ctx: &Context<'_>, c: &Contract, terms: &[Problem]) -> Option<Problem> {
    // A renewal before the signature is no renewal date (E1010).
    let r = c
        .renewal
        .filter(|r| *r >= ctx.today && !ctx.distrusted.renewal())?;
    let days = days_between(ctx.today, r);
    if days > ctx.settings().renewal_warning_days {
        return None;
    }
    let max = ctx.settings().max_breach_notification_hours;
    // A term is missing from the contract, not merely refused elsewhere (the
    // always-on profile is E1204 too, with the clause signed) nor accepted
    // by an exception in force.
    let missing: Vec<String> = terms
        .iter()
        .filter(|p| p.code != Code::AlwaysOnRemoteAccess || c.secure_remote_access != Some(true))
        .filter(|p| ctx.acceptances.settle((*p).clone()).accepted_by.is_none())
        .map(|p| match p.code {
            Code::NoBaa => "a business associate agreement".to_string(),
            Code::SlowBreachNotice => match c.breach_notification_hours {
                Some(h) => format!("breach notification within {max} hours (now {h})"),
                None => format!("a breach-notification timeline of at most {max} hours"),
            },
            Code::NoAuditRights => "audit rights".to_string(),
            Code::AlwaysOnRemoteAccess => "time-bound, logged remote access".to_string(),
            _ => p.text.clone(),
        })
        .collect();
    let when = format!("the contract renews on {r} (in {days} days)");
    Some(if missing.is_empty() {
        Problem::new(
            Code::RenewalSoon,
            ctx.vendor.locs.renewal.clone(),
            format!("{when}; the contract's own security terms are complete"),
            "confirm the renewed contract keeps these terms",
        )
    } else {
        Problem::new(
            Code::RenewalSoon,
            ctx.vendor.locs.renewal.clone(),
            format!(
                "{when}: negotiate the terms still missing: {}",
                missing.join("; ")
            ),
            "renewal is the moment to add them: bring this list to the negotiation",
        )
        .severity(Severity::Warning)
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::model::defaults::PolicyDefaults;

    fn profile(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_default_baa_rule_exempts_only_no_phi_access() {
        let rule = PolicyDefaults::embedded().contract.baa;
        assert_eq!(rule.required_by(&profile(&[("phi_access", "none")])), None);
        assert_eq!(
            rule.required_by(&profile(&[("phi_access", "limited")])),
            Some("limited")
        );
        assert_eq!(
            rule.required_by(&profile(&[("phi_access", "a-new-value")])),
            Some("a-new-value"),
            "a value the policy does not exempt requires a BAA"
        );
        assert_eq!(
            rule.required_by(&profile(&[("network", "internet")])),
            None,
            "a registry without the factor never requires a BAA"
        );
    }

    #[test]
    fn a_policy_names_its_own_factor_and_exempt_values() {
        let rule = BaaRule {
            factor: "data".into(),
            exempt: vec!["none".into(), "deidentified".into()],
        };
        assert_eq!(
            rule.required_by(&profile(&[("data", "deidentified")])),
            None
        );
        assert_eq!(rule.required_by(&profile(&[("data", "phi")])), Some("phi"));
        assert_eq!(rule.required_by(&profile(&[("phi_access", "full")])), None);
    }
}

#[cfg(test)]
mod part_tests {
    use super::*;
    use crate::assess::context::Phrasing;
    use crate::assess::testing::{TODAY, context, registry, vendor};

    fn texts(reg: &Registry, v: &Vendor) -> Vec<(Code, String)> {
        contract(&context(reg, v, TODAY))
            .problems
            .into_iter()
            .map(|p| (p.code, p.text))
            .collect()
    }

    #[test]
    fn a_sound_contract_has_no_problem() {
        let reg = registry();
        assert!(texts(&reg, &vendor(&reg, "acme-infusion")).is_empty());
    }

    #[test]
    fn each_term_is_checked() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        let c = v.contract.as_mut().unwrap();
        c.baa = Some(false);
        c.breach_notification_hours = Some(96);
        c.audit_rights = None;
        c.secure_remote_access = None;
        c.renewal = Some("2026-11-21".parse().unwrap());
        assert_eq!(
            texts(&reg, &v),
            [
                (
                    Code::NoBaa,
                    "accesses PHI (limited) but the contract has no BAA".into()
                ),
                (
                    Code::SlowBreachNotice,
                    "breach notification within 96 hours exceeds the policy maximum of 72 hours"
                        .into()
                ),
                (
                    Code::NoAuditRights,
                    "tier 1 requires audit rights in the contract".into()
                ),
                (
                    Code::AlwaysOnRemoteAccess,
                    "the contract does not require secure, time-bound remote access".into()
                ),
                (
                    Code::RenewalPast,
                    "contract renewal date 2026-11-21 has passed".into()
                ),
            ]
        );
    }

    #[test]
    fn the_remote_access_values_come_from_the_policy() {
        let mut reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        v.profile.insert("remote_access".into(), "always-on".into());
        assert_eq!(
            texts(&reg, &v),
            [(
                Code::AlwaysOnRemoteAccess,
                "tier 1 requires time-bound vendor remote access, not always-on".into()
            )]
        );
        reg.tiers.contract.remote_access.refused = vec![];
        reg.tiers.contract.remote_access.exempt = vec!["always-on".into()];
        assert!(texts(&reg, &v).is_empty());
    }

    #[test]
    fn no_contract_is_said_of_the_vendor_and_prospects_are_not_held_to_one() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        v.contract = None;
        let part = contract(&context(&reg, &v, TODAY));
        assert_eq!(part.problems[0].code, Code::NoContract);
        assert_eq!(part.problems[0].phrasing, Phrasing::NameFirst);
        v.status = VendorStatus::Prospective;
        assert!(contract(&context(&reg, &v, TODAY)).problems.is_empty());
    }

    fn renewal_soon_of(reg: &Registry, v: &Vendor, today: &str) -> Option<Problem> {
        contract(&context(reg, v, today))
            .problems
            .into_iter()
            .find(|p| p.code == Code::RenewalSoon)
    }

    #[test]
    fn a_renewal_within_the_window_is_announced_inclusive() {
        let reg = registry();
        let v = vendor(&reg, "acme-infusion");
        // Renewal 2027-03-01; 90 days (the default) before is 2026-12-01.
        assert!(
            renewal_soon_of(&reg, &v, "2026-11-30").is_none(),
            "the day before"
        );
        let on = renewal_soon_of(&reg, &v, "2026-12-01").unwrap();
        assert_eq!(on.severity, Severity::Note, "nothing missing: a note");
        assert_eq!(
            on.text,
            "the contract renews on 2027-03-01 (in 90 days); the contract's own security terms are complete"
        );
        let last = renewal_soon_of(&reg, &v, "2027-03-01").unwrap();
        assert_eq!(
            last.text,
            "the contract renews on 2027-03-01 (in 0 days); the contract's own security terms are complete"
        );
        let after = contract(&context(&reg, &v, "2027-03-02")).problems;
        assert_eq!(
            after.iter().map(|p| p.code).collect::<Vec<_>>(),
            [Code::RenewalPast],
            "once past, E1205 alone"
        );
    }

    #[test]
    fn a_near_renewal_lists_every_missing_term_as_a_warning() {
        let mut reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        let c = v.contract.as_mut().unwrap();
        c.baa = None;
        c.breach_notification_hours = Some(96);
        c.audit_rights = Some(false);
        c.secure_remote_access = None;
        let p = renewal_soon_of(&reg, &v, "2027-01-15").unwrap();
        assert_eq!(p.severity, Severity::Warning);
        assert_eq!(
            p.text,
            "the contract renews on 2027-03-01 (in 45 days): negotiate the terms still missing: \
             a business associate agreement; breach notification within 72 hours (now 96); \
             audit rights; time-bound, logged remote access"
        );
        v.contract.as_mut().unwrap().breach_notification_hours = None;
        let p = renewal_soon_of(&reg, &v, "2027-01-15").unwrap();
        assert!(
            p.text
                .contains("a breach-notification timeline of at most 72 hours")
        );
        // The window is the policy's.
        reg.settings.renewal_warning_days = 30;
        assert!(renewal_soon_of(&reg, &v, "2027-01-15").is_none());
        assert!(renewal_soon_of(&reg, &v, "2027-01-30").is_some());
    }

    #[test]
    fn a_near_renewal_lists_only_terms_missing_from_the_contract_and_not_accepted() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        // Always-on access refused by the tier, the clause signed: no term to negotiate.
        v.profile.insert("remote_access".into(), "always-on".into());
        let p = renewal_soon_of(&reg, &v, "2027-01-15").unwrap();
        assert_eq!(p.severity, Severity::Note, "{}", p.text);
        // A missing BAA accepted by an exception in force is not listed either.
        v.contract.as_mut().unwrap().baa = None;
        assert_eq!(
            renewal_soon_of(&reg, &v, "2027-01-15").unwrap().severity,
            Severity::Warning
        );
        v.exceptions = vec![crate::assess::testing::exception(
            "EX-1",
            Accepts::Rule {
                code: "E1201".into(),
                subject: None,
            },
            "2027-12-31",
        )];
        let p = renewal_soon_of(&reg, &v, "2027-01-15").unwrap();
        assert_eq!(p.severity, Severity::Note, "{}", p.text);
    }

    #[test]
    fn a_renewal_before_the_signature_is_not_announced() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        let c = v.contract.as_mut().unwrap();
        c.signed = Some("2027-03-02".parse().unwrap());
        assert!(renewal_soon_of(&reg, &v, "2027-01-15").is_none());
    }
}
