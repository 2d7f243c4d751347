pub mod code_injection;
pub mod command_injection;
pub mod cors_wildcard_credentials;
pub mod cross_site_scripting;
pub mod csrf_exempt_session_routes;
pub mod debug_mode_enabled;
pub mod hardcoded_secret;
pub mod insecure_deserialization;
pub mod insecure_session_cookie;
pub mod jwt_without_verification;
pub mod ldap_injection;
pub mod log_injection;
pub mod missing_authentication;
pub mod missing_csrf_protection;
pub mod missing_security_headers;
pub mod open_redirect;
pub mod path_traversal;
pub mod sensitive_data_in_logs;
pub mod server_side_request_forgery;
pub mod sql_injection;
pub mod template_injection;
pub mod tls_verification_disabled;
pub mod trust_boundary_violation;
pub mod weak_password_hash;
pub mod weak_random_for_secret;
pub mod xml_external_entities;
pub mod xpath_injection;

use retort_flask::catalog::Route;

use crate::registry::{Check, Registered};
use crate::rules::registered;

/// HTTP methods that change state (and so need CSRF protection).
const STATE_CHANGING: &[&str] = &["POST", "PUT", "PATCH", "DELETE"];
/// Words in the names of guards that authenticate without the session cookie.
const NON_SESSION_WORDS: &[&str] = &["token", "jwt", "api_key", "apikey", "bearer", "signature", "hmac", "basic"];

/// Whether a route accepts a state-changing method.
pub(crate) fn changes_state(route: &Route) -> bool {
    route.methods.iter().any(|m| STATE_CHANGING.contains(&m.as_str()))
}

/// Whether a route is guarded by an authentication decorator that relies on
/// the session cookie (`login_required`), not on a token or signature.
pub(crate) fn session_guarded(route: &Route) -> bool {
    route.guards.iter().any(|g| {
        let name = g.name.to_ascii_lowercase();
        g.auth && !NON_SESSION_WORDS.iter().any(|w| name.contains(w))
    })
}

/// The rules of this category, in code order.
pub(crate) static REGISTERED: &[Registered] = &[
    registered!(debug_mode_enabled, Check::Stmt(m::check)),
    registered!(hardcoded_secret, Check::Stmt(m::check)),
    registered!(sql_injection, Check::Taint(m::TAINT)),
    registered!(template_injection, Check::Taint(m::TAINT), Check::Expr(m::check)),
    registered!(command_injection, Check::Taint(m::TAINT)),
    registered!(insecure_deserialization, Check::Taint(m::TAINT)),
    registered!(open_redirect, Check::Taint(m::TAINT)),
    registered!(tls_verification_disabled, Check::Expr(m::check)),
    registered!(missing_authentication, Check::Project(m::check)),
    registered!(csrf_exempt_session_routes, Check::Expr(m::check)),
    registered!(code_injection, Check::Taint(m::TAINT)),
    registered!(server_side_request_forgery, Check::Taint(m::TAINT)),
    registered!(path_traversal, Check::Taint(m::TAINT)),
    registered!(cross_site_scripting, Check::Taint(m::TAINT)),
    registered!(jwt_without_verification, Check::Expr(m::check)),
    registered!(weak_password_hash, Check::Expr(m::check)),
    registered!(cors_wildcard_credentials, Check::Expr(m::check)),
    registered!(insecure_session_cookie, Check::Stmt(m::check)),
    registered!(missing_security_headers, Check::Project(m::check)),
    registered!(xml_external_entities, Check::Expr(m::check), Check::Taint(m::TAINT)),
    registered!(sensitive_data_in_logs, Check::Expr(m::check)),
    registered!(missing_csrf_protection, Check::Project(m::check)),
    registered!(weak_random_for_secret, Check::Stmt(m::check)),
    registered!(ldap_injection, Check::Taint(m::TAINT)),
    registered!(xpath_injection, Check::Taint(m::TAINT)),
    registered!(trust_boundary_violation, Check::Taint(m::TAINT)),
    registered!(log_injection, Check::Taint(m::TAINT)),
];
