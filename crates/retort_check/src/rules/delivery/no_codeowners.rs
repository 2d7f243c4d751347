//! DEL009: the documentation is [`DOC`].

use super::package_artefact;
use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;

pub const RULE: Rule = Rule {
    code: "DEL009",
    name: "no-codeowners",
    category: Category::Delivery,
    severity: Severity::Info,
    cwe: None,
    summary: "No CODEOWNERS file",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Reports a repository without a `CODEOWNERS` file (at the root, in `.github/`
or in `docs/`).

A tree that is not a repository root is not judged: an unpacked wheel or
sdist (a `*.dist-info`, `*.egg-info` or `PKG-INFO` at the root or one
folder below), or a folder holding only package folders (an installed
package, a `src/` folder scanned alone) — unless it has a `.git`. Such a
tree does not hold the repository's CODEOWNERS.

## Why is this bad?
Without declared owners, reviews of sensitive code (authentication,
payments, migrations) go to whoever is free, and nobody is notified when
their area changes. CODEOWNERS makes the owning team a required reviewer.

## Example
A repository with no `CODEOWNERS`.

Use instead:
```text
# .github/CODEOWNERS
*                   @shop/backend
/shopfront/auth/    @shop/security
```

## References
- [GitHub: About code owners](https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners)
"#;

pub fn check(checker: &mut Checker) {
    let present = checker.project.other_files.iter().any(|f| f.file_name().is_some_and(|n| n == "CODEOWNERS"));
    if !present && !checker.project.modules.is_empty() && package_artefact(checker).is_none() {
        checker.report_at(&RULE, "", 0, "the repository has no CODEOWNERS file");
    }
}
