//! artifacts.toml: each artifact of a known kind, covering products of this
//! vendor, with a version where its kind is version-bound, safe links,
//! evidence files inside the vendor folder (see `evidence`), and plain dates.

use std::path::Path;

use super::common::{Diags, Policy, check_link, date, not_allowed, unknown_kind};
use super::evidence::{FileRef, check_file_ref};
use crate::diag::{Code, Diagnostic, Loc};
use crate::model::closed::ClosedSet;
use crate::model::evidence_file::PublishedFile;
use crate::model::raw::*;
use crate::model::*;
use crate::parse::{Doc, KeyPath};

/// What a vendor's artifacts are checked against.
struct ArtifactScope<'a> {
    /// `None` when vendor.toml could not be read: `covers` is then unchecked.
    products: Option<&'a [Product]>,
    policy: &'a Policy<'a>,
    root: &'a Path,
    abs_dir: &'a Path,
}

pub(super) fn check_artifacts(
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
/// `None` (after reporting every problem) when any of them is wrong.
fn check_artifact(
    doc: &Doc<RawArtifacts>,
    i: usize,
    a: &RawArtifact,
    scope: &ArtifactScope<'_>,
    d: &mut Diags,
) -> Option<Artifact> {
    let path = doc.root().at(RawArtifacts::ARTIFACT).item(i);
    let kind = known_kind(doc, &path, a, scope.policy, d)?;
    let mut ok = check_covers(doc, &path, a, scope.products, d);
    ok &= check_version(doc, &path, a, kind, d);
    let (evidence_ok, published) = check_evidence(doc, &path, a, scope, d);
    ok &= evidence_ok;
    let excludes = check_excludes(doc, &path, a, d);
    let dates = check_dates(doc, &path, a, d);
    let (true, Some(dates), Some(excludes)) = (ok, dates, excludes) else {
        return None;
    };
    Some(Artifact {
        index: i,
        kind: a.kind.clone(),
        title: a.title.clone(),
        issued: dates.issued,
        period_start: dates.period_start,
        period_end: dates.period_end,
        expires: dates.expires,
        scope: a.scope.clone(),
        subject: a.subject.clone(),
        covers: a.covers.clone(),
        version: a.version.clone(),
        link: a.link.clone(),
        file: a.file.clone(),
        sha256: a.sha256.clone(),
        published,
        bridge_until: dates.bridge_until,
        last_surveillance: dates.last_surveillance,
        interim_completed: dates.interim_completed,
        notes: a.notes.clone(),
        excludes,
        loc: doc.loc(&path),
        field_locs: artifact_field_locs(doc, &path),
    })
}

/// The kind of artifact-kinds.toml the artifact names; `None` (reported,
/// with the kinds there are) when there is none.
fn known_kind<'p>(
    doc: &Doc<RawArtifacts>,
    path: &KeyPath<RawArtifact>,
    a: &RawArtifact,
    policy: &'p Policy<'_>,
    d: &mut Diags,
) -> Option<&'p ArtifactKind> {
    let kinds = policy.kinds;
    let kind = kinds.get(&a.kind);
    if kind.is_none() {
        d.push(unknown_kind(
            doc,
            &path.at(RawArtifact::KIND),
            &a.kind,
            kinds,
        ));
    }
    kind
}

/// An artifact of a version-bound kind says which product version it describes.
fn check_version(
    doc: &Doc<RawArtifacts>,
    path: &KeyPath<RawArtifact>,
    a: &RawArtifact,
    kind: &ArtifactKind,
    d: &mut Diags,
) -> bool {
    if !kind.version_bound || a.version.is_some() {
        return true;
    }
    d.push(
        Diagnostic::new(
            Code::MissingKey,
            doc.loc(path),
            format!(
                "a {} artifact must say which product version it describes",
                kind.title
            ),
        )
        .help("add version = \"x.y.z\" and covers = [\"Product\"]"),
    );
    false
}

/// Where the evidence is: a safe absolute link, a file inside the vendor
/// folder matching its sha256, and a sha256 that is 64 hex digits.
fn check_evidence(
    doc: &Doc<RawArtifacts>,
    path: &KeyPath<RawArtifact>,
    a: &RawArtifact,
    scope: &ArtifactScope<'_>,
    d: &mut Diags,
) -> (bool, Option<PublishedFile>) {
    let mut ok = true;
    if let Some(link) = &a.link {
        ok &= check_link(doc, &path.at(RawArtifact::LINK), link, true, d);
    }
    let mut published = None;
    if let Some(file) = &a.file {
        let r = FileRef {
            file_at: path.at(RawArtifact::FILE),
            sha256_at: path.at(RawArtifact::SHA256),
            file,
            sha256: a.sha256.as_deref(),
            root: scope.root,
            abs_dir: scope.abs_dir,
            policy: scope.policy.evidence_files,
        };
        match check_file_ref(doc, &r, d) {
            Ok(p) => published = p,
            Err(()) => ok = false,
        }
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
    (ok, published)
}

/// The dates an artifact may carry, each a plain date where it is given.
struct ArtifactDates {
    issued: Option<Date>,
    period_start: Option<Date>,
    period_end: Option<Date>,
    expires: Option<Date>,
    bridge_until: Option<Date>,
    last_surveillance: Option<Date>,
    interim_completed: Option<Date>,
}

/// The artifact's dates; `None` (after reporting each) when one that is
/// given is not a plain date.
fn check_dates(
    doc: &Doc<RawArtifacts>,
    path: &KeyPath<RawArtifact>,
    a: &RawArtifact,
    d: &mut Diags,
) -> Option<ArtifactDates> {
    let mut ok = true;
    let mut check = |key, v: &Option<toml::value::Datetime>| {
        let dt = v.as_ref()?;
        let parsed = date(doc, &path.at(key), dt, d);
        ok &= parsed.is_some();
        parsed
    };
    let dates = ArtifactDates {
        issued: check(RawArtifact::ISSUED, &a.issued),
        period_start: check(RawArtifact::PERIOD_START, &a.period_start),
        period_end: check(RawArtifact::PERIOD_END, &a.period_end),
        expires: check(RawArtifact::EXPIRES, &a.expires),
        bridge_until: check(RawArtifact::BRIDGE_UNTIL, &a.bridge_until),
        last_surveillance: check(RawArtifact::LAST_SURVEILLANCE, &a.last_surveillance),
        interim_completed: check(RawArtifact::INTERIM_COMPLETED, &a.interim_completed),
    };
    ok.then_some(dates)
}

/// What the artifact's scope excludes, each value one of the closed set
/// and located where it is written (E1012 points there); `None` (after
/// reporting every value outside the set) when one is not. A value written
/// twice is kept once.
fn check_excludes(
    doc: &Doc<RawArtifacts>,
    path: &KeyPath<RawArtifact>,
    a: &RawArtifact,
    d: &mut Diags,
) -> Option<Vec<Excluded>> {
    let mut out: Vec<Excluded> = Vec::new();
    let mut ok = true;
    for (i, x) in a.excludes.iter().enumerate() {
        let at = path.at(RawArtifact::EXCLUDES).item(i);
        match x.known() {
            Ok(exclusion) if out.iter().all(|e| e.exclusion != exclusion) => out.push(Excluded {
                exclusion,
                loc: doc.loc(&at),
            }),
            Ok(_) => {}
            Err(text) => {
                ok = false;
                d.push(not_allowed(doc, &at, text, ScopeExclusion::VALUES));
            }
        }
    }
    ok.then_some(out)
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

/// Every artifact's `subject` names a subprocessor of vendor.toml (trimmed,
/// case-insensitively); called once vendor.toml is read.
pub(super) fn check_subjects(
    doc: &Doc<RawArtifacts>,
    subprocessors: &[Subprocessor],
    d: &mut Diags,
) {
    for (i, a) in doc.value.artifacts.iter().enumerate() {
        let Some(subject) = &a.subject else { continue };
        if subprocessors
            .iter()
            .any(|s| name_key(&s.name) == name_key(subject))
        {
            continue;
        }
        let path = doc.root().at(RawArtifacts::ARTIFACT).item(i);
        let names: Vec<&str> = subprocessors.iter().map(|s| s.name.as_str()).collect();
        d.push(
            Diagnostic::new(
                Code::UnknownReference,
                doc.loc(&path.at(RawArtifact::SUBJECT)),
                format!("`{subject}` is not a subprocessor of this vendor"),
            )
            .help(format!(
                "subprocessors in vendor.toml: {}",
                if names.is_empty() {
                    "none".into()
                } else {
                    names.join(", ")
                }
            )),
        );
    }
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
            F::PeriodStart => doc.value_loc_at(path, RawArtifact::PERIOD_START),
            F::PeriodEnd => doc.value_loc_at(path, RawArtifact::PERIOD_END),
            F::Expires => doc.value_loc_at(path, RawArtifact::EXPIRES),
            F::Covers => doc.value_loc_at(path, RawArtifact::COVERS),
            F::Version => doc.value_loc_at(path, RawArtifact::VERSION),
            F::BridgeUntil => doc.value_loc_at(path, RawArtifact::BRIDGE_UNTIL),
            F::LastSurveillance => doc.value_loc_at(path, RawArtifact::LAST_SURVEILLANCE),
            F::InterimCompleted => doc.value_loc_at(path, RawArtifact::INTERIM_COMPLETED),
            F::Link => doc.value_loc_at(path, RawArtifact::LINK),
            F::File => doc.value_loc_at(path, RawArtifact::FILE),
            F::Excludes => doc.value_loc_at(path, RawArtifact::EXCLUDES),
        };
        if let Some(loc) = loc {
            field_locs.push((*field, loc));
        }
    }
    field_locs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::testing::*;

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
    fn period_start_is_an_optional_plain_date_located_where_written() {
        let text = "[[artifact]]\nkind = \"soc2\"\ntitle = \"t\"\nperiod_start = 2025-07-01\nperiod_end = 2026-06-30\n\n\
                    [[artifact]]\nkind = \"soc2\"\ntitle = \"t\"\nperiod_start = 2025-07-01T08:00:00\n";
        let adoc = doc::<RawArtifacts>("artifacts.toml", text);
        let mut d = Diags::default();
        let item = |i: usize| adoc.root().at(RawArtifacts::ARTIFACT).item(i);
        let dates: Vec<Option<Option<Date>>> = (0..2)
            .map(|i| {
                check_dates(&adoc, &item(i), &adoc.value.artifacts[i], &mut d)
                    .map(|dates| dates.period_start)
            })
            .collect();
        assert_eq!(dates, [Some(Some("2025-07-01".parse().unwrap())), None]);
        let found = found(d);
        let codes: Vec<(&str, u32, u32)> =
            found.iter().map(|(c, l, col, _)| (*c, *l, *col)).collect();
        assert_eq!(
            codes,
            [("E0105", 10, 16)],
            "a date-time is not a plain date"
        );
        let locs = artifact_field_locs(&adoc, &item(0));
        assert!(
            locs.iter()
                .any(|(f, l)| *f == ArtifactField::PeriodStart && (l.line, l.column) == (4, 16))
        );
    }

    #[test]
    fn exclusions_are_located_values_of_the_closed_set() {
        let text = "[[artifact]]\nkind = \"soc2\"\ntitle = \"t\"\nexcludes = [\"production\", \"support-tooling\", \"production\"]\n";
        let adoc = doc::<RawArtifacts>("artifacts.toml", text);
        let path = adoc.root().at(RawArtifacts::ARTIFACT).item(0);
        let mut d = Diags::default();
        let got = check_excludes(&adoc, &path, &adoc.value.artifacts[0], &mut d).unwrap();
        assert!(d.0.is_empty());
        let got: Vec<(ScopeExclusion, u32, u32)> = got
            .iter()
            .map(|x| (x.exclusion, x.loc.line, x.loc.column))
            .collect();
        assert_eq!(
            got,
            [
                (ScopeExclusion::Production, 4, 13),
                (ScopeExclusion::SupportTooling, 4, 27)
            ],
            "each value where it is written, a repeated one once"
        );
        let text = "[[artifact]]\nkind = \"soc2\"\ntitle = \"t\"\nexcludes = [\"prod\"]\n";
        let adoc = doc::<RawArtifacts>("artifacts.toml", text);
        let mut d = Diags::default();
        assert!(check_excludes(&adoc, &path, &adoc.value.artifacts[0], &mut d).is_none());
        assert_eq!(
            found(d),
            [(
                "E0106",
                4,
                13,
                "`prod` is not allowed for `artifact[0].excludes[0]`".into()
            )]
        );
    }
}
