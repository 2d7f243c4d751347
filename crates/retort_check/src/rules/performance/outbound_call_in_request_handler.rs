//! PERF006: the documentation is [`DOC`].

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use crate::checker::helpers::dotted;
use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;

pub const RULE: Rule = Rule {
    code: "PERF006",
    name: "outbound-call-in-request-handler",
    category: Category::Performance,
    severity: Severity::Info,
    cwe: None,
    summary: "Blocking outbound call made while serving a request",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Reports synchronous outbound calls made directly in a request handler:
`requests.get/post/…`, `httpx.get/post/…`, `urllib.request.urlopen()` and
opening an SMTP connection (`smtplib.SMTP(...)`, `SMTP_SSL(...)`). Calls
in helpers and background tasks are not reported, nor calls in login and
single-sign-on handlers (rules with an `auth` segment or with `login`,
`oauth`, `sso`, `saml`, `oidc`, `openid`, `callback`, `authorize`), whose
response needs the identity provider's answer; a missing timeout is
REL001's business, this rule is about where the call is made.

## Why is this bad?
A sync worker (gunicorn's default) serves one request at a time: while it
waits for the remote service, it serves nobody. The endpoint's latency
becomes the remote service's latency plus yours, and a slow or failing
dependency exhausts the worker pool — every endpoint stalls, not only this
one. Work that the response does not need (emails, webhooks, syncs) belongs
in a background task; data that changes rarely belongs in a cache.

## Example
```python
@bp.post("/orders")
def place_order():
    order = create_order(request.get_json())
    smtp = smtplib.SMTP("mail.internal")          # the client waits for the mail server
    smtp.send_message(confirmation(order))
    return {"id": order.id}, 201
```

Use instead:
```python
@bp.post("/orders")
def place_order():
    order = create_order(request.get_json())
    send_confirmation.delay(order.id)             # a Celery task
    return {"id": order.id}, 201
```

## References
- [Gunicorn: Design — how many workers, sync workers](https://docs.gunicorn.org/en/stable/design.html)
- [Flask: Background Tasks with Celery](https://flask.palletsprojects.com/en/stable/patterns/celery/)
"#;

const HTTP_FUNCTIONS: &[&str] = &["get", "post", "put", "patch", "delete", "head", "options", "request", "stream"];

/// Words of login and single-sign-on rules: the response needs the
/// identity provider's answer, so neither a background task nor a cache
/// applies.
const SIGN_IN_WORDS: &[&str] =
    &["login", "signin", "sign-in", "oauth", "sso", "saml", "oidc", "openid", "callback", "authorize"];

pub fn check(checker: &mut Checker, expr: &Expr) {
    if !checker.in_request_handler() {
        return;
    }
    let signs_in = |rule: &String| {
        let rule = rule.to_ascii_lowercase();
        rule.split('/').any(|segment| segment == "auth") || SIGN_IN_WORDS.iter().any(|w| rule.contains(w))
    };
    if !checker.handler_rules.is_empty() && checker.handler_rules.iter().all(signs_in) {
        return;
    }
    let Expr::Call(call) = expr else { return };
    let Some(callee) = dotted(&call.func) else { return };
    let blocking = match callee.split_once('.') {
        Some(("requests" | "httpx", function)) => HTTP_FUNCTIONS.contains(&function),
        _ => matches!(
            callee.as_str(),
            "urlopen" | "urllib.request.urlopen" | "smtplib.SMTP" | "smtplib.SMTP_SSL" | "SMTP" | "SMTP_SSL"
        ),
    };
    if blocking {
        checker.report(
            &RULE,
            call.func.range(),
            format!("`{callee}()` makes this request wait for a remote service; consider a background task or a cache"),
        );
    }
}
