//! Validate stage: raw documents in, checked `Registry` plus diagnostics out.
//!
//! Policy files (questionnaire, tiers, artifact kinds) are checked first, then
//! every vendor in parallel against them. An item with an error is left out of
//! the registry (and reported); later stages never re-check.
//!
//! Every location is a `KeyPath` built from the keys `model::raw` declares
//! (`doc.root().at(RawVendor::PRODUCT).item(i)`), never a hand-written dotted
//! string; a value outside a closed set arrives as `Closed::Unknown` and is
//! reported here with the set's own list of values.
//!
//! Where to add what: a new key of a registry file is a field of its `Raw*`
//! struct plus its line in `keys!` (a test fails until both agree), then its
//! check here; a new closed set is one `closed_set!` in `model::domain`, held
//! as `Closed<T>` in the raw struct; a new red-flag condition is a variant
//! of `RedFlagWhen` and of `Condition`, and the compiler then points at the
//! match in `check_rule` and at the evaluation in `assess`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use sha2::{Digest, Sha256};
use toml::value::Datetime;

use crate::diag::{Code, Diagnostic, Loc, Severity, Sources};
use crate::load::{self, Loaded, LoadedVendor, VendorDir};
use crate::model::closed::{Closed, ClosedSet};
use crate::model::defaults::PolicyDefaults;
use crate::model::raw::*;
use crate::model::*;
use crate::parse::{Doc, KeyPath};

pub struct Validated {
    /// `None` when a policy file is missing or unusable.
    pub registry: Option<Registry>,
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
    /// Vendor folders that were read but not assessed, by folder name,
    /// sorted: their files break the data contract (or the policy does).
    pub not_assessed: Vec<String>,
}

pub fn validate(loaded: Loaded) -> Validated {
    let Loaded {
        root,
        sources,
        settings,
        questionnaire,
        tiers,
        kinds,
        vendors,
        mut diagnostics,
    } = loaded;
    let mut d = Diags::default();

    let settings = settings.map(|doc| check_settings(&doc, &mut d));
    let tiers = tiers.map(|doc| check_tiers(&doc, &mut d));
    let questionnaire = match (&questionnaire, &tiers) {
        (Some(doc), Some(t)) => Some(check_questionnaire(doc, t, &mut d)),
        _ => None,
    };
    let kinds = match (&kinds, &tiers) {
        (Some(doc), Some(t)) => Some(check_kinds(doc, t, &mut d)),
        _ => None,
    };
    diagnostics.append(&mut d.0);

    check_slugs(&vendors, &mut diagnostics);

    // Without a valid policy nothing can be checked against it, but every
    // vendor file is still read so its own problems are reported.
    let policy = match (&settings, &questionnaire, &tiers, &kinds) {
        (Some(_), Some(questionnaire), Some(tiers), Some(kinds)) => Some(Policy {
            questionnaire,
            tiers,
            kinds,
        }),
        _ => None,
    };
    let (vendors, not_assessed, sources) =
        read_vendors(&root, vendors, policy.as_ref(), sources, &mut diagnostics);
    crate::diag::sort(&mut diagnostics);

    let (Some(settings), Some(questionnaire), Some(tiers), Some(kinds)) =
        (settings, questionnaire, tiers, kinds)
    else {
        return Validated {
            registry: None,
            sources,
            diagnostics,
            not_assessed,
        };
    };
    Validated {
        registry: Some(Registry {
            root,
            settings,
            questionnaire,
            tiers,
            kinds,
            vendors,
        }),
        sources,
        diagnostics,
        not_assessed,
    }
}

/// Read, parse and (given a policy) check every vendor folder, one parallel
/// task per vendor, so each vendor's parsed documents are dropped as soon as
/// its domain record exists. Returns the vendors fit to assess, sorted by
/// slug, the folder names of those that are not, and `sources` joined with
/// every vendor file's text.
fn read_vendors(
    root: &Path,
    vendors: Vec<VendorDir>,
    policy: Option<&Policy<'_>>,
    sources: Sources,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Vendor>, Vec<String>, Sources) {
    let results: Vec<(Result<Vendor, String>, Sources, Vec<Diagnostic>)> = vendors
        .into_par_iter()
        .map(|v| {
            let slug = v.slug.clone();
            let (loaded, s, mut ds) = load::load_vendor(root, v);
            let Some(policy) = policy else {
                return (Err(slug), s, ds);
            };
            let mut d = Diags::default();
            let vendor = check_vendor(loaded, policy, root, &mut d);
            // A vendor that breaks the data contract is reported, not assessed:
            // assessing half a record would add misleading findings.
            let broken = d.0.iter().any(|x| x.severity == Severity::Error);
            ds.append(&mut d.0);
            (vendor.filter(|_| !broken).ok_or(slug), s, ds)
        })
        .collect();
    let mut parts = Vec::with_capacity(results.len() + 1);
    parts.push(sources);
    let mut out = Vec::with_capacity(results.len());
    let mut skipped = Vec::new();
    for (v, s, ds) in results {
        match v {
            Ok(v) => out.push(v),
            Err(slug) => skipped.push(slug),
        }
        parts.push(s);
        diagnostics.extend(ds);
    }
    out.sort_by(|a, b| a.slug.cmp(&b.slug));
    skipped.sort();
    (out, skipped, Sources::join(parts))
}

#[derive(Default)]
struct Diags(Vec<Diagnostic>);

impl Diags {
    fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
}

struct Policy<'a> {
    questionnaire: &'a Questionnaire,
    tiers: &'a TierPolicy,
    kinds: &'a BTreeMap<String, ArtifactKind>,
}

// -------------------------------------------------------------------- helpers

/// A TOML datetime that must be a plain calendar date.
fn date<T, V>(doc: &Doc<T>, path: &KeyPath<V>, dt: &Datetime, d: &mut Diags) -> Option<Date> {
    let ok = match (dt.date, dt.time, dt.offset) {
        (Some(date), None, None) => {
            Date::new(date.year as i16, date.month as i8, date.day as i8).ok()
        }
        _ => None,
    };
    if ok.is_none() {
        d.push(
            Diagnostic::new(
                Code::ImpossibleDate,
                doc.loc(path),
                format!("`{path}` must be a plain date, not {dt}"),
            )
            .help("write the date as YYYY-MM-DD, unquoted, without a time"),
        );
    }
    ok
}

fn opt_date<T>(
    doc: &Doc<T>,
    path: &KeyPath<Datetime>,
    dt: &Option<Datetime>,
    d: &mut Diags,
) -> Option<Date> {
    dt.as_ref().and_then(|dt| date(doc, path, dt, d))
}

/// The scheme of a link, after removing what browsers ignore (whitespace,
/// control characters) so `java\tscript:` is seen for what it is.
pub fn link_scheme(link: &str) -> Option<String> {
    let cleaned: String = link
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect();
    let end = cleaned.find([':', '/', '?', '#'])?;
    if cleaned.as_bytes()[end] != b':' || end == 0 {
        return None;
    }
    let scheme = &cleaned[..end];
    let valid = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// The schemes of `SafeScheme`, as `link_scheme` gives them.
pub const SAFE_SCHEMES: &[&str] = SafeScheme::VALUES;

/// An absolute link must use a safe scheme. `absolute_required`: relative links are errors too.
fn check_link<T, V>(
    doc: &Doc<T>,
    path: &KeyPath<V>,
    link: &str,
    absolute_required: bool,
    d: &mut Diags,
) -> bool {
    match link_scheme(link) {
        Some(s) if SAFE_SCHEMES.contains(&s.as_str()) => true,
        Some(s) => {
            d.push(
                Diagnostic::new(
                    Code::LinkScheme,
                    doc.loc(path),
                    format!("link uses the `{s}:` scheme"),
                )
                .help("only http, https and mailto links are allowed"),
            );
            false
        }
        None if absolute_required => {
            d.push(
                Diagnostic::new(
                    Code::LinkScheme,
                    doc.loc(path),
                    format!("`{link}` is not an absolute http(s) or mailto link"),
                )
                .help("write the full address, e.g. https://docs.example.org/report.pdf"),
            );
            false
        }
        None => true,
    }
}

fn not_allowed<T, V>(doc: &Doc<T>, path: &KeyPath<V>, value: &str, allowed: &[&str]) -> Diagnostic {
    Diagnostic::new(
        Code::ValueNotAllowed,
        doc.loc(path),
        format!("`{value}` is not allowed for `{path}`"),
    )
    .help(format!("use one of: {}", allowed.join(", ")))
}

fn tier_level<T>(
    doc: &Doc<T>,
    path: &KeyPath<i64>,
    level: i64,
    tiers: &TierPolicy,
    d: &mut Diags,
) -> Option<u8> {
    match u8::try_from(level)
        .ok()
        .filter(|l| tiers.tier(*l).is_some())
    {
        Some(l) => Some(l),
        None => {
            let known: Vec<String> = tiers.tiers.iter().map(|t| t.level.to_string()).collect();
            d.push(
                Diagnostic::new(
                    Code::UnknownReference,
                    doc.loc(path),
                    format!("tier {level} is not defined in tiers.toml"),
                )
                .help(format!("defined tiers: {}", known.join(", "))),
            );
            None
        }
    }
}

fn check_conditions<T>(
    doc: &Doc<T>,
    path: &KeyPath<BTreeMap<String, Vec<String>>>,
    when: &BTreeMap<String, Vec<String>>,
    tiers: &TierPolicy,
    d: &mut Diags,
) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for (factor, values) in when {
        let fpath = path.entry(factor);
        let Some(f) = tiers.factors.iter().find(|f| &f.id == factor) else {
            d.push(
                Diagnostic::new(
                    Code::UnknownReference,
                    doc.key_loc(&fpath),
                    format!("unknown profile factor `{factor}`"),
                )
                .help(format!(
                    "factors in tiers.toml: {}",
                    tiers
                        .factors
                        .iter()
                        .map(|f| f.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
            continue;
        };
        for (i, v) in values.iter().enumerate() {
            if !f.points.iter().any(|(k, _)| k == v) {
                let allowed: Vec<&str> = f.points.iter().map(|(k, _)| k.as_str()).collect();
                d.push(not_allowed(doc, &fpath.item(i), v, &allowed));
            }
        }
        out.push((factor.clone(), values.clone()));
    }
    out
}

// ------------------------------------------------------------------ settings

fn check_settings(doc: &Doc<RawSettings>, d: &mut Diags) -> Settings {
    let raw = &doc.value;
    let defaults = PolicyDefaults::embedded().policy;
    let policy = doc.root().at(RawSettings::POLICY);
    let positive = |key, v: Option<i64>, default: i64, d: &mut Diags| -> i64 {
        let path = policy.at(key);
        match v {
            Some(v) if v < 0 => {
                d.push(
                    Diagnostic::new(
                        Code::InvalidPolicy,
                        doc.loc(&path),
                        format!("`{path}` must not be negative"),
                    )
                    .help("use a number of days or hours, 0 or more"),
                );
                default
            }
            Some(v) => v,
            None => default,
        }
    };
    Settings {
        title: raw.site.title.clone(),
        organisation: raw.site.organisation.clone(),
        description: raw.site.description.clone(),
        theme: raw.site.theme.clone(),
        expiry_warning_days: positive(
            RawPolicy::EXPIRY_WARNING_DAYS,
            raw.policy.expiry_warning_days,
            defaults.expiry_warning_days,
            d,
        ),
        max_breach_notification_hours: positive(
            RawPolicy::MAX_BREACH_NOTIFICATION_HOURS,
            raw.policy.max_breach_notification_hours,
            defaults.max_breach_notification_hours,
            d,
        ),
        exception_warning_days: positive(
            RawPolicy::EXCEPTION_WARNING_DAYS,
            raw.policy.exception_warning_days,
            defaults.exception_warning_days,
            d,
        ),
        review_warning_days: positive(
            RawPolicy::REVIEW_WARNING_DAYS,
            raw.policy.review_warning_days,
            defaults.review_warning_days,
            d,
        ),
    }
}

// --------------------------------------------------------------------- tiers

fn check_tiers(doc: &Doc<RawTiers>, d: &mut Diags) -> TierPolicy {
    let raw = &doc.value;
    let defaults = PolicyDefaults::embedded();
    let default_review_months = check_default_review_months(
        doc,
        raw.review.default_months,
        defaults.review.default_months,
        d,
    );
    let factors: Vec<Factor> = raw
        .factors
        .iter()
        .map(|(id, f)| {
            let mut points: Vec<(String, i64)> =
                f.points.iter().map(|(k, v)| (k.clone(), *v)).collect();
            points.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
            Factor {
                id: id.clone(),
                title: f.title.clone(),
                points,
            }
        })
        .collect();
    let mut tiers: Vec<Tier> = Vec::new();
    for (i, t) in raw.tiers.iter().enumerate() {
        let path = doc.root().at(RawTiers::TIER).item(i);
        let Some(level) = u8::try_from(t.level).ok().filter(|l| *l >= 1) else {
            d.push(
                Diagnostic::new(
                    Code::InvalidPolicy,
                    doc.loc(&path.at(RawTier::LEVEL)),
                    "a tier level is a small positive number",
                )
                .help("number tiers 1, 2, 3, ... with 1 the highest risk"),
            );
            continue;
        };
        if tiers.iter().any(|x| x.level == level) {
            d.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    doc.loc(&path.at(RawTier::LEVEL)),
                    format!("tier {level} is defined twice"),
                )
                .help("give every tier its own level"),
            );
            continue;
        }
        let review_months = t.review_months.unwrap_or(default_review_months);
        if review_months < 1 {
            d.push(
                Diagnostic::new(
                    Code::InvalidPolicy,
                    doc.loc(&path.at(RawTier::REVIEW_MONTHS)),
                    "review_months must be at least 1",
                )
                .help("the reassessment interval in months, e.g. 12"),
            );
        }
        tiers.push(Tier {
            level,
            name: t.name.clone(),
            min_score: t.min_score,
            review_months: review_months.max(1),
            sections: t.sections.clone(),
            description: t.description.clone(),
            require_audit_rights: t.require_audit_rights,
            require_time_bound_remote_access: t.require_time_bound_remote_access,
        });
    }
    tiers.sort_by_key(|t| t.level);
    // Scores map to tiers by min_score: a higher-risk tier needs a higher score.
    for pair in tiers.windows(2) {
        if pair[0].min_score <= pair[1].min_score {
            let i = raw
                .tiers
                .iter()
                .position(|t| t.level == pair[0].level as i64)
                .unwrap_or(0);
            d.push(
                Diagnostic::new(
                    Code::InvalidPolicy,
                    doc.loc(&doc.root().at(RawTiers::TIER).item(i).at(RawTier::MIN_SCORE)),
                    format!(
                        "tier {} must need a higher min_score than tier {}",
                        pair[0].level, pair[1].level
                    ),
                )
                .help("tier 1 is the highest risk: its min_score is the highest"),
            );
        }
    }
    if tiers.is_empty() {
        d.push(
            Diagnostic::new(
                Code::InvalidPolicy,
                Loc::file(&doc.path),
                "tiers.toml defines no tier",
            )
            .help("add [[tier]] tables"),
        );
    }
    let contract = check_contract_policy(doc, &factors, defaults.contract, d);
    let mut policy = TierPolicy {
        factors,
        tiers,
        overrides: Vec::new(),
        default_review_months,
        contract,
    };
    for (i, o) in raw.overrides.iter().enumerate() {
        let path = doc.root().at(RawTiers::OVERRIDE).item(i);
        let when = check_conditions(doc, &path.at(RawOverride::WHEN), &o.when, &policy, d);
        if let Some(tier) = tier_level(doc, &path.at(RawOverride::TIER), o.tier, &policy, d) {
            policy.overrides.push(Override {
                when,
                tier,
                reason: o.reason.clone(),
            });
        }
    }
    policy
}

/// `[review] default_months`: at least one month, like `review_months`.
fn check_default_review_months(
    doc: &Doc<RawTiers>,
    set: Option<i64>,
    default: i64,
    d: &mut Diags,
) -> i64 {
    match set {
        Some(m) if m < 1 => {
            d.push(
                Diagnostic::new(
                    Code::InvalidPolicy,
                    doc.loc(
                        &doc.root()
                            .at(RawTiers::REVIEW)
                            .at(RawReviewPolicy::DEFAULT_MONTHS),
                    ),
                    "review.default_months must be at least 1",
                )
                .help("the reassessment interval in months, e.g. 12"),
            );
            default
        }
        Some(m) => m,
        None => default,
    }
}

/// `[contract]`: each key the file sets replaces its default. A factor the
/// file names must be a factor of this file, and the values it lists values
/// of the rule's factor. Defaults are not checked against the factors: a
/// registry without `phi_access` simply never needs a BAA, as before the
/// keys existed.
fn check_contract_policy(
    doc: &Doc<RawTiers>,
    factors: &[Factor],
    defaults: ContractPolicy,
    d: &mut Diags,
) -> ContractPolicy {
    let raw = &doc.value.contract;
    let (baa, ra) = (&raw.baa, &raw.remote_access);
    let policy = ContractPolicy {
        baa: BaaRule {
            factor: baa.factor.clone().unwrap_or(defaults.baa.factor),
            exempt: baa.exempt.clone().unwrap_or(defaults.baa.exempt),
        },
        remote_access: RemoteAccessRule {
            factor: ra.factor.clone().unwrap_or(defaults.remote_access.factor),
            refused: ra.refused.clone().unwrap_or(defaults.remote_access.refused),
            exempt: ra.exempt.clone().unwrap_or(defaults.remote_access.exempt),
        },
    };
    type Listed<'a> = (KeyPath<Vec<String>>, &'a Option<Vec<String>>);
    let mut check = |factor_path: KeyPath<String>, factor: &str, named: bool, lists: &[Listed]| {
        let Some(f) = factors.iter().find(|f| f.id == factor) else {
            // Only a factor the file names is an error (see above).
            if named {
                d.push(
                    Diagnostic::new(
                        Code::UnknownReference,
                        doc.loc(&factor_path),
                        format!("unknown profile factor `{factor}`"),
                    )
                    .help(format!(
                        "factors in tiers.toml: {}",
                        factors
                            .iter()
                            .map(|f| f.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                );
            }
            return;
        };
        let allowed: Vec<&str> = f.points.iter().map(|(k, _)| k.as_str()).collect();
        for (list_path, values) in lists {
            for (i, v) in values.iter().flatten().enumerate() {
                if !allowed.contains(&v.as_str()) {
                    d.push(not_allowed(doc, &list_path.item(i), v, &allowed));
                }
            }
        }
    };
    let contract = doc.root().at(RawTiers::CONTRACT);
    let baa_path = contract.at(RawContractPolicy::BAA);
    check(
        baa_path.at(RawBaaRule::FACTOR),
        &policy.baa.factor,
        baa.factor.is_some(),
        &[(baa_path.at(RawBaaRule::EXEMPT), &baa.exempt)],
    );
    let ra_path = contract.at(RawContractPolicy::REMOTE_ACCESS);
    check(
        ra_path.at(RawRemoteAccessRule::FACTOR),
        &policy.remote_access.factor,
        ra.factor.is_some(),
        &[
            (ra_path.at(RawRemoteAccessRule::REFUSED), &ra.refused),
            (ra_path.at(RawRemoteAccessRule::EXEMPT), &ra.exempt),
        ],
    );
    policy
}

// ------------------------------------------------------------- questionnaire

fn check_questionnaire(
    doc: &Doc<RawQuestionnaire>,
    tiers: &TierPolicy,
    d: &mut Diags,
) -> Questionnaire {
    let mut sections: Vec<Section> = Vec::new();
    for (si, s) in doc.value.sections.iter().enumerate() {
        let spath = doc.root().at(RawQuestionnaire::SECTION).item(si);
        if sections.iter().any(|x| x.id == s.id) {
            d.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    doc.loc(&spath.at(RawSection::ID)),
                    format!("section `{}` is defined twice", s.id),
                )
                .help("section ids must be unique"),
            );
            continue;
        }
        let mut questions: Vec<Question> = Vec::new();
        for (qi, q) in s.questions.iter().enumerate() {
            let qpath = spath.at(RawSection::QUESTION).item(qi);
            if questions.iter().any(|x| x.id == q.id) {
                d.push(
                    Diagnostic::new(
                        Code::DuplicateId,
                        doc.loc(&qpath.at(RawQuestion::ID)),
                        format!("question `{}.{}` is defined twice", s.id, q.id),
                    )
                    .help("question ids must be unique within a section"),
                );
                continue;
            }
            if let Some(question) = check_question(doc, &qpath, q, tiers, d) {
                questions.push(question);
            }
        }
        sections.push(Section {
            id: s.id.clone(),
            title: s.title.clone(),
            summary: s.summary.clone(),
            questions,
        });
    }
    for (ti, t) in tiers.tiers.iter().enumerate() {
        for (i, s) in t.sections.iter().enumerate() {
            if !sections.iter().any(|x| &x.id == s) {
                // The tier is in tiers.toml but sections live in the questionnaire.
                d.push(
                    Diagnostic::new(
                        Code::UnknownReference,
                        Loc::file(&Arc::from(crate::load::TIERS_FILE)),
                        format!("tier {} requires unknown section `{s}`", t.level),
                    )
                    .help(format!(
                        "{} must name a section id of questionnaire.toml",
                        KeyPath::<RawTiers>::root()
                            .at(RawTiers::TIER)
                            .item(ti)
                            .at(RawTier::SECTIONS)
                            .item(i)
                    )),
                );
            }
        }
    }
    Questionnaire { sections }
}

/// One question: a known type, options exactly where the type takes them,
/// defined tiers, and red-flag rules that fit the type.
fn check_question(
    doc: &Doc<RawQuestionnaire>,
    qpath: &KeyPath<RawQuestion>,
    q: &RawQuestion,
    tiers: &TierPolicy,
    d: &mut Diags,
) -> Option<Question> {
    let kind = match q.kind.known() {
        Ok(kind) => kind,
        Err(text) => {
            d.push(
                Diagnostic::new(
                    Code::ValueNotAllowed,
                    doc.loc(&qpath.at(RawQuestion::TYPE)),
                    format!("unknown question type `{text}`"),
                )
                .help(QuestionType::help()),
            );
            return None;
        }
    };
    let has_options = matches!(kind, QuestionType::Choice | QuestionType::Multi);
    if has_options && q.options.is_empty() {
        d.push(
            Diagnostic::new(
                Code::InvalidPolicy,
                doc.loc(qpath),
                format!("{kind} question `{}` has no options", q.id),
            )
            .help("list the allowed answers in `options`"),
        );
    }
    if !has_options && !q.options.is_empty() {
        d.push(
            Diagnostic::new(
                Code::InvalidPolicy,
                doc.loc(&qpath.at(RawQuestion::OPTIONS)),
                format!("a {kind} question takes no options"),
            )
            .help("only choice and multi questions have options"),
        );
    }
    let required_for = q
        .required_for
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let path = qpath.at(RawQuestion::REQUIRED_FOR).item(i);
            tier_level(doc, &path, *l, tiers, d)
        })
        .collect();
    let red_flags = q
        .red_flags
        .iter()
        .enumerate()
        .filter_map(|(ri, r)| {
            let path = qpath.at(RawQuestion::RED_FLAG).item(ri);
            check_rule(doc, &path, r, kind, &q.options, d)
        })
        .collect();
    Some(Question {
        id: q.id.clone(),
        prompt: q.prompt.clone(),
        kind,
        options: q.options.clone(),
        required_for,
        guidance: q.guidance.clone(),
        unit: q.unit.clone(),
        red_flags,
    })
}

fn check_rule(
    doc: &Doc<RawQuestionnaire>,
    path: &KeyPath<RawRedFlag>,
    r: &RawRedFlag,
    kind: QuestionType,
    options: &[String],
    d: &mut Diags,
) -> Option<RedFlagRule> {
    // A bad severity does not stop the condition from being checked too.
    let severity = match r.severity.as_ref().map(Closed::known) {
        None => Some(Severity::Warning),
        Some(Ok(s)) => Some(s.severity()),
        Some(Err(other)) => {
            d.push(not_allowed(
                doc,
                &path.at(RawRedFlag::SEVERITY),
                other,
                RuleSeverity::VALUES,
            ));
            None
        }
    };
    let bad = |msg: String, d: &mut Diags| {
        d.push(Diagnostic::new(Code::InvalidPolicy, doc.loc(path), msg).help(
            "equals takes a value of the question's type; less_than/greater_than an integer (integer questions); \
             older_than_months an integer (date questions); contains/not_contains an option (multi or list questions); missing no value",
        ));
        None
    };
    let int = r.value.as_ref().and_then(|v| v.as_integer());
    let string = r
        .value
        .as_ref()
        .and_then(|v| v.as_str())
        .map(str::to_string);
    let when = match r.when.known() {
        Ok(when) => when,
        Err(other) => {
            d.push(not_allowed(
                doc,
                &path.at(RawRedFlag::WHEN),
                other,
                RedFlagWhen::VALUES,
            ));
            return None;
        }
    };
    use RedFlagWhen as W;
    let condition = match when {
        W::Missing => Condition::Missing,
        W::Equals => match (&r.value, kind) {
            (Some(toml::Value::Boolean(b)), QuestionType::Bool) => {
                Condition::Equals(Scalar::Bool(*b))
            }
            (Some(toml::Value::Integer(i)), QuestionType::Integer) => {
                Condition::Equals(Scalar::Int(*i))
            }
            (
                Some(toml::Value::String(s)),
                QuestionType::Choice | QuestionType::Text | QuestionType::Url,
            ) => {
                if kind == QuestionType::Choice && !options.contains(s) {
                    return bad(format!("`{s}` is not an option of this question"), d);
                }
                Condition::Equals(Scalar::Str(s.clone()))
            }
            _ => {
                return bad(
                    format!("`equals` needs a value of the question's type ({kind:?})"),
                    d,
                );
            }
        },
        W::LessThan | W::GreaterThan if kind == QuestionType::Integer => match int {
            Some(i) if when == W::LessThan => Condition::LessThan(i),
            Some(i) => Condition::GreaterThan(i),
            None => return bad(format!("`{when}` needs an integer value"), d),
        },
        W::OlderThanMonths if kind == QuestionType::Date => match int {
            Some(i) if i >= 0 => Condition::OlderThanMonths(i),
            _ => return bad("`older_than_months` needs a number of months".into(), d),
        },
        W::Contains | W::NotContains
            if matches!(kind, QuestionType::Multi | QuestionType::List) =>
        {
            match string {
                Some(s) if kind == QuestionType::List || options.contains(&s) => {
                    if when == W::Contains {
                        Condition::Contains(s)
                    } else {
                        Condition::NotContains(s)
                    }
                }
                Some(s) => return bad(format!("`{s}` is not an option of this question"), d),
                None => return bad(format!("`{when}` needs a string value"), d),
            }
        }
        W::LessThan | W::GreaterThan | W::OlderThanMonths | W::Contains | W::NotContains => {
            return bad(format!("`{when}` does not apply to a {kind:?} question"), d);
        }
    };
    Some(RedFlagRule {
        condition,
        severity: severity?,
        message: r.message.clone(),
    })
}

// -------------------------------------------------------------------- kinds

fn check_kinds(
    doc: &Doc<RawArtifactKinds>,
    tiers: &TierPolicy,
    d: &mut Diags,
) -> BTreeMap<String, ArtifactKind> {
    let mut out = BTreeMap::new();
    for (id, k) in &doc.value.kinds {
        let path = doc.root().at(RawArtifactKinds::KIND).entry(id);
        let validity = path.at(RawArtifactKind::VALIDITY);
        let from = match k.validity.from.known() {
            Ok(from) => from,
            Err(other) => {
                d.push(not_allowed(
                    doc,
                    &validity.at(RawValidity::FROM),
                    other,
                    ValidFrom::VALUES,
                ));
                continue;
            }
        };
        if matches!(from, ValidFrom::PeriodEnd | ValidFrom::Issued)
            && k.validity.months.is_none_or(|m| m < 1)
        {
            d.push(
                Diagnostic::new(
                    Code::InvalidPolicy,
                    doc.loc(&validity),
                    format!("kind `{id}` counts validity from a date but has no `months`"),
                )
                .help("add months = N (at least 1)"),
            );
            continue;
        }
        let required_for = k
            .required_for
            .iter()
            .enumerate()
            .filter_map(|(i, l)| {
                let at = path.at(RawArtifactKind::REQUIRED_FOR).item(i);
                tier_level(doc, &at, *l, tiers, d)
            })
            .collect();
        let required_when = check_conditions(
            doc,
            &path.at(RawArtifactKind::REQUIRED_WHEN),
            &k.required_when,
            tiers,
            d,
        );
        let mut accepted = Vec::new();
        for (i, s) in k.accepted_for_status.iter().enumerate() {
            match s.known() {
                Ok(st) => accepted.push(st),
                Err(text) => d.push(not_allowed(
                    doc,
                    &path.at(RawArtifactKind::ACCEPTED_FOR_STATUS).item(i),
                    text,
                    VendorStatus::VALUES,
                )),
            }
        }
        if let Some(sub) = &k.substitutes
            && !doc.value.kinds.contains_key(sub)
        {
            d.push(
                Diagnostic::new(
                    Code::UnknownReference,
                    doc.loc(&path.at(RawArtifactKind::SUBSTITUTES)),
                    format!("kind `{id}` substitutes unknown kind `{sub}`"),
                )
                .help("name another kind of this file"),
            );
        }
        out.insert(
            id.clone(),
            ArtifactKind {
                id: id.clone(),
                title: k.title.clone(),
                description: k.description.clone(),
                validity: validity_rule(from, &k.validity),
                required_for,
                required_when,
                substitutes: k.substitutes.clone(),
                accepted_for_status: accepted,
                version_bound: k.version_bound,
                per_product: k.per_product || k.version_bound,
            },
        );
    }
    out
}

/// The typed rule of a kind whose `from` is known and whose dated kinds have
/// their months (checked above, so the months are there).
fn validity_rule(from: ValidFrom, raw: &RawValidity) -> ValidityRule {
    let months = raw.months.unwrap_or_default();
    match from {
        ValidFrom::PeriodEnd => ValidityRule::PeriodEnd {
            months,
            // Not set: no bridge letter extends the report.
            bridge_max_months: raw.bridge_max_months.unwrap_or_default(),
        },
        ValidFrom::Issued => ValidityRule::Issued {
            months,
            surveillance_months: raw.surveillance_months,
            interim_window_days: raw.interim_window_days,
        },
        ValidFrom::Explicit => ValidityRule::Explicit,
        ValidFrom::None => ValidityRule::None,
    }
}

// -------------------------------------------------------------------- slugs

pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

fn check_slugs(vendors: &[VendorDir], diags: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for v in vendors {
        let loc = Loc::file(&v.dir);
        if !is_valid_slug(&v.slug) {
            diags.push(
                Diagnostic::new(Code::BadSlug, loc.clone(), format!("`{}` is not a valid vendor slug", v.slug))
                    .help("a slug is lowercase a-z, 0-9 and single '-' between words, at most 64 characters, e.g. acme-infusion"),
            );
        }
        let key = v.slug.to_lowercase();
        if let Some(first) = seen.get(&key) {
            diags.push(
                Diagnostic::new(
                    Code::DuplicateSlug,
                    loc,
                    format!(
                        "`{}` is the same slug as `{first}` (slugs ignore case)",
                        v.slug
                    ),
                )
                .help("merge the two folders or rename one"),
            );
        } else {
            seen.insert(key, &v.slug);
        }
    }
}

// ------------------------------------------------------------------- vendors

fn check_vendor(v: LoadedVendor, p: &Policy<'_>, root: &Path, d: &mut Diags) -> Option<Vendor> {
    let LoadedVendor {
        slug,
        dir,
        abs_dir,
        vendor,
        answers,
        artifacts,
        findings,
        exceptions,
        notes,
        ..
    } = v;
    if !is_valid_slug(&slug) {
        return None;
    }
    // Each file is checked even when another failed, so one pull request sees every problem.
    let answers_checked = answers
        .as_ref()
        .map(|doc| check_answers(doc, p.questionnaire, d));
    let findings = findings.map(|doc| check_findings(&doc, d));
    let exceptions = exceptions
        .map(|doc| check_exceptions(&doc, findings.as_deref().unwrap_or_default(), p, d))
        .unwrap_or_default();
    let notes = notes.map(|(rel, src)| {
        check_markdown_links(&rel, &src, d);
        src.text.clone()
    });
    let Some(vdoc) = vendor else {
        if let Some(doc) = &artifacts {
            check_artifacts(doc, None, p, root, &abs_dir, d);
        }
        return None;
    };
    let raw = &vdoc.value;

    // A bad status leaves the vendor out, but the rest of the file is still
    // checked so every error in it is reported at once.
    let status = match raw.status.known() {
        Ok(status) => Some(status),
        Err(text) => {
            let path = vdoc.root().at(RawVendor::STATUS);
            d.push(not_allowed(&vdoc, &path, text, VendorStatus::VALUES));
            None
        }
    };
    check_vendor_links(&vdoc, d);
    let products = check_products(&vdoc, d);
    let profile = check_profile(&vdoc, p.tiers, d);
    let (contract, review) = check_contract_and_review(&vdoc, d);
    let subprocessors = raw
        .subprocessors
        .iter()
        .map(|s| Subprocessor {
            name: s.name.clone(),
            service: s.service.clone(),
            data: s.data.clone(),
            region: s.region.clone(),
        })
        .collect();

    let artifacts_checked = artifacts
        .as_ref()
        .map(|doc| check_artifacts(doc, Some(&products), p, root, &abs_dir, d));
    let (Some(status), Some(adoc), Some(answers), Some(artdoc), Some(artifacts)) = (
        status,
        answers,
        answers_checked,
        artifacts,
        artifacts_checked,
    ) else {
        return None;
    };
    let findings = findings.unwrap_or_default();
    // Without a complete profile the tier cannot be computed; the vendor is
    // reported but left out of assessment.
    let (profile, profile_locs) = profile?;

    let root_path = vdoc.root();
    let contract_path = root_path.at(RawVendor::CONTRACT);
    let review_path = root_path.at(RawVendor::REVIEW);
    let locs = VendorLocs {
        vendor_file: Loc::file(&vdoc.path),
        answers_file: Loc::file(&adoc.path),
        artifacts_file: Loc::file(&artdoc.path),
        profile: profile_locs,
        contract: vdoc.loc(&contract_path),
        review: vdoc.loc(&review_path),
        last_assessed: vdoc.loc_at(&review_path, RawReview::LAST_ASSESSED),
        major_change: vdoc.loc_at(&review_path, RawReview::MAJOR_CHANGE),
        renewal: vdoc.loc_at(&contract_path, RawContract::RENEWAL),
        baa: vdoc.loc_at(&contract_path, RawContract::BAA),
        audit_rights: vdoc.loc_at(&contract_path, RawContract::AUDIT_RIGHTS),
        breach_notification_hours: vdoc
            .loc_at(&contract_path, RawContract::BREACH_NOTIFICATION_HOURS),
    };

    Some(Vendor {
        slug,
        dir,
        name: raw.name.clone(),
        status,
        category: raw.category.clone(),
        owner: raw.owner.clone(),
        description: raw.description.clone(),
        website: raw.website.clone(),
        products,
        subprocessors,
        contacts: Contacts {
            security: raw.contacts.security.clone(),
            account: raw.contacts.account.clone(),
            disclosure: raw.contacts.disclosure.clone(),
        },
        profile,
        contract,
        review,
        answers,
        artifacts,
        findings,
        exceptions,
        notes,
        locs,
    })
}

/// The website and contact links of vendor.toml use safe schemes.
fn check_vendor_links(vdoc: &Doc<RawVendor>, d: &mut Diags) {
    let raw = &vdoc.value;
    let root = vdoc.root();
    if let Some(w) = &raw.website {
        check_link(vdoc, &root.at(RawVendor::WEBSITE), w, true, d);
    }
    let contacts = root.at(RawVendor::CONTACTS);
    for (key, value) in [
        (RawContacts::SECURITY, &raw.contacts.security),
        (RawContacts::ACCOUNT, &raw.contacts.account),
    ] {
        // An e-mail address or phone number is not a link; a scheme makes it one.
        if let Some(c) = value
            && c.contains(':')
        {
            check_link(vdoc, &contacts.at(key), c, true, d);
        }
    }
    if let Some(url) = &raw.contacts.disclosure {
        check_link(vdoc, &contacts.at(RawContacts::DISCLOSURE), url, true, d);
    }
}

/// The products of vendor.toml, each named once (case-insensitively).
fn check_products(vdoc: &Doc<RawVendor>, d: &mut Diags) -> Vec<Product> {
    let mut products: Vec<Product> = Vec::new();
    for (i, pr) in vdoc.value.products.iter().enumerate() {
        let path = vdoc.root().at(RawVendor::PRODUCT).item(i);
        if products
            .iter()
            .any(|x| x.name.eq_ignore_ascii_case(&pr.name))
        {
            d.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    vdoc.loc(&path.at(RawProduct::NAME)),
                    format!("product `{}` is listed twice", pr.name),
                )
                .help("list each product once, with the version in use"),
            );
            continue;
        }
        let eos = path.at(RawProduct::END_OF_SUPPORT);
        products.push(Product {
            name: pr.name.clone(),
            version: pr.version.clone(),
            end_of_support: opt_date(vdoc, &eos, &pr.end_of_support, d),
            description: pr.description.clone(),
            loc: vdoc.loc(&path),
            end_of_support_loc: vdoc.loc(&eos),
        });
    }
    products
}

/// A checked profile: factor id -> value, and where each value is written.
type Profile = (BTreeMap<String, String>, BTreeMap<String, Loc>);

/// The profile must give every factor of tiers.toml one of its values.
/// `None` (after reporting why) when it does not.
fn check_profile(vdoc: &Doc<RawVendor>, tiers: &TierPolicy, d: &mut Diags) -> Option<Profile> {
    let raw = &vdoc.value;
    let profile_path = vdoc.root().at(RawVendor::PROFILE);
    let mut profile = BTreeMap::new();
    let mut profile_locs = BTreeMap::new();
    let mut profile_ok = true;
    for (key, value) in &raw.profile {
        let path = profile_path.entry(key);
        match tiers.factors.iter().find(|f| &f.id == key) {
            None => {
                profile_ok = false;
                d.push(
                    Diagnostic::new(
                        Code::UnknownKey,
                        vdoc.key_loc(&path),
                        format!("unknown profile factor `{key}`"),
                    )
                    .help(format!(
                        "factors in tiers.toml: {}",
                        tiers
                            .factors
                            .iter()
                            .map(|f| f.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                );
            }
            Some(f) if !f.points.iter().any(|(k, _)| k == value) => {
                profile_ok = false;
                let allowed: Vec<&str> = f.points.iter().map(|(k, _)| k.as_str()).collect();
                d.push(not_allowed(vdoc, &path, value, &allowed));
            }
            Some(_) => {
                profile.insert(key.clone(), value.clone());
                profile_locs.insert(key.clone(), vdoc.loc(&path));
            }
        }
    }
    for f in &tiers.factors {
        if !raw.profile.contains_key(&f.id) {
            profile_ok = false;
            d.push(
                Diagnostic::new(
                    Code::MissingKey,
                    vdoc.loc(&profile_path),
                    format!("profile has no `{}`", f.id),
                )
                .help(format!(
                    "add {} = one of: {}",
                    f.id,
                    f.points
                        .iter()
                        .map(|(k, _)| k.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
    }
    profile_ok.then_some((profile, profile_locs))
}

/// The contract's and the review's dates, and a breach-notification delay that is not negative.
fn check_contract_and_review(vdoc: &Doc<RawVendor>, d: &mut Diags) -> (Option<Contract>, Review) {
    let raw = &vdoc.value;
    let cpath = vdoc.root().at(RawVendor::CONTRACT);
    let contract = raw.contract.as_ref().map(|c| Contract {
        signed: opt_date(vdoc, &cpath.at(RawContract::SIGNED), &c.signed, d),
        renewal: opt_date(vdoc, &cpath.at(RawContract::RENEWAL), &c.renewal, d),
        baa: c.baa,
        audit_rights: c.audit_rights,
        breach_notification_hours: c.breach_notification_hours,
        secure_remote_access: c.secure_remote_access,
    });
    if let Some(h) = contract.as_ref().and_then(|c| c.breach_notification_hours)
        && h < 0
    {
        let path = cpath.at(RawContract::BREACH_NOTIFICATION_HOURS);
        d.push(
            Diagnostic::new(Code::WrongType, vdoc.loc(&path), "breach notification hours cannot be negative")
                .help("the number of hours after a confirmed incident within which the vendor must notify you"),
        );
    }
    let rpath = vdoc.root().at(RawVendor::REVIEW);
    let review = raw
        .review
        .as_ref()
        .map(|r| Review {
            last_assessed: opt_date(
                vdoc,
                &rpath.at(RawReview::LAST_ASSESSED),
                &r.last_assessed,
                d,
            ),
            assessor: r.assessor.clone(),
            major_change: opt_date(vdoc, &rpath.at(RawReview::MAJOR_CHANGE), &r.major_change, d),
        })
        .unwrap_or_default();
    (contract, review)
}

fn check_answers(
    doc: &Doc<RawAnswers>,
    q: &Questionnaire,
    d: &mut Diags,
) -> BTreeMap<String, BTreeMap<String, Answer>> {
    let mut out = BTreeMap::new();
    let root = doc.root();
    for (sid, answers) in &doc.value {
        let spath = root.entry(sid);
        let Some(section) = q.section(sid) else {
            let known: Vec<&str> = q.sections.iter().map(|s| s.id.as_str()).collect();
            d.push(
                Diagnostic::new(
                    Code::UnknownQuestion,
                    doc.key_loc(&spath),
                    format!("the questionnaire has no section `{sid}`"),
                )
                .help(format!("sections: {}", known.join(", "))),
            );
            continue;
        };
        let mut sec = BTreeMap::new();
        for (qid, value) in answers {
            let path = spath.entry(qid);
            let Some(question) = section.questions.iter().find(|x| &x.id == qid) else {
                let known: Vec<&str> = section.questions.iter().map(|x| x.id.as_str()).collect();
                d.push(
                    Diagnostic::new(
                        Code::UnknownQuestion,
                        doc.key_loc(&path),
                        format!("section `{sid}` has no question `{qid}`"),
                    )
                    .help(format!("questions in `{sid}`: {}", known.join(", "))),
                );
                continue;
            };
            if let Some(v) = check_answer(doc, &path, value, question, d) {
                sec.insert(
                    qid.clone(),
                    Answer {
                        value: v,
                        loc: doc.loc(&path),
                    },
                );
            }
        }
        out.insert(sid.clone(), sec);
    }
    out
}

fn check_answer(
    doc: &Doc<RawAnswers>,
    path: &KeyPath<toml::Value>,
    value: &toml::Value,
    q: &Question,
    d: &mut Diags,
) -> Option<AnswerValue> {
    let mismatch = |expected: &str, d: &mut Diags| {
        d.push(
            Diagnostic::new(
                Code::AnswerType,
                doc.loc(path),
                format!("`{path}` expects {expected}, found {}", value.type_str()),
            )
            .help(format!("the question asks: {}", q.prompt)),
        );
        None
    };
    let option = |s: &str, at: &KeyPath<toml::Value>, d: &mut Diags| -> bool {
        if q.options.iter().any(|o| o == s) {
            true
        } else {
            d.push(
                Diagnostic::new(
                    Code::OutsideOptions,
                    doc.loc(at),
                    format!("`{s}` is not an option of `{path}`"),
                )
                .help(format!("options: {}", q.options.join(", "))),
            );
            false
        }
    };
    match q.kind {
        QuestionType::Bool => match value {
            toml::Value::Boolean(b) => Some(AnswerValue::Bool(*b)),
            _ => mismatch("true or false", d),
        },
        QuestionType::Integer => match value {
            toml::Value::Integer(i) => Some(AnswerValue::Integer(*i)),
            _ => mismatch("an integer", d),
        },
        QuestionType::Date => match value {
            toml::Value::Datetime(dt) => date(doc, path, dt, d).map(AnswerValue::Date),
            _ => mismatch("a date (YYYY-MM-DD, unquoted)", d),
        },
        QuestionType::Text => match value {
            toml::Value::String(s) => Some(AnswerValue::Text(s.clone())),
            _ => mismatch("a string", d),
        },
        QuestionType::Url => match value {
            toml::Value::String(s) => {
                check_link(doc, path, s, true, d).then(|| AnswerValue::Text(s.clone()))
            }
            _ => mismatch("a link in quotes", d),
        },
        QuestionType::Choice => match value {
            toml::Value::String(s) => option(s, path, d).then(|| AnswerValue::Text(s.clone())),
            _ => mismatch("one of the options, in quotes", d),
        },
        QuestionType::Multi | QuestionType::List => {
            let toml::Value::Array(items) = value else {
                return mismatch("a list of strings in [ ]", d);
            };
            let mut out = Vec::new();
            let mut ok = true;
            for (i, item) in items.iter().enumerate() {
                let at = path.item(i);
                match item.as_str() {
                    Some(s) if q.kind == QuestionType::List || option(s, &at, d) => {
                        out.push(s.to_string())
                    }
                    Some(_) => ok = false,
                    None => {
                        d.push(
                            Diagnostic::new(
                                Code::AnswerType,
                                doc.loc(&at),
                                format!(
                                    "list items of `{path}` are strings, found {}",
                                    item.type_str()
                                ),
                            )
                            .help("put each item in quotes"),
                        );
                        ok = false;
                    }
                }
            }
            ok.then_some(AnswerValue::List(out))
        }
    }
}

/// What a vendor's artifacts are checked against.
struct ArtifactScope<'a> {
    /// `None` when vendor.toml could not be read: `covers` is then unchecked.
    products: Option<&'a [Product]>,
    policy: &'a Policy<'a>,
    root: &'a Path,
    abs_dir: &'a Path,
}

fn check_artifacts(
    doc: &Doc<RawArtifacts>,
    products: Option<&[Product]>,
    p: &Policy<'_>,
    root: &Path,
    abs_dir: &Path,
    d: &mut Diags,
) -> Vec<Artifact> {
    let scope = ArtifactScope {
        products,
        policy: p,
        root,
        abs_dir,
    };
    doc.value
        .artifacts
        .iter()
        .enumerate()
        .filter_map(|(i, a)| check_artifact(doc, i, a, &scope, d))
        .collect()
}

/// One artifact: a known kind, covered products of this vendor, a version
/// where the kind is version-bound, safe links and files, plain dates.
fn check_artifact(
    doc: &Doc<RawArtifacts>,
    i: usize,
    a: &RawArtifact,
    scope: &ArtifactScope<'_>,
    d: &mut Diags,
) -> Option<Artifact> {
    let path = doc.root().at(RawArtifacts::ARTIFACT).item(i);
    let kinds = scope.policy.kinds;
    let Some(kind) = kinds.get(&a.kind) else {
        d.push(
            Diagnostic::new(
                Code::UnknownReference,
                doc.loc(&path.at(RawArtifact::KIND)),
                format!("unknown artifact kind `{}`", a.kind),
            )
            .help(format!(
                "kinds in artifact-kinds.toml: {}",
                kinds
                    .keys()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        );
        return None;
    };
    let mut ok = check_covers(doc, &path, a, scope.products, d);
    if kind.version_bound && a.version.is_none() {
        ok = false;
        d.push(
            Diagnostic::new(
                Code::MissingKey,
                doc.loc(&path),
                format!(
                    "a {} artifact must say which product version it describes",
                    kind.title
                ),
            )
            .help("add version = \"x.y.z\" and covers = [\"Product\"]"),
        );
    }
    if let Some(link) = &a.link {
        ok &= check_link(doc, &path.at(RawArtifact::LINK), link, true, d);
    }
    if let Some(file) = &a.file {
        ok &= check_file_ref(
            doc,
            &path.at(RawArtifact::FILE),
            file,
            a.sha256.as_deref(),
            scope.root,
            scope.abs_dir,
            d,
        );
    }
    if let Some(sha) = &a.sha256
        && (sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        ok = false;
        d.push(
            Diagnostic::new(
                Code::WrongType,
                doc.loc(&path.at(RawArtifact::SHA256)),
                "sha256 must be 64 hexadecimal digits",
            )
            .help("compute it with `sha256sum FILE`"),
        );
    }
    let dates = [
        (RawArtifact::ISSUED, &a.issued),
        (RawArtifact::PERIOD_END, &a.period_end),
        (RawArtifact::EXPIRES, &a.expires),
        (RawArtifact::BRIDGE_UNTIL, &a.bridge_until),
        (RawArtifact::LAST_SURVEILLANCE, &a.last_surveillance),
        (RawArtifact::INTERIM_COMPLETED, &a.interim_completed),
    ];
    let mut parsed = [None; 6];
    for (j, (key, v)) in dates.into_iter().enumerate() {
        if let Some(dt) = v {
            parsed[j] = date(doc, &path.at(key), dt, d);
            ok &= parsed[j].is_some();
        }
    }
    if !ok {
        return None;
    }
    Some(Artifact {
        index: i,
        kind: a.kind.clone(),
        title: a.title.clone(),
        issued: parsed[0],
        period_end: parsed[1],
        expires: parsed[2],
        scope: a.scope.clone(),
        covers: a.covers.clone(),
        version: a.version.clone(),
        link: a.link.clone(),
        file: a.file.clone(),
        sha256: a.sha256.clone(),
        bridge_until: parsed[3],
        last_surveillance: parsed[4],
        interim_completed: parsed[5],
        notes: a.notes.clone(),
        loc: doc.loc(&path),
        field_locs: artifact_field_locs(doc, &path),
    })
}

/// Every product an artifact covers is a product of vendor.toml.
fn check_covers(
    doc: &Doc<RawArtifacts>,
    path: &KeyPath<RawArtifact>,
    a: &RawArtifact,
    products: Option<&[Product]>,
    d: &mut Diags,
) -> bool {
    let Some(products) = products else {
        return true;
    };
    let mut ok = true;
    for (ci, c) in a.covers.iter().enumerate() {
        if !products.iter().any(|pr| &pr.name == c) {
            ok = false;
            d.push(
                Diagnostic::new(
                    Code::UnknownReference,
                    doc.loc(&path.at(RawArtifact::COVERS).item(ci)),
                    format!("`{c}` is not a product of this vendor"),
                )
                .help(format!(
                    "products in vendor.toml: {}",
                    if products.is_empty() {
                        "none".into()
                    } else {
                        products
                            .iter()
                            .map(|p| p.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                )),
            );
        }
    }
    ok
}

/// Where each field that assessment may point at is written, for the fields
/// the artifact has.
fn artifact_field_locs(
    doc: &Doc<RawArtifacts>,
    path: &KeyPath<RawArtifact>,
) -> Vec<(ArtifactField, Loc)> {
    use ArtifactField as F;
    let mut field_locs = Vec::with_capacity(8);
    for field in ArtifactField::ALL {
        let loc = match field {
            F::Kind => doc.value_loc_at(path, RawArtifact::KIND),
            F::Issued => doc.value_loc_at(path, RawArtifact::ISSUED),
            F::PeriodEnd => doc.value_loc_at(path, RawArtifact::PERIOD_END),
            F::Expires => doc.value_loc_at(path, RawArtifact::EXPIRES),
            F::Covers => doc.value_loc_at(path, RawArtifact::COVERS),
            F::Version => doc.value_loc_at(path, RawArtifact::VERSION),
            F::BridgeUntil => doc.value_loc_at(path, RawArtifact::BRIDGE_UNTIL),
            F::LastSurveillance => doc.value_loc_at(path, RawArtifact::LAST_SURVEILLANCE),
            F::InterimCompleted => doc.value_loc_at(path, RawArtifact::INTERIM_COMPLETED),
            F::Link => doc.value_loc_at(path, RawArtifact::LINK),
            F::File => doc.value_loc_at(path, RawArtifact::FILE),
        };
        if let Some(loc) = loc {
            field_locs.push((*field, loc));
        }
    }
    field_locs
}

/// A `file =` reference must stay inside the vendor folder, exist, and match its sha256.
fn check_file_ref<T>(
    doc: &Doc<T>,
    path: &KeyPath<String>,
    file: &str,
    sha256: Option<&str>,
    root: &Path,
    abs_dir: &Path,
    d: &mut Diags,
) -> bool {
    let p = Path::new(file);
    let escapes = file.is_empty()
        || p.is_absolute()
        || file.starts_with(['/', '\\'])
        || file.contains(':')
        || p.components().any(|c| {
            !matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )
        })
        || file.split(['/', '\\']).any(|seg| seg == "..");
    if escapes {
        d.push(
            Diagnostic::new(Code::PathEscapes, doc.loc(path), format!("`{file}` points outside the vendor folder"))
                .help("give a relative path inside the vendor folder, e.g. evidence/soc2-2025.pdf, without `..`"),
        );
        return false;
    }
    let abs = abs_dir.join(p);
    if abs.symlink_metadata().is_err() {
        d.push(
            Diagnostic::new(Code::FileNotFound, doc.loc(path), format!("`{file}` does not exist in the vendor folder"))
                .help("add the file in the same pull request, or use `link` for evidence stored elsewhere"),
        );
        return false;
    }
    // Symlinks anywhere on the way must resolve inside the vendor folder.
    let inside = match (abs_dir.canonicalize(), abs.canonicalize()) {
        (Ok(base), Ok(target)) => {
            target.starts_with(base) && target.starts_with(root.canonicalize().unwrap_or_default())
        }
        _ => false,
    };
    if !inside {
        d.push(
            Diagnostic::new(
                Code::PathEscapes,
                doc.loc(path),
                format!("`{file}` is a symbolic link that resolves outside the vendor folder"),
            )
            .help("commit the file itself instead of a link"),
        );
        return false;
    }
    if let Some(expected) = sha256 {
        match hash_file(&abs) {
            Ok(actual) => {
                if !actual.eq_ignore_ascii_case(expected) {
                    d.push(
                        Diagnostic::new(
                            Code::ChecksumMismatch,
                            doc.loc(path),
                            format!("`{file}` has sha256 {actual}, the registry says {expected}"),
                        )
                        .help("the evidence file changed; check it and update sha256"),
                    );
                    return false;
                }
            }
            Err(e) => {
                d.push(Diagnostic::new(
                    Code::Unreadable,
                    doc.loc(path),
                    format!("cannot read `{file}`: {e}"),
                ));
                return false;
            }
        }
    }
    true
}

/// The sha256 of a regular file, read in blocks: evidence can be large, and
/// a pipe or device must never be read (see `parse::open_regular`).
fn hash_file(abs: &Path) -> std::io::Result<String> {
    use std::io::Read as _;
    let (mut file, _) = crate::parse::open_regular(abs)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0; 1 << 16];
    loop {
        match file.read(&mut buf)? {
            0 => break,
            n => hasher.update(&buf[..n]),
        }
    }
    Ok(format!("{:x}", hasher.finalize()))
}

fn check_findings(doc: &Doc<RawFindings>, d: &mut Diags) -> Vec<Finding> {
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
            due_loc: doc.loc_at(&path, RawFinding::DUE),
        });
    }
    out
}

fn check_exceptions(
    doc: &Doc<RawExceptions>,
    findings: &[Finding],
    p: &Policy<'_>,
    d: &mut Diags,
) -> Vec<Exception> {
    let mut out = Vec::new();
    let mut ids = BTreeSet::new();
    for (i, e) in doc.value.exceptions.iter().enumerate() {
        let path = doc.root().at(RawExceptions::EXCEPTION).item(i);
        if !ids.insert(e.id.clone()) {
            d.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    doc.loc(&path.at(RawException::ID)),
                    format!("exception `{}` is listed twice", e.id),
                )
                .help("give every exception its own id"),
            );
            continue;
        }
        let apath = path.at(RawException::ACCEPTS);
        let Some(accepts) = parse_accepts(&e.accepts) else {
            d.push(
                Diagnostic::new(Code::ValueNotAllowed, doc.loc(&apath), format!("cannot read what `{}` accepts", e.accepts))
                    .help("write finding:<id>, red-flag:<section>.<question>, question:<section>.<question> or artifact:<kind>"),
            );
            continue;
        };
        let exists = match &accepts {
            Accepts::Finding(id) => findings.iter().any(|f| &f.id == id),
            Accepts::RedFlag { section, question } | Accepts::Question { section, question } => {
                p.questionnaire.question(section, question).is_some()
            }
            Accepts::Artifact(kind) => p.kinds.contains_key(kind),
        };
        if !exists {
            d.push(
                Diagnostic::new(Code::UnknownReference, doc.loc(&apath), format!("exception accepts `{}`, which does not exist", e.accepts))
                    .help("point at a finding of findings.toml, a question of the questionnaire or an artifact kind"),
            );
            continue;
        }
        if e.reason.trim().is_empty() || e.approver.trim().is_empty() {
            d.push(
                Diagnostic::new(
                    Code::MissingKey,
                    doc.loc(&path),
                    "an exception needs a reason and an approver",
                )
                .help("write who accepted the risk and why"),
            );
            continue;
        }
        let (Some(approved), Some(expires)) = (
            date(doc, &path.at(RawException::APPROVED), &e.approved, d),
            date(doc, &path.at(RawException::EXPIRES), &e.expires, d),
        ) else {
            continue;
        };
        out.push(Exception {
            id: e.id.clone(),
            accepts,
            reason: e.reason.clone(),
            approver: e.approver.clone(),
            approved,
            expires,
            compensating_controls: e.compensating_controls.clone(),
            loc: doc.loc(&path),
            expires_loc: doc.loc_at(&path, RawException::EXPIRES),
        });
    }
    out
}

fn parse_accepts(s: &str) -> Option<Accepts> {
    let (kind, target) = s.split_once(':')?;
    let kind = AcceptsKind::parse(kind)?;
    let pair = || {
        let (a, b) = target.split_once('.')?;
        (!a.is_empty() && !b.is_empty()).then(|| (a.to_string(), b.to_string()))
    };
    Some(match kind {
        AcceptsKind::Finding if !target.is_empty() => Accepts::Finding(target.to_string()),
        AcceptsKind::Artifact if !target.is_empty() => Accepts::Artifact(target.to_string()),
        AcceptsKind::Finding | AcceptsKind::Artifact => return None,
        AcceptsKind::RedFlag => {
            let (section, question) = pair()?;
            Accepts::RedFlag { section, question }
        }
        AcceptsKind::Question => {
            let (section, question) = pair()?;
            Accepts::Question { section, question }
        }
    })
}

/// Links in notes.md with a scheme other than http, https or mailto are
/// reported here; the renderer drops them too.
fn check_markdown_links(rel: &Arc<str>, src: &crate::diag::SourceText, d: &mut Diags) {
    use pulldown_cmark::{Event, Parser, Tag};
    for (event, range) in Parser::new(&src.text).into_offset_iter() {
        let dest = match &event {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => dest_url.to_string(),
            _ => continue,
        };
        if let Some(s) = link_scheme(&dest)
            && !SAFE_SCHEMES.contains(&s.as_str())
        {
            d.push(
                Diagnostic::new(
                    Code::LinkScheme,
                    src.loc(rel, range),
                    format!("link uses the `{s}:` scheme"),
                )
                .help("only http, https and mailto links are allowed; the site drops this link"),
            );
        }
    }
}

/// The tier policy of a tiers.toml text, or `None` when it does not parse.
/// History uses it to compute a vendor's tier as it stood at each commit.
pub fn tier_policy_from_text(text: &str) -> Option<TierPolicy> {
    let rel: Arc<str> = crate::load::TIERS_FILE.into();
    let doc = crate::parse::parse_toml::<RawTiers>(&rel, crate::diag::SourceText::new(text.into()))
        .ok()?;
    let mut d = Diags::default();
    let policy = check_tiers(&doc, &mut d);
    d.0.iter()
        .all(|x| x.severity != Severity::Error)
        .then_some(policy)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc<T: serde::de::DeserializeOwned>(name: &str, text: &str) -> Doc<T> {
        let rel: Arc<str> = name.into();
        crate::parse::parse_toml::<T>(&rel, crate::diag::SourceText::new(text.into()))
            .unwrap_or_else(|e| panic!("{name}: {e:#?}"))
    }

    /// Code, line, column and message of each diagnostic, sorted.
    fn found(d: Diags) -> Vec<(&'static str, u32, u32, String)> {
        let mut v: Vec<_> =
            d.0.into_iter()
                .map(|x| (x.code, x.loc.line, x.loc.column, x.message))
                .collect();
        v.sort();
        v
    }

    const TIERS: &str = r#"
[factor.phi_access]
title = "PHI access"
points = { none = 0, full = 3 }

[[tier]]
level = 1
name = "High"
min_score = 3
review_months = 12
sections = ["s"]

[[tier]]
level = 2
name = "Low"
min_score = 0
review_months = 24
sections = []
"#;

    fn tiers() -> TierPolicy {
        let mut d = Diags::default();
        let t = check_tiers(&doc("tiers.toml", TIERS), &mut d);
        assert!(d.0.is_empty(), "{:#?}", d.0);
        t
    }

    fn questionnaire(question: &str) -> (Questionnaire, Vec<(&'static str, u32, u32, String)>) {
        let text = format!(
            "[[section]]\nid = \"s\"\ntitle = \"S\"\n\n[[section.question]]\nid = \"q\"\nprompt = \"Q?\"\nguidance = \"g\"\n{question}"
        );
        let mut d = Diags::default();
        let q = check_questionnaire(&doc("questionnaire.toml", &text), &tiers(), &mut d);
        (q, found(d))
    }

    #[test]
    fn link_schemes_are_read_as_a_browser_reads_them() {
        assert_eq!(link_scheme("https://x.example").as_deref(), Some("https"));
        assert_eq!(
            link_scheme("java\tscript:alert(1)").as_deref(),
            Some("javascript")
        );
        assert_eq!(link_scheme(" JavaScript:x").as_deref(), Some("javascript"));
        assert_eq!(link_scheme("evidence/report.pdf"), None);
        assert_eq!(
            link_scheme("a/b:c"),
            None,
            "a colon after a slash is a path"
        );
        assert_eq!(link_scheme(":nothing"), None);
    }

    #[test]
    fn slugs_are_lowercase_words_joined_by_single_hyphens() {
        for ok in ["acme", "acme-infusion", "a1-b2", &"a".repeat(64)] {
            assert!(is_valid_slug(ok), "{ok}");
        }
        for bad in [
            "",
            "Acme",
            "acme infusion",
            "-acme",
            "acme-",
            "a--b",
            &"a".repeat(65),
            "ä",
        ] {
            assert!(!is_valid_slug(bad), "{bad}");
        }
    }

    #[test]
    fn accepts_names_one_kind_of_thing_and_its_target() {
        assert_eq!(
            parse_accepts("finding:F-1"),
            Some(Accepts::Finding("F-1".into()))
        );
        assert_eq!(
            parse_accepts("artifact:soc2"),
            Some(Accepts::Artifact("soc2".into()))
        );
        assert_eq!(
            parse_accepts("red-flag:s.q"),
            Some(Accepts::RedFlag {
                section: "s".into(),
                question: "q".into()
            })
        );
        assert_eq!(
            parse_accepts("question:s.q"),
            Some(Accepts::Question {
                section: "s".into(),
                question: "q".into()
            })
        );
        for bad in [
            "finding:",
            "artifact:",
            "red-flag:s",
            "question:.q",
            "risk:x",
            "finding",
        ] {
            assert_eq!(parse_accepts(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_red_flag_rule_becomes_its_typed_condition() {
        let (q, diags) = questionnaire(
            "type = \"integer\"\n\n[[section.question.red_flag]]\nwhen = \"greater_than\"\nvalue = 72\nseverity = \"error\"\nmessage = \"slow\"\n",
        );
        assert!(diags.is_empty(), "{diags:#?}");
        let rule = &q.question("s", "q").unwrap().red_flags[0];
        assert_eq!(rule.condition, Condition::GreaterThan(72));
        assert_eq!(rule.severity, Severity::Error);
    }

    #[test]
    fn a_condition_outside_the_set_is_reported_at_its_value_with_the_allowed_values() {
        let (q, diags) = questionnaire(
            "type = \"bool\"\n\n[[section.question.red_flag]]\nwhen = \"sometimes\"\nmessage = \"m\"\n",
        );
        assert_eq!(
            diags,
            [(
                "E0106",
                12,
                8,
                "`sometimes` is not allowed for `section[0].question[0].red_flag[0].when`".into()
            )]
        );
        assert!(q.question("s", "q").unwrap().red_flags.is_empty());
    }

    #[test]
    fn a_condition_that_does_not_fit_the_question_type_is_a_policy_error() {
        let (_, diags) = questionnaire(
            "type = \"bool\"\n\n[[section.question.red_flag]]\nwhen = \"less_than\"\nvalue = 3\nmessage = \"m\"\n",
        );
        assert_eq!(
            diags,
            [(
                "E0501",
                11,
                1,
                "`less_than` does not apply to a Bool question".into()
            )]
        );
    }

    #[test]
    fn a_rule_with_a_bad_severity_and_a_bad_condition_reports_both() {
        let (q, diags) = questionnaire(
            "type = \"bool\"\n\n[[section.question.red_flag]]\nwhen = \"sometimes\"\nseverity = \"fatal\"\nmessage = \"m\"\n",
        );
        assert_eq!(
            diags,
            [
                (
                    "E0106",
                    12,
                    8,
                    "`sometimes` is not allowed for `section[0].question[0].red_flag[0].when`"
                        .into()
                ),
                (
                    "E0106",
                    13,
                    12,
                    "`fatal` is not allowed for `section[0].question[0].red_flag[0].severity`"
                        .into()
                ),
            ]
        );
        assert!(q.question("s", "q").unwrap().red_flags.is_empty());
    }

    #[test]
    fn an_unknown_question_type_names_the_types() {
        let mut d = Diags::default();
        let text = "[[section]]\nid = \"s\"\ntitle = \"S\"\n[[section.question]]\nid = \"q\"\nprompt = \"Q?\"\nguidance = \"g\"\ntype = \"yes-no\"\n";
        check_questionnaire(&doc("questionnaire.toml", text), &tiers(), &mut d);
        let help = d.0[0].help.clone().unwrap();
        assert_eq!(
            found(d),
            [("E0106", 8, 8, "unknown question type `yes-no`".into())]
        );
        assert_eq!(
            help,
            "use one of: bool, choice, multi, integer, date, text, url, list"
        );
    }

    #[test]
    fn tiers_must_need_higher_scores_for_higher_risk() {
        let mut d = Diags::default();
        let text = TIERS.replace("min_score = 0", "min_score = 5");
        check_tiers(&doc("tiers.toml", &text), &mut d);
        assert_eq!(
            found(d),
            [(
                "E0501",
                9,
                13,
                "tier 1 must need a higher min_score than tier 2".into()
            )]
        );
    }

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

    #[test]
    fn a_profile_needs_every_factor_with_one_of_its_values() {
        let text = "name = \"n\"\nstatus = \"active\"\ncategory = \"c\"\nowner = \"o\"\n\n[profile]\nhosting = \"cloud\"\n";
        let vdoc = doc::<RawVendor>("vendor.toml", text);
        let mut d = Diags::default();
        assert!(check_profile(&vdoc, &tiers(), &mut d).is_none());
        assert_eq!(
            found(d),
            [
                ("E0102", 7, 1, "unknown profile factor `hosting`".into()),
                ("E0104", 6, 1, "profile has no `phi_access`".into()),
            ]
        );
        let good = text.replace("hosting = \"cloud\"", "phi_access = \"full\"");
        let vdoc = doc::<RawVendor>("vendor.toml", &good);
        let mut d = Diags::default();
        let (profile, locs) = check_profile(&vdoc, &tiers(), &mut d).unwrap();
        assert_eq!(profile["phi_access"], "full");
        assert_eq!(
            (locs["phi_access"].line, locs["phi_access"].column),
            (7, 14)
        );
    }

    #[test]
    fn artifact_fields_are_located_where_they_are_written() {
        let text = "[[artifact]]\nkind = \"soc2\"\ntitle = \"t\"\nperiod_end = 2025-06-30\ncovers = [\"P\"]\n";
        let adoc = doc::<RawArtifacts>("artifacts.toml", text);
        let path = adoc.root().at(RawArtifacts::ARTIFACT).item(0);
        let locs = artifact_field_locs(&adoc, &path);
        let at = |f: ArtifactField| {
            locs.iter()
                .find(|(x, _)| *x == f)
                .map(|(_, l)| (l.line, l.column))
        };
        assert_eq!(at(ArtifactField::Kind), Some((2, 8)));
        assert_eq!(at(ArtifactField::PeriodEnd), Some((4, 14)));
        assert_eq!(at(ArtifactField::Covers), Some((5, 10)));
        assert_eq!(at(ArtifactField::Expires), None);
    }

    #[test]
    fn a_dated_validity_needs_months() {
        let text = "[kind.soc2]\ntitle = \"SOC 2\"\nvalidity = { from = \"period_end\" }\n\n[kind.pen]\ntitle = \"Pen test\"\nvalidity = { from = \"whenever\" }\naccepted_for_status = [\"active\", \"gone\"]\n";
        let mut d = Diags::default();
        let kinds = check_kinds(&doc("artifact-kinds.toml", text), &tiers(), &mut d);
        assert!(kinds.is_empty());
        assert_eq!(
            found(d),
            [
                (
                    "E0106",
                    7,
                    21,
                    "`whenever` is not allowed for `kind.pen.validity.from`".into()
                ),
                (
                    "E0501",
                    3,
                    12,
                    "kind `soc2` counts validity from a date but has no `months`".into()
                ),
            ]
        );
    }
}
