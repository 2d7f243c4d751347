//! Gates that cannot be fooled: unknown codes and keys are errors, rules
//! that did not judge the tree never count as passed, files that could not
//! be analysed are reported and count against completeness.

mod common;

use common::*;
use retort_check::{gate_failures, render_sarif, score, sort_findings, CheckConfig, Level, Severity, SortOrder};
use serde_json::Value;

fn config_error(text: &str) -> String {
    match CheckConfig::from_toml_str(text) {
        Ok(_) => panic!("accepted: {text}"),
        Err(err) => err.to_string(),
    }
}

#[test]
fn unknown_keys_are_errors_with_the_closest_known_key() {
    let message = config_error("selct = ['SEC']\n");
    assert!(message.contains("unknown key `selct`") && message.contains("did you mean `select`?"), "{message}");
    let message = config_error("extra-sanitiser = ['clean']\n");
    assert!(message.contains("did you mean `extra-sanitisers`?"), "{message}");
    // Nothing close: the known keys are listed instead.
    let message = config_error("frobnicate = true\n");
    assert!(message.contains("known keys: exclude"), "{message}");
    // Scorecard categories and levels are keys too.
    let message = config_error("[scorecards.securty]\nbronze = ['SEC001']\n");
    assert!(message.contains("did you mean `security`?"), "{message}");
    let message = config_error("[scorecards.security]\nbronz = ['SEC001']\n");
    assert!(message.contains("did you mean `bronze`?"), "{message}");
    // Scan's keys and the data-flow table (validated by its own engine) are known.
    CheckConfig::from_toml_str(
        "exclude = ['x/**']\ninclude-tests = true\nauth-decorators = ['a']\n[dataflow]\nsources = ['x']\n",
    )
    .unwrap();
}

#[test]
fn unknown_codes_and_prefixes_are_errors_wherever_they_appear() {
    for (text, field, suggestion) in [
        ("select = ['SEC0003']\n", "`select`", Some("SEC003")),
        ("extend-select = ['PREF']\n", "`extend-select`", Some("PERF")),
        ("ignore = ['XYZ123']\n", "`ignore`", None),
        ("[per-file-ignores]\n'legacy/**' = ['REL', 'NOPE']\n", "per-file-ignores", None),
        ("[severity-overrides]\nREL0001 = 'error'\n", "`severity-overrides`", Some("REL001")),
        ("[scorecards.security]\nbronze = ['SEC00']\n", "scorecards.security.bronze", Some("SEC0")),
    ] {
        let message = config_error(text);
        assert!(message.contains("unknown rule code") && message.contains(field), "{text}: {message}");
        match suggestion {
            Some(code) => assert!(message.contains(&format!("did you mean `{code}")), "{text}: {message}"),
            None => assert!(!message.contains("did you mean"), "{text}: {message}"),
        }
    }
    // Known codes, prefixes and ALL are accepted, in any case.
    CheckConfig::from_toml_str("select = ['ALL', 'sec', 'SEC00', 'PERF001']\nignore = ['DEL']\n").unwrap();
}

#[test]
fn severity_overrides_match_prefixes_and_the_most_specific_wins() {
    let config =
        CheckConfig::from_toml_str("[severity-overrides]\nREL = 'error'\nREL001 = 'info'\nALL = 'warning'\n").unwrap();
    assert_eq!(config.severity("REL002", Severity::Warning), Severity::Error);
    assert_eq!(config.severity("REL001", Severity::Warning), Severity::Info);
    assert_eq!(config.severity("SEC003", Severity::Error), Severity::Warning);
}

#[test]
fn extend_select_adds_to_select() {
    let config = CheckConfig::from_toml_str("select = ['SEC']\nextend-select = ['REL001']\n").unwrap();
    assert!(config.is_enabled("SEC003") && config.is_enabled("REL001") && !config.is_enabled("REL002"));
    let everything = CheckConfig::from_toml_str("extend-select = ['REL001']\n").unwrap();
    assert!(everything.is_enabled("PERF001"));
}

const APP: &str = r#"from flask import Flask, request

app = Flask(__name__)


@app.route("/items")
def items():
    return {"q": request.args.get("q", "")}
"#;

#[test]
fn an_empty_tree_is_not_assessed_and_fails_every_min_level() {
    let dir = tempfile::tempdir().unwrap();
    let project = load(dir.path());
    let report = check_project(&project, &CheckConfig::default());
    assert!(report.findings.is_empty());
    let scores = score(&report, &CheckConfig::default().scorecards());
    assert!(scores.iter().all(|s| s.status == "not-assessed" && s.level.is_none()), "{scores:?}");
    let reasons = gate_failures(&scores, &report.completeness, Level::Bronze);
    assert_eq!(reasons.len(), 5, "{reasons:?}");
    assert!(reasons[0].contains("not assessed") && reasons[0].contains("no Python file was analysed"), "{reasons:?}");
}

#[test]
fn deselected_rules_never_raise_a_level() {
    // With every rule, security reaches some level on this clean view.
    let (_, all) = check_sources(&[("app.py", APP)], &CheckConfig::default());
    let cards = CheckConfig::default().scorecards();
    let security = |report| score(report, &cards).into_iter().find(|s| s.category == "security").unwrap();
    assert!(security(&all).level.is_some(), "{:?}", security(&all));
    // Only reliability selected: security ran nothing and must not pass.
    let config = CheckConfig { select: vec!["REL".into()], ..CheckConfig::default() };
    let (_, report) = check_sources(&[("app.py", APP)], &config);
    let card = security(&report);
    assert_eq!((card.level, card.status), (None, "not-assessed"));
    assert_eq!(card.not_assessed.get("SEC001").map(String::as_str), Some("deselected"));
    // One Silver rule ignored: the category stops at Bronze and says why.
    let config = CheckConfig { ignore: vec!["SEC004".into()], ..CheckConfig::default() };
    let (_, report) = check_sources(&[("app.py", APP)], &config);
    let card = security(&report);
    assert_eq!(card.level, Some(Level::Bronze), "{card:?}");
    assert!(card.not_assessed.contains_key("SEC004") && card.describe().contains("SEC004: deselected"), "{card:?}");
}

#[test]
fn rules_with_nothing_to_judge_are_not_assessed() {
    // Plain Python, no Flask app: request-data and app-level rules cannot judge it.
    let (_, report) = check_sources(&[("tool.py", "import os\nprint(os.getcwd())\n")], &CheckConfig::default());
    assert_eq!(report.not_assessed.get("SEC003").map(String::as_str), Some("no request handler found"));
    assert_eq!(report.not_assessed.get("SEC009").map(String::as_str), Some("no Flask app with routes found"));
    assert!(!report.not_assessed.contains_key("SEC001"), "an expression rule judged the code");
    let scores = score(&report, &CheckConfig::default().scorecards());
    let security = scores.iter().find(|s| s.category == "security").unwrap();
    assert_eq!(security.status, "not-assessed");
    // No CI files: the rules on pipeline steps have no pipeline to judge.
    assert_eq!(report.not_assessed.get("DEL002").map(String::as_str), Some("no CI pipeline found"));
    // A Flask app with a route: they are assessed.
    let (_, report) = check_sources(&[("app.py", APP)], &CheckConfig::default());
    assert!(!report.not_assessed.contains_key("SEC003") && !report.not_assessed.contains_key("SEC009"));
}

#[test]
fn files_that_cannot_be_analysed_are_reported_and_count_against_completeness() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.py"), APP).unwrap();
    std::fs::write(dir.path().join("broken.py"), "def f(:\n    pass\n").unwrap();
    std::fs::write(dir.path().join("latin.py"), b"# -*- coding: utf-8 -*-\nname = '\xff\xfe'\n").unwrap();
    let project = load(dir.path());
    let report = check_project(&project, &CheckConfig::default());
    let files: Vec<&str> = report.diagnostics.iter().map(|d| d.file.as_str()).collect();
    assert_eq!(files, ["broken.py", "latin.py"]);
    let c = &report.completeness;
    assert_eq!((c.files, c.analysed, c.partial, c.skipped), (3, 1, 1, 1), "{c:?}");
    assert!(!c.is_complete() && c.describe().starts_with("1 of 3 Python files analysed in full (33 %)"));
    let scores = score(&report, &CheckConfig::default().scorecards());
    assert!(gate_failures(&scores, c, Level::Bronze).iter().any(|r| r.contains("1 of 3 Python files")));

    let mut scored = report.clone();
    scored.scorecard = scores;
    let sarif: Value = serde_json::from_str(&render_sarif(&scored)).unwrap();
    let schema_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sarif/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&sarif).map(|e| format!("{e} at {}", e.instance_path)).collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert!(sarif["runs"][0]["properties"]["scorecard"].as_array().is_some_and(|cards| cards.len() == 5));
    let notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"].as_array().unwrap();
    let uris: Vec<&str> = notes
        .iter()
        .map(|n| n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap())
        .collect();
    assert_eq!(uris, ["broken.py", "latin.py"]);
    assert_eq!(sarif["runs"][0]["properties"]["completeness"]["analysed"], 1);
    let text = retort_check::render_text(&report, &project, false);
    assert!(text.contains("latin.py: decode:") && text.contains("1 of 3 Python files analysed in full"), "{text}");
    let json: Value = serde_json::from_str(&retort_check::render_json(&report)).unwrap();
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 2);
    assert_eq!(json["completeness"]["skipped"], 1);
}

#[test]
fn severity_order_puts_errors_first() {
    let source = format!("{APP}\n\n@app.route('/sql')\ndef sql():\n    import requests\n    requests.get('https://x')\n    return db.execute('SELECT ' + request.args['q'])\n");
    let (_, mut report) = check_sources(&[("app.py", &source)], &CheckConfig::default());
    sort_findings(&mut report.findings, SortOrder::Severity);
    let severities: Vec<Severity> = report.findings.iter().map(|f| f.severity).collect();
    assert!(severities.windows(2).all(|w| w[0] >= w[1]), "{severities:?}");
    assert!(severities.contains(&Severity::Error) && severities.contains(&Severity::Warning), "{severities:?}");
    let concise = retort_check::render_concise(&report, false);
    let lines: Vec<&str> = concise.lines().take_while(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), report.findings.len(), "{concise}");
    assert!(lines[0].starts_with("app.py:") && lines[0].contains(" [error] "), "{concise}");
    assert!(!concise.contains(" | "), "no code frames: {concise}");
    sort_findings(&mut report.findings, SortOrder::Rule);
    assert!(report.findings.windows(2).all(|w| w[0].code <= w[1].code));
    sort_findings(&mut report.findings, SortOrder::File);
    assert!(report.findings.windows(2).all(|w| (&w[0].file, w[0].line) <= (&w[1].file, w[1].line)));
}
