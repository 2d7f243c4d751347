//! DEL005: the documentation is [`DOC`].

use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::rules::delivery::{dockerfiles, final_stage};

pub const RULE: Rule = Rule {
    code: "DEL005",
    name: "dockerfile-runs-as-root",
    category: Category::Delivery,
    severity: Severity::Warning,
    cwe: Some(250),
    summary: "Container runs as root",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Flags Dockerfiles whose final stage has no `USER` instruction, or switches
back to `root`.

## Why is this bad?
A process running as root inside the container turns any code execution
bug — a deserialisation, a debugger left on — into root in the container,
with write access to the image and a much shorter way out of it.

## Example
```dockerfile
FROM python:3.12-slim
COPY . /app
CMD ["gunicorn", "wsgi:app"]
```

Use instead:
```dockerfile
FROM python:3.12-slim
RUN useradd --create-home app
COPY --chown=app . /app
USER app
CMD ["gunicorn", "wsgi:app"]
```

## References
- [Docker: Dockerfile best practices — USER](https://docs.docker.com/build/building/best-practices/#user)
- [CWE-250: Execution with Unnecessary Privileges](https://cwe.mitre.org/data/definitions/250.html)
"#;

pub fn check(checker: &mut Checker) {
    for (file, instructions) in dockerfiles(checker) {
        let stage = final_stage(&instructions);
        let user = stage.iter().rev().find(|i| i.keyword == "USER");
        let root = match user {
            None => true,
            Some(u) => {
                let name = u.arguments.split(':').next().unwrap_or("").trim();
                name == "root" || name == "0"
            }
        };
        if root {
            let anchor = stage.iter().rev().find(|i| i.keyword == "CMD" || i.keyword == "ENTRYPOINT").or(stage.first());
            let line = anchor.map_or(1, |i| i.line);
            checker.report_at(
                &RULE,
                &file,
                line,
                "the container runs as root: the final stage sets no non-root `USER`",
            );
        }
    }
}
