//! Snapshots of the human output of `retort scan` on fixture projects.

use std::process::Command;

fn scan_table(fixture: &str, sort: &str) -> String {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/");
    let output = Command::new(env!("CARGO_BIN_EXE_retort"))
        .args(["scan", &format!("{root}{fixture}"), "--sort", sort])
        .env("NO_COLOR", "1")
        .output()
        .expect("retort runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).expect("utf-8 output");
    // The summary line ends with the elapsed time, which varies.
    let (table, summary) = text.trim_end().rsplit_once('\n').expect("a summary line");
    let summary = summary.rsplit_once(", ").map(|(head, _)| head).unwrap_or(summary);
    format!("{table}\n{summary}, <elapsed>\n")
}

#[test]
fn nested_blueprints_table() {
    insta::assert_snapshot!(scan_table("nested_blueprints", "rule"));
}

#[test]
fn conditional_and_unresolved_routes_are_listed_after_the_table() {
    insta::assert_snapshot!(scan_table("unresolved_rules", "endpoint"));
    insta::assert_snapshot!(scan_table("conditional_registration", "file"));
}
