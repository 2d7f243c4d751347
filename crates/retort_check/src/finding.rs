//! What a rule reports and what `check` returns.

use serde::{Deserialize, Serialize};

/// How bad a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses `error`, `warning` or `info` (case-insensitive).
    pub fn parse(text: &str) -> Option<Severity> {
        match text.to_ascii_lowercase().as_str() {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }
}

/// The review a rule belongs to (and the scorecard category, later).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Security,
    Reliability,
    Performance,
    Observability,
    Delivery,
    /// Findings about Retort's own suppression comments.
    Meta,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Security => "security",
            Category::Reliability => "reliability",
            Category::Performance => "performance",
            Category::Observability => "observability",
            Category::Delivery => "delivery",
            Category::Meta => "meta",
        }
    }
}

/// One reported problem. `file` is relative to the checked root (empty for
/// project-level findings); `line`/`column` are 1-based (0 when the finding
/// is about a whole file or the whole project).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub code: String,
    /// The rule's kebab-case name.
    pub rule: String,
    pub category: Category,
    pub severity: Severity,
    pub message: String,
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cwe: Option<u32>,
    /// Stable across unrelated edits: see [`crate::fingerprint`].
    pub fingerprint: String,
    /// How sure the finding is: for data-flow rules, from the path; for the
    /// name-based rules (SEC002, SEC009, SEC016, SEC021, SEC023), from the
    /// evidence that corroborates the name (see [`crate::corroboration`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    /// The path of a data-flow finding: from the source to the sink.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flow: Vec<FlowStep>,
}

pub use retort_dataflow::Confidence;

impl Finding {
    /// Shown, but too unsure to gate: `info` severity at low confidence, as
    /// name-based findings without corroborating evidence are reported. It
    /// keeps no scorecard level from a category.
    pub fn is_tentative(&self) -> bool {
        self.severity == Severity::Info && self.confidence == Some(Confidence::Low)
    }
}

/// One step of a data-flow finding's path (1-based lines and columns).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowStep {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    /// What happens to the value there (`assigned to \`q\``).
    pub note: String,
}

/// The result of [`crate::check`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Report {
    /// Sorted by file, line, column, code (see [`sort_findings`] for the
    /// order reports are shown in). Includes unused-suppression findings.
    pub findings: Vec<Finding>,
    /// Findings hidden by `# retort: ignore` comments.
    pub suppressed: usize,
    /// Findings hidden because a baseline already knew them.
    pub baselined: usize,
    /// Rules that did not judge the tree, by code, with why (`deselected`,
    /// `no Flask app with routes found`, …).
    #[serde(default)]
    pub not_assessed: std::collections::BTreeMap<String, String>,
    /// How much of the tree could be read.
    #[serde(default)]
    pub completeness: crate::assessment::Completeness,
    /// Files that could not be read, decoded or parsed, as `scan` reports them.
    #[serde(default, skip_deserializing)]
    pub diagnostics: Vec<retort_python::Diagnostic>,
    /// The scorecard, when the caller scored the report (from all findings,
    /// before a baseline hid any).
    #[serde(default, skip_deserializing)]
    pub scorecard: Vec<crate::scorecard::CategoryScore>,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }
}

/// Drops findings less sure than `min` (`--min-confidence`): data-flow
/// findings and those of the name-based rules; findings of other rules
/// have no confidence and stay.
pub fn retain_confidence(report: &mut Report, min: Confidence) {
    report.findings.retain(|f| f.confidence.is_none_or(|c| c >= min));
}

/// Whether `report` should fail a CI gate: some finding is at least as
/// severe as `fail_on`.
pub fn fails(report: &Report, fail_on: Severity) -> bool {
    report.findings.iter().any(|f| f.severity >= fail_on)
}

/// The order findings are shown in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortOrder {
    /// Errors first, then warnings, then info; by file and line within each.
    #[default]
    Severity,
    /// By file, line and column.
    File,
    /// By rule code, then file and line.
    Rule,
}

/// Sorts findings for display (fingerprints do not depend on the order).
pub fn sort_findings(findings: &mut [Finding], order: SortOrder) {
    let position = |f: &Finding| (f.file.clone(), f.line, f.column);
    match order {
        SortOrder::Severity => findings.sort_by(|a, b| {
            b.severity.cmp(&a.severity).then_with(|| position(a).cmp(&position(b))).then_with(|| a.code.cmp(&b.code))
        }),
        SortOrder::File => findings.sort_by(|a, b| position(a).cmp(&position(b)).then_with(|| a.code.cmp(&b.code))),
        SortOrder::Rule => findings.sort_by(|a, b| a.code.cmp(&b.code).then_with(|| position(a).cmp(&position(b)))),
    }
}
