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
use crate::report::{Candidate, ComponentCycle, Coupling, Evidence, ForeignKey, Import, Ownership, Plan, SharedModel};

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
/// Points off per other blueprint component it co-changes with (code-maat
/// coupling between components): a boundary that change does not respect.
const PENALTY_PER_CO_CHANGING_COMPONENT: f64 = 10.0;
const MAX_CO_CHANGE_PENALTY: f64 = 30.0;
/// Points off per foreign key crossing its boundary (either way).
const PENALTY_PER_FOREIGN_KEY: f64 = 5.0;
const MAX_FOREIGN_KEY_PENALTY: f64 = 20.0;
/// Points off when no active developer authors any of its files: nobody
/// left knows the code to move (`retort team`'s knowledge lost).
const PENALTY_NO_ACTIVE_AUTHOR: f64 = 10.0;
/// Points off when every route is an operational probe (health, readiness,
/// metrics, version): a service of its own would own nothing.
const PENALTY_PROBES_ONLY: f64 = 60.0;

pub struct PlanInput<'a> {
    pub graph: &'a ImportGraph,
    pub components: &'a Components,
    pub component_edges: &'a ComponentEdges,
    pub component_cycles: &'a [ComponentCycle],
    pub shared_models: &'a [SharedModel],
    pub foreign_keys: &'a [ForeignKey],
    pub coupling: &'a Coupling,
    pub catalog: &'a Catalog,
    /// Per component, in `components.defs` order (`None` without history).
    pub ownership: Vec<Option<&'a Ownership>>,
    pub notes: Vec<String>,
    /// Git history was read (co-change is known).
    pub history: bool,
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
            detail: if inbound_modules.is_empty() {
                "no other component imports it".into()
            } else {
                format!(
                    "{} module(s) of {} import it ({} import statements)",
                    inbound_modules.len(),
                    inbound_from.iter().copied().collect::<Vec<_>>().join(", "),
                    inbound.len()
                )
            },
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
                    let named: Vec<&str> = core_modules.iter().take(6).map(|&m| graph.names[m].as_str()).collect();
                    let more = core_modules.len() - named.len();
                    let more = if more > 0 { format!(", and {more} more") } else { String::new() };
                    format!(": {}{more}", named.join(", "))
                }
            ),
        });
        let cycle_partners: BTreeSet<&str> = input
            .component_cycles
            .iter()
            .filter(|c| c.components.contains(&def.name))
            .flat_map(|c| c.components.iter().map(String::as_str))
            .filter(|c| *c != def.name)
            .collect();
        let in_cycle = !cycle_partners.is_empty();
        evidence.push(Evidence {
            factor: "component_cycle".into(),
            value: if in_cycle { 1.0 } else { 0.0 },
            penalty: if in_cycle { PENALTY_COMPONENT_CYCLE } else { 0.0 },
            detail: if in_cycle {
                format!("in an import cycle with {}", cycle_partners.iter().copied().collect::<Vec<_>>().join(", "))
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
                let models: Vec<String> = shared
                    .iter()
                    .map(|m| {
                        format!(
                            "{} ({}:{}; owner {}, used by {})",
                            m.model,
                            m.file,
                            m.line,
                            m.owner,
                            m.used_by.join(", ")
                        )
                    })
                    .collect();
                format!("shares {} model(s) with other blueprint components: {}", shared.len(), models.join("; "))
            },
        });
        let co_changing: Vec<String> = input
            .coupling
            .components
            .iter()
            .filter_map(|c| {
                let other = if c.a == def.name {
                    &c.b
                } else if c.b == def.name {
                    &c.a
                } else {
                    return None;
                };
                (other != CORE).then(|| {
                    format!(
                        "{other} ({} shared revisions, {:.0}%{})",
                        c.shared_revisions,
                        c.degree,
                        if c.hidden { ", no import explains it" } else { "" }
                    )
                })
            })
            .collect();
        evidence.push(Evidence {
            factor: "co_change".into(),
            value: co_changing.len() as f64,
            penalty: (co_changing.len() as f64 * PENALTY_PER_CO_CHANGING_COMPONENT).min(MAX_CO_CHANGE_PENALTY),
            detail: if !input.history {
                "no git history read: co-change unknown".into()
            } else if co_changing.is_empty() {
                "changes independently of the other blueprint components".into()
            } else {
                format!("co-changes with {}", co_changing.join(", "))
            },
        });
        let keys: Vec<&ForeignKey> =
            input.foreign_keys.iter().filter(|k| k.from_component == def.name || k.to_component == def.name).collect();
        evidence.push(Evidence {
            factor: "foreign_keys".into(),
            value: keys.len() as f64,
            penalty: (keys.len() as f64 * PENALTY_PER_FOREIGN_KEY).min(MAX_FOREIGN_KEY_PENALTY),
            detail: if keys.is_empty() {
                "no foreign key crosses its boundary".into()
            } else {
                format!(
                    "{} foreign key(s) cross its boundary: {}",
                    keys.len(),
                    keys.iter()
                        .map(|k| format!("{}.{} -> {} ({}:{})", k.model, k.column, k.references, k.file, k.line))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            },
        });
        if let Some(Some(owners)) = input.ownership.get(index) {
            let knowledge_lost = owners.active_truck_factor == 0 && owners.orphaned_files > 0;
            evidence.push(Evidence {
                factor: "ownership".into(),
                value: owners.truck_factor as f64,
                penalty: if knowledge_lost { PENALTY_NO_ACTIVE_AUTHOR } else { 0.0 },
                detail: format!(
                    "truck factor {} ({} counting only active developers) over {} file(s); {}{}",
                    owners.truck_factor,
                    owners.active_truck_factor,
                    owners.files,
                    if owners.authors.is_empty() { "no author".to_string() } else { owners.authors.join(", ") },
                    if knowledge_lost {
                        format!("; {} file(s) with no active author", owners.orphaned_files)
                    } else {
                        String::new()
                    }
                ),
            });
        }
        let all_routes = component_routes(graph, components, input.catalog, index);
        let probes_only = !all_routes.is_empty()
            && all_routes.iter().all(|r| r.rule.as_deref().is_some_and(retort_flask::probes::is_operational_rule));
        evidence.push(Evidence {
            factor: "probes_only".into(),
            value: f64::from(u8::from(probes_only)),
            penalty: if probes_only { PENALTY_PROBES_ONLY } else { 0.0 },
            detail: if probes_only {
                format!(
                    "its {} route(s) are all operational probes (health, readiness, metrics): nothing a service of its own would own",
                    all_routes.len()
                )
            } else {
                "serves more than operational probes".into()
            },
        });
        let member_files: BTreeSet<String> =
            (0..graph.len()).filter(|&m| components.of_module[m] == index).map(|m| graph.files[m].clone()).collect();
        let co_changing_files = input
            .coupling
            .files
            .iter()
            .filter(|f| {
                f.cross_component && member_files.iter().any(|m| f.a.ends_with(m.as_str()) || f.b.ends_with(m.as_str()))
            })
            .cloned()
            .collect();
        let penalty: f64 = evidence.iter().map(|e| e.penalty).sum();
        let readiness = (100.0 - penalty).clamp(0.0, 100.0).round() as u32;
        let routes: Vec<&retort_flask::catalog::Route> =
            all_routes.iter().copied().filter(|r| r.unresolved.is_none() && r.rule.is_some()).collect();
        let mut api: Vec<String> =
            routes.iter().filter_map(|r| Some(format!("{} {}", r.methods.join(","), r.rule.as_ref()?))).collect();
        api.sort();
        api.dedup();
        let openapi_paths = openapi_paths(&routes);
        candidates.push(Candidate {
            component: def.name.clone(),
            readiness,
            evidence,
            inbound_cuts: inbound.iter().map(|&i| import_of(graph, i)).collect(),
            outbound_cuts: outbound.iter().map(|&i| import_of(graph, i)).collect(),
            api,
            openapi_paths,
            co_changing_files,
        });
    }
    candidates.sort_by(|a, b| b.readiness.cmp(&a.readiness).then_with(|| a.component.cmp(&b.component)));
    let mut notes = input.notes.clone();
    if candidates.is_empty() {
        notes.push("no blueprint components found: configure [tool.retort.arch] components to get a plan".into());
    }
    Plan { candidates, notes, ..Plan::default() }
}

/// Flask rules as OpenAPI paths (`/users/<int:id>` → `/users/{id}` with an
/// integer path parameter), one operation per method.
fn openapi_paths(routes: &[&retort_flask::catalog::Route]) -> serde_json::Value {
    let mut paths = serde_json::Map::new();
    for route in routes {
        let Some(rule) = &route.rule else { continue };
        let mut path = String::new();
        let mut parameters = Vec::new();
        let mut rest = rule.as_str();
        while let Some(start) = rest.find('<') {
            path.push_str(&rest[..start]);
            let Some(end) = rest[start..].find('>') else { break };
            let inner = &rest[start + 1..start + end];
            let (converter, name) = inner.split_once(':').unwrap_or(("string", inner));
            let schema = match converter {
                "int" => serde_json::json!({"type": "integer"}),
                "float" => serde_json::json!({"type": "number"}),
                _ => serde_json::json!({"type": "string"}),
            };
            parameters.push(serde_json::json!({"name": name, "in": "path", "required": true, "schema": schema}));
            path.push_str(&format!("{{{name}}}"));
            rest = &rest[start + end + 1..];
        }
        path.push_str(rest);
        let entry = paths.entry(path).or_insert_with(|| serde_json::json!({}));
        for method in &route.methods {
            entry[method.to_lowercase()] = serde_json::json!({
                "operationId": route.endpoint.clone().unwrap_or_default(),
                "parameters": parameters,
                "responses": {"default": {"description": "as implemented by the view"}},
            });
        }
    }
    serde_json::Value::Object(paths)
}
