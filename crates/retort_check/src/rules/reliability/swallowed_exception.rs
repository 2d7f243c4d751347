//! REL002: the documentation is [`DOC`].

use ruff_python_ast::{ExceptHandler, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::checker::helpers::dotted;
use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;

pub const RULE: Rule = Rule {
    code: "REL002",
    name: "swallowed-exception",
    category: Category::Reliability,
    severity: Severity::Warning,
    cwe: Some(390),
    summary: "Exception swallowed in a request handler",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Flags `except:`, `except Exception:` and `except BaseException:` whose body
only passes (`pass`, `...`) inside a request handler.

Not reported: a `continue` or a `try` that ends a loop body (skipping one
bad item), an `except` block with a comment — or a comment just above the
`try` — saying why the error does not matter, and a `try`
around a single call statement (a best-effort side effect such as a
notification or an optional cleanup after the handler's main work).

## Why is this bad?
The request goes on as if nothing happened: the response can be wrong or
partial, nothing is logged, no error tracker hears of it, and the bug that
raised is invisible until a customer reports it.

## Example
```python
try:
    session["recently_viewed"] = update(viewed)
except Exception:
    pass
```

Use instead:
```python
try:
    session["recently_viewed"] = update(viewed)
except (KeyError, TypeError):
    log.warning("recently viewed list unreadable", exc_info=True)
```

## References
- [CWE-390: Detection of Error Condition Without Action](https://cwe.mitre.org/data/definitions/390.html)
"#;

pub fn check(checker: &mut Checker, stmt: &Stmt) {
    if !checker.in_request_handler() {
        return;
    }
    let Stmt::Try(try_stmt) = stmt else { return };
    for handler in &try_stmt.handlers {
        let ExceptHandler::ExceptHandler(h) = handler;
        let broad = match h.type_.as_deref() {
            None => Some("except:"),
            Some(t) if is_broad(t) => Some("except Exception:"),
            _ => None,
        };
        let only_passes = h.body.iter().all(|s| match s {
            Stmt::Pass(_) | Stmt::Continue(_) => true,
            Stmt::Expr(e) => matches!(&*e.value, Expr::EllipsisLiteral(_)),
            _ => false,
        });
        // `continue` skips one bad item of a loop; a comment in the block
        // says why the error does not matter; a lone call in the `try` is a
        // best-effort side effect (a notification, an optional cleanup).
        let skips_item = h.body.iter().any(|s| matches!(s, Stmt::Continue(_))) || checker.ends_loop_body(stmt);
        let explained = checker.source(h.range()).contains('#') || comment_above(checker, stmt);
        let best_effort_call =
            matches!(try_stmt.body.as_slice(), [Stmt::Expr(e)] if matches!(&*e.value, Expr::Call(_)));
        if skips_item || explained || best_effort_call {
            continue;
        }
        if let (Some(what), true) = (broad, only_passes) {
            let header_end = h.body.first().map_or(h.range().end(), |s| s.range().start());
            let range = TextRange::new(h.range().start(), header_end.max(h.range().start()));
            checker.report(&RULE, range, format!("`{what} pass` in a request handler hides every error"));
        }
    }
}

/// Whether the line above the `try` is a comment (the reason, written first).
fn comment_above(checker: &Checker, stmt: &Stmt) -> bool {
    let Some(module) = checker.module else { return false };
    let start = usize::from(stmt.range().start());
    let line_start = module.source[..start].rfind('\n').map_or(0, |i| i + 1);
    let above = module.source[..line_start.saturating_sub(1)].rsplit('\n').next().unwrap_or("");
    line_start > 0 && above.trim_start().starts_with('#')
}

fn is_broad(expr: &Expr) -> bool {
    match expr {
        Expr::Tuple(t) => t.elts.iter().any(is_broad),
        other => matches!(dotted(other).as_deref(), Some("Exception" | "BaseException" | "builtins.Exception")),
    }
}
