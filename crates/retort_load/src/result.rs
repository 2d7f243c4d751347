//! The result of a run as written to `--json` and read back by `compare`
//! and `merge`: per-name metrics with serialised histograms, and a
//! per-second timeline.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::LoadError;
use crate::histogram::{LatencyHistogram, LatencySummary};
use crate::metrics::{ErrorCounts, RequestStats};
use crate::threshold::{Metric, Threshold, ThresholdOutcome};

/// Version of the JSON result format.
pub const SCHEMA_VERSION: u32 = 1;

/// Metrics of one request name (or of all requests, for `totals`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct NameResult {
    /// Request name or route rule (`total` for the totals).
    pub name: String,
    /// HTTP method (empty for totals).
    #[serde(default)]
    pub method: String,
    /// Requests finished.
    pub requests: u64,
    /// Requests counted as errors.
    pub errors: u64,
    /// `errors / requests`.
    pub error_rate: f64,
    /// Requests per second over the run's duration.
    pub rps: f64,
    /// Errors by class.
    pub error_classes: ErrorCounts,
    /// Responses by status code.
    pub statuses: BTreeMap<String, u64>,
    /// Bytes received.
    pub bytes_received: u64,
    /// Bytes sent.
    pub bytes_sent: u64,
    /// Redirects followed (`--follow-redirects`; a request and its redirects count once).
    #[serde(default)]
    pub redirects: u64,
    /// Latency summary in microseconds (responses only).
    pub latency_us: LatencySummary,
    /// The full latency histogram (base64 of HdrHistogram V2+DEFLATE, µs).
    pub histogram: LatencyHistogram,
    /// Checks by name (for `total`: added up by name across requests, as k6 does).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<CheckCount>,
    /// Check outcomes that passed (all checks, all responses).
    #[serde(default)]
    pub checks_passed: u64,
    /// Check outcomes that failed.
    #[serde(default)]
    pub checks_failed: u64,
    /// Responses on which at least one check failed.
    #[serde(default)]
    pub responses_failing_checks: u64,
    /// `Secure` cookies received over plain http and therefore not stored.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub secure_cookies_ignored: u64,
}

/// Passes and fails of one check.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct CheckCount {
    /// The check's name.
    pub name: String,
    /// Responses it passed on.
    pub passed: u64,
    /// Responses it failed on.
    pub failed: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl NameResult {
    /// Builds the result of one name from its accumulated stats.
    pub fn from_stats(name: &str, method: &str, stats: &RequestStats, duration_s: f64) -> NameResult {
        NameResult {
            name: name.to_string(),
            method: method.to_string(),
            requests: stats.requests,
            errors: stats.errors,
            error_rate: ratio(stats.errors, stats.requests),
            rps: if duration_s > 0.0 { stats.requests as f64 / duration_s } else { 0.0 },
            error_classes: stats.error_classes.clone(),
            statuses: stats.statuses.iter().map(|(status, n)| (status.to_string(), *n)).collect(),
            bytes_received: stats.bytes_received,
            bytes_sent: stats.bytes_sent,
            redirects: stats.redirects,
            latency_us: stats.latency.summary(),
            histogram: stats.latency.clone(),
            checks: stats
                .checks
                .iter()
                .map(|(name, passed, failed)| CheckCount { name: name.clone(), passed: *passed, failed: *failed })
                .collect(),
            checks_passed: stats.checks.iter().map(|c| c.1).sum(),
            checks_failed: stats.checks.iter().map(|c| c.2).sum(),
            responses_failing_checks: stats.responses_failing_checks,
            secure_cookies_ignored: stats.secure_cookies_ignored,
        }
    }

    /// Requests that got a response.
    pub fn responses(&self) -> u64 {
        let e = &self.error_classes;
        self.requests.saturating_sub(e.connect + e.timeout + e.reset + e.protocol)
    }

    /// The accumulated stats back from a result (for merging).
    pub fn to_stats(&self) -> RequestStats {
        RequestStats {
            requests: self.requests,
            errors: self.errors,
            error_classes: self.error_classes.clone(),
            statuses: self.statuses.iter().filter_map(|(s, n)| Some((s.parse().ok()?, *n))).collect(),
            bytes_received: self.bytes_received,
            bytes_sent: self.bytes_sent,
            redirects: self.redirects,
            latency: self.histogram.clone(),
            checks: self.checks.iter().map(|c| (c.name.clone(), c.passed, c.failed)).collect(),
            responses_failing_checks: self.responses_failing_checks,
            secure_cookies_ignored: self.secure_cookies_ignored,
        }
    }
}

fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// One second of the run, all requests together.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct SecondResult {
    /// Seconds since the start of the run.
    pub second: u64,
    /// Requests finished in this second.
    pub requests: u64,
    /// Errors in this second.
    pub errors: u64,
    /// Bytes received in this second.
    pub bytes_received: u64,
    /// Latency summary in microseconds.
    pub latency_us: LatencySummary,
    /// The second's histogram, encoded like [`NameResult::histogram`].
    pub histogram: String,
}

impl SecondResult {
    /// Builds the entry of second `second` from its stats.
    pub fn from_stats(second: u64, stats: &RequestStats) -> SecondResult {
        SecondResult {
            second,
            requests: stats.requests,
            errors: stats.errors,
            bytes_received: stats.bytes_received,
            latency_us: stats.latency.summary(),
            histogram: stats.latency.encode(),
        }
    }
}

/// The full result of a run (or of several merged runs).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct RunResult {
    /// Format version ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// The target URL.
    pub target: String,
    /// `closed` or `open` (or `mixed` after merging different models).
    pub model: String,
    /// Connections (peak, summed over merged agents).
    pub connections: u64,
    /// Target arrival rate per second (open model, peak, summed over agents).
    pub rate: Option<f64>,
    /// Start time, milliseconds since the Unix epoch.
    pub started_at_unix_ms: u64,
    /// Wall-clock duration in seconds (longest agent when merged).
    pub duration_s: f64,
    /// The run was interrupted (SIGINT or cancellation).
    pub interrupted: bool,
    /// The run stopped early because a threshold failed (`--abort-on-fail`).
    pub aborted: bool,
    /// Number of load agents whose results this holds.
    pub agents: u32,
    /// Open model: arrivals that were due but not sent before the run stopped.
    pub missed_arrivals: u64,
    /// Requests still in flight when the run stopped, not measured.
    pub abandoned: u64,
    /// All requests together.
    pub totals: NameResult,
    /// Per request name / route rule.
    pub requests: Vec<NameResult>,
    /// Per-second timeline.
    pub timeline: Vec<SecondResult>,
    /// Threshold outcomes.
    pub thresholds: Vec<ThresholdOutcome>,
    /// The Retort version that ran the load.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retort_version: Option<String>,
    /// The command line that ran it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
}

/// How a run ended, for the exit code, the summary and the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every threshold held and no check failed (exit 0).
    Passed,
    /// Thresholds or checks failed (exit 1); one line per reason.
    Failed(Vec<String>),
    /// The run measured nothing useful: no response at all, or every
    /// response failed a check (exit 2); why, and what to look at.
    NothingMeasured(String),
}

impl RunResult {
    /// The JSON Schema of result files (`crates/retort_load/result.schema.json`).
    pub fn json_schema() -> String {
        let schema = schemars::schema_for!(RunResult);
        serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
    }

    /// Judges the run. Failed checks fail it unless a threshold on the
    /// `checks` pass rate decides how many may fail.
    pub fn verdict(&self) -> Verdict {
        let totals = &self.totals;
        if totals.requests == 0 {
            return Verdict::NothingMeasured("no request finished".into());
        }
        if totals.responses() == 0 {
            let classes: Vec<String> =
                totals.error_classes.nonzero().iter().map(|(class, n)| format!("{class} {n}")).collect();
            return Verdict::NothingMeasured(format!(
                "none of the {} requests got a response ({}); is the service running at {}?",
                totals.requests,
                classes.join(", "),
                self.target
            ));
        }
        if totals.responses_failing_checks > 0 && totals.responses_failing_checks == totals.responses() {
            let failing: Vec<String> = totals
                .checks
                .iter()
                .filter(|c| c.failed > 0)
                .map(|c| format!("`{}` failed {} of {}", c.name, c.failed, c.passed + c.failed))
                .collect();
            return Verdict::NothingMeasured(format!(
                "every one of the {} responses failed a check ({}); check the login step, credentials and URLs",
                totals.responses(),
                failing.join(", ")
            ));
        }
        let mut reasons: Vec<String> = self
            .thresholds
            .iter()
            .filter(|t| !t.passed)
            .map(|t| format!("threshold `{}` on {} failed (actual {})", t.threshold, t.scope, t.actual))
            .collect();
        let checks_threshold =
            self.thresholds.iter().any(|t| Threshold::parse(&t.threshold).is_ok_and(|t| t.metric == Metric::Checks));
        if totals.checks_failed > 0 && !checks_threshold {
            reasons.push(format!(
                "{} of {} checks failed",
                totals.checks_failed,
                totals.checks_passed + totals.checks_failed
            ));
        }
        if reasons.is_empty() {
            Verdict::Passed
        } else {
            Verdict::Failed(reasons)
        }
    }

    /// Looks up a request name (`total` gives the totals).
    pub fn name(&self, name: &str) -> Option<&NameResult> {
        if name == "total" {
            return Some(&self.totals);
        }
        self.requests.iter().find(|r| r.name == name)
    }

    /// Reads a result file.
    pub fn read(path: &Path) -> Result<RunResult, LoadError> {
        let fail = |message: String| LoadError::Result { path: path.display().to_string(), message };
        let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
        let result: RunResult = serde_json::from_str(&text).map_err(|e| fail(e.to_string()))?;
        if result.schema_version != SCHEMA_VERSION {
            return Err(fail(format!(
                "schema_version {} is not supported (expected {SCHEMA_VERSION})",
                result.schema_version
            )));
        }
        Ok(result)
    }

    /// Writes the result as pretty JSON.
    pub fn write(&self, path: &Path) -> Result<(), LoadError> {
        let fail = |message: String| LoadError::Result { path: path.display().to_string(), message };
        let text = serde_json::to_string_pretty(self).map_err(|e| fail(e.to_string()))?;
        std::fs::write(path, text + "\n").map_err(|e| fail(e.to_string()))
    }

    /// Merges results of agents that ran at the same time against the same
    /// service. Counters and histograms add exactly; the duration is the
    /// longest agent's; timelines add second by second since each agent's
    /// start. Thresholds are not carried over (re-evaluate on the merge).
    pub fn merge(results: &[RunResult]) -> Option<RunResult> {
        let first = results.first()?;
        let duration_s = results.iter().map(|r| r.duration_s).fold(0.0, f64::max);
        let mut totals = RequestStats::default();
        let mut names: Vec<(String, String, RequestStats)> = Vec::new();
        let mut seconds: BTreeMap<u64, (RequestStats, bool)> = BTreeMap::new();
        for result in results {
            totals.add(&result.totals.to_stats());
            for r in &result.requests {
                match names.iter_mut().find(|(n, _, _)| *n == r.name) {
                    Some((_, _, stats)) => stats.add(&r.to_stats()),
                    None => names.push((r.name.clone(), r.method.clone(), r.to_stats())),
                }
            }
            for s in &result.timeline {
                let entry = seconds.entry(s.second).or_insert_with(|| (RequestStats::default(), true));
                entry.0.requests += s.requests;
                entry.0.errors += s.errors;
                entry.0.bytes_received += s.bytes_received;
                match LatencyHistogram::decode(&s.histogram) {
                    Ok(h) => entry.0.latency.add(&h),
                    Err(_) => entry.1 = false,
                }
            }
        }
        let models: Vec<&str> = results.iter().map(|r| r.model.as_str()).collect();
        let model = if models.iter().all(|m| *m == first.model) { first.model.clone() } else { "mixed".into() };
        let rates: Vec<f64> = results.iter().filter_map(|r| r.rate).collect();
        Some(RunResult {
            schema_version: SCHEMA_VERSION,
            target: first.target.clone(),
            model,
            connections: results.iter().map(|r| r.connections).sum(),
            rate: (!rates.is_empty()).then(|| rates.iter().sum()),
            started_at_unix_ms: results.iter().map(|r| r.started_at_unix_ms).min().unwrap_or(0),
            duration_s,
            interrupted: results.iter().any(|r| r.interrupted),
            aborted: results.iter().any(|r| r.aborted),
            agents: results.iter().map(|r| r.agents.max(1)).sum(),
            missed_arrivals: results.iter().map(|r| r.missed_arrivals).sum(),
            abandoned: results.iter().map(|r| r.abandoned).sum(),
            totals: NameResult::from_stats("total", "", &totals, duration_s),
            requests: names
                .iter()
                .map(|(name, method, stats)| NameResult::from_stats(name, method, stats, duration_s))
                .collect(),
            timeline: seconds.iter().map(|(&second, (stats, _))| SecondResult::from_stats(second, stats)).collect(),
            thresholds: Vec::new(),
            retort_version: first.retort_version.clone(),
            command: None,
        })
    }
}
