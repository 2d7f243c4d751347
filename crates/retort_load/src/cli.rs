//! The `retort load` command line.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use crate::compare::{self, CompareOptions};
use crate::engine;
use crate::error::LoadError;
use crate::html;
use crate::live::LiveView;
use crate::report;
use crate::result::{RunResult, Verdict};
use crate::scenario::{Overrides, Plan, ScannedRoute, Scenario};
use crate::target::Target;
use crate::threshold::{Metric, Threshold};
use crate::units::{parse_duration, parse_percent};

/// One route of the scanned Flask catalog, as the load engine needs it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct RouteSpec {
    /// Flask rule syntax, e.g. `/users/<int:user_id>`.
    pub rule: String,
    /// Methods without HEAD/OPTIONS.
    pub methods: Vec<String>,
    /// Flask endpoint name.
    pub endpoint: String,
    /// Authentication guards that apply to the route (`login_required` …).
    #[serde(default)]
    pub guards: Vec<String>,
}

/// Arguments of `retort load`.
#[derive(Debug, clap::Args)]
#[command(
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    after_help = "Examples:\n  retort load http://127.0.0.1:8000/ -c 50 -d 30s\n  retort load http://127.0.0.1:8000/items --rate 2000/s -d 30s --threshold 'p99 < 250ms'\n  retort load --from-scan . http://127.0.0.1:8000 --json run.json\n  retort load -s scenario.toml --abort-on-fail\n  retort load compare base.json new.json --tolerance 10%\n  retort load merge agent-*.json -o merged.json"
)]
pub struct LoadArgs {
    /// `compare` or `merge` result files instead of running a load.
    #[command(subcommand)]
    pub command: Option<LoadCommand>,

    /// Target URL (http:// or https://); with a scenario, its base URL.
    pub url: Option<String>,

    /// Connections (closed model: concurrency; open model: pool size) [default: 50].
    #[arg(short = 'c', long)]
    pub connections: Option<usize>,

    /// How long to run, e.g. 30s, 2m [default: 10s unless -n is given].
    #[arg(short = 'd', long)]
    pub duration: Option<String>,

    /// Stop after this many requests.
    #[arg(short = 'n', long = "requests")]
    pub requests: Option<u64>,

    /// Open model: constant arrival rate, e.g. 2000/s; latency counts from the intended send time.
    #[arg(long)]
    pub rate: Option<String>,

    /// HTTP method (quick mode) [default: GET].
    #[arg(short = 'm', long)]
    pub method: Option<String>,

    /// Header `Name: value`, repeatable (added to every request).
    #[arg(short = 'H', long = "header", value_name = "HEADER")]
    pub headers: Vec<String>,

    /// Request body (quick mode).
    #[arg(short = 'b', long)]
    pub body: Option<String>,

    /// Request body from a file (quick mode).
    #[arg(long, conflicts_with = "body")]
    pub body_file: Option<PathBuf>,

    /// Per-request timeout [default: 30s].
    #[arg(long)]
    pub timeout: Option<String>,

    /// TOML scenario file (with --from-scan: login steps, headers, thresholds … for the scanned routes).
    #[arg(short = 's', long, conflicts_with_all = ["method", "body", "body_file"])]
    pub scenario: Option<PathBuf>,

    /// Build the scenario from the Flask routes found in the code at PATH
    /// (guarded routes only with a login from -s or credentials from -H).
    #[arg(long, value_name = "PATH", conflicts_with_all = ["method", "body", "body_file"])]
    pub from_scan: Option<PathBuf>,

    /// With --from-scan: methods to load, comma-separated [default: GET].
    #[arg(long, value_delimiter = ',', requires = "from_scan")]
    pub methods: Vec<String>,

    /// CSV data file whose columns fill path parameters and template variables.
    #[arg(long)]
    pub data: Vec<PathBuf>,

    /// Threshold such as `p95 < 200ms`, `error_rate < 1%`, `rps > 500`, or `NAME: p99 < 1s`; repeatable.
    #[arg(long = "threshold", value_name = "EXPR")]
    pub thresholds: Vec<String>,

    /// Derive thresholds from an SLO spec (`retort slo`): latency objectives
    /// become percentile thresholds, availability an error-rate threshold, per route.
    #[arg(long, value_name = "FILE")]
    pub slo: Option<PathBuf>,

    /// Stop as soon as a latency or error threshold fails.
    #[arg(long)]
    pub abort_on_fail: bool,

    /// Write the full result (with histograms) as JSON (`-`: stdout, the summary then goes to stderr).
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,

    /// Write a self-contained HTML report.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,

    /// Speak HTTP/2 (ALPN over TLS, prior knowledge over cleartext).
    #[arg(long)]
    pub http2: bool,

    /// With --http2: concurrent streams per TCP connection; -c stays the concurrency [default: 1].
    #[arg(long, value_name = "N", requires = "http2")]
    pub h2_streams: Option<usize>,

    /// Accept any TLS certificate.
    #[arg(short = 'k', long)]
    pub insecure: bool,

    /// Follow up to N same-origin redirects per request [default: 0, a 3xx is the response].
    #[arg(long, value_name = "N")]
    pub follow_redirects: Option<u32>,

    /// Worker threads [default: number of cores].
    #[arg(long)]
    pub threads: Option<usize>,

    /// Print the scenario (e.g. generated by --from-scan) as TOML and exit.
    #[arg(long)]
    pub print_scenario: bool,

    /// No live view.
    #[arg(short = 'q', long)]
    pub quiet: bool,
}

/// Subcommands of `retort load`.
#[derive(Debug, clap::Subcommand)]
pub enum LoadCommand {
    /// Compare two result files per endpoint; exit 1 on regression.
    Compare(CompareArgs),
    /// Merge result files of agents that ran together (exact histogram merge).
    Merge(MergeArgs),
}

/// Arguments of `retort load compare`.
#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// Result of the baseline run.
    pub base: PathBuf,
    /// Result of the new run.
    pub new: PathBuf,
    /// Allowed relative worsening of latency (and rps), e.g. 10%.
    #[arg(long, default_value = "10%")]
    pub tolerance: String,
    /// Allowed rise of the error rate in percentage points, e.g. 0.5%.
    #[arg(long, default_value = "0.5%")]
    pub error_tolerance: String,
    /// Metrics to compare, comma-separated (p50, p95, p99, p99.9, mean, max, error_rate, rps).
    #[arg(long, value_delimiter = ',', default_value = "p95,p99,error_rate")]
    pub metrics: Vec<String>,
    /// Ignore latency changes smaller than this (scheduler noise on a load host is about a millisecond).
    #[arg(long, default_value = "1ms")]
    pub min_delta: String,
    /// Significance level: a change is a regression only if a one-sided test
    /// (bootstrap of the histograms, z-test for rates) gives p < ALPHA; 1 disables the test.
    #[arg(long, default_value_t = 0.01)]
    pub alpha: f64,
    /// Write the comparison as JSON.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

/// Arguments of `retort load merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Result files to merge.
    #[arg(required = true, num_args = 1..)]
    pub inputs: Vec<PathBuf>,
    /// Output file.
    #[arg(short = 'o', long)]
    pub output: PathBuf,
    /// Thresholds to evaluate on the merged result; exit 1 when one fails.
    #[arg(long = "threshold", value_name = "EXPR")]
    pub thresholds: Vec<String>,
}

/// Runs `retort load`; returns the process exit code.
pub fn run(args: LoadArgs, scan_routes: &dyn Fn(&Path) -> anyhow::Result<Vec<RouteSpec>>) -> anyhow::Result<i32> {
    match args.command {
        Some(LoadCommand::Compare(compare_args)) => return run_compare(compare_args),
        Some(LoadCommand::Merge(merge_args)) => return run_merge(merge_args),
        None => {}
    }
    let headers = parse_headers(&args.headers)?;
    let base = args.scenario.as_deref().map(Scenario::read).transpose()?;
    let scenario = if let Some(path) = &args.from_scan {
        let mut scenario = base.unwrap_or_default();
        let routes =
            scan_routes(path).map_err(|e| anyhow::anyhow!("scanning {} for Flask routes: {e:#}", path.display()))?;
        // Static-file routes serve files, not the application: skip them.
        let routes: Vec<ScannedRoute> = routes
            .into_iter()
            .filter(|r| r.endpoint != "static" && !r.endpoint.ends_with(".static"))
            .map(|r| ScannedRoute { rule: r.rule, methods: r.methods, endpoint: r.endpoint, guards: r.guards })
            .collect();
        let logged_in = scenario.sends_credentials(&headers);
        scenario.extend_with(Scenario::from_routes(&routes, &args.methods, logged_in));
        for skipped in &scenario.skipped {
            eprintln!("note: skipped {}: {}", skipped.route, skipped.reason);
        }
        if scenario.requests.is_empty() {
            anyhow::bail!(
                "no routes to load in {} (found {} route(s), {} skipped: see the notes above)",
                path.display(),
                routes.len(),
                scenario.skipped.len()
            );
        }
        scenario
    } else if let Some(scenario) = base {
        scenario
    } else {
        let url = args
            .url
            .as_deref()
            .ok_or_else(|| anyhow::anyhow!("a target URL is required (or --scenario / --from-scan)"))?;
        let target = Target::parse(url)?;
        let body = match (&args.body, &args.body_file) {
            (Some(body), _) => Some(body.clone()),
            (None, Some(path)) => Some(
                std::fs::read_to_string(path)
                    .map_err(|e| anyhow::anyhow!("reading body file {}: {e}", path.display()))?,
            ),
            (None, None) => None,
        };
        let method = args.method.clone().unwrap_or_else(|| "GET".into());
        Scenario::single(&method, &target.path_and_query, body)
    };

    if args.print_scenario {
        let mut scenario = scenario;
        if scenario.url.is_none() {
            scenario.url = args.url.clone();
        }
        if let Some(path) = &args.from_scan {
            println!("# Generated from the Flask routes in {}.", path.display());
            if !scenario.skipped.is_empty() {
                println!("# Skipped routes:");
            }
            for skipped in &scenario.skipped {
                println!("#   {}: {}", skipped.route, skipped.reason);
            }
            println!();
        }
        print!("{}", toml::to_string_pretty(&scenario)?);
        return Ok(0);
    }

    let mut thresholds = args.thresholds.clone();
    if let Some(path) = &args.slo {
        thresholds.extend(slo_thresholds(path, &scenario)?);
    }

    let overrides = Overrides {
        connections: args.connections,
        rate: args.rate.clone(),
        duration: args.duration.clone(),
        max_requests: args.requests,
        timeout: args.timeout.clone(),
        headers,
        data: args.data.clone(),
        thresholds,
        abort_on_fail: args.abort_on_fail,
        http2: args.http2,
        insecure: args.insecure,
        threads: args.threads,
        follow_redirects: args.follow_redirects,
        h2_streams: args.h2_streams,
    };
    let plan = Arc::new(Plan::build(scenario, args.url.as_deref(), overrides)?);

    let cancel = CancellationToken::new();
    let finished = CancellationToken::new();
    let signal_thread = spawn_signal_listener(cancel.clone(), finished.clone());

    let live_enabled = !args.quiet && std::io::stderr().is_terminal();
    eprintln!("{}", describe(&plan));
    let mut live = LiveView::new(live_enabled);
    let outcome = engine::run(plan.clone(), cancel.clone(), &mut |snapshot| live.update(snapshot));
    live.finish();
    finished.cancel();
    if let Some(handle) = signal_thread {
        let _ = handle.join();
    }
    let mut result = outcome?;
    result.command = Some(command_line());

    // `--json -` puts the JSON on stdout; the human summary then goes to stderr.
    let json_to_stdout = args.json.as_deref() == Some(Path::new("-"));
    if json_to_stdout {
        eprint!("{}", report::summary(&result));
        println!("{}", serde_json::to_string_pretty(&result)?);
    } else {
        print!("{}", report::summary(&result));
    }
    if let Some(path) = args.json.as_deref().filter(|_| !json_to_stdout) {
        result.write(path)?;
        eprintln!("wrote {}", path.display());
    }
    if let Some(path) = &args.html {
        std::fs::write(path, html::render(&result)).map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    exit_code(&result)
}

/// 0 passed, 1 thresholds or checks failed; a run that measured nothing
/// useful is an error (exit 2 in the binary), after its files are written.
fn exit_code(result: &RunResult) -> anyhow::Result<i32> {
    match result.verdict() {
        Verdict::Passed => Ok(0),
        Verdict::Failed(_) => Ok(1),
        Verdict::NothingMeasured(why) => Err(LoadError::NothingMeasured(why).into()),
    }
}

/// The command line as a shell would take it back (for reports).
fn command_line() -> String {
    let quote = |arg: String| {
        let plain = !arg.is_empty() && arg.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=,@%+".contains(c));
        if plain {
            arg
        } else {
            format!("'{}'", arg.replace('\'', "'\\''"))
        }
    };
    let mut args = std::env::args();
    let program = args
        .next()
        .map(|p| Path::new(&p).file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or(p))
        .unwrap_or_else(|| "retort".into());
    std::iter::once(program).chain(args.map(quote)).collect::<Vec<_>>().join(" ")
}

fn parse_headers(headers: &[String]) -> Result<Vec<(String, String)>, LoadError> {
    headers
        .iter()
        .map(|header| {
            let (name, value) = header
                .split_once(':')
                .ok_or_else(|| LoadError::Invalid(format!("invalid header `{header}` (use `Name: value`)")))?;
            Ok((name.trim().to_string(), value.trim().to_string()))
        })
        .collect()
}

fn describe(plan: &Plan) -> String {
    let bound = match (plan.duration, plan.max_requests) {
        (Some(d), Some(n)) => format!("{:.1}s or {n} requests", d.as_secs_f64()),
        (Some(d), None) => format!("{:.1}s", d.as_secs_f64()),
        (None, Some(n)) => format!("{n} requests"),
        (None, None) => "unbounded".into(),
    };
    let load = match &plan.model {
        crate::scenario::Model::Open { rate, connections } => {
            format!("open model, {:.0}/s peak, {connections} connections", rate.peak())
        }
        crate::scenario::Model::Closed { connections } => {
            format!("closed model, {:.0} connections", connections.peak())
        }
    };
    format!(
        "retort load: {} — {load}, {bound}, {} request(s), {} thread(s){}",
        plan.target.url,
        plan.requests.len(),
        plan.threads,
        if plan.http2 { ", HTTP/2" } else { "" }
    )
}

// SIGINT stops sending; the engine then waits briefly for in-flight
// requests and the summary and files are still written. A second SIGINT
// exits at once.
fn spawn_signal_listener(
    cancel: CancellationToken,
    finished: CancellationToken,
) -> Option<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("retort-load-signal".into())
        .spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                return;
            };
            runtime.block_on(async move {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = finished.cancelled() => return,
                }
                eprintln!("\ninterrupted: stopping, waiting briefly for in-flight requests (Ctrl-C again to quit now)");
                cancel.cancel();
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => std::process::exit(2),
                    _ = finished.cancelled() => {}
                }
            });
        })
        .ok()
}

fn run_compare(args: CompareArgs) -> anyhow::Result<i32> {
    let base = RunResult::read(&args.base)?;
    let new = RunResult::read(&args.new)?;
    let metrics = args
        .metrics
        .iter()
        .map(|m| {
            Threshold::parse(&format!("{m} < 1"))
                .map(|t| t.metric)
                .map_err(|_| LoadError::Invalid(format!("unknown metric `{m}`")))
        })
        .collect::<Result<Vec<Metric>, _>>()?;
    let tolerance = parse_percent(&args.tolerance)?;
    let error_tolerance = parse_percent(&args.error_tolerance)?;
    let min_delta_us = parse_duration(&args.min_delta)?.as_secs_f64() * 1e6;
    if !(args.alpha > 0.0 && args.alpha <= 1.0) {
        return Err(LoadError::Invalid(format!("--alpha must be in (0, 1], not {}", args.alpha)).into());
    }
    let options = CompareOptions { metrics, tolerance, error_tolerance, min_delta_us, alpha: args.alpha };
    let comparison = compare::compare(&base, &new, &options);
    print!("{}", compare::render(&comparison, &options));
    if let Some(path) = &args.json {
        let text = serde_json::to_string_pretty(&comparison)?;
        std::fs::write(path, text + "\n").map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?;
    }
    Ok(if comparison.regressions > 0 { 1 } else { 0 })
}

fn run_merge(args: MergeArgs) -> anyhow::Result<i32> {
    let results = args.inputs.iter().map(|p| RunResult::read(p)).collect::<Result<Vec<_>, _>>()?;
    let mut merged = RunResult::merge(&results).ok_or_else(|| anyhow::anyhow!("nothing to merge"))?;
    for text in &args.thresholds {
        let threshold = Threshold::parse(text)?;
        merged.thresholds.push(threshold.evaluate(&merged));
    }
    merged.command = Some(command_line());
    merged.write(&args.output)?;
    print!("{}", report::summary(&merged));
    eprintln!("merged {} result(s) into {}", results.len(), args.output.display());
    exit_code(&merged)
}

/// `--slo FILE`: thresholds from the spec's objectives. A route objective
/// applies to the requests named after its rule (`/items/<int:id>` or
/// `GET /items/<int:id>`); one with no such request is reported and skipped.
fn slo_thresholds(path: &Path, scenario: &Scenario) -> anyhow::Result<Vec<String>> {
    let spec = retort_slo::Spec::load(path)?;
    let (derived, notes) = retort_slo::cli::load_thresholds(&spec);
    for note in notes {
        eprintln!("note: {note}");
    }
    let names: Vec<String> = scenario
        .requests
        .iter()
        .map(|r| r.name.clone().unwrap_or_else(|| format!("{} {}", r.method.as_deref().unwrap_or("GET"), r.path)))
        .collect();
    let mut out = Vec::new();
    for (scope, expression) in derived {
        match scope {
            None => out.push(expression),
            Some(rule) => {
                let suffix = format!(" {rule}");
                let matching: Vec<&String> = names.iter().filter(|n| **n == rule || n.ends_with(&suffix)).collect();
                if matching.is_empty() {
                    eprintln!(
                        "note: no request is named after `{rule}`; its SLO threshold `{expression}` is not applied"
                    );
                }
                out.extend(matching.into_iter().map(|name| format!("{name}: {expression}")));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod slo_tests {
    use super::*;

    #[test]
    fn slo_objectives_become_per_route_thresholds() {
        let dir = tempfile::tempdir().unwrap();
        let spec = dir.path().join("retort-slo.toml");
        std::fs::write(
            &spec,
            "[[objectives]]\nname = \"all\"\navailability = \"99.5%\"\n\n\
             [[objectives]]\nname = \"items\"\nroute = \"/items/<int:id>\"\nlatency = \"250ms\"\nquantile = \"p99\"\n\n\
             [[objectives]]\nname = \"gone\"\nroute = \"/gone\"\nlatency = \"1s\"\ntarget = 0.9\n",
        )
        .unwrap();
        let routes = vec![
            ScannedRoute {
                rule: "/items/<int:id>".into(),
                methods: vec!["GET".into(), "POST".into()],
                ..ScannedRoute::default()
            },
            ScannedRoute { rule: "/".into(), methods: vec!["GET".into()], ..ScannedRoute::default() },
        ];
        let scenario = Scenario::from_routes(&routes, &["GET".into(), "POST".into()], false);
        let thresholds = slo_thresholds(&spec, &scenario).unwrap();
        assert_eq!(
            thresholds,
            ["error_rate <= 0.5%", "GET /items/<int:id>: p99 <= 250000us", "POST /items/<int:id>: p99 <= 250000us"]
        );
        for t in &thresholds {
            Threshold::parse(t).unwrap();
        }
    }
}
