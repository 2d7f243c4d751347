//! OBS003: the documentation is [`DOC`].

use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::rules::observability::report_missing_capability;

pub const RULE: Rule = Rule {
    code: "OBS003",
    name: "no-tracing",
    category: Category::Observability,
    severity: Severity::Info,
    cwe: None,
    summary: "No distributed tracing",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Reports an application with no tracing: no OpenTelemetry instrumentation,
`ddtrace`, Elastic APM or New Relic in the catalog, the dependencies or the
imports.

## Why is this bad?
When a request is slow, a trace shows where the time went — the database,
an upstream API, a lock. Without one, every latency investigation starts
from guesses, and calls across services cannot be followed.

## Example
```python
app = Flask(__name__)
```

Use instead:
```python
from opentelemetry.instrumentation.flask import FlaskInstrumentor

app = Flask(__name__)
FlaskInstrumentor().instrument_app(app)
```

## References
- [OpenTelemetry: Flask instrumentation](https://opentelemetry-python-contrib.readthedocs.io/en/latest/instrumentation/flask/flask.html)
"#;

const PACKAGES: &[&str] = &[
    "opentelemetry-instrumentation",
    "opentelemetry-sdk",
    "ddtrace",
    "elastic-apm",
    "newrelic",
    "jaeger-client",
    "opencensus",
];
const IMPORTS: &[&str] = &["opentelemetry", "ddtrace", "elasticapm", "newrelic"];

pub fn check(checker: &mut Checker) {
    report_missing_capability(
        checker,
        &RULE,
        "tracing",
        PACKAGES,
        IMPORTS,
        "no tracing (OpenTelemetry or an APM agent)",
    );
}
