//! SEC007: the documentation is [`DOC`].

use ruff_python_ast::Expr;

use crate::checker::helpers::dotted;
use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::taint::SinkSite;

pub const RULE: Rule = Rule {
    code: "SEC007",
    name: "open-redirect",
    category: Category::Security,
    severity: Severity::Warning,
    cwe: Some(601),
    summary: "Redirect to a URL taken from the request",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Flags `redirect()` whose target comes from the request (`?next=`, form
fields, headers such as `Referer`) without passing through a function that
checks it, inside a request handler. A target whose start is fixed
(`f"/books/{slug}"`, `HOST + "/" + x`) or that is only used inside
`if is_safe_url(target):` (any validator named `*safe*`, `*allowed*`,
`*valid*`) is not flagged; `"/" + x` is, since `//evil.example` is a
protocol-relative URL.

## Why is this bad?
`https://shop.example.com/login?next=https://evil.example` sends users who
trust your domain to a phishing page, and can leak tokens carried in the
URL.

## Example
```python
return redirect(request.args.get("next") or url_for("index"))
```

Use instead:
```python
def safe_next(target):
    parts = urlsplit(target or "")
    return target if target and not parts.scheme and not parts.netloc and target.startswith("/") else None

return redirect(safe_next(request.args.get("next")) or url_for("index"))
```

## References
- [OWASP: Unvalidated Redirects and Forwards](https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html)
- [CWE-601](https://cwe.mitre.org/data/definitions/601.html)
"#;

pub fn sink<'a>(site: &SinkSite<'a>) -> Option<&'a Expr> {
    let call = site.call;
    match dotted(&call.func)?.as_str() {
        "redirect" | "flask.redirect" | "werkzeug.utils.redirect" => call.arguments.find_argument_value("location", 0),
        _ => None,
    }
}
