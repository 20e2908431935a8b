//! Diagnostics: every problem vetted reports, with a stable code, a location
//! (path relative to the registry, line, column) and a help line.
//!
//! Stages collect diagnostics instead of stopping at the first; `sort` orders
//! them by path, line and column so output is deterministic.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

/// How serious a diagnostic is. Ordered so that `Error > Warning > Note`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A place in a registry file. `start..end` is a byte range into the file's text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Loc {
    pub path: Arc<str>,
    pub line: u32,
    pub column: u32,
    #[serde(skip)]
    pub start: usize,
    #[serde(skip)]
    pub end: usize,
}

impl Loc {
    /// A whole-file location (line 1, column 1), for problems without a span.
    pub fn file(path: &Arc<str>) -> Loc {
        Loc {
            path: path.clone(),
            line: 1,
            column: 1,
            start: 0,
            end: 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: &'static str,
    #[serde(flatten)]
    pub loc: Loc,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(code: Code, loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: code.severity(),
            code: code.id(),
            loc,
            message: message.into(),
            help: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

/// Sort by path, line, column, then code and message, and drop exact duplicates.
pub fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| {
        (&a.loc.path, a.loc.line, a.loc.column, a.code, &a.message).cmp(&(
            &b.loc.path,
            b.loc.line,
            b.loc.column,
            b.code,
            &b.message,
        ))
    });
    diags.dedup();
}

/// Counts per severity.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

impl Tally {
    pub fn of(diags: &[Diagnostic]) -> Tally {
        let mut t = Tally::default();
        for d in diags {
            match d.severity {
                Severity::Error => t.errors += 1,
                Severity::Warning => t.warnings += 1,
                Severity::Note => t.notes += 1,
            }
        }
        t
    }
}

/// The text of every file that diagnostics may point into, keyed by relative path.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: BTreeMap<Arc<str>, SourceText>,
}

#[derive(Debug, Clone)]
pub struct SourceText {
    pub text: Arc<str>,
    /// Byte offset of the start of every line.
    line_starts: Arc<[usize]>,
    /// Columns are byte offsets when the text is ASCII (almost always).
    ascii: bool,
}

impl SourceText {
    pub fn new(text: Arc<str>) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        let ascii = text.is_ascii();
        SourceText {
            text,
            line_starts: starts.into(),
            ascii,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let col = if self.ascii {
            offset - start
        } else {
            self.text
                .get(start..offset)
                .map_or(offset - start, |s| s.chars().count())
        };
        (line as u32 + 1, col as u32 + 1)
    }

    pub fn loc(&self, path: &Arc<str>, span: Range<usize>) -> Loc {
        let (line, column) = self.line_col(span.start);
        Loc {
            path: path.clone(),
            line,
            column,
            start: span.start,
            end: span.end,
        }
    }

    /// Byte offset where a 1-based line starts.
    pub fn line_start(&self, line: u32) -> Option<usize> {
        let i = (line as usize).checked_sub(1)?;
        self.line_starts.get(i).copied()
    }

    /// The text of a 1-based line, without its newline.
    pub fn line_text(&self, line: u32) -> Option<&str> {
        let i = (line as usize).checked_sub(1)?;
        let start = *self.line_starts.get(i)?;
        let end = self
            .line_starts
            .get(i + 1)
            .copied()
            .unwrap_or(self.text.len());
        self.text
            .get(start..end)
            .map(|s| s.trim_end_matches(['\n', '\r']))
    }
}

impl Sources {
    pub fn insert(&mut self, path: Arc<str>, text: SourceText) {
        self.files.insert(path, text);
    }

    pub fn get(&self, path: &str) -> Option<&SourceText> {
        self.files.get(path)
    }

    /// Join many sets at once: one bulk build, instead of tens of thousands
    /// of inserts each searching the tree.
    pub fn join(parts: impl IntoIterator<Item = Sources>) -> Sources {
        Sources {
            files: parts.into_iter().flat_map(|s| s.files).collect(),
        }
    }
}

macro_rules! codes {
    ($( $variant:ident = $id:literal, $sev:ident, $title:literal; )*) => {
        /// Every diagnostic code vetted emits. Codes are stable: never renumber.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code { $( $variant, )* }

        impl Code {
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];
            pub fn id(self) -> &'static str { match self { $( Code::$variant => $id, )* } }
            pub fn severity(self) -> Severity { match self { $( Code::$variant => Severity::$sev, )* } }
            pub fn title(self) -> &'static str { match self { $( Code::$variant => $title, )* } }
        }
    };
}

codes! {
    // Files
    NotUtf8 = "E0001", Error, "file is not valid UTF-8";
    ByteOrderMark = "E0002", Error, "file starts with a byte-order mark";
    TooLarge = "E0003", Error, "file exceeds the size limit";
    Unreadable = "E0004", Error, "file cannot be read";
    // TOML and schema
    TomlSyntax = "E0101", Error, "TOML syntax error";
    UnknownKey = "E0102", Error, "unknown key";
    WrongType = "E0103", Error, "value has the wrong type";
    MissingKey = "E0104", Error, "required key is missing";
    ImpossibleDate = "E0105", Error, "date is impossible or not a plain date";
    ValueNotAllowed = "E0106", Error, "value is not one of the allowed values";
    // Registry structure
    BadSlug = "E0201", Error, "vendor folder name is not a valid slug";
    DuplicateSlug = "E0202", Error, "two vendor folders have the same slug";
    MissingFile = "E0203", Error, "required file is missing";
    UnknownFile = "E0204", Warning, "file is not part of the registry format";
    // Content
    UnknownQuestion = "E0301", Error, "answer to a question the questionnaire does not have";
    OutsideOptions = "E0302", Error, "answer is not one of the question's options";
    AnswerType = "E0303", Error, "answer has the wrong type for its question";
    DuplicateId = "E0304", Error, "identifier is used twice";
    UnknownReference = "E0305", Error, "reference to something that does not exist";
    // Safety
    PathEscapes = "E0401", Error, "file reference escapes the vendor folder";
    FileNotFound = "E0402", Error, "referenced file does not exist";
    ChecksumMismatch = "E0403", Error, "file does not match its sha256";
    LinkScheme = "E0404", Error, "link scheme is not allowed";
    EvidenceFileType = "E0405", Warning, "evidence file is not a type the site serves";
    EvidenceFileTooLarge = "E0406", Warning, "evidence file exceeds the site's size limit";
    // Policy files
    InvalidPolicy = "E0501", Error, "questionnaire, tier or artifact-kind definition is inconsistent";
    // Assessment: artifacts
    ArtifactExpired = "E1001", Error, "artifact has expired";
    ArtifactExpiring = "E1002", Warning, "artifact expires soon";
    ArtifactMissing = "E1003", Error, "required evidence is missing";
    ArtifactStale = "E1004", Error, "version-bound artifact describes another product version";
    BridgeRejected = "E1005", Warning, "bridge letter longer than the policy allows";
    SurveillanceOverdue = "E1006", Error, "certificate's surveillance audit is overdue";
    InterimMissing = "E1007", Error, "HITRUST r2 interim assessment missing or outside its window";
    ArtifactNotAccepted = "E1008", Warning, "artifact kind is not accepted for this vendor's status";
    ArtifactUndated = "E1009", Error, "artifact lacks the date its validity counts from";
    DatesOutOfOrder = "E1010", Error, "dates contradict each other";
    FutureDate = "E1011", Error, "date lies in the future";
    ScopeExcluded = "E1012", Warning, "evidence scope excludes what the tier requires";
    MetBySubstitute = "E1013", Note, "requirement met by a substitute kind";
    // Assessment: answers
    RedFlag = "E1101", Warning, "red flag in an answer";
    Unanswered = "E1102", Error, "question required for this tier is unanswered";
    ClaimWithoutEvidence = "E1103", Warning, "framework claimed in answers has no evidence on file";
    // Assessment: contract
    NoBaa = "E1201", Error, "vendor accesses PHI without a business associate agreement";
    SlowBreachNotice = "E1202", Error, "breach notification slower than policy";
    NoAuditRights = "E1203", Error, "tier requires audit rights in the contract";
    AlwaysOnRemoteAccess = "E1204", Error, "tier requires time-bound remote access";
    RenewalPast = "E1205", Warning, "contract renewal date has passed";
    NoContract = "E1206", Warning, "active vendor has no contract on record";
    RenewalSoon = "E1207", Note, "contract renewal is near (a warning while terms are missing)";
    // Assessment: reviews and lifecycle
    ReviewOverdue = "E1301", Error, "reassessment is overdue";
    MajorChange = "E1302", Error, "major change since the last assessment forces a review";
    NeverAssessed = "E1303", Warning, "vendor has never been assessed";
    ReviewDueSoon = "E1304", Note, "reassessment due soon";
    EndOfSupport = "E1305", Error, "product is past its end of support";
    EndOfSupportSoon = "E1306", Warning, "product reaches its end of support soon";
    IntegrationSinceReview = "E1307", Error, "new integration since the last assessment forces a review";
    IncidentSinceReview = "E1308", Error, "security incident since the last assessment forces a review";
    // Assessment: findings and exceptions
    FindingOverdue = "E1401", Error, "finding is past its due date";
    ExceptionExpired = "E1402", Error, "exception has expired";
    ExceptionExpiring = "E1403", Warning, "exception expires soon";
    Accepted = "E1404", Note, "item accepted by an active exception";
    // Assessment: fourth parties
    RegionNotAllowed = "E1501", Error, "data hosted or processed outside the allowed regions";
    NoBaaFlowDown = "E1502", Error, "subprocessor touches PHI without a BAA flow-down";
    SubprocessorUnassured = "E1503", Warning, "no evidence of a PHI subprocessor's own assurance";
    SubprocessorConcentration = "E1504", Warning, "many critical vendors depend on one subprocessor";
}

/// Whether a code is a data-contract (validation) code, E0xxx, rather than an
/// assessment code, E1xxx.
pub fn is_data_contract(id: &str) -> bool {
    id.starts_with("E0")
}

/// The title of a code by its id ("E0101" -> "TOML syntax error").
pub fn code_title(id: &str) -> &'static str {
    Code::ALL
        .iter()
        .find(|c| c.id() == id)
        .map_or("", |c| c.title())
}
