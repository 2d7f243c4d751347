//! `retort load compare`: per-endpoint regressions between two runs.
//!
//! A change is a regression when it is both large enough to matter (the
//! minimum effect: `tolerance`, and `min_delta` for latencies) and unlikely
//! to be noise (a one-sided test at level `alpha`, see [`significance`]:
//! a bootstrap of the latency histograms, a two-proportion z-test for the
//! error and check rates). A large change that the test cannot tell from
//! noise — typically on a few hundred samples — is reported as "not
//! significant" and does not fail the comparison. `min`, `max`, `rps` and
//! `requests` have no distribution to test and are judged on their effect.

use std::fmt::Write as _;

use crate::result::{NameResult, RunResult};
use crate::significance::{self, Statistic};
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
    /// Significance level of the one-sided tests (1.0: judge on the effect alone).
    pub alpha: f64,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions {
            metrics: vec![Metric::Percentile(95.0), Metric::Percentile(99.0), Metric::ErrorRate],
            tolerance: 0.10,
            error_tolerance: 0.005,
            min_delta_us: 1000.0,
            alpha: 0.01,
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
    /// One-sided p-value of the worsening (only computed when the change
    /// is larger than the minimum effect and the metric has a test).
    pub p_value: Option<f64>,
    /// `regression`, `not significant` (large but indistinguishable from
    /// noise) or `ok`.
    pub verdict: String,
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
                let large = match metric {
                    Metric::ErrorRate => after - before > options.error_tolerance,
                    Metric::Checks => before - after > options.error_tolerance,
                    Metric::Rps | Metric::Requests => after < before * (1.0 - options.tolerance),
                    _ => after > before * (1.0 + options.tolerance) && after - before >= options.min_delta_us,
                };
                let p_value = if large && options.alpha < 1.0 { worsening_p_value(metric, b, n) } else { None };
                let regressed = large && p_value.is_none_or(|p| p < options.alpha);
                let verdict = match (regressed, large) {
                    (true, _) => "regression",
                    (false, true) => "not significant",
                    _ => "ok",
                };
                MetricChange {
                    metric: metric_label(metric),
                    base: before,
                    new: after,
                    change,
                    p_value,
                    verdict: verdict.into(),
                    regressed,
                }
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

/// The p-value of the metric's worsening from `b` to `n`, for the metrics
/// that have a test.
fn worsening_p_value(metric: &Metric, b: &NameResult, n: &NameResult) -> Option<f64> {
    let bootstrap = |statistic| {
        significance::bootstrap_increase(&b.histogram, &n.histogram, statistic, significance::DEFAULT_REPLICATES)
    };
    match metric {
        Metric::Percentile(p) => Some(bootstrap(Statistic::Quantile(p / 100.0))),
        Metric::Mean => Some(bootstrap(Statistic::Mean)),
        Metric::ErrorRate => Some(significance::proportion_increase(b.errors, b.requests, n.errors, n.requests)),
        Metric::Checks => Some(significance::proportion_increase(
            b.checks_failed,
            b.checks_passed + b.checks_failed,
            n.checks_failed,
            n.checks_passed + n.checks_failed,
        )),
        Metric::Min | Metric::Max | Metric::Rps | Metric::Requests => None,
    }
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
    let mut rows: Vec<[String; 7]> =
        vec![["name".into(), "metric".into(), "base".into(), "new".into(), "change".into(), "p".into(), String::new()]];
    for n in &comparison.names {
        if n.changes.is_empty() {
            let mut row: [String; 7] = Default::default();
            row[0] = n.name.clone();
            row[6] = n.presence.clone();
            rows.push(row);
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
                c.p_value.map(|p| format!("{p:.3}")).unwrap_or_default(),
                match c.verdict.as_str() {
                    "regression" => "REGRESSION".into(),
                    "ok" => String::new(),
                    other => other.to_string(),
                },
            ]);
        }
    }
    let mut widths = [0usize; 7];
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for r in &rows {
        let mut line = String::new();
        for (i, (cell, w)) in r.iter().zip(widths).enumerate() {
            if i == 0 || i == 1 || i == 6 {
                let _ = write!(line, "{cell:<w$}  ");
            } else {
                let _ = write!(line, "{cell:>w$}  ");
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let not_significant =
        comparison.names.iter().flat_map(|n| &n.changes).filter(|c| c.verdict == "not significant").count();
    let _ = writeln!(
        out,
        "\n{} regression(s){} (tolerance {:.1}% on latency/rps, {:.2} points on error rate{}; {})",
        comparison.regressions,
        if not_significant > 0 { format!(", {not_significant} change(s) not significant") } else { String::new() },
        options.tolerance * 100.0,
        options.error_tolerance * 100.0,
        if options.min_delta_us > 0.0 {
            format!(", latency changes under {} ignored", format_micros(options.min_delta_us))
        } else {
            String::new()
        },
        if options.alpha < 1.0 {
            format!("one-sided tests at alpha {}", options.alpha)
        } else {
            "no significance test".into()
        }
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::histogram::LatencyHistogram;
    use crate::metrics::RequestStats;
    use crate::significance::tests::lognormal;

    fn run(histogram: LatencyHistogram, errors: u64) -> RunResult {
        let stats = RequestStats { requests: histogram.len(), errors, latency: histogram, ..RequestStats::default() };
        let name = NameResult::from_stats("api", "GET", &stats, 10.0);
        RunResult {
            schema_version: crate::result::SCHEMA_VERSION,
            target: "http://127.0.0.1:1".into(),
            model: "closed".into(),
            connections: 1,
            rate: None,
            started_at_unix_ms: 0,
            duration_s: 10.0,
            interrupted: false,
            aborted: false,
            agents: 1,
            missed_arrivals: 0,
            abandoned: 0,
            totals: NameResult::from_stats("total", "", &stats, 10.0),
            requests: vec![name],
            timeline: vec![],
            thresholds: vec![],
            retort_version: None,
            command: None,
        }
    }

    fn verdicts(comparison: &Comparison) -> Vec<(String, String)> {
        comparison.names[0].changes.iter().map(|c| (c.metric.clone(), c.verdict.clone())).collect()
    }

    #[test]
    fn same_distribution_is_no_regression() {
        let base = run(lognormal(5000, 20_000.0, 1.0, 1), 50);
        let new = run(lognormal(5000, 20_000.0, 1.0, 2), 55);
        let comparison = compare(&base, &new, &CompareOptions::default());
        assert_eq!(comparison.regressions, 0, "{:?}", verdicts(&comparison));
    }

    #[test]
    fn a_30_percent_shift_on_thousands_of_samples_is_a_regression() {
        let base = run(lognormal(5000, 20_000.0, 1.0, 1), 50);
        let new = run(lognormal(5000, 20_000.0, 1.3, 2), 150);
        let comparison = compare(&base, &new, &CompareOptions::default());
        assert_eq!(
            verdicts(&comparison),
            [
                ("p95".to_string(), "regression".to_string()),
                ("p99".into(), "regression".into()),
                ("error_rate".into(), "regression".into()),
            ]
        );
        assert!(comparison.names[0].changes.iter().all(|c| c.p_value.unwrap() < 0.01));
        let table = render(&comparison, &CompareOptions::default());
        assert!(table.contains("REGRESSION") && table.contains("3 regression(s)"), "{table}");
    }

    #[test]
    fn a_30_percent_shift_on_a_tiny_sample_is_not_significant() {
        let base = run(lognormal(20, 20_000.0, 1.0, 3), 0);
        let new = run(lognormal(20, 20_000.0, 1.3, 4), 1);
        let comparison = compare(&base, &new, &CompareOptions::default());
        let p95 = &comparison.names[0].changes[0];
        // The p95 grew by more than the 10 % tolerance, but 20 samples
        // cannot tell that from noise.
        assert!(p95.change.unwrap() > 0.10, "{p95:?}");
        assert_eq!(p95.verdict, "not significant");
        assert_eq!(comparison.regressions, 0, "{:?}", verdicts(&comparison));
        assert!(render(&comparison, &CompareOptions::default()).contains("not significant"));
        // Without the test (alpha 1), the effect alone decides.
        let effect_only = CompareOptions { alpha: 1.0, ..CompareOptions::default() };
        assert!(compare(&base, &new, &effect_only).regressions > 0);
    }

    #[test]
    fn noise_on_a_few_hundred_samples_is_not_a_regression() {
        // 40 pairs of runs of 300 requests from the same distribution: the
        // effect alone calls many of them regressions, the test almost none.
        let effect_only = CompareOptions { alpha: 1.0, ..CompareOptions::default() };
        let (mut by_effect, mut by_test) = (0, 0);
        for seed in 0..40u64 {
            let base = run(lognormal(300, 20_000.0, 1.0, 2 * seed), 3);
            let new = run(lognormal(300, 20_000.0, 1.0, 2 * seed + 1), 3);
            by_effect += usize::from(compare(&base, &new, &effect_only).regressions > 0);
            by_test += usize::from(compare(&base, &new, &CompareOptions::default()).regressions > 0);
        }
        eprintln!("same distribution, 300 samples: {by_effect} of 40 by effect alone, {by_test} with the test");
        assert!(by_effect >= 8, "{by_effect}");
        assert!(by_test <= 2, "{by_test}");
    }
}
