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
that are not pinned to one version (`==`), development dependencies aside:
one finding per file, at its first unpinned line, naming them (pinning is
one decision per file, not per line).

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

/// How many unpinned dependencies a message names before "and N more".
const NAMED: usize = 5;

pub fn check(checker: &mut Checker) {
    let runtime: Vec<_> = checker.catalog.dependencies.iter().filter(|d| !d.dev).collect();
    let mut files: Vec<&str> = runtime.iter().map(|d| d.file.as_str()).collect();
    files.dedup();
    files.sort();
    files.dedup();
    for file in files {
        let in_file: Vec<_> = runtime.iter().filter(|d| d.file == file).collect();
        let unpinned: Vec<_> = in_file.iter().filter(|d| !d.pinned).collect();
        let Some(first) = unpinned.iter().min_by_key(|d| d.line) else { continue };
        let mut named: Vec<String> =
            unpinned
                .iter()
                .take(NAMED)
                .map(|d| {
                    if d.specifier.is_empty() {
                        format!("`{}`", d.name)
                    } else {
                        format!("`{}{}`", d.name, d.specifier)
                    }
                })
                .collect();
        if unpinned.len() > NAMED {
            named.push(format!("and {} more", unpinned.len() - NAMED));
        }
        let message = format!(
            "{} of {} runtime dependencies are not pinned: {}",
            unpinned.len(),
            in_file.len(),
            named.join(", ")
        );
        let (file, line) = (first.file.clone(), first.line);
        checker.report_at(&RULE, &file, line, message);
    }
}
