pub mod no_error_tracking;
pub mod no_metrics_exporter;
pub mod no_tracing;
pub mod print_in_request_handler;

use crate::registry::{Check, Registered};
use crate::rules::registered;

/// The rules of this category, in code order.
pub(crate) static REGISTERED: &[Registered] = &[
    registered!(print_in_request_handler, Check::Expr(m::check)),
    registered!(no_metrics_exporter, Check::Project(m::check)),
    registered!(no_tracing, Check::Project(m::check)),
    registered!(no_error_tracking, Check::Project(m::check)),
];

use crate::checker::Checker;

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
