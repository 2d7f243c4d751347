//! DEL003: the documentation is [`DOC`].

use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::rules::delivery::ci_missing_step;

pub const RULE: Rule = Rule {
    code: "DEL003",
    name: "ci-without-security-scan",
    category: Category::Delivery,
    severity: Severity::Warning,
    cwe: None,
    summary: "CI pipeline without a security scan",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Reports CI configurations where no pipeline runs a security step:
dependency audit (pip-audit, safety), static analysis (bandit, semgrep,
CodeQL, `retort check`) or a secret scan.

## Why is this bad?
Known-vulnerable dependencies and injectable code reach production
unnoticed. A security step on every change finds them while the author
still remembers the code.

## Example
```yaml
- run: pytest -q
```

Use instead:
```yaml
- run: pip-audit -r requirements.txt
- run: retort check . --fail-on error
- run: pytest -q
```

## References
- [pip-audit](https://pypi.org/project/pip-audit/)
- [OWASP: Vulnerable and Outdated Components](https://owasp.org/Top10/A06_2021-Vulnerable_and_Outdated_Components/)
"#;

pub fn check(checker: &mut Checker) {
    ci_missing_step(checker, &RULE, "security", "security (dependency audit, SAST)");
}
