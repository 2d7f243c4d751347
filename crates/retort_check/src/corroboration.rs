//! Corroboration of the name-based security rules: SEC002 (hard-coded
//! secret), SEC009 (missing authentication), SEC016 (weak password hash),
//! SEC021 (secret in logs) and SEC023 (weak randomness for a secret).
//!
//! On five blind sets of unseen applications these rules were wrong more
//! often than right when a name was all they had (docs/accuracy.md, issue
//! 11). So a finding of theirs keeps its severity only with evidence of
//! what the code does with the value — where it comes from, where it goes —
//! and carries that evidence's confidence; without it, it is reported at
//! `info` severity with `low` confidence and a note of what was missing.
//! Each rule says what corroborates it, next to its check; the readings of
//! the code they share are here.

use std::collections::HashSet;

use retort_python::Project;
use ruff_python_ast::visitor::{walk_expr, walk_stmt, Visitor};
use ruff_python_ast::{Expr, ExprCall, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::checker::helpers::{dotted, method_name, string_value, words};
use crate::checker::Checker;
use crate::finding::Confidence;

/// What the code shows beyond a name.
#[derive(Debug, Clone, PartialEq)]
pub enum Evidence {
    /// The finding stands, as sure as its evidence.
    Corroborated(Confidence),
    /// Nothing corroborates the name: what was looked for and not found.
    Missing(String),
}

impl Evidence {
    pub fn missing(what: impl Into<String>) -> Evidence {
        Evidence::Missing(what.into())
    }

    /// Corroborated at `confidence` when there is one, else `missing`.
    pub fn from_confidence(confidence: Option<Confidence>, missing: impl Into<String>) -> Evidence {
        match confidence {
            Some(confidence) => Evidence::Corroborated(confidence),
            None => Evidence::missing(missing),
        }
    }
}

/// The statements of the function being traversed (the module's body at
/// module level): where local evidence is looked for.
pub(crate) fn enclosing_body<'a>(checker: &Checker<'a>) -> &'a [Stmt] {
    match (checker.function_stack.last(), checker.module) {
        (Some(function), _) => &function.body,
        (None, Some(module)) => &module.ast.body,
        (None, None) => &[],
    }
}

/// Where a value goes inside a body of statements.
#[derive(Debug)]
pub(crate) enum Destination<'a> {
    /// Stored into `obj.attr` or `container[key]` (the target).
    Stored(&'a Expr),
    /// Passed to a call as the keyword argument `name`.
    Keyword(&'a ExprCall, &'a str),
    /// Passed to a call as a positional argument.
    Argument(&'a ExprCall),
    /// Returned by the function.
    Returned,
    /// Compared (`==`, `in`, …) with the other operands.
    Compared(Vec<&'a Expr>),
}

/// Where the value of the expression at `seed` goes in `body`, following
/// it through local names it is assigned to (`x = seed…; user.token = x`).
pub(crate) fn destinations<'a>(body: &'a [Stmt], seed: TextRange) -> Vec<Destination<'a>> {
    let mut tracker = Tracker { seed, names: HashSet::new(), out: Vec::new(), collect: false };
    // Names first, until no assignment adds one; then where they all go.
    loop {
        let known = tracker.names.len();
        tracker.visit_body(body);
        if tracker.names.len() == known {
            break;
        }
    }
    tracker.collect = true;
    tracker.visit_body(body);
    tracker.out
}

struct Tracker<'a> {
    seed: TextRange,
    names: HashSet<String>,
    out: Vec<Destination<'a>>,
    collect: bool,
}

impl Tracker<'_> {
    fn carries(&self, expr: &Expr) -> bool {
        let mut found = Carries { seed: self.seed, names: &self.names, found: false };
        found.visit_expr(expr);
        found.found
    }
}

impl<'a> Visitor<'a> for Tracker<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        let (targets, value): (Vec<&'a Expr>, Option<&'a Expr>) = match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => return,
            Stmt::Assign(s) => (s.targets.iter().collect(), Some(&s.value)),
            Stmt::AnnAssign(s) => (vec![&*s.target], s.value.as_deref()),
            Stmt::AugAssign(s) => (vec![&*s.target], Some(&s.value)),
            Stmt::Return(r) => {
                if self.collect && r.value.as_deref().is_some_and(|v| self.carries(v)) {
                    self.out.push(Destination::Returned);
                }
                (Vec::new(), None)
            }
            _ => (Vec::new(), None),
        };
        if value.is_some_and(|v| self.carries(v)) {
            for target in targets {
                match target {
                    Expr::Name(n) => {
                        self.names.insert(n.id.to_string());
                    }
                    Expr::Tuple(t) => self.names.extend(t.elts.iter().filter_map(|e| match e {
                        Expr::Name(n) => Some(n.id.to_string()),
                        _ => None,
                    })),
                    Expr::Attribute(_) | Expr::Subscript(_) if self.collect => {
                        self.out.push(Destination::Stored(target))
                    }
                    _ => {}
                }
            }
        }
        walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.collect {
            match expr {
                Expr::Call(call) => {
                    if call.arguments.args.iter().any(|a| self.carries(a)) {
                        self.out.push(Destination::Argument(call));
                    }
                    for keyword in &call.arguments.keywords {
                        if let Some(name) = keyword.arg.as_ref().filter(|_| self.carries(&keyword.value)) {
                            self.out.push(Destination::Keyword(call, name.as_str()));
                        }
                    }
                }
                Expr::Compare(compare) => {
                    let operands: Vec<&'a Expr> =
                        std::iter::once(&*compare.left).chain(compare.comparators.iter()).collect();
                    if operands.iter().any(|o| self.carries(o)) {
                        let others = operands.into_iter().filter(|o| !self.carries(o)).collect();
                        self.out.push(Destination::Compared(others));
                    }
                }
                _ => {}
            }
        }
        if !matches!(expr, Expr::Lambda(_)) {
            walk_expr(self, expr);
        }
    }
}

/// Whether an expression holds the seed or a name that carries it.
struct Carries<'n> {
    seed: TextRange,
    names: &'n HashSet<String>,
    found: bool,
}

impl<'a> Visitor<'a> for Carries<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.found || matches!(expr, Expr::Lambda(_)) {
            return;
        }
        let hit = expr.range() == self.seed || matches!(expr, Expr::Name(n) if self.names.contains(n.id.as_str()));
        if hit {
            self.found = true;
            return;
        }
        walk_expr(self, expr);
    }
}

/// Visits `expr` and its subexpressions (not inside lambdas), outermost
/// first; `visit` returns whether to skip what is below the node.
pub(crate) fn each_subexpression<'a>(expr: &'a Expr, visit: &mut dyn FnMut(&'a Expr) -> bool) {
    struct Each<'v, 'a> {
        visit: &'v mut dyn FnMut(&'a Expr) -> bool,
    }
    impl<'a> Visitor<'a> for Each<'_, 'a> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if !matches!(expr, Expr::Lambda(_)) && !(self.visit)(expr) {
                walk_expr(self, expr);
            }
        }
    }
    Each { visit }.visit_expr(expr);
}

/// The values a body assigns to the local `name` (not in nested functions).
fn assigned_values<'a>(body: &'a [Stmt], name: &str) -> Vec<&'a Expr> {
    struct Assignments<'a, 'n> {
        name: &'n str,
        values: Vec<&'a Expr>,
    }
    impl<'a> Visitor<'a> for Assignments<'a, '_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            let is_name = |t: &Expr| matches!(t, Expr::Name(n) if n.id.as_str() == self.name);
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => return,
                Stmt::Assign(s) if s.targets.iter().any(is_name) => self.values.push(&s.value),
                Stmt::AnnAssign(s) if is_name(&s.target) => self.values.extend(s.value.as_deref()),
                _ => {}
            }
            walk_stmt(self, stmt);
        }
    }
    let mut assignments = Assignments { name, values: Vec::new() };
    assignments.visit_body(body);
    assignments.values
}

/// The surest evidence `judge` finds in `expr` or, following local names,
/// in the values `body` assigns to them (a few steps deep; evidence one
/// step removed is at most medium).
pub(crate) fn traced(body: &[Stmt], expr: &Expr, judge: &dyn Fn(&Expr) -> Option<Confidence>) -> Option<Confidence> {
    fn from(
        body: &[Stmt],
        expr: &Expr,
        judge: &dyn Fn(&Expr) -> Option<Confidence>,
        depth: usize,
    ) -> Option<Confidence> {
        let mut best = None;
        each_subexpression(expr, &mut |e| {
            let found = judge(e).or_else(|| match e {
                Expr::Name(n) if depth < 3 => assigned_values(body, n.id.as_str())
                    .into_iter()
                    .filter_map(|value| from(body, value, judge, depth + 1))
                    .max()
                    .map(|c| c.min(Confidence::Medium)),
                _ => None,
            });
            best = best.max(found);
            found.is_some()
        });
        best
    }
    from(body, expr, judge, 0)
}

/// The name at the root of an attribute, subscript or method chain
/// (`request` for `request.headers.get("X")`).
fn root_name(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => root_name(&a.value),
        Expr::Subscript(s) => root_name(&s.value),
        Expr::Call(c) => match &*c.func {
            Expr::Attribute(a) => root_name(&a.value),
            _ => None,
        },
        _ => None,
    }
}

/// Data read from Flask's request (`request.form["password"]`,
/// `request.headers`, `request.authorization`, the request object itself).
pub(crate) fn is_request_read(expr: &Expr) -> bool {
    root_name(expr) == Some("request")
}

/// A WTForms field's data (`form.password.data`): what the user typed.
pub(crate) fn is_form_field(expr: &Expr) -> bool {
    let Expr::Attribute(data) = expr else { return false };
    let Expr::Attribute(field) = &*data.value else { return false };
    data.attr.as_str() == "data"
        && dotted(&field.value)
            .is_some_and(|form| form.rsplit('.').next().unwrap_or("").to_ascii_lowercase().contains("form"))
}

/// A value read from the configuration or the environment
/// (`current_app.config["SECRET_KEY"]`, `os.environ.get("DB_PASSWORD")`,
/// `app.secret_key`).
pub(crate) fn is_setting_read(expr: &Expr) -> bool {
    let holder = |e: &Expr| {
        dotted(e).is_some_and(|d| d == "config" || d.ends_with(".config") || d == "os.environ" || d == "environ")
    };
    match expr {
        Expr::Subscript(s) => holder(&s.value),
        Expr::Attribute(a) => a.attr.as_str() == "secret_key" || holder(&a.value),
        Expr::Call(call) => {
            let name = dotted(&call.func).unwrap_or_default();
            name.ends_with("getenv")
                || (method_name(call) == Some("get") && matches!(&*call.func, Expr::Attribute(a) if holder(&a.value)))
        }
        _ => false,
    }
}

/// Calls whose result is a fresh secret: `secrets.token_urlsafe()`,
/// `os.urandom()`, `jwt.encode()`, and project functions that say they
/// make one (`create_access_token()`, `generate_reset_token()`). Getters
/// (`get_token()`) are not: they return stored objects as often as secrets.
pub(crate) fn makes_secret(call: &ExprCall) -> bool {
    let name = dotted(&call.func).unwrap_or_default();
    if name.starts_with("secrets.token") || name.ends_with("urandom") || name == "jwt.encode" {
        return true;
    }
    let Some(method) = method_name(call) else { return false };
    let words = words(method);
    let maker = ["create", "generate", "issue", "make", "new", "mint"]
        .contains(&words.first().map(String::as_str).unwrap_or(""));
    maker && words.iter().any(|w| ["token", "secret", "password", "key", "apikey", "otp"].contains(&w.as_str()))
}

/// Whether `expr` names the setting `name` (case-insensitive): `NAME`,
/// `config.NAME`, `app.config["NAME"]`, `config.get("NAME")`,
/// `os.getenv("NAME")`.
pub(crate) fn references_setting(expr: &Expr, name: &str) -> bool {
    referenced_setting(expr).is_some_and(|k| k.eq_ignore_ascii_case(name))
}

/// The setting name `expr` may name, as written (see [`references_setting`]).
pub(crate) fn referenced_setting(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => Some(a.attr.as_str()),
        Expr::Subscript(s) => string_value(&s.slice),
        Expr::Call(call) if matches!(method_name(call), Some("get" | "getenv")) => {
            call.arguments.args.first().and_then(string_value)
        }
        _ => None,
    }
}

/// The name a value is stored under: `user.password_hash` →
/// `password_hash`, `session["token"]` → `token`, `token` → `token`.
pub(crate) fn target_name(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => Some(a.attr.as_str()),
        Expr::Subscript(s) => string_value(&s.slice),
        _ => None,
    }
}

/// An expression of some body of the project, with that body (for local
/// evidence around it).
pub(crate) struct Site<'a> {
    pub body: &'a [Stmt],
    pub expr: &'a Expr,
}

/// Every expression of the project that `matches`, with the body of the
/// function (or class, or module) it is in.
pub(crate) fn project_sites<'a>(project: &'a Project, matches: &dyn Fn(&Expr) -> bool) -> Vec<Site<'a>> {
    let mut sites = Vec::new();
    for module in &project.modules {
        let mut bodies: Vec<&'a [Stmt]> = vec![&module.ast.body];
        while let Some(body) = bodies.pop() {
            let mut finder = BodyExprs { matches, found: Vec::new(), nested: Vec::new() };
            finder.visit_body(body);
            sites.extend(finder.found.into_iter().map(|expr| Site { body, expr }));
            bodies.extend(finder.nested);
        }
    }
    sites
}

struct BodyExprs<'a, 'm> {
    matches: &'m dyn Fn(&Expr) -> bool,
    found: Vec<&'a Expr>,
    nested: Vec<&'a [Stmt]>,
}

impl<'a> Visitor<'a> for BodyExprs<'a, '_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(f) => self.nested.push(&f.body),
            Stmt::ClassDef(c) => self.nested.push(&c.body),
            _ => walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if (self.matches)(expr) {
            self.found.push(expr);
        }
        walk_expr(self, expr);
    }
}
