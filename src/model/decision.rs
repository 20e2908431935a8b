//! The per-vendor decision and the policy that derives it (`[decision]` in
//! vetted.toml, defaults in `policy-defaults.toml`).

use serde::{Deserialize, Serialize};

use crate::diag::Severity;
use crate::model::closed::closed_set;

closed_set! {
    /// The one decision on a vendor, worst last.
    pub enum Decision: "the decision on a vendor" {
        Approved = "approved",
        Conditional = "approved-with-conditions",
        NotApproved = "not-approved",
        NotAssessed = "not-assessed",
    }
}

impl Decision {
    /// As a person reads it: "Approved with conditions".
    pub fn label(self) -> &'static str {
        match self {
            Self::Approved => "Approved",
            Self::Conditional => "Approved with conditions",
            Self::NotApproved => "Not approved",
            Self::NotAssessed => "Not assessed",
        }
    }
}

closed_set! {
    /// What can turn an approval into an approval with conditions
    /// (`[decision] conditions =`).
    pub enum DecisionCondition: "what turns an approval into an approval with conditions" {
        /// A problem an exception in force accepts.
        AcceptedRisk = "accepted-risk",
        /// A problem an open finding tracks within its due date.
        TrackedProblem = "tracked-problem",
        /// An open finding not yet past its due date.
        OpenFinding = "open-finding",
        /// A warning no exception accepts.
        Warning = "warning",
    }
}

closed_set! {
    /// The least severe unaccepted problem that refuses approval
    /// (`[decision] not_approved_at =`).
    pub enum BlockingSeverity: "the least severe unaccepted problem that refuses approval" {
        Error = "error",
        Warning = "warning",
    }
}

impl BlockingSeverity {
    pub fn severity(self) -> Severity {
        match self {
            Self::Error => Severity::Error,
            Self::Warning => Severity::Warning,
        }
    }
}

/// How the decision is derived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionPolicy {
    /// An unaccepted problem at or above this severity: not approved.
    pub not_approved_at: BlockingSeverity,
    /// Any of these present (and nothing refusing approval): approved with
    /// conditions; none: approved.
    pub conditions: Vec<DecisionCondition>,
}
