//! SLO specs: OpenSLO v1 YAML (kinds `SLO` and `SLI`) and the compact
//! native TOML form (`[tool.retort.slo]` in `pyproject.toml`, or
//! `retort-slo.toml`), both read into the same [`Spec`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::SloError;
use crate::units::{parse_duration_secs, parse_duration_us, parse_ratio};

/// Default SLO window when a spec names none (sloth's default period).
pub const DEFAULT_WINDOW_SECS: i64 = 30 * 86_400;

/// Every objective of a spec, normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    /// Where the spec was read from.
    pub source: PathBuf,
    /// The objectives, in the order written.
    pub objectives: Vec<Objective>,
}

/// One objective: which requests, what counts as good, and the target.
#[derive(Debug, Clone, PartialEq)]
pub struct Objective {
    /// Unique name (`slo-name` or `slo-name/objective-name`).
    pub name: String,
    /// Service the objective belongs to, if given.
    pub service: Option<String>,
    /// Which requests count.
    pub scope: Scope,
    /// Only these methods (upper case); empty: all.
    pub methods: Vec<String>,
    /// What makes a request good.
    pub indicator: Indicator,
    /// Required share of good events (Occurrences) or good slices (Timeslices), in (0, 1).
    pub target: f64,
    /// Rolling window, in seconds.
    pub window_secs: i64,
    /// How the budget is counted.
    pub budgeting: Budgeting,
}

/// The requests an objective is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// Every request of the service.
    Service,
    /// Requests routed to one blueprint (needs the catalog).
    Blueprint(String),
    /// Requests routed to one Flask rule, e.g. `/items/<int:item_id>`.
    Route(String),
}

impl Scope {
    /// Human form: `service`, `blueprint admin`, `route /items/<int:id>`.
    pub fn describe(&self) -> String {
        match self {
            Scope::Service => "service".to_string(),
            Scope::Blueprint(name) => format!("blueprint {name}"),
            Scope::Route(rule) => format!("route {rule}"),
        }
    }
}

/// What makes one request good.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Indicator {
    /// Any status below 500 (responses without a status are not requests).
    Availability,
    /// Served within `threshold_us`. With `quantile`, the objective reads
    /// "the q-quantile is under the threshold", i.e. a share q of requests
    /// (or of each time slice) is under it.
    Latency {
        /// Latency limit in microseconds (a request at exactly the limit is good).
        threshold_us: u64,
        /// The quantile, e.g. 0.99 for p99.
        quantile: Option<f64>,
    },
}

impl Indicator {
    /// Short human form: `availability`, `latency <= 250ms`, `p99 <= 250ms`.
    pub fn describe(&self) -> String {
        match self {
            Indicator::Availability => "availability (non-5xx)".to_string(),
            Indicator::Latency { threshold_us, quantile: None } => {
                format!("latency <= {}", crate::units::format_us(*threshold_us))
            }
            Indicator::Latency { threshold_us, quantile: Some(q) } => {
                format!("p{} <= {}", trim_float(q * 100.0), crate::units::format_us(*threshold_us))
            }
        }
    }
}

/// How the error budget is counted (OpenSLO `budgetingMethod`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Budgeting {
    /// Good events over all events.
    Occurrences,
    /// Good time slices over all slices with traffic; a slice is good when
    /// its own ratio reaches `slice_target`.
    Timeslices {
        /// Slice length in seconds (a whole number of minutes).
        slice_secs: i64,
        /// Ratio a slice needs to be good.
        slice_target: f64,
    },
}

/// Formats a float without trailing zeros (`99.9`, `99`).
pub fn trim_float(value: f64) -> String {
    let text = format!("{value:.6}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

impl Spec {
    /// Reads a spec file: `.yaml`/`.yml` is OpenSLO, `.toml` is the native
    /// form (`pyproject.toml` under `[tool.retort.slo]`).
    pub fn load(path: &Path) -> Result<Spec, SloError> {
        let text = std::fs::read_to_string(path)
            .map_err(|err| SloError::Io(format!("cannot read {}: {err}", path.display())))?;
        let is_toml = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml"));
        if is_toml {
            Self::from_toml(&text, path)
        } else {
            Self::from_openslo(&text, path)
        }
    }

    /// The native TOML form; `pyproject.toml` holds it under `[tool.retort.slo]`.
    pub fn from_toml(text: &str, path: &Path) -> Result<Spec, SloError> {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let native: NativeSpec = if name == "pyproject.toml" {
            let doc: Pyproject = toml::from_str(text).map_err(|err| toml_error(path, &err))?;
            doc.tool
                .and_then(|t| t.retort)
                .and_then(|r| r.slo)
                .ok_or_else(|| SloError::Spec(format!("{}: no [tool.retort.slo] table", path.display())))?
        } else {
            toml::from_str(text).map_err(|err| toml_error(path, &err))?
        };
        native.into_spec(path)
    }

    /// OpenSLO v1: one or more YAML documents of kinds `SLO` and `SLI`
    /// (other kinds such as `Service` or `AlertPolicy` are read and ignored).
    pub fn from_openslo(text: &str, path: &Path) -> Result<Spec, SloError> {
        let mut slos = Vec::new();
        let mut slis = BTreeMap::new();
        for (first_line, doc) in split_documents(text) {
            if doc.trim().lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
                continue;
            }
            let head: DocHead = serde_norway::from_str(&doc).map_err(|e| yaml_error(path, first_line, &e))?;
            if head.api_version != "openslo/v1" {
                return Err(SloError::Spec(format!(
                    "{}:{}: apiVersion: `{}` is not supported (use `openslo/v1`)",
                    path.display(),
                    first_line + find_line(&doc, "apiVersion"),
                    head.api_version
                )));
            }
            match head.kind.as_str() {
                "SLO" => {
                    let slo: OpenSloDoc = serde_norway::from_str(&doc).map_err(|e| yaml_error(path, first_line, &e))?;
                    slos.push((first_line, doc, slo));
                }
                "SLI" => {
                    let sli: OpenSliDoc = serde_norway::from_str(&doc).map_err(|e| yaml_error(path, first_line, &e))?;
                    slis.insert(sli.metadata.name.clone(), sli.spec);
                }
                _ => {}
            }
        }
        let mut objectives = Vec::new();
        for (first_line, doc, slo) in slos {
            let at = |field: &str| format!("{}:{}", path.display(), first_line + find_line(&doc, field));
            let indicator = match (&slo.spec.indicator, &slo.spec.indicator_ref) {
                (Some(inline), None) => inline.spec.clone(),
                (None, Some(name)) => slis.get(name).cloned().ok_or_else(|| {
                    SloError::Spec(format!(
                        "{}: spec.indicatorRef: no SLI named `{name}` in this file",
                        at("indicatorRef")
                    ))
                })?,
                _ => {
                    return Err(SloError::Spec(format!(
                        "{}: spec: give exactly one of `indicator` and `indicatorRef`",
                        at("spec")
                    )))
                }
            };
            let window = match slo.spec.time_window.as_slice() {
                [] => DEFAULT_WINDOW_SECS,
                [w] => {
                    if w.is_rolling == Some(false) {
                        return Err(SloError::Spec(format!(
                            "{}: spec.timeWindow[0].isRolling: calendar windows are not supported; use a rolling window",
                            at("isRolling")
                        )));
                    }
                    parse_duration_secs(&w.duration)
                        .map_err(|e| SloError::Spec(format!("{}: spec.timeWindow[0].duration: {e}", at("duration"))))?
                }
                _ => {
                    return Err(SloError::Spec(format!(
                        "{}: spec.timeWindow: give exactly one window",
                        at("timeWindow")
                    )))
                }
            };
            let (scope, methods) =
                indicator.scope().map_err(|e| SloError::Spec(format!("{}: {e}", at("metricSource"))))?;
            if slo.spec.objectives.is_empty() {
                return Err(SloError::Spec(format!("{}: spec.objectives: at least one objective", at("objectives"))));
            }
            let several = slo.spec.objectives.len() > 1;
            for (index, o) in slo.spec.objectives.iter().enumerate() {
                let field = |f: &str| format!("spec.objectives[{index}].{f}");
                let err = |f: &str, msg: String| SloError::Spec(format!("{}: {}: {msg}", at(f), field(f)));
                let target = o.target.ok_or_else(|| err("target", "missing".to_string()))?;
                check_ratio(target).map_err(|m| err("target", m))?;
                let quantile_indicator = indicator.threshold_metric.is_some();
                let latency = indicator.latency_us().map_err(|m| err("metricSource", m))?;
                let indicator_kind = if quantile_indicator {
                    let value = o
                        .value
                        .ok_or_else(|| err("value", "a threshold metric needs `value` (milliseconds)".into()))?;
                    match o.op.as_deref() {
                        Some("lte") | Some("lt") | None => {}
                        Some(other) => {
                            return Err(err("op", format!("`{other}`: only `lte` and `lt` make sense for latency")))
                        }
                    }
                    if value <= 0.0 || !value.is_finite() {
                        return Err(err("value", "must be a positive number of milliseconds".into()));
                    }
                    let quantile = indicator.quantile().map_err(|m| err("metricSource", m))?;
                    Indicator::Latency {
                        threshold_us: (value * 1000.0).round() as u64,
                        quantile: Some(quantile.unwrap_or(target)),
                    }
                } else if let Some(threshold_us) = latency {
                    Indicator::Latency { threshold_us, quantile: None }
                } else {
                    Indicator::Availability
                };
                let budgeting = match slo.spec.budgeting_method.as_str() {
                    "Occurrences" => Budgeting::Occurrences,
                    "Timeslices" | "RatioTimeslices" => {
                        let slice = o.time_slice_window.as_deref().ok_or_else(|| {
                            err("timeSliceWindow", "Timeslices budgeting needs `timeSliceWindow`".into())
                        })?;
                        let slice_secs = parse_duration_secs(slice).map_err(|m| err("timeSliceWindow", m))?;
                        if slice_secs % 60 != 0 {
                            return Err(err("timeSliceWindow", "must be a whole number of minutes".into()));
                        }
                        let slice_target = match (o.time_slice_target, indicator_kind) {
                            (Some(t), _) => t,
                            (None, Indicator::Latency { quantile: Some(q), .. }) => q,
                            (None, _) => {
                                return Err(err(
                                    "timeSliceTarget",
                                    "Timeslices budgeting needs `timeSliceTarget`".into(),
                                ))
                            }
                        };
                        check_ratio(slice_target).map_err(|m| err("timeSliceTarget", m))?;
                        Budgeting::Timeslices { slice_secs, slice_target }
                    }
                    other => {
                        return Err(SloError::Spec(format!(
                            "{}: spec.budgetingMethod: `{other}` (use Occurrences or Timeslices)",
                            at("budgetingMethod")
                        )))
                    }
                };
                let suffix = o.display_name.clone().or_else(|| o.name.clone()).unwrap_or_else(|| index.to_string());
                let name =
                    if several { format!("{}/{}", slo.metadata.name, suffix) } else { slo.metadata.name.clone() };
                objectives.push(Objective {
                    name,
                    service: slo.spec.service.clone(),
                    scope: scope.clone(),
                    methods: methods.clone(),
                    indicator: indicator_kind,
                    target,
                    window_secs: window,
                    budgeting,
                });
            }
        }
        finish(path, objectives)
    }
}

fn finish(path: &Path, objectives: Vec<Objective>) -> Result<Spec, SloError> {
    if objectives.is_empty() {
        return Err(SloError::Spec(format!("{}: no SLO objectives found", path.display())));
    }
    let mut seen = std::collections::BTreeSet::new();
    for o in &objectives {
        if !seen.insert(o.name.as_str()) {
            return Err(SloError::Spec(format!("{}: two objectives are named `{}`", path.display(), o.name)));
        }
    }
    Ok(Spec { source: path.to_path_buf(), objectives })
}

fn check_ratio(value: f64) -> Result<(), String> {
    if value > 0.0 && value < 1.0 {
        Ok(())
    } else {
        Err(format!("{value} is not a ratio strictly between 0 and 1 (write 0.999 for 99.9%)"))
    }
}

/// Splits a YAML stream into documents, with the 1-based line each starts on.
fn split_documents(text: &str) -> Vec<(usize, String)> {
    let mut docs = Vec::new();
    let mut current = String::new();
    let mut start = 1;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed.starts_with("--- ") || trimmed == "..." {
            docs.push((start, std::mem::take(&mut current)));
            start = index + 2;
            continue;
        }
        current.push_str(line);
        current.push('\n');
    }
    docs.push((start, current));
    docs
}

/// Line offset (0-based) of the first `field:` key in a document, 0 if absent.
fn find_line(doc: &str, field: &str) -> usize {
    let key = format!("{field}:");
    doc.lines()
        .position(|l| {
            let t = l.trim_start().trim_start_matches("- ");
            t.starts_with(&key)
        })
        .unwrap_or(0)
}

fn yaml_error(path: &Path, first_line: usize, err: &serde_norway::Error) -> SloError {
    let mut message = err.to_string();
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    match err.location() {
        Some(loc) => {
            SloError::Spec(format!("{}:{}:{}: {message}", path.display(), first_line + loc.line() - 1, loc.column()))
        }
        None => SloError::Spec(format!("{}:{first_line}: {message}", path.display())),
    }
}

fn toml_error(path: &Path, err: &toml::de::Error) -> SloError {
    SloError::Spec(format!("{}: {}", path.display(), err.to_string().trim_end()))
}

// ---- OpenSLO documents ----

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DocHead {
    api_version: String,
    kind: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Metadata {
    name: String,
}

#[derive(Deserialize)]
struct OpenSloDoc {
    metadata: Metadata,
    spec: OpenSloSpec,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OpenSloSpec {
    service: Option<String>,
    indicator: Option<InlineIndicator>,
    indicator_ref: Option<String>,
    #[serde(default)]
    time_window: Vec<TimeWindow>,
    budgeting_method: String,
    #[serde(default)]
    objectives: Vec<OpenSloObjective>,
}

#[derive(Deserialize)]
struct InlineIndicator {
    spec: SliSpec,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TimeWindow {
    duration: String,
    is_rolling: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OpenSloObjective {
    display_name: Option<String>,
    name: Option<String>,
    op: Option<String>,
    value: Option<f64>,
    target: Option<f64>,
    time_slice_target: Option<f64>,
    time_slice_window: Option<String>,
}

#[derive(Deserialize)]
struct OpenSliDoc {
    metadata: Metadata,
    spec: SliSpec,
}

/// An SLI: a ratio of good (or bad) to total events, or a threshold metric.
#[derive(Deserialize, Clone)]
#[serde(rename_all = "camelCase")]
struct SliSpec {
    ratio_metric: Option<RatioMetric>,
    threshold_metric: Option<MetricRef>,
}

#[derive(Deserialize, Clone)]
struct RatioMetric {
    good: Option<MetricRef>,
    bad: Option<MetricRef>,
    total: MetricRef,
}

#[derive(Deserialize, Clone)]
#[serde(rename_all = "camelCase")]
struct MetricRef {
    metric_source: MetricSource,
}

/// Retort reads access logs: `metricSource.spec` says which requests
/// (`route`, `blueprint`, `methods`) and, for `good`, what is good
/// (`latency: 250ms`, or `status: non-5xx`); `bad` may say `status: 5xx`.
#[derive(Deserialize, Clone)]
struct MetricSource {
    #[serde(default)]
    spec: SourceSpec,
}

#[derive(Deserialize, Clone, Default)]
#[serde(deny_unknown_fields)]
struct SourceSpec {
    route: Option<String>,
    blueprint: Option<String>,
    #[serde(default)]
    methods: Vec<String>,
    latency: Option<String>,
    status: Option<String>,
    quantile: Option<serde_norway::Value>,
}

impl SliSpec {
    fn sources(&self) -> Vec<&SourceSpec> {
        let mut out = Vec::new();
        if let Some(r) = &self.ratio_metric {
            out.push(&r.total.metric_source.spec);
            if let Some(g) = &r.good {
                out.push(&g.metric_source.spec);
            }
            if let Some(b) = &r.bad {
                out.push(&b.metric_source.spec);
            }
        }
        if let Some(t) = &self.threshold_metric {
            out.push(&t.metric_source.spec);
        }
        out
    }

    fn scope(&self) -> Result<(Scope, Vec<String>), String> {
        if self.ratio_metric.is_some() == self.threshold_metric.is_some() {
            return Err("the SLI needs exactly one of `ratioMetric` and `thresholdMetric`".into());
        }
        let mut scope = Scope::Service;
        let mut methods = Vec::new();
        for s in self.sources() {
            let this = match (&s.route, &s.blueprint) {
                (Some(_), Some(_)) => return Err("metricSource.spec: give `route` or `blueprint`, not both".into()),
                (Some(r), None) => Scope::Route(r.clone()),
                (None, Some(b)) => Scope::Blueprint(b.clone()),
                (None, None) => Scope::Service,
            };
            if this != Scope::Service {
                if scope != Scope::Service && scope != this {
                    return Err("metricSource.spec: good and total name different routes".into());
                }
                scope = this;
            }
            if !s.methods.is_empty() {
                methods = s.methods.iter().map(|m| m.to_ascii_uppercase()).collect();
            }
        }
        Ok((scope, methods))
    }

    fn latency_us(&self) -> Result<Option<u64>, String> {
        // A threshold metric's `latency` names the quantile (`p99`), not a limit.
        let ratio_sources = if self.ratio_metric.is_some() { self.sources() } else { Vec::new() };
        for s in ratio_sources {
            if let Some(l) = &s.latency {
                return parse_duration_us(l).map(Some).map_err(|e| format!("metricSource.spec.latency: {e}"));
            }
        }
        if let Some(r) = &self.ratio_metric {
            match (&r.good, &r.bad) {
                (Some(g), None) => match g.metric_source.spec.status.as_deref() {
                    None | Some("non-5xx") | Some("<500") => {}
                    Some(other) => return Err(format!("metricSource.spec.status: `{other}` (good is `non-5xx`)")),
                },
                (None, Some(b)) => match b.metric_source.spec.status.as_deref() {
                    None | Some("5xx") | Some(">=500") => {}
                    Some(other) => return Err(format!("metricSource.spec.status: `{other}` (bad is `5xx`)")),
                },
                _ => return Err("ratioMetric: give exactly one of `good` and `bad`".into()),
            }
        }
        Ok(None)
    }

    fn quantile(&self) -> Result<Option<f64>, String> {
        let Some(t) = &self.threshold_metric else { return Ok(None) };
        let text = match (&t.metric_source.spec.quantile, &t.metric_source.spec.latency) {
            (Some(serde_norway::Value::Number(n)), _) => return n.as_f64().map(Some).ok_or("bad quantile".into()),
            (Some(serde_norway::Value::String(s)), _) => s.clone(),
            (Some(_), _) => return Err("metricSource.spec.quantile: a number or `p99`".into()),
            (None, Some(l)) => l.clone(),
            (None, None) => return Ok(None),
        };
        parse_quantile(&text).map(Some)
    }
}

/// `p99` → 0.99, `p99.9` → 0.999, `0.95` → 0.95.
pub fn parse_quantile(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let q = if let Some(p) = t.strip_prefix('p').or_else(|| t.strip_prefix('P')) {
        p.parse::<f64>().map_err(|_| format!("`{text}` is not a quantile like p99"))? / 100.0
    } else {
        parse_ratio(t)?
    };
    check_ratio(q)?;
    Ok(q)
}

// ---- native TOML ----

#[derive(Deserialize)]
struct Pyproject {
    tool: Option<PyTool>,
}

#[derive(Deserialize)]
struct PyTool {
    retort: Option<PyRetort>,
}

#[derive(Deserialize)]
struct PyRetort {
    slo: Option<NativeSpec>,
}

/// `retort-slo.toml` / `[tool.retort.slo]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NativeSpec {
    service: Option<String>,
    window: Option<String>,
    #[serde(default)]
    objectives: Vec<NativeObjective>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NativeObjective {
    name: String,
    route: Option<String>,
    blueprint: Option<String>,
    #[serde(default)]
    methods: Vec<String>,
    availability: Option<RatioValue>,
    latency: Option<String>,
    quantile: Option<String>,
    target: Option<RatioValue>,
    window: Option<String>,
    budgeting: Option<String>,
    timeslice: Option<String>,
    timeslice_target: Option<RatioValue>,
}

/// `0.999` or `"99.9%"`.
#[derive(Deserialize, Clone)]
#[serde(untagged)]
enum RatioValue {
    Number(f64),
    Text(String),
}

impl RatioValue {
    fn get(&self) -> Result<f64, String> {
        let value = match self {
            RatioValue::Number(n) => *n,
            RatioValue::Text(t) => parse_ratio(t)?,
        };
        check_ratio(value)?;
        Ok(value)
    }
}

impl NativeSpec {
    fn into_spec(self, path: &Path) -> Result<Spec, SloError> {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let default_window = match &self.window {
            Some(w) => {
                parse_duration_secs(w).map_err(|e| SloError::Spec(format!("{}: window: {e}", path.display())))?
            }
            None => DEFAULT_WINDOW_SECS,
        };
        let mut objectives = Vec::new();
        for (index, o) in self.objectives.into_iter().enumerate() {
            // The line of this objective's `name = ...`, for errors.
            let line = text
                .lines()
                .position(|l| {
                    let t = l.trim_start();
                    t.starts_with("name") && t.contains(&format!("\"{}\"", o.name))
                })
                .map(|i| i + 1)
                .unwrap_or(0);
            let err = |field: &str, msg: String| {
                SloError::Spec(format!("{}:{line}: objectives[{index}] ({}).{field}: {msg}", path.display(), o.name))
            };
            let scope = match (&o.route, &o.blueprint) {
                (Some(_), Some(_)) => return Err(err("route", "give `route` or `blueprint`, not both".into())),
                (Some(r), None) => Scope::Route(r.clone()),
                (None, Some(b)) => Scope::Blueprint(b.clone()),
                (None, None) => Scope::Service,
            };
            let quantile = o.quantile.as_deref().map(parse_quantile).transpose().map_err(|m| err("quantile", m))?;
            let (indicator, target) = match (&o.availability, &o.latency) {
                (Some(a), None) => {
                    if o.quantile.is_some() {
                        return Err(err("quantile", "only latency objectives take a quantile".into()));
                    }
                    if o.target.is_some() {
                        return Err(err("target", "`availability` is the target already".into()));
                    }
                    (Indicator::Availability, a.get().map_err(|m| err("availability", m))?)
                }
                (None, Some(l)) => {
                    let threshold_us = parse_duration_us(l).map_err(|m| err("latency", m))?;
                    let target = match (&o.target, quantile) {
                        (Some(t), _) => t.get().map_err(|m| err("target", m))?,
                        (None, Some(q)) => q,
                        (None, None) => {
                            return Err(err("target", "a latency objective needs `target` or `quantile`".into()))
                        }
                    };
                    (Indicator::Latency { threshold_us, quantile }, target)
                }
                _ => return Err(err("availability", "give exactly one of `availability` and `latency`".into())),
            };
            let window_secs = match &o.window {
                Some(w) => parse_duration_secs(w).map_err(|m| err("window", m))?,
                None => default_window,
            };
            let budgeting = match o.budgeting.as_deref().unwrap_or("occurrences").to_ascii_lowercase().as_str() {
                "occurrences" => Budgeting::Occurrences,
                "timeslices" => {
                    let slice_secs =
                        parse_duration_secs(o.timeslice.as_deref().unwrap_or("1m")).map_err(|m| err("timeslice", m))?;
                    if slice_secs % 60 != 0 {
                        return Err(err("timeslice", "must be a whole number of minutes".into()));
                    }
                    let slice_target = match (&o.timeslice_target, quantile) {
                        (Some(t), _) => t.get().map_err(|m| err("timeslice_target", m))?,
                        (None, Some(q)) => q,
                        (None, None) => return Err(err("timeslice_target", "timeslices budgeting needs it".into())),
                    };
                    Budgeting::Timeslices { slice_secs, slice_target }
                }
                other => return Err(err("budgeting", format!("`{other}` (use occurrences or timeslices)"))),
            };
            objectives.push(Objective {
                name: o.name.clone(),
                service: self.service.clone(),
                scope,
                methods: o.methods.iter().map(|m| m.to_ascii_uppercase()).collect(),
                indicator,
                target,
                window_secs,
                budgeting,
            });
        }
        finish(path, objectives)
    }
}
