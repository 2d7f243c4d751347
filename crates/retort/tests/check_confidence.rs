//! `retort check --min-confidence`: data-flow findings below the level are
//! dropped from the report and the exit code; `[tool.retort.dataflow]`
//! with an unknown key is a usage error.

use std::path::Path;
use std::process::Command;

fn write(root: &Path, relative: &str, contents: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
}

fn check(root: &Path, extra: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_retort"))
        .args(["check", root.to_str().unwrap(), "--select", "SEC013", "--format", "json"])
        .args(extra)
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
