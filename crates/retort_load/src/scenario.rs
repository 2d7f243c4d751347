//! Scenarios: the TOML file format, the scenarios made from the command
//! line (quick mode) and from a Flask scan, and their validation into a
//! [`Plan`] the engine runs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::check::{Check, CheckSpec, Condition};
use crate::data::{DataSet, RowOrder};
use crate::error::LoadError;
use crate::extract::{ExtractSpec, Extraction, Source};
use crate::request::{Binding, Body, RequestPlan};
use crate::route::rule_to_template;
use crate::schedule::{Profile, Stage};
use crate::target::Target;
use crate::template::Template;
use crate::threshold::Threshold;
use crate::units::{parse_duration, parse_rate};

/// A scenario as written in TOML.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Base URL; the command line's URL wins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `closed` (connections send back to back) or `open` (arrival rate).
    /// Default: `open` when `rate` is set, else `closed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Connections (closed model: concurrency; open model: pool size).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connections: Option<usize>,
    /// Constant arrival rate, e.g. `"2000/s"` (open model).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<String>,
    /// Run duration, e.g. `"30s"` (ignored when stages are given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
    /// Stop after this many requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_requests: Option<u64>,
    /// Per-request timeout, e.g. `"5s"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
    /// Pause after each response (closed model): `"100ms"` or `"50ms..200ms"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub think_time: Option<String>,
    /// Use HTTP/2 (over TLS via ALPN, or cleartext with prior knowledge).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http2: Option<bool>,
    /// Accept any TLS certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insecure: Option<bool>,
    /// HTTP/2: concurrent streams per TCP connection (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub h2_streams: Option<usize>,
    /// Follow up to this many same-origin redirects per request (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_redirects: Option<u32>,
    /// Value the staged profile starts from (rate or connections).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<f64>,
    /// Stages ramping the rate (open) or connections (closed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<StageSpec>,
    /// Headers sent with every request.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// Constant variables for templates.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub variables: BTreeMap<String, toml::Value>,
    /// CSV files whose columns are variables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data: Vec<DataSpec>,
    /// Thresholds on all requests together, or `NAME: EXPR`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub thresholds: Vec<String>,
    /// A cookie jar per virtual user. Default: on when the scenario has
    /// login steps or extractions, else off (plain benchmarks keep no state).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cookies: Option<bool>,
    /// Login steps: run in order once per virtual user before its requests
    /// (again from the first after a failed step).
    #[serde(default, rename = "login", skip_serializing_if = "Vec::is_empty")]
    pub login: Vec<RequestSpec>,
    /// The requests.
    #[serde(default, rename = "request", alias = "requests")]
    pub requests: Vec<RequestSpec>,
    /// Routes a scan found but the scenario leaves out, with why (printed
    /// as comments by `--print-scenario`).
    #[serde(skip)]
    pub skipped: Vec<SkippedRoute>,
}

/// A scanned route a generated scenario leaves out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedRoute {
    /// `METHOD rule`.
    pub route: String,
    /// Why it is left out, and how to include it.
    pub reason: String,
}

/// A stage in TOML.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageSpec {
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Duration, e.g. `"10s"`.
    pub duration: String,
    /// Rate per second (open model) or connections (closed model) at the end.
    pub target: f64,
}

/// A data file in TOML.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataSpec {
    /// CSV file with a header row, relative to the scenario file.
    pub file: PathBuf,
    /// `sequential` (default) or `random`.
    #[serde(default)]
    pub order: RowOrder,
}

/// A request in TOML.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestSpec {
    /// Name metrics are grouped under (default: `METHOD path`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// HTTP method (default GET).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Path template, e.g. `/items/{id}`.
    pub path: String,
    /// Extra headers.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// JSON body (sets `Content-Type: application/json`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json: Option<toml::Value>,
    /// Raw body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Form fields (sets `Content-Type: application/x-www-form-urlencoded`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<BTreeMap<String, String>>,
    /// Relative weight (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
    /// Statuses counted as success (default: any status below 400).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expect: Vec<u16>,
    /// Variables for this request only (data columns still win).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub vars: BTreeMap<String, String>,
    /// Thresholds for this request.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub thresholds: Vec<String>,
    /// Checks on every response (counted per check, like k6's `checks`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<CheckSpec>,
    /// Values taken from every response into the virtual user's variables.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extract: BTreeMap<String, ExtractSpec>,
    /// Take `path` literally (quick mode URLs), without placeholders.
    #[serde(skip)]
    pub literal: bool,
}

/// One route of a Flask scan, as far as the scenario needs it.
#[derive(Debug, Clone, Default)]
pub struct ScannedRoute {
    /// Flask rule, e.g. `/items/<int:id>`.
    pub rule: String,
    /// Methods (without HEAD/OPTIONS).
    pub methods: Vec<String>,
    /// Flask endpoint name.
    pub endpoint: String,
    /// Authentication guards that apply (`login_required`, a `before_request` check …).
    pub guards: Vec<String>,
}

/// Methods that change state: loaded from a scan only when asked for.
const STATE_CHANGING: [&str; 4] = ["POST", "PUT", "PATCH", "DELETE"];

/// Whether a route looks like it ends the session (loading it would log
/// the virtual user out mid-run).
fn ends_session(route: &ScannedRoute) -> bool {
    let words = ["logout", "log_out", "log-out", "signout", "sign_out", "sign-out", "logoff"];
    let rule = route.rule.to_ascii_lowercase();
    let endpoint = route.endpoint.to_ascii_lowercase();
    words.iter().any(|w| rule.contains(w) || endpoint.contains(w))
}

impl Scenario {
    /// Reads a scenario file.
    pub fn read(path: &Path) -> Result<Scenario, LoadError> {
        let fail = |message: String| LoadError::Scenario { path: path.display().to_string(), message };
        let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
        let mut scenario: Scenario = toml::from_str(&text).map_err(|e| fail(e.to_string()))?;
        // Data files are relative to the scenario.
        let base = path.parent().unwrap_or(Path::new("."));
        for data in &mut scenario.data {
            if data.file.is_relative() {
                data.file = base.join(&data.file);
            }
        }
        Ok(scenario)
    }

    /// A scenario with one request (quick mode).
    pub fn single(method: &str, path: &str, body: Option<String>) -> Scenario {
        Scenario {
            requests: vec![RequestSpec {
                name: Some(format!("{method} {}", path.split('?').next().unwrap_or(path))),
                method: Some(method.to_string()),
                path: path.to_string(),
                body,
                literal: true,
                ..RequestSpec::default()
            }],
            ..Scenario::default()
        }
    }

    /// A scenario with one request per route and method of a scan.
    ///
    /// Only GET routes unless `methods` lists others (state-changing methods
    /// are opt-in); routes behind an authentication guard only when
    /// `logged_in` (the scenario logs in or sends credentials), and then
    /// without the routes that would log the user out. What is left out is
    /// listed in [`Scenario::skipped`] with the reason. Path parameters get
    /// typed defaults from their converters (a data file's columns win).
    /// Requests are named after the rule, prefixed by the method when the
    /// rule is loaded with more than one method.
    pub fn from_routes(routes: &[ScannedRoute], methods: &[String], logged_in: bool) -> Scenario {
        let wanted: Vec<String> = if methods.is_empty() {
            vec!["GET".into()]
        } else {
            methods.iter().map(|m| m.to_ascii_uppercase()).collect()
        };
        let mut by_rule: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        let mut skipped: Vec<SkippedRoute> = Vec::new();
        for route in routes {
            let entry = by_rule.entry(route.rule.as_str()).or_default();
            for method in &route.methods {
                let method = method.to_ascii_uppercase();
                let reason = if !wanted.contains(&method) {
                    Some(if STATE_CHANGING.contains(&method.as_str()) {
                        format!("state-changing method: opt in with --methods {},{method}", wanted.join(","))
                    } else {
                        "method not in --methods".to_string()
                    })
                } else if !route.guards.is_empty() && !logged_in {
                    Some(format!(
                        "guarded by {}: give a login ([[login]] steps in -s FILE) or credentials (-H 'Authorization: …')",
                        route.guards.join(", ")
                    ))
                } else if logged_in && ends_session(route) {
                    Some("would end the virtual user's session (logout)".to_string())
                } else {
                    None
                };
                match reason {
                    Some(reason) => {
                        let route = format!("{method} {}", route.rule);
                        if !skipped.iter().any(|s| s.route == route) {
                            skipped.push(SkippedRoute { route, reason });
                        }
                    }
                    None if !entry.contains(&method) => entry.push(method),
                    None => {}
                }
            }
        }
        let mut requests = Vec::new();
        for (rule, mut rule_methods) in by_rule {
            rule_methods.sort_by_key(|m| wanted.iter().position(|w| w == m));
            let converted = rule_to_template(rule);
            for method in &rule_methods {
                let name = if rule_methods.len() > 1 { format!("{method} {rule}") } else { rule.to_string() };
                let sends_body = matches!(method.as_str(), "POST" | "PUT" | "PATCH");
                requests.push(RequestSpec {
                    name: Some(name),
                    method: Some(method.clone()),
                    path: converted.template.clone(),
                    json: sends_body.then(|| toml::Value::Table(Default::default())),
                    vars: converted.defaults.iter().cloned().collect(),
                    ..RequestSpec::default()
                });
            }
        }
        // A route loaded with one method is named after its rule alone.
        skipped.retain(|s| !requests.iter().any(|r| r.name.as_deref() == Some(s.route.as_str())));
        Scenario { requests, skipped, ..Scenario::default() }
    }

    /// Adds the requests of a scan-generated scenario to this one (a
    /// scenario file with login steps, headers, thresholds …). A request
    /// whose name the scenario already has is left out.
    pub fn extend_with(&mut self, generated: Scenario) {
        for request in generated.requests {
            if self.requests.iter().any(|r| r.name.is_some() && r.name == request.name) {
                let route = request.name.clone().unwrap_or_default();
                self.skipped
                    .push(SkippedRoute { route, reason: "the scenario already has a request of that name".into() });
            } else {
                self.requests.push(request);
            }
        }
        self.skipped.extend(generated.skipped);
    }

    /// Whether the scenario logs in or sends credentials with every request.
    pub fn sends_credentials(&self, extra_headers: &[(String, String)]) -> bool {
        let credential = |name: &str| name.eq_ignore_ascii_case("authorization") || name.eq_ignore_ascii_case("cookie");
        !self.login.is_empty()
            || self.headers.keys().any(|n| credential(n))
            || extra_headers.iter().any(|(n, _)| credential(n))
    }
}

/// Which load model a plan uses.
#[derive(Debug, Clone)]
pub enum Model {
    /// Each connection sends its next request when the last one completes;
    /// the profile gives the number of active connections over time.
    Closed {
        /// Active connections over time.
        connections: Profile,
    },
    /// Requests arrive on a schedule, whatever the server does; latency
    /// counts from each request's intended send time.
    Open {
        /// Arrival rate per second over time.
        rate: Profile,
        /// Connections available to send arrivals.
        connections: usize,
    },
}

impl Model {
    /// The largest number of connections the model opens.
    pub fn max_connections(&self) -> usize {
        match self {
            Model::Closed { connections } => connections.peak().ceil().max(0.0) as usize,
            Model::Open { connections, .. } => *connections,
        }
    }

    /// The profile driving the run.
    pub fn profile(&self) -> &Profile {
        match self {
            Model::Closed { connections } => connections,
            Model::Open { rate, .. } => rate,
        }
    }

    /// `closed` or `open`.
    pub fn label(&self) -> &'static str {
        match self {
            Model::Closed { .. } => "closed",
            Model::Open { .. } => "open",
        }
    }
}

/// Command-line settings that override or extend a scenario.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `-c`
    pub connections: Option<usize>,
    /// `--rate`
    pub rate: Option<String>,
    /// `-d`
    pub duration: Option<String>,
    /// `-n`
    pub max_requests: Option<u64>,
    /// `--timeout`
    pub timeout: Option<String>,
    /// `-H` (added to every request)
    pub headers: Vec<(String, String)>,
    /// `--data`
    pub data: Vec<PathBuf>,
    /// `--threshold`
    pub thresholds: Vec<String>,
    /// `--abort-on-fail`
    pub abort_on_fail: bool,
    /// `--http2`
    pub http2: bool,
    /// `--insecure`
    pub insecure: bool,
    /// `--threads` (default: available cores)
    pub threads: Option<usize>,
    /// `--follow-redirects`
    pub follow_redirects: Option<u32>,
    /// `--h2-streams`
    pub h2_streams: Option<usize>,
}

/// A validated scenario, ready to run.
#[derive(Debug)]
pub struct Plan {
    /// Where requests go.
    pub target: Target,
    /// The requests, each with its weight.
    pub requests: Vec<RequestPlan>,
    /// Data sets used by templates.
    pub data: Vec<DataSet>,
    /// Closed or open model, with its profile.
    pub model: Model,
    /// Time bound (`None`: only the request bound).
    pub duration: Option<Duration>,
    /// Request bound.
    pub max_requests: Option<u64>,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Think time range after each response (closed model).
    pub think_time: Option<(Duration, Duration)>,
    /// Thresholds to evaluate.
    pub thresholds: Vec<Threshold>,
    /// Stop early when a threshold fails.
    pub abort_on_fail: bool,
    /// Speak HTTP/2.
    pub http2: bool,
    /// Skip TLS certificate verification.
    pub insecure: bool,
    /// Worker threads.
    pub threads: usize,
    /// How long to wait for in-flight requests after stopping.
    pub grace: Duration,
    /// Same-origin redirects followed per request (0: none).
    pub follow_redirects: u32,
    /// HTTP/2 streams multiplexed on one TCP connection (1: one each).
    pub h2_streams: usize,
    /// Each virtual user keeps a cookie jar.
    pub cookies: bool,
    /// Login steps: the first `login_steps` entries of `requests`.
    pub login_steps: usize,
    /// Variables extracted from responses, with the value a virtual user
    /// starts with (from `[variables]`; empty when a login step sets it).
    pub session_defaults: Vec<(String, String)>,
}

impl Plan {
    /// Whether virtual users keep state (a cookie jar or extracted variables).
    pub fn has_sessions(&self) -> bool {
        self.cookies || !self.session_defaults.is_empty()
    }
}

/// Default duration when neither `-d` nor `-n` bounds a run.
pub const DEFAULT_DURATION: Duration = Duration::from_secs(10);
/// Default connections.
pub const DEFAULT_CONNECTIONS: usize = 50;
/// Default per-request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

impl Plan {
    /// Validates `scenario` with the command line's `overrides` against `url`.
    pub fn build(mut scenario: Scenario, url: Option<&str>, overrides: Overrides) -> Result<Plan, LoadError> {
        let invalid = |m: String| LoadError::Invalid(m);
        let url = url
            .map(str::to_string)
            .or(scenario.url.clone())
            .ok_or_else(|| invalid("no target URL: give one on the command line or `url` in the scenario".into()))?;
        let target = Target::parse(&url)?;

        if let Some(v) = overrides.connections {
            scenario.connections = Some(v);
        }
        if let Some(v) = &overrides.rate {
            scenario.rate = Some(v.clone());
            scenario.model.get_or_insert_with(|| "open".into());
        }
        if let Some(v) = &overrides.duration {
            scenario.duration = Some(v.clone());
            if !scenario.stages.is_empty() {
                return Err(invalid("-d/--duration cannot be combined with scenario stages".into()));
            }
        }
        if let Some(v) = overrides.max_requests {
            scenario.max_requests = Some(v);
        }
        if let Some(v) = &overrides.timeout {
            scenario.timeout = Some(v.clone());
        }
        if scenario.requests.is_empty() {
            return Err(invalid("the scenario has no requests".into()));
        }

        let max_requests = scenario.max_requests;
        if max_requests == Some(0) {
            return Err(invalid("-n/--requests must be at least 1".into()));
        }
        let duration = match &scenario.duration {
            Some(text) => Some(parse_duration(text)?),
            None if max_requests.is_some() => None,
            None => Some(DEFAULT_DURATION),
        };
        if duration == Some(Duration::ZERO) {
            return Err(invalid("the duration must be longer than zero".into()));
        }
        let timeout = match &scenario.timeout {
            Some(text) => parse_duration(text)?,
            None => DEFAULT_TIMEOUT,
        };
        if timeout.is_zero() {
            return Err(invalid("the timeout must be longer than zero".into()));
        }
        let think_time = scenario.think_time.as_deref().map(parse_think_time).transpose()?;

        let open = match scenario.model.as_deref() {
            None => scenario.rate.is_some(),
            Some("open") => true,
            Some("closed") => false,
            Some(other) => return Err(invalid(format!("unknown model `{other}` (use `open` or `closed`)"))),
        };
        let stages = scenario
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let duration = parse_duration(&s.duration)?;
                if !(s.target.is_finite() && s.target >= 0.0) {
                    return Err(invalid(format!("stage {}: target must be ≥ 0", i + 1)));
                }
                Ok(Stage {
                    name: s.name.clone().unwrap_or_else(|| format!("stage {}", i + 1)),
                    duration,
                    target: s.target,
                })
            })
            .collect::<Result<Vec<_>, LoadError>>()?;
        let staged_duration = (!stages.is_empty()).then(|| stages.iter().map(|s| s.duration).sum::<Duration>());
        if staged_duration == Some(Duration::ZERO) {
            return Err(invalid("the stages last no time at all".into()));
        }
        let duration = staged_duration.or(duration);
        let start = scenario.start.unwrap_or(0.0);
        if !(start.is_finite() && start >= 0.0) {
            return Err(invalid("`start` must be ≥ 0".into()));
        }
        if open && think_time.is_some() {
            return Err(invalid(
                "think_time applies to the closed model; the open model's arrival rate already sets the pace".into(),
            ));
        }
        let model = if open {
            let rate = if stages.is_empty() {
                let text =
                    scenario.rate.as_deref().ok_or_else(|| invalid("the open model needs --rate or stages".into()))?;
                let rate = parse_rate(text)?;
                if rate <= 0.0 {
                    return Err(invalid("the rate must be above zero".into()));
                }
                Profile::constant(rate, duration)
            } else {
                Profile::staged(start, stages)
            };
            if rate.peak() <= 0.0 {
                return Err(invalid("the open model's rate never rises above zero".into()));
            }
            Model::Open { rate, connections: scenario.connections.unwrap_or(DEFAULT_CONNECTIONS) }
        } else {
            if scenario.rate.is_some() {
                return Err(invalid("`rate` needs the open model".into()));
            }
            let connections = if stages.is_empty() {
                Profile::constant(scenario.connections.unwrap_or(DEFAULT_CONNECTIONS) as f64, duration)
            } else {
                Profile::staged(start, stages)
            };
            Model::Closed { connections }
        };
        if model.max_connections() == 0 {
            return Err(invalid("at least one connection is needed".into()));
        }
        if model.max_connections() > 100_000 {
            return Err(invalid("more than 100000 connections is not supported".into()));
        }

        let mut data = Vec::new();
        for spec in &scenario.data {
            data.push(DataSet::read(&spec.file, spec.order)?);
        }
        for path in &overrides.data {
            data.push(DataSet::read(path, RowOrder::Sequential)?);
        }

        let mut global_headers: Vec<(String, String)> = scenario.headers.clone().into_iter().collect();
        global_headers.extend(overrides.headers.iter().cloned());
        let variables: BTreeMap<String, String> =
            scenario.variables.iter().map(|(k, v)| (k.clone(), toml_scalar(v))).collect();

        let base = target.base_path().to_string();
        // Variables extracted from responses: where, and whether a login step sets them.
        let login_extracted: BTreeSet<String> =
            scenario.login.iter().flat_map(|spec| spec.extract.keys().cloned()).collect();
        let extracted: BTreeSet<String> =
            scenario.login.iter().chain(&scenario.requests).flat_map(|spec| spec.extract.keys().cloned()).collect();
        for variable in &extracted {
            if let Some(set) = data.iter().find(|d| d.column(variable).is_some()) {
                return Err(invalid(format!(
                    "`{variable}` is both extracted from responses and a column of {}; rename one",
                    set.path
                )));
            }
        }
        let mut requests = Vec::new();
        let mut thresholds = Vec::new();
        let specs = scenario.login.iter().map(|s| (s, true)).chain(scenario.requests.iter().map(|s| (s, false)));
        for (i, (spec, login)) in specs.enumerate() {
            if login && spec.weight.is_some() {
                return Err(invalid(format!(
                    "login step {}: login steps run once per virtual user, in order; `weight` does not apply",
                    i + 1
                )));
            }
            let mut request = build_request(spec, i, &target, &base, &global_headers, &variables, &data, &extracted)?;
            request.login = login;
            if login {
                request.weight = 0;
            }
            if requests.iter().any(|r: &RequestPlan| r.name == request.name) {
                return Err(invalid(format!("two requests are named `{}`", request.name)));
            }
            // A variable a request uses must have a value by then: set by an
            // earlier login step, or given a starting value in [variables].
            for (variable, binding) in &request.bindings {
                if !matches!(binding, Binding::Session(_)) || variables.contains_key(variable) {
                    continue;
                }
                let set_before = scenario.login.iter().take(if login { i } else { scenario.login.len() });
                if !set_before.into_iter().any(|step| step.extract.contains_key(variable)) {
                    let when = if login_extracted.contains(variable) { "a later login step" } else { "a request" };
                    return Err(invalid(format!(
                        "request `{}` uses `{{{variable}}}`, which {when} extracts: extract it in an earlier \
                         [[login]] step, or give it a starting value in [variables]",
                        request.name
                    )));
                }
            }
            for text in &spec.thresholds {
                thresholds.push(Threshold::parse_scoped(text, &request.name)?);
            }
            requests.push(request);
        }
        let weighted = requests.iter().filter(|r| !r.login);
        if weighted.clone().next().is_none() {
            return Err(invalid("the scenario has no [[request]] to load".into()));
        }
        if weighted.clone().all(|r| r.weight == 0) {
            return Err(invalid("all requests have weight 0".into()));
        }
        let session_defaults: Vec<(String, String)> =
            extracted.iter().map(|name| (name.clone(), variables.get(name).cloned().unwrap_or_default())).collect();
        let cookies = scenario.cookies.unwrap_or(!scenario.login.is_empty() || !extracted.is_empty());
        for text in scenario.thresholds.iter().chain(&overrides.thresholds) {
            thresholds.push(Threshold::parse(text)?);
        }
        for t in &thresholds {
            if let Some(scope) = &t.scope {
                if scope != "total" && !requests.iter().any(|r| &r.name == scope) {
                    return Err(invalid(format!(
                        "threshold `{}` names `{scope}`, which is not a request name",
                        t.source
                    )));
                }
            }
        }

        let h2_streams = overrides.h2_streams.or(scenario.h2_streams).unwrap_or(1);
        if h2_streams == 0 || h2_streams > 1000 {
            return Err(invalid("h2_streams must be between 1 and 1000".into()));
        }
        if h2_streams > 1 && !(overrides.http2 || scenario.http2.unwrap_or(false)) {
            return Err(invalid("h2_streams needs HTTP/2 (--http2)".into()));
        }
        let threads = overrides
            .threads
            .unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1))
            .clamp(1, 256)
            .min(model.max_connections());
        Ok(Plan {
            target,
            requests,
            data,
            model,
            duration,
            max_requests,
            timeout,
            think_time,
            thresholds,
            abort_on_fail: overrides.abort_on_fail,
            http2: overrides.http2 || scenario.http2.unwrap_or(false),
            insecure: overrides.insecure || scenario.insecure.unwrap_or(false),
            threads,
            grace: timeout.min(Duration::from_secs(2)),
            follow_redirects: overrides.follow_redirects.or(scenario.follow_redirects).unwrap_or(0).min(20),
            h2_streams,
            cookies,
            login_steps: scenario.login.len(),
            session_defaults,
        })
    }
}

#[allow(clippy::too_many_arguments)]
fn build_request(
    spec: &RequestSpec,
    index: usize,
    target: &Target,
    base: &str,
    global_headers: &[(String, String)],
    variables: &BTreeMap<String, String>,
    data: &[DataSet],
    extracted: &BTreeSet<String>,
) -> Result<RequestPlan, LoadError> {
    let method = spec.method.clone().unwrap_or_else(|| "GET".into()).to_ascii_uppercase();
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(LoadError::Invalid(format!("request {}: invalid method `{method}`", index + 1)));
    }
    let bodies = [spec.json.is_some(), spec.body.is_some(), spec.form.is_some()].iter().filter(|b| **b).count();
    if bodies > 1 {
        return Err(LoadError::Invalid(format!("request {}: give one of `json`, `body`, `form`", index + 1)));
    }
    let path = if spec.literal {
        // Quick mode: the URL's own path and query, verbatim.
        Template::literal(&spec.path)
    } else {
        let mut path = spec.path.trim().to_string();
        if !path.starts_with('/') {
            path.insert(0, '/');
        }
        Template::parse(&format!("{base}{path}"))
    };
    if spec.path.contains([' ', '\r', '\n']) {
        return Err(LoadError::Invalid(format!("request {}: path must not contain spaces", index + 1)));
    }
    let mut headers: Vec<(String, Template)> = Vec::new();
    let mut push_header = |name: &str, value: &str| -> Result<(), LoadError> {
        let valid_name = !name.is_empty() && name.bytes().all(|b| b.is_ascii_graphic() && b != b':');
        if !valid_name || value.contains(['\r', '\n']) {
            return Err(LoadError::Invalid(format!("invalid header `{name}: {value}`")));
        }
        headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        headers.push((name.to_string(), Template::parse(value)));
        Ok(())
    };
    for (name, value) in global_headers {
        push_header(name, value)?;
    }
    let has_content_type = spec.headers.keys().any(|k| k.eq_ignore_ascii_case("content-type"));
    let body = match (&spec.json, &spec.body, &spec.form) {
        (Some(json), _, _) => {
            let text = serde_json::to_string(json)
                .map_err(|e| LoadError::Invalid(format!("request {}: json body: {e}", index + 1)))?;
            if !has_content_type {
                push_header("Content-Type", "application/json")?;
            }
            Some(Body::Raw(Template::parse(&text)))
        }
        (None, Some(body), _) => {
            Some(Body::Raw(if spec.literal { Template::literal(body) } else { Template::parse(body) }))
        }
        (None, None, Some(form)) => {
            if !has_content_type {
                push_header("Content-Type", "application/x-www-form-urlencoded")?;
            }
            Some(Body::Form(form.iter().map(|(name, value)| (name.clone(), Template::parse(value))).collect()))
        }
        (None, None, None) => None,
    };
    for (name, value) in &spec.headers {
        push_header(name, value)?;
    }
    let name = spec.name.clone().unwrap_or_else(|| format!("{method} {}", spec.path));
    let invalid_in = |what: &str, message: String| LoadError::Invalid(format!("request `{name}`: {what}: {message}"));
    let mut checks = Vec::new();
    for check in &spec.checks {
        checks.push(Check::from_spec(check).map_err(|e| invalid_in("check", e))?);
    }
    let mut extractions = Vec::new();
    for (variable, extract) in &spec.extract {
        let valid_name = !variable.is_empty()
            && variable.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
            && variable != "__seq";
        if !valid_name {
            return Err(invalid_in(
                "extract",
                format!("`{variable}` is not a variable name (letters, digits, `_`, `.`)"),
            ));
        }
        let source = Source::from_spec(extract).map_err(|e| invalid_in(&format!("extract {variable}"), e))?;
        extractions.push(Extraction { variable: variable.clone(), source });
        // A value that is not found fails a check of its own.
        checks.push(Check { name: format!("extract {variable}"), condition: Condition::Extracted(variable.clone()) });
    }
    let mut request = RequestPlan {
        name,
        method,
        path,
        headers,
        body,
        weight: spec.weight.unwrap_or(1),
        expect: spec.expect.clone(),
        bindings: Vec::new(),
        rendered: None,
        login: false,
        checks,
        extractions,
    };
    for variable in request.variables() {
        let from_data = data
            .iter()
            .enumerate()
            .find_map(|(set, d)| d.column(&variable).map(|column| Binding::Data { set, column }));
        let binding = from_data
            .or_else(|| spec.vars.get(&variable).map(|v| Binding::Const(v.clone())))
            .or_else(|| extracted.contains(&variable).then(|| Binding::Session(variable.clone())))
            .or_else(|| variables.get(&variable).map(|v| Binding::Const(v.clone())))
            .or_else(|| (variable == "__seq").then_some(Binding::Sequence))
            .ok_or_else(|| {
                LoadError::Invalid(format!(
                    "request `{}` uses `{{{variable}}}`, which no variable, request var, data column or extraction defines",
                    request.name
                ))
            })?;
        request.bindings.push((variable, binding));
    }
    request.prerender(&target.authority);
    Ok(request)
}

fn toml_scalar(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn parse_think_time(text: &str) -> Result<(Duration, Duration), LoadError> {
    match text.split_once("..") {
        Some((low, high)) => {
            let (low, high) = (parse_duration(low)?, parse_duration(high)?);
            if low > high {
                return Err(LoadError::Invalid(format!("think time `{text}`: low bound above high bound")));
            }
            Ok((low, high))
        }
        None => {
            let fixed = parse_duration(text)?;
            Ok((fixed, fixed))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(rule: &str, methods: &[&str]) -> ScannedRoute {
        ScannedRoute {
            rule: rule.into(),
            methods: methods.iter().map(|m| m.to_string()).collect(),
            ..ScannedRoute::default()
        }
    }

    fn routes() -> Vec<ScannedRoute> {
        vec![
            route("/", &["GET"]),
            route("/items/<int:item_id>", &["GET", "DELETE"]),
            route("/items", &["GET", "POST"]),
            route("/login", &["POST"]),
        ]
    }

    #[test]
    fn scan_scenario_has_one_request_per_get_route() {
        let scenario = Scenario::from_routes(&routes(), &[], false);
        let names: Vec<_> = scenario.requests.iter().map(|r| r.name.clone().unwrap()).collect();
        assert_eq!(names, vec!["/", "/items", "/items/<int:item_id>"]);
        let plan = Plan::build(scenario, Some("http://127.0.0.1:9/api"), Overrides::default()).unwrap();
        let item = &plan.requests[2];
        assert_eq!(item.name, "/items/<int:item_id>");
        let mut rng = fastrand::Rng::with_seed(1);
        let rendered = item.render("h", &plan.data, &mut rng, 0);
        assert_eq!(rendered.path, "/api/items/1");
        assert!(plan.requests[0].rendered.is_some());
    }

    #[test]
    fn scan_scenario_skips_guarded_and_state_changing_routes_and_says_why() {
        let mut routes = routes();
        let guarded = |rule: &str, endpoint: &str, methods: &[&str]| ScannedRoute {
            endpoint: endpoint.into(),
            guards: vec!["login_required".into()],
            ..route(rule, methods)
        };
        routes.push(guarded("/account", "account", &["GET"]));
        routes.push(guarded("/orders", "orders", &["GET", "POST"]));
        routes.push(guarded("/bye", "auth.logout", &["GET"]));
        let skipped = |s: &Scenario| s.skipped.iter().map(|s| s.route.clone()).collect::<Vec<_>>();
        let names = |s: &Scenario| s.requests.iter().map(|r| r.name.clone().unwrap()).collect::<Vec<_>>();

        let anonymous = Scenario::from_routes(&routes, &[], false);
        assert_eq!(names(&anonymous), ["/", "/items", "/items/<int:item_id>"]);
        assert_eq!(
            skipped(&anonymous),
            [
                "DELETE /items/<int:item_id>",
                "POST /items",
                "POST /login",
                "GET /account",
                "GET /orders",
                "POST /orders",
                "GET /bye"
            ]
        );
        assert!(anonymous.skipped[0].reason.contains("opt in with --methods GET,DELETE"));
        assert!(anonymous.skipped[3].reason.contains("guarded by login_required"));

        // Logged in: guarded GET routes are loaded, the logout is not.
        let logged_in = Scenario::from_routes(&routes, &[], true);
        assert_eq!(names(&logged_in), ["/", "/account", "/items", "/items/<int:item_id>", "/orders"]);
        let bye = logged_in.skipped.iter().find(|s| s.route == "GET /bye").unwrap();
        assert!(bye.reason.contains("logout"), "{bye:?}");

        // A scenario file with a login step takes the scan's requests.
        let mut base: Scenario = toml::from_str(
            "[[login]]\nmethod = \"POST\"\npath = \"/login\"\n[[request]]\nname = \"/account\"\npath = \"/account?full=1\"",
        )
        .unwrap();
        assert!(base.sends_credentials(&[]));
        assert!(!Scenario::default().sends_credentials(&[]));
        assert!(Scenario::default().sends_credentials(&[("authorization".into(), "Bearer x".into())]));
        base.extend_with(logged_in);
        assert_eq!(names(&base), ["/account", "/", "/items", "/items/<int:item_id>", "/orders"]);
        assert!(base.skipped.iter().any(|s| s.route == "/account" && s.reason.contains("already")));
        Plan::build(base, Some("http://127.0.0.1:9"), Overrides::default()).unwrap();
    }

    #[test]
    fn scan_scenario_with_methods_and_data() {
        let scenario = Scenario::from_routes(&routes(), &["GET".into(), "POST".into()], false);
        let names: Vec<_> = scenario.requests.iter().map(|r| r.name.clone().unwrap()).collect();
        assert_eq!(names, vec!["/", "GET /items", "POST /items", "/items/<int:item_id>", "/login"]);
        let plan = Plan::build(scenario, Some("http://127.0.0.1:9"), Overrides::default()).unwrap();
        let post = &plan.requests[2];
        assert_eq!(post.method, "POST");
        let wire = String::from_utf8(post.rendered.as_ref().unwrap().wire.to_vec()).unwrap();
        assert!(wire.contains("Content-Type: application/json\r\n"), "{wire}");
        assert!(wire.ends_with("Content-Length: 2\r\n\r\n{}"), "{wire}");

        // A data file's column fills the parameter instead of the default.
        let spec = Scenario::from_routes(&routes(), &[], false);
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("items.csv");
        std::fs::write(&csv, "item_id\n7\n8\n").unwrap();
        let overrides = Overrides { data: vec![csv], ..Overrides::default() };
        let plan = Plan::build(spec, Some("http://127.0.0.1:9"), overrides).unwrap();
        let mut rng = fastrand::Rng::with_seed(1);
        let item = &plan.requests[2];
        let paths: Vec<_> = (0..3).map(|i| item.render("h", &plan.data, &mut rng, i).path).collect();
        assert_eq!(paths, vec!["/items/7", "/items/8", "/items/7"]);
    }

    #[test]
    fn toml_scenario_parses_and_validates() {
        let text = r#"
            url = "http://127.0.0.1:9"
            model = "open"
            start = 10
            thresholds = ["p95 < 200ms", "list: error_rate < 1%"]
            [variables]
            tenant = "acme"
            [[stages]]
            name = "ramp"
            duration = "10s"
            target = 100
            [[stages]]
            duration = "5s"
            target = 100
            [[request]]
            name = "list"
            path = "/t/{tenant}/items"
            weight = 3
            expect = [200]
            [[request]]
            name = "create"
            method = "post"
            path = "/t/{tenant}/items"
            json = { name = "x", tags = ["a"] }
            thresholds = ["p99 < 1s"]
        "#;
        let scenario: Scenario = toml::from_str(text).unwrap();
        let plan = Plan::build(scenario, None, Overrides::default()).unwrap();
        assert_eq!(plan.duration, Some(Duration::from_secs(15)));
        assert_eq!(plan.thresholds.len(), 3);
        assert!(matches!(plan.model, Model::Open { .. }));
        assert_eq!(plan.requests[0].weight, 3);
        assert!(plan.requests[1].rendered.is_none());
        let mut rng = fastrand::Rng::with_seed(1);
        let rendered = plan.requests[1].render("h", &plan.data, &mut rng, 0);
        let wire = String::from_utf8(rendered.wire.to_vec()).unwrap();
        assert!(wire.starts_with("POST /t/acme/items HTTP/1.1\r\n"), "{wire}");
        assert!(wire.ends_with(r#"{"name":"x","tags":["a"]}"#), "{wire}");
    }

    #[test]
    fn bad_scenarios_are_errors() {
        let bad = |text: &str| {
            let scenario: Result<Scenario, _> = toml::from_str(text);
            match scenario {
                Err(_) => true,
                Ok(s) => Plan::build(s, Some("http://127.0.0.1:9"), Overrides::default()).is_err(),
            }
        };
        assert!(bad(""));
        assert!(bad("[[request]]\npath = \"/{nope}\""));
        assert!(bad("unknown = 1\n[[request]]\npath = \"/\""));
        assert!(bad("thresholds = [\"other: p95 < 1s\"]\n[[request]]\npath = \"/\""));
        assert!(bad("duration = \"soon\"\n[[request]]\npath = \"/\""));
        assert!(bad("rate = \"0/s\"\n[[request]]\npath = \"/\""));
        assert!(bad("model = \"open\"\n[[request]]\npath = \"/\""));
        assert!(bad("rate = \"5/s\"\nthink_time = \"1s\"\n[[request]]\npath = \"/\""));
        assert!(bad("think_time = \"2s..1s\"\n[[request]]\npath = \"/\""));
        assert!(bad("[[stages]]\nduration = \"0s\"\ntarget = 5\n[[request]]\npath = \"/\""));
        assert!(!bad("[[request]]\npath = \"/\""));
    }
}
