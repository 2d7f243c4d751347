//! OBS005: the documentation is [`DOC`].

use retort_python::Module;
use ruff_python_ast::visitor::{walk_expr, walk_stmt, Visitor};
use ruff_python_ast::{Expr, Stmt};

use crate::checker::helpers::{callee, dotted};
use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::rules::observability::{has_capability, serving_app};

pub const RULE: Rule = Rule {
    code: "OBS005",
    name: "no-structured-logging",
    category: Category::Observability,
    severity: Severity::Info,
    cwe: None,
    summary: "No structured (JSON) logging",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Reports, once at the application, a service with routes whose logs are
plain text: nothing produces JSON log lines. Any of these counts as
structured logging:

- `python-json-logger` (`pythonjsonlogger`), `structlog`,
  `json-log-formatter`, `ecs-logging` or `loguru` in the dependencies or
  the imports;
- a `logging.Formatter` subclass whose methods call `json.dumps`;
- a `dictConfig(...)` whose formatters name a JSON formatter class.

JSON logging that is switched on by configuration (a formatter chosen when
`LOG_JSON` is set) counts: the rule asks whether the code can emit
structured logs, not how a given environment is configured.

## Why is this bad?
Log pipelines (Loki, Elasticsearch, CloudWatch, Datadog) index fields.
Plain text lines have to be parsed with fragile patterns, multi-line
tracebacks split into separate events, and the request id, user or order
that would let an on-call engineer filter the logs of one failing request
is buried in a string.

## Example
```python
logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
```

Use instead:
```python
from pythonjsonlogger.json import JsonFormatter

handler = logging.StreamHandler()
handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
logging.basicConfig(level=logging.INFO, handlers=[handler])
```

## References
- [python-json-logger](https://nhairs.github.io/python-json-logger/)
- [structlog: Logging best practices](https://www.structlog.org/en/stable/logging-best-practices.html)
- [The Twelve-Factor App: Logs](https://12factor.net/logs)
"#;

const PACKAGES: &[&str] = &["python-json-logger", "structlog", "json-log-formatter", "ecs-logging", "loguru"];
const IMPORTS: &[&str] = &["pythonjsonlogger", "structlog", "json_log_formatter", "ecs_logging", "loguru"];

pub fn check(checker: &mut Checker) {
    let Some((file, line, id)) = serving_app(checker) else { return };
    if has_capability(checker, "structured-logging", PACKAGES, IMPORTS) {
        return;
    }
    if checker.project.modules.iter().any(has_json_formatter) {
        return;
    }
    checker.report_at(&RULE, &file, line, format!("`{id}`: logs are plain text (no JSON formatter or structlog)"));
}

/// A `logging.Formatter` subclass that calls `json.dumps`, or a module
/// calling `dictConfig` whose string literals name a JSON formatter.
fn has_json_formatter(module: &Module) -> bool {
    let uses_dict_config = module.source.contains("dictConfig");
    let mut finder = Finder { uses_dict_config, found: false };
    for stmt in &module.ast.body {
        finder.visit_stmt(stmt);
    }
    finder.found
}

struct Finder {
    uses_dict_config: bool,
    found: bool,
}

impl<'a> Visitor<'a> for Finder {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::ClassDef(class) = stmt {
            let formatter = class.bases().iter().any(|b| dotted(b).is_some_and(|d| d.ends_with("Formatter")));
            if formatter && calls_json_dumps(&class.body) {
                self.found = true;
            }
        }
        walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let (true, Expr::StringLiteral(s)) = (self.uses_dict_config, expr) {
            let text = s.value.to_str().to_ascii_lowercase();
            if JSON_FORMATTER_NAMES.iter().any(|n| text.contains(n)) {
                self.found = true;
            }
        }
        walk_expr(self, expr);
    }
}

/// Fragments of JSON formatter class paths as `dictConfig` names them.
const JSON_FORMATTER_NAMES: &[&str] =
    &["jsonformatter", "json_formatter", "jsonlogger", "json_log_formatter", "ecs_logging"];

fn calls_json_dumps(body: &[Stmt]) -> bool {
    struct Dumps(bool);
    impl<'a> Visitor<'a> for Dumps {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr {
                if matches!(callee(call).as_deref(), Some("json.dumps" | "dumps" | "orjson.dumps" | "ujson.dumps")) {
                    self.0 = true;
                }
            }
            walk_expr(self, expr);
        }
    }
    let mut dumps = Dumps(false);
    for stmt in body {
        dumps.visit_stmt(stmt);
    }
    dumps.0
}
