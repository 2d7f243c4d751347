//! The `retort load` command line: thresholds and exit codes, result
//! files, merge, compare, and scenarios from a scan.

mod common;

use std::path::Path;

use clap::Parser;
use common::{ServerConfig, TestServer};
use retort_load::cli::{run, LoadArgs, RouteSpec};
use retort_load::histogram::LatencyHistogram;
use retort_load::result::RunResult;

#[derive(Parser)]
struct TestCli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    Load(LoadArgs),
}

fn no_scan(_: &Path) -> anyhow::Result<Vec<RouteSpec>> {
    anyhow::bail!("no scan in this test")
}

fn load(args: &[&str]) -> anyhow::Result<i32> {
    load_with_scan(args, &no_scan)
}

fn load_with_scan(args: &[&str], scan: &dyn Fn(&Path) -> anyhow::Result<Vec<RouteSpec>>) -> anyhow::Result<i32> {
    let argv = ["retort", "load", "-q", "--threads", "2"].iter().chain(args);
    let argv: Vec<&str> = if args.first().is_some_and(|a| *a == "merge" || *a == "compare") {
        ["retort", "load"].iter().chain(args).copied().collect()
    } else {
        argv.copied().collect()
    };
    let cli = TestCli::try_parse_from(argv)?;
    let Command::Load(args) = cli.command;
    run(args, scan)
}

#[test]
fn thresholds_decide_the_exit_code() {
    let server = TestServer::start(ServerConfig::default());
    let url = server.url("/fail/4");
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json");
    let json = json.to_str().unwrap();

    // 25 % errors: `error_rate < 30%` holds, `error_rate < 20%` does not.
    let code =
        load(&[&url, "-n", "200", "-c", "4", "--threshold", "error_rate < 30%", "--threshold", "p99 < 5s"]).unwrap();
    assert_eq!(code, 0);
    let code = load(&[&url, "-n", "200", "-c", "4", "--threshold", "error_rate < 20%", "--json", json]).unwrap();
    assert_eq!(code, 1);
    let result = RunResult::read(Path::new(json)).unwrap();
    assert_eq!(result.thresholds.len(), 1);
    assert!(!result.thresholds[0].passed);
    assert_eq!(result.thresholds[0].actual, "25.00%");

    // Latency: the 50 ms endpoint fails `p50 < 10ms` and passes `p50 > 40ms`.
    let slow = server.url("/sleep/50");
    assert_eq!(load(&[&slow, "-n", "20", "-c", "2", "--threshold", "p50 < 10ms"]).unwrap(), 1);
    assert_eq!(load(&[&slow, "-n", "20", "-c", "2", "--threshold", "p50 > 40ms"]).unwrap(), 0);
    // Scoped to a request name.
    assert_eq!(load(&[&slow, "-n", "20", "-c", "2", "--threshold", "GET /sleep/50: p50 < 10ms"]).unwrap(), 1);

    // Every request failing without a response measured nothing: an error
    // (exit 2 in the binary), not a red or green run. The result file is
    // still written, and "no data" thresholds (with their null value) read back.
    let refused = format!("http://127.0.0.1:{}/", common::closed_port());
    let error = load(&[&refused, "-n", "3", "-c", "1", "--threshold", "p95 < 1s", "--json", json]).unwrap_err();
    assert!(error.to_string().contains("measured nothing useful: none of the 3 requests got a response"), "{error}");
    let result = RunResult::read(Path::new(json)).unwrap();
    assert_eq!((result.thresholds[0].actual.as_str(), result.thresholds[0].actual_value), ("no data", None));

    // Bad input is an error (exit 2 in the binary), never a panic.
    assert!(load(&[&url, "-n", "5", "--threshold", "p95 <"]).is_err());
    assert!(load(&[&url, "-n", "5", "--threshold", "nobody: p95 < 1s"]).is_err());
    assert!(load(&[&url, "-d", "forever"]).is_err());
    assert!(load(&["ftp://127.0.0.1/"]).is_err());
    assert!(load(&["-n", "5"]).is_err());
    assert!(load(&[&url, "-n", "0"]).is_err());
    assert!(load(&[&url, "-H", "no-colon", "-n", "1"]).is_err());
    assert!(load(&["-s", "/nonexistent/scenario.toml"]).is_err());
}

#[test]
fn abort_on_fail_stops_early() {
    let server = TestServer::start(ServerConfig::default());
    let url = server.url("/status/500");
    let started = std::time::Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json");
    let code = load(&[
        &url,
        "-d",
        "30s",
        "-c",
        "2",
        "--threshold",
        "error_rate < 1%",
        "--abort-on-fail",
        "--json",
        json.to_str().unwrap(),
    ])
    .unwrap();
    assert_eq!(code, 1);
    assert!(started.elapsed().as_secs() < 15, "did not abort");
    let result = RunResult::read(&json).unwrap();
    assert!(result.aborted);
    assert!(result.duration_s < 15.0);
}

#[test]
fn merge_equals_histogram_arithmetic_of_the_runs() {
    let server = TestServer::start(ServerConfig::default());
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.json");
    let b = dir.path().join("b.json");
    let merged = dir.path().join("merged.json");
    assert_eq!(load(&[&server.url("/sleep/5"), "-n", "300", "-c", "4", "--json", a.to_str().unwrap()]).unwrap(), 0);
    assert_eq!(load(&[&server.url("/fail/3"), "-n", "500", "-c", "8", "--json", b.to_str().unwrap()]).unwrap(), 0);
    let code = load(&["merge", a.to_str().unwrap(), b.to_str().unwrap(), "-o", merged.to_str().unwrap()]).unwrap();
    assert_eq!(code, 0);

    let (ra, rb, rm) = (RunResult::read(&a).unwrap(), RunResult::read(&b).unwrap(), RunResult::read(&merged).unwrap());
    let mut expected: LatencyHistogram = ra.totals.histogram.clone();
    expected.add(&rb.totals.histogram);
    assert_eq!(rm.totals.histogram, expected);
    assert_eq!(rm.totals.histogram.len(), 800);
    assert_eq!(rm.totals.requests, 800);
    assert_eq!(rm.totals.errors, ra.totals.errors + rb.totals.errors);
    assert_eq!(rm.totals.error_classes.status_5xx, rb.totals.error_classes.status_5xx);
    assert_eq!(rm.totals.bytes_received, ra.totals.bytes_received + rb.totals.bytes_received);
    assert_eq!(rm.totals.latency_us, expected.summary());
    assert_eq!(rm.agents, 2);
    assert_eq!(rm.requests.len(), 2);
    // Each name keeps its own histogram; the timeline adds up too.
    assert_eq!(rm.name("GET /sleep/5").unwrap().histogram, ra.totals.histogram);
    let timeline: u64 = rm.timeline.iter().map(|s| s.requests).sum();
    assert_eq!(timeline, 800);
    // Merging a file with itself doubles every count exactly.
    let twice = dir.path().join("twice.json");
    load(&["merge", a.to_str().unwrap(), a.to_str().unwrap(), "-o", twice.to_str().unwrap()]).unwrap();
    let rt = RunResult::read(&twice).unwrap();
    let doubled: Vec<(u64, u64)> = ra.totals.histogram.iter_recorded().map(|(v, n)| (v, 2 * n)).collect();
    assert_eq!(rt.totals.histogram.iter_recorded().collect::<Vec<_>>(), doubled);

    // A broken file is an error, not a panic.
    std::fs::write(dir.path().join("bad.json"), "{").unwrap();
    assert!(load(&["merge", dir.path().join("bad.json").to_str().unwrap(), "-o", "/tmp/x.json"]).is_err());
}

#[test]
fn compare_flags_a_latency_regression() {
    let server = TestServer::start(ServerConfig::default());
    let dir = tempfile::tempdir().unwrap();
    let scenario = |ms: u32| format!("[[request]]\nname = \"api\"\npath = \"/sleep/{ms}\"\n");
    std::fs::write(dir.path().join("fast.toml"), scenario(10)).unwrap();
    std::fs::write(dir.path().join("slow.toml"), scenario(40)).unwrap();
    let base = dir.path().join("base.json");
    let new = dir.path().join("new.json");
    let url = server.url("/");
    load(&[
        "-s",
        dir.path().join("fast.toml").to_str().unwrap(),
        &url,
        "-n",
        "40",
        "-c",
        "2",
        "--json",
        base.to_str().unwrap(),
    ])
    .unwrap();
    load(&[
        "-s",
        dir.path().join("slow.toml").to_str().unwrap(),
        &url,
        "-n",
        "40",
        "-c",
        "2",
        "--json",
        new.to_str().unwrap(),
    ])
    .unwrap();
    let (b, n) = (base.to_str().unwrap(), new.to_str().unwrap());
    assert_eq!(load(&["compare", b, n]).unwrap(), 1);
    assert_eq!(load(&["compare", n, b]).unwrap(), 0, "getting faster is not a regression");
    assert_eq!(load(&["compare", b, b]).unwrap(), 0);
    assert_eq!(load(&["compare", b, n, "--tolerance", "1000%"]).unwrap(), 0);
    assert!(load(&["compare", b, n, "--metrics", "speed"]).is_err());
}

#[test]
fn from_scan_loads_every_get_route_grouped_by_rule() {
    let server = TestServer::start(ServerConfig::default());
    let scan = |_: &Path| -> anyhow::Result<Vec<RouteSpec>> {
        Ok(vec![
            RouteSpec {
                rule: "/items/<int:item_id>".into(),
                methods: vec!["GET".into(), "DELETE".into()],
                endpoint: "item".into(),
                guards: vec![],
            },
            RouteSpec {
                rule: "/users/<uuid:user>/orders".into(),
                methods: vec!["GET".into()],
                endpoint: "orders".into(),
                guards: vec![],
            },
            RouteSpec { rule: "/login".into(), methods: vec!["POST".into()], endpoint: "login".into(), guards: vec![] },
            RouteSpec {
                rule: "/static/<path:filename>".into(),
                methods: vec!["GET".into()],
                endpoint: "static".into(),
                guards: vec![],
            },
            RouteSpec {
                rule: "/session/me".into(),
                methods: vec!["GET".into()],
                endpoint: "me".into(),
                guards: vec!["login_required".into()],
            },
        ])
    };
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("scan.json");
    let html = dir.path().join("scan.html");
    let code = load_with_scan(
        &[
            "--from-scan",
            ".",
            &server.url("/"),
            "-n",
            "200",
            "-c",
            "4",
            "--json",
            json.to_str().unwrap(),
            "--html",
            html.to_str().unwrap(),
        ],
        &scan,
    )
    .unwrap();
    assert_eq!(code, 0);
    let r = RunResult::read(&json).unwrap();
    let names: Vec<&str> = r.requests.iter().map(|n| n.name.as_str()).collect();
    // The guarded route is left out without a login.
    assert_eq!(names, vec!["/items/<int:item_id>", "/users/<uuid:user>/orders"]);
    assert_eq!(r.totals.requests, 200);
    assert_eq!(r.totals.errors, 0);
    let items = server.counts.path("/items/1");
    assert_eq!(items, r.name("/items/<int:item_id>").unwrap().requests);
    assert_eq!(server.counts.path("/login"), 0);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<svg") && page.contains("/items/&lt;int:item_id&gt;"));
    assert!(page.contains("banner passed") && page.contains("Started ") && page.contains("Retort 0."), "banner");
    assert!(!page.contains("<script src") && !page.contains("<link"), "self-contained");

    // With a login step from a scenario file, the guarded route is loaded
    // as a logged-in user (its cookie makes every answer a 200).
    let login = dir.path().join("login.toml");
    std::fs::write(
        &login,
        r#"
[[login]]
name = "form"
path = "/session/form"
extract = { csrf = { form = "csrf_token" } }
[[login]]
name = "log in"
method = "POST"
path = "/session/login"
form = { csrf_token = "{csrf}", password = "secret" }
checks = [{ status = 302 }]
"#,
    )
    .unwrap();
    let code = load_with_scan(
        &[
            "--from-scan",
            ".",
            "-s",
            login.to_str().unwrap(),
            &server.url("/"),
            "-n",
            "100",
            "-c",
            "2",
            "--json",
            json.to_str().unwrap(),
        ],
        &scan,
    )
    .unwrap();
    assert_eq!(code, 0);
    let r = RunResult::read(&json).unwrap();
    let me = r.name("/session/me").unwrap();
    assert!(me.requests > 10);
    assert_eq!(me.statuses.keys().collect::<Vec<_>>(), ["200"]);
    assert_eq!(r.name("log in").unwrap().checks_passed, 2);

    // The scan callback failing is an error.
    assert!(load(&["--from-scan", ".", &server.url("/"), "-n", "1"]).is_err());
}
