//! The registry's data: `raw` mirrors the files as written, `domain` holds the
//! checked types that later stages use without re-checking. Below them:
//! `closed` (closed sets of values), `dates` (calendar arithmetic), `answer`
//! (question types and answer values), `condition` (red-flag conditions),
//! `defaults` (the embedded policy defaults), `decision` (the per-vendor
//! decision and its policy), `evidence_file` (evidence files the site serves).

pub mod answer;
/// Closed sets of values, declared once (see `closed_set!`).
pub mod closed;
pub mod condition;
pub mod dates;
pub mod decision;
pub mod defaults;
pub mod domain;
pub mod evidence_file;
pub mod raw;

pub use condition::{Condition, RedFlagWhen, Scalar};
pub use decision::{BlockingSeverity, Decision, DecisionCondition, DecisionPolicy};
pub use domain::*;
