//! `retort check --diff` / `--fix` / `--unsafe-fixes` on a temporary project:
//! the diff shows what `--fix` writes, safe fixes apply alone, unsafe ones
//! only when asked, and the fixed project is checked again.

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
    return requests.get(\"https://rates.example\", verify=False).text


if __name__ == \"__main__\":
    app.run(debug=True)
";

fn retort(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_retort")).args(args).current_dir(root).output().expect("retort runs")
}

fn codes(root: &Path) -> Vec<String> {
    let out = retort(root, &["check", ".", "--format", "json", "--select", "SEC001,SEC008,REL001"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut codes: Vec<String> =
        report["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap().to_string()).collect();
    codes.sort();
    codes
}

#[test]
fn diff_shows_and_fix_applies_safe_then_unsafe_fixes() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    std::fs::write(root.join("app.py"), APP).unwrap();
    assert_eq!(codes(root), ["SEC008", "REL001", "SEC001"].map(String::from).to_vec().tap_sort());

    let diff = retort(root, &["check", ".", "--diff"]);
    assert_eq!(diff.status.code(), Some(1));
    let text = String::from_utf8_lossy(&diff.stdout);
    assert!(text.contains("--- a/app.py") && text.contains("+    app.run(debug=False)"), "{text}");
    assert!(!text.contains("timeout=10"), "unsafe fixes only with --unsafe-fixes");
    assert!(String::from_utf8_lossy(&diff.stderr).contains("2 more with --unsafe-fixes"));
    assert_eq!(std::fs::read_to_string(root.join("app.py")).unwrap(), APP, "--diff writes nothing");

    let unsafe_diff = retort(root, &["check", ".", "--diff", "--unsafe-fixes"]);
    let text = String::from_utf8_lossy(&unsafe_diff.stdout);
    assert!(text.contains("+    return requests.get(\"https://rates.example\", timeout=10).text"), "{text}");

    let fixed = retort(root, &["check", ".", "--fix"]);
    assert!(String::from_utf8_lossy(&fixed.stderr).contains("Fixed 1 findings"));
    assert!(!String::from_utf8_lossy(&fixed.stdout).contains("app.py:13:"), "the fixed finding is not reported");
    assert_eq!(codes(root), ["REL001", "SEC008"].map(String::from).to_vec().tap_sort());

    retort(root, &["check", ".", "--fix", "--unsafe-fixes"]);
    assert!(codes(root).is_empty());
    let again = retort(root, &["check", ".", "--diff", "--unsafe-fixes"]);
    assert_eq!(again.status.code(), Some(0));
    assert!(again.stdout.is_empty());
}

trait TapSort {
    fn tap_sort(self) -> Self;
}

impl TapSort for Vec<String> {
    fn tap_sort(mut self) -> Self {
        self.sort();
        self
    }
}
