//! Cheap syntactic questions about function bodies.

use ruff_python_ast::visitor::{walk_expr, Visitor};
use ruff_python_ast::{Expr, Stmt};
use rustc_hash::{FxHashMap, FxHashSet};

/// Collects names as slices of the AST (no allocation per name): this runs
/// over the body of every top-level function of the project.
struct NameCollector<'a> {
    names: FxHashSet<&'a str>,
}

impl<'a> Visitor<'a> for NameCollector<'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Attribute(attr) => {
                self.names.insert(attr.attr.as_str());
            }
            Expr::Call(call) => {
                if let Expr::Name(name) = &*call.func {
                    self.names.insert(name.id.as_str());
                }
            }
            _ => {}
        }
        walk_expr(self, expr);
    }
}

/// The attribute names a body refers to (`app.route`, `partial(app.register_blueprint)`)
/// and the plain names it calls (`Flask(...)`), nested functions included.
pub fn referenced_names(body: &[Stmt]) -> FxHashSet<&str> {
    let mut collector = NameCollector { names: FxHashSet::default() };
    for stmt in body {
        collector.visit_stmt(stmt);
    }
    collector.names
}
/// Whether a decorator only marks what it decorates: it sets attributes on
/// its first parameter and returns it (`def dec(f): f._endpoint_path =
/// path; return f`).
pub fn marks_its_argument(def: &ruff_python_ast::StmtFunctionDef) -> bool {
    let Some(param) = def.parameters.args.first().map(|p| p.parameter.name.as_str()) else { return false };
    let is_param = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == param);
    let sets_attribute = def.body.iter().any(|stmt| {
        matches!(stmt, Stmt::Assign(a) if a.targets.iter().any(|t| matches!(t, Expr::Attribute(attr) if is_param(&attr.value))))
    });
    let returns_it = matches!(def.body.last(), Some(Stmt::Return(r)) if r.value.as_deref().is_some_and(is_param));
    sets_attribute && returns_it
}

/// The names a function body declares `global` (nested functions apart).
pub fn global_names(body: &[Stmt]) -> Vec<&str> {
    struct Finder<'n> {
        names: Vec<&'n str>,
    }
    impl<'a> Visitor<'a> for Finder<'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::Global(global) => self.names.extend(global.names.iter().map(|n| n.as_str())),
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                _ => ruff_python_ast::visitor::walk_stmt(self, stmt),
            }
        }
    }
    let mut finder = Finder { names: Vec::new() };
    for stmt in body {
        finder.visit_stmt(stmt);
    }
    finder.names
}

/// Whether a body calls one of `callees` (by plain or attribute name) with
/// arguments: `create_app("prod")` or `factory.create_app(blueprints=...)`,
/// not `create_app()`.
pub fn calls_with_arguments(body: &[Stmt], callees: &FxHashSet<&str>) -> bool {
    struct Finder<'c, 'n> {
        callees: &'c FxHashSet<&'n str>,
        found: bool,
    }
    impl<'a> Visitor<'a> for Finder<'_, '_> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr {
                let name = match &*call.func {
                    Expr::Name(name) => Some(name.id.as_str()),
                    Expr::Attribute(attr) => Some(attr.attr.as_str()),
                    _ => None,
                };
                if name.is_some_and(|n| self.callees.contains(n)) && !call.arguments.is_empty() {
                    self.found = true;
                }
            }
            walk_expr(self, expr);
        }
    }
    let mut finder = Finder { callees, found: false };
    for stmt in body {
        finder.visit_stmt(stmt);
    }
    finder.found
}

/// Whether a module body registers routes on Flask's `current_app` while
/// it is imported (outside function bodies): `from flask import
/// current_app as app`, then `app.register_blueprint(...)`, `@app.route`
/// or `app.add_url_rule(...)` at module level. Such a module only works
/// when imported inside an app context. Reading `current_app.config` at
/// import does not count: it registers nothing.
pub fn registers_on_current_app_on_import(body: &[Stmt]) -> bool {
    const REGISTERS: &[&str] =
        &["register_blueprint", "route", "add_url_rule", "get", "post", "put", "patch", "delete"];
    let mut aliases: Vec<&str> = Vec::new();
    for stmt in body {
        if let Stmt::ImportFrom(import) = stmt {
            if import.module.as_ref().is_some_and(|m| m.as_str() == "flask" || m.as_str() == "flask.globals") {
                for alias in &import.names {
                    if alias.name.as_str() == "current_app" {
                        aliases.push(alias.asname.as_ref().unwrap_or(&alias.name).as_str());
                    }
                }
            }
        }
    }
    struct Finder<'n> {
        aliases: Vec<&'n str>,
        found: bool,
    }
    impl<'a> Visitor<'a> for Finder<'_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                // Decorators run at import; bodies do not.
                Stmt::FunctionDef(def) => def.decorator_list.iter().for_each(|d| self.visit_expr(&d.expression)),
                Stmt::ClassDef(class) => class.decorator_list.iter().for_each(|d| self.visit_expr(&d.expression)),
                Stmt::Import(_) | Stmt::ImportFrom(_) => {}
                _ => ruff_python_ast::visitor::walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Attribute(attr) = expr {
                let on_current_app = match &*attr.value {
                    Expr::Name(name) => self.aliases.contains(&name.id.as_str()),
                    Expr::Attribute(inner) => inner.attr.as_str() == "current_app",
                    _ => false,
                };
                if on_current_app && REGISTERS.contains(&attr.attr.as_str()) {
                    self.found = true;
                }
            }
            walk_expr(self, expr);
        }
    }
    let mut finder = Finder { aliases, found: false };
    for stmt in body {
        finder.visit_stmt(stmt);
        if finder.found {
            return true;
        }
    }
    false
}

/// The imports a module body runs while it is imported (outside functions
/// and classes): `(level, module, names)` of each `import` and `from`.
pub fn imports_on_import(body: &[Stmt]) -> Vec<(u32, Option<&str>, Vec<&str>)> {
    let mut out = Vec::new();
    let mut pending: Vec<&Stmt> = body.iter().collect();
    while let Some(stmt) = pending.pop() {
        match stmt {
            Stmt::Import(import) => out.extend(import.names.iter().map(|a| (0, Some(a.name.as_str()), Vec::new()))),
            Stmt::ImportFrom(import) => out.push((
                import.level,
                import.module.as_ref().map(|m| m.as_str()),
                import.names.iter().map(|a| a.name.as_str()).collect(),
            )),
            Stmt::If(s) => {
                pending.extend(s.body.iter());
                pending.extend(s.elif_else_clauses.iter().flat_map(|c| c.body.iter()));
            }
            Stmt::Try(s) => {
                pending.extend(s.body.iter().chain(&s.orelse).chain(&s.finalbody));
                for handler in &s.handlers {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(h) = handler;
                    pending.extend(h.body.iter());
                }
            }
            Stmt::With(s) => pending.extend(s.body.iter()),
            _ => {}
        }
    }
    out
}

/// The last names of the defaults of parameters that a body calls
/// (`def configure(flask_app=api.App): flask_app(...)` gives `App`), given
/// the body's [`referenced_names`].
pub fn called_parameter_defaults<'a>(
    def: &'a ruff_python_ast::StmtFunctionDef,
    body_names: &FxHashSet<&str>,
) -> Vec<&'a str> {
    def.parameters
        .iter_non_variadic_params()
        .filter(|p| body_names.contains(p.name().as_str()))
        .filter_map(|p| match p.default.as_deref()? {
            Expr::Name(name) => Some(name.id.as_str()),
            Expr::Attribute(attr) => Some(attr.attr.as_str()),
            _ => None,
        })
        .collect()
}

/// [`referenced_names`] of every function at the top of a module and of
/// every method of a top-level class: the functions the interpreter asks
/// about when it looks for entry points nobody calls. Computed on another
/// thread while the module bodies run (see `build_catalog`).
pub fn top_level_referenced_names(
    project: &retort_python::Project,
) -> Vec<(&ruff_python_ast::StmtFunctionDef, FxHashSet<&str>)> {
    let mut out = Vec::new();
    for module in &project.modules {
        for stmt in module.ast.body.iter() {
            match stmt {
                Stmt::FunctionDef(def) => out.push((def, referenced_names(&def.body))),
                Stmt::ClassDef(class) => {
                    for inner in class.body.iter() {
                        if let Stmt::FunctionDef(def) = inner {
                            out.push((def, referenced_names(&def.body)));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// Whether a hook's body can end the request before the view runs: it
/// returns a value other than `None`, raises, calls `abort()`, or calls a
/// function whose name says it verifies or requires something
/// (`verify_jwt_in_request()`, `check_login()`, `require_user()`), which
/// may raise. A hook that can do none of these guards nothing, whatever
/// its text mentions.
pub fn can_end_request(body: &[Stmt]) -> bool {
    struct Finder(bool);
    impl<'a> Visitor<'a> for Finder {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::Return(r) if r.value.as_deref().is_some_and(|v| !v.is_none_literal_expr()) => self.0 = true,
                Stmt::Raise(_) => self.0 = true,
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                _ => ruff_python_ast::visitor::walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr {
                let name = match &*call.func {
                    Expr::Name(n) => Some(n.id.as_str()),
                    Expr::Attribute(a) => Some(a.attr.as_str()),
                    _ => None,
                };
                if name.is_some_and(|n| {
                    let lower = n.to_ascii_lowercase();
                    lower == "abort"
                        || ["verify", "check", "require", "ensure", "login", "auth", "authenticate", "jwt"]
                            .iter()
                            .any(|w| lower.contains(w))
                }) {
                    self.0 = true;
                }
            }
            walk_expr(self, expr);
        }
    }
    let mut finder = Finder(false);
    for stmt in body {
        finder.visit_stmt(stmt);
    }
    finder.0
}

/// Lower-case words of a function body that suggest authentication.
pub fn mentions_auth(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    [
        "login",
        "auth",
        "token",
        "jwt",
        "current_user",
        "permission",
        "session[",
        "abort(401",
        "abort(403",
        "api_key",
        "apikey",
    ]
    .iter()
    .any(|word| lower.contains(word))
}

/// Every function and method of the project by name, nested ones included.
///
/// A class's name also stands for its `__init__` and `__call__` (calling the
/// class runs the one, calling its instances the other), and a name imported
/// under another (`from .flask import finalize_app as finalize_flask_app`)
/// for what it names: a chain followed by name does not stop at an alias.
pub fn functions_by_name(project: &retort_python::Project) -> FxHashMap<&str, Vec<&ruff_python_ast::StmtFunctionDef>> {
    type Index<'a> = FxHashMap<&'a str, Vec<&'a ruff_python_ast::StmtFunctionDef>>;
    fn collect<'a>(body: &'a [Stmt], out: &mut Index<'a>, aliases: &mut Vec<(&'a str, &'a str)>) {
        for stmt in body {
            match stmt {
                Stmt::FunctionDef(def) => {
                    out.entry(def.name.as_str()).or_default().push(def);
                    collect(&def.body, out, aliases);
                }
                Stmt::ClassDef(class) => {
                    for item in &class.body {
                        if let Stmt::FunctionDef(method) = item {
                            if matches!(method.name.as_str(), "__init__" | "__call__") {
                                out.entry(class.name.as_str()).or_default().push(method);
                            }
                        }
                    }
                    collect(&class.body, out, aliases)
                }
                Stmt::ImportFrom(import) => {
                    for alias in &import.names {
                        if let Some(asname) = &alias.asname {
                            aliases.push((asname.as_str(), alias.name.as_str()));
                        }
                    }
                }
                Stmt::If(s) => {
                    collect(&s.body, out, aliases);
                    for clause in &s.elif_else_clauses {
                        collect(&clause.body, out, aliases);
                    }
                }
                Stmt::Try(s) => {
                    collect(&s.body, out, aliases);
                    for handler in &s.handlers {
                        let ruff_python_ast::ExceptHandler::ExceptHandler(h) = handler;
                        collect(&h.body, out, aliases);
                    }
                    collect(&s.orelse, out, aliases);
                    collect(&s.finalbody, out, aliases);
                }
                Stmt::With(s) => collect(&s.body, out, aliases),
                _ => {}
            }
        }
    }
    let mut out = FxHashMap::default();
    let mut aliases = Vec::new();
    for module in &project.modules {
        collect(&module.ast.body, &mut out, &mut aliases);
    }
    for (asname, name) in aliases {
        if asname != name {
            if let Some(defs) = out.get(name).cloned() {
                out.entry(asname).or_default().extend(defs);
            }
        }
    }
    for defs in out.values_mut() {
        let mut seen = FxHashSet::default();
        defs.retain(|def| seen.insert(*def as *const _));
    }
    out
}
