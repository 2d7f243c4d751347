//! What a view function's body can do, read from its statements: whether
//! it does anything an authentication guard would protect, and whether it
//! is authorised by a secret token carried in its URL.
//!
//! Both are judged by what the body does, not by names, and both answer
//! "no" whenever the body does anything they do not recognise: a rule
//! that uses them to stay quiet must not lose a real finding.

use std::collections::HashSet;

use ruff_python_ast::{Expr, Stmt, StmtFunctionDef};

use crate::checker::helpers::dotted;

/// Calls that only build a response or an HTTP error from their
/// arguments: Flask's and Werkzeug's response helpers and pure built-ins.
const RESPONSE_BUILDERS: &[&str] = &[
    "jsonify",
    "flask.jsonify",
    "make_response",
    "flask.make_response",
    "Response",
    "flask.Response",
    "abort",
    "flask.abort",
    "redirect",
    "flask.redirect",
    "url_for",
    "flask.url_for",
    "str",
    "int",
    "float",
    "bool",
    "repr",
    "len",
    "dict",
    "list",
    "tuple",
    "isinstance",
];

/// Methods that read the request the caller sent (its own data).
const REQUEST_READS: &[&str] = &["get", "get_data", "get_json", "items", "keys", "values", "getlist", "to_dict"];

/// Whether a view function can do nothing an authentication guard would
/// protect: every statement only returns or raises something built from
/// constants, its own URL parameters and the caller's own request
/// (`abort(404)`, `raise Exception("no")`, `return jsonify(ok=True)`,
/// echoing `request.headers`), possibly under an `if` on those. Any other
/// call (a database, a file, a project function, logging), a read of a
/// module-level name (a configuration value, a secret), a loop, a `try`,
/// or a store into anything but a local name makes it act.
pub fn is_inert_view(function: &StmtFunctionDef) -> bool {
    let mut locals: HashSet<&str> = function.parameters.iter_non_variadic_params().map(|p| p.name().as_str()).collect();
    inert_body(&function.body, &mut locals)
}

fn inert_body<'a>(body: &'a [Stmt], locals: &mut HashSet<&'a str>) -> bool {
    body.iter().all(|stmt| inert_stmt(stmt, locals))
}

fn inert_stmt<'a>(stmt: &'a Stmt, locals: &mut HashSet<&'a str>) -> bool {
    match stmt {
        Stmt::Pass(_) => true,
        // A docstring, `...`, or `abort(403)`.
        Stmt::Expr(e) => inert_expr(&e.value, locals),
        Stmt::Return(r) => r.value.as_deref().is_none_or(|v| inert_expr(v, locals)),
        Stmt::Raise(r) => r.exc.as_deref().is_none_or(|e| raisable(e, locals)) && r.cause.is_none(),
        Stmt::If(s) => {
            inert_expr(&s.test, locals)
                && inert_body(&s.body, &mut locals.clone())
                && s.elif_else_clauses.iter().all(|c| {
                    c.test.as_ref().is_none_or(|t| inert_expr(t, locals)) && inert_body(&c.body, &mut locals.clone())
                })
        }
        Stmt::Assign(a) => {
            let targets_local = a.targets.iter().all(|t| matches!(t, Expr::Name(_)));
            if !targets_local || !inert_expr(&a.value, locals) {
                return false;
            }
            for target in &a.targets {
                if let Expr::Name(n) = target {
                    locals.insert(n.id.as_str());
                }
            }
            true
        }
        _ => false,
    }
}

/// What a `raise` may raise without acting: an exception class, or one
/// built from inert values and other such exceptions
/// (`ErrorSummary(exception=ValueError(-123), summary="…")`). Building an
/// exception runs its constructor, which by convention only stores its
/// arguments.
fn raisable(expr: &Expr, locals: &HashSet<&str>) -> bool {
    match expr {
        Expr::Name(_) | Expr::Attribute(_) if dotted(expr).is_some() => true,
        Expr::Call(call) => {
            dotted(&call.func).is_some()
                && call.arguments.args.iter().all(|a| raisable(a, locals) || inert_expr(a, locals))
                && call.arguments.keywords.iter().all(|k| raisable(&k.value, locals) || inert_expr(&k.value, locals))
        }
        _ => false,
    }
}

fn is_request(expr: &Expr) -> bool {
    match expr {
        Expr::Name(n) => n.id.as_str() == "request",
        Expr::Attribute(a) => is_request(&a.value),
        Expr::Subscript(s) => is_request(&s.value),
        Expr::Call(c) => {
            matches!(&*c.func, Expr::Attribute(a) if REQUEST_READS.contains(&a.attr.as_str()) && is_request(&a.value))
        }
        _ => false,
    }
}

fn inert_expr(expr: &Expr, locals: &HashSet<&str>) -> bool {
    let all = |exprs: &[Expr]| exprs.iter().all(|e| inert_expr(e, locals));
    match expr {
        Expr::StringLiteral(_)
        | Expr::BytesLiteral(_)
        | Expr::NumberLiteral(_)
        | Expr::BooleanLiteral(_)
        | Expr::NoneLiteral(_)
        | Expr::EllipsisLiteral(_) => true,
        Expr::FString(f) => f.value.iter().all(|part| match part {
            ruff_python_ast::FStringPart::FString(fs) => {
                fs.elements.interpolations().all(|e| inert_expr(&e.expression, locals))
            }
            ruff_python_ast::FStringPart::Literal(_) => true,
        }),
        Expr::Name(n) => locals.contains(n.id.as_str()),
        // The caller's own request: `request.url`, `request.args`.
        Expr::Attribute(_) | Expr::Subscript(_) if is_request(expr) => true,
        Expr::Attribute(a) => inert_expr(&a.value, locals),
        Expr::Subscript(s) => inert_expr(&s.value, locals) && inert_expr(&s.slice, locals),
        Expr::Call(call) => {
            let args_inert =
                all(&call.arguments.args) && call.arguments.keywords.iter().all(|k| inert_expr(&k.value, locals));
            let builder = dotted(&call.func).is_some_and(|name| RESPONSE_BUILDERS.contains(&name.as_str()));
            args_inert && (builder || is_request(expr))
        }
        Expr::BinOp(b) => inert_expr(&b.left, locals) && inert_expr(&b.right, locals),
        Expr::UnaryOp(u) => inert_expr(&u.operand, locals),
        Expr::BoolOp(b) => all(&b.values),
        Expr::Compare(c) => inert_expr(&c.left, locals) && all(&c.comparators),
        Expr::If(i) => inert_expr(&i.test, locals) && inert_expr(&i.body, locals) && inert_expr(&i.orelse, locals),
        Expr::List(l) => all(&l.elts),
        Expr::Tuple(t) => all(&t.elts),
        Expr::Set(s) => all(&s.elts),
        Expr::Dict(d) => d
            .items
            .iter()
            .all(|item| item.key.as_ref().is_none_or(|k| inert_expr(k, locals)) && inert_expr(&item.value, locals)),
        Expr::DictComp(c) => {
            let mut inner = locals.clone();
            comprehension_inert(&c.generators, &mut inner)
                && c.key.as_deref().is_none_or(|k| inert_expr(k, &inner))
                && inert_expr(&c.value, &inner)
        }
        Expr::ListComp(c) => {
            let mut inner = locals.clone();
            comprehension_inert(&c.generators, &mut inner) && inert_expr(&c.elt, &inner)
        }
        _ => false,
    }
}

fn comprehension_inert<'a>(generators: &'a [ruff_python_ast::Comprehension], locals: &mut HashSet<&'a str>) -> bool {
    generators.iter().all(|g| {
        let iter_inert = inert_expr(&g.iter, locals);
        if let Expr::Name(n) = &g.target {
            locals.insert(n.id.as_str());
        } else {
            return false;
        }
        iter_inert && g.ifs.iter().all(|i| inert_expr(i, locals))
    })
}

/// URL parameter names that carry a secret capability (`/unsubscribe/<token>`).
const CAPABILITY_WORDS: &[&str] = &["token", "secret", "signature", "nonce"];

/// Whether a view is authorised by a secret token in its URL: one of its
/// URL parameters (in `url_params`) is named as a token, and before
/// anything else the body either looks it up and leaves when nothing is
/// found (`sub = db.by_token(token)` then `if sub is None: return …`), or
/// compares it and leaves when it differs (`if not compare_digest(token,
/// expected): abort(403)`). Whoever holds the token is the one it was
/// issued to: this is the capability URL of unsubscribe and confirmation
/// links, not a missing login.
pub fn is_token_authorised(function: &StmtFunctionDef, url_params: &[String]) -> bool {
    let tokens: Vec<&str> = function
        .parameters
        .iter_non_variadic_params()
        .map(|p| p.name().as_str())
        .filter(|name| url_params.iter().any(|p| p == name))
        .filter(|name| {
            let lower = name.to_ascii_lowercase();
            CAPABILITY_WORDS.iter().any(|w| lower.contains(w))
        })
        .collect();
    if tokens.is_empty() {
        return false;
    }
    // Names bound, at the top level of the body, to a call given the token.
    let mut lookups: Vec<&str> = Vec::new();
    for stmt in &function.body {
        match stmt {
            Stmt::Assign(a) => {
                if let ([Expr::Name(target)], Expr::Call(call)) = (a.targets.as_slice(), &*a.value) {
                    let given_token = call
                        .arguments
                        .args
                        .iter()
                        .chain(call.arguments.keywords.iter().map(|k| &k.value))
                        .any(|arg| matches!(arg, Expr::Name(n) if tokens.contains(&n.id.as_str())));
                    if given_token {
                        lookups.push(target.id.as_str());
                    }
                }
            }
            Stmt::If(s)
                if exits(&s.body) && (rejects_missing(&s.test, &lookups) || compares_token(&s.test, &tokens)) =>
            {
                return true;
            }
            _ => {}
        }
    }
    false
}

/// `x is None`, `not x` for a looked-up `x`.
fn rejects_missing(test: &Expr, lookups: &[&str]) -> bool {
    use ruff_python_ast::{CmpOp, UnaryOp};
    let named = |e: &Expr| matches!(e, Expr::Name(n) if lookups.contains(&n.id.as_str()));
    match test {
        Expr::UnaryOp(u) if u.op == UnaryOp::Not => named(&u.operand),
        Expr::Compare(c) => {
            c.ops.len() == 1
                && c.ops[0] == CmpOp::Is
                && named(&c.left)
                && matches!(c.comparators[0], Expr::NoneLiteral(_))
        }
        Expr::BoolOp(b) if b.op == ruff_python_ast::BoolOp::Or => b.values.iter().any(|v| rejects_missing(v, lookups)),
        _ => false,
    }
}

/// A test that compares the token with something (`token != expected`,
/// `not hmac.compare_digest(token, expected)`).
fn compares_token(test: &Expr, tokens: &[&str]) -> bool {
    use ruff_python_ast::{CmpOp, UnaryOp};
    let is_token = |e: &Expr| matches!(e, Expr::Name(n) if tokens.contains(&n.id.as_str()));
    match test {
        Expr::Compare(c) => {
            c.ops.len() == 1
                && matches!(c.ops[0], CmpOp::NotEq | CmpOp::NotIn)
                && (is_token(&c.left) || is_token(&c.comparators[0]))
        }
        Expr::UnaryOp(u) if u.op == UnaryOp::Not => match &*u.operand {
            Expr::Call(call) => {
                dotted(&call.func).is_some_and(|name| name.ends_with("compare_digest"))
                    && call.arguments.args.iter().any(is_token)
            }
            _ => false,
        },
        Expr::BoolOp(b) if b.op == ruff_python_ast::BoolOp::Or => b.values.iter().any(|v| compares_token(v, tokens)),
        _ => false,
    }
}

/// Whether a block always leaves the view (`return`, `raise`, `abort(…)`).
fn exits(body: &[Stmt]) -> bool {
    body.last().is_some_and(|last| match last {
        Stmt::Return(_) | Stmt::Raise(_) => true,
        Stmt::Expr(e) => {
            matches!(&*e.value, Expr::Call(c) if dotted(&c.func).is_some_and(|n| n == "abort" || n == "flask.abort"))
        }
        Stmt::If(s) => {
            exits(&s.body)
                && s.elif_else_clauses.iter().any(|c| c.test.is_none())
                && s.elif_else_clauses.iter().all(|c| exits(&c.body))
        }
        _ => false,
    })
}
