//! vendor.toml: the status, products, subprocessors, profile, contract,
//! review, and the website and contact links, and where the values
//! assessment points at are written.

use std::collections::BTreeMap;

use super::common::{Diags, check_link, factor_ids, not_allowed, opt_date};
use crate::diag::{Code, Diagnostic, Loc};
use crate::model::closed::ClosedSet;
use crate::model::raw::*;
use crate::model::*;
use crate::parse::Doc;

/// What vendor.toml gives the vendor record once checked. A field is `None`
/// where its error leaves the vendor out of assessment.
pub(super) struct VendorFile {
    /// `None`: not a known status.
    pub(super) status: Option<VendorStatus>,
    pub(super) products: Vec<Product>,
    /// `None`: the profile does not give every factor a known value.
    pub(super) profile: Option<Profile>,
    pub(super) contract: Option<Contract>,
    pub(super) review: Review,
    pub(super) subprocessors: Vec<Subprocessor>,
    pub(super) regions: Vec<String>,
    pub(super) contacts: Contacts,
}

/// Every check of vendor.toml. A bad status leaves the vendor out, but the
/// rest of the file is still checked so every error in it is reported at once.
pub(super) fn check_vendor_file(
    vdoc: &Doc<RawVendor>,
    tiers: &TierPolicy,
    d: &mut Diags,
) -> VendorFile {
    let raw = &vdoc.value;
    let status = match raw.status.known() {
        Ok(status) => Some(status),
        Err(text) => {
            let path = vdoc.root().at(RawVendor::STATUS);
            d.push(not_allowed(vdoc, &path, text, VendorStatus::VALUES));
            None
        }
    };
    check_vendor_links(vdoc, d);
    let products = check_products(vdoc, d);
    let profile = check_profile(vdoc, tiers, d);
    let (contract, review) = check_contract_and_review(vdoc, d);
    let subprocessors = check_subprocessors(vdoc, d);
    let contacts = Contacts {
        security: raw.contacts.security.clone(),
        account: raw.contacts.account.clone(),
        disclosure: raw.contacts.disclosure.clone(),
    };
    VendorFile {
        status,
        products,
        profile,
        contract,
        review,
        subprocessors,
        regions: raw.regions.clone(),
        contacts,
    }
}

/// The subprocessors of vendor.toml, each named once (trimmed,
/// case-insensitively: artifacts name them as their `subject`), with where
/// their values are written.
fn check_subprocessors(vdoc: &Doc<RawVendor>, d: &mut Diags) -> Vec<Subprocessor> {
    let mut out: Vec<Subprocessor> = Vec::new();
    for (i, s) in vdoc.value.subprocessors.iter().enumerate() {
        let path = vdoc.root().at(RawVendor::SUBPROCESSOR).item(i);
        if out.iter().any(|x| name_key(&x.name) == name_key(&s.name)) {
            d.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    vdoc.loc(&path.at(RawSubprocessor::NAME)),
                    format!("subprocessor `{}` is listed twice", s.name),
                )
                .help("list each subprocessor once, with every service it provides"),
            );
            continue;
        }
        out.push(Subprocessor {
            name: s.name.clone(),
            service: s.service.clone(),
            data: s.data.clone(),
            region: s.region.clone(),
            baa_flow_down: s.baa_flow_down,
            locs: SubprocessorLocs {
                entry: vdoc.loc(&path),
                name: vdoc.loc_at(&path, RawSubprocessor::NAME),
                region: vdoc.loc_at(&path, RawSubprocessor::REGION),
                baa_flow_down: vdoc.loc_at(&path, RawSubprocessor::BAA_FLOW_DOWN),
            },
        });
    }
    out
}

/// Where the vendor's files and the values of vendor.toml that assessment
/// points at are written.
pub(super) fn vendor_locs(
    vdoc: &Doc<RawVendor>,
    answers_file: Loc,
    artifacts_file: Loc,
    profile: BTreeMap<String, Loc>,
) -> VendorLocs {
    let root_path = vdoc.root();
    let contract_path = root_path.at(RawVendor::CONTRACT);
    let review_path = root_path.at(RawVendor::REVIEW);
    VendorLocs {
        vendor_file: Loc::file(&vdoc.path),
        answers_file,
        artifacts_file,
        profile,
        contract: vdoc.loc(&contract_path),
        review: vdoc.loc(&review_path),
        last_assessed: vdoc.loc_at(&review_path, RawReview::LAST_ASSESSED),
        major_change: vdoc.loc_at(&review_path, RawReview::MAJOR_CHANGE),
        signed: vdoc.loc_at(&contract_path, RawContract::SIGNED),
        new_integration: vdoc.loc_at(&review_path, RawReview::NEW_INTEGRATION),
        security_incident: vdoc.loc_at(&review_path, RawReview::SECURITY_INCIDENT),
        regions: (0..vdoc.value.regions.len())
            .map(|i| vdoc.loc(&root_path.at(RawVendor::REGIONS).item(i)))
            .collect(),
        renewal: vdoc.loc_at(&contract_path, RawContract::RENEWAL),
        baa: vdoc.loc_at(&contract_path, RawContract::BAA),
        audit_rights: vdoc.loc_at(&contract_path, RawContract::AUDIT_RIGHTS),
        breach_notification_hours: vdoc
            .loc_at(&contract_path, RawContract::BREACH_NOTIFICATION_HOURS),
    }
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
pub(super) type Profile = (BTreeMap<String, String>, BTreeMap<String, Loc>);

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
                        factor_ids(&tiers.factors)
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
            new_integration: opt_date(
                vdoc,
                &rpath.at(RawReview::NEW_INTEGRATION),
                &r.new_integration,
                d,
            ),
            security_incident: opt_date(
                vdoc,
                &rpath.at(RawReview::SECURITY_INCIDENT),
                &r.security_incident,
                d,
            ),
        })
        .unwrap_or_default();
    (contract, review)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::testing::*;

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
    fn subprocessors_are_named_once_and_located() {
        let text = "name = \"n\"\nstatus = \"active\"\ncategory = \"c\"\nowner = \"o\"\nregions = [\"US\"]\n\n[[subprocessor]]\nname = \"Nimbus\"\nservice = \"hosting\"\nregion = \"US\"\nbaa_flow_down = true\n\n[[subprocessor]]\nname = \" nimbus\"\nservice = \"backup\"\n\n[profile]\nphi_access = \"full\"\n";
        let vdoc = doc::<RawVendor>("vendor.toml", text);
        let mut d = Diags::default();
        let subs = check_subprocessors(&vdoc, &mut d);
        assert_eq!(
            found(d),
            [(
                "E0304",
                14,
                8,
                "subprocessor ` nimbus` is listed twice".into()
            )]
        );
        assert_eq!(subs.len(), 1);
        assert_eq!(subs[0].baa_flow_down, Some(true));
        assert_eq!(
            (subs[0].locs.region.line, subs[0].locs.region.column),
            (10, 10)
        );
        assert_eq!(
            (
                subs[0].locs.baa_flow_down.line,
                subs[0].locs.baa_flow_down.column
            ),
            (11, 17)
        );
        let locs = vendor_locs(
            &vdoc,
            Loc::file(&vdoc.path),
            Loc::file(&vdoc.path),
            BTreeMap::new(),
        );
        assert_eq!((locs.regions[0].line, locs.regions[0].column), (5, 12));
    }
}
