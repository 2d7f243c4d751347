//! SEC009: the documentation is [`DOC`].

use std::collections::HashMap;

use retort_flask::catalog::Route;
use retort_flask::is_auth_decorator;
use ruff_python_ast::{Expr, Stmt, StmtClassDef};

use crate::checker::helpers::dotted;
use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::handlers::{class_handlers, view_def, ViewDef};
use crate::registry::Rule;
use crate::rules::reliability::missing_health_endpoint::is_health_rule;

pub const RULE: Rule = Rule {
    code: "SEC009",
    name: "missing-authentication",
    category: Category::Security,
    severity: Severity::Error,
    cwe: Some(306),
    summary: "Endpoint without an authentication guard among guarded ones",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
In an application that authenticates some of its endpoints, lists the
endpoints that have no authentication guard at all (no auth decorator below
the route decorator, no `decorators`/`method_decorators` on the class view,
no authenticating `before_request` hook) while most other endpoints defined
in the same file are guarded. Static files, health probes and the login,
registration and password-reset flows are not listed. Project decorators
count when named in `extra-auth-decorators`.

## Why is this bad?
When every view around it is guarded, an unguarded one is almost always a
forgotten decorator, and anyone on the internet can call it: an admin
action, a data export, an expensive job.

## Example
```python
@bp.post("/search/reindex")
def reindex_search():
    ...
```

Use instead:
```python
@bp.post("/search/reindex")
@login_required
@admin_required
def reindex_search():
    ...
```

## References
- [Flask-Login: Protecting Views](https://flask-login.readthedocs.io/en/latest/#protecting-views)
- [CWE-306: Missing Authentication for Critical Function](https://cwe.mitre.org/data/definitions/306.html)
"#;

/// Endpoints that are public by nature.
const PUBLIC_WORDS: &[&str] = &[
    "login",
    "logout",
    "signin",
    "sign_in",
    "signup",
    "sign_up",
    "register",
    "password",
    "reset",
    "forgot",
    "callback",
    "oauth",
    "authorize",
    "confirm",
    "verify",
    "static",
    "robots",
    "favicon",
    "sitemap",
    ".well-known",
];

pub fn check(checker: &mut Checker) {
    let catalog = checker.catalog;
    let extra = &checker.config.extra_auth_decorators;
    let guarded: Vec<(&Route, bool)> = catalog
        .routes
        .iter()
        .filter(|r| r.view_location.is_some())
        .map(|r| (r, r.guards.iter().any(|g| g.auth) || class_view_guarded(checker, r, extra)))
        .collect();
    if !guarded.iter().any(|(_, g)| *g) {
        return;
    }
    let mut by_file: HashMap<&str, (usize, usize)> = HashMap::new();
    for (route, is_guarded) in guarded.iter().filter(|(r, _)| !is_public_by_nature(r)) {
        let file = route.view_location.as_ref().map(|l| l.file.as_str()).unwrap_or_default();
        let entry = by_file.entry(file).or_default();
        entry.0 += 1;
        entry.1 += usize::from(*is_guarded);
    }
    for (route, is_guarded) in &guarded {
        if *is_guarded || is_public_by_nature(route) {
            continue;
        }
        let file = route.view_location.as_ref().map(|l| l.file.as_str()).unwrap_or_default();
        let (total, guarded_here) = by_file[file];
        let others = total - 1;
        if guarded_here == 0 || guarded_here * 2 <= others {
            continue;
        }
        let rule = route.rule.as_deref().unwrap_or("?");
        let endpoint = route.endpoint.as_deref().unwrap_or("?");
        checker.report_at(
            &RULE,
            &route.file,
            route.line,
            format!(
                "`{} {rule}` ({endpoint}) has no authentication guard, while {guarded_here} of the {others} other routes of {file} have one",
                route.methods.join(",")
            ),
        );
    }
}

fn is_public_by_nature(route: &Route) -> bool {
    let rule = route.rule.as_deref().unwrap_or("");
    let endpoint = route.endpoint.as_deref().unwrap_or("").to_ascii_lowercase();
    let last = endpoint.rsplit('.').next().unwrap_or(&endpoint);
    is_health_rule(rule) || PUBLIC_WORDS.iter().any(|w| last.contains(w) || rule.to_ascii_lowercase().contains(w))
}

/// Class-based views: `decorators` / `method_decorators` class attributes or
/// decorators on the handler methods.
fn class_view_guarded(checker: &Checker, route: &Route, extra: &[String]) -> bool {
    let Some((_, ViewDef::Class(class))) = view_def(checker.project, route) else { return false };
    class_attribute_guards(class, extra)
        || class_handlers(class).any(|m| m.decorator_list.iter().any(|d| is_auth(&d.expression, extra)))
}

fn class_attribute_guards(class: &StmtClassDef, extra: &[String]) -> bool {
    class.body.iter().any(|stmt| {
        let Stmt::Assign(assign) = stmt else { return false };
        let named = assign.targets.iter().any(
            |t| matches!(t, Expr::Name(n) if n.id.as_str() == "decorators" || n.id.as_str() == "method_decorators"),
        );
        let elements: &[Expr] = match &*assign.value {
            Expr::List(l) => &l.elts,
            Expr::Tuple(t) => &t.elts,
            _ => return false,
        };
        named && elements.iter().any(|e| is_auth(e, extra))
    })
}

fn is_auth(expr: &Expr, extra: &[String]) -> bool {
    let target = match expr {
        Expr::Call(call) => &*call.func,
        other => other,
    };
    dotted(target).is_some_and(|name| is_auth_decorator(&name, extra))
}
