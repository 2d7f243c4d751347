//! PERF002: the documentation is [`DOC`].

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use crate::checker::helpers::dotted;
use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;

pub const RULE: Rule = Rule {
    code: "PERF002",
    name: "sleep-in-request-handler",
    category: Category::Performance,
    severity: Severity::Warning,
    cwe: None,
    summary: "`time.sleep()` in a request handler",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Flags `time.sleep()` called inside a request handler.

## Why is this bad?
A sync worker serves one request at a time: while it sleeps, it serves
nobody. Sleeping to wait for another system (polling, retry back-off) in
the request path multiplies latency and cuts capacity; that work belongs in
a background task.

## Example
```python
job = start_export()
while not job.done():
    time.sleep(1)
```

Use instead:
```python
task = export_orders.delay()
return {"task_id": task.id}, 202
```

## References
- [Gunicorn: Design (sync workers)](https://docs.gunicorn.org/en/stable/design.html)
"#;

pub fn check(checker: &mut Checker, expr: &Expr) {
    if !checker.in_request_handler() {
        return;
    }
    let Expr::Call(call) = expr else { return };
    if matches!(dotted(&call.func).as_deref(), Some("time.sleep")) {
        checker.report(&RULE, call.range(), "`time.sleep()` blocks the worker serving this request");
    }
}
