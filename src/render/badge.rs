//! Badges: every status the site shows, as text plus a colour family and a
//! sort rank. One function per status type, so a status looks the same on
//! every page.

use super::text::capitalise;
use super::view::Badge;
use crate::assess::{ArtifactStatus, ComplianceStatus, ExceptionStatus};
use crate::diag::Severity;
use crate::model::{FindingSeverity, VendorStatus};

pub(crate) fn compliance_badge(s: ComplianceStatus) -> Badge {
    match s {
        ComplianceStatus::Compliant => Badge::new("compliant", s.label(), "good", 0),
        ComplianceStatus::Attention => Badge::new("attention", s.label(), "warn", 1),
        ComplianceStatus::NonCompliant => Badge::new("non-compliant", s.label(), "bad", 2),
    }
}

pub(crate) fn artifact_badge(s: ArtifactStatus) -> Badge {
    let (key, tone, rank) = match s {
        ArtifactStatus::Superseded => ("superseded", "neutral", 0),
        ArtifactStatus::Valid => ("valid", "good", 1),
        ArtifactStatus::Expiring => ("expiring", "warn", 2),
        ArtifactStatus::NotAccepted => ("not-accepted", "warn", 3),
        ArtifactStatus::Stale => ("stale", "bad", 4),
        ArtifactStatus::Expired => ("expired", "bad", 5),
        ArtifactStatus::Missing => ("missing", "bad", 6),
    };
    Badge::new(key, &capitalise(s.label()), tone, rank)
}

pub(crate) fn severity_badge(s: Severity) -> Badge {
    match s {
        Severity::Error => Badge::new("error", "Error", "bad", 2),
        Severity::Warning => Badge::new("warning", "Warning", "warn", 1),
        Severity::Note => Badge::new("note", "Note", "info", 0),
    }
}

pub(crate) fn finding_badge(s: FindingSeverity) -> Badge {
    match s {
        FindingSeverity::Critical => Badge::new("critical", "Critical", "bad", 3),
        FindingSeverity::High => Badge::new("high", "High", "bad", 2),
        FindingSeverity::Medium => Badge::new("medium", "Medium", "warn", 1),
        FindingSeverity::Low => Badge::new("low", "Low", "info", 0),
    }
}

pub(crate) fn open_badge(open: bool) -> Badge {
    if open {
        Badge::new("open", "Open", "warn", 1)
    } else {
        Badge::new("closed", "Closed", "neutral", 0)
    }
}

pub(crate) fn exception_badge(s: ExceptionStatus) -> Badge {
    match s {
        ExceptionStatus::Active => Badge::new("active", "Active", "good", 0),
        ExceptionStatus::Expiring => Badge::new("expiring", "Expiring", "warn", 1),
        ExceptionStatus::Expired => Badge::new("expired", "Expired", "bad", 2),
    }
}

pub(crate) fn lifecycle_badge(s: VendorStatus) -> Badge {
    match s {
        VendorStatus::Prospective => Badge::new("prospective", "Prospective", "info", 0),
        VendorStatus::Active => Badge::new("active", "Active", "neutral", 1),
        VendorStatus::Offboarded => Badge::new("offboarded", "Offboarded", "neutral", 2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn artifact_badges_rank_worse_statuses_higher() {
        let valid = artifact_badge(ArtifactStatus::Valid);
        let missing = artifact_badge(ArtifactStatus::Missing);
        assert_eq!((valid.key.as_str(), valid.tone.as_str()), ("valid", "good"));
        assert_eq!(missing.label, "Missing");
        assert!(missing.rank > valid.rank);
    }

    #[test]
    fn compliance_badges_carry_the_status_label() {
        let b = compliance_badge(ComplianceStatus::NonCompliant);
        assert_eq!(b.key, "non-compliant");
        assert_eq!(b.label, ComplianceStatus::NonCompliant.label());
        assert_eq!(b.tone, "bad");
    }
}
