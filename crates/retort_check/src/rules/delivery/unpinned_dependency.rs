//! DEL004: the documentation is [`DOC`].

use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;

pub const RULE: Rule = Rule {
    code: "DEL004",
    name: "unpinned-dependency",
    category: Category::Delivery,
    severity: Severity::Warning,
    cwe: Some(1357),
    summary: "Runtime dependency not pinned to an exact version",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Flags runtime dependencies (requirements files, `pyproject.toml`, Pipfile)
that are not pinned to one version (`==`), development dependencies aside.

## Why is this bad?
Two builds of the same commit can install different code. A release of a
dependency — a breaking change, a bug, or a compromised package — reaches
production without anyone changing anything, and rolling back the
application does not roll it back.

## Example
```text
Flask>=3.0
requests
```

Use instead:
```text
Flask==3.1.3
requests==2.32.3
```
(or a lock file: `uv lock`, `poetry lock`, `pip-compile --generate-hashes`)

## References
- [pip: Repeatable installs](https://pip.pypa.io/en/stable/topics/repeatable-installs/)
- [CWE-1357: Reliance on Insufficiently Trustworthy Component](https://cwe.mitre.org/data/definitions/1357.html)
"#;

pub fn check(checker: &mut Checker) {
    let deps: Vec<_> = checker.catalog.dependencies.iter().filter(|d| !d.pinned && !d.dev).cloned().collect();
    for dep in deps {
        let spec = if dep.specifier.is_empty() { "no version".to_string() } else { format!("`{}`", dep.specifier) };
        checker.report_at(&RULE, &dep.file, dep.line, format!("`{}` is not pinned ({spec})", dep.name));
    }
}
