//! `retort load compare`: per-endpoint regressions between two runs.

use std::fmt::Write as _;

use crate::result::{NameResult, RunResult};
use crate::threshold::Metric;
use crate::units::format_micros;

/// What counts as a regression.
#[derive(Debug, Clone)]
pub struct CompareOptions {
    /// Metrics compared (latency percentiles, mean, max, error rate, rps).
    pub metrics: Vec<Metric>,
    /// Allowed relative worsening of latency and rps, as a fraction (0.10 = 10 %).
    pub tolerance: f64,
    /// Allowed absolute rise of the error rate, as a fraction (0.005 = 0.5 points).
    pub error_tolerance: f64,
    /// Latency changes smaller than this (µs) never count, to ignore noise on fast endpoints.
    pub min_delta_us: f64,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions {
            metrics: vec![Metric::Percentile(95.0), Metric::Percentile(99.0), Metric::ErrorRate],
            tolerance: 0.10,
            error_tolerance: 0.005,
            min_delta_us: 0.0,
        }
    }
}

/// One metric of one name, before and after.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MetricChange {
    /// Metric label (`p95`, `error_rate` …).
    pub metric: String,
    /// Value in the base run.
    pub base: f64,
    /// Value in the new run.
    pub new: f64,
    /// Relative change (`new / base - 1`), if the base is non-zero.
    pub change: Option<f64>,
    /// Whether this change is a regression.
    pub regressed: bool,
}

/// The comparison of one request name.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NameComparison {
    /// Request name or route rule (`total` for all).
    pub name: String,
    /// `both`, `only in base` or `only in new`.
    pub presence: String,
    /// Changes per metric (empty unless in both runs).
    pub changes: Vec<MetricChange>,
}

/// The comparison of two runs.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Comparison {
    /// Per name, totals last.
    pub names: Vec<NameComparison>,
    /// Number of regressed metrics.
    pub regressions: usize,
}

/// Label of a metric for tables.
pub fn metric_label(metric: &Metric) -> String {
    match metric {
        Metric::Percentile(p) => format!("p{p}"),
        Metric::Mean => "mean".into(),
        Metric::Min => "min".into(),
        Metric::Max => "max".into(),
        Metric::ErrorRate => "error_rate".into(),
        Metric::Rps => "rps".into(),
        Metric::Requests => "requests".into(),
        Metric::Checks => "checks".into(),
    }
}

/// Compares `new` against `base`.
pub fn compare(base: &RunResult, new: &RunResult, options: &CompareOptions) -> Comparison {
    let mut names = Vec::new();
    let mut regressions = 0;
    let mut compare_pair = |name: &str, b: &NameResult, n: &NameResult| {
        let changes: Vec<MetricChange> = options
            .metrics
            .iter()
            .map(|metric| {
                let (before, after) = (metric.value(b), metric.value(n));
                let change = (before > 0.0).then(|| after / before - 1.0);
                let regressed = match metric {
                    Metric::ErrorRate => after - before > options.error_tolerance,
                    Metric::Checks => before - after > options.error_tolerance,
                    Metric::Rps | Metric::Requests => after < before * (1.0 - options.tolerance),
                    _ => after > before * (1.0 + options.tolerance) && after - before >= options.min_delta_us,
                };
                MetricChange { metric: metric_label(metric), base: before, new: after, change, regressed }
            })
            .collect();
        regressions += changes.iter().filter(|c| c.regressed).count();
        names.push(NameComparison { name: name.to_string(), presence: "both".into(), changes });
    };
    for b in &base.requests {
        if let Some(n) = new.requests.iter().find(|n| n.name == b.name) {
            compare_pair(&b.name, b, n);
        }
    }
    // With one request name on both sides, the total repeats it: skip it
    // so a regression is not counted twice.
    let single = base.requests.len() == 1 && new.requests.len() == 1 && base.requests[0].name == new.requests[0].name;
    if !single {
        compare_pair("total", &base.totals, &new.totals);
    }
    for b in &base.requests {
        if new.name(&b.name).is_none() {
            names.push(NameComparison { name: b.name.clone(), presence: "only in base".into(), changes: vec![] });
        }
    }
    for n in &new.requests {
        if base.name(&n.name).is_none() {
            names.push(NameComparison { name: n.name.clone(), presence: "only in new".into(), changes: vec![] });
        }
    }
    Comparison { names, regressions }
}

fn format_value(metric: &str, value: f64) -> String {
    match metric {
        "error_rate" => format!("{:.2}%", value * 100.0),
        "rps" => format!("{value:.1}"),
        "requests" => format!("{value:.0}"),
        _ => format_micros(value),
    }
}

/// Renders the comparison as a table.
pub fn render(comparison: &Comparison, options: &CompareOptions) -> String {
    let mut rows: Vec<[String; 6]> =
        vec![["name".into(), "metric".into(), "base".into(), "new".into(), "change".into(), String::new()]];
    for n in &comparison.names {
        if n.changes.is_empty() {
            rows.push([n.name.clone(), String::new(), String::new(), String::new(), String::new(), n.presence.clone()]);
            continue;
        }
        for (i, c) in n.changes.iter().enumerate() {
            let change = match (c.metric.as_str(), c.change) {
                ("error_rate", _) => format!("{:+.2}pt", (c.new - c.base) * 100.0),
                (_, Some(change)) => format!("{:+.1}%", change * 100.0),
                (_, None) => "n/a".into(),
            };
            rows.push([
                if i == 0 { n.name.clone() } else { String::new() },
                c.metric.clone(),
                format_value(&c.metric, c.base),
                format_value(&c.metric, c.new),
                change,
                if c.regressed { "REGRESSION".into() } else { String::new() },
            ]);
        }
    }
    let mut widths = [0usize; 6];
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for r in &rows {
        let mut line = String::new();
        for (i, (cell, w)) in r.iter().zip(widths).enumerate() {
            if i == 0 || i == 1 || i == 5 {
                let _ = write!(line, "{cell:<w$}  ");
            } else {
                let _ = write!(line, "{cell:>w$}  ");
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "\n{} regression(s) (tolerance {:.1}% on latency/rps, {:.2} points on error rate{})",
        comparison.regressions,
        options.tolerance * 100.0,
        options.error_tolerance * 100.0,
        if options.min_delta_us > 0.0 {
            format!(", latency changes under {} ignored", format_micros(options.min_delta_us))
        } else {
            String::new()
        }
    );
    out
}
