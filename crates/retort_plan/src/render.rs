//! Printing the report: a terminal summary, the component graph as DOT
//! and Mermaid, and an architecture decision record draft in Markdown.

use std::fmt::Write;

use crate::report::{ArchReport, Component, Import, Plan};

fn link(import: &Import) -> String {
    let mut flags = String::new();
    if import.in_function {
        flags.push_str(" [in function]");
    }
    if import.type_checking {
        flags.push_str(" [TYPE_CHECKING]");
    }
    format!("{} -> {} ({}:{}){flags}", import.from, import.to, import.file, import.line)
}

/// `revisions` and churn (`+added/-removed`) of a component, `-` without history.
fn evolution_cells(c: &Component) -> (String, String) {
    (
        c.revisions.map_or("-".to_string(), |r| r.to_string()),
        c.churn.as_ref().map_or("-".to_string(), |churn| format!("+{}/-{}", churn.added, churn.removed)),
    )
}

fn milliseconds(micros: u64) -> String {
    format!("{:.1}", micros as f64 / 1000.0)
}

fn percent(fraction: f64) -> String {
    format!("{:.1}%", fraction * 100.0)
}

/// The "when to move" signals as lines (terminal and Markdown share them):
/// release coordination per quarter, then the scaling signal.
fn when_to_move_lines(plan: &Plan) -> Vec<String> {
    let mut lines = Vec::new();
    if !plan.quarters.is_empty() {
        let quarters: Vec<String> = plan
            .quarters
            .iter()
            .take(4)
            .map(|q| format!("{} of {} ({})", q.multi_component_commits, q.commits, percent(q.share)))
            .collect();
        lines.push(format!(
            "commits touching two or more blueprint components, newest quarter first: {}",
            quarters.join(", ")
        ));
    }
    let scaling = &plan.scaling;
    if let Some(load) = &scaling.load {
        lines.push(format!(
            "load: {} ({} requests in {:.1} s against {}; {} not mapped to a component)",
            load.source, load.requests, load.duration_s, load.target, load.unmapped_requests
        ));
        for c in &scaling.components {
            if let Some(t) = &c.traffic {
                lines.push(format!(
                    "  {}: {} of requests ({}, {:.1} req/s), p95 {} ms, p99 {} ms, errors {}, on {} route(s)",
                    c.component,
                    percent(t.share),
                    t.requests,
                    t.rate,
                    milliseconds(t.p95_us),
                    milliseconds(t.p99_us),
                    percent(t.error_rate),
                    c.routes
                ));
            }
        }
        for u in &scaling.unmapped {
            lines.push(format!("  unmapped: {} ({} requests, {}): {}", u.name, u.requests, percent(u.share), u.reason));
        }
    }
    if scaling.uneven.is_empty() {
        lines.push(format!(
            "uneven scaling needs: none found in the route counts{}",
            if scaling.load.is_some() { " or the load result" } else { " (give --load RESULT.json for traffic)" }
        ));
    } else {
        lines.push("uneven scaling needs:".into());
        lines.extend(scaling.uneven.iter().map(|u| format!("  {}", u.evidence)));
    }
    lines
}

/// The terminal summary.
pub fn render_text(report: &ArchReport) -> String {
    let mut out = String::new();
    let s = &report.summary;
    let _ = writeln!(
        out,
        "{} modules, {} imports, {} components (from {}), {} import cycle(s)",
        s.modules, s.imports, s.components, s.components_from, s.cycles
    );
    let _ = writeln!(out, "\nComponents");
    let _ = writeln!(
        out,
        "  {:<24} {:>7} {:>7} {:>6} {:>3} {:>3} {:>11} {:>5} {:>15}  blueprints",
        "name", "modules", "lines", "routes", "Ca", "Ce", "instability", "revs", "churn (lines)"
    );
    for c in &report.components {
        let (revisions, churn) = evolution_cells(c);
        let _ = writeln!(
            out,
            "  {:<24} {:>7} {:>7} {:>6} {:>3} {:>3} {:>11} {:>5} {:>15}  {}",
            c.name,
            c.modules,
            c.lines,
            c.routes,
            c.afferent,
            c.efferent,
            c.instability.map_or("-".to_string(), |i| format!("{i:.2}")),
            revisions,
            churn,
            c.blueprints.join(", ")
        );
    }
    if !report.dependencies.is_empty() {
        let _ = writeln!(out, "\nDependencies between components");
        for d in &report.dependencies {
            let deferred = if d.deferred_only { " (all deferred)" } else { "" };
            let _ = writeln!(out, "  {} -> {}: {} import(s){deferred}", d.from, d.to, d.imports);
        }
    }
    if !report.cycles.is_empty() {
        let _ = writeln!(out, "\nImport cycles");
        for cycle in report.cycles.iter().take(10) {
            let _ = writeln!(
                out,
                "  {} modules: {}",
                cycle.modules.len(),
                cycle
                    .chain
                    .iter()
                    .map(|i| i.from.as_str())
                    .chain(cycle.chain.last().map(|i| i.to.as_str()))
                    .collect::<Vec<_>>()
                    .join(" -> ")
            );
            for breaker in cycle.breakers.iter().take(5) {
                let _ = writeln!(out, "    cut first: {}", link(breaker));
            }
        }
        if report.cycles.len() > 10 {
            let _ = writeln!(out, "  … {} more (see --format json)", report.cycles.len() - 10);
        }
    }
    for cycle in &report.component_cycles {
        let _ = writeln!(out, "\nComponent cycle: {}", cycle.components.join(", "));
        for breaker in &cycle.breakers {
            let _ = writeln!(
                out,
                "  cut {} -> {} ({} import(s)), e.g. {}",
                breaker.from,
                breaker.to,
                breaker.imports.len(),
                breaker.imports.first().map(link).unwrap_or_default()
            );
        }
    }
    if !report.contracts.is_empty() {
        let _ = writeln!(out, "\nContracts");
        for contract in &report.contracts {
            let _ = writeln!(
                out,
                "  {:<7} {} ({}, {})",
                contract.verdict.to_uppercase(),
                contract.name,
                contract.kind,
                contract.source
            );
            for violation in &contract.violations {
                let _ = writeln!(out, "    {}", violation.summary);
                for import in &violation.chain {
                    let _ = writeln!(out, "      {}", link(import));
                }
            }
            for message in &contract.messages {
                let _ = writeln!(out, "    note: {message}");
            }
        }
    }
    let shared: Vec<_> = report.shared_models.iter().filter(|m| !m.used_by.is_empty()).collect();
    if !shared.is_empty() {
        let _ = writeln!(out, "\nModels used across components");
        for m in shared {
            let _ = writeln!(
                out,
                "  {} ({}:{}) owned by {}, used by {}",
                m.model,
                m.file,
                m.line,
                m.owner,
                m.used_by.join(", ")
            );
        }
    }
    if !report.hotspots.is_empty() {
        let _ = writeln!(out, "\nHotspots (revisions x lines)");
        for h in report.hotspots.iter().take(10) {
            let _ = writeln!(
                out,
                "  {:>8} {} ({} revisions, {} lines, churn +{}/-{}, indentation complexity {}, {})",
                h.score, h.file, h.revisions, h.lines, h.added, h.removed, h.complexity, h.component
            );
        }
    }
    let hidden: Vec<_> = report.coupling.components.iter().filter(|c| c.hidden).collect();
    if !hidden.is_empty() {
        let _ = writeln!(out, "\nHidden dependencies (co-change no import explains)");
        for c in hidden {
            let _ = writeln!(
                out,
                "  {} <-> {}: {} shared revisions, degree {:.0}%",
                c.a, c.b, c.shared_revisions, c.degree
            );
        }
    }
    let _ = writeln!(out, "\nExtraction plan (readiness 0-100, best first)");
    for (rank, c) in report.plan.candidates.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {}. {} — readiness {}, {} route(s), {} inbound and {} outbound cut(s)",
            rank + 1,
            c.component,
            c.readiness,
            c.api.len(),
            c.inbound_cuts.len(),
            c.outbound_cuts.len()
        );
        for e in c.evidence.iter().filter(|e| e.penalty > 0.0) {
            let _ = writeln!(out, "     -{:<3} {}", e.penalty.round(), e.detail);
        }
        if let Some(e) = c.evidence.iter().find(|e| e.factor == "ownership" && e.penalty == 0.0) {
            let _ = writeln!(out, "     owners: {}", e.detail);
        }
    }
    for note in &report.plan.notes {
        let _ = writeln!(out, "  note: {note}");
    }
    let _ = writeln!(out, "\nWhen to move");
    for line in when_to_move_lines(&report.plan) {
        let _ = writeln!(out, "  {line}");
    }
    out
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The component graph in Graphviz DOT.
pub fn render_dot(report: &ArchReport) -> String {
    let mut out = String::from("digraph components {\n  rankdir=LR;\n  node [shape=box];\n");
    for c in &report.components {
        let _ = writeln!(
            out,
            "  {} [label={}];",
            quoted(&c.name),
            quoted(&format!("{}\\n{} modules, {} routes", c.name, c.modules, c.routes))
        );
    }
    for d in &report.dependencies {
        let style = if d.deferred_only { ", style=dashed" } else { "" };
        let _ = writeln!(out, "  {} -> {} [label=\"{}\"{style}];", quoted(&d.from), quoted(&d.to), d.imports);
    }
    out.push_str("}\n");
    out
}

fn mermaid_id(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect()
}

/// The component graph as a Mermaid flowchart.
pub fn render_mermaid(report: &ArchReport) -> String {
    let mut out = String::from("flowchart LR\n");
    for c in &report.components {
        let label = c.name.replace('"', "'");
        let _ = writeln!(out, "  {}[\"{} ({} modules)\"]", mermaid_id(&c.name), label, c.modules);
    }
    for d in &report.dependencies {
        let arrow = if d.deferred_only { "-.->" } else { "-->" };
        let _ = writeln!(out, "  {} {arrow}|{}| {}", mermaid_id(&d.from), d.imports, mermaid_id(&d.to));
    }
    out
}

/// A Markdown list of cuts (the first 30, then how many more), or why there are none.
fn write_cuts(out: &mut String, cuts: &[Import], none: &str) {
    if cuts.is_empty() {
        let _ = writeln!(out, "- {none}");
    }
    for i in cuts.iter().take(30) {
        let _ = writeln!(out, "- `{}`", link(i));
    }
    if cuts.len() > 30 {
        let _ = writeln!(out, "- … {} more (see `--format json`)", cuts.len() - 30);
    }
}

/// An architecture decision record draft (Michael Nygard's sections).
pub fn render_markdown(report: &ArchReport) -> String {
    let mut out = String::new();
    let first = report.plan.candidates.first();
    let _ = writeln!(
        out,
        "# ADR: Extracting {} from the monolith (draft)\n",
        first.map_or("a component", |c| c.component.as_str())
    );
    let _ = writeln!(
        out,
        "Status: proposed. Generated by `{}` from the code{}; every claim cites its evidence.\n",
        report.tool,
        if report.summary.history.is_some() { " and its git history" } else { "" }
    );
    let _ = writeln!(out, "## Context\n");
    let s = &report.summary;
    let _ = writeln!(out, "The codebase has {} modules and {} internal imports in {} components ({}). {} module-level import cycle(s), {} cycle(s) between components.\n", s.modules, s.imports, s.components, s.components_from, s.cycles, report.component_cycles.len());
    let _ = writeln!(out, "| component | modules | lines | routes | depends on | used by | instability | revisions | churn (lines +/-) |\n|---|---:|---:|---:|---|---|---:|---:|---:|");
    for c in &report.components {
        let (revisions, churn) = evolution_cells(c);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            c.name,
            c.modules,
            c.lines,
            c.routes,
            c.fan_out.join(", "),
            c.fan_in.join(", "),
            c.instability.map_or("-".into(), |i| format!("{i:.2}")),
            revisions,
            churn
        );
    }
    let _ = writeln!(out, "\n### When to move\n");
    for line in when_to_move_lines(&report.plan) {
        // Nested lines (two leading spaces) become nested list items.
        let _ = writeln!(out, "{}- {}", if line.starts_with("  ") { "  " } else { "" }, line.trim_start());
    }
    let broken: Vec<_> = report.contracts.iter().filter(|c| c.verdict != "kept").collect();
    if !broken.is_empty() {
        let _ = writeln!(out, "\nBroken or unchecked boundary contracts:\n");
        for c in broken {
            let _ = writeln!(
                out,
                "- **{}** ({}): {}",
                c.name,
                c.verdict,
                c.violations.iter().map(|v| v.summary.as_str()).collect::<Vec<_>>().join("; ")
            );
        }
    }
    let _ = writeln!(out, "\n## Decision\n");
    match first {
        Some(c) => {
            let _ = writeln!(
                out,
                "Extract **{}** first (readiness {}/100, the highest). Order of the remaining candidates: {}.\n",
                c.component,
                c.readiness,
                report
                    .plan
                    .candidates
                    .iter()
                    .skip(1)
                    .map(|c| format!("{} ({})", c.component, c.readiness))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let _ = writeln!(out, "Evidence:\n");
            for e in &c.evidence {
                let _ = writeln!(out, "- {} — {} (−{})", e.factor, e.detail, e.penalty.round());
            }
            let _ = writeln!(out, "\n### Cuts\n");
            let _ = writeln!(out, "Imports into {} to replace by API calls or events:\n", c.component);
            write_cuts(&mut out, &c.inbound_cuts, "none: no other component imports it, so no caller's code changes");
            let _ = writeln!(out, "\nImports out of {} to replace or to copy as a shared library:\n", c.component);
            write_cuts(&mut out, &c.outbound_cuts, "none: it imports nothing outside itself");
            let _ = writeln!(out, "\n### The new service's API\n");
            for route in &c.api {
                let _ = writeln!(out, "- `{route}`");
            }
        }
        None => {
            let _ = writeln!(out, "No candidate: {}", report.plan.notes.join("; "));
        }
    }
    let _ = writeln!(out, "\n## Consequences\n");
    let _ = writeln!(
        out,
        "- Every cut above becomes a network call or an event: latency, failure handling and versioning apply."
    );
    let _ = writeln!(out, "- Models listed as shared need one owner; the others read through the owner's API.");
    let _ = writeln!(
        out,
        "- Re-run `retort arch` after each step: the readiness of the next candidate changes as cuts land."
    );
    out
}
