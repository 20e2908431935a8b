//! Artifact validity: when a piece of evidence stops counting, and why.
//!
//! Computed from the kind's `ValidityRule` and the artifact's dates alone
//! (`EvidenceDates`), so assessment, history (which reads raw files at old
//! commits) and the site all date evidence the same way. A rule is a base
//! (`base`) followed by adjustments (`ADJUSTMENTS`), each one function: a new
//! validity rule is one more adjustment here, plus its test below.

use std::fmt;

use crate::diag::Code;
use crate::model::dates::{add_days, add_months};
use crate::model::raw::RawArtifact;
use crate::model::*;

/// The dates of an artifact that validity reads, from either a checked
/// `Artifact` or a `RawArtifact` as written at some commit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EvidenceDates {
    pub issued: Option<Date>,
    pub period_end: Option<Date>,
    pub expires: Option<Date>,
    pub bridge_until: Option<Date>,
    pub last_surveillance: Option<Date>,
    pub interim_completed: Option<Date>,
}

impl From<&Artifact> for EvidenceDates {
    fn from(a: &Artifact) -> Self {
        EvidenceDates {
            issued: a.issued,
            period_end: a.period_end,
            expires: a.expires,
            bridge_until: a.bridge_until,
            last_surveillance: a.last_surveillance,
            interim_completed: a.interim_completed,
        }
    }
}

impl From<&RawArtifact> for EvidenceDates {
    /// Dates that are not plain calendar dates count as absent (validate
    /// reports them; history only needs what can be dated).
    fn from(raw: &RawArtifact) -> Self {
        let date = |d: &Option<toml::value::Datetime>| {
            d.as_ref()
                .and_then(|d| d.date)
                .and_then(|d| Date::new(d.year as i16, d.month as i8, d.day as i8).ok())
        };
        EvidenceDates {
            issued: date(&raw.issued),
            period_end: date(&raw.period_end),
            expires: date(&raw.expires),
            bridge_until: date(&raw.bridge_until),
            last_surveillance: date(&raw.last_surveillance),
            interim_completed: date(&raw.interim_completed),
        }
    }
}

/// When an artifact stops counting as evidence, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validity {
    /// Last day it counts (inclusive); `None` when it does not expire by date.
    pub valid_until: Option<Date>,
    pub basis: Basis,
    /// A bridge letter that would extend it too far, and was ignored.
    pub rejected_bridge: Option<RejectedBridge>,
}

impl Validity {
    /// The diagnostic code to report when the artifact lapses: the rule that
    /// set the date names what is missing.
    pub fn lapse_code(&self) -> Code {
        self.basis.lapse_code()
    }
}

/// How `valid_until` was reached; `Display` gives the reader's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Basis {
    /// `months` after the end of the reported period, perhaps extended to a bridge letter's date.
    AfterPeriod {
        months: i64,
        period_end: Date,
        bridged_to: Option<Date>,
    },
    /// `months` from issue, with the interim assessment that kept it going, if one was needed.
    FromIssue {
        months: i64,
        issued: Date,
        interim_completed: Option<Date>,
    },
    /// The interim assessment was done, but outside the window before the first anniversary.
    InterimOutsideWindow {
        anniversary: Date,
        completed: Date,
        window_days: i64,
    },
    /// No interim assessment yet: valid to the first anniversary unless one is done from `opens`.
    InterimPending { anniversary: Date, opens: Date },
    /// The last surveillance audit (or issue) is too old; the certificate itself runs longer.
    SurveillanceLapsed {
        last: Date,
        months: i64,
        certificate_until: Date,
    },
    /// An explicit kind's own expiry date.
    Expires(Date),
    /// An explicit kind without an expiry date.
    NoExpiryDate,
    /// A kind that does not expire by date.
    NeverByDate,
    /// The artifact's `expires`, earlier than what its kind would give.
    StatedExpiry(Date),
}

impl Basis {
    fn lapse_code(&self) -> Code {
        match self {
            Basis::InterimOutsideWindow { .. } | Basis::InterimPending { .. } => {
                Code::InterimMissing
            }
            Basis::SurveillanceLapsed { .. } => Code::SurveillanceOverdue,
            _ => Code::ArtifactExpired,
        }
    }
}

impl fmt::Display for Basis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Basis::AfterPeriod {
                months,
                period_end,
                bridged_to,
            } => {
                write!(f, "{months} months after the period ending {period_end}")?;
                if let Some(bridge) = bridged_to {
                    write!(f, ", extended to {bridge} by a bridge letter")?;
                }
                Ok(())
            }
            Basis::FromIssue {
                months,
                issued,
                interim_completed,
            } => {
                write!(f, "{months} months from issue on {issued}")?;
                if let Some(done) = interim_completed {
                    write!(f, ", interim assessment completed {done}")?;
                }
                Ok(())
            }
            Basis::InterimOutsideWindow {
                anniversary,
                completed,
                window_days,
            } => write!(
                f,
                "first anniversary {anniversary}: the interim assessment of {completed} is outside the {window_days} days before it"
            ),
            Basis::InterimPending { anniversary, opens } => write!(
                f,
                "first anniversary {anniversary}, unless an interim assessment is completed from {opens}"
            ),
            Basis::SurveillanceLapsed {
                last,
                months,
                certificate_until,
            } => write!(
                f,
                "surveillance audit of {last} is valid for {months} months (certificate runs to {certificate_until})"
            ),
            Basis::Expires(e) => write!(f, "expires {e}"),
            Basis::NoExpiryDate => f.write_str("no expiry date"),
            Basis::NeverByDate => f.write_str("does not expire by date"),
            Basis::StatedExpiry(e) => write!(f, "expires {e} as stated on the artifact"),
        }
    }
}

/// A bridge letter beyond the kind's maximum extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RejectedBridge {
    pub bridge_until: Date,
    pub max_months: i64,
}

/// The date validity counts from is missing, so the artifact cannot be dated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undated {
    NeedsPeriodEnd,
    NeedsIssued,
}

impl Undated {
    /// The artifact field to add.
    pub fn field(self) -> &'static str {
        match self {
            Undated::NeedsPeriodEnd => "period_end",
            Undated::NeedsIssued => "issued",
        }
    }

    /// The artifact field to add, as a location to point at.
    pub fn artifact_field(self) -> crate::model::ArtifactField {
        match self {
            Undated::NeedsPeriodEnd => crate::model::ArtifactField::PeriodEnd,
            Undated::NeedsIssued => crate::model::ArtifactField::Issued,
        }
    }

    /// What the reader is told, for a kind titled `title`.
    pub fn message(self, title: &str) -> String {
        match self {
            Undated::NeedsPeriodEnd => format!(
                "{title} needs period_end: validity counts from the end of the period it covers"
            ),
            Undated::NeedsIssued => {
                format!("{title} needs issued: validity counts from the issue date")
            }
        }
    }
}

/// When an artifact with these dates stops counting under this rule.
pub fn validity(rule: &ValidityRule, dates: &EvidenceDates) -> Result<Validity, Undated> {
    let mut v = base(rule, dates)?;
    for adjust in ADJUSTMENTS {
        adjust(rule, dates, &mut v);
    }
    Ok(v)
}

/// The validity the kind's way of dating gives, before any adjustment.
fn base(rule: &ValidityRule, dates: &EvidenceDates) -> Result<Validity, Undated> {
    let (valid_until, basis) = match *rule {
        ValidityRule::PeriodEnd { months, .. } => {
            let end = dates.period_end.ok_or(Undated::NeedsPeriodEnd)?;
            (
                Some(add_months(end, months)),
                Basis::AfterPeriod {
                    months,
                    period_end: end,
                    bridged_to: None,
                },
            )
        }
        ValidityRule::Issued { months, .. } => {
            let issued = dates.issued.ok_or(Undated::NeedsIssued)?;
            (
                Some(add_months(issued, months)),
                Basis::FromIssue {
                    months,
                    issued,
                    interim_completed: None,
                },
            )
        }
        ValidityRule::Explicit => match dates.expires {
            Some(e) => (Some(e), Basis::Expires(e)),
            None => (None, Basis::NoExpiryDate),
        },
        ValidityRule::None => (None, Basis::NeverByDate),
    };
    Ok(Validity {
        valid_until,
        basis,
        rejected_bridge: None,
    })
}

type Adjustment = fn(&ValidityRule, &EvidenceDates, &mut Validity);

/// Applied in order after the base; each decides for itself whether it applies.
const ADJUSTMENTS: [Adjustment; 4] = [
    bridge_letter,
    interim_assessment,
    surveillance_audit,
    stated_expiry,
];

/// SOC 2: a bridge letter extends a report by at most `bridge_max_months`;
/// a longer one is ignored (and reported).
fn bridge_letter(rule: &ValidityRule, dates: &EvidenceDates, v: &mut Validity) {
    let ValidityRule::PeriodEnd {
        bridge_max_months, ..
    } = *rule
    else {
        return;
    };
    let (Some(bridge), Some(until)) = (dates.bridge_until, v.valid_until) else {
        return;
    };
    if bridge <= until {
        return;
    }
    if bridge <= add_months(until, bridge_max_months) {
        v.valid_until = Some(bridge);
        if let Basis::AfterPeriod { bridged_to, .. } = &mut v.basis {
            *bridged_to = Some(bridge);
        }
    } else {
        v.rejected_bridge = Some(RejectedBridge {
            bridge_until: bridge,
            max_months: bridge_max_months,
        });
    }
}

/// HITRUST r2: the second year counts only if an interim assessment was
/// completed in the `interim_window_days` before the first anniversary.
fn interim_assessment(rule: &ValidityRule, dates: &EvidenceDates, v: &mut Validity) {
    let ValidityRule::Issued {
        interim_window_days: Some(window),
        ..
    } = *rule
    else {
        return;
    };
    let (Some(issued), Some(until)) = (dates.issued, v.valid_until) else {
        return;
    };
    let anniversary = add_months(issued, 12);
    let opens = add_days(anniversary, -window);
    match dates.interim_completed {
        Some(done) if done >= opens && done <= anniversary => {
            if let Basis::FromIssue {
                interim_completed, ..
            } = &mut v.basis
            {
                *interim_completed = Some(done);
            }
        }
        other => {
            v.valid_until = Some(until.min(anniversary));
            v.basis = match other {
                Some(completed) => Basis::InterimOutsideWindow {
                    anniversary,
                    completed,
                    window_days: window,
                },
                None => Basis::InterimPending { anniversary, opens },
            };
        }
    }
}

/// ISO/IEC 27001: valid only while the last surveillance audit (or the
/// issue) is at most `surveillance_months` old.
fn surveillance_audit(rule: &ValidityRule, dates: &EvidenceDates, v: &mut Validity) {
    let ValidityRule::Issued {
        months,
        surveillance_months: Some(sm),
        ..
    } = *rule
    else {
        return;
    };
    let (Some(issued), Some(until)) = (dates.issued, v.valid_until) else {
        return;
    };
    let last = dates.last_surveillance.unwrap_or(issued).max(issued);
    let surveillance_until = add_months(last, sm);
    if surveillance_until < until {
        v.valid_until = Some(surveillance_until);
        v.basis = Basis::SurveillanceLapsed {
            last,
            months: sm,
            certificate_until: add_months(issued, months),
        };
    }
}

/// An explicit expiry on any artifact can only shorten its life.
fn stated_expiry(rule: &ValidityRule, dates: &EvidenceDates, v: &mut Validity) {
    if matches!(rule, ValidityRule::Explicit) {
        return;
    }
    if let Some(e) = dates.expires
        && v.valid_until.is_none_or(|u| e < u)
    {
        v.valid_until = Some(e);
        v.basis = Basis::StatedExpiry(e);
    }
}

/// The last valid day of an artifact as written in a raw file (history uses
/// this to report "valid until moved"). `None` when it does not expire or
/// cannot be dated.
pub fn valid_until_raw(kind: &ArtifactKind, raw: &RawArtifact) -> Option<Date> {
    validity(&kind.validity, &EvidenceDates::from(raw))
        .ok()
        .and_then(|v| v.valid_until)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn period_end(months: i64, bridge_max_months: i64) -> ValidityRule {
        ValidityRule::PeriodEnd {
            months,
            bridge_max_months,
        }
    }

    fn issued(months: i64, surveillance: Option<i64>, interim: Option<i64>) -> ValidityRule {
        ValidityRule::Issued {
            months,
            surveillance_months: surveillance,
            interim_window_days: interim,
        }
    }

    fn until(rule: &ValidityRule, dates: &EvidenceDates) -> Option<Date> {
        validity(rule, dates).unwrap().valid_until
    }

    #[test]
    fn soc2_counts_from_the_period_end_not_the_issue_date() {
        let k = period_end(12, 0);
        let mut a = EvidenceDates {
            issued: Some(d("2025-09-15")),
            period_end: Some(d("2025-06-30")),
            ..Default::default()
        };
        let v = validity(&k, &a).unwrap();
        assert_eq!(v.valid_until, Some(d("2026-06-30")));
        assert_eq!(
            v.basis.to_string(),
            "12 months after the period ending 2025-06-30"
        );
        assert_eq!(v.lapse_code(), Code::ArtifactExpired);
        a.period_end = None;
        assert_eq!(
            validity(&k, &a),
            Err(Undated::NeedsPeriodEnd),
            "a report without period_end cannot be dated"
        );
        assert_eq!(Undated::NeedsPeriodEnd.field(), "period_end");
        assert_eq!(
            Undated::NeedsIssued.message("ISO"),
            "ISO needs issued: validity counts from the issue date"
        );
    }

    #[test]
    fn bridge_letters_extend_by_at_most_the_policy_maximum() {
        let k = period_end(12, 3);
        let mut a = EvidenceDates {
            period_end: Some(d("2025-06-30")),
            bridge_until: Some(d("2026-09-30")),
            ..Default::default()
        };
        let v = validity(&k, &a).unwrap();
        assert_eq!(
            (v.valid_until, v.rejected_bridge),
            (Some(d("2026-09-30")), None)
        );
        assert_eq!(
            v.basis.to_string(),
            "12 months after the period ending 2025-06-30, extended to 2026-09-30 by a bridge letter"
        );
        // One day past three months: rejected, validity unchanged.
        a.bridge_until = Some(d("2026-10-01"));
        let v = validity(&k, &a).unwrap();
        assert_eq!(v.valid_until, Some(d("2026-06-30")));
        assert_eq!(
            v.rejected_bridge,
            Some(RejectedBridge {
                bridge_until: d("2026-10-01"),
                max_months: 3
            })
        );
        // Four months: rejected.
        a.bridge_until = Some(d("2026-10-31"));
        let v = validity(&k, &a).unwrap();
        assert_eq!(v.valid_until, Some(d("2026-06-30")));
        assert!(v.rejected_bridge.is_some());
        // A bridge that ends before the report's own expiry changes nothing.
        a.bridge_until = Some(d("2026-05-01"));
        let v = validity(&k, &a).unwrap();
        assert_eq!(
            (v.valid_until, v.rejected_bridge),
            (Some(d("2026-06-30")), None)
        );
        // Without a maximum no bridge letter is accepted.
        a.bridge_until = Some(d("2026-07-01"));
        assert!(
            validity(&period_end(12, 0), &a)
                .unwrap()
                .rejected_bridge
                .is_some()
        );
    }

    #[test]
    fn a_bridge_letter_for_a_full_quarter_from_a_month_end_is_accepted() {
        // SOC 2 period ending 30 September, valid to 30 September next year;
        // a bridge letter to 31 December is exactly the 3-month maximum.
        let k = period_end(12, 3);
        let mut a = EvidenceDates {
            issued: Some(d("2025-11-14")),
            period_end: Some(d("2025-09-30")),
            bridge_until: Some(d("2026-12-31")),
            ..Default::default()
        };
        let v = validity(&k, &a).unwrap();
        assert_eq!(
            (v.valid_until, v.rejected_bridge),
            (Some(d("2026-12-31")), None)
        );
        assert_eq!(
            v.basis.to_string(),
            "12 months after the period ending 2025-09-30, extended to 2026-12-31 by a bridge letter"
        );
        // 1 January is beyond three months: rejected, the report lapses on 30 September.
        a.bridge_until = Some(d("2027-01-01"));
        let v = validity(&k, &a).unwrap();
        assert_eq!(v.valid_until, Some(d("2026-09-30")));
        assert_eq!(
            v.rejected_bridge,
            Some(RejectedBridge {
                bridge_until: d("2027-01-01"),
                max_months: 3
            })
        );
        // Other month ends: 28 February and 30 April, 30 June, 30 November.
        for (end, until, max_bridge) in [
            ("2025-02-28", "2026-02-28", "2026-05-31"),
            ("2023-02-28", "2024-02-29", "2024-05-31"),
            ("2024-02-29", "2025-02-28", "2025-05-31"),
            ("2025-04-30", "2026-04-30", "2026-07-31"),
            ("2025-06-30", "2026-06-30", "2026-09-30"),
            ("2025-11-30", "2026-11-30", "2027-02-28"),
        ] {
            a.period_end = Some(d(end));
            a.bridge_until = Some(d(max_bridge));
            let v = validity(&k, &a).unwrap();
            assert_eq!(v.valid_until, Some(d(max_bridge)), "period ending {end}");
            a.bridge_until = Some(add_days(d(max_bridge), 1));
            let v = validity(&k, &a).unwrap();
            assert_eq!(
                (v.valid_until, v.rejected_bridge.is_some()),
                (Some(d(until)), true),
                "period ending {end}, bridge a day past {max_bridge}"
            );
        }
    }

    #[test]
    fn month_based_validity_from_a_month_end_ends_on_a_month_end() {
        // A certificate issued on 30 June is valid to 30 June three years on;
        // a surveillance audit on 30 November runs to 30 November.
        let k = issued(36, Some(12), None);
        let a = EvidenceDates {
            issued: Some(d("2024-06-30")),
            last_surveillance: Some(d("2025-11-30")),
            ..Default::default()
        };
        assert_eq!(until(&k, &a), Some(d("2026-11-30")));
        // HITRUST r2 issued on 28 February 2023: first anniversary 29 February 2024.
        let k = issued(24, None, Some(90));
        let a = EvidenceDates {
            issued: Some(d("2023-02-28")),
            ..Default::default()
        };
        let v = validity(&k, &a).unwrap();
        assert_eq!(v.valid_until, Some(d("2024-02-29")));
    }

    #[test]
    fn iso27001_needs_a_recent_surveillance_audit() {
        let k = issued(36, Some(12), None);
        let mut a = EvidenceDates {
            issued: Some(d("2024-01-15")),
            ..Default::default()
        };
        let v = validity(&k, &a).unwrap();
        assert_eq!(
            (v.valid_until, v.lapse_code()),
            (Some(d("2025-01-15")), Code::SurveillanceOverdue)
        );
        assert_eq!(
            v.basis.to_string(),
            "surveillance audit of 2024-01-15 is valid for 12 months (certificate runs to 2027-01-15)"
        );
        a.last_surveillance = Some(d("2025-01-10"));
        assert_eq!(until(&k, &a), Some(d("2026-01-10")));
        // Never beyond the certificate's three years.
        a.last_surveillance = Some(d("2026-06-01"));
        let v = validity(&k, &a).unwrap();
        assert_eq!(
            (v.valid_until, v.lapse_code()),
            (Some(d("2027-01-15")), Code::ArtifactExpired)
        );
    }

    #[test]
    fn hitrust_r2_interim_window_edges() {
        let k = issued(24, None, Some(90));
        let mut a = EvidenceDates {
            issued: Some(d("2024-03-01")),
            ..Default::default()
        };
        // The window is the 90 days before the first anniversary (2025-03-01): from 2024-12-01.
        for (interim, expected) in [
            (None, "2025-03-01"),
            (Some("2024-11-30"), "2025-03-01"),
            (Some("2024-12-01"), "2026-03-01"),
            (Some("2025-03-01"), "2026-03-01"),
            (Some("2025-03-02"), "2025-03-01"),
        ] {
            a.interim_completed = interim.map(d);
            assert_eq!(until(&k, &a), Some(d(expected)), "interim {interim:?}");
        }
        a.interim_completed = None;
        let v = validity(&k, &a).unwrap();
        assert_eq!(v.lapse_code(), Code::InterimMissing);
        assert_eq!(
            v.basis.to_string(),
            "first anniversary 2025-03-01, unless an interim assessment is completed from 2024-12-01"
        );
        a.interim_completed = Some(d("2024-11-30"));
        assert_eq!(
            validity(&k, &a).unwrap().basis.to_string(),
            "first anniversary 2025-03-01: the interim assessment of 2024-11-30 is outside the 90 days before it"
        );
        a.interim_completed = Some(d("2025-01-10"));
        assert_eq!(
            validity(&k, &a).unwrap().basis.to_string(),
            "24 months from issue on 2024-03-01, interim assessment completed 2025-01-10"
        );
    }

    #[test]
    fn explicit_and_undated_kinds() {
        let mut a = EvidenceDates::default();
        let v = validity(&ValidityRule::Explicit, &a).unwrap();
        assert_eq!(
            (v.valid_until, v.basis.to_string()),
            (None, "no expiry date".into())
        );
        a.expires = Some(d("2027-01-01"));
        let v = validity(&ValidityRule::Explicit, &a).unwrap();
        assert_eq!(
            (v.valid_until, v.basis.to_string()),
            (Some(d("2027-01-01")), "expires 2027-01-01".into())
        );
        let v = validity(&ValidityRule::None, &EvidenceDates::default()).unwrap();
        assert_eq!(
            (v.valid_until, v.basis.to_string()),
            (None, "does not expire by date".into())
        );
        // An explicit expiry shortens a computed one, never lengthens it.
        let pentest = period_end(12, 0);
        let mut p = EvidenceDates {
            period_end: Some(d("2025-10-31")),
            expires: Some(d("2026-12-31")),
            ..Default::default()
        };
        assert_eq!(until(&pentest, &p), Some(d("2026-10-31")));
        p.expires = Some(d("2026-05-31"));
        let v = validity(&pentest, &p).unwrap();
        assert_eq!(v.valid_until, Some(d("2026-05-31")));
        assert_eq!(
            v.basis.to_string(),
            "expires 2026-05-31 as stated on the artifact"
        );
        assert_eq!(v.lapse_code(), Code::ArtifactExpired);
    }

    #[test]
    fn raw_artifacts_are_dated_like_checked_ones() {
        let raw: RawArtifact = toml::from_str(
            "kind = \"k\"\ntitle = \"T\"\nperiod_end = 2025-06-30\nbridge_until = 2026-08-31\n",
        )
        .unwrap();
        let kind = ArtifactKind {
            id: "k".into(),
            title: "Kind".into(),
            description: None,
            validity: period_end(12, 3),
            required_for: vec![],
            required_when: vec![],
            substitutes: None,
            accepted_for_status: vec![],
            version_bound: false,
            per_product: false,
        };
        assert_eq!(valid_until_raw(&kind, &raw), Some(d("2026-08-31")));
        let undated: RawArtifact = toml::from_str("kind = \"k\"\ntitle = \"T\"\n").unwrap();
        assert_eq!(valid_until_raw(&kind, &undated), None);
    }
}
