//! PERF004: the documentation is [`DOC`].

use ruff_python_ast::{Expr, ExprCall, Stmt};
use ruff_text_size::Ranged;

use crate::checker::helpers::{has_kwargs_splat, method_name};
use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::rules::reliability::long_lived_calls;

pub const RULE: Rule = Rule {
    code: "PERF004",
    name: "engine-without-pool-settings",
    category: Category::Performance,
    severity: Severity::Info,
    cwe: None,
    summary: "Database engine with the default connection pool settings",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
In a Flask service (an application with routes), reports:

- `create_engine(url)` / `create_async_engine(url)` called with none of
  `pool_size`, `max_overflow`, `pool_recycle`, `pool_pre_ping`,
  `pool_timeout` or `poolclass` (and no `**kwargs`);
- Flask-SQLAlchemy in the catalog when no module mentions
  `SQLALCHEMY_ENGINE_OPTIONS`, `engine_options=` or the Flask-SQLAlchemy 2
  keys `SQLALCHEMY_POOL_SIZE` / `SQLALCHEMY_POOL_RECYCLE`, reported at the
  extension.

Only engines that live on are reported: created at module or class level,
stored in an attribute (`self._engine`, `app.engine`) or a `global`, or
returned by a factory. Not flagged: an engine kept in a local variable of a
function (a CLI command or a one-off check that exits); SQLite (a string
literal URL containing `sqlite`, also through an f-string, `.format()`, `%`
or `+`, or every `SQLALCHEMY_DATABASE_URI` assigned a SQLite literal),
where a pool of server connections does not apply; engines created under
`migrations/` or `alembic/`, or in modules named `example`/`sample`.

## Why is this bad?
SQLAlchemy's default `QueuePool` keeps 5 connections plus 10 overflow per
process, never tests a connection before use and never recycles it. A
database failover, a proxy such as PgBouncer, or a firewall that drops idle
connections then surfaces as `OperationalError: server closed the
connection unexpectedly` on the first request after a quiet period, and the
pool size is not matched to the worker and thread count.

## Example
```python
engine = create_engine(os.environ["DATABASE_URL"])
```

Use instead:
```python
engine = create_engine(
    os.environ["DATABASE_URL"],
    pool_pre_ping=True,
    pool_recycle=1800,
    pool_size=10,
    max_overflow=20,
)
# Flask-SQLAlchemy:
SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "pool_recycle": 1800}
```

## References
- [SQLAlchemy: Dealing with Disconnects](https://docs.sqlalchemy.org/en/20/core/pooling.html#dealing-with-disconnects)
- [Flask-SQLAlchemy: Configuration](https://flask-sqlalchemy.readthedocs.io/en/stable/config/)
"#;

const POOL_KEYWORDS: &[&str] =
    &["pool_size", "max_overflow", "pool_recycle", "pool_pre_ping", "pool_timeout", "poolclass"];
const FLASK_SQLALCHEMY_SETTINGS: &[&str] =
    &["SQLALCHEMY_ENGINE_OPTIONS", "engine_options", "SQLALCHEMY_POOL_SIZE", "SQLALCHEMY_POOL_RECYCLE"];

pub fn check(checker: &mut Checker) {
    let catalog = checker.catalog;
    if !catalog.routes.iter().any(|r| r.view_location.is_some()) {
        return;
    }
    let mut found = Vec::new();
    for module in &checker.project.modules {
        let path = module.display_path();
        let one_off = ["migrations/", "alembic/", "example", "sample"];
        if one_off.iter().any(|p| path.contains(p)) {
            continue;
        }
        let engines = long_lived_calls(module, &["create_engine", "create_async_engine"]);
        for engine in engines.into_iter().filter(|e| lacks_pool_settings(e.call)) {
            let function = method_name(engine.call).unwrap_or("create_engine");
            let what = match &engine.target {
                Some(target) => format!("`{target} = {function}()`"),
                None => format!("`{function}()`"),
            };
            found.push((path.clone(), module.line_of(engine.call.range().start()), what));
        }
    }
    for (file, line, what) in found {
        checker.report_at(
            &RULE,
            &file,
            line,
            format!("{what} with the default pool: no `pool_pre_ping`, `pool_recycle` or pool size"),
        );
    }

    let Some(extension) = catalog.extensions.iter().find(|e| e.kind == "sqlalchemy") else { return };
    let modules = &checker.project.modules;
    let configured = modules.iter().any(|m| FLASK_SQLALCHEMY_SETTINGS.iter().any(|s| m.source.contains(s)));
    if configured || only_sqlite_uris(checker) {
        return;
    }
    let name = extension.variable.clone().unwrap_or_else(|| extension.class.clone());
    let (file, line) = (extension.file.clone(), extension.line);
    checker.report_at(
        &RULE,
        &file,
        line,
        format!("Flask-SQLAlchemy `{name}` without `SQLALCHEMY_ENGINE_OPTIONS`: default pool, no `pool_pre_ping` or `pool_recycle`"),
    );
}

fn lacks_pool_settings(call: &ExprCall) -> bool {
    let sqlite = call.arguments.args.first().is_some_and(mentions_sqlite)
        || call.arguments.find_keyword("url").is_some_and(|k| mentions_sqlite(&k.value));
    !sqlite && !has_kwargs_splat(call) && !POOL_KEYWORDS.iter().any(|k| call.arguments.find_keyword(k).is_some())
}

/// A string literal (or f-string, `.format()`, `%` or `+` of one) containing `sqlite`.
fn mentions_sqlite(expr: &Expr) -> bool {
    match expr {
        Expr::Call(call) => match &*call.func {
            Expr::Attribute(attr) if attr.attr.as_str() == "format" => mentions_sqlite(&attr.value),
            _ => false,
        },
        Expr::BinOp(op) => mentions_sqlite(&op.left),
        Expr::StringLiteral(s) => s.value.to_str().contains("sqlite"),
        Expr::FString(f) => f.value.iter().any(|part| match part {
            ruff_python_ast::FStringPart::Literal(l) => l.value.contains("sqlite"),
            ruff_python_ast::FStringPart::FString(f) => f.elements.literals().any(|l| l.value.contains("sqlite")),
        }),
        _ => false,
    }
}

/// Every assignment of `SQLALCHEMY_DATABASE_URI` (class attribute, config
/// item) is a SQLite string literal.
fn only_sqlite_uris(checker: &Checker) -> bool {
    let mut values = Vec::new();
    for module in &checker.project.modules {
        collect_uri_values(&module.ast.body, &mut values);
    }
    !values.is_empty() && values.iter().all(|v| mentions_sqlite(v))
}

fn collect_uri_values<'a>(body: &'a [Stmt], out: &mut Vec<&'a Expr>) {
    for stmt in body {
        match stmt {
            Stmt::Assign(assign) => {
                let is_uri = assign.targets.iter().any(|t| match t {
                    Expr::Name(n) => n.id.as_str() == "SQLALCHEMY_DATABASE_URI",
                    Expr::Subscript(s) => {
                        crate::checker::helpers::string_value(&s.slice) == Some("SQLALCHEMY_DATABASE_URI")
                    }
                    _ => false,
                });
                if is_uri {
                    out.push(&assign.value);
                }
            }
            Stmt::ClassDef(class) => collect_uri_values(&class.body, out),
            Stmt::FunctionDef(function) => collect_uri_values(&function.body, out),
            Stmt::If(s) => {
                collect_uri_values(&s.body, out);
                for clause in &s.elif_else_clauses {
                    collect_uri_values(&clause.body, out);
                }
            }
            _ => {}
        }
    }
}
