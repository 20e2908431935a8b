//! What a vendor's data-contract errors leave out of its record.
//!
//! Every error validation reports in a vendor file is located; the item it
//! is located in (an artifact, an answer, a finding, an exception, a
//! product, `[contract]`, `[review]`…) is left out of the vendor's record,
//! and the vendor is assessed on everything else and marked partial. The
//! item is found from the error's byte offset and the file's own key spans
//! (each item starts where its key or `[[header]]` is written), never from
//! the diagnostic's text. Assessment reads the typed [`LeftOut`] list to skip
//! the rules that depend on a value left out, instead of judging without it.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::diag::{Diagnostic, Severity};
use crate::model::raw::*;
use crate::model::*;
use crate::parse::{Doc, KeyPath};

/// A vendor's parsed files, as far as they parsed.
pub(super) struct VendorDocs<'a> {
    pub(super) vendor: Option<&'a Doc<RawVendor>>,
    pub(super) answers: Option<&'a Doc<RawAnswers>>,
    pub(super) artifacts: Option<&'a Doc<RawArtifacts>>,
    pub(super) findings: Option<&'a Doc<RawFindings>>,
    pub(super) exceptions: Option<&'a Doc<RawExceptions>>,
    /// notes.md, relative to the registry, when it was read.
    pub(super) notes: Option<&'a Arc<str>>,
}

/// One place an item starts in its file: errors from there up to the next
/// anchor belong to it.
struct Anchor<'a> {
    start: usize,
    item: LeftOutItem,
    /// The item's key path.
    path: String,
    /// Which key of the item an error at an offset is under.
    under: Box<dyn Fn(usize) -> Option<&'static str> + 'a>,
}

/// The anchor of the item at `path`, when the file has it; `keys`: the
/// keys of its table (empty for a single value).
fn anchor<'a, T, P: 'a>(
    doc: &'a Doc<T>,
    path: KeyPath<P>,
    item: LeftOutItem,
    keys: &'static [&'static str],
) -> Option<Anchor<'a>> {
    doc.value_loc(&path)?;
    let start = doc.key_loc(&path).start;
    let text = path.as_str().to_string();
    Some(Anchor {
        start,
        item,
        path: text,
        under: Box::new(move |offset| doc.key_before(&path, keys, offset)),
    })
}

/// The items of the vendor's files that `errors` (the check's diagnostics;
/// only errors count) are located in, one entry per item with its first
/// error, in file order. `kinds`: the artifact kinds of the policy, to tell
/// an artifact of an unknown kind.
pub(super) fn left_out(
    errors: &[Diagnostic],
    docs: &VendorDocs<'_>,
    kinds: &BTreeMap<String, ArtifactKind>,
) -> Vec<LeftOut> {
    let mut errors: Vec<&Diagnostic> = errors
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    // The common case costs nothing: no anchors are built for a clean vendor.
    if errors.is_empty() {
        return Vec::new();
    }
    errors.sort_by(|a, b| (&a.loc.path, a.loc.start).cmp(&(&b.loc.path, b.loc.start)));
    let files: Vec<(Arc<str>, Vec<Anchor<'_>>)> = [
        docs.vendor.map(|d| (d.path.clone(), vendor_anchors(d))),
        docs.answers.map(|d| (d.path.clone(), answer_anchors(d))),
        docs.artifacts
            .map(|d| (d.path.clone(), artifact_anchors(d, kinds))),
        docs.findings.map(|d| (d.path.clone(), finding_anchors(d))),
        docs.exceptions
            .map(|d| (d.path.clone(), exception_anchors(d))),
    ]
    .into_iter()
    .flatten()
    .map(|(path, mut anchors)| {
        anchors.sort_by_key(|a| a.start);
        (path, anchors)
    })
    .collect();
    let mut out: Vec<LeftOut> = Vec::new();
    for e in errors {
        let (item, key) = match files.iter().find(|(p, _)| **p == *e.loc.path) {
            Some((_, anchors)) => locate(anchors, e.loc.start),
            None if docs.notes.is_some_and(|n| **n == *e.loc.path) => {
                (LeftOutItem::Other { key: "link".into() }, String::new())
            }
            None => (LeftOutItem::File, String::new()),
        };
        // Errors are sorted by place and items are contiguous, so the
        // errors of one item follow each other: keep its first.
        if out
            .last()
            .is_some_and(|l| l.file == e.loc.path && l.item == item)
        {
            continue;
        }
        out.push(LeftOut {
            file: e.loc.path.clone(),
            item,
            key,
            code: e.code,
            message: e.message.clone(),
        });
    }
    out
}

/// The item an error at byte `offset` of a file is in (the last to start
/// at or before it; `anchors` sorted by start), and the key path it is under.
fn locate(anchors: &[Anchor<'_>], offset: usize) -> (LeftOutItem, String) {
    let after = anchors.partition_point(|a| a.start <= offset);
    let Some(a) = after.checked_sub(1).and_then(|i| anchors.get(i)) else {
        return (LeftOutItem::File, String::new());
    };
    let key = match (a.under)(offset) {
        Some(k) => format!("{}.{k}", a.path),
        None => a.path.clone(),
    };
    (a.item.clone(), key)
}

fn vendor_anchors(doc: &Doc<RawVendor>) -> Vec<Anchor<'_>> {
    let root = doc.root();
    let raw = &doc.value;
    let mut out = Vec::new();
    // The keys no rule depends on as a whole, each its own item: a bad
    // website or contact link leaves that value out, nothing else.
    let arrays_and_tables = [
        RawVendor::PRODUCT.name(),
        RawVendor::SUBPROCESSOR.name(),
        RawVendor::CONTRACT.name(),
        RawVendor::REVIEW.name(),
    ];
    for name in RawVendor::KEYS {
        if arrays_and_tables.contains(name) {
            continue;
        }
        if let Some(start) = doc.child_start(&root, name) {
            out.push(Anchor {
                start,
                item: LeftOutItem::Other {
                    key: (*name).into(),
                },
                path: (*name).into(),
                under: Box::new(|_| None),
            });
        }
    }
    out.extend(anchor(
        doc,
        root.at(RawVendor::CONTRACT),
        LeftOutItem::Contract,
        RawContract::KEYS,
    ));
    out.extend(anchor(
        doc,
        root.at(RawVendor::REVIEW),
        LeftOutItem::Review,
        RawReview::KEYS,
    ));
    for (i, p) in raw.products.iter().enumerate() {
        let item = LeftOutItem::Product {
            index: i,
            name: p.name.clone(),
        };
        let path = root.at(RawVendor::PRODUCT).item(i);
        out.extend(anchor(doc, path, item, RawProduct::KEYS));
    }
    for i in 0..raw.subprocessors.len() {
        let item = LeftOutItem::Subprocessor { index: i };
        let path = root.at(RawVendor::SUBPROCESSOR).item(i);
        out.extend(anchor(doc, path, item, RawSubprocessor::KEYS));
    }
    out
}

fn answer_anchors(doc: &Doc<RawAnswers>) -> Vec<Anchor<'_>> {
    let mut out = Vec::new();
    for (sid, answers) in &doc.value.sections {
        let spath = doc.root().section(sid);
        let item = LeftOutItem::Answer {
            section: sid.clone(),
            question: None,
        };
        out.extend(anchor(doc, spath.clone(), item, &[]));
        for qid in answers.keys() {
            let item = LeftOutItem::Answer {
                section: sid.clone(),
                question: Some(qid.clone()),
            };
            out.extend(anchor(doc, spath.entry(qid), item, &[]));
        }
    }
    out
}

fn artifact_anchors<'a>(
    doc: &'a Doc<RawArtifacts>,
    kinds: &BTreeMap<String, ArtifactKind>,
) -> Vec<Anchor<'a>> {
    let list = doc.root().at(RawArtifacts::ARTIFACT);
    let mut out = Vec::new();
    for (i, a) in doc.value.artifacts.iter().enumerate() {
        let item = LeftOutItem::Artifact {
            index: i,
            kind: kinds.contains_key(&a.kind).then(|| a.kind.clone()),
        };
        out.extend(anchor(doc, list.item(i), item, RawArtifact::KEYS));
    }
    out
}

fn finding_anchors(doc: &Doc<RawFindings>) -> Vec<Anchor<'_>> {
    let list = doc.root().at(RawFindings::FINDING);
    let mut out = Vec::new();
    for (i, f) in doc.value.findings.iter().enumerate() {
        let item = LeftOutItem::Finding {
            index: i,
            id: f.id.clone(),
        };
        out.extend(anchor(doc, list.item(i), item, RawFinding::KEYS));
    }
    out
}

fn exception_anchors(doc: &Doc<RawExceptions>) -> Vec<Anchor<'_>> {
    let list = doc.root().at(RawExceptions::EXCEPTION);
    let mut out = Vec::new();
    for (i, e) in doc.value.exceptions.iter().enumerate() {
        let item = LeftOutItem::Exception {
            index: i,
            id: e.id.clone(),
        };
        out.extend(anchor(doc, list.item(i), item, RawException::KEYS));
    }
    out
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::{Path, PathBuf};

    use crate::model::*;

    /// tests/fixtures/minimal copied to a fresh folder, with `edits`
    /// (file, find, replace) applied, validated by the real pipeline.
    fn validated(name: &str, edits: &[(&str, &str, &str)]) -> crate::validate::Validated {
        fn copy(from: &Path, to: &Path) {
            fs::create_dir_all(to).unwrap();
            for e in fs::read_dir(from).unwrap() {
                let e = e.unwrap();
                let target = to.join(e.file_name());
                if e.file_type().unwrap().is_dir() {
                    copy(&e.path(), &target);
                } else {
                    fs::copy(e.path(), &target).unwrap();
                }
            }
        }
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
        let root: PathBuf =
            std::env::temp_dir().join(format!("vetted-partial-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        copy(&src, &root);
        for (file, find, replace) in edits {
            let p = root.join(file);
            let text = fs::read_to_string(&p).unwrap_or_default();
            assert!(
                text.contains(find) || find.is_empty(),
                "{file}: no `{find}`"
            );
            let text = if find.is_empty() {
                format!("{text}{replace}")
            } else {
                text.replacen(find, replace, 1)
            };
            fs::write(&p, text).unwrap();
        }
        let v = crate::validate::validate(crate::load::load(&root));
        let _ = fs::remove_dir_all(&root);
        v
    }

    const ACME: &str = "vendors/acme-infusion";

    fn acme(v: &crate::validate::Validated) -> &Vendor {
        let reg = v.registry.as_ref().expect("policy is valid");
        reg.vendors
            .iter()
            .find(|x| x.slug == "acme-infusion")
            .expect("acme-infusion is assessed (at least in part)")
    }

    fn codes(v: &crate::validate::Validated) -> Vec<&str> {
        v.diagnostics.iter().map(|d| d.code).collect()
    }

    #[test]
    fn a_clean_vendor_has_nothing_left_out() {
        let v = validated("clean", &[]);
        assert!(v.not_assessed.is_empty());
        assert!(acme(&v).left_out.is_empty());
        assert!(!acme(&v).is_partial());
    }

    #[test]
    fn a_misspelt_product_in_covers_leaves_that_artifact_out() {
        let v = validated(
            "covers",
            &[(
                "vendors/acme-infusion/artifacts.toml",
                r#"covers = ["SmartPump 4"]"#,
                r#"covers = ["Auroa LVP"]"#,
            )],
        );
        assert_eq!(codes(&v), ["E0305"]);
        assert!(v.not_assessed.is_empty());
        let a = acme(&v);
        assert_eq!(
            a.left_out,
            [LeftOut {
                file: format!("{ACME}/artifacts.toml").into(),
                item: LeftOutItem::Artifact {
                    index: 0,
                    kind: Some("soc2-type2".into())
                },
                key: "artifact[0].covers".into(),
                code: "E0305",
                message: "`Auroa LVP` is not a product of this vendor".into(),
            }]
        );
        assert_eq!(
            a.left_out[0].describe(),
            "artifacts.toml artifact 1 (covers: E0305 `Auroa LVP` is not a product of this vendor)"
        );
        // The other two artifacts are kept.
        let kept: Vec<usize> = a.artifacts.iter().map(|x| x.index).collect();
        assert_eq!(kept, [1, 2]);
    }

    #[test]
    fn an_artifact_of_an_unknown_kind_might_be_any_kind() {
        let v = validated(
            "kind",
            &[(
                "vendors/acme-infusion/artifacts.toml",
                r#"kind = "baa""#,
                r#"kind = "bba""#,
            )],
        );
        let a = acme(&v);
        assert_eq!(
            a.left_out[0].item,
            LeftOutItem::Artifact {
                index: 2,
                kind: None
            }
        );
        assert_eq!(a.left_out[0].key, "artifact[2].kind");
        assert_eq!(a.artifact_left_out(|k| k == "soc2-type2"), Some(3));
    }

    #[test]
    fn one_item_with_two_errors_is_left_out_once_with_its_first() {
        let v = validated(
            "twice",
            &[(
                "vendors/acme-infusion/artifacts.toml",
                "issued = 2026-05-15\nperiod_end = 2026-03-31",
                "issued = 2026-05-15T10:00:00\nperiod_end = 2026-03-31T10:00:00",
            )],
        );
        assert_eq!(codes(&v), ["E0105", "E0105"]);
        let a = acme(&v);
        assert_eq!(a.left_out.len(), 1);
        assert_eq!(a.left_out[0].key, "artifact[0].issued");
    }

    #[test]
    fn an_answer_outside_the_options_is_left_out_by_section_and_question() {
        let v = validated(
            "answer",
            &[(
                "vendors/acme-infusion/answers.toml",
                r#"frameworks = ["soc2-type2"]"#,
                r#"frameworks = ["soc2"]"#,
            )],
        );
        let a = acme(&v);
        assert_eq!(
            a.left_out[0].item,
            LeftOutItem::Answer {
                section: "standards".into(),
                question: Some("frameworks".into())
            }
        );
        assert_eq!(a.left_out[0].item.label(), "[standards].frameworks");
        assert!(a.answer_left_out("standards", "frameworks"));
        assert!(!a.answer_left_out("standards", "shares_audit_reports"));
        assert!(!a.answers["standards"].contains_key("frameworks"));
        assert!(a.answers["standards"].contains_key("shares_audit_reports"));
    }

    #[test]
    fn a_broken_finding_is_left_out_and_an_exception_on_it_is_not_dangling() {
        let findings = "[[finding]]\nid = \"F-1\"\ntitle = \"t\"\nseverity = \"severe\"\nopened = 2026-01-01\n\n\
                        [[finding]]\nid = \"F-2\"\ntitle = \"t\"\nseverity = \"low\"\nopened = 2026-01-01\n";
        let exceptions = "[[exception]]\nid = \"X-1\"\naccepts = \"finding:F-1\"\nreason = \"r\"\napprover = \"CISO\"\napproved = 2026-01-10\nexpires = 2026-12-31\n";
        let v = validated(
            "finding",
            &[
                ("vendors/acme-infusion/findings.toml", "", findings),
                ("vendors/acme-infusion/exceptions.toml", "", exceptions),
            ],
        );
        assert_eq!(codes(&v), ["E0106"], "{:#?}", v.diagnostics);
        let a = acme(&v);
        assert_eq!(
            a.left_out[0].item,
            LeftOutItem::Finding {
                index: 0,
                id: "F-1".into()
            }
        );
        assert_eq!(a.left_out[0].item.label(), "finding 1");
        assert_eq!(a.findings.len(), 1);
        assert_eq!(a.exceptions.len(), 1, "the exception is kept");
    }

    #[test]
    fn an_exception_on_a_finding_nowhere_written_is_still_dangling() {
        let exceptions = "[[exception]]\nid = \"X-1\"\naccepts = \"finding:F-404\"\nreason = \"r\"\napprover = \"CISO\"\napproved = 2026-01-10\nexpires = 2026-12-31\n";
        let v = validated(
            "dangling",
            &[("vendors/acme-infusion/exceptions.toml", "", exceptions)],
        );
        assert_eq!(codes(&v), ["E0305"]);
        let a = acme(&v);
        assert_eq!(
            a.left_out[0].item,
            LeftOutItem::Exception {
                index: 0,
                id: "X-1".into()
            }
        );
    }

    #[test]
    fn contract_review_and_product_errors_leave_that_table_out() {
        let v = validated(
            "tables",
            &[
                (
                    "vendors/acme-infusion/vendor.toml",
                    "renewal = 2027-03-01",
                    "renewal = 2027-03-01T00:00:00",
                ),
                (
                    "vendors/acme-infusion/vendor.toml",
                    "last_assessed = 2026-03-10",
                    "last_assessed = 2026-03-10T00:00:00",
                ),
                (
                    "vendors/acme-infusion/vendor.toml",
                    "end_of_support = 2031-12-31",
                    "end_of_support = 2031-12-31T00:00:00",
                ),
            ],
        );
        let a = acme(&v);
        let items: Vec<(&LeftOutItem, &str)> = a
            .left_out
            .iter()
            .map(|l| (&l.item, l.key.as_str()))
            .collect();
        assert_eq!(
            items,
            [
                (
                    &LeftOutItem::Product {
                        index: 0,
                        name: "SmartPump 4".into()
                    },
                    "product[0].end_of_support"
                ),
                (&LeftOutItem::Contract, "contract.renewal"),
                (&LeftOutItem::Review, "review.last_assessed"),
            ]
        );
        assert!(a.contract_left_out() && a.review_left_out());
        assert!(a.products.is_empty(), "the broken product is left out");
    }

    #[test]
    fn a_broken_product_has_no_per_product_requirement_but_the_others_do() {
        let second = "[[product]]\nname = \"SmartPump 5\"\nversion = \"5.0.0\"\nend_of_support = 2031-12-31T00:00:00\n\n[contacts]";
        let v = validated(
            "product",
            &[("vendors/acme-infusion/vendor.toml", "[contacts]", second)],
        );
        let reg = v.registry.as_ref().unwrap();
        let a = acme(&v);
        assert_eq!(
            a.left_out[0].item,
            LeftOutItem::Product {
                index: 1,
                name: "SmartPump 5".into()
            }
        );
        let names: Vec<&str> = a.products.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["SmartPump 4"]);
        let assessment = crate::assess::assess(reg, "2026-11-22".parse().unwrap());
        let acme_a = assessment
            .vendors
            .iter()
            .find(|x| x.slug == "acme-infusion")
            .unwrap();
        assert!(acme_a.partial);
        let per_product: Vec<(&str, Option<&str>)> = acme_a
            .requirements
            .iter()
            .filter(|r| r.product.is_some())
            .map(|r| (r.kind.as_str(), r.product.as_deref()))
            .collect();
        assert_eq!(
            per_product,
            [
                ("sbom", Some("SmartPump 4")),
                ("soc2-type2", Some("SmartPump 4"))
            ]
        );
    }

    #[test]
    fn an_unreadable_optional_file_is_left_out_whole() {
        let v = validated(
            "file",
            &[("vendors/acme-infusion/findings.toml", "", "[[finding]\n")],
        );
        let a = acme(&v);
        assert_eq!(a.left_out.len(), 1);
        assert_eq!(a.left_out[0].item, LeftOutItem::File);
        assert_eq!(a.left_out[0].code, "E0101");
        assert_eq!(&*a.left_out[0].file, "vendors/acme-infusion/findings.toml");
        assert!(
            a.left_out[0]
                .describe()
                .starts_with("findings.toml whole file (E0101 "),
            "{}",
            a.left_out[0].describe()
        );
    }

    #[test]
    fn a_vendor_whose_tier_cannot_be_computed_is_not_assessed_at_all() {
        let v = validated(
            "tier",
            &[(
                "vendors/acme-infusion/vendor.toml",
                "hosting = \"device\"",
                "hosting = \"devise\"",
            )],
        );
        assert_eq!(v.not_assessed, ["acme-infusion"]);
        let v = validated(
            "status",
            &[(
                "vendors/acme-infusion/vendor.toml",
                "status = \"active\"",
                "status = \"activ\"",
            )],
        );
        assert_eq!(v.not_assessed, ["acme-infusion"]);
    }
}
