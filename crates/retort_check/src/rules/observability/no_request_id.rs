//! OBS006: the documentation is [`DOC`].

use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::rules::observability::{has_capability, serving_app};

pub const RULE: Rule = Rule {
    code: "OBS006",
    name: "no-request-id",
    category: Category::Observability,
    severity: Severity::Info,
    cwe: None,
    summary: "No request or correlation id propagation",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Reports, once at the application, a service with routes that neither reads
nor sets a request or correlation id. Any of these counts:

- a header named `X-Request-ID`, `X-Correlation-ID`, `Request-Id`,
  `Correlation-Id` or `traceparent` (any case) anywhere in the code;
- `g.request_id` / `g.correlation_id` / `g.trace_id` set or read;
- `flask-request-id`, `flask-request-id-header`, `flask-log-request-id`
  or `asgi-correlation-id` in the dependencies or imports;
- a tracer that propagates trace context across services and can stamp
  log records with the trace id: OpenTelemetry, `ddtrace`, Elastic APM.

## Why is this bad?
Without an id carried from the edge (load balancer, API gateway, caller)
through the service and into every log line, the logs of one failing
request cannot be told apart from the hundreds of requests interleaved with
them, and a call cannot be followed from one service to the next.

## Example
```python
app = Flask(__name__)
```

Use instead:
```python
@app.before_request
def assign_request_id():
    g.request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex

@app.after_request
def echo_request_id(response):
    response.headers["X-Request-ID"] = g.request_id
    return response
```

## References
- [Heroku: HTTP request IDs](https://devcenter.heroku.com/articles/http-request-id)
- [W3C Trace Context](https://www.w3.org/TR/trace-context/)
"#;

const PACKAGES: &[&str] = &[
    "flask-request-id",
    "flask-log-request-id",
    "asgi-correlation-id",
    "opentelemetry-instrumentation",
    "opentelemetry-sdk",
    "ddtrace",
    "elastic-apm",
];
const IMPORTS: &[&str] =
    &["flask_request_id", "flask_log_request_id", "asgi_correlation_id", "opentelemetry", "ddtrace", "elasticapm"];
/// Lower-cased fragments of the source that show a request id is handled.
const MARKERS: &[&str] = &[
    "x-request-id",
    "x-correlation-id",
    "\"request-id\"",
    "'request-id'",
    "\"correlation-id\"",
    "'correlation-id'",
    "traceparent",
    "g.request_id",
    "g.correlation_id",
    "g.trace_id",
    "g, \"request_id\"",
    "g, 'request_id'",
];

pub fn check(checker: &mut Checker) {
    let Some((file, line, id)) = serving_app(checker) else { return };
    if has_capability(checker, "tracing", PACKAGES, IMPORTS) {
        return;
    }
    let marked = checker.project.modules.iter().any(|m| {
        let lower = m.source.to_ascii_lowercase();
        MARKERS.iter().any(|marker| lower.contains(marker))
    });
    if !marked {
        checker.report_at(
            &RULE,
            &file,
            line,
            format!("`{id}`: no request or correlation id (`X-Request-ID`) is read, set or logged"),
        );
    }
}
