//! Runs every analysis over the one import graph and assembles the report.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use retort_flask::Catalog;
use retort_history::analysis::churn_by_file;
use retort_python::Project;

use crate::components::{assign_components, Components};
use crate::config::ArchConfig;
use crate::contracts::{check_component_rules, check_linter_contracts, first_import, load_linter_config};
use crate::cycles::{feedback_arc_set, WeightedEdge};
use crate::evolution;
use crate::graph::{strongly_connected, ImportGraph};
use crate::imports::{scan_imports, ImportScan};
use crate::load::RouteOfComponent;
use crate::report::*;

/// What `retort arch` analyses.
pub struct AssessInput<'a> {
    pub project: &'a Project,
    pub catalog: &'a Catalog,
    pub config: &'a ArchConfig,
    /// The scanned root (import-linter configuration is read there).
    pub root: &'a Path,
    /// The git history of the code, if read.
    pub history: Option<&'a retort_history::History>,
    /// code-maat's coupling thresholds.
    pub coupling: retort_history::analysis::CouplingOptions,
    /// A `retort load` run, for the scaling signal (`retort arch --load`).
    pub load: Option<&'a crate::load::LoadRun>,
}

/// The whole assessment.
pub fn assess(input: &AssessInput) -> ArchReport {
    let scan = scan_imports(input.project);
    let graph = &scan.graph;
    let components = assign_components(graph, input.catalog, input.config);
    let wiring = wiring_modules(graph, input.catalog);
    let component_edges = component_edges(graph, &components, &wiring);
    let mut contracts = Vec::new();
    let mut notes = Vec::new();
    match load_linter_config(input.root) {
        Ok(Some(linter)) => contracts.extend(check_linter_contracts(&scan, &linter)),
        Ok(None) => {}
        Err(message) => notes.push(message),
    }
    contracts.extend(check_component_rules(graph, &components, input.config));
    let cycles = module_cycles(graph);
    let component_cycles = component_cycles(graph, &components, &component_edges);
    let model_items: Vec<Item> = input
        .catalog
        .models
        .iter()
        .map(|m| Item { name: &m.name, table: m.table.clone(), file: &m.file, line: m.line })
        .collect();
    let task_items: Vec<Item> = input
        .catalog
        .tasks
        .iter()
        .map(|t| Item { name: &t.function, table: None, file: &t.file, line: t.line })
        .collect();
    let shared_models = shared_items(graph, &components, &model_items);
    let shared_tasks: Vec<SharedModel> =
        shared_items(graph, &components, &task_items).into_iter().filter(|t| !t.used_by.is_empty()).collect();
    let foreign_keys = cross_component_foreign_keys(graph, &components, input.catalog);
    let mut component_reports = component_reports(graph, &components, &component_edges, input.catalog);
    let mut hotspots = Vec::new();
    let mut coupling = Coupling::default();
    let mut quarters = Vec::new();
    let mut history_window = None;
    if let Some(history) = input.history {
        let paths = evolution::PathMap::new(graph, input.root, history);
        history_window = Some(evolution::history_window(history));
        let churn = churn_by_file(history);
        hotspots = evolution::hotspots(&churn, graph, &components, &paths);
        let revisions = evolution::component_revisions(history, &components, &paths);
        let component_churn = evolution::component_churn(history, &churn, &components, &paths);
        let ownership = crate::ownership::component_ownership(history, &components, &paths);
        for (((report, revisions), churn), ownership) in
            component_reports.iter_mut().zip(revisions).zip(component_churn).zip(ownership)
        {
            report.revisions = Some(revisions);
            report.churn = Some(churn);
            report.ownership = ownership;
        }
        coupling.files = evolution::file_coupling(history, &components, &component_edges, &paths, &input.coupling);
        coupling.components =
            evolution::component_coupling(history, &components, &component_edges, &paths, &input.coupling);
        quarters = evolution::quarterly_signals(history, &components, &paths, &input.coupling);
    } else {
        notes.push(
            "no git history read: hotspots, churn, co-change and the quarterly release-coordination signal are empty"
                .into(),
        );
    }
    let dependencies = component_edges
        .iter()
        .map(|((a, b), edges)| ComponentDependency {
            from: components.defs[*a].name.clone(),
            to: components.defs[*b].name.clone(),
            imports: edges.len(),
            deferred_only: edges.iter().all(|&i| graph.edges[i].in_function || graph.edges[i].type_checking),
        })
        .collect();
    let plan = crate::plan::extraction_plan(&crate::plan::PlanInput {
        graph,
        components: &components,
        component_edges: &component_edges,
        component_cycles: &component_cycles,
        shared_models: &shared_models,
        foreign_keys: &foreign_keys,
        coupling: &coupling,
        catalog: input.catalog,
        ownership: component_reports.iter().map(|c| c.ownership.as_ref()).collect(),
        notes,
        history: input.history.is_some(),
    });
    let scaling = crate::load::scaling_signal(
        &component_reports.iter().map(|c| c.name.clone()).collect::<Vec<_>>(),
        &component_reports.iter().map(|c| c.routes).collect::<Vec<_>>(),
        &measurable_routes(graph, &components, input.catalog),
        input.load,
    );
    let plan = Plan { quarters, scaling, ..plan };
    let imports: Vec<Import> = graph
        .edges
        .iter()
        .map(|e| Import {
            from: graph.names[e.from].clone(),
            to: graph.names[e.to].clone(),
            file: graph.files[e.from].clone(),
            line: e.line,
            in_function: e.in_function,
            type_checking: e.type_checking,
        })
        .collect();
    ArchReport {
        schema_version: SCHEMA_VERSION,
        tool: format!("retort {}", env!("CARGO_PKG_VERSION")),
        summary: Summary {
            modules: graph.len(),
            imports: imports.len(),
            components: components.defs.len(),
            cycles: cycles.len(),
            contracts: contracts.len(),
            broken_contracts: contracts.iter().filter(|c| c.verdict != "kept").count(),
            components_from: if input.config.components.is_empty() { "blueprints" } else { "configured" }.to_string(),
            history: history_window,
        },
        components: component_reports,
        dependencies,
        imports,
        external_imports: external_imports(&scan),
        unresolved_imports: scan
            .unresolved
            .iter()
            .map(|(id, line, name)| UnresolvedImport {
                name: name.clone(),
                file: graph.files[*id].clone(),
                line: *line,
            })
            .collect(),
        cycles,
        component_cycles,
        contracts,
        shared_models,
        cross_component_foreign_keys: foreign_keys,
        shared_tasks,
        hotspots,
        coupling,
        plan,
    }
}

/// Edge indices behind each (importer component, imported component) pair.
pub type ComponentEdges = BTreeMap<(usize, usize), Vec<usize>>;

/// Modules that create an app: the composition root, which imports every
/// blueprint to register it. Its imports into components are wiring, not
/// coupling, and are left out of component dependencies, cycles and the plan.
fn wiring_modules(graph: &ImportGraph, catalog: &Catalog) -> Vec<bool> {
    let mut mask = vec![false; graph.len()];
    for app in &catalog.apps {
        if let Some(id) = graph.files.iter().position(|f| *f == app.file) {
            mask[id] = true;
        }
    }
    mask
}

fn component_edges(graph: &ImportGraph, components: &Components, wiring: &[bool]) -> ComponentEdges {
    let mut map: ComponentEdges = BTreeMap::new();
    for (index, edge) in graph.edges.iter().enumerate() {
        let (a, b) = (components.of_module[edge.from], components.of_module[edge.to]);
        let registration = wiring[edge.from] && components.defs[b].origin != "core";
        if a != b && !registration {
            map.entry((a, b)).or_default().push(index);
        }
    }
    map
}

fn edge_import(graph: &ImportGraph, index: usize) -> Import {
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

fn module_cycles(graph: &ImportGraph) -> Vec<Cycle> {
    graph
        .cycles()
        .into_iter()
        .map(|scc| {
            let chain = graph.shortest_cycle(&scc);
            let links = chain.windows(2).map(|p| first_import(graph, p[0], p[1])).collect();
            let inside: BTreeSet<usize> = scc.iter().copied().collect();
            let edges: Vec<WeightedEdge> = scc
                .iter()
                .flat_map(|&from| {
                    graph.imported_by(from).iter().filter(|to| inside.contains(to)).map(move |&to| WeightedEdge {
                        from,
                        to,
                        weight: graph.details(from, to).count() as f64,
                    })
                })
                .collect();
            let breakers = feedback_arc_set(&scc, &edges)
                .into_iter()
                .flat_map(|cut| {
                    let (from, to) = (cut.from, cut.to);
                    graph.details(from, to).map(move |e| Import {
                        from: graph.names[from].clone(),
                        to: graph.names[to].clone(),
                        file: graph.files[from].clone(),
                        line: e.line,
                        in_function: e.in_function,
                        type_checking: e.type_checking,
                    })
                })
                .collect();
            Cycle { modules: scc.iter().map(|&id| graph.names[id].clone()).collect(), chain: links, breakers }
        })
        .collect()
}

fn component_cycles(graph: &ImportGraph, components: &Components, edges: &ComponentEdges) -> Vec<ComponentCycle> {
    let n = components.defs.len();
    let adjacency: Vec<Vec<usize>> =
        (0..n).map(|a| edges.keys().filter(|(x, _)| *x == a).map(|(_, b)| *b).collect()).collect();
    strongly_connected(n, |v| adjacency[v].as_slice())
        .into_iter()
        .filter(|scc| scc.len() > 1)
        .map(|mut scc| {
            scc.sort_unstable();
            let weighted: Vec<WeightedEdge> = edges
                .iter()
                .filter(|((a, b), _)| scc.contains(a) && scc.contains(b))
                .map(|((a, b), list)| WeightedEdge { from: *a, to: *b, weight: list.len() as f64 })
                .collect();
            let breakers = feedback_arc_set(&scc, &weighted)
                .into_iter()
                .map(|cut| ComponentBreaker {
                    from: components.defs[cut.from].name.clone(),
                    to: components.defs[cut.to].name.clone(),
                    imports: edges[&(cut.from, cut.to)].iter().map(|&i| edge_import(graph, i)).collect(),
                })
                .collect();
            ComponentCycle { components: scc.iter().map(|&c| components.defs[c].name.clone()).collect(), breakers }
        })
        .collect()
}

fn component_reports(
    graph: &ImportGraph,
    components: &Components,
    edges: &ComponentEdges,
    catalog: &Catalog,
) -> Vec<Component> {
    components
        .defs
        .iter()
        .enumerate()
        .map(|(index, def)| {
            let members: Vec<usize> = (0..graph.len()).filter(|&m| components.of_module[m] == index).collect();
            let outside_importers: BTreeSet<usize> = members
                .iter()
                .flat_map(|&m| graph.importers_of(m).iter().copied())
                .filter(|&i| components.of_module[i] != index)
                .collect();
            let inside_importing_out: BTreeSet<usize> = members
                .iter()
                .copied()
                .filter(|&m| graph.imported_by(m).iter().any(|&t| components.of_module[t] != index))
                .collect();
            let (afferent, efferent) = (outside_importers.len(), inside_importing_out.len());
            let name = |i: &usize| components.defs[*i].name.clone();
            Component {
                name: def.name.clone(),
                origin: def.origin.to_string(),
                packages: def.packages.clone(),
                blueprints: def.blueprints.clone(),
                modules: members.len(),
                lines: members.iter().map(|&m| graph.lines[m]).sum(),
                fan_out: edges.keys().filter(|(a, _)| *a == index).map(|(_, b)| name(b)).collect(),
                fan_in: edges.keys().filter(|(_, b)| *b == index).map(|(a, _)| name(a)).collect(),
                afferent,
                efferent,
                instability: (afferent + efferent > 0).then(|| efferent as f64 / (afferent + efferent) as f64),
                routes: component_routes(graph, components, catalog, index).len(),
                revisions: None,
                churn: None,
                ownership: None,
                tasks: catalog
                    .tasks
                    .iter()
                    .filter(|t| {
                        graph.files.iter().position(|f| *f == t.file).is_some_and(|m| components.of_module[m] == index)
                    })
                    .map(|t| t.function.clone())
                    .collect(),
            }
        })
        .collect()
}

/// The component of the module holding a route's view (or, failing
/// that, its registration).
fn route_component(
    graph: &ImportGraph,
    components: &Components,
    route: &retort_flask::catalog::Route,
) -> Option<usize> {
    let file = route.view_location.as_ref().map_or(&route.file, |l| &l.file);
    graph.files.iter().position(|f| f == file).map(|m| components.of_module[m])
}

/// Routes whose view (or, failing that, registration) lies in component `index`.
pub fn component_routes<'c>(
    graph: &ImportGraph,
    components: &Components,
    catalog: &'c Catalog,
    index: usize,
) -> Vec<&'c retort_flask::catalog::Route> {
    catalog.routes.iter().filter(|route| route_component(graph, components, route) == Some(index)).collect()
}

/// Resolved routes with their component: what load results are matched against.
fn measurable_routes(graph: &ImportGraph, components: &Components, catalog: &Catalog) -> Vec<RouteOfComponent> {
    catalog
        .routes
        .iter()
        .filter(|route| route.unresolved.is_none())
        .filter_map(|route| {
            Some(RouteOfComponent {
                rule: route.rule.clone()?,
                methods: route.methods.clone(),
                endpoint: route.endpoint.clone(),
                component: route_component(graph, components, route)?,
            })
        })
        .collect()
}

/// A model or a task: something defined in one module and imported by name.
struct Item<'c> {
    name: &'c str,
    table: Option<String>,
    file: &'c str,
    line: u32,
}

fn shared_items(graph: &ImportGraph, components: &Components, items: &[Item]) -> Vec<SharedModel> {
    items
        .iter()
        .filter_map(|item| {
            let module = graph.files.iter().position(|f| f == item.file)?;
            let owner = components.of_module[module];
            // Where it can be imported from: its module, and packages whose
            // `__init__.py` re-export it (`from .user import User`).
            let mut homes = vec![module];
            for edge in graph.edges.iter().filter(|e| e.to == module && e.object == item.name) {
                if graph.files[edge.from].ends_with("__init__.py") {
                    homes.push(edge.from);
                }
            }
            let used_by: BTreeSet<String> = graph
                .edges
                .iter()
                .filter(|e| homes.contains(&e.to) && !homes.contains(&e.from))
                // `from home import Item`, or `import` of the item's own module.
                .filter(|e| e.object == item.name || (e.to == module && graph.names[module].ends_with(&e.object)))
                .map(|e| components.of_module[e.from])
                .filter(|&c| c != owner)
                .map(|c| components.defs[c].name.clone())
                .collect();
            Some(SharedModel {
                model: item.name.to_string(),
                table: item.table.clone(),
                file: item.file.to_string(),
                line: item.line,
                owner: components.defs[owner].name.clone(),
                used_by: used_by.into_iter().collect(),
            })
        })
        .collect()
}

/// Foreign keys (`ForeignKey("table.column")`) whose table is defined by a
/// model of another component.
fn cross_component_foreign_keys(graph: &ImportGraph, components: &Components, catalog: &Catalog) -> Vec<ForeignKey> {
    let component_of_file = |file: &str| graph.files.iter().position(|f| f == file).map(|m| components.of_module[m]);
    let table_owner: BTreeMap<&str, usize> =
        catalog.models.iter().filter_map(|m| Some((m.table.as_deref()?, component_of_file(&m.file)?))).collect();
    let mut keys = Vec::new();
    for model in &catalog.models {
        let Some(from) = component_of_file(&model.file) else { continue };
        for column in &model.columns {
            let Some(target) = &column.foreign_key else { continue };
            let table = target.split('.').next().unwrap_or(target);
            if let Some(&to) = table_owner.get(table) {
                if to != from {
                    keys.push(ForeignKey {
                        model: model.name.clone(),
                        column: column.name.clone(),
                        references: target.clone(),
                        file: model.file.clone(),
                        line: column.line,
                        from_component: components.defs[from].name.clone(),
                        to_component: components.defs[to].name.clone(),
                    });
                }
            }
        }
    }
    keys
}

fn external_imports(scan: &ImportScan) -> Vec<ExternalImport> {
    scan.external_lines
        .iter()
        .map(|(package, lines)| ExternalImport {
            package: package.clone(),
            importers: lines.iter().map(|(id, _)| id).collect::<BTreeSet<_>>().len(),
        })
        .collect()
}
