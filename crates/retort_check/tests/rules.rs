//! Every rule has a firing fixture (`fixtures/<CODE>.py` or the folder
//! `fixtures/<CODE>/`) and a non-firing twin (`<CODE>_ok`). The firing
//! findings are snapshotted.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use retort_check::{rules, CheckConfig, Report};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Runs the fixture `name`: a folder is loaded as a project, a `.py` file
/// is checked as `app.py` of a one-file project.
fn run(name: &str) -> Option<Report> {
    let dir = fixtures().join(name);
    if dir.is_dir() {
        let project = load(&dir);
        return Some(check_project(&project, &CheckConfig::default()));
    }
    let source = std::fs::read_to_string(fixtures().join(format!("{name}.py"))).ok()?;
    let (_, report) = check_sources(&[("app.py", &source)], &CheckConfig::default());
    Some(report)
}

fn of_code(report: &Report, code: &str) -> Vec<String> {
    report
        .findings
        .iter()
        .filter(|f| f.code == code)
        .map(|f| format!("{}:{}:{} {} {}", f.file, f.line, f.column, f.code, f.message))
        .collect()
}

#[test]
fn every_rule_fires_on_its_fixture_and_not_on_its_twin() {
    let mut missing = Vec::new();
    for rule in rules() {
        if rule.code == "RET100" {
            continue; // tested in suppressions.rs
        }
        let (Some(bad), Some(ok)) = (run(rule.code), run(&format!("{}_ok", rule.code))) else {
            missing.push(rule.code);
            continue;
        };
        let fired = of_code(&bad, rule.code);
        assert!(!fired.is_empty(), "{} did not fire on its fixture", rule.code);
        let quiet = of_code(&ok, rule.code);
        assert!(quiet.is_empty(), "{} fired on its _ok fixture:\n{}", rule.code, quiet.join("\n"));
        insta::assert_snapshot!(rule.code, fired.join("\n"));
    }
    assert!(missing.is_empty(), "rules without a fixture pair: {missing:?}");
}

#[test]
fn every_rule_is_documented_in_ruff_sections() {
    for rule in rules() {
        for section in ["## What it does", "## Why is this bad?", "## Example", "Use instead:", "## References"] {
            assert!(rule.doc.contains(section), "{} lacks {section}", rule.code);
        }
        let doc = retort_check::rule_doc(rule.code).unwrap();
        assert!(doc.starts_with(&format!("# {} ({})", rule.name, rule.code)));
        assert!(rule.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{} is not kebab-case", rule.name);
    }
    let codes: Vec<&str> = rules().iter().map(|r| r.code).collect();
    let mut unique = codes.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), codes.len(), "duplicate codes");
}
