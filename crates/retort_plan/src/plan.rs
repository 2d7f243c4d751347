//! The extraction plan: a readiness score per component with its evidence,
//! the cuts an extraction needs (`file:line`), and the routes that become
//! the new service's API.
//!
//! The score starts at 100 and loses points per piece of entanglement
//! evidence; every weight is a named constant below, chosen up front (not
//! fitted to any project) and documented in `docs/arch.md`. Ordering
//! components by the score answers "which blueprint first".

use std::collections::BTreeSet;

use retort_flask::Catalog;

use crate::assess::{component_routes, ComponentEdges};
use crate::components::{Components, CORE};
use crate::graph::ImportGraph;
use crate::report::{Candidate, ComponentCycle, Evidence, Import, Plan, SharedModel};

/// Points off per module of another component that imports this one
/// (each is a caller to turn into an API client).
const PENALTY_PER_INBOUND_MODULE: f64 = 5.0;
const MAX_INBOUND_PENALTY: f64 = 40.0;
/// Points off per other blueprint component this one imports (a runtime
/// dependency between two services to be).
const PENALTY_PER_OUTBOUND_COMPONENT: f64 = 10.0;
const MAX_OUTBOUND_PENALTY: f64 = 30.0;
/// Points off per distinct core module imported (shared code to copy or
/// publish as a library).
const PENALTY_PER_CORE_MODULE: f64 = 1.0;
const MAX_CORE_PENALTY: f64 = 15.0;
/// Points off for being part of a cycle between components.
const PENALTY_COMPONENT_CYCLE: f64 = 20.0;
/// Points off per model shared with another component (a table with two owners).
const PENALTY_PER_SHARED_MODEL: f64 = 8.0;
const MAX_SHARED_MODEL_PENALTY: f64 = 30.0;

pub struct PlanInput<'a> {
    pub graph: &'a ImportGraph,
    pub components: &'a Components,
    pub component_edges: &'a ComponentEdges,
    pub component_cycles: &'a [ComponentCycle],
    pub shared_models: &'a [SharedModel],
    pub catalog: &'a Catalog,
    pub notes: Vec<String>,
}

fn import_of(graph: &ImportGraph, index: usize) -> Import {
    let e = &graph.edges[index];
    Import {
        from: graph.names[e.from].clone(),
        to: graph.names[e.to].clone(),
        file: graph.files[e.from].clone(),
        line: e.line,
        in_function: e.in_function,
        type_checking: e.type_checking,
    }
}

pub fn extraction_plan(input: &PlanInput) -> Plan {
    let graph = input.graph;
    let components = input.components;
    let mut candidates = Vec::new();
    for (index, def) in components.defs.iter().enumerate() {
        if def.name == CORE {
            continue;
        }
        let mut evidence = Vec::new();
        let inbound: Vec<usize> = input
            .component_edges
            .iter()
            .filter(|((_, b), _)| *b == index)
            .flat_map(|(_, list)| list.iter().copied())
            .collect();
        let inbound_modules: BTreeSet<usize> = inbound.iter().map(|&i| graph.edges[i].from).collect();
        let inbound_from: BTreeSet<&str> = inbound_modules.iter().map(|&m| components.name_of_module(m)).collect();
        evidence.push(Evidence {
            factor: "inbound_imports".into(),
            value: inbound_modules.len() as f64,
            penalty: (inbound_modules.len() as f64 * PENALTY_PER_INBOUND_MODULE).min(MAX_INBOUND_PENALTY),
            detail: format!(
                "{} module(s) of {} import it ({} import statements)",
                inbound_modules.len(),
                if inbound_from.is_empty() {
                    "no other component".to_string()
                } else {
                    inbound_from.iter().copied().collect::<Vec<_>>().join(", ")
                },
                inbound.len()
            ),
        });
        let outbound: Vec<usize> = input
            .component_edges
            .iter()
            .filter(|((a, _), _)| *a == index)
            .flat_map(|(_, list)| list.iter().copied())
            .collect();
        let outbound_components: BTreeSet<&str> =
            outbound.iter().map(|&i| components.name_of_module(graph.edges[i].to)).filter(|c| *c != CORE).collect();
        evidence.push(Evidence {
            factor: "outbound_components".into(),
            value: outbound_components.len() as f64,
            penalty: (outbound_components.len() as f64 * PENALTY_PER_OUTBOUND_COMPONENT).min(MAX_OUTBOUND_PENALTY),
            detail: if outbound_components.is_empty() {
                "imports no other blueprint component".into()
            } else {
                format!("imports {}", outbound_components.iter().copied().collect::<Vec<_>>().join(", "))
            },
        });
        let core_modules: BTreeSet<usize> =
            outbound.iter().map(|&i| graph.edges[i].to).filter(|&m| components.name_of_module(m) == CORE).collect();
        evidence.push(Evidence {
            factor: "core_modules_used".into(),
            value: core_modules.len() as f64,
            penalty: (core_modules.len() as f64 * PENALTY_PER_CORE_MODULE).min(MAX_CORE_PENALTY),
            detail: format!(
                "uses {} core module(s){}",
                core_modules.len(),
                if core_modules.is_empty() {
                    String::new()
                } else {
                    format!(
                        ": {}",
                        core_modules.iter().take(6).map(|&m| graph.names[m].as_str()).collect::<Vec<_>>().join(", ")
                    )
                }
            ),
        });
        let in_cycle = input.component_cycles.iter().any(|c| c.components.contains(&def.name));
        evidence.push(Evidence {
            factor: "component_cycle".into(),
            value: if in_cycle { 1.0 } else { 0.0 },
            penalty: if in_cycle { PENALTY_COMPONENT_CYCLE } else { 0.0 },
            detail: if in_cycle {
                "in an import cycle with other components".into()
            } else {
                "in no component cycle".into()
            },
        });
        let shared: Vec<&SharedModel> = input
            .shared_models
            .iter()
            .filter(|m| !m.used_by.is_empty() && (m.owner == def.name || m.used_by.contains(&def.name)))
            .filter(|m| m.owner != CORE || m.used_by.iter().any(|u| u != &def.name && u != CORE))
            .collect();
        evidence.push(Evidence {
            factor: "shared_models".into(),
            value: shared.len() as f64,
            penalty: (shared.len() as f64 * PENALTY_PER_SHARED_MODEL).min(MAX_SHARED_MODEL_PENALTY),
            detail: if shared.is_empty() {
                "shares no model with another blueprint component".into()
            } else {
                shared.iter().map(|m| format!("{} ({}:{})", m.model, m.file, m.line)).collect::<Vec<_>>().join(", ")
            },
        });
        let penalty: f64 = evidence.iter().map(|e| e.penalty).sum();
        let readiness = (100.0 - penalty).clamp(0.0, 100.0).round() as u32;
        let mut api: Vec<String> = component_routes(graph, components, input.catalog, index)
            .iter()
            .filter(|r| r.unresolved.is_none())
            .filter_map(|r| Some(format!("{} {}", r.methods.join(","), r.rule.as_ref()?)))
            .collect();
        api.sort();
        api.dedup();
        candidates.push(Candidate {
            component: def.name.clone(),
            readiness,
            evidence,
            inbound_cuts: inbound.iter().map(|&i| import_of(graph, i)).collect(),
            outbound_cuts: outbound.iter().map(|&i| import_of(graph, i)).collect(),
            api,
        });
    }
    candidates.sort_by(|a, b| b.readiness.cmp(&a.readiness).then_with(|| a.component.cmp(&b.component)));
    let mut notes = input.notes.clone();
    if candidates.is_empty() {
        notes.push("no blueprint components found: configure [tool.retort.arch] components to get a plan".into());
    }
    Plan { candidates, notes }
}
