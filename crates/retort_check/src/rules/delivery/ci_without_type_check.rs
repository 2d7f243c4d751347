//! DEL008: the documentation is [`DOC`].

use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::rules::delivery::ci_missing_step;

pub const RULE: Rule = Rule {
    code: "DEL008",
    name: "ci-without-type-check",
    category: Category::Delivery,
    severity: Severity::Info,
    cwe: None,
    summary: "CI pipeline without a type check",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Reports CI configurations where no pipeline runs a type checker (mypy,
pyright, pytype).

## Why is this bad?
Type checkers find `None` passed where a value is required, wrong argument
orders and attribute typos across modules — the bugs tests of the happy
path miss. They matter more as the team and the codebase grow.

## Example
```yaml
- run: pytest -q
```

Use instead:
```yaml
- run: mypy shopfront
- run: pytest -q
```

## References
- [mypy: Using mypy with an existing codebase](https://mypy.readthedocs.io/en/stable/existing_code.html)
"#;

pub fn check(checker: &mut Checker) {
    ci_missing_step(checker, &RULE, "type-check", "type-check (mypy, pyright)");
}
