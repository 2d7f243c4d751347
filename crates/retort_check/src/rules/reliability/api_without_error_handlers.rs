//! REL004: the documentation is [`DOC`].

use retort_flask::catalog::Route;
use ruff_python_ast::visitor::{walk_stmt, Visitor};
use ruff_python_ast::{Expr, Stmt, StmtFunctionDef};

use crate::checker::helpers::method_name;
use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::handlers::{class_handlers, view_def, ViewDef};
use crate::registry::Rule;

pub const RULE: Rule = Rule {
    code: "REL004",
    name: "api-without-error-handlers",
    category: Category::Reliability,
    severity: Severity::Warning,
    cwe: None,
    summary: "JSON API without error handlers: clients get HTML error pages",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Reports, once at the application, an app that serves JSON from plain Flask
views but registers no general error handler, so errors reach API clients
as Werkzeug's HTML pages.

A view serves JSON when its rule starts with `/api`, or when it (or a
method of its `MethodView`) returns `jsonify(...)`, a dict or a list
literal, alone or in a `(body, status)` tuple. A general error handler is
`errorhandler`/`register_error_handler`/`app_errorhandler` for an HTTP
status code, `Exception`, `HTTPException`, `NotFound`,
`InternalServerError`, `MethodNotAllowed` or `BadRequest`, on the app or
on the blueprint of the view. A handler of a domain exception only
(`@app.errorhandler(OutOfStock)`) does not count: 404, 405 and 500 still
render HTML.

Not flagged: resources of Flask-RESTful and Flask-RESTX, which turn errors
raised in their resources into JSON themselves; apps using flask-smorest,
whose `Api` registers a JSON handler for every `HTTPException` on the app
(unhandled exceptions reach it as `InternalServerError`).

## Why is this bad?
An API client that receives `<!doctype html><title>404 Not Found</title>`
fails on `response.json()` with a decoding error that hides the real
status, and an unhandled exception returns an HTML 500 page with no error
code the client can act on. Each client ends up special-casing HTML bodies,
and monitoring that counts error codes in JSON bodies misses them.

## Example
```python
@app.get("/api/orders/<int:order_id>")
def get_order(order_id):
    return jsonify(db.get_or_404(Order, order_id).to_dict())
```

Use instead:
```python
from werkzeug.exceptions import HTTPException

@app.errorhandler(HTTPException)
def http_error(exc):
    return jsonify(error=exc.name, message=exc.description), exc.code

@app.errorhandler(Exception)
def unhandled(exc):
    app.logger.exception("unhandled error")
    return jsonify(error="internal_error"), 500
```

## References
- [Flask: Handling Application Errors](https://flask.palletsprojects.com/en/stable/errorhandling/)
- [Flask: Returning API Errors as JSON](https://flask.palletsprojects.com/en/stable/errorhandling/#returning-api-errors-as-json)
"#;

/// Exception classes whose handler turns the common HTTP errors into a
/// response of the app's own.
const GENERAL: &[&str] = &[
    "Exception",
    "BaseException",
    "HTTPException",
    "NotFound",
    "InternalServerError",
    "MethodNotAllowed",
    "BadRequest",
];

pub fn check(checker: &mut Checker) {
    let catalog = checker.catalog;
    if catalog.extensions.iter().any(|e| e.package == "flask-smorest") {
        return;
    }
    let mut found = Vec::new();
    for app in &catalog.apps {
        let general = |blueprint: Option<&str>| {
            catalog.error_handlers.iter().any(|h| {
                let here = match (h.blueprint.as_deref(), blueprint) {
                    (None, _) => h.app.as_deref().is_none_or(|a| a == app.id),
                    (Some(b), Some(route_bp)) => b == route_bp || h.kind.starts_with("app_"),
                    (Some(_), None) => h.kind.starts_with("app_"),
                };
                here && is_general(h.arg.as_deref())
            })
        };
        if general(None) {
            continue;
        }
        let mut uncovered: Vec<&Route> = catalog
            .routes
            .iter()
            .filter(|r| r.app.as_deref() == Some(app.id.as_str()) && r.via.is_none())
            .filter(|r| serves_json(checker, r))
            .filter(|r| r.blueprint.is_none() || !general(r.blueprint.as_deref()))
            .collect();
        // Name a route whose rule is known in the message.
        uncovered.sort_by_key(|r| r.rule.is_none());
        let Some(first) = uncovered.first() else { continue };
        let method = first.methods.first().map_or("GET", String::as_str);
        let rule = first.rule.as_deref().unwrap_or("?");
        let more = match uncovered.len() {
            1 => String::new(),
            n => format!(" and {} more", n - 1),
        };
        found.push((
            app.file.clone(),
            app.line,
            format!(
                "`{}` serves JSON (`{method} {rule}`{more}) but no handler covers 404/500 or `HTTPException`: clients get HTML error pages",
                app.id
            ),
        ));
    }
    for (file, line, message) in found {
        checker.report_at(&RULE, &file, line, message);
    }
}

/// An error handler's argument that covers the common HTTP errors (an
/// argument the catalog could not resolve, such as a loop over
/// `default_exceptions`, is given the benefit of the doubt).
fn is_general(arg: Option<&str>) -> bool {
    let Some(arg) = arg else { return true };
    if arg.contains(char::is_whitespace) {
        return true;
    }
    let last = arg.rsplit('.').next().unwrap_or(arg).trim();
    last.chars().all(|c| c.is_ascii_digit()) || GENERAL.contains(&last)
}

fn serves_json(checker: &Checker, route: &Route) -> bool {
    if route.rule.as_deref().is_some_and(|r| r == "/api" || r.starts_with("/api/")) {
        return true;
    }
    let Some((module, def)) = view_def(checker.project, route) else { return false };
    match def {
        ViewDef::Function(function) => returns_json(function),
        ViewDef::Class(class) => {
            class_handlers(checker.project, module, class).into_iter().any(|(_, f)| returns_json(f))
        }
    }
}

fn returns_json(function: &StmtFunctionDef) -> bool {
    struct Returns(bool);
    impl<'a> Visitor<'a> for Returns {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::Return(ret) => {
                    if ret.value.as_deref().is_some_and(is_json_body) {
                        self.0 = true;
                    }
                }
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                _ => walk_stmt(self, stmt),
            }
        }
    }
    let mut returns = Returns(false);
    for stmt in &function.body {
        returns.visit_stmt(stmt);
    }
    returns.0
}

fn is_json_body(expr: &Expr) -> bool {
    match expr {
        Expr::Dict(_) | Expr::List(_) | Expr::DictComp(_) | Expr::ListComp(_) => true,
        Expr::Tuple(t) => t.elts.first().is_some_and(is_json_body),
        Expr::Call(call) => match method_name(call) {
            Some("jsonify") => true,
            Some("make_response") => call.arguments.args.first().is_some_and(is_json_body),
            _ => false,
        },
        _ => false,
    }
}
