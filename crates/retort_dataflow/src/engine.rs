//! The engine: one abstract walk per function over its statements, with
//! the tainted names, dict items and object attributes of each program
//! point; branches are walked separately and merged, loops twice.
//!
//! Calls of project functions are followed by summaries, computed once per
//! function and analysis ([`MAX_CALL_DEPTH`] calls deep): which parameters
//! reach its return value, an attribute of `self`, or a sink inside it.
//! Library calls follow the models; calls that nothing models stop the
//! flow, except methods called on tainted values (low confidence).

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

use retort_python::{Module, ModuleId, Project};
use ruff_python_ast::visitor::{walk_expr, Visitor};
use ruff_python_ast::{Expr, ExprCall, ExprList, ExprTuple, Stmt, StmtClassDef, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::models::{Confidence, From, KindSet, Models, SinkKind, SinkModel, To};
use crate::resolve::ProjectIndex;
use crate::syntax::{access_path, dotted, has_kwargs_splat, is_false, is_true, method_name, path_within};

/// How many calls deep flows are followed into project functions.
pub const MAX_CALL_DEPTH: usize = 5;

/// A client's own sink: returns the argument of a call that must not carry
/// source data (for sinks whose shape a table cannot say).
pub struct CustomSink<'s> {
    pub kind: SinkKind,
    /// The arguments of a call that must not carry source data (none when
    /// the call is not this sink).
    pub arguments: SinkArguments<'s>,
}

/// What finds a custom sink's arguments in a call.
pub type SinkArguments<'s> = Box<dyn for<'e> Fn(&'e ExprCall) -> Vec<&'e Expr> + 's>;

/// A place in a file: 1-based lines and columns (in characters).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Location {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

/// One step of a flow: where, and what happened there.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowStep {
    pub location: Location,
    pub note: String,
}

/// A source value that reaches a sink.
#[derive(Debug, Clone)]
pub struct Flow {
    pub kind: SinkKind,
    /// The custom sink that matched (its index), or `None` for a model sink.
    pub custom: Option<usize>,
    /// The sink, as written (`` `text()` ``).
    pub sink_name: String,
    /// The source, described (`` `request.args` ``, `` URL parameter `name` ``).
    pub source: String,
    /// Where the tainted value is used at the sink.
    pub sink: Location,
    /// From the source to the sink, both included.
    pub steps: Vec<FlowStep>,
    pub confidence: Confidence,
}

/// A function to analyse from scratch: a request handler (its URL
/// parameters are tainted) or a function that reads the request itself.
pub struct Root<'a> {
    pub module: ModuleId,
    pub function: &'a StmtFunctionDef,
    /// The class of a method (for `self.method()` and `self.attribute`).
    pub class: Option<&'a StmtClassDef>,
    /// Tainted parameters (a handler's untyped URL parameters).
    pub tainted_params: Vec<String>,
    /// Those of them that are one URL path segment (no `/` in them).
    pub segment_params: Vec<String>,
    /// A request handler: what it returns is the response body.
    pub handler: bool,
}

/// Attributes of `self` set from source data, by attribute name.
type Fields = HashMap<String, Taint>;

/// One recorded step, resolved to a location only when a flow is reported.
#[derive(Debug, Clone)]
struct Step {
    module: ModuleId,
    range: TextRange,
    note: Rc<str>,
}

/// A persistent list of steps, newest first (cheap to share and extend).
type Trace = Option<Rc<TraceNode>>;

#[derive(Debug)]
struct TraceNode {
    step: Step,
    prev: Trace,
}

fn push(trace: &Trace, step: Step) -> Trace {
    Some(Rc::new(TraceNode { step, prev: trace.clone() }))
}

fn steps_of(trace: &Trace) -> Vec<Step> {
    let mut out = Vec::new();
    let mut node = trace.as_ref();
    while let Some(n) = node {
        out.push(n.step.clone());
        node = n.prev.as_ref();
    }
    out.reverse();
    out
}

/// Steps of a callee's flow kept in its caller's path: the first and last
/// [`KEPT_STEPS`] of a longer one, with the middle named in one step. Keeps
/// paths readable and summaries linear in the depth of a helper chain (a
/// 5000-deep chain otherwise copies a quadratic number of steps).
const KEPT_STEPS: usize = 8;

fn elided(steps: Vec<Step>) -> Vec<Step> {
    if steps.len() <= 3 * KEPT_STEPS {
        return steps;
    }
    let hidden = steps.len() - 2 * KEPT_STEPS;
    let mut out: Vec<Step> = steps[..KEPT_STEPS].to_vec();
    let first_hidden = &steps[KEPT_STEPS];
    out.push(Step {
        module: first_hidden.module,
        range: first_hidden.range,
        note: format!("… {hidden} more steps through helper calls").into(),
    });
    out.extend_from_slice(&steps[steps.len() - KEPT_STEPS..]);
    out
}

/// Where tainted data comes from.
#[derive(Debug, Clone, PartialEq)]
enum Origin {
    /// Source data, described for messages (`` `request.args` ``).
    Source(Rc<str>),
    /// The value of a parameter of the function being summarised.
    Param(usize),
}

/// A tainted value.
#[derive(Debug, Clone)]
struct Taint {
    /// The tainted leaf (a name or source access) inside the checked expression.
    range: TextRange,
    origin: Origin,
    trace: Trace,
    confidence: Confidence,
    /// Sink kinds a sanitiser made it safe for.
    cleared: KindSet,
}

impl Taint {
    fn step(mut self, module: ModuleId, range: TextRange, note: impl Into<Rc<str>>) -> Taint {
        self.trace = push(&self.trace, Step { module, range, note: note.into() });
        self
    }

    fn at_most(mut self, confidence: Confidence) -> Taint {
        self.confidence = self.confidence.min(confidence);
        self
    }
}

/// What a project function does with its parameters.
#[derive(Default)]
struct Summary {
    /// Parameters whose data reaches the return value.
    returns_params: Vec<usize>,
    /// The kinds each returned parameter was made safe for on the way
    /// (`if not is_safe(x): abort(400)` then `return x`), by index.
    returns_cleared: HashMap<usize, KindSet>,
    /// Source data the function returns by itself.
    returns_source: Option<Taint>,
    /// Parameters stored in an attribute of `self` (a constructor's fields).
    stores_params: Vec<usize>,
    /// Parameters that reach a sink inside.
    sinks: Vec<SinkFlow>,
    /// When every `return` returns a tuple of one length, the kinds each
    /// position is safe for in every walk, for `a, b = f(x)`:
    /// [`KindSet::ALL`] where no tainted data reaches it (`return query,
    /// params` with only constant SQL in `query`), the path kinds where a
    /// containment check let it through (`return checked_path, name`).
    tuple_positions: Option<Vec<KindSet>>,
    /// When every `return` returns a dict display with the same literal
    /// keys, the kinds each key's value is safe for in every walk, for
    /// `info = f(x)` then `info["path"]` (`return {"id": project_id,
    /// "path": stored_path}`: only `info["id"]` is the caller's data).
    dict_keys: Option<BTreeMap<String, KindSet>>,
}

/// A parameter of a summarised function that reaches a sink inside it.
struct SinkFlow {
    param: usize,
    found: Found,
}

/// A flow into a sink, found while walking one function.
#[derive(Clone)]
struct Found {
    kind: SinkKind,
    custom: Option<usize>,
    sink_name: String,
    sink_module: ModuleId,
    sink_range: TextRange,
    taint: Taint,
    /// Flag parameters (default `False`/`None`) that must be set for the
    /// flow to happen (`if allow_html: Markup(message)`).
    flags: Vec<usize>,
}

/// One analysis: the models, the sinks asked about, and the summaries of
/// the project functions met so far. Not shared between threads.
pub struct Analysis<'a> {
    project: &'a Project,
    models: &'a Models,
    custom: Vec<CustomSink<'a>>,
    kinds: KindSet,
    /// Sanitisers named by the project (matched by name or dotted name).
    extra_sanitisers: Vec<String>,
    summaries: RefCell<HashMap<(ModuleId, TextSize), Rc<Summary>>>,
    fields: RefCell<HashMap<(ModuleId, TextSize), Rc<Fields>>>,
    imports: RefCell<HashMap<ModuleId, Rc<HashMap<String, String>>>>,
    constants: RefCell<HashMap<ModuleId, Rc<HashMap<String, crate::constants::Value>>>>,
    facts: &'a ProjectFacts<'a>,
    /// Whether the project shows that it runs on Windows (see [`Analysis::runs_on_windows`]).
    windows: std::cell::OnceCell<bool>,
}

/// What the engine learns about the whole project, shared by the analyses
/// of all its modules (and their threads) and computed once.
#[derive(Default)]
pub struct ProjectFacts<'a> {
    /// The modules' top-level bindings, for resolving calls and classes.
    index: std::sync::OnceLock<ProjectIndex<'a>>,
    /// Whether a call (qualified name) is made at a module's top level.
    top_level_calls: std::sync::Mutex<HashMap<String, bool>>,
    /// Attributes of Flask's `g` set to an instance of a project class, by
    /// attribute name (`g.user_request = Request(...)` in a hook).
    g_types: std::sync::OnceLock<HashMap<String, (ModuleId, String)>>,
}

impl<'a> Analysis<'a> {
    /// An analysis of `project` for sinks of `kinds` (model sinks) and the
    /// client's `custom` sinks.
    pub fn new(
        project: &'a Project,
        models: &'a Models,
        facts: &'a ProjectFacts<'a>,
        kinds: &[SinkKind],
        custom: Vec<CustomSink<'a>>,
        extra_sanitisers: Vec<String>,
    ) -> Analysis<'a> {
        let mut set = KindSet::EMPTY;
        for kind in kinds.iter().copied().chain(custom.iter().map(|c| c.kind)) {
            set = set.union(KindSet::of(&[kind]));
        }
        Analysis {
            project,
            models,
            custom,
            kinds: set,
            extra_sanitisers,
            summaries: Default::default(),
            fields: Default::default(),
            imports: Default::default(),
            constants: Default::default(),
            facts,
            windows: std::cell::OnceCell::new(),
        }
    }

    /// The project's index of top-level bindings (built on first use,
    /// shared by all analyses of the run).
    fn index(&self) -> &'a ProjectIndex<'a> {
        self.facts.index.get_or_init(|| ProjectIndex::new(self.project))
    }

    /// The flows from the sources of `root` into the sinks asked about.
    pub fn flows(&self, root: &Root<'a>) -> Vec<Flow> {
        if self.kinds.is_empty() {
            return Vec::new();
        }
        let mut state = State::new(self, root.module, 0);
        state.class = root.class;
        state.handler = root.handler;
        state.serialises_returns = root.class.is_some_and(|class| self.serialises_returns(root.module, class));
        for param in root.function.parameters.iter_non_variadic_params() {
            let name = param.name().as_str();
            if root.tainted_params.iter().any(|p| p == name) {
                let description: Rc<str> = format!("URL parameter `{name}`").into();
                let taint = Taint {
                    range: param.range(),
                    origin: Origin::Source(description.clone()),
                    trace: None,
                    confidence: Confidence::High,
                    cleared: KindSet::EMPTY,
                }
                .step(root.module, param.name().range(), format!("source: {description}"));
                state.env.names.insert(name.to_string(), taint);
                if root.segment_params.iter().any(|p| p == name) {
                    state.env.segments.insert(name.to_string());
                }
            }
        }
        state.block(&root.function.body, false);
        state.findings.into_iter().filter_map(|found| self.flow(found)).collect()
    }

    fn flow(&self, found: Found) -> Option<Flow> {
        let Origin::Source(source) = &found.taint.origin else { return None };
        let steps: Vec<FlowStep> = steps_of(&found.taint.trace)
            .into_iter()
            .map(|s| FlowStep { location: self.location(s.module, s.range), note: s.note.to_string() })
            .collect();
        Some(Flow {
            kind: found.kind,
            custom: found.custom,
            sink_name: found.sink_name,
            source: source.to_string(),
            sink: self.location(found.sink_module, found.sink_range),
            steps,
            confidence: found.taint.confidence,
        })
    }

    fn location(&self, module: ModuleId, range: TextRange) -> Location {
        let module = self.project.module(module);
        let (line, column) = position(module, range.start());
        let (end_line, end_column) = position(module, range.end());
        Location { file: module.display_path(), line, column, end_line, end_column }
    }

    /// Import bindings of a module: local name → qualified name.
    fn imports(&self, module: ModuleId) -> Rc<HashMap<String, String>> {
        if let Some(done) = self.imports.borrow().get(&module) {
            return done.clone();
        }
        let mut map = HashMap::new();
        for stmt in crate::resolve::top_level_statements(&self.project.module(module).ast.body) {
            match stmt {
                Stmt::Import(import) => {
                    for alias in &import.names {
                        let full = alias.name.as_str();
                        match &alias.asname {
                            Some(asname) => map.insert(asname.to_string(), full.to_string()),
                            None => {
                                let first = full.split('.').next().unwrap_or(full);
                                map.insert(first.to_string(), first.to_string())
                            }
                        };
                    }
                }
                Stmt::ImportFrom(import) if import.level == 0 => {
                    let Some(base) = import.module.as_ref() else { continue };
                    for alias in &import.names {
                        let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                        map.insert(bound.to_string(), format!("{}.{}", base.as_str(), alias.name.as_str()));
                    }
                }
                _ => {}
            }
        }
        let map = Rc::new(map);
        self.imports.borrow_mut().insert(module, map.clone());
        map
    }

    /// A module's constants (names bound once to a literal at the top level).
    fn constants(&self, module: ModuleId) -> Rc<HashMap<String, crate::constants::Value>> {
        if let Some(done) = self.constants.borrow().get(&module) {
            return done.clone();
        }
        let constants = Rc::new(crate::constants::module_constants(&self.project.module(module).ast.body));
        self.constants.borrow_mut().insert(module, constants.clone());
        constants
    }

    /// Whether some module of the project calls `function` (qualified) in
    /// a statement at its top level (`js2py.disable_pyimport()`).
    fn project_calls_at_top_level(&self, function: &str) -> bool {
        if let Some(&done) = self.facts.top_level_calls.lock().expect("not poisoned").get(function) {
            return done;
        }
        let found = self.project.modules.iter().enumerate().any(|(id, module)| {
            crate::resolve::top_level_statements(&module.ast.body).any(|stmt| {
                matches!(stmt, Stmt::Expr(e) if matches!(&*e.value, Expr::Call(c)
                    if self.qualified(id, &c.func).as_deref() == Some(function)))
            })
        });
        self.facts.top_level_calls.lock().expect("not poisoned").insert(function.to_string(), found);
        found
    }

    /// Attributes of Flask's `g` that the project sets, anywhere, to an
    /// instance of one project class (an attribute set to instances of two
    /// classes is left out).
    fn g_types(&self) -> &'a HashMap<String, (ModuleId, String)> {
        self.facts.g_types.get_or_init(|| self.find_g_types())
    }

    fn find_g_types(&self) -> HashMap<String, (ModuleId, String)> {
        let mut types: HashMap<String, Option<(ModuleId, &'a StmtClassDef)>> = HashMap::new();
        for (id, module) in self.project.modules.iter().enumerate() {
            if !self.imports(id).values().any(|q| q == "flask.g" || q == "flask") {
                continue;
            }
            let mut stores = GStores { stores: Vec::new() };
            for stmt in &module.ast.body {
                stores.visit_stmt(stmt);
            }
            for (g, attribute, value) in stores.stores {
                if self.qualified(id, g).as_deref() != Some("flask.g") {
                    continue;
                }
                let class = match value {
                    Expr::Call(call) => self.index().resolve_class(id, &call.func),
                    _ => None,
                };
                let entry = types.entry(attribute.to_string()).or_insert(class);
                let same = matches!((&*entry, class), (Some((m1, c1)), Some((m2, c2)))
                    if *m1 == m2 && std::ptr::eq(*c1, c2));
                if !same {
                    *entry = None;
                }
            }
        }
        types
            .into_iter()
            .filter_map(|(attribute, class)| class.map(|(m, c)| (attribute, (m, c.name.to_string()))))
            .collect()
    }

    /// Whether a view class is a REST resource (`Resource` of Flask-RESTful
    /// or Flask-RESTX, directly or through project bases): what its methods
    /// return is serialised as JSON, not served as HTML.
    fn serialises_returns(&self, module: ModuleId, class: &StmtClassDef) -> bool {
        let mut pending = vec![(module, class, 0)];
        while let Some((module, class, depth)) = pending.pop() {
            for base in class.bases() {
                match self.index().resolve_class(module, base) {
                    Some((m, c)) if depth < 8 => pending.push((m, c, depth + 1)),
                    Some(_) => {}
                    None => {
                        let qualified = self.qualified(module, base).unwrap_or_default();
                        if ["flask_restful.Resource", "flask_restx.Resource", "flask_restplus.Resource"]
                            .contains(&qualified.as_str())
                        {
                            return true;
                        }
                    }
                }
            }
        }
        false
    }

    /// Whether a module imports one of `packages` (or a submodule of one).
    /// Whether some module of the project tests for Windows or uses a
    /// Windows-only module: there `\\` separates paths as well as `/`.
    fn runs_on_windows(&self) -> bool {
        const MARKS: &[&str] = &[
            "winreg",
            "msvcrt",
            "windll",
            "win32",
            "os.name == 'nt'",
            "os.name == \"nt\"",
            "\"Windows\"",
            "'Windows'",
        ];
        *self.windows.get_or_init(|| {
            self.project.modules.iter().any(|module| MARKS.iter().any(|mark| module.source.contains(mark)))
        })
    }

    fn module_imports(&self, module: ModuleId, packages: &[String]) -> bool {
        if packages.is_empty() {
            return true;
        }
        let imports = self.imports(module);
        imports.values().any(|q| {
            let root = q.split('.').next().unwrap_or(q);
            packages.iter().any(|p| p == root || q.starts_with(&format!("{p}.")))
        })
    }

    /// The qualified name of a dotted expression in `module` (`join` →
    /// `os.path.join` after `from os.path import join`).
    fn qualified(&self, module: ModuleId, expr: &Expr) -> Option<String> {
        let written = dotted(expr)?;
        let (first, rest) = match written.split_once('.') {
            Some((first, rest)) => (first, Some(rest)),
            None => (written.as_str(), None),
        };
        let imports = self.imports(module);
        let base = imports.get(first).map(String::as_str).unwrap_or(first);
        Some(match rest {
            Some(rest) => format!("{base}.{rest}"),
            None => base.to_string(),
        })
    }

    /// The summary of a project function, computed once per analysis.
    fn summary(
        &self,
        module: ModuleId,
        function: &'a StmtFunctionDef,
        class: Option<&'a StmtClassDef>,
        depth: usize,
    ) -> Rc<Summary> {
        let key = (module, function.range().start());
        if let Some(done) = self.summaries.borrow().get(&key) {
            return done.clone();
        }
        if depth >= MAX_CALL_DEPTH {
            return Rc::default();
        }
        // Recursion sees an empty summary.
        self.summaries.borrow_mut().insert(key, Rc::default());
        let name = function.name.as_str();
        let mut summary = Summary::default();
        // Once without tainted parameters: what it returns from a source itself.
        let mut state = State::new(self, module, depth + 1);
        state.class = class;
        state.block(&function.body, false);
        let mut returns = state.returns.clone();
        summary.returns_source = state.returned.filter(|t| matches!(t.origin, Origin::Source(_)));
        // Once per parameter: where that parameter's data goes.
        let flag_params = flag_parameters(function);
        let params: Vec<_> = function
            .parameters
            .iter_non_variadic_params()
            .filter(|p| p.name().as_str() != "self" && p.name().as_str() != "cls")
            .collect();
        for (index, param) in params.into_iter().enumerate() {
            let mut state = State::new(self, module, depth + 1);
            state.class = class;
            state.flag_params = flag_params.clone();
            let taint = Taint {
                range: param.range(),
                origin: Origin::Param(index),
                trace: None,
                confidence: Confidence::High,
                cleared: KindSet::EMPTY,
            }
            .step(
                module,
                param.name().range(),
                format!("parameter `{}` of `{name}()`", param.name().as_str()),
            );
            state.env.names.insert(param.name().to_string(), taint);
            state.block(&function.body, false);
            if let Some(returned) = state.returned.as_ref().filter(|t| t.origin == Origin::Param(index)) {
                if returned.cleared != KindSet::ALL {
                    summary.returns_params.push(index);
                    summary.returns_cleared.insert(index, returned.cleared);
                }
            }
            if state.env.attrs.iter().any(|(path, t)| path.starts_with("self.") && t.origin == Origin::Param(index)) {
                summary.stores_params.push(index);
            }
            for found in state.findings {
                if found.taint.origin == Origin::Param(index) {
                    summary.sinks.push(SinkFlow { param: index, found });
                }
            }
            returns.add(state.returns);
        }
        match returns {
            Returns::Tuples(positions) => summary.tuple_positions = Some(positions),
            Returns::Dicts(keys) => summary.dict_keys = Some(keys),
            _ => {}
        }
        let summary = Rc::new(summary);
        self.summaries.borrow_mut().insert(key, summary.clone());
        summary
    }

    /// Attributes of `self` that a class's methods set from source data,
    /// by attribute name (`self.path = request.args["p"]` in one method is
    /// read in another).
    fn class_fields(&self, module: ModuleId, class: &'a StmtClassDef, depth: usize) -> Rc<Fields> {
        let key = (module, class.range().start());
        if let Some(done) = self.fields.borrow().get(&key) {
            return done.clone();
        }
        self.fields.borrow_mut().insert(key, Rc::default());
        let mut fields = HashMap::new();
        if depth < MAX_CALL_DEPTH {
            for stmt in &class.body {
                let Stmt::FunctionDef(method) = stmt else { continue };
                let mut state = State::new(self, module, depth + 1);
                state.class = Some(class);
                state.in_fields = true;
                state.block(&method.body, false);
                for (path, taint) in state.env.attrs {
                    let Some(field) = path.strip_prefix("self.") else { continue };
                    if matches!(taint.origin, Origin::Source(_)) && !fields.contains_key(field) {
                        fields.insert(field.to_string(), taint.at_most(Confidence::Medium));
                    }
                }
            }
        }
        let fields = Rc::new(fields);
        self.fields.borrow_mut().insert(key, fields.clone());
        fields
    }
}

/// Whether a module imports Flask's `request` (`from flask import request`
/// or `import flask`), so that `request` in it is Flask's.
pub fn imports_flask_request(module: &Module) -> bool {
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

/// 1-based line and column (in characters) of an offset.
fn position(module: &Module, offset: TextSize) -> (u32, u32) {
    let line = module.line_of(offset);
    let offset = usize::from(offset).min(module.source.len());
    let line_start = module.source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let column = module.source[line_start..offset].chars().count() as u32 + 1;
    (line, column)
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
        || has_kwargs_splat(call)
}

/// The argument a call passes for parameter `index` (named `name`).
fn argument_for<'e>(call: &'e ExprCall, index: usize, name: &str) -> Option<&'e Expr> {
    if call.arguments.args.iter().take(index + 1).any(|a| matches!(a, Expr::Starred(_))) {
        return None;
    }
    call.arguments.args.get(index).or_else(|| call.arguments.find_keyword(name).map(|k| &k.value))
}

/// The tainted names, dict items and object attributes of a program point.
#[derive(Clone, Default)]
struct Env {
    names: HashMap<String, Taint>,
    /// Tainted items of local dicts under a literal key (`form["value"] = …`):
    /// the other keys of that dict stay clean.
    keyed: HashMap<(String, String), Taint>,
    /// Tainted attributes by dotted path (`self.path`, `job.command`).
    attrs: HashMap<String, Taint>,
    /// Names bound to a part of a parsed URL, with the access path it was
    /// parsed from (`host = urlparse(url).netloc`,
    /// `parsed = urlparse(state["next"][0])`): checking the part checks
    /// where the URL points.
    url_parts: HashMap<String, String>,
    /// Derived values checked by a guard, by access path ([`access_path`]:
    /// `state["next"][0]`, `form.next.data`), with the kinds the check
    /// made them safe for: the same expression read again past the check
    /// is that checked value, until something is assigned to it or to
    /// what it is read from.
    checked_paths: HashMap<String, KindSet>,
    /// Names bound to an instance of a project class (`client = Api(...)`).
    instances: HashMap<String, (ModuleId, String)>,
    /// Names bound to a check (`inside = commonpath([root, p]) == root`,
    /// `ok = is_safe_url(x)`), with what the check makes safe when the
    /// name is true: a later `if not inside: abort(404)` is that check.
    /// `inside = False` (an `except` branch) keeps it: a false name lets
    /// nothing through.
    tests: HashMap<String, Vec<(String, KindSet)>>,
    /// Names bound to a normalised path (`realpath`, `abspath`,
    /// `normpath`, `Path.resolve()`): only such a path is confined by a
    /// prefix check, `..` being gone.
    normalised: HashSet<String>,
    /// Names bound to a dict whose keys carry no source data, only its
    /// values (`{field: form.get(field) for field in FIELDS}`): iterating
    /// it, or its `keys()`, gives clean keys.
    clean_keys: HashSet<String>,
    /// Names bound to one URL path segment as the client sent it (a
    /// handler's `<name>` parameter): it holds no `/` (see
    /// [`State::confined_segment`]).
    segments: HashSet<String>,
    /// Names bound to the result of a call (not a builtin) that was given
    /// request data, with the tainted names that went into it, directly
    /// or through earlier such results (`response = requests.post(url,
    /// auth=(user, password))`): a test of the result asks whoever answered.
    answered_for: HashMap<String, HashSet<String>>,
}

impl Env {
    /// Adds the taint of `other` (an earlier state of the same code) to
    /// this one, keeping this one's checks.
    fn add_taints_of(&mut self, other: Env) {
        self.add_taints(other.names, other.keyed, other.attrs);
    }

    fn add_taints(
        &mut self,
        names: HashMap<String, Taint>,
        keyed: HashMap<(String, String), Taint>,
        attrs: HashMap<String, Taint>,
    ) {
        for (name, taint) in names {
            self.names.entry(name).or_insert(taint);
        }
        for (key, taint) in keyed {
            self.keyed.entry(key).or_insert(taint);
        }
        for (key, taint) in attrs {
            self.attrs.entry(key).or_insert(taint);
        }
    }

    /// Adds a branch's taint to the state after an `if`.
    fn merge(merged: &mut Option<Env>, branch: Env) {
        match merged {
            None => *merged = Some(branch),
            Some(env) => {
                env.add_taints(branch.names, branch.keyed, branch.attrs);
                for (name, url) in branch.url_parts {
                    env.url_parts.entry(name).or_insert(url);
                }
                for (name, class) in branch.instances {
                    env.instances.entry(name).or_insert(class);
                }
                // A check holds past the `if` only if it holds on every
                // branch that goes on.
                env.tests.retain(|name, checks| branch.tests.get(name) == Some(checks));
                env.normalised.retain(|name| branch.normalised.contains(name));
                env.clean_keys.retain(|name| branch.clean_keys.contains(name));
                env.segments.retain(|name| branch.segments.contains(name));
                for (name, given) in branch.answered_for {
                    env.answered_for.entry(name).or_default().extend(given);
                }
                env.checked_paths.retain(|path, kinds| match branch.checked_paths.get(path) {
                    Some(other) => {
                        *kinds = kinds.intersection(*other);
                        !kinds.is_empty()
                    }
                    None => false,
                });
            }
        }
    }
}

struct State<'c, 'a> {
    an: &'c Analysis<'a>,
    module: ModuleId,
    /// The class whose method is walked, for `self.method()` calls.
    class: Option<&'a StmtClassDef>,
    depth: usize,
    /// The function is a request handler (its return value is the response).
    handler: bool,
    /// Walking a method to learn the class's fields (no field lookups).
    in_fields: bool,
    /// The handler is a method of a REST resource whose framework turns
    /// what it returns into JSON (Flask-RESTful, Flask-RESTX).
    serialises_returns: bool,
    env: Env,
    reported: HashSet<(SinkKind, ModuleId, TextRange)>,
    findings: Vec<Found>,
    /// Flag parameters of the summarised function (see [`flag_parameters`]).
    flag_params: Vec<(String, usize)>,
    /// The flags that guard the code being walked.
    flags: Vec<usize>,
    /// The first tainted value a `return` returns.
    returned: Option<Taint>,
    /// What the `return`s return position by position (see [`Returns`]).
    returns: Returns,
}

/// The shape of what a function's `return` statements return: tuples of
/// one length, or dicts with the same literal keys, with the parts that
/// carry taint in some `return`.
#[derive(Default, Clone, PartialEq)]
enum Returns {
    /// No `return` with a value met yet.
    #[default]
    Nothing,
    /// Tuples of this many elements, with the kinds each position is safe
    /// for in every `return` ([`KindSet::ALL`]: never tainted).
    Tuples(Vec<KindSet>),
    /// Dict displays with these literal keys, with the kinds each key's
    /// value is safe for in every `return`.
    Dicts(BTreeMap<String, KindSet>),
    /// Anything else (a non-tuple, tuples of different lengths).
    Other,
}

impl Returns {
    /// Adds what one `return` (or one walk of the function) returned.
    fn add(&mut self, now: Returns) {
        *self = match (std::mem::take(self), now) {
            (before, Returns::Nothing) => before,
            (Returns::Nothing, now) => now,
            (Returns::Tuples(before), Returns::Tuples(now)) if before.len() == now.len() => {
                Returns::Tuples(before.iter().zip(&now).map(|(a, b)| a.intersection(*b)).collect())
            }
            (Returns::Dicts(before), Returns::Dicts(now)) if before.keys().eq(now.keys()) => Returns::Dicts(
                before.iter().zip(now.values()).map(|((k, a), b)| (k.clone(), a.intersection(*b))).collect(),
            ),
            _ => Returns::Other,
        };
    }
}

impl<'c, 'a> State<'c, 'a> {
    fn new(an: &'c Analysis<'a>, module: ModuleId, depth: usize) -> Self {
        State {
            an,
            module,
            class: None,
            depth,
            handler: false,
            in_fields: false,
            serialises_returns: false,
            env: Env::default(),
            reported: HashSet::new(),
            findings: Vec::new(),
            flag_params: Vec::new(),
            flags: Vec::new(),
            returned: None,
            returns: Returns::default(),
        }
    }

    fn models(&self) -> &'a Models {
        self.an.models
    }

    /// The project function a call reaches, with its summary.
    fn callee_summary(&self, call: &ExprCall) -> Option<(Rc<Summary>, &'a StmtFunctionDef)> {
        if self.depth >= MAX_CALL_DEPTH {
            return None;
        }
        if let (Some(class), Expr::Attribute(attr)) = (self.class, &*call.func) {
            if matches!(&*attr.value, Expr::Name(n) if n.id.as_str() == "self") {
                let method = class.body.iter().find_map(|stmt| match stmt {
                    Stmt::FunctionDef(f) if f.name.as_str() == attr.attr.as_str() => Some(f),
                    _ => None,
                })?;
                return Some((self.an.summary(self.module, method, Some(class), self.depth), method));
            }
        }
        if let Some((module, class, method)) = self.instance_method(call) {
            return Some((self.an.summary(module, method, Some(class), self.depth), method));
        }
        let (module, function) = self.an.index().resolve_function(self.module, &call.func)?;
        Some((self.an.summary(module, function, None, self.depth), function))
    }

    /// `client.send(...)` on an instance of a project class: a local bound
    /// by its constructor, or an attribute of Flask's `g` that the project
    /// sets to one (`g.user_request = Request(...)` in a hook).
    fn instance_method(&self, call: &ExprCall) -> Option<(ModuleId, &'a StmtClassDef, &'a StmtFunctionDef)> {
        let Expr::Attribute(attr) = &*call.func else { return None };
        let (module, class) = match &*attr.value {
            Expr::Name(n) => {
                let (module, name) = self.env.instances.get(n.id.as_str())?;
                (*module, crate::resolve::top_level_class(self.an.project, *module, name)?)
            }
            Expr::Attribute(g) if self.an.qualified(self.module, &g.value).as_deref() == Some("flask.g") => {
                let types = self.an.g_types();
                let (module, name) = types.get(g.attr.as_str())?;
                (*module, crate::resolve::top_level_class(self.an.project, *module, name)?)
            }
            _ => return None,
        };
        self.an.index().method_of(module, class, attr.attr.as_str())
    }

    /// A project class a call constructs, with the summary of its `__init__`.
    fn constructor_summary(&self, call: &ExprCall) -> Option<(Rc<Summary>, &'a StmtFunctionDef, &'a str)> {
        if self.depth >= MAX_CALL_DEPTH {
            return None;
        }
        let (module, class) = self.an.index().resolve_class(self.module, &call.func)?;
        let init = class.body.iter().find_map(|stmt| match stmt {
            Stmt::FunctionDef(f) if f.name.as_str() == "__init__" => Some(f),
            _ => None,
        })?;
        Some((self.an.summary(module, init, Some(class), self.depth), init, class.name.as_str()))
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
                // `checked = check_path(path, root)`: a guard that returns
                // what it checked clears both (drawn from the sixth blind
                // review, docs/accuracy.md).
                // The result clears everything, so the name must also say
                // that the function checks what it returns: a body-judged
                // guard may check only one field of what it hands back
                // (OctoPrint's `get_json_command_from_request`).
                let guard = matches!(&*s.value, Expr::Call(call)
                    if self.is_guard(call) && method_name(call).is_some_and(is_guard_name));
                let taint = if guard { None } else { self.value_taint(&s.value) };
                // Only an unpacked tainted call result asks for the callee's shape.
                let unpacks = s.targets.iter().any(|t| matches!(t, Expr::Tuple(_) | Expr::List(_)));
                let positions = if unpacks && taint.is_some() { self.tuple_positions(&s.value) } else { None };
                for target in &s.targets {
                    match (target, &positions, &taint) {
                        (
                            Expr::Tuple(ExprTuple { elts, .. }) | Expr::List(ExprList { elts, .. }),
                            Some(positions),
                            Some(taint),
                        ) if elts.len() == positions.len() && !elts.iter().any(|e| e.is_starred_expr()) => {
                            for (element, safe_for) in elts.iter().zip(positions) {
                                let cleared = taint.cleared.union(*safe_for);
                                let taint = (cleared != KindSet::ALL).then(|| Taint { cleared, ..taint.clone() });
                                self.assign(element, taint.as_ref(), conditional);
                            }
                        }
                        (Expr::Name(name), _, Some(taint)) => match self.dict_parts(&s.value, taint) {
                            Some(parts) => self.assign_dict(name, parts, conditional),
                            None => self.assign(target, Some(taint), conditional),
                        },
                        _ => self.assign(target, taint.as_ref(), conditional),
                    }
                    if let Expr::Name(name) = target {
                        self.note_binding(name.id.as_str(), &s.value);
                    }
                }
                if let (true, Expr::Call(call)) = (guard, &*s.value) {
                    self.clear_checked_arguments(call);
                }
            }
            Stmt::AnnAssign(s) => {
                if let Some(value) = &s.value {
                    self.sinks_in(value);
                    let taint = self.value_taint(value);
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
                if let Expr::Call(call) = &*s.value {
                    self.flow_into_receiver(call);
                    // `check_access(root, path)` as a statement: it can only
                    // protect by raising, so past it the value is checked.
                    if self.is_guard(call) {
                        self.clear_checked_arguments(call);
                    }
                }
            }
            Stmt::Return(s) => {
                if let Some(value) = &s.value {
                    self.sinks_in(value);
                    self.html_return(value);
                    if self.returned.is_none() {
                        self.returned = self.taint(value);
                    }
                    let safe_for = |e: &Expr| self.taint(e).map_or(KindSet::ALL, |t| t.cleared);
                    let shape = match &**value {
                        Expr::Tuple(t) if !t.elts.iter().any(|e| e.is_starred_expr()) => {
                            Returns::Tuples(t.elts.iter().map(safe_for).collect())
                        }
                        Expr::Dict(_) => match literal_items(value) {
                            Some(items) => {
                                Returns::Dicts(items.into_iter().map(|(k, v)| (k.to_string(), safe_for(v))).collect())
                            }
                            None => Returns::Other,
                        },
                        _ => Returns::Other,
                    };
                    self.returns.add(shape);
                }
            }
            Stmt::If(s) => {
                // Each branch starts from the state before the `if`; after
                // it, a name is tainted if it is on some branch that does
                // not leave the function (or on the path with no branch).
                let before = self.env.clone();
                let mut merged: Option<Env> = None;
                let mut has_else = false;
                // A test decided by module constants: its branch is dead
                // (always false) or the branches after it are (always true).
                let constants = self.an.constants(self.module);
                let mut decided_true = false;
                let branches = std::iter::once((Some(&*s.test), &s.body))
                    .chain(s.elif_else_clauses.iter().map(|c| (c.test.as_ref(), &c.body)));
                for (index, (test, body)) in branches.enumerate() {
                    if decided_true {
                        break;
                    }
                    match test.and_then(|t| crate::constants::decide(t, &constants)) {
                        Some(false) => continue,
                        Some(true) => decided_true = true,
                        None => {}
                    }
                    if index > 0 {
                        self.env = before.clone();
                        // In an `elif` or `else`, every earlier test was
                        // false: `if parsed.netloc != request.host: … else:
                        // next_url = state["next"][0]`.
                        let earlier = std::iter::once(&*s.test)
                            .chain(s.elif_else_clauses.iter().take(index - 1).filter_map(|c| c.test.as_ref()));
                        let earlier: Vec<&Expr> = earlier.collect();
                        let checked: Vec<String> =
                            earlier.iter().flat_map(|t| self.validated_names(t, false)).collect();
                        self.mark_checked(checked);
                        let narrowed: Vec<_> = earlier.iter().flat_map(|t| self.kind_checks(t, false)).collect();
                        for (name, kinds) in narrowed {
                            self.clear_path_kinds(&name, kinds);
                        }
                    }
                    let mut flag = None;
                    match test {
                        Some(test) => {
                            self.sinks_in(test);
                            // `if is_safe_url(x):` / `if x in ALLOWED:` — x is checked inside.
                            let checked = self.validated_names(test, true);
                            self.mark_checked(checked);
                            // `if response.ok:` after `requests.post(url, auth=(user, pw))`:
                            // credentials someone accepted are no longer the
                            // client's word, for the session at least.
                            let accepted = self.given_to_calls(test);
                            if accepted.len() >= 2 {
                                for name in &accepted {
                                    self.clear_kinds(name, KindSet::of(&[SinkKind::TrustBoundary]));
                                }
                            }
                            for (name, kinds) in self.kind_checks(test, true) {
                                self.clear_path_kinds(&name, kinds);
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
                        Env::merge(&mut merged, std::mem::take(&mut self.env));
                    }
                }
                if !has_else && !decided_true {
                    Env::merge(&mut merged, before.clone());
                }
                self.env = merged.unwrap_or(before);
                // `if x not in ALLOWED: x = "id"` / `if not is_safe(x): abort(400)`:
                // past the `if`, x is either checked or replaced.
                if s.elif_else_clauses.is_empty() && (exits(&s.body) || !self.body_leaves_tainted(&s.body)) {
                    let checked: Vec<String> = self
                        .validated_names(&s.test, false)
                        .into_iter()
                        .filter(|name| exits(&s.body) || assigns(&s.body, name))
                        .collect();
                    self.mark_checked(checked);
                    if exits(&s.body) {
                        for (name, kinds) in self.kind_checks(&s.test, false) {
                            self.clear_path_kinds(&name, kinds);
                        }
                    }
                }
            }
            Stmt::For(s) => {
                self.sinks_in(&s.iter);
                let taint = self.iterated_taint(&s.iter);
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
                // The body runs in order: a name rebound in it holds that
                // value for the rest of the body and its `else` (a
                // parameter rebound to a literal query before `execute`,
                // eighteenth blind review). A handler may start after any
                // statement of the body, so it sees what the names held
                // before the body as well (the checks the body made are
                // kept, as the handler may be what completes them:
                // `except ValueError: inside = False`); past the `try`,
                // whatever the paths that go on left.
                let before = self.env.clone();
                self.block(&s.body, conditional);
                let completed = !exits(&s.body);
                if completed {
                    self.block(&s.orelse, conditional);
                }
                let mut handler_start = self.env.clone();
                handler_start.add_taints_of(before);
                let mut merged = None;
                if completed && !exits(&s.orelse) {
                    Env::merge(&mut merged, std::mem::take(&mut self.env));
                }
                for handler in &s.handlers {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(h) = handler;
                    self.env = handler_start.clone();
                    self.block(&h.body, conditional);
                    if !exits(&h.body) {
                        Env::merge(&mut merged, std::mem::take(&mut self.env));
                    }
                }
                self.env = merged.unwrap_or(handler_start);
                self.block(&s.finalbody, conditional);
            }
            Stmt::Match(s) => {
                self.sinks_in(&s.subject);
                // `match MODE:` on a module constant: only the case it selects runs.
                let constants = self.an.constants(self.module);
                let subject = crate::constants::evaluate(&s.subject, &constants);
                for case in &s.cases {
                    if let Some(subject) = &subject {
                        match case_matches(&case.pattern, case.guard.is_some(), subject, &constants) {
                            Some(false) => continue,
                            Some(true) => {
                                self.block(&case.body, conditional);
                                break;
                            }
                            None => {}
                        }
                    }
                    self.block(&case.body, true);
                }
            }
            // A closure sees the names of the function that defines it: its
            // sinks are checked with them (its own parameters are clean).
            Stmt::FunctionDef(inner) if self.depth == 0 && !self.in_fields => {
                let mut closure = State::new(self.an, self.module, self.depth);
                closure.class = self.class;
                closure.env = self.env.clone();
                for param in inner.parameters.iter_non_variadic_params() {
                    closure.env.names.remove(param.name().as_str());
                }
                for taint in closure.env.names.values_mut() {
                    *taint = taint.clone().at_most(Confidence::Medium);
                }
                closure.reported = self.reported.clone();
                closure.block(&inner.body, true);
                for found in closure.findings {
                    if self.reported.insert((found.kind, found.sink_module, found.sink_range)) {
                        self.findings.push(found);
                    }
                }
            }
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            _ => {}
        }
    }

    /// What a name is bound to beyond its taint: a part of a parsed URL,
    /// or an instance of a project class.
    fn note_binding(&mut self, name: &str, value: &Expr) {
        self.env.url_parts.remove(name);
        self.env.instances.remove(name);
        self.env.normalised.remove(name);
        if matches!(value, Expr::Call(call) if self.normalises(call)) {
            self.env.normalised.insert(name.to_string());
        }
        self.env.clean_keys.remove(name);
        if self.has_clean_keys(value) {
            self.env.clean_keys.insert(name.to_string());
        }
        if matches!(value, Expr::Name(n) if self.env.segments.contains(n.id.as_str())) {
            self.env.segments.insert(name.to_string());
        }
        let given = self.given_to_calls(value);
        if given.is_empty() {
            self.env.answered_for.remove(name);
        } else {
            self.env.answered_for.insert(name.to_string(), given);
        }
        if !is_false(value) {
            let mut checks = self.kind_checks(value, true);
            checks.extend(self.validated_names(value, true).into_iter().map(|name| (name, CHECKED)));
            if checks.is_empty() {
                self.env.tests.remove(name);
            } else {
                self.env.tests.insert(name.to_string(), checks);
            }
        }
        if let Some(url) = self.parsed_url_name(value) {
            self.env.url_parts.insert(name.to_string(), url);
        }
        if let Expr::Call(call) = value {
            if let Some((module, class)) = self.an.index().resolve_class(self.module, &call.func) {
                self.env.instances.insert(name.to_string(), (module, class.name.to_string()));
            }
        }
    }

    /// `urlparse(x)`, `urlsplit(x).netloc`, `parsed.hostname` (with
    /// `parsed` itself such a part): the name of the URL parsed.
    fn parsed_url_name(&self, value: &Expr) -> Option<String> {
        match value {
            Expr::Call(call) => {
                let callee = self.an.qualified(self.module, &call.func)?;
                let parses = ["urlparse", "urlsplit"].iter().any(|f| callee == format!("urllib.parse.{f}"))
                    || matches!(callee.as_str(), "urlparse.urlparse" | "urlparse.urlsplit");
                call.arguments.args.first().filter(|_| parses).and_then(access_path)
            }
            Expr::Attribute(a) if matches!(a.attr.as_str(), "netloc" | "hostname" | "scheme" | "port") => {
                match &*a.value {
                    Expr::Name(n) => self.env.url_parts.get(n.id.as_str()).cloned(),
                    other => self.parsed_url_name(other),
                }
            }
            _ => None,
        }
    }

    /// Past a check of `names` (names or access paths): each is clean, and
    /// the URL a checked part was parsed from no longer points anywhere the
    /// check refused.
    fn mark_checked(&mut self, names: Vec<String>) {
        for name in names {
            self.clear_path_kinds(&name, CHECKED);
            if let Some(url) = self.env.url_parts.get(&name).cloned() {
                self.clear_path_kinds(&url, KindSet::of(&[SinkKind::Redirect, SinkKind::Ssrf]));
            }
        }
    }

    /// [`State::clear_kinds`] for a name or an access path
    /// (`state["next"][0]`).
    fn clear_path_kinds(&mut self, path: &str, kinds: KindSet) {
        if path.contains(['.', '[']) {
            let cleared = self.env.checked_paths.entry(path.to_string()).or_insert(KindSet::EMPTY);
            *cleared = cleared.union(kinds);
        } else {
            self.clear_kinds(path, kinds);
        }
    }

    /// Marks `name` safe for `kinds` (removes it when safe for every kind).
    fn clear_kinds(&mut self, name: &str, kinds: KindSet) {
        if kinds == KindSet::ALL {
            self.env.names.remove(name);
        } else if let Some(taint) = self.env.names.get_mut(name) {
            taint.cleared = taint.cleared.union(kinds);
        }
    }

    /// Checks that make a value safe for some kinds only: regular-expression
    /// allow-lists (`re.fullmatch(P, x)`, `NAME_RE.match(x) is None`) with
    /// the kinds the pattern clears, path containment
    /// (`commonpath([root, p]) == root`, `realpath(p).startswith(root)`)
    /// for paths, and names bound to a check. When `positive`, the names
    /// or access paths valid when the test is true; otherwise those
    /// invalid when it is true.
    fn kind_checks(&self, test: &Expr, positive: bool) -> Vec<(String, KindSet)> {
        use ruff_python_ast::{BoolOp, CmpOp, UnaryOp};
        let path = KindSet::of(&[SinkKind::Path]);
        match test {
            Expr::Name(n) if positive => self.env.tests.get(n.id.as_str()).cloned().unwrap_or_default(),
            Expr::UnaryOp(u) if u.op == UnaryOp::Not => self.kind_checks(&u.operand, !positive),
            Expr::BoolOp(b) if (b.op == BoolOp::And) == positive => {
                b.values.iter().flat_map(|v| self.kind_checks(v, positive)).collect()
            }
            Expr::Compare(c) if c.ops.len() == 1 && matches!(&c.comparators[0], Expr::NoneLiteral(_)) => {
                match c.ops[0] {
                    CmpOp::Is => self.kind_checks(&c.left, !positive),
                    CmpOp::IsNot => self.kind_checks(&c.left, positive),
                    _ => Vec::new(),
                }
            }
            Expr::Compare(c) if c.ops.len() == 1 && c.ops[0] == if positive { CmpOp::Eq } else { CmpOp::NotEq } => {
                let (left, right) = (&*c.left, &c.comparators[0]);
                let confined = self.commonpath_confines(left, right);
                let confined = if confined.is_empty() { self.commonpath_confines(right, left) } else { confined };
                confined.into_iter().map(|name| (name, path)).collect()
            }
            Expr::Call(call) if positive => match self.regex_match(call) {
                Some(checked) => vec![checked],
                None => self.prefix_confines(call).into_iter().map(|name| (name, path)).collect(),
            },
            _ => Vec::new(),
        }
    }

    /// Whether `call` normalises a path: `os.path.realpath`/`abspath`/
    /// `normpath` (no `..` left) or `Path.resolve()`.
    fn normalises(&self, call: &ExprCall) -> bool {
        let qualified = self.an.qualified(self.module, &call.func);
        let normalising = ["realpath", "abspath", "normpath"];
        qualified
            .as_deref()
            .and_then(|q| q.strip_prefix("os.path.").or_else(|| q.strip_prefix("posixpath.")))
            .is_some_and(|f| normalising.contains(&f))
            || matches!(&*call.func, Expr::Attribute(a) if a.attr.as_str() == "resolve" && call.arguments.args.is_empty())
    }

    /// The tainted names a normalised path is built from: `p` itself when it
    /// is a name bound to a normalised path, the tainted names inside when
    /// it is a normalising call (`realpath(join(root, name))`); nothing for
    /// anything else, or when `root` carries request data.
    fn confined_names(&self, path: &Expr, root: &Expr) -> Vec<String> {
        if self.taint(root).is_some() {
            return Vec::new();
        }
        match path {
            Expr::Name(n) if self.env.normalised.contains(n.id.as_str()) => vec![n.id.to_string()],
            Expr::Call(call) if self.normalises(call) => {
                let mut names = Vec::new();
                collect_names(path, &mut names);
                names.retain(|name| self.env.names.contains_key(name));
                names
            }
            _ => Vec::new(),
        }
    }

    /// `commonpath([root, p]) == root` (either order): the names `p` is
    /// built from, when `p` is normalised (see [`State::confined_names`]).
    fn commonpath_confines(&self, common: &Expr, root: &Expr) -> Vec<String> {
        let Expr::Call(call) = common else { return Vec::new() };
        let qualified = self.an.qualified(self.module, &call.func);
        if !matches!(qualified.as_deref(), Some("os.path.commonpath" | "posixpath.commonpath")) {
            return Vec::new();
        }
        let (Some(Expr::List(ExprList { elts, .. }) | Expr::Tuple(ExprTuple { elts, .. })), 1) =
            (call.arguments.args.first(), call.arguments.len())
        else {
            return Vec::new();
        };
        let same = |a: &Expr, b: &Expr| {
            ruff_python_ast::comparable::ComparableExpr::from(a) == ruff_python_ast::comparable::ComparableExpr::from(b)
        };
        match elts.as_slice() {
            [a, b] if same(a, root) => self.confined_names(b, root),
            [a, b] if same(b, root) => self.confined_names(a, root),
            _ => Vec::new(),
        }
    }

    /// `p.startswith(root)` or `p.is_relative_to(root)` on a normalised
    /// `p`: the names `p` is built from.
    fn prefix_confines(&self, call: &ExprCall) -> Vec<String> {
        match (&*call.func, call.arguments.args.as_ref(), call.arguments.keywords.is_empty()) {
            (Expr::Attribute(a), [root], true) if matches!(a.attr.as_str(), "startswith" | "is_relative_to") => {
                self.confined_names(&a.value, root)
            }
            _ => Vec::new(),
        }
    }

    /// `re.match(PATTERN, x)` or `COMPILED.match(x)` with a literal pattern
    /// (written there or bound at the module's top level).
    fn regex_match(&self, call: &ExprCall) -> Option<(String, KindSet)> {
        let function = method_name(call)?;
        let anchoring = crate::regex_check::Anchoring::of(function)?;
        let qualified = self.an.qualified(self.module, &call.func);
        let (pattern, value) = if qualified.as_deref() == Some(&format!("re.{function}")) {
            (call.arguments.args.first()?, call.arguments.args.get(1)?)
        } else {
            let Expr::Attribute(a) = &*call.func else { return None };
            let Expr::Name(compiled) = &*a.value else { return None };
            (self.compiled_pattern(compiled.id.as_str())?, call.arguments.args.first()?)
        };
        let Expr::StringLiteral(pattern) = pattern else { return None };
        let Expr::Name(value) = value else { return None };
        let kinds = crate::regex_check::cleared_by_pattern(pattern.value.to_str(), anchoring);
        (!kinds.is_empty()).then(|| (value.id.to_string(), kinds))
    }

    /// The pattern of `NAME = re.compile(PATTERN)` at the module's top level.
    fn compiled_pattern(&self, name: &str) -> Option<&'a Expr> {
        let module = self.an.project.module(self.module);
        crate::resolve::top_level_statements(&module.ast.body).find_map(|stmt| match stmt {
            Stmt::Assign(a)
                if a.targets.len() == 1 && matches!(&a.targets[0], Expr::Name(n) if n.id.as_str() == name) =>
            {
                match &*a.value {
                    Expr::Call(c) if self.an.qualified(self.module, &c.func).as_deref() == Some("re.compile") => {
                        c.arguments.args.first()
                    }
                    _ => None,
                }
            }
            _ => None,
        })
    }

    /// Whether any assignment in `body` assigns a tainted value (a value
    /// checked already, safe for all but logs, does not count).
    fn body_leaves_tainted(&self, body: &[Stmt]) -> bool {
        body.iter().any(|stmt| match stmt {
            Stmt::Assign(a) => self.taint(&a.value).is_some_and(|t| t.cleared.union(CHECKED) != t.cleared),
            Stmt::If(s) => {
                self.body_leaves_tainted(&s.body)
                    || s.elif_else_clauses.iter().any(|c| self.body_leaves_tainted(&c.body))
            }
            _ => false,
        })
    }

    /// Past a guard call, the names it was given are checked.
    fn clear_checked_arguments(&mut self, call: &ExprCall) {
        for arg in &call.arguments.args {
            if let Expr::Name(n) = arg {
                self.clear_kinds(n.id.as_str(), CHECKED);
            }
        }
    }

    /// The taint a variable takes from `value`: a value whose start is
    /// fixed (`route = "/popup/{}".format(kind)`) keeps that fixed start
    /// wherever the variable goes, so it cannot send a redirect or a
    /// request to another host. (Drawn from the fifth blind review,
    /// docs/accuracy.md: two false positives on such a variable.)
    fn value_taint(&self, value: &Expr) -> Option<Taint> {
        let mut taint = self.taint(value)?;
        if self.leading_taint(value).is_none() {
            taint.cleared = taint.cleared.union(KindSet::of(&[SinkKind::Redirect, SinkKind::Ssrf]));
        }
        Some(taint)
    }

    /// The taint of each literal key of a dict `value` whose whole taint
    /// is `taint`: a dict display with literal keys, or a call of a
    /// function that returns such dicts (see [`Summary::dict_keys`]).
    fn dict_parts(&self, value: &Expr, taint: &Taint) -> Option<Vec<(String, Option<Taint>)>> {
        match value {
            Expr::Dict(_) => {
                let items = literal_items(value)?;
                Some(items.into_iter().map(|(key, item)| (key.to_string(), self.value_taint(item))).collect())
            }
            Expr::Call(call) => {
                let (summary, _) = self.callee_summary(call)?;
                let keys = summary.dict_keys.as_ref()?;
                Some(
                    keys.iter()
                        .map(|(key, safe_for)| {
                            let cleared = taint.cleared.union(*safe_for);
                            (key.clone(), (cleared != KindSet::ALL).then(|| Taint { cleared, ..taint.clone() }))
                        })
                        .collect(),
                )
            }
            _ => None,
        }
    }

    /// `name = {...}` key by key: the tainted items are remembered under
    /// their keys, so the clean ones read clean (`info["path"]`).
    fn assign_dict(
        &mut self,
        target: &ruff_python_ast::ExprName,
        parts: Vec<(String, Option<Taint>)>,
        conditional: bool,
    ) {
        let name = target.id.as_str();
        if !conditional {
            self.env.names.remove(name);
            self.env.keyed.retain(|(n, _), _| n != name);
        }
        for (key, taint) in parts {
            if let Some(taint) = taint {
                let taint = taint.step(self.module, target.range, format!("stored in `{name}[\"{key}\"]`"));
                self.env.keyed.insert((name.to_string(), key), taint);
            }
        }
    }

    fn assign(&mut self, target: &Expr, taint: Option<&Taint>, conditional: bool) {
        // A new value for a path ends what was checked of it and in it.
        if !self.env.checked_paths.is_empty() {
            if let Some(path) = access_path(target) {
                self.env.checked_paths.retain(|checked, _| !path_within(checked, &path));
            }
        }
        if let Expr::Name(name) = target {
            // Rebound: no longer the segment the client sent (see `note_binding`).
            self.env.segments.remove(name.id.as_str());
        }
        match target {
            Expr::Name(name) => match taint {
                Some(t) => {
                    let t = t.clone().step(self.module, name.range, format!("assigned to `{}`", name.id));
                    self.env.names.insert(name.id.to_string(), t);
                }
                None if !conditional => {
                    self.env.names.remove(name.id.as_str());
                }
                None => {}
            },
            Expr::Tuple(t) => t.elts.iter().for_each(|e| self.assign(e, taint, conditional)),
            Expr::List(l) => l.elts.iter().for_each(|e| self.assign(e, taint, conditional)),
            Expr::Starred(s) => self.assign(&s.value, taint, conditional),
            Expr::Attribute(a) => {
                let Some(path) = dotted(target) else { return };
                match taint {
                    Some(t) => {
                        let t = t.clone().step(self.module, a.range, format!("stored in `{path}`"));
                        self.env.attrs.insert(path, t);
                    }
                    None if !conditional => {
                        self.env.attrs.remove(&path);
                    }
                    None => {}
                }
            }
            // `parts["where"] = q` taints that item of a local dict, any
            // other subscript the whole container.
            Expr::Subscript(s) if taint.is_some() => {
                let taint = taint.expect("guarded by is_some");
                self.subscript_store_sink(s, taint);
                match (&*s.value, literal_key(&s.slice)) {
                    (Expr::Name(name), Some(key)) => {
                        let t = taint.clone().step(self.module, s.range, format!("stored in `{}[\"{key}\"]`", name.id));
                        self.env.keyed.insert((name.id.to_string(), key.to_string()), t);
                    }
                    _ => self.assign(&s.value, Some(taint), true),
                }
            }
            _ => {}
        }
    }

    /// `session["user"] = request.form["user"]`: a store sink.
    fn subscript_store_sink(&mut self, target: &ruff_python_ast::ExprSubscript, taint: &Taint) {
        let Some(object) = self.an.qualified(self.module, &target.value) else { return };
        for (sink, kind) in &self.models().subscript_store_sinks {
            let last = sink.rsplit('.').next().unwrap_or(sink);
            if (object == *sink || object == last) && self.an.kinds.contains(*kind) {
                let name = format!("`{last}[…]`");
                self.found(*kind, None, name, target.range, taint.clone());
            }
        }
    }

    /// `parts.append(x)`, `parser.set(s, o, x)`: data into the receiver.
    fn flow_into_receiver(&mut self, call: &ExprCall) {
        let Expr::Attribute(attr) = &*call.func else { return };
        let Some(model) = self.models().propagator_methods.get(attr.attr.as_str()) else { return };
        if model.to != To::Receiver {
            return;
        }
        let taint = match model.from {
            From::Arg(i) => call.arguments.args.get(i).and_then(|a| self.taint(a)),
            _ => self.any_argument_taint(call),
        };
        if let Some(taint) = taint {
            let taint = taint.at_most(model.confidence).step(
                self.module,
                call.range(),
                format!(
                    "added to `{}` by `.{}()`",
                    &self.an.project.module(self.module).source[attr.value.range()],
                    attr.attr
                ),
            );
            match &*attr.value {
                Expr::Name(name) => {
                    self.env.names.insert(name.id.to_string(), taint);
                }
                other => self.assign(other, Some(&taint), true),
            }
        }
    }

    fn found(&mut self, kind: SinkKind, custom: Option<usize>, sink_name: String, range: TextRange, taint: Taint) {
        if taint.cleared.contains(kind) || !self.reported.insert((kind, self.module, range)) {
            return;
        }
        let taint = taint.step(self.module, range, format!("reaches {sink_name}"));
        let flags = self.flags.clone();
        self.findings.push(Found {
            kind,
            custom,
            sink_name,
            sink_module: self.module,
            sink_range: range,
            taint,
            flags,
        });
    }

    /// A request handler returning HTML built from source data.
    fn html_return(&mut self, value: &Expr) {
        if !self.handler || !self.models().html_return_sink || !self.an.kinds.contains(SinkKind::Xss) {
            return;
        }
        let body = response_body(value);
        let (sink, cap) = if self.serialises_returns {
            return;
        } else if builds_html(body) {
            ("the response body (HTML built by hand)", Confidence::High)
        } else if builds_text(body) {
            // Flask serves a returned string as `text/html`: markup in the
            // data is rendered even where the literal parts hold none.
            ("the response body (text served as HTML)", Confidence::Medium)
        } else {
            return;
        };
        if let Some(taint) = self.taint(body) {
            let range = taint.range;
            self.found(SinkKind::Xss, None, sink.to_string(), range, taint.at_most(cap));
        }
    }

    /// Checks every call inside `expr` against the sinks.
    fn sinks_in(&mut self, expr: &Expr) {
        let mut calls = CallCollector { calls: Vec::new() };
        calls.visit_expr(expr);
        for call in calls.calls {
            let callee = match &*call.func {
                // `(js2py.eval_js6 if es6 else js2py.eval_js)(script)`
                Expr::If(choice) => dotted(&choice.orelse).map(|d| d.rsplit('.').next().unwrap_or(&d).to_string()),
                _ => method_name(call).map(str::to_string),
            }
            .unwrap_or_else(|| "call".to_string());
            let an = self.an;
            // A project function that shadows a sink's name (the app's own
            // `def send_file(...)`, `from app.translations import text`) is
            // not that sink: its summary, below, says whether data reaches a
            // real sink inside it. (Drawn from the fifth blind review,
            // docs/accuracy.md: two false positives of that kind.)
            let project_function = self.resolve_callee(call).is_some();
            for (index, sink) in an.custom.iter().enumerate().filter(|_| !project_function) {
                for argument in (sink.arguments)(call) {
                    let taint =
                        if sink.kind.prefix_only() { self.leading_taint(argument) } else { self.taint(argument) };
                    if let Some(taint) = taint {
                        self.found(sink.kind, Some(index), format!("`{callee}()`"), taint.range, taint);
                        break;
                    }
                }
            }
            for (model, value) in self.model_sinks(call).into_iter().filter(|_| !project_function) {
                if model.argv {
                    self.argv_sink(value, &callee);
                    continue;
                }
                if model.kind == SinkKind::Path && self.confined_segment(value, &callee) {
                    continue;
                }
                let taint = if model.kind.prefix_only() { self.leading_taint(value) } else { self.taint(value) };
                if let Some(taint) = taint {
                    self.found(model.kind, None, format!("`{callee}()`"), taint.range, taint);
                }
            }
            // Arguments that reach a sink inside a project function.
            let Some((summary, function)) = self.callee_summary(call) else { continue };
            let params = parameters(function);
            for flow in &summary.sinks {
                if !flow.found.flags.iter().all(|&flag| sets_flag(call, flag, params[flag])) {
                    continue;
                }
                let Some(argument) = argument_for(call, flow.param, params[flow.param]) else { continue };
                let Some(taint) = self.taint(argument) else { continue };
                let found = &flow.found;
                if taint.cleared.contains(found.kind)
                    || !self.reported.insert((found.kind, found.sink_module, found.sink_range))
                {
                    continue;
                }
                let mut trace = push(
                    &taint.trace,
                    Step {
                        module: self.module,
                        range: argument.range(),
                        note: format!("passed to `{}()`", function.name).into(),
                    },
                );
                for step in elided(steps_of(&found.taint.trace)) {
                    trace = push(&trace, step);
                }
                let confidence = taint.confidence.min(found.taint.confidence).min(Confidence::Medium);
                let taint = Taint { trace, confidence, ..taint };
                self.findings.push(Found { taint, flags: self.flags.clone(), ..found.clone() });
            }
        }
    }

    /// The model sinks a call matches, with the value each must keep clean.
    fn model_sinks<'e>(&self, call: &'e ExprCall) -> Vec<(&'a SinkModel, &'e Expr)> {
        let models = self.models();
        let mut out = Vec::new();
        let mut candidates: Vec<&'a SinkModel> = Vec::new();
        // `(js2py.eval_js6 if es6 else js2py.eval_js)(script)`: either one.
        let callees: Vec<&Expr> = match &*call.func {
            Expr::If(choice) => vec![&*choice.body, &*choice.orelse],
            callee => vec![callee],
        };
        for callee in callees {
            let written = dotted(callee);
            let qualified = self.an.qualified(self.module, callee);
            for name in [qualified.as_ref(), written.as_ref()].into_iter().flatten() {
                if let Some(list) = models.sink_calls.get(name) {
                    candidates.extend(list.iter());
                    break;
                }
            }
        }
        if let Expr::Attribute(attr) = &*call.func {
            if let Some(list) = models.sink_methods.get(attr.attr.as_str()) {
                candidates.extend(list.iter());
            }
        }
        for model in candidates {
            if !self.an.kinds.contains(model.kind)
                || !self.an.module_imports(self.module, &model.requires_import)
                || model.disarmed_by.iter().any(|c| self.an.project_calls_at_top_level(c))
            {
                continue;
            }
            let shell = call.arguments.find_keyword("shell").is_some_and(|k| is_true(&k.value));
            if let Some(keyword) = &model.requires_true {
                if !call.arguments.find_keyword(keyword).is_some_and(|k| is_true(&k.value)) {
                    continue;
                }
            }
            if model.argv && shell {
                continue;
            }
            let value = if model.receiver {
                match &*call.func {
                    Expr::Attribute(attr) => Some(&*attr.value),
                    _ => None,
                }
            } else {
                match (&model.keyword, model.arg) {
                    (Some(keyword), Some(arg)) => call.arguments.find_argument_value(keyword, arg),
                    (Some(keyword), None) => call.arguments.find_keyword(keyword).map(|k| &k.value),
                    (None, Some(arg)) => call.arguments.args.get(arg).filter(|a| !matches!(a, Expr::Starred(_))),
                    (None, None) => None,
                }
            };
            if let Some(value) = value {
                out.push((model, value));
            }
        }
        out
    }

    /// An argument list run without a shell: request data choosing the
    /// program, or in the text of `sh -c`, is command injection. Data in
    /// other arguments is one argument of a fixed program (the recommended
    /// fix) and is not flagged; a list built elsewhere is low confidence.
    fn argv_sink(&mut self, value: &Expr, callee: &str) {
        let name = format!("`{callee}()`");
        let elements = match value {
            Expr::List(l) => &l.elts,
            Expr::Tuple(t) => &t.elts,
            other => {
                if let Some(taint) = self.taint(other) {
                    let taint = taint.at_most(Confidence::Low);
                    self.found(SinkKind::Command, None, name, taint.range, taint);
                }
                return;
            }
        };
        let literal = |e: &Expr| match e {
            Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
            _ => None,
        };
        let shell_c = elements.first().and_then(literal).is_some_and(|p| {
            let program = p.rsplit('/').next().unwrap_or(&p).to_string();
            matches!(program.as_str(), "sh" | "bash" | "zsh" | "dash" | "ksh" | "cmd" | "cmd.exe" | "powershell")
        }) && elements.iter().any(|e| literal(e).is_some_and(|l| l == "-c" || l == "/c"));
        for (index, element) in elements.iter().enumerate() {
            if index > 0 && !shell_c {
                break;
            }
            let Some(taint) = self.taint(element) else { continue };
            self.found(SinkKind::Command, None, name.clone(), taint.range, taint);
        }
    }

    /// Source data at the start of `expr`: `KOBO_URL + "/" + uuid` and
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
                    // `"{}/{}".format(route, x)`: the start is the first argument's.
                    Expr::StringLiteral(s)
                        if s.value.to_str().starts_with("{}") || s.value.to_str().starts_with("{0}") =>
                    {
                        match call.arguments.args.first() {
                            Some(first) if !matches!(first, Expr::Starred(_)) => self.leading_taint(first),
                            _ => self.taint(expr),
                        }
                    }
                    _ => self.taint(expr),
                },
                _ => self.taint(expr),
            },
            Expr::BoolOp(b) => b.values.iter().find_map(|v| self.leading_taint(v)),
            Expr::If(i) => self.leading_taint(&i.body).or_else(|| self.leading_taint(&i.orelse)),
            _ => self.taint(expr),
        }
    }

    fn source(&self, range: TextRange, description: String, confidence: Confidence) -> Taint {
        let description: Rc<str> = description.into();
        Taint { range, origin: Origin::Source(description.clone()), trace: None, confidence, cleared: KindSet::EMPTY }
            .step(self.module, range, format!("source: {description}"))
    }

    /// The source an attribute read is, if any (`request.args`, `form.name.data`).
    fn attribute_source(&self, expr: &Expr) -> Option<Taint> {
        let Expr::Attribute(attr) = expr else { return None };
        let name = attr.attr.as_str();
        let models = self.models();
        if let Some(object) = dotted(&attr.value) {
            for (model_object, attributes) in &models.source_attributes {
                if attributes.iter().any(|a| a == name) && self.is_object(&object, &attr.value, model_object) {
                    let last = model_object.rsplit('.').next().unwrap_or(model_object);
                    return Some(self.source(attr.range, format!("`{last}.{name}`"), Confidence::High));
                }
            }
        }
        // `form.username.data`: a field of a form object.
        if let Expr::Attribute(field) = &*attr.value {
            if let Some((_, description)) = models.form_field_attributes.iter().find(|(a, _)| a == name) {
                let owner = match &*field.value {
                    Expr::Name(n) => Some(n.id.as_str()),
                    Expr::Attribute(a) => Some(a.attr.as_str()),
                    _ => None,
                };
                if owner.is_some_and(|o| o.to_ascii_lowercase().ends_with("form")) {
                    let text =
                        format!("{} (`{}`)", description, &self.an.project.module(self.module).source[attr.range]);
                    return Some(self.source(attr.range, text, Confidence::Medium));
                }
            }
        }
        None
    }

    /// Whether `written` (the dotted text of `expr`) names the model object
    /// `object` (`flask.request`): by import, by its qualified name, or by
    /// its last segment (`request` received as a parameter).
    fn is_object(&self, written: &str, expr: &Expr, object: &str) -> bool {
        let last = object.rsplit('.').next().unwrap_or(object);
        written == object || written == last || self.an.qualified(self.module, expr).is_some_and(|q| q == object)
    }

    /// `d.get("key", default)` (or `pop`) on a dict whose items are tracked
    /// one by one: that item's taint or the default's, not the whole dict's
    /// (`session["user"] = form_value` does not taint `session.get("next")`;
    /// drawn from the fifth blind review, docs/accuracy.md). `None` when the
    /// call is not such a read.
    fn keyed_get(&self, call: &ExprCall) -> Option<Option<Taint>> {
        let Expr::Attribute(attr) = &*call.func else { return None };
        let Expr::Name(name) = &*attr.value else { return None };
        if !matches!(attr.attr.as_str(), "get" | "pop") || self.env.names.contains_key(name.id.as_str()) {
            return None;
        }
        let key = literal_key(call.arguments.args.first()?)?;
        if !self.env.keyed.keys().any(|(n, _)| n == name.id.as_str()) {
            return None;
        }
        Some(match self.env.keyed.get(&(name.id.to_string(), key.to_string())) {
            Some(t) => Some(Taint { range: call.range(), ..t.clone() }),
            None => call.arguments.args.get(1).and_then(|default| self.taint(default)),
        })
    }

    /// The first tainted value inside `expr`, if any; a derived value
    /// checked earlier (`state["next"][0]` past a check of that same
    /// expression) carries the kinds the check cleared.
    fn taint(&self, expr: &Expr) -> Option<Taint> {
        if !self.env.checked_paths.is_empty() && matches!(expr, Expr::Attribute(_) | Expr::Subscript(_)) {
            if let Some(kinds) = access_path(expr).and_then(|path| self.env.checked_paths.get(&path).copied()) {
                let taint = self.taint_unchecked(expr)?;
                if kinds == KindSet::ALL {
                    return None;
                }
                return Some(Taint { cleared: taint.cleared.union(kinds), ..taint });
            }
        }
        self.taint_unchecked(expr)
    }

    fn taint_unchecked(&self, expr: &Expr) -> Option<Taint> {
        match expr {
            Expr::Name(name) => {
                let taint = self.env.names.get(name.id.as_str()).or_else(|| {
                    // The whole dict carries the data of its tainted items:
                    // the item with the smallest key, so that the reported
                    // path does not depend on the map's iteration order.
                    self.env
                        .keyed
                        .iter()
                        .filter(|((n, _), _)| n == name.id.as_str())
                        .min_by(|((_, a), _), ((_, b), _)| a.cmp(b))
                        .map(|(_, t)| t)
                });
                taint.map(|t| Taint { range: name.range, ..t.clone() })
            }
            Expr::Attribute(attr) => {
                if let Some(source) = self.attribute_source(expr) {
                    return Some(source);
                }
                if let Some(path) = dotted(expr) {
                    if let Some(t) = self.env.attrs.get(&path) {
                        return Some(Taint { range: attr.range, ..t.clone() });
                    }
                    if let (Some(field), Some(class), false) = (path.strip_prefix("self."), self.class, self.in_fields)
                    {
                        if !field.contains('.') {
                            let fields = self.an.class_fields(self.module, class, self.depth);
                            if let Some(t) = fields.get(field) {
                                return Some(Taint { range: attr.range, ..t.clone() }.step(
                                    self.module,
                                    attr.range,
                                    format!("read from `{path}`"),
                                ));
                            }
                        }
                    }
                }
                self.taint(&attr.value)
            }
            Expr::Subscript(s) => match (&*s.value, literal_key(&s.slice)) {
                (Expr::Name(name), Some(key)) if !self.env.names.contains_key(name.id.as_str()) => self
                    .env
                    .keyed
                    .get(&(name.id.to_string(), key.to_string()))
                    .map(|t| Taint { range: s.range, ..t.clone() }),
                _ => self.taint(&s.value),
            },
            Expr::Call(call) => self.keyed_get(call).unwrap_or_else(|| self.call_taint(call)),
            Expr::BinOp(b) => joined([&*b.left, &*b.right].into_iter().map(|part| self.taint(part))),
            Expr::BoolOp(b) => joined(b.values.iter().map(|v| self.taint(v))),
            Expr::If(i) => joined([&*i.body, &*i.orelse].into_iter().map(|part| self.taint(part))),
            Expr::FString(f) => f.value.iter().find_map(|part| match part {
                ruff_python_ast::FStringPart::FString(fs) => fs.elements.interpolations().find_map(|e| {
                    let taint = self.taint(&e.expression)?;
                    // `{user!r}` writes the repr: line breaks come out as `\n`.
                    Some(if e.conversion == ruff_python_ast::ConversionFlag::Repr {
                        Taint { cleared: taint.cleared.union(KindSet::of(&[SinkKind::Log])), ..taint }
                    } else {
                        taint
                    })
                }),
                ruff_python_ast::FStringPart::Literal(_) => None,
            }),
            Expr::List(l) => joined(l.elts.iter().map(|e| self.taint(e))),
            Expr::Tuple(t) => joined(t.elts.iter().map(|e| self.taint(e))),
            Expr::Set(s) => joined(s.elts.iter().map(|e| self.taint(e))),
            Expr::Dict(d) => d.items.iter().find_map(|item| self.taint(&item.value)),
            Expr::Starred(s) => self.taint(&s.value),
            Expr::Named(n) => self.taint(&n.value),
            Expr::Await(a) => self.taint(&a.value),
            Expr::ListComp(c) => {
                c.generators.iter().find_map(|g| self.iterated_taint(&g.iter)).or_else(|| self.taint(&c.elt))
            }
            Expr::SetComp(c) => {
                c.generators.iter().find_map(|g| self.iterated_taint(&g.iter)).or_else(|| self.taint(&c.elt))
            }
            Expr::Generator(c) => {
                c.generators.iter().find_map(|g| self.iterated_taint(&g.iter)).or_else(|| self.taint(&c.elt))
            }
            Expr::DictComp(c) => {
                c.generators.iter().find_map(|g| self.iterated_taint(&g.iter)).or_else(|| self.taint(&c.value))
            }
            _ => None,
        }
    }

    /// A path whose only client data is one URL segment placed right under
    /// a fixed folder (`f"scripts/{name}"`, `os.path.join(BASE, name)`,
    /// `f"settings/{name}.json"`): with no `/` in it, the segment can only
    /// name an entry of that folder, or the folder's parent itself as `..`.
    /// A file suffix after it rules `..` out; without one, the sink must be
    /// one that fails on a folder (`open`, `send_file`), not one that works
    /// on folders (`rmtree`, `listdir`). On Windows `\` separates too, so a
    /// project that shows it runs there gets no such confinement.
    fn confined_segment(&self, value: &Expr, callee: &str) -> bool {
        const FOLDER_SINKS: &[&str] = &[
            "listdir",
            "scandir",
            "walk",
            "rmtree",
            "rmdir",
            "removedirs",
            "copytree",
            "glob",
            "iglob",
            "iterdir",
            "chmod",
            "chown",
            "rename",
            "replace",
            "move",
            "make_archive",
        ];
        if self.env.segments.is_empty() || self.an.runs_on_windows() {
            return false;
        }
        let mut parts = Vec::new();
        if !self.path_parts(value, &mut parts) {
            return false;
        }
        let Some(at) = parts.iter().position(|p| matches!(p, PathPart::Segment)) else { return false };
        let under_folder = at > 0 && matches!(&parts[at - 1], PathPart::Text(t) if t.ends_with('/'));
        let after = &parts[at + 1..];
        let plain_suffix = after.iter().all(|p| matches!(p, PathPart::Text(t) if !t.contains('/')));
        let suffix: String = after.iter().map(|p| if let PathPart::Text(t) = p { t.as_str() } else { "" }).collect();
        under_folder && plain_suffix && (!suffix.is_empty() || !FOLDER_SINKS.contains(&callee))
    }

    /// The parts of a path expression, in order; `false` when a part carries
    /// client data other than one whole URL segment.
    fn path_parts(&self, expr: &Expr, out: &mut Vec<PathPart>) -> bool {
        match expr {
            Expr::StringLiteral(s) => out.push(PathPart::Text(s.value.to_str().to_string())),
            Expr::Name(n) if self.env.segments.contains(n.id.as_str()) => out.push(PathPart::Segment),
            Expr::FString(f) => {
                for part in f.value.iter() {
                    match part {
                        ruff_python_ast::FStringPart::Literal(l) => out.push(PathPart::Text(l.value.to_string())),
                        ruff_python_ast::FStringPart::FString(fs) => {
                            for element in fs.elements.iter() {
                                match element {
                                    ruff_python_ast::InterpolatedStringElement::Literal(l) => {
                                        out.push(PathPart::Text(l.value.to_string()))
                                    }
                                    ruff_python_ast::InterpolatedStringElement::Interpolation(i) => {
                                        if i.format_spec.is_some() || !self.path_parts(&i.expression, out) {
                                            return false;
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            Expr::BinOp(b) if matches!(b.op, ruff_python_ast::Operator::Add) => {
                return self.path_parts(&b.left, out) && self.path_parts(&b.right, out);
            }
            // `Path(BASE) / name`
            Expr::BinOp(b) if matches!(b.op, ruff_python_ast::Operator::Div) => {
                if !self.path_parts(&b.left, out) {
                    return false;
                }
                out.push(PathPart::Text("/".into()));
                return self.path_parts(&b.right, out);
            }
            Expr::Call(call) if matches!(dotted(&call.func).as_deref(), Some("os.path.join" | "posixpath.join")) => {
                for (i, argument) in call.arguments.args.iter().enumerate() {
                    if i > 0 {
                        out.push(PathPart::Text("/".into()));
                    }
                    if !self.path_parts(argument, out) {
                        return false;
                    }
                }
            }
            Expr::Call(call)
                if matches!(dotted(&call.func).as_deref(), Some("Path" | "pathlib.Path" | "PurePath"))
                    && call.arguments.args.len() == 1 =>
            {
                return self.path_parts(&call.arguments.args[0], out);
            }
            other if self.taint(other).is_none() => out.push(PathPart::Clean),
            _ => return false,
        }
        true
    }

    /// The tainted names an expression hands to calls (builtins and
    /// methods of the names themselves aside), with what earlier results it
    /// reads were given (see [`Env::answered_for`]).
    fn given_to_calls(&self, expr: &Expr) -> HashSet<String> {
        const BUILTINS: &[&str] = &[
            "len",
            "str",
            "int",
            "float",
            "bool",
            "isinstance",
            "any",
            "all",
            "hasattr",
            "getattr",
            "repr",
            "sorted",
            "list",
            "tuple",
            "set",
            "dict",
            "min",
            "max",
            "sum",
        ];
        let mut given = HashSet::new();
        // Only the trust-boundary rule asks (see `Env::answered_for`).
        if !self.an.kinds.contains(SinkKind::TrustBoundary) {
            return given;
        }
        let mut calls = CallCollector { calls: Vec::new() };
        calls.visit_expr(expr);
        for call in calls.calls {
            if matches!(&*call.func, Expr::Name(n) if BUILTINS.contains(&n.id.as_str())) {
                continue;
            }
            for argument in call.arguments.args.iter().chain(call.arguments.keywords.iter().map(|k| &k.value)) {
                let mut names = Vec::new();
                collect_names(argument, &mut names);
                let before = given.len();
                given.extend(names.into_iter().filter(|n| self.env.names.contains_key(n.as_str())));
                // Request data read in place (`request.form["password"]`)
                // counts as one more value, under its source text.
                if given.len() == before && self.taint(argument).is_some() {
                    given.insert(self.an.project.module(self.module).source[argument.range()].to_string());
                }
            }
        }
        let mut read = Vec::new();
        collect_names(expr, &mut read);
        for name in read {
            if let Some(earlier) = self.env.answered_for.get(&name) {
                given.extend(earlier.iter().cloned());
            }
        }
        given
    }

    /// What iterating `iter` yields: a dict with clean keys (see
    /// [`Env::clean_keys`]) yields its keys, clean, as does its `keys()`.
    fn iterated_taint(&self, iter: &Expr) -> Option<Taint> {
        if self.keys_of_clean_dict(iter) {
            return None;
        }
        self.taint(iter)
    }

    /// `d` or `d.keys()` for a name bound to a dict with clean keys.
    fn keys_of_clean_dict(&self, expr: &Expr) -> bool {
        let dict = match expr {
            Expr::Call(call) if call.arguments.is_empty() => match &*call.func {
                Expr::Attribute(attr) if attr.attr.as_str() == "keys" => &*attr.value,
                _ => return false,
            },
            other => other,
        };
        matches!(dict, Expr::Name(n) if self.env.clean_keys.contains(n.id.as_str()))
    }

    /// A dict display or comprehension whose keys carry no source data: a
    /// comprehension's key reads only names that are clean, or bound by a
    /// generator over something whose items are clean.
    fn has_clean_keys(&self, value: &Expr) -> bool {
        match value {
            Expr::Dict(d) => d.items.iter().all(|item| item.key.as_ref().is_some_and(|k| self.taint(k).is_none())),
            Expr::DictComp(c) => {
                let Some(key) = &c.key else { return false };
                let mut names = Vec::new();
                collect_names(key, &mut names);
                names.iter().all(|name| {
                    let binding = c.generators.iter().rev().find(|g| {
                        let mut bound = Vec::new();
                        collect_names(&g.target, &mut bound);
                        bound.contains(name)
                    });
                    match binding {
                        Some(generator) => self.iterated_taint(&generator.iter).is_none(),
                        None => !self.env.names.contains_key(name.as_str()),
                    }
                })
            }
            _ => false,
        }
    }

    /// The taint a project function's return value carries at this call.
    /// The kinds each position of the tuple a project function returns is
    /// safe for (see [`Summary::tuple_positions`]).
    fn tuple_positions(&self, value: &Expr) -> Option<Vec<KindSet>> {
        let Expr::Call(call) = value else { return None };
        let (summary, _) = self.callee_summary(call)?;
        summary.tuple_positions.clone()
    }

    fn returned_taint(&self, call: &ExprCall, summary: &Summary, function: &StmtFunctionDef) -> Option<Taint> {
        let name = function.name.as_str();
        // `safe_next(url)`, `sanitize_html(text)`: the project's own checks
        // (judged by name: low confidence is not enough to keep the flow).
        if is_sanitiser_name(name) {
            return None;
        }
        let note = format!("returned by `{name}()`");
        if let Some(taint) = &summary.returns_source {
            return Some(Taint { range: call.range(), ..taint.clone() }.at_most(Confidence::Medium).step(
                self.module,
                call.range(),
                note,
            ));
        }
        let params = parameters(function);
        summary.returns_params.iter().find_map(|&index| {
            let argument = argument_for(call, index, params[index])?;
            let mut taint = self.taint(argument)?;
            if let Some(cleared) = summary.returns_cleared.get(&index) {
                taint.cleared = taint.cleared.union(*cleared);
            }
            Some(taint.at_most(Confidence::Medium).step(self.module, call.range(), note.clone()))
        })
    }

    /// Whether `call` is a sanitiser of every kind (`None`), of some kinds
    /// (`Some(kinds)`), or none (`Some(EMPTY)`).
    fn sanitises(&self, call: &ExprCall) -> KindSet {
        let models = self.models();
        let written = dotted(&call.func);
        if let Some(name) = method_name(call) {
            if self.an.extra_sanitisers.iter().any(|s| s == name || written.as_deref() == Some(s.as_str())) {
                return KindSet::ALL;
            }
        }
        let qualified = self.an.qualified(self.module, &call.func);
        for name in [qualified.as_ref(), written.as_ref()].into_iter().flatten() {
            if let Some(kinds) = models.sanitiser_calls.get(name) {
                return *kinds;
            }
        }
        if let Expr::Attribute(attr) = &*call.func {
            if let Some(kinds) = models.sanitiser_methods.get(attr.attr.as_str()) {
                return *kinds;
            }
            // `user.replace("\n", "\\n")`: no line break left to forge a log entry.
            let line_break = |e: &Expr| matches!(e, Expr::StringLiteral(s) if s.value.to_str().contains(['\n', '\r']));
            if attr.attr.as_str() == "replace" && call.arguments.args.first().is_some_and(line_break) {
                return KindSet::of(&[SinkKind::Log]);
            }
        }
        KindSet::EMPTY
    }

    /// Taint of any argument of a call (positional or keyword).
    fn any_argument_taint(&self, call: &ExprCall) -> Option<Taint> {
        call.arguments
            .args
            .iter()
            .find_map(|a| self.taint(a))
            .or_else(|| call.arguments.keywords.iter().find_map(|k| self.taint(&k.value)))
    }

    fn call_taint(&self, call: &ExprCall) -> Option<Taint> {
        let models = self.models();
        let cleared = self.sanitises(call);
        if cleared == KindSet::ALL {
            return None;
        }
        // A sanitiser of some kinds hands its argument on for the others
        // (`os.path.basename(x)` is still shell text).
        let taint = match self.call_taint_unsanitised(call, models) {
            Some(taint) => taint,
            None if !cleared.is_empty() => self.any_argument_taint(call)?,
            None => return None,
        };
        Some(Taint { cleared: taint.cleared.union(cleared), ..taint })
    }

    fn call_taint_unsanitised(&self, call: &ExprCall, models: &'a Models) -> Option<Taint> {
        if let Some((summary, function)) = self.callee_summary(call) {
            return self.returned_taint(call, &summary, function);
        }
        // A project class: the object holds what its constructor stores.
        if let Some((summary, init, class)) = self.constructor_summary(call) {
            let params = parameters(init);
            return summary.stores_params.iter().find_map(|&index| {
                let taint = self.taint(argument_for(call, index, params[index])?)?;
                Some(taint.at_most(Confidence::Medium).step(
                    self.module,
                    call.range(),
                    format!("stored in a `{class}` object"),
                ))
            });
        }
        let written = dotted(&call.func);
        let qualified = self.an.qualified(self.module, &call.func);
        // Sources: `request.get_json()`, configured source functions.
        if let Expr::Attribute(attr) = &*call.func {
            let method = attr.attr.as_str();
            if let Some(object) = dotted(&attr.value) {
                for (model_object, methods) in &models.source_object_methods {
                    if methods.iter().any(|m| m == method) && self.is_object(&object, &attr.value, model_object) {
                        let last = model_object.rsplit('.').next().unwrap_or(model_object);
                        // `get_json(force=True)` parses any content type, so a
                        // form posted from another site: say so.
                        let forced = call.arguments.find_keyword("force").is_some_and(|k| !is_false(&k.value));
                        let arguments = if forced { "force=True" } else { "" };
                        return Some(self.source(
                            call.range(),
                            format!("`{last}.{method}({arguments})`"),
                            Confidence::High,
                        ));
                    }
                }
            }
            if let Some(source) = models.source_methods.get(method) {
                if self.an.module_imports(self.module, &source.requires_import) {
                    return Some(self.source(call.range(), source.description.clone(), Confidence::Medium));
                }
            }
        }
        for name in [qualified.as_ref(), written.as_ref()].into_iter().flatten() {
            if let Some(source) = models.source_calls.get(name) {
                return Some(self.source(call.range(), source.description.clone(), Confidence::Medium));
            }
        }
        // `request.args.get("n", type=int)` converts the value.
        if method_name(call) == Some("get") && call.arguments.find_keyword("type").is_some() {
            return None;
        }
        // Library models.
        let by_call = [qualified.as_ref(), written.as_ref()]
            .into_iter()
            .flatten()
            .find_map(|name| models.propagator_calls.get(name).map(|p| (p, name.clone())));
        let by_method = match &*call.func {
            Expr::Attribute(attr) => {
                models.propagator_methods.get(attr.attr.as_str()).map(|p| (p, format!(".{}", attr.attr)))
            }
            _ => None,
        };
        if let Some((model, name)) = by_call.or(by_method) {
            if model.to == To::Receiver {
                return None;
            }
            let receiver = || match &*call.func {
                Expr::Attribute(attr) => self.taint(&attr.value),
                _ => None,
            };
            let taint = match model.from {
                From::Args => self.any_argument_taint(call),
                From::Arg(i) => call.arguments.args.get(i).and_then(|a| self.taint(a)),
                From::Receiver => receiver(),
                From::Any => receiver().or_else(|| self.any_argument_taint(call)),
            }?;
            let taint = taint.at_most(model.confidence);
            // Steps through the language's own operations are not worth a line.
            return Some(if model.confidence == Confidence::High {
                taint
            } else {
                taint.step(self.module, call.range(), format!("through `{name}()` ({} model)", model.library))
            });
        }
        match &*call.func {
            Expr::Attribute(attr) => {
                // A method nothing models, on a tainted value: it may hand
                // the data on (low confidence).
                let taint = self.taint(&attr.value)?;
                Some(taint.at_most(Confidence::Low).step(
                    self.module,
                    call.range(),
                    format!("through `.{}()` (not modelled)", attr.attr),
                ))
            }
            Expr::Name(name) => {
                // `Model(**request.json)`: a class built from the data holds it.
                let capitalised = name.id.as_str().starts_with(|c: char| c.is_ascii_uppercase());
                if !capitalised {
                    return None;
                }
                let splat = call.arguments.keywords.iter().find(|k| k.arg.is_none())?;
                let taint = self.taint(&splat.value)?;
                Some(taint.at_most(Confidence::Medium).step(
                    self.module,
                    call.range(),
                    format!("into a `{}` object", name.id),
                ))
            }
            _ => None,
        }
    }

    /// `check_access(root, path)` as a statement: a guard judged by its
    /// name, or a configured validator.
    fn is_guard(&self, call: &ExprCall) -> bool {
        if self.is_model_validator(call) {
            return true;
        }
        match self.resolve_callee(call) {
            // A project function guards when it stops the request on a
            // failed check of its arguments, whatever its name.
            Some(function) => crate::validator::stops_when_invalid(function),
            None => method_name(call).is_some_and(is_guard_name),
        }
    }

    /// The project function a call reaches (no summary).
    fn resolve_callee(&self, call: &ExprCall) -> Option<&'a StmtFunctionDef> {
        if let (Some(class), Expr::Attribute(attr)) = (self.class, &*call.func) {
            if matches!(&*attr.value, Expr::Name(n) if n.id.as_str() == "self") {
                return class.body.iter().find_map(|stmt| match stmt {
                    Stmt::FunctionDef(f) if f.name.as_str() == attr.attr.as_str() => Some(f),
                    _ => None,
                });
            }
        }
        if let Some((_, _, method)) = self.instance_method(call) {
            return Some(method);
        }
        self.an.index().resolve_function(self.module, &call.func).map(|(_, f)| f)
    }

    /// What a check of `expr` checks: for a part of a parsed URL, the name
    /// bound to the parsed URL (`parsed` in `parsed.netloc`) or the URL's
    /// access path (`x` in `urlparse(x).netloc`); for an access path
    /// (`state["next"][0]`), that path; else the name it is derived from.
    fn checked_path(&self, expr: &Expr) -> Option<String> {
        if let Expr::Attribute(a) = expr {
            if matches!(&*a.value, Expr::Name(n) if self.env.url_parts.contains_key(n.id.as_str())) {
                return root_name(expr);
            }
        }
        if let Some(url) = self.parsed_url_name(expr) {
            return Some(url);
        }
        match expr {
            Expr::Attribute(_) | Expr::Subscript(_) => access_path(expr).or_else(|| root_name(expr)),
            _ => root_name(expr),
        }
    }

    /// Whether `expr` is the host part of a parsed URL (`parsed.netloc`,
    /// `urlparse(x).hostname`).
    fn is_url_host(&self, expr: &Expr) -> bool {
        matches!(expr, Expr::Attribute(a) if matches!(a.attr.as_str(), "netloc" | "hostname"))
            && self.parsed_url_name(expr).is_some()
    }

    fn is_model_validator(&self, call: &ExprCall) -> bool {
        let models = self.models();
        let written = dotted(&call.func);
        let qualified = self.an.qualified(self.module, &call.func);
        let found =
            [qualified.as_ref(), written.as_ref()].into_iter().flatten().any(|n| models.validator_calls.contains(n));
        found
    }

    /// Names that `test` checks: when `positive`, names that are valid when the
    /// test is true (`check(x)`, `x in Y`); otherwise names that are invalid
    /// when it is true (`not check(x)`, `x not in Y`).
    fn validated_names(&self, test: &Expr, positive: bool) -> Vec<String> {
        use ruff_python_ast::{BoolOp, CmpOp, UnaryOp};
        match test {
            Expr::BoolOp(b) if (b.op == BoolOp::And) == positive => {
                b.values.iter().flat_map(|v| self.validated_names(v, positive)).collect()
            }
            // `if x != "internal" and not is_safe(x): x = url_for(...)`: past
            // the `if`, x is either that constant or checked.
            Expr::BoolOp(b) if b.op == BoolOp::And && !positive => {
                let names: Vec<String> = b.values.iter().flat_map(|v| self.validated_names(v, false)).collect();
                let rest_pins_them = b.values.iter().all(|v| {
                    !self.validated_names(v, false).is_empty()
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
            Expr::UnaryOp(u) if u.op == UnaryOp::Not => self.validated_names(&u.operand, !positive),
            // `if parsed.netloc != request.host: abort(400)`: a URL whose
            // host equals a fixed value (a literal, the request's own host,
            // anything not from the client) points nowhere else.
            Expr::Compare(c) if c.ops.len() == 1 && c.ops[0] == if positive { CmpOp::Eq } else { CmpOp::NotEq } => {
                let (left, right) = (&*c.left, &c.comparators[0]);
                [(left, right), (right, left)]
                    .into_iter()
                    .find(|(part, other)| self.is_url_host(part) && self.taint(other).is_none())
                    .and_then(|(part, _)| self.checked_path(part))
                    .into_iter()
                    .collect()
            }
            Expr::Compare(c) if c.ops.len() == 1 => {
                let wanted = if positive { CmpOp::In } else { CmpOp::NotIn };
                let container = &c.comparators[0];
                match (&*c.left, c.ops[0] == wanted) {
                    (Expr::Name(n), true) => vec![n.id.to_string()],
                    // `if urlparse(x).netloc not in ALLOWED_HOSTS: abort(400)`:
                    // an allow-list check of a value derived from x;
                    // `if state["next"][0] not in ALLOWED:` checks that item.
                    (left, true) if !matches!(container, Expr::StringLiteral(_) | Expr::FString(_)) => {
                        self.checked_path(left).into_iter().collect()
                    }
                    // `if ".." in name: abort(400)`: past it, no parent reference.
                    (Expr::StringLiteral(literal), false)
                        if !positive && c.ops[0] == CmpOp::In && literal.value.to_str().contains("..") =>
                    {
                        root_name(container).into_iter().collect()
                    }
                    _ => Vec::new(),
                }
            }
            // `len(adapter.allowed_methods(x))`, `bool(...)`: the check inside.
            Expr::Call(call) if positive && matches!(method_name(call), Some("len" | "bool")) => {
                call.arguments.args.first().map(|a| self.validated_names(a, true)).unwrap_or_default()
            }
            // `if name.isalnum():` — a validating method of the value itself.
            Expr::Call(call)
                if positive
                    && matches!(&*call.func, Expr::Attribute(a)
                        if self.models().validator_methods.iter().any(|m| m == a.attr.as_str())) =>
            {
                let Expr::Attribute(a) = &*call.func else { return Vec::new() };
                match &*a.value {
                    Expr::Name(n) => vec![n.id.to_string()],
                    _ => Vec::new(),
                }
            }
            Expr::Call(call) if positive => {
                // A project function is judged by what it does; a library
                // function by the models, or by its name.
                let is_validator = match self.resolve_callee(call) {
                    Some(function) => crate::validator::validates(function),
                    None => {
                        self.is_model_validator(call)
                            || method_name(call).is_some_and(|name| {
                                let lower = name.to_ascii_lowercase();
                                VALIDATOR_WORDS.iter().any(|w| lower.contains(w))
                            })
                    }
                };
                if !is_validator {
                    return Vec::new();
                }
                // `is_safe(x)`, `allowed(strip_prefix(x, root))`.
                call.arguments
                    .args
                    .iter()
                    .filter_map(|a| match a {
                        Expr::Name(n) => Some(n.id.to_string()),
                        // `validators.domain(target.netloc)` with `target = urlparse(url)`.
                        Expr::Attribute(part) => match &*part.value {
                            Expr::Name(n) if self.env.url_parts.contains_key(n.id.as_str()) => Some(n.id.to_string()),
                            _ => access_path(a),
                        },
                        // `is_safe_url(state["next"][0])`: that item.
                        Expr::Subscript(_) => access_path(a),
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
}

/// Whether a `case` pattern matches a constant subject: `Some(true)` when
/// it surely does, `Some(false)` when it surely does not.
fn case_matches(
    pattern: &ruff_python_ast::Pattern,
    guarded: bool,
    subject: &crate::constants::Value,
    constants: &HashMap<String, crate::constants::Value>,
) -> Option<bool> {
    use ruff_python_ast::Pattern;
    let matches = match pattern {
        Pattern::MatchValue(v) => crate::constants::evaluate(&v.value, constants).map(|value| value == *subject),
        Pattern::MatchAs(a) if a.pattern.is_none() => Some(true),
        Pattern::MatchOr(o) => {
            let each: Option<Vec<bool>> =
                o.patterns.iter().map(|p| case_matches(p, false, subject, constants)).collect();
            each.map(|each| each.into_iter().any(|m| m))
        }
        _ => None,
    }?;
    // A guard may still reject a matching case.
    if matches && guarded {
        return None;
    }
    Some(matches)
}

/// The names `expr` reads (not inside lambdas).
fn collect_names(expr: &Expr, out: &mut Vec<String>) {
    struct Names<'o>(&'o mut Vec<String>);
    impl<'a> Visitor<'a> for Names<'_> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Name(n) => self.0.push(n.id.to_string()),
                Expr::Lambda(_) => {}
                _ => walk_expr(self, expr),
            }
        }
    }
    Names(out).visit_expr(expr);
}

/// The taint of a value built from several parts: the first tainted
/// part's, safe only for the kinds every tainted part is safe for (a
/// checked path next to an unchecked name is not safe as a whole).
fn joined(parts: impl Iterator<Item = Option<Taint>>) -> Option<Taint> {
    parts.flatten().reduce(|first, other| Taint { cleared: first.cleared.intersection(other.cleared), ..first })
}

/// The name a value is derived from (`x` in `urlparse(x).netloc`, `x.lower()`).
fn root_name(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Name(n) => Some(n.id.to_string()),
        Expr::Attribute(a) => root_name(&a.value),
        Expr::Subscript(s) => root_name(&s.value),
        // `urlparse(x)`, `os.path.basename(x)`: the argument; `x.lower()`,
        // `x.rsplit(".", 1)`: the receiver.
        Expr::Call(c) => c.arguments.args.first().and_then(root_name).or_else(|| match &*c.func {
            Expr::Attribute(a) => root_name(&a.value),
            _ => None,
        }),
        _ => None,
    }
}

/// The literal string key of a subscript (`form["value"]`).
/// The items of a dict display whose keys are all string literals (no
/// `**spread`), by key.
fn literal_items(dict: &Expr) -> Option<Vec<(&str, &Expr)>> {
    let Expr::Dict(dict) = dict else { return None };
    dict.items.iter().map(|item| Some((literal_key(item.key.as_ref()?)?, &item.value))).collect()
}

fn literal_key(slice: &Expr) -> Option<&str> {
    match slice {
        Expr::StringLiteral(s) => Some(s.value.to_str()),
        _ => None,
    }
}

/// Text built by hand (f-string, `+`, `%`, `.format()`) whose literal
/// parts hold an HTML tag.
fn builds_html(expr: &Expr) -> bool {
    use ruff_python_ast::Operator;
    let tag = |text: &str| {
        text.match_indices('<')
            .any(|(i, _)| text[i + 1..].chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!'))
    };
    match expr {
        Expr::FString(f) => f.value.iter().any(|part| match part {
            ruff_python_ast::FStringPart::Literal(l) => tag(&l.value),
            ruff_python_ast::FStringPart::FString(fs) => fs.elements.iter().any(|e| match e {
                ruff_python_ast::InterpolatedStringElement::Literal(l) => tag(&l.value),
                _ => false,
            }),
        }),
        Expr::BinOp(b) if matches!(b.op, Operator::Add | Operator::Mod) => {
            let literal = |e: &Expr| matches!(e, Expr::StringLiteral(s) if tag(s.value.to_str()));
            literal(&b.left) || literal(&b.right) || builds_html(&b.left) || builds_html(&b.right)
        }
        Expr::Call(call) => match &*call.func {
            Expr::Attribute(a) if a.attr.as_str() == "format" => {
                matches!(&*a.value, Expr::StringLiteral(s) if tag(s.value.to_str()))
            }
            _ => false,
        },
        _ => false,
    }
}

/// `g.<attribute> = <value>` statements anywhere in a module.
struct GStores<'a> {
    stores: Vec<(&'a Expr, &'a str, &'a Expr)>,
}

impl<'a> Visitor<'a> for GStores<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::Assign(assign) = stmt {
            for target in &assign.targets {
                if let Expr::Attribute(attr) = target {
                    if matches!(&*attr.value, Expr::Name(_) | Expr::Attribute(_)) {
                        self.stores.push((&attr.value, attr.attr.as_str(), &assign.value));
                    }
                }
            }
        }
        ruff_python_ast::visitor::walk_stmt(self, stmt);
    }
}

/// The body of what a view returns: the value itself, the first element
/// of `(body, status)`, or the first argument of `make_response(...)` /
/// `Response(...)` when no other mimetype is given.
fn response_body(value: &Expr) -> &Expr {
    match value {
        Expr::Tuple(t) if !t.elts.is_empty() => response_body(&t.elts[0]),
        Expr::Call(call)
            if matches!(method_name(call), Some("make_response" | "Response"))
                && !call.arguments.keywords.iter().any(|k| {
                    k.arg.as_ref().is_some_and(|a| matches!(a.as_str(), "mimetype" | "content_type"))
                        && !matches!(&k.value, Expr::StringLiteral(s) if s.value.to_str().starts_with("text/html"))
                }) =>
        {
            match call.arguments.args.first() {
                Some(first) if !matches!(first, Expr::Starred(_)) => response_body(first),
                _ => value,
            }
        }
        other => other,
    }
}

/// Text built by hand from a literal and other values (f-string, `+`, `%`,
/// `.format()`).
fn builds_text(expr: &Expr) -> bool {
    use ruff_python_ast::Operator;
    match expr {
        Expr::FString(f) => f.value.iter().any(|part| match part {
            ruff_python_ast::FStringPart::FString(fs) => fs.elements.interpolations().next().is_some(),
            ruff_python_ast::FStringPart::Literal(_) => false,
        }),
        Expr::BinOp(b) if matches!(b.op, Operator::Add | Operator::Mod) => {
            matches!(&*b.left, Expr::StringLiteral(_) | Expr::FString(_))
                || matches!(&*b.right, Expr::StringLiteral(_))
                || builds_text(&b.left)
        }
        Expr::Call(call) => matches!(&*call.func, Expr::Attribute(a)
            if a.attr.as_str() == "format" && matches!(&*a.value, Expr::StringLiteral(_))),
        _ => false,
    }
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

/// What a check judged by its name or its comparisons makes a value safe
/// for: every kind but logs (`check_auth(user, password)` accepts the
/// user; it does not take the line breaks out of the name).
const CHECKED: KindSet = KindSet::ALL.without(SinkKind::Log);

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

/// Whether a block always leaves the function (`return`, `raise`, `abort()`).
fn exits(body: &[Stmt]) -> bool {
    match body.last() {
        Some(Stmt::Return(_) | Stmt::Raise(_)) => true,
        Some(Stmt::Expr(e)) => matches!(&*e.value, Expr::Call(c) if method_name(c) == Some("abort")),
        _ => false,
    }
}

/// Whether a block assigns `name` on every path through it that does not
/// leave the function: at its top level, or in every branch of an `if`
/// with an `else` (`if endpoint: target = url_for(endpoint) else: target =
/// url`, abilian-sbe's `redirect_back`, thirteenth blind review).
fn assigns(body: &[Stmt], name: &str) -> bool {
    body.iter().any(|stmt| match stmt {
        Stmt::Assign(a) => a.targets.iter().any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == name)),
        Stmt::If(s) => {
            s.elif_else_clauses.last().is_some_and(|c| c.test.is_none())
                && std::iter::once(&s.body)
                    .chain(s.elif_else_clauses.iter().map(|c| &c.body))
                    .all(|b| exits(b) || assigns(b, name))
        }
        _ => false,
    })
}

/// Whether a literal start fixes where a URL points: not empty, and not
/// just `/` (`"/" + x` with x = `/evil.example` is protocol-relative).
fn fixes_start(text: &str) -> bool {
    !text.is_empty() && text != "/" && text != "\\"
}

/// A piece of a path expression (see [`State::path_parts`]).
enum PathPart {
    /// Literal text.
    Text(String),
    /// A value without client data, of unknown text (a folder setting).
    Clean,
    /// One URL segment as the client sent it.
    Segment,
}
