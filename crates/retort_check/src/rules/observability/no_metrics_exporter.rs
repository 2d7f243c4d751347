//! OBS002: the documentation is [`DOC`].

use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::rules::observability::report_missing_capability;

pub const RULE: Rule = Rule {
    code: "OBS002",
    name: "no-metrics-exporter",
    category: Category::Observability,
    severity: Severity::Info,
    cwe: None,
    summary: "No metrics exporter",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Reports an application with no metrics exporter: no
`prometheus_flask_exporter`, `prometheus_client`, StatsD or Datadog in the
catalog, the dependencies or the imports.

## Why is this bad?
Without request rates, error rates and latency histograms nobody can see
a slowdown before users do, set SLOs, alert, or size capacity.

## Example
```python
app = Flask(__name__)
```

Use instead:
```python
from prometheus_flask_exporter import PrometheusMetrics

app = Flask(__name__)
metrics = PrometheusMetrics(app)  # /metrics with per-endpoint histograms
```

## References
- [prometheus-flask-exporter](https://github.com/rycus86/prometheus_flask_exporter)
- [Google SRE book: Monitoring Distributed Systems](https://sre.google/sre-book/monitoring-distributed-systems/)
"#;

const PACKAGES: &[&str] = &[
    "prometheus-flask-exporter",
    "prometheus-client",
    "statsd",
    "datadog",
    "aioprometheus",
    "opentelemetry-exporter-prometheus",
];
const IMPORTS: &[&str] = &["prometheus_client", "prometheus_flask_exporter", "statsd", "datadog"];

pub fn check(checker: &mut Checker) {
    report_missing_capability(checker, &RULE, "metrics", PACKAGES, IMPORTS, "no metrics exporter (Prometheus, StatsD)");
}
