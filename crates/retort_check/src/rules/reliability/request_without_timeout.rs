//! REL001: the documentation is [`DOC`].

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use crate::checker::helpers::{dotted, has_kwargs_splat};
use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;

pub const RULE: Rule = Rule {
    code: "REL001",
    name: "request-without-timeout",
    category: Category::Reliability,
    severity: Severity::Warning,
    cwe: Some(400),
    summary: "Outbound HTTP call without a timeout",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Flags `requests.get/post/put/patch/delete/head/options/request()` and
`urllib.request.urlopen()` called without a `timeout`.

## Why is this bad?
Requests waits forever by default. A slow or hung upstream then holds a
worker — a gunicorn worker serving users, or a Celery worker slot — until
the process is killed; a handful of such calls takes the whole service down
with the upstream.

## Example
```python
resp = requests.get(url, params=params)
```

Use instead:
```python
resp = requests.get(url, params=params, timeout=(3.05, 10))
```

## References
- [Requests: Timeouts](https://requests.readthedocs.io/en/latest/user/advanced/#timeouts)
- [CWE-400: Uncontrolled Resource Consumption](https://cwe.mitre.org/data/definitions/400.html)
"#;

const REQUESTS_FUNCTIONS: &[&str] = &["get", "post", "put", "patch", "delete", "head", "options", "request"];

pub fn check(checker: &mut Checker, expr: &Expr) {
    let Expr::Call(call) = expr else { return };
    let Some(callee) = dotted(&call.func) else { return };
    if has_kwargs_splat(call) || call.arguments.find_keyword("timeout").is_some() {
        return;
    }
    let flagged = match callee.split_once('.') {
        Some(("requests", function)) => REQUESTS_FUNCTIONS.contains(&function),
        _ => {
            matches!(callee.as_str(), "urlopen" | "urllib.request.urlopen" | "request.urlopen")
                && call.arguments.args.len() < 3
        }
    };
    if flagged {
        checker.report(&RULE, call.func.range(), format!("`{callee}()` without `timeout=` can block a worker forever"));
    }
}
