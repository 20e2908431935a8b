//! Calendar arithmetic every rule shares: months clamp to the month's end,
//! and nothing overflows (an absurd date saturates instead of panicking).

use jiff::Span;

/// A calendar date, as every registry file writes it (`2026-06-30`).
pub type Date = jiff::civil::Date;

/// Add months, clamping to the month's last day (2024-02-29 + 12 months = 2025-02-28).
pub fn add_months(d: Date, months: i64) -> Date {
    d.checked_add(Span::new().months(months))
        .unwrap_or(if months < 0 { Date::MIN } else { Date::MAX })
}

pub fn add_days(d: Date, days: i64) -> Date {
    d.checked_add(Span::new().days(days))
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
    fn days_and_saturation() {
        assert_eq!(days_between(d("2026-06-29"), d("2026-06-30")), 1);
        assert_eq!(days_between(d("2026-06-30"), d("2026-06-29")), -1);
        assert_eq!(add_days(d("2026-03-01"), -1), d("2026-02-28"));
        assert_eq!(add_months(Date::MAX, 1), Date::MAX);
        assert_eq!(add_days(Date::MIN, -1), Date::MIN);
    }
}
