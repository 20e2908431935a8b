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
        if out.iter().any(|l| l.file == e.loc.path && l.item == item) {
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
/// at or before it), and the key path it is under.
fn locate(anchors: &[Anchor<'_>], offset: usize) -> (LeftOutItem, String) {
    let Some(a) = anchors
        .iter()
        .filter(|a| a.start <= offset)
        .max_by_key(|a| a.start)
    else {
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
    for (sid, answers) in &doc.value {
        let spath = doc.root().entry(sid);
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
