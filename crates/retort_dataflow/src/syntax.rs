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

/// A structural key of an access path — a name followed by attributes and
/// subscripts with literal indexes (`state["next"][0]`,
/// `form.next.data`) — so that two spellings of the same value compare
/// equal whatever their quotes and spacing. `None` for anything else (a
/// call, an operator), whose value may differ from one evaluation to the
/// next.
pub fn access_path(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Name(name) => Some(name.id.to_string()),
        Expr::Attribute(attr) => Some(format!("{}.{}", access_path(&attr.value)?, attr.attr.as_str())),
        Expr::Subscript(s) => {
            let index = match &*s.slice {
                Expr::StringLiteral(text) => format!("{:?}", text.value.to_str()),
                Expr::NumberLiteral(n) => match &n.value {
                    ruff_python_ast::Number::Int(i) => i.to_string(),
                    _ => return None,
                },
                Expr::UnaryOp(u) if u.op == ruff_python_ast::UnaryOp::USub => match &*u.operand {
                    Expr::NumberLiteral(n) => match &n.value {
                        ruff_python_ast::Number::Int(i) => format!("-{i}"),
                        _ => return None,
                    },
                    _ => return None,
                },
                _ => return None,
            };
            Some(format!("{}[{index}]", access_path(&s.value)?))
        }
        _ => None,
    }
}

/// Whether access path `path` is `prefix` or lies inside it
/// (`state["next"][0]` inside `state`).
pub fn path_within(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
}
