//! Findings part: open remediation items past their due date.

use serde::Serialize;

use super::context::{Context, Part, Problem};
use crate::diag::Code;
use crate::model::*;

#[derive(Debug, Clone, Serialize)]
pub struct FindingState {
    pub id: String,
    pub overdue: bool,
    pub accepted_by: Option<String>,
}

pub(crate) fn findings(ctx: &Context<'_>) -> Part<Vec<FindingState>> {
    let mut problems = Vec::new();
    let mut result = Vec::new();
    for f in &ctx.vendor.findings {
        let overdue = f.open && f.due.is_some_and(|d| d < ctx.today);
        let accepted_by = ctx.acceptances.by(&Accepts::Finding(f.id.clone()));
        if overdue && ctx.live() {
            problems.push(
                Problem::new(
                    Code::FindingOverdue,
                    f.due_loc.clone(),
                    format!(
                        "finding {} ({}) \"{}\" was due on {}",
                        f.id,
                        format!("{:?}", f.severity).to_lowercase(),
                        f.title,
                        f.due.map_or("-".into(), |d| d.to_string())
                    ),
                    "close it (status = \"closed\", closed = date), move the due date with a reason, or record an exception",
                )
                .accepted_by(accepted_by.clone()),
            );
        }
        result.push(FindingState {
            id: f.id.clone(),
            overdue,
            accepted_by,
        });
    }
    Part { result, problems }
}
