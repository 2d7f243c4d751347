//! SEC010: the documentation is [`DOC`].

use ruff_python_ast::visitor::{walk_stmt, Visitor};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::rules::security::{changes_state, session_guarded};

pub const RULE: Rule = Rule {
    code: "SEC010",
    name: "csrf-exempt-session-routes",
    category: Category::Security,
    severity: Severity::Error,
    cwe: Some(352),
    summary: "CSRF protection removed from routes authenticated by the session cookie",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Flags `csrf.exempt(blueprint)` (Flask-WTF's `CSRFProtect`) when the
exempted blueprint has state-changing routes (`POST`, `PUT`, `PATCH`,
`DELETE`) guarded by a session-based decorator such as `login_required`.
Exempting routes authenticated by bearer tokens or signatures is fine and
not flagged.

## Why is this bad?
Browsers attach the session cookie to requests that other sites trigger.
Without a CSRF token, any page a logged-in user visits can add items,
change settings or place orders in their name.

## Example
```python
# The cart widget posts JSON with fetch() and does not send the token.
csrf.exempt(cart_bp)
```

Use instead:
```javascript
// Send the token with fetch() instead of exempting the blueprint.
fetch("/cart/items", {method: "POST", headers: {"X-CSRFToken": csrfToken}, body})
```

## References
- [Flask-WTF: CSRF Protection](https://flask-wtf.readthedocs.io/en/latest/csrf/)
- [CWE-352: Cross-Site Request Forgery](https://cwe.mitre.org/data/definitions/352.html)
"#;

pub fn check(checker: &mut Checker, expr: &Expr) {
    let Expr::Call(call) = expr else { return };
    let Expr::Attribute(attr) = &*call.func else { return };
    if attr.attr.as_str() != "exempt" {
        return;
    }
    let Expr::Name(receiver) = &*attr.value else { return };
    let catalog = checker.catalog;
    if !catalog.extensions.iter().any(|e| e.kind == "csrf" && e.variable.as_deref() == Some(receiver.id.as_str())) {
        return;
    }
    let Some(Expr::Name(argument)) = call.arguments.args.first() else { return };
    let Some((file, variable)) = resolve_name(checker, argument.id.as_str()) else { return };
    let Some(blueprint) =
        catalog.blueprints.iter().find(|b| b.file == file && b.variable.as_deref() == Some(variable.as_str()))
    else {
        return;
    };
    let exposed: Vec<String> = catalog
        .routes
        .iter()
        .filter(|r| r.blueprint.as_deref() == Some(blueprint.name.as_str()))
        .filter(|r| changes_state(r) && session_guarded(r))
        .map(|r| format!("{} {}", r.methods.join(","), r.rule.as_deref().unwrap_or("?")))
        .collect();
    if exposed.is_empty() {
        return;
    }
    let mut unique = exposed;
    unique.dedup();
    checker.report(
        &RULE,
        call.range(),
        format!(
            "CSRF protection is removed from blueprint `{}`, whose session-authenticated routes change state: {}",
            blueprint.name,
            unique.join("; ")
        ),
    );
}

/// Where a name used in the current module comes from: (file, variable)
/// of its definition, following `from .x import bp as cart_bp`.
fn resolve_name(checker: &Checker, name: &str) -> Option<(String, String)> {
    let module = checker.module?;
    let mut finder = ImportFinder { name, found: None };
    for stmt in &module.ast.body {
        finder.visit_stmt(stmt);
    }
    let Some((level, from, imported)) = finder.found else {
        return Some((module.display_path(), name.to_string()));
    };
    let mut base: Vec<&str> = module.name.split('.').collect();
    if !module.is_package {
        base.pop();
    }
    for _ in 1..level.max(1) {
        base.pop();
    }
    let absolute = if level == 0 {
        from
    } else if from.is_empty() {
        base.join(".")
    } else {
        format!("{}.{}", base.join("."), from)
    };
    let target = checker.project.modules.iter().find(|m| m.name == absolute)?;
    Some((target.display_path(), imported))
}

struct ImportFinder<'n> {
    name: &'n str,
    /// (level, module, imported name)
    found: Option<(u32, String, String)>,
}

impl<'a> Visitor<'a> for ImportFinder<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::ImportFrom(import) = stmt {
            for alias in &import.names {
                let local = alias.asname.as_ref().unwrap_or(&alias.name);
                if local.as_str() == self.name {
                    let from = import.module.as_ref().map(|m| m.to_string()).unwrap_or_default();
                    self.found = Some((import.level, from, alias.name.to_string()));
                }
            }
        }
        walk_stmt(self, stmt);
    }
}
