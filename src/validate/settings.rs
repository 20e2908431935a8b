//! settings.toml: the site's texts and the `[policy]` windows, each window
//! not negative and defaulting to the embedded policy defaults; the
//! residency and fourth-party tables (`[policy.residency]`,
//! `[policy.fourth_parties]`) with their values non-empty and their tiers
//! defined in tiers.toml.

use super::common::{Diags, not_allowed, tier_level};
use crate::diag::{Code, Diagnostic};
use crate::model::closed::ClosedSet;
use crate::model::defaults::PolicyDefaults;
use crate::model::evidence_file::{EvidenceFilePolicy, EvidenceFileType};
use crate::model::raw::*;
use crate::model::*;
use crate::parse::{Doc, KeyPath};

/// `tiers`: `None` when tiers.toml could not be read (concentration tiers
/// are then only checked for range).
pub(super) fn check_settings(
    doc: &Doc<RawSettings>,
    tiers: Option<&TierPolicy>,
    d: &mut Diags,
) -> Settings {
    let raw = &doc.value;
    let all_defaults = PolicyDefaults::embedded();
    let defaults = all_defaults.policy;
    let policy = doc.root().at(RawSettings::POLICY);
    let positive = |key, v: Option<i64>, default: i64, d: &mut Diags| -> i64 {
        let path = policy.at(key);
        match v {
            Some(v) if v < 0 => {
                d.push(
                    Diagnostic::new(
                        Code::InvalidPolicy,
                        doc.loc(&path),
                        format!("`{path}` must not be negative"),
                    )
                    .help("use a number of days or hours, 0 or more"),
                );
                default
            }
            Some(v) => v,
            None => default,
        }
    };
    Settings {
        title: raw.site.title.clone(),
        organisation: raw.site.organisation.clone(),
        description: raw.site.description.clone(),
        theme: raw.site.theme.clone(),
        rows_per_page: rows_per_page(doc, all_defaults.site.rows_per_page, d),
        vendor_history: vendor_history(doc, all_defaults.site.vendor_history, d),
        expiry_warning_days: positive(
            RawPolicy::EXPIRY_WARNING_DAYS,
            raw.policy.expiry_warning_days,
            defaults.expiry_warning_days,
            d,
        ),
        max_breach_notification_hours: positive(
            RawPolicy::MAX_BREACH_NOTIFICATION_HOURS,
            raw.policy.max_breach_notification_hours,
            defaults.max_breach_notification_hours,
            d,
        ),
        exception_warning_days: positive(
            RawPolicy::EXCEPTION_WARNING_DAYS,
            raw.policy.exception_warning_days,
            defaults.exception_warning_days,
            d,
        ),
        review_warning_days: positive(
            RawPolicy::REVIEW_WARNING_DAYS,
            raw.policy.review_warning_days,
            defaults.review_warning_days,
            d,
        ),
        tracked_severity: match raw.policy.tracked_severity.as_ref().map(|c| c.known()) {
            None => defaults.tracked_severity.severity(),
            Some(Ok(s)) => s.severity(),
            Some(Err(other)) => {
                let path = policy.at(RawPolicy::TRACKED_SEVERITY);
                d.push(not_allowed(doc, &path, other, TrackedSeverity::VALUES));
                defaults.tracked_severity.severity()
            }
        },
        renewal_warning_days: positive(
            RawPolicy::RENEWAL_WARNING_DAYS,
            raw.policy.renewal_warning_days,
            defaults.renewal_warning_days,
            d,
        ),
        end_of_support_warning_months: positive(
            RawPolicy::END_OF_SUPPORT_WARNING_MONTHS,
            raw.policy.end_of_support_warning_months,
            defaults.end_of_support_warning_months,
            d,
        ),
        allowed_regions: words(
            doc,
            &policy
                .at(RawPolicy::RESIDENCY)
                .at(RawResidency::ALLOWED_REGIONS),
            raw.policy.residency.allowed_regions.as_deref(),
            &defaults.residency.allowed_regions,
            d,
        ),
        phi_data: words(
            doc,
            &policy
                .at(RawPolicy::FOURTH_PARTIES)
                .at(RawFourthParties::PHI_DATA),
            raw.policy.fourth_parties.phi_data.as_deref(),
            &defaults.fourth_parties.phi_data,
            d,
        ),
        concentration_threshold: threshold(
            doc,
            raw.policy.fourth_parties.concentration_threshold,
            defaults.fourth_parties.concentration_threshold,
            d,
        ),
        concentration_tiers: concentration_tiers(
            doc,
            raw.policy.fourth_parties.concentration_tiers.as_deref(),
            &defaults.fourth_parties.concentration_tiers,
            tiers,
            d,
        ),
        decision: check_decision(doc, all_defaults.decision, d),
        evidence_files: check_evidence_files(doc, defaults.evidence_files, d),
        intranet_hosts: intranet_hosts(doc, &all_defaults.site.intranet_hosts, d),
    }
}

/// A `[site]` count, 1 to 1000: `value` when given and in range, else
/// `default` (an E-invalid-policy at the value, with `help`, when out of range).
fn site_count(
    doc: &Doc<RawSettings>,
    key: crate::parse::Key<RawSite, i64>,
    value: Option<i64>,
    default: i64,
    help: &str,
    d: &mut Diags,
) -> usize {
    let path = doc.root().at(RawSettings::SITE).at(key);
    let v = match value {
        Some(v) if !(1..=1000).contains(&v) => {
            d.push(
                Diagnostic::new(
                    Code::InvalidPolicy,
                    doc.loc(&path),
                    format!("`{path}` must be between 1 and 1000"),
                )
                .help(help.to_string()),
            );
            default
        }
        Some(v) => v,
        None => default,
    };
    // The embedded defaults are in range; a negative one would be a build bug.
    usize::try_from(v.clamp(1, 1000)).unwrap_or(1)
}

/// `[site] rows_per_page`: 1 to 1000 (E-invalid-policy and the default otherwise).
fn rows_per_page(doc: &Doc<RawSettings>, default: i64, d: &mut Diags) -> usize {
    let help = format!("the site's tables show this many rows per page; {default} is the default");
    site_count(
        doc,
        RawSite::ROWS_PER_PAGE,
        doc.value.site.rows_per_page,
        default,
        &help,
        d,
    )
}

/// `[site] vendor_history`: 1 to 1000 (E-invalid-policy and the default otherwise).
fn vendor_history(doc: &Doc<RawSettings>, default: i64, d: &mut Diags) -> usize {
    let help = format!(
        "a vendor page lists this many of its changes, newest first; {default} is the default"
    );
    site_count(
        doc,
        RawSite::VENDOR_HISTORY,
        doc.value.site.vendor_history,
        default,
        &help,
        d,
    )
}

/// `[decision]`: each value one of its closed set (E0106, the default kept
/// in its place); a condition written twice counts once.
fn check_decision(
    doc: &Doc<RawSettings>,
    defaults: DecisionPolicy,
    d: &mut Diags,
) -> DecisionPolicy {
    let raw = &doc.value.decision;
    let at = doc.root().at(RawSettings::DECISION);
    let not_approved_at = match &raw.not_approved_at {
        Some(v) => v.known().unwrap_or_else(|text| {
            let path = at.at(RawDecision::NOT_APPROVED_AT);
            d.push(not_allowed(doc, &path, text, BlockingSeverity::VALUES));
            defaults.not_approved_at
        }),
        None => defaults.not_approved_at,
    };
    let conditions = match &raw.conditions {
        Some(list) => {
            let mut out = Vec::new();
            for (i, c) in list.iter().enumerate() {
                match c.known() {
                    Ok(c) if !out.contains(&c) => out.push(c),
                    Ok(_) => {}
                    Err(text) => {
                        let path = at.at(RawDecision::CONDITIONS).item(i);
                        d.push(not_allowed(doc, &path, text, DecisionCondition::VALUES));
                    }
                }
            }
            out
        }
        None => defaults.conditions,
    };
    DecisionPolicy {
        not_approved_at,
        conditions,
    }
}

/// A list of names (regions, data values): each must say something once
/// trimmed; an empty one is reported and left out.
fn words(
    doc: &Doc<RawSettings>,
    path: &KeyPath<Vec<String>>,
    values: Option<&[String]>,
    default: &[String],
    d: &mut Diags,
) -> Vec<String> {
    let Some(values) = values else {
        return default.to_vec();
    };
    let mut out = Vec::new();
    for (i, v) in values.iter().enumerate() {
        if region_key(v).is_empty() {
            d.push(
                Diagnostic::new(
                    Code::InvalidPolicy,
                    doc.loc(&path.item(i)),
                    format!("`{path}` has an empty value"),
                )
                .help("write each value as a name, e.g. \"US\""),
            );
        } else {
            out.push(v.trim().to_string());
        }
    }
    out
}

/// 0 (off) or at least 2: one vendor alone is no concentration.
fn threshold(doc: &Doc<RawSettings>, v: Option<i64>, default: i64, d: &mut Diags) -> usize {
    let path = doc
        .root()
        .at(RawSettings::POLICY)
        .at(RawPolicy::FOURTH_PARTIES)
        .at(RawFourthParties::CONCENTRATION_THRESHOLD);
    let v = v.unwrap_or(default);
    match usize::try_from(v) {
        Ok(n) if n != 1 => n,
        _ => {
            d.push(
                Diagnostic::new(
                    Code::InvalidPolicy,
                    doc.loc(&path),
                    format!("`{path}` must be 0 (off) or at least 2, not {v}"),
                )
                .help("the number of vendors that may share a subprocessor before it is flagged"),
            );
            0
        }
    }
}

/// Tier levels tiers.toml defines.
fn concentration_tiers(
    doc: &Doc<RawSettings>,
    values: Option<&[i64]>,
    default: &[i64],
    tiers: Option<&TierPolicy>,
    d: &mut Diags,
) -> Vec<u8> {
    let path = doc
        .root()
        .at(RawSettings::POLICY)
        .at(RawPolicy::FOURTH_PARTIES)
        .at(RawFourthParties::CONCENTRATION_TIERS);
    let mut out = Vec::new();
    for (i, &level) in values.unwrap_or(default).iter().enumerate() {
        let item = path.item(i);
        let checked = match tiers {
            Some(t) => tier_level(doc, &item, level, t, d),
            None => u8::try_from(level).ok(),
        };
        out.extend(checked);
    }
    out
}

/// `[policy.evidence_files]`: a size limit of at least one byte, and types
/// of the closed set (E0106 names them; HTML and SVG are not among them).
fn check_evidence_files(
    doc: &Doc<RawSettings>,
    defaults: EvidenceFilePolicy,
    d: &mut Diags,
) -> EvidenceFilePolicy {
    let raw = &doc.value.policy.evidence_files;
    let at = doc
        .root()
        .at(RawSettings::POLICY)
        .at(RawPolicy::EVIDENCE_FILES);
    let max_bytes = match raw.max_bytes {
        None => defaults.max_bytes,
        Some(v) => u64::try_from(v).ok().filter(|&n| n > 0).unwrap_or_else(|| {
            let path = at.at(RawEvidenceFiles::MAX_BYTES);
            d.push(
                Diagnostic::new(
                    Code::InvalidPolicy,
                    doc.loc(&path),
                    format!("`{path}` must be at least 1, not {v}"),
                )
                .help("the size in bytes of the largest evidence file the site serves, e.g. 26214400 (25 MiB)"),
            );
            defaults.max_bytes
        }),
    };
    let allowed_types = match &raw.allowed_types {
        None => defaults.allowed_types,
        Some(list) => {
            let mut out = Vec::new();
            for (i, t) in list.iter().enumerate() {
                match t.known() {
                    Ok(t) if !out.contains(&t) => out.push(t),
                    Ok(_) => {}
                    Err(text) => {
                        let path = at.at(RawEvidenceFiles::ALLOWED_TYPES).item(i);
                        d.push(not_allowed(doc, &path, text, EvidenceFileType::VALUES));
                    }
                }
            }
            out
        }
    };
    EvidenceFilePolicy {
        max_bytes,
        allowed_types,
    }
}

/// `[site] intranet_hosts`: host names only (no scheme, path, port or
/// space), kept in lower case without a leading or trailing dot.
fn intranet_hosts(doc: &Doc<RawSettings>, default: &[String], d: &mut Diags) -> Vec<String> {
    let Some(values) = &doc.value.site.intranet_hosts else {
        return default.to_vec();
    };
    let path = doc.root().at(RawSettings::SITE).at(RawSite::INTRANET_HOSTS);
    let mut out = Vec::new();
    for (i, v) in values.iter().enumerate() {
        let host = v.trim().trim_matches('.').to_ascii_lowercase();
        let valid = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
        if valid {
            out.push(host);
        } else {
            d.push(
                Diagnostic::new(
                    Code::InvalidPolicy,
                    doc.loc(&path.item(i)),
                    format!("`{path}` holds `{v}`, which is not a host name"),
                )
                .help("write the host alone, e.g. \"evidence.hospital.example\" (it also covers its subdomains)"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::testing::*;

    #[test]
    fn a_negative_window_is_reported_and_its_default_used() {
        let text = "[site]\ntitle = \"T\"\norganisation = \"O\"\n\n[policy]\nexpiry_warning_days = -1\nreview_warning_days = 10\n";
        let mut d = Diags::default();
        let settings = check_settings(&doc("vetted.toml", text), None, &mut d);
        assert_eq!(
            found(d),
            [(
                "E0501",
                6,
                23,
                "`policy.expiry_warning_days` must not be negative".into()
            )]
        );
        let all_defaults = PolicyDefaults::embedded();
        let defaults = all_defaults.policy;
        assert_eq!(settings.expiry_warning_days, defaults.expiry_warning_days);
        assert_eq!(settings.review_warning_days, 10);
        assert_eq!(
            settings.max_breach_notification_hours,
            defaults.max_breach_notification_hours
        );
    }

    #[test]
    fn forward_windows_and_fourth_party_keys_default_and_are_checked() {
        let base = "[site]\ntitle = \"T\"\norganisation = \"O\"\n";
        let mut d = Diags::default();
        let s = check_settings(&doc("vetted.toml", base), Some(&tiers()), &mut d);
        assert!(d.0.is_empty());
        assert_eq!(
            (s.renewal_warning_days, s.end_of_support_warning_months),
            (90, 18)
        );
        assert!(s.allowed_regions.is_empty() && s.phi_data.is_empty());
        assert_eq!(s.concentration_threshold, 0, "off by default");
        let text = format!(
            "{base}\n[policy]\nrenewal_warning_days = -5\n\n[policy.residency]\nallowed_regions = [\" US \", \"  \"]\n\n[policy.fourth_parties]\nphi_data = [\"phi\"]\nconcentration_threshold = 1\nconcentration_tiers = [1, 7]\n"
        );
        let mut d = Diags::default();
        let s = check_settings(&doc("vetted.toml", &text), Some(&tiers()), &mut d);
        assert_eq!(
            found(d),
            [
                (
                    "E0305",
                    14,
                    27,
                    "tier 7 is not defined in tiers.toml".into()
                ),
                (
                    "E0501",
                    6,
                    24,
                    "`policy.renewal_warning_days` must not be negative".into()
                ),
                (
                    "E0501",
                    9,
                    28,
                    "`policy.residency.allowed_regions` has an empty value".into()
                ),
                (
                    "E0501",
                    13,
                    27,
                    "`policy.fourth_parties.concentration_threshold` must be 0 (off) or at least 2, not 1"
                        .into()
                ),
            ]
        );
        assert_eq!(s.allowed_regions, ["US"]);
        assert_eq!(s.phi_data, ["phi"]);
        assert_eq!(s.concentration_tiers, [1]);
        assert_eq!(s.renewal_warning_days, 90);
    }

    /// `[site] KEY`: `default` when absent, `ok` kept, 0 and 1001 an E0501
    /// at the value (line 4, column `col`) and the default kept.
    fn kept_between_1_and_1000(
        key: &str,
        col: u32,
        default: usize,
        ok: usize,
        get: impl Fn(&Settings) -> usize,
    ) {
        let base = "[site]\ntitle = \"T\"\norganisation = \"O\"\n";
        let mut d = Diags::default();
        let s = check_settings(&doc("vetted.toml", base), Some(&tiers()), &mut d);
        assert_eq!(get(&s), default);
        for (v, want) in [
            (ok.to_string(), ok),
            ("0".into(), default),
            ("1001".into(), default),
        ] {
            let text = format!("{base}{key} = {v}\n");
            let mut d = Diags::default();
            let s = check_settings(&doc("vetted.toml", &text), Some(&tiers()), &mut d);
            assert_eq!(get(&s), want, "{key} = {v}");
            let diags = found(d);
            if want == ok {
                assert!(diags.is_empty(), "{diags:?}");
            } else {
                assert_eq!(
                    diags,
                    [(
                        "E0501",
                        4,
                        col,
                        format!("`site.{key}` must be between 1 and 1000")
                    )]
                );
            }
        }
    }

    #[test]
    fn rows_per_page_defaults_to_100_and_is_kept_between_1_and_1000() {
        kept_between_1_and_1000("rows_per_page", 17, 100, 25, |s| s.rows_per_page);
    }

    #[test]
    fn vendor_history_defaults_to_3_and_is_kept_between_1_and_1000() {
        kept_between_1_and_1000("vendor_history", 18, 3, 20, |s| s.vendor_history);
    }
}
