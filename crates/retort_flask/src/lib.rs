//! Flask semantics for Retort: evaluates a [`Project`]'s registration code
//! with an abstract interpreter and builds the [`Catalog`] of apps,
//! blueprints, routes, extensions, models, tasks, config keys,
//! dependencies and CI pipelines.

mod access_gates;
pub mod catalog;
mod classful;
mod command_line;
mod config_schemas;
mod connexion;
mod data_files;
mod discovery;
mod entry_points;
mod extensions;
pub mod facts;
mod flask_api;
mod flask_resources;
mod flatten;
mod ini;
mod interp;
mod library_versions;
mod objects;
mod paths;
pub mod probes;
mod strings;
mod syntax;
mod value;

use retort_python::Project;

pub use catalog::Catalog;
pub use flatten::is_auth_decorator;

/// Stack for the facts thread: AST visitors recurse on deep expressions.
const FACTS_STACK_BYTES: usize = 256 * 1024 * 1024;

/// What the Flask stage can be told by configuration.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Project-specific auth decorators (`@requires_scope`), by name.
    pub extra_auth_decorators: Vec<String>,
}

/// Builds the catalog of a loaded project. Never fails: what cannot be
/// resolved is reported as unresolved.
pub fn build_catalog(project: &Project, options: &ScanOptions) -> Catalog {
    // The interpreter is single-threaded; the syntactic facts are read on
    // another thread meanwhile (both only read the project).
    let (flat, interp_facts, facts) = std::thread::scope(|scope| {
        let facts = std::thread::Builder::new().stack_size(FACTS_STACK_BYTES).spawn_scoped(scope, || {
            (
                facts::models(project),
                facts::tasks(project),
                facts::url_converters(project),
                facts::config_keys(project),
                facts::dependencies(&project.root, &project.other_files),
                facts::ci_pipelines(&project.root, &project.other_files),
            )
        });
        // The names top-level functions refer to, needed only once the
        // module bodies have run: read meanwhile on a third thread.
        let names = std::thread::Builder::new()
            .stack_size(FACTS_STACK_BYTES)
            .spawn_scoped(scope, || syntax::top_level_referenced_names(project));
        let mut interpreter = interp::Interpreter::new(project);
        interpreter.run_all_modules();
        if let Ok(Ok(names)) = names.map(|handle| handle.join()) {
            interpreter.add_referenced_names(names);
        }
        interpreter.run_uncalled_entry_points();
        interpreter.run_remaining_modules();
        let flat = flatten::flatten(&interpreter, &options.extra_auth_decorators);
        let facts = match facts {
            Ok(handle) => handle.join().ok(),
            Err(_) => None,
        };
        let mut stops: Vec<catalog::Stop> = interpreter
            .stops
            .iter()
            .map(|stop| catalog::Stop {
                kind: stop.kind.to_string(),
                reason: stop.reason.clone(),
                function: stop.function.clone(),
                file: project.module(stop.site.module).display_path(),
                line: stop.site.line,
            })
            .collect();
        stops.sort_by(|a, b| (&a.file, a.line, &a.kind).cmp(&(&b.file, b.line, &b.kind)));
        let bounds = interp::Bounds::of(&interpreter);
        (flat, (interpreter.budget_exhausted, stops, bounds), facts)
    });
    // If the facts thread could not run, read them here instead.
    let (models, tasks, converters, config_keys, dependencies, ci) = facts.unwrap_or_else(|| {
        (
            facts::models(project),
            facts::tasks(project),
            facts::url_converters(project),
            facts::config_keys(project),
            facts::dependencies(&project.root, &project.other_files),
            facts::ci_pipelines(&project.root, &project.other_files),
        )
    });
    let mut diagnostics = project.diagnostics.clone();
    diagnostics.sort_by(|a, b| a.file.cmp(&b.file).then(a.line.cmp(&b.line)));
    let (budget_exhausted, stops, bounds) = interp_facts;
    let unresolved_routes = flat.routes.iter().filter(|r| r.unresolved.is_some()).count();
    let summary = catalog::Summary {
        files: project.modules.len(),
        lines: project.total_lines,
        bytes: project.total_bytes,
        apps: flat.apps.len(),
        blueprints: flat.blueprints.len(),
        routes: flat.routes.len(),
        unresolved_routes,
        skipped_test_files: project.skipped_test_files.len(),
        diagnostics: diagnostics.len(),
        budget_exhausted,
        resolved_routes: flat.routes.len() - unresolved_routes,
        import_root: project.import_root.clone(),
        plugin_host: None,
        stops: stops.len(),
        step_budget: bounds.step_budget,
        max_call_depth: bounds.max_call_depth,
        most_steps: bounds.most_steps,
    };
    Catalog {
        schema_version: catalog::SCHEMA_VERSION,
        tool: format!("retort {}", env!("CARGO_PKG_VERSION")),
        summary,
        apps: flat.apps,
        blueprints: flat.blueprints,
        routes: flat.routes,
        error_handlers: flat.error_handlers,
        hooks: flat.hooks,
        extensions: flat.extensions,
        models,
        tasks,
        converters,
        config_keys,
        dependencies,
        ci,
        diagnostics,
        stops,
    }
}

/// The endpoints that the project's access-gate decorators redirect
/// turned-away callers to (`redirect(url_for("identify"))`): pages that
/// must be reachable without the gate, such as a login form.
pub fn gate_redirect_targets(project: &Project) -> std::collections::BTreeSet<String> {
    syntax::functions_by_name(project)
        .into_values()
        .flatten()
        .filter_map(access_gates::gate_redirects)
        .flatten()
        .collect()
}
