//! SEC031: the documentation is [`DOC`].

use retort_dataflow::SinkKind;

use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::taint::TaintCheck;

pub const RULE: Rule = Rule {
    code: "SEC031",
    name: "xpath-injection",
    category: Category::Security,
    severity: Severity::Error,
    cwe: Some(643),
    summary: "XPath expression built from request data",
    doc: DOC,
};

/// The engine's `xpath` sinks (see `docs/dataflow.md`).
pub const TAINT: TaintCheck = TaintCheck { kind: SinkKind::Xpath, sink: None };

pub const DOC: &str = r#"
## What it does
Flags request data reaching the expression of an XPath query: lxml's
`.xpath()` on a tree or element, and `etree.XPath()` / `etree.ETXPath()`.
Variables bound by keyword (`tree.xpath("//user[@name=$name]", name=n)`)
are safe and not flagged.

## Why is this bad?
`' or '1'='1` in a name turns "this user's node" into every node: the
query returns data it was meant to hide, or authenticates anyone.

## Example
```python
name = request.args["name"]
tree.xpath(f"//user[@name='{name}']")
```

Use instead:
```python
tree.xpath("//user[@name=$name]", name=request.args["name"])
```

## References
- [lxml: XPath variables](https://lxml.de/xpathxslt.html#the-xpath-method)
- [CWE-643](https://cwe.mitre.org/data/definitions/643.html)
"#;
