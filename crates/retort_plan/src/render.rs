//! Printing the report: a terminal summary, the component graph as DOT
//! and Mermaid, and an architecture decision record draft in Markdown.

use std::fmt::Write;

use crate::report::{ArchReport, Import};

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
        "  {:<24} {:>7} {:>7} {:>6} {:>3} {:>3} {:>11}  blueprints",
        "name", "modules", "lines", "routes", "Ca", "Ce", "instability"
    );
    for c in &report.components {
        let _ = writeln!(
            out,
            "  {:<24} {:>7} {:>7} {:>6} {:>3} {:>3} {:>11}  {}",
            c.name,
            c.modules,
            c.lines,
            c.routes,
            c.afferent,
            c.efferent,
            c.instability.map_or("-".to_string(), |i| format!("{i:.2}")),
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
                "  {:>8} {} ({} revisions, {} lines, indentation complexity {}, {})",
                h.score, h.file, h.revisions, h.lines, h.complexity, h.component
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
    let _ = writeln!(out, "| component | modules | lines | routes | depends on | used by | instability |\n|---|---:|---:|---:|---|---|---:|");
    for c in &report.components {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            c.name,
            c.modules,
            c.lines,
            c.routes,
            c.fan_out.join(", "),
            c.fan_in.join(", "),
            c.instability.map_or("-".into(), |i| format!("{i:.2}"))
        );
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
            for i in c.inbound_cuts.iter().take(30) {
                let _ = writeln!(out, "- `{}`", link(i));
            }
            let _ = writeln!(out, "\nImports out of {} to replace or to copy as a shared library:\n", c.component);
            for i in c.outbound_cuts.iter().take(30) {
                let _ = writeln!(out, "- `{}`", link(i));
            }
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
