//! Calendar arithmetic every rule shares: whole months follow the
//! end-of-month convention, and nothing overflows (an absurd date saturates
//! instead of panicking).

use jiff::Span;

/// A calendar date, as every registry file writes it (`2026-06-30`).
pub type Date = jiff::civil::Date;

/// Add (or, when negative, subtract) whole calendar months, by the
/// end-of-month convention: from a month's last day the count lands on the
/// target month's last day (2026-09-30 plus 3 months is 2026-12-31,
/// 2023-02-28 plus 12 is 2024-02-29); any other day keeps its number,
/// clamped to the target month's length (2025-01-31 plus 1 is 2025-02-28).
/// Every month-based validity, review interval and window goes through here.
pub fn add_months(d: Date, months: i64) -> Date {
    let saturated = if months < 0 { Date::MIN } else { Date::MAX };
    let Ok(span) = Span::new().try_months(months) else {
        return saturated;
    };
    let Ok(moved) = d.checked_add(span) else {
        return saturated;
    };
    if d == d.last_of_month() {
        moved.last_of_month()
    } else {
        moved
    }
}

pub fn add_days(d: Date, days: i64) -> Date {
    Span::new()
        .try_days(days)
        .ok()
        .and_then(|span| d.checked_add(span).ok())
        .unwrap_or(if days < 0 { Date::MIN } else { Date::MAX })
}

/// Whole days from `a` to `b` (negative when `b` is earlier).
pub fn days_between(a: Date, b: Date) -> i64 {
    a.until(b).map(|s| s.get_days() as i64).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn months_clamp_to_the_end_of_the_month() {
        assert_eq!(add_months(d("2024-02-29"), 12), d("2025-02-28"));
        assert_eq!(add_months(d("2024-02-29"), 48), d("2028-02-29"));
        assert_eq!(add_months(d("2025-01-31"), 1), d("2025-02-28"));
        assert_eq!(add_months(d("2024-01-31"), 1), d("2024-02-29"));
        assert_eq!(add_months(d("2025-08-31"), 1), d("2025-09-30"));
    }

    #[test]
    fn from_a_month_end_whole_months_land_on_the_month_end() {
        // A SOC 2 period ending 30 September bridged for a full quarter.
        assert_eq!(add_months(d("2026-09-30"), 3), d("2026-12-31"));
        assert_eq!(add_months(d("2026-04-30"), 2), d("2026-06-30"));
        assert_eq!(add_months(d("2026-06-30"), 1), d("2026-07-31"));
        assert_eq!(add_months(d("2026-11-30"), 1), d("2026-12-31"));
        assert_eq!(add_months(d("2026-11-30"), 2), d("2027-01-31"), "year end");
        assert_eq!(add_months(d("2026-12-31"), 1), d("2027-01-31"));
        assert_eq!(add_months(d("2026-12-31"), 2), d("2027-02-28"));
        // 28 and 29 February.
        assert_eq!(add_months(d("2025-02-28"), 12), d("2026-02-28"));
        assert_eq!(add_months(d("2023-02-28"), 12), d("2024-02-29"));
        assert_eq!(add_months(d("2024-02-29"), 12), d("2025-02-28"));
        assert_eq!(add_months(d("2025-02-28"), 1), d("2025-03-31"));
        assert_eq!(
            add_months(d("2024-02-28"), 1),
            d("2024-03-28"),
            "not the last day of a leap February"
        );
        assert_eq!(add_months(d("2026-09-30"), 0), d("2026-09-30"));
    }

    #[test]
    fn other_days_keep_their_number_clamped_to_the_month() {
        assert_eq!(add_months(d("2025-01-31"), 1), d("2025-02-28"));
        assert_eq!(add_months(d("2026-01-30"), 1), d("2026-02-28"));
        assert_eq!(add_months(d("2026-09-29"), 3), d("2026-12-29"));
        assert_eq!(add_months(d("2026-12-30"), 1), d("2027-01-30"));
        assert_eq!(add_months(d("2026-10-30"), 1), d("2026-11-30"));
    }

    #[test]
    fn negative_months_are_symmetrical() {
        assert_eq!(add_months(d("2026-12-31"), -3), d("2026-09-30"));
        assert_eq!(add_months(d("2026-09-30"), -3), d("2026-06-30"));
        assert_eq!(add_months(d("2026-07-31"), -1), d("2026-06-30"));
        assert_eq!(add_months(d("2026-06-30"), -1), d("2026-05-31"));
        assert_eq!(add_months(d("2027-01-31"), -2), d("2026-11-30"), "year end");
        assert_eq!(add_months(d("2024-02-29"), -12), d("2023-02-28"));
        assert_eq!(add_months(d("2025-02-28"), -12), d("2024-02-29"));
        assert_eq!(add_months(d("2026-03-30"), -1), d("2026-02-28"), "clamped");
        assert_eq!(add_months(d("2026-03-15"), -1), d("2026-02-15"));
    }

    #[test]
    fn days_and_saturation() {
        assert_eq!(days_between(d("2026-06-29"), d("2026-06-30")), 1);
        assert_eq!(days_between(d("2026-06-30"), d("2026-06-29")), -1);
        assert_eq!(add_days(d("2026-03-01"), -1), d("2026-02-28"));
        assert_eq!(add_months(Date::MAX, 1), Date::MAX);
        assert_eq!(add_months(Date::MAX, i64::MAX), Date::MAX);
        assert_eq!(add_months(Date::MIN, i64::MIN), Date::MIN);
        assert_eq!(add_months(Date::MIN, -1), Date::MIN);
        assert_eq!(add_days(Date::MIN, -1), Date::MIN);
        assert_eq!(add_days(Date::MIN, i64::MIN), Date::MIN);
        assert_eq!(add_days(Date::MAX, i64::MAX), Date::MAX);
    }
}
