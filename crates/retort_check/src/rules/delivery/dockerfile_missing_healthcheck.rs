//! DEL007: the documentation is [`DOC`].

use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::rules::delivery::{dockerfiles, final_stage};

pub const RULE: Rule = Rule {
    code: "DEL007",
    name: "dockerfile-missing-healthcheck",
    category: Category::Delivery,
    severity: Severity::Info,
    cwe: None,
    summary: "Container image without a HEALTHCHECK",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Flags Dockerfiles whose final stage has no `HEALTHCHECK` instruction
(`HEALTHCHECK NONE` is an explicit choice and not flagged).

## Why is this bad?
Docker, Compose and Swarm only know a container is unhealthy — stuck,
deadlocked, out of database connections — if it says how to check. Without
one, a hung service keeps receiving traffic. (Kubernetes ignores
`HEALTHCHECK` and uses probes instead: then this is informational.)

## Example
```dockerfile
CMD ["gunicorn", "wsgi:app"]
```

Use instead:
```dockerfile
HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://localhost:8000/healthz || exit 1
CMD ["gunicorn", "wsgi:app"]
```

## References
- [Dockerfile reference: HEALTHCHECK](https://docs.docker.com/reference/dockerfile/#healthcheck)
"#;

pub fn check(checker: &mut Checker) {
    for (file, instructions) in dockerfiles(checker) {
        let stage = final_stage(&instructions);
        if stage.is_empty() || stage.iter().any(|i| i.keyword == "HEALTHCHECK") {
            continue;
        }
        checker.report_at(&RULE, &file, stage[0].line, "the image has no `HEALTHCHECK`");
    }
}
