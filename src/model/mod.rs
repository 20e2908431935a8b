//! The registry's data: `raw` mirrors the files as written, `domain` holds the
//! checked types that later stages use without re-checking.

pub mod defaults;
pub mod domain;
pub mod raw;

pub use domain::*;
