//! REL007: the documentation is [`DOC`].

use retort_python::Module;
use ruff_python_ast::visitor::{walk_expr, walk_stmt, Visitor};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use crate::checker::helpers::{dotted, method_name};
use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::rules::reliability::long_lived_calls;

pub const RULE: Rule = Rule {
    code: "REL007",
    name: "session-not-removed-at-teardown",
    category: Category::Reliability,
    severity: Severity::Warning,
    cwe: Some(772),
    summary: "SQLAlchemy scoped_session never removed at request teardown",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
In a Flask service, reports a plain SQLAlchemy `scoped_session(...)` that
lives on (module level, class attribute, attribute such as
`app.db_session`, or a `global`) when no `teardown_appcontext`,
`teardown_request` or `teardown_app_request` handler (decorator, or the
same methods called with a function or a lambda; `after_request` is
accepted too, although it is skipped when an earlier `after_request` hook
raises)
calls `.remove()` (or `.close()`, which also returns the connection to the
pool) on it. The session is matched by name; a teardown that removes any
object whose name contains `session` is accepted, so a renamed alias is not
reported, and a `scoped_session` returned by a factory (which has no name
to match) is taken as removed by any teardown that removes or closes
something.

Not flagged: Flask-SQLAlchemy (`db.session`), which removes its session at
the end of every application context itself; a `scoped_session` kept in a
local variable of a function (a one-off command or check); projects without
a Flask application.

## Why is this bad?
A `scoped_session` keeps one session per thread (or per greenlet). Without
`remove()` at the end of the request, the next request served by the same
thread inherits the previous request's session: its identity map with
stale objects, and, after an exception, a transaction that must be rolled
back before anything works again. The connection it holds is not returned
to the pool, so under load the pool runs dry and requests wait for
`pool_timeout` and fail.

## Example
```python
db_session = scoped_session(sessionmaker(bind=engine))
```

Use instead:
```python
db_session = scoped_session(sessionmaker(bind=engine))

@app.teardown_appcontext
def remove_session(exception=None):
    db_session.remove()
```

## References
- [Flask: SQLAlchemy in Flask (declarative)](https://flask.palletsprojects.com/en/stable/patterns/sqlalchemy/)
- [SQLAlchemy: Contextual/Thread-local Sessions](https://docs.sqlalchemy.org/en/20/orm/contextual.html)
- [CWE-772: Missing Release of Resource after Effective Lifetime](https://cwe.mitre.org/data/definitions/772.html)
"#;

/// Hooks that run at the end of every request.
const TEARDOWNS: &[&str] =
    &["teardown_appcontext", "teardown_request", "teardown_app_request", "after_request", "after_app_request"];

pub fn check(checker: &mut Checker) {
    let catalog = checker.catalog;
    if catalog.apps.is_empty() {
        return;
    }
    let modules = &checker.project.modules;
    let removed: Vec<String> = modules.iter().flat_map(removed_in_teardown).collect();
    let mut found = Vec::new();
    for module in modules {
        for session in long_lived_calls(module, &["scoped_session"]) {
            // A registry returned by a factory has no name to match: any
            // teardown that removes or closes something is taken for it.
            let Some(target) = session.target else {
                if removed.is_empty() {
                    found.push((
                        module.display_path(),
                        module.line_of(session.call.range().start()),
                        "scoped_session".into(),
                    ));
                }
                continue;
            };
            let name = target.rsplit('.').next().unwrap_or(&target).to_string();
            let is_removed = removed.iter().any(|r| r == &name || r.to_ascii_lowercase().contains("session"));
            if !is_removed {
                found.push((module.display_path(), module.line_of(session.call.range().start()), name));
            }
        }
    }
    for (file, line, name) in found {
        checker.report_at(
            &RULE,
            &file,
            line,
            format!("`{name}` is a scoped_session but no teardown handler calls `{name}.remove()`"),
        );
    }
}

/// The receivers (last name segment) of `.remove()` calls made by teardown
/// handlers of `module`.
fn removed_in_teardown(module: &Module) -> Vec<String> {
    let mut teardowns = Teardowns { removed: Vec::new(), registered: Vec::new() };
    for stmt in &module.ast.body {
        teardowns.visit_stmt(stmt);
    }
    // Functions registered by name: `app.teardown_appcontext(shutdown_session)`.
    let mut removed = teardowns.removed;
    for name in teardowns.registered {
        let mut functions = FunctionsNamed { name: &name, removed: Vec::new() };
        for stmt in &module.ast.body {
            functions.visit_stmt(stmt);
        }
        removed.extend(functions.removed);
    }
    removed
}

struct Teardowns {
    removed: Vec<String>,
    registered: Vec<String>,
}

impl<'a> Visitor<'a> for Teardowns {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::FunctionDef(function) = stmt {
            let is_teardown = function.decorator_list.iter().any(|d| {
                let target = match &d.expression {
                    Expr::Call(call) => &*call.func,
                    other => other,
                };
                dotted(target).is_some_and(|n| TEARDOWNS.iter().any(|t| n.ends_with(t)))
            });
            if is_teardown {
                let mut removes = Removes(Vec::new());
                for s in &function.body {
                    removes.visit_stmt(s);
                }
                self.removed.extend(removes.0);
            }
        }
        walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr {
            if method_name(call).is_some_and(|m| TEARDOWNS.contains(&m)) {
                for arg in call.arguments.args.iter() {
                    match arg {
                        Expr::Lambda(lambda) => {
                            let mut removes = Removes(Vec::new());
                            removes.visit_expr(&lambda.body);
                            self.removed.extend(removes.0);
                        }
                        Expr::Name(name) => self.registered.push(name.id.to_string()),
                        // `app.teardown_appcontext(self.teardown)`: a method, found by name.
                        Expr::Attribute(attr) => self.registered.push(attr.attr.to_string()),
                        _ => {}
                    }
                }
            }
        }
        walk_expr(self, expr);
    }
}

struct FunctionsNamed<'n> {
    name: &'n str,
    removed: Vec<String>,
}

impl<'a> Visitor<'a> for FunctionsNamed<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::FunctionDef(function) = stmt {
            if function.name.as_str() == self.name {
                let mut removes = Removes(Vec::new());
                for s in &function.body {
                    removes.visit_stmt(s);
                }
                self.removed.extend(removes.0);
            }
        }
        walk_stmt(self, stmt);
    }
}

/// Receivers of `x.remove()` / `x.close()` calls without arguments.
struct Removes(Vec<String>);

impl<'a> Visitor<'a> for Removes {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr {
            if let Expr::Attribute(attr) = &*call.func {
                if matches!(attr.attr.as_str(), "remove" | "close") && call.arguments.is_empty() {
                    let receiver = dotted(&attr.value).unwrap_or_default();
                    self.0.push(receiver.rsplit('.').next().unwrap_or_default().to_string());
                }
            }
        }
        walk_expr(self, expr);
    }
}
