//! Every rule, one file each, grouped by category. The registry below is
//! the single list the engine, `retort rules` and `docs/rules/` read.

pub mod delivery;
pub mod meta;
pub mod observability;
pub mod performance;
pub mod reliability;
pub mod security;

use crate::checker::Checker;
use crate::registry::{Check, Registered};

macro_rules! registered {
    ($module:path, $check:expr) => {{
        use $module as m;
        Registered { rule: &m::RULE, check: Some($check) }
    }};
}

pub(crate) static REGISTRY: &[Registered] = &[
    registered!(security::debug_mode_enabled, Check::Stmt(m::check)),
    registered!(security::hardcoded_secret, Check::Stmt(m::check)),
    registered!(security::sql_injection, Check::Sink(m::sink)),
    registered!(security::template_injection, Check::Sink(m::sink)),
    registered!(security::command_injection, Check::Sink(m::sink)),
    registered!(security::insecure_deserialization, Check::Expr(m::check)),
    registered!(security::open_redirect, Check::PrefixSink(m::sink)),
    registered!(security::tls_verification_disabled, Check::Expr(m::check)),
    registered!(security::missing_authentication, Check::Project(m::check)),
    registered!(security::csrf_exempt_session_routes, Check::Expr(m::check)),
    registered!(security::code_injection, Check::Sink(m::sink)),
    registered!(security::server_side_request_forgery, Check::PrefixSink(m::sink)),
    registered!(security::path_traversal, Check::Sink(m::sink)),
    registered!(security::cross_site_scripting, Check::Sink(m::sink)),
    registered!(security::jwt_without_verification, Check::Expr(m::check)),
    registered!(security::weak_password_hash, Check::Expr(m::check)),
    registered!(security::cors_wildcard_credentials, Check::Expr(m::check)),
    registered!(reliability::request_without_timeout, Check::Expr(m::check)),
    registered!(reliability::swallowed_exception, Check::Stmt(m::check)),
    registered!(reliability::missing_health_endpoint, Check::Project(m::check)),
    registered!(performance::unbounded_query, Check::Expr(m::check)),
    registered!(performance::sleep_in_request_handler, Check::Expr(m::check)),
    registered!(performance::n_plus_one_query, Check::Stmt(m::check)),
    registered!(observability::print_in_request_handler, Check::Expr(m::check)),
    registered!(observability::no_metrics_exporter, Check::Project(m::check)),
    registered!(observability::no_tracing, Check::Project(m::check)),
    registered!(observability::no_error_tracking, Check::Project(m::check)),
    registered!(delivery::no_ci_pipeline, Check::Project(m::check)),
    registered!(delivery::ci_without_lint, Check::Project(m::check)),
    registered!(delivery::ci_without_security_scan, Check::Project(m::check)),
    registered!(delivery::unpinned_dependency, Check::Project(m::check)),
    registered!(delivery::dockerfile_runs_as_root, Check::Project(m::check)),
    registered!(delivery::dockerfile_latest_tag, Check::Project(m::check)),
    registered!(delivery::dockerfile_missing_healthcheck, Check::Project(m::check)),
    registered!(delivery::ci_without_type_check, Check::Project(m::check)),
    registered!(delivery::no_codeowners, Check::Project(m::check)),
    Registered { rule: &meta::unused_suppression::RULE, check: None },
];

/// Whether the current scope is a development or test configuration
/// (a class or module whose name says so), where debug settings and
/// throwaway secrets are expected.
pub(crate) fn in_non_production_scope(checker: &Checker) -> bool {
    const WORDS: &[&str] = &["dev", "test", "local", "debug", "example", "sample"];
    let says_so = |name: &str| {
        let lower = name.to_ascii_lowercase();
        WORDS.iter().any(|w| lower.contains(w))
    };
    checker.class_stack.iter().any(|c| says_so(c)) || checker.module.is_some_and(|m| says_so(&m.display_path()))
}
