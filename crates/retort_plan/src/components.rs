//! Components: the units an extraction plan moves. By default one per
//! blueprint's package, plus the shared `core` (everything else); or the
//! groups declared in `[tool.retort.arch] components`.

use std::collections::BTreeMap;

use retort_flask::Catalog;

use crate::config::ArchConfig;
use crate::graph::{in_package, ImportGraph};

/// The name of the component holding every module no other claims.
pub const CORE: &str = "core";

/// One component and how its members were chosen.
#[derive(Debug, Clone)]
pub struct ComponentDef {
    pub name: String,
    /// Module prefixes (packages or modules) it owns.
    pub packages: Vec<String>,
    /// Blueprints defined in it (registered names).
    pub blueprints: Vec<String>,
    /// `blueprint`, `configured` or `core`.
    pub origin: &'static str,
}

/// Components and the component of every module.
#[derive(Debug, Clone)]
pub struct Components {
    pub defs: Vec<ComponentDef>,
    /// Index into `defs`, by module id.
    pub of_module: Vec<usize>,
}

impl Components {
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.defs.iter().position(|d| d.name == name)
    }

    pub fn name_of_module(&self, module: usize) -> &str {
        &self.defs[self.of_module[module]].name
    }
}

/// Assigns every module of `graph` to a component.
pub fn assign_components(graph: &ImportGraph, catalog: &Catalog, config: &ArchConfig) -> Components {
    let mut defs: Vec<ComponentDef> = if config.components.is_empty() {
        blueprint_components(graph, catalog)
    } else {
        config
            .components
            .iter()
            .filter(|(name, _)| name.as_str() != CORE)
            .map(|(name, packages)| ComponentDef {
                name: name.clone(),
                packages: packages.clone(),
                blueprints: Vec::new(),
                origin: "configured",
            })
            .collect()
    };
    let mut core =
        ComponentDef { name: CORE.to_string(), packages: Vec::new(), blueprints: Vec::new(), origin: "core" };
    if let Some(packages) = config.components.get(CORE) {
        core.packages = packages.clone();
    }
    defs.push(core);
    let core_index = defs.len() - 1;
    // Blueprints are named in the component that holds their defining module.
    let of_module: Vec<usize> = (0..graph.len())
        .map(|id| {
            defs.iter()
                .enumerate()
                .flat_map(|(i, d)| d.packages.iter().map(move |p| (i, p)))
                .filter(|(_, p)| in_package(&graph.names[id], p))
                .max_by_key(|(_, p)| p.len())
                .map_or(core_index, |(i, _)| i)
        })
        .collect();
    for blueprint in &catalog.blueprints {
        if let Some(id) = graph.files.iter().position(|f| *f == blueprint.file) {
            let def = &mut defs[of_module[id]];
            if !def.blueprints.contains(&blueprint.name) {
                def.blueprints.push(blueprint.name.clone());
            }
        }
    }
    Components { defs, of_module }
}

/// One component per package holding a blueprint's definition. A blueprint
/// defined in a package that also holds the app (or other blueprints'
/// packages) owns only its own module, so the shared package stays core.
fn blueprint_components(graph: &ImportGraph, catalog: &Catalog) -> Vec<ComponentDef> {
    let module_of_file = |file: &str| graph.files.iter().position(|f| f == file);
    let package_of = |id: usize| -> String {
        let name = &graph.names[id];
        if graph.files[id].ends_with("__init__.py") {
            name.clone()
        } else {
            name.rsplit_once('.').map_or(name.clone(), |(p, _)| p.to_string())
        }
    };
    let app_packages: Vec<String> =
        catalog.apps.iter().filter_map(|app| module_of_file(&app.file)).map(package_of).collect();
    let mut candidates: Vec<(String, String, usize)> = Vec::new(); // (package, blueprint, module)
    for blueprint in &catalog.blueprints {
        if let Some(id) = module_of_file(&blueprint.file) {
            candidates.push((package_of(id), blueprint.name.clone(), id));
        }
    }
    let packages: Vec<String> = candidates.iter().map(|c| c.0.clone()).collect();
    let mut by_package: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (package, blueprint, id) in &candidates {
        let shared = app_packages.contains(package)
            || packages.iter().any(|other| other != package && in_package(other, package));
        let owned = if shared { graph.names[*id].clone() } else { package.clone() };
        let list = by_package.entry(owned).or_default();
        if !list.contains(blueprint) {
            list.push(blueprint.clone());
        }
    }
    let mut defs: Vec<ComponentDef> = Vec::new();
    for (package, blueprints) in by_package {
        let short = package.rsplit('.').next().unwrap_or(&package).to_string();
        let name = if short == CORE || defs.iter().any(|d| d.name == short) { package.clone() } else { short };
        defs.push(ComponentDef { name, packages: vec![package], blueprints, origin: "blueprint" });
    }
    defs
}
