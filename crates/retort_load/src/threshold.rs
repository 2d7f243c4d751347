//! k6-style thresholds: `p95 < 200ms`, `p99 < 1s`, `error_rate < 1%`,
//! `rps > 500`, optionally scoped to one request name:
//! `/items/<int:id>: p95 < 100ms`.

use std::fmt;

use crate::error::LoadError;
use crate::result::{NameResult, RunResult};
use crate::units::{format_micros, parse_duration, parse_percent};

/// What a threshold measures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Metric {
    /// A latency percentile (0..=100).
    Percentile(f64),
    /// Mean latency.
    Mean,
    /// Smallest latency.
    Min,
    /// Largest latency.
    Max,
    /// Fraction of requests that were errors.
    ErrorRate,
    /// Requests per second.
    Rps,
    /// Number of finished requests.
    Requests,
    /// Fraction of check outcomes that passed.
    Checks,
}

impl Metric {
    fn parse(text: &str) -> Option<Metric> {
        let t = text.trim().to_ascii_lowercase();
        Some(match t.as_str() {
            "avg" | "mean" => Metric::Mean,
            "min" => Metric::Min,
            "max" => Metric::Max,
            "med" | "median" => Metric::Percentile(50.0),
            "error_rate" | "errors" | "failure_rate" => Metric::ErrorRate,
            "rps" | "rate" | "throughput" => Metric::Rps,
            "requests" | "count" => Metric::Requests,
            "checks" | "check_rate" => Metric::Checks,
            _ => {
                let number = t.strip_prefix('p')?;
                let number = number.strip_prefix('(').and_then(|n| n.strip_suffix(')')).unwrap_or(number);
                let p: f64 = number.parse().ok()?;
                if !(0.0..=100.0).contains(&p) {
                    return None;
                }
                Metric::Percentile(p)
            }
        })
    }

    /// True for latency metrics (values are durations).
    pub fn is_latency(&self) -> bool {
        matches!(self, Metric::Percentile(_) | Metric::Mean | Metric::Min | Metric::Max)
    }

    /// The metric's value on one name's result.
    pub fn value(&self, r: &NameResult) -> f64 {
        match self {
            Metric::Percentile(p) => r.histogram.quantile(p / 100.0),
            Metric::Mean => r.latency_us.mean,
            Metric::Min => r.latency_us.min,
            Metric::Max => r.latency_us.max,
            Metric::ErrorRate => r.error_rate,
            Metric::Rps => r.rps,
            Metric::Requests => r.requests as f64,
            Metric::Checks => {
                let total = r.checks_passed + r.checks_failed;
                if total == 0 {
                    0.0
                } else {
                    r.checks_passed as f64 / total as f64
                }
            }
        }
    }

    /// Formats a value of this metric for humans.
    pub fn format(&self, value: f64) -> String {
        match self {
            m if m.is_latency() => format_micros(value),
            Metric::ErrorRate | Metric::Checks => format!("{:.2}%", value * 100.0),
            Metric::Rps => format!("{value:.1}/s"),
            _ => format!("{value:.0}"),
        }
    }
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl Op {
    fn holds(&self, actual: f64, limit: f64) -> bool {
        match self {
            Op::Lt => actual < limit,
            Op::Le => actual <= limit,
            Op::Gt => actual > limit,
            Op::Ge => actual >= limit,
        }
    }
}

/// A parsed threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    /// Request name it applies to; `None` for all requests together.
    pub scope: Option<String>,
    /// The metric.
    pub metric: Metric,
    /// The comparison that must hold.
    pub op: Op,
    /// The limit (µs for latencies, a fraction for error rate, per second for rps).
    pub limit: f64,
    /// The text as written, for reports.
    pub source: String,
}

impl fmt::Display for Threshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

/// The outcome of one threshold after a run.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct ThresholdOutcome {
    /// The threshold as written (without scope).
    pub threshold: String,
    /// The request name, or `total`.
    pub scope: String,
    /// The measured value, formatted.
    pub actual: String,
    /// The measured value (µs, fraction or per second); `None` without data.
    pub actual_value: Option<f64>,
    /// Whether it held.
    pub passed: bool,
}

impl Threshold {
    /// Parses `[NAME:] METRIC OP VALUE`.
    pub fn parse(text: &str) -> Result<Threshold, LoadError> {
        if let Some(threshold) = Threshold::parse_expression(text.trim(), None) {
            return Ok(threshold);
        }
        // A scope may itself hold colons (`/items/<int:id>`): take the first
        // split whose right-hand side is a valid expression.
        for (i, _) in text.match_indices(':') {
            let scope = text[..i].trim();
            if scope.is_empty() {
                continue;
            }
            if let Some(threshold) = Threshold::parse_expression(text[i + 1..].trim(), Some(scope)) {
                return Ok(threshold);
            }
        }
        Err(LoadError::Invalid(format!(
            "invalid threshold `{text}` (use e.g. `p95 < 200ms`, `error_rate < 1%`, `rps > 500`, \
             optionally prefixed by a request name and `:`)"
        )))
    }

    /// Parses an expression for a known scope.
    pub fn parse_scoped(text: &str, scope: &str) -> Result<Threshold, LoadError> {
        Threshold::parse_expression(text.trim(), Some(scope)).ok_or_else(|| {
            LoadError::Invalid(format!("invalid threshold `{text}` for `{scope}` (use e.g. `p95 < 200ms`)"))
        })
    }

    fn parse_expression(text: &str, scope: Option<&str>) -> Option<Threshold> {
        let position = text.find(['<', '>'])?;
        let (metric_text, rest) = text.split_at(position);
        let (op, value_text) = if let Some(v) = rest.strip_prefix("<=") {
            (Op::Le, v)
        } else if let Some(v) = rest.strip_prefix(">=") {
            (Op::Ge, v)
        } else if let Some(v) = rest.strip_prefix('<') {
            (Op::Lt, v)
        } else {
            (Op::Gt, rest.strip_prefix('>')?)
        };
        let metric = Metric::parse(metric_text)?;
        let value_text = value_text.trim();
        let limit = match metric {
            m if m.is_latency() => {
                let bare_ms = value_text.parse::<f64>().ok().map(|ms| ms * 1000.0);
                match bare_ms {
                    Some(us) => us,
                    None => parse_duration(value_text).ok()?.as_secs_f64() * 1e6,
                }
            }
            Metric::ErrorRate | Metric::Checks => parse_percent(value_text).ok()?,
            Metric::Rps => value_text.trim_end_matches("/s").trim().parse().ok()?,
            _ => value_text.parse().ok()?,
        };
        if !limit.is_finite() {
            return None;
        }
        Some(Threshold { scope: scope.map(str::to_string), metric, op, limit, source: text.to_string() })
    }

    /// Evaluates the threshold on a result. A scope without data fails.
    pub fn evaluate(&self, result: &RunResult) -> ThresholdOutcome {
        let scope = self.scope.clone().unwrap_or_else(|| "total".into());
        // No requests, or no responses for a latency metric (everything
        // failed), is "no data": it fails rather than passing on zeros.
        let measured = result.name(&scope).filter(|r| {
            r.requests > 0
                && !(self.metric.is_latency() && r.histogram.is_empty())
                && !(self.metric == Metric::Checks && r.checks_passed + r.checks_failed == 0)
        });
        match measured {
            Some(r) => {
                let actual = self.metric.value(r);
                ThresholdOutcome {
                    threshold: self.source.clone(),
                    scope,
                    actual: self.metric.format(actual),
                    actual_value: Some(actual),
                    passed: self.op.holds(actual, self.limit),
                }
            }
            None => ThresholdOutcome {
                threshold: self.source.clone(),
                scope,
                actual: "no data".into(),
                actual_value: None,
                passed: false,
            },
        }
    }

    /// Whether the threshold may be judged before the run ends
    /// (`--abort-on-fail`): rates and counts are only final at the end.
    pub fn judged_early(&self) -> bool {
        !matches!(self.metric, Metric::Rps | Metric::Requests)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_expressions() {
        let t = Threshold::parse("p95 < 200ms").unwrap();
        assert_eq!(t.metric, Metric::Percentile(95.0));
        assert_eq!(t.op, Op::Lt);
        assert_eq!(t.limit, 200_000.0);
        assert_eq!(Threshold::parse("p(99.9)<=1s").unwrap().limit, 1_000_000.0);
        assert_eq!(Threshold::parse("p99 < 250").unwrap().limit, 250_000.0);
        assert!((Threshold::parse("error_rate < 1%").unwrap().limit - 0.01).abs() < 1e-12);
        assert_eq!(Threshold::parse("rps > 500").unwrap().op, Op::Gt);
        let checks = Threshold::parse("checks > 99.5%").unwrap();
        assert_eq!(checks.metric, Metric::Checks);
        assert!((checks.limit - 0.995).abs() < 1e-12);
        let scoped = Threshold::parse("/items/<int:id>: p95 < 100ms").unwrap();
        assert_eq!(scoped.scope.as_deref(), Some("/items/<int:id>"));
        assert_eq!(scoped.source, "p95 < 100ms");
        for bad in ["", "p95", "p95 < fast", "p101 < 1s", "speed > 3", "rps > x", ": p95 < 1s"] {
            assert!(Threshold::parse(bad).is_err(), "{bad}");
        }
    }
}
