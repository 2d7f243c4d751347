//! `retort arch --load RESULT.json`: a synthetic `retort load` result,
//! written with `retort_load`'s own types, mapped onto the components of a
//! small Flask project; and the errors for bad result files.

use std::path::Path;
use std::process::{Command, Output};

use retort_load::histogram::LatencyHistogram;
use retort_load::metrics::RequestStats;
use retort_load::result::{NameResult, RunResult, SCHEMA_VERSION};

fn write(dir: &Path, path: &str, text: &str) {
    let full = dir.join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(full, text).unwrap();
}

/// `orders` (two rules, three route methods), `reports` (one) and a
/// `/health` route on the app (core).
fn build_shop(dir: &Path) {
    write(
        dir,
        "shop/__init__.py",
        "from flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n    from shop.orders import bp as orders_bp\n    from shop.reports import bp as reports_bp\n    app.register_blueprint(orders_bp)\n    app.register_blueprint(reports_bp)\n\n    @app.route('/health')\n    def health():\n        return 'ok'\n\n    return app\n",
    );
    write(
        dir,
        "shop/orders/__init__.py",
        "from flask import Blueprint\n\nbp = Blueprint('orders', __name__, url_prefix='/orders')\n\n@bp.route('/<int:order_id>')\ndef show(order_id):\n    return 'order'\n\n@bp.route('/', methods=['GET', 'POST'])\ndef index():\n    return 'orders'\n",
    );
    write(
        dir,
        "shop/reports/__init__.py",
        "from flask import Blueprint\n\nbp = Blueprint('reports', __name__, url_prefix='/reports')\n\n@bp.route('/')\ndef index():\n    return 'reports'\n",
    );
}

/// `requests` responses of `micros` each, the first `errors` of them 500s.
fn stats(requests: u64, errors: u64, micros: u64) -> RequestStats {
    let mut stats = RequestStats::default();
    for i in 0..requests {
        let failed = i < errors;
        stats.record_response(if failed { 500 } else { 200 }, !failed, micros, 10, 10);
    }
    stats
}

fn load_result(names: &[(&str, &str, RequestStats)]) -> RunResult {
    let duration_s = 10.0;
    let mut totals = RequestStats::default();
    for (_, _, s) in names {
        totals.add(s);
    }
    RunResult {
        schema_version: SCHEMA_VERSION,
        target: "http://127.0.0.1:5000".into(),
        model: "closed".into(),
        connections: 4,
        rate: None,
        started_at_unix_ms: 0,
        duration_s,
        interrupted: false,
        aborted: false,
        agents: 1,
        missed_arrivals: 0,
        abandoned: 0,
        totals: NameResult::from_stats("total", "", &totals, duration_s),
        requests: names.iter().map(|(n, m, s)| NameResult::from_stats(n, m, s, duration_s)).collect(),
        timeline: Vec::new(),
        thresholds: Vec::new(),
        retort_version: None,
        command: None,
    }
}

fn arch(dir: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_retort")).arg("arch").arg(dir).args(["--no-history"]).args(extra).output().unwrap()
}

#[test]
fn load_results_become_traffic_per_component() {
    let dir = tempfile::tempdir().unwrap();
    build_shop(dir.path());
    let (show, create) = (stats(300, 6, 80_000), stats(100, 0, 10_000));
    let result = load_result(&[
        ("/orders/<int:order_id>", "GET", show.clone()),
        ("POST /orders/", "POST", create.clone()),
        ("/reports/", "GET", stats(50, 0, 5_000)),
        ("GET /metrics", "GET", stats(50, 0, 1_000)),
    ]);
    let file = dir.path().join("run.json");
    result.write(&file).unwrap();
    let file = file.to_str().unwrap();

    let output = arch(dir.path(), &["--format", "json", "--load", file]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let scaling = &report["plan"]["scaling"];
    assert_eq!(scaling["load"]["requests"], 500);
    assert_eq!(scaling["load"]["unmapped_requests"], 50);
    let component = |name: &str| {
        scaling["components"].as_array().unwrap().iter().find(|c| c["component"] == name).cloned().unwrap()
    };
    let orders = component("orders");
    assert_eq!(orders["routes"], 2);
    let traffic = &orders["traffic"];
    assert_eq!((traffic["requests"].as_u64(), traffic["share"].as_f64()), (Some(400), Some(0.8)));
    assert_eq!((traffic["rate"].as_f64(), traffic["error_rate"].as_f64()), (Some(40.0), Some(0.015)));
    // The percentiles are those of the two routes' histograms merged.
    let mut merged = LatencyHistogram::new();
    merged.add(&show.latency);
    merged.add(&create.latency);
    assert_eq!(traffic["p95_us"].as_f64(), Some(merged.quantile(0.95)));
    assert_eq!(traffic["p99_us"].as_f64(), Some(merged.quantile(0.99)));
    assert_eq!(component("reports")["traffic"]["requests"], 50);
    assert!(component("core")["traffic"].is_null(), "nobody loaded /health");
    // The unmapped name is reported with its reason, not dropped.
    let unmapped = scaling["unmapped"].as_array().unwrap();
    assert_eq!(unmapped.len(), 1);
    assert_eq!(unmapped[0]["name"], "GET /metrics");
    assert_eq!(unmapped[0]["reason"], "no catalog route matches it");
    // orders: 80 ms p99 against 5 ms elsewhere, 1.5 % errors against none.
    let uneven: Vec<(String, String)> = scaling["uneven"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["component"].as_str().unwrap().into(), u["factor"].as_str().unwrap().into()))
        .collect();
    assert!(uneven.contains(&("orders".into(), "latency".into())), "{uneven:?}");
    assert!(uneven.contains(&("orders".into(), "errors".into())), "{uneven:?}");
    assert!(!uneven.iter().any(|(c, _)| c == "reports"), "{uneven:?}");

    let text = arch(dir.path(), &["--load", file]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("When to move"), "{text}");
    assert!(text.contains("unmapped: GET /metrics (50 requests, 10.0%): no catalog route matches it"), "{text}");
    let p99 = format!("orders p99 {:.1} ms vs 5.0 ms", merged.quantile(0.99) / 1000.0);
    assert!(text.contains(&p99), "{p99} in {text}");
}

#[test]
fn bad_load_files_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    build_shop(dir.path());
    let expect_error = |file: &Path, words: &str| {
        let output = arch(dir.path(), &["--load", file.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("--load") && stderr.contains(words), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(output.stdout.is_empty());
    };
    expect_error(&dir.path().join("missing.json"), "missing.json");
    let garbage = dir.path().join("garbage.json");
    std::fs::write(&garbage, "{ not json").unwrap();
    expect_error(&garbage, "garbage.json");
    let other = dir.path().join("other.json");
    std::fs::write(&other, r#"{"schema_version": 1, "routes": []}"#).unwrap();
    expect_error(&other, "missing field");
    let mut future = serde_json::to_value(load_result(&[])).unwrap();
    future["schema_version"] = serde_json::json!(99);
    let newer = dir.path().join("newer.json");
    std::fs::write(&newer, future.to_string()).unwrap();
    expect_error(&newer, "schema_version 99 is not supported");
}
