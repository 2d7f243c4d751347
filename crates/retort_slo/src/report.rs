//! SLIs, error budgets, burn rates and the alert back-test from requests.
//!
//! Requests are counted per objective in one-minute buckets while the logs
//! stream by (memory grows with the minutes covered, not the lines); the
//! figures are then computed over the rolling window that ends at the
//! report's end time.

use std::collections::{BTreeMap, HashMap};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::accesslog::Request;
use crate::routes::{path_shape, RouteMatcher, RouteRule, RouteTable};
use crate::spec::{Budgeting, Indicator, Objective, Scope, Spec};
use crate::time::format_rfc3339;
use crate::units::format_window;
use crate::windows::Windows;

/// Version of the JSON report (`schema_version`).
pub const SCHEMA_VERSION: u32 = 1;
/// Bad-line samples kept.
const SAMPLES: usize = 5;
/// Distinct unmatched shapes kept; the rest are counted under `(other)`.
const UNMATCHED_SHAPES: usize = 1000;

#[derive(Default, Clone, Copy)]
struct Counts {
    good: u64,
    total: u64,
}

/// Accumulates requests for every objective of a spec. Counts are sums,
/// so collectors filled from different parts of the logs (one per reading
/// thread) [`Collector::merge`] into the same figures as one pass.
pub struct Collector {
    objectives: Vec<Objective>,
    matcher: RouteMatcher,
    /// Per objective: which rule indices are in scope (`None`: all requests).
    in_scope: Vec<Option<Vec<bool>>>,
    minutes: Vec<HashMap<i64, Counts>>,
    no_duration: Vec<u64>,
    all_minutes: BTreeMap<i64, u64>,
    per_route: Vec<RouteCounts>,
    /// Per path shape: requests and the smallest path seen (an example
    /// that does not depend on the reading order).
    unmatched: HashMap<String, (u64, String)>,
    unmatched_total: u64,
    /// Lines read, parsed and rejected.
    pub lines: u64,
    parsed: u64,
    bad: u64,
    /// The first bad lines, keyed by their position across all inputs.
    samples: Vec<(u64, String)>,
    read_errors: Vec<String>,
    notes: Vec<String>,
}

#[derive(Default, Clone)]
struct RouteCounts {
    requests: u64,
    server_errors: u64,
}

impl Collector {
    /// Prepares counters; fails when a blueprint scope names no known rule.
    pub fn new(spec: &Spec, routes: &RouteTable, have_catalog: bool) -> Result<Collector, String> {
        let mut all_rules: Vec<RouteRule> = routes.rules.clone();
        for o in &spec.objectives {
            if let Scope::Route(rule) = &o.scope {
                if !all_rules.iter().any(|r| &r.rule == rule) {
                    all_rules.push(RouteRule { rule: rule.clone(), endpoint: None, blueprint: None });
                }
            }
        }
        let matcher = RouteMatcher::new(&all_rules, &routes.converters);
        let mut notes = matcher.approximations.clone();
        let mut in_scope = Vec::new();
        for o in &spec.objectives {
            in_scope.push(match &o.scope {
                Scope::Service => None,
                Scope::Route(rule) => Some(matcher.rules().iter().map(|r| &r.rule == rule).collect()),
                Scope::Blueprint(name) => {
                    if !have_catalog {
                        return Err(format!(
                            "objective `{}`: a blueprint scope needs the catalog (--scan PATH)",
                            o.name
                        ));
                    }
                    let mask: Vec<bool> =
                        matcher.rules().iter().map(|r| r.blueprint.as_deref() == Some(name)).collect();
                    if !mask.iter().any(|b| *b) {
                        notes.push(format!("objective `{}`: no route of blueprint `{name}` in the catalog", o.name));
                    }
                    Some(mask)
                }
            });
        }
        Ok(Collector::empty(spec.objectives.clone(), matcher, in_scope, notes))
    }

    /// A collector with no counts yet.
    fn empty(
        objectives: Vec<Objective>,
        matcher: RouteMatcher,
        in_scope: Vec<Option<Vec<bool>>>,
        notes: Vec<String>,
    ) -> Collector {
        let (n, rules) = (objectives.len(), matcher.rules().len());
        Collector {
            objectives,
            matcher,
            in_scope,
            minutes: vec![HashMap::new(); n],
            no_duration: vec![0; n],
            all_minutes: BTreeMap::new(),
            per_route: vec![RouteCounts::default(); rules],
            unmatched: HashMap::new(),
            unmatched_total: 0,
            lines: 0,
            parsed: 0,
            bad: 0,
            samples: Vec::new(),
            read_errors: Vec::new(),
            notes,
        }
    }

    /// A collector with the same objectives and rules and no counts.
    fn empty_copy(&self) -> Collector {
        Collector::empty(self.objectives.clone(), self.matcher.clone(), self.in_scope.clone(), Vec::new())
    }

    /// Adds the counts of `other` (an [`Collector::empty_copy`] of this one
    /// that read other lines).
    fn merge(&mut self, other: Collector) {
        for (mine, theirs) in self.minutes.iter_mut().zip(other.minutes) {
            for (minute, c) in theirs {
                let entry = mine.entry(minute).or_default();
                entry.good += c.good;
                entry.total += c.total;
            }
        }
        for (mine, theirs) in self.no_duration.iter_mut().zip(other.no_duration) {
            *mine += theirs;
        }
        for (minute, n) in other.all_minutes {
            *self.all_minutes.entry(minute).or_default() += n;
        }
        for (mine, theirs) in self.per_route.iter_mut().zip(other.per_route) {
            mine.requests += theirs.requests;
            mine.server_errors += theirs.server_errors;
        }
        for (shape, (requests, example)) in other.unmatched {
            self.count_unmatched(shape, requests, example);
        }
        self.unmatched_total += other.unmatched_total;
        self.lines += other.lines;
        self.parsed += other.parsed;
        self.bad += other.bad;
        self.samples.extend(other.samples);
        self.samples.sort_by_key(|(position, _)| *position);
        self.samples.truncate(SAMPLES);
        self.read_errors.extend(other.read_errors);
    }

    fn count_unmatched(&mut self, shape: String, requests: u64, example: String) {
        if let Some(entry) = self.unmatched.get_mut(&shape) {
            entry.0 += requests;
            if example < entry.1 {
                entry.1 = example;
            }
        } else if self.unmatched.len() < UNMATCHED_SHAPES {
            self.unmatched.insert(shape, (requests, example));
        } else {
            self.unmatched.entry("(other)".to_string()).or_insert((0, String::new())).0 += requests;
        }
    }

    /// Counts a line that is not a request; `position` orders lines across
    /// all inputs (which bad lines are the first ones).
    pub fn bad_line(&mut self, position: u64, source: &str, line_number: u64, reason: &str, line: &[u8]) {
        self.lines += 1;
        self.bad += 1;
        if self.samples.len() < SAMPLES {
            let text: String = String::from_utf8_lossy(line)
                .chars()
                .take(120)
                .map(|c| if c.is_control() { '\u{fffd}' } else { c })
                .collect();
            self.samples.push((position, format!("{source}:{line_number}: {reason}: {text}")));
        }
    }

    /// Records a read error that ended an input early.
    pub fn read_error(&mut self, message: String) {
        self.read_errors.push(message);
    }

    /// Counts one request.
    pub fn add(&mut self, request: &Request<'_>) {
        self.lines += 1;
        self.parsed += 1;
        let minute = request.time_ms.div_euclid(60_000) * 60;
        *self.all_minutes.entry(minute).or_default() += 1;
        let rule = self.matcher.match_path(request.path);
        match rule {
            Some(i) => {
                let counts = &mut self.per_route[i];
                counts.requests += 1;
                counts.server_errors += u64::from(request.status >= 500);
            }
            None => {
                self.unmatched_total += 1;
                let shape = path_shape(request.path);
                let example: String = request.path.chars().take(200).collect();
                self.count_unmatched(shape, 1, example);
            }
        }
        for (index, o) in self.objectives.iter().enumerate() {
            let in_scope = match &self.in_scope[index] {
                None => true,
                Some(mask) => rule.is_some_and(|i| mask[i]),
            };
            if !in_scope || (!o.methods.is_empty() && !o.methods.iter().any(|m| m == request.method)) {
                continue;
            }
            let good = match o.indicator {
                Indicator::Availability => request.status < 500,
                Indicator::Latency { threshold_us, .. } => match request.duration_us {
                    Some(d) => d <= threshold_us,
                    None => {
                        self.no_duration[index] += 1;
                        continue;
                    }
                },
            };
            let c = self.minutes[index].entry(minute).or_default();
            c.total += 1;
            c.good += u64::from(good);
        }
    }

    /// The minute the report ends at when none is given: the last minute
    /// whose preceding hour holds at least 0.1% of all requests, so a few
    /// lines with far-future timestamps (clock skew) do not move the window.
    fn derived_end_secs(&self) -> Option<i64> {
        let floor = (self.parsed / 1000).max(1);
        for &minute in self.all_minutes.keys().rev() {
            let hour: u64 = self.all_minutes.range(minute - 3540..=minute).map(|(_, c)| *c).sum();
            if hour >= floor {
                return Some(minute + 60);
            }
        }
        None
    }

    /// Computes the report; `end_secs` overrides the derived end time.
    pub fn finish(self, spec: &Spec, windows: &Windows, end_secs: Option<i64>, inputs: Vec<String>) -> Report {
        let end = end_secs.or_else(|| self.derived_end_secs()).map(|e| e.div_euclid(60) * 60);
        let mut objectives = Vec::new();
        let mut before = 0;
        let mut after = 0;
        if let Some(end) = end {
            let longest = spec.objectives.iter().map(|o| o.window_secs).max().unwrap_or(0);
            for (m, c) in &self.all_minutes {
                if *m >= end {
                    after += c;
                } else if *m < end - longest {
                    before += c;
                }
            }
        }
        for (index, o) in self.objectives.iter().enumerate() {
            objectives.push(objective_report(o, &self.minutes[index], self.no_duration[index], windows, end));
        }
        let mut routes: Vec<RouteReport> = self
            .matcher
            .rules()
            .iter()
            .zip(&self.per_route)
            .filter(|(_, c)| c.requests > 0)
            .map(|(r, c)| RouteReport {
                rule: r.rule.clone(),
                blueprint: r.blueprint.clone(),
                requests: c.requests,
                server_errors: c.server_errors,
            })
            .collect();
        routes.sort_by(|a, b| b.requests.cmp(&a.requests).then(a.rule.cmp(&b.rule)));
        let mut groups: Vec<UnmatchedGroup> = self
            .unmatched
            .into_iter()
            .map(|(shape, (requests, example))| UnmatchedGroup { shape, requests, example })
            .collect();
        groups.sort_by(|a, b| b.requests.cmp(&a.requests).then(a.shape.cmp(&b.shape)));
        let violated = objectives.iter().any(|o| o.violated);
        Report {
            schema_version: SCHEMA_VERSION,
            spec: spec.source.display().to_string(),
            input: InputSummary {
                files: inputs,
                lines: self.lines,
                requests: self.parsed,
                bad_lines: self.bad,
                bad_samples: self.samples.into_iter().map(|(_, text)| text).collect(),
                read_errors: self.read_errors,
                first: self.all_minutes.keys().next().map(|m| format_rfc3339(*m)),
                last: self.all_minutes.keys().next_back().map(|m| format_rfc3339(*m + 59)),
                end: end.map(format_rfc3339),
                before_window: before,
                after_end: after,
            },
            objectives,
            routes,
            unmatched: Unmatched { requests: self.unmatched_total, groups },
            notes: self.notes,
            violated,
        }
    }
}

/// Good and total per minute over `[from, to)`, dense, with prefix sums.
struct Series {
    from: i64,
    good: Vec<u64>,
    total: Vec<u64>,
}

impl Series {
    fn new(minutes: &HashMap<i64, Counts>, from: i64, to: i64) -> Series {
        let n = ((to - from) / 60).max(0) as usize;
        let mut good = vec![0u64; n + 1];
        let mut total = vec![0u64; n + 1];
        for (m, c) in minutes {
            if *m >= from && *m < to {
                let i = ((m - from) / 60) as usize + 1;
                good[i] += c.good;
                total[i] += c.total;
            }
        }
        for i in 1..=n {
            good[i] += good[i - 1];
            total[i] += total[i - 1];
        }
        Series { from, good, total }
    }

    /// (good, total) in `[a, b)`, clamped to the series.
    fn sum(&self, a: i64, b: i64) -> (u64, u64) {
        let n = self.total.len() as i64 - 1;
        let ia = ((a - self.from) / 60).clamp(0, n) as usize;
        let ib = ((b - self.from) / 60).clamp(0, n) as usize;
        (self.good[ib] - self.good[ia], self.total[ib] - self.total[ia])
    }

    /// Error ratio over the `window` seconds before `t`; `None` without traffic.
    fn error_ratio(&self, t: i64, window: i64) -> Option<f64> {
        let (good, total) = self.sum(t - window, t);
        (total > 0).then(|| (total - good) as f64 / total as f64)
    }
}

fn objective_report(
    o: &Objective,
    minutes: &HashMap<i64, Counts>,
    no_duration: u64,
    windows: &Windows,
    end: Option<i64>,
) -> ObjectiveReport {
    let mut report = ObjectiveReport {
        name: o.name.clone(),
        service: o.service.clone(),
        scope: o.scope.describe(),
        indicator: o.indicator.describe(),
        target: o.target,
        window: format_window(o.window_secs),
        budgeting: match o.budgeting {
            Budgeting::Occurrences => "occurrences".to_string(),
            Budgeting::Timeslices { slice_secs, slice_target } => {
                format!("timeslices of {} at {}", format_window(slice_secs), slice_target)
            }
        },
        sli: None,
        good: 0,
        total: 0,
        requests_good: 0,
        requests_total: 0,
        budget_consumed: None,
        budget_remaining: None,
        violated: false,
        requests_without_duration: no_duration,
        burn_rates: Vec::new(),
        alerts: Vec::new(),
        timeline: Vec::new(),
        unresolved: None,
    };
    let Some(end) = end else {
        report.unresolved = Some("no requests were read".to_string());
        return report;
    };
    let start = end - o.window_secs;
    let series = Series::new(minutes, start - windows.longest_secs(), end);
    let (req_good, req_total) = series.sum(start, end);
    report.requests_good = req_good;
    report.requests_total = req_total;
    let (good, total) = match o.budgeting {
        Budgeting::Occurrences => (req_good, req_total),
        Budgeting::Timeslices { slice_secs, slice_target } => {
            let mut good_slices = 0;
            let mut slices = 0;
            let mut t = start;
            while t < end {
                let (g, n) = series.sum(t, t + slice_secs);
                if n > 0 {
                    slices += 1;
                    good_slices += u64::from(g as f64 / n as f64 >= slice_target);
                }
                t += slice_secs;
            }
            (good_slices, slices)
        }
    };
    report.good = good;
    report.total = total;
    let budget = 1.0 - o.target;
    if total == 0 {
        report.unresolved = Some(if no_duration > 0 {
            "the logs hold no request durations (use a format with %(D)s, $request_time or a duration field)"
                .to_string()
        } else {
            "no requests in scope within the window".to_string()
        });
    } else {
        let sli = good as f64 / total as f64;
        let consumed = (1.0 - sli) / budget;
        report.sli = Some(sli);
        report.budget_consumed = Some(consumed);
        report.budget_remaining = Some(1.0 - consumed);
        report.violated = sli < o.target;
    }
    for w in &windows.burn_rate_secs {
        let ratio = series.error_ratio(end, *w);
        report.burn_rates.push(BurnRate {
            window: format_window(*w),
            error_ratio: ratio,
            burn_rate: ratio.map(|r| r / budget),
        });
    }
    // Back-test: evaluate every alert condition at each minute boundary of the window.
    for a in &windows.alerts {
        let limit = a.factor * budget;
        let mut episodes: Vec<Episode> = Vec::new();
        let mut fired = 0u64;
        let mut t = start + 60;
        while t <= end {
            let firing = matches!(series.error_ratio(t, a.long_secs), Some(r) if r > limit)
                && matches!(series.error_ratio(t, a.short_secs), Some(r) if r > limit);
            if firing {
                fired += 1;
                match episodes.last_mut() {
                    Some(e) if e.last_secs == t - 60 => {
                        e.last_secs = t;
                        e.minutes += 1;
                    }
                    _ => episodes.push(Episode { first_secs: t, last_secs: t, minutes: 1, ..Default::default() }),
                }
            }
            t += 60;
        }
        for e in &mut episodes {
            e.first = format_rfc3339(e.first_secs);
            e.last = format_rfc3339(e.last_secs);
        }
        report.alerts.push(AlertReport {
            severity: a.severity.clone(),
            factor: a.factor,
            long_window: format_window(a.long_secs),
            short_window: format_window(a.short_secs),
            error_ratio_threshold: limit,
            fired_minutes: fired,
            episodes,
        });
    }
    // Timeline: about 100 points from the first minute with traffic.
    let first_data = minutes.keys().filter(|m| **m >= start && **m < end).min().copied();
    if let (Some(first), true) = (first_data, req_total > 0) {
        let span = end - first;
        let step = ((span / 100).max(60) + 59) / 60 * 60;
        let allowed = budget * req_total as f64;
        let mut t = first;
        while t < end {
            let next = (t + step).min(end);
            let (g, n) = series.sum(t, next);
            let (cg, cn) = series.sum(start, next);
            report.timeline.push(TimelinePoint {
                time: format_rfc3339(next),
                sli: (n > 0).then(|| g as f64 / n as f64),
                requests: n,
                budget_remaining: 1.0 - (cn - cg) as f64 / allowed,
            });
            t = next;
        }
    }
    report
}

/// The whole report (`retort slo report --format json`).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Report {
    /// Version of this format.
    pub schema_version: u32,
    /// The spec file.
    pub spec: String,
    /// What was read.
    pub input: InputSummary,
    /// One entry per objective.
    pub objectives: Vec<ObjectiveReport>,
    /// Requests per matched Flask rule.
    pub routes: Vec<RouteReport>,
    /// Requests no rule matched, grouped by shape.
    pub unmatched: Unmatched,
    /// Remarks (approximated converters, empty blueprints).
    pub notes: Vec<String>,
    /// True when any objective is below its target (exit status 1).
    pub violated: bool,
}

/// What was read.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct InputSummary {
    /// Inputs in order (`<stdin>` for stdin).
    pub files: Vec<String>,
    /// Lines read (requests and bad lines).
    pub lines: u64,
    /// Lines read as requests.
    pub requests: u64,
    /// Lines that are not requests.
    pub bad_lines: u64,
    /// A few bad lines, `file:line: reason: text`.
    pub bad_samples: Vec<String>,
    /// Inputs that ended early (truncated gzip, I/O errors).
    pub read_errors: Vec<String>,
    /// First request time.
    pub first: Option<String>,
    /// Last request time.
    pub last: Option<String>,
    /// The end of every window (RFC 3339).
    pub end: Option<String>,
    /// Requests older than the longest window.
    pub before_window: u64,
    /// Requests after the end (clock skew, or `--at` in the past).
    pub after_end: u64,
}

/// One objective's figures.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ObjectiveReport {
    /// Objective name.
    pub name: String,
    /// Service, if the spec names one.
    pub service: Option<String>,
    /// `service`, `blueprint NAME` or `route RULE`.
    pub scope: String,
    /// What a good request is.
    pub indicator: String,
    /// Target ratio.
    pub target: f64,
    /// Rolling window (`28d`).
    pub window: String,
    /// `occurrences` or `timeslices of 1m at 0.95`.
    pub budgeting: String,
    /// good / total, `null` without traffic.
    pub sli: Option<f64>,
    /// Good events (requests, or slices under Timeslices) in the window.
    pub good: u64,
    /// All events in the window.
    pub total: u64,
    /// Good requests in the window (equal to `good` under Occurrences).
    pub requests_good: u64,
    /// Requests in the window.
    pub requests_total: u64,
    /// (1 - sli) / (1 - target).
    pub budget_consumed: Option<f64>,
    /// 1 - budget_consumed (negative when overspent).
    pub budget_remaining: Option<f64>,
    /// sli < target.
    pub violated: bool,
    /// Requests in scope a latency objective could not judge.
    pub requests_without_duration: u64,
    /// Burn rate over each window ending at the end time.
    pub burn_rates: Vec<BurnRate>,
    /// Alert back-test, one entry per alert condition.
    pub alerts: Vec<AlertReport>,
    /// SLI per step and budget remaining at its end.
    pub timeline: Vec<TimelinePoint>,
    /// Why figures are missing, if they are.
    pub unresolved: Option<String>,
}

/// Burn rate over one window.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct BurnRate {
    /// `5m`, `1h`...
    pub window: String,
    /// Bad / total requests in the window.
    pub error_ratio: Option<f64>,
    /// error_ratio / (1 - target).
    pub burn_rate: Option<f64>,
}

/// One multiwindow alert condition, back-tested minute by minute.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct AlertReport {
    /// `page` or `ticket`.
    pub severity: String,
    /// Burn-rate factor.
    pub factor: f64,
    /// Long window.
    pub long_window: String,
    /// Short window.
    pub short_window: String,
    /// factor x (1 - target).
    pub error_ratio_threshold: f64,
    /// Minutes (evaluations) at which it would have fired.
    pub fired_minutes: u64,
    /// Contiguous firing periods.
    pub episodes: Vec<Episode>,
}

/// A contiguous firing period: evaluations from `first` to `last`, inclusive.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct Episode {
    /// First evaluation that fired (RFC 3339).
    pub first: String,
    /// Last evaluation that fired.
    pub last: String,
    /// Number of firing evaluations.
    pub minutes: u64,
    #[serde(skip)]
    #[schemars(skip)]
    first_secs: i64,
    #[serde(skip)]
    #[schemars(skip)]
    last_secs: i64,
}

/// One point of the SLI and burn-down chart.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct TimelinePoint {
    /// End of the step.
    pub time: String,
    /// SLI within the step (requests).
    pub sli: Option<f64>,
    /// Requests within the step.
    pub requests: u64,
    /// Budget remaining from the window start to `time`.
    pub budget_remaining: f64,
}

/// Requests per rule.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct RouteReport {
    /// Flask rule.
    pub rule: String,
    /// Blueprint, if known.
    pub blueprint: Option<String>,
    /// Requests.
    pub requests: u64,
    /// Responses with status >= 500.
    pub server_errors: u64,
}

/// Unmatched requests.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Unmatched {
    /// How many requests matched no rule.
    pub requests: u64,
    /// Grouped by shape, most frequent first.
    pub groups: Vec<UnmatchedGroup>,
}

/// Unmatched paths of one shape.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct UnmatchedGroup {
    /// `/old/{int}`.
    pub shape: String,
    /// Requests.
    pub requests: u64,
    /// One path seen.
    pub example: String,
}

/// Lines handed to a counting thread: the bytes of up to [`BATCH_LINES`]
/// lines of one input, with where each line lies (`None`: a line over the
/// length limit).
struct Batch {
    input: usize,
    first_number: u64,
    first_position: u64,
    data: Vec<u8>,
    lines: Vec<Option<(usize, usize)>>,
}

const BATCH_LINES: usize = 4096;

/// Parses one line into `collector`.
fn count_line(
    collector: &mut Collector,
    format: &crate::accesslog::LogFormat,
    name: &str,
    number: u64,
    position: u64,
    line: Option<&[u8]>,
) {
    let Some(bytes) = line else {
        collector.bad_line(position, name, number, "line longer than 64 KiB", b"");
        return;
    };
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return;
    }
    match std::str::from_utf8(bytes) {
        Err(_) => collector.bad_line(position, name, number, "not UTF-8", bytes),
        Ok(text) => match format.parse_line(text) {
            Ok(request) => collector.add(&request),
            Err(reason) => collector.bad_line(position, name, number, reason, bytes),
        },
    }
}

/// Streams every input through `format` into `collector`. A read error
/// (truncated gzip, I/O) ends that input and is recorded; an input that
/// cannot be opened is an error. With `jobs` > 1 one thread reads and
/// splits lines (and decompresses) while `jobs` threads parse and count
/// batches of lines, each into its own collector, merged at the end: the
/// figures are the same as with one thread (sums; the first bad lines by
/// position; the smallest example path per unmatched shape). Memory stays
/// flat: at most `2 × jobs` batches wait.
pub fn read_inputs(
    inputs: &[crate::accesslog::Input],
    format: &crate::accesslog::LogFormat,
    collector: &mut Collector,
    jobs: usize,
) -> Result<(), crate::SloError> {
    let names: Vec<String> = inputs.iter().map(|i| i.name()).collect();
    if jobs <= 1 {
        let mut position = 0u64;
        for (input, name) in inputs.iter().zip(&names) {
            let reader = input.open()?;
            let mut number = 0u64;
            let outcome = crate::accesslog::for_each_line(reader, |line| {
                number += 1;
                position += 1;
                count_line(collector, format, name, number, position, line);
            });
            if let Err(err) = outcome {
                collector.read_error(format!("{name}: input ended after line {number}: {err}"));
            }
        }
        return Ok(());
    }
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Batch>(2 * jobs);
    let receiver = std::sync::Mutex::new(receiver);
    let template = collector.empty_copy();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..jobs)
            .map(|_| {
                let mut mine = template.empty_copy();
                let (receiver, names) = (&receiver, &names);
                scope.spawn(move || {
                    loop {
                        // The lock is held only to take the next batch.
                        let next = receiver.lock().map(|r| r.recv());
                        let Ok(Ok(batch)) = next else { break };
                        for (i, span) in batch.lines.iter().enumerate() {
                            let line = span.map(|(start, end)| &batch.data[start..end]);
                            let (number, position) = (batch.first_number + i as u64, batch.first_position + i as u64);
                            count_line(&mut mine, format, &names[batch.input], number, position, line);
                        }
                    }
                    mine
                })
            })
            .collect();
        let read = read_batches(inputs, &names, &sender, collector);
        drop(sender);
        for worker in workers {
            match worker.join() {
                Ok(counted) => collector.merge(counted),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        read
    })
}

/// The reading half of [`read_inputs`]: splits every input into batches.
fn read_batches(
    inputs: &[crate::accesslog::Input],
    names: &[String],
    sender: &std::sync::mpsc::SyncSender<Batch>,
    collector: &mut Collector,
) -> Result<(), crate::SloError> {
    let mut position = 1u64;
    let new_batch = |input: usize, first_number: u64, first_position: u64| Batch {
        input,
        first_number,
        first_position,
        data: Vec::with_capacity(BATCH_LINES * 256),
        lines: Vec::with_capacity(BATCH_LINES),
    };
    for (index, input) in inputs.iter().enumerate() {
        let reader = input.open()?;
        let mut number = 0u64;
        let mut batch = new_batch(index, 1, position);
        let mut receivers_gone = false;
        let outcome = crate::accesslog::for_each_line(reader, |line| {
            number += 1;
            position += 1;
            batch.lines.push(line.map(|bytes| {
                let start = batch.data.len();
                batch.data.extend_from_slice(bytes);
                (start, batch.data.len())
            }));
            if batch.lines.len() == BATCH_LINES && !receivers_gone {
                let full = std::mem::replace(&mut batch, new_batch(index, number + 1, position));
                receivers_gone = sender.send(full).is_err();
            }
        });
        if !batch.lines.is_empty() {
            let _ = sender.send(batch);
        }
        if let Err(err) = outcome {
            collector.read_error(format!("{}: input ended after line {number}: {err}", names[index]));
        }
    }
    Ok(())
}

impl Report {
    /// The JSON Schema of the report, as committed in `docs/slo-report.schema.json`.
    pub fn json_schema() -> String {
        let schema = schemars::schema_for!(Report);
        serde_json::to_string_pretty(&schema).expect("a schema serialises") + "\n"
    }
}
