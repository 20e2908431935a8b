//! findings.toml: unique ids, a known severity and status, plain dates, and
//! what a finding tracks (`tracks =`, the target grammar of exceptions).

use std::collections::BTreeSet;

use super::common::{Diags, Policy, date, not_allowed, opt_date};
use super::exceptions::{Known, check_target};
use crate::diag::{Code, Diagnostic};
use crate::model::closed::{Closed, ClosedSet};
use crate::model::raw::*;
use crate::model::*;
use crate::parse::Doc;

/// The findings fit to assess: a finding with any error is reported and left out.
pub(super) fn check_findings(
    doc: &Doc<RawFindings>,
    vendor: Option<(&[Product], &[Subprocessor])>,
    p: &Policy<'_>,
    d: &mut Diags,
) -> Vec<Finding> {
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
            tracks: None,
            loc: doc.loc(&path),
            opened_loc: doc.loc_at(&path, RawFinding::OPENED),
            due_loc: doc.loc_at(&path, RawFinding::DUE),
            closed_loc: doc.loc_at(&path, RawFinding::CLOSED),
        });
    }
    tracks(doc, &mut out, vendor, p, d);
    out
}

/// Each finding's `tracks`, checked once every finding is known (a finding
/// may track another's E1401). A finding that tracks needs a due date: the
/// date until which the tracked problem is a condition, not a failure. A bad
/// target is reported and the finding kept, tracking nothing.
fn tracks(
    doc: &Doc<RawFindings>,
    out: &mut [Finding],
    vendor: Option<(&[Product], &[Subprocessor])>,
    p: &Policy<'_>,
    d: &mut Diags,
) {
    let mut tracked = Vec::new();
    for (i, f) in doc.value.findings.iter().enumerate() {
        let Some(text) = &f.tracks else { continue };
        let path = doc.root().at(RawFindings::FINDING).item(i);
        let Some(pos) = out
            .iter()
            .position(|x| x.id == f.id && x.loc == doc.loc(&path))
        else {
            continue;
        };
        let at = path.at(RawFinding::TRACKS);
        let ids: Vec<&str> = out.iter().map(|f| f.id.as_str()).collect();
        let known = Known {
            finding_ids: Some(&ids),
            products: vendor.map(|v| v.0),
            subprocessors: vendor.map(|v| v.1),
            policy: p,
        };
        let Some(target) = check_target(doc, &at, ("finding", "tracks"), text, &known, d) else {
            continue;
        };
        if f.due.is_none() {
            d.push(
                Diagnostic::new(
                    Code::MissingKey,
                    doc.loc(&at),
                    format!("finding `{}` tracks `{text}` but has no due date", f.id),
                )
                .help("add due = YYYY-MM-DD: a tracked problem is a condition only until then"),
            );
            continue;
        }
        tracked.push((pos, target));
    }
    for (pos, target) in tracked {
        if let Some(f) = out.get_mut(pos) {
            f.tracks = Some(target);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::testing::*;

    /// Findings checked against an empty questionnaire, the test tiers and no kinds.
    fn check(text: &str, d: &mut Diags) -> Vec<Finding> {
        let (questionnaire, tiers, kinds) = (
            Questionnaire { sections: vec![] },
            tiers(),
            std::collections::BTreeMap::new(),
        );
        let p = Policy {
            questionnaire: &questionnaire,
            tiers: &tiers,
            kinds: &kinds,
            evidence_files: &Default::default(),
        };
        let products = [product("Aurora LVP")];
        check_findings(&doc("findings.toml", text), Some((&products, &[])), &p, d)
    }

    fn product(name: &str) -> Product {
        let path: std::sync::Arc<str> = "vendor.toml".into();
        Product {
            name: name.into(),
            version: "1".into(),
            end_of_support: None,
            description: None,
            loc: crate::diag::Loc::file(&path),
            end_of_support_loc: crate::diag::Loc::file(&path),
        }
    }

    #[test]
    fn findings_check_their_closed_sets_and_dates() {
        let text = "[[finding]]\nid = \"F-1\"\ntitle = \"t\"\nseverity = \"severe\"\nopened = 2025-01-01\n\n\
                    [[finding]]\nid = \"F-2\"\ntitle = \"t\"\nseverity = \"high\"\nopened = 2025-01-01T10:00:00\n\n\
                    [[finding]]\nid = \"F-3\"\ntitle = \"t\"\nseverity = \"low\"\nstatus = \"closed\"\nopened = 2025-01-01\n\n\
                    [[finding]]\nid = \"F-4\"\ntitle = \"t\"\nseverity = \"low\"\nstatus = \"done\"\nopened = 2025-01-01\n";
        let mut d = Diags::default();
        let findings = check(text, &mut d);
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
        assert!(check(text, &mut d).is_empty());
        let codes: Vec<_> = found(d).into_iter().map(|(c, l, ..)| (c, l)).collect();
        assert_eq!(
            codes,
            [("E0105", 6), ("E0105", 7), ("E0106", 4), ("E0106", 5)]
        );
    }

    #[test]
    fn tracks_takes_the_target_grammar_of_exceptions_and_needs_a_due_date() {
        let f = |id: &str, tracks: &str, due: &str| {
            format!(
                "[[finding]]\nid = \"{id}\"\ntitle = \"t\"\nseverity = \"high\"\nopened = 2026-01-01\n{due}tracks = \"{tracks}\"\n\n"
            )
        };
        let text = [
            f("F-1", "rule:E1305:Aurora LVP", "due = 2027-01-31\n"),
            f("F-2", "rule:E1305:Nimbus", "due = 2027-01-31\n"),
            f("F-3", "rule:E0305", "due = 2027-01-31\n"),
            f("F-4", "rule:E9999", "due = 2027-01-31\n"),
            f("F-5", "rule:E1204", ""),
            f("F-6", "rule:E1204:x", "due = 2027-01-31\n"),
            f("F-7", "rule:E1401:F-1", "due = 2027-01-31\n"),
            f("F-8", "risk:x", "due = 2027-01-31\n"),
        ]
        .concat();
        let mut d = Diags::default();
        let findings = check(&text, &mut d);
        let found: Vec<(&str, u32, String)> =
            found(d).into_iter().map(|(c, l, _, m)| (c, l, m)).collect();
        assert_eq!(
            found,
            [
                ("E0104", 38, "finding `F-5` tracks `rule:E1204` but has no due date".into()),
                ("E0106", 23, "`E0305` (reference to something that does not exist) is not an assessment rule that can be accepted".into()),
                ("E0106", 46, "rule E1204 (tier requires time-bound remote access) has no subject to narrow it to `x`".into()),
                ("E0106", 62, "cannot read what `risk:x` tracks".into()),
                ("E0305", 15, "rule E1305 has no subject `Nimbus`".into()),
                ("E0305", 31, "`E9999` is not a diagnostic code".into()),
            ]
        );
        let tracks: Vec<(&str, Option<String>)> = findings
            .iter()
            .map(|f| (f.id.as_str(), f.tracks.as_ref().map(|t| t.to_string())))
            .collect();
        assert_eq!(
            tracks,
            [
                ("F-1", Some("rule:E1305:Aurora LVP".into())),
                ("F-2", None),
                ("F-3", None),
                ("F-4", None),
                ("F-5", None),
                ("F-6", None),
                ("F-7", Some("rule:E1401:F-1".into())),
                ("F-8", None),
            ],
            "a bad target is reported and the finding kept, tracking nothing"
        );
    }
}
