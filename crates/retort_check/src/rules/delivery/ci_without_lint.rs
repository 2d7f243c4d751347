//! DEL002: the documentation is [`DOC`].

use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::rules::delivery::ci_missing_step;

pub const RULE: Rule = Rule {
    code: "DEL002",
    name: "ci-without-lint",
    category: Category::Delivery,
    severity: Severity::Warning,
    cwe: None,
    summary: "CI pipeline without a lint step",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Reports CI configurations where no pipeline runs a linter (ruff, flake8,
pylint, black --check, pre-commit…).

## Why is this bad?
Linters catch undefined names, unused imports, shadowed variables and
style drift before review. Without them in CI, each reviewer re-does that
work by eye, and code that does not run on the unhappy path gets merged.

## Example
```yaml
- run: pytest -q
```

Use instead:
```yaml
- run: ruff check .
- run: ruff format --check .
- run: pytest -q
```

## References
- [Ruff: Continuous integration](https://docs.astral.sh/ruff/integrations/)
"#;

pub fn check(checker: &mut Checker) {
    ci_missing_step(checker, &RULE, "lint", "lint (ruff, flake8, pylint)");
}
