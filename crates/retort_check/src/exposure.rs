//! Who can reach the application, for the rules whose risk depends on it:
//! whether the app has logins, and whether it is a local tool — a server
//! for the one person at this machine (issue 11, drawn from the blind
//! reviews: docs/accuracy.md).
//!
//! A local tool has no login, starts its own server on the loopback
//! interface only (`app.run()` without a `host`, or with `127.0.0.1`,
//! `localhost`, `::1`), ships nothing that serves it to others (a
//! Dockerfile, a Procfile, a WSGI entry module, a systemd unit) and lets
//! no other origin call it (no Flask-CORS, no `Access-Control-Allow-Origin`
//! header). A page on another site can still make the user's browser send
//! it a form or follow a link, but it cannot send JSON: a cross-origin
//! request with `Content-Type: application/json` needs a CORS preflight
//! that such an app never answers, and `request.get_json()` refuses other
//! content types. So data read with `request.get_json()` or `request.json`
//! comes from the local user only.

use ruff_python_ast::visitor::{walk_expr, Visitor};
use ruff_python_ast::{Expr, ExprCall, Stmt};
use ruff_text_size::Ranged;

use crate::checker::helpers::{dotted, method_name, string_value};
use crate::checker::Checker;

/// Whether the app has logins: a route behind an authentication guard, a
/// `before_request` hook (which may be one), or a login route (`/login`,
/// `/api/signin`, `/auth`: checks written inline in the views).
pub(crate) fn has_logins(checker: &Checker) -> bool {
    let extra = &checker.config.extra_auth_decorators;
    let login_words = ["login", "signin", "sign_in", "sign-in", "auth"];
    let names_login = |text: &Option<String>| {
        text.as_deref().is_some_and(|t| login_words.iter().any(|w| t.to_ascii_lowercase().contains(w)))
    };
    checker.catalog.hooks.iter().any(|h| h.kind.contains("before"))
        || checker.catalog.routes.iter().any(|r| {
            names_login(&r.rule)
                || names_login(&r.endpoint)
                || crate::handlers::route_guarded(checker.project, r, extra)
        })
}

/// The `host` given to `app.run(...)`, by keyword or first.
pub(crate) fn host_of(call: &ExprCall) -> Option<&Expr> {
    call.arguments.find_keyword("host").map(|k| &k.value).or(call.arguments.args.first())
}

/// Whether a host is a literal loopback address.
fn is_loopback(host: &str) -> bool {
    let host =
        host.rsplit_once(':').filter(|(h, port)| !h.is_empty() && port.parse::<u16>().is_ok()).map_or(host, |(h, _)| h);
    matches!(host.trim_matches(['[', ']']), "127.0.0.1" | "localhost" | "::1")
}

/// Whether `app.run(...)` listens on the loopback interface only: no host
/// (Flask's default is `127.0.0.1`) or a literal loopback address.
pub(crate) fn serves_loopback_only(call: &ExprCall) -> bool {
    match host_of(call) {
        None => true,
        Some(host) => string_value(host).is_some_and(is_loopback),
    }
}

/// Why the app is a local tool (its launchers), or `None` when it may be
/// reached from another machine or another site. Asked once per run.
pub(crate) fn local_tool(checker: &Checker) -> Option<String> {
    checker.memo.local_tool.get_or_init(|| judge_local_tool(checker)).clone()
}

fn judge_local_tool(checker: &Checker) -> Option<String> {
    let project = checker.project;
    let deployment = project.other_files.iter().chain(project.modules.iter().map(|m| &m.path)).find(|path| {
        let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
        name.starts_with("dockerfile")
            || name.starts_with("docker-compose")
            || name.starts_with("compose.y")
            || name == "procfile"
            || name == "wsgi.py"
            || name.ends_with(".service")
            || name.contains("gunicorn")
            || name.contains("uwsgi")
    });
    if deployment.is_some() {
        return None;
    }
    let mut launchers = Vec::new();
    for module in &project.modules {
        if module.source.contains("Access-Control-Allow-Origin") {
            return None;
        }
        let mut finder = Launchers::default();
        finder.visit_body(&module.ast.body);
        if finder.cors || finder.launchers.iter().any(|(_, loopback)| !loopback) {
            return None;
        }
        launchers.extend(
            finder.launchers.iter().map(|(offset, _)| format!("{}:{}", module.display_path(), module.line_of(*offset))),
        );
    }
    if launchers.is_empty() || has_logins(checker) {
        return None;
    }
    Some(launchers.join(", "))
}

/// The servers a module starts (`app.run(...)`, `waitress.serve(...)`,
/// `run_simple(...)`, `make_server(...)`), each with whether it listens
/// on the loopback interface only; and whether it enables CORS.
#[derive(Default)]
struct Launchers {
    launchers: Vec<(ruff_text_size::TextSize, bool)>,
    cors: bool,
}

impl<'a> Visitor<'a> for Launchers {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Import(s) => self.cors |= s.names.iter().any(|a| a.name.as_str().starts_with("flask_cors")),
            Stmt::ImportFrom(s) => self.cors |= s.module.as_ref().is_some_and(|m| m.as_str().starts_with("flask_cors")),
            _ => {}
        }
        ruff_python_ast::visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr {
            let start = call.range().start();
            let first_is =
                |test: fn(&str) -> bool| call.arguments.args.first().and_then(string_value).is_some_and(test);
            match method_name(call) {
                // `app.run(debug=True)`, `app.run("0.0.0.0", 80)`; not
                // `asyncio.run(main())` nor `subprocess.run([...])`.
                Some("run")
                    if ["host", "port", "debug", "use_reloader", "threaded", "ssl_context"]
                        .iter()
                        .any(|k| call.arguments.find_keyword(k).is_some())
                        || first_is(|_| true)
                        || call.arguments.is_empty() && dotted(&call.func).is_some_and(|d| d.ends_with("app.run")) =>
                {
                    self.launchers.push((start, serves_loopback_only(call)));
                }
                // Waitress listens on every interface unless told otherwise.
                Some("serve") if dotted(&call.func).is_some_and(|d| d == "serve" || d.ends_with("waitress.serve")) => {
                    let given = call.arguments.find_keyword("host").or(call.arguments.find_keyword("listen"));
                    let loopback = given
                        .and_then(|k| string_value(&k.value))
                        .is_some_and(|h| h.split_whitespace().all(is_loopback));
                    self.launchers.push((start, loopback));
                }
                Some("run_simple" | "make_server") => self.launchers.push((start, first_is(is_loopback))),
                _ => {}
            }
        }
        walk_expr(self, expr);
    }
}

/// Whether a flow's source is the JSON body as Flask parses it
/// (`request.get_json()` without `force=True`, `request.json`): data only
/// a same-origin caller can send. The strings are the data-flow engine's
/// source descriptions (`get_json(force=True)` is described with its
/// argument, so it does not match).
pub(crate) fn is_json_body(source: &str) -> bool {
    matches!(source, "`request.get_json()`" | "`request.json`")
}
