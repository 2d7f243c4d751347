//! Cheap syntactic questions about function bodies.

use ruff_python_ast::visitor::{walk_expr, Visitor};
use ruff_python_ast::{Expr, Stmt};
use rustc_hash::FxHashSet;

struct NameCollector {
    names: FxHashSet<String>,
}

impl<'a> Visitor<'a> for NameCollector {
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Attribute(attr) => {
                self.names.insert(attr.attr.to_string());
            }
            Expr::Call(call) => {
                if let Expr::Name(name) = &*call.func {
                    self.names.insert(name.id.to_string());
                }
            }
            _ => {}
        }
        walk_expr(self, expr);
    }
}

/// The attribute names a body refers to (`app.route`, `partial(app.register_blueprint)`)
/// and the plain names it calls (`Flask(...)`), nested functions included.
pub fn referenced_names(body: &[Stmt]) -> FxHashSet<String> {
    let mut collector = NameCollector { names: FxHashSet::default() };
    for stmt in body {
        collector.visit_stmt(stmt);
    }
    collector.names
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
