//! DEL001: the documentation is [`DOC`].

use super::package_artefact;
use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;

pub const RULE: Rule = Rule {
    code: "DEL001",
    name: "no-ci-pipeline",
    category: Category::Delivery,
    severity: Severity::Warning,
    cwe: None,
    summary: "No CI pipeline",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Reports a project with no CI configuration Retort recognises (GitHub
Actions, GitLab CI, CircleCI, Jenkins, Azure Pipelines, Bitbucket, Travis).

A tree that is not a repository root is not judged: an unpacked wheel or
sdist (a `*.dist-info`, `*.egg-info` or `PKG-INFO` at the root or one
folder below), or a folder holding only package folders (an installed
package, a `src/` folder scanned alone) — unless it has a `.git`. Such a
tree does not hold the repository's CI files.

## Why is this bad?
Without CI, tests, linters and security checks run only when someone
remembers to, on their own machine. Changes reach the main branch — and
production — unchecked.

## Example
A repository with code and tests but no `.github/workflows/`.

Use instead:
```yaml
# .github/workflows/ci.yml
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install -r requirements-dev.txt
      - run: ruff check . && pytest -q
```

## References
- [GitHub Actions: Building and testing Python](https://docs.github.com/en/actions/automating-builds-and-tests/building-and-testing-python)
"#;

pub fn check(checker: &mut Checker) {
    if checker.catalog.ci.is_empty() && !checker.project.modules.is_empty() && package_artefact(checker).is_none() {
        checker.report_at(&RULE, "", 0, "no CI pipeline found (GitHub Actions, GitLab CI, CircleCI, Jenkins, …)");
    }
}
