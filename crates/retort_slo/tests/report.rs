//! Synthetic logs with known SLIs, budgets and burn episodes: exact
//! figures, alerts at the right minutes, and robustness.
//!
//! The log: one request per second to `/items/<n>` for 24 hours from
//! 2026-12-06T00:00Z; every request from 10:00 to 10:09 (ten minutes,
//! 600 requests) fails with 500. Expected figures are worked out by hand
//! in the comments (SRE workbook definitions), not read from the code.

use std::io::Write;
use std::path::Path;

use retort_slo::accesslog::{Input, LogFormat};
use retort_slo::report::{read_inputs, Collector, ObjectiveReport, Report};
use retort_slo::routes::{RouteRule, RouteTable};
use retort_slo::windows::Windows;
use retort_slo::Spec;

const DAY0: i64 = 1_796_515_200; // 2026-12-06T00:00:00Z

fn clf(secs: i64) -> String {
    // Only 2026-12-06/07 (and the skew tests' own strings) are needed.
    let day = 6 + secs.div_euclid(86_400) - DAY0 / 86_400;
    let s = secs.rem_euclid(86_400);
    format!("{day:02}/Dec/2026:{:02}:{:02}:{:02} +0000", s / 3600, s % 3600 / 60, s % 60)
}

fn log_lines() -> Vec<String> {
    let mut lines = Vec::new();
    for m in 0..24 * 60 {
        for s in 0..60 {
            let t = DAY0 + m * 60 + s;
            let status = if (600..610).contains(&m) { 500 } else { 200 };
            lines.push(format!(r#"10.0.0.1 - - [{}] "GET /items/{s}?q=1 HTTP/1.1" {status} 12 "-" "test""#, clf(t)));
        }
    }
    lines
}

fn spec(dir: &Path, toml: &str) -> Spec {
    let path = dir.join("retort-slo.toml");
    std::fs::write(&path, toml).unwrap();
    Spec::load(&path).unwrap()
}

const AVAILABILITY: &str = "\
service = \"shop\"
window = \"1d\"
[[objectives]]
name = \"items\"
route = \"/items/<int:item_id>\"
availability = \"99.9%\"
[[objectives]]
name = \"slices\"
route = \"/items/<int:item_id>\"
availability = 0.99
budgeting = \"timeslices\"
timeslice = \"1m\"
timeslice_target = 0.95
";

/// Reads `files` with one thread and with four (batches of 4,096 lines
/// spread over the threads) and checks both give the same report.
fn run(spec: &Spec, files: &[&Path], format: &str) -> Report {
    let read = |jobs: usize| {
        let mut collector = Collector::new(spec, &RouteTable::default(), false).unwrap();
        let inputs: Vec<Input> = files.iter().map(|p| Input::File(p.to_path_buf())).collect();
        read_inputs(&inputs, &LogFormat::parse(format, None).unwrap(), &mut collector, jobs).unwrap();
        collector.finish(spec, &Windows::sre_workbook(), None, vec![])
    };
    let (one, four) = (read(1), read(4));
    assert_eq!(
        serde_json::to_string(&one).unwrap(),
        serde_json::to_string(&four).unwrap(),
        "one and four reading threads differ"
    );
    four
}

fn alert<'a>(o: &'a ObjectiveReport, long: &str) -> &'a retort_slo::report::AlertReport {
    o.alerts.iter().find(|a| a.long_window == long).unwrap()
}

fn episodes(o: &ObjectiveReport, long: &str) -> Vec<(String, String, u64)> {
    alert(o, long).episodes.iter().map(|e| (e.first.clone(), e.last.clone(), e.minutes)).collect()
}

fn assert_known_figures(report: &Report) {
    assert_eq!(report.input.end.as_deref(), Some("2026-12-07T00:00:00Z"));
    let o = &report.objectives[0];
    assert_eq!((o.good, o.total), (85_800, 86_400));
    assert_eq!(o.sli, Some(85_800.0 / 86_400.0));
    // Budget: 0.1% of 86 400 = 86.4 requests; 600 failed → 6.944x spent.
    let consumed = (600.0 / 86_400.0) / (1.0 - 0.999);
    assert!((o.budget_consumed.unwrap() - consumed).abs() < 1e-9);
    assert!((o.budget_remaining.unwrap() - (1.0 - consumed)).abs() < 1e-9);
    assert!(o.violated);
    // No errors in the last 6 hours; over 1d and 3d the whole day counts.
    let burn = |w: &str| o.burn_rates.iter().find(|b| b.window == w).unwrap().burn_rate.unwrap();
    assert_eq!(burn("5m"), 0.0);
    assert_eq!(burn("6h"), 0.0);
    assert!((burn("1d") - consumed).abs() < 1e-9);
    assert!((burn("3d") - consumed).abs() < 1e-9);
    // Page 14.4x (limit 1.44%): at 10:01 the 5m ratio is 60/300 and the
    // 1h ratio 60/3600 = 1.67%; it stops when 10:09 leaves the 5m window
    // (last firing evaluation 10:14).
    assert_eq!(episodes(o, "1h"), [("2026-12-06T10:01:00Z".into(), "2026-12-06T10:14:00Z".into(), 14)]);
    // Page 6x (0.6%): the 6h window needs > 129.6 errors, i.e. three failing
    // minutes (10:03); the 30m window keeps 10:09 until 10:39.
    assert_eq!(episodes(o, "6h"), [("2026-12-06T10:03:00Z".into(), "2026-12-06T10:39:00Z".into(), 37)]);
    // Ticket 3x (0.3%): the day so far at 10:01 is 60/36 060 = 0.17%, at
    // 10:02 120/36 120 = 0.33%; the 2h window holds errors until 12:09.
    assert_eq!(episodes(o, "1d"), [("2026-12-06T10:02:00Z".into(), "2026-12-06T12:09:00Z".into(), 128)]);
    // Ticket 1x (0.1%): fires from the first failing minute until 16:09.
    assert_eq!(episodes(o, "3d"), [("2026-12-06T10:01:00Z".into(), "2026-12-06T16:09:00Z".into(), 369)]);
    // Timeslices: 10 of 1440 one-minute slices are bad; 1430/1440 = 99.31% >= 99%.
    let s = &report.objectives[1];
    assert_eq!((s.good, s.total), (1430, 1440));
    assert!(!s.violated);
    assert!((s.budget_consumed.unwrap() - (10.0 / 1440.0) / 0.01).abs() < 1e-9);
    assert!(report.violated);
}

#[test]
fn availability_budget_burn_rates_and_alert_minutes() {
    let dir = tempfile::tempdir().unwrap();
    let spec = spec(dir.path(), AVAILABILITY);
    let log = dir.path().join("access.log");
    std::fs::write(&log, log_lines().join("\n") + "\n").unwrap();
    let report = run(&spec, &[&log], "auto");
    assert_eq!(report.input.requests, 86_400);
    assert_known_figures(&report);
    assert_eq!(report.unmatched.requests, 0);
}

#[test]
fn shuffled_split_gzipped_skewed_and_junk_input_gives_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    let spec = spec(dir.path(), AVAILABILITY);
    let mut lines = log_lines();
    // Out of order: a fixed permutation (stride coprime to the length).
    let n = lines.len();
    let shuffled: Vec<String> = (0..n).map(|i| lines[(i * 7919) % n].clone()).collect();
    lines = shuffled;
    // Clock skew: three lines far in the future, two long before the window.
    lines.push(r#"h - - [06/Dec/2099:10:00:00 +0000] "GET /items/1 HTTP/1.1" 500 1"#.into());
    lines.push(r#"h - - [06/Dec/2099:10:00:01 +0000] "GET /items/1 HTTP/1.1" 500 1"#.into());
    lines.push(r#"h - - [07/Dec/2099:10:00:01 +0000] "GET /items/1 HTTP/1.1" 500 1"#.into());
    lines.push(r#"h - - [06/Dec/1999:10:00:00 +0000] "GET /items/1 HTTP/1.1" 500 1"#.into());
    lines.push(r#"h - - [06/Dec/2001:10:00:00 +0000] "GET /items/1 HTTP/1.1" 500 1"#.into());
    // Unmatched paths are counted, not dropped.
    lines.push(r#"h - - [06/Dec/2026:12:00:00 +0000] "GET /old/17 HTTP/1.1" 404 1"#.into());
    lines.push(r#"h - - [06/Dec/2026:12:00:00 +0000] "GET /old/18 HTTP/1.1" 404 1"#.into());
    let half = lines.len() / 2;
    let plain = dir.path().join("a.log");
    let mut text = lines[..half].join("\n").into_bytes();
    // Binary junk and a non-UTF-8 line in the middle.
    text.extend(b"\n\x00\x01\x02\xff\xfe junk\n\x1b[31mnot a log line\n");
    std::fs::write(&plain, text).unwrap();
    let gz = dir.path().join("b.log.gz");
    let mut enc = flate2::write::GzEncoder::new(std::fs::File::create(&gz).unwrap(), flate2::Compression::fast());
    enc.write_all(lines[half..].join("\n").as_bytes()).unwrap();
    enc.finish().unwrap();

    let report = run(&spec, &[&plain, &gz], "auto");
    assert_known_figures(&report);
    assert_eq!(report.input.bad_lines, 2);
    assert_eq!(report.input.bad_samples.len(), 2);
    assert!(report.input.bad_samples[0].contains("not UTF-8"), "{:?}", report.input.bad_samples);
    assert_eq!(report.input.after_end, 3);
    assert_eq!(report.input.before_window, 2);
    assert_eq!(report.unmatched.requests, 2);
    assert_eq!(report.unmatched.groups[0].shape, "/old/{int}");
    assert_eq!(report.unmatched.groups[0].requests, 2);
}

#[test]
fn truncated_gzip_keeps_what_was_read_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let spec = spec(dir.path(), AVAILABILITY);
    let gz = dir.path().join("c.log.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(log_lines().join("\n").as_bytes()).unwrap();
    let bytes = enc.finish().unwrap();
    std::fs::write(&gz, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let report = run(&spec, &[&gz], "auto");
    assert_eq!(report.input.read_errors.len(), 1, "{:?}", report.input.read_errors);
    assert!(report.input.requests > 10_000 && report.input.requests < 86_400);
}

#[test]
fn latency_share_and_quantile_objectives_from_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let spec = spec(
        dir.path(),
        "window = \"1d\"
[[objectives]]
name = \"p95 under 500ms\"
latency = \"500ms\"
quantile = \"p95\"
[[objectives]]
name = \"90% under 600ms\"
latency = \"600ms\"
target = 0.9
[[objectives]]
name = \"writes\"
methods = [\"POST\"]
availability = 0.5
",
    );
    // Second s of each minute takes s x 10 ms: 51 of 60 are <= 500 ms (85%).
    let mut text = String::new();
    for m in 0..60 {
        for s in 0..60 {
            let t = DAY0 + m * 60 + s;
            text.push_str(&format!(
                r#"{{"time": {t}, "method": "GET", "path": "/x", "status": 200, "duration_ms": {}}}"#,
                s * 10
            ));
            text.push('\n');
        }
    }
    let log = dir.path().join("app.jsonl");
    std::fs::write(&log, text).unwrap();
    let report = run(&spec, &[&log], "json");
    let p95 = &report.objectives[0];
    assert_eq!((p95.good, p95.total), (51 * 60, 3600));
    assert!(p95.violated);
    let share = &report.objectives[1];
    assert_eq!((share.good, share.total), (3600, 3600));
    assert!(!share.violated);
    assert_eq!(share.budget_remaining, Some(1.0));
    let writes = &report.objectives[2];
    assert_eq!(writes.total, 0);
    assert!(writes.unresolved.is_some());
    assert!(!writes.violated);
}

#[test]
fn latency_without_durations_is_unresolved_and_blueprints_use_the_catalog() {
    let dir = tempfile::tempdir().unwrap();
    let spec =
        spec(dir.path(), "[[objectives]]\nname = \"admin\"\nblueprint = \"admin\"\nlatency = \"1s\"\ntarget = 0.9\n");
    assert!(
        Collector::new(&spec, &RouteTable::default(), false).is_err(),
        "a blueprint scope without a catalog is an error"
    );
    let rules = vec![
        RouteRule {
            rule: "/admin/<int:id>".into(),
            endpoint: Some("admin.show".into()),
            blueprint: Some("admin".into()),
        },
        RouteRule { rule: "/<path:p>".into(), endpoint: None, blueprint: None },
    ];
    let mut c = Collector::new(&spec, &RouteTable { rules, converters: Vec::new() }, true).unwrap();
    let format = LogFormat::parse("auto", None).unwrap();
    for line in [
        r#"h - - [06/Dec/2026:10:00:00 +0000] "GET /admin/3 HTTP/1.1" 200 1"#,
        r#"h - - [06/Dec/2026:10:00:00 +0000] "GET /elsewhere HTTP/1.1" 200 1"#,
    ] {
        c.add(&format.parse_line(line).unwrap());
    }
    let report = c.finish(&spec, &Windows::sre_workbook(), None, vec![]);
    let o = &report.objectives[0];
    assert_eq!(o.requests_without_duration, 1, "only the admin request is in scope");
    assert!(o.unresolved.as_deref().unwrap().contains("no request durations"));
    assert!(!report.violated);
    assert_eq!(report.routes.len(), 2);
}
