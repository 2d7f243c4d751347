//! The abstract interpreter: runs a project's module bodies and the
//! functions they call (app factories, registration helpers) over known
//! values, so that routes are *evaluated* — loops unrolled, helpers
//! followed with their arguments bound, strings folded — instead of
//! pattern-matched. Anything it cannot know becomes [`Value::Unknown`] with
//! a reason; nothing is executed for real.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::cell::RefCell;
use std::rc::Rc;

use retort_python::{ModuleId, Project};
use ruff_python_ast::{self as ast, CmpOp, Expr, InterpolatedStringElement, Number, Operator, Stmt, UnaryOp};
use ruff_text_size::{Ranged, TextRange};

use crate::command_line::{ArgumentDefaults, Literal};
use crate::objects::{ObjId, Objects};
use crate::strings::{call_str_method, percent_format, repr};
use crate::value::{CallArgs, ClassValue, DecoratorInfo, FunctionValue, Site, Value};

/// Deepest call chain followed (factory → helper → helper …).
const MAX_CALL_DEPTH: usize = 20;
/// Deepest expression nesting evaluated.
const MAX_EXPR_DEPTH: usize = 120;
/// Most iterations of one loop that are unrolled.
const MAX_LOOP_ITERATIONS: usize = 2000;
/// Statements evaluated per unit (a module body, an entry point, with the
/// functions they call): keeps pathological projects bounded.
const MAX_STEPS: usize = 400_000;
/// Iterations one `for` statement may run in a unit, over all the times it
/// is reached: a nested loop re-run by every call of its function (a
/// quadratic pass over all views after each view is added) is cut there,
/// with a stop, instead of spending the whole unit's step budget.
const MAX_LOOP_STATEMENT_ITERATIONS: usize = 10_000;

/// Names whose calls make a function worth following: it registers
/// something Flask-related.
const REGISTRATION_NAMES: &[&str] = &[
    "Flask",
    "Blueprint",
    "route",
    "add_url_rule",
    "register_blueprint",
    "register_api",
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "add_resource",
    "add_namespace",
    "namespace",
    "add_view",
    "add_view_no_menu",
    "add_views",
    "add_api",
    "init_app",
    "errorhandler",
    "register_error_handler",
    "before_request",
    "after_request",
    "teardown_request",
    "teardown_appcontext",
    "before_app_request",
    "app_errorhandler",
    "Api",
    "Namespace",
    "as_view",
    "import_string",
    "find_modules",
    "import_module",
    "resource",
    "register",
    "expose",
];

/// A route-ish registration that could not be tied to an app.
#[derive(Debug, Clone)]
pub struct LooseRegistration {
    pub rule: Option<String>,
    pub reason: String,
    pub site: Site,
    pub view: Option<String>,
}

/// A place where the interpreter gave up following code: what is after it
/// (the rest of a unit, a call) was not evaluated.
#[derive(Debug, Clone)]
pub struct StopRecord {
    /// `step_budget`, `call_depth`, `recursion`, `unknown_callee`,
    /// `config_condition`, `loop_bound`, `default_assumed` (see `catalog::Stop`).
    pub kind: &'static str,
    pub reason: String,
    /// The function that was not followed (`module:qualname`), if any.
    pub function: Option<String>,
    pub site: Site,
}

/// The interpreter's bounds and how much of them a run used.
pub struct Bounds {
    pub step_budget: usize,
    pub max_call_depth: usize,
    pub most_steps: usize,
}

impl Bounds {
    pub fn of(interp: &Interpreter<'_>) -> Self {
        Bounds {
            step_budget: MAX_STEPS,
            max_call_depth: MAX_CALL_DEPTH,
            most_steps: interp.most_steps.max(interp.steps.min(MAX_STEPS)),
        }
    }
}

/// A config read the project's own config decided (see `flask_api::config_get`).
pub(crate) struct ConfigRead {
    pub note: String,
    /// No configuration read at run time can change it.
    pub certain: bool,
}

/// Per-call execution state.
pub(crate) struct Frame<'p> {
    pub module: ModuleId,
    /// `None` at module level: names go to the module globals.
    pub locals: Option<HashMap<String, Value<'p>>>,
    pub closure: Option<Rc<HashMap<String, Value<'p>>>>,
    pub qualname: String,
    pub returned: Option<Value<'p>>,
    /// `returned` came from a `return` under a condition that is not known
    /// (`if not prefix: return ""`): a later, different return makes the
    /// result unknown instead of keeping the first.
    pub returned_conditionally: bool,
    /// `conditions` in force when the frame began: more means a branch.
    pub conditions_base: usize,
    pub stopped: bool,
    /// A `break` or `continue` ran: the rest of the loop body is skipped.
    pub loop_exit: Option<LoopExit>,
    /// Class body being executed: names go to the class namespace.
    pub class_ns: Option<HashMap<String, Value<'p>>>,
    /// Values a generator yielded.
    pub yields: Option<Vec<Value<'p>>>,
    /// Local names bound to what config chose under an assumption
    /// (`initializer = config.get("INITIALIZER", Default)(app)`), with it.
    pub config_chosen: Vec<(String, String)>,
}

/// The stages of following functions nobody in the project calls.
#[derive(Clone, Copy, PartialEq, Eq)]
enum UncalledStage {
    FactoryCallers,
    Factories,
    /// Classes building an app that no factory constructed.
    AppClasses,
    Registrations,
}

/// How a loop body was left early.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum LoopExit {
    Break,
    Continue,
}

impl<'p> Frame<'p> {
    /// A frame whose names are the module's globals.
    fn module_level(module: ModuleId) -> Self {
        Frame {
            module,
            locals: None,
            closure: None,
            qualname: String::new(),
            returned: None,
            returned_conditionally: false,
            conditions_base: 0,
            stopped: false,
            loop_exit: None,
            class_ns: None,
            yields: None,
            config_chosen: Vec::new(),
        }
    }

    /// The frame of a call: the callee's parameters bound in `locals`,
    /// the names it closes over in `closure`.
    fn for_call(
        module: ModuleId,
        locals: HashMap<String, Value<'p>>,
        closure: Option<Rc<HashMap<String, Value<'p>>>>,
        qualname: String,
        conditions_base: usize,
    ) -> Self {
        Frame { locals: Some(locals), closure, qualname, conditions_base, ..Frame::module_level(module) }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ModuleState {
    NotRun,
    Running,
    Done,
}

pub struct Interpreter<'p> {
    pub project: &'p Project,
    pub objects: Objects,
    pub loose: Vec<LooseRegistration>,
    globals: Vec<Rc<RefCell<HashMap<String, Value<'p>>>>>,
    state: Vec<ModuleState>,
    pub(crate) conditions: Vec<String>,
    /// Apps whose context is pushed by an enclosing `with app.app_context():`
    /// (innermost last): `current_app` is the last of them.
    app_contexts: Vec<ObjId>,
    /// The project tree as `os.walk` sees it (see `paths`).
    pub(crate) tree: crate::paths::ProjectTree,
    call_depth: usize,
    expr_depth: usize,
    steps: usize,
    pub budget_exhausted: bool,
    /// The most statements one unit evaluated (how close to the budget it came).
    pub most_steps: usize,
    /// The current unit already reported running out of its budget.
    budget_reported: bool,
    /// Iterations each `for` statement ran in the current unit.
    loop_iterations: HashMap<(ModuleId, ruff_text_size::TextSize), usize>,
    /// Where the call being evaluated is written (for stops).
    call_site: Option<Site>,
    /// Where and why the interpreter gave up, once per (kind, site, function).
    pub stops: Vec<StopRecord>,
    /// Where each run-time default (`assumed_default`) was read.
    assumed_at: HashMap<String, Site>,
    /// The project's `add_argument(...)` declarations, read on first use.
    argument_defaults: Option<Rc<ArgumentDefaults>>,
    stop_keys: HashSet<(&'static str, Site, String)>,
    /// Project functions and methods by name, for [`Self::registers_transitively`].
    functions_by_name: Option<HashMap<&'p str, Vec<&'p ast::StmtFunctionDef>>>,
    /// Whether a function (or what it calls, by name) registers something.
    registers: HashMap<*const ast::StmtFunctionDef, bool>,
    pub(crate) called: HashSet<*const ast::StmtFunctionDef>,
    /// Where project decorators that gate access (see `access_gates`) are
    /// applied: (module, line) of the use.
    pub(crate) gate_sites: HashSet<(ModuleId, u32)>,
    /// Functions being evaluated right now: re-entering one (recursion)
    /// gives an unknown value instead of exponential work.
    active: Vec<(*const ast::StmtFunctionDef, usize, usize)>,
    /// [`Self::source_text`] of the nodes asked about so far: loops and
    /// repeated calls ask for the same conditions and callees again and again.
    texts: RefCell<HashMap<(ModuleId, TextRange), Box<str>>>,
    /// Names each function body calls or refers to, computed once.
    referenced: HashMap<*const ast::StmtFunctionDef, Rc<HashSet<&'p str>>>,
    /// Apps and blueprints by creation site (and name), so that a factory
    /// called twice yields the same object.
    pub(crate) by_site: HashMap<(Site, String), ObjId>,
    /// Project classes deriving from `flask.Flask`.
    pub(crate) flask_subclasses: HashSet<String>,
    /// The project class of objects made from subclasses (`class Api(Blueprint)`).
    pub(crate) object_class: HashMap<ObjId, Rc<ClassValue<'p>>>,
    /// Attributes set on objects (`self.submodules = []`).
    pub(crate) object_attrs: HashMap<ObjId, HashMap<String, Value<'p>>>,
    /// Config values the project sets, per (app, key): see `flask_api::config_get`.
    pub(crate) config_settings: HashMap<(ObjId, String), crate::flask_api::ConfigSetting<'p>>,
    /// Apps whose config is also read at run time (`from_pyfile(...)`), first loader.
    pub(crate) runtime_config_loaders: HashMap<ObjId, String>,
    /// Apps that load a mapping computed at run time (`from_mapping(x)`).
    pub(crate) computed_config: HashSet<ObjId>,
    /// Assumptions of config reads decided by the project's own config (or
    /// the default at the read), consumed by the `if`, call or assignment
    /// they decide.
    pub(crate) config_reads: Vec<ConfigRead>,
    /// What each `configparser` instance has read, by instance identity.
    pub(crate) ini: HashMap<usize, crate::ini::IniSettings>,
    /// `library_versions::fab_has_rest_crud_view`, asked once.
    pub(crate) fab_rest_crud_view: std::cell::OnceCell<Option<bool>>,
    /// The project's declared entry points (`entry_points::declared`), read once.
    pub(crate) entry_points: std::cell::OnceCell<Vec<crate::entry_points::EntryPoint>>,
    /// Data files parsed so far (see `data_files`).
    pub(crate) documents: crate::data_files::Documents,
    /// Project packages that code put on `sys.path`
    /// (`sys.path.insert(0, os.path.dirname(__file__))`), by module name:
    /// `import routes` then finds `<package>/routes.py`.
    sys_path_packages: Vec<String>,
    /// The project functions running, innermost last.
    call_stack: Vec<Rc<FunctionValue<'p>>>,
    /// Apps built inside a function that have not left it (yet).
    apps_not_escaped: Vec<ObjId>,
    /// (blueprint, parent) pairs whose `register` override already ran.
    pub(crate) register_overrides_run: HashSet<(ObjId, ObjId)>,
}

impl<'p> Interpreter<'p> {
    pub fn new(project: &'p Project) -> Self {
        let count = project.modules.len();
        Self {
            project,
            objects: Objects::default(),
            loose: Vec::new(),
            globals: (0..count).map(|_| Rc::new(RefCell::new(HashMap::default()))).collect(),
            state: vec![ModuleState::NotRun; count],
            conditions: Vec::new(),
            app_contexts: Vec::new(),
            tree: crate::paths::ProjectTree::default(),
            call_depth: 0,
            expr_depth: 0,
            steps: 0,
            budget_exhausted: false,
            most_steps: 0,
            budget_reported: false,
            loop_iterations: HashMap::default(),
            call_site: None,
            stops: Vec::new(),
            argument_defaults: None,
            assumed_at: HashMap::default(),
            stop_keys: HashSet::default(),
            functions_by_name: None,
            gate_sites: HashSet::default(),
            registers: HashMap::default(),
            called: HashSet::default(),
            active: Vec::new(),
            texts: RefCell::default(),
            referenced: HashMap::default(),
            by_site: HashMap::default(),
            flask_subclasses: HashSet::default(),
            object_class: HashMap::default(),
            object_attrs: HashMap::default(),
            register_overrides_run: HashSet::default(),
            config_settings: HashMap::default(),
            runtime_config_loaders: HashMap::default(),
            computed_config: HashSet::default(),
            config_reads: Vec::new(),
            ini: HashMap::default(),
            fab_rest_crud_view: std::cell::OnceCell::new(),
            entry_points: std::cell::OnceCell::new(),
            documents: Default::default(),
            sys_path_packages: Vec::new(),
            call_stack: Vec::new(),
            apps_not_escaped: Vec::new(),
        }
    }

    pub fn site(&self, module: ModuleId, range: TextRange) -> Site {
        Site { module, line: self.project.module(module).line_of(range.start()) }
    }

    /// Source text of a node, for conditions and decorator names.
    pub fn source_text(&self, module: ModuleId, range: TextRange) -> String {
        if let Some(text) = self.texts.borrow().get(&(module, range)) {
            return text.to_string();
        }
        let text = self.normalised_text(module, range);
        self.texts.borrow_mut().insert((module, range), text.as_str().into());
        text
    }

    /// A node's source on one line, whitespace runs made single spaces,
    /// cut after 160 bytes.
    fn normalised_text(&self, module: ModuleId, range: TextRange) -> String {
        let text = &self.project.module(module).source[range];
        let plain = text.len() <= 160
            && !text.as_bytes().windows(2).any(|pair| pair == b"  ")
            && !text.bytes().any(|b| matches!(b, b'\n' | b'\r' | b'\t'));
        let mut out = if plain {
            text.to_string()
        } else {
            // Words joined by single spaces; past 160 bytes the rest is cut
            // anyway, so long texts stop there.
            let mut out = String::new();
            for word in text.split_whitespace() {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(word);
                if out.len() > 160 {
                    break;
                }
            }
            out
        };
        if out.len() > 160 {
            let mut cut = 157;
            while !out.is_char_boundary(cut) {
                cut -= 1;
            }
            out.truncate(cut);
            out.push_str("...");
        }
        out
    }

    // ----- modules -----------------------------------------------------------

    /// Runs every module body once, in path order (imports run first), as
    /// if each were imported. A module whose body registers on
    /// `current_app` (Specter's `controller.py` registering blueprints on
    /// it) only works when imported inside an app context, so it waits for
    /// such an import (see [`Self::run_remaining_modules`]).
    pub fn run_all_modules(&mut self) {
        let waiting = self.modules_needing_app_context();
        for (id, waits) in waiting.into_iter().enumerate() {
            if waits {
                continue;
            }
            // Each top-level module (with what it imports) gets its own budget.
            self.start_unit();
            self.run_module(id);
        }
    }

    /// The modules that register on `current_app` while imported, and
    /// those that import one of them while imported (Python could import
    /// them only inside an app context too).
    fn modules_needing_app_context(&self) -> Vec<bool> {
        let count = self.project.modules.len();
        let mut waiting: Vec<bool> = (0..count)
            .map(|id| crate::syntax::registers_on_current_app_on_import(&self.project.module(id).ast.body))
            .collect();
        if !waiting.contains(&true) {
            return waiting;
        }
        let imports: Vec<Vec<ModuleId>> = (0..count)
            .map(|id| {
                let mut found = Vec::new();
                for (level, module, names) in crate::syntax::imports_on_import(&self.project.module(id).ast.body) {
                    found.extend(self.project.resolve_import(id, level, module));
                    // `from . import views` imports the submodule `views`.
                    for name in names {
                        let full = match module {
                            Some(module) => format!("{module}.{name}"),
                            None => name.to_string(),
                        };
                        found.extend(self.project.resolve_import(id, level, Some(&full)));
                    }
                }
                found
            })
            .collect();
        loop {
            let mut changed = false;
            for id in 0..count {
                if !waiting[id] && imports[id].iter().any(|&imported| waiting[imported]) {
                    waiting[id] = true;
                    changed = true;
                }
            }
            if !changed {
                return waiting;
            }
        }
    }

    /// Runs the modules nothing imported, once the entry points have run.
    pub fn run_remaining_modules(&mut self) {
        for id in 0..self.project.modules.len() {
            self.start_unit();
            self.run_module(id);
        }
    }

    pub fn run_module(&mut self, id: ModuleId) {
        if self.state[id] != ModuleState::NotRun {
            return;
        }
        // Python initialises the parent packages before a submodule.
        for parent in self.parent_packages(id) {
            self.run_module(parent);
        }
        if self.state[id] != ModuleState::NotRun {
            return;
        }
        self.state[id] = ModuleState::Running;
        let module = self.project.module(id);
        let globals = self.globals[id].clone();
        globals.borrow_mut().insert("__name__".into(), Value::str(&module.name));
        let mut frame = Frame::module_level(id);
        // Conditions of the importer do not apply to the imported module.
        // ... nor does the depth of the call chain that happened to import it.
        // ... nor its step budget: a module body is a unit of its own, so a
        // factory importing hundreds of modules (an initialiser's
        // `init_views`) keeps its budget for its own statements.
        let saved = std::mem::take(&mut self.conditions);
        let saved_depth = std::mem::take(&mut self.call_depth);
        let saved_steps = std::mem::take(&mut self.steps);
        let saved_reported = std::mem::take(&mut self.budget_reported);
        let saved_site = self.call_site.take();
        self.exec_body(&mut frame, &module.ast.body);
        self.most_steps = self.most_steps.max(self.steps.min(MAX_STEPS));
        self.conditions = saved;
        self.call_depth = saved_depth;
        self.steps = saved_steps;
        self.budget_reported = saved_reported;
        self.call_site = saved_site;
        self.state[id] = ModuleState::Done;
    }

    /// The `__init__.py` modules of the packages above a module, outermost first.
    fn parent_packages(&self, id: ModuleId) -> Vec<ModuleId> {
        let module = self.project.module(id);
        let mut dir = module.path.parent();
        if module.is_package {
            dir = dir.and_then(|d| d.parent());
        }
        let mut parents = Vec::new();
        while let Some(current) = dir.filter(|d| !d.as_os_str().is_empty()) {
            match self.project.module_by_path(&current.join("__init__.py")) {
                Some(parent) => parents.push(parent),
                None => break,
            }
            dir = current.parent();
        }
        parents.reverse();
        parents
    }

    pub fn module_global(&mut self, module: ModuleId, name: &str) -> Option<Value<'p>> {
        self.run_module(module);
        self.globals[module].borrow().get(name).cloned()
    }

    pub fn globals_of(&self, module: ModuleId) -> Vec<(String, Value<'p>)> {
        self.globals[module].borrow().iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    // ----- names -------------------------------------------------------------

    fn lookup(&mut self, frame: &Frame<'p>, name: &str) -> Value<'p> {
        if let Some(ns) = &frame.class_ns {
            if let Some(v) = ns.get(name) {
                return v.clone();
            }
        }
        if let Some(locals) = &frame.locals {
            if let Some(v) = locals.get(name) {
                return v.clone();
            }
        }
        if let Some(closure) = &frame.closure {
            if let Some(v) = closure.get(name) {
                return v.clone();
            }
        }
        if let Some(v) = self.globals[frame.module].borrow().get(name) {
            return v.clone();
        }
        match name {
            "True" => Value::Bool(true),
            "False" => Value::Bool(false),
            "None" => Value::None,
            "__file__" => Value::str(crate::paths::module_file(self.project, frame.module)),
            "__package__" => {
                let module = self.project.module(frame.module);
                let package =
                    if module.is_package { &module.name[..] } else { module.name.rsplit_once('.').map_or("", |p| p.0) };
                Value::str(package)
            }
            "__path__" if self.project.module(frame.module).is_package => {
                crate::paths::package_path(self.project, frame.module)
            }
            _ => Value::External(Rc::from(format!("builtins.{name}"))),
        }
    }

    pub(crate) fn bind(&mut self, frame: &mut Frame<'p>, name: &str, value: Value<'p>) {
        if let Value::Object(id) = &value {
            crate::flask_api::name_object(self, *id, name, frame);
        }
        // `AdminApp = WebApp`: factories creating an `AdminApp` create apps.
        if let Value::Class(class) = &value {
            if class.name() != name && self.flask_subclasses.contains(class.name()) {
                self.flask_subclasses.insert(name.to_string());
            }
        }
        if let Some(ns) = frame.class_ns.as_mut() {
            set_name(ns, name, value);
        } else if let Some(locals) = frame.locals.as_mut() {
            set_name(locals, name, value);
        } else {
            set_name(&mut self.globals[frame.module].borrow_mut(), name, value);
        }
    }

    fn bind_target(&mut self, frame: &mut Frame<'p>, target: &'p Expr, value: Value<'p>) {
        match target {
            Expr::Name(name) => self.bind(frame, name.id.as_str(), value),
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                let items = value.iter_items().filter(|items| items.len() == elts.len());
                for (index, element) in elts.iter().enumerate() {
                    let item = match &items {
                        Some(items) => items[index].clone(),
                        None => Value::unknown(format!("unpacking of {}", value_reason(&value))),
                    };
                    let element = match element {
                        Expr::Starred(starred) => &*starred.value,
                        other => other,
                    };
                    self.bind_target(frame, element, item);
                }
            }
            Expr::Attribute(attr) => {
                let receiver = self.eval(frame, &attr.value);
                self.let_app_escape(&value);
                match receiver {
                    Value::Instance(instance) => {
                        instance.borrow_mut().attrs.insert(attr.attr.to_string(), value);
                    }
                    Value::Class(class) => {
                        class.attrs.borrow_mut().insert(attr.attr.to_string(), value);
                    }
                    Value::Object(id) => {
                        self.object_attrs.entry(id).or_default().insert(attr.attr.to_string(), value);
                    }
                    Value::Function(function) => {
                        function.attrs.borrow_mut().insert(attr.attr.to_string(), value);
                    }
                    _ => {}
                }
            }
            Expr::Subscript(sub) => {
                let receiver = self.eval(frame, &sub.value);
                let key = self.eval(frame, &sub.slice);
                match receiver {
                    Value::Dict(items) => {
                        let mut items = items.borrow_mut();
                        if let Some(slot) = items.iter_mut().find(|(k, _)| k.equals(&key) == Some(true)) {
                            slot.1 = value;
                        } else {
                            items.push((key, value));
                        }
                    }
                    Value::Object(id) => crate::flask_api::config_set(self, id, &key, &value, frame, sub.range()),
                    _ => {}
                }
            }
            _ => {}
        }
    }

    // ----- statements --------------------------------------------------------

    pub(crate) fn exec_body(&mut self, frame: &mut Frame<'p>, body: &'p [Stmt]) {
        for stmt in body {
            if frame.stopped || frame.loop_exit.is_some() {
                break;
            }
            self.exec(frame, stmt);
        }
    }

    /// Runs both branches of a condition that is not known, recording it.
    fn exec_conditional(&mut self, frame: &mut Frame<'p>, condition: String, body: &'p [Stmt]) {
        let mark = self.conditions.len();
        self.conditions.push(condition);
        let (stopped, loop_exit) = (frame.stopped, frame.loop_exit);
        self.exec_body(frame, body);
        (frame.stopped, frame.loop_exit) = (stopped, loop_exit);
        // Also drops assumptions the body added (config-chosen classes).
        self.conditions.truncate(mark);
    }

    /// Config reads since `mark` that the project's config decided, as one
    /// note: `config X = True as DevConfig sets it`.
    /// Only assumptions (reads run-time config may change) unless
    /// `with_certain`: an `if` on a config flag is recorded either way.
    fn take_config_reads(&mut self, mark: usize, with_certain: bool) -> Option<String> {
        if self.config_reads.len() <= mark {
            self.config_reads.truncate(mark);
            return None;
        }
        let mut reads: Vec<String> = self
            .config_reads
            .drain(mark..)
            .filter(|read| with_certain || !read.certain)
            .map(|read| read.note)
            .collect();
        reads.dedup();
        (!reads.is_empty()).then(|| reads.join("; "))
    }

    pub(crate) fn note_config_read(&mut self, note: String, certain: bool) {
        self.config_reads.push(ConfigRead { note, certain });
    }

    fn exec(&mut self, frame: &mut Frame<'p>, stmt: &'p Stmt) {
        let reads_mark = self.config_reads.len();
        self.exec_statement(frame, stmt);
        // Config reads no `if`, call or assignment consumed go no further.
        self.config_reads.truncate(reads_mark);
    }

    fn exec_statement(&mut self, frame: &mut Frame<'p>, stmt: &'p Stmt) {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            let site = self.site(frame.module, stmt.range());
            self.out_of_budget(site, &frame.qualname);
            frame.stopped = true;
            return;
        }
        match stmt {
            Stmt::Expr(e) => {
                self.eval(frame, &e.value);
            }
            Stmt::Assign(assign) => {
                let mark = self.config_reads.len();
                let value = self.eval(frame, &assign.value);
                // `initializer = config.get("INITIALIZER", Default)(app)`:
                // calls through that name rest on the assumption.
                let note = match value {
                    Value::Class(_) | Value::Function(_) | Value::Module(_) | Value::Instance(_) | Value::Object(_) => {
                        self.take_config_reads(mark, false)
                    }
                    _ => None,
                };
                for target in &assign.targets {
                    if let Expr::Name(name) = target {
                        frame.config_chosen.retain(|(bound, _)| bound != name.id.as_str());
                        if let Some(note) = &note {
                            frame.config_chosen.push((name.id.to_string(), note.clone()));
                        }
                    }
                }
                for target in &assign.targets {
                    self.bind_target(frame, target, value.clone());
                }
            }
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    let value = self.eval(frame, value);
                    self.bind_target(frame, &assign.target, value);
                }
            }
            Stmt::AugAssign(aug) => {
                let current = self.eval(frame, &aug.target);
                let rhs = self.eval(frame, &aug.value);
                let value = match (&current, aug.op) {
                    (Value::List(items), Operator::Add) => {
                        // `+=` on a list mutates it in place.
                        match rhs.iter_items() {
                            Some(extra) => items.borrow_mut().extend(extra),
                            None => items.borrow_mut().push(Value::unknown(format!("items of {}", value_reason(&rhs)))),
                        }
                        current.clone()
                    }
                    _ => binary(&current, aug.op, &rhs),
                };
                self.bind_target(frame, &aug.target, value);
            }
            Stmt::FunctionDef(def) => {
                let value = self.define_function(frame, def);
                let value = self.apply_function_decorators(frame, def, value);
                self.bind(frame, def.name.as_str(), value);
            }
            Stmt::ClassDef(def) => self.define_class(frame, def),
            Stmt::Return(ret) => {
                let value = ret.value.as_ref().map(|v| self.eval(frame, v)).unwrap_or(Value::None);
                self.note_return(frame, value);
                frame.stopped = true;
            }
            Stmt::Break(_) => frame.loop_exit = Some(LoopExit::Break),
            Stmt::Continue(_) => frame.loop_exit = Some(LoopExit::Continue),
            Stmt::If(if_stmt) => self.exec_if(frame, if_stmt),
            Stmt::For(for_stmt) => self.exec_for(frame, for_stmt),
            Stmt::While(while_stmt) => {
                let condition = format!("while {}", self.source_text(frame.module, while_stmt.test.range()));
                self.exec_conditional(frame, condition, &while_stmt.body);
            }
            Stmt::With(with) => self.exec_with(frame, with),
            Stmt::Try(try_stmt) => {
                self.exec_body(frame, &try_stmt.body);
                if !frame.stopped {
                    self.exec_body(frame, &try_stmt.orelse);
                }
                let stopped = frame.stopped;
                frame.stopped = false;
                self.exec_body(frame, &try_stmt.finalbody);
                frame.stopped |= stopped;
            }
            Stmt::Match(m) => {
                let subject = self.source_text(frame.module, m.subject.range());
                for case in &m.cases {
                    let pattern = self.source_text(frame.module, case.pattern.range());
                    self.exec_conditional(frame, format!("match {subject}: case {pattern}"), &case.body);
                }
            }
            Stmt::Import(import) => {
                for alias in &import.names {
                    let full = alias.name.as_str();
                    match &alias.asname {
                        Some(asname) => {
                            let value = self.import_module_value(frame.module, full);
                            self.bind(frame, asname.as_str(), value);
                        }
                        None => {
                            // `import a.b.c` binds `a`, and runs a.b.c.
                            let top = full.split('.').next().unwrap_or(full);
                            if full != top {
                                self.import_module_value(frame.module, full);
                            }
                            let value = self.import_module_value(frame.module, top);
                            self.bind(frame, top, value);
                        }
                    }
                }
            }
            Stmt::ImportFrom(import) => self.exec_import_from(frame, import),
            _ => {}
        }
    }

    /// Combines a `return` with the ones before it. The first known value
    /// wins, unless it was returned under a condition not known and this
    /// one differs: then the function's result depends on that condition.
    fn note_return(&mut self, frame: &mut Frame<'p>, value: Value<'p>) {
        let conditional = self.conditions.len() > frame.conditions_base;
        match &frame.returned {
            None | Some(Value::Unknown(_)) => {
                frame.returned = Some(value);
                frame.returned_conditionally = conditional;
            }
            Some(earlier) if frame.returned_conditionally && !same_value(earlier, &value) => {
                let reason = format!(
                    "`{}` returns {} or {}, depending on a condition known only at run time",
                    frame.qualname.trim_end_matches(".<locals>"),
                    shown(earlier),
                    shown(&value)
                );
                frame.returned = Some(Value::unknown(reason));
            }
            Some(_) => {}
        }
    }

    fn exec_if(&mut self, frame: &mut Frame<'p>, if_stmt: &'p ast::StmtIf) {
        let mut branches: Vec<(Option<&'p Expr>, &'p [Stmt])> = vec![(Some(&*if_stmt.test), &if_stmt.body[..])];
        for clause in &if_stmt.elif_else_clauses {
            branches.push((clause.test.as_ref(), &clause.body[..]));
        }
        let mut negated: Vec<String> = Vec::new();
        for (test, body) in branches {
            let Some(test) = test else {
                // `else`: runs under the negation of every earlier test.
                if negated.is_empty() {
                    self.exec_body(frame, body);
                } else {
                    self.exec_conditional(frame, negated.join(" and "), body);
                }
                return;
            };
            let mark = self.config_reads.len();
            let value = self.eval(frame, test);
            // A test the project's own config decides (`if
            // app.config.get("ENABLE_X", True)`) follows it, recorded.
            let decided_by_config = self.take_config_reads(mark, true).map(|reads| {
                let text = self.source_text(frame.module, test.range());
                (format!("{text} ({reads})"), self.site(frame.module, test.range()))
            });
            // A test or debug switch known only at run time (`if
            // app_config.is_test_db:`) is off in a deployed app, as Flask's
            // own `TESTING` and `DEBUG` are by default.
            let switch = match (value.truthy(), &decided_by_config) {
                (None, None) => test_switch(test),
                _ => None,
            };
            if let Some(on_when_set) = switch {
                let text = self.source_text(frame.module, test.range());
                let site = self.site(frame.module, test.range());
                if on_when_set {
                    let reason = format!(
                        "`if {text}` tests a test or debug switch known only at run time: its body is not \
                         evaluated, as in a deployed app where the switch is off"
                    );
                    self.record_stop("test_switch", reason, None, site);
                    negated.push(format!("not ({text})"));
                    continue;
                }
                negated.push(format!("{text} (a test or debug switch, off in a deployed app)"));
                self.exec_conditional(frame, negated.join(" and "), body);
                if !if_stmt.elif_else_clauses.is_empty() {
                    let reason = format!(
                        "the other branches of `if {text}` are not evaluated: it tests a test or debug switch, \
                         off in a deployed app"
                    );
                    self.record_stop("test_switch", reason, None, site);
                }
                return;
            }
            match (value.truthy(), decided_by_config) {
                (Some(true), None) if negated.is_empty() => {
                    self.exec_body(frame, body);
                    return;
                }
                (Some(true), None) => {
                    self.exec_conditional(frame, negated.join(" and "), body);
                    return;
                }
                (Some(true), Some((condition, site))) => {
                    negated.push(condition);
                    self.exec_conditional(frame, negated.join(" and "), body);
                    let other = if if_stmt.elif_else_clauses.is_empty() { None } else { Some("the other branches") };
                    if let Some(other) = other {
                        let reason = format!(
                            "{other} of `if {}` are not evaluated: the test holds under the project's config",
                            negated.last().map_or("", String::as_str)
                        );
                        self.record_stop("config_condition", reason, None, site);
                    }
                    return;
                }
                (Some(false), Some((condition, site))) => {
                    let reason =
                        format!("`if {condition}` is false under the project's config: its body is not evaluated");
                    self.record_stop("config_condition", reason, None, site);
                    negated.push(format!("not ({condition})"));
                    continue;
                }
                (Some(false), None) => continue,
                (None, config) => {
                    // Partly decided by the project's config: say what it was.
                    let text = match config {
                        Some((annotated, _)) => annotated,
                        None => self.source_text(frame.module, test.range()),
                    };
                    let condition =
                        if negated.is_empty() { text.clone() } else { format!("{} and {text}", negated.join(" and ")) };
                    self.exec_conditional(frame, condition, body);
                    negated.push(format!("not ({text})"));
                }
            }
        }
    }

    /// `with` blocks. A project generator decorated with
    /// `contextlib.contextmanager` runs up to its `yield` before the block
    /// and on from there after it (indico's `with bp.add_prefixed_rules(...)`).
    fn exec_with(&mut self, frame: &mut Frame<'p>, with: &'p ast::StmtWith) {
        let mut exits: Vec<(Frame<'p>, Vec<&'p [Stmt]>)> = Vec::new();
        let contexts_before = self.app_contexts.len();
        for item in &with.items {
            if let Some(app) = self.app_context_entered(frame, &item.context_expr) {
                self.app_contexts.push(app);
            }
            // The callee is evaluated once, whether it turns out to be a
            // generator context manager or an ordinary call.
            let entered = match &item.context_expr {
                Expr::Call(call_expr) => {
                    let callee = self.eval(frame, &call_expr.func);
                    match self.enter_context_manager(frame, &callee, call_expr) {
                        Some(entered) => Ok(entered),
                        None => {
                            let call = self.eval_call_args(frame, &call_expr.arguments);
                            let site = self.site(frame.module, call_expr.range());
                            Err(self.call_value(frame, &callee, call, site, call_expr))
                        }
                    }
                }
                other => Err(self.eval(frame, other)),
            };
            let value = match entered {
                Ok((manager_frame, yielded, rest)) => {
                    exits.push((manager_frame, rest));
                    yielded
                }
                Err(value @ Value::Object(_)) => value,
                // `with open(path) as f:` (a file object's `__enter__` is itself).
                Err(Value::Unknown(unknown)) if unknown.file.is_some() => Value::Unknown(unknown),
                Err(_) => Value::unknown("value of a `with` block"),
            };
            if let Some(target) = &item.optional_vars {
                self.bind_target(frame, target, value);
            }
        }
        self.exec_body(frame, &with.body);
        self.app_contexts.truncate(contexts_before);
        for (mut manager_frame, rest) in exits.into_iter().rev() {
            self.call_depth += 1;
            for part in rest {
                self.exec_body(&mut manager_frame, part);
            }
            self.call_depth -= 1;
        }
    }

    /// The app of `with app.app_context():` (or `test_request_context(...)`,
    /// `request_context(...)`), when `app` is a plain name or attribute
    /// chain that is a known app: evaluating it a second time changes nothing.
    fn app_context_entered(&mut self, frame: &mut Frame<'p>, context: &'p Expr) -> Option<ObjId> {
        let Expr::Call(call) = context else { return None };
        let Expr::Attribute(method) = &*call.func else { return None };
        if !matches!(method.attr.as_str(), "app_context" | "test_request_context" | "request_context") {
            return None;
        }
        let mut receiver = &*method.value;
        while let Expr::Attribute(inner) = receiver {
            receiver = &inner.value;
        }
        if !matches!(receiver, Expr::Name(_)) {
            return None;
        }
        match self.eval(frame, &method.value) {
            Value::Object(id) if matches!(self.objects.get(id), crate::objects::Object::App(_)) => Some(id),
            _ => None,
        }
    }

    /// `flask.current_app` is the app of the innermost enclosing `with
    /// app.app_context():`; outside one, the project's app when it makes
    /// exactly one (code that runs in no app context cannot use the proxy).
    fn in_app_context(&self, value: Value<'p>) -> Value<'p> {
        let Value::External(name) = &value else { return value };
        if !matches!(&**name, "flask.current_app" | "flask.globals.current_app") {
            return value;
        }
        match self.app_contexts.last().copied().or_else(|| self.objects.sole_app()) {
            Some(app) => Value::Object(app),
            None => value,
        }
    }

    /// Enters `manager(...)` when it is a project `@contextmanager`
    /// generator with a `yield` at its top level (or in a top-level `try`):
    /// its frame after the code before the `yield`, the yielded value, and
    /// the code still to run on exit.
    fn enter_context_manager(
        &mut self,
        frame: &mut Frame<'p>,
        callee: &Value<'p>,
        call_expr: &'p ast::ExprCall,
    ) -> Option<(Frame<'p>, Value<'p>, Vec<&'p [Stmt]>)> {
        let Value::Function(function) = callee else { return None };
        let is_manager = function.decorators.borrow().iter().any(|d| d.name.ends_with("contextmanager"));
        if !is_manager || self.call_depth >= MAX_CALL_DEPTH {
            return None;
        }
        let (before, yielded, after) = split_at_yield(&function.def.body)?;
        let call = self.eval_call_args(frame, &call_expr.arguments);
        self.called.insert(function.def as *const _);
        let mut manager_frame = self.function_frame(function, &call);
        self.call_depth += 1;
        for part in before {
            self.exec_body(&mut manager_frame, part);
        }
        let value = yielded.map_or(Value::None, |e| self.eval(&mut manager_frame, e));
        self.call_depth -= 1;
        Some((manager_frame, value, after))
    }

    fn exec_for(&mut self, frame: &mut Frame<'p>, for_stmt: &'p ast::StmtFor) {
        let iterable = self.eval(frame, &for_stmt.iter);
        match iterable.iter_items() {
            Some(items) => {
                if items.len() > MAX_LOOP_ITERATIONS {
                    self.loop_bound_stop(frame, for_stmt.iter.range(), false);
                }
                let ran = self.loop_iterations.entry((frame.module, for_stmt.range().start())).or_default();
                let allowed = MAX_LOOP_STATEMENT_ITERATIONS.saturating_sub(*ran).min(MAX_LOOP_ITERATIONS);
                *ran += items.len().min(allowed);
                if items.len() > allowed {
                    self.loop_bound_stop(frame, for_stmt.iter.range(), true);
                }
                for item in items.into_iter().take(allowed) {
                    self.bind_target(frame, &for_stmt.target, item);
                    self.exec_body(frame, &for_stmt.body);
                    if frame.stopped {
                        return;
                    }
                    if frame.loop_exit.take() == Some(LoopExit::Break) {
                        return;
                    }
                }
                self.exec_body(frame, &for_stmt.orelse);
            }
            None => {
                let text = self.source_text(frame.module, for_stmt.iter.range());
                let reason =
                    format!("loop over `{text}`, which is only known at run time ({})", value_reason(&iterable));
                self.bind_target(frame, &for_stmt.target, Value::unknown(reason));
                self.exec_conditional(frame, format!("for each item of {text}"), &for_stmt.body);
            }
        }
    }

    fn exec_import_from(&mut self, frame: &mut Frame<'p>, import: &'p ast::StmtImportFrom) {
        let module_name = import.module.as_ref().map(|m| m.as_str());
        let target =
            self.project.resolve_import(frame.module, import.level, module_name).or_else(|| match import.level {
                0 => module_name.and_then(|m| self.resolve_on_sys_path(m)),
                _ => None,
            });
        for alias in &import.names {
            let name = alias.name.as_str();
            if name == "*" {
                if let Some(target) = target {
                    self.run_module(target);
                    for (key, value) in self.globals_of(target) {
                        if !key.starts_with('_') {
                            self.bind(frame, &key, value);
                        }
                    }
                }
                continue;
            }
            let bound_name = alias.asname.as_ref().map(|a| a.as_str()).unwrap_or(name);
            let value = match target {
                Some(target) => match self.module_global(target, name) {
                    Some(value) => value,
                    None => {
                        // `from pkg import submodule`
                        let base = self.project.module(target).path.parent().map(|p| p.to_path_buf());
                        let sub = base.and_then(|dir| {
                            self.project
                                .module_by_path(&dir.join(format!("{name}.py")))
                                .or_else(|| self.project.module_by_path(&dir.join(name).join("__init__.py")))
                        });
                        match sub {
                            Some(sub) if self.project.module(target).is_package => {
                                self.run_module(sub);
                                Value::Module(sub)
                            }
                            _ => Value::unknown(format!(
                                "`{name}` is not defined in {}",
                                self.project.module(target).display_path()
                            )),
                        }
                    }
                },
                None => {
                    let base = match (import.level, module_name) {
                        (0, Some(m)) => m.to_string(),
                        _ => {
                            let text = self.source_text(frame.module, import.range());
                            self.bind(
                                frame,
                                bound_name,
                                Value::unknown(format!("relative import not found in the project: `{text}`")),
                            );
                            continue;
                        }
                    };
                    let full = format!("{base}.{name}");
                    match self.project.resolve_absolute(&full, frame.module) {
                        Some(sub) => {
                            self.run_module(sub);
                            Value::Module(sub)
                        }
                        None => Value::External(Rc::from(full)),
                    }
                }
            };
            self.bind(frame, bound_name, value);
        }
    }

    fn import_module_value(&mut self, importer: ModuleId, name: &str) -> Value<'p> {
        match self.project.resolve_absolute(name, importer).or_else(|| self.resolve_on_sys_path(name)) {
            Some(id) => {
                self.run_module(id);
                Value::Module(id)
            }
            None => Value::External(Rc::from(name)),
        }
    }

    /// `sys.path.insert(i, folder)` or `sys.path.append(folder)` with a
    /// project package's folder: its modules become importable by their
    /// names inside it. (Python would load them a second time as separate
    /// modules; here they are the same modules.)
    pub(crate) fn add_to_sys_path(&mut self, folder: &Value<'p>) {
        let Some(folder) = folder.as_str().and_then(crate::paths::inside_project) else { return };
        let init = std::path::Path::new(&folder).join("__init__.py");
        let Some(package) = self.project.module_by_path(&init) else { return };
        let name = self.project.module(package).name.clone();
        if !self.sys_path_packages.contains(&name) {
            self.sys_path_packages.push(name);
        }
    }

    /// An absolute import that the project's own layout does not resolve,
    /// looked up in the packages code put on `sys.path`.
    fn resolve_on_sys_path(&self, name: &str) -> Option<ModuleId> {
        self.sys_path_packages.iter().find_map(|package| {
            let full = format!("{package}.{name}");
            self.project.resolve_absolute(&full, 0).filter(|&id| self.project.module(id).name == full)
        })
    }

    // ----- definitions -------------------------------------------------------

    fn qualified(&self, frame: &Frame<'p>, name: &str) -> String {
        if frame.qualname.is_empty() {
            name.to_string()
        } else {
            format!("{}.{name}", frame.qualname)
        }
    }

    /// The locals a function or lambda defined in `frame` closes over.
    fn closure_of(frame: &Frame<'p>) -> Option<Rc<HashMap<String, Value<'p>>>> {
        match (&frame.locals, &frame.closure) {
            (Some(locals), Some(outer)) => {
                let mut merged = (**outer).clone();
                merged.extend(locals.iter().map(|(k, v)| (k.clone(), v.clone())));
                Some(Rc::new(merged))
            }
            (Some(locals), None) => Some(Rc::new(locals.clone())),
            (None, outer) => outer.clone(),
        }
    }

    fn define_function(&mut self, frame: &Frame<'p>, def: &'p ast::StmtFunctionDef) -> Value<'p> {
        let closure = Self::closure_of(frame);
        Value::Function(Rc::new(FunctionValue {
            module: frame.module,
            def,
            qualname: self.qualified(frame, def.name.as_str()),
            closure,
            bound_self: None,
            decorators: RefCell::new(Vec::new()),
            exposes: RefCell::new(Vec::new()),
            attrs: Rc::default(),
        }))
    }

    /// Applies decorators bottom-up: route decorators register the view
    /// as wrapped so far (the decorators below them are its guards).
    fn apply_function_decorators(
        &mut self,
        frame: &mut Frame<'p>,
        def: &'p ast::StmtFunctionDef,
        value: Value<'p>,
    ) -> Value<'p> {
        let evaluated: Vec<(Value<'p>, &'p ast::Decorator)> =
            def.decorator_list.iter().map(|d| (self.eval(frame, &d.expression), d)).collect();
        let mut below: Vec<DecoratorInfo> = Vec::new();
        // What the decorators above see: the function, or what a decorator
        // below made of it.
        let mut current = value.clone();
        for (decorator, node) in evaluated.into_iter().rev() {
            // A wrapper made with `functools.wraps(view)` is what Flask sees
            // as `view` (its name becomes the endpoint).
            if let Value::Decorator(pending) = &decorator {
                if let crate::value::PendingDecorator::Wraps(view @ (Value::Function(_) | Value::ViewFromClass(_))) =
                    &**pending
                {
                    current = view.clone();
                }
            }
            let site = self.site(frame.module, node.range());
            // A project decorator that registers what it decorates (fava's
            // `@api_endpoint` deriving the rule from the function's name,
            // moin's `@presenter("dom")`, a `partial` of such a function).
            let project_callable = match &decorator {
                Value::Function(function) => Some((function.clone(), CallArgs::default())),
                Value::Partial(partial) => match &partial.0 {
                    Value::Function(function) => Some((function.clone(), partial.1.clone())),
                    _ => None,
                },
                _ => None,
            };
            // One that turns out to register nothing (a guard whose body
            // merely mentions a registration name somewhere down its calls)
            // stays a decorator of the view, as below.
            if let Some((function, mut call)) = project_callable {
                if self.registers_transitively(function.def) {
                    let registered_before = self.objects.registration_count() + self.loose.len();
                    call.positional.push(current.clone());
                    let made = self.call_function(&function, &call);
                    if self.objects.registration_count() + self.loose.len() > registered_before {
                        if matches!(made, Value::Function(_) | Value::ViewFromClass(_)) {
                            current = made;
                        }
                        continue;
                    }
                }
            }
            // A project decorator that marks the function
            // (`f._endpoint_path = path; return f`): the marks are read later
            // (`hasattr(meth, "_endpoint_path")`).
            if let (Value::Function(marker), Value::Function(_)) = (&decorator, &current) {
                if crate::syntax::marks_its_argument(marker.def) {
                    self.call_function(marker, &CallArgs { positional: vec![current.clone()], keywords: Vec::new() });
                }
            }
            if matches!(decorator, Value::Function(_) | Value::External(_)) {
                self.note_foreign_route_decorator(frame, node, &current, site);
            }
            if !crate::flask_api::apply_decorator(self, frame, &decorator, &current, &below, site) {
                if let Value::Function(gate) = &decorator {
                    if crate::access_gates::gate_redirects(gate.def).is_some() {
                        self.gate_sites.insert((frame.module, site.line));
                    }
                }
                below.insert(
                    0,
                    DecoratorInfo {
                        name: decorator_name(self, frame.module, &node.expression),
                        module: frame.module,
                        line: site.line,
                    },
                );
            }
        }
        if let Value::Function(f) = &value {
            *f.decorators.borrow_mut() = below;
        }
        current
    }

    /// `@something.route("/logs")` where `something` is not a Flask object
    /// but project or library code (OctoPrint's
    /// `@BlueprintPlugin.route(...)`): a route declared through a framework
    /// Retort does not model, kept as an unresolved route so it is not lost.
    fn note_foreign_route_decorator(
        &mut self,
        frame: &Frame<'p>,
        node: &'p ast::Decorator,
        view: &Value<'p>,
        site: Site,
    ) {
        const ROUTE_DECORATORS: &[&str] = &["route", "get", "post", "put", "patch", "delete"];
        let Expr::Call(call) = &node.expression else { return };
        let Expr::Attribute(attr) = &*call.func else { return };
        let Some(Expr::StringLiteral(rule)) = call.arguments.args.first() else { return };
        let rule = rule.value.to_str();
        if !ROUTE_DECORATORS.contains(&attr.attr.as_str()) || !rule.starts_with('/') {
            return;
        }
        let source = self.source_text(frame.module, node.expression.range());
        let view = match view {
            Value::Function(f) => Some(format!("{}:{}", self.project.module(f.module).name, f.qualname)),
            _ => None,
        };
        self.loose.push(LooseRegistration {
            rule: Some(rule.to_string()),
            reason: format!("declared with `{source}`, a route decorator of code Retort does not model as Flask"),
            site,
            view,
        });
    }

    fn define_class(&mut self, frame: &mut Frame<'p>, def: &'p ast::StmtClassDef) {
        let mut bases = Vec::new();
        if let Some(arguments) = &def.arguments {
            for base in arguments.args.iter() {
                bases.push(self.eval(frame, base));
            }
        }
        let qualname = self.qualified(frame, def.name.as_str());
        let mut body_frame = Frame {
            module: frame.module,
            locals: frame.locals.clone(),
            closure: frame.closure.clone(),
            qualname: qualname.clone(),
            returned: None,
            returned_conditionally: false,
            conditions_base: 0,
            stopped: false,
            loop_exit: None,
            class_ns: Some(HashMap::default()),
            yields: None,
            config_chosen: Vec::new(),
        };
        self.exec_body(&mut body_frame, &def.body);
        let attrs = body_frame.class_ns.take().unwrap_or_default();
        let decorators = def
            .decorator_list
            .iter()
            .map(|d| DecoratorInfo {
                name: decorator_name(self, frame.module, &d.expression),
                module: frame.module,
                line: self.site(frame.module, d.range()).line,
            })
            .collect();
        let class =
            Rc::new(ClassValue { module: frame.module, def, qualname, bases, attrs: RefCell::new(attrs), decorators });
        if class.external_bases().iter().any(|b| crate::flask_api::canonical(b) == "flask.Flask") {
            self.flask_subclasses.insert(def.name.to_string());
        }
        let mut value = Value::Class(class);
        let evaluated: Vec<(Value<'p>, &'p ast::Decorator)> =
            def.decorator_list.iter().map(|d| (self.eval(frame, &d.expression), d)).collect();
        for (decorator, node) in evaluated.into_iter().rev() {
            let site = self.site(frame.module, node.range());
            // A project class decorator that registers the class (Specter's
            // `@rest_resource` calling `api.add_resource(cls, *cls.endpoints)`).
            if let Value::Function(function) = &decorator {
                if self.registers_transitively(function.def) {
                    let made = self
                        .call_function(function, &CallArgs { positional: vec![value.clone()], keywords: Vec::new() });
                    if matches!(made, Value::Class(_)) {
                        value = made;
                    }
                    continue;
                }
            }
            crate::flask_api::apply_decorator(self, frame, &decorator, &value, &[], site);
        }
        if let Value::Class(c) = &value {
            value = Value::Class(c.clone());
        }
        self.bind(frame, def.name.as_str(), value);
    }

    // ----- calls -------------------------------------------------------------

    /// Names a function body calls or refers to (`app.route`, `Flask(`), once per function.
    pub(crate) fn referenced_names(&mut self, def: &'p ast::StmtFunctionDef) -> Rc<HashSet<&'p str>> {
        self.referenced
            .entry(def as *const _)
            .or_insert_with(|| Rc::new(crate::syntax::referenced_names(&def.body)))
            .clone()
    }

    /// Takes [`Self::referenced_names`] computed ahead of time (on another
    /// thread) for functions not asked about yet: the same sets, sooner.
    pub(crate) fn add_referenced_names(&mut self, names: Vec<(&'p ast::StmtFunctionDef, HashSet<&'p str>)>) {
        for (def, names) in names {
            self.referenced.entry(def as *const _).or_insert_with(|| Rc::new(names));
        }
    }

    /// Whether a function's body registers anything Flask-related (or is
    /// short enough to be worth following for its return value).
    /// A long function that only calls other project functions (an
    /// initialiser's `init_views` calling `self.register_x_views()` forty
    /// times) is relevant when one of those registers something.
    fn is_relevant(&mut self, def: &'p ast::StmtFunctionDef) -> bool {
        def.body.len() <= 12 || self.registers_transitively(def)
    }

    /// Whether a function's body, or a project function it refers to by
    /// name (transitively), calls a registration name. Names stand for
    /// every project function or method so called: an over-approximation,
    /// as following a function that registers nothing only costs time.
    fn registers_transitively(&mut self, root: &'p ast::StmtFunctionDef) -> bool {
        if let Some(&known) = self.registers.get(&(root as *const _)) {
            return known;
        }
        if self.functions_by_name.is_none() {
            self.functions_by_name = Some(crate::syntax::functions_by_name(self.project));
        }
        let mut visited: HashSet<*const ast::StmtFunctionDef> = HashSet::default();
        let mut pending = vec![root];
        let mut found = false;
        while let Some(def) = pending.pop() {
            if !visited.insert(def as *const _) {
                continue;
            }
            if self.registers.get(&(def as *const _)) == Some(&true) {
                found = true;
                break;
            }
            let names = self.referenced_names(def);
            if REGISTRATION_NAMES.iter().any(|name| names.contains(*name)) {
                self.registers.insert(def as *const _, true);
                found = true;
                break;
            }
            let index = self.functions_by_name.as_ref().expect("built above");
            for name in names.iter() {
                if let Some(defs) = index.get(name) {
                    pending.extend(defs.iter().copied());
                }
            }
        }
        // Without a find, nothing reachable registers: all visited are known.
        // With one, only the root is (the others may have been cut short).
        if found {
            self.registers.insert(root as *const _, true);
        } else {
            for def in visited {
                self.registers.insert(def, false);
            }
        }
        found
    }

    /// Starts a top-level unit (a module and its imports, an entry point)
    /// with a fresh step budget.
    fn start_unit(&mut self) {
        self.most_steps = self.most_steps.max(self.steps.min(MAX_STEPS));
        self.steps = 0;
        self.budget_reported = false;
        self.loop_iterations.clear();
    }

    /// The unit ran out of statements: reported once, where it happened.
    fn out_of_budget(&mut self, site: Site, running: &str) {
        self.budget_exhausted = true;
        self.most_steps = MAX_STEPS;
        if self.budget_reported {
            return;
        }
        self.budget_reported = true;
        let running = running.trim_end_matches(".<locals>");
        let what = if running.is_empty() { "module body".to_string() } else { format!("`{running}`") };
        let reason = format!(
            "step budget of {MAX_STEPS} statements per unit exhausted in {what}: the rest of this unit is not evaluated"
        );
        self.record_stop("step_budget", reason, None, site);
    }

    /// A loop over more items than are unrolled.
    /// A loop over more than [`MAX_LOOP_ITERATIONS`] items, unrolled for
    /// those only; or one reached so often that it ran out of its share
    /// ([`MAX_LOOP_STATEMENT_ITERATIONS`]) of the unit.
    fn loop_bound_stop(&mut self, frame: &Frame<'p>, iterable: TextRange, reached_again: bool) {
        let text = self.source_text(frame.module, iterable);
        let site = self.site(frame.module, iterable);
        let reason = if reached_again {
            format!("loop over `{text}` ran {MAX_LOOP_STATEMENT_ITERATIONS} iterations in this unit (it is reached again and again): its further iterations are not evaluated")
        } else {
            format!("loop over `{text}` (more than {MAX_LOOP_ITERATIONS} items) unrolled for its first {MAX_LOOP_ITERATIONS} only")
        };
        self.record_stop("loop_bound", reason, None, site);
    }

    fn def_site(&self, function: &FunctionValue<'p>) -> Site {
        self.site(function.module, function.def.range())
    }

    /// Records where and why the interpreter did not follow something.
    pub(crate) fn record_stop(
        &mut self,
        kind: &'static str,
        reason: String,
        function: Option<&FunctionValue<'p>>,
        site: Site,
    ) {
        let function = function
            .map(|f| format!("{}:{}", self.project.module(f.module).name, f.qualname.trim_end_matches(".<locals>")));
        // Without a function, the reason tells stops on one line apart.
        if self.stop_keys.insert((kind, site, function.clone().unwrap_or_else(|| reason.clone()))) {
            self.stops.push(StopRecord { kind, reason, function, site });
        }
    }

    /// Calls a project function with bound arguments.
    pub(crate) fn call_function(&mut self, function: &Rc<FunctionValue<'p>>, call: &CallArgs<'p>) -> Value<'p> {
        let def = function.def;
        self.called.insert(def as *const _);
        // Calls count against the step budget like statements: default
        // arguments are evaluated per call, and calls nested in them can
        // branch exponentially (found by fuzzing).
        self.steps += 1;
        let site = self.call_site.unwrap_or_else(|| self.def_site(function));
        if self.steps > MAX_STEPS {
            self.out_of_budget(site, &function.qualname);
            return Value::unknown(format!("`{}()` called beyond the step budget", function.qualname));
        }
        if self.call_depth >= MAX_CALL_DEPTH {
            let reason = format!("call chain deeper than {MAX_CALL_DEPTH} at `{}`", function.qualname);
            self.record_stop("call_depth", reason.clone(), Some(function), site);
            return Value::unknown(reason);
        }
        if !self.is_relevant(def) {
            return Value::unknown(format!("result of `{}()`", function.qualname));
        }
        // A method may recurse through other receivers (a blueprint's
        // `register` registering its children); the same receiver may not.
        let receiver = match &function.bound_self {
            Some(Value::Object(id)) => id + 1,
            Some(Value::Instance(instance)) => Rc::as_ptr(instance) as *const u8 as usize,
            Some(Value::Class(class)) => Rc::as_ptr(class) as *const u8 as usize,
            _ => 0,
        };
        // Closures made by different calls of their factory are different
        // functions (`create_app_factory` returning one `_create_app` per app).
        let closure = function.closure.as_ref().map_or(0, |c| Rc::as_ptr(c) as *const u8 as usize);
        let activation = (def as *const _, receiver, closure);
        if self.active.contains(&activation) {
            let reason = format!("recursive call of `{}` (followed once)", function.qualname);
            self.record_stop("recursion", reason.clone(), Some(function), site);
            return Value::unknown(reason);
        }
        let mut frame = self.function_frame(function, call);
        self.call_depth += 1;
        self.active.push(activation);
        let outer_site = self.call_site.take();
        let conditions_mark = self.conditions.len();
        self.call_stack.push(function.clone());
        self.exec_body(&mut frame, &def.body);
        self.call_stack.pop();
        self.conditions.truncate(conditions_mark);
        self.call_site = outer_site;
        self.active.pop();
        self.call_depth -= 1;
        if !self.apps_not_escaped.is_empty() {
            // What leaves the call: the result, and the locals it declared `global`.
            let mut leaving = vec![frame.returned.clone().unwrap_or(Value::None)];
            leaving.extend(frame.yields.iter().flatten().cloned());
            let locals = frame.locals.as_ref();
            leaving.extend(
                crate::syntax::global_names(&def.body)
                    .into_iter()
                    .filter_map(|n| locals.and_then(|l| l.get(n)).cloned()),
            );
            self.apps_leaving(function, &leaving);
        }
        match (frame.returned, frame.yields) {
            (_, Some(yields)) => Value::list(yields),
            (Some(value), None) => value,
            (None, None) => Value::None,
        }
    }

    /// A new app built by the body of the running project function (not a
    /// method: `self.app = Flask(...)` keeps it).
    pub(crate) fn note_app_built(&mut self, id: ObjId) {
        let Some(function) = self.call_stack.last() else { return };
        if function.bound_self.is_some() {
            return;
        }
        let name = format!("{}:{}", self.project.module(function.module).name, function.qualname);
        let def = function.def as *const ast::StmtFunctionDef as usize;
        if let Some(app) = self.objects.app_mut(id) {
            app.built_in = Some((def, name));
            self.apps_not_escaped.push(id);
        }
    }

    /// `value` (an app, or a value holding one) reaches code or storage
    /// outside the function that built it.
    pub(crate) fn let_app_escape(&mut self, value: &Value<'p>) {
        if self.apps_not_escaped.is_empty() {
            return;
        }
        let leaving: Vec<ObjId> =
            self.apps_not_escaped.iter().copied().filter(|&id| self.holds_app(value, id, 3)).collect();
        for id in leaving {
            if let Some(app) = self.objects.app_mut(id) {
                app.escapes = true;
            }
            self.apps_not_escaped.retain(|&other| other != id);
        }
    }

    /// The end of a call of `function`: the apps its body built leave it
    /// when it returns or yields them (or a function, which may close over
    /// them) or keeps them in a global of its module (`global app`).
    fn apps_leaving(&mut self, function: &Rc<FunctionValue<'p>>, leaving: &[Value<'p>]) {
        let def = function.def as *const ast::StmtFunctionDef as usize;
        let built_here: Vec<ObjId> = self
            .apps_not_escaped
            .iter()
            .copied()
            .filter(|&id| matches!(self.objects.get(id), crate::objects::Object::App(app) if app.built_in.as_ref().map(|b| b.0) == Some(def)))
            .collect();
        if built_here.is_empty() {
            return;
        }
        let globals: Vec<Value<'p>> = self.globals_of(function.module).into_iter().map(|(_, v)| v).collect();
        let returns_code =
            leaving.iter().any(|v| matches!(v, Value::Function(_) | Value::Partial(_) | Value::Instance(_)));
        for id in built_here {
            if returns_code
                || leaving.iter().any(|v| self.holds_app(v, id, 3))
                || globals.iter().any(|g| self.holds_app(g, id, 2))
            {
                self.let_app_escape(&Value::Object(id));
            }
        }
    }

    /// Whether `value` is the app `id` or holds it in a list, tuple, dict,
    /// instance attribute or a library object's attribute (connexion's
    /// `FlaskApp.app`), looking `depth` levels down.
    fn holds_app(&self, value: &Value<'p>, id: ObjId, depth: usize) -> bool {
        match value {
            Value::Object(other) if *other == id => true,
            _ if depth == 0 => false,
            Value::Object(other) => self
                .object_attrs
                .get(other)
                .is_some_and(|attrs| attrs.values().any(|v| self.holds_app(v, id, depth - 1))),
            Value::List(items) => items.borrow().iter().any(|v| self.holds_app(v, id, depth - 1)),
            Value::Tuple(items) => items.iter().any(|v| self.holds_app(v, id, depth - 1)),
            Value::Dict(items) => {
                items.borrow().iter().any(|(k, v)| self.holds_app(k, id, depth - 1) || self.holds_app(v, id, depth - 1))
            }
            Value::Instance(instance) => instance.borrow().attrs.values().any(|v| self.holds_app(v, id, depth - 1)),
            Value::Method(receiver, _) => self.holds_app(receiver, id, depth - 1),
            _ => false,
        }
    }

    /// A frame for running `function` with the arguments of `call` bound.
    fn function_frame(&mut self, function: &Rc<FunctionValue<'p>>, call: &CallArgs<'p>) -> Frame<'p> {
        let def = function.def;
        let mut locals = HashMap::default();
        let params = &def.parameters;
        let mut positional = call.positional.iter();
        let mut defaults_frame = Frame::module_level(function.module);
        let mut ordered: Vec<&'p ast::ParameterWithDefault> =
            params.posonlyargs.iter().chain(params.args.iter()).collect();
        if let Some(receiver) = &function.bound_self {
            if let Some(first) = ordered.first() {
                locals.insert(first.parameter.name.to_string(), receiver.clone());
                ordered.remove(0);
            }
        }
        for param in ordered {
            let name = param.parameter.name.as_str();
            let value = match positional.next() {
                Some(v) => v.clone(),
                None => match call.keyword(name) {
                    Some(v) => v.clone(),
                    None => match &param.default {
                        Some(default) => self.eval(&mut defaults_frame, default),
                        None => self.command_line_default(function, name, &mut defaults_frame).unwrap_or_else(|| {
                            Value::unknown(format!("argument `{name}` of `{}` not given", function.qualname))
                        }),
                    },
                },
            };
            locals.insert(name.to_string(), value);
        }
        if let Some(vararg) = &params.vararg {
            locals.insert(vararg.name.to_string(), Value::Tuple(Rc::new(positional.cloned().collect())));
        }
        for param in params.kwonlyargs.iter() {
            let name = param.parameter.name.as_str();
            let value = match call.keyword(name) {
                Some(v) => v.clone(),
                None => match &param.default {
                    Some(default) => self.eval(&mut defaults_frame, default),
                    None => Value::unknown(format!("argument `{name}` not given")),
                },
            };
            locals.insert(name.to_string(), value);
        }
        if let Some(kwarg) = &params.kwarg {
            let known: HashSet<&str> = params
                .posonlyargs
                .iter()
                .chain(params.args.iter())
                .chain(params.kwonlyargs.iter())
                .map(|p| p.parameter.name.as_str())
                .collect();
            let extra = call
                .keywords
                .iter()
                .filter(|(k, _)| !known.contains(k.as_str()))
                .map(|(k, v)| (Value::str(k), v.clone()))
                .collect();
            locals.insert(kwarg.name.to_string(), Value::Dict(Rc::new(RefCell::new(extra))));
        }
        Frame::for_call(
            function.module,
            locals,
            function.closure.clone(),
            [&function.qualname, ".<locals>"].concat(),
            self.conditions.len(),
        )
    }

    /// Calls a lambda: its parameters bound as a function's are, its body
    /// evaluated in the locals it closes over.
    fn call_lambda(&mut self, lambda: &Rc<crate::value::LambdaValue<'p>>, call: &CallArgs<'p>) -> Value<'p> {
        self.steps += 1;
        if self.steps > MAX_STEPS || self.call_depth >= MAX_CALL_DEPTH {
            return Value::unknown("a lambda called beyond the step budget or call depth");
        }
        let mut locals = HashMap::default();
        let mut defaults_frame = Frame::module_level(lambda.module);
        if let Some(params) = &lambda.def.parameters {
            let mut positional = call.positional.iter();
            for param in params.posonlyargs.iter().chain(params.args.iter()).chain(params.kwonlyargs.iter()) {
                let name = param.parameter.name.as_str();
                let is_keyword_only = params.kwonlyargs.iter().any(|p| std::ptr::eq(p, param));
                let value = match (if is_keyword_only { None } else { positional.next() }, call.keyword(name)) {
                    (Some(v), _) | (None, Some(v)) => v.clone(),
                    (None, None) => match &param.default {
                        Some(default) => self.eval(&mut defaults_frame, default),
                        None => Value::unknown(format!("argument `{name}` of a lambda not given")),
                    },
                };
                locals.insert(name.to_string(), value);
            }
            if let Some(vararg) = &params.vararg {
                locals.insert(vararg.name.to_string(), Value::Tuple(Rc::new(positional.cloned().collect())));
            }
            if let Some(kwarg) = &params.kwarg {
                locals.insert(kwarg.name.to_string(), Value::Dict(Rc::new(RefCell::new(Vec::new()))));
            }
        }
        let mut frame =
            Frame::for_call(lambda.module, locals, lambda.closure.clone(), "<lambda>".into(), self.conditions.len());
        self.call_depth += 1;
        let value = self.eval(&mut frame, &lambda.def.body);
        self.call_depth -= 1;
        value
    }

    /// A parameter of a command-line command that nobody calls in the
    /// project (`@click.option("--url-prefix", default="")`): click's default
    /// for the option, as an assumption listed in `stops` (`default_assumed`).
    fn command_line_default(
        &mut self,
        function: &FunctionValue<'p>,
        param: &str,
        frame: &mut Frame<'p>,
    ) -> Option<Value<'p>> {
        for decorator in &function.def.decorator_list {
            let Expr::Call(call) = &decorator.expression else { continue };
            let kind = match &*call.func {
                Expr::Attribute(attr) => attr.attr.as_str(),
                Expr::Name(name) => name.id.as_str(),
                _ => continue,
            };
            if kind != "option" {
                continue;
            }
            let declared = crate::command_line::string_arguments(call);
            if crate::command_line::click_parameter_name(&declared).as_deref() != Some(param) {
                continue;
            }
            let default = call.arguments.find_keyword("default").map(|k| self.eval(frame, &k.value));
            let is_flag = call.arguments.find_keyword("is_flag").is_some();
            let value = match default {
                Some(value) => value,
                None if is_flag => Value::Bool(false),
                None => Value::None,
            };
            let option =
                declared.iter().find(|d| d.starts_with("--")).or(declared.first()).map_or(param, String::as_str);
            let site = self.site(function.module, decorator.range());
            return Some(self.assumed_default(&format!("command-line option {option} is not given"), value, site));
        }
        None
    }

    /// A run-time input the project gives a default (`os.environ.get("X",
    /// "/x")`, a command-line option's `default=`). A string default is
    /// taken where a URL prefix, a rule or a module name needs a string (the
    /// routes carry the assumption as a condition, and `stops` lists it as
    /// `default_assumed` at the read, see `note_assumption_used`); tests on the
    /// value stay open (both branches, as for any run-time value), because
    /// deployments set such inputs. Other defaults leave the value unknown.
    pub(crate) fn assumed_default(&mut self, what: &str, default: Value<'p>, site: Site) -> Value<'p> {
        let Value::Str(text) = &default else {
            return Value::unknown(format!("{what} known only at run time"));
        };
        let shown = repr(&default).unwrap_or_default();
        let assumption = format!("{what}: its default {shown} is assumed where a URL or module name needs it");
        self.assumed_at.insert(assumption.clone(), site);
        Value::Unknown(Rc::new(crate::value::Unknown {
            config_default: Some(Rc::new(crate::value::ConfigDefault { value: text.to_string(), assumption })),
            ..crate::value::Unknown::new(format!("{what} known only at run time"))
        }))
    }

    /// A helper given run-time inputs with project defaults
    /// (`normalise(os.environ.get("PREFIX", "/x"))`) whose result is unknown
    /// because it branches on them: run again on the defaults, the string it
    /// returns then rests on the same assumptions. Only helpers that register
    /// nothing are run twice.
    fn call_with_defaults(&mut self, function: &Rc<FunctionValue<'p>>, call: &CallArgs<'p>) -> Option<Value<'p>> {
        let mut assumptions: Vec<String> = Vec::new();
        let mut substitute = |value: &Value<'p>| match assumed_string(value) {
            Some((default, assumption)) => {
                assumptions.push(assumption);
                default
            }
            None => value.clone(),
        };
        let defaults = CallArgs {
            positional: call.positional.iter().map(&mut substitute).collect(),
            keywords: call.keywords.iter().map(|(k, v)| (k.clone(), substitute(v))).collect(),
        };
        if assumptions.is_empty() {
            return None;
        }
        let names = self.referenced_names(function.def);
        if REGISTRATION_NAMES.iter().any(|name| names.contains(*name)) {
            return None;
        }
        let Value::Str(text) = self.call_function(function, &defaults) else { return None };
        Some(Value::Unknown(Rc::new(crate::value::Unknown {
            config_default: Some(Rc::new(crate::value::ConfigDefault {
                value: text.to_string(),
                assumption: assumptions.join("; "),
            })),
            ..crate::value::Unknown::new(format!("`{}()` of a run-time input", function.qualname))
        })))
    }

    /// A project getter of run-time settings given a collection default
    /// (`config_get_list("api", "endpoints", default=[])`) whose result is
    /// known only at run time: the default is taken, as a server without
    /// that setting runs, and listed in `stops` (`default_assumed`). Only
    /// list, tuple and dict defaults: what is iterated, not tested (a
    /// `bool` or `None` default keeps both branches open).
    fn collection_default(
        &mut self,
        function: &Rc<FunctionValue<'p>>,
        call: &CallArgs<'p>,
        site: Site,
    ) -> Option<Value<'p>> {
        let declares_default =
            function.def.parameters.iter_non_variadic_params().any(|p| p.name().as_str() == "default");
        let default = call.keywords.iter().find(|(name, _)| &**name == "default").map(|(_, value)| value)?;
        if !declares_default || !matches!(default, Value::List(_) | Value::Tuple(_) | Value::Dict(_)) {
            return None;
        }
        let shown_default = shown(default);
        let arguments: Vec<String> = call.positional.iter().filter_map(repr).collect();
        let reason = format!(
            "`{}({})` is known only at run time: its default {shown_default} is assumed",
            function.qualname,
            arguments.join(", ")
        );
        self.record_stop("default_assumed", reason, None, site);
        Some(default.clone())
    }

    /// A run-time default was taken for a URL or module name: listed in
    /// `stops` (`default_assumed`) where it was read.
    pub(crate) fn note_assumption_used(&mut self, assumption: &str) {
        for part in assumption.split("; ") {
            if let Some(site) = self.assumed_at.get(part).copied() {
                self.record_stop("default_assumed", part.to_string(), None, site);
            }
        }
    }

    /// `args.web_base_path` of `args = parser.parse_args()`: the default the
    /// project declares for that option (see `command_line`), else unknown.
    fn parsed_argument(&mut self, name: &str, site: Site) -> Value<'p> {
        let project = self.project;
        let defaults = self.argument_defaults.get_or_insert_with(|| Rc::new(ArgumentDefaults::of(project))).clone();
        let Some((option, literal)) = defaults.default_of(name) else {
            return Value::unknown(format!("command-line option `{name}`, known only at run time"));
        };
        let value = match literal {
            Literal::None => Value::None,
            Literal::Bool(b) => Value::Bool(*b),
            Literal::Int(i) => Value::Int(*i),
            Literal::Str(s) => Value::str(s),
        };
        self.assumed_default(&format!("command-line option {option} is not given"), value, site)
    }

    fn eval_call_args(&mut self, frame: &mut Frame<'p>, arguments: &'p ast::Arguments) -> CallArgs<'p> {
        let mut call = CallArgs::default();
        for arg in arguments.args.iter() {
            match arg {
                Expr::Starred(starred) => {
                    let value = self.eval(frame, &starred.value);
                    match value.iter_items() {
                        Some(items) => call.positional.extend(items),
                        None => call.positional.push(Value::unknown(format!(
                            "`*{}`",
                            self.source_text(frame.module, starred.value.range())
                        ))),
                    }
                }
                other => {
                    let value = self.eval(frame, other);
                    call.positional.push(value);
                }
            }
        }
        for keyword in arguments.keywords.iter() {
            let value = self.eval(frame, &keyword.value);
            match &keyword.arg {
                Some(name) => call.keywords.push((name.to_string(), value)),
                None => {
                    if let Value::Dict(items) = &value {
                        for (k, v) in items.borrow().iter() {
                            if let Some(k) = k.as_str() {
                                call.keywords.push((k.to_string(), v.clone()));
                            }
                        }
                    }
                }
            }
        }
        call
    }

    fn eval_call(&mut self, frame: &mut Frame<'p>, call_expr: &'p ast::ExprCall) -> Value<'p> {
        let mark = self.config_reads.len();
        let callee = self.eval(frame, &call_expr.func);
        // `config.get("INITIALIZER", Default)(app)`, or a call through a name
        // bound to such a choice: the call rests on that config.
        let mut chosen_by_config = match &callee {
            Value::Class(_) | Value::Function(_) => self.take_config_reads(mark, false),
            _ => None,
        };
        if chosen_by_config.is_none() && !frame.config_chosen.is_empty() {
            let mut root = &*call_expr.func;
            while let Expr::Attribute(attr) = root {
                root = &attr.value;
            }
            if let Expr::Name(name) = root {
                chosen_by_config =
                    frame.config_chosen.iter().find(|(bound, _)| bound == name.id.as_str()).map(|(_, n)| n.clone());
            }
        }
        let call = self.eval_call_args(frame, &call_expr.arguments);
        let site = self.site(frame.module, call_expr.range());
        let outer = self.call_site.replace(site);
        let conditions_mark = self.conditions.len();
        if let Some(note) = &chosen_by_config {
            self.conditions.push(note.clone());
        }
        let value = self.call_value(frame, &callee, call, site, call_expr);
        self.conditions.truncate(conditions_mark);
        if let Some(note) = chosen_by_config {
            // For the assignment that binds the result.
            self.note_config_read(note, false);
        }
        self.call_site = outer;
        value
    }

    pub(crate) fn call_value(
        &mut self,
        frame: &mut Frame<'p>,
        callee: &Value<'p>,
        call: CallArgs<'p>,
        site: Site,
        node: &'p ast::ExprCall,
    ) -> Value<'p> {
        if let Value::External(name) = callee {
            if let Some(hook) = name.strip_prefix(crate::flask_api::PLUGGY_HOOK) {
                if let Some(results) = self.call_hook_implementations(hook, &call) {
                    return results;
                }
            }
        }
        if matches!(callee, Value::Unknown(_) | Value::External(_)) {
            if let Some(hook) = pluggy_hook_name(node) {
                if let Some(results) = self.call_hook_implementations(hook, &call) {
                    return results;
                }
            }
        }
        match callee {
            Value::Function(function) => {
                let mut result = self.call_function(function, &call);
                if matches!(&result, Value::Unknown(u) if u.config_default.is_none()) {
                    if let Some(assumed) = self.call_with_defaults(function, &call) {
                        result = assumed;
                    } else if let Some(default) = self.collection_default(function, &call, site) {
                        result = default;
                    }
                }
                // A project decorator called on a view (`require_person(view)`)
                // that returns it (through `functools.wraps`): a guard of the view.
                let same_view = match (call.positional.as_slice(), &result) {
                    ([Value::Function(a)], Value::Function(b)) => std::ptr::eq(a.def, b.def),
                    ([Value::ViewFromClass(a)], Value::ViewFromClass(b)) => Rc::ptr_eq(&a.class, &b.class),
                    _ => false,
                };
                if !same_view {
                    return result;
                }
                if crate::access_gates::gate_redirects(function.def).is_some() {
                    self.gate_sites.insert((site.module, site.line));
                }
                let decorator = DecoratorInfo { name: function.qualname.clone(), module: site.module, line: site.line };
                crate::flask_api::wrap_view(&call, decorator).unwrap_or(result)
            }
            Value::Class(class) => crate::flask_api::instantiate(self, frame, class, call, site),
            Value::Lambda(lambda) => self.call_lambda(lambda, &call),
            Value::Method(receiver, name) => self.call_method(frame, receiver, name, call, site, node),
            // A decorator called as a function: `app.route("/")(home)`,
            // `bp.errorhandler(404)(handler)`, `wraps(view)(wrapper)`.
            Value::Decorator(pending) => {
                let target = call.positional.first().cloned().unwrap_or(Value::None);
                if let crate::value::PendingDecorator::Wraps(view) = &**pending {
                    return view.clone();
                }
                crate::flask_api::apply_decorator(self, frame, callee, &target, &[], site);
                target
            }
            Value::Partial(partial) => {
                let (callee, bound) = &**partial;
                let mut merged = bound.clone();
                merged.positional.extend(call.positional);
                merged.keywords.extend(call.keywords);
                self.call_value(frame, callee, merged, site, node)
            }
            Value::External(name) => crate::flask_api::call_external(self, frame, name, call, site, node),
            // A callable instance (`app = Application(); app(argv)`) runs its
            // class's `__call__` method (only a function: an instance there
            // could call itself for ever).
            Value::Instance(instance)
                if matches!(instance.borrow().class.lookup("__call__"), Some(Value::Function(_))) =>
            {
                let class = instance.borrow().class.clone();
                let method = class.lookup("__call__").expect("checked by the guard");
                match self.bind_class_attribute(method, Some(callee), &class) {
                    Value::Function(bound) => self.call_function(&bound, &call),
                    other => Value::unknown(format!("call of {}", other.kind())),
                }
            }
            Value::Unknown(unknown) => {
                // `jwt_required()` bound to a variable: name the decorator after the call that made it.
                let made_by = unknown.reason.strip_prefix("result of `").and_then(|r| r.strip_suffix("()`"));
                let name = made_by.map_or_else(|| self.source_text(frame.module, node.func.range()), str::to_string);
                let decorator = DecoratorInfo { name, module: site.module, line: site.line };
                if let Some(view) = crate::flask_api::wrap_view(&call, decorator) {
                    return view;
                }
                crate::flask_api::note_unknown_call(self, frame, node, &call, &unknown.reason, site);
                if !unknown.library {
                    self.note_unfollowed_call(frame, node, &call, &unknown.reason, site);
                }
                let reason = format!("result of calling `{}`", self.source_text(frame.module, node.func.range()));
                let parsed_arguments = match &*node.func {
                    Expr::Attribute(attr) => matches!(attr.attr.as_str(), "parse_args" | "parse_known_args"),
                    _ => false,
                };
                let result = Value::Unknown(Rc::new(crate::value::Unknown {
                    library: unknown.library,
                    parsed_arguments,
                    ..crate::value::Unknown::new(reason)
                }));
                match &*node.func {
                    // `options, rest = parser.parse_known_args()`
                    Expr::Attribute(attr) if attr.attr.as_str() == "parse_known_args" => {
                        Value::Tuple(Rc::new(vec![result, Value::unknown("arguments left over by `parse_known_args`")]))
                    }
                    _ => result,
                }
            }
            other => Value::unknown(format!("call of {}", other.kind())),
        }
    }

    /// A call of something not known statically that receives an app, a
    /// blueprint or an extension object: whatever it registers is missing,
    /// so the catalog says where.
    fn note_unfollowed_call(
        &mut self,
        frame: &Frame<'p>,
        node: &'p ast::ExprCall,
        call: &CallArgs<'p>,
        reason: &str,
        site: Site,
    ) {
        use crate::objects::Object;
        let receives = call.positional.iter().chain(call.keywords.iter().map(|(_, v)| v)).find_map(|v| match v {
            Value::Object(id) => match self.objects.get(*id) {
                Object::App(_) => Some("an app"),
                Object::Blueprint(_) => Some("a blueprint"),
                Object::Api(_) | Object::Namespace(_) => Some("an API"),
                Object::Admin(_) => Some("an admin"),
                _ => None,
            },
            _ => None,
        });
        let Some(what) = receives else { return };
        let callee = self.source_text(frame.module, node.func.range());
        let reason = format!(
            "`{callee}(...)` receives {what} but is not known statically ({reason}): what it registers is missing"
        );
        self.record_stop("unknown_callee", reason, None, site);
    }

    /// `pm.hook.<name>(app=app)` (pluggy): calls every hook implementation —
    /// a function of that name at the top of a project module, not the
    /// specification (`@hookspec`) — with the call's arguments, and returns
    /// their results that are not `None` as a list, as pluggy does. `None`
    /// when the project defines no such function.
    fn call_hook_implementations(&mut self, name: &str, call: &CallArgs<'p>) -> Option<Value<'p>> {
        let is_specification = |f: &ast::StmtFunctionDef| {
            f.decorator_list.iter().any(|d| {
                let marker = match &d.expression {
                    ast::Expr::Call(c) => &*c.func,
                    other => other,
                };
                match marker {
                    ast::Expr::Name(n) => n.id.as_str().ends_with("spec"),
                    ast::Expr::Attribute(a) => a.attr.as_str().ends_with("spec"),
                    _ => false,
                }
            })
        };
        let implementations: Vec<ModuleId> = (0..self.project.modules.len())
            .filter(|&id| {
                self.project.module(id).ast.body.iter().any(
                    |stmt| matches!(stmt, ast::Stmt::FunctionDef(f) if f.name.as_str() == name && !is_specification(f)),
                )
            })
            .collect();
        if implementations.is_empty() {
            return None;
        }
        let mut results = Vec::new();
        for id in implementations {
            self.run_module(id);
            if let Some(Value::Function(function)) = self.module_global(id, name) {
                match self.call_function(&function, call) {
                    Value::None => {}
                    result => results.push(result),
                }
            }
        }
        Some(Value::list(results))
    }

    fn call_method(
        &mut self,
        frame: &mut Frame<'p>,
        receiver: &Value<'p>,
        name: &str,
        call: CallArgs<'p>,
        site: Site,
        node: &'p ast::ExprCall,
    ) -> Value<'p> {
        match receiver {
            // `ep.load()`: what the entry point names, imported.
            Value::EntryPoint(entry) if matches!(name, "load" | "resolve") => {
                let target = Value::str(&entry.value);
                crate::flask_api::import_by_string(self, frame.module, Some(&target), entry.attr().is_none())
            }
            Value::Str(s) => call_str_method(s, name, &call)
                .or_else(|| crate::paths::path_method(self.project, &self.tree, s, name, &call))
                .unwrap_or_else(|| Value::unknown(format!("`str.{name}` result"))),
            Value::List(items) => {
                match name {
                    "append" => items.borrow_mut().push(call.positional.first().cloned().unwrap_or(Value::None)),
                    "extend" => match call.positional.first().and_then(Value::iter_items) {
                        Some(extra) => items.borrow_mut().extend(extra),
                        None => items.borrow_mut().push(Value::unknown("list extended with unknown items")),
                    },
                    "insert" => {
                        if let (Some(Value::Int(i)), Some(v)) = (call.positional.first(), call.positional.get(1)) {
                            let mut items = items.borrow_mut();
                            let index = (*i).clamp(0, items.len() as i64) as usize;
                            items.insert(index, v.clone());
                        }
                    }
                    "copy" => return Value::list(items.borrow().clone()),
                    // Sets are lists here; `add` keeps them free of duplicates.
                    "add" => {
                        let item = call.positional.first().cloned().unwrap_or(Value::None);
                        let present =
                            items.borrow().iter().any(|v| v.equals(&item) == Some(true) || v.same_object(&item));
                        if !present {
                            items.borrow_mut().push(item);
                        }
                    }
                    _ => return Value::unknown(format!("`list.{name}` result")),
                }
                Value::None
            }
            Value::Dict(items) => match name {
                "get" => {
                    let key = call.positional.first().cloned().unwrap_or(Value::None);
                    let found =
                        items.borrow().iter().find(|(k, _)| k.equals(&key) == Some(true)).map(|(_, v)| v.clone());
                    found.unwrap_or_else(|| call.positional.get(1).cloned().unwrap_or(Value::None))
                }
                "items" => Value::list(
                    items.borrow().iter().map(|(k, v)| Value::Tuple(Rc::new(vec![k.clone(), v.clone()]))).collect(),
                ),
                "keys" => Value::list(items.borrow().iter().map(|(k, _)| k.clone()).collect()),
                "values" => Value::list(items.borrow().iter().map(|(_, v)| v.clone()).collect()),
                "copy" => Value::Dict(Rc::new(RefCell::new(items.borrow().clone()))),
                "setdefault" => {
                    let key = call.positional.first().cloned().unwrap_or(Value::None);
                    let found =
                        items.borrow().iter().find(|(k, _)| k.equals(&key) == Some(true)).map(|(_, v)| v.clone());
                    found.unwrap_or_else(|| {
                        let value = call.positional.get(1).cloned().unwrap_or(Value::None);
                        items.borrow_mut().push((key, value.clone()));
                        value
                    })
                }
                "pop" => {
                    let key = call.positional.first().cloned().unwrap_or(Value::None);
                    let position = items.borrow().iter().position(|(k, _)| k.equals(&key) == Some(true));
                    match position {
                        Some(index) => items.borrow_mut().remove(index).1,
                        None => call.positional.get(1).cloned().unwrap_or_else(|| Value::unknown("missing dict key")),
                    }
                }
                "update" => {
                    if let Some(Value::Dict(other)) = call.positional.first() {
                        let other = other.borrow().clone();
                        items.borrow_mut().extend(other);
                    }
                    for (k, v) in &call.keywords {
                        items.borrow_mut().push((Value::str(k), v.clone()));
                    }
                    Value::None
                }
                _ => Value::unknown(format!("`dict.{name}` result")),
            },
            Value::Object(id) => crate::flask_api::call_object_method(self, frame, *id, name, call, site, node),
            Value::Class(class) if name == "as_view" => crate::flask_api::as_view(class, &call),
            Value::Class(class)
                if name == "register" && class.lookup(name).is_none() && crate::classful::is_flask_view(class) =>
            {
                crate::classful::register(self, frame, class, &call, site)
            }
            Value::Class(class)
                if class.lookup(name).is_none()
                    && crate::flask_api::class_kind(class)
                        .is_some_and(|kind| kind.ends_with("Flask") || kind.ends_with("Blueprint")) =>
            {
                match crate::flask_api::call_unbound_library_method(self, frame, name, &call, site, node) {
                    Some(value) => value,
                    None => Value::unknown(format!("result of `{}.{name}()`", class.qualname)),
                }
            }
            Value::Class(_) | Value::Instance(_) if crate::extensions::is_fab_view_blueprint_call(receiver, name) => {
                crate::extensions::fab_create_blueprint(self, receiver, &call, site)
            }
            Value::Instance(_) if name == "as_blueprint" && crate::flask_resources::is_resource(receiver) => {
                let made = crate::flask_resources::library_method(self, frame, receiver, name, call, site, node);
                made.unwrap_or_else(|| Value::unknown("result of `Resource.as_blueprint()`"))
            }
            Value::Function(_) | Value::Class(_) | Value::Instance(_) | Value::Module(_) | Value::External(_) => {
                let attribute = self.attribute(receiver, name);
                if matches!(attribute, Value::Method(..)) && !matches!(receiver, Value::External(_)) {
                    // Inherited from a library base class: the library's business.
                    let library_method = match receiver {
                        Value::Instance(instance) => !instance.borrow().class.external_bases().is_empty(),
                        Value::Class(class) => !class.external_bases().is_empty(),
                        _ => false,
                    };
                    if let Some(value) = self.call_modelled_library_method(receiver, name, &call) {
                        return value;
                    }
                    if !library_method {
                        let why = format!("`.{name}` is not defined on {} in the scanned code", receiver.kind());
                        self.note_unfollowed_call(frame, node, &call, &why, site);
                    }
                    return Value::unknown(format!("result of `.{name}()`"));
                }
                self.call_value(frame, &attribute, call, site, node)
            }
            Value::Unknown(unknown) => {
                crate::flask_api::note_unknown_call(self, frame, node, &call, &unknown.reason, site);
                if !unknown.library {
                    self.note_unfollowed_call(frame, node, &call, &unknown.reason, site);
                }
                let reason = format!("result of `.{name}()` on an unknown value");
                Value::Unknown(Rc::new(crate::value::Unknown {
                    library: unknown.library,
                    ..crate::value::Unknown::new(reason)
                }))
            }
            other => Value::unknown(format!("`.{name}()` on {}", other.kind())),
        }
    }

    /// A `configparser` method inherited by a project subclass (see `ini`),
    /// or a marshmallow schema's `load` (see `config_schemas`).
    fn call_modelled_library_method(
        &mut self,
        receiver: &Value<'p>,
        name: &str,
        call: &CallArgs<'p>,
    ) -> Option<Value<'p>> {
        let Value::Instance(instance) = receiver else { return None };
        let class = instance.borrow().class.clone();
        if matches!(name, "load" | "loads") && crate::config_schemas::is_marshmallow_schema(&class) {
            return Some(crate::config_schemas::load(&class));
        }
        if !crate::ini::is_config_parser(&class) {
            return None;
        }
        let key = Rc::as_ptr(instance) as *const u8 as usize;
        crate::ini::call(self, key, name, call)
    }

    // ----- expressions -------------------------------------------------------

    /// Attribute access on a value.
    /// A function found on a class, bound as Python would: methods to the
    /// instance, classmethods to the class, properties evaluated.
    fn bind_class_attribute(
        &mut self,
        found: Value<'p>,
        instance: Option<&Value<'p>>,
        class: &Rc<ClassValue<'p>>,
    ) -> Value<'p> {
        let Value::Function(f) = &found else { return found };
        let decorators: Vec<String> = f.decorators.borrow().iter().map(|d| d.name.clone()).collect();
        let has = |name: &str| decorators.iter().any(|d| d == name || d.ends_with(&format!(".{name}")));
        let receiver = if has("staticmethod") {
            return found;
        } else if has("classmethod") {
            Value::Class(class.clone())
        } else if let Some(instance) = instance {
            instance.clone()
        } else {
            return found;
        };
        let bound = f.bound_to(receiver);
        if instance.is_some() && (has("property") || has("cached_property")) {
            return self.call_function(&bound, &CallArgs::default());
        }
        Value::Function(bound)
    }

    /// Attribute access on a value.
    pub(crate) fn attribute(&mut self, receiver: &Value<'p>, name: &str) -> Value<'p> {
        match receiver {
            Value::Module(id) if name == "__dict__" => {
                self.run_module(*id);
                let items = self.globals_of(*id).into_iter().map(|(k, v)| (Value::str(k), v)).collect();
                Value::Dict(Rc::new(RefCell::new(items)))
            }
            Value::Module(id) => match self.module_global(*id, name) {
                Some(value) => value,
                // A module also stands for its import spec (see `discovery`):
                // `spec.loader` is then never `None`.
                None if name == "loader" => Value::Module(*id),
                None => {
                    let full = format!("{}.{name}", self.project.module(*id).name);
                    match self.project.resolve_absolute(&full, *id) {
                        Some(sub) if self.project.module(*id).is_package => {
                            self.run_module(sub);
                            Value::Module(sub)
                        }
                        _ => Value::unknown(format!(
                            "`{name}` is not defined in {}",
                            self.project.module(*id).display_path()
                        )),
                    }
                }
            },
            Value::External(base) => {
                let dotted = format!("{base}.{name}");
                crate::paths::constant(&dotted).unwrap_or_else(|| Value::External(Rc::from(dotted)))
            }
            Value::Str(path) if let Some(value) = crate::paths::path_attribute(path, name) => value,
            // A member of a `str` enum stands as its string (see `enum_member`).
            Value::Str(_) if name == "value" => receiver.clone(),
            Value::Instance(instance) => {
                let found = instance.borrow().attrs.get(name).cloned();
                match found {
                    Some(v) => v,
                    None => {
                        let class = instance.borrow().class.clone();
                        match class.lookup(name) {
                            Some(v) => self.bind_class_attribute(v, Some(receiver), &class),
                            None if name == "__class__" => Value::Class(class),
                            // Modelled library methods, called through `call_method`.
                            None if crate::extensions::is_fab_view_blueprint_call(receiver, name)
                                || crate::ini::is_config_parser(&class)
                                || name == "as_blueprint" && crate::flask_resources::is_resource(receiver)
                                || matches!(name, "load" | "loads")
                                    && crate::config_schemas::is_marshmallow_schema(&class) =>
                            {
                                Value::Method(Rc::new(receiver.clone()), Rc::from(name))
                            }
                            None => {
                                let reason = format!("attribute `{name}` of a `{}` instance", class.qualname);
                                // Inherited from a library base class: the library's.
                                let library = !class.external_bases().is_empty();
                                Value::Unknown(Rc::new(crate::value::Unknown {
                                    library,
                                    ..crate::value::Unknown::new(reason)
                                }))
                            }
                        }
                    }
                }
            }
            // The class's own namespace, in the order the body defines it
            // (`for name, meth in backend_class.__dict__.items()`).
            Value::Class(class) if name == "__dict__" => {
                let attrs = class.attrs.borrow();
                let mut names: Vec<&str> = Vec::new();
                for stmt in &class.def.body {
                    let defined: Vec<&str> = match stmt {
                        Stmt::FunctionDef(def) => vec![def.name.as_str()],
                        Stmt::ClassDef(def) => vec![def.name.as_str()],
                        Stmt::Assign(assign) => {
                            assign.targets.iter().filter_map(|t| t.as_name_expr().map(|n| n.id.as_str())).collect()
                        }
                        Stmt::AnnAssign(assign) => {
                            assign.target.as_name_expr().map(|n| n.id.as_str()).into_iter().collect()
                        }
                        _ => Vec::new(),
                    };
                    for name in defined {
                        if attrs.contains_key(name) && !names.contains(&name) {
                            names.push(name);
                        }
                    }
                }
                let mut rest: Vec<&str> = attrs.keys().map(String::as_str).filter(|n| !names.contains(n)).collect();
                rest.sort_unstable();
                names.extend(rest);
                let items = names.into_iter().map(|n| (Value::str(n), attrs[n].clone())).collect();
                Value::Dict(Rc::new(RefCell::new(items)))
            }
            Value::Class(class) => match class.lookup(name) {
                Some(v) if let Some(member) = enum_member(class, name, &v) => member,
                Some(v) => self.bind_class_attribute(v, None, class),
                None if name == "__name__" => Value::str(class.name()),
                None => Value::Method(Rc::new(receiver.clone()), Rc::from(name)),
            },
            Value::Function(f) if let Some(value) = f.attrs.borrow().get(name) => value.clone(),
            Value::Function(f) if name == "__name__" => Value::str(f.def.name.as_str()),
            // `View.as_view(name)` returns a function named `name` that
            // keeps its class as `view_class`.
            Value::ViewFromClass(view) if name == "__name__" => match &view.name {
                Ok(text) => Value::str(text),
                Err(unknown) => Value::Unknown(Rc::new(unknown.clone())),
            },
            Value::ViewFromClass(view) if name == "view_class" => Value::Class(view.class.clone()),
            Value::Object(id) => {
                if let Some(value) = self.object_attrs.get(id).and_then(|attrs| attrs.get(name)).cloned() {
                    return value;
                }
                if let Some(class) = self.object_class.get(id).cloned() {
                    if let Some(found) = class.lookup(name) {
                        return self.bind_class_attribute(found, Some(receiver), &class);
                    }
                }
                crate::flask_api::object_attribute(self, *id, name)
            }
            Value::Unknown(unknown) => Value::Unknown(unknown.clone()),
            Value::EntryPoint(entry) => match name {
                "name" => Value::str(&entry.name),
                "group" => Value::str(&entry.group),
                "value" => Value::str(&entry.value),
                "module" => Value::str(entry.module()),
                "attr" => entry.attr().map(Value::str).unwrap_or(Value::None),
                _ => Value::Method(Rc::new(receiver.clone()), Rc::from(name)),
            },
            _ => Value::Method(Rc::new(receiver.clone()), Rc::from(name)),
        }
    }

    pub(crate) fn eval(&mut self, frame: &mut Frame<'p>, expr: &'p Expr) -> Value<'p> {
        if self.expr_depth >= MAX_EXPR_DEPTH {
            return Value::unknown("expression nested too deeply to evaluate");
        }
        self.expr_depth += 1;
        let value = self.eval_inner(frame, expr);
        self.expr_depth -= 1;
        value
    }

    fn eval_inner(&mut self, frame: &mut Frame<'p>, expr: &'p Expr) -> Value<'p> {
        match expr {
            Expr::StringLiteral(s) => Value::str(s.value.to_str()),
            Expr::NumberLiteral(n) => match &n.value {
                Number::Int(i) => i.as_i64().map(Value::Int).unwrap_or_else(|| Value::unknown("big integer")),
                Number::Float(f) => Value::Float(*f),
                Number::Complex { .. } => Value::unknown("complex number"),
            },
            Expr::BooleanLiteral(b) => Value::Bool(b.value),
            Expr::NoneLiteral(_) => Value::None,
            Expr::FString(f) => self.eval_fstring(frame, f),
            Expr::Name(name) => {
                if name.id.as_str() == "__name__" && frame.class_ns.is_none() {
                    return Value::str(&self.project.module(frame.module).name);
                }
                let value = self.lookup(frame, name.id.as_str());
                self.in_app_context(value)
            }
            Expr::Attribute(attr) => {
                let receiver = self.eval(frame, &attr.value);
                if matches!(&receiver, Value::Unknown(unknown) if unknown.parsed_arguments) {
                    let site = self.site(frame.module, attr.range());
                    return self.parsed_argument(attr.attr.as_str(), site);
                }
                let value = self.attribute(&receiver, attr.attr.as_str());
                self.in_app_context(value)
            }
            Expr::Call(call) => self.eval_call(frame, call),
            Expr::List(list) => Value::list(self.eval_elements(frame, &list.elts)),
            Expr::Tuple(tuple) => Value::Tuple(Rc::new(self.eval_elements(frame, &tuple.elts))),
            Expr::Set(set) => Value::list(self.eval_elements(frame, &set.elts)),
            Expr::Dict(dict) => {
                let mut items = Vec::new();
                for item in &dict.items {
                    let value = self.eval(frame, &item.value);
                    match &item.key {
                        Some(key) => {
                            let key = self.eval(frame, key);
                            items.push((key, value));
                        }
                        None => {
                            if let Value::Dict(other) = value {
                                items.extend(other.borrow().iter().cloned());
                            }
                        }
                    }
                }
                Value::Dict(Rc::new(RefCell::new(items)))
            }
            Expr::BinOp(bin) => {
                let left = self.eval(frame, &bin.left);
                let right = self.eval(frame, &bin.right);
                match (assumed_string(&left), assumed_string(&right)) {
                    (None, None) => binary(&left, bin.op, &right),
                    // `PREFIX + "/items"` with PREFIX a run-time input with a default.
                    (l, r) => {
                        let assumption =
                            [&l, &r].into_iter().flatten().map(|(_, a)| a.as_str()).collect::<Vec<_>>().join("; ");
                        let result = binary(&l.map_or(left, |(v, _)| v), bin.op, &r.map_or(right, |(v, _)| v));
                        let Value::Str(text) = result else { return result };
                        Value::Unknown(Rc::new(crate::value::Unknown {
                            config_default: Some(Rc::new(crate::value::ConfigDefault {
                                value: text.to_string(),
                                assumption,
                            })),
                            ..crate::value::Unknown::new("a string built from a run-time input")
                        }))
                    }
                }
            }
            Expr::UnaryOp(unary) => {
                let operand = self.eval(frame, &unary.operand);
                match (unary.op, &operand) {
                    (UnaryOp::Not, v) => v
                        .truthy()
                        .map(|b| Value::Bool(!b))
                        .unwrap_or_else(|| Value::unknown("negation of an unknown value")),
                    (UnaryOp::USub, Value::Int(i)) => Value::Int(-i),
                    _ => Value::unknown("unary operation"),
                }
            }
            Expr::BoolOp(bool_op) => {
                let mut last = Value::None;
                let count = bool_op.values.len();
                for (index, value_expr) in bool_op.values.iter().enumerate() {
                    last = self.eval(frame, value_expr);
                    match (bool_op.op, last.truthy()) {
                        (ast::BoolOp::And, Some(false)) | (ast::BoolOp::Or, Some(true)) => return last,
                        // The last operand is the result, whatever its truth.
                        (_, None) if index + 1 == count => return last,
                        (_, None) => {
                            return Value::unknown(format!(
                                "`{}` depends on run-time values",
                                self.source_text(frame.module, bool_op.range())
                            ))
                        }
                        _ => {}
                    }
                }
                last
            }
            Expr::If(if_expr) => {
                let test = self.eval(frame, &if_expr.test);
                match test.truthy() {
                    Some(true) => self.eval(frame, &if_expr.body),
                    Some(false) => self.eval(frame, &if_expr.orelse),
                    None => Value::unknown(format!(
                        "`{}` depends on a run-time condition",
                        self.source_text(frame.module, if_expr.range())
                    )),
                }
            }
            Expr::Compare(compare) => self.eval_compare(frame, compare),
            Expr::Subscript(sub) => {
                let receiver = self.eval(frame, &sub.value);
                if let Expr::Slice(slice) = &*sub.slice {
                    let mut bound = |part: &'p Option<Box<Expr>>| match part.as_deref() {
                        None => Some(None),
                        Some(expr) => match self.eval(frame, expr) {
                            Value::Int(i) => Some(Some(i)),
                            Value::None => Some(None),
                            _ => None,
                        },
                    };
                    let bounds = (bound(&slice.lower), bound(&slice.upper), bound(&slice.step));
                    return match bounds {
                        (Some(lower), Some(upper), Some(None)) => slice_of(&receiver, lower, upper),
                        _ => Value::unknown("a slice with run-time bounds or a step"),
                    };
                }
                let key = self.eval(frame, &sub.slice);
                subscript(self, frame.module, &receiver, &key)
            }
            Expr::ListComp(comp) => {
                self.eval_comprehension(frame, &comp.generators, |this, frame| vec![this.eval(frame, &comp.elt)])
            }
            Expr::SetComp(comp) => {
                self.eval_comprehension(frame, &comp.generators, |this, frame| vec![this.eval(frame, &comp.elt)])
            }
            Expr::Generator(comp) => {
                self.eval_comprehension(frame, &comp.generators, |this, frame| vec![this.eval(frame, &comp.elt)])
            }
            Expr::DictComp(comp) => {
                let pairs = self.eval_comprehension(frame, &comp.generators, |this, frame| {
                    let k = match &comp.key {
                        Some(key) => this.eval(frame, key),
                        None => Value::unknown("dict unpacking in a comprehension"),
                    };
                    let v = this.eval(frame, &comp.value);
                    vec![Value::Tuple(Rc::new(vec![k, v]))]
                });
                match pairs.iter_items() {
                    Some(items) => Value::Dict(Rc::new(RefCell::new(
                        items
                            .into_iter()
                            .filter_map(|t| t.iter_items().map(|kv| (kv[0].clone(), kv[1].clone())))
                            .collect(),
                    ))),
                    None => pairs,
                }
            }
            Expr::Named(named) => {
                let value = self.eval(frame, &named.value);
                self.bind_target(frame, &named.target, value.clone());
                value
            }
            Expr::Lambda(def) => Value::Lambda(Rc::new(crate::value::LambdaValue {
                module: frame.module,
                def,
                closure: Self::closure_of(frame),
            })),
            Expr::Yield(y) => {
                let value = y.value.as_ref().map(|v| self.eval(frame, v)).unwrap_or(Value::None);
                frame.yields.get_or_insert_with(Vec::new).push(value);
                Value::unknown("value sent to a generator")
            }
            Expr::YieldFrom(y) => {
                let value = self.eval(frame, &y.value);
                let items = value.iter_items().unwrap_or_else(|| vec![Value::unknown("items of `yield from`")]);
                frame.yields.get_or_insert_with(Vec::new).extend(items);
                Value::unknown("value of `yield from`")
            }
            Expr::Await(a) => self.eval(frame, &a.value),
            Expr::Starred(s) => self.eval(frame, &s.value),
            _ => Value::unknown(format!("`{}` is not evaluated", self.source_text(frame.module, expr.range()))),
        }
    }

    fn eval_elements(&mut self, frame: &mut Frame<'p>, elts: &'p [Expr]) -> Vec<Value<'p>> {
        let mut out = Vec::new();
        for element in elts {
            match element {
                Expr::Starred(starred) => {
                    let value = self.eval(frame, &starred.value);
                    match value.iter_items() {
                        Some(items) => out.extend(items),
                        None => out.push(Value::unknown("unpacked unknown sequence")),
                    }
                }
                other => {
                    let value = self.eval(frame, other);
                    out.push(value);
                }
            }
        }
        out
    }

    fn eval_comprehension(
        &mut self,
        frame: &mut Frame<'p>,
        generators: &'p [ast::Comprehension],
        element: impl Fn(&mut Self, &mut Frame<'p>) -> Vec<Value<'p>> + Copy,
    ) -> Value<'p> {
        let Some((first, rest)) = generators.split_first() else {
            return Value::list(element(self, frame));
        };
        let iterable = self.eval(frame, &first.iter);
        let Some(items) = iterable.iter_items() else {
            return Value::unknown(format!(
                "comprehension over `{}`",
                self.source_text(frame.module, first.iter.range())
            ));
        };
        if items.len() > MAX_LOOP_ITERATIONS {
            self.loop_bound_stop(frame, first.iter.range(), false);
        }
        let mut out = Vec::new();
        for item in items.into_iter().take(MAX_LOOP_ITERATIONS) {
            // Nested generators multiply: each item counts against the
            // step budget like a statement (found by fuzzing).
            self.steps += 1;
            if self.steps > MAX_STEPS {
                self.budget_exhausted = true;
                return Value::unknown("comprehension beyond the step budget");
            }
            self.bind_target(frame, &first.target, item);
            let mut keep = Some(true);
            for condition in &first.ifs {
                let value = self.eval(frame, condition);
                keep = match (keep, value.truthy()) {
                    (Some(true), t) => t,
                    (k, _) => k,
                };
            }
            match keep {
                Some(true) => match self.eval_comprehension(frame, rest, element).iter_items() {
                    Some(items) => out.extend(items),
                    None => return Value::unknown("comprehension with unknown parts"),
                },
                Some(false) => {}
                None => return Value::unknown("comprehension filtered by a run-time condition"),
            }
        }
        Value::list(out)
    }

    fn eval_compare(&mut self, frame: &mut Frame<'p>, compare: &'p ast::ExprCompare) -> Value<'p> {
        let mut left = self.eval(frame, &compare.left);
        for (op, right_expr) in compare.ops.iter().zip(compare.comparators.iter()) {
            let right = self.eval(frame, right_expr);
            let result = match op {
                CmpOp::Eq => left.equals(&right),
                CmpOp::NotEq => left.equals(&right).map(|b| !b),
                CmpOp::Is => left.equals(&right),
                CmpOp::IsNot => left.equals(&right).map(|b| !b),
                CmpOp::In | CmpOp::NotIn => {
                    let contained = match (&left, &right) {
                        (Value::Str(needle), Value::Str(hay)) => Some(hay.contains(&**needle)),
                        (_, container) => container.iter_items().and_then(|items| {
                            let mut any_unknown = false;
                            for item in &items {
                                match item.equals(&left) {
                                    Some(true) => return Some(true),
                                    None => any_unknown = true,
                                    _ => {}
                                }
                            }
                            if any_unknown {
                                None
                            } else {
                                Some(false)
                            }
                        }),
                    };
                    if *op == CmpOp::NotIn {
                        contained.map(|b| !b)
                    } else {
                        contained
                    }
                }
                _ => match (&left, &right) {
                    (Value::Int(a), Value::Int(b)) => Some(match op {
                        CmpOp::Lt => a < b,
                        CmpOp::LtE => a <= b,
                        CmpOp::Gt => a > b,
                        _ => a >= b,
                    }),
                    _ => None,
                },
            };
            match result {
                Some(true) => left = right,
                Some(false) => return Value::Bool(false),
                None => {
                    return Value::unknown(format!(
                        "`{}` depends on run-time values",
                        self.source_text(frame.module, compare.range())
                    ))
                }
            }
        }
        Value::Bool(true)
    }

    fn eval_fstring(&mut self, frame: &mut Frame<'p>, fstring: &'p ast::ExprFString) -> Value<'p> {
        let mut out = String::new();
        for part in fstring.value.iter() {
            match part {
                ast::FStringPart::Literal(literal) => out.push_str(&literal.value),
                ast::FStringPart::FString(f) => {
                    for element in f.elements.iter() {
                        match element {
                            InterpolatedStringElement::Literal(literal) => out.push_str(&literal.value),
                            InterpolatedStringElement::Interpolation(interpolation) => {
                                let value = self.eval(frame, &interpolation.expression);
                                let text = if interpolation.format_spec.is_some() {
                                    None
                                } else if interpolation.conversion == ast::ConversionFlag::Repr {
                                    repr(&value)
                                } else {
                                    value.display()
                                };
                                match text {
                                    Some(text) => out.push_str(&text),
                                    None => {
                                        return Value::unknown(format!(
                                            "f-string part `{{{}}}` is {}",
                                            self.source_text(frame.module, interpolation.expression.range()),
                                            value_reason(&value)
                                        ))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        Value::str(out)
    }

    /// Calls every top-level function that was never called and that
    /// creates an app or registers routes: app factories used through
    /// `flask --app pkg:create_app`, and registration functions whose
    /// caller is not in the project (their routes come out unresolved).
    /// Outermost first, everywhere: functions that call an app factory
    /// (Lemur's `lemur.create_app` passing its blueprints to
    /// `factory.create_app(blueprints=...)`), then the factories nobody
    /// called, then registration functions; each stage skips what an
    /// earlier one called, whatever the source order.
    pub fn run_uncalled_entry_points(&mut self) {
        let factory_names = self.app_factory_names();
        for stage in [
            UncalledStage::FactoryCallers,
            UncalledStage::Factories,
            UncalledStage::AppClasses,
            UncalledStage::Registrations,
        ] {
            self.run_uncalled(stage, &factory_names);
        }
    }

    /// Top-level project functions that create an app, and classes whose
    /// constructor does (`WebUI(...)` building its own app), by name: the
    /// functions (constructors) of that name.
    fn app_factory_names(&mut self) -> HashMap<String, Vec<*const ast::StmtFunctionDef>> {
        let mut names: HashMap<String, Vec<*const ast::StmtFunctionDef>> = HashMap::default();
        for id in 0..self.project.modules.len() {
            let module = self.project.module(id);
            for stmt in module.ast.body.iter() {
                let (name, def) = match stmt {
                    Stmt::FunctionDef(def) if self.creates_app(def) => (def.name.as_str(), def),
                    Stmt::ClassDef(class) => match self.constructor_creating_app(class) {
                        Some(constructor) => (class.name.as_str(), constructor),
                        None => continue,
                    },
                    _ => continue,
                };
                names.entry(name.to_string()).or_default().push(def as *const _);
            }
        }
        names
    }

    /// Whether running `def`, which calls app factories nobody else calls
    /// for it, can add nothing to the catalog: every factory it names has
    /// run already, it calls them without arguments (the same app again),
    /// and it registers nothing itself. Airflow's eighteen CLI commands
    /// that each open `with get_application_builder() as appbuilder:`
    /// would otherwise build the same app eighteen times.
    fn repeats_factories_already_run(
        &self,
        def: &'p ast::StmtFunctionDef,
        names: &HashSet<&'p str>,
        factories: &HashMap<String, Vec<*const ast::StmtFunctionDef>>,
    ) -> bool {
        const ADDS_TO_APP: &[&str] = &[
            "route",
            "add_url_rule",
            "register_blueprint",
            "add_resource",
            "init_app",
            "add_api",
            "register_api",
            "add_view",
            "register",
        ];
        let called: HashSet<&str> = names.iter().copied().filter(|n| factories.contains_key(*n)).collect();
        called.iter().all(|n| factories[*n].iter().all(|f| self.called.contains(f)))
            && !crate::syntax::calls_with_arguments(&def.body, &called)
            && !names.iter().any(|n| ADDS_TO_APP.contains(n) || crate::flask_api::is_handler_name(n))
    }

    /// The `__init__` or `__new__` of a class that builds a Flask app
    /// (`WebUI.__init__` making its own app, `App.__new__` returning one).
    /// A project subclass of `Flask` with its own `__init__` (grip's
    /// `Grip(Flask)` adding its rules there) builds an app too.
    fn constructor_creating_app(&mut self, class: &'p ast::StmtClassDef) -> Option<&'p ast::StmtFunctionDef> {
        let is_app_class = self.flask_subclasses.contains(class.name.as_str());
        let methods: Vec<&'p ast::StmtFunctionDef> = class
            .body
            .iter()
            .filter_map(|inner| match inner {
                Stmt::FunctionDef(def) => Some(def),
                _ => None,
            })
            .collect();
        let constructor = methods.iter().copied().find(|def| matches!(def.name.as_str(), "__init__" | "__new__"))?;
        if (is_app_class && constructor.name.as_str() == "__init__") || self.creates_app(constructor) {
            return Some(constructor);
        }
        // `self.app = self._create_app(config)`: a method of the class
        // that the constructor calls creates it.
        let called = self.referenced_names(constructor);
        let helpers: Vec<_> = methods.iter().copied().filter(|m| called.contains(m.name.as_str())).collect();
        helpers.into_iter().any(|helper| self.creates_app(helper)).then_some(constructor)
    }

    /// Whether a function calls `Flask` or a project subclass of it, by
    /// name or through a parameter whose default is that class
    /// (`def configure_api(flask_app=api.App): app = flask_app(__name__)`).
    fn creates_app(&mut self, def: &'p ast::StmtFunctionDef) -> bool {
        let names = self.referenced_names(def);
        // Also the classes that wrap or are a Flask app: connexion's
        // `FlaskApp`, flask-openapi3's `OpenAPI`.
        let is_app_class =
            |name: &str| matches!(name, "Flask" | "FlaskApp" | "OpenAPI") || self.flask_subclasses.contains(name);
        names.iter().any(|name| is_app_class(name))
            || crate::syntax::called_parameter_defaults(def, &names).into_iter().any(is_app_class)
    }

    fn run_uncalled(
        &mut self,
        stage: UncalledStage,
        factory_names: &HashMap<String, Vec<*const ast::StmtFunctionDef>>,
    ) {
        const REGISTERS: &[&str] = &["route", "add_url_rule", "register_blueprint", "add_resource"];
        for id in 0..self.project.modules.len() {
            let module = self.project.module(id);
            for stmt in module.ast.body.iter() {
                match stmt {
                    Stmt::FunctionDef(def) => {
                        if self.called.contains(&(def as *const _)) {
                            continue;
                        }
                        let names = self.referenced_names(def);
                        let creates_app = self.creates_app(def);
                        let selected = match stage {
                            UncalledStage::FactoryCallers => {
                                !creates_app
                                    && names.iter().any(|n| factory_names.contains_key(*n))
                                    && !self.repeats_factories_already_run(def, &names, factory_names)
                            }
                            UncalledStage::Factories => creates_app,
                            UncalledStage::AppClasses => false,
                            UncalledStage::Registrations => {
                                !creates_app && REGISTERS.iter().any(|name| names.contains(*name))
                            }
                        };
                        if !selected {
                            continue;
                        }
                        let Some(Value::Function(function)) = self.module_global(id, def.name.as_str()) else {
                            continue;
                        };
                        if !std::ptr::eq(function.def, def) {
                            continue;
                        }
                        if stage != UncalledStage::Registrations {
                            // An app factory used through `flask --app pkg:create_app`.
                            self.start_unit();
                            self.call_function(&function, &CallArgs::default());
                        } else {
                            self.call_uncalled(&function, None);
                        }
                    }
                    Stmt::ClassDef(class_def) if stage == UncalledStage::AppClasses => {
                        let Some(constructor) = self.constructor_creating_app(class_def) else { continue };
                        if self.called.contains(&(constructor as *const _)) {
                            continue;
                        }
                        let Some(Value::Class(class)) = self.module_global(id, class_def.name.as_str()) else {
                            continue;
                        };
                        if !std::ptr::eq(class.def, class_def) {
                            continue;
                        }
                        // A class that builds an app, used by code outside the
                        // project (a server thread started by a daemon).
                        let reason = format!("`{}` is never constructed in the project", class.qualname);
                        let required = constructor.parameters.posonlyargs.iter().chain(&constructor.parameters.args);
                        let positional =
                            required.filter(|p| p.default.is_none()).skip(1).map(|_| Value::unknown(reason.clone()));
                        let call = CallArgs { positional: positional.collect(), keywords: Vec::new() };
                        let site = self.site(id, class_def.range);
                        self.start_unit();
                        crate::flask_api::instantiate(self, &mut Frame::module_level(id), &class, call, site);
                    }
                    Stmt::ClassDef(class_def) if stage == UncalledStage::Registrations => {
                        let Some(Value::Class(class)) = self.module_global(id, class_def.name.as_str()) else {
                            continue;
                        };
                        if !std::ptr::eq(class.def, class_def) {
                            continue;
                        }
                        for inner in class_def.body.iter() {
                            let Stmt::FunctionDef(def) = inner else { continue };
                            if self.called.contains(&(def as *const _))
                                || !REGISTERS.iter().any(|name| self.referenced_names(def).contains(*name))
                            {
                                continue;
                            }
                            let Some(Value::Function(function)) = class.attrs.borrow().get(def.name.as_str()).cloned()
                            else {
                                continue;
                            };
                            let instance = Value::Instance(Rc::new(RefCell::new(crate::value::InstanceValue {
                                class: class.clone(),
                                attrs: HashMap::default(),
                            })));
                            self.call_uncalled(&function, Some(instance));
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// Follows a registration function (or method) that nothing in the
    /// project calls, with its parameters unknown: what it registers on
    /// known apps is kept under the condition that it runs at all.
    /// Parameters with a default keep it (a caller outside the project,
    /// such as an entry point calling `create_app()`, most likely passes
    /// nothing: `def create_app(app: Flask = app)` in MLflow's auth plugin).
    fn call_uncalled(&mut self, function: &Rc<FunctionValue<'p>>, receiver: Option<Value<'p>>) {
        let reason = format!("`{}` is never called in the project", function.qualname);
        let parameters = &function.def.parameters;
        let required = parameters.posonlyargs.iter().chain(&parameters.args).filter(|p| p.default.is_none()).count();
        let skip = usize::from(receiver.is_some());
        let positional = (skip..required).map(|_| Value::unknown(reason.clone())).collect();
        let function = match receiver {
            Some(receiver) => function.bound_to(receiver),
            None => function.clone(),
        };
        self.start_unit();
        self.conditions.push(format!("`{}` runs (no caller in the scanned code)", function.qualname));
        self.call_function(&function, &CallArgs { positional, keywords: Vec::new() });
        self.conditions.pop();
    }
}

/// Binds `name` in a namespace, allocating its key only when the name is
/// new (rebinding in loops and repeated calls is the common case).
fn set_name<'p>(namespace: &mut HashMap<String, Value<'p>>, name: &str, value: Value<'p>) {
    match namespace.get_mut(name) {
        Some(slot) => *slot = value,
        None => {
            namespace.insert(name.to_string(), value);
        }
    }
}

/// `Method.GET` of a project enum class (`class Method(str, enum.Enum)`):
/// a member of a `str` enum (or `StrEnum`) is the string itself, as Flask
/// and comparisons see it; other members are instances with their `name`
/// and `value`. `None` for classes that are not enums and for methods,
/// private names and non-literal attributes.
fn enum_member<'p>(class: &Rc<ClassValue<'p>>, name: &str, found: &Value<'p>) -> Option<Value<'p>> {
    if name.starts_with('_') || !matches!(found, Value::Str(_) | Value::Int(_) | Value::Float(_) | Value::Tuple(_)) {
        return None;
    }
    let bases = class.external_bases();
    let is = |names: &[&str]| bases.iter().any(|base| names.contains(&&**base));
    if !is(&["enum.Enum", "enum.StrEnum", "enum.IntEnum", "enum.Flag", "enum.IntFlag"]) {
        return None;
    }
    if matches!(found, Value::Str(_)) && is(&["builtins.str", "enum.StrEnum"]) {
        return Some(found.clone());
    }
    let attrs = [("name".to_string(), Value::str(name)), ("value".to_string(), found.clone())];
    Some(Value::Instance(Rc::new(RefCell::new(crate::value::InstanceValue {
        class: class.clone(),
        attrs: attrs.into_iter().collect(),
    }))))
}

/// Why a value is not a usable constant, for reasons.
pub fn value_reason(value: &Value<'_>) -> String {
    match value {
        Value::Unknown(unknown) => unknown.reason.clone(),
        other => other.kind().to_string(),
    }
}

/// The default of a run-time input (`Unknown::config_default`) as a string
/// value, with its assumption; a known string stays as it is (`None`).
fn assumed_string<'p>(value: &Value<'p>) -> Option<(Value<'p>, String)> {
    match value {
        Value::Unknown(unknown) => {
            unknown.config_default.as_ref().map(|d| (Value::str(&d.value), d.assumption.clone()))
        }
        _ => None,
    }
}

/// A value as a reason shows it: literals as Python writes them.
fn shown(value: &Value<'_>) -> String {
    match value {
        Value::Instance(instance) => format!("a `{}` instance", instance.borrow().class.qualname),
        Value::Class(class) => format!("class `{}`", class.qualname),
        Value::Function(function) => format!("function `{}`", function.qualname),
        _ => repr(value).unwrap_or_else(|| value_reason(value)),
    }
}

/// Two returned values are the same value (not merely equal-looking).
fn same_value<'p>(a: &Value<'p>, b: &Value<'p>) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => x == y,
        (Value::Class(x), Value::Class(y)) => Rc::ptr_eq(x, y),
        (Value::Function(x), Value::Function(y)) => std::ptr::eq(x.def, y.def),
        (Value::Instance(x), Value::Instance(y)) => Rc::ptr_eq(x, y),
        (Value::Module(x), Value::Module(y)) => x == y,
        (Value::External(x), Value::External(y)) => x == y,
        _ => a.equals(b) == Some(true),
    }
}

/// The dotted source name of a decorator (`login_required`,
/// `auth.login_required`, `roles_required`), without call arguments.
pub fn decorator_name(interp: &Interpreter<'_>, module: ModuleId, expr: &Expr) -> String {
    match expr {
        Expr::Call(call) => decorator_name(interp, module, &call.func),
        other => interp.source_text(module, other.range()),
    }
}

fn binary<'p>(left: &Value<'p>, op: Operator, right: &Value<'p>) -> Value<'p> {
    match (left, op, right) {
        (Value::Str(a), Operator::Add, Value::Str(b)) => Value::str(format!("{a}{b}")),
        // `Path(...) / "static"` (paths are strings here, see `paths`).
        (Value::Str(a), Operator::Div, Value::Str(b)) if b.starts_with('/') => Value::Str(b.clone()),
        (Value::Str(a), Operator::Div, Value::Str(b)) => Value::str(format!("{}/{b}", a.trim_end_matches('/'))),
        (Value::Str(a), Operator::Mod, args) => match percent_format(a, args) {
            Some(s) => Value::str(s),
            None => Value::unknown(format!("`%` formatting with {}", value_reason(args))),
        },
        (Value::Int(a), Operator::Add, Value::Int(b)) => Value::Int(a.wrapping_add(*b)),
        (Value::Int(a), Operator::Sub, Value::Int(b)) => Value::Int(a.wrapping_sub(*b)),
        (Value::Int(a), Operator::Mult, Value::Int(b)) => Value::Int(a.wrapping_mul(*b)),
        (Value::Int(a), Operator::FloorDiv, Value::Int(b)) if *b != 0 => Value::Int(floor_div(*a, *b)),
        (Value::Int(a), Operator::Mod, Value::Int(b)) if *b != 0 => {
            Value::Int(a.wrapping_sub(b.wrapping_mul(floor_div(*a, *b))))
        }
        (Value::List(_) | Value::Tuple(_), Operator::Add, b) if b.iter_items().is_some() => {
            let mut items = left.iter_items().unwrap_or_default();
            items.extend(b.iter_items().unwrap_or_default());
            if matches!(left, Value::Tuple(_)) {
                Value::Tuple(Rc::new(items))
            } else {
                Value::list(items)
            }
        }
        // Set literals are lists here: `a | b` is their union, `a - b` the
        // difference (lists themselves have neither, so no list code uses them).
        (Value::List(a), Operator::BitOr | Operator::Sub, Value::List(b)) => {
            let key = |v: &Value<'p>| v.display().map(|d| format!("{}:{d}", v.kind()));
            let (a, b) = (a.borrow(), b.borrow());
            if a.iter().chain(b.iter()).any(|v| key(v).is_none()) {
                return Value::unknown("set operation on values that are not all known".to_string());
            }
            let mut items: Vec<Value<'p>> = Vec::new();
            let mut seen = rustc_hash::FxHashSet::default();
            let removed: rustc_hash::FxHashSet<_> =
                if op == Operator::Sub { b.iter().filter_map(key).collect() } else { Default::default() };
            let added: &[Value<'p>] = if op == Operator::BitOr { &b } else { &[] };
            for v in a.iter().chain(added.iter()) {
                let k = key(v).unwrap_or_default();
                if !removed.contains(&k) && seen.insert(k) {
                    items.push(v.clone());
                }
            }
            Value::list(items)
        }
        (Value::Unknown(u), _, _) | (_, _, Value::Unknown(u)) => Value::Unknown(u.clone()),
        _ => Value::unknown(format!("operation on {} and {}", left.kind(), right.kind())),
    }
}

/// Python's `//` on integers: rounds towards negative infinity.
fn floor_div(a: i64, b: i64) -> i64 {
    let quotient = a.wrapping_div(b);
    if a.wrapping_rem(b) != 0 && (a < 0) != (b < 0) {
        quotient - 1
    } else {
        quotient
    }
}

fn subscript<'p>(interp: &mut Interpreter<'p>, module: ModuleId, receiver: &Value<'p>, key: &Value<'p>) -> Value<'p> {
    match (receiver, key) {
        (Value::List(items), Value::Int(i)) => index(&items.borrow(), *i),
        (Value::Tuple(items), Value::Int(i)) => index(items, *i),
        (Value::Str(text), Value::Int(i)) => {
            let chars: Vec<Value<'p>> = text.chars().map(|c| Value::str(c.to_string())).collect();
            index(&chars, *i)
        }
        (Value::Dict(items), key) => items
            .borrow()
            .iter()
            .find(|(k, _)| k.equals(key) == Some(true))
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| Value::unknown("missing dict key")),
        (Value::Object(id), key) => crate::flask_api::config_get(interp, *id, key, None),
        (Value::External(name), key) if &**name == "sys.modules" => {
            crate::flask_api::sys_module(interp, module, Some(key))
        }
        (Value::Unknown(u), _) => Value::Unknown(u.clone()),
        _ => Value::unknown(format!("subscript of {}", receiver.kind())),
    }
}

/// Code before and after the `yield` of a `@contextmanager` body, when the
/// `yield` is a statement of the body or of a top-level `try` (whose
/// `else` and `finally` then run on exit).
#[allow(clippy::type_complexity)]
fn split_at_yield(body: &[Stmt]) -> Option<(Vec<&[Stmt]>, Option<&Expr>, Vec<&[Stmt]>)> {
    fn yield_of(stmt: &Stmt) -> Option<Option<&Expr>> {
        match stmt {
            Stmt::Expr(ast::StmtExpr { value, .. }) => match &**value {
                Expr::Yield(y) => Some(y.value.as_deref()),
                _ => None,
            },
            _ => None,
        }
    }
    for (i, stmt) in body.iter().enumerate() {
        if let Some(yielded) = yield_of(stmt) {
            return Some((vec![&body[..i]], yielded, vec![&body[i + 1..]]));
        }
        if let Stmt::Try(t) = stmt {
            if let Some((j, yielded)) = t.body.iter().enumerate().find_map(|(j, s)| yield_of(s).map(|y| (j, y))) {
                let after = vec![&t.body[j + 1..], &t.orelse[..], &t.finalbody[..], &body[i + 1..]];
                return Some((vec![&body[..i], &t.body[..j]], yielded, after));
            }
        }
    }
    None
}

/// `value[lower:upper]` of a string, list or tuple (no step).
fn slice_of<'p>(value: &Value<'p>, lower: Option<i64>, upper: Option<i64>) -> Value<'p> {
    let range = |len: usize| {
        let clamp = |bound: i64| (if bound < 0 { bound + len as i64 } else { bound }).clamp(0, len as i64) as usize;
        let (start, end) = (lower.map_or(0, clamp), upper.map_or(len, clamp));
        start..end.max(start)
    };
    match value {
        Value::Str(text) => {
            let chars: Vec<char> = text.chars().collect();
            Value::str(chars[range(chars.len())].iter().collect::<String>())
        }
        Value::List(items) => {
            let items = items.borrow();
            Value::list(items[range(items.len())].to_vec())
        }
        Value::Tuple(items) => Value::Tuple(Rc::new(items[range(items.len())].to_vec())),
        Value::Unknown(u) => Value::Unknown(u.clone()),
        other => Value::unknown(format!("slice of {}", other.kind())),
    }
}

fn index<'p>(items: &[Value<'p>], i: i64) -> Value<'p> {
    let len = items.len() as i64;
    let position = if i < 0 { len + i } else { i };
    if (0..len).contains(&position) {
        items[position as usize].clone()
    } else {
        Value::unknown("index out of range")
    }
}

/// The hook of a pluggy hook call: `<name>` in `<manager>.hook.<name>(...)`.
fn pluggy_hook_name(node: &ast::ExprCall) -> Option<&str> {
    let ast::Expr::Attribute(call) = &*node.func else { return None };
    let ast::Expr::Attribute(hook) = &*call.value else { return None };
    (hook.attr.as_str() == "hook").then(|| call.attr.as_str())
}

/// Whether `test` reads a test or debug switch (`app.testing`,
/// `config["TESTING"]`, `settings.DEBUG`, `app_config.is_test_db`,
/// `options.debug_mode`): `Some(true)` when the test holds with the switch
/// on, `Some(false)` for `not switch`. Names that merely contain the words
/// (`test_results`, `latest`) are not switches.
fn test_switch(test: &Expr) -> Option<bool> {
    let name = match test {
        Expr::UnaryOp(u) if u.op == UnaryOp::Not => return test_switch(&u.operand).map(|on| !on),
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) => a.attr.as_str(),
        Expr::Subscript(s) => s.slice.as_string_literal_expr()?.value.to_str(),
        Expr::Call(call) => match &*call.func {
            Expr::Attribute(a) if a.attr.as_str() == "get" => {
                call.arguments.args.first()?.as_string_literal_expr()?.value.to_str()
            }
            _ => return None,
        },
        _ => return None,
    };
    let lower = name.to_ascii_lowercase();
    let switch = matches!(lower.as_str(), "testing" | "debug" | "test_mode" | "debug_mode" | "testing_mode")
        || ["is_test", "is_testing", "is_debug", "in_test", "in_testing", "in_debug"]
            .iter()
            .any(|prefix| lower == *prefix || lower.starts_with(&format!("{prefix}_")));
    switch.then_some(true)
}
