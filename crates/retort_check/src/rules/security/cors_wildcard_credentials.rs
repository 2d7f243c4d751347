//! SEC017: the documentation is [`DOC`].

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use crate::checker::helpers::{callee, is_true, string_value};
use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;

pub const RULE: Rule = Rule {
    code: "SEC017",
    name: "cors-wildcard-with-credentials",
    category: Category::Security,
    severity: Severity::Error,
    cwe: Some(942),
    summary: "CORS allows any origin together with credentials",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Flags Flask-Cors `CORS(...)` and `@cross_origin(...)` with
`supports_credentials=True` whose `origins` is `"*"`, a list containing
`"*"`, or missing (Flask-Cors then allows every origin, and reflects it).
A missing `origins` falls back to the app's `CORS_ORIGINS` setting, so it
is not flagged when the project sets `CORS_ORIGINS` to literal origins
without `"*"` (a config class or module attribute, or
`app.config["CORS_ORIGINS"] = ...`).

## Why is this bad?
With credentials allowed, any web site a logged-in user visits can call the
API with the user's cookies and read the answers: the same-origin policy no
longer protects the session.

## Example
```python
CORS(app, supports_credentials=True)
```

Use instead:
```python
CORS(app, origins=["https://shop.example.com"], supports_credentials=True)
```

## References
- [Flask-Cors: API](https://flask-cors.readthedocs.io/en/latest/api.html)
- [CWE-942: Permissive Cross-domain Policy with Untrusted Domains](https://cwe.mitre.org/data/definitions/942.html)
"#;

fn allows_any(origins: &Expr) -> bool {
    match origins {
        Expr::List(list) => list.elts.iter().any(allows_any),
        Expr::Tuple(tuple) => tuple.elts.iter().any(allows_any),
        other => string_value(other).is_some_and(|s| s == "*"),
    }
}

/// Whether the project sets `CORS_ORIGINS` to literal origins without
/// `"*"` (`CORS_ORIGINS = [...]` in a config class or module, or
/// `app.config["CORS_ORIGINS"] = [...]`), which Flask-Cors uses when a
/// call gives no `origins`.
fn project_restricts_origins(project: &retort_python::Project) -> bool {
    fn literal_origins(value: &Expr) -> bool {
        match value {
            Expr::List(list) => !list.elts.is_empty() && list.elts.iter().all(|e| string_value(e).is_some()),
            Expr::Tuple(tuple) => !tuple.elts.is_empty() && tuple.elts.iter().all(|e| string_value(e).is_some()),
            other => string_value(other).is_some(),
        }
    }
    fn names_cors_origins(target: &Expr) -> bool {
        match target {
            Expr::Name(name) => name.id.as_str() == "CORS_ORIGINS",
            Expr::Subscript(sub) => string_value(&sub.slice) == Some("CORS_ORIGINS"),
            _ => false,
        }
    }
    fn restricts(body: &[Stmt]) -> bool {
        body.iter().any(|stmt| match stmt {
            Stmt::Assign(assign) => {
                assign.targets.iter().any(names_cors_origins)
                    && literal_origins(&assign.value)
                    && !allows_any(&assign.value)
            }
            Stmt::ClassDef(class) => restricts(&class.body),
            Stmt::FunctionDef(function) => restricts(&function.body),
            Stmt::If(branch) => {
                restricts(&branch.body) || branch.elif_else_clauses.iter().any(|clause| restricts(&clause.body))
            }
            _ => false,
        })
    }
    project.modules.iter().any(|module| restricts(&module.ast.body))
}

pub fn check(checker: &mut Checker, expr: &Expr) {
    let Expr::Call(call) = expr else { return };
    let Some(name) = callee(call) else { return };
    let last = name.rsplit('.').next().unwrap_or(&name);
    if last != "CORS" && last != "cross_origin" {
        return;
    }
    let credentials = call.arguments.find_keyword("supports_credentials").is_some_and(|k| is_true(&k.value));
    if !credentials || call.arguments.find_keyword("resources").is_some() {
        return;
    }
    let any_origin = match call.arguments.find_keyword("origins") {
        Some(origins) => allows_any(&origins.value),
        None => !project_restricts_origins(checker.project),
    };
    if any_origin {
        checker.report(&RULE, call.range(), format!("`{last}(…)` allows every origin with credentials"));
    }
}
