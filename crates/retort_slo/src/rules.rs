//! Prometheus recording and alerting rules for a spec, equivalent to what
//! sloth generates: SLI error ratios over the burn-rate windows, the SLO
//! metadata (objective, budget, burn rates), and one page and one ticket
//! multiwindow multi-burn-rate alert per objective. A pure function of the
//! spec, the windows table and the metric names.
//!
//! Series and label names follow sloth's (`slo:sli_error:ratio_rate5m`,
//! `sloth_id`, `sloth_service`, `sloth_slo`, `sloth_window`,
//! `sloth_severity`), so sloth's Grafana dashboards read them unchanged.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::spec::{Indicator, Objective, Scope, Spec};
use crate::units::format_window;
use crate::windows::Windows;

/// Which metrics hold the requests, and under which labels.
#[derive(Debug, Clone)]
pub struct MetricNames {
    /// Counter of requests, with its label matchers, e.g.
    /// `flask_http_request_total{job="shop"}`.
    pub selector: String,
    /// Histogram (base name, optionally with matchers) for latency
    /// objectives, e.g. `flask_http_request_duration_seconds`.
    pub histogram: String,
    /// Label holding the status code.
    pub status_label: String,
    /// Label holding the Flask rule (route scopes).
    pub route_label: String,
    /// Label holding the method.
    pub method_label: String,
}

impl Default for MetricNames {
    fn default() -> Self {
        MetricNames {
            selector: "flask_http_request_total".to_string(),
            histogram: "flask_http_request_duration_seconds".to_string(),
            status_label: "status".to_string(),
            route_label: "url_rule".to_string(),
            method_label: "method".to_string(),
        }
    }
}

#[derive(Serialize)]
struct RuleFile {
    groups: Vec<Group>,
}

#[derive(Serialize)]
struct Group {
    name: String,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
struct Rule {
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    alert: Option<String>,
    expr: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    labels: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    annotations: BTreeMap<String, String>,
}

/// Rules for every objective of `spec`, as a Prometheus rule file (YAML).
/// `blueprint_rules` maps a blueprint to its Flask rules (from the catalog),
/// for blueprint scopes.
pub fn generate(
    spec: &Spec,
    windows: &Windows,
    names: &MetricNames,
    blueprint_rules: &BTreeMap<String, Vec<String>>,
) -> Result<String, String> {
    let mut groups = Vec::new();
    for o in &spec.objectives {
        let id = sloth_id(o);
        let ids = BTreeMap::from([
            ("sloth_id".to_string(), id.clone()),
            ("sloth_service".to_string(), o.service.clone().unwrap_or_else(|| "service".to_string())),
            ("sloth_slo".to_string(), o.name.clone()),
        ]);
        let id_matcher = format!(
            "{{sloth_id=\"{}\", sloth_service=\"{}\", sloth_slo=\"{}\"}}",
            esc(&id),
            esc(&ids["sloth_service"]),
            esc(&o.name)
        );
        let scope = scope_matchers(o, names, blueprint_rules)?;
        let mut recordings = Vec::new();
        let mut windows_needed = windows.all_secs();
        windows_needed.retain(|w| *w != o.window_secs);
        for w in &windows_needed {
            let window = format_window(*w);
            let mut labels = ids.clone();
            labels.insert("sloth_window".to_string(), window.clone());
            recordings.push(Rule {
                record: Some(format!("slo:sli_error:ratio_rate{window}")),
                alert: None,
                expr: error_ratio_expr(o, names, &scope, &window),
                labels,
                annotations: BTreeMap::new(),
            });
        }
        // The SLO period: the mean of the 5m ratio over the window, as sloth does.
        let period = format_window(o.window_secs);
        let mut labels = ids.clone();
        labels.insert("sloth_window".to_string(), period.clone());
        recordings.push(Rule {
            record: Some(format!("slo:sli_error:ratio_rate{period}")),
            alert: None,
            expr: format!(
                "sum_over_time(slo:sli_error:ratio_rate5m{id_matcher}[{period}])\n/ ignoring (sloth_window)\ncount_over_time(slo:sli_error:ratio_rate5m{id_matcher}[{period}])\n"
            ),
            labels,
            annotations: BTreeMap::new(),
        });
        groups.push(Group { name: format!("retort-slo-sli-recordings-{id}"), rules: recordings });

        let budget = 1.0 - o.target;
        let meta = |record: &str, expr: String| Rule {
            record: Some(record.to_string()),
            alert: None,
            expr,
            labels: ids.clone(),
            annotations: BTreeMap::new(),
        };
        let metadata = vec![
            meta("slo:objective:ratio", format!("vector({})", o.target)),
            meta("slo:error_budget:ratio", format!("vector(1-{})", o.target)),
            meta("slo:time_period:days", format!("vector({})", o.window_secs as f64 / 86_400.0)),
            meta(
                "slo:current_burn_rate:ratio",
                format!("slo:sli_error:ratio_rate5m{id_matcher}\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio{id_matcher}\n"),
            ),
            meta(
                "slo:period_burn_rate:ratio",
                format!("slo:sli_error:ratio_rate{period}{id_matcher}\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio{id_matcher}\n"),
            ),
            meta("slo:period_error_budget_remaining:ratio", format!("1 - slo:period_burn_rate:ratio{id_matcher}")),
        ];
        groups.push(Group { name: format!("retort-slo-meta-recordings-{id}"), rules: metadata });

        let mut alerts = Vec::new();
        let mut severities: Vec<&str> = Vec::new();
        for a in &windows.alerts {
            if !severities.contains(&a.severity.as_str()) {
                severities.push(&a.severity);
            }
        }
        for severity in severities {
            let conditions: Vec<String> = windows
                .alerts
                .iter()
                .filter(|a| a.severity == severity)
                .map(|a| {
                    let side = |w: i64| {
                        format!(
                            "max(slo:sli_error:ratio_rate{}{id_matcher} > ({} * {budget})) without (sloth_window)",
                            format_window(w),
                            a.factor
                        )
                    };
                    format!("(\n    {}\n    and\n    {}\n)", side(a.short_secs), side(a.long_secs))
                })
                .collect();
            let mut labels = BTreeMap::from([("sloth_severity".to_string(), severity.to_string())]);
            labels.insert("severity".to_string(), severity.to_string());
            let annotations = BTreeMap::from([
                (
                    "summary".to_string(),
                    "{{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is over the expected.".to_string(),
                ),
                (
                    "title".to_string(),
                    format!("({severity}) {{{{$labels.sloth_service}}}} {{{{$labels.sloth_slo}}}} SLO error budget burn rate is too fast."),
                ),
            ]);
            alerts.push(Rule {
                record: None,
                alert: Some(alert_name(o)),
                expr: conditions.join("\nor\n") + "\n",
                labels,
                annotations,
            });
        }
        groups.push(Group { name: format!("retort-slo-alerts-{id}"), rules: alerts });
    }
    serde_norway::to_string(&RuleFile { groups }).map_err(|e| e.to_string())
}

/// `service-objective`, lower case, safe characters only.
pub fn sloth_id(o: &Objective) -> String {
    let raw = format!("{}-{}", o.service.as_deref().unwrap_or("service"), o.name);
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// `checkout availability` → `CheckoutAvailabilityErrorBudgetBurn`.
fn alert_name(o: &Objective) -> String {
    let mut out = String::new();
    for word in o.name.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.chars().next().is_none_or(|c| c.is_ascii_digit()) {
        out.insert_str(0, "Slo");
    }
    out + "ErrorBudgetBurn"
}

/// Escapes a PromQL string literal.
fn esc(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Escapes a value for use inside a PromQL `=~` regex literal.
fn regex_esc(value: &str) -> String {
    esc(&regex::escape(value))
}

fn scope_matchers(
    o: &Objective,
    names: &MetricNames,
    blueprint_rules: &BTreeMap<String, Vec<String>>,
) -> Result<Vec<String>, String> {
    let mut matchers = Vec::new();
    match &o.scope {
        Scope::Service => {}
        Scope::Route(rule) => matchers.push(format!("{}=\"{}\"", names.route_label, esc(rule))),
        Scope::Blueprint(name) => {
            let rules = blueprint_rules.get(name).filter(|r| !r.is_empty()).ok_or_else(|| {
                format!("objective `{}`: blueprint `{name}` has no routes (give --scan PATH)", o.name)
            })?;
            let alternatives: Vec<String> = rules.iter().map(|r| regex_esc(r)).collect();
            matchers.push(format!("{}=~\"{}\"", names.route_label, alternatives.join("|")));
        }
    }
    if !o.methods.is_empty() {
        matchers.push(format!("{}=~\"{}\"", names.method_label, o.methods.join("|")));
    }
    Ok(matchers)
}

/// `name{a="b"}` plus matchers → `name{a="b", c="d"}`.
fn with_matchers(selector: &str, suffix: &str, extra: &[String]) -> String {
    let (name, existing) = match selector.find('{') {
        Some(i) => (&selector[..i], selector[i + 1..].trim_end().trim_end_matches('}').trim()),
        None => (selector.trim(), ""),
    };
    let mut all: Vec<String> = Vec::new();
    if !existing.is_empty() {
        all.push(existing.trim_end_matches(',').to_string());
    }
    all.extend(extra.iter().cloned());
    if all.is_empty() {
        return format!("{name}{suffix}");
    }
    format!("{name}{suffix}{{{}}}", all.join(", "))
}

/// Prometheus's Python client writes bucket bounds with at least one decimal (`1.0`, `0.25`).
fn le_value(threshold_us: u64) -> String {
    let seconds = threshold_us as f64 / 1e6;
    let text = format!("{seconds}");
    if text.contains('.') || text.contains('e') {
        text
    } else {
        format!("{text}.0")
    }
}

fn error_ratio_expr(o: &Objective, names: &MetricNames, scope: &[String], window: &str) -> String {
    match o.indicator {
        Indicator::Availability => {
            let mut errors = scope.to_vec();
            errors.push(format!("{}=~\"5..\"", names.status_label));
            format!(
                "(sum(rate({}[{window}])))\n/\n(sum(rate({}[{window}])))\n",
                with_matchers(&names.selector, "", &errors),
                with_matchers(&names.selector, "", scope)
            )
        }
        Indicator::Latency { threshold_us, .. } => {
            let mut good = scope.to_vec();
            good.push(format!("le=\"{}\"", le_value(threshold_us)));
            let count = with_matchers(&names.histogram, "_count", scope);
            format!(
                "(\n  sum(rate({count}[{window}]))\n  -\n  sum(rate({}[{window}]))\n)\n/\n(sum(rate({count}[{window}])))\n",
                with_matchers(&names.histogram, "_bucket", &good)
            )
        }
    }
}
