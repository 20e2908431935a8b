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
        let mut accepted_by = ctx.acceptances.by(&Accepts::Finding(f.id.clone()));
        if overdue && ctx.live() {
            let problem = ctx.acceptances.settle(
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
                .target(Accepts::Finding(f.id.clone()))
                .subject(f.id.clone()),
            );
            accepted_by = problem.accepted_by.clone();
            problems.push(problem);
        }
        result.push(FindingState {
            id: f.id.clone(),
            overdue,
            accepted_by,
        });
    }
    Part { result, problems }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::testing::{TODAY, context, exception, registry, vendor};

    fn finding(id: &str, due: &str, open: bool) -> Finding {
        crate::assess::testing::finding(id, Some(due), open)
    }

    #[test]
    fn open_findings_past_due_are_overdue_unless_accepted() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        v.findings = vec![
            finding("F-1", "2026-11-21", true),
            finding("F-2", "2026-11-22", true),
            finding("F-3", "2026-01-01", false),
            finding("F-4", "2026-01-01", true),
        ];
        v.exceptions = vec![exception(
            "EX-1",
            Accepts::Finding("F-4".into()),
            "2027-06-01",
        )];
        let part = findings(&context(&reg, &v, TODAY));
        let overdue: Vec<(&str, bool)> = part
            .result
            .iter()
            .map(|f| (f.id.as_str(), f.overdue))
            .collect();
        assert_eq!(
            overdue,
            [("F-1", true), ("F-2", false), ("F-3", false), ("F-4", true)],
            "due on its last day; closed findings are never overdue"
        );
        assert_eq!(part.problems.len(), 2);
        assert_eq!(
            part.problems[0].text,
            "finding F-1 (high) \"Old OS\" was due on 2026-11-21"
        );
        assert_eq!(part.problems[1].accepted_by.as_deref(), Some("EX-1"));
        assert_eq!(part.result[3].accepted_by.as_deref(), Some("EX-1"));
    }

    #[test]
    fn offboarded_vendors_report_no_overdue_finding() {
        let reg = registry();
        let mut v = vendor(&reg, "acme-infusion");
        v.status = VendorStatus::Offboarded;
        v.findings = vec![finding("F-1", "2026-01-01", true)];
        let part = findings(&context(&reg, &v, TODAY));
        assert!(part.result[0].overdue);
        assert!(part.problems.is_empty());
    }
}
