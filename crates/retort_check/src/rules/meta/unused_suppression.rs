//! RET100: the documentation is [`DOC`]. Reported by the engine itself.

use crate::finding::{Category, Severity};
use crate::registry::Rule;

pub const RULE: Rule = Rule {
    code: "RET100",
    name: "unused-suppression",
    category: Category::Meta,
    severity: Severity::Info,
    cwe: None,
    summary: "Suppression comment that suppresses nothing",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Reports `# retort: ignore` and `# retort: ignore[CODE]` comments on lines
where no finding of the named (enabled) rules was reported.

## Why is this bad?
A stale suppression hides the next real finding on that line, and tells
readers that something dangerous happens there when it no longer does.

## Example
```python
resp = requests.get(url, timeout=5)  # retort: ignore[REL001]
```

Use instead:
```python
resp = requests.get(url, timeout=5)
```

## References
- [Ruff: unused-noqa (RUF100)](https://docs.astral.sh/ruff/rules/unused-noqa/)
"#;
