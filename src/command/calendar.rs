//! `calendar`: the registry's dated events (evidence expiries, reviews due,
//! exception ends, finding due dates, contract renewals, end of support) as
//! an RFC 5545 calendar, the same file `build` publishes as `calendar.ics`.

use std::path::PathBuf;

use super::build::{Refusal, publishable};
use crate::error::Error;
use crate::model::Date;

/// What `vetted calendar` is asked.
#[derive(Debug, Clone)]
pub struct CalendarOptions {
    pub registry: PathBuf,
    pub today: Date,
    pub rev: Option<String>,
}

/// The calendar, or why there is none: like `build`, a registry that breaks
/// the data contract gives no calendar (its dates cannot be trusted).
#[derive(Debug)]
pub enum CalendarOutcome {
    /// The calendar's text (CRLF lines).
    Written(String),
    Refused(Refusal),
}

pub fn calendar(opts: &CalendarOptions) -> Result<CalendarOutcome, Error> {
    let mut report = match publishable(&opts.registry, opts.rev.as_deref(), opts.today)? {
        Ok(report) => report,
        Err(refusal) => return Ok(CalendarOutcome::Refused(refusal)),
    };
    let Some((registry, assessment)) = report.assessed() else {
        return Ok(CalendarOutcome::Refused(Refusal::of(&mut report)));
    };
    Ok(CalendarOutcome::Written(crate::render::calendar_ics(
        registry, assessment,
    )))
}
