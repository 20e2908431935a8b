//! The registry's data: `raw` mirrors the files as written, `domain` holds the
//! checked types that later stages use without re-checking.

/// Closed sets of values, declared once (see `closed_set!`).
pub mod closed;
pub mod condition;
pub mod dates;
pub mod defaults;
pub mod domain;
pub mod raw;

pub use condition::{Condition, RedFlagWhen, Scalar};
pub use domain::*;
