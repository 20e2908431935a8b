//! Links inside the site: vendor page paths, in-page anchors, and links to
//! the exception that accepts an item. Every `href` is a path from the site
//! root (templates prefix `root`), so these never depend on the page's depth.

use super::markdown::safe_url;
use super::view::{AcceptedBy, ExternalLink, VendorLink};
use crate::model::{Accepts, RuleSubject, Vendor};

/// `vendors/<slug>/index.html`.
pub fn vendor_href(v: &Vendor) -> String {
    format!("vendors/{}/index.html", v.slug)
}

pub(crate) fn vendor_link(v: &Vendor) -> VendorLink {
    VendorLink {
        name: v.name.clone(),
        slug: v.slug.clone(),
        href: vendor_href(v),
    }
}

/// The exception `by` (if any) as a link to its entry on the vendor page.
pub(crate) fn accepted(v: &Vendor, by: Option<&String>) -> Option<AcceptedBy> {
    by.map(|id| AcceptedBy {
        id: id.clone(),
        href: format!("{}#{}", vendor_href(v), anchor("exception", id)),
    })
}

/// A link from a TOML field: the text always, the URL only with a safe scheme.
pub(crate) fn external(text: &str) -> ExternalLink {
    ExternalLink {
        text: text.to_string(),
        url: safe_url(text),
    }
}

/// Whether a (safe) URL points at one of the intranet hosts of `[site]
/// intranet_hosts`, or a subdomain of one: the host is compared in lower
/// case without user info, port or trailing dot. A `mailto:` or a relative
/// link has no host and is never intranet.
pub(crate) fn is_intranet(url: &str, hosts: &[String]) -> bool {
    let Some((_, rest)) = url.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or(authority);
    let host = if host_port.starts_with('[') {
        host_port.split(']').next().map_or("", |h| &h[1..])
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    !host.is_empty()
        && hosts.iter().any(|h| {
            host == *h
                || host
                    .strip_suffix(h.as_str())
                    .is_some_and(|p| p.ends_with('.'))
        })
}

/// An HTML id from a prefix and a registry identifier: anything outside
/// `[A-Za-z0-9_-]` becomes `-`, so ids are valid and need no escaping in URLs.
pub fn anchor(prefix: &str, id: &str) -> String {
    let cleaned: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("{prefix}-{cleaned}")
}

/// `q-<section>-<question>`: the same id on the vendor and questionnaire pages.
pub(crate) fn question_anchor(section: &str, question: &str) -> String {
    anchor("q", &format!("{section}-{question}"))
}

/// `r-<section>-<question>-<n>`: the questionnaire page's id of a question's
/// n-th red-flag rule (from 1, in the order questionnaire.toml lists them).
pub(crate) fn rule_anchor(section: &str, question: &str, n: usize) -> String {
    anchor("r", &format!("{section}-{question}-{n}"))
}

/// An entry of the questionnaire page (a section, question or rule anchor).
pub(crate) fn questionnaire_href(fragment: &str) -> String {
    format!("questionnaire/index.html#{fragment}")
}

/// Where the item an exception accepts is shown on the vendor page.
pub(crate) fn accepts_href(v: &Vendor, a: &Accepts) -> String {
    let fragment = match a {
        Accepts::Finding(id) => anchor("finding", id),
        Accepts::RedFlag { section, question } | Accepts::Question { section, question } => {
            question_anchor(section, question)
        }
        Accepts::Artifact(_) => "evidence".to_string(),
        // Where the rule's subject is shown; the profile (contract, review,
        // products) for a rule accepted for the whole vendor.
        Accepts::Rule { code, subject } => {
            let kind = crate::diag::Code::ALL
                .iter()
                .find(|c| c.id() == code)
                .and_then(|c| RuleSubject::of(*c));
            match (kind, subject.as_deref()) {
                (Some(RuleSubject::Question), Some(s)) => s
                    .split_once('.')
                    .map_or_else(|| "profile".to_string(), |(s, q)| question_anchor(s, q)),
                (Some(RuleSubject::Finding), Some(id)) => anchor("finding", id),
                (Some(RuleSubject::ArtifactKind), _) => "evidence".to_string(),
                _ => "profile".to_string(),
            }
        }
    };
    format!("{}#{fragment}", vendor_href(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intranet_hosts_match_the_host_and_its_subdomains_only() {
        let hosts = ["evidence.hospital.example".to_string()];
        for yes in [
            "https://evidence.hospital.example/acme/soc2.pdf",
            "https://EVIDENCE.hospital.example./x",
            "https://docs.evidence.hospital.example:8443/x?y#z",
            "https://user@evidence.hospital.example/x",
        ] {
            assert!(is_intranet(yes, &hosts), "{yes}");
        }
        for no in [
            "https://evidence.hospital.example.attacker.example/x",
            "https://notevidence.hospital.example/x",
            "https://evidence.hospital.example@attacker.example/x",
            "https://attacker.example/evidence.hospital.example",
            "mailto:a@evidence.hospital.example",
            "evidence.hospital.example/x",
        ] {
            assert!(!is_intranet(no, &hosts), "{no}");
        }
        assert!(!is_intranet("https://evidence.hospital.example/", &[]));
    }

    #[test]
    fn anchors_are_plain() {
        assert_eq!(
            anchor("finding", "F-2026/01 \"x\""),
            "finding-F-2026-01--x-"
        );
        assert_eq!(
            question_anchor("standards", "frameworks"),
            "q-standards-frameworks"
        );
        assert_eq!(
            questionnaire_href(&rule_anchor("sbom", "sbom_provided", 2)),
            "questionnaire/index.html#r-sbom-sbom_provided-2"
        );
    }
}
