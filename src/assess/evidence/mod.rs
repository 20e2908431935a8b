//! Evidence part: each artifact's validity (`validity` dates it) and status
//! (`artifacts`, which also supersedes older artifacts of a kind by better
//! ones), and the evidence the tier requires (`requirements`).

mod artifacts;
mod requirements;
pub mod validity;

pub(crate) use artifacts::artifacts;
pub use artifacts::{ArtifactAssessment, ArtifactStatus, status_on};
pub use requirements::Requirement;
pub(crate) use requirements::requirements;
