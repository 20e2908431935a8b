//! Building the view model from the assessed registry: one function per page,
//! each sorting what it lists so output never depends on hashing or threads.

use std::collections::BTreeMap;

use super::chart;
use super::markdown::{contact_url, safe_url, to_safe_html};
use super::view::*;
use crate::assess::{
    self, ArtifactStatus, Assessment, ComplianceStatus, ExceptionStatus, VendorAssessment,
};
use crate::diag::Severity;
use crate::history::{CommitChanges, History, VendorChangeKind, VendorEvent};
use crate::model::{
    Accepts, Condition, Date, FindingSeverity, Question, QuestionType, Registry, Scalar, Vendor,
    VendorStatus,
};

/// Entries on the dashboard's recent changes.
pub const RECENT_CHANGES: usize = 10;
/// Entries on the change log page and in the Atom feed.
pub const CHANGE_LOG_CAP: usize = 500;
pub const FEED_CAP: usize = 50;
/// Entries on a vendor's timeline.
pub const VENDOR_HISTORY_CAP: usize = 500;

fn kind_label(k: &VendorChangeKind) -> String {
    match k {
        VendorChangeKind::Added => "added".into(),
        VendorChangeKind::Removed => "removed".into(),
        VendorChangeKind::Modified => "modified".into(),
        VendorChangeKind::Renamed { from } => format!("renamed from {from}"),
    }
}

fn labels(changes: &[crate::history::FieldChange]) -> Vec<String> {
    changes
        .iter()
        .map(|x| format!("{}: {}", x.file, x.label))
        .collect()
}

fn entry(c: &crate::history::CommitInfo) -> HistoryEntry {
    HistoryEntry {
        date: c.date.clone(),
        author: c.author.clone(),
        summary: c.summary.clone(),
        body: c
            .message
            .lines()
            .skip(1)
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string(),
        commit: c.short.clone(),
        commit_id: c.id.clone(),
        uncommitted: c.id == "uncommitted",
        vendors: Vec::new(),
        kind: String::new(),
        changes: Vec::new(),
        derived: Vec::new(),
        policy: Vec::new(),
    }
}

/// A vendor's timeline entry.
/// The commit's body is left to the change log: a commit that touches many
/// vendors would otherwise copy it into every one of their pages.
fn vendor_entry(e: &VendorEvent) -> HistoryEntry {
    HistoryEntry {
        kind: kind_label(&e.kind),
        changes: labels(&e.changes),
        derived: e.derived.clone(),
        body: String::new(),
        ..entry(&e.commit)
    }
}

/// A change-log entry: one commit, every vendor it changed, its policy changes.
pub fn commit_entry(c: &CommitChanges, link: impl Fn(&str) -> Option<VendorLink>) -> HistoryEntry {
    let vendors = c
        .vendors
        .iter()
        .map(|v| ChangedVendor {
            // A vendor removed since has no page: its slug, without a link.
            vendor: link(&v.slug).unwrap_or_else(|| VendorLink {
                name: v.slug.clone(),
                slug: v.slug.clone(),
                href: String::new(),
            }),
            kind: kind_label(&v.kind),
            changes: labels(&v.changes),
            derived: v.derived.clone(),
        })
        .collect();
    HistoryEntry {
        vendors,
        policy: labels(&c.policy),
        ..entry(&c.commit)
    }
}

// ============================================================ construction

/// The assessed registry, indexed for building views.
pub struct Model<'a> {
    pub registry: &'a Registry,
    pub assessment: &'a Assessment,
    pub history: &'a History,
    pub today: Date,
    by_slug: BTreeMap<&'a str, &'a VendorAssessment>,
}

/// A vendor with its assessment.
pub struct Pair<'a> {
    pub vendor: &'a Vendor,
    pub assessment: &'a VendorAssessment,
}

impl<'a> Model<'a> {
    pub fn new(
        registry: &'a Registry,
        assessment: &'a Assessment,
        history: &'a History,
    ) -> Model<'a> {
        let by_slug = assessment
            .vendors
            .iter()
            .map(|a| (a.slug.as_str(), a))
            .collect();
        Model {
            registry,
            assessment,
            history,
            today: assessment.today,
            by_slug,
        }
    }

    /// Vendors that have an assessment, sorted by name (then slug).
    pub fn pairs(&self) -> Vec<Pair<'a>> {
        let mut pairs: Vec<Pair<'a>> = self
            .registry
            .vendors
            .iter()
            .filter_map(|v| {
                self.by_slug.get(v.slug.as_str()).map(|a| Pair {
                    vendor: v,
                    assessment: a,
                })
            })
            .collect();
        pairs.sort_by(|a, b| {
            (a.vendor.name.to_lowercase(), &a.vendor.slug)
                .cmp(&(b.vendor.name.to_lowercase(), &b.vendor.slug))
        });
        pairs
    }

    pub fn site(&self) -> SiteView {
        let s = &self.registry.settings;
        SiteView {
            title: s.title.clone(),
            organisation: s.organisation.clone(),
            description: s.description.clone(),
            today: self.today.to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }

    fn tier(&self, level: u8) -> TierView {
        TierView {
            level,
            label: format!("T{level}"),
            name: self
                .registry
                .tiers
                .tier(level)
                .map_or_else(|| format!("Tier {level}"), |t| t.name.clone()),
        }
    }

    fn all_tiers(&self) -> Vec<TierView> {
        let mut levels: Vec<u8> = self.registry.tiers.tiers.iter().map(|t| t.level).collect();
        levels.extend(self.assessment.vendors.iter().map(|a| a.tier));
        levels.sort_unstable();
        levels.dedup();
        levels.into_iter().map(|l| self.tier(l)).collect()
    }

    fn kind_title(&self, kind: &str) -> String {
        self.registry
            .kinds
            .get(kind)
            .map_or_else(|| kind.to_string(), |k| k.title.clone())
    }

    fn section_title(&self, section: &str) -> String {
        self.registry
            .questionnaire
            .section(section)
            .map_or_else(|| section.to_string(), |s| s.title.clone())
    }

    fn prompt(&self, section: &str, question: &str) -> String {
        self.registry
            .questionnaire
            .question(section, question)
            .map_or_else(|| format!("{section}.{question}"), |q| q.prompt.clone())
    }

    fn when(&self, date: Date) -> String {
        when(assess::days_between(self.today, date))
    }

    // ------------------------------------------------------------ dashboard

    pub fn dashboard(&self) -> DashboardPage {
        let pairs = self.pairs();
        let live: Vec<&Pair> = pairs
            .iter()
            .filter(|p| p.vendor.status != VendorStatus::Offboarded)
            .collect();

        let mut tiers: Vec<TierCount> = self
            .all_tiers()
            .into_iter()
            .map(|t| {
                let def = self.registry.tiers.tier(t.level);
                TierCount {
                    count: live.iter().filter(|p| p.assessment.tier == t.level).count(),
                    description: def.and_then(|d| d.description.clone()),
                    review_months: self.registry.tiers.review_months(t.level),
                    tier: t,
                }
            })
            .collect();
        tiers.sort_by_key(|t| t.tier.level);

        let statuses: Vec<StatusCount> = [
            ComplianceStatus::NonCompliant,
            ComplianceStatus::Attention,
            ComplianceStatus::Compliant,
        ]
        .into_iter()
        .map(|s| StatusCount {
            status: compliance_badge(s),
            count: live.iter().filter(|p| p.assessment.status == s).count(),
        })
        .collect();

        // Artifacts of live vendors that still matter (not superseded).
        let mut current: Vec<(ArtifactRef, &assess::ArtifactAssessment)> = Vec::new();
        for p in &live {
            for a in &p.assessment.artifacts {
                if a.status == ArtifactStatus::Superseded {
                    continue;
                }
                current.push((self.artifact_ref(p, a), a));
            }
        }
        let by_date = |a: &ArtifactRef, b: &ArtifactRef| {
            (&a.valid_until, a.vendor.name.to_lowercase(), &a.title).cmp(&(
                &b.valid_until,
                b.vendor.name.to_lowercase(),
                &b.title,
            ))
        };
        let expiring: Vec<ExpiryWindow> = [(0, 30), (31, 60), (61, 90)]
            .into_iter()
            .map(|(lo, hi)| {
                let mut items: Vec<ArtifactRef> = current
                    .iter()
                    .filter(|(_, a)| {
                        a.days_left.is_some_and(|d| d >= lo && d <= hi)
                            && a.status != ArtifactStatus::Expired
                    })
                    .map(|(r, _)| r.clone())
                    .collect();
                items.sort_by(by_date);
                ExpiryWindow {
                    days: hi,
                    label: if lo == 0 {
                        format!("Within {hi} days")
                    } else {
                        format!("In {lo}–{hi} days")
                    },
                    artifacts: Capped::new(items),
                }
            })
            .collect();
        let mut expired: Vec<ArtifactRef> = current
            .iter()
            .filter(|(_, a)| a.status == ArtifactStatus::Expired)
            .map(|(r, _)| r.clone())
            .collect();
        expired.sort_by(by_date);

        let mut missing = Vec::new();
        for p in &live {
            for r in &p.assessment.requirements {
                if r.satisfied_by.is_none() && r.status == ArtifactStatus::Missing {
                    missing.push(RequirementRef {
                        vendor: vendor_link(p.vendor),
                        kind_title: r.kind_title.clone(),
                        product: r.product.clone(),
                        status: artifact_badge(r.status),
                        accepted_by: accepted(p.vendor, &r.accepted_by),
                        href: format!("{}#evidence", vendor_href(p.vendor)),
                    });
                }
            }
        }

        let mut overdue_reviews: Vec<ReviewRef> = live
            .iter()
            .filter(|p| p.assessment.review.overdue)
            .map(|p| {
                let r = &p.assessment.review;
                ReviewRef {
                    vendor: vendor_link(p.vendor),
                    tier: self.tier(p.assessment.tier),
                    last_assessed: r.last_assessed.map(|d| d.to_string()),
                    next_due: r.next_due.map(|d| d.to_string()),
                    when: r
                        .next_due
                        .map_or_else(|| "never assessed".to_string(), |d| self.when(d)),
                    forced_by_major_change: r.forced_by_major_change,
                    href: format!("{}#review", vendor_href(p.vendor)),
                }
            })
            .collect();
        overdue_reviews.sort_by(|a, b| {
            (&a.next_due, a.vendor.name.to_lowercase())
                .cmp(&(&b.next_due, b.vendor.name.to_lowercase()))
        });

        let all_findings = self.finding_rows();
        let open_findings: Vec<FindingRow> = all_findings.into_iter().filter(|f| f.open).collect();
        let overdue_findings = open_findings.iter().filter(|f| f.overdue).count();

        let mut exceptions = Vec::new();
        for p in &pairs {
            for (e, state) in p.vendor.exceptions.iter().zip(&p.assessment.exceptions) {
                if state.status == ExceptionStatus::Active {
                    continue;
                }
                exceptions.push(ExceptionRef {
                    vendor: vendor_link(p.vendor),
                    id: e.id.clone(),
                    accepts: accepts_text(self, &e.accepts),
                    accepts_href: accepts_href(p.vendor, &e.accepts),
                    expires: e.expires.to_string(),
                    when: self.when(e.expires),
                    status: exception_badge(state.status),
                    href: format!("{}#{}", vendor_href(p.vendor), anchor("exception", &e.id)),
                });
            }
        }
        exceptions.sort_by(|a, b| {
            (&a.expires, a.vendor.name.to_lowercase(), &a.id).cmp(&(
                &b.expires,
                b.vendor.name.to_lowercase(),
                &b.id,
            ))
        });

        let mut red_flags = Vec::new();
        for p in &live {
            for f in &p.assessment.red_flags {
                red_flags.push(FlagRef {
                    vendor: vendor_link(p.vendor),
                    severity: severity_badge(f.severity),
                    message: f.message.clone(),
                    section_title: self.section_title(&f.section),
                    question: self.prompt(&f.section, &f.question),
                    accepted_by: accepted(p.vendor, &f.accepted_by),
                    href: format!(
                        "{}#{}",
                        vendor_href(p.vendor),
                        question_anchor(&f.section, &f.question)
                    ),
                });
            }
        }
        red_flags.sort_by(|a, b| {
            (
                a.accepted_by.is_some(),
                std::cmp::Reverse(a.severity.rank),
                a.vendor.name.to_lowercase(),
                &a.message,
            )
                .cmp(&(
                    b.accepted_by.is_some(),
                    std::cmp::Reverse(b.severity.rank),
                    b.vendor.name.to_lowercase(),
                    &b.message,
                ))
        });

        let count = |s: ComplianceStatus| live.iter().filter(|p| p.assessment.status == s).count();
        let unaccepted_flags = red_flags.iter().filter(|f| f.accepted_by.is_none()).count();
        let expiring_90: usize = expiring.iter().map(|w| w.artifacts.total).sum();
        let cards = vec![
            card(
                "Vendors",
                live.len(),
                "neutral",
                "vendors/index.html",
                &match pairs.len() - live.len() {
                    0 => "active and prospective".to_string(),
                    n => format!("active and prospective; {n} offboarded"),
                },
            ),
            card(
                "Non-compliant",
                count(ComplianceStatus::NonCompliant),
                "bad",
                "vendors/index.html",
                "vendors with an unaccepted error",
            ),
            card(
                "Needs attention",
                count(ComplianceStatus::Attention),
                "warn",
                "vendors/index.html",
                "vendors with warnings only",
            ),
            card(
                "Expired evidence",
                expired.len(),
                "bad",
                "index.html#expired",
                "artifacts past their validity",
            ),
            card(
                "Expiring in 90 days",
                expiring_90,
                "warn",
                "index.html#expiring",
                "artifacts to renew soon",
            ),
            card(
                "Overdue reviews",
                overdue_reviews.len(),
                "bad",
                "index.html#reviews",
                "reassessments past due",
            ),
            card(
                "Open findings",
                open_findings.len(),
                "warn",
                "findings/index.html",
                &format!("{overdue_findings} overdue"),
            ),
            card(
                "Red flags",
                unaccepted_flags,
                "bad",
                "index.html#red-flags",
                &format!(
                    "{} accepted by exception",
                    red_flags.len() - unaccepted_flags
                ),
            ),
        ];

        DashboardPage {
            cards,
            tier_chart: chart::tier_chart(&tiers),
            expiry_chart: chart::expiry_chart(
                self.today,
                current.iter().filter_map(|(_, a)| a.valid_until),
            ),
            tiers,
            statuses,
            expiring,
            expired: Capped::new(expired),
            missing: Capped::new(missing),
            overdue_reviews: Capped::new(overdue_reviews),
            open_findings: Capped::new(open_findings),
            overdue_findings,
            exceptions: Capped::new(exceptions),
            red_flags: Capped::new(red_flags),
            history: self.site_history(RECENT_CHANGES),
        }
    }

    fn artifact_ref(&self, p: &Pair, a: &assess::ArtifactAssessment) -> ArtifactRef {
        let title = p
            .vendor
            .artifacts
            .iter()
            .find(|x| x.index == a.index)
            .map_or_else(|| self.kind_title(&a.kind), |x| x.title.clone());
        ArtifactRef {
            vendor: vendor_link(p.vendor),
            title,
            kind_title: self.kind_title(&a.kind),
            status: artifact_badge(a.status),
            valid_until: a.valid_until.map(|d| d.to_string()),
            days_left: a.days_left,
            when: a.valid_until.map_or_else(String::new, |d| self.when(d)),
            href: format!("{}#artifact-{}", vendor_href(p.vendor), a.index),
        }
    }

    // --------------------------------------------------------- vendors list

    pub fn vendors(&self) -> VendorsPage {
        let rows: Vec<VendorRow> = self
            .pairs()
            .iter()
            .map(|p| {
                let a = p.assessment;
                VendorRow {
                    vendor: vendor_link(p.vendor),
                    tier: self.tier(a.tier),
                    status: compliance_badge(a.status),
                    category: p.vendor.category.clone(),
                    lifecycle: lifecycle_badge(p.vendor.status),
                    next_review: a.review.next_due.map(|d| d.to_string()),
                    review_overdue: a.review.overdue,
                    worst_artifact: artifact_badge(a.worst_artifact),
                    red_flags: a.counts.red_flags,
                    open_findings: a.counts.open_findings,
                    overdue_findings: a.counts.overdue_findings,
                }
            })
            .collect();
        VendorsPage {
            total: rows.len(),
            rows,
            tiers: self.all_tiers(),
            statuses: [
                ComplianceStatus::NonCompliant,
                ComplianceStatus::Attention,
                ComplianceStatus::Compliant,
            ]
            .into_iter()
            .map(compliance_badge)
            .collect(),
        }
    }

    // ---------------------------------------------------------- vendor page

    /// When a field last changed: its own last change, or the commit that
    /// added the vendor when it never changed since.
    fn since(&self, slug: &str, key: &str) -> Option<ProvenanceView> {
        let fields = self.history.provenance.get(slug)?;
        fields
            .get(key)
            .or_else(|| fields.get("*"))
            .map(|p| ProvenanceView {
                date: p.date.clone(),
                commit: p.short.clone(),
                author: p.author.clone(),
            })
    }

    fn history_frame(&self, entries: Vec<HistoryEntry>, total: usize) -> HistoryView {
        let h = self.history;
        let note = if !h.available {
            "This registry is not kept in git, so there is no change history.".to_string()
        } else {
            "No recorded changes.".to_string()
        };
        HistoryView {
            available: h.available,
            partial: h.partial,
            note,
            notes: h.notes.clone(),
            entries,
            total,
        }
    }

    /// A vendor's timeline, newest first (capped: a vendor edited every day
    /// for years still gets a readable page).
    pub fn vendor_history(&self, slug: &str) -> HistoryView {
        let events: &[VendorEvent] = self.history.vendors.get(slug).map_or(&[], |v| v.as_slice());
        let entries = events
            .iter()
            .take(VENDOR_HISTORY_CAP)
            .map(vendor_entry)
            .collect();
        self.history_frame(entries, events.len())
    }

    /// Registry-wide changes, newest first, one entry per commit.
    pub fn site_history(&self, cap: usize) -> HistoryView {
        let commits = &self.history.commits;
        let entries = commits
            .iter()
            .take(cap)
            .map(|c| commit_entry(c, |slug| self.vendor_link_by_slug(slug)))
            .collect();
        self.history_frame(entries, commits.len())
    }

    pub fn changes(&self) -> ChangesPage {
        ChangesPage {
            history: self.site_history(CHANGE_LOG_CAP),
            feed_href: "changes.atom".into(),
        }
    }

    fn vendor_link_by_slug(&self, slug: &str) -> Option<VendorLink> {
        self.registry
            .vendors
            .iter()
            .find(|v| v.slug == slug)
            .map(|v| VendorLink {
                name: v.name.clone(),
                slug: v.slug.clone(),
                href: vendor_href(v),
            })
    }

    pub fn vendor(&self, p: &Pair) -> VendorPage {
        let (v, a) = (p.vendor, p.assessment);
        let tier_def = self.registry.tiers.tier(a.tier);

        let reasons = a
            .reasons
            .iter()
            .map(|r| ReasonView {
                severity: severity_badge(r.severity),
                code: r.code.to_string(),
                message: r.message.clone(),
            })
            .collect();

        let rationale = {
            let r = &a.rationale;
            let decisive_tier = r
                .overrides
                .iter()
                .map(|o| o.tier)
                .min()
                .filter(|t| *t < r.score_tier);
            let mut decided = false;
            let overrides = r
                .overrides
                .iter()
                .map(|o| {
                    let decisive = !decided && Some(o.tier) == decisive_tier;
                    decided |= decisive;
                    OverrideView {
                        tier: self.tier(o.tier),
                        reason: o.reason.clone(),
                        decisive,
                    }
                })
                .collect();
            let explanation = match decisive_tier {
                Some(t) => format!(
                    "A score of {} gives tier {} on its own; an override raises it to tier {t}.",
                    r.score, r.score_tier
                ),
                None if r.overrides.is_empty() => {
                    format!("A score of {} gives tier {}.", r.score, r.score_tier)
                }
                None => format!(
                    "A score of {} gives tier {}; the overrides that matched do not raise it further.",
                    r.score, r.score_tier
                ),
            };
            RationaleView {
                factors: r
                    .factors
                    .iter()
                    .map(|f| FactorRow {
                        factor: f.factor.clone(),
                        title: f.title.clone(),
                        value: f.value.clone(),
                        points: f.points,
                    })
                    .collect(),
                score: r.score,
                score_tier: self.tier(r.score_tier),
                overrides,
                thresholds: self
                    .registry
                    .tiers
                    .tiers
                    .iter()
                    .map(|t| ThresholdView {
                        tier: self.tier(t.level),
                        min_score: t.min_score,
                    })
                    .collect(),
                explanation,
            }
        };

        let review = ReviewView {
            last_assessed: v.review.last_assessed.map(|d| d.to_string()),
            assessor: v.review.assessor.clone(),
            major_change: v.review.major_change.map(|d| d.to_string()),
            next_due: a.review.next_due.map(|d| d.to_string()),
            when: a.review.next_due.map_or_else(String::new, |d| self.when(d)),
            overdue: a.review.overdue,
            forced_by_major_change: a.review.forced_by_major_change,
            interval_months: self.registry.tiers.review_months(a.tier),
        };

        let products = v
            .products
            .iter()
            .map(|p| ProductView {
                name: p.name.clone(),
                version: p.version.clone(),
                description: p.description.clone(),
                end_of_support: p.end_of_support.map(|d| d.to_string()),
                end_of_support_passed: p.end_of_support.is_some_and(|d| d < self.today),
            })
            .collect();
        let subprocessors = v
            .subprocessors
            .iter()
            .map(|s| SubprocessorView {
                name: s.name.clone(),
                service: s.service.clone(),
                data: s.data.clone(),
                region: s.region.clone(),
            })
            .collect();
        let contacts = [
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
        .collect();
        let yes_no = |b: Option<bool>| {
            match b {
                Some(true) => "Yes",
                Some(false) => "No",
                None => "Not recorded",
            }
            .to_string()
        };
        let contract = v.contract.as_ref().map(|c| ContractView {
            signed: c.signed.map(|d| d.to_string()),
            renewal: c.renewal.map(|d| d.to_string()),
            renewal_passed: c.renewal.is_some_and(|d| d < self.today),
            baa: yes_no(c.baa),
            audit_rights: yes_no(c.audit_rights),
            secure_remote_access: yes_no(c.secure_remote_access),
            breach_notification: c
                .breach_notification_hours
                .map_or_else(|| "Not set".to_string(), |h| format!("{h} hours")),
        });

        let tier_sections: &[String] = tier_def.map_or(&[], |t| &t.sections);
        let sections = self
            .registry
            .questionnaire
            .sections
            .iter()
            .map(|s| {
                let in_scope = tier_sections.contains(&s.id);
                let answers = v.answers.get(&s.id);
                let questions: Vec<AnswerRow> = s
                    .questions
                    .iter()
                    .map(|q| {
                        let answer = answers
                            .and_then(|m| m.get(&q.id))
                            .map(|x| format_answer(q, &x.value));
                        let flags = a
                            .red_flags
                            .iter()
                            .filter(|f| f.section == s.id && f.question == q.id)
                            .map(|f| FlagView {
                                severity: severity_badge(f.severity),
                                message: f.message.clone(),
                                accepted_by: accepted(v, &f.accepted_by),
                            })
                            .collect();
                        AnswerRow {
                            id: q.id.clone(),
                            anchor: question_anchor(&s.id, &q.id),
                            prompt: q.prompt.clone(),
                            kind: kind_name(q.kind).to_string(),
                            answer,
                            required: in_scope && q.required_for.contains(&a.tier),
                            guidance_html: to_safe_html(&q.guidance),
                            flags,
                            since: answers.and_then(|m| m.get(&q.id)).and_then(|_| {
                                self.since(&v.slug, &format!("answers:{}.{}", s.id, q.id))
                            }),
                        }
                    })
                    .collect();
                AnswerSection {
                    id: s.id.clone(),
                    anchor: anchor("section", &s.id),
                    title: s.title.clone(),
                    summary: s.summary.clone(),
                    in_scope,
                    answered: questions.iter().filter(|q| q.answer.is_some()).count(),
                    total: questions.len(),
                    questions,
                }
            })
            .collect();
        let unanswered = a
            .unanswered
            .iter()
            .map(|u| UnansweredView {
                section_title: self.section_title(&u.section),
                prompt: self.prompt(&u.section, &u.question),
                anchor: question_anchor(&u.section, &u.question),
                accepted_by: accepted(
                    v,
                    &v.exceptions
                        .iter()
                        .find(|e| {
                            e.accepts
                                == Accepts::Question {
                                    section: u.section.clone(),
                                    question: u.question.clone(),
                                }
                                && e.expires >= self.today
                        })
                        .map(|e| e.id.clone()),
                ),
            })
            .collect();

        let artifacts: Vec<ArtifactView> = v
            .artifacts
            .iter()
            .map(|art| {
                let st = a.artifacts.iter().find(|x| x.index == art.index);
                ArtifactView {
                    index: art.index,
                    anchor: format!("artifact-{}", art.index),
                    kind: art.kind.clone(),
                    kind_title: self.kind_title(&art.kind),
                    title: art.title.clone(),
                    status: artifact_badge(st.map_or(ArtifactStatus::Expired, |s| s.status)),
                    valid_until: st.and_then(|s| s.valid_until).map(|d| d.to_string()),
                    days_left: st.and_then(|s| s.days_left),
                    when: st
                        .and_then(|s| s.valid_until)
                        .map_or_else(String::new, |d| self.when(d)),
                    basis: st.map_or_else(String::new, |s| s.basis.clone()),
                    issued: art.issued.map(|d| d.to_string()),
                    period_end: art.period_end.map(|d| d.to_string()),
                    scope: art.scope.clone(),
                    covers: art.covers.clone(),
                    version: art.version.clone(),
                    link: art.link.as_ref().map(|l| ExternalLink {
                        text: l.clone(),
                        url: safe_url(l),
                    }),
                    file: art.file.clone(),
                    sha256: art.sha256.clone(),
                    accepted_by: accepted(v, &st.and_then(|s| s.accepted_by.clone())),
                    notes: art.notes.clone(),
                    since: self.since(&v.slug, &format!("artifact:{}: {}", art.kind, art.title)),
                }
            })
            .collect();
        let requirements = a
            .requirements
            .iter()
            .map(|r| RequirementView {
                kind: r.kind.clone(),
                kind_title: r.kind_title.clone(),
                product: r.product.clone(),
                status: artifact_badge(r.status),
                satisfied_by: r.satisfied_by.and_then(|i| {
                    artifacts
                        .iter()
                        .find(|x| x.index == i)
                        .map(|x| ArtifactLink {
                            title: x.title.clone(),
                            anchor: x.anchor.clone(),
                        })
                }),
                accepted_by: accepted(v, &r.accepted_by),
            })
            .collect();

        let findings = v
            .findings
            .iter()
            .map(|f| {
                let st = a.findings.iter().find(|s| s.id == f.id);
                FindingView {
                    id: f.id.clone(),
                    anchor: anchor("finding", &f.id),
                    title: f.title.clone(),
                    severity: finding_badge(f.severity),
                    state: open_badge(f.open),
                    open: f.open,
                    overdue: st.is_some_and(|s| s.overdue),
                    opened: f.opened.to_string(),
                    due: f.due.map(|d| d.to_string()),
                    closed: f.closed.map(|d| d.to_string()),
                    owner: f.owner.clone(),
                    source: f.source.clone(),
                    description: f.description.clone(),
                    accepted_by: accepted(v, &st.and_then(|s| s.accepted_by.clone())),
                }
            })
            .collect();
        let exceptions = v
            .exceptions
            .iter()
            .map(|e| {
                let st = a.exceptions.iter().find(|s| s.id == e.id);
                ExceptionView {
                    id: e.id.clone(),
                    anchor: anchor("exception", &e.id),
                    accepts: accepts_text(self, &e.accepts),
                    accepts_href: accepts_href(v, &e.accepts),
                    reason: e.reason.clone(),
                    approver: e.approver.clone(),
                    approved: e.approved.to_string(),
                    expires: e.expires.to_string(),
                    when: self.when(e.expires),
                    status: exception_badge(st.map_or(ExceptionStatus::Expired, |s| s.status)),
                    compensating_controls: e.compensating_controls.clone(),
                }
            })
            .collect();

        VendorPage {
            slug: v.slug.clone(),
            name: v.name.clone(),
            description: v.description.clone(),
            category: v.category.clone(),
            owner: v.owner.clone(),
            lifecycle: lifecycle_badge(v.status),
            website: v.website.as_ref().map(|w| ExternalLink {
                text: w.clone(),
                url: safe_url(w),
            }),
            tier: self.tier(a.tier),
            tier_description: tier_def.and_then(|t| t.description.clone()),
            status: compliance_badge(a.status),
            reasons,
            rationale,
            review,
            products,
            subprocessors,
            contacts,
            contract,
            sections,
            unanswered,
            artifacts,
            requirements,
            findings,
            exceptions,
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
            history: self.vendor_history(&v.slug),
        }
    }

    // -------------------------------------------------------------- calendar

    pub fn calendar(&self) -> CalendarPage {
        let from = assess::add_months(self.today.first_of_month(), -3);
        let mut events: Vec<(Date, EventView)> = Vec::new();
        let mut push = |date: Date,
                        kind: &str,
                        kind_label: &str,
                        p: &Pair,
                        title: String,
                        status: Badge,
                        href: String| {
            events.push((
                date,
                EventView {
                    date: date.to_string(),
                    kind: kind.to_string(),
                    kind_label: kind_label.to_string(),
                    vendor: vendor_link(p.vendor),
                    title,
                    status,
                    when: self.when(date),
                    past: date < self.today,
                    href,
                },
            ));
        };
        for p in self.pairs() {
            if p.vendor.status == VendorStatus::Offboarded {
                continue;
            }
            let page = vendor_href(p.vendor);
            for a in &p.assessment.artifacts {
                let (Some(until), true) = (a.valid_until, a.status != ArtifactStatus::Superseded)
                else {
                    continue;
                };
                let title = p
                    .vendor
                    .artifacts
                    .iter()
                    .find(|x| x.index == a.index)
                    .map_or_else(|| self.kind_title(&a.kind), |x| x.title.clone());
                push(
                    until,
                    "artifact",
                    "Evidence expires",
                    &p,
                    title,
                    artifact_badge(a.status),
                    format!("{page}#artifact-{}", a.index),
                );
            }
            if let Some(due) = p.assessment.review.next_due {
                let status = if p.assessment.review.overdue {
                    Badge::new("overdue", "Overdue", "bad", 3)
                } else {
                    Badge::new("scheduled", "Scheduled", "info", 1)
                };
                let title = if p.assessment.review.forced_by_major_change {
                    "Reassessment (major change)".to_string()
                } else {
                    format!("Reassessment ({})", self.tier(p.assessment.tier).label)
                };
                push(
                    due,
                    "review",
                    "Review due",
                    &p,
                    title,
                    status,
                    format!("{page}#review"),
                );
            }
            for (e, st) in p.vendor.exceptions.iter().zip(&p.assessment.exceptions) {
                push(
                    e.expires,
                    "exception",
                    "Exception expires",
                    &p,
                    format!("{}: {}", e.id, accepts_text(self, &e.accepts)),
                    exception_badge(st.status),
                    format!("{page}#{}", anchor("exception", &e.id)),
                );
            }
            if let Some(c) = &p.vendor.contract
                && let Some(r) = c.renewal
            {
                let status = if r < self.today {
                    Badge::new("passed", "Passed", "warn", 2)
                } else {
                    Badge::new("scheduled", "Scheduled", "info", 1)
                };
                push(
                    r,
                    "renewal",
                    "Contract renewal",
                    &p,
                    "Contract renewal".to_string(),
                    status,
                    format!("{page}#contract"),
                );
            }
            for prod in &p.vendor.products {
                if let Some(eos) = prod.end_of_support {
                    let status = if eos < self.today {
                        Badge::new("unsupported", "Unsupported", "bad", 3)
                    } else {
                        Badge::new("scheduled", "Scheduled", "info", 1)
                    };
                    push(
                        eos,
                        "end-of-support",
                        "End of support",
                        &p,
                        format!("{} {}", prod.name, prod.version),
                        status,
                        format!("{page}#profile"),
                    );
                }
            }
        }
        events.sort_by(|(da, a), (db, b)| {
            (
                da,
                a.vendor.name.to_lowercase(),
                &a.vendor.slug,
                &a.kind,
                &a.title,
            )
                .cmp(&(
                    db,
                    b.vendor.name.to_lowercase(),
                    &b.vendor.slug,
                    &b.kind,
                    &b.title,
                ))
        });
        let total = events.len();
        let earlier = events.iter().filter(|(d, _)| *d < from).count();
        let this_month = month_key(self.today);
        // The current month is always shown, even with nothing in it.
        let mut by_month: BTreeMap<String, MonthView> = BTreeMap::new();
        for (d, e) in std::iter::once((self.today, None)).chain(
            events
                .into_iter()
                .filter(|(d, _)| *d >= from)
                .map(|(d, e)| (d, Some(e))),
        ) {
            let key = month_key(d);
            let month = by_month.entry(key.clone()).or_insert_with(|| MonthView {
                current: key == this_month,
                past: key < this_month,
                label: month_label(d),
                key,
                events: Vec::new(),
            });
            month.events.extend(e);
        }
        let months: Vec<MonthView> = by_month.into_values().collect();
        let mut years: Vec<YearView> = Vec::new();
        for m in &months {
            let (year, _) = m.key.split_once('-').unwrap_or((&m.key, ""));
            if years.last().is_none_or(|y| y.year != year) {
                years.push(YearView {
                    year: year.to_string(),
                    months: Vec::new(),
                });
            }
            if let Some(y) = years.last_mut() {
                y.months.push(MonthLink {
                    key: m.key.clone(),
                    short: m.label.chars().take(3).collect(),
                    count: m.events.len(),
                    current: m.current,
                });
            }
        }
        CalendarPage {
            from: from.to_string(),
            months,
            years,
            earlier,
            total,
        }
    }

    // --------------------------------------------------------- questionnaire

    pub fn questionnaire(&self) -> QuestionnairePage {
        let sections: Vec<QuestionnaireSection> = self
            .registry
            .questionnaire
            .sections
            .iter()
            .map(|s| QuestionnaireSection {
                id: s.id.clone(),
                anchor: anchor("section", &s.id),
                title: s.title.clone(),
                summary: s.summary.clone(),
                tiers: self
                    .registry
                    .tiers
                    .tiers
                    .iter()
                    .filter(|t| t.sections.contains(&s.id))
                    .map(|t| self.tier(t.level))
                    .collect(),
                questions: s
                    .questions
                    .iter()
                    .map(|q| {
                        let mut required: Vec<u8> = q.required_for.clone();
                        required.sort_unstable();
                        required.dedup();
                        QuestionView {
                            id: q.id.clone(),
                            anchor: question_anchor(&s.id, &q.id),
                            prompt: q.prompt.clone(),
                            kind: kind_name(q.kind).to_string(),
                            unit: q.unit.clone(),
                            options: q.options.clone(),
                            required_for: required.into_iter().map(|l| self.tier(l)).collect(),
                            guidance_html: to_safe_html(&q.guidance),
                            rules: q
                                .red_flags
                                .iter()
                                .map(|r| {
                                    let condition = describe_condition(&r.condition, q);
                                    RuleView {
                                        severity: severity_badge(r.severity),
                                        text: format!(
                                            "Red flag ({}) {condition}: {}",
                                            r.severity.as_str(),
                                            r.message
                                        ),
                                        condition,
                                        message: r.message.clone(),
                                    }
                                })
                                .collect(),
                        }
                    })
                    .collect(),
            })
            .collect();
        QuestionnairePage {
            question_count: sections.iter().map(|s| s.questions.len()).sum(),
            sections,
        }
    }

    // -------------------------------------------------------------- findings

    pub fn findings(&self) -> FindingsPage {
        let rows = self.finding_rows();
        FindingsPage {
            open: rows.iter().filter(|f| f.open).count(),
            overdue: rows.iter().filter(|f| f.overdue).count(),
            closed: rows.iter().filter(|f| !f.open).count(),
            rows,
        }
    }

    fn finding_rows(&self) -> Vec<FindingRow> {
        let mut rows = Vec::new();
        for p in self.pairs() {
            for f in &p.vendor.findings {
                let st = p.assessment.findings.iter().find(|s| s.id == f.id);
                rows.push(FindingRow {
                    vendor: vendor_link(p.vendor),
                    id: f.id.clone(),
                    title: f.title.clone(),
                    severity: finding_badge(f.severity),
                    state: open_badge(f.open),
                    open: f.open,
                    overdue: st.is_some_and(|s| s.overdue),
                    opened: f.opened.to_string(),
                    due: f.due.map(|d| d.to_string()),
                    closed: f.closed.map(|d| d.to_string()),
                    owner: f.owner.clone(),
                    accepted_by: accepted(p.vendor, &st.and_then(|s| s.accepted_by.clone())),
                    href: format!("{}#{}", vendor_href(p.vendor), anchor("finding", &f.id)),
                });
            }
        }
        rows.sort_by(|a, b| {
            let key = |f: &FindingRow| {
                (
                    !f.open,
                    !f.overdue,
                    std::cmp::Reverse(f.severity.rank),
                    f.due.clone().unwrap_or_else(|| "9999".into()),
                    f.vendor.name.to_lowercase(),
                    f.id.clone(),
                )
            };
            key(a).cmp(&key(b))
        });
        rows
    }

    // ---------------------------------------------------------------- search

    pub fn search_index(&self) -> Vec<SearchEntry> {
        let mut out = Vec::new();
        for p in self.pairs() {
            let v = p.vendor;
            let products: Vec<&str> = v.products.iter().map(|p| p.name.as_str()).collect();
            out.push(SearchEntry {
                t: v.name.clone(),
                k: "Vendor".into(),
                u: vendor_href(v),
                x: [v.category.as_str(), &products.join(", ")]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" · "),
            });
            for prod in &v.products {
                out.push(SearchEntry {
                    t: format!("{} {}", prod.name, prod.version),
                    k: "Product".into(),
                    u: format!("{}#profile", vendor_href(v)),
                    x: v.name.clone(),
                });
            }
        }
        for s in &self.registry.questionnaire.sections {
            for q in &s.questions {
                out.push(SearchEntry {
                    t: q.prompt.clone(),
                    k: "Question".into(),
                    u: format!("questionnaire/index.html#{}", question_anchor(&s.id, &q.id)),
                    x: s.title.clone(),
                });
            }
        }
        out
    }
}

// ================================================================= helpers

fn card(label: &str, value: usize, tone: &str, href: &str, note: &str) -> StatCard {
    StatCard {
        label: label.to_string(),
        value,
        tone: if value == 0 && tone != "neutral" {
            "good"
        } else {
            tone
        }
        .to_string(),
        href: Some(href.to_string()),
        note: note.to_string(),
    }
}

pub fn vendor_href(v: &Vendor) -> String {
    format!("vendors/{}/index.html", v.slug)
}

fn vendor_link(v: &Vendor) -> VendorLink {
    VendorLink {
        name: v.name.clone(),
        slug: v.slug.clone(),
        href: vendor_href(v),
    }
}

fn accepted(v: &Vendor, by: &Option<String>) -> Option<AcceptedBy> {
    by.as_ref().map(|id| AcceptedBy {
        id: id.clone(),
        href: format!("{}#{}", vendor_href(v), anchor("exception", id)),
    })
}

/// An HTML id from a prefix and a registry identifier: anything outside
/// `[A-Za-z0-9_-]` becomes `-`, so ids are valid and need no escaping in URLs.
pub fn anchor(prefix: &str, id: &str) -> String {
    let cleaned: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("{prefix}-{cleaned}")
}

fn question_anchor(section: &str, question: &str) -> String {
    anchor("q", &format!("{section}-{question}"))
}

fn when(days: i64) -> String {
    match days {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        -1 => "yesterday".to_string(),
        d if d > 1 => format!("in {d} days"),
        d => format!("{} days ago", -d),
    }
}

fn month_key(d: Date) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

pub(crate) fn month_name(d: Date) -> &'static str {
    MONTHS[(d.month() as usize).clamp(1, 12) - 1]
}

fn month_label(d: Date) -> String {
    format!("{} {}", month_name(d), d.year())
}

fn kind_name(k: QuestionType) -> &'static str {
    match k {
        QuestionType::Bool => "bool",
        QuestionType::Choice => "choice",
        QuestionType::Multi => "multi",
        QuestionType::Integer => "integer",
        QuestionType::Date => "date",
        QuestionType::Text => "text",
        QuestionType::Url => "url",
        QuestionType::List => "list",
    }
}

fn format_answer(q: &Question, value: &crate::model::AnswerValue) -> AnswerView {
    use crate::model::AnswerValue as A;
    let plain = |text: String| AnswerView {
        text,
        items: Vec::new(),
        url: None,
        long: false,
    };
    match value {
        A::Bool(b) => plain(if *b { "Yes" } else { "No" }.to_string()),
        A::Integer(i) => plain(match &q.unit {
            Some(u) => format!("{i} {u}"),
            None => i.to_string(),
        }),
        A::Date(d) => plain(d.to_string()),
        A::Text(s) if q.kind == QuestionType::Url => AnswerView {
            url: safe_url(s),
            ..plain(s.clone())
        },
        A::Text(s) => AnswerView {
            long: q.kind == QuestionType::Text,
            ..plain(s.clone())
        },
        A::List(items) => AnswerView {
            text: items.join(", "),
            items: items.clone(),
            url: None,
            long: false,
        },
    }
}

fn describe_condition(c: &Condition, q: &Question) -> String {
    let unit = q.unit.as_deref().map_or(String::new(), |u| format!(" {u}"));
    match c {
        Condition::Equals(Scalar::Bool(b)) => {
            format!("when the answer is {}", if *b { "yes" } else { "no" })
        }
        Condition::Equals(Scalar::Int(i)) => format!("when the answer is {i}{unit}"),
        Condition::Equals(Scalar::Str(s)) => format!("when the answer is “{s}”"),
        Condition::Missing => "when the question is not answered".to_string(),
        Condition::LessThan(n) => format!("when the answer is less than {n}{unit}"),
        Condition::GreaterThan(n) => format!("when the answer is more than {n}{unit}"),
        Condition::OlderThanMonths(m) => format!("when the date is more than {m} months ago"),
        Condition::Contains(x) => format!("when the answer includes “{x}”"),
        Condition::NotContains(x) => format!("when the answer does not include “{x}”"),
    }
}

fn accepts_text(m: &Model, a: &Accepts) -> String {
    match a {
        Accepts::Finding(id) => format!("Finding {id}"),
        Accepts::RedFlag { section, question } => {
            format!("Red flag: {}", m.prompt(section, question))
        }
        Accepts::Artifact(kind) => format!("Evidence: {}", m.kind_title(kind)),
        Accepts::Question { section, question } => {
            format!("Unanswered: {}", m.prompt(section, question))
        }
    }
}

/// Where the item an exception accepts is shown on the vendor page.
fn accepts_href(v: &Vendor, a: &Accepts) -> String {
    let fragment = match a {
        Accepts::Finding(id) => anchor("finding", id),
        Accepts::RedFlag { section, question } | Accepts::Question { section, question } => {
            question_anchor(section, question)
        }
        Accepts::Artifact(_) => "evidence".to_string(),
    };
    format!("{}#{fragment}", vendor_href(v))
}

pub(crate) fn compliance_badge(s: ComplianceStatus) -> Badge {
    match s {
        ComplianceStatus::Compliant => Badge::new("compliant", s.label(), "good", 0),
        ComplianceStatus::Attention => Badge::new("attention", s.label(), "warn", 1),
        ComplianceStatus::NonCompliant => Badge::new("non-compliant", s.label(), "bad", 2),
    }
}

fn artifact_badge(s: ArtifactStatus) -> Badge {
    let (key, tone, rank) = match s {
        ArtifactStatus::Superseded => ("superseded", "neutral", 0),
        ArtifactStatus::Valid => ("valid", "good", 1),
        ArtifactStatus::Expiring => ("expiring", "warn", 2),
        ArtifactStatus::NotAccepted => ("not-accepted", "warn", 3),
        ArtifactStatus::Stale => ("stale", "bad", 4),
        ArtifactStatus::Expired => ("expired", "bad", 5),
        ArtifactStatus::Missing => ("missing", "bad", 6),
    };
    Badge::new(key, &capitalise(s.label()), tone, rank)
}

fn severity_badge(s: Severity) -> Badge {
    match s {
        Severity::Error => Badge::new("error", "Error", "bad", 2),
        Severity::Warning => Badge::new("warning", "Warning", "warn", 1),
        Severity::Note => Badge::new("note", "Note", "info", 0),
    }
}

fn finding_badge(s: FindingSeverity) -> Badge {
    match s {
        FindingSeverity::Critical => Badge::new("critical", "Critical", "bad", 3),
        FindingSeverity::High => Badge::new("high", "High", "bad", 2),
        FindingSeverity::Medium => Badge::new("medium", "Medium", "warn", 1),
        FindingSeverity::Low => Badge::new("low", "Low", "info", 0),
    }
}

fn open_badge(open: bool) -> Badge {
    if open {
        Badge::new("open", "Open", "warn", 1)
    } else {
        Badge::new("closed", "Closed", "neutral", 0)
    }
}

fn exception_badge(s: ExceptionStatus) -> Badge {
    match s {
        ExceptionStatus::Active => Badge::new("active", "Active", "good", 0),
        ExceptionStatus::Expiring => Badge::new("expiring", "Expiring", "warn", 1),
        ExceptionStatus::Expired => Badge::new("expired", "Expired", "bad", 2),
    }
}

fn lifecycle_badge(s: VendorStatus) -> Badge {
    match s {
        VendorStatus::Prospective => Badge::new("prospective", "Prospective", "info", 0),
        VendorStatus::Active => Badge::new("active", "Active", "neutral", 1),
        VendorStatus::Offboarded => Badge::new("offboarded", "Offboarded", "neutral", 2),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_plain() {
        assert_eq!(
            anchor("finding", "F-2026/01 \"x\""),
            "finding-F-2026-01--x-"
        );
        assert_eq!(
            question_anchor("standards", "frameworks"),
            "q-standards-frameworks"
        );
    }

    #[test]
    fn relative_days_read_naturally() {
        assert_eq!(when(0), "today");
        assert_eq!(when(12), "in 12 days");
        assert_eq!(when(-3), "3 days ago");
    }
}
