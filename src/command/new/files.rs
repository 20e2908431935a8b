//! vendor.toml, answers.toml and artifacts.toml of a new vendor, written
//! from the registry's own questionnaire, tiers and artifact kinds: what
//! the file must hold is set, what the analyst fills in is a commented
//! placeholder that says what belongs there.

use std::collections::BTreeMap;

use super::text::{comment, key, listed, string, strings, with_note};
use crate::model::closed::ClosedSet;
use crate::model::*;

/// Everything the three files are written from.
pub struct Scaffold<'a> {
    pub registry: &'a Registry,
    pub name: &'a str,
    pub category: &'a str,
    /// The categories other vendors use, sorted.
    pub categories: &'a [String],
    pub status: VendorStatus,
    pub tier: &'a Tier,
    pub profile: &'a BTreeMap<String, String>,
}

impl Scaffold<'_> {
    /// "tier 1 (Critical)".
    fn tier_label(&self) -> String {
        format!("tier {} ({})", self.tier.level, self.tier.name)
    }

    /// Whether the vendor's tier must answer `q` of `section`.
    pub fn requires(&self, section: &Section, q: &Question) -> bool {
        self.tier.sections.contains(&section.id) && q.required_for.contains(&self.tier.level)
    }

    /// The artifact kinds the vendor's tier and profile require, by id.
    pub fn required_kinds(&self) -> Vec<&ArtifactKind> {
        self.registry
            .kinds
            .values()
            .filter(|k| {
                k.required_for.contains(&self.tier.level)
                    && k.required_when
                        .iter()
                        .all(|(f, vs)| self.profile.get(f).is_some_and(|v| vs.contains(v)))
            })
            .collect()
    }
}

/// vendor.toml: identity, status, the profile that gives the tier, and the
/// rest as commented keys.
pub fn vendor_toml(s: &Scaffold<'_>) -> String {
    let mut out = comment(
        "# ",
        &format!(
            "vendor.toml of {}, written by `vetted new`. Replace the placeholders and \
             uncomment what applies; README \"vendor.toml\" explains every key.",
            s.name
        ),
    );
    out.push_str(&format!("name = {}\n", string(s.name)));
    out.push_str(&with_note(
        &format!("status = {}", string(s.status.as_str())),
        &format!("one of: {}", VendorStatus::VALUES.join(", ")),
    ));
    let mut about = String::from("The category: a short kebab-case word, e.g. infusion-pump.");
    if !s.categories.is_empty() {
        about.push_str(&format!(
            " Other vendors have: {}.",
            s.categories.join(", ")
        ));
    }
    out.push_str(&comment("# ", &about));
    out.push_str(&format!("category = {}\n", string(s.category)));
    out.push_str(&with_note(
        &format!("owner = {}", string("unassigned")),
        "the internal team that owns the relationship",
    ));
    out.push_str(
        "# description = \"What the vendor supplies, in one sentence.\"\n\
         # website = \"https://\"\n",
    );
    let regions = &s.registry.settings.allowed_regions;
    out.push_str(&with_note(
        &format!("# regions = {}", strings(regions)),
        "where the vendor itself hosts or processes data",
    ));
    out.push_str(OPTIONAL_VENDOR_TABLES);
    out.push_str(&profile_table(s));
    out.push_str(&contract_tables(s));
    out
}

/// The commented tables of vendor.toml a new vendor fills in as it learns.
const OPTIONAL_VENDOR_TABLES: &str = "
# One [[product]] per product in use (SBOM and MDS2 are bound to its version).
# [[product]]
# name = \"\"
# version = \"\"
# end_of_support = YYYY-MM-DD

# One [[subprocessor]] per fourth party that touches data or devices.
# [[subprocessor]]
# name = \"\"
# service = \"\"
# data = []                        # what it handles; vetted.toml's phi_data says which mean PHI
# region = \"\"
# baa_flow_down = true

# [contacts]
# security = \"psirt@\"
# account = \"\"
# disclosure = \"https://\"
";

/// `[profile]`: one value per factor, with every value's points alongside.
fn profile_table(s: &Scaffold<'_>) -> String {
    let mut out = String::from("\n");
    out.push_str(&comment(
        "# ",
        &format!(
            "The inherent-risk profile: one value per factor of tiers.toml. These \
             values give {}, chosen with `--tier`; set the vendor's real ones and \
             `vetted check` shows the tier they give.",
            s.tier_label()
        ),
    ));
    out.push_str("[profile]\n");
    for f in &s.registry.tiers.factors {
        let Some(value) = s.profile.get(&f.id) else {
            continue;
        };
        let values: Vec<String> = f.points.iter().map(|(v, p)| format!("{v} ({p})")).collect();
        out.push_str(&with_note(
            &format!("{} = {}", key(&f.id), string(value)),
            &format!("{}: {}", f.title, values.join(", ")),
        ));
    }
    out
}

/// `[contract]` and `[review]`, commented, saying which terms the tier and
/// the profile make mandatory.
fn contract_tables(s: &Scaffold<'_>) -> String {
    let policy = &s.registry.tiers.contract;
    let mut needs = Vec::new();
    let baa_value = s.profile.get(&policy.baa.factor);
    if baa_value.is_some_and(|v| !policy.baa.exempt.contains(v)) {
        needs.push("baa = true".to_string());
    }
    if s.tier.require_audit_rights {
        needs.push("audit_rights = true".to_string());
    }
    let remote = s.profile.get(&policy.remote_access.factor);
    if s.tier.require_time_bound_remote_access
        && remote.is_some_and(|v| !policy.remote_access.exempt.contains(v))
    {
        needs.push("secure_remote_access = true".to_string());
    }
    let needs = if needs.is_empty() {
        String::new()
    } else {
        format!(
            " With this profile, {} requires {}.",
            s.tier_label(),
            listed(&needs)
        )
    };
    let mut out = String::from("\n");
    out.push_str(&comment(
        "# ",
        &format!(
            "The contract, once there is one: its terms are checked while the \
             status is \"active\".{needs}"
        ),
    ));
    out.push_str(&format!(
        "# [contract]\n\
         # signed = YYYY-MM-DD\n\
         # renewal = YYYY-MM-DD\n\
         # baa = true\n\
         # audit_rights = true\n\
         # breach_notification_hours = {}\n\
         # secure_remote_access = true\n\
         \n\
         # The last security review; {} is reassessed every {} months.\n\
         # [review]\n\
         # last_assessed = YYYY-MM-DD\n\
         # assessor = \"\"\n",
        s.registry.settings.max_breach_notification_hours,
        s.tier_label(),
        s.tier.review_months,
    ));
    out
}

/// answers.toml: every section as a table, every question as a commented
/// placeholder with its prompt, type, allowed values and whether the
/// vendor's tier requires it.
pub fn answers_toml(s: &Scaffold<'_>) -> String {
    let q = &s.registry.questionnaire;
    let (required, total) = q.sections.iter().fold((0, 0), |(r, t), sec| {
        let req = sec.questions.iter().filter(|x| s.requires(sec, x)).count();
        (r + req, t + sec.questions.len())
    });
    let mut out = comment(
        "# ",
        &format!(
            "answers.toml of {}, written by `vetted new`: the registry's questionnaire, \
             one table per section, one key per question. To answer, uncomment the \
             question's last line and write the answer after `=` in the question's \
             type: bool true or false; choice one option in quotes; multi a list of \
             options, [\"a\", \"b\"]; integer 48; date 2026-05-31, unquoted; text \
             \"…\"; url \"https://…\"; list [\"…\", \"…\"].",
            s.name
        ),
    );
    out.push_str(&comment(
        "# ",
        &format!(
            "As {}, the vendor must answer the {required} questions marked \"required\" \
             ({total} in all); `vetted check` lists those still unanswered.",
            s.tier_label()
        ),
    ));
    for section in &q.sections {
        out.push_str(&section_table(s, section));
    }
    out
}

fn section_table(s: &Scaffold<'_>, section: &Section) -> String {
    let asked = s.tier.sections.contains(&section.id);
    let mut out = format!("\n[{}]\n", key(&section.id));
    let scope = if asked {
        format!("asked of {}", s.tier_label())
    } else {
        format!(
            "not asked of {}, so every question is optional",
            s.tier_label()
        )
    };
    out.push_str(&comment("# ", &format!("{}: {scope}.", section.title)));
    for q in &section.questions {
        out.push('\n');
        out.push_str(&comment("# ", &q.prompt));
        out.push_str(&comment("#   ", &question_shape(q)));
        let requirement = if s.requires(section, q) {
            format!("required of {}", s.tier_label())
        } else if q.required_for.is_empty() {
            "optional".to_string()
        } else {
            let tiers = if q.required_for.len() == 1 {
                "tier"
            } else {
                "tiers"
            };
            format!(
                "optional for {}; required of {tiers} {}",
                s.tier_label(),
                listed(&q.required_for)
            )
        };
        out.push_str(&comment("#   ", &requirement));
        out.push_str(&format!("# {} =\n", key(&q.id)));
    }
    out
}

/// "multi, any of: a, b, c" / "integer, in hours".
fn question_shape(q: &Question) -> String {
    let mut shape = q.kind.as_str().to_string();
    match q.kind {
        QuestionType::Choice => shape.push_str(&format!(", one of: {}", q.options.join(", "))),
        QuestionType::Multi => shape.push_str(&format!(", any of: {}", q.options.join(", "))),
        _ => {}
    }
    if let Some(unit) = &q.unit {
        shape.push_str(&format!(", in {unit}"));
    }
    shape
}

/// artifacts.toml: no artifact yet, and a commented block for each kind the
/// tier requires.
pub fn artifacts_toml(s: &Scaffold<'_>) -> String {
    let required = s.required_kinds();
    let mut out = comment(
        "# ",
        &format!(
            "artifacts.toml of {}, written by `vetted new`: the evidence on file, one \
             [[artifact]] per document; README \"artifacts.toml\" explains every key.",
            s.name
        ),
    );
    if required.is_empty() {
        out.push_str(&comment(
            "# ",
            &format!(
                "As {}, the vendor needs no kind of evidence; list what it sends.",
                s.tier_label()
            ),
        ));
        return out;
    }
    out.push_str(&comment(
        "# ",
        &format!(
            "As {}, the vendor needs a current artifact of each kind below (of a kind \
             marked \"per product\", one covering each product: `covers`, or none for \
             all). Uncomment a block for each document the vendor sends.",
            s.tier_label()
        ),
    ));
    for kind in required {
        out.push_str(&artifact_block(s, kind));
    }
    out
}

fn artifact_block(s: &Scaffold<'_>, kind: &ArtifactKind) -> String {
    let mut about = kind.title.clone();
    if kind.per_product {
        about.push_str(", per product");
    }
    about.push_str(&format!(
        "; valid {}.",
        validity_text(&kind.validity, kind.version_bound)
    ));
    let substitutes: Vec<String> = s
        .registry
        .kinds
        .values()
        .filter(|k| k.substitutes.as_deref() == Some(&kind.id))
        .filter(|k| k.accepted_for_status.is_empty() || k.accepted_for_status.contains(&s.status))
        .map(|k| format!("{} ({})", k.title, k.id))
        .collect();
    if !substitutes.is_empty() {
        about.push_str(&format!(" Also met by: {}.", substitutes.join(", ")));
    }
    let mut out = String::from("\n");
    out.push_str(&comment("# ", &about));
    out.push_str(&format!(
        "# [[artifact]]\n# kind = {}\n# title = \"\"\n",
        string(&kind.id)
    ));
    for date in dates_of(&kind.validity) {
        out.push_str(&format!("# {date} = YYYY-MM-DD\n"));
    }
    if kind.version_bound {
        out.push_str(&with_note(
            "# version = \"\"",
            "the product version it describes",
        ));
    }
    out.push_str("# link = \"https://\"\n");
    out
}

/// How long an artifact of the kind counts, in words.
fn validity_text(rule: &ValidityRule, version_bound: bool) -> String {
    match rule {
        ValidityRule::PeriodEnd { months, .. } => {
            format!("{months} months from the end of its period (period_end)")
        }
        ValidityRule::Issued { months, .. } => format!("{months} months from issue (issued)"),
        ValidityRule::Explicit => "until its own `expires` date".to_string(),
        ValidityRule::None if version_bound => {
            "while it describes the product version in use".to_string()
        }
        ValidityRule::None => "without an end date".to_string(),
    }
}

/// The date keys an artifact of the kind is dated by.
fn dates_of(rule: &ValidityRule) -> Vec<&'static str> {
    match rule {
        ValidityRule::PeriodEnd {
            bridge_max_months, ..
        } => {
            let mut d = vec!["issued", "period_start", "period_end"];
            if *bridge_max_months > 0 {
                d.push("bridge_until");
            }
            d
        }
        ValidityRule::Issued {
            surveillance_months,
            interim_window_days,
            ..
        } => {
            let mut d = vec!["issued"];
            if surveillance_months.is_some() {
                d.push("last_surveillance");
            }
            if interim_window_days.is_some() {
                d.push("interim_completed");
            }
            d
        }
        ValidityRule::Explicit => vec!["issued", "expires"],
        ValidityRule::None => vec!["issued"],
    }
}
