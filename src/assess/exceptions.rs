//! Exceptions part, assessed first: which exceptions are in force today
//! (they turn what they accept into notes for every other part, through
//! `Acceptances::settle` in `verdict`), and which are about to expire or
//! have expired. The open findings that track a problem are gathered here
//! too, for the same step.

use serde::Serialize;

use super::context::{Acceptances, Part, Problem};
use crate::diag::Code;
use crate::model::dates::days_between;
use crate::model::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExceptionStatus {
    Active,
    Expiring,
    Expired,
    /// Approved in the future, or expiring before its approval (E1010, E1011).
    NotInForce,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExceptionState {
    pub id: String,
    pub status: ExceptionStatus,
    pub days_left: i64,
}

/// Each exception's state, and the acceptances in force.
pub(crate) fn exceptions<'a>(
    vendor: &'a Vendor,
    settings: &Settings,
    today: Date,
) -> (Part<Vec<ExceptionState>>, Acceptances<'a>) {
    let mut problems = Vec::new();
    let mut result = Vec::new();
    let mut acceptances = Acceptances {
        active: Vec::new(),
        trackers: vendor
            .findings
            .iter()
            .filter(|f| f.open && f.tracks.is_some())
            .collect(),
        tracked_severity: settings.tracked_severity,
        today,
    };
    for e in &vendor.exceptions {
        let days_left = days_between(today, e.expires);
        let status = if e.expires < today {
            problems.push(Problem::new(
                Code::ExceptionExpired,
                e.expires_loc.clone(),
                format!(
                    "exception {} ({}) expired on {}",
                    e.id, e.accepts, e.expires
                ),
                "renew it with a new approval and expiry, or resolve what it accepted",
            ));
            ExceptionStatus::Expired
        } else if days_left <= settings.exception_warning_days {
            problems.push(Problem::new(
                Code::ExceptionExpiring,
                e.expires_loc.clone(),
                format!(
                    "exception {} ({}) expires in {days_left} days",
                    e.id, e.accepts
                ),
                "plan the remediation or a renewed approval",
            ));
            acceptances.active.push(e);
            ExceptionStatus::Expiring
        } else {
            acceptances.active.push(e);
            ExceptionStatus::Active
        };
        result.push(ExceptionState {
            id: e.id.clone(),
            status,
            days_left,
        });
    }
    (Part { result, problems }, acceptances)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::testing::{TODAY, d, exception, registry, vendor};

    #[test]
    fn expired_exceptions_stop_accepting_and_expiring_ones_warn() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        v.exceptions = vec![
            exception("EX-1", Accepts::Finding("F-1".into()), "2026-11-21"),
            exception("EX-2", Accepts::Finding("F-2".into()), "2026-12-22"),
            exception("EX-3", Accepts::Finding("F-3".into()), "2026-12-23"),
        ];
        let (part, acc) = exceptions(&v, &reg.settings, d(TODAY));
        let states: Vec<(ExceptionStatus, i64)> = part
            .result
            .iter()
            .map(|e| (e.status, e.days_left))
            .collect();
        assert_eq!(
            states,
            [
                (ExceptionStatus::Expired, -1),
                (ExceptionStatus::Expiring, 30),
                (ExceptionStatus::Active, 31)
            ],
            "exception_warning_days (30) includes the 30th day"
        );
        let texts: Vec<&str> = part.problems.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "exception EX-1 (finding:F-1) expired on 2026-11-21",
                "exception EX-2 (finding:F-2) expires in 30 days"
            ]
        );
        assert_eq!(acc.by(&Accepts::Finding("F-1".into())), None);
        assert_eq!(acc.by(&Accepts::Finding("F-2".into())), Some("EX-2".into()));
        assert_eq!(acc.by(&Accepts::Finding("F-3".into())), Some("EX-3".into()));
    }
}
