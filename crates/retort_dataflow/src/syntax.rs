//! Small helpers over the Python AST.

use ruff_python_ast::{Expr, ExprCall};

/// Dotted name of a `Name`/`Attribute` chain (`requests.get`), if it is one.
pub fn dotted(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Name(name) => Some(name.id.to_string()),
        Expr::Attribute(attr) => Some(format!("{}.{}", dotted(&attr.value)?, attr.attr.as_str())),
        _ => None,
    }
}

/// The last segment of what is called (`execute` for `db.session.execute(...)`).
pub fn method_name(call: &ExprCall) -> Option<&str> {
    match &*call.func {
        Expr::Name(name) => Some(name.id.as_str()),
        Expr::Attribute(attr) => Some(attr.attr.as_str()),
        _ => None,
    }
}

/// `True` literal.
pub fn is_true(expr: &Expr) -> bool {
    matches!(expr, Expr::BooleanLiteral(b) if b.value)
}

/// `False` literal.
pub fn is_false(expr: &Expr) -> bool {
    matches!(expr, Expr::BooleanLiteral(b) if !b.value)
}

/// Whether a call passes `**kwargs` (which may carry any keyword).
pub fn has_kwargs_splat(call: &ExprCall) -> bool {
    call.arguments.keywords.iter().any(|k| k.arg.is_none())
}
