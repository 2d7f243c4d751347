//! Formats for CI systems: GitHub Actions workflow commands, JUnit XML and
//! a Markdown summary (for pull-request comments or `$GITHUB_STEP_SUMMARY`).

use std::collections::BTreeMap;

use crate::finding::{Report, Severity};

/// GitHub Actions annotations: one `::error file=…,line=…::…` per finding.
pub fn render_github(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        out.push_str(&format!(
            "::{level} file={},line={},col={},endLine={},title={}::{}\n",
            escape_property(&f.file),
            f.line,
            f.column,
            f.end_line,
            escape_property(&format!("{} {}", f.code, f.rule)),
            escape_data(&f.message)
        ));
    }
    for d in &report.diagnostics {
        out.push_str(&format!(
            "::warning file={},line={},title=retort could not analyse this file::{}\n",
            escape_property(&d.file),
            d.line.unwrap_or(1),
            escape_data(&format!("{}: {}", kind(d), d.message))
        ));
    }
    for s in report.scorecard.iter().filter(|s| s.status == "not-assessed") {
        out.push_str(&format!("::notice title=retort scorecard::{}\n", escape_data(&scorecard_line(s))));
    }
    out
}

fn kind(d: &retort_python::Diagnostic) -> String {
    serde_json::to_value(d.kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// `security: bronze (for silver: fix SEC004)`, `delivery: not assessed (…)`.
fn scorecard_line(s: &crate::scorecard::CategoryScore) -> String {
    format!("{}: {}", s.category, s.describe())
}

// GitHub's workflow-command escaping.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

/// JUnit XML: one test suite per rule that fired, one failing test case per
/// finding, so CI dashboards list the findings like failed tests.
pub fn render_junit(report: &Report) -> String {
    let mut by_rule: BTreeMap<(&str, &str), Vec<&crate::finding::Finding>> = BTreeMap::new();
    for f in &report.findings {
        by_rule.entry((f.code.as_str(), f.rule.as_str())).or_default().push(f);
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"retort check\" tests=\"{0}\" failures=\"{0}\">\n",
        report.findings.len()
    ));
    for ((code, rule), findings) in by_rule {
        out.push_str(&format!(
            "  <testsuite name=\"{} {}\" tests=\"{2}\" failures=\"{2}\">\n",
            xml(code),
            xml(rule),
            findings.len()
        ));
        for f in findings {
            out.push_str(&format!(
                "    <testcase name=\"{}:{}:{}\" classname=\"{}\" file=\"{}\" line=\"{}\">\n      <failure type=\"{}\" message=\"{}\">{}:{}:{}: {} {}</failure>\n    </testcase>\n",
                xml(&f.file),
                f.line,
                f.column,
                xml(code),
                xml(&f.file),
                f.line,
                f.severity.as_str(),
                xml(&f.message),
                xml(&f.file),
                f.line,
                f.column,
                xml(code),
                xml(&f.message)
            ));
        }
        out.push_str("  </testsuite>\n");
    }
    if !report.diagnostics.is_empty() {
        out.push_str(&format!(
            "  <testsuite name=\"retort diagnostics\" tests=\"{0}\" errors=\"{0}\">\n",
            report.diagnostics.len()
        ));
        for d in &report.diagnostics {
            out.push_str(&format!(
                "    <testcase name=\"{}\" classname=\"retort.diagnostics\" file=\"{}\">\n      <error type=\"{}\" message=\"{}\"/>\n    </testcase>\n",
                xml(&d.file),
                xml(&d.file),
                xml(&kind(d)),
                xml(&d.message)
            ));
        }
        out.push_str("  </testsuite>\n");
    }
    if !report.scorecard.is_empty() {
        out.push_str(&format!(
            "  <testsuite name=\"retort scorecard\" tests=\"{}\" skipped=\"{}\">\n",
            report.scorecard.len(),
            report.scorecard.iter().filter(|s| s.status == "not-assessed").count()
        ));
        for s in &report.scorecard {
            let skipped = if s.status == "not-assessed" {
                format!("\n      <skipped message=\"{}\"/>\n    ", xml(&scorecard_line(s)))
            } else {
                String::new()
            };
            out.push_str(&format!(
                "    <testcase name=\"{}\" classname=\"retort.scorecard\">{skipped}<system-out>{}</system-out></testcase>\n",
                xml(&s.category),
                xml(&scorecard_line(s))
            ));
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn markdown_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// A Markdown summary: counts by severity, the scorecard, files that could
/// not be analysed, then a table of findings.
pub fn render_markdown(report: &Report) -> String {
    let mut out = format!(
        "## retort check\n\n{} error, {} warning, {} info ({} findings; {} suppressed, {} baselined)\n\n",
        report.count(Severity::Error),
        report.count(Severity::Warning),
        report.count(Severity::Info),
        report.findings.len(),
        report.suppressed,
        report.baselined
    );
    if !report.scorecard.is_empty() {
        out.push_str("Scorecard:\n\n");
        for s in &report.scorecard {
            out.push_str(&format!("- {}\n", markdown_cell(&scorecard_line(s))));
        }
        out.push('\n');
    }
    if !report.completeness.is_complete() {
        out.push_str(&format!("{}:\n\n", report.completeness.describe()));
        for d in &report.diagnostics {
            out.push_str(&format!("- `{}`: {}: {}\n", markdown_cell(&d.file), kind(d), markdown_cell(&d.message)));
        }
        out.push('\n');
    }
    if report.findings.is_empty() {
        return out;
    }
    out.push_str("| severity | code | location | message |\n|---|---|---|---|\n");
    for f in &report.findings {
        out.push_str(&format!(
            "| {} | `{}` {} | `{}:{}` | {} |\n",
            f.severity.as_str(),
            f.code,
            f.rule,
            markdown_cell(&f.file),
            f.line,
            markdown_cell(&f.message)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Category, Finding};

    fn report() -> Report {
        Report {
            findings: vec![Finding {
                code: "SEC003".into(),
                rule: "sql-injection".into(),
                category: Category::Security,
                severity: Severity::Error,
                message: "SQL built from `request.args` <100%>".into(),
                file: "app/views, x.py".into(),
                line: 12,
                column: 5,
                end_line: 12,
                end_column: 30,
                cwe: Some(89),
                fingerprint: "abc".into(),
            }],
            suppressed: 1,
            baselined: 0,
            ..Default::default()
        }
    }

    #[test]
    fn github_annotations_escape_their_fields() {
        assert_eq!(
            render_github(&report()),
            "::error file=app/views%2C x.py,line=12,col=5,endLine=12,title=SEC003 sql-injection::SQL built from `request.args` <100%25>\n"
        );
    }

    #[test]
    fn junit_is_well_formed_and_escaped() {
        let xml = render_junit(&report());
        assert!(xml.contains("<testsuites name=\"retort check\" tests=\"1\" failures=\"1\">"));
        assert!(xml.contains("message=\"SQL built from `request.args` &lt;100%&gt;\""));
        assert_eq!(xml.matches("<testcase ").count(), xml.matches("</testcase>").count());
    }

    #[test]
    fn markdown_counts_and_lists() {
        let md = render_markdown(&report());
        assert!(md.contains("1 error, 0 warning, 0 info (1 findings; 1 suppressed, 0 baselined)"));
        assert!(md.contains("| error | `SEC003` sql-injection | `app/views, x.py:12` |"));
    }
}
