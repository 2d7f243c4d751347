//! DEL012: the documentation is [`DOC`].

use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::rules::delivery::ci_missing_step;

pub const RULE: Rule = Rule {
    code: "DEL012",
    name: "ci-without-tests",
    category: Category::Delivery,
    severity: Severity::Warning,
    cwe: None,
    summary: "CI pipeline that never runs the tests",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Reports CI configurations (GitHub Actions, GitLab CI, CircleCI, Jenkins,
Azure Pipelines, Bitbucket, Travis) where no pipeline runs a test command
(`pytest`, `python -m unittest`, `tox`, `nox`, `coverage run`,
`make test`…), once, at the first step of the first pipeline.

To stay precise, a pipeline is taken to run tests as soon as one of its
commands or step names mentions tests — a step named `Run tests`, a
wrapper script such as `./scripts/test.sh`, `hatch test`, `just test` —
even when the command itself is not recognised. Job names and references
to them (`test:`, `needs: test`, `stage: test`) do not count: a job called
`test` that only lints is still reported.

## Why is this bad?
A pipeline that lints, builds and deploys without running the tests turns
green on a change that breaks the service: the tests exist on developers'
machines but nothing makes them pass before a merge or a release.

## Example
```yaml
steps:
  - uses: actions/checkout@v4
  - run: ruff check .
  - run: docker build -t shop .
```

Use instead:
```yaml
steps:
  - uses: actions/checkout@v4
  - run: ruff check .
  - run: pytest -q
  - run: docker build -t shop .
```

## References
- [GitHub Actions: Building and testing Python](https://docs.github.com/en/actions/automating-builds-and-tests/building-and-testing-python)
"#;

pub fn check(checker: &mut Checker) {
    if checker.catalog.ci.iter().any(|p| mentions_tests(checker, &p.file)) {
        return;
    }
    ci_missing_step(checker, &RULE, "test", "test (pytest, unittest, tox)");
}

/// Whether a pipeline file mentions tests in a command (a `run:` or
/// `script:` value, a list item, a line of a multi-line block, a Jenkins
/// `sh`) or a step name. Other keys (`needs: test`, `stage: test`, job
/// headers) and comments do not count.
fn mentions_tests(checker: &Checker, file: &str) -> bool {
    const COMMAND_KEYS: &[&str] = &["run", "script", "name", "command", "cmd", "sh"];
    let Ok(text) = std::fs::read_to_string(checker.project.root.join(file)) else { return true };
    text.lines().any(|line| {
        let line = line.trim().trim_start_matches("- ").trim();
        if line.starts_with('#') || line.starts_with("//") || !line.to_ascii_lowercase().contains("test") {
            return false;
        }
        match line.split_once(':') {
            Some((key, rest))
                if !key.is_empty()
                    && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                    && (rest.is_empty() || rest.starts_with(' ')) =>
            {
                COMMAND_KEYS.contains(&key)
            }
            _ => true,
        }
    })
}
