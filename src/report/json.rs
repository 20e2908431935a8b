//! The JSON format: one document for other tools,
//! `{"diagnostics", "not_assessed", "partially_assessed", "summary", "today",
//! "vendors", "version"}`
//! (README, "Output formats").

use std::io;

use serde::Serialize;

use super::PathDisplay;
use crate::CheckReport;
use crate::assess::{
    ArtifactStatus, Assessed, Assessment, ComplianceStatus, Counts, Requirement, TierRationale,
    UnbackedClaim, VendorDecision,
};
use crate::diag::{Diagnostic, Severity, Tally};
use crate::model::{Date, Registry, VendorStatus};

/// The document's format version; raised when a field changes meaning or
/// goes away (new fields do not raise it).
pub const VERSION: u32 = 1;

/// `check`'s JSON document. Every object's keys are in alphabetical order,
/// as the document has always had them (it was first built as a sorted
/// map); fields are declared in that order.
#[derive(Serialize)]
pub struct Document<'a> {
    /// Every diagnostic, sorted by path and line.
    pub diagnostics: Vec<JsonDiagnostic<'a>>,
    /// Vendor folders not assessed at all: their tier cannot be computed or
    /// a required file is missing or unreadable.
    pub not_assessed: &'a [String],
    /// Vendors assessed only in part, with what was left out and why.
    pub partially_assessed: Vec<JsonPartial<'a>>,
    pub summary: Summary,
    pub today: Date,
    /// Each vendor's assessment (see [`json_vendors`]).
    pub vendors: serde_json::Value,
    pub version: u32,
}

/// A vendor assessed in part: what validation left out of its record.
#[derive(Serialize)]
pub struct JsonPartial<'a> {
    pub left_out: Vec<JsonLeftOut<'a>>,
    pub vendor: &'a str,
}

/// One item left out, with the first data-contract error in it.
#[derive(Serialize)]
pub struct JsonLeftOut<'a> {
    /// The error's code (`E0305`).
    pub code: &'a str,
    /// The file, shown as diagnostics show paths.
    pub file: String,
    /// What was left out: `artifact 3`, `[standards].frameworks`, `[contract]`.
    pub item: String,
    /// The key path of the error (`artifact[2].covers`), empty for a whole file.
    pub key: &'a str,
    /// The error's message.
    pub message: &'a str,
}

fn partially_assessed<'a>(report: &'a CheckReport, paths: &PathDisplay) -> Vec<JsonPartial<'a>> {
    let Some(registry) = &report.checked.registry else {
        return Vec::new();
    };
    registry
        .vendors
        .iter()
        .filter(|v| v.is_partial())
        .map(|v| JsonPartial {
            left_out: v
                .left_out
                .iter()
                .map(|l| JsonLeftOut {
                    code: l.code,
                    file: paths.show(&l.file),
                    item: l.item.label(),
                    key: &l.key,
                    message: &l.message,
                })
                .collect(),
            vendor: &v.slug,
        })
        .collect()
}

/// Diagnostics counted by severity, and vendors by decision.
#[derive(Serialize)]
pub struct Summary {
    /// Vendors per decision, every decision listed; folders not assessed at
    /// all count as `not-assessed`.
    pub decisions: std::collections::BTreeMap<&'static str, usize>,
    pub errors: usize,
    pub notes: usize,
    pub warnings: usize,
}

impl From<Tally> for Summary {
    fn from(t: Tally) -> Summary {
        Summary {
            decisions: Default::default(),
            errors: t.errors,
            notes: t.notes,
            warnings: t.warnings,
        }
    }
}

/// One diagnostic, its path shown as in the human output.
#[derive(Serialize)]
pub struct JsonDiagnostic<'a> {
    pub code: &'a str,
    pub column: u32,
    pub help: Option<&'a str>,
    pub line: u32,
    pub message: &'a str,
    pub path: String,
    pub severity: Severity,
}

impl<'a> JsonDiagnostic<'a> {
    fn new(d: &'a Diagnostic, paths: &PathDisplay) -> Self {
        JsonDiagnostic {
            code: d.code,
            column: d.loc.column,
            help: d.help.as_deref(),
            line: d.loc.line,
            message: &d.message,
            path: paths.show(&d.loc.path),
            severity: d.severity,
        }
    }
}

/// The document for `report`.
pub fn document<'a>(report: &'a CheckReport, paths: &PathDisplay) -> Document<'a> {
    let vendors = match report.assessed() {
        Some((registry, assessment)) => json_vendors(registry, assessment),
        None => serde_json::Value::Array(vec![]),
    };
    let mut summary: Summary = Tally::of(&report.diagnostics).into();
    if let Some((_, assessment)) = report.assessed() {
        let not_assessed = report.checked.not_assessed.len();
        for (d, n) in assessment.decision_counts(not_assessed) {
            summary.decisions.insert(d.as_str(), n);
        }
    }
    Document {
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| JsonDiagnostic::new(d, paths))
            .collect(),
        not_assessed: &report.checked.not_assessed,
        partially_assessed: partially_assessed(report, paths),
        summary,
        today: report.today,
        vendors,
        version: VERSION,
    }
}

/// Write the document, pretty-printed, and a final line break.
pub fn write(report: &CheckReport, paths: &PathDisplay, out: &mut dyn io::Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(report, paths))?;
    out.write_all(b"\n")
}

/// Diagnostics as JSON objects, paths shown as in the human output.
pub fn json_diagnostics(diags: &[Diagnostic], paths: &PathDisplay) -> serde_json::Value {
    let items: Vec<JsonDiagnostic<'_>> = diags
        .iter()
        .map(|d| JsonDiagnostic::new(d, paths))
        .collect();
    serde_json::to_value(items).unwrap_or_default()
}

#[derive(Serialize)]
struct JsonVendor<'a> {
    decision: &'a VendorDecision,
    slug: &'a str,
    name: &'a str,
    lifecycle: VendorStatus,
    tier: u8,
    tier_name: &'a str,
    rationale: &'a TierRationale,
    status: ComplianceStatus,
    next_review: Option<Date>,
    review_overdue: bool,
    worst_artifact: ArtifactStatus,
    counts: &'a Counts,
    /// The evidence the tier requires, each with the artifact (index) and
    /// the kind (`met_by_kind`) that met it.
    requirements: &'a [Requirement],
    /// Frameworks claimed in the answers with no artifact on file (E1103).
    unbacked_claims: &'a [UnbackedClaim],
}

/// The per-vendor assessment as JSON, for other tools. Built as a
/// `serde_json::Value`, whose objects are sorted maps: the keys of every
/// nested object come out in alphabetical order.
pub fn json_vendors(registry: &Registry, assessment: &Assessment) -> serde_json::Value {
    let items: Vec<JsonVendor<'_>> = assessment
        .join(registry)
        .into_iter()
        .map(
            |Assessed {
                 vendor: v,
                 assessment: a,
                 ..
             }| JsonVendor {
                decision: &a.decision,
                slug: &v.slug,
                name: &v.name,
                lifecycle: v.status,
                tier: a.tier,
                tier_name: &a.tier_name,
                rationale: &a.rationale,
                status: a.status,
                next_review: a.review.next_due,
                review_overdue: a.review.overdue,
                worst_artifact: a.worst_artifact,
                counts: &a.counts,
                requirements: &a.requirements,
                unbacked_claims: &a.unbacked_claims,
            },
        )
        .collect();
    serde_json::to_value(items).unwrap_or_default()
}
