//! A finding of `retort check` as an LSP diagnostic.

use std::path::Path;

use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Range, Url,
};
use retort_check::{Finding, Severity};

use crate::position::{lines, to_lsp, Encoding};

/// The diagnostics of the findings in one file, `text` being the file's
/// text as analysed. `rules_url` is a template with `{code}` for the
/// rule's documentation (`codeDescription`).
pub fn to_diagnostics(
    findings: &[&Finding],
    text: &str,
    root: &Path,
    encoding: Encoding,
    rules_url: Option<&str>,
) -> Vec<Diagnostic> {
    let lines = lines(text);
    findings
        .iter()
        .map(|finding| {
            let start = to_lsp(&lines, finding.line, finding.column, encoding);
            let end = to_lsp(&lines, finding.end_line, finding.end_column, encoding);
            Diagnostic {
                range: Range::new(start, end.max(start)),
                severity: Some(severity(finding.severity)),
                code: Some(NumberOrString::String(finding.code.clone())),
                code_description: rules_url
                    .and_then(|template| rule_link(template, &finding.code))
                    .map(|href| CodeDescription { href }),
                source: Some("retort".to_string()),
                message: finding.message.clone(),
                related_information: related_information(finding, &lines, root, encoding),
                tags: None,
                data: None,
            }
        })
        .collect()
}

/// The link to a rule's documentation: `template` with `{code}` replaced,
/// `None` when that is not a URL.
pub fn rule_link(template: &str, code: &str) -> Option<Url> {
    Url::parse(&template.replace("{code}", code)).ok()
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// The steps of a data-flow finding, source to sink. Columns of steps in
/// other files are taken as UTF-16 as they are (exact for ASCII lines):
/// the server holds only the open file's text.
fn related_information(
    finding: &Finding,
    lines: &[&str],
    root: &Path,
    encoding: Encoding,
) -> Option<Vec<DiagnosticRelatedInformation>> {
    if finding.flow.is_empty() {
        return None;
    }
    let steps = finding
        .flow
        .iter()
        .filter_map(|step| {
            let uri = Url::from_file_path(root.join(&step.file)).ok()?;
            let range = if step.file == finding.file {
                let start = to_lsp(lines, step.line, step.column, encoding);
                let end = to_lsp(lines, step.end_line, step.end_column, encoding);
                Range::new(start, end.max(start))
            } else {
                let start = lsp_types::Position::new(step.line.saturating_sub(1), step.column.saturating_sub(1));
                let end = lsp_types::Position::new(step.end_line.saturating_sub(1), step.end_column.saturating_sub(1));
                Range::new(start, end.max(start))
            };
            Some(DiagnosticRelatedInformation { location: Location { uri, range }, message: step.note.clone() })
        })
        .collect();
    Some(steps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use retort_check::{Category, FlowStep};

    fn finding(code: &str, severity: Severity, line: u32, column: u32, end_line: u32, end_column: u32) -> Finding {
        Finding {
            code: code.to_string(),
            rule: "rule-name".to_string(),
            category: Category::Reliability,
            severity,
            message: "Outbound HTTP call without a timeout".to_string(),
            file: "app.py".to_string(),
            line,
            column,
            end_line,
            end_column,
            cwe: None,
            fingerprint: String::new(),
            confidence: None,
            flow: Vec::new(),
        }
    }

    #[test]
    fn findings_become_diagnostics_with_ranges_codes_and_links() {
        let text = "import requests\nr = requests.get(url)\n";
        let found = finding("REL001", Severity::Warning, 2, 5, 2, 22);
        let diagnostics = to_diagnostics(
            &[&found],
            text,
            Path::new("/project"),
            Encoding::Utf16,
            Some("https://example.org/rules/{code}.md"),
        );
        let d = &diagnostics[0];
        assert_eq!(d.range, Range::new(lsp_types::Position::new(1, 4), lsp_types::Position::new(1, 21)));
        assert_eq!(d.severity, Some(DiagnosticSeverity::WARNING));
        assert_eq!(d.code, Some(NumberOrString::String("REL001".into())));
        assert_eq!(d.code_description.as_ref().unwrap().href.as_str(), "https://example.org/rules/REL001.md");
        assert_eq!(d.source.as_deref(), Some("retort"));
        assert_eq!(d.message, "Outbound HTTP call without a timeout");
        assert!(d.related_information.is_none());

        // A whole-file finding sits at the start; no template, no link.
        let whole = finding("SEC001", Severity::Error, 0, 0, 0, 0);
        let d = &to_diagnostics(&[&whole], text, Path::new("/project"), Encoding::Utf16, None)[0];
        assert_eq!(d.range, Range::default());
        assert_eq!(d.severity, Some(DiagnosticSeverity::ERROR));
        assert!(d.code_description.is_none());
    }

    #[test]
    fn data_flow_steps_become_related_information() {
        let text = "q = request.args['q']\ndb.execute(q)\n";
        let mut found = finding("SEC003", Severity::Error, 2, 12, 2, 13);
        let step = |file: &str, line, note: &str| FlowStep {
            file: file.to_string(),
            line,
            column: 5,
            end_line: line,
            end_column: 9,
            note: note.to_string(),
        };
        found.flow = vec![step("views.py", 3, "source"), step("app.py", 2, "reaches `execute()`")];
        let d = &to_diagnostics(&[&found], text, Path::new("/project"), Encoding::Utf16, None)[0];
        let related = d.related_information.as_ref().unwrap();
        assert_eq!(related.len(), 2);
        assert_eq!(related[0].location.uri.as_str(), "file:///project/views.py");
        assert_eq!(related[0].location.range.start, lsp_types::Position::new(2, 4));
        assert_eq!(related[1].message, "reaches `execute()`");
    }
}
