//! Tests of the rules a partial assessment follows: what depends on a value
//! validation left out (`Vendor::left_out`) is not assessed, rather than
//! assessed as if the value were absent. The hooks are one line each in the
//! parts (`evidence::requirements`, `answers`, `contract`, `reviews`).

use std::sync::Arc;

use super::answers::answers;
use super::context::Part;
use super::contract::contract;
use super::evidence::{artifacts, requirements};
use super::reviews::reviews;
use super::testing::{TODAY, context, registry, vendor};
use crate::diag::Code;
use crate::model::*;

fn left_out(item: LeftOutItem) -> LeftOut {
    LeftOut {
        file: Arc::from("vendors/acme-infusion/x.toml"),
        item,
        key: String::new(),
        code: "E0305",
        message: "m".into(),
    }
}

fn codes<T>(part: &Part<T>) -> Vec<&'static str> {
    part.problems.iter().map(|p| p.code.id()).collect()
}

/// acme-infusion without its SOC 2 (artifact 0), left out with `kind`.
fn without_soc2(kind: Option<&str>) -> Vendor {
    let reg = registry();
    let mut v = vendor(&reg, "acme-infusion");
    v.artifacts.retain(|a| a.index != 0);
    if let Some(kind) = kind {
        v.left_out.push(left_out(LeftOutItem::Artifact {
            index: 0,
            kind: (kind != "?").then(|| kind.to_string()),
        }));
    }
    v
}

fn soc2_requirement(v: &Vendor) -> (Option<String>, Vec<&'static str>) {
    let reg = registry();
    let ctx = context(&reg, v, TODAY);
    let assessed = artifacts(&ctx);
    let part = requirements(&ctx, &assessed.result);
    let soc2 = part
        .result
        .iter()
        .find(|r| r.kind == "soc2-type2")
        .expect("tier 1 requires a SOC 2");
    (soc2.not_assessed.clone(), codes(&part))
}

#[test]
fn a_requirement_whose_artifact_was_left_out_is_not_assessed_not_missing() {
    // Without the SOC 2 and nothing left out, it is missing.
    assert_eq!(
        soc2_requirement(&without_soc2(None)),
        (None, vec![Code::ArtifactMissing.id()])
    );
    // Left out for data errors: not assessed, and not reported missing.
    assert_eq!(
        soc2_requirement(&without_soc2(Some("soc2-type2"))),
        (Some("artifact 1 has data errors".into()), vec![])
    );
}

#[test]
fn a_left_out_substitute_or_unknown_kind_also_blocks_the_missing_verdict() {
    // iso27001 substitutes for soc2-type2 in the fixture's policy.
    assert_eq!(
        soc2_requirement(&without_soc2(Some("iso27001")))
            .0
            .as_deref(),
        Some("artifact 1 has data errors")
    );
    // An artifact whose kind is unknown might be the SOC 2.
    assert_eq!(
        soc2_requirement(&without_soc2(Some("?"))).0.as_deref(),
        Some("artifact 1 has data errors")
    );
    // A left-out BAA says nothing about the SOC 2: still missing.
    assert_eq!(
        soc2_requirement(&without_soc2(Some("baa"))),
        (None, vec![Code::ArtifactMissing.id()])
    );
}

#[test]
fn a_left_out_answer_is_neither_unanswered_nor_red_flag_checked() {
    let reg = registry();
    let mut v = vendor(&reg, "acme-infusion");
    if let Some(s) = v.answers.get_mut("standards") {
        s.remove("frameworks");
    }
    // Absent: unanswered (with what the "missing" red flag says).
    let part = answers(&context(&reg, &v, TODAY));
    assert_eq!(codes(&part), [Code::Unanswered.id()]);
    v.left_out.push(left_out(LeftOutItem::Answer {
        section: "standards".into(),
        question: Some("frameworks".into()),
    }));
    let part = answers(&context(&reg, &v, TODAY));
    assert!(part.problems.is_empty());
    assert!(part.result.unanswered.is_empty() && part.result.red_flags.is_empty());
}

#[test]
fn a_left_out_contract_skips_the_contract_rules() {
    let reg = registry();
    let mut v = vendor(&reg, "acme-infusion");
    v.contract = None;
    assert_eq!(
        codes(&contract(&context(&reg, &v, TODAY))),
        [Code::NoContract.id()]
    );
    v.left_out.push(left_out(LeftOutItem::Contract));
    assert!(contract(&context(&reg, &v, TODAY)).problems.is_empty());
    // A contract kept in part (a bad renewal date) is not judged either.
    let mut v = vendor(&reg, "acme-infusion");
    if let Some(c) = &mut v.contract {
        c.baa = Some(false);
    }
    assert_eq!(
        codes(&contract(&context(&reg, &v, TODAY))),
        [Code::NoBaa.id()]
    );
    v.left_out.push(left_out(LeftOutItem::Contract));
    assert!(contract(&context(&reg, &v, TODAY)).problems.is_empty());
}

#[test]
fn a_left_out_review_skips_the_review_rules() {
    let reg = registry();
    let mut v = vendor(&reg, "acme-infusion");
    v.review.last_assessed = None;
    let part = reviews(&context(&reg, &v, TODAY));
    assert_eq!(codes(&part), [Code::NeverAssessed.id()]);
    v.left_out.push(left_out(LeftOutItem::Review));
    let part = reviews(&context(&reg, &v, TODAY));
    assert!(part.problems.is_empty());
    assert!(!part.result.overdue);
}

#[test]
fn the_assessment_carries_the_partial_flag_and_what_was_left_out() {
    let reg = registry();
    let v = without_soc2(Some("soc2-type2"));
    let concentration = crate::assess::registry_wide::concentration(&reg);
    let (a, diags) =
        super::assess_vendor(&reg, &v, crate::assess::testing::d(TODAY), &concentration);
    assert!(a.partial);
    assert_eq!(a.left_out, v.left_out);
    assert!(diags.iter().all(|d| d.code != Code::ArtifactMissing.id()));
    let clean = vendor(&reg, "acme-infusion");
    let (a, _) = super::assess_vendor(
        &reg,
        &clean,
        crate::assess::testing::d(TODAY),
        &concentration,
    );
    assert!(!a.partial && a.left_out.is_empty());
}
