//! What every assessment part reads (`Context`) and what it gives back
//! besides its typed result (`Problem`s, which become diagnostics and status
//! reasons in one place, `super::verdict`).

use serde::Serialize;

pub(crate) use super::dates::Distrusted;
use crate::diag::{Code, Loc, Severity};
use crate::model::*;

/// One vendor's assessment inputs, shared by every part.
pub(crate) struct Context<'a> {
    pub registry: &'a Registry,
    pub vendor: &'a Vendor,
    pub today: Date,
    pub tier: u8,
    /// `None` only when tiers.toml defines no tier at all.
    pub tier_def: Option<&'a Tier>,
    /// Exceptions in force today; decided first, read by every other part.
    pub acceptances: Acceptances<'a>,
    /// Dates found impossible (`super::dates`), which no other part may rely on.
    pub distrusted: Distrusted,
    /// Which vendors of the concentration tiers share each subprocessor,
    /// computed once for the whole registry before the per-vendor parts.
    pub concentration: &'a super::registry_wide::Concentration,
}

impl Context<'_> {
    pub fn settings(&self) -> &Settings {
        &self.registry.settings
    }

    /// Offboarded vendors are validated but not assessed for evidence,
    /// answers or reviews.
    pub fn live(&self) -> bool {
        self.vendor.status != VendorStatus::Offboarded
    }

    /// Only active vendors are held to contract and lifecycle terms.
    pub fn active(&self) -> bool {
        self.vendor.status == VendorStatus::Active
    }
}

/// What decides how a problem is reported besides its own rule: the
/// exceptions in force (active or expiring, not expired), which accept it,
/// and the open findings that track it.
pub(crate) struct Acceptances<'a> {
    pub active: Vec<&'a Exception>,
    /// Open findings with `tracks` (closed findings track nothing).
    pub trackers: Vec<&'a Finding>,
    /// `[policy] tracked_severity`.
    pub tracked_severity: Severity,
    pub today: Date,
}

impl Acceptances<'_> {
    /// Nothing accepted or tracked: the context the dates part runs in,
    /// before the exceptions in force are known.
    pub fn none(today: Date) -> Self {
        Acceptances {
            active: Vec::new(),
            trackers: Vec::new(),
            tracked_severity: Severity::Warning,
            today,
        }
    }

    /// The id of the exception that accepts `target`, if one is in force.
    pub fn by(&self, target: &Accepts) -> Option<String> {
        self.active
            .iter()
            .find(|e| &e.accepts == target)
            .map(|e| e.id.clone())
    }

    /// The id of the exception in force that accepts this problem: one that
    /// names the problem's own target (`red-flag:…`, `artifact:…`), or its
    /// rule (`rule:<code>`, narrowed or not to the problem's subject).
    pub fn accepting(&self, p: &Problem) -> Option<String> {
        self.active
            .iter()
            .find(|e| names(&e.accepts, p))
            .map(|e| e.id.clone())
    }

    /// The open finding that tracks this problem: the first within its due
    /// date, else the first overdue one.
    pub fn tracking(&self, p: &Problem) -> Option<Tracked> {
        let mut tracked = self.trackers.iter().filter_map(|f| {
            let due = f.due?;
            f.tracks.as_ref().filter(|t| names(t, p))?;
            Some(Tracked {
                finding: f.id.clone(),
                due,
                overdue: due < self.today,
            })
        });
        let first = tracked.next()?;
        if !first.overdue {
            return Some(first);
        }
        Some(tracked.find(|t| !t.overdue).unwrap_or(first))
    }

    /// The problem as it is reported: accepted (a note, in `verdict`) by an
    /// exception in force; else tracked by an open finding, and then, within
    /// the finding's due date, at `tracked_severity` (never worse than its
    /// own). Already settled problems are kept as they are.
    pub fn settle(&self, mut p: Problem) -> Problem {
        if p.accepted_by.is_some() || p.tracked_by.is_some() {
            return p;
        }
        p.accepted_by = self.accepting(&p);
        if p.accepted_by.is_none() {
            p.tracked_by = self.tracking(&p);
            if p.tracked_by.as_ref().is_some_and(|t| !t.overdue) {
                p.severity = p.severity.min(self.tracked_severity);
            }
        }
        p
    }
}

/// Whether a target (an exception's `accepts`, a finding's `tracks`) names
/// this problem.
fn names(target: &Accepts, p: &Problem) -> bool {
    match target {
        Accepts::Rule { code, subject } => {
            code == p.code.id()
                && subject
                    .as_ref()
                    .is_none_or(|s| p.subject.as_deref() == Some(s.as_str()))
        }
        other => p.target.as_ref() == Some(other),
    }
}

/// A problem tracked by an open finding: which, and until when it is a
/// condition rather than a failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tracked {
    pub finding: String,
    pub due: Date,
    /// Past its due date: the problem keeps its own severity (and E1401 fires).
    pub overdue: bool,
}

/// A part's typed result and the problems it found.
pub(crate) struct Part<T> {
    pub result: T,
    pub problems: Vec<Problem>,
}

/// How the vendor's name joins the problem's text in the diagnostic message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phrasing {
    /// "Acme: tier 1 requires …"; the status reason is the text alone.
    AfterName,
    /// "Acme has never been assessed": the name is the sentence's subject,
    /// so the status reason keeps it.
    NameFirst,
}

/// Something wrong with a vendor, written once: the diagnostic message and
/// the status reason are both made from `text`, never one from the other.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    pub code: Code,
    pub severity: Severity,
    pub loc: Loc,
    pub phrasing: Phrasing,
    pub text: String,
    pub help: String,
    /// The exception that accepts it: it is then reported as a note.
    pub accepted_by: Option<String>,
    /// The open finding that tracks it (set by `Acceptances::settle`).
    pub tracked_by: Option<Tracked>,
    /// What an exception's own kind of target names it by (`red-flag:…`,
    /// `question:…`, `artifact:…`, `finding:…`), where one does.
    pub target: Option<Accepts>,
    /// What `rule:<code>:<subject>` narrows to (`model::RuleSubject`): an
    /// artifact kind, `<section>.<question>`, a product name, a finding id,
    /// a subprocessor name.
    pub subject: Option<String>,
}

impl Problem {
    /// A problem whose text follows "{vendor}: ".
    pub fn new(code: Code, loc: Loc, text: impl Into<String>, help: impl Into<String>) -> Self {
        Problem {
            code,
            severity: code.severity(),
            loc,
            phrasing: Phrasing::AfterName,
            text: text.into(),
            help: help.into(),
            accepted_by: None,
            tracked_by: None,
            target: None,
            subject: None,
        }
    }

    /// A problem whose text continues a sentence that starts with the vendor's name.
    pub fn about_vendor(
        code: Code,
        loc: Loc,
        text: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        Problem {
            phrasing: Phrasing::NameFirst,
            ..Problem::new(code, loc, text, help)
        }
    }

    pub fn severity(self, severity: Severity) -> Self {
        Problem { severity, ..self }
    }

    /// What an exception of the target's own kind names it by.
    pub fn target(self, target: Accepts) -> Self {
        Problem {
            target: Some(target),
            ..self
        }
    }

    /// The subject `rule:<code>:<subject>` narrows to.
    pub fn subject(self, subject: impl Into<String>) -> Self {
        Problem {
            subject: Some(subject.into()),
            ..self
        }
    }

    /// A condition of approval rather than a failure: accepted by an
    /// exception, or tracked by an open finding within its due date.
    pub fn is_condition(&self) -> bool {
        self.accepted_by.is_some() || self.tracked_by.as_ref().is_some_and(|t| !t.overdue)
    }

    #[cfg(test)]
    pub fn accepted_by(self, accepted_by: Option<String>) -> Self {
        Problem {
            accepted_by,
            ..self
        }
    }
}
