use serde::Serialize;

use crate::finding::{Finding, Report, Severity};

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    tool: &'static str,
    summary: Summary,
    findings: &'a [Finding],
    /// Files that could not be read, decoded or parsed (as in `scan`).
    diagnostics: &'a [retort_python::Diagnostic],
    completeness: &'a crate::assessment::Completeness,
    /// Rules that did not judge the tree, with why.
    not_assessed: &'a std::collections::BTreeMap<String, String>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    scorecard: &'a [crate::scorecard::CategoryScore],
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    findings: usize,
    warnings: usize,
    info: usize,
    suppressed: usize,
    baselined: usize,
}

/// The report as JSON (`version` 1): a summary and every finding.
pub fn render_json(report: &Report) -> String {
    let out = JsonReport {
        version: 1,
        tool: concat!("retort ", env!("CARGO_PKG_VERSION")),
        summary: Summary {
            errors: report.count(Severity::Error),
            findings: report.findings.len(),
            warnings: report.count(Severity::Warning),
            info: report.count(Severity::Info),
            suppressed: report.suppressed,
            baselined: report.baselined,
        },
        findings: &report.findings,
        diagnostics: &report.diagnostics,
        completeness: &report.completeness,
        not_assessed: &report.not_assessed,
        scorecard: &report.scorecard,
    };
    let mut text = serde_json::to_string_pretty(&out).expect("report serialises");
    text.push('\n');
    text
}
