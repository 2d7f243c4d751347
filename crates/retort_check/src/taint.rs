//! Intra-procedural taint tracking inside one request handler: values from
//! Flask's `request` and the view's URL parameters, followed through
//! assignments and string building to the sinks of the taint rules.
//!
//! Calls of functions this module does not model stop the taint (cross-
//! function flows are the next slice); `int()`, `float()`, `bool()`,
//! `len()`, `secure_filename()`, `escape()` and `.get(..., type=int)`
//! sanitise.

use std::collections::{HashMap, HashSet};

use ruff_python_ast::visitor::{walk_expr, Visitor};
use ruff_python_ast::{Expr, ExprCall, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use crate::checker::helpers::{dotted, method_name};
use crate::checker::Checker;
use crate::handlers::HandlerInfo;
use crate::registry::Rule;

/// A taint rule's sink: which argument of a call must stay clean.
#[derive(Clone, Copy)]
pub struct Sink {
    pub rule: &'static Rule,
    pub argument: for<'a> fn(&'a ExprCall) -> Option<&'a Expr>,
    /// Only request data that starts the value counts.
    pub prefix_only: bool,
}

/// Attributes of `flask.request` that carry client-controlled data.
const REQUEST_ATTRIBUTES: &[&str] =
    &["args", "form", "values", "json", "cookies", "headers", "files", "data", "view_args", "stream"];
/// Methods of `flask.request` returning client-controlled data.
const REQUEST_METHODS: &[&str] = &["get_json", "get_data"];
/// Calls whose result cannot carry an injection payload.
const SANITISERS: &[&str] =
    &["int", "float", "bool", "len", "secure_filename", "escape", "quote", "quote_plus", "abs", "round", "UUID"];
/// Builtins that return (a container of) their argument's data.
const PASS_THROUGH_FUNCTIONS: &[&str] = &["str", "repr", "list", "tuple", "dict", "set", "sorted", "reversed"];
/// String methods that build a string from their arguments.
const BUILDING_METHODS: &[&str] = &["format", "format_map", "join"];
/// Methods on tainted values whose result is not attacker-shaped text.
const CLEAN_METHODS: &[&str] =
    &["isdigit", "isalnum", "isalpha", "isnumeric", "startswith", "endswith", "count", "find", "index", "__len__"];

/// Where a tainted value came from, and where it is used.
#[derive(Debug, Clone)]
pub struct Taint {
    /// The tainted leaf (a name or `request.…` access) inside the checked expression.
    pub range: TextRange,
    pub origin: String,
}

/// Runs the sinks over one handler.
pub(crate) fn check_handler(checker: &mut Checker, function: &StmtFunctionDef, info: &HandlerInfo, sinks: &[Sink]) {
    if sinks.is_empty() {
        return;
    }
    let mut state = State { names: HashMap::new(), reported: HashSet::new(), findings: Vec::new() };
    for param in function.parameters.iter_non_variadic_params() {
        let name = param.name().as_str();
        if name == "self" || name == "cls" || info.typed_params.iter().any(|p| p == name) {
            continue;
        }
        state.names.insert(name.to_string(), format!("URL parameter `{name}`"));
    }
    state.block(&function.body, false, sinks);
    for (sink, taint, callee) in state.findings {
        let message = format!("{}: {} reaches `{}`", sink.rule.summary, taint.origin, callee);
        checker.report(sink.rule, taint.range, message);
    }
}

struct State {
    /// Tainted local names and their origin.
    names: HashMap<String, String>,
    reported: HashSet<(&'static str, TextRange)>,
    findings: Vec<(Sink, Taint, String)>,
}

impl State {
    fn block(&mut self, body: &[Stmt], conditional: bool, sinks: &[Sink]) {
        for stmt in body {
            self.stmt(stmt, conditional, sinks);
        }
    }

    fn stmt(&mut self, stmt: &Stmt, conditional: bool, sinks: &[Sink]) {
        match stmt {
            Stmt::Assign(s) => {
                self.sinks_in(&s.value, sinks);
                let taint = self.taint(&s.value);
                for target in &s.targets {
                    self.assign(target, taint.as_ref(), conditional);
                }
            }
            Stmt::AnnAssign(s) => {
                if let Some(value) = &s.value {
                    self.sinks_in(value, sinks);
                    let taint = self.taint(value);
                    self.assign(&s.target, taint.as_ref(), conditional);
                }
            }
            Stmt::AugAssign(s) => {
                self.sinks_in(&s.value, sinks);
                if let Some(taint) = self.taint(&s.value) {
                    self.assign(&s.target, Some(&taint), true);
                }
            }
            Stmt::Expr(s) => self.sinks_in(&s.value, sinks),
            Stmt::Return(s) => {
                if let Some(value) = &s.value {
                    self.sinks_in(value, sinks);
                }
            }
            Stmt::If(s) => {
                self.sinks_in(&s.test, sinks);
                // `if is_safe_url(x):` / `if x in ALLOWED:` — x is checked inside.
                let checked: Vec<(String, String)> = validated_names(&s.test, true)
                    .into_iter()
                    .filter_map(|n| self.names.remove(&n).map(|origin| (n, origin)))
                    .collect();
                self.block(&s.body, true, sinks);
                for (name, origin) in checked {
                    self.names.entry(name).or_insert(origin);
                }
                for clause in &s.elif_else_clauses {
                    let mut checked = Vec::new();
                    if let Some(test) = &clause.test {
                        self.sinks_in(test, sinks);
                        checked = validated_names(test, true)
                            .into_iter()
                            .filter_map(|n| self.names.remove(&n).map(|origin| (n, origin)))
                            .collect();
                    }
                    self.block(&clause.body, true, sinks);
                    for (name, origin) in checked {
                        self.names.entry(name).or_insert(origin);
                    }
                }
                // `if x not in ALLOWED: x = "id"` / `if not is_safe(x): abort(400)`:
                // past the `if`, x is either checked or replaced.
                if s.elif_else_clauses.is_empty() && (exits(&s.body) || !self.body_leaves_tainted(&s.body)) {
                    for name in validated_names(&s.test, false) {
                        if exits(&s.body) || assigns(&s.body, &name) {
                            self.names.remove(&name);
                        }
                    }
                }
            }
            Stmt::For(s) => {
                self.sinks_in(&s.iter, sinks);
                let taint = self.taint(&s.iter);
                self.assign(&s.target, taint.as_ref(), true);
                // Twice, so that values carried around the loop reach its sinks.
                self.block(&s.body, true, sinks);
                self.block(&s.body, true, sinks);
                self.block(&s.orelse, true, sinks);
            }
            Stmt::While(s) => {
                self.sinks_in(&s.test, sinks);
                self.block(&s.body, true, sinks);
                self.block(&s.body, true, sinks);
                self.block(&s.orelse, true, sinks);
            }
            Stmt::With(s) => {
                for item in &s.items {
                    self.sinks_in(&item.context_expr, sinks);
                    if let Some(target) = &item.optional_vars {
                        let taint = self.taint(&item.context_expr);
                        self.assign(target, taint.as_ref(), conditional);
                    }
                }
                self.block(&s.body, conditional, sinks);
            }
            Stmt::Try(s) => {
                self.block(&s.body, true, sinks);
                for handler in &s.handlers {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(h) = handler;
                    self.block(&h.body, true, sinks);
                }
                self.block(&s.orelse, true, sinks);
                self.block(&s.finalbody, conditional, sinks);
            }
            Stmt::Match(s) => {
                self.sinks_in(&s.subject, sinks);
                for case in &s.cases {
                    self.block(&case.body, true, sinks);
                }
            }
            // Nested definitions run later, with their own arguments.
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            _ => {}
        }
    }

    /// Whether any assignment in `body` assigns a tainted value.
    fn body_leaves_tainted(&self, body: &[Stmt]) -> bool {
        body.iter().any(|stmt| match stmt {
            Stmt::Assign(a) => self.taint(&a.value).is_some(),
            _ => false,
        })
    }

    fn assign(&mut self, target: &Expr, taint: Option<&Taint>, conditional: bool) {
        match target {
            Expr::Name(name) => match taint {
                Some(t) => {
                    self.names.insert(name.id.to_string(), t.origin.clone());
                }
                None if !conditional => {
                    self.names.remove(name.id.as_str());
                }
                None => {}
            },
            Expr::Tuple(t) => t.elts.iter().for_each(|e| self.assign(e, taint, conditional)),
            Expr::List(l) => l.elts.iter().for_each(|e| self.assign(e, taint, conditional)),
            Expr::Starred(s) => self.assign(&s.value, taint, conditional),
            // `parts["where"] = q` taints the container.
            Expr::Subscript(s) if taint.is_some() => self.assign(&s.value, taint, true),
            _ => {}
        }
    }

    /// Checks every call inside `expr` against the sinks.
    fn sinks_in(&mut self, expr: &Expr, sinks: &[Sink]) {
        let mut calls = CallCollector { calls: Vec::new() };
        calls.visit_expr(expr);
        for call in calls.calls {
            for sink in sinks {
                let Some(argument) = (sink.argument)(call) else { continue };
                let taint = if sink.prefix_only { self.leading_taint(argument) } else { self.taint(argument) };
                let Some(taint) = taint else { continue };
                if self.reported.insert((sink.rule.code, taint.range)) {
                    let callee = method_name(call).unwrap_or("call").to_string();
                    self.findings.push((*sink, taint, format!("{callee}()")));
                }
            }
        }
    }

    /// Request data at the start of `expr`: `KOBO_URL + "/" + uuid` and
    /// `f"/books/{uuid}"` are fixed at the start.
    fn leading_taint(&self, expr: &Expr) -> Option<Taint> {
        use ruff_python_ast::Operator;
        match expr {
            Expr::BinOp(b) if b.op == Operator::Add => match &*b.left {
                Expr::StringLiteral(s) if !fixes_start(s.value.to_str()) => self.taint(&b.right),
                _ => self.leading_taint(&b.left),
            },
            Expr::BinOp(b) if b.op == Operator::Mod => match &*b.left {
                Expr::StringLiteral(s) if fixes_start(s.value.to_str().split('%').next().unwrap_or("")) => None,
                _ => self.taint(expr),
            },
            Expr::FString(f) => match f.value.iter().next() {
                Some(ruff_python_ast::FStringPart::Literal(l)) if fixes_start(&l.value) => None,
                Some(ruff_python_ast::FStringPart::FString(fs)) => match fs.elements.iter().next() {
                    Some(ruff_python_ast::InterpolatedStringElement::Literal(l)) if fixes_start(&l.value) => None,
                    // `f"{BASE_URL}/items/{id}"`: the start is whatever BASE_URL is.
                    Some(ruff_python_ast::InterpolatedStringElement::Interpolation(first)) => {
                        self.leading_taint(&first.expression)
                    }
                    _ => self.taint(expr),
                },
                _ => self.taint(expr),
            },
            Expr::Call(call) => match &*call.func {
                Expr::Attribute(a) if a.attr.as_str() == "format" => match &*a.value {
                    Expr::StringLiteral(s) if fixes_start(s.value.to_str().split('{').next().unwrap_or("")) => None,
                    _ => self.taint(expr),
                },
                _ => self.taint(expr),
            },
            Expr::BoolOp(b) => b.values.iter().find_map(|v| self.leading_taint(v)),
            Expr::If(i) => self.leading_taint(&i.body).or_else(|| self.leading_taint(&i.orelse)),
            _ => self.taint(expr),
        }
    }

    /// The first tainted value inside `expr`, if any.
    fn taint(&self, expr: &Expr) -> Option<Taint> {
        match expr {
            Expr::Name(name) => {
                self.names.get(name.id.as_str()).map(|origin| Taint { range: name.range, origin: origin.clone() })
            }
            Expr::Attribute(attr) => {
                if let Some(source) = request_attribute(expr) {
                    return Some(Taint { range: attr.range, origin: format!("`{source}`") });
                }
                self.taint(&attr.value)
            }
            Expr::Subscript(s) => self.taint(&s.value),
            Expr::Call(call) => self.call_taint(call),
            Expr::BinOp(b) => self.taint(&b.left).or_else(|| self.taint(&b.right)),
            Expr::BoolOp(b) => b.values.iter().find_map(|v| self.taint(v)),
            Expr::If(i) => self.taint(&i.body).or_else(|| self.taint(&i.orelse)),
            Expr::FString(f) => f.value.iter().find_map(|part| match part {
                ruff_python_ast::FStringPart::FString(fs) => {
                    fs.elements.interpolations().find_map(|e| self.taint(&e.expression))
                }
                ruff_python_ast::FStringPart::Literal(_) => None,
            }),
            Expr::List(l) => l.elts.iter().find_map(|e| self.taint(e)),
            Expr::Tuple(t) => t.elts.iter().find_map(|e| self.taint(e)),
            Expr::Set(s) => s.elts.iter().find_map(|e| self.taint(e)),
            Expr::Dict(d) => d.items.iter().find_map(|item| self.taint(&item.value)),
            Expr::Starred(s) => self.taint(&s.value),
            Expr::Named(n) => self.taint(&n.value),
            Expr::Await(a) => self.taint(&a.value),
            Expr::ListComp(c) => c.generators.iter().find_map(|g| self.taint(&g.iter)).or_else(|| self.taint(&c.elt)),
            Expr::Generator(c) => c.generators.iter().find_map(|g| self.taint(&g.iter)).or_else(|| self.taint(&c.elt)),
            _ => None,
        }
    }

    fn call_taint(&self, call: &ExprCall) -> Option<Taint> {
        match &*call.func {
            Expr::Attribute(attr) => {
                let method = attr.attr.as_str();
                if REQUEST_METHODS.contains(&method) && is_request(&attr.value) {
                    return Some(Taint { range: call.range(), origin: format!("`request.{method}()`") });
                }
                if BUILDING_METHODS.contains(&method) {
                    if let Some(t) = self.taint(&attr.value) {
                        return Some(t);
                    }
                    return call
                        .arguments
                        .args
                        .iter()
                        .find_map(|a| self.taint(a))
                        .or_else(|| call.arguments.keywords.iter().find_map(|k| self.taint(&k.value)));
                }
                if CLEAN_METHODS.contains(&method) {
                    return None;
                }
                // `request.args.get("n", type=int)` converts the value.
                if method == "get" && call.arguments.find_keyword("type").is_some() {
                    return None;
                }
                self.taint(&attr.value)
            }
            Expr::Name(name) => {
                let name = name.id.as_str();
                if SANITISERS.contains(&name) {
                    None
                } else if PASS_THROUGH_FUNCTIONS.contains(&name) {
                    call.arguments.args.iter().find_map(|a| self.taint(a))
                } else {
                    None
                }
            }
            _ => None,
        }
    }
}

/// `request` or `flask.request`.
fn is_request(expr: &Expr) -> bool {
    matches!(dotted(expr).as_deref(), Some("request" | "flask.request"))
}

/// `request.args` and friends: the dotted source text.
fn request_attribute(expr: &Expr) -> Option<String> {
    let Expr::Attribute(attr) = expr else { return None };
    if REQUEST_ATTRIBUTES.contains(&attr.attr.as_str()) && is_request(&attr.value) {
        return Some(format!("request.{}", attr.attr.as_str()));
    }
    None
}

struct CallCollector<'a> {
    calls: Vec<&'a ExprCall>,
}

impl<'a> Visitor<'a> for CallCollector<'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Call(call) => {
                self.calls.push(call);
                walk_expr(self, expr);
            }
            // A lambda's body runs later, with its own arguments.
            Expr::Lambda(_) => {}
            _ => walk_expr(self, expr),
        }
    }
}

/// Words in the names of functions that validate a value (`is_safe_url`,
/// `url_has_allowed_host_and_scheme`, `validate_column`).
const VALIDATOR_WORDS: &[&str] = &["safe", "allowed", "valid", "whitelist", "allowlist", "permitted"];

/// Names that `test` checks: when `positive`, names that are valid when the
/// test is true (`check(x)`, `x in Y`); otherwise names that are invalid
/// when it is true (`not check(x)`, `x not in Y`).
fn validated_names(test: &Expr, positive: bool) -> Vec<String> {
    use ruff_python_ast::{BoolOp, CmpOp, UnaryOp};
    match test {
        Expr::BoolOp(b) if (b.op == BoolOp::And) == positive => {
            b.values.iter().flat_map(|v| validated_names(v, positive)).collect()
        }
        Expr::UnaryOp(u) if u.op == UnaryOp::Not => validated_names(&u.operand, !positive),
        Expr::Compare(c) if c.ops.len() == 1 => {
            let wanted = if positive { CmpOp::In } else { CmpOp::NotIn };
            match (&*c.left, c.ops[0] == wanted) {
                (Expr::Name(n), true) => vec![n.id.to_string()],
                _ => Vec::new(),
            }
        }
        Expr::Call(call) if positive => {
            let is_validator = method_name(call).is_some_and(|name| {
                let lower = name.to_ascii_lowercase();
                VALIDATOR_WORDS.iter().any(|w| lower.contains(w))
            });
            if !is_validator {
                return Vec::new();
            }
            call.arguments
                .args
                .iter()
                .filter_map(|a| match a {
                    Expr::Name(n) => Some(n.id.to_string()),
                    _ => None,
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

/// Whether a block always leaves the function (`return`, `raise`, `abort()`).
fn exits(body: &[Stmt]) -> bool {
    match body.last() {
        Some(Stmt::Return(_) | Stmt::Raise(_)) => true,
        Some(Stmt::Expr(e)) => matches!(&*e.value, Expr::Call(c) if method_name(c) == Some("abort")),
        _ => false,
    }
}

/// Whether a block assigns `name` at its top level.
fn assigns(body: &[Stmt], name: &str) -> bool {
    body.iter().any(|stmt| match stmt {
        Stmt::Assign(a) => a.targets.iter().any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == name)),
        _ => false,
    })
}

/// Whether a literal start fixes where a URL points: not empty, and not
/// just `/` (`"/" + x` with x = `/evil.example` is protocol-relative).
fn fixes_start(text: &str) -> bool {
    !text.is_empty() && text != "/" && text != "\\"
}
