//! GitLab Code Quality: the subset of the Code Climate issue format that
//! GitLab reads from a `codequality` report artifact and shows in merge
//! requests. Each issue needs `description`, `check_name`, a `fingerprint`
//! unique within the report, a `severity` (`info`, `minor`, `major`,
//! `critical`, `blocker`) and `location.path` with `location.lines.begin`.

use serde_json::{json, Value};

use crate::finding::{Report, Severity};

/// The Code Quality report: a JSON array with one issue per finding.
/// Project-level findings (no file) are placed at line 1 of `.`, the
/// checked root, so they still show in the merge-request widget.
pub fn render_gitlab(report: &Report) -> String {
    let issues: Vec<Value> = report.findings.iter().map(issue).collect();
    serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".to_string()) + "\n"
}

fn issue(f: &crate::finding::Finding) -> Value {
    let path = if f.file.is_empty() { "." } else { f.file.as_str() };
    let begin = f.line.max(1);
    let end = f.end_line.max(begin);
    json!({
        "type": "issue",
        "description": format!("{} {}", f.code, f.message),
        "check_name": f.code,
        "fingerprint": f.fingerprint,
        "severity": severity(f.severity),
        "categories": [category(f.category)],
        "location": { "path": path, "lines": { "begin": begin, "end": end } },
    })
}

/// Errors are what `--fail-on error` gates on: `critical`; warnings
/// `major`; info stays `info`.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Info => "info",
    }
}

/// Code Climate's categories closest to Retort's.
fn category(category: crate::finding::Category) -> &'static str {
    use crate::finding::Category;
    match category {
        Category::Security => "Security",
        Category::Performance => "Performance",
        Category::Reliability => "Bug Risk",
        Category::Observability | Category::Delivery | Category::Meta => "Style",
    }
}
