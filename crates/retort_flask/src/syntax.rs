//! Cheap syntactic questions about function bodies.

use ruff_python_ast::visitor::{walk_expr, walk_stmt, Visitor};
use ruff_python_ast::{Expr, Stmt};

struct CallFinder<'n> {
    names: &'n [&'n str],
    /// Any reference counts (`partial(app.register_blueprint, bp)`), not only calls.
    references: bool,
    found: bool,
}

impl<'a> Visitor<'a> for CallFinder<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if !self.found {
            walk_stmt(self, stmt);
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.found {
            return;
        }
        if self.references {
            if let Expr::Attribute(attr) = expr {
                if self.names.contains(&attr.attr.as_str()) {
                    self.found = true;
                    return;
                }
            }
        }
        if let Expr::Call(call) = expr {
            let name = match &*call.func {
                Expr::Name(n) => Some(n.id.as_str()),
                Expr::Attribute(a) => Some(a.attr.as_str()),
                _ => None,
            };
            if name.is_some_and(|n| self.names.contains(&n)) {
                self.found = true;
                return;
            }
        }
        walk_expr(self, expr);
    }
}

/// Whether `body` calls (or decorates with a call of) any of `names`,
/// as a plain name or an attribute (`Flask(...)`, `app.route(...)`).
pub fn calls_any(body: &[Stmt], names: &[&str]) -> bool {
    find(body, names, false)
}

/// Whether `body` calls or refers to an attribute named like any of `names`.
pub fn mentions_any(body: &[Stmt], names: &[&str]) -> bool {
    find(body, names, true)
}

fn find(body: &[Stmt], names: &[&str], references: bool) -> bool {
    let mut finder = CallFinder { names, references, found: false };
    for stmt in body {
        finder.visit_stmt(stmt);
        if finder.found {
            return true;
        }
    }
    false
}

/// Lower-case words of a function body that suggest authentication.
pub fn mentions_auth(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    [
        "login",
        "auth",
        "token",
        "jwt",
        "current_user",
        "permission",
        "session[",
        "abort(401",
        "abort(403",
        "api_key",
        "apikey",
    ]
    .iter()
    .any(|word| lower.contains(word))
}
