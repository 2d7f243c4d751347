pub mod no_error_tracking;
pub mod no_metrics_exporter;
pub mod no_request_id;
pub mod no_structured_logging;
pub mod no_tracing;
pub mod print_in_request_handler;

use crate::registry::{Check, Registered, Rule};
use crate::rules::registered;

/// The rules of this category, in code order.
pub(crate) static REGISTERED: &[Registered] = &[
    registered!(print_in_request_handler, Check::Expr(m::check)),
    registered!(no_metrics_exporter, Check::Project(m::check)),
    registered!(no_tracing, Check::Project(m::check)),
    registered!(no_error_tracking, Check::Project(m::check)),
    registered!(no_structured_logging, Check::Project(m::check)),
    registered!(no_request_id, Check::Project(m::check)),
];

use crate::checker::Checker;

/// Reports `rule` once, at the first app, when the project has none of the
/// capability `kind` (see [`has_capability`]); `what` says what is missing.
pub(crate) fn report_missing_capability(
    checker: &mut Checker,
    rule: &'static Rule,
    kind: &str,
    packages: &[&str],
    imports: &[&str],
    what: &str,
) {
    let Some(app) = checker.catalog.apps.first() else { return };
    if !has_capability(checker, kind, packages, imports) {
        let (file, line, id) = (app.file.clone(), app.line, app.id.clone());
        checker.report_at(rule, &file, line, format!("`{id}`: {what}"));
    }
}

/// Whether an extension of `kind` is in the catalog, a dependency matches
/// `packages` (prefixes of normalised names), or a module imports one of `imports`.
pub(crate) fn has_capability(checker: &Checker, kind: &str, packages: &[&str], imports: &[&str]) -> bool {
    let catalog = checker.catalog;
    if catalog.extensions.iter().any(|e| e.kind == kind) {
        return true;
    }
    let normalise = |name: &str| name.to_ascii_lowercase().replace('_', "-");
    if catalog.dependencies.iter().any(|d| packages.iter().any(|p| normalise(&d.name).starts_with(p))) {
        return true;
    }
    checker.project.modules.iter().any(|m| {
        imports.iter().any(|i| m.source.contains(&format!("import {i}")) || m.source.contains(&format!("from {i}")))
    })
}

/// The file, line and id of the first application that serves routes:
/// project-level "no X" rules report there, and only for such a service.
pub(crate) fn serving_app(checker: &Checker) -> Option<(String, u32, String)> {
    let catalog = checker.catalog;
    let app = catalog
        .apps
        .iter()
        .find(|a| catalog.routes.iter().any(|r| r.view_location.is_some() && r.app.as_deref() == Some(a.id.as_str())))
        .or_else(|| catalog.apps.first().filter(|_| catalog.routes.iter().any(|r| r.view_location.is_some())))?;
    Some((app.file.clone(), app.line, app.id.clone()))
}
