//! Values of the abstract interpreter: what a Python expression is known
//! to be without running it.

use rustc_hash::FxHashMap as HashMap;
use std::cell::RefCell;
use std::rc::Rc;

use retort_python::ModuleId;
use ruff_python_ast::{StmtClassDef, StmtFunctionDef};

use crate::objects::ObjId;

/// Something that could not be determined statically, and why.
#[derive(Debug, Clone)]
pub struct Unknown {
    pub reason: String,
    /// A config value the project sets, which configuration loaded at run
    /// time (`from_envvar`, `from_pyfile`, ...) may replace.
    pub config_default: Option<Rc<ConfigDefault>>,
    /// Made by library code (`SQLA()`, and what is called on it): a call of
    /// it that receives the app is the library's business, not a stop.
    pub library: bool,
    /// The namespace `parser.parse_args()` returns: its attributes are the
    /// options' declared defaults (see `command_line`).
    pub parsed_arguments: bool,
    /// A file object opened on a project file (`open(path)`,
    /// `Path.open()`): its path, for `yaml.safe_load(f)` and `json.load(f)`.
    pub file: Option<Rc<str>>,
}

impl Unknown {
    pub fn new(reason: impl Into<String>) -> Self {
        Unknown { reason: reason.into(), config_default: None, library: false, parsed_arguments: false, file: None }
    }

    /// A file object opened on the project file `path`.
    pub fn opened_file(path: &str) -> Self {
        Unknown { file: Some(Rc::from(path)), ..Unknown::new(format!("the file object of {path}")) }
    }

    /// An unknown value made by library code.
    pub fn from_library(reason: impl Into<String>) -> Self {
        Unknown { library: true, ..Unknown::new(reason) }
    }
}

/// The value the project gives a config key, and where, for a read that
/// later configuration may override.
#[derive(Debug)]
pub struct ConfigDefault {
    pub value: String,
    /// `config FORUM_URL_PREFIX = "" (DefaultConfig), unless from_envvar(...) replaces it`
    pub assumption: String,
}

/// A function defined in the project.
#[derive(Debug)]
pub struct FunctionValue<'p> {
    pub module: ModuleId,
    pub def: &'p StmtFunctionDef,
    pub qualname: String,
    /// Locals of the enclosing function when this one was defined.
    pub closure: Option<Rc<HashMap<String, Value<'p>>>>,
    /// The instance (or class) a method was looked up on.
    pub bound_self: Option<Value<'p>>,
    /// Decorators below any route decorator, outermost first (`login_required`).
    pub decorators: RefCell<Vec<DecoratorInfo>>,
    /// `@expose(...)` rules (Flask-Admin, Flask-AppBuilder).
    pub exposes: RefCell<Vec<ExposeRule>>,
    /// Attributes set on the function object (`f._endpoint_path = path`
    /// in a decorator), shared with its bound copies.
    pub attrs: Rc<RefCell<HashMap<String, Value<'p>>>>,
}

impl<'p> FunctionValue<'p> {
    /// The same function bound to a receiver (`self`, or `cls` for classmethods).
    pub fn bound_to(&self, receiver: Value<'p>) -> Rc<FunctionValue<'p>> {
        self.bound_to_receiver(Some(receiver))
    }

    /// A copy of the function with its own decorator lists.
    pub fn bound_to_receiver(&self, receiver: Option<Value<'p>>) -> Rc<FunctionValue<'p>> {
        Rc::new(FunctionValue {
            module: self.module,
            def: self.def,
            qualname: self.qualname.clone(),
            closure: self.closure.clone(),
            bound_self: receiver,
            decorators: RefCell::new(self.decorators.borrow().clone()),
            exposes: RefCell::new(self.exposes.borrow().clone()),
            attrs: self.attrs.clone(),
        })
    }
}

/// A decorator that wraps a view, by its dotted source name.
#[derive(Debug, Clone)]
pub struct DecoratorInfo {
    pub name: String,
    pub module: ModuleId,
    pub line: u32,
}

/// One `@expose(url, methods=...)` on a Flask-Admin / AppBuilder method.
#[derive(Debug, Clone)]
pub struct ExposeRule {
    pub url: Result<String, Unknown>,
    pub methods: Option<Vec<String>>,
    /// `endpoint=` of Flask-Classful's `@route(rule, endpoint=...)`.
    pub endpoint: Option<String>,
}

/// A class defined in the project.
#[derive(Debug)]
pub struct ClassValue<'p> {
    pub module: ModuleId,
    pub def: &'p StmtClassDef,
    pub qualname: String,
    pub bases: Vec<Value<'p>>,
    /// The class namespace (methods, class attributes).
    pub attrs: RefCell<HashMap<String, Value<'p>>>,
    pub decorators: Vec<DecoratorInfo>,
}

impl<'p> ClassValue<'p> {
    pub fn name(&self) -> &str {
        self.def.name.as_str()
    }

    /// Looks an attribute up along the bases (depth-first, like a simple MRO).
    pub fn lookup(&self, name: &str) -> Option<Value<'p>> {
        if let Some(value) = self.attrs.borrow().get(name) {
            return Some(value.clone());
        }
        self.bases.iter().find_map(|base| match base {
            Value::Class(class) => class.lookup(name),
            _ => None,
        })
    }

    /// External (library) classes this class derives from, transitively.
    pub fn external_bases(&self) -> Vec<Rc<str>> {
        let mut found = Vec::new();
        for base in &self.bases {
            match base {
                Value::External(name) => found.push(name.clone()),
                Value::Class(class) => found.extend(class.external_bases()),
                _ => {}
            }
        }
        found
    }

    /// The method resolution order (C3), with library bases as opaque
    /// entries: `None` stands for a base that is not a project class.
    pub fn mro(self: &Rc<Self>) -> Vec<MroEntry<'p>> {
        let mut sequences: Vec<Vec<MroEntry<'p>>> = self
            .bases
            .iter()
            .map(|base| match base {
                Value::Class(class) => class.mro(),
                Value::External(name) => vec![MroEntry::Library(name.clone())],
                _ => vec![MroEntry::Library(Rc::from("<unknown base>"))],
            })
            .collect();
        sequences.push(self.bases.iter().map(MroEntry::of).collect());
        let mut out = vec![MroEntry::Class(self.clone())];
        loop {
            sequences.retain(|s| !s.is_empty());
            if sequences.is_empty() {
                return out;
            }
            let head = sequences
                .iter()
                .map(|s| s[0].clone())
                .find(|candidate| !sequences.iter().any(|s| s[1..].iter().any(|e| e.same(candidate))));
            // An inconsistent hierarchy (Python would refuse it): fall back to order of appearance.
            let head = head.unwrap_or_else(|| sequences[0][0].clone());
            for sequence in &mut sequences {
                if sequence[0].same(&head) {
                    sequence.remove(0);
                }
            }
            out.push(head);
        }
    }

    /// Whether any method named `name` exists on the class or its bases.
    pub fn defines(&self, name: &str) -> bool {
        self.lookup(name).is_some()
    }
}

/// One entry of a method resolution order.
#[derive(Debug, Clone)]
pub enum MroEntry<'p> {
    Class(Rc<ClassValue<'p>>),
    Library(Rc<str>),
}

impl<'p> MroEntry<'p> {
    fn of(value: &Value<'p>) -> Self {
        match value {
            Value::Class(class) => MroEntry::Class(class.clone()),
            Value::External(name) => MroEntry::Library(name.clone()),
            _ => MroEntry::Library(Rc::from("<unknown base>")),
        }
    }

    fn same(&self, other: &Self) -> bool {
        match (self, other) {
            (MroEntry::Class(a), MroEntry::Class(b)) => std::ptr::eq(a.def, b.def),
            (MroEntry::Library(a), MroEntry::Library(b)) => a == b,
            _ => false,
        }
    }
}

/// An instance of a project class that is not a Flask object.
#[derive(Debug)]
pub struct InstanceValue<'p> {
    pub class: Rc<ClassValue<'p>>,
    pub attrs: HashMap<String, Value<'p>>,
}

/// `SomeView.as_view("name", ...)`: a view function made from a class.
#[derive(Debug)]
pub struct ViewFromClass<'p> {
    pub class: Rc<ClassValue<'p>>,
    pub name: Result<String, Unknown>,
    /// Decorators applied to the view function by calls (`decorator(view)`), outermost first.
    pub wrapped_by: Vec<DecoratorInfo>,
}

/// A value the interpreter tracks.
#[derive(Debug, Clone)]
pub enum Value<'p> {
    Unknown(Rc<Unknown>),
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<str>),
    List(Rc<RefCell<Vec<Value<'p>>>>),
    Tuple(Rc<Vec<Value<'p>>>),
    Dict(Rc<RefCell<Vec<(Value<'p>, Value<'p>)>>>),
    Module(ModuleId),
    /// Something outside the project, by dotted name (`flask.Flask`).
    External(Rc<str>),
    Function(Rc<FunctionValue<'p>>),
    Class(Rc<ClassValue<'p>>),
    Instance(Rc<RefCell<InstanceValue<'p>>>),
    /// A Flask-world object (app, blueprint, API, extension…).
    Object(ObjId),
    /// An attribute of a value, awaiting a call (`app.route`).
    Method(Rc<Value<'p>>, Rc<str>),
    /// The result of calling a decorator factory such as `app.route("/x")`.
    Decorator(Rc<PendingDecorator<'p>>),
    /// `functools.partial(callee, *args, **kwargs)`.
    Partial(Rc<(Value<'p>, CallArgs<'p>)>),
    ViewFromClass(Rc<ViewFromClass<'p>>),
    /// A declared entry point (`importlib.metadata.EntryPoint`).
    EntryPoint(Rc<crate::entry_points::EntryPoint>),
    /// `lambda ext: ext(app)`: called where it is passed to.
    Lambda(Rc<LambdaValue<'p>>),
}

/// A lambda with the locals it closes over.
#[derive(Debug)]
pub struct LambdaValue<'p> {
    pub module: ModuleId,
    pub def: &'p ruff_python_ast::ExprLambda,
    pub closure: Option<Rc<HashMap<String, Value<'p>>>>,
}

/// A decorator whose target is not known yet.
#[derive(Debug)]
pub enum PendingDecorator<'p> {
    /// `@app.route(...)`, `@bp.get(...)`, `@ns.route(...)` and friends.
    Route { target: ObjId, call: Rc<CallArgs<'p>>, method: Option<&'static str>, site: Site },
    /// `@expose(...)`.
    Expose(ExposeRule),
    /// Hooks and handlers: `@app.errorhandler(404)`, `@app.before_request`.
    Handler { target: ObjId, kind: String, arg: Option<String>, site: Site },
    /// `@functools.wraps(view)`: the decorated wrapper stands for `view`.
    Wraps(Value<'p>),
}

/// Source position in the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Site {
    pub module: ModuleId,
    pub line: u32,
}

/// Evaluated call arguments.
#[derive(Debug, Default, Clone)]
pub struct CallArgs<'p> {
    pub positional: Vec<Value<'p>>,
    pub keywords: Vec<(String, Value<'p>)>,
}

impl<'p> CallArgs<'p> {
    pub fn keyword(&self, name: &str) -> Option<&Value<'p>> {
        self.keywords.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// Positional argument `index`, or keyword `name`.
    pub fn arg(&self, index: usize, name: &str) -> Option<&Value<'p>> {
        self.keyword(name).or_else(|| self.positional.get(index))
    }
}

impl<'p> Value<'p> {
    pub fn unknown(reason: impl Into<String>) -> Self {
        Value::Unknown(Rc::new(Unknown::new(reason)))
    }

    pub fn str(text: impl AsRef<str>) -> Self {
        Value::Str(Rc::from(text.as_ref()))
    }

    pub fn list(items: Vec<Value<'p>>) -> Self {
        Value::List(Rc::new(RefCell::new(items)))
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The string value, or why it is not known.
    pub fn to_string_result(&self, what: &str) -> Result<String, Unknown> {
        match self {
            Value::Str(s) => Ok(s.to_string()),
            Value::Unknown(unknown) => Err((**unknown).clone()),
            other => Err(Unknown::new(format!("{what} is {} , not a string", other.kind()))),
        }
    }

    /// Items of a list, tuple, set or dict (keys), when known.
    pub fn iter_items(&self) -> Option<Vec<Value<'p>>> {
        match self {
            Value::List(items) => Some(items.borrow().clone()),
            Value::Tuple(items) => Some(items.as_ref().clone()),
            Value::Dict(items) => Some(items.borrow().iter().map(|(k, _)| k.clone()).collect()),
            Value::Str(s) => Some(s.chars().map(|c| Value::str(c.to_string())).collect()),
            _ => None,
        }
    }

    /// Python truthiness, when known.
    pub fn truthy(&self) -> Option<bool> {
        match self {
            Value::None => Some(false),
            Value::Bool(b) => Some(*b),
            Value::Int(i) => Some(*i != 0),
            Value::Float(f) => Some(*f != 0.0),
            Value::Str(s) => Some(!s.is_empty()),
            Value::List(items) => Some(!items.borrow().is_empty()),
            Value::Tuple(items) => Some(!items.is_empty()),
            Value::Dict(items) => Some(!items.borrow().is_empty()),
            Value::Unknown(_) | Value::Method(..) => None,
            _ => Some(true),
        }
    }

    /// A short name of the kind of value, for reasons.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Unknown(_) => "unknown",
            Value::None => "None",
            Value::Bool(_) => "a bool",
            Value::Int(_) => "an int",
            Value::Float(_) => "a float",
            Value::Str(_) => "a string",
            Value::List(_) => "a list",
            Value::Tuple(_) => "a tuple",
            Value::Dict(_) => "a dict",
            Value::Module(_) => "a module",
            Value::External(_) => "a library object",
            Value::Function(_) => "a function",
            Value::Class(_) => "a class",
            Value::Instance(_) => "an instance",
            Value::Object(_) => "a Flask object",
            Value::Method(..) => "a method",
            Value::Decorator(_) => "a decorator",
            Value::Partial(_) => "a partial function",
            Value::ViewFromClass(_) => "a view",
            Value::EntryPoint(_) => "an entry point",
            Value::Lambda(_) => "a lambda",
        }
    }

    /// Python `str()` of simple values, for string building.
    pub fn display(&self) -> Option<String> {
        match self {
            Value::Str(s) => Some(s.to_string()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(format!("{f:?}")),
            Value::Bool(b) => Some(if *b { "True" } else { "False" }.to_string()),
            Value::None => Some("None".to_string()),
            _ => None,
        }
    }

    /// Whether both are the same Flask object (apps, blueprints, APIs).
    pub fn same_object(&self, other: &Value<'p>) -> bool {
        matches!((self, other), (Value::Object(x), Value::Object(y)) if x == y)
    }

    /// Equality of simple values, when known.
    pub fn equals(&self, other: &Value<'p>) -> Option<bool> {
        match (self, other) {
            (Value::Str(a), Value::Str(b)) => Some(a == b),
            (Value::Int(a), Value::Int(b)) => Some(a == b),
            (Value::Bool(a), Value::Bool(b)) => Some(a == b),
            (Value::None, Value::None) => Some(true),
            (Value::None, Value::Str(_) | Value::Int(_) | Value::Bool(_))
            | (Value::Str(_) | Value::Int(_) | Value::Bool(_), Value::None) => Some(false),
            (Value::Str(_), Value::Int(_)) | (Value::Int(_), Value::Str(_)) => Some(false),
            // A module (also standing for its import spec) is never `None`;
            // nor is a project class or function (`if backend_class is not
            // None:`). Flask objects and instances are left undecided: the
            // interpreter does not run `except ImportError: x = None`, so
            // `if x is not None` after an optional import stays a condition.
            (Value::Module(_) | Value::Function(_) | Value::Class(_), Value::None)
            | (Value::None, Value::Module(_) | Value::Function(_) | Value::Class(_)) => Some(false),
            _ => None,
        }
    }
}
