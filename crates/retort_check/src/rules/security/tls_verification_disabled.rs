//! SEC008: the documentation is [`DOC`].

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use retort_python::Project;

use crate::calls::{calls_receiving_keyword, resolve_call, CallScope, ProjectCallee};
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
Flags calls with `verify=False` (requests, httpx and their sessions and
clients, and any library call taking that keyword) and
`ssl._create_unverified_context()`.

A call that reaches the project's own code is not flagged, since `verify`
there means what the project says (check a schema version, validate a
file): a project function (in the module or imported), the constructor of
a project class, `self.method()` / `cls.method()` of the enclosing class
or its project bases, and `obj.method()` on an object built by a project
class's constructor or annotated with it (a local, a parameter, a
module-level object, imported or not, or an attribute `self.obj` of the
class). It is still flagged when that project function hands the argument
on to a client — `verify=verify` to a call outside the project, or
`**kwargs` when it collects the keywords, followed through up to three
project wrappers — and then the message names the client. A call whose
receiver is not resolved (`session.get(...)` with `session` a parameter,
`self.get(...)` in a subclass of `requests.Session`, a method or
constructor a project class inherits from a library base — also a
harmless one such as pydantic's `BaseModel`) is flagged, as a client may
be behind it. Not followed: `verify` stored on `self` and
used by another method (`self.verify = verify`, then
`requests.get(..., verify=self.verify)`), or handed on under another name.

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

/// How many project wrappers deep `verify` is followed.
const MAX_WRAPPER_DEPTH: usize = 3;

pub fn check(checker: &mut Checker, expr: &Expr) {
    let Expr::Call(call) = expr else { return };
    if dotted(&call.func).as_deref() == Some("ssl._create_unverified_context") {
        checker.report(&RULE, call.range(), "`ssl._create_unverified_context()` accepts any certificate");
        return;
    }
    let Some(keyword) = call.arguments.find_keyword("verify") else { return };
    if !is_false(&keyword.value) {
        return;
    }
    let callee = checker.source(call.func.range()).to_string();
    let project_callee = CallScope::of(checker, call).and_then(|scope| resolve_call(checker.project, &scope, call));
    let Some(project_callee) = project_callee else {
        // A library call, or one that is not resolved: it may be a TLS client.
        checker.report(&RULE, keyword.range(), format!("`{callee}(…, verify=False)` accepts any certificate"));
        return;
    };
    // The project's own function or method: `verify` means what the project
    // says, unless the function hands it on to a client.
    if let Some(client) = client_receiving_verify(checker.project, project_callee, 0) {
        checker.report(
            &RULE,
            keyword.range(),
            format!("`{callee}(…, verify=False)` accepts any certificate: it passes `verify` on to `{client}()`"),
        );
    }
}

/// The call (as written) that receives the `verify` argument of a project
/// function, directly or through other project functions, when it is not
/// the project's own code (a library call, or one not resolved).
fn client_receiving_verify(project: &Project, callee: ProjectCallee, depth: usize) -> Option<String> {
    let function = callee.function?;
    if depth >= MAX_WRAPPER_DEPTH {
        return None;
    }
    let scope = CallScope { module: callee.module, class: callee.class, functions: vec![function] };
    let source = &project.module(callee.module).source;
    calls_receiving_keyword(function, "verify").into_iter().find_map(|inner| {
        match resolve_call(project, &scope, inner) {
            Some(next) => client_receiving_verify(project, next, depth + 1),
            // `dict(**kwargs)` stores the keywords, it opens no connection.
            None if dotted(&inner.func).as_deref() == Some("dict") => None,
            None => Some(source[inner.func.range()].to_string()),
        }
    })
}
