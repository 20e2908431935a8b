//! settings.toml: the site's texts and the `[policy]` windows, each window
//! not negative and defaulting to the embedded policy defaults.

use super::common::{Diags, not_allowed};
use crate::diag::{Code, Diagnostic};
use crate::model::closed::ClosedSet;
use crate::model::defaults::PolicyDefaults;
use crate::model::raw::*;
use crate::model::*;
use crate::parse::Doc;

pub(super) fn check_settings(doc: &Doc<RawSettings>, d: &mut Diags) -> Settings {
    let raw = &doc.value;
    let all_defaults = PolicyDefaults::embedded();
    let defaults = all_defaults.policy;
    let policy = doc.root().at(RawSettings::POLICY);
    let positive = |key, v: Option<i64>, default: i64, d: &mut Diags| -> i64 {
        let path = policy.at(key);
        match v {
            Some(v) if v < 0 => {
                d.push(
                    Diagnostic::new(
                        Code::InvalidPolicy,
                        doc.loc(&path),
                        format!("`{path}` must not be negative"),
                    )
                    .help("use a number of days or hours, 0 or more"),
                );
                default
            }
            Some(v) => v,
            None => default,
        }
    };
    Settings {
        title: raw.site.title.clone(),
        organisation: raw.site.organisation.clone(),
        description: raw.site.description.clone(),
        theme: raw.site.theme.clone(),
        expiry_warning_days: positive(
            RawPolicy::EXPIRY_WARNING_DAYS,
            raw.policy.expiry_warning_days,
            defaults.expiry_warning_days,
            d,
        ),
        max_breach_notification_hours: positive(
            RawPolicy::MAX_BREACH_NOTIFICATION_HOURS,
            raw.policy.max_breach_notification_hours,
            defaults.max_breach_notification_hours,
            d,
        ),
        exception_warning_days: positive(
            RawPolicy::EXCEPTION_WARNING_DAYS,
            raw.policy.exception_warning_days,
            defaults.exception_warning_days,
            d,
        ),
        review_warning_days: positive(
            RawPolicy::REVIEW_WARNING_DAYS,
            raw.policy.review_warning_days,
            defaults.review_warning_days,
            d,
        ),
        tracked_severity: match raw.policy.tracked_severity.as_ref().map(|c| c.known()) {
            None => defaults.tracked_severity.severity(),
            Some(Ok(s)) => s.severity(),
            Some(Err(other)) => {
                let path = policy.at(RawPolicy::TRACKED_SEVERITY);
                d.push(not_allowed(doc, &path, other, TrackedSeverity::VALUES));
                defaults.tracked_severity.severity()
            }
        },
        decision: check_decision(doc, all_defaults.decision, d),
    }
}

/// `[decision]`: each value one of its closed set (E0106, the default kept
/// in its place); a condition written twice counts once.
fn check_decision(
    doc: &Doc<RawSettings>,
    defaults: DecisionPolicy,
    d: &mut Diags,
) -> DecisionPolicy {
    let raw = &doc.value.decision;
    let at = doc.root().at(RawSettings::DECISION);
    let not_approved_at = match &raw.not_approved_at {
        Some(v) => v.known().unwrap_or_else(|text| {
            let path = at.at(RawDecision::NOT_APPROVED_AT);
            d.push(not_allowed(doc, &path, text, BlockingSeverity::VALUES));
            defaults.not_approved_at
        }),
        None => defaults.not_approved_at,
    };
    let conditions = match &raw.conditions {
        Some(list) => {
            let mut out = Vec::new();
            for (i, c) in list.iter().enumerate() {
                match c.known() {
                    Ok(c) if !out.contains(&c) => out.push(c),
                    Ok(_) => {}
                    Err(text) => {
                        let path = at.at(RawDecision::CONDITIONS).item(i);
                        d.push(not_allowed(doc, &path, text, DecisionCondition::VALUES));
                    }
                }
            }
            out
        }
        None => defaults.conditions,
    };
    DecisionPolicy {
        not_approved_at,
        conditions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::testing::*;

    #[test]
    fn a_negative_window_is_reported_and_its_default_used() {
        let text = "[site]\ntitle = \"T\"\norganisation = \"O\"\n\n[policy]\nexpiry_warning_days = -1\nreview_warning_days = 10\n";
        let mut d = Diags::default();
        let settings = check_settings(&doc("vetted.toml", text), &mut d);
        assert_eq!(
            found(d),
            [(
                "E0501",
                6,
                23,
                "`policy.expiry_warning_days` must not be negative".into()
            )]
        );
        let all_defaults = PolicyDefaults::embedded();
        let defaults = all_defaults.policy;
        assert_eq!(settings.expiry_warning_days, defaults.expiry_warning_days);
        assert_eq!(settings.review_warning_days, 10);
        assert_eq!(
            settings.max_breach_notification_hours,
            defaults.max_breach_notification_hours
        );
    }
}
