//! vetted: a git-managed registry of hospital medtech vendors, validated in CI
//! and rendered as a static compliance site.
//!
//! The pipeline is one module per stage, each a function from typed input to
//! typed output: `load` → `validate` → `assess` → `history` → `render` →
//! `publish`. [`pipeline`] runs the checking half (load, validate, assess)
//! into a [`CheckReport`]; [`command`] holds the commands (`check`, `build`,
//! `diff`, `history`, `serve`, `theme eject`, `init`, `new`…) as library functions with
//! option structs and typed outcomes; [`report`] writes what they found, one
//! module per output format. `main.rs` only parses arguments, prints, and
//! maps outcomes and [`Error`]s to exit codes.

pub mod assess;
pub mod atomic;
pub mod command;
pub mod console;
pub mod diag;
pub mod diff;
pub mod error;
pub mod export;
pub mod history;
pub mod load;
pub mod model;
pub mod parse;
pub mod pipeline;
pub mod questionnaire;
pub mod render;
pub mod report;
pub mod schema;
pub mod serve;
pub mod timings;
pub mod validate;

pub use error::Error;
pub use pipeline::{
    CheckReport, Checked, FailOn, RegistryOptions, check, load_and_validate, parse_date,
};
