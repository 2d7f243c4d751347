//! SEC007: the documentation is [`DOC`].

use ruff_python_ast::Expr;

use crate::checker::helpers::{dotted, string_value};
use retort_dataflow::SinkKind;

use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::taint::{SinkFinder, SinkSite, TaintCheck};

pub const RULE: Rule = Rule {
    code: "SEC007",
    name: "open-redirect",
    category: Category::Security,
    severity: Severity::Warning,
    cwe: Some(601),
    summary: "Redirect to a URL taken from the request",
    doc: DOC,
};

/// The engine's `redirect` sinks, and those [`sink`] finds.
pub const TAINT: TaintCheck = TaintCheck { kind: SinkKind::Redirect, sink: Some(SinkFinder::One(sink)) };

pub const DOC: &str = r#"
## What it does
Flags `redirect()` whose target comes from the request (`?next=`, form
fields, headers) without passing through a function that checks it,
inside a request handler. Sending the user back to the page they came
from (`redirect(request.referrer or url_for("index"))`, also with
`request.headers.get("Referer")`), read in the `redirect()` call itself,
is not flagged: the attacker can only pick a page the user was already
on. (Through a variable it is still reported.) A target whose start is fixed
(`f"/books/{slug}"`, `HOST + "/" + x`) or that is only used after a
check is not flagged: `if is_safe_url(target):`, `if not
is_safe_url(target): target = url_for("index")`, or
`if urlparse(target).netloc != request.host: abort(400)`. A project
function counts as a check by what its body does, whatever its name: it
returns a true value only when the URL is pinned (its host compared with
the request's host or an allow-list, `startswith("/")`, …), or it aborts
otherwise; `is_safe_url` returning `bool(target)` checks nothing. A library
function is judged by the models or by its name (`*safe*`, `*allowed*`,
`*valid*`). `"/" + x` is flagged, since `//evil.example` is a
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

pub fn sink<'a>(site: &SinkSite<'a, '_>) -> Option<&'a Expr> {
    let call = site.call;
    let location = match dotted(&call.func)?.as_str() {
        "redirect" | "flask.redirect" | "werkzeug.utils.redirect" => call.arguments.find_argument_value("location", 0),
        _ => None,
    }?;
    (!back_to_referrer(location)).then_some(location)
}

/// `redirect(request.referrer or url_for("index"))`: sending the user back
/// to the page they came from. The attacker can only choose a page the user
/// was already on, so it is not an open redirect.
fn back_to_referrer(location: &Expr) -> bool {
    let is_referrer = |expr: &Expr| match expr {
        Expr::Attribute(attr) => attr.attr.as_str() == "referrer" && dotted(&attr.value).as_deref() == Some("request"),
        Expr::Call(call) => {
            dotted(&call.func).as_deref() == Some("request.headers.get")
                && call.arguments.args.first().and_then(string_value).is_some_and(|h| h.eq_ignore_ascii_case("referer"))
        }
        Expr::Subscript(sub) => {
            dotted(&sub.value).as_deref() == Some("request.headers")
                && string_value(&sub.slice).is_some_and(|h| h.eq_ignore_ascii_case("referer"))
        }
        _ => false,
    };
    match location {
        Expr::BoolOp(op) => {
            op.values.iter().any(is_referrer) && op.values.iter().all(|v| is_referrer(v) || !mentions_request(v))
        }
        other => is_referrer(other),
    }
}

fn mentions_request(expr: &Expr) -> bool {
    use ruff_python_ast::visitor::{walk_expr, Visitor};
    struct Finder(bool);
    impl<'a> Visitor<'a> for Finder {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if matches!(expr, Expr::Name(name) if name.id.as_str() == "request") {
                self.0 = true;
            }
            walk_expr(self, expr);
        }
    }
    let mut finder = Finder(false);
    finder.visit_expr(expr);
    finder.0
}
