//! What every assessment part reads (`Context`) and what it gives back
//! besides its typed result (`Problem`s, which become diagnostics and status
//! reasons in one place, `super::verdict`).

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
    /// Which vendors of the concentration tiers share each subprocessor,
    /// computed once for the whole registry before the per-vendor parts.
    pub concentration: &'a super::fourth_parties::Concentration,
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

/// The exceptions in force (active or expiring, not expired).
pub(crate) struct Acceptances<'a> {
    pub active: Vec<&'a Exception>,
}

impl Acceptances<'_> {
    /// The id of the exception that accepts `target`, if one is in force.
    pub fn by(&self, target: &Accepts) -> Option<String> {
        self.active
            .iter()
            .find(|e| &e.accepts == target)
            .map(|e| e.id.clone())
    }
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

    pub fn accepted_by(self, accepted_by: Option<String>) -> Self {
        Problem {
            accepted_by,
            ..self
        }
    }
}
