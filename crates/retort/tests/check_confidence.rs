//! `retort check --min-confidence`: data-flow findings and those of the
//! name-based rules below the level are dropped from the report and the
//! exit code; `[tool.retort.dataflow]` with an unknown key is a usage error.

use std::path::Path;
use std::process::Command;

fn write(root: &Path, relative: &str, contents: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
}

fn check(root: &Path, extra: &[&str]) -> (i32, String, String) {
    run(root, &[&["--select", "SEC013", "--format", "json"], extra].concat())
}

fn run(root: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_retort"))
        .args(["check", root.to_str().unwrap()])
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("retort runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

const APP: &str = r#"from flask import Flask, request

app = Flask(__name__)


@app.get("/a")
def a():
    return open(request.args["name"].frobnicate()).read()
"#;

#[test]
fn low_confidence_flows_are_dropped_by_min_confidence() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", APP);
    let (code, stdout, _) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("\"confidence\": \"low\""), "{stdout}");
    assert!(stdout.contains("\"flow\""), "{stdout}");
    let (code, stdout, _) = check(dir.path(), &["--min-confidence", "medium"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(!stdout.contains("SEC013"), "{stdout}");
}

#[test]
fn unknown_dataflow_keys_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", APP);
    write(dir.path(), "pyproject.toml", "[tool.retort.dataflow]\nsinkz = []\n");
    let (code, _, stderr) = check(dir.path(), &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("sinkz"), "{stderr}");
}

/// One SEC021 finding corroborated by a request read, one by nothing but
/// the name of a parameter.
const LOGS: &str = r#"import logging

from flask import Flask, request

app = Flask(__name__)
log = logging.getLogger(__name__)


@app.post("/login")
def login():
    log.info("password %s", request.form["password"])
    return "ok"


def refresh(refresh_token):
    log.info("refreshing with %s", refresh_token)
"#;

#[test]
fn name_based_findings_carry_their_corroboration_as_confidence() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", LOGS);
    let (_, stdout, _) = run(dir.path(), &["--select", "SEC021", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let found: Vec<(String, String, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["severity"].as_str().unwrap().into(),
                f["confidence"].as_str().unwrap().into(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(found, [("warning".into(), "high".into(), 11), ("info".into(), "low".into(), 16)], "{stdout}");

    let (_, sarif, _) = run(dir.path(), &["--select", "SEC021", "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let levels: Vec<(String, String)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["level"].as_str().unwrap().into(), r["properties"]["confidence"].as_str().unwrap().into()))
        .collect();
    assert!(levels.contains(&("note".into(), "low".into())), "{levels:?}");
    assert!(levels.contains(&("warning".into(), "high".into())), "{levels:?}");

    let (code, stdout, _) =
        run(dir.path(), &["--select", "SEC021", "--format", "json", "--min-confidence", "medium", "--fail-on", "info"]);
    assert!(stdout.contains("request.form") && !stdout.contains("refresh_token"), "{stdout}");
    assert_eq!(code, 1, "{stdout}");
}
