//! SEC012: the documentation is [`DOC`].

use ruff_python_ast::Expr;

use crate::checker::helpers::dotted;
use retort_dataflow::SinkKind;

use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::taint::{SinkFinder, SinkSite, TaintCheck};

pub const RULE: Rule = Rule {
    code: "SEC012",
    name: "server-side-request-forgery",
    category: Category::Security,
    severity: Severity::Error,
    cwe: Some(918),
    summary: "Outbound request to a URL taken from the request",
    doc: DOC,
};

/// The engine's `ssrf` sinks, and those [`sink`] finds.
pub const TAINT: TaintCheck = TaintCheck { kind: SinkKind::Ssrf, sink: Some(SinkFinder::One(sink)) };

pub const DOC: &str = r#"
## What it does
Flags `requests`, `httpx` and `urllib.request.urlopen` calls whose URL
starts with request data, inside a request handler. A URL whose scheme and
host are fixed (`f"{API_BASE}/items/{item_id}"`) is not flagged, nor is a
URL whose host was checked with an early exit (`if not
validators.domain(urlparse(url).netloc): return …`, or an allow-list of
hosts). The request may be made inside the project's own client class,
also one kept on `g` (`g.user_request.send(base_url=url)`): the finding
is at the library call, with the path through the class.

## Why is this bad?
The server fetches whatever the client names — including
`http://169.254.169.254/` (cloud credentials), `http://localhost:6379/`
and internal admin interfaces that trust the server's network position.

## Example
```python
url = request.args["url"]
preview = requests.get(url, timeout=5).text
```

Use instead:
```python
url = request.args["url"]
if urlsplit(url).hostname not in ALLOWED_HOSTS:
    abort(400)
preview = requests.get(url, timeout=5).text
```

## References
- [OWASP: Server-Side Request Forgery Prevention](https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html)
- [CWE-918](https://cwe.mitre.org/data/definitions/918.html)
"#;

const METHODS: &[&str] = &["get", "post", "put", "patch", "delete", "head", "options", "stream"];

pub fn sink<'a>(site: &SinkSite<'a, '_>) -> Option<&'a Expr> {
    let call = site.call;
    let callee = dotted(&call.func)?;
    let (module, function) = callee.rsplit_once('.').unwrap_or(("", callee.as_str()));
    match (module, function) {
        ("requests" | "httpx", "request") => call.arguments.find_argument_value("url", 1),
        ("requests" | "httpx", f) if METHODS.contains(&f) => call.arguments.find_argument_value("url", 0),
        ("" | "request" | "urllib.request", "urlopen") => call.arguments.find_argument_value("url", 0),
        _ => None,
    }
}
