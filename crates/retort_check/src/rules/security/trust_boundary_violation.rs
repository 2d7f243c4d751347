//! SEC032: the documentation is [`DOC`].

use retort_dataflow::SinkKind;

use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::taint::TaintCheck;

pub const RULE: Rule = Rule {
    code: "SEC032",
    name: "trust-boundary-violation",
    category: Category::Security,
    severity: Severity::Warning,
    cwe: Some(501),
    summary: "Request data stored in the session",
    doc: DOC,
};

/// The engine's `trust-boundary` sinks (see `docs/dataflow.md`).
pub const TAINT: TaintCheck = TaintCheck { kind: SinkKind::TrustBoundary, sink: None };

pub const DOC: &str = r#"
## What it does
Flags request data stored in Flask's `session` (`session["role"] =
request.form["role"]`) without passing a validator or an allow-list check
first. A login that stores the user name once a check given the
credentials has accepted them (`if response.ok:` after
`requests.post(url, auth=(username, password))`, `if
check_password_hash(user.password_hash, password):` for the user found by
that name) is not flagged: the test asks something that received at least
two request values, directly or through the results it reads.

## Why is this bad?
Code reads the session as trusted: it was set by the server. A value
copied there from the request keeps the client's choice but loses the
mark of where it came from, and later code (authorisation, templates,
queries) trusts it (a trust boundary violation).

## Example
```python
session["role"] = request.form["role"]
```

Use instead:
```python
role = request.form["role"]
if role not in ALLOWED_ROLES:
    abort(400)
session["role"] = role
```

## References
- [CWE-501: Trust Boundary Violation](https://cwe.mitre.org/data/definitions/501.html)
"#;
