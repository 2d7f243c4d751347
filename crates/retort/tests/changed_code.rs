//! Changed-code mode of `retort check` in synthetic git repositories:
//! `--diff-base REF` reports only findings on lines changed since REF
//! (untracked and new files whole), `FILES…` only findings in those files,
//! and `--output-file` writes the chosen format to a file while the
//! terminal keeps the human output.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;
use tempfile::TempDir;

const APP: &str = "\
import requests
from flask import Flask

app = Flask(__name__)


@app.route(\"/rates\")
def rates():
    return requests.get(\"https://rates.example\").text
";

fn git(root: &Path, args: &[&str]) {
    let mut command = Command::new("git");
    command.args(args).current_dir(root);
    // A synthetic repository: nothing from an enclosing repository or hook.
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("GIT_") {
            command.env_remove(key);
        }
    }
    let status = command
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(status.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&status.stderr));
}

fn retort(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_retort")).args(args).current_dir(root).output().expect("retort runs")
}

/// `app.py` committed on `main` with one REL001 finding (line 9), then on a
/// branch: a second route with another (line 14), and an untracked `jobs.py`.
fn repository() -> TempDir {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    git(root, &["init", "--quiet", "--initial-branch=main"]);
    std::fs::write(root.join("app.py"), APP).unwrap();
    git(root, &["add", "app.py"]);
    git(root, &["commit", "--quiet", "-m", "app"]);
    git(root, &["checkout", "--quiet", "-b", "feature"]);
    let changed =
        format!("{APP}\n\n@app.route(\"/fx\")\ndef fx():\n    return requests.get(\"https://fx.example\").text\n");
    std::fs::write(root.join("app.py"), changed).unwrap();
    git(root, &["commit", "--quiet", "-am", "fx"]);
    std::fs::write(root.join("jobs.py"), "import requests\n\n\ndef poll():\n    return requests.get(\"https://q\")\n")
        .unwrap();
    dir
}

fn rel001(output: &Output) -> Vec<(String, u64)> {
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    let mut found: Vec<(String, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "REL001")
        .map(|f| (f["file"].as_str().unwrap().to_string(), f["line"].as_u64().unwrap()))
        .collect();
    found.sort();
    found
}

fn all_findings(output: &Output) -> Vec<Value> {
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    report["findings"].as_array().unwrap().clone()
}

#[test]
fn without_a_base_every_finding_is_reported() {
    let repo = repository();
    let out = retort(repo.path(), &["check", ".", "--format", "json"]);
    assert_eq!(rel001(&out), [("app.py".into(), 9), ("app.py".into(), 14), ("jobs.py".into(), 5)]);
    assert!(all_findings(&out).iter().any(|f| f["file"] == ""), "project-level findings exist without a base");
}

#[test]
fn diff_base_keeps_changed_lines_and_untracked_files() {
    let repo = repository();
    let out = retort(repo.path(), &["check", ".", "--diff-base", "main", "--format", "json"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(rel001(&out), [("app.py".into(), 14), ("jobs.py".into(), 5)]);
    // Project-level findings have no line that changed.
    assert!(all_findings(&out).iter().all(|f| f["file"] != ""));
    assert!(String::from_utf8_lossy(&out.stderr).contains("outside the changed lines"));
    // An uncommitted edit of the old line counts as changed.
    let text = std::fs::read_to_string(repo.path().join("app.py")).unwrap();
    let edited = text.replace("https://rates.example", "https://rates2.example");
    std::fs::write(repo.path().join("app.py"), edited).unwrap();
    let out = retort(repo.path(), &["check", ".", "--diff-base", "main", "--format", "json"]);
    assert_eq!(rel001(&out), [("app.py".into(), 9), ("app.py".into(), 14), ("jobs.py".into(), 5)]);
}

#[test]
fn diff_base_at_head_reports_only_untracked_work() {
    let repo = repository();
    let out = retort(repo.path(), &["check", ".", "--diff-base", "HEAD", "--format", "json"]);
    assert_eq!(rel001(&out), [("jobs.py".into(), 5)]);
}

#[test]
fn named_files_limit_the_report_to_those_files() {
    let repo = repository();
    let out = retort(repo.path(), &["check", ".", "jobs.py", "--format", "json"]);
    assert_eq!(rel001(&out), [("jobs.py".into(), 5)]);
    // Named from another folder, as pre-commit does from the repository root.
    let sub = repo.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_retort"))
        .args(["check", "..", "../app.py", "--format", "json"])
        .current_dir(&sub)
        .output()
        .unwrap();
    assert_eq!(rel001(&out), [("app.py".into(), 9), ("app.py".into(), 14)]);
    // With a base as well: the changed lines of the named files.
    let out = retort(repo.path(), &["check", ".", "app.py", "--diff-base", "main", "--format", "json"]);
    assert_eq!(rel001(&out), [("app.py".into(), 14)]);
}

#[test]
fn bad_refs_and_non_repositories_are_usage_errors() {
    let repo = repository();
    let out = retort(repo.path(), &["check", ".", "--diff-base", "no-such-branch"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("error:") && stderr.contains("no-such-branch"), "{stderr}");
    let plain = TempDir::new().unwrap();
    std::fs::write(plain.path().join("app.py"), APP).unwrap();
    let out = retort(plain.path(), &["check", ".", "--diff-base", "main"]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn output_file_gets_the_format_and_the_terminal_the_text() {
    let repo = repository();
    let sarif = repo.path().join("out.sarif");
    let out = retort(repo.path(), &["check", ".", "--format", "sarif", "--output-file", sarif.to_str().unwrap()]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&out.stderr));
    let document: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(document["version"], "2.1.0");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("app.py:9:") && stdout.contains("REL001"), "{stdout}");
    assert!(!stdout.trim_start().starts_with('{'));
    let report = repo.path().join("gl.json");
    let out =
        retort(repo.path(), &["check", ".", "--output-format", "gitlab", "--output-file", report.to_str().unwrap()]);
    let issues: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert!(issues.as_array().unwrap().iter().any(|i| i["check_name"] == "REL001"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("REL001"));
    let out = retort(repo.path(), &["check", ".", "--output-file", "/no/such/dir/report.txt"]);
    assert_eq!(out.status.code(), Some(2));
}
