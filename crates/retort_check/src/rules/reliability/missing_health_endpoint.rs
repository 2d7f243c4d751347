//! REL003: the documentation is [`DOC`].

use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;

pub const RULE: Rule = Rule {
    code: "REL003",
    name: "missing-health-endpoint",
    category: Category::Reliability,
    severity: Severity::Warning,
    cwe: None,
    summary: "No health or readiness endpoint",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Reports an application with routes but none whose rule ends in a health
or readiness probe path: `health`, `healthz`, `healthcheck`, `ready`,
`readyz`, `readiness`, `live`, `livez`, `liveness`, `ping`, `gtg`.

## Why is this bad?
Load balancers and orchestrators decide where traffic goes and when to
restart a process by probing it. Without a probe they send traffic to
instances that are starting, stuck or cut off from the database.

## Example
```python
app = Flask(__name__)
# no /healthz
```

Use instead:
```python
@app.get("/healthz")
def liveness():
    return {"status": "ok"}

@app.get("/readyz")
def readiness():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
```

## References
- [Kubernetes: Liveness, Readiness and Startup Probes](https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/)
"#;

pub use retort_flask::probes::is_health_rule;

pub fn check(checker: &mut Checker) {
    let catalog = checker.catalog;
    let Some(app) = catalog.apps.first() else { return };
    let has_routes = catalog.routes.iter().any(|r| r.view_location.is_some());
    if has_routes && !catalog.routes.iter().any(|r| r.rule.as_deref().is_some_and(is_health_rule)) {
        checker.report_at(&RULE, &app.file, app.line, format!("`{}` has no health or readiness endpoint", app.id));
    }
}
