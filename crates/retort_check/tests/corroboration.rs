//! The name-based security rules (SEC002, SEC009, SEC016, SEC021, SEC023)
//! keep their severity only when the code corroborates the name
//! (`crate::corroboration`), and SEC001 only when the debugger can be
//! reached from another machine. For each rule, `fixtures/corroboration/<CODE>.py`
//! holds cases with evidence (reported at the rule's severity, medium or
//! high confidence) and `<CODE>_demoted.py` cases without (reported at
//! `info`, low confidence, with what was missing). The findings are
//! snapshotted with their severity and confidence.

mod common;

use std::path::Path;

use common::*;
use retort_check::{rule, CheckConfig, Confidence, Report, Severity};

/// (code, findings of `<CODE>.py`, findings of `<CODE>_demoted.py`).
const CASES: &[(&str, usize, usize)] =
    &[("SEC001", 4, 3), ("SEC002", 5, 4), ("SEC009", 2, 2), ("SEC016", 3, 3), ("SEC021", 6, 4), ("SEC023", 5, 3)];

fn run(name: &str) -> Report {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/corroboration/{name}.py"));
    let source = std::fs::read_to_string(&path).expect("fixture exists");
    check_sources(&[("app.py", &source)], &CheckConfig::default()).1
}

fn listed(report: &Report, code: &str) -> Vec<String> {
    report
        .findings
        .iter()
        .filter(|f| f.code == code)
        .map(|f| {
            let confidence = f.confidence.map_or("none", |c| c.as_str());
            format!("{}:{} {} [{} {confidence}] {}", f.file, f.line, f.code, f.severity.as_str(), f.message)
        })
        .collect()
}

#[test]
fn corroborated_findings_keep_their_severity() {
    for (code, expected, _) in CASES {
        let report = run(code);
        let found: Vec<_> = report.findings.iter().filter(|f| f.code == *code).collect();
        let shown = listed(&report, code).join("\n");
        assert_eq!(found.len(), *expected, "{code}: every corroborated case fires:\n{shown}");
        for finding in &found {
            assert_eq!(finding.severity, rule(code).unwrap().severity, "{code}:\n{shown}");
            assert!(finding.confidence >= Some(Confidence::Medium), "{code}:\n{shown}");
            assert!(!finding.message.contains("uncorroborated"), "{code}:\n{shown}");
        }
        insta::assert_snapshot!(format!("{code}_corroborated"), shown);
    }
}

#[test]
fn uncorroborated_findings_are_info_with_low_confidence() {
    for (code, _, expected) in CASES {
        let report = run(&format!("{code}_demoted"));
        let found: Vec<_> = report.findings.iter().filter(|f| f.code == *code).collect();
        let shown = listed(&report, code).join("\n");
        assert_eq!(found.len(), *expected, "{code}: every demoted case is still reported:\n{shown}");
        for finding in &found {
            assert_eq!(finding.severity, Severity::Info, "{code}:\n{shown}");
            assert_eq!(finding.confidence, Some(Confidence::Low), "{code}:\n{shown}");
            assert!(finding.message.contains("(uncorroborated: "), "{code}:\n{shown}");
            assert!(finding.is_tentative());
        }
        insta::assert_snapshot!(format!("{code}_demoted"), shown);
    }
}

#[test]
fn min_confidence_drops_uncorroborated_findings_and_scorecards_ignore_them() {
    let mut report = run("SEC002_demoted");
    assert!(report.findings.iter().any(|f| f.code == "SEC002"));
    // SEC002 is a Bronze rule: its tentative findings do not fail Bronze.
    let scores = retort_check::score(&report, &CheckConfig::default().scorecards());
    let security = scores.iter().find(|s| s.category == "security").unwrap();
    assert!(!security.missing.iter().any(|c| c == "SEC002"), "{security:?}");
    retort_check::retain_confidence(&mut report, Confidence::Medium);
    assert!(!report.findings.iter().any(|f| f.code == "SEC002"));

    let corroborated = run("SEC002");
    let scores = retort_check::score(&corroborated, &CheckConfig::default().scorecards());
    let security = scores.iter().find(|s| s.category == "security").unwrap();
    assert!(security.missing.iter().any(|c| c == "SEC002"), "{security:?}");
}

/// A `SECRET_KEY` class attribute is Flask's key only if the class can
/// reach a config: here the only load is of the module by name, which
/// copies upper-case module names, not the class's (drawn from the
/// fifteenth review, docs/accuracy.md). Loading the class makes it so.
#[test]
fn a_secret_key_in_a_class_no_config_loads_is_not_flasks_key() {
    let config = r#"from dataclasses import dataclass

@dataclass
class Options:
    RATE_LIMIT: str = "10 per minute"
    SECRET_KEY: str = "dev-secret-key-change-in-production"
"#;
    let loading = |how: &str| {
        let app = format!("from flask import Flask\n\napp = Flask(__name__)\napp.config.from_object({how})\n");
        let (_, report) = check_sources(
            &[("pkg/__init__.py", ""), ("pkg/config.py", config), ("pkg/app.py", &app)],
            &CheckConfig::default(),
        );
        let found: Vec<_> = report.findings.into_iter().filter(|f| f.code == "SEC002").collect();
        assert_eq!(found.len(), 1, "{found:#?}");
        found[0].severity
    };
    assert_eq!(loading("\"pkg.config\""), Severity::Info);
    assert_eq!(loading("\"pkg.config.Options\""), Severity::Error);
}
