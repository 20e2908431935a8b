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
//! | [`export()`] | [`ExportOptions`] | [`ExportOutcome`] |
//! | [`diff()`] | [`DiffOptions`] | [`RegistryDiff`](crate::diff::RegistryDiff) |
//! | [`questionnaire_export()`] | [`QuestionnaireExportOptions`] | [`QuestionnaireExportOutcome`] |
//! | [`questionnaire_import()`] | [`QuestionnaireImportOptions`] | [`QuestionnaireImportOutcome`] |
//! | [`history()`] | [`HistoryOptions`] | [`History`](crate::history::History) |
//! | [`schema()`] | [`SchemaOptions`] | [`SchemaOutcome`] |
//! | [`serve()`] | [`ServeOptions`] | runs until interrupted |
//! | [`eject_theme()`] | [`EjectOptions`] | [`Ejected`] |
//! | [`init()`] | [`InitOptions`] | [`Initialized`] |
//! | [`new_vendor()`] | [`NewOptions`] | [`NewVendor`] |
//!
//! Process-wide settings (the worker pool, the allocator) belong to the
//! binary, not to these functions.

mod build;
mod calendar;
mod check;
mod diff;
mod export;
mod history;
mod init;
mod new;
mod questionnaire;
mod revision;
mod scaffold;
mod schema;
mod serve;
mod theme;

pub use build::{BuildOptions, BuildOutcome, Built, HistorySource, Refusal, build};
pub use calendar::{CalendarOptions, CalendarOutcome, calendar};
pub use check::{CheckOptions, check};
pub use diff::{DiffOptions, diff};
pub use export::{ExportOptions, ExportOutcome, export};
pub use history::{HistoryOptions, history};
pub use init::{Ci, InitOptions, Initialized, init};
pub use new::{NewOptions, NewVendor, new_vendor, profile_for_tier};
pub use questionnaire::{
    AnswerChange, ImportDone, QuestionnaireExportOptions, QuestionnaireExportOutcome,
    QuestionnaireImportOptions, QuestionnaireImportOutcome, questionnaire_export,
    questionnaire_import,
};
pub use revision::RegistryCopy;
pub use schema::{SchemaOptions, SchemaOutcome, schema};
pub use serve::{ServeOptions, serve};
pub use theme::{EjectOptions, Ejected, eject_theme, themes_beside};
