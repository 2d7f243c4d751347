//! OBS001: the documentation is [`DOC`].

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;

pub const RULE: Rule = Rule {
    code: "OBS001",
    name: "print-in-request-handler",
    category: Category::Observability,
    severity: Severity::Warning,
    cwe: Some(532),
    summary: "`print()` in a request handler",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Flags `print()` inside a request handler.

## Why is this bad?
`print` bypasses the logging configuration: no level, no request id, no
JSON structure, no redaction — and under gunicorn the output may be
buffered or lost. What is printed is often personal data (e-mail addresses,
order totals) that then sits in plain-text container logs.

## Example
```python
print(f"checkout: user={current_user.email} order={order.number}")
```

Use instead:
```python
log.info("checkout", extra={"user_id": current_user.id, "order": order.number})
```

## References
- [Flask: Logging](https://flask.palletsprojects.com/en/latest/logging/)
- [CWE-532: Insertion of Sensitive Information into Log File](https://cwe.mitre.org/data/definitions/532.html)
"#;

pub fn check(checker: &mut Checker, expr: &Expr) {
    if !checker.in_request_handler() {
        return;
    }
    let Expr::Call(call) = expr else { return };
    if matches!(&*call.func, Expr::Name(n) if n.id.as_str() == "print") {
        checker.report(&RULE, call.range(), "`print()` in a request handler bypasses structured logging");
    }
}
