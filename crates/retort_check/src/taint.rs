//! Taint tracking from Flask's `request` and a view's URL parameters,
//! through assignments, containers and string building, to the sinks of the
//! taint rules — inside request handlers, inside any function that reads
//! `flask.request`, and across calls of project functions (also in other
//! modules), by summaries: which parameters of a function reach its return
//! value and which reach a sink inside it (transitively, [`MAX_CALL_DEPTH`]
//! calls deep).
//!
//! `int()`, `float()`, `bool()`, `len()`, `secure_filename()`, `escape()`,
//! `.get(..., type=int)`, allow-list checks and the project's configured
//! sanitisers stop the taint. Calls of functions neither modelled nor in
//! the project stop it too: unknown code is not assumed to pass data on.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use retort_python::{Module, ModuleId, Project};

use ruff_python_ast::visitor::{walk_expr, Visitor};
use ruff_python_ast::{Expr, ExprCall, Stmt, StmtClassDef, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use crate::calls::resolve_function;
use crate::checker::helpers::{dotted, is_false, method_name};
use crate::checker::Checker;
use crate::handlers::HandlerInfo;
use crate::registry::Rule;
use crate::templates::Templates;

/// How many calls deep flows are followed into project functions.
pub const MAX_CALL_DEPTH: usize = 5;

/// A taint rule's sink: which argument of a call must stay clean.
#[derive(Clone, Copy)]
pub struct Sink {
    pub rule: &'static Rule,
    pub argument: for<'a> fn(&SinkSite<'a>) -> Option<&'a Expr>,
    /// Only request data that starts the value counts.
    pub prefix_only: bool,
}

/// A call a sink is asked about, with what sinks may look up.
pub struct SinkSite<'a> {
    pub call: &'a ExprCall,
    /// The project's Jinja templates (for `render_template` sinks).
    pub templates: &'a Templates,
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
/// Library functions that decode, wrap or convert their argument's data.
const DECODING_FUNCTIONS: &[&str] = &[
    "io.BytesIO",
    "io.StringIO",
    "BytesIO",
    "StringIO",
    "base64.b64decode",
    "base64.urlsafe_b64decode",
    "base64.b32decode",
    "base64.b16decode",
    "base64.decodebytes",
    "bytes.fromhex",
    "binascii.unhexlify",
    "binascii.a2b_base64",
    "binascii.a2b_hex",
    "codecs.decode",
    "zlib.decompress",
    "gzip.decompress",
    "json.loads",
    "urllib.parse.unquote",
    "urllib.parse.unquote_plus",
    "unquote",
    "unquote_plus",
    "b64decode",
    "urlsafe_b64decode",
];
/// String methods that build a string from their arguments.
const BUILDING_METHODS: &[&str] = &["format", "format_map", "join"];
/// Methods on tainted values whose result is not attacker-shaped text.
const CLEAN_METHODS: &[&str] =
    &["isdigit", "isalnum", "isalpha", "isnumeric", "startswith", "endswith", "count", "find", "index", "__len__"];

/// Where tainted data comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// Request data, described for messages (`` `request.args` ``).
    Request(String),
    /// The value of a parameter of the function being summarised.
    Param(usize),
}

/// Where a tainted value came from, and where it is used.
#[derive(Debug, Clone)]
pub struct Taint {
    /// The tainted leaf (a name or `request.…` access) inside the checked expression.
    pub range: TextRange,
    pub origin: Origin,
}

/// What a project function does with its parameters, as far as taint goes.
#[derive(Default)]
pub(crate) struct Summary {
    /// Parameters whose data reaches the return value.
    returns_params: Vec<usize>,
    /// Request data the function returns by itself.
    returns_request: Option<String>,
    /// Parameters that reach a sink inside.
    sinks: Vec<SinkFlow>,
}

/// A flow into a sink, found while checking one function.
struct Flow {
    sink: Sink,
    taint: Taint,
    /// The sink call, and where it is when it is in another function
    /// (`` `execute()` in `find()` (db.py:7) ``).
    place: String,
    /// Indices of flag parameters (default `False`/`None`) that must be set
    /// for the flow to happen (`if allow_html: Markup(message)`).
    flags: Vec<usize>,
}

/// A parameter of a summarised function that reaches a sink inside it.
struct SinkFlow {
    param: usize,
    sink: Sink,
    place: String,
    flags: Vec<usize>,
}

/// Summaries of the project functions one traversal has met, by module and
/// `def` offset.
#[derive(Default)]
pub(crate) struct Summaries(RefCell<HashMap<(ModuleId, ruff_text_size::TextSize), Rc<Summary>>>);

/// What every taint run of one traversal shares.
struct Ctx<'c> {
    project: &'c Project,
    sinks: &'c [Sink],
    sanitisers: &'c [String],
    summaries: &'c Summaries,
    templates: &'c Templates,
}

/// Runs the sinks over one function: a request handler (`info`, whose URL
/// parameters are tainted) or another function that reads `flask.request`.
pub(crate) fn check_function(
    checker: &mut Checker,
    function: &StmtFunctionDef,
    info: Option<&HandlerInfo>,
    sinks: &[Sink],
) {
    let Some(module) = checker.module else { return };
    let Some(module_id) = checker.project.module_by_path(&module.path) else { return };
    if sinks.is_empty() {
        return;
    }
    let ctx = Ctx {
        project: checker.project,
        sinks,
        sanitisers: &checker.config.extra_sanitisers,
        summaries: &checker.summaries,
        templates: &checker.memo.templates,
    };
    let mut state = State::new(&ctx, module_id, 0);
    // `self.helper(x)` in a class-based view reaches the class's own methods.
    state.class = checker.class_stack.last().and_then(|name| {
        module.ast.body.iter().find_map(|stmt| match stmt {
            Stmt::ClassDef(class) if class.name.as_str() == *name => Some(class),
            _ => None,
        })
    });
    if let Some(info) = info {
        for param in function.parameters.iter_non_variadic_params() {
            let name = param.name().as_str();
            if name == "self" || name == "cls" || info.typed_params.iter().any(|p| p == name) {
                continue;
            }
            state.names.insert(name.to_string(), Origin::Request(format!("URL parameter `{name}`")));
        }
    }
    state.block(&function.body, false);
    for flow in state.findings {
        let Origin::Request(origin) = &flow.taint.origin else { continue };
        let message = format!("{}: {} reaches {}", flow.sink.rule.summary, origin, flow.place);
        checker.report(flow.sink.rule, flow.taint.range, message);
    }
}

/// Whether a module imports Flask's `request` (`from flask import request`
/// or `import flask`), so that `request` in it is Flask's.
pub(crate) fn imports_flask_request(module: &Module) -> bool {
    module.ast.body.iter().any(|stmt| match stmt {
        Stmt::ImportFrom(import) => {
            import.level == 0
                && import.module.as_ref().is_some_and(|m| m.as_str() == "flask")
                && import.names.iter().any(|a| a.name.as_str() == "request")
        }
        Stmt::Import(import) => import.names.iter().any(|a| a.name.as_str() == "flask"),
        _ => false,
    })
}

/// The summary of a project function, computed once per traversal.
fn summary<'c>(
    ctx: &'c Ctx<'c>,
    module: ModuleId,
    function: &StmtFunctionDef,
    class: Option<&'c StmtClassDef>,
    depth: usize,
) -> Rc<Summary> {
    let key = (module, function.range().start());
    if let Some(done) = ctx.summaries.0.borrow().get(&key) {
        return done.clone();
    }
    if depth >= MAX_CALL_DEPTH {
        return Rc::default();
    }
    // Recursion sees an empty summary.
    ctx.summaries.0.borrow_mut().insert(key, Rc::default());
    let name = function.name.as_str();
    let file = ctx.project.module(module).display_path();
    let mut summary = Summary::default();
    // Once without tainted parameters: what it returns from `request` itself.
    let mut state = State::new(ctx, module, depth + 1);
    state.class = class;
    state.block(&function.body, false);
    summary.returns_request = state.returned.and_then(|t| match t.origin {
        Origin::Request(origin) => Some(origin),
        Origin::Param(_) => None,
    });
    // Once per parameter: where that parameter's data goes.
    let flag_params = flag_parameters(function);
    for (index, param) in parameters(function).into_iter().enumerate() {
        let mut state = State::new(ctx, module, depth + 1);
        state.class = class;
        state.flag_params = flag_params.clone();
        state.names.insert(param.to_string(), Origin::Param(index));
        state.block(&function.body, false);
        if state.returned.as_ref().is_some_and(|t| t.origin == Origin::Param(index)) {
            summary.returns_params.push(index);
        }
        for flow in state.findings {
            if flow.taint.origin == Origin::Param(index) {
                let line = ctx.project.module(module).line_of(flow.taint.range.start());
                let place = if flow.place.contains(" in `") {
                    flow.place
                } else {
                    format!("{} in `{name}()` ({file}:{line})", flow.place)
                };
                summary.sinks.push(SinkFlow { param: index, sink: flow.sink, place, flags: flow.flags });
            }
        }
    }
    let summary = Rc::new(summary);
    ctx.summaries.0.borrow_mut().insert(key, summary.clone());
    summary
}

/// The parameter names of a function a call binds by position or name,
/// in order (`self`/`cls` are bound by the receiver and not listed).
fn parameters(function: &StmtFunctionDef) -> Vec<&str> {
    function
        .parameters
        .iter_non_variadic_params()
        .map(|p| p.name().as_str())
        .filter(|name| *name != "self" && *name != "cls")
        .collect()
}

/// Parameters that default to `False` or `None`, by name and index: flags
/// that switch code on only when a caller sets them.
fn flag_parameters(function: &StmtFunctionDef) -> Vec<(String, usize)> {
    let names = parameters(function);
    function
        .parameters
        .iter_non_variadic_params()
        .filter(|p| p.default.as_deref().is_some_and(|d| matches!(d, Expr::NoneLiteral(_)) || is_false(d)))
        .filter_map(|p| {
            let name = p.name().as_str();
            names.iter().position(|n| *n == name).map(|index| (name.to_string(), index))
        })
        .collect()
}

/// Whether a call sets flag parameter `index` (named `name`) to something
/// other than `False`/`None`.
fn sets_flag(call: &ExprCall, index: usize, name: &str) -> bool {
    argument_for(call, index, name).is_some_and(|a| !matches!(a, Expr::NoneLiteral(_)) && !is_false(a))
        || crate::checker::helpers::has_kwargs_splat(call)
}

/// The argument a call passes for parameter `index` (named `name`).
fn argument_for<'e>(call: &'e ExprCall, index: usize, name: &str) -> Option<&'e Expr> {
    if call.arguments.args.iter().take(index + 1).any(|a| matches!(a, Expr::Starred(_))) {
        return None;
    }
    call.arguments.args.get(index).or_else(|| call.arguments.find_keyword(name).map(|k| &k.value))
}

struct State<'c> {
    ctx: &'c Ctx<'c>,
    module: ModuleId,
    /// The class whose method is checked, for `self.method()` calls.
    class: Option<&'c StmtClassDef>,
    depth: usize,
    /// Tainted local names and their origin.
    names: HashMap<String, Origin>,
    /// Tainted items of local dicts under a literal key (`form["value"] = …`):
    /// the other keys of that dict stay clean.
    keyed: HashMap<(String, String), Origin>,
    reported: HashSet<(&'static str, TextRange)>,
    findings: Vec<Flow>,
    /// Flag parameters of the summarised function (see [`flag_parameters`]).
    flag_params: Vec<(String, usize)>,
    /// The flags that guard the code being checked.
    flags: Vec<usize>,
    /// The first tainted value a `return` returns.
    returned: Option<Taint>,
}

impl<'c> State<'c> {
    fn new(ctx: &'c Ctx<'c>, module: ModuleId, depth: usize) -> Self {
        State {
            ctx,
            module,
            class: None,
            depth,
            names: HashMap::new(),
            keyed: HashMap::new(),
            reported: HashSet::new(),
            findings: Vec::new(),
            flag_params: Vec::new(),
            flags: Vec::new(),
            returned: None,
        }
    }

    /// The project function a call reaches, with its summary.
    fn callee_summary(&self, call: &ExprCall) -> Option<(Rc<Summary>, &'c StmtFunctionDef)> {
        if self.depth >= MAX_CALL_DEPTH {
            return None;
        }
        if let (Some(class), Expr::Attribute(attr)) = (self.class, &*call.func) {
            if matches!(&*attr.value, Expr::Name(n) if n.id.as_str() == "self") {
                let method = class.body.iter().find_map(|stmt| match stmt {
                    Stmt::FunctionDef(f) if f.name.as_str() == attr.attr.as_str() => Some(f),
                    _ => None,
                })?;
                return Some((summary(self.ctx, self.module, method, Some(class), self.depth), method));
            }
        }
        let (module, function) = resolve_function(self.ctx.project, self.module, &call.func)?;
        Some((summary(self.ctx, module, function, None, self.depth), function))
    }

    fn block(&mut self, body: &[Stmt], conditional: bool) {
        for stmt in body {
            self.stmt(stmt, conditional);
        }
    }

    fn stmt(&mut self, stmt: &Stmt, conditional: bool) {
        match stmt {
            Stmt::Assign(s) => {
                self.sinks_in(&s.value);
                let taint = self.taint(&s.value);
                for target in &s.targets {
                    self.assign(target, taint.as_ref(), conditional);
                }
            }
            Stmt::AnnAssign(s) => {
                if let Some(value) = &s.value {
                    self.sinks_in(value);
                    let taint = self.taint(value);
                    self.assign(&s.target, taint.as_ref(), conditional);
                }
            }
            Stmt::AugAssign(s) => {
                self.sinks_in(&s.value);
                if let Some(taint) = self.taint(&s.value) {
                    self.assign(&s.target, Some(&taint), true);
                }
            }
            Stmt::Expr(s) => {
                self.sinks_in(&s.value);
                // `check_access(root, path)` as a statement: it can only
                // protect by raising, so past it the value is checked.
                if let Expr::Call(call) = &*s.value {
                    if method_name(call).is_some_and(is_guard_name) {
                        for name in call.arguments.args.iter().filter_map(|a| match a {
                            Expr::Name(n) => Some(n.id.as_str()),
                            _ => None,
                        }) {
                            self.names.remove(name);
                        }
                    }
                }
            }
            Stmt::Return(s) => {
                if let Some(value) = &s.value {
                    self.sinks_in(value);
                    if self.returned.is_none() {
                        self.returned = self.taint(value);
                    }
                }
            }
            Stmt::If(s) => {
                // Each branch starts from the state before the `if`; after
                // it, a name is tainted if it is on some branch that does
                // not leave the function (or on the path with no branch).
                let before = (self.names.clone(), self.keyed.clone());
                let mut merged: Option<Bindings> = None;
                let mut has_else = false;
                let branches = std::iter::once((Some(&*s.test), &s.body))
                    .chain(s.elif_else_clauses.iter().map(|c| (c.test.as_ref(), &c.body)));
                for (index, (test, body)) in branches.enumerate() {
                    if index > 0 {
                        (self.names, self.keyed) = before.clone();
                    }
                    let mut flag = None;
                    match test {
                        Some(test) => {
                            self.sinks_in(test);
                            // `if is_safe_url(x):` / `if x in ALLOWED:` — x is checked inside.
                            for name in validated_names(test, true) {
                                self.names.remove(&name);
                            }
                            flag = match test {
                                Expr::Name(n) => {
                                    self.flag_params.iter().find(|(p, _)| p == n.id.as_str()).map(|(_, i)| *i)
                                }
                                _ => None,
                            };
                        }
                        None => has_else = true,
                    }
                    self.flags.extend(flag);
                    self.block(body, conditional);
                    if flag.is_some() {
                        self.flags.pop();
                    }
                    if !exits(body) {
                        merge_into(&mut merged, (std::mem::take(&mut self.names), std::mem::take(&mut self.keyed)));
                    }
                }
                if !has_else {
                    merge_into(&mut merged, before.clone());
                }
                (self.names, self.keyed) = merged.unwrap_or(before);
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
                self.sinks_in(&s.iter);
                let taint = self.taint(&s.iter);
                self.assign(&s.target, taint.as_ref(), true);
                // Twice, so that values carried around the loop reach its sinks.
                self.block(&s.body, true);
                self.block(&s.body, true);
                self.block(&s.orelse, true);
            }
            Stmt::While(s) => {
                self.sinks_in(&s.test);
                self.block(&s.body, true);
                self.block(&s.body, true);
                self.block(&s.orelse, true);
            }
            Stmt::With(s) => {
                for item in &s.items {
                    self.sinks_in(&item.context_expr);
                    if let Some(target) = &item.optional_vars {
                        let taint = self.taint(&item.context_expr);
                        self.assign(target, taint.as_ref(), conditional);
                    }
                }
                self.block(&s.body, conditional);
            }
            Stmt::Try(s) => {
                self.block(&s.body, true);
                for handler in &s.handlers {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(h) = handler;
                    self.block(&h.body, true);
                }
                self.block(&s.orelse, true);
                self.block(&s.finalbody, conditional);
            }
            Stmt::Match(s) => {
                self.sinks_in(&s.subject);
                for case in &s.cases {
                    self.block(&case.body, true);
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
            // `parts["where"] = q` taints that item of a local dict, any
            // other subscript the whole container.
            Expr::Subscript(s) if taint.is_some() => match (&*s.value, literal_key(&s.slice)) {
                (Expr::Name(name), Some(key)) => {
                    let origin = taint.map(|t| t.origin.clone()).expect("guarded by is_some");
                    self.keyed.insert((name.id.to_string(), key.to_string()), origin);
                }
                _ => self.assign(&s.value, taint, true),
            },
            _ => {}
        }
    }

    /// Checks every call inside `expr` against the sinks.
    fn sinks_in(&mut self, expr: &Expr) {
        let mut calls = CallCollector { calls: Vec::new() };
        calls.visit_expr(expr);
        for call in calls.calls {
            for sink in self.ctx.sinks {
                let site = SinkSite { call, templates: self.ctx.templates };
                let Some(argument) = (sink.argument)(&site) else { continue };
                let taint = if sink.prefix_only { self.leading_taint(argument) } else { self.taint(argument) };
                let Some(taint) = taint else { continue };
                if self.reported.insert((sink.rule.code, taint.range)) {
                    let callee = method_name(call).unwrap_or("call").to_string();
                    let flags = self.flags.clone();
                    self.findings.push(Flow { sink: *sink, taint, place: format!("`{callee}()`"), flags });
                }
            }
            // Arguments that reach a sink inside a project function.
            let Some((summary, function)) = self.callee_summary(call) else { continue };
            let params = parameters(function);
            for flow in &summary.sinks {
                if !flow.flags.iter().all(|&flag| sets_flag(call, flag, params[flag])) {
                    continue;
                }
                let Some(argument) = argument_for(call, flow.param, params[flow.param]) else { continue };
                let Some(taint) = self.taint(argument) else { continue };
                if self.reported.insert((flow.sink.rule.code, taint.range)) {
                    let (place, flags) = (flow.place.clone(), self.flags.clone());
                    self.findings.push(Flow { sink: flow.sink, taint, place, flags });
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
                let origin = self.names.get(name.id.as_str()).or_else(|| {
                    // The whole dict carries the data of its tainted items.
                    self.keyed.iter().find(|((n, _), _)| n == name.id.as_str()).map(|(_, origin)| origin)
                });
                origin.map(|origin| Taint { range: name.range, origin: origin.clone() })
            }
            Expr::Attribute(attr) => {
                if let Some(source) = request_attribute(expr) {
                    return Some(Taint { range: attr.range, origin: Origin::Request(format!("`{source}`")) });
                }
                self.taint(&attr.value)
            }
            Expr::Subscript(s) => match (&*s.value, literal_key(&s.slice)) {
                (Expr::Name(name), Some(key)) if !self.names.contains_key(name.id.as_str()) => self
                    .keyed
                    .get(&(name.id.to_string(), key.to_string()))
                    .map(|origin| Taint { range: s.range, origin: origin.clone() }),
                _ => self.taint(&s.value),
            },
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

    /// The taint a project function's return value carries at this call.
    fn returned_taint(&self, call: &ExprCall, summary: &Summary, function: &StmtFunctionDef) -> Option<Taint> {
        let name = function.name.as_str();
        // `safe_next(url)`, `sanitize_html(text)`: the project's own checks.
        if is_sanitiser_name(name) {
            return None;
        }
        if let Some(origin) = &summary.returns_request {
            let origin = Origin::Request(format!("{origin} (returned by `{name}()`)"));
            return Some(Taint { range: call.range(), origin });
        }
        let params = parameters(function);
        summary.returns_params.iter().find_map(|&index| self.taint(argument_for(call, index, params[index])?))
    }

    fn call_taint(&self, call: &ExprCall) -> Option<Taint> {
        if let Some(name) = method_name(call) {
            if self.ctx.sanitisers.iter().any(|s| s == name || dotted(&call.func).is_some_and(|d| &d == s)) {
                return None;
            }
        }
        if let Some((summary, function)) = self.callee_summary(call) {
            return self.returned_taint(call, &summary, function);
        }
        if dotted(&call.func).is_some_and(|d| DECODING_FUNCTIONS.contains(&d.as_str())) {
            return call.arguments.args.first().and_then(|a| self.taint(a));
        }
        match &*call.func {
            Expr::Attribute(attr) => {
                let method = attr.attr.as_str();
                if REQUEST_METHODS.contains(&method) && is_request(&attr.value) {
                    return Some(Taint {
                        range: call.range(),
                        origin: Origin::Request(format!("`request.{method}()`")),
                    });
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

/// The literal string key of a subscript (`form["value"]`).
fn literal_key(slice: &Expr) -> Option<&str> {
    match slice {
        Expr::StringLiteral(s) => Some(s.value.to_str()),
        _ => None,
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

/// Methods that turn markup back into plain text: `Markup(x).unescape()`
/// renders nothing as HTML.
const UNMARKUP_METHODS: &[&str] = &["unescape", "striptags"];

impl<'a> Visitor<'a> for CallCollector<'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Call(call) if matches!(&*call.func, Expr::Attribute(a) if UNMARKUP_METHODS.contains(&a.attr.as_str()) && matches!(&*a.value, Expr::Call(_))) =>
            {
                let Expr::Attribute(a) = &*call.func else { return };
                let Expr::Call(inner) = &*a.value else { return };
                self.calls.push(call);
                // The inner call's own arguments may still hold sinks.
                for argument in inner.arguments.args.iter().chain(inner.arguments.keywords.iter().map(|k| &k.value)) {
                    self.visit_expr(argument);
                }
            }
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

/// Words in the names of functions that raise when a value is not acceptable.
const GUARD_WORDS: &[&str] = &["check", "verify", "validate", "ensure", "assert", "permission", "authori"];

/// Whether a function called for its effect checks its arguments.
fn is_guard_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    GUARD_WORDS.iter().chain(VALIDATOR_WORDS).any(|w| lower.contains(w))
}

/// Words in the names of project functions that sanitise what they return.
const SANITISER_WORDS: &[&str] = &["sanitiz", "sanitis", "clean", "escape", "quote"];

/// Whether a function's name says that its result is checked or cleaned.
fn is_sanitiser_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    VALIDATOR_WORDS.iter().chain(SANITISER_WORDS).any(|w| lower.contains(w))
}

/// Names that `test` checks: when `positive`, names that are valid when the
/// test is true (`check(x)`, `x in Y`); otherwise names that are invalid
/// when it is true (`not check(x)`, `x not in Y`).
fn validated_names(test: &Expr, positive: bool) -> Vec<String> {
    use ruff_python_ast::{BoolOp, CmpOp, UnaryOp};
    match test {
        Expr::BoolOp(b) if (b.op == BoolOp::And) == positive => {
            b.values.iter().flat_map(|v| validated_names(v, positive)).collect()
        }
        // `if x != "internal" and not is_safe(x): x = url_for(...)`: past
        // the `if`, x is either that constant or checked.
        Expr::BoolOp(b) if b.op == BoolOp::And && !positive => {
            let names: Vec<String> = b.values.iter().flat_map(|v| validated_names(v, false)).collect();
            let rest_pins_them = b.values.iter().all(|v| {
                !validated_names(v, false).is_empty()
                    || matches!(v, Expr::Compare(c) if c.ops.len() == 1
                        && matches!(c.ops[0], CmpOp::NotEq | CmpOp::IsNot)
                        && matches!(&*c.left, Expr::Name(n) if names.iter().any(|m| m == n.id.as_str()))
                        && c.comparators[0].is_literal_expr())
            });
            if rest_pins_them {
                names
            } else {
                Vec::new()
            }
        }
        Expr::UnaryOp(u) if u.op == UnaryOp::Not => validated_names(&u.operand, !positive),
        Expr::Compare(c) if c.ops.len() == 1 => {
            let wanted = if positive { CmpOp::In } else { CmpOp::NotIn };
            match (&*c.left, c.ops[0] == wanted) {
                (Expr::Name(n), true) => vec![n.id.to_string()],
                _ => Vec::new(),
            }
        }
        // `len(adapter.allowed_methods(x))`, `bool(...)`: the check inside.
        Expr::Call(call) if positive && matches!(method_name(call), Some("len" | "bool")) => {
            call.arguments.args.first().map(|a| validated_names(a, true)).unwrap_or_default()
        }
        Expr::Call(call) if positive => {
            let is_validator = method_name(call).is_some_and(|name| {
                let lower = name.to_ascii_lowercase();
                VALIDATOR_WORDS.iter().any(|w| lower.contains(w))
            });
            if !is_validator {
                return Vec::new();
            }
            // `is_safe(x)`, `allowed(strip_prefix(x, root))`.
            call.arguments
                .args
                .iter()
                .filter_map(|a| match a {
                    Expr::Name(n) => Some(n.id.to_string()),
                    Expr::Call(inner) => match inner.arguments.args.first() {
                        Some(Expr::Name(n)) => Some(n.id.to_string()),
                        _ => None,
                    },
                    _ => None,
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The tainted names and dict items of one program point.
type Bindings = (HashMap<String, Origin>, HashMap<(String, String), Origin>);

/// Adds a branch's tainted names to the state after an `if`.
fn merge_into(merged: &mut Option<Bindings>, branch: Bindings) {
    match merged {
        None => *merged = Some(branch),
        Some((names, keyed)) => {
            for (name, origin) in branch.0 {
                names.entry(name).or_insert(origin);
            }
            for (key, origin) in branch.1 {
                keyed.entry(key).or_insert(origin);
            }
        }
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
