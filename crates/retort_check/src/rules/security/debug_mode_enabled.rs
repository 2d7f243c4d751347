//! SEC001: the documentation is [`DOC`].

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use crate::checker::helpers::{dotted, is_false, is_true, string_value};
use crate::checker::Checker;
use crate::exposure::{has_logins, host_of, serves_loopback_only};
use crate::finding::{Category, Confidence, Severity};
use crate::registry::Rule;
use crate::rules::in_non_production_scope;

pub const RULE: Rule = Rule {
    code: "SEC001",
    name: "debug-mode-enabled",
    category: Category::Security,
    severity: Severity::Error,
    cwe: Some(489),
    summary: "Flask debug mode enabled outside a development configuration",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Flags `app.run(debug=True)`, `app.debug = True`, `app.config["DEBUG"] = True`
and `DEBUG = True` in configuration classes or modules that are not named
as development or test settings. Settings under an `if` that tests a debug
switch (`if args.debug:`, `if os.environ.get("FLASK_DEBUG"):`) are the
operator's explicit choice and are not reported. In an app without logins
(no route behind an authentication guard, no `before_request` hook, no
login route such as `/login` or `/auth`), a
server that listens on this machine only (`app.run(debug=True)` without a
`host`, or with `127.0.0.1`, `localhost` or `::1`) is reported at info
severity and low confidence: a local tool's launcher, whose debugger is
PIN-protected and reachable from this machine alone. `app.run(debug=True,
use_debugger=False)` is not reported: the explicit `use_debugger=False`
wins, and no debugger runs. An app with logins
serves many users, often through a proxy on that same loopback address,
and keeps the error.

## Why is this bad?
Debug mode turns on the Werkzeug debugger, which runs arbitrary Python sent
from the browser. Anyone who can reach the port — with `host="0.0.0.0"`,
anyone on the network — gets remote code execution. It also shows stack
traces with configuration values to every client.

## Example
```python
if __name__ == "__main__":
    app.run(host="0.0.0.0", debug=True)

class ProductionConfig(Config):
    DEBUG = True
```

Use instead:
```python
if __name__ == "__main__":
    app.run(debug=os.environ.get("FLASK_DEBUG") == "1")

class DevelopmentConfig(Config):
    DEBUG = True
```

## References
- [Flask: Debug Mode](https://flask.palletsprojects.com/en/latest/debugging/)
- [CWE-489: Active Debug Code](https://cwe.mitre.org/data/definitions/489.html)
"#;

/// Whether an enclosing `if` tests a debug switch (`if args.debug:`,
/// `if os.environ.get("FLASK_DEBUG"):`): the operator asked for it.
fn under_debug_flag(checker: &Checker) -> bool {
    checker.conditions.iter().any(|test| checker.source(test.range()).to_ascii_lowercase().contains("debug"))
}

pub fn check(checker: &mut Checker, stmt: &Stmt) {
    match stmt {
        Stmt::Expr(s) => {
            let Expr::Call(call) = &*s.value else { return };
            let Expr::Attribute(attr) = &*call.func else { return };
            if attr.attr.as_str() != "run" {
                return;
            }
            // `use_debugger=False` wins over debug mode (Flask only
            // defaults it from `debug`): no debugger runs.
            let debugger_off = call.arguments.find_keyword("use_debugger").is_some_and(|k| is_false(&k.value));
            if let Some(keyword) = call.arguments.find_keyword("debug").filter(|_| !debugger_off) {
                if is_true(&keyword.value) && !in_non_production_scope(checker) && !under_debug_flag(checker) {
                    let target = checker.source(attr.value.range()).to_string();
                    let message =
                        format!("`{target}.run(debug=True)` starts the Werkzeug debugger (remote code execution)");
                    if serves_loopback_only(call) && !has_logins(checker) {
                        // A local tool's launcher: reviewers of the blind sets
                        // judged it debatable every time, the debugger being
                        // PIN-protected and reachable from this machine only.
                        // An app with logins is a server for many, likely
                        // behind a proxy on that same loopback address (judged
                        // a true positive).
                        let evidence = crate::corroboration::Evidence::Missing(
                            "the server listens on this machine only (no `host`, or a loopback address) and the \
                             app has no login: a local tool"
                                .into(),
                        );
                        checker.report_judged(&RULE, keyword.range(), message, evidence);
                    } else {
                        // Every interface (`0.0.0.0`) is certain; a host
                        // chosen elsewhere only likely to be reachable.
                        let literal = host_of(call).and_then(string_value).is_some();
                        let confidence = if literal { Confidence::High } else { Confidence::Medium };
                        let evidence = crate::corroboration::Evidence::Corroborated(confidence);
                        checker.report_judged(&RULE, keyword.range(), message, evidence);
                    }
                }
            }
        }
        Stmt::Assign(s) => {
            if !is_true(&s.value) || in_non_production_scope(checker) || under_debug_flag(checker) {
                return;
            }
            for target in &s.targets {
                let what = match target {
                    Expr::Name(n) if n.id.as_str() == "DEBUG" => Some("`DEBUG = True`".to_string()),
                    Expr::Attribute(a) if a.attr.as_str() == "debug" => {
                        Some(format!("`{} = True`", checker.source(a.range())))
                    }
                    Expr::Subscript(sub)
                        if string_value(&sub.slice) == Some("DEBUG")
                            && dotted(&sub.value).is_some_and(|d| d.ends_with("config")) =>
                    {
                        Some(format!("`{} = True`", checker.source(sub.range())))
                    }
                    _ => None,
                };
                if let Some(what) = what {
                    let scope = checker.class_stack.last().map(|c| format!(" in `{c}`")).unwrap_or_default();
                    checker.report(
                        &RULE,
                        stmt.range(),
                        format!("{what}{scope} enables the debugger outside a development configuration"),
                    );
                }
            }
        }
        _ => {}
    }
}
