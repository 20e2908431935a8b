//! Badges: every status the site shows, as text plus a colour family and a
//! sort rank. One function per status type, so a status looks the same on
//! every page.

use super::text::capitalise;
use super::view::{Badge, Tone};
use crate::assess::{ArtifactStatus, ComplianceStatus, ExceptionStatus};
use crate::diag::Severity;
use crate::model::{Decision, FindingSeverity, VendorStatus};

pub(crate) fn compliance_badge(s: ComplianceStatus) -> Badge {
    match s {
        ComplianceStatus::Compliant => Badge::new("compliant", s.label(), Tone::Good, 0),
        ComplianceStatus::Attention => Badge::new("attention", s.label(), Tone::Warn, 1),
        ComplianceStatus::NonCompliant => Badge::new("non-compliant", s.label(), Tone::Bad, 2),
    }
}

pub(crate) fn decision_badge(d: Decision) -> Badge {
    let (tone, rank) = match d {
        Decision::Approved => (Tone::Good, 0),
        Decision::Conditional => (Tone::Warn, 1),
        Decision::NotApproved => (Tone::Bad, 2),
        Decision::NotAssessed => (Tone::Neutral, 3),
    };
    Badge::new(d.as_str(), d.label(), tone, rank)
}

pub(crate) fn artifact_badge(s: ArtifactStatus) -> Badge {
    let (key, tone, rank) = match s {
        ArtifactStatus::Superseded => ("superseded", Tone::Neutral, 0),
        ArtifactStatus::Valid => ("valid", Tone::Good, 1),
        ArtifactStatus::Expiring => ("expiring", Tone::Warn, 2),
        ArtifactStatus::NotAccepted => ("not-accepted", Tone::Warn, 3),
        ArtifactStatus::Stale => ("stale", Tone::Bad, 4),
        ArtifactStatus::Expired => ("expired", Tone::Bad, 5),
        // As bad as expired: it gives no validity.
        ArtifactStatus::Misdated => ("misdated", Tone::Bad, 5),
        ArtifactStatus::Missing => ("missing", Tone::Bad, 6),
    };
    Badge::new(key, &capitalise(s.label()), tone, rank)
}

pub(crate) fn severity_badge(s: Severity) -> Badge {
    match s {
        Severity::Error => Badge::new("error", "Error", Tone::Bad, 2),
        Severity::Warning => Badge::new("warning", "Warning", Tone::Warn, 1),
        Severity::Note => Badge::new("note", "Note", Tone::Info, 0),
    }
}

pub(crate) fn finding_badge(s: FindingSeverity) -> Badge {
    match s {
        FindingSeverity::Critical => Badge::new("critical", "Critical", Tone::Bad, 3),
        FindingSeverity::High => Badge::new("high", "High", Tone::Bad, 2),
        FindingSeverity::Medium => Badge::new("medium", "Medium", Tone::Warn, 1),
        FindingSeverity::Low => Badge::new("low", "Low", Tone::Info, 0),
    }
}

pub(crate) fn open_badge(open: bool) -> Badge {
    if open {
        Badge::new("open", "Open", Tone::Warn, 1)
    } else {
        Badge::new("closed", "Closed", Tone::Neutral, 0)
    }
}

pub(crate) fn exception_badge(s: ExceptionStatus) -> Badge {
    match s {
        ExceptionStatus::Active => Badge::new("active", "Active", Tone::Good, 0),
        ExceptionStatus::Expiring => Badge::new("expiring", "Expiring", Tone::Warn, 1),
        ExceptionStatus::Expired => Badge::new("expired", "Expired", Tone::Bad, 2),
        ExceptionStatus::NotInForce => Badge::new("not-in-force", "Not in force", Tone::Bad, 2),
    }
}

pub(crate) fn lifecycle_badge(s: VendorStatus) -> Badge {
    match s {
        VendorStatus::Prospective => Badge::new("prospective", "Prospective", Tone::Info, 0),
        VendorStatus::Active => Badge::new("active", "Active", Tone::Neutral, 1),
        VendorStatus::Offboarded => Badge::new("offboarded", "Offboarded", Tone::Neutral, 2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn artifact_badges_rank_worse_statuses_higher() {
        let valid = artifact_badge(ArtifactStatus::Valid);
        let missing = artifact_badge(ArtifactStatus::Missing);
        assert_eq!((valid.key.as_str(), valid.tone), ("valid", Tone::Good));
        assert_eq!(missing.label, "Missing");
        assert!(missing.rank > valid.rank);
    }

    #[test]
    fn compliance_badges_carry_the_status_label() {
        let b = compliance_badge(ComplianceStatus::NonCompliant);
        assert_eq!(b.key, "non-compliant");
        assert_eq!(b.label, ComplianceStatus::NonCompliant.label());
        assert_eq!(b.tone, Tone::Bad);
    }
}
