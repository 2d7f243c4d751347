//! The architecture: the component graph, cycles, hotspots, coupling across
//! component boundaries and the extraction plan (`retort arch`).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde_json::Value;

use crate::charts::{self, number, Bar};
use crate::escape::{anchor, Esc};
use crate::graph::{self, Edge, Node};
use crate::html::{self, Col};
use crate::json::{count, flag, list, num, strings, text};

/// Rows shown in long lists.
const TOP: usize = 15;

pub fn render(out: &mut String, arch: &Result<Value, String>, history_unavailable: Option<&str>) {
    html::section_start(out, "architecture", "Architecture");
    let arch = match arch {
        Ok(arch) => arch,
        Err(reason) => {
            html::not_available(out, reason);
            html::section_end(out);
            return;
        }
    };
    let summary = arch.get("summary").unwrap_or(&Value::Null);
    let _ = write!(
        out,
        "<p>{} and {} between them; {} grouped into {} (from {}); {}; {}.</p>",
        html::plural(count(summary, "modules"), "module", "modules"),
        html::plural(count(summary, "imports"), "import", "imports"),
        if count(summary, "modules") == 1 { "it is" } else { "they are" },
        html::plural(count(summary, "components"), "component", "components"),
        Esc(text(summary, "components_from")),
        html::plural(count(summary, "cycles"), "import cycle", "import cycles"),
        if count(summary, "contracts") == 0 {
            "no import-linter contracts".to_string()
        } else {
            format!("{} of {} contracts broken", count(summary, "broken_contracts"), count(summary, "contracts"))
        },
    );
    let history = summary.get("history").filter(|h| !h.is_null());
    match history {
        Some(h) => {
            let _ = write!(out, "<p class=\"muted\">History: {}.</p>", Esc(text(h, "note")));
        }
        None => {
            let reason = history_unavailable.unwrap_or("no git history read");
            let _ = write!(
                out,
                "<p class=\"na\">Not available: hotspots, co-change and the when-to-move signals ({}).</p>",
                Esc(reason)
            );
        }
    }

    components(out, arch);
    contracts(out, arch);
    cycles(out, arch);
    if history.is_some() {
        hotspots(out, arch);
    }
    coupling(out, arch, history.is_some());
    plan(out, arch);
    html::section_end(out);
}

fn components(out: &mut String, arch: &Value) {
    let in_cycle: Vec<BTreeSet<&str>> =
        list(arch, "component_cycles").iter().map(|c| strings(c, "components").into_iter().collect()).collect();
    let nodes: Vec<Node> = list(arch, "components")
        .iter()
        .map(|c| Node {
            name: text(c, "name").to_string(),
            detail: format!(
                "{} · {} lines · {}",
                html::plural(count(c, "modules"), "module", "modules"),
                compact(count(c, "lines")),
                html::plural(count(c, "routes"), "route", "routes")
            ),
            core: text(c, "origin") == "core",
        })
        .collect();
    let edges: Vec<Edge> = list(arch, "dependencies")
        .iter()
        .map(|d| {
            let (from, to) = (text(d, "from"), text(d, "to"));
            Edge {
                from: from.to_string(),
                to: to.to_string(),
                imports: count(d, "imports"),
                in_cycle: in_cycle.iter().any(|c| c.contains(from) && c.contains(to)),
            }
        })
        .collect();
    out.push_str("<h3>Components</h3>");
    let _ = write!(
        out,
        "<figure>{}<figcaption>Component graph: an arrow points from the importing component to the imported one (thicker: more imports); dashed red arrows lie on a component cycle. Hover for details.</figcaption></figure>",
        graph::component_graph(&nodes, &edges)
    );
    let rows = list(arch, "components");
    html::table_start(
        out,
        "component-table",
        true,
        &[
            ("Component", Col::Text),
            ("Origin", Col::Text),
            ("Modules", Col::Num),
            ("Lines", Col::Num),
            ("Routes", Col::Num),
            ("Imported by", Col::Num),
            ("Imports", Col::Num),
            ("Instability", Col::Num),
            ("Revisions", Col::Num),
        ],
    );
    for c in rows {
        let _ = write!(out, "<tr id=\"{}\">", anchor("component", text(c, "name")));
        html::td_code(out, text(c, "name"));
        html::td(out, text(c, "origin"));
        for key in ["modules", "lines", "routes"] {
            let n = count(c, key);
            html::td_num(out, n as f64, &n.to_string());
        }
        for key in ["fan_in", "fan_out"] {
            let names = strings(c, key);
            let _ = write!(
                out,
                "<td class=\"num\" data-sort=\"{}\" title=\"{}\">{}</td>",
                names.len(),
                Esc(&names.join(", ")),
                names.len()
            );
        }
        match num(c, "instability") {
            Some(v) => html::td_num(out, v, &format!("{v:.2}")),
            None => html::td_num(out, f64::NAN, "isolated"),
        }
        match c.get("revisions").and_then(Value::as_u64) {
            Some(v) => html::td_num(out, v as f64, &v.to_string()),
            None => html::td_num(out, f64::NAN, "—"),
        }
        out.push_str("</tr>");
    }
    html::table_end(out);
}

/// `950`, `12.3k`, `1.2M`: short enough for a graph node.
fn compact(n: u64) -> String {
    match n {
        0..=9_999 => n.to_string(),
        10_000..=999_999 => format!("{:.1}k", n as f64 / 1000.0),
        _ => format!("{:.1}M", n as f64 / 1_000_000.0),
    }
}

/// Imports listed per cycle; the rest are counted.
const BREAKERS_SHOWN: usize = 5;

/// import-linter contracts and their verdicts (only when some are declared).
fn contracts(out: &mut String, arch: &Value) {
    let contracts = list(arch, "contracts");
    if contracts.is_empty() {
        return;
    }
    out.push_str("<h3>Contracts</h3>");
    html::table_start(
        out,
        "contract-table",
        true,
        &[("Contract", Col::Text), ("Kind", Col::Text), ("Verdict", Col::Text), ("First violation", Col::Text)],
    );
    for c in contracts {
        out.push_str("<tr>");
        html::td(out, text(c, "name"));
        html::td(out, text(c, "kind"));
        let verdict = text(c, "verdict");
        let class = if verdict == "kept" { "pass" } else { "fail" };
        let violations = list(c, "violations");
        let _ = write!(
            out,
            "<td class=\"{class}\">{}{}</td>",
            Esc(verdict),
            if violations.is_empty() { String::new() } else { format!(" ({})", violations.len()) }
        );
        let first = violations
            .first()
            .map(|v| text(v, "summary").to_string())
            .or_else(|| strings(c, "messages").first().map(|m| m.to_string()))
            .unwrap_or_default();
        html::td(out, &first);
        out.push_str("</tr>");
    }
    html::table_end(out);
}

fn import_line(import: &Value) -> String {
    format!("{} → {} ({}:{})", text(import, "from"), text(import, "to"), text(import, "file"), count(import, "line"))
}

fn cycles(out: &mut String, arch: &Value) {
    out.push_str("<h3>Cycles</h3>");
    let component_cycles = list(arch, "component_cycles");
    let cycles = list(arch, "cycles");
    if component_cycles.is_empty() && cycles.is_empty() {
        out.push_str("<p>No import cycle between modules or components.</p>");
        return;
    }
    if !component_cycles.is_empty() {
        out.push_str("<p>Between components (cut the listed imports first):</p><ul>");
        for c in component_cycles {
            let _ = write!(out, "<li><code>{}</code>", Esc(&strings(c, "components").join(" ⇄ ")));
            let breakers = list(c, "breakers");
            if !breakers.is_empty() {
                out.push_str("<ul>");
                for b in breakers {
                    let _ = write!(
                        out,
                        "<li>cut {} → {} ({})</li>",
                        Esc(text(b, "from")),
                        Esc(text(b, "to")),
                        html::plural(list(b, "imports").len() as u64, "import", "imports")
                    );
                }
                out.push_str("</ul>");
            }
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    if !cycles.is_empty() {
        let _ = write!(out, "<p>Between modules ({}):</p><ul>", cycles.len());
        for c in cycles.iter().take(TOP) {
            let chain: Vec<String> = list(c, "chain").iter().map(import_line).collect();
            let all_breakers = list(c, "breakers");
            let mut breakers: Vec<String> = all_breakers.iter().take(BREAKERS_SHOWN).map(import_line).collect();
            if all_breakers.len() > BREAKERS_SHOWN {
                breakers.push(format!("{} more", all_breakers.len() - BREAKERS_SHOWN));
            }
            let _ = write!(
                out,
                "<li><code>{}</code><br><span class=\"muted\">{} in the cycle; cut first: {}</span></li>",
                Esc(&chain.join("; ")),
                html::plural(list(c, "modules").len() as u64, "module", "modules"),
                Esc(&breakers.join("; "))
            );
        }
        out.push_str("</ul>");
        if cycles.len() > TOP {
            let _ = write!(out, "<p class=\"muted\">{} more in <code>retort arch</code>.</p>", cycles.len() - TOP);
        }
    }
}

fn hotspots(out: &mut String, arch: &Value) {
    out.push_str("<h3>Hotspots</h3>");
    let hotspots = list(arch, "hotspots");
    if hotspots.is_empty() {
        out.push_str("<p>No file changed in the history window.</p>");
        return;
    }
    out.push_str("<p>Files that change often and are large (revisions × lines, as code-maat): where effort and risk concentrate.</p>");
    let bars: Vec<Bar> = hotspots
        .iter()
        .take(TOP)
        .map(|h| Bar {
            label: text(h, "file").to_string(),
            value: count(h, "score") as f64,
            class: "",
            note: Some(format!(
                "{} × {} lines",
                html::plural(count(h, "revisions"), "revision", "revisions"),
                count(h, "lines")
            )),
        })
        .collect();
    let _ = write!(
        out,
        "<figure>{}<figcaption>The {} largest hotspots.</figcaption></figure>",
        charts::bar_chart("hotspot-chart", "Hotspots", &bars),
        bars.len()
    );
    html::table_start(
        out,
        "hotspot-table",
        true,
        &[
            ("File", Col::Text),
            ("Component", Col::Text),
            ("Revisions", Col::Num),
            ("Lines", Col::Num),
            ("Score", Col::Num),
            ("Complexity", Col::Num),
        ],
    );
    for h in hotspots.iter().take(50) {
        out.push_str("<tr>");
        html::td_code(out, text(h, "file"));
        html::td(out, text(h, "component"));
        for key in ["revisions", "lines", "score", "complexity"] {
            let n = count(h, key);
            html::td_num(out, n as f64, &n.to_string());
        }
        out.push_str("</tr>");
    }
    html::table_end(out);
}

fn coupling(out: &mut String, arch: &Value, with_history: bool) {
    out.push_str("<h3>Cross-boundary coupling</h3>");
    let coupling = arch.get("coupling").unwrap_or(&Value::Null);
    let pairs = list(coupling, "components");
    if with_history {
        if pairs.is_empty() {
            out.push_str("<p>No two components changed together often enough to report.</p>");
        } else {
            out.push_str("<p>Components that change in the same commits (logical coupling); <em>hidden</em>: no import between them explains it.</p>");
            html::table_start(
                out,
                "coupling-table",
                true,
                &[
                    ("Component", Col::Text),
                    ("Component", Col::Text),
                    ("Shared commits", Col::Num),
                    ("Degree", Col::Num),
                    ("Hidden", Col::Text),
                ],
            );
            for p in pairs.iter().take(50) {
                out.push_str("<tr>");
                html::td_code(out, text(p, "a"));
                html::td_code(out, text(p, "b"));
                let shared = count(p, "shared_revisions");
                html::td_num(out, shared as f64, &shared.to_string());
                let degree = num(p, "degree").unwrap_or(f64::NAN);
                html::td_num(out, degree, &format!("{:.0}%", degree * 100.0));
                html::td(out, if flag(p, "hidden") { "hidden" } else { "" });
                out.push_str("</tr>");
            }
            html::table_end(out);
        }
    }
    let keys = list(arch, "cross_component_foreign_keys");
    if !keys.is_empty() {
        let _ = write!(
            out,
            "<p>{} across components:</p><ul>",
            html::plural(keys.len() as u64, "foreign key", "foreign keys")
        );
        for k in keys.iter().take(TOP) {
            let _ = write!(
                out,
                "<li><code>{}.{}</code> → <code>{}</code>: {} → {} <span class=\"muted\">({}:{})</span></li>",
                Esc(text(k, "model")),
                Esc(text(k, "column")),
                Esc(text(k, "references")),
                Esc(text(k, "from_component")),
                Esc(text(k, "to_component")),
                Esc(text(k, "file")),
                count(k, "line"),
            );
        }
        out.push_str("</ul>");
    }
    let shared: Vec<&Value> = list(arch, "shared_models").iter().filter(|m| !list(m, "used_by").is_empty()).collect();
    if !shared.is_empty() {
        let _ = write!(
            out,
            "<p>{} used outside their component:</p><ul>",
            html::plural(shared.len() as u64, "model", "models")
        );
        for m in shared.iter().take(TOP) {
            let _ = write!(
                out,
                "<li><code>{}</code> of {} used by {}</li>",
                Esc(text(m, "model")),
                Esc(text(m, "owner")),
                Esc(&strings(m, "used_by").join(", "))
            );
        }
        out.push_str("</ul>");
    }
    if !with_history && keys.is_empty() && shared.is_empty() {
        out.push_str("<p>No model or foreign key shared across components.</p>");
    }
}

fn plan(out: &mut String, arch: &Value) {
    out.push_str("<h3>Extraction plan</h3>");
    let plan = arch.get("plan").unwrap_or(&Value::Null);
    for note in strings(plan, "notes") {
        let _ = write!(out, "<p class=\"muted\">{}</p>", Esc(note));
    }
    let candidates = list(plan, "candidates");
    if candidates.is_empty() {
        out.push_str("<p>No candidate component.</p>");
        return;
    }
    out.push_str(
        "<p>Components by readiness to become a service of their own, best first (100: nothing to untangle).</p>",
    );
    let bars: Vec<Bar> = candidates
        .iter()
        .map(|c| Bar {
            label: text(c, "component").to_string(),
            value: count(c, "readiness") as f64,
            class: "ok",
            note: None,
        })
        .collect();
    let _ = write!(
        out,
        "<figure>{}<figcaption>Extraction readiness per component.</figcaption></figure>",
        charts::bar_chart("plan-chart", "Extraction readiness", &bars)
    );
    html::table_start(
        out,
        "plan-table",
        false,
        &[
            ("#", Col::Num),
            ("Component", Col::Text),
            ("Readiness", Col::Num),
            ("Largest deductions", Col::Text),
            ("Imports to cut (in / out)", Col::Text),
            ("API routes", Col::Num),
        ],
    );
    for (i, c) in candidates.iter().enumerate() {
        out.push_str("<tr>");
        html::td_num(out, (i + 1) as f64, &(i + 1).to_string());
        html::td_code(out, text(c, "component"));
        let readiness = count(c, "readiness");
        html::td_num(out, readiness as f64, &readiness.to_string());
        let mut evidence: Vec<&Value> =
            list(c, "evidence").iter().filter(|e| num(e, "penalty").unwrap_or(0.0) > 0.0).collect();
        evidence.sort_by(|a, b| num(b, "penalty").unwrap_or(0.0).total_cmp(&num(a, "penalty").unwrap_or(0.0)));
        let reasons: Vec<String> = evidence
            .iter()
            .take(3)
            .map(|e| format!("−{} {}", number(num(e, "penalty").unwrap_or(0.0)), text(e, "detail")))
            .collect();
        html::td(out, &reasons.join("; "));
        html::td(out, &format!("{} / {}", list(c, "inbound_cuts").len(), list(c, "outbound_cuts").len()));
        let api = list(c, "api").len();
        html::td_num(out, api as f64, &api.to_string());
        out.push_str("</tr>");
    }
    html::table_end(out);
    let quarters = list(plan, "quarters");
    if !quarters.is_empty() {
        let points: Vec<(f64, f64)> = quarters
            .iter()
            .map(|q| (-(count(q, "quarters_ago") as f64), num(q, "share").unwrap_or(0.0) * 100.0))
            .collect();
        let _ = write!(
            out,
            "<figure>{}<figcaption>When to move: share of commits touching two or more blueprint components, per quarter (0 = the latest).</figcaption></figure>",
            charts::line_chart(
                "quarters-chart",
                "Multi-component commits per quarter",
                "quarter (0 = latest)",
                "% of commits",
                &[charts::Series { name: "multi-component %".into(), points }]
            )
        );
    }
}
