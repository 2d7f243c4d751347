//! SEC017: the documentation is [`DOC`].

use ruff_python_ast::Expr;
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
        None => true,
    };
    if any_origin {
        checker.report(&RULE, call.range(), format!("`{last}(…)` allows every origin with credentials"));
    }
}
