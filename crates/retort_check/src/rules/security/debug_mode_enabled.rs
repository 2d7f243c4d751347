//! SEC001: the documentation is [`DOC`].

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use crate::checker::helpers::{dotted, is_true, string_value};
use crate::checker::Checker;
use crate::finding::{Category, Severity};
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
operator's explicit choice and are not reported.

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
            if let Some(keyword) = call.arguments.find_keyword("debug") {
                if is_true(&keyword.value) && !in_non_production_scope(checker) && !under_debug_flag(checker) {
                    let target = checker.source(attr.value.range()).to_string();
                    checker.report(
                        &RULE,
                        keyword.range(),
                        format!("`{target}.run(debug=True)` starts the Werkzeug debugger (remote code execution)"),
                    );
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
