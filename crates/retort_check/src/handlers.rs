//! Which functions are request handlers: the views of the catalog's routes
//! (functions, and the HTTP-method handlers of class-based views).

use std::collections::HashMap;

use retort_flask::catalog::Route;
use retort_flask::Catalog;
use retort_python::{Module, Project};
use ruff_python_ast::{Expr, Stmt, StmtClassDef, StmtFunctionDef};
use ruff_text_size::{Ranged, TextSize};

/// Methods of a class-based view that Flask (MethodView, RESTful, RESTX)
/// dispatches requests to.
pub const HANDLER_METHODS: &[&str] = &["get", "post", "put", "patch", "delete", "head", "options", "dispatch_request"];

/// URL converters whose values cannot carry an injection payload.
const SAFE_CONVERTERS: &[&str] = &["int", "float", "uuid"];

/// What `check` knows about one request handler.
#[derive(Debug, Clone, Default)]
pub struct HandlerInfo {
    /// URL parameters whose converter makes them safe (`<int:id>`).
    pub typed_params: Vec<String>,
    /// URL parameters that are one path segment in every rule (the default
    /// `string` converter, `any`): they cannot hold a `/`.
    pub segment_params: Vec<String>,
    /// The rules it serves (for messages).
    pub rules: Vec<String>,
    /// Names of the placeholders of every rule it serves (`<int:id>` → `id`);
    /// `None` when a rule or its prefix is not known, so that any parameter
    /// may be one. Other parameters are filled by decorators (the logged-in
    /// user of an auth wrapper) or `defaults`, not by the client.
    pub url_params: Option<Vec<String>>,
    /// Routes seen for it while building the index.
    routes: usize,
}

/// The definition a route's `view_location` points at.
#[derive(Clone, Copy)]
pub enum ViewDef<'a> {
    Function(&'a StmtFunctionDef),
    Class(&'a StmtClassDef),
}

/// Request handlers by module path and the start offset of their `def`.
#[derive(Debug, Default)]
pub struct HandlerIndex {
    by_module: HashMap<std::path::PathBuf, HashMap<TextSize, HandlerInfo>>,
}

impl HandlerIndex {
    pub fn build(project: &Project, catalog: &Catalog) -> HandlerIndex {
        let mut index = HandlerIndex::default();
        for route in &catalog.routes {
            let Some(location) = &route.view_location else { continue };
            let Some(module) = project.module_by_display_path(&location.file) else { continue };
            let Some(def) = find_def_at_line(module, location.line) else { continue };
            let typed = typed_params(route);
            let segments = segment_params(route);
            let functions: Vec<(&Module, &StmtFunctionDef)> = match def {
                ViewDef::Function(f) => vec![(module, f)],
                ViewDef::Class(c) => class_handlers(project, module, c),
            };
            for (module, function) in functions {
                let entry = index.by_module.entry(module.path.clone()).or_default();
                let info = entry.entry(function.range().start()).or_default();
                info.rules.extend(route.rule.clone());
                info.routes += 1;
                let names = url_param_names(route);
                info.url_params = match (info.routes, info.url_params.take(), names) {
                    (1, _, names) => names,
                    (_, Some(mut known), Some(names)) => {
                        known.extend(names.into_iter().filter(|n| !known.contains(n)).collect::<Vec<_>>());
                        Some(known)
                    }
                    _ => None,
                };
                // A parameter is safe only if every rule reaching the view types it.
                if info.rules.len() == 1 {
                    info.typed_params = typed.clone();
                    info.segment_params = segments.clone();
                } else {
                    info.typed_params.retain(|p| typed.contains(p));
                    info.segment_params.retain(|p| segments.contains(p));
                }
            }
        }
        index
    }

    /// The handler whose `def` (decorators included) starts at `start`.
    pub fn get(&self, module: &Module, start: TextSize) -> Option<&HandlerInfo> {
        self.by_module.get(&module.path)?.get(&start)
    }
}

/// How many base classes up a view's handlers are looked for.
const MAX_BASES: usize = 16;

/// The class and its project base classes, nearest first (breadth-first),
/// each with its module.
pub fn class_chain<'a>(
    project: &'a Project,
    module: &'a Module,
    class: &'a StmtClassDef,
) -> Vec<(&'a Module, &'a StmtClassDef)> {
    let mut chain = vec![(module, class)];
    let mut next = 0;
    while next < chain.len() && chain.len() < MAX_BASES {
        let (module, class) = chain[next];
        next += 1;
        let Some(module_id) = project.module_by_path(&module.path) else { continue };
        for base in class.bases() {
            let Some((base_module, base_class)) = crate::calls::resolve_class(project, module_id, base) else {
                continue;
            };
            if !chain.iter().any(|(_, c)| std::ptr::eq(*c, base_class)) {
                chain.push((project.module(base_module), base_class));
            }
        }
    }
    chain
}

/// The methods a class-based view dispatches requests to, its own or
/// inherited from a project base class (the nearest definition of each).
pub fn class_handlers<'a>(
    project: &'a Project,
    module: &'a Module,
    class: &'a StmtClassDef,
) -> Vec<(&'a Module, &'a StmtFunctionDef)> {
    let mut handlers: Vec<(&Module, &StmtFunctionDef)> = Vec::new();
    for (module, class) in class_chain(project, module, class) {
        for stmt in &class.body {
            if let Stmt::FunctionDef(f) = stmt {
                let name = f.name.as_str();
                if HANDLER_METHODS.contains(&name) && !handlers.iter().any(|(_, h)| h.name.as_str() == name) {
                    handlers.push((module, f));
                }
            }
        }
    }
    handlers
}

/// The function or class defined at `line` (its first decorator or its
/// `def`/`class` line), at any nesting depth.
pub fn find_def_at_line(module: &Module, line: u32) -> Option<ViewDef<'_>> {
    fn search<'a>(module: &Module, body: &'a [Stmt], line: u32) -> Option<ViewDef<'a>> {
        for stmt in body {
            let start = module.line_of(stmt.range().start());
            let end = module.line_of(stmt.range().end());
            if line < start || line > end {
                continue;
            }
            match stmt {
                Stmt::FunctionDef(f) => {
                    if start == line || module.line_of(f.name.range().start()) == line {
                        return Some(ViewDef::Function(f));
                    }
                    return search(module, &f.body, line);
                }
                Stmt::ClassDef(c) => {
                    if start == line || module.line_of(c.name.range().start()) == line {
                        return Some(ViewDef::Class(c));
                    }
                    return search(module, &c.body, line);
                }
                Stmt::If(s) => {
                    if let Some(found) = search(module, &s.body, line) {
                        return Some(found);
                    }
                    for clause in &s.elif_else_clauses {
                        if let Some(found) = search(module, &clause.body, line) {
                            return Some(found);
                        }
                    }
                }
                Stmt::Try(s) => {
                    for block in [&s.body, &s.orelse, &s.finalbody] {
                        if let Some(found) = search(module, block, line) {
                            return Some(found);
                        }
                    }
                    for handler in &s.handlers {
                        let ruff_python_ast::ExceptHandler::ExceptHandler(h) = handler;
                        if let Some(found) = search(module, &h.body, line) {
                            return Some(found);
                        }
                    }
                }
                Stmt::With(s) => return search(module, &s.body, line),
                Stmt::For(s) => return search(module, &s.body, line),
                Stmt::While(s) => return search(module, &s.body, line),
                _ => {}
            }
        }
        None
    }
    search(module, &module.ast.body, line)
}

/// The view definition of a route, if the catalog located it.
pub fn view_def<'a>(project: &'a Project, route: &Route) -> Option<(&'a Module, ViewDef<'a>)> {
    let location = route.view_location.as_ref()?;
    let module = project.module_by_display_path(&location.file)?;
    Some((module, find_def_at_line(module, location.line)?))
}

/// Parameters of a Flask rule with a converter that only admits numbers or UUIDs.
/// The placeholders of a rule: (converter, name), `<id>` → (`None`, `id`),
/// `<int(min=1):id>` → (`Some("int")`, `id`).
fn placeholders(rule: &str) -> Vec<(Option<&str>, &str)> {
    let mut out = Vec::new();
    let mut rest = rule;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>') else { break };
        let inner = &rest[open + 1..open + close];
        out.push(match inner.rsplit_once(':') {
            Some((converter, name)) => (Some(converter.split('(').next().unwrap_or(converter).trim()), name.trim()),
            None => (None, inner.trim()),
        });
        rest = &rest[open + close + 1..];
    }
    out
}

/// The names of a route's URL placeholders, `None` when its rule or its
/// prefix is not known.
pub fn url_param_names(route: &Route) -> Option<Vec<String>> {
    let rule = route.rule.as_ref().filter(|_| !route.rule_prefix_unknown)?;
    Some(placeholders(rule).into_iter().map(|(_, name)| name.to_string()).collect())
}

pub fn typed_params(route: &Route) -> Vec<String> {
    let Some(rule) = &route.rule else { return Vec::new() };
    placeholders(rule)
        .into_iter()
        .filter(|(converter, _)| converter.is_some_and(|c| SAFE_CONVERTERS.contains(&c)))
        .map(|(_, name)| name.to_string())
        .collect()
}

/// URL parameters of a route that are one path segment: the default
/// converter (`<name>`, `<string:name>`) and `any` match no `/`.
pub fn segment_params(route: &Route) -> Vec<String> {
    let Some(rule) = &route.rule else { return Vec::new() };
    placeholders(rule)
        .into_iter()
        .filter(|(converter, _)| converter.is_none_or(|c| c == "string" || c.starts_with("any")))
        .map(|(_, name)| name.to_string())
        .collect()
}

/// Whether a route is behind an authentication guard: a guard in the
/// catalog (decorators, authenticating `before_request` hooks), or, for a
/// class-based view, `decorators`/`method_decorators` or decorated handler
/// methods on the class or a project base class.
pub fn route_guarded(project: &Project, route: &Route, extra: &[String]) -> bool {
    if route.guards.iter().any(|g| g.auth) {
        return true;
    }
    let Some((module, ViewDef::Class(class))) = view_def(project, route) else { return false };
    class_chain(project, module, class).iter().any(|(_, c)| class_attribute_guards(c, extra))
        || class_handlers(project, module, class)
            .iter()
            .any(|(_, m)| m.decorator_list.iter().any(|d| is_auth(&d.expression, extra)))
}

fn class_attribute_guards(class: &StmtClassDef, extra: &[String]) -> bool {
    class.body.iter().any(|stmt| {
        let Stmt::Assign(assign) = stmt else { return false };
        let named = assign.targets.iter().any(
            |t| matches!(t, Expr::Name(n) if n.id.as_str() == "decorators" || n.id.as_str() == "method_decorators"),
        );
        let elements: &[Expr] = match &*assign.value {
            Expr::List(l) => &l.elts,
            Expr::Tuple(t) => &t.elts,
            _ => return false,
        };
        named && elements.iter().any(|e| is_auth(e, extra))
    })
}

/// `@login_required`, `@jwt_required()`, a configured extra decorator.
fn is_auth(expr: &Expr, extra: &[String]) -> bool {
    let target = match expr {
        Expr::Call(call) => &*call.func,
        other => other,
    };
    crate::checker::helpers::dotted(target).is_some_and(|name| retort_flask::is_auth_decorator(&name, extra))
}
