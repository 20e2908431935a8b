//! Charts computed at build time: bar geometry in whole SVG units, drawn by
//! the theme's `partials/chart.html` as inline SVG. No JavaScript, no chart
//! library; every number is also visible as text and in the text alternative.

use super::text::month_name;
use super::view::{BarView, ChartView, Line, TierCount};
use crate::assess;
use crate::model::Date;

/// Scale `value` of `max` to `span`, with a visible minimum for non-zero values.
fn scale(value: usize, max: usize, span: u32) -> u32 {
    if value == 0 || max == 0 {
        return 0;
    }
    let w = (value as u64 * span as u64 + max as u64 / 2) / max as u64;
    (w as u32).clamp(3, span)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Vendors per tier, as horizontal bars.
pub fn tier_chart(tiers: &[TierCount]) -> ChartView {
    const WIDTH: u32 = 440;
    const LABEL_W: u32 = 140;
    const ROW: u32 = 36;
    const BAR_H: u32 = 22;
    const TOP: u32 = 6;
    let span = WIDTH - LABEL_W - 48;
    let max = tiers.iter().map(|t| t.count).max().unwrap_or(0);
    let bars: Vec<BarView> = tiers
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let y = TOP + i as u32 * ROW + (ROW - BAR_H) / 2;
            let w = scale(t.count, max, span);
            BarView {
                label: truncate(&format!("{} {}", t.tier.label, t.tier.name), 18),
                sublabel: None,
                full_label: format!("Tier {}: {}", t.tier.level, t.tier.name),
                value: t.count,
                x: LABEL_W,
                y,
                width: w,
                height: BAR_H,
                label_x: LABEL_W - 10,
                label_y: y + BAR_H / 2 + 5,
                label_anchor: "end".into(),
                sublabel_y: 0,
                value_x: LABEL_W + w + 8,
                value_y: y + BAR_H / 2 + 5,
                value_anchor: "start".into(),
                class: format!("bar-tier-{}", t.tier.level.min(4)),
            }
        })
        .collect();
    let height = TOP * 2 + ROW * tiers.len().max(1) as u32;
    let total = tiers.iter().map(|t| t.count).sum();
    let desc = bars
        .iter()
        .map(|b| format!("{}: {}", b.full_label, plural(b.value, "vendor", "vendors")))
        .collect::<Vec<_>>()
        .join("; ");
    ChartView {
        id: "chart-tiers".into(),
        title: "Vendors per risk tier".into(),
        desc: format!("{desc}."),
        width: WIDTH,
        height,
        orientation: "horizontal".into(),
        bars,
        axis: Line {
            x1: LABEL_W,
            y1: TOP,
            x2: LABEL_W,
            y2: height - TOP,
        },
        total,
        headings: ["Tier".into(), "Vendors".into()],
    }
}

/// Artifact expiries per calendar month, from today's month for 12 months,
/// as vertical bars. Dates before `today` are not counted.
pub fn expiry_chart(today: Date, valid_until: impl Iterator<Item = Date>) -> ChartView {
    const WIDTH: u32 = 520;
    const HEIGHT: u32 = 220;
    const LEFT: u32 = 8;
    const TOP: u32 = 26;
    const BASE: u32 = 172;
    const BAR_W: u32 = 24;
    let slot = (WIDTH - 2 * LEFT) / 12;
    let start = today.first_of_month();
    let mut counts = [0usize; 12];
    for d in valid_until.filter(|d| *d >= today) {
        let months = (d.year() as i32 - start.year() as i32) * 12
            + (d.month() as i32 - start.month() as i32);
        if let Ok(i) = usize::try_from(months)
            && i < 12
        {
            counts[i] += 1;
        }
    }
    let max = counts.iter().copied().max().unwrap_or(0);
    let bars: Vec<BarView> = (0..12)
        .map(|i| {
            let month = assess::add_months(start, i as i64);
            let h = scale(counts[i], max, BASE - TOP);
            let cx = LEFT + i as u32 * slot + slot / 2;
            let name = month_name(month);
            BarView {
                label: name.chars().take(3).collect(),
                sublabel: (i == 0 || month.month() == 1).then(|| month.year().to_string()),
                full_label: format!("{name} {}", month.year()),
                value: counts[i],
                x: cx - BAR_W / 2,
                y: BASE - h,
                width: BAR_W,
                height: h,
                label_x: cx,
                label_y: BASE + 18,
                label_anchor: "middle".into(),
                sublabel_y: BASE + 34,
                value_x: cx,
                value_y: BASE - h - 6,
                value_anchor: "middle".into(),
                class: if i == 0 {
                    "bar-month bar-month-current"
                } else {
                    "bar-month"
                }
                .into(),
            }
        })
        .collect();
    let total = counts.iter().sum();
    let desc = bars
        .iter()
        .map(|b| format!("{}: {}", b.full_label, b.value))
        .collect::<Vec<_>>()
        .join("; ");
    ChartView {
        id: "chart-expiries".into(),
        title: "Artifact expiries per month, next 12 months".into(),
        desc: format!(
            "{} in total. {desc}.",
            plural(total, "artifact expires", "artifacts expire")
        ),
        width: WIDTH,
        height: HEIGHT,
        orientation: "vertical".into(),
        bars,
        axis: Line {
            x1: LEFT,
            y1: BASE,
            x2: WIDTH - LEFT,
            y2: BASE,
        },
        total,
        headings: ["Month".into(), "Expiries".into()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiries_land_in_their_month() {
        let today: Date = "2026-11-22".parse().unwrap();
        let dates = [
            "2026-11-21",
            "2026-11-30",
            "2026-12-01",
            "2027-10-31",
            "2027-11-01",
        ]
        .map(|d| d.parse::<Date>().unwrap());
        let c = expiry_chart(today, dates.into_iter());
        let values: Vec<usize> = c.bars.iter().map(|b| b.value).collect();
        assert_eq!(values, [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        assert_eq!(c.total, 3);
        assert_eq!(c.bars[0].sublabel.as_deref(), Some("2026"));
        assert_eq!(c.bars[2].sublabel.as_deref(), Some("2027"));
        assert!(c.desc.contains("November 2026: 1"));
    }

    #[test]
    fn scale_keeps_small_values_visible() {
        assert_eq!(scale(0, 10, 100), 0);
        assert_eq!(scale(1, 1000, 100), 3);
        assert_eq!(scale(10, 10, 100), 100);
    }
}
