//! Flask semantics for Retort: evaluates a [`Project`]'s registration code
//! with an abstract interpreter and builds the [`Catalog`] of apps,
//! blueprints, routes, extensions, models, tasks, config keys,
//! dependencies and CI pipelines.

pub mod catalog;
mod extensions;
pub mod facts;
mod flask_api;
mod flatten;
mod interp;
mod objects;
mod strings;
mod syntax;
mod value;

use retort_python::Project;

pub use catalog::Catalog;
pub use flatten::is_auth_decorator;

/// What the Flask stage can be told by configuration.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Project-specific auth decorators (`@requires_scope`), by name.
    pub extra_auth_decorators: Vec<String>,
}

/// Builds the catalog of a loaded project. Never fails: what cannot be
/// resolved is reported as unresolved.
pub fn build_catalog(project: &Project, options: &ScanOptions) -> Catalog {
    let mut interpreter = interp::Interpreter::new(project);
    interpreter.run_all_modules();
    interpreter.run_uncalled_entry_points();
    let flat = flatten::flatten(&interpreter, &options.extra_auth_decorators);
    let mut diagnostics = project.diagnostics.clone();
    diagnostics.sort_by(|a, b| a.file.cmp(&b.file).then(a.line.cmp(&b.line)));
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
        budget_exhausted: interpreter.budget_exhausted,
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
        models: facts::models(project),
        tasks: facts::tasks(project),
        config_keys: facts::config_keys(project),
        dependencies: facts::dependencies(&project.root, &project.other_files),
        ci: facts::ci_pipelines(&project.root, &project.other_files),
        diagnostics,
    }
}
