//! Validate stage: raw documents in, checked `Registry` plus diagnostics out.
//!
//! Policy files (questionnaire, tiers, artifact kinds) are checked first, then
//! every vendor in parallel against them. An item with an error is left out of
//! the registry (and reported); later stages never re-check.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use sha2::{Digest, Sha256};
use toml::value::Datetime;

use crate::diag::{Code, Diagnostic, Loc, Severity, Sources};
use crate::load::{self, Loaded, LoadedVendor, VendorDir};
use crate::model::defaults::PolicyDefaults;
use crate::model::raw::*;
use crate::model::*;
use crate::parse::Doc;

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
fn date<T>(doc: &Doc<T>, path: &str, dt: &Datetime, d: &mut Diags) -> Option<Date> {
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

fn opt_date<T>(doc: &Doc<T>, path: &str, dt: &Option<Datetime>, d: &mut Diags) -> Option<Date> {
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

pub const SAFE_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// An absolute link must use a safe scheme. `absolute_required`: relative links are errors too.
fn check_link<T>(
    doc: &Doc<T>,
    path: &str,
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

fn not_allowed<T>(doc: &Doc<T>, path: &str, value: &str, allowed: &[&str]) -> Diagnostic {
    Diagnostic::new(
        Code::ValueNotAllowed,
        doc.loc(path),
        format!("`{value}` is not allowed for `{path}`"),
    )
    .help(format!("use one of: {}", allowed.join(", ")))
}

fn tier_level<T>(
    doc: &Doc<T>,
    path: &str,
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
    path: &str,
    when: &BTreeMap<String, Vec<String>>,
    tiers: &TierPolicy,
    d: &mut Diags,
) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for (factor, values) in when {
        let fpath = format!("{path}.{factor}");
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
                d.push(not_allowed(doc, &format!("{fpath}[{i}]"), v, &allowed));
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
    let positive = |path: &str, v: Option<i64>, default: i64, d: &mut Diags| -> i64 {
        match v {
            Some(v) if v < 0 => {
                d.push(
                    Diagnostic::new(
                        Code::InvalidPolicy,
                        doc.loc(path),
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
            "policy.expiry_warning_days",
            raw.policy.expiry_warning_days,
            defaults.expiry_warning_days,
            d,
        ),
        max_breach_notification_hours: positive(
            "policy.max_breach_notification_hours",
            raw.policy.max_breach_notification_hours,
            defaults.max_breach_notification_hours,
            d,
        ),
        exception_warning_days: positive(
            "policy.exception_warning_days",
            raw.policy.exception_warning_days,
            defaults.exception_warning_days,
            d,
        ),
        review_warning_days: positive(
            "policy.review_warning_days",
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
        let path = format!("tier[{i}]");
        let Some(level) = u8::try_from(t.level).ok().filter(|l| *l >= 1) else {
            d.push(
                Diagnostic::new(
                    Code::InvalidPolicy,
                    doc.loc(&format!("{path}.level")),
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
                    doc.loc(&format!("{path}.level")),
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
                    doc.loc(&format!("{path}.review_months")),
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
                    doc.loc(&format!("tier[{i}].min_score")),
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
        let path = format!("override[{i}]");
        let when = check_conditions(doc, &format!("{path}.when"), &o.when, &policy, d);
        if let Some(tier) = tier_level(doc, &format!("{path}.tier"), o.tier, &policy, d) {
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
                    doc.loc("review.default_months"),
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
    let mut check =
        |path: &str, factor: &str, named: bool, lists: &[(&str, &Option<Vec<String>>)]| {
            let Some(f) = factors.iter().find(|f| f.id == factor) else {
                // Only a factor the file names is an error (see above).
                if named {
                    d.push(
                        Diagnostic::new(
                            Code::UnknownReference,
                            doc.loc(&format!("{path}.factor")),
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
            for (key, values) in lists {
                for (i, v) in values.iter().flatten().enumerate() {
                    if !allowed.contains(&v.as_str()) {
                        d.push(not_allowed(doc, &format!("{path}.{key}[{i}]"), v, &allowed));
                    }
                }
            }
        };
    check(
        "contract.baa",
        &policy.baa.factor,
        baa.factor.is_some(),
        &[("exempt", &baa.exempt)],
    );
    check(
        "contract.remote_access",
        &policy.remote_access.factor,
        ra.factor.is_some(),
        &[("refused", &ra.refused), ("exempt", &ra.exempt)],
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
        let spath = format!("section[{si}]");
        if sections.iter().any(|x| x.id == s.id) {
            d.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    doc.loc(&format!("{spath}.id")),
                    format!("section `{}` is defined twice", s.id),
                )
                .help("section ids must be unique"),
            );
            continue;
        }
        let mut questions: Vec<Question> = Vec::new();
        for (qi, q) in s.questions.iter().enumerate() {
            let qpath = format!("{spath}.question[{qi}]");
            if questions.iter().any(|x| x.id == q.id) {
                d.push(
                    Diagnostic::new(
                        Code::DuplicateId,
                        doc.loc(&format!("{qpath}.id")),
                        format!("question `{}.{}` is defined twice", s.id, q.id),
                    )
                    .help("question ids must be unique within a section"),
                );
                continue;
            }
            let Some(kind) = QuestionType::parse(&q.kind) else {
                d.push(
                    Diagnostic::new(
                        Code::ValueNotAllowed,
                        doc.loc(&format!("{qpath}.type")),
                        format!("unknown question type `{}`", q.kind),
                    )
                    .help(format!("use one of: {}", QuestionType::NAMES)),
                );
                continue;
            };
            let has_options = matches!(kind, QuestionType::Choice | QuestionType::Multi);
            if has_options && q.options.is_empty() {
                d.push(
                    Diagnostic::new(
                        Code::InvalidPolicy,
                        doc.loc(&qpath),
                        format!("{} question `{}` has no options", q.kind, q.id),
                    )
                    .help("list the allowed answers in `options`"),
                );
            }
            if !has_options && !q.options.is_empty() {
                d.push(
                    Diagnostic::new(
                        Code::InvalidPolicy,
                        doc.loc(&format!("{qpath}.options")),
                        format!("a {} question takes no options", q.kind),
                    )
                    .help("only choice and multi questions have options"),
                );
            }
            let required_for = q
                .required_for
                .iter()
                .enumerate()
                .filter_map(|(i, l)| {
                    tier_level(doc, &format!("{qpath}.required_for[{i}]"), *l, tiers, d)
                })
                .collect();
            let red_flags = q
                .red_flags
                .iter()
                .enumerate()
                .filter_map(|(ri, r)| {
                    check_rule(
                        doc,
                        &format!("{qpath}.red_flag[{ri}]"),
                        r,
                        kind,
                        &q.options,
                        d,
                    )
                })
                .collect();
            questions.push(Question {
                id: q.id.clone(),
                prompt: q.prompt.clone(),
                kind,
                options: q.options.clone(),
                required_for,
                guidance: q.guidance.clone(),
                unit: q.unit.clone(),
                red_flags,
            });
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
                        "tier[{ti}].sections[{i}] must name a section id of questionnaire.toml"
                    )),
                );
            }
        }
    }
    Questionnaire { sections }
}

fn check_rule(
    doc: &Doc<RawQuestionnaire>,
    path: &str,
    r: &RawRedFlag,
    kind: QuestionType,
    options: &[String],
    d: &mut Diags,
) -> Option<RedFlagRule> {
    let severity = match r.severity.as_deref() {
        None | Some("warning") => Severity::Warning,
        Some("error") => Severity::Error,
        Some(other) => {
            d.push(not_allowed(
                doc,
                &format!("{path}.severity"),
                other,
                &["error", "warning"],
            ));
            return None;
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
    let condition = match r.when.as_str() {
        "missing" => Condition::Missing,
        "equals" => match (&r.value, kind) {
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
        "less_than" | "greater_than" if kind == QuestionType::Integer => match int {
            Some(i) if r.when == "less_than" => Condition::LessThan(i),
            Some(i) => Condition::GreaterThan(i),
            None => return bad(format!("`{}` needs an integer value", r.when), d),
        },
        "older_than_months" if kind == QuestionType::Date => match int {
            Some(i) if i >= 0 => Condition::OlderThanMonths(i),
            _ => return bad("`older_than_months` needs a number of months".into(), d),
        },
        "contains" | "not_contains" if matches!(kind, QuestionType::Multi | QuestionType::List) => {
            match string {
                Some(s) if kind == QuestionType::List || options.contains(&s) => {
                    if r.when == "contains" {
                        Condition::Contains(s)
                    } else {
                        Condition::NotContains(s)
                    }
                }
                Some(s) => return bad(format!("`{s}` is not an option of this question"), d),
                None => return bad(format!("`{}` needs a string value", r.when), d),
            }
        }
        "less_than" | "greater_than" | "older_than_months" | "contains" | "not_contains" => {
            return bad(
                format!("`{}` does not apply to a {kind:?} question", r.when),
                d,
            );
        }
        other => {
            d.push(not_allowed(
                doc,
                &format!("{path}.when"),
                other,
                &[
                    "equals",
                    "missing",
                    "less_than",
                    "greater_than",
                    "older_than_months",
                    "contains",
                    "not_contains",
                ],
            ));
            return None;
        }
    };
    Some(RedFlagRule {
        condition,
        severity,
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
        let path = format!("kind.{id}");
        let from = match k.validity.from.as_str() {
            "period_end" => ValidFrom::PeriodEnd,
            "issued" => ValidFrom::Issued,
            "explicit" => ValidFrom::Explicit,
            "none" => ValidFrom::None,
            other => {
                d.push(not_allowed(
                    doc,
                    &format!("{path}.validity.from"),
                    other,
                    &["period_end", "issued", "explicit", "none"],
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
                    doc.loc(&format!("{path}.validity")),
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
                tier_level(doc, &format!("{path}.required_for[{i}]"), *l, tiers, d)
            })
            .collect();
        let required_when = check_conditions(
            doc,
            &format!("{path}.required_when"),
            &k.required_when,
            tiers,
            d,
        );
        let mut accepted = Vec::new();
        for (i, s) in k.accepted_for_status.iter().enumerate() {
            match VendorStatus::parse(s) {
                Some(st) => accepted.push(st),
                None => d.push(not_allowed(
                    doc,
                    &format!("{path}.accepted_for_status[{i}]"),
                    s,
                    &["prospective", "active", "offboarded"],
                )),
            }
        }
        if let Some(sub) = &k.substitutes
            && !doc.value.kinds.contains_key(sub)
        {
            d.push(
                Diagnostic::new(
                    Code::UnknownReference,
                    doc.loc(&format!("{path}.substitutes")),
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

    let status = VendorStatus::parse(&raw.status).or_else(|| {
        d.push(not_allowed(
            &vdoc,
            "status",
            &raw.status,
            &["prospective", "active", "offboarded"],
        ));
        None
    })?;
    if let Some(w) = &raw.website {
        check_link(&vdoc, "website", w, true, d);
    }
    for (field, value) in [
        ("contacts.security", &raw.contacts.security),
        ("contacts.account", &raw.contacts.account),
    ] {
        if let Some(c) = value
            && c.contains(':')
        {
            check_link(&vdoc, field, c, true, d);
        }
    }
    if let Some(url) = &raw.contacts.disclosure {
        check_link(&vdoc, "contacts.disclosure", url, true, d);
    }

    // Products
    let mut products: Vec<Product> = Vec::new();
    for (i, pr) in raw.products.iter().enumerate() {
        let path = format!("product[{i}]");
        if products
            .iter()
            .any(|x| x.name.eq_ignore_ascii_case(&pr.name))
        {
            d.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    vdoc.loc(&format!("{path}.name")),
                    format!("product `{}` is listed twice", pr.name),
                )
                .help("list each product once, with the version in use"),
            );
            continue;
        }
        products.push(Product {
            name: pr.name.clone(),
            version: pr.version.clone(),
            end_of_support: opt_date(
                &vdoc,
                &format!("{path}.end_of_support"),
                &pr.end_of_support,
                d,
            ),
            description: pr.description.clone(),
            loc: vdoc.loc(&path),
            end_of_support_loc: vdoc.loc(&format!("{path}.end_of_support")),
        });
    }

    // Profile: every factor of tiers.toml, each with a known value.
    let mut profile = BTreeMap::new();
    let mut profile_locs = BTreeMap::new();
    let mut profile_ok = true;
    for (key, value) in &raw.profile {
        let path = format!("profile.{key}");
        match p.tiers.factors.iter().find(|f| &f.id == key) {
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
                        p.tiers
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
                d.push(not_allowed(&vdoc, &path, value, &allowed));
            }
            Some(_) => {
                profile.insert(key.clone(), value.clone());
                profile_locs.insert(key.clone(), vdoc.loc(&path));
            }
        }
    }
    for f in &p.tiers.factors {
        if !raw.profile.contains_key(&f.id) {
            profile_ok = false;
            d.push(
                Diagnostic::new(
                    Code::MissingKey,
                    vdoc.loc("profile"),
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

    let contract = raw.contract.as_ref().map(|c| Contract {
        signed: opt_date(&vdoc, "contract.signed", &c.signed, d),
        renewal: opt_date(&vdoc, "contract.renewal", &c.renewal, d),
        baa: c.baa,
        audit_rights: c.audit_rights,
        breach_notification_hours: c.breach_notification_hours,
        secure_remote_access: c.secure_remote_access,
    });
    if let Some(h) = contract.as_ref().and_then(|c| c.breach_notification_hours)
        && h < 0
    {
        d.push(
            Diagnostic::new(Code::WrongType, vdoc.loc("contract.breach_notification_hours"), "breach notification hours cannot be negative")
                .help("the number of hours after a confirmed incident within which the vendor must notify you"),
        );
    }
    let review = raw
        .review
        .as_ref()
        .map(|r| Review {
            last_assessed: opt_date(&vdoc, "review.last_assessed", &r.last_assessed, d),
            assessor: r.assessor.clone(),
            major_change: opt_date(&vdoc, "review.major_change", &r.major_change, d),
        })
        .unwrap_or_default();

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
    let (Some(adoc), Some(answers), Some(artdoc), Some(artifacts)) =
        (answers, answers_checked, artifacts, artifacts_checked)
    else {
        return None;
    };
    let findings = findings.unwrap_or_default();

    if !profile_ok {
        // Without a complete profile the tier cannot be computed; the vendor is
        // reported but left out of assessment.
        return None;
    }

    let locs = VendorLocs {
        vendor_file: Loc::file(&vdoc.path),
        answers_file: Loc::file(&adoc.path),
        artifacts_file: Loc::file(&artdoc.path),
        profile: profile_locs,
        contract: vdoc.loc("contract"),
        review: vdoc.loc("review"),
        last_assessed: vdoc.loc("review.last_assessed"),
        major_change: vdoc.loc("review.major_change"),
        renewal: vdoc.loc("contract.renewal"),
        baa: vdoc.loc("contract.baa"),
        audit_rights: vdoc.loc("contract.audit_rights"),
        breach_notification_hours: vdoc.loc("contract.breach_notification_hours"),
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

fn check_answers(
    doc: &Doc<RawAnswers>,
    q: &Questionnaire,
    d: &mut Diags,
) -> BTreeMap<String, BTreeMap<String, Answer>> {
    let mut out = BTreeMap::new();
    for (sid, answers) in &doc.value {
        let Some(section) = q.section(sid) else {
            let known: Vec<&str> = q.sections.iter().map(|s| s.id.as_str()).collect();
            d.push(
                Diagnostic::new(
                    Code::UnknownQuestion,
                    doc.key_loc(sid),
                    format!("the questionnaire has no section `{sid}`"),
                )
                .help(format!("sections: {}", known.join(", "))),
            );
            continue;
        };
        let mut sec = BTreeMap::new();
        for (qid, value) in answers {
            let path = format!("{sid}.{qid}");
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
    path: &str,
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
    let option = |s: &str, at: &str, d: &mut Diags| -> bool {
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
                let at = format!("{path}[{i}]");
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

fn check_artifacts(
    doc: &Doc<RawArtifacts>,
    products: Option<&[Product]>,
    p: &Policy<'_>,
    root: &Path,
    abs_dir: &Path,
    d: &mut Diags,
) -> Vec<Artifact> {
    let mut out = Vec::new();
    for (i, a) in doc.value.artifacts.iter().enumerate() {
        let path = format!("artifact[{i}]");
        let mut ok = true;
        let Some(kind) = p.kinds.get(&a.kind) else {
            d.push(
                Diagnostic::new(
                    Code::UnknownReference,
                    doc.loc(&format!("{path}.kind")),
                    format!("unknown artifact kind `{}`", a.kind),
                )
                .help(format!(
                    "kinds in artifact-kinds.toml: {}",
                    p.kinds
                        .keys()
                        .map(String::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
            continue;
        };
        for (ci, c) in a.covers.iter().enumerate() {
            let Some(products) = products else { break };
            if !products.iter().any(|pr| &pr.name == c) {
                ok = false;
                d.push(
                    Diagnostic::new(
                        Code::UnknownReference,
                        doc.loc(&format!("{path}.covers[{ci}]")),
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
            ok &= check_link(doc, &format!("{path}.link"), link, true, d);
        }
        if let Some(file) = &a.file {
            ok &= check_file_ref(
                doc,
                &format!("{path}.file"),
                file,
                a.sha256.as_deref(),
                root,
                abs_dir,
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
                    doc.loc(&format!("{path}.sha256")),
                    "sha256 must be 64 hexadecimal digits",
                )
                .help("compute it with `sha256sum FILE`"),
            );
        }
        let dates: [(&'static str, &Option<Datetime>); 6] = [
            ("issued", &a.issued),
            ("period_end", &a.period_end),
            ("expires", &a.expires),
            ("bridge_until", &a.bridge_until),
            ("last_surveillance", &a.last_surveillance),
            ("interim_completed", &a.interim_completed),
        ];
        let mut parsed = [None; 6];
        for (j, (name, v)) in dates.iter().enumerate() {
            if let Some(dt) = v {
                parsed[j] = date(doc, &format!("{path}.{name}"), dt, d);
                ok &= parsed[j].is_some();
            }
        }
        if !ok {
            continue;
        }
        let mut field_locs = Vec::with_capacity(8);
        let mut key = path.clone();
        for name in [
            "kind",
            "issued",
            "period_end",
            "expires",
            "covers",
            "version",
            "bridge_until",
            "last_surveillance",
            "interim_completed",
            "link",
            "file",
        ] {
            key.truncate(path.len());
            key.push('.');
            key.push_str(name);
            if let Some(span) = doc.spans.value(&key) {
                field_locs.push((name, doc.source.loc(&doc.path, span)));
            }
        }
        out.push(Artifact {
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
            field_locs,
        });
    }
    out
}

/// A `file =` reference must stay inside the vendor folder, exist, and match its sha256.
fn check_file_ref<T>(
    doc: &Doc<T>,
    path: &str,
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
        let path = format!("finding[{i}]");
        if !ids.insert(f.id.clone()) {
            d.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    doc.loc(&format!("{path}.id")),
                    format!("finding `{}` is listed twice", f.id),
                )
                .help("give every finding its own id"),
            );
            continue;
        }
        let Some(severity) = FindingSeverity::parse(&f.severity) else {
            d.push(not_allowed(
                doc,
                &format!("{path}.severity"),
                &f.severity,
                &["low", "medium", "high", "critical"],
            ));
            continue;
        };
        let open = match f.status.as_deref() {
            None | Some("open") => true,
            Some("closed") => false,
            Some(other) => {
                d.push(not_allowed(
                    doc,
                    &format!("{path}.status"),
                    other,
                    &["open", "closed"],
                ));
                continue;
            }
        };
        let Some(opened) = date(doc, &format!("{path}.opened"), &f.opened, d) else {
            continue;
        };
        out.push(Finding {
            id: f.id.clone(),
            title: f.title.clone(),
            severity,
            opened,
            due: opt_date(doc, &format!("{path}.due"), &f.due, d),
            open,
            closed: opt_date(doc, &format!("{path}.closed"), &f.closed, d),
            owner: f.owner.clone(),
            source: f.source.clone(),
            description: f.description.clone(),
            loc: doc.loc(&path),
            due_loc: doc.loc(&format!("{path}.due")),
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
        let path = format!("exception[{i}]");
        if !ids.insert(e.id.clone()) {
            d.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    doc.loc(&format!("{path}.id")),
                    format!("exception `{}` is listed twice", e.id),
                )
                .help("give every exception its own id"),
            );
            continue;
        }
        let apath = format!("{path}.accepts");
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
            date(doc, &format!("{path}.approved"), &e.approved, d),
            date(doc, &format!("{path}.expires"), &e.expires, d),
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
            expires_loc: doc.loc(&format!("{path}.expires")),
        });
    }
    out
}

fn parse_accepts(s: &str) -> Option<Accepts> {
    let (kind, target) = s.split_once(':')?;
    let pair = || {
        let (a, b) = target.split_once('.')?;
        (!a.is_empty() && !b.is_empty()).then(|| (a.to_string(), b.to_string()))
    };
    Some(match kind {
        "finding" if !target.is_empty() => Accepts::Finding(target.to_string()),
        "artifact" if !target.is_empty() => Accepts::Artifact(target.to_string()),
        "red-flag" => {
            let (section, question) = pair()?;
            Accepts::RedFlag { section, question }
        }
        "question" => {
            let (section, question) = pair()?;
            Accepts::Question { section, question }
        }
        _ => return None,
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
