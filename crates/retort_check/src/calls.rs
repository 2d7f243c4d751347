//! Which project function a call reaches. Names and `module.name` are
//! resolved by the data-flow engine ([`retort_dataflow::resolve`]), shared
//! with the rules; this module adds what a rule needs about methods: the
//! constructor of a project class, `self.method()` / `cls.method()` in a
//! class, and `obj.method()` on an object known to be an instance of a
//! project class (built by its constructor, or annotated with it, in the
//! function, at the module's top level, imported from another module, or
//! in an attribute `self.obj` of the enclosing class).
//!
//! Everything that is not resolved is `None`: a rule that must not lose
//! recall treats it as a library call.

use retort_python::{ModuleId, Project};
use ruff_python_ast::visitor::{walk_expr, walk_stmt, Visitor};
use ruff_python_ast::{Expr, ExprCall, ExprContext, Operator, Stmt, StmtClassDef, StmtFunctionDef};
use ruff_text_size::{Ranged, TextSize};

use crate::checker::Checker;

use retort_dataflow::resolve::top_level_statements;
pub use retort_dataflow::resolve::{resolve_class, resolve_function};

/// How many base classes (and `from x import obj` hops) are followed.
const MAX_DEPTH: usize = 8;

/// Bases that bring no methods a call could reach instead of the project's.
const INERT_BASES: &[&str] = &["object", "ABC", "Protocol", "Generic"];

/// Where a call is written: its module, enclosing class and functions.
pub struct CallScope<'p> {
    pub module: ModuleId,
    /// The innermost class whose body contains the call.
    pub class: Option<&'p StmtClassDef>,
    /// The enclosing functions, innermost last.
    pub functions: Vec<&'p StmtFunctionDef>,
}

impl<'p> CallScope<'p> {
    /// The scope of a call in the module being traversed.
    pub fn of(checker: &Checker<'p>, call: &ExprCall) -> Option<CallScope<'p>> {
        let module = checker.module?;
        let id = checker.project.module_by_path(&module.path)?;
        let mut finder = ClassFinder { offset: call.range().start(), found: None };
        for stmt in &module.ast.body {
            finder.visit_stmt(stmt);
        }
        Some(CallScope { module: id, class: finder.found, functions: checker.function_stack.clone() })
    }
}

/// The project code a call reaches.
#[derive(Clone, Copy)]
pub struct ProjectCallee<'p> {
    /// The module defining the function (or the class).
    pub module: ModuleId,
    /// The class of a method or constructor.
    pub class: Option<&'p StmtClassDef>,
    /// `None` for a project class built without an `__init__` of the
    /// project's or of a library's (a plain class, a dataclass).
    pub function: Option<&'p StmtFunctionDef>,
}

/// The project function, method or constructor `call` reaches, if it is
/// resolved statically.
pub fn resolve_call<'p>(project: &'p Project, scope: &CallScope<'p>, call: &ExprCall) -> Option<ProjectCallee<'p>> {
    if let Some((module, function)) = resolve_function(project, scope.module, &call.func) {
        return Some(ProjectCallee { module, class: None, function: Some(function) });
    }
    if let Some((module, class)) = resolve_class(project, scope.module, &call.func) {
        return match method_of(project, module, class, "__init__", 0) {
            Lookup::Found(callee) => Some(callee),
            Lookup::Absent => Some(ProjectCallee { module, class: Some(class), function: None }),
            Lookup::Unknown => None,
        };
    }
    let Expr::Attribute(attr) = &*call.func else { return None };
    let (module, class) = receiver_class(project, scope, &attr.value)?;
    match method_of(project, module, class, attr.attr.as_str(), 0) {
        Lookup::Found(callee) => Some(callee),
        Lookup::Absent | Lookup::Unknown => None,
    }
}

/// The calls in `function` that receive its keyword argument `keyword`:
/// `f(…, keyword=keyword)` when it declares that parameter, otherwise
/// `f(…, **kwargs)` when it collects keywords in `**kwargs`.
pub fn calls_receiving_keyword<'p>(function: &'p StmtFunctionDef, keyword: &str) -> Vec<&'p ExprCall> {
    let parameters = &function.parameters;
    let declared = parameters.iter_non_variadic_params().any(|p| p.name().as_str() == keyword);
    let kwargs = parameters.kwarg.as_ref().map(|p| p.name.as_str());
    if !declared && kwargs.is_none() {
        return Vec::new();
    }
    let mut collector = CallCollector { calls: Vec::new() };
    for stmt in &function.body {
        collector.visit_stmt(stmt);
    }
    let passes = |call: &ExprCall| {
        call.arguments.keywords.iter().any(|k| match (&k.arg, &k.value) {
            (Some(arg), Expr::Name(name)) if declared => arg.as_str() == keyword && name.id.as_str() == keyword,
            (None, Expr::Name(name)) if !declared => Some(name.id.as_str()) == kwargs,
            _ => false,
        })
    };
    collector.calls.into_iter().filter(|call| passes(call)).collect()
}

/// What a class hierarchy says about a method name.
enum Lookup<'p> {
    Found(ProjectCallee<'p>),
    /// Neither the class nor its (project or inert) bases define it.
    Absent,
    /// A base that is not the project's may define it.
    Unknown,
}

/// The method `name` of a project class, searched through its bases in order.
fn method_of<'p>(
    project: &'p Project,
    module: ModuleId,
    class: &'p StmtClassDef,
    name: &str,
    depth: usize,
) -> Lookup<'p> {
    let own = class.body.iter().find_map(|stmt| match stmt {
        Stmt::FunctionDef(f) if f.name.as_str() == name => Some(f),
        _ => None,
    });
    if let Some(function) = own {
        return Lookup::Found(ProjectCallee { module, class: Some(class), function: Some(function) });
    }
    if depth >= MAX_DEPTH {
        return Lookup::Unknown;
    }
    for base in class.bases() {
        match resolve_class(project, module, base) {
            Some((base_module, base_class)) => match method_of(project, base_module, base_class, name, depth + 1) {
                Lookup::Absent => {}
                other => return other,
            },
            None if is_inert_base(base) => {}
            None => return Lookup::Unknown,
        }
    }
    Lookup::Absent
}

fn is_inert_base(base: &Expr) -> bool {
    let base = match base {
        Expr::Subscript(subscript) => &*subscript.value,
        other => other,
    };
    let name = match base {
        Expr::Name(name) => name.id.as_str(),
        Expr::Attribute(attr) => attr.attr.as_str(),
        _ => return false,
    };
    INERT_BASES.contains(&name)
}

/// The project class an object expression is an instance of.
fn receiver_class<'p>(
    project: &'p Project,
    scope: &CallScope<'p>,
    receiver: &Expr,
) -> Option<(ModuleId, &'p StmtClassDef)> {
    match receiver {
        Expr::Name(name) if matches!(name.id.as_str(), "self" | "cls") => Some((scope.module, scope.class?)),
        Expr::Name(name) => {
            for function in scope.functions.iter().rev() {
                match local_binding(project, scope.module, function, name.id.as_str()) {
                    Binding::Unbound => continue,
                    Binding::Class(module, class) => return Some((module, class)),
                    Binding::Unknown => return None,
                }
            }
            module_binding(project, scope.module, name.id.as_str(), 0)
        }
        Expr::Attribute(attr) if matches!(&*attr.value, Expr::Name(n) if n.id.as_str() == "self") => {
            match attribute_binding(project, scope.module, scope.class?, attr.attr.as_str()) {
                Binding::Class(module, class) => Some((module, class)),
                Binding::Unbound | Binding::Unknown => None,
            }
        }
        _ => None,
    }
}

/// What a name (or `self.attribute`) is bound to in one scope.
enum Binding<'p> {
    Unbound,
    /// Every binding is an instance of this project class.
    Class(ModuleId, &'p StmtClassDef),
    Unknown,
}

impl<'p> Binding<'p> {
    /// The binding of a scope from all its assignments (`None`: not an
    /// instance of a known project class).
    fn of(found: &[Option<(ModuleId, &'p StmtClassDef)>]) -> Binding<'p> {
        let Some(first) = found.first() else { return Binding::Unbound };
        let Some((module, class)) = *first else { return Binding::Unknown };
        let same = |f: &Option<(ModuleId, &StmtClassDef)>| {
            f.is_some_and(|(m, c)| m == module && c.range().start() == class.range().start())
        };
        if found.iter().all(same) {
            Binding::Class(module, class)
        } else {
            Binding::Unknown
        }
    }
}

/// The project class of a constructor call (`MetaStore(...)`).
fn constructed_class<'p>(project: &'p Project, module: ModuleId, value: &Expr) -> Option<(ModuleId, &'p StmtClassDef)> {
    let Expr::Call(call) = value else { return None };
    resolve_class(project, module, &call.func)
}

/// The project class an annotation names (`MetaStore`, `Optional[MetaStore]`, `MetaStore | None`).
fn annotated_class<'p>(
    project: &'p Project,
    module: ModuleId,
    annotation: &Expr,
) -> Option<(ModuleId, &'p StmtClassDef)> {
    match annotation {
        Expr::Subscript(subscript)
            if matches!(&*subscript.value, Expr::Name(n) if n.id.as_str() == "Optional")
                || matches!(&*subscript.value, Expr::Attribute(a) if a.attr.as_str() == "Optional") =>
        {
            annotated_class(project, module, &subscript.slice)
        }
        Expr::BinOp(binop) if binop.op == Operator::BitOr => match (&*binop.left, &*binop.right) {
            (Expr::NoneLiteral(_), other) | (other, Expr::NoneLiteral(_)) => annotated_class(project, module, other),
            _ => None,
        },
        Expr::Name(_) | Expr::Attribute(_) => resolve_class(project, module, annotation),
        _ => None,
    }
}

/// The binding of `name` in a function: its parameter and assignments.
fn local_binding<'p>(project: &'p Project, module: ModuleId, function: &'p StmtFunctionDef, name: &str) -> Binding<'p> {
    let mut found = Vec::new();
    for parameter in function.parameters.iter_non_variadic_params() {
        if parameter.name().as_str() == name {
            let annotation = parameter.parameter.annotation.as_deref();
            found.push(annotation.and_then(|a| annotated_class(project, module, a)));
        }
    }
    let mut bindings = NameBindings { project, module, name, found, imported: false };
    for stmt in &function.body {
        bindings.visit_stmt(stmt);
    }
    if bindings.imported {
        return Binding::Unknown;
    }
    Binding::of(&bindings.found)
}

/// The project class of a module-level object, following `from x import obj`.
fn module_binding<'p>(
    project: &'p Project,
    module: ModuleId,
    name: &str,
    hops: usize,
) -> Option<(ModuleId, &'p StmtClassDef)> {
    let body = &project.module(module).ast.body;
    let mut bindings = NameBindings { project, module, name, found: Vec::new(), imported: false };
    for stmt in body {
        bindings.visit_stmt(stmt);
    }
    if bindings.imported {
        if !bindings.found.is_empty() || hops >= MAX_DEPTH {
            return None;
        }
        for stmt in top_level_statements(body) {
            let Stmt::ImportFrom(import) = stmt else { continue };
            for alias in &import.names {
                if alias.asname.as_ref().unwrap_or(&alias.name).as_str() != name {
                    continue;
                }
                let from = project.resolve_import(module, import.level, import.module.as_ref().map(|m| m.as_str()))?;
                return module_binding(project, from, alias.name.as_str(), hops + 1);
            }
        }
        return None;
    }
    match Binding::of(&bindings.found) {
        Binding::Class(module, class) => Some((module, class)),
        Binding::Unbound | Binding::Unknown => None,
    }
}

/// The binding of `self.<attribute>` in a class: class-level
/// declarations and assignments in its methods (from a constructor, or
/// from an annotated parameter of that method).
fn attribute_binding<'p>(
    project: &'p Project,
    module: ModuleId,
    class: &'p StmtClassDef,
    attribute: &str,
) -> Binding<'p> {
    let mut found = Vec::new();
    for stmt in &class.body {
        match stmt {
            Stmt::AnnAssign(assign) if matches!(&*assign.target, Expr::Name(n) if n.id.as_str() == attribute) => {
                found.push(annotated_class(project, module, &assign.annotation));
            }
            Stmt::Assign(assign)
                if assign.targets.iter().any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == attribute)) =>
            {
                found.push(constructed_class(project, module, &assign.value));
            }
            Stmt::FunctionDef(method) => {
                let mut bindings = AttributeBindings { project, module, method, attribute, found: Vec::new() };
                for stmt in &method.body {
                    bindings.visit_stmt(stmt);
                }
                found.extend(bindings.found);
            }
            _ => {}
        }
    }
    Binding::of(&found)
}

/// The assignments of one name in a scope (not in nested functions and classes).
struct NameBindings<'p, 'n> {
    project: &'p Project,
    module: ModuleId,
    name: &'n str,
    found: Vec<Option<(ModuleId, &'p StmtClassDef)>>,
    /// Bound by `from x import name`.
    imported: bool,
}

impl<'p> Visitor<'p> for NameBindings<'p, '_> {
    fn visit_stmt(&mut self, stmt: &'p Stmt) {
        match stmt {
            Stmt::FunctionDef(f) => {
                if f.name.as_str() == self.name {
                    self.found.push(None);
                }
            }
            Stmt::ClassDef(c) => {
                if c.name.as_str() == self.name {
                    self.found.push(None);
                }
            }
            Stmt::Assign(assign) if matches!(&assign.targets[..], [Expr::Name(n)] if n.id.as_str() == self.name) => {
                self.found.push(constructed_class(self.project, self.module, &assign.value));
                self.visit_expr(&assign.value);
            }
            Stmt::AnnAssign(assign) if matches!(&*assign.target, Expr::Name(n) if n.id.as_str() == self.name) => {
                let class = annotated_class(self.project, self.module, &assign.annotation)
                    .or_else(|| assign.value.as_deref().and_then(|v| constructed_class(self.project, self.module, v)));
                self.found.push(class);
                if let Some(value) = &assign.value {
                    self.visit_expr(value);
                }
            }
            Stmt::Import(import) => {
                let binds = import.names.iter().any(|alias| match &alias.asname {
                    Some(asname) => asname.as_str() == self.name,
                    None => alias.name.split('.').next() == Some(self.name),
                });
                if binds {
                    self.found.push(None);
                }
            }
            Stmt::ImportFrom(import) => {
                if import.names.iter().any(|alias| alias.asname.as_ref().unwrap_or(&alias.name).as_str() == self.name) {
                    self.imported = true;
                }
            }
            _ => walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'p Expr) {
        match expr {
            // `for store in …`, `with … as store`, `a, store = …`, `(store := …)`.
            Expr::Name(name) if name.ctx == ExprContext::Store && name.id.as_str() == self.name => {
                self.found.push(None);
            }
            Expr::Lambda(_) => {}
            _ => walk_expr(self, expr),
        }
    }
}

/// The assignments of `self.<attribute>` in one method.
struct AttributeBindings<'p, 'n> {
    project: &'p Project,
    module: ModuleId,
    method: &'p StmtFunctionDef,
    attribute: &'n str,
    found: Vec<Option<(ModuleId, &'p StmtClassDef)>>,
}

impl AttributeBindings<'_, '_> {
    fn is_target(&self, expr: &Expr) -> bool {
        matches!(expr, Expr::Attribute(a)
            if a.attr.as_str() == self.attribute && matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "self"))
    }
}

impl<'p> Visitor<'p> for AttributeBindings<'p, '_> {
    fn visit_stmt(&mut self, stmt: &'p Stmt) {
        match stmt {
            Stmt::Assign(assign) if matches!(&assign.targets[..], [target] if self.is_target(target)) => {
                let class = constructed_class(self.project, self.module, &assign.value).or_else(|| {
                    // `self.store = store` with `store: MetaStore` a parameter.
                    let Expr::Name(name) = &*assign.value else { return None };
                    let parameter = self
                        .method
                        .parameters
                        .iter_non_variadic_params()
                        .find(|p| p.name().as_str() == name.id.as_str())?;
                    annotated_class(self.project, self.module, parameter.parameter.annotation.as_deref()?)
                });
                self.found.push(class);
                self.visit_expr(&assign.value);
            }
            Stmt::AnnAssign(assign) if self.is_target(&assign.target) => {
                self.found.push(annotated_class(self.project, self.module, &assign.annotation));
            }
            Stmt::ClassDef(_) => {}
            _ => walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'p Expr) {
        if let Expr::Attribute(attr) = expr {
            if attr.ctx == ExprContext::Store && self.is_target(expr) {
                self.found.push(None);
                return;
            }
        }
        walk_expr(self, expr);
    }
}

/// The innermost class whose body contains an offset.
struct ClassFinder<'p> {
    offset: TextSize,
    found: Option<&'p StmtClassDef>,
}

impl<'p> Visitor<'p> for ClassFinder<'p> {
    fn visit_stmt(&mut self, stmt: &'p Stmt) {
        if !stmt.range().contains(self.offset) {
            return;
        }
        if let Stmt::ClassDef(class) = stmt {
            self.found = Some(class);
        }
        walk_stmt(self, stmt);
    }
}

/// Every call in a function body.
struct CallCollector<'p> {
    calls: Vec<&'p ExprCall>,
}

impl<'p> Visitor<'p> for CallCollector<'p> {
    fn visit_expr(&mut self, expr: &'p Expr) {
        if let Expr::Call(call) = expr {
            self.calls.push(call);
        }
        walk_expr(self, expr);
    }
}
