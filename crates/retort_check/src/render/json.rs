use serde::Serialize;

use crate::finding::{Finding, Report, Severity};

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    tool: &'static str,
    summary: Summary,
    findings: &'a [Finding],
}

#[derive(Serialize)]
struct Summary {
    findings: usize,
    errors: usize,
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
            findings: report.findings.len(),
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            info: report.count(Severity::Info),
            suppressed: report.suppressed,
            baselined: report.baselined,
        },
        findings: &report.findings,
    };
    let mut text = serde_json::to_string_pretty(&out).expect("report serialises");
    text.push('\n');
    text
}
