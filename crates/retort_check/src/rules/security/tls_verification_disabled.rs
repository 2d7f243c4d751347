//! SEC008: the documentation is [`DOC`].

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use crate::checker::helpers::{dotted, is_false};
use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;

pub const RULE: Rule = Rule {
    code: "SEC008",
    name: "tls-verification-disabled",
    category: Category::Security,
    severity: Severity::Error,
    cwe: Some(295),
    summary: "TLS certificate verification disabled",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Flags calls with `verify=False` (requests, httpx and their sessions) and
`ssl._create_unverified_context()`.

## Why is this bad?
Without certificate verification anyone on the network path — a compromised
router, a malicious Wi-Fi, a misconfigured proxy — can read and change the
traffic, including credentials and customer data, while the client believes
it talks to the real server.

## Example
```python
requests.post(f"{base}/orders", json=payload, timeout=5, verify=False)
```

Use instead:
```python
# Trust the internal CA explicitly.
requests.post(f"{base}/orders", json=payload, timeout=5, verify="/etc/ssl/certs/internal-ca.pem")
```

## References
- [Requests: SSL Cert Verification](https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification)
- [CWE-295: Improper Certificate Validation](https://cwe.mitre.org/data/definitions/295.html)
"#;

pub fn check(checker: &mut Checker, expr: &Expr) {
    let Expr::Call(call) = expr else { return };
    if dotted(&call.func).as_deref() == Some("ssl._create_unverified_context") {
        checker.report(&RULE, call.range(), "`ssl._create_unverified_context()` accepts any certificate");
        return;
    }
    if let Some(keyword) = call.arguments.find_keyword("verify") {
        if is_false(&keyword.value) {
            let callee = checker.source(call.func.range()).to_string();
            checker.report(&RULE, keyword.range(), format!("`{callee}(…, verify=False)` accepts any certificate"));
        }
    }
}
