//! PERF005: the documentation is [`DOC`].

use retort_python::Module;
use ruff_python_ast::visitor::{walk_expr, Visitor};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use crate::checker::helpers::{callee, dotted};
use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::handlers::{class_handlers, route_guarded, view_def, ViewDef};
use crate::registry::Rule;
use crate::rules::reliability::missing_health_endpoint::is_health_rule;

pub const RULE: Rule = Rule {
    code: "PERF005",
    name: "uncached-read-endpoint",
    category: Category::Performance,
    severity: Severity::Info,
    cwe: None,
    summary: "Read-only endpoint queries the database on every request although a cache is set up",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Only in an app that already has a cache extension (Flask-Caching `Cache`
in the catalog), reports at its `def` a GET-only view (or the `get` method
of a class-based view) that queries the database (`Model.query`,
`session.execute/scalars/scalar/get/query`, `select(...)`,
`db.get_or_404/first_or_404/one_or_404/paginate`) and is neither
decorated with `@cache.cached`/`@cache.memoize` (or `decorators = [...]`
naming them) nor calls the cache (`cache.get`, `cache.set`, …) itself.
One finding per view: the other routes it serves are listed in the message.

Not flagged, because per-user or per-request data is rarely cached whole
and a cache there risks serving one user's data to another:

- views behind an authentication guard (a `login_required`-like decorator
  or an authenticating `before_request` of their app or blueprint);
- views that read `current_user`, `g.user` or `session[...]`;
- health and readiness probes, which must reach the database;
- views of Flask-Admin and Flask-AppBuilder.

## Why is this bad?
The team set up a cache, so repeated reads are known to matter; a public
catalogue or product page that goes to the database on every hit is where
load spikes turn into database saturation and slow pages for everyone.

## Example
```python
@bp.get("/products/<int:product_id>")
def product_detail(product_id):
    return render_template("product.html", product=db.get_or_404(Product, product_id))
```

Use instead:
```python
@bp.get("/products/<int:product_id>")
@cache.cached(timeout=60)
def product_detail(product_id):
    return render_template("product.html", product=db.get_or_404(Product, product_id))
```

## References
- [Flask-Caching: Caching View Functions](https://flask-caching.readthedocs.io/en/latest/#caching-view-functions)
"#;

const SESSION_READS: &[&str] = &["execute", "scalars", "scalar", "get", "query"];
/// Flask-SQLAlchemy 3 query helpers on the extension object.
const DB_READS: &[&str] = &["get_or_404", "first_or_404", "one_or_404", "paginate"];

pub fn check(checker: &mut Checker) {
    let catalog = checker.catalog;
    let caches: Vec<&str> = catalog
        .extensions
        .iter()
        .filter(|e| e.kind == "cache")
        .map(|e| e.variable.as_deref().unwrap_or("cache"))
        .collect();
    if caches.is_empty() {
        return;
    }
    let mut found: Vec<(String, u32, String, Vec<String>)> = Vec::new();
    for route in &catalog.routes {
        let rule = route.rule.as_deref().unwrap_or("");
        let excluded_via = route.via.as_deref().is_some_and(|v| v.contains("admin") || v.contains("appbuilder"));
        if !route.methods.iter().any(|m| m == "GET") || is_health_rule(rule) || excluded_via {
            continue;
        }
        let extra = &checker.config.extra_auth_decorators;
        if route_guarded(checker.project, route, extra) || route.decorators.iter().any(|d| is_cache_decorator(d)) {
            continue;
        }
        let Some((module, def)) = view_def(checker.project, route) else { continue };
        let (function, label) = match def {
            ViewDef::Function(f) if route.methods.iter().all(|m| m == "GET") => (f, f.name.to_string()),
            ViewDef::Class(class) => {
                if mentions_cache_decorator(module, &class.body) {
                    continue;
                }
                let handlers = class_handlers(checker.project, module, class);
                let Some((get_module, get)) = handlers.into_iter().find(|(_, f)| f.name.as_str() == "get") else {
                    continue;
                };
                if !std::ptr::eq(get_module, module) {
                    continue; // an inherited `get`: reported, if at all, where it is defined
                }
                (get, format!("{}.get", class.name))
            }
            ViewDef::Function(_) => continue,
        };
        let decorated = function.decorator_list.iter().any(|d| is_cache_decorator(&module.source[d.range()]));
        if decorated {
            continue;
        }
        let mut body = Body { caches: &caches, queries: false, uses_cache: false, per_user: false };
        for stmt in &function.body {
            body.visit_stmt(stmt);
        }
        if body.queries && !body.uses_cache && !body.per_user {
            let line = module.line_of(function.name.range().start());
            let message = format!(
                "GET `{rule}` (`{label}`) queries the database on every request; Flask-Caching `{}` is set up but not used here",
                caches[0]
            );
            let file = module.display_path();
            // One finding per view: a view served by several routes (a
            // blueprint registered under several prefixes) is one missing cache.
            match found.iter_mut().find(|(f, l, _, _)| *f == file && *l == line) {
                Some((_, _, _, also)) => {
                    if !also.iter().any(|r| r == rule) {
                        also.push(rule.to_string());
                    }
                }
                None => found.push((file, line, message, vec![rule.to_string()])),
            }
        }
    }
    for (file, line, mut message, rules) in found {
        let also: Vec<String> = rules.iter().skip(1).map(|r| format!("`{r}`")).collect();
        if !also.is_empty() {
            message.push_str(&format!("; the same view also serves {}", also.join(", ")));
        }
        checker.report_at(&RULE, &file, line, message);
    }
}

fn is_cache_decorator(text: &str) -> bool {
    text.contains("cached") || text.contains("memoize")
}

/// `decorators = [cache.cached(...)]` on a class-based view.
fn mentions_cache_decorator(module: &Module, body: &[Stmt]) -> bool {
    body.iter().any(|stmt| match stmt {
        Stmt::Assign(a) => {
            a.targets.iter().any(
                |t| matches!(t, Expr::Name(n) if n.id.as_str() == "decorators" || n.id.as_str() == "method_decorators"),
            ) && is_cache_decorator(&module.source[a.value.range()])
        }
        _ => false,
    })
}

struct Body<'c> {
    caches: &'c [&'c str],
    queries: bool,
    uses_cache: bool,
    per_user: bool,
}

impl<'a> Visitor<'a> for Body<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Attribute(attr) if attr.attr.as_str() == "query" => self.queries = true,
            Expr::Call(call) => {
                if let Some(name) = callee(call) {
                    let (receiver, method) = name.rsplit_once('.').unwrap_or(("", &name));
                    let db_helper = receiver == "db" && DB_READS.contains(&method);
                    if method == "select"
                        || db_helper
                        || (receiver.ends_with("session") && SESSION_READS.contains(&method))
                    {
                        self.queries = true;
                    }
                    if self.caches.contains(&receiver) || receiver.ends_with("cache") {
                        self.uses_cache = true;
                    }
                }
            }
            _ => {}
        }
        let per_user = match expr {
            // `session["cart"]`: Flask's session (SQLAlchemy sessions are not subscripted).
            Expr::Subscript(s) => matches!(dotted(&s.value).as_deref(), Some("session" | "flask.session")),
            other => matches!(dotted(other).as_deref(), Some("current_user" | "g.user")),
        };
        self.per_user |= per_user;
        walk_expr(self, expr);
    }
}
