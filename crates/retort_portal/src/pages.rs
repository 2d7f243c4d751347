//! The portal's pages. Each is a pure function from store data to HTML.

use std::collections::BTreeSet;

use crate::html::{format_time, Html};
use crate::model::{ComponentRisk, HistoryPoint, RouteHit, RuleCount, ServiceDetail, ServiceSummary};
use crate::svg::{line_chart, Series, YAxis};

/// Scorecard categories in the order `check` reports them.
const CATEGORIES: [&str; 5] = ["security", "reliability", "performance", "observability", "delivery"];

/// Newest runs listed on a service page.
const RUNS_SHOWN: usize = 50;

/// The stylesheet served at `/static/portal.css` (CSP: `style-src 'self'`).
pub const STYLESHEET: &str = include_str!("portal.css");

/// The icon served at `/favicon.svg`.
pub const FAVICON: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\"><circle cx=\"8\" cy=\"9\" r=\"6\" fill=\"#b5651d\"/><rect x=\"10\" y=\"1\" width=\"3\" height=\"7\" fill=\"#b5651d\"/></svg>";

fn layout(title: &str, body: Html) -> String {
    let mut page = Html::new();
    page.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .raw("<link rel=\"stylesheet\" href=\"/static/portal.css\"><link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">")
        .raw("<title>")
        .text(title)
        .raw(" — Retort portal</title></head><body><header><a class=\"brand\" href=\"/\">Retort portal</a>")
        .raw("<nav><a href=\"/\">Services</a> <a href=\"/org\">Organisation</a> <a href=\"/api/openapi.json\">API</a></nav>")
        .raw("<form class=\"search\" method=\"get\" action=\"/search\"><input type=\"search\" name=\"q\" placeholder=\"Who serves /api/v1/users?\" aria-label=\"Search routes\">")
        .raw("<button type=\"submit\">Search</button></form></header><main>")
        .append(body)
        .raw("</main></body></html>\n");
    page.into_string()
}

fn level_badge(html: &mut Html, level: &str, trend: Option<&str>) {
    let class = match level {
        "gold" => "gold",
        "silver" => "silver",
        "bronze" => "bronze",
        "none" => "none",
        _ => "na",
    };
    html.raw("<span class=\"level ").text(class).raw("\">").text(level).raw("</span>");
    if let Some(trend) = trend {
        let (class, arrow, label) = match trend {
            "up" => ("up", "▲", "up since the previous check"),
            "down" => ("down", "▼", "down since the previous check"),
            "same" => ("same", "=", "unchanged since the previous check"),
            _ => ("new", "•", "first check"),
        };
        html.raw(" <span class=\"trend ")
            .text(class)
            .raw("\" title=\"")
            .text(label)
            .raw("\">")
            .text(arrow)
            .raw("</span>");
    }
}

/// All categories present in these summaries, the standard ones first.
fn categories(services: &[ServiceSummary]) -> Vec<String> {
    let mut all: Vec<String> = CATEGORIES.iter().map(|c| c.to_string()).collect();
    let extra: BTreeSet<String> = services
        .iter()
        .flat_map(|s| s.levels.iter().map(|l| l.category.clone()))
        .filter(|c| !CATEGORIES.contains(&c.as_str()))
        .collect();
    all.extend(extra);
    all
}

pub fn index(services: &[ServiceSummary]) -> String {
    let mut body = Html::new();
    body.raw("<h1>Services</h1>");
    if services.is_empty() {
        body.raw(
            "<p class=\"empty\">No service has pushed results yet: <code>retort push URL --token T PATH</code>.</p>",
        );
        return layout("Services", body);
    }
    let categories = categories(services);
    body.raw("<table class=\"services\"><thead><tr><th>Service</th><th>Owner</th><th>System</th><th>Last commit</th><th>Last run</th>");
    for category in &categories {
        body.raw("<th>").text(category).raw("</th>");
    }
    body.raw("</tr></thead><tbody>");
    for service in services {
        body.raw("<tr><td>").link("/services/", &service.name, &service.name).raw("</td><td>");
        body.text(service.owner.as_deref().unwrap_or(""))
            .raw("</td><td>")
            .text(service.system.as_deref().unwrap_or(""));
        body.raw("</td><td><code>")
            .text(&short_commit(service.last_commit.as_deref().unwrap_or("")))
            .raw("</code></td><td>");
        body.text(&service.last_time.map(format_time).unwrap_or_default()).raw("</td>");
        for category in &categories {
            body.raw("<td>");
            match service.levels.iter().find(|l| &l.category == category) {
                Some(level) => level_badge(&mut body, &level.level, Some(&level.trend)),
                None => {
                    body.raw("<span class=\"muted\">—</span>");
                }
            }
            body.raw("</td>");
        }
        body.raw("</tr>");
    }
    body.raw("</tbody></table>");
    layout("Services", body)
}

fn short_commit(commit: &str) -> String {
    if commit.len() == 40 && commit.chars().all(|c| c.is_ascii_hexdigit()) {
        commit[..10].to_string()
    } else {
        commit.to_string()
    }
}

fn x_labels(points: &[HistoryPoint]) -> Vec<String> {
    points.iter().map(|p| format!("{} {}", short_commit(&p.commit), format_time(p.time))).collect()
}

fn series(points: &[HistoryPoint], keys: &[(&str, &str)]) -> Vec<Series> {
    keys.iter()
        .filter(|(key, _)| points.iter().any(|p| p.values.contains_key(*key)))
        .map(|(key, label)| Series {
            label: label.to_string(),
            points: points.iter().map(|p| p.values.get(*key).copied()).collect(),
        })
        .collect()
}

fn chart_section(body: &mut Html, heading: &'static str, chart: Option<Html>, missing: &'static str) {
    body.raw("<section><h2>").raw(heading).raw("</h2>");
    match chart {
        Some(chart) => body.raw("<figure>").append(chart).raw("</figure>"),
        None => body.raw("<p class=\"empty\">").raw(missing).raw("</p>"),
    };
    body.raw("</section>");
}

pub fn service(detail: &ServiceDetail) -> String {
    let summary = &detail.summary;
    let mut body = Html::new();
    body.raw("<h1>").text(&summary.name).raw("</h1><div class=\"row\"><section><dl class=\"facts\">");
    for (label, value) in [
        ("Owner", summary.owner.clone()),
        ("System", summary.system.clone()),
        ("Repository", summary.repository.clone()),
        ("Last commit", summary.last_commit.clone()),
        ("Last run", summary.last_time.map(format_time)),
    ] {
        body.raw("<dt>").text(label).raw("</dt><dd>").text(value.as_deref().unwrap_or("—")).raw("</dd>");
    }
    body.raw("</dl><p class=\"links\">");
    body.link("/api/services/", &summary.name, "JSON").raw(" · <a href=\"/api/services/");
    body.text(&crate::html::url_component(&summary.name))
        .raw("/catalog-info.yaml\">catalog-info.yaml (Backstage)</a></p></section>");

    body.raw("<section><h2>Scorecard</h2>");
    if summary.levels.is_empty() {
        body.raw("<p class=\"empty\">No check pushed yet.</p>");
    } else {
        body.raw("<table class=\"levels\"><tbody>");
        for level in &summary.levels {
            body.raw("<tr><th>").text(&level.category).raw("</th><td>");
            level_badge(&mut body, &level.level, Some(&level.trend));
            body.raw("</td></tr>");
        }
        body.raw("</tbody></table>");
    }
    body.raw("</section></div>");

    let scorecard_chart = (!detail.scorecards.is_empty()).then(|| {
        let mut keys: Vec<String> = CATEGORIES.iter().map(|c| c.to_string()).collect();
        for point in &detail.scorecards {
            for key in point.values.keys() {
                if !keys.contains(key) {
                    keys.push(key.clone());
                }
            }
        }
        let lines: Vec<Series> = keys
            .iter()
            .filter(|k| detail.scorecards.iter().any(|p| p.values.contains_key(*k)))
            .map(|k| Series {
                label: k.clone(),
                points: detail.scorecards.iter().map(|p| p.values.get(k).copied().filter(|r| *r >= 0.0)).collect(),
            })
            .collect();
        line_chart("Scorecard levels over time", &x_labels(&detail.scorecards), &lines, YAxis::Levels)
    });
    body.raw("<div class=\"row\">");
    chart_section(&mut body, "Scorecards over time", scorecard_chart, "No check pushed yet.");
    let findings_chart = (!detail.check_history.is_empty()).then(|| {
        line_chart(
            "Findings over time",
            &x_labels(&detail.check_history),
            &series(
                &detail.check_history,
                &[("errors", "errors"), ("warnings", "warnings"), ("findings", "all findings")],
            ),
            YAxis::Values { unit: "" },
        )
    });
    chart_section(&mut body, "Findings over time", findings_chart, "No check pushed yet.");
    body.raw("</div>");

    body.raw("<section><h2>Findings</h2>");
    if detail.findings.is_empty() {
        body.raw("<p class=\"empty\">No findings in the newest check.</p>");
    } else {
        body.raw("<table class=\"findings\"><thead><tr><th>Severity</th><th>Code</th><th>Message</th><th>Location</th></tr></thead><tbody>");
        for finding in &detail.findings {
            body.raw("<tr><td><span class=\"sev ")
                .text(&finding.severity)
                .raw("\">")
                .text(&finding.severity)
                .raw("</span></td><td><code>");
            body.text(&finding.code).raw("</code></td><td>").text(&finding.message).raw("</td><td><code>");
            body.text(&finding.file).raw(":").num(finding.line).raw("</code></td></tr>");
        }
        body.raw("</tbody></table>");
    }
    body.raw("</section>");

    body.raw("<section><h2>Routes</h2>");
    if detail.routes.is_empty() {
        body.raw("<p class=\"empty\">No scan pushed yet.</p>");
    } else {
        routes_table(&mut body, detail.routes.iter().map(|r| (None, r)));
    }
    body.raw("</section>");

    body.raw("<section><h2>Ownership</h2>");
    if let Some(tf) = detail.team_metrics.get("truck_factor") {
        body.raw("<p>Truck factor of the repository: <strong>").num(tf).raw("</strong></p>");
    }
    if detail.components.is_empty() {
        body.raw("<p class=\"empty\">No team result pushed yet.</p>");
    } else {
        body.raw("<table class=\"components\"><thead><tr><th>Component</th><th>Truck factor</th><th>Main authors</th></tr></thead><tbody>");
        for component in &detail.components {
            body.raw("<tr><td>").text(&component.name).raw("</td><td>");
            if component.truck_factor <= 1 {
                body.raw("<span class=\"risk\">").num(component.truck_factor).raw("</span>");
            } else {
                body.num(component.truck_factor);
            }
            body.raw("</td><td>").text(&component.authors).raw("</td></tr>");
        }
        body.raw("</tbody></table>");
    }
    body.raw("</section>");

    body.raw("<section><h2>Architecture</h2>");
    if detail.arch_metrics.is_empty() {
        body.raw("<p class=\"empty\">No arch result pushed yet.</p>");
    } else {
        body.raw("<p>");
        for (key, value) in &detail.arch_metrics {
            body.text(key).raw(": <strong>").num(value).raw("</strong> ");
        }
        body.raw("</p>");
        if !detail.extraction_plan.is_empty() {
            body.raw("<p>Extraction order (best candidate first):</p><ol class=\"plan\">");
            for component in &detail.extraction_plan {
                body.raw("<li>").text(component).raw("</li>");
            }
            body.raw("</ol>");
        }
    }
    body.raw("</section>");

    let load_chart = (!detail.load_history.is_empty()).then(|| {
        line_chart(
            "Load test latency over time",
            &x_labels(&detail.load_history),
            &series(&detail.load_history, &[("p50_ms", "p50"), ("p99_ms", "p99")]),
            YAxis::Values { unit: " ms" },
        )
    });
    body.raw("<div class=\"row\">");
    chart_section(&mut body, "Load", load_chart, "No load result pushed yet.");
    let slo_chart = (!detail.slo_history.is_empty()).then(|| {
        let keys: BTreeSet<String> = detail
            .slo_history
            .iter()
            .flat_map(|p| p.values.keys().filter(|k| k.starts_with("budget_remaining:")).cloned())
            .collect();
        let lines: Vec<Series> = keys
            .iter()
            .map(|k| Series {
                label: k.trim_start_matches("budget_remaining:").to_string(),
                points: detail.slo_history.iter().map(|p| p.values.get(k).copied()).collect(),
            })
            .collect();
        line_chart(
            "Error budget remaining over time",
            &x_labels(&detail.slo_history),
            &lines,
            YAxis::Values { unit: "" },
        )
    });
    chart_section(&mut body, "SLO history", slo_chart, "No SLO report pushed yet.");
    body.raw("</div>");

    body.raw("<section><h2>Runs</h2><table class=\"runs\"><thead><tr><th>When</th><th>Commit</th><th>Tools</th></tr></thead><tbody>");
    for run in detail.runs.iter().take(RUNS_SHOWN) {
        body.raw("<tr><td>").text(&format_time(run.time)).raw("</td><td><code>").text(&run.commit);
        body.raw("</code></td><td>").text(&run.tools.join(", ")).raw("</td></tr>");
    }
    body.raw("</tbody></table>");
    if detail.runs.len() > RUNS_SHOWN {
        body.raw("<p class=\"muted\">").num(detail.runs.len() - RUNS_SHOWN).raw(" older runs are in the JSON.</p>");
    }
    body.raw("</section>");
    layout(&summary.name, body)
}

fn routes_table<'a>(body: &mut Html, routes: impl Iterator<Item = (Option<&'a str>, &'a crate::model::RouteRow)>) {
    let mut rows = routes.peekable();
    let with_service = rows.peek().map(|(s, _)| s.is_some()).unwrap_or(false);
    body.raw("<table class=\"routes\"><thead><tr>");
    if with_service {
        body.raw("<th>Service</th>");
    }
    body.raw("<th>Rule</th><th>Methods</th><th>Endpoint</th><th>Guards</th><th>Docstring</th><th>Location</th></tr></thead><tbody>");
    for (service, route) in rows {
        body.raw("<tr>");
        if let Some(service) = service {
            body.raw("<td>").link("/services/", service, service).raw("</td>");
        }
        body.raw("<td><code>").text(&route.rule).raw("</code></td><td>").text(&route.methods).raw("</td><td>");
        body.text(&route.endpoint).raw("</td><td>").text(&route.guards).raw("</td><td class=\"doc\">");
        body.text(route.doc.lines().next().unwrap_or("")).raw("</td><td><code>").text(&route.file).raw(":");
        body.num(route.line).raw("</code></td></tr>");
    }
    body.raw("</tbody></table>");
}

pub fn search(query: &str, hits: &[RouteHit]) -> String {
    let mut body = Html::new();
    body.raw("<h1>Search routes</h1><form class=\"search-page\" method=\"get\" action=\"/search\">");
    body.raw("<input type=\"search\" name=\"q\" value=\"")
        .text(query)
        .raw("\" aria-label=\"Route or URL\"><button type=\"submit\">Search</button></form>");
    if !query.trim().is_empty() {
        body.raw("<p class=\"count\">").num(hits.len()).raw(" routes for <code>").text(query).raw("</code></p>");
        if !hits.is_empty() {
            routes_table(&mut body, hits.iter().map(|h| (Some(h.service.as_str()), &h.route)));
        }
    }
    layout("Search", body)
}

pub struct OrgView<'a> {
    pub category: &'a str,
    pub level: &'a str,
    pub below: Vec<&'a ServiceSummary>,
    pub risks: &'a [ComponentRisk],
    pub rules: &'a [RuleCount],
}

pub fn organisation(view: &OrgView) -> String {
    let mut body = Html::new();
    body.raw("<h1>Organisation</h1><section><h2>Services below ")
        .text(view.level)
        .raw(" in ")
        .text(view.category)
        .raw("</h2>");
    body.raw("<form method=\"get\" action=\"/org\"><label>Category <select name=\"category\">");
    for category in CATEGORIES {
        body.raw("<option");
        if category == view.category {
            body.raw(" selected");
        }
        body.raw(">").text(category).raw("</option>");
    }
    body.raw("</select></label> <label>Level <select name=\"level\">");
    for level in ["bronze", "silver", "gold"] {
        body.raw("<option");
        if level == view.level {
            body.raw(" selected");
        }
        body.raw(">").text(level).raw("</option>");
    }
    body.raw("</select></label> <button type=\"submit\">Show</button></form>");
    if view.below.is_empty() {
        body.raw("<p class=\"empty\">None.</p>");
    } else {
        body.raw("<table class=\"below\"><thead><tr><th>Service</th><th>Owner</th><th>Level</th></tr></thead><tbody>");
        for service in &view.below {
            body.raw("<tr><td>").link("/services/", &service.name, &service.name).raw("</td><td>");
            body.text(service.owner.as_deref().unwrap_or("")).raw("</td><td>");
            let level = service.levels.iter().find(|l| l.category == view.category).map(|l| l.level.as_str());
            level_badge(&mut body, level.unwrap_or("not checked"), None);
            body.raw("</td></tr>");
        }
        body.raw("</tbody></table>");
    }
    body.raw("</section><section><h2>Components with bus factor 1</h2>");
    if view.risks.is_empty() {
        body.raw("<p class=\"empty\">None (or no team results pushed).</p>");
    } else {
        body.raw("<table class=\"risks\"><thead><tr><th>Service</th><th>Component</th><th>Truck factor</th><th>Main authors</th></tr></thead><tbody>");
        for risk in view.risks {
            body.raw("<tr><td>")
                .link("/services/", &risk.service, &risk.service)
                .raw("</td><td>")
                .text(&risk.component.name);
            body.raw("</td><td>")
                .num(risk.component.truck_factor)
                .raw("</td><td>")
                .text(&risk.component.authors)
                .raw("</td></tr>");
        }
        body.raw("</tbody></table>");
    }
    body.raw("</section><section><h2>Rules failing most often</h2>");
    if view.rules.is_empty() {
        body.raw("<p class=\"empty\">None.</p>");
    } else {
        body.raw("<table class=\"rules\"><thead><tr><th>Rule</th><th>Name</th><th>Services</th><th>Findings</th></tr></thead><tbody>");
        for rule in view.rules {
            body.raw("<tr><td><code>").text(&rule.code).raw("</code></td><td>").text(&rule.rule).raw("</td><td>");
            body.num(rule.services).raw("</td><td>").num(rule.findings).raw("</td></tr>");
        }
        body.raw("</tbody></table>");
    }
    body.raw("</section>");
    layout("Organisation", body)
}

pub fn not_found(what: &str) -> String {
    let mut body = Html::new();
    body.raw("<h1>Not found</h1><p>").text(what).raw("</p>");
    layout("Not found", body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{RunSummary, ServiceDetail};

    fn detail(runs: usize) -> ServiceDetail {
        ServiceDetail {
            summary: ServiceSummary {
                name: "shop".into(),
                owner: None,
                system: None,
                repository: None,
                last_commit: None,
                last_time: None,
                levels: vec![],
            },
            scorecards: vec![],
            check_history: vec![],
            load_history: vec![],
            slo_history: vec![],
            routes: vec![],
            findings: vec![],
            components: vec![],
            team_metrics: Default::default(),
            arch_metrics: Default::default(),
            extraction_plan: vec![],
            runs: (0..runs)
                .map(|i| RunSummary {
                    id: i as i64,
                    commit: format!("commit-{i}"),
                    time: 0,
                    tools: vec!["scan".into()],
                })
                .collect(),
        }
    }

    #[test]
    fn service_page_lists_the_newest_runs_only() {
        let page = service(&detail(60));
        assert!(page.contains("commit-49") && !page.contains("commit-50"));
        assert!(page.contains("10 older runs are in the JSON."));
        let page = service(&detail(3));
        assert!(page.contains("commit-2") && !page.contains("older runs"));
        assert!(page.contains("No check pushed yet.") && !page.contains("<svg"), "no chart without data");
    }
}
