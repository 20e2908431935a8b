//! exceptions.toml: accepted risks, each pointing at something that exists
//! (a finding, a red flag or question of the questionnaire, an artifact
//! kind), with a reason, an approver and plain dates.

use std::collections::BTreeSet;

use super::common::{Diags, Policy, date};
use crate::diag::{Code, Diagnostic};
use crate::model::raw::*;
use crate::model::*;
use crate::parse::Doc;

/// The exceptions fit to assess: one with any error is reported and left out.
/// `finding_ids`: the ids written in findings.toml (also those left out for
/// their own errors), `None` when it is there but unreadable (any id then
/// might exist).
pub(super) fn check_exceptions(
    doc: &Doc<RawExceptions>,
    finding_ids: Option<&[&str]>,
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
        if !target_exists(&accepts, finding_ids, p) {
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

/// Whether what an exception accepts exists: a finding of this vendor, a
/// question of the questionnaire, a kind of artifact-kinds.toml.
fn target_exists(accepts: &Accepts, finding_ids: Option<&[&str]>, p: &Policy<'_>) -> bool {
    match accepts {
        Accepts::Finding(id) => finding_ids.is_none_or(|ids| ids.contains(&id.as_str())),
        Accepts::RedFlag { section, question } | Accepts::Question { section, question } => {
            p.questionnaire.question(section, question).is_some()
        }
        Accepts::Artifact(kind) => p.kinds.contains_key(kind),
    }
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
}
