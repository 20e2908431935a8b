//! Test support for the parts: the minimal fixture registry, loaded and
//! validated by the real pipeline, and a `Context` over one of its vendors
//! (which a test may change first).

use std::path::Path;
use std::sync::Arc;

use super::context::{Acceptances, Context, Distrusted};
use super::dates::dates;
use super::exceptions::exceptions;
use super::tier::tier_of;
use crate::diag::Loc;
use crate::model::*;

/// The date the fixture's expectations are written for.
pub(crate) const TODAY: &str = "2026-11-22";

pub(crate) fn d(s: &str) -> Date {
    s.parse().unwrap()
}

/// tests/fixtures/minimal: acme-infusion (tier 1, active, PHI, a device) and
/// cloudsched (tier 2, no PHI, cloud).
pub(crate) fn registry() -> Registry {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
    crate::validate::validate(crate::load::load(&root))
        .registry
        .expect("the minimal fixture is valid")
}

pub(crate) fn vendor(reg: &Registry, slug: &str) -> Vendor {
    reg.vendors.iter().find(|v| v.slug == slug).unwrap().clone()
}

/// The context the assembler would build for `v` today.
pub(crate) fn context<'a>(reg: &'a Registry, v: &'a Vendor, today: &str) -> Context<'a> {
    let today = d(today);
    let (tier, _) = tier_of(&reg.tiers, &v.profile);
    let mut ctx = Context {
        registry: reg,
        vendor: v,
        today,
        tier,
        tier_def: reg.tiers.tier(tier),
        acceptances: Acceptances::none(today),
        distrusted: Distrusted::default(),
        // Leaked: a few bytes per test, so a test's context can outlive this call.
        concentration: Box::leak(Box::new(super::registry_wide::concentration(reg))),
    };
    let dates = dates(&ctx);
    let (mut part, acceptances) = exceptions(v, &reg.settings, today);
    ctx.acceptances = dates.result.withdraw(acceptances, &mut part.result);
    ctx.distrusted = dates.result;
    ctx
}

/// An exception approved on 2026-01-01 that accepts `accepts` until `expires`.
pub(crate) fn exception(id: &str, accepts: Accepts, expires: &str) -> Exception {
    let path: Arc<str> = "vendors/x/exceptions.toml".into();
    Exception {
        id: id.into(),
        accepts,
        reason: "r".into(),
        approver: "CISO".into(),
        approved: d("2026-01-01"),
        expires: d(expires),
        compensating_controls: None,
        loc: Loc::file(&path),
        approved_loc: Loc::file(&path),
        expires_loc: Loc::file(&path),
    }
}

/// Finding `id` of Acme ("Old OS"), high severity, opened 2026-01-01, due on
/// `due` (none when `None`).
pub(crate) fn finding(id: &str, due: Option<&str>, open: bool) -> Finding {
    let path: Arc<str> = "vendors/acme-infusion/findings.toml".into();
    Finding {
        id: id.into(),
        title: "Old OS".into(),
        severity: FindingSeverity::High,
        opened: d("2026-01-01"),
        due: due.map(d),
        open,
        closed: None,
        owner: None,
        source: None,
        description: None,
        tracks: None,
        loc: Loc::file(&path),
        opened_loc: Loc::file(&path),
        due_loc: Loc::file(&path),
        closed_loc: Loc::file(&path),
    }
}
