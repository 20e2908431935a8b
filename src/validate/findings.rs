//! findings.toml: unique ids, a known severity and status, plain dates.

use std::collections::BTreeSet;

use super::common::{Diags, date, not_allowed, opt_date};
use crate::diag::{Code, Diagnostic};
use crate::model::closed::{Closed, ClosedSet};
use crate::model::raw::*;
use crate::model::*;
use crate::parse::Doc;

/// The findings fit to assess: a finding with any error is reported and left out.
pub(super) fn check_findings(doc: &Doc<RawFindings>, d: &mut Diags) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    let mut ids = BTreeSet::new();
    for (i, f) in doc.value.findings.iter().enumerate() {
        let path = doc.root().at(RawFindings::FINDING).item(i);
        if !ids.insert(f.id.clone()) {
            d.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    doc.loc(&path.at(RawFinding::ID)),
                    format!("finding `{}` is listed twice", f.id),
                )
                .help("give every finding its own id"),
            );
            continue;
        }
        // Every field is checked before the finding is dropped, so each of
        // its errors is reported at once.
        let severity = f.severity.known().map_err(|text| {
            let at = path.at(RawFinding::SEVERITY);
            d.push(not_allowed(doc, &at, text, FindingSeverity::VALUES));
        });
        let open = match f.status.as_ref().map(Closed::known) {
            None | Some(Ok(FindingStatus::Open)) => Ok(true),
            Some(Ok(FindingStatus::Closed)) => Ok(false),
            Some(Err(other)) => {
                let at = path.at(RawFinding::STATUS);
                d.push(not_allowed(doc, &at, other, FindingStatus::VALUES));
                Err(())
            }
        };
        let opened = date(doc, &path.at(RawFinding::OPENED), &f.opened, d);
        let due = opt_date(doc, &path.at(RawFinding::DUE), &f.due, d);
        let closed = opt_date(doc, &path.at(RawFinding::CLOSED), &f.closed, d);
        let (Ok(severity), Ok(open), Some(opened)) = (severity, open, opened) else {
            continue;
        };
        out.push(Finding {
            id: f.id.clone(),
            title: f.title.clone(),
            severity,
            opened,
            due,
            open,
            closed,
            owner: f.owner.clone(),
            source: f.source.clone(),
            description: f.description.clone(),
            loc: doc.loc(&path),
            opened_loc: doc.loc_at(&path, RawFinding::OPENED),
            due_loc: doc.loc_at(&path, RawFinding::DUE),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::testing::*;

    #[test]
    fn findings_check_their_closed_sets_and_dates() {
        let text = "[[finding]]\nid = \"F-1\"\ntitle = \"t\"\nseverity = \"severe\"\nopened = 2025-01-01\n\n\
                    [[finding]]\nid = \"F-2\"\ntitle = \"t\"\nseverity = \"high\"\nopened = 2025-01-01T10:00:00\n\n\
                    [[finding]]\nid = \"F-3\"\ntitle = \"t\"\nseverity = \"low\"\nstatus = \"closed\"\nopened = 2025-01-01\n\n\
                    [[finding]]\nid = \"F-4\"\ntitle = \"t\"\nseverity = \"low\"\nstatus = \"done\"\nopened = 2025-01-01\n";
        let mut d = Diags::default();
        let findings = check_findings(&doc("findings.toml", text), &mut d);
        assert_eq!(
            found(d),
            [
                (
                    "E0105",
                    11,
                    10,
                    "`finding[1].opened` must be a plain date, not 2025-01-01T10:00:00".into()
                ),
                (
                    "E0106",
                    4,
                    12,
                    "`severe` is not allowed for `finding[0].severity`".into()
                ),
                (
                    "E0106",
                    24,
                    10,
                    "`done` is not allowed for `finding[3].status`".into()
                ),
            ]
        );
        assert_eq!(findings.len(), 1);
        assert_eq!((findings[0].id.as_str(), findings[0].open), ("F-3", false));
        assert_eq!(findings[0].severity, FindingSeverity::Low);
    }

    #[test]
    fn a_finding_with_several_errors_reports_each() {
        let text = "[[finding]]\nid = \"F-1\"\ntitle = \"t\"\nseverity = \"severe\"\nstatus = \"done\"\nopened = 2025-01-01T10:00:00\ndue = 2025-02-01T00:00:00Z\n";
        let mut d = Diags::default();
        assert!(check_findings(&doc("findings.toml", text), &mut d).is_empty());
        let codes: Vec<_> = found(d).into_iter().map(|(c, l, ..)| (c, l)).collect();
        assert_eq!(
            codes,
            [("E0105", 6), ("E0105", 7), ("E0106", 4), ("E0106", 5)]
        );
    }
}
