//! SEC030: the documentation is [`DOC`].

use retort_dataflow::SinkKind;

use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::taint::TaintCheck;

pub const RULE: Rule = Rule {
    code: "SEC030",
    name: "ldap-injection",
    category: Category::Security,
    severity: Severity::Error,
    cwe: Some(90),
    summary: "LDAP search filter built from request data",
    doc: DOC,
};

/// The engine's `ldap` sinks (see `docs/dataflow.md`).
pub const TAINT: TaintCheck = TaintCheck { kind: SinkKind::Ldap, sink: None };

pub const DOC: &str = r#"
## What it does
Flags request data reaching the filter of an LDAP search: python-ldap's
`search_s()`, `search_st()`, `search_ext()` and `search_ext_s()` (the
`filterstr` argument) and ldap3's `Connection.search()` (the
`search_filter` argument), in modules that import `ldap` or `ldap3`.
`escape_filter_chars()` makes a value safe.

## Why is this bad?
A filter is a small language: a user name of `*)(uid=*` turns "this user"
into "every user", and `*)(|(password=*` probes attributes. Login forms
that search for the user's entry can be bypassed.

## Example
```python
user = request.form["user"]
conn.search("dc=example,dc=org", f"(uid={user})")
```

Use instead:
```python
from ldap3.utils.conv import escape_filter_chars

user = escape_filter_chars(request.form["user"])
conn.search("dc=example,dc=org", f"(uid={user})")
```

## References
- [OWASP: LDAP Injection Prevention Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/LDAP_Injection_Prevention_Cheat_Sheet.html)
- [CWE-90](https://cwe.mitre.org/data/definitions/90.html)
"#;
