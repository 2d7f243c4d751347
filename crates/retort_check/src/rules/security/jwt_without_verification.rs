//! SEC015: the documentation is [`DOC`].

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use crate::checker::helpers::{callee, is_false, string_value};
use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;

pub const RULE: Rule = Rule {
    code: "SEC015",
    name: "jwt-without-verification",
    category: Category::Security,
    severity: Severity::Error,
    cwe: Some(347),
    summary: "JWT decoded without verifying its signature",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Flags `jwt.decode(...)` (PyJWT) called with
`options={"verify_signature": False}`, with `verify=False` (PyJWT 1.x), or
with `"none"` among the accepted `algorithms`.

## Why is this bad?
A token whose signature is not checked proves nothing: anyone can write a
token claiming to be any user or any role, and the service will believe it.

## Example
```python
claims = jwt.decode(token, options={"verify_signature": False})
```

Use instead:
```python
claims = jwt.decode(token, key=current_app.config["JWT_PUBLIC_KEY"], algorithms=["RS256"])
```

## References
- [PyJWT: Usage](https://pyjwt.readthedocs.io/en/stable/usage.html)
- [CWE-347: Improper Verification of Cryptographic Signature](https://cwe.mitre.org/data/definitions/347.html)
"#;

pub fn check(checker: &mut Checker, expr: &Expr) {
    let Expr::Call(call) = expr else { return };
    if !callee(call).is_some_and(|c| c == "jwt.decode" || c.ends_with(".jwt.decode")) {
        return;
    }
    if let Some(verify) = call.arguments.find_keyword("verify") {
        if is_false(&verify.value) {
            checker.report(&RULE, verify.range(), "`jwt.decode(…, verify=False)` accepts forged tokens");
            return;
        }
    }
    if let Some(options) = call.arguments.find_keyword("options") {
        if let Expr::Dict(dict) = &options.value {
            let disabled = dict.items.iter().any(|item| {
                item.key.as_ref().and_then(string_value) == Some("verify_signature") && is_false(&item.value)
            });
            if disabled {
                checker.report(
                    &RULE,
                    options.range(),
                    "`jwt.decode` with `verify_signature: False` accepts forged tokens",
                );
                return;
            }
        }
    }
    if let Some(algorithms) = call.arguments.find_keyword("algorithms") {
        let elements: &[Expr] = match &algorithms.value {
            Expr::List(list) => &list.elts,
            Expr::Tuple(tuple) => &tuple.elts,
            _ => &[],
        };
        if elements.iter().any(|e| string_value(e).is_some_and(|s| s.eq_ignore_ascii_case("none"))) {
            checker.report(&RULE, algorithms.range(), "`jwt.decode` accepts the unsigned `none` algorithm");
        }
    }
}
