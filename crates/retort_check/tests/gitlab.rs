//! GitLab Code Quality output (`--format gitlab`): every issue carries the
//! fields GitLab requires, checked with a JSON Schema written from GitLab's
//! documented format (description, check_name, fingerprint, severity,
//! location.path, location.lines.begin), on the example service.

mod common;

use std::collections::HashSet;

use common::*;
use retort_check::{render_gitlab, CheckConfig};
use serde_json::{json, Value};

fn code_quality_schema() -> Value {
    json!({
        "type": "array",
        "items": {
            "type": "object",
            "required": ["description", "check_name", "fingerprint", "severity", "location"],
            "properties": {
                "description": {"type": "string", "minLength": 1},
                "check_name": {"type": "string", "minLength": 1},
                "fingerprint": {"type": "string", "minLength": 1},
                "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
                "location": {
                    "type": "object",
                    "required": ["path", "lines"],
                    "properties": {
                        "path": {"type": "string", "minLength": 1, "not": {"pattern": "^(/|\\./)"}},
                        "lines": {
                            "type": "object",
                            "required": ["begin"],
                            "properties": {"begin": {"type": "integer", "minimum": 1}}
                        }
                    }
                }
            }
        }
    })
}

#[test]
fn gitlab_code_quality_has_the_required_fields_and_unique_fingerprints() {
    let root = shopfront_root();
    let project = load(&root);
    let report = check_project(&project, &CheckConfig::default());
    assert!(!report.findings.is_empty());
    let issues: Value = serde_json::from_str(&render_gitlab(&report)).unwrap();

    let validator = jsonschema::validator_for(&code_quality_schema()).unwrap();
    let errors: Vec<String> = validator.iter_errors(&issues).map(|e| format!("{e} at {}", e.instance_path)).collect();
    assert!(errors.is_empty(), "{errors:#?}");

    let issues = issues.as_array().unwrap();
    assert_eq!(issues.len(), report.findings.len());
    let fingerprints: HashSet<&str> = issues.iter().map(|i| i["fingerprint"].as_str().unwrap()).collect();
    assert_eq!(fingerprints.len(), issues.len(), "GitLab shows only the first issue of a fingerprint");
    for (issue, finding) in issues.iter().zip(&report.findings) {
        assert_eq!(issue["check_name"], finding.code.as_str());
        let path = issue["location"]["path"].as_str().unwrap();
        if !finding.file.is_empty() {
            assert_eq!(path, finding.file);
            assert!(root.join(path).is_file(), "{path} is relative to the checked root");
            assert_eq!(issue["location"]["lines"]["begin"].as_u64().unwrap(), u64::from(finding.line.max(1)));
        }
        let expected = match finding.severity {
            retort_check::Severity::Error => "critical",
            retort_check::Severity::Warning => "major",
            retort_check::Severity::Info => "info",
        };
        assert_eq!(issue["severity"], expected);
    }
    // The example's SQL injection is there, at its file.
    assert!(issues.iter().any(|i| i["check_name"] == "SEC003"
        && i["location"]["path"] == "shopfront/storefront/views.py"
        && i["severity"] == "critical"));
}

#[test]
fn an_empty_report_is_an_empty_array() {
    let report = retort_check::Report::default();
    assert_eq!(serde_json::from_str::<Value>(&render_gitlab(&report)).unwrap(), json!([]));
}
