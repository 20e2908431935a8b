//! `calendar`: the registry's dated events (evidence expiries, reviews due,
//! exception ends, finding due dates, contract renewals, end of support) as
//! an RFC 5545 calendar, the same file `build` publishes as `calendar.ics`.

use std::path::PathBuf;

use super::RegistryCopy;
use super::build::Refusal;
use crate::error::Error;
use crate::model::Date;
use crate::pipeline::RegistryOptions;

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
    let copy = RegistryCopy::open(&opts.registry, opts.rev.as_deref())?;
    let mut report = crate::check(&RegistryOptions {
        registry: copy.dir().to_path_buf(),
        today: opts.today,
    })?;
    let Some((registry, assessment)) = report.assessed().filter(|_| !report.is_invalid()) else {
        return Ok(CalendarOutcome::Refused(Refusal::of(&mut report)));
    };
    Ok(CalendarOutcome::Written(crate::render::calendar_ics(
        registry, assessment,
    )))
}
