//! Registry-wide facts the per-vendor parts need, computed once by `assess`
//! before the parallel per-vendor assessment: which vendors of the
//! concentration tiers share each subprocessor (`fourth_parties`, E1504).

use std::collections::BTreeMap;

use super::tier::tier_of;
use crate::model::*;

/// For each subprocessor name (`name_key`), the live vendors of the
/// policy's concentration tiers that list it: (slug, name), by slug.
#[derive(Debug, Default)]
pub(crate) struct Concentration {
    by_name: BTreeMap<String, Vec<(String, String)>>,
}

impl Concentration {
    /// The vendors that list the subprocessor `name` (compared as `name_key`).
    pub(crate) fn users(&self, name: &str) -> Option<&Vec<(String, String)>> {
        self.by_name.get(&name_key(name))
    }
}

/// The cheap pre-pass `assess` runs before the per-vendor parts: every
/// vendor's tier, and who shares which subprocessor. Empty when the policy
/// turns concentration off.
pub(crate) fn concentration(reg: &Registry) -> Concentration {
    let settings = &reg.settings;
    let mut by_name: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    if settings.concentration_threshold == 0 {
        return Concentration { by_name };
    }
    for v in &reg.vendors {
        if v.status == VendorStatus::Offboarded {
            continue;
        }
        let (tier, _) = tier_of(&reg.tiers, &v.profile);
        if !settings.concentration_tiers.contains(&tier) {
            continue;
        }
        for s in &v.subprocessors {
            let users = by_name.entry(name_key(&s.name)).or_default();
            if !users.iter().any(|(slug, _)| slug == &v.slug) {
                users.push((v.slug.clone(), v.name.clone()));
            }
        }
    }
    for users in by_name.values_mut() {
        users.sort();
    }
    Concentration { by_name }
}
