//! vetted's commands as library functions: each takes an options struct and
//! returns a typed outcome, so the binary, the tests and any other front end
//! run the same code. Nothing here prints: what a command says while it runs
//! (history notes) goes to a callback, and its outcome to the caller, which
//! decides how to show it (`report`) and which exit code it means.
//!
//! | command | options | outcome |
//! | --- | --- | --- |
//! | [`check()`] | [`CheckOptions`] | [`CheckReport`](crate::CheckReport) |
//! | [`build()`] | [`BuildOptions`] | [`BuildOutcome`] |
//! | [`calendar()`] | [`CalendarOptions`] | [`CalendarOutcome`] |
//! | [`diff()`] | [`DiffOptions`] | [`RegistryDiff`](crate::diff::RegistryDiff) |
//! | [`questionnaire_export()`] | [`QuestionnaireExportOptions`] | [`ExportOutcome`] |
//! | [`questionnaire_import()`] | [`QuestionnaireImportOptions`] | [`ImportOutcome`] |
//! | [`history()`] | [`HistoryOptions`] | [`History`](crate::history::History) |
//! | [`serve()`] | [`ServeOptions`] | runs until interrupted |
//! | [`eject_theme()`] | [`EjectOptions`] | [`Ejected`] |
//!
//! Process-wide settings (the worker pool, the allocator) belong to the
//! binary, not to these functions.

mod build;
mod calendar;
mod check;
mod diff;
mod history;
mod questionnaire;
mod revision;
mod serve;
mod theme;

pub use build::{BuildOptions, BuildOutcome, Built, HistorySource, Refusal, build};
pub use calendar::{CalendarOptions, CalendarOutcome, calendar};
pub use check::{CheckOptions, check};
pub use diff::{DiffOptions, diff};
pub use history::{HistoryOptions, history};
pub use questionnaire::{
    AnswerChange, ExportOutcome, ImportDone, ImportOutcome, QuestionnaireExportOptions,
    QuestionnaireImportOptions, questionnaire_export, questionnaire_import,
};
pub use revision::RegistryCopy;
pub use serve::{ServeOptions, serve};
pub use theme::{EjectOptions, Ejected, eject_theme, themes_beside};
