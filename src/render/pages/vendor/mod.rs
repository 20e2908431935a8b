//! `vendors/<slug>/index.html`: one page per assessed vendor. Identity,
//! profile and contract here; the tier rationale, answers and evidence in
//! the submodules, one per part of the page.

mod answers;
mod evidence;
mod tier;

use std::borrow::Cow;

use crate::model::{LeftOut, Vendor};
use crate::render::assessed::Assessed;
use crate::render::badge::{compliance_badge, decision_badge, lifecycle_badge, severity_badge};
use crate::render::link::external;
use crate::render::markdown::{contact_url, to_safe_html};
use crate::render::model::Model;
use crate::render::page::{Page, Target};
use crate::render::timeline::vendor_history;
use crate::render::view::{
    AnswersSourceView, ContactView, ContractView, CountsView, DecisionView, NavSection,
    PartialView, PrintView, ProductView, ReasonView, ReviewView, SubprocessorView, VendorPage,
};

/// Every assessed vendor's page, in the order of [`Model::assessed`].
pub struct VendorPages;

impl Page for VendorPages {
    type Data = VendorPage;
    const TEMPLATE: &'static str = "vendor.html";
    const SECTION: NavSection = NavSection::Vendors;
    const KEY: &'static str = "vendor";

    fn count(&self, model: &Model) -> usize {
        model.assessed().len()
    }

    fn target<'m>(&self, model: &'m Model, i: usize) -> Target<'m> {
        let p = &model.assessed()[i];
        Target {
            path: Cow::Borrowed(&p.href),
            title: Cow::Borrowed(&p.vendor.name),
        }
    }

    fn data(&self, model: &Model, i: usize) -> VendorPage {
        page(model, &model.assessed()[i])
    }

    /// Keyed by the vendor's record, assessment and history (`render::inputs`).
    fn inputs(
        &self,
        model: &Model,
        i: usize,
        h: &mut crate::render::manifest::Hasher,
    ) -> Option<Result<(), crate::error::Error>> {
        Some(crate::render::inputs::vendor_page(
            model,
            &model.assessed()[i],
            h,
        ))
    }
}

fn page(model: &Model, p: &Assessed) -> VendorPage {
    let (v, a) = (p.vendor, p.assessment);
    let tier_def = model.registry.tiers.tier(a.tier);
    let artifacts = evidence::artifacts(model, p);
    let sections = answers::sections(model, p);
    let reasons = reasons(p);
    let decision_reasons: Vec<String> = a.decision.messages().map(String::from).collect();
    let status_reasons = reasons
        .iter()
        .filter(|r| {
            r.code != crate::diag::Code::RedFlag.id() && !decision_reasons.contains(&r.message)
        })
        .cloned()
        .collect();
    VendorPage {
        slug: v.slug.clone(),
        name: v.name.clone(),
        description: v.description.clone(),
        category: v.category.clone(),
        owner: v.owner.clone(),
        lifecycle: lifecycle_badge(v.status),
        website: v.website.as_deref().map(external),
        regions: v.regions.clone(),
        tier: model.tier(a.tier),
        tier_description: tier_def.and_then(|t| t.description.clone()),
        status: compliance_badge(a.status),
        reasons,
        status_reasons,
        decision: decision(p, decision_reasons),
        partial: a.partial.then(|| partial(&a.left_out)),
        rationale: tier::rationale(model, &a.rationale),
        review: review(model, p),
        products: products(model, v),
        subprocessors: subprocessors(v),
        contacts: contacts(v),
        contract: contract(model, v),
        red_flags: answers::red_flags(&sections),
        sections,
        answers_source: v.provenance.as_ref().map(|s| AnswersSourceView {
            file: s.file.clone(),
            imported: s.imported.map(|d| d.to_string()),
            respondent: s.respondent.clone(),
            respondent_email: s.respondent_email.clone(),
            completed: s.completed.map(|d| d.to_string()),
        }),
        unanswered: answers::unanswered(model, p),
        requirements: evidence::requirements(p, &artifacts),
        artifacts,
        findings: evidence::findings(p),
        exceptions: evidence::exceptions(model, p),
        notes_html: v
            .notes
            .as_deref()
            .map(to_safe_html)
            .filter(|h| !h.trim().is_empty()),
        counts: CountsView {
            errors: a.counts.errors,
            warnings: a.counts.warnings,
            red_flags: a.counts.red_flags,
            open_findings: a.counts.open_findings,
            overdue_findings: a.counts.overdue_findings,
        },
        history: vendor_history(model, &v.slug),
        history_more: history_more(model, &v.slug),
        print: PrintView {
            vendor: v.name.clone(),
            as_of: model.today.to_string(),
            commit: record_commit(model, &v.slug),
        },
    }
}

/// The registry commit the printed record reflects: the newer of the
/// vendor's last change and the last policy change (the registry at that
/// commit gives this vendor the same assessment). Not HEAD: a commit to
/// another vendor must not change this page (incremental builds rely on it).
fn record_commit(model: &Model, slug: &str) -> String {
    if !model.history.available {
        return "not in git".to_string();
    }
    let vendor = model
        .history
        .vendors
        .get(slug)
        .and_then(|e| e.first())
        .map(|e| &e.commit);
    let newest = match (vendor, model.policy_commit) {
        (Some(v), Some(p))
            if p.id != "uncommitted" && (v.id == "uncommitted" || v.time >= p.time) =>
        {
            Some(v)
        }
        (Some(_), Some(p)) | (None, Some(p)) => Some(p),
        (Some(v), None) => Some(v),
        (None, None) => None,
    };
    match newest {
        Some(c) if c.id == "uncommitted" => "uncommitted changes".to_string(),
        Some(c) => format!("commit {}", c.short),
        None => "no commits".to_string(),
    }
}

/// Where the vendor's newest change its page does not list is on the change
/// log (page and `#commit-` anchor, from the root); None when the page lists
/// them all. Older changes follow it there, newest first.
fn history_more(model: &Model, slug: &str) -> Option<String> {
    let events = model.history.vendors.get(slug)?;
    let first = events.get(model.registry.settings.vendor_history)?;
    let at = model.memo.get("commit positions", || {
        model
            .history
            .commits
            .iter()
            .enumerate()
            .map(|(i, c)| (c.commit.id.clone(), i))
            .collect::<std::collections::HashMap<String, usize>>()
    });
    let i = *at.get(&first.commit.id)?;
    Some(super::changes::commit_href(model, i, &first.commit.short))
}

/// Most items a partial assessment's banner names; the rest are counted.
const PARTIAL_NAMED: usize = 50;

/// What a partial assessment left out, one line per item, bounded.
fn partial(left_out: &[LeftOut]) -> PartialView {
    let mut lines: Vec<String> = left_out
        .iter()
        .take(PARTIAL_NAMED)
        .map(LeftOut::describe)
        .collect();
    if left_out.len() > PARTIAL_NAMED {
        lines.push(format!(
            "… and {} more (run `vetted check` for every one)",
            left_out.len() - PARTIAL_NAMED
        ));
    }
    PartialView { left_out: lines }
}

/// Why the status is what it is, worst first (the assessment's order).
/// The decision and its reasons; the reasons that are red flags' messages
/// are counted (the Red flags list shows each message once).
fn decision(p: &Assessed, reasons: Vec<String>) -> DecisionView {
    let flagged: std::collections::HashSet<&str> = p
        .assessment
        .red_flags
        .iter()
        .map(|f| f.message.as_str())
        .collect();
    let (flags, others): (Vec<&String>, Vec<&String>) =
        reasons.iter().partition(|r| flagged.contains(r.as_str()));
    DecisionView {
        badge: decision_badge(p.assessment.decision.value),
        red_flags: flags.len(),
        other_reasons: others.into_iter().cloned().collect(),
        reasons,
    }
}

fn reasons(p: &Assessed) -> Vec<ReasonView> {
    p.assessment
        .reasons
        .iter()
        .map(|r| ReasonView {
            severity: severity_badge(r.severity),
            code: r.code.to_string(),
            message: r.message.clone(),
        })
        .collect()
}

fn review(model: &Model, p: &Assessed) -> ReviewView {
    let (v, a) = (p.vendor, p.assessment);
    ReviewView {
        last_assessed: v.review.last_assessed.map(|d| d.to_string()),
        assessor: v.review.assessor.clone(),
        major_change: v.review.major_change.map(|d| d.to_string()),
        next_due: a.review.next_due.map(|d| d.to_string()),
        when: a
            .review
            .next_due
            .map_or_else(String::new, |d| model.when(d)),
        overdue: a.review.overdue,
        forced_by_major_change: a.review.forced_by_major_change,
        interval_months: model.registry.tiers.review_months(a.tier),
    }
}

fn products(model: &Model, v: &Vendor) -> Vec<ProductView> {
    v.products
        .iter()
        .map(|p| ProductView {
            name: p.name.clone(),
            version: p.version.clone(),
            description: p.description.clone(),
            end_of_support: p.end_of_support.map(|d| d.to_string()),
            end_of_support_passed: p.end_of_support.is_some_and(|d| d < model.today),
        })
        .collect()
}

fn subprocessors(v: &Vendor) -> Vec<SubprocessorView> {
    v.subprocessors
        .iter()
        .map(|s| SubprocessorView {
            name: s.name.clone(),
            service: s.service.clone(),
            data: s.data.clone(),
            region: s.region.clone(),
            baa_flow_down: s.baa_flow_down,
        })
        .collect()
}

fn contacts(v: &Vendor) -> Vec<ContactView> {
    [
        ("Security", &v.contacts.security),
        ("Account", &v.contacts.account),
        ("Vulnerability disclosure", &v.contacts.disclosure),
    ]
    .into_iter()
    .filter_map(|(role, value)| {
        value.as_ref().map(|value| ContactView {
            role: role.to_string(),
            value: value.clone(),
            url: contact_url(value),
        })
    })
    .collect()
}

fn contract(model: &Model, v: &Vendor) -> Option<ContractView> {
    let yes_no = |b: Option<bool>| {
        match b {
            Some(true) => "Yes",
            Some(false) => "No",
            None => "Not recorded",
        }
        .to_string()
    };
    v.contract.as_ref().map(|c| ContractView {
        signed: c.signed.map(|d| d.to_string()),
        renewal: c.renewal.map(|d| d.to_string()),
        renewal_passed: c.renewal.is_some_and(|d| d < model.today),
        baa: yes_no(c.baa),
        audit_rights: yes_no(c.audit_rights),
        secure_remote_access: yes_no(c.secure_remote_access),
        breach_notification: c
            .breach_notification_hours
            .map_or_else(|| "Not set".to_string(), |h| format!("{h} hours")),
    })
}
