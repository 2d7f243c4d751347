//! Whether a project function really validates its arguments, judged by
//! what its body does and never by its name: `is_safe_url` that returns
//! `bool(target)` checks nothing, `same_site` that compares
//! `urlparse(target).netloc` with the request's host does (issue 11, drawn
//! from the thirteenth blind review, docs/accuracy.md).
//!
//! A check *constrains* a value derived from the parameters when, on the
//! path it lets through, the value is pinned: equal to something, in a
//! container, matching a predicate (`startswith`, `fullmatch`, `is…`), free
//! of a substring (`".." not in path`), or empty (`not parts.netloc`).
//! Excluding one value (`x != ""`, `x is not None`), truthiness
//! (`bool(x)`, `len(x) > 0`) and sizes constrain nothing.

use std::collections::HashSet;

use ruff_python_ast::visitor::{walk_expr, Visitor};
use ruff_python_ast::{BoolOp, CmpOp, Expr, Stmt, StmtFunctionDef, UnaryOp};

use crate::syntax::method_name;

/// Words in the names of library predicates trusted inside a validator's
/// body (`validators.url(x)`, `url_has_allowed_host_and_scheme(x)`).
const PREDICATE_WORDS: &[&str] = &["safe", "allowed", "valid", "whitelist", "allowlist", "permitted"];

/// Whether a project function used as a test validates: every `return`
/// gives a truth value, and a true one only on a path where some check
/// constrains a value derived from the parameters.
pub(crate) fn validates(function: &StmtFunctionDef) -> bool {
    let derived = derived_names(function);
    let mut verdicts = Vec::new();
    judge_returns(&function.body, false, &derived, &mut verdicts);
    !verdicts.is_empty() && verdicts.iter().all(|ok| *ok)
}

/// Whether a project function called for its effect stops the request
/// (`raise`, `abort()`) when a check of a value derived from its
/// parameters fails: `if ".." in name: abort(400)`.
pub(crate) fn stops_when_invalid(function: &StmtFunctionDef) -> bool {
    let derived = derived_names(function);
    fn walk(body: &[Stmt], derived: &HashSet<String>) -> bool {
        body.iter().any(|stmt| match stmt {
            Stmt::If(s) => {
                (stops(&s.body) && constrains(&s.test, false, derived))
                    || s.elif_else_clauses.last().is_some_and(|c| {
                        c.test.is_none()
                            && stops(&c.body)
                            && s.elif_else_clauses.len() == 1
                            && constrains(&s.test, true, derived)
                    })
                    || walk(&s.body, derived)
                    || s.elif_else_clauses.iter().any(|c| walk(&c.body, derived))
            }
            Stmt::Assert(a) => constrains(&a.test, true, derived),
            Stmt::With(s) => walk(&s.body, derived),
            Stmt::Try(s) => walk(&s.body, derived) || walk(&s.orelse, derived),
            Stmt::For(s) => walk(&s.body, derived),
            _ => false,
        })
    }
    walk(&function.body, &derived)
}

/// Whether a block ends by stopping the request.
fn stops(body: &[Stmt]) -> bool {
    match body.last() {
        Some(Stmt::Raise(_)) => true,
        Some(Stmt::Expr(e)) => matches!(&*e.value, Expr::Call(c) if method_name(c) == Some("abort")),
        _ => false,
    }
}

/// The parameters and the names assigned from values that mention them
/// (`test_url = urlparse(urljoin(request.url_root, target))`).
fn derived_names(function: &StmtFunctionDef) -> HashSet<String> {
    let mut derived: HashSet<String> =
        function.parameters.iter_non_variadic_params().map(|p| p.name().to_string()).collect();
    fn walk(body: &[Stmt], derived: &mut HashSet<String>) {
        for stmt in body {
            match stmt {
                Stmt::Assign(a) if mentions(&a.value, derived) => {
                    for target in &a.targets {
                        bind(target, derived);
                    }
                }
                Stmt::AnnAssign(a) if a.value.as_deref().is_some_and(|v| mentions(v, derived)) => {
                    bind(&a.target, derived)
                }
                Stmt::If(s) => {
                    walk(&s.body, derived);
                    s.elif_else_clauses.iter().for_each(|c| walk(&c.body, derived));
                }
                Stmt::With(s) => walk(&s.body, derived),
                Stmt::Try(s) => {
                    walk(&s.body, derived);
                    walk(&s.orelse, derived);
                }
                _ => {}
            }
        }
    }
    fn bind(target: &Expr, derived: &mut HashSet<String>) {
        match target {
            Expr::Name(n) => {
                derived.insert(n.id.to_string());
            }
            Expr::Tuple(t) => t.elts.iter().for_each(|e| bind(e, derived)),
            _ => {}
        }
    }
    walk(&function.body, &mut derived);
    derived
}

/// Whether `expr` reads one of `names`.
fn mentions(expr: &Expr, names: &HashSet<String>) -> bool {
    struct Finder<'n>(&'n HashSet<String>, bool);
    impl<'a> Visitor<'a> for Finder<'_> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Name(n) if self.0.contains(n.id.as_str()) => self.1 = true,
                Expr::Lambda(_) => {}
                _ => walk_expr(self, expr),
            }
        }
    }
    let mut finder = Finder(names, false);
    finder.visit_expr(expr);
    finder.1
}

/// Judges each `return` of `body` (not of nested functions): `guarded` says
/// whether a check already constrains the path that reaches it.
fn judge_returns(body: &[Stmt], mut guarded: bool, derived: &HashSet<String>, out: &mut Vec<bool>) {
    for stmt in body {
        match stmt {
            Stmt::Return(r) => out.push(match r.value.as_deref() {
                None | Some(Expr::NoneLiteral(_)) => true,
                Some(Expr::BooleanLiteral(b)) => !b.value || guarded,
                Some(value) => is_truth_value(value) && (guarded || constrains(value, true, derived)),
            }),
            Stmt::If(s) => {
                judge_returns(&s.body, guarded || constrains(&s.test, true, derived), derived, out);
                // In an `elif` or `else`, every earlier test was false.
                let mut earlier_false = constrains(&s.test, false, derived);
                for clause in &s.elif_else_clauses {
                    let here = clause.test.as_ref().is_some_and(|t| constrains(t, true, derived));
                    judge_returns(&clause.body, guarded || earlier_false || here, derived, out);
                    earlier_false |= clause.test.as_ref().is_some_and(|t| constrains(t, false, derived));
                }
                // `if netloc != host: return False`: past it, the test was false.
                if s.elif_else_clauses.is_empty() && leaves(&s.body) {
                    guarded |= constrains(&s.test, false, derived);
                }
            }
            Stmt::For(s) => {
                judge_returns(&s.body, guarded, derived, out);
                judge_returns(&s.orelse, guarded, derived, out);
            }
            Stmt::While(s) => {
                judge_returns(&s.body, guarded, derived, out);
                judge_returns(&s.orelse, guarded, derived, out);
            }
            Stmt::With(s) => judge_returns(&s.body, guarded, derived, out),
            Stmt::Try(s) => {
                judge_returns(&s.body, guarded, derived, out);
                for handler in &s.handlers {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(h) = handler;
                    judge_returns(&h.body, guarded, derived, out);
                }
                judge_returns(&s.orelse, guarded, derived, out);
                judge_returns(&s.finalbody, guarded, derived, out);
            }
            Stmt::Match(s) => s.cases.iter().for_each(|c| judge_returns(&c.body, guarded, derived, out)),
            _ => {}
        }
    }
}

/// Whether a block always leaves the function (`return`, `raise`,
/// `abort()`, or an `if`/`else` each of whose branches leaves).
fn leaves(body: &[Stmt]) -> bool {
    match body.last() {
        Some(Stmt::Return(_)) => true,
        Some(Stmt::If(s)) => {
            s.elif_else_clauses.last().is_some_and(|c| c.test.is_none())
                && leaves(&s.body)
                && s.elif_else_clauses.iter().all(|c| leaves(&c.body))
        }
        _ => stops(body),
    }
}

/// A truth value computed by a check (a comparison, `not`, a predicate call).
fn is_truth_value(expr: &Expr) -> bool {
    match expr {
        Expr::Compare(_) | Expr::UnaryOp(_) | Expr::BooleanLiteral(_) => true,
        Expr::BoolOp(b) => b.values.iter().all(is_truth_value),
        Expr::Call(c) => matches!(method_name(c), Some("bool" | "len")) || is_predicate(c),
        _ => false,
    }
}

/// A call named as a predicate: `isinstance`, `re.fullmatch`, `x.startswith`,
/// `x.isdigit()`, `any(...)`, or a library check named `*valid*`, `*safe*`.
fn is_predicate(call: &ruff_python_ast::ExprCall) -> bool {
    method_name(call).is_some_and(|name| {
        let lower = name.to_ascii_lowercase();
        matches!(lower.as_str(), "isinstance" | "match" | "fullmatch" | "search" | "all" | "any")
            || lower.starts_with("is")
            || lower.starts_with("startswith")
            || lower.starts_with("endswith")
            || PREDICATE_WORDS.iter().any(|w| lower.contains(w))
    })
}

/// Whether `test` constrains a value derived from the parameters: when
/// `positive`, on the path where it is true; otherwise where it is false.
fn constrains(test: &Expr, positive: bool, derived: &HashSet<String>) -> bool {
    match test {
        Expr::UnaryOp(u) if u.op == UnaryOp::Not => constrains(&u.operand, !positive, derived),
        // `a and b` true: both hold; false: at least one fails.
        Expr::BoolOp(b) if (b.op == BoolOp::And) == positive => {
            b.values.iter().any(|v| constrains(v, positive, derived))
        }
        Expr::BoolOp(b) => b.values.iter().all(|v| constrains(v, positive, derived)),
        Expr::Compare(c) if c.ops.len() == 1 => {
            let (left, right) = (&*c.left, &c.comparators[0]);
            if !mentions(left, derived) && !mentions(right, derived) {
                return false;
            }
            let is_none = |e: &Expr| matches!(e, Expr::NoneLiteral(_));
            let literal_text = matches!(left, Expr::StringLiteral(_));
            match (c.ops[0], positive) {
                // Pinned to one value (not `None`).
                (CmpOp::Eq | CmpOp::Is, true) | (CmpOp::NotEq | CmpOp::IsNot, false) => {
                    !is_none(left) && !is_none(right)
                }
                // `"…" in x` rejected / `"…" not in x` required: free of a substring.
                (CmpOp::In, false) | (CmpOp::NotIn, true) if literal_text => mentions(right, derived),
                // In an allow-list.
                (CmpOp::In, true) | (CmpOp::NotIn, false) => !literal_text && mentions(left, derived),
                _ => false,
            }
        }
        Expr::Call(c) => {
            let reads_derived = c.arguments.args.iter().any(|a| mentions(a, derived))
                || matches!(&*c.func, Expr::Attribute(a) if mentions(&a.value, derived));
            reads_derived && is_predicate(c)
        }
        // `not parts.netloc` true / `if parts.netloc: return False`: empty.
        Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) => !positive && mentions(test, derived),
        _ => false,
    }
}
