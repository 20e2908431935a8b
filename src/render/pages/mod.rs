//! The site's pages, one module per page kind, each declaring its template,
//! output path, title and view data with [`Page`](super::page::Page).
//! [`PAGES`] lists them; the build renders every page of every kind listed.

pub(crate) mod calendar;
mod changes;
mod dashboard;
mod feed;
mod findings;
pub(crate) mod portfolio;
mod questionnaire;
mod vendor;
mod vendors;

pub use portfolio::cross;

use super::page::SitePage;

/// Every page kind of the site. Order does not matter to the output (pages
/// are written to distinct paths); it is the order of the view snapshot.
pub static PAGES: &[&dyn SitePage] = &[
    &dashboard::Dashboard,
    &vendors::Vendors,
    &calendar::Calendar,
    &questionnaire::Questionnaire,
    &findings::Findings,
    &changes::Changes,
    &feed::Feed,
    &vendor::VendorPages,
    &portfolio::EvidencePages,
    &portfolio::SubprocessorIndex,
    &portfolio::SubprocessorPages,
    &portfolio::ProductsPages,
];

/// The data scripts of the paginated tables (`vendors/rows.js`, …) that
/// vetted.js loads to filter and sort all rows (see `render::table`).
pub fn data_scripts(
    model: &super::model::Model,
) -> Result<Vec<super::publish::OutFile>, crate::error::Error> {
    Ok(vec![
        vendors::script(model)?,
        findings::script(model)?,
        portfolio::evidence::script(model)?,
        portfolio::products::script(model)?,
        portfolio::subprocessors::script(model)?,
    ])
}
