//! `retort slo` end to end: exit codes, stdin, formats, `--scan` route
//! mapping on a fixture, HTML escaping, and bad input.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn retort() -> Command {
    Command::new(env!("CARGO_BIN_EXE_retort"))
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(name)
}

/// One request per minute for two hours to each path, with `bad` failing (500) throughout.
fn log(paths: &[&str], bad: &str) -> String {
    let mut out = String::new();
    for m in 0..120 {
        for p in paths {
            let status = if *p == bad { 500 } else { 200 };
            out.push_str(&format!(
                "127.0.0.1 - - [06/Dec/2026:{:02}:{:02}:00 +0000] \"GET {p} HTTP/1.1\" {status} 3 \"-\" \"t\"\n",
                10 + m / 60,
                m % 60
            ));
        }
    }
    out
}

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = retort()
        .args(args)
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    }
    child.wait_with_output().unwrap()
}

#[test]
fn blueprint_objectives_through_the_catalog_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("retort-slo.toml");
    std::fs::write(
        &spec,
        "service = \"portal\"\nwindow = \"7d\"\n\
         [[objectives]]\nname = \"users v1\"\nblueprint = \"api.v1.users\"\navailability = \"99%\"\n\
         [[objectives]]\nname = \"status\"\nroute = \"/api/v2/status\"\navailability = \"99%\"\n",
    )
    .unwrap();
    let text =
        log(&["/api/v1/users/1", "/api/v1/users/2", "/api/v1/users/", "/api/v2/status", "/nope/9"], "/api/v1/users/2");
    let scan = fixture("nested_blueprints");
    let out = run(
        &[
            "slo",
            "report",
            "--spec",
            spec.to_str().unwrap(),
            "--access-log",
            "-",
            "--scan",
            scan.to_str().unwrap(),
            "--format",
            "json",
        ],
        Some(&text),
    );
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let users = &report["objectives"][0];
    // Three paths of the blueprint, one of them always failing: 240 of 360 good.
    assert_eq!((users["good"].as_u64(), users["total"].as_u64()), (Some(240), Some(360)));
    assert_eq!(users["violated"], true);
    let status = &report["objectives"][1];
    assert_eq!((status["good"].as_u64(), status["total"].as_u64()), (Some(120), Some(120)));
    assert_eq!(status["budget_remaining"].as_f64(), Some(1.0));
    let member =
        report["routes"].as_array().unwrap().iter().find(|r| r["rule"] == "/api/v1/users/<int:user_id>").unwrap();
    assert_eq!((member["requests"].as_u64(), member["server_errors"].as_u64()), (Some(240), Some(120)));
    assert_eq!(report["unmatched"]["requests"].as_u64(), Some(120));
    assert_eq!(report["unmatched"]["groups"][0]["shape"], "/nope/{int}");

    // Only the healthy objective: exit 0; Markdown names it.
    std::fs::write(&spec, "[[objectives]]\nname = \"status\"\nroute = \"/api/v2/status\"\navailability = \"99%\"\n")
        .unwrap();
    let logfile = dir.path().join("access.log");
    std::fs::write(&logfile, &text).unwrap();
    let out = run(
        &[
            "slo",
            "report",
            "--spec",
            spec.to_str().unwrap(),
            "--access-log",
            logfile.to_str().unwrap(),
            "--format",
            "markdown",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.contains("| status | route /api/v2/status |"), "{md}");
}

#[test]
fn html_is_self_contained_and_escapes_paths() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("retort-slo.toml");
    std::fs::write(&spec, "[[objectives]]\nname = \"<all>\"\navailability = \"99%\"\n").unwrap();
    let text = log(&["/x/<script>alert(1)</script>", "/ok"], "/ok");
    let out =
        run(&["slo", "report", "--spec", spec.to_str().unwrap(), "--access-log", "-", "--format", "html"], Some(&text));
    assert_eq!(out.status.code(), Some(1));
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.contains("<svg"), "charts are inline SVG");
    assert!(!html.contains("<script"), "nothing from the log is emitted unescaped");
    assert!(html.contains("&lt;script&gt;"));
    assert!(html.contains("&lt;all&gt;"));
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"), "no external resources");
}

#[test]
fn bad_specs_and_inputs_exit_2_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("slo.yaml");
    std::fs::write(&spec, "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: x\nspec:\n  budgetingMethod: Occurrences\n  objectives: 7\n").unwrap();
    let out = run(&["slo", "report", "--spec", spec.to_str().unwrap(), "--access-log", "-"], Some(""));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("slo.yaml:7:") && err.contains("objectives"), "{err}");
    assert!(!err.contains("panicked"));

    std::fs::write(&spec, "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: x\nspec:\n  budgetingMethod: Occurrences\n  indicator:\n    spec:\n      ratioMetric:\n        good: {metricSource: {spec: {}}}\n        total: {metricSource: {spec: {}}}\n  objectives:\n    - target: 0.99\n").unwrap();
    let out =
        run(&["slo", "report", "--spec", spec.to_str().unwrap(), "--access-log", "/nonexistent/access.log"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot open /nonexistent/access.log"));

    // Binary junk only: a report with every line counted as bad, not a crash.
    let junk = dir.path().join("junk.bin");
    std::fs::write(&junk, (0..=255u8).cycle().take(200_000).collect::<Vec<u8>>()).unwrap();
    let out = run(
        &[
            "slo",
            "report",
            "--spec",
            spec.to_str().unwrap(),
            "--access-log",
            junk.to_str().unwrap(),
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["input"]["requests"].as_u64(), Some(0));
    assert!(report["input"]["bad_lines"].as_u64().unwrap() > 0);
    assert!(report["objectives"][0]["unresolved"].is_string());

    // Rules: valid YAML out, exit 0.
    let out =
        run(&["slo", "rules", "--spec", spec.to_str().unwrap(), "--selector", "http_requests_total{job=\"a\"}"], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("http_requests_total{job=\"a\", status=~\"5..\"}"));
}
