//! Claims part: a framework the vendor claims in its answers (SOC 2,
//! ISO/IEC 27001, HITRUST…) must have evidence on file (E1103).
//!
//! Which answers are claims, and which artifact kinds prove each, is policy:
//! the `[section.question.evidence]` table of questionnaire.toml (option ->
//! kinds). "On file" means any artifact of one of those kinds is listed in
//! artifacts.toml, whatever its status: an expired, stale or not accepted
//! report still shows the claim is not invented, and its own diagnostic
//! says what is wrong with it. A subprocessor's report (`subject`) is not
//! the vendor's and backs no claim.

use serde::Serialize;

use super::context::{Context, Part, Problem};
use crate::diag::Code;
use crate::model::*;

/// A claim in the answers with no artifact of a kind that proves it.
#[derive(Debug, Clone, Serialize)]
pub struct UnbackedClaim {
    pub section: String,
    pub question: String,
    /// The option answered.
    pub option: String,
    /// The kinds any one of which would back it.
    pub kinds: Vec<String>,
    pub accepted_by: Option<String>,
}

/// Every unbacked claim of a live vendor, in questionnaire order, then in
/// the order of the question's `evidence` table.
pub(crate) fn claims(ctx: &Context<'_>) -> Part<Vec<UnbackedClaim>> {
    let mut part = Part {
        result: Vec::new(),
        problems: Vec::new(),
    };
    if !ctx.live() {
        return part;
    }
    let v = ctx.vendor;
    for section in &ctx.registry.questionnaire.sections {
        for q in section.questions.iter().filter(|q| !q.evidence.is_empty()) {
            let Some(answer) = v.answers.get(&section.id).and_then(|s| s.get(&q.id)) else {
                continue;
            };
            let answered: &[String] = match &answer.value {
                AnswerValue::Text(s) => std::slice::from_ref(s),
                AnswerValue::List(items) => items,
                _ => &[],
            };
            for (option, kinds) in &q.evidence {
                if !answered.contains(option) || on_file(v, kinds) {
                    continue;
                }
                let claim = UnbackedClaim {
                    section: section.id.clone(),
                    question: q.id.clone(),
                    option: option.clone(),
                    kinds: kinds.clone(),
                    accepted_by: kinds
                        .iter()
                        .find_map(|k| ctx.acceptances.by(&Accepts::Artifact(k.clone()))),
                };
                part.problems.push(problem(ctx, &claim, answer));
                part.result.push(claim);
            }
        }
    }
    part
}

/// Whether any artifact of one of `kinds` about the vendor itself is
/// listed, in any status: a subprocessor's report (`subject`) does not back
/// the vendor's claim.
fn on_file(v: &Vendor, kinds: &[String]) -> bool {
    v.artifacts
        .iter()
        .any(|a| a.subject.is_none() && kinds.contains(&a.kind))
}

fn problem(ctx: &Context<'_>, claim: &UnbackedClaim, answer: &Answer) -> Problem {
    let titles: Vec<&str> = claim
        .kinds
        .iter()
        .map(|k| {
            ctx.registry
                .kinds
                .get(k)
                .map_or(k.as_str(), |x| x.title.as_str())
        })
        .collect();
    let ids: Vec<String> = claim.kinds.iter().map(|k| format!("\"{k}\"")).collect();
    let mut p = Problem::new(
        Code::ClaimWithoutEvidence,
        answer.loc.clone(),
        format!(
            "the answers claim `{}` ({}.{}), but no {} is on file",
            claim.option,
            claim.section,
            claim.question,
            titles.join(" or ")
        ),
        format!(
            "ask the vendor for it and add an [[artifact]] with kind = {}, or correct the answer",
            ids.join(" or ")
        ),
    );
    // Accepted by an `artifact:<kind>` exception for any of the kinds;
    // otherwise `rule:E1103[:<section>.<question>]` (settled in `verdict`)
    // may accept it.
    p.accepted_by = claim.accepted_by.clone();
    p.subject(format!("{}.{}", claim.section, claim.question))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::testing::{TODAY, context, registry, vendor};

    /// The minimal registry with `frameworks` claims mapped as the example's are.
    fn with_claims() -> Registry {
        let mut reg = registry();
        let q = reg
            .questionnaire
            .sections
            .iter_mut()
            .flat_map(|s| s.questions.iter_mut())
            .find(|q| q.id == "frameworks")
            .unwrap();
        q.evidence = vec![
            ("iso27001".into(), vec!["iso27001".into()]),
            ("soc2-type2".into(), vec!["soc2-type2".into()]),
        ];
        reg
    }

    fn claimed(reg: &Registry, v: &Vendor) -> Vec<String> {
        claims(&context(reg, v, TODAY))
            .result
            .into_iter()
            .map(|c| c.option)
            .collect()
    }

    #[test]
    fn a_claim_with_an_artifact_of_its_kind_on_file_is_backed() {
        let reg = with_claims();
        let v = vendor(&reg, "acme-infusion");
        assert_eq!(
            v.answers["standards"]["frameworks"].value.to_string(),
            "soc2-type2"
        );
        assert!(claimed(&reg, &v).is_empty());
    }

    #[test]
    fn a_claimed_framework_without_an_artifact_is_reported_at_the_answer() {
        let reg = with_claims();
        let mut v = vendor(&reg, "acme-infusion");
        let answer = v
            .answers
            .get_mut("standards")
            .unwrap()
            .get_mut("frameworks")
            .unwrap();
        answer.value = AnswerValue::List(vec!["soc2-type2".into(), "iso27001".into()]);
        let loc = answer.loc.clone();
        let part = claims(&context(&reg, &v, TODAY));
        assert_eq!(part.result.len(), 1);
        assert_eq!(part.result[0].option, "iso27001");
        let p = &part.problems[0];
        assert_eq!(p.code, Code::ClaimWithoutEvidence);
        assert_eq!(p.loc, loc);
        assert_eq!(
            p.text,
            "the answers claim `iso27001` (standards.frameworks), but no ISO/IEC 27001 certificate is on file"
        );
    }

    #[test]
    fn an_expired_artifact_still_backs_the_claim() {
        let reg = with_claims();
        let mut v = vendor(&reg, "acme-infusion");
        v.artifacts[0].period_end = Some("2020-03-31".parse().unwrap());
        assert!(claimed(&reg, &v).is_empty(), "on file, even expired");
        v.artifacts.retain(|a| a.kind != "soc2-type2");
        assert_eq!(claimed(&reg, &v), ["soc2-type2"]);
    }

    #[test]
    fn a_subprocessors_report_does_not_back_the_vendors_claim() {
        let reg = with_claims();
        let mut v = vendor(&reg, "acme-infusion");
        assert!(
            claimed(&reg, &v).is_empty(),
            "the vendor's own report backs it"
        );
        // The same report, same kind and dates, only about a subprocessor.
        v.artifacts[0].subject = Some("Nimbus Hosting".into());
        assert_eq!(claimed(&reg, &v), ["soc2-type2"]);
        let part = claims(&context(&reg, &v, TODAY));
        assert_eq!(
            part.problems[0].subject.as_deref(),
            Some("standards.frameworks"),
            "rule:E1103 narrows to the question"
        );
    }

    #[test]
    fn a_substitute_does_not_back_a_claim_of_the_kind_it_stands_in_for() {
        let reg = with_claims();
        let mut v = vendor(&reg, "acme-infusion");
        v.artifacts[0].kind = "iso27001".into();
        assert_eq!(claimed(&reg, &v), ["soc2-type2"]);
    }

    #[test]
    fn an_offboarded_vendor_and_an_option_without_evidence_make_no_claim() {
        let mut reg = with_claims();
        let mut v = vendor(&reg, "acme-infusion");
        v.artifacts.clear();
        v.status = VendorStatus::Offboarded;
        assert!(claimed(&reg, &v).is_empty());
        v.status = VendorStatus::Active;
        assert_eq!(claimed(&reg, &v), ["soc2-type2"]);
        // Without a mapping, the option is not a claim.
        for q in reg
            .questionnaire
            .sections
            .iter_mut()
            .flat_map(|s| s.questions.iter_mut())
        {
            q.evidence.clear();
        }
        assert!(claimed(&reg, &v).is_empty());
    }

    #[test]
    fn an_exception_for_the_kind_accepts_the_claim() {
        use crate::assess::testing::exception;
        let reg = with_claims();
        let mut v = vendor(&reg, "acme-infusion");
        v.artifacts.clear();
        v.exceptions = vec![exception(
            "EX-1",
            Accepts::Artifact("soc2-type2".into()),
            "2027-06-01",
        )];
        let part = claims(&context(&reg, &v, TODAY));
        assert_eq!(part.problems[0].accepted_by.as_deref(), Some("EX-1"));
    }
}
