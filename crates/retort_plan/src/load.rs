//! Uneven scaling needs, the last "when to move" signal of issue 12:
//! each component's share of the service's routes and, when a `retort
//! load` result is given (`retort arch --load RESULT.json`), its share of
//! the measured requests, its rate, latency and error rate.
//!
//! Each request name of the load result is mapped to the catalog route it
//! exercised and so to a component; a name no route explains is reported
//! as unmapped, never dropped. The thresholds that make a component
//! "uneven" are named constants below, chosen up front like the readiness
//! weights (judgement, not fitted) and documented in `docs/arch.md`.
//!
//! This crate does not depend on `retort_load` (an HTTP engine with tokio,
//! hyper and TLS): the binary reads the result file with `retort_load`'s
//! own types and hands over the few fields used here as a [`LoadRun`].

use std::collections::{BTreeMap, BTreeSet};

use crate::report::{ComponentScaling, LoadRunSummary, ScalingSignal, TrafficShare, UnevenScaling, UnmappedLoad};

/// A component is uneven when its share (of requests, or of routes) is at
/// least this many times what an even spread would give it.
const UNEVEN_FACTOR: f64 = 2.0;
/// ... and the share is at least this large (a 2 % component twice as busy
/// as its 1 % of routes is not a scaling need).
const MIN_UNEVEN_SHARE: f64 = 0.10;
/// Latency and error comparisons need this many measured responses on each side.
const MIN_RESPONSES: u64 = 20;
/// An error rate below this is not a signal, however it compares.
const MIN_ERROR_RATE: f64 = 0.01;

/// One request name of a load run (an entry of `requests[]` in a `retort
/// load` result).
#[derive(Debug, Clone, Default)]
pub struct MeasuredRoute {
    /// The request name: a Flask rule (`/items/<int:id>`, what `--from-scan`
    /// writes), `METHOD rule`, `METHOD /items/{id}` (a scenario's default
    /// name), `METHOD /items/3` (quick mode), or an endpoint (`items.show`).
    pub name: String,
    /// HTTP method (may be empty).
    pub method: String,
    pub requests: u64,
    pub errors: u64,
    /// The latency histogram as (microseconds, count), lowest first.
    pub latency_us: Vec<(u64, u64)>,
}

/// What `retort arch` needs from a load result.
#[derive(Debug, Clone, Default)]
pub struct LoadRun {
    /// Where it was read from (shown in the report).
    pub source: String,
    /// The service the run targeted.
    pub target: String,
    pub duration_s: f64,
    pub routes: Vec<MeasuredRoute>,
}

/// A resolved catalog route and the component its view lives in.
#[derive(Debug, Clone)]
pub struct RouteOfComponent {
    pub rule: String,
    pub methods: Vec<String>,
    pub endpoint: Option<String>,
    pub component: usize,
}

/// The scaling signal: route shares always, traffic when a load run is
/// given. `route_counts` are the components' routes (in `component_names`
/// order); `routes` the resolved ones load results are matched against.
pub fn scaling_signal(
    component_names: &[String],
    route_counts: &[usize],
    routes: &[RouteOfComponent],
    load: Option<&LoadRun>,
) -> ScalingSignal {
    let total_routes: usize = route_counts.iter().sum();
    let mut per_component: Vec<ComponentScaling> = component_names
        .iter()
        .zip(route_counts)
        .map(|(name, &count)| ComponentScaling {
            component: name.clone(),
            routes: count,
            route_share: share(count as u64, total_routes as u64),
            traffic: None,
        })
        .collect();
    let mut uneven = route_unevenness(&per_component, total_routes);
    let mut unmapped = Vec::new();
    let mut summary = None;
    if let Some(run) = load {
        let mut histograms: Vec<BTreeMap<u64, u64>> = vec![BTreeMap::new(); component_names.len()];
        let mut names: Vec<Vec<String>> = vec![Vec::new(); component_names.len()];
        let mut counts = vec![(0u64, 0u64); component_names.len()];
        let total_requests: u64 = run.routes.iter().map(|r| r.requests).sum();
        for measured in &run.routes {
            match map_to_component(measured, routes, component_names) {
                Ok(component) => {
                    names[component].push(measured.name.clone());
                    counts[component].0 += measured.requests;
                    counts[component].1 += measured.errors;
                    for &(value, count) in &measured.latency_us {
                        *histograms[component].entry(value).or_default() += count;
                    }
                }
                Err(reason) => unmapped.push(UnmappedLoad {
                    name: measured.name.clone(),
                    method: measured.method.clone(),
                    requests: measured.requests,
                    share: share(measured.requests, total_requests),
                    reason,
                }),
            }
        }
        for (index, row) in per_component.iter_mut().enumerate() {
            let (requests, errors) = counts[index];
            if names[index].is_empty() {
                continue;
            }
            row.traffic = Some(TrafficShare {
                load_names: std::mem::take(&mut names[index]),
                requests,
                share: share(requests, total_requests),
                rate: if run.duration_s > 0.0 { round(requests as f64 / run.duration_s, 10.0) } else { 0.0 },
                error_rate: share(errors, requests),
                p95_us: quantile(&histograms[index], 0.95),
                p99_us: quantile(&histograms[index], 0.99),
            });
        }
        let mapped: u64 = counts.iter().map(|c| c.0).sum();
        uneven.extend(traffic_unevenness(&per_component, &histograms, &counts));
        summary = Some(LoadRunSummary {
            source: run.source.clone(),
            target: run.target.clone(),
            duration_s: run.duration_s,
            requests: total_requests,
            mapped_requests: mapped,
            unmapped_requests: total_requests - mapped,
        });
    }
    ScalingSignal { load: summary, components: per_component, unmapped, uneven }
}

/// Components holding a much larger share of the routes than an even
/// split over the components that have routes.
fn route_unevenness(rows: &[ComponentScaling], total_routes: usize) -> Vec<UnevenScaling> {
    let with_routes = rows.iter().filter(|r| r.routes > 0).count();
    if with_routes < 2 {
        return Vec::new();
    }
    let even = 1.0 / with_routes as f64;
    rows.iter()
        .filter(|r| r.route_share >= MIN_UNEVEN_SHARE && r.route_share >= UNEVEN_FACTOR * even)
        .map(|r| UnevenScaling {
            component: r.component.clone(),
            factor: "routes".into(),
            evidence: format!(
                "{} holds {} of the {total_routes} routes ({}), {:.1}x an even split over the {with_routes} components with routes",
                r.component,
                r.routes,
                percent(r.route_share),
                r.route_share / even
            ),
        })
        .collect()
}

/// Components whose measured traffic stands out: many more requests than
/// their share of routes, a slower tail, or more errors than the rest.
fn traffic_unevenness(
    rows: &[ComponentScaling],
    histograms: &[BTreeMap<u64, u64>],
    counts: &[(u64, u64)],
) -> Vec<UnevenScaling> {
    let mut lines = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        let Some(traffic) = &row.traffic else { continue };
        if row.route_share > 0.0
            && traffic.share >= MIN_UNEVEN_SHARE
            && traffic.share >= UNEVEN_FACTOR * row.route_share
        {
            lines.push(UnevenScaling {
                component: row.component.clone(),
                factor: "requests".into(),
                evidence: format!(
                    "{} served {} of the measured requests ({} of them, {} req/s) with {} of the routes: {:.1}x its share of routes",
                    row.component,
                    percent(traffic.share),
                    traffic.requests,
                    traffic.rate,
                    percent(row.route_share),
                    traffic.share / row.route_share
                ),
            });
        }
        // The rest of the measured service, merged.
        let mut rest: BTreeMap<u64, u64> = BTreeMap::new();
        for (_, histogram) in histograms.iter().enumerate().filter(|(other, _)| *other != index) {
            for (&value, &count) in histogram {
                *rest.entry(value).or_default() += count;
            }
        }
        let responses: u64 = histograms[index].values().sum();
        let rest_responses: u64 = rest.values().sum();
        if responses >= MIN_RESPONSES && rest_responses >= MIN_RESPONSES {
            let rest_p99 = quantile(&rest, 0.99);
            if rest_p99 > 0 && traffic.p99_us as f64 >= UNEVEN_FACTOR * rest_p99 as f64 {
                lines.push(UnevenScaling {
                    component: row.component.clone(),
                    factor: "latency".into(),
                    evidence: format!(
                        "{} p99 {} vs {} for the rest of the measured routes ({:.1}x)",
                        row.component,
                        millis(traffic.p99_us),
                        millis(rest_p99),
                        traffic.p99_us as f64 / rest_p99 as f64
                    ),
                });
            }
        }
        let (rest_requests, rest_errors) = counts
            .iter()
            .enumerate()
            .filter(|(other, _)| *other != index)
            .fold((0, 0), |(r, e), (_, c)| (r + c.0, e + c.1));
        let rest_rate = share(rest_errors, rest_requests);
        if traffic.requests >= MIN_RESPONSES
            && traffic.error_rate >= MIN_ERROR_RATE
            && traffic.error_rate >= UNEVEN_FACTOR * rest_rate
        {
            lines.push(UnevenScaling {
                component: row.component.clone(),
                factor: "errors".into(),
                evidence: format!(
                    "{} error rate {} vs {} for the rest of the measured routes",
                    row.component,
                    percent(traffic.error_rate),
                    percent(rest_rate)
                ),
            });
        }
    }
    lines
}

/// How a measured request name was matched, most specific first.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Specificity {
    /// The name is the rule or the endpoint.
    Exact,
    /// The name is the rule as a path template (`/items/{id}`).
    Template,
    /// The name is a concrete path the rule matches (`/items/3`).
    Path,
}

const HTTP_METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// The component of the catalog route a request name exercised, or why
/// there is none.
fn map_to_component(
    measured: &MeasuredRoute,
    routes: &[RouteOfComponent],
    component_names: &[String],
) -> Result<usize, String> {
    let name = measured.name.trim();
    let (named_method, rest) = match name.split_once(' ') {
        Some((first, rest)) if HTTP_METHODS.contains(&first) => (Some(first), rest.trim()),
        _ => (None, name),
    };
    let method = Some(measured.method.trim().to_ascii_uppercase()).filter(|m| !m.is_empty());
    let method = method.or(named_method.map(str::to_string));
    let path = strip_origin(rest).split(['?', '#']).next().unwrap_or_default();
    let method_fits = |route: &RouteOfComponent| match &method {
        // HEAD is answered by every GET route.
        Some(m) => route.methods.iter().any(|r| r == m || (m == "HEAD" && r == "GET")),
        None => true,
    };
    let mut best: Option<(Specificity, BTreeSet<usize>)> = None;
    let mut method_mismatch = false;
    for route in routes {
        let specificity = if route.rule == path || route.endpoint.as_deref() == Some(name) {
            Specificity::Exact
        } else if rule_template(&route.rule) == path {
            Specificity::Template
        } else if rule_matches_path(&route.rule, path) {
            Specificity::Path
        } else {
            continue;
        };
        if !method_fits(route) {
            method_mismatch = true;
            continue;
        }
        match &mut best {
            Some((current, set)) if *current == specificity => {
                set.insert(route.component);
            }
            Some((current, _)) if *current < specificity => {}
            _ => best = Some((specificity, BTreeSet::from([route.component]))),
        }
    }
    let Some((_, components)) = best else {
        return Err(match method {
            Some(method) if method_mismatch => format!("a route matches the path but not the method {method}"),
            _ => "no catalog route matches it".into(),
        });
    };
    let mut found = components.iter().copied();
    match (found.next(), found.next()) {
        (Some(component), None) => Ok(component),
        _ => Err(format!(
            "matches routes of several components: {}",
            components.iter().map(|&c| component_names[c].as_str()).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// `http://host:port/path` → `/path`; anything else unchanged.
fn strip_origin(name: &str) -> &str {
    for scheme in ["http://", "https://"] {
        if let Some(rest) = name.strip_prefix(scheme) {
            return rest.find('/').map_or("/", |slash| &rest[slash..]);
        }
    }
    name
}

/// `/items/<int:id>` → `/items/{id}` (how scenarios write paths).
fn rule_template(rule: &str) -> String {
    let mut out = String::new();
    let mut rest = rule;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>') else { break };
        let inner = &rest[open + 1..open + close];
        let name = inner.rsplit_once(':').map_or(inner, |(_, name)| name).trim();
        out.push_str(&rest[..open]);
        out.push('{');
        out.push_str(name);
        out.push('}');
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// Whether a concrete path is one the Flask rule matches: each `<…>`
/// matches one non-empty segment (digits for `int`, a number for `float`),
/// `<path:…>` the rest.
fn rule_matches_path(rule: &str, path: &str) -> bool {
    let rule_parts: Vec<&str> = rule.split('/').collect();
    let path_parts: Vec<&str> = path.split('/').collect();
    for (i, part) in rule_parts.iter().enumerate() {
        let Some(segment) = path_parts.get(i) else { return false };
        let Some(open) = part.find('<') else {
            if part != segment {
                return false;
            }
            continue;
        };
        let Some(close) = part[open..].find('>').map(|c| open + c) else { return part == segment };
        let (prefix, suffix) = (&part[..open], &part[close + 1..]);
        let converter = part[open + 1..close].split_once(':').map_or("string", |(c, _)| c.trim());
        if converter.starts_with("path") {
            let rest = path_parts[i..].join("/");
            return rest.len() > prefix.len() + suffix.len() && rest.starts_with(prefix) && rest.ends_with(suffix);
        }
        let Some(value) = segment.strip_prefix(prefix).and_then(|s| s.strip_suffix(suffix)) else { return false };
        let fits = match converter.split('(').next().unwrap_or_default() {
            "int" => !value.is_empty() && value.chars().all(|c| c.is_ascii_digit()),
            "float" => value.contains('.') && value.parse::<f64>().is_ok(),
            _ => !value.is_empty(),
        };
        if !fits {
            return false;
        }
    }
    rule_parts.len() == path_parts.len()
}

/// The value at quantile `q` of a merged histogram: the lowest recorded
/// value with at least `ceil(q × count)` values at or below it (HdrHistogram's
/// rule); 0 when empty.
fn quantile(histogram: &BTreeMap<u64, u64>, q: f64) -> u64 {
    let total: u64 = histogram.values().sum();
    let wanted = ((q * total as f64).ceil() as u64).max(1);
    let mut seen = 0;
    for (&value, &count) in histogram {
        seen += count;
        if seen >= wanted {
            return value;
        }
    }
    0
}

fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        round(part as f64 / whole as f64, 10_000.0)
    }
}

fn round(value: f64, scale: f64) -> f64 {
    (value * scale).round() / scale
}

fn percent(fraction: f64) -> String {
    format!("{:.1}%", fraction * 100.0)
}

fn millis(micros: u64) -> String {
    format!("{:.1} ms", micros as f64 / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(rule: &str, methods: &[&str], endpoint: &str, component: usize) -> RouteOfComponent {
        RouteOfComponent {
            rule: rule.into(),
            methods: methods.iter().map(|m| m.to_string()).collect(),
            endpoint: Some(endpoint.into()),
            component,
        }
    }

    fn measured(name: &str, method: &str, requests: u64, errors: u64, latency_us: u64) -> MeasuredRoute {
        MeasuredRoute {
            name: name.into(),
            method: method.into(),
            requests,
            errors,
            latency_us: vec![(latency_us, requests)],
        }
    }

    fn names() -> Vec<String> {
        ["orders", "reports", "core"].iter().map(|s| s.to_string()).collect()
    }

    fn catalog() -> Vec<RouteOfComponent> {
        vec![
            route("/orders/<int:order_id>", &["GET"], "orders.show", 0),
            route("/orders/", &["GET", "POST"], "orders.index", 0),
            route("/reports/<path:name>", &["GET"], "reports.file", 1),
            route("/reports/new", &["GET"], "reports.new", 1),
            route("/health", &["GET"], "health", 2),
            route("/items/<name>", &["GET"], "items_a", 0),
            route("/items/<slug>", &["GET"], "items_b", 1),
            route("/items/new", &["GET"], "items_new", 2),
        ]
    }

    fn counts(routes: &[RouteOfComponent]) -> Vec<usize> {
        (0..names().len()).map(|c| routes.iter().filter(|r| r.component == c).count()).collect()
    }

    fn component_of(name: &str, method: &str) -> Result<String, String> {
        let m = measured(name, method, 1, 0, 1);
        map_to_component(&m, &catalog(), &names()).map(|c| names()[c].clone())
    }

    #[test]
    fn every_way_load_names_a_request_maps_to_its_route() {
        // --from-scan names: the rule, or METHOD rule.
        assert_eq!(component_of("/orders/<int:order_id>", "GET"), Ok("orders".into()));
        assert_eq!(component_of("POST /orders/", "POST"), Ok("orders".into()));
        // A scenario's default name: METHOD and the path template.
        assert_eq!(component_of("GET /orders/{order_id}", "GET"), Ok("orders".into()));
        // Quick mode: a concrete URL, query string and origin dropped.
        assert_eq!(component_of("GET http://localhost:5000/orders/42?x=1", ""), Ok("orders".into()));
        assert_eq!(component_of("GET /reports/2024/q1.pdf", "GET"), Ok("reports".into()));
        // The static rule wins over the converters that also match it.
        assert_eq!(component_of("/items/new", "GET"), Ok("core".into()));
        // An endpoint name.
        assert_eq!(component_of("health", "GET"), Ok("core".into()));
        assert_eq!(component_of("HEAD /health", ""), Ok("core".into()));
    }

    #[test]
    fn names_no_route_explains_say_why() {
        assert_eq!(component_of("/orders/abc", "GET"), Err("no catalog route matches it".into()));
        assert_eq!(component_of("checkout flow", "GET"), Err("no catalog route matches it".into()));
        assert_eq!(
            component_of("DELETE /orders/7", "DELETE"),
            Err("a route matches the path but not the method DELETE".into())
        );
        assert_eq!(
            component_of("/items/x", "GET"),
            Err("matches routes of several components: orders, reports".into())
        );
    }

    #[test]
    fn traffic_per_component_with_merged_percentiles_and_unmapped_names_kept() {
        let run = LoadRun {
            source: "run.json".into(),
            target: "http://localhost".into(),
            duration_s: 10.0,
            routes: vec![
                measured("/orders/<int:order_id>", "GET", 700, 18, 90_000),
                measured("POST /orders/", "POST", 200, 0, 10_000),
                measured("/reports/new", "GET", 50, 0, 5_000),
                measured("/health", "GET", 25, 0, 1_000),
                measured("GET /metrics", "GET", 25, 0, 1_000),
            ],
        };
        let routes = &catalog()[..5];
        let signal = scaling_signal(&names(), &counts(routes), routes, Some(&run));
        let load = signal.load.as_ref().unwrap();
        assert_eq!((load.requests, load.mapped_requests, load.unmapped_requests), (1000, 975, 25));
        let orders = signal.components[0].traffic.as_ref().unwrap();
        assert_eq!(orders.load_names, vec!["/orders/<int:order_id>", "POST /orders/"]);
        assert_eq!((orders.requests, orders.share, orders.rate, orders.error_rate), (900, 0.9, 90.0, 0.02));
        // 700 of 900 responses at 90 ms, 200 at 10 ms: p95 and p99 are 90 ms.
        assert_eq!((orders.p95_us, orders.p99_us), (90_000, 90_000));
        let reports = signal.components[1].traffic.as_ref().unwrap();
        assert_eq!((reports.requests, reports.p99_us), (50, 5_000));
        assert_eq!(signal.unmapped.len(), 1);
        assert_eq!((signal.unmapped[0].name.as_str(), signal.unmapped[0].share), ("GET /metrics", 0.025));
        // orders: 90 % of requests on 40 % of the routes (2.25x); its p99 is
        // 18x the rest's 5 ms; 2 % errors against none elsewhere.
        let factors: Vec<(&str, &str)> =
            signal.uneven.iter().map(|u| (u.component.as_str(), u.factor.as_str())).collect();
        assert_eq!(factors, vec![("orders", "requests"), ("orders", "latency"), ("orders", "errors")]);
        assert!(signal.uneven[1].evidence.contains("p99 90.0 ms vs 5.0 ms"), "{}", signal.uneven[1].evidence);
    }

    #[test]
    fn even_traffic_gives_no_traffic_signal() {
        let run = LoadRun {
            duration_s: 1.0,
            routes: vec![
                measured("/orders/<int:order_id>", "GET", 100, 0, 5_000),
                measured("/reports/new", "GET", 100, 0, 6_000),
            ],
            ..Default::default()
        };
        let routes = vec![catalog()[0].clone(), catalog()[3].clone()];
        let signal = scaling_signal(&names(), &counts(&routes), &routes, Some(&run));
        assert!(signal.uneven.is_empty(), "{:?}", signal.uneven);
        assert!(signal.unmapped.is_empty());
    }

    #[test]
    fn route_counts_alone_flag_a_component_holding_most_routes() {
        let mut routes: Vec<RouteOfComponent> =
            (0..8).map(|i| route(&format!("/orders/{i}"), &["GET"], "o", 0)).collect();
        routes.push(route("/reports/", &["GET"], "r", 1));
        routes.push(route("/", &["GET"], "index", 2));
        let signal = scaling_signal(&names(), &counts(&routes), &routes, None);
        assert!(signal.load.is_none());
        assert_eq!(signal.uneven.len(), 1);
        assert_eq!(
            signal.uneven[0].evidence,
            "orders holds 8 of the 10 routes (80.0%), 2.4x an even split over the 3 components with routes"
        );
    }

    #[test]
    fn quantile_follows_hdr_rule() {
        let h: BTreeMap<u64, u64> = [(10, 94), (20, 5), (30, 1)].into_iter().collect();
        assert_eq!(quantile(&h, 0.95), 20);
        assert_eq!(quantile(&h, 0.99), 20);
        assert_eq!(quantile(&h, 0.999), 30);
        assert_eq!(quantile(&BTreeMap::new(), 0.99), 0);
    }
}
