//! exceptions.toml: accepted risks, each pointing at something that exists
//! (a finding, a red flag or question of the questionnaire, an artifact
//! kind), with a reason, an approver and plain dates.

use std::collections::BTreeSet;

use super::common::{Diags, Policy, date};
use crate::diag::{Code, Diagnostic};
use crate::model::raw::*;
use crate::model::*;
use crate::parse::Doc;
use crate::parse::KeyPath;

/// The exceptions fit to assess: one with any error is reported and left out.
/// `finding_ids`: the ids written in findings.toml (also those left out for
/// their own errors), `None` when it is there but unreadable (any id then
/// might exist). `vendor`: the products and subprocessors of vendor.toml,
/// `None` when it could not be read.
pub(super) fn check_exceptions(
    doc: &Doc<RawExceptions>,
    finding_ids: Option<&[&str]>,
    vendor: Option<(&[Product], &[Subprocessor])>,
    p: &Policy<'_>,
    d: &mut Diags,
) -> Vec<Exception> {
    let mut out = Vec::new();
    let mut ids = BTreeSet::new();
    let known = Known {
        finding_ids,
        products: vendor.map(|v| v.0),
        subprocessors: vendor.map(|v| v.1),
        policy: p,
    };
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
        let Some(accepts) =
            check_target(doc, &apath, ("exception", "accepts"), &e.accepts, &known, d)
        else {
            continue;
        };
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
            approved_loc: doc.loc_at(&path, RawException::APPROVED),
            expires_loc: doc.loc_at(&path, RawException::EXPIRES),
        });
    }
    out
}

/// What a target may point at: this vendor's findings, products and
/// subprocessors (`None` when vendor.toml could not be read: product and
/// subprocessor subjects are then not checked) and the policy's questions
/// and artifact kinds.
pub(super) struct Known<'a> {
    /// The ids written in findings.toml (a finding left out for its own
    /// errors included); `None` when findings.toml is there but unreadable:
    /// any finding id is then taken as existing.
    pub finding_ids: Option<&'a [&'a str]>,
    pub products: Option<&'a [Product]>,
    /// The subprocessors of vendor.toml, by name as written there.
    pub subprocessors: Option<&'a [Subprocessor]>,
    pub policy: &'a Policy<'a>,
}

/// The grammar of a target, for the help of one that cannot be read.
const TARGET_HELP: &str = "write finding:<id>, red-flag:<section>.<question>, question:<section>.<question>, \
     artifact:<kind> or rule:<code>[:<subject>]";

/// What an exception accepts or a finding tracks (`accepts =`, `tracks =`):
/// read, and checked to point at something that exists; `None` after
/// reporting it at `path` otherwise. `products` is `None` when vendor.toml
/// could not be read (product subjects are then not checked).
pub(super) fn check_target<T, V>(
    doc: &Doc<T>,
    path: &KeyPath<V>,
    (noun, verb): (&str, &str),
    text: &str,
    known: &Known<'_>,
    d: &mut Diags,
) -> Option<Accepts> {
    let Some(target) = parse_accepts(text) else {
        d.push(
            Diagnostic::new(
                Code::ValueNotAllowed,
                doc.loc(path),
                format!("cannot read what `{text}` {verb}"),
            )
            .help(TARGET_HELP),
        );
        return None;
    };
    let role = format!("{noun} {verb}");
    match target_problem(&target, &role, known) {
        None => Some(target),
        Some((code, message, help)) => {
            d.push(Diagnostic::new(code, doc.loc(path), message).help(help));
            None
        }
    }
}

/// Why a target does not point at something that exists: the code, the
/// message and the help; `None` when it does.
fn target_problem(
    target: &Accepts,
    role: &str,
    known: &Known<'_>,
) -> Option<(Code, String, String)> {
    let p = known.policy;
    let finding_exists = |id: &str| known.finding_ids.is_none_or(|ids| ids.contains(&id));
    let unknown = || {
        Some((
            Code::UnknownReference,
            format!("{role} `{target}`, which does not exist"),
            "point at a finding of findings.toml, a question of the questionnaire or an artifact kind"
                .to_string(),
        ))
    };
    let question = |s: &str, q: &str| p.questionnaire.question(s, q).is_some();
    match target {
        Accepts::Finding(id) if !finding_exists(id) => unknown(),
        Accepts::RedFlag {
            section,
            question: q,
        }
        | Accepts::Question {
            section,
            question: q,
        } if !question(section, q) => unknown(),
        Accepts::Artifact(kind) if !p.kinds.contains_key(kind) => unknown(),
        Accepts::Rule { code, subject } => rule_problem(code, subject.as_deref(), known),
        _ => None,
    }
}

/// `rule:<code>[:<subject>]`: an assessment rule's code (not a data-contract
/// code, not the exceptions' own), and a subject only where the rule has one.
fn rule_problem(
    code: &str,
    subject: Option<&str>,
    known: &Known<'_>,
) -> Option<(Code, String, String)> {
    let (products, p) = (known.products, known.policy);
    let rules = || {
        let ids: Vec<&str> = acceptable_rules().map(|c| c.id()).collect();
        format!(
            "rule ids an exception or finding may name: {}",
            ids.join(", ")
        )
    };
    let Some(c) = Code::ALL.iter().copied().find(|c| c.id() == code) else {
        return Some((
            Code::UnknownReference,
            format!("`{code}` is not a diagnostic code"),
            rules(),
        ));
    };
    if !rule_acceptable(c) {
        return Some((
            Code::ValueNotAllowed,
            format!(
                "`{code}` ({}) is not an assessment rule that can be accepted",
                c.title()
            ),
            rules(),
        ));
    }
    let subject = subject?;
    let Some(kind) = RuleSubject::of(c) else {
        return Some((
            Code::ValueNotAllowed,
            format!(
                "rule {code} ({}) has no subject to narrow it to `{subject}`",
                c.title()
            ),
            format!("write rule:{code} to accept it for the whole vendor"),
        ));
    };
    let exists = match kind {
        RuleSubject::ArtifactKind => p.kinds.contains_key(subject),
        RuleSubject::Question => subject
            .split_once('.')
            .is_some_and(|(s, q)| p.questionnaire.question(s, q).is_some()),
        RuleSubject::Product => products.is_none_or(|ps| ps.iter().any(|x| x.name == subject)),
        RuleSubject::Finding => known.finding_ids.is_none_or(|ids| ids.contains(&subject)),
        RuleSubject::Subprocessor => known
            .subprocessors
            .is_none_or(|ss| ss.iter().any(|s| s.name == subject)),
    };
    // The subprocessors' names are few and easily misspelt: name them.
    let listed = match (kind, known.subprocessors) {
        (RuleSubject::Subprocessor, Some(ss)) => {
            let names: Vec<&str> = ss.iter().map(|s| s.name.as_str()).collect();
            format!(
                " ({})",
                if names.is_empty() {
                    "this vendor lists none".to_string()
                } else {
                    names.join(", ")
                }
            )
        }
        _ => String::new(),
    };
    (!exists).then(|| {
        (
            Code::UnknownReference,
            format!("rule {code} has no subject `{subject}`"),
            format!("the subject of rule {code} is {}{listed}", kind.describe()),
        )
    })
}

/// `kind:target`, as `exceptions.toml` writes what an exception accepts;
/// `None` for an unknown kind or a target of the wrong shape.
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
        AcceptsKind::Rule => {
            let (code, subject) = match target.split_once(':') {
                Some((c, s)) if !s.trim().is_empty() => (c, Some(s.to_string())),
                Some(_) => return None,
                None => (target, None),
            };
            if code.is_empty() {
                return None;
            }
            Accepts::Rule {
                code: code.to_string(),
                subject,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(
            parse_accepts("rule:E1204"),
            Some(Accepts::Rule {
                code: "E1204".into(),
                subject: None
            })
        );
        assert_eq!(
            parse_accepts("rule:E1305:Aurora LVP"),
            Some(Accepts::Rule {
                code: "E1305".into(),
                subject: Some("Aurora LVP".into())
            })
        );
        for bad in [
            "rule:",
            "rule:E1305:",
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

    /// No questions, the test tiers, no artifact kinds.
    fn empty_policy() -> (
        Questionnaire,
        TierPolicy,
        std::collections::BTreeMap<String, ArtifactKind>,
    ) {
        (
            Questionnaire { sections: vec![] },
            crate::validate::testing::tiers(),
            std::collections::BTreeMap::new(),
        )
    }

    #[test]
    fn rule_names_an_assessment_code_and_a_subject_only_where_the_rule_has_one() {
        let (questionnaire, tiers, kinds) = empty_policy();
        let p = Policy {
            questionnaire: &questionnaire,
            tiers: &tiers,
            kinds: &kinds,
            evidence_files: &Default::default(),
        };
        let check = |code: &str, subject: Option<&str>| {
            let known = Known {
                finding_ids: Some(&[]),
                products: None,
                subprocessors: None,
                policy: &p,
            };
            rule_problem(code, subject, &known).map(|(c, m, h)| (c.id(), m, h))
        };
        assert_eq!(check("E1204", None), None);
        assert_eq!(
            check("E1305", Some("any product")),
            None,
            "products unknown: not checked"
        );
        let (code, message, help) = check("E1402", None).unwrap();
        assert_eq!(
            (code, message.as_str()),
            (
                "E0106",
                "`E1402` (exception has expired) is not an assessment rule that can be accepted"
            )
        );
        assert!(help.contains("E1001") && help.contains("E1204") && help.contains("E1401"));
        assert!(!help.contains("E1402") && !help.contains("E1404") && !help.contains("E0305"));
        for code in ["E1403", "E1404", "E0102", "E0305"] {
            assert_eq!(check(code, None).unwrap().0, "E0106", "{code}");
        }
        assert_eq!(check("E1999", None).unwrap().0, "E0305");
        assert_eq!(
            check("e1204", None).unwrap().0,
            "E0305",
            "codes are written as printed"
        );
        assert_eq!(
            check("E1204", Some("x")).unwrap().0,
            "E0106",
            "E1204 has no subject"
        );
        assert_eq!(
            check("E1001", Some("pentest")).unwrap().0,
            "E0305",
            "no such kind"
        );
        assert_eq!(
            check("E1401", Some("F-9")).unwrap().0,
            "E0305",
            "no such finding"
        );
        assert_eq!(
            check("E1101", Some("s.q")).unwrap().0,
            "E0305",
            "no such question"
        );
        for code in [
            "E1306", "E1012", "E1013", "E1103", "E1501", "E1502", "E1503", "E1504",
        ] {
            // A subject is read (E0305 when unknown; products and
            // subprocessors unknown here: not checked), never E0106.
            let narrowed = check(code, Some("x")).map(|r| r.0);
            assert!(
                matches!(narrowed, None | Some("E0305")),
                "{code}: {narrowed:?}"
            );
            assert_eq!(check(code, None), None, "{code} whole");
        }
    }

    #[test]
    fn a_subprocessor_rule_names_a_subprocessor_of_vendor_toml() {
        let (questionnaire, tiers, kinds) = empty_policy();
        let p = Policy {
            questionnaire: &questionnaire,
            tiers: &tiers,
            kinds: &kinds,
            evidence_files: &Default::default(),
        };
        let sub = |name: &str| {
            let path: std::sync::Arc<str> = "vendors/acme/vendor.toml".into();
            let loc = crate::diag::Loc::file(&path);
            Subprocessor {
                name: name.into(),
                service: "hosting".into(),
                data: vec![],
                region: None,
                baa_flow_down: None,
                locs: SubprocessorLocs {
                    entry: loc.clone(),
                    name: loc.clone(),
                    region: loc.clone(),
                    baa_flow_down: loc,
                },
            }
        };
        let subs = [sub("Nimbus Hosting"), sub("Relay Scribe")];
        let check = |subs: Option<&[Subprocessor]>, code: &str, subject: &str| {
            let known = Known {
                finding_ids: Some(&[]),
                products: None,
                subprocessors: subs,
                policy: &p,
            };
            rule_problem(code, Some(subject), &known).map(|(c, m, h)| (c.id(), m, h))
        };
        for code in ["E1501", "E1502", "E1503", "E1504"] {
            assert_eq!(check(Some(&subs), code, "Nimbus Hosting"), None, "{code}");
        }
        assert_eq!(
            check(Some(&subs), "E1503", "Nimbus"),
            Some((
                "E0305",
                "rule E1503 has no subject `Nimbus`".to_string(),
                "the subject of rule E1503 is a subprocessor name of vendor.toml (Nimbus Hosting, Relay Scribe)"
                    .to_string()
            ))
        );
        assert_eq!(
            check(Some(&[]), "E1503", "Nimbus").unwrap().2,
            "the subject of rule E1503 is a subprocessor name of vendor.toml (this vendor lists none)"
        );
        assert_eq!(
            check(Some(&subs), "E1503", "nimbus hosting").unwrap().0,
            "E0305",
            "the name as written in vendor.toml"
        );
        assert_eq!(
            check(None, "E1503", "Anything"),
            None,
            "vendor.toml unreadable: not checked"
        );
    }
}
