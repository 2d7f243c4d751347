//! `retort slo report` and `retort slo rules`. The binary passes in a
//! function that scans Flask code into route rules (`--scan PATH`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};

use crate::accesslog::{Input, LogFormat};
use crate::report::{read_inputs, Collector};
use crate::routes::RouteTable;
use crate::rules::MetricNames;
use crate::spec::Spec;
use crate::time::{parse_clf_time, parse_iso8601};
use crate::windows::Windows;

/// `retort slo`.
#[derive(Args)]
pub struct SloArgs {
    #[command(subcommand)]
    pub command: SloCommand,
}

/// The subcommands.
#[derive(Subcommand)]
pub enum SloCommand {
    /// SLIs, error budgets, burn rates and an alert back-test from access logs.
    #[command(after_help = "Examples:
  retort slo report --spec slo.yaml --access-log /var/log/nginx/access.log*
  retort slo report --spec pyproject.toml --scan . --access-log access.log.gz --format markdown
  zcat access.log.*.gz | retort slo report --spec retort-slo.toml --access-log - --format json
  retort slo report --spec slo.yaml --access-log gunicorn.log --log-format '%(h)s %(t)s \"%(r)s\" %(s)s %(D)s'

Exit status: 0 all objectives met, 1 an objective is violated, 2 usage or input error.")]
    Report(ReportArgs),
    /// Prometheus recording and alerting rules (sloth-equivalent) for a spec.
    #[command(after_help = "Examples:
  retort slo rules --spec slo.yaml > slo-rules.yml && promtool check rules slo-rules.yml
  retort slo rules --spec slo.yaml --selector 'flask_http_request_total{job=\"shop\"}'")]
    Rules(RulesArgs),
}

/// Output formats of the report.
#[derive(Copy, Clone, ValueEnum)]
pub enum ReportFormat {
    /// Human-readable text.
    Text,
    /// JSON (schema: docs/slo-report.schema.json).
    Json,
    /// Markdown (CI job summaries).
    Markdown,
    /// Self-contained HTML page.
    Html,
}

/// `retort slo report`.
#[derive(Args)]
pub struct ReportArgs {
    /// SLO spec: OpenSLO YAML, `retort-slo.toml`, or `pyproject.toml` with `[tool.retort.slo]`.
    #[arg(long, value_name = "FILE")]
    pub spec: PathBuf,
    /// Access logs, plain or gzip; `-` is stdin.
    #[arg(long = "access-log", value_name = "FILE", num_args = 1.., required = true)]
    pub access_log: Vec<PathBuf>,
    /// `auto` (combined/common/JSON per line), `json`, or a gunicorn
    /// `access_log_format` / nginx `log_format` template.
    #[arg(long, default_value = "auto", value_name = "FORMAT")]
    pub log_format: String,
    /// JSON field names: `time=ts,path=url,method=verb,status=code,duration=latency_ms:ms`.
    #[arg(long, value_name = "MAP")]
    pub json_fields: Option<String>,
    /// Map paths to the Flask rules of the code at PATH (static scan).
    #[arg(long, value_name = "PATH")]
    pub scan: Option<PathBuf>,
    /// End of the windows (RFC 3339 or `06/Dec/2026:10:00:00 +0000`); default: the end of the logs.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
    /// Write the report to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Threads parsing lines (one more reads and decompresses); default: the cores.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: Option<u16>,
}

/// `retort slo rules`.
#[derive(Args)]
pub struct RulesArgs {
    /// SLO spec.
    #[arg(long, value_name = "FILE")]
    pub spec: PathBuf,
    /// Request counter with its matchers (availability objectives).
    #[arg(long, default_value = "flask_http_request_total")]
    pub selector: String,
    /// Latency histogram base name with its matchers (latency objectives).
    #[arg(long, default_value = "flask_http_request_duration_seconds")]
    pub histogram: String,
    /// Label holding the status code.
    #[arg(long, default_value = "status")]
    pub status_label: String,
    /// Label holding the Flask rule.
    #[arg(long, default_value = "url_rule")]
    pub route_label: String,
    /// Label holding the method.
    #[arg(long, default_value = "method")]
    pub method_label: String,
    /// Flask code whose catalog resolves blueprint scopes.
    #[arg(long, value_name = "PATH")]
    pub scan: Option<PathBuf>,
}

/// Runs `retort slo`; `scan_routes` turns Flask code into route rules.
pub fn run(args: SloArgs, scan_routes: &dyn Fn(&Path) -> anyhow::Result<RouteTable>) -> anyhow::Result<i32> {
    match args.command {
        SloCommand::Report(a) => run_report(a, scan_routes),
        SloCommand::Rules(a) => run_rules(a, scan_routes),
    }
}

fn parse_at(text: &str) -> anyhow::Result<i64> {
    parse_iso8601(text)
        .or_else(|| parse_clf_time(text))
        .map(|ms| ms.div_euclid(1000))
        .ok_or_else(|| anyhow::anyhow!("--at `{text}`: use RFC 3339, e.g. 2026-12-06T10:00:00Z"))
}

fn run_report(args: ReportArgs, scan_routes: &dyn Fn(&Path) -> anyhow::Result<RouteTable>) -> anyhow::Result<i32> {
    let spec = Spec::load(&args.spec)?;
    let format = LogFormat::parse(&args.log_format, args.json_fields.as_deref())?;
    let at = args.at.as_deref().map(parse_at).transpose()?;
    let routes = match &args.scan {
        Some(path) => scan_routes(path)?,
        None => RouteTable::default(),
    };
    let mut collector = Collector::new(&spec, &routes, args.scan.is_some()).map_err(anyhow::Error::msg)?;
    let inputs: Vec<Input> = args.access_log.iter().map(|p| Input::from_arg(p)).collect();
    if inputs.iter().filter(|i| **i == Input::Stdin).count() > 1 {
        anyhow::bail!("stdin (`-`) can be given once");
    }
    let jobs = args.jobs.map_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()), usize::from);
    read_inputs(&inputs, &format, &mut collector, jobs)?;
    let report = collector.finish(&spec, &Windows::sre_workbook(), at, inputs.iter().map(Input::name).collect());
    let text = match args.format {
        ReportFormat::Text => crate::render::render_text(&report),
        ReportFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
        ReportFormat::Markdown => crate::render::render_markdown(&report),
        ReportFormat::Html => crate::render::render_html(&report),
    };
    write_out(args.output.as_deref(), &text)?;
    Ok(if report.violated { 1 } else { 0 })
}

fn write_out(path: Option<&Path>, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    match path {
        Some(p) => std::fs::write(p, text).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", p.display())),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => Ok(other?),
            }
        }
    }
}

fn run_rules(args: RulesArgs, scan_routes: &dyn Fn(&Path) -> anyhow::Result<RouteTable>) -> anyhow::Result<i32> {
    let spec = Spec::load(&args.spec)?;
    let mut blueprints: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if let Some(path) = &args.scan {
        for r in scan_routes(path)?.rules {
            if let Some(b) = r.blueprint {
                blueprints.entry(b).or_default().push(r.rule);
            }
        }
    }
    let names = MetricNames {
        selector: args.selector,
        histogram: args.histogram,
        status_label: args.status_label,
        route_label: args.route_label,
        method_label: args.method_label,
    };
    let yaml =
        crate::rules::generate(&spec, &Windows::sre_workbook(), &names, &blueprints).map_err(anyhow::Error::msg)?;
    write_out(None, &yaml)?;
    Ok(0)
}

/// `retort load --slo FILE`: one load threshold per objective, as
/// `(request name scope, expression)`; the scope is the route rule (request
/// names of `--from-scan` scenarios are rules), `None` for the service.
/// Latency objectives become a percentile threshold (share q under T →
/// `pq <= T`), availability an error-rate threshold (`error_rate <= 1 - target`).
/// Objectives that cannot be expressed per request name are returned as notes.
pub fn load_thresholds(spec: &Spec) -> (Vec<(Option<String>, String)>, Vec<String>) {
    let mut thresholds = Vec::new();
    let mut notes = Vec::new();
    for o in &spec.objectives {
        let scope = match &o.scope {
            crate::spec::Scope::Service => None,
            crate::spec::Scope::Route(rule) => Some(rule.clone()),
            crate::spec::Scope::Blueprint(b) => {
                notes
                    .push(format!("objective `{}`: blueprint `{b}` scopes are not applied to load thresholds", o.name));
                continue;
            }
        };
        let expression = match o.indicator {
            crate::spec::Indicator::Availability => {
                format!("error_rate <= {}%", crate::spec::trim_float((1.0 - o.target) * 100.0))
            }
            crate::spec::Indicator::Latency { threshold_us, quantile } => {
                let q = quantile.unwrap_or(o.target);
                format!("p{} <= {}us", crate::spec::trim_float(q * 100.0), threshold_us)
            }
        };
        thresholds.push((scope, expression));
    }
    (thresholds, notes)
}
