//! Which project function a call reaches, or which project class a base
//! names: `helper(x)` defined in the same module or imported (`from .db
//! import helper`, `from pkg import db` then `db.helper(x)`, `import pkg.db
//! as db`), following re-exports through `__init__.py`. Methods, and
//! functions bound at run time, are not resolved.

use retort_python::{ModuleId, Project};
use ruff_python_ast::{Expr, Stmt, StmtClassDef, StmtFunctionDef};

use crate::syntax::dotted;

/// How many `from x import y` hops a re-export is followed.
const MAX_REEXPORT_HOPS: usize = 4;

/// The project function `func` (the called expression) names in `module`.
pub fn resolve_function<'p>(
    project: &'p Project,
    module: ModuleId,
    func: &Expr,
) -> Option<(ModuleId, &'p StmtFunctionDef)> {
    match resolve(project, module, func)? {
        (id, Stmt::FunctionDef(function)) => Some((id, function)),
        _ => None,
    }
}

/// The project class `expr` (a base class, a name) names in `module`.
pub fn resolve_class<'p>(project: &'p Project, module: ModuleId, expr: &Expr) -> Option<(ModuleId, &'p StmtClassDef)> {
    match resolve(project, module, expr)? {
        (id, Stmt::ClassDef(class)) => Some((id, class)),
        _ => None,
    }
}

/// The `def` or `class` statement a name or `module.name` refers to.
fn resolve<'p>(project: &'p Project, module: ModuleId, expr: &Expr) -> Option<(ModuleId, &'p Stmt)> {
    match expr {
        Expr::Name(name) => definition_in(project, module, name.id.as_str(), 0),
        Expr::Attribute(attr) => {
            let target = module_named(project, module, &dotted(&attr.value)?)?;
            definition_in(project, target, attr.attr.as_str(), 0)
        }
        _ => None,
    }
}

/// The function or class `name` of `module`: defined there, or imported into it.
fn definition_in<'p>(project: &'p Project, module: ModuleId, name: &str, hops: usize) -> Option<(ModuleId, &'p Stmt)> {
    let body = &project.module(module).ast.body;
    let defined = top_level_statements(body).filter(|stmt| match stmt {
        Stmt::FunctionDef(f) => f.name.as_str() == name,
        Stmt::ClassDef(c) => c.name.as_str() == name,
        _ => false,
    });
    if let Some(definition) = defined.last() {
        return Some((module, definition));
    }
    if hops >= MAX_REEXPORT_HOPS {
        return None;
    }
    for stmt in top_level_statements(body) {
        let Stmt::ImportFrom(import) = stmt else { continue };
        for alias in &import.names {
            let bound = alias.asname.as_ref().unwrap_or(&alias.name);
            if bound.as_str() != name {
                continue;
            }
            let from = project.resolve_import(module, import.level, import.module.as_ref().map(|m| m.as_str()))?;
            return definition_in(project, from, alias.name.as_str(), hops + 1);
        }
    }
    None
}

/// The project module a dotted name refers to in `module`: `import a.b`,
/// `import a.b as m`, or `from a import b` where `b` is a module.
fn module_named(project: &Project, module: ModuleId, dotted_name: &str) -> Option<ModuleId> {
    for stmt in top_level_statements(&project.module(module).ast.body) {
        match stmt {
            Stmt::Import(import) => {
                for alias in &import.names {
                    let full = alias.name.as_str();
                    let found = match &alias.asname {
                        Some(asname) => asname.as_str() == dotted_name,
                        None => full == dotted_name,
                    };
                    if found {
                        return project.resolve_absolute(full, module);
                    }
                }
            }
            Stmt::ImportFrom(import) => {
                for alias in &import.names {
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                    if bound.as_str() != dotted_name {
                        continue;
                    }
                    let base = import.module.as_ref().map(|m| m.as_str());
                    let full = match base {
                        Some(base) => format!("{base}.{}", alias.name.as_str()),
                        None => alias.name.to_string(),
                    };
                    return project.resolve_import(module, import.level, Some(&full));
                }
            }
            _ => {}
        }
    }
    None
}

/// Statements at the top level of a module, including those inside
/// `try:` / `if` blocks (optional imports, `TYPE_CHECKING`).
pub fn top_level_statements(body: &[Stmt]) -> impl Iterator<Item = &Stmt> {
    let mut out: Vec<&Stmt> = Vec::new();
    fn collect<'a>(body: &'a [Stmt], out: &mut Vec<&'a Stmt>) {
        for stmt in body {
            match stmt {
                Stmt::Try(t) => {
                    collect(&t.body, out);
                    for handler in &t.handlers {
                        let ruff_python_ast::ExceptHandler::ExceptHandler(h) = handler;
                        collect(&h.body, out);
                    }
                    collect(&t.orelse, out);
                }
                Stmt::If(i) => {
                    collect(&i.body, out);
                    for clause in &i.elif_else_clauses {
                        collect(&clause.body, out);
                    }
                }
                other => out.push(other),
            }
        }
    }
    collect(body, &mut out);
    out.into_iter()
}

/// The class `name` defined at the top level of `module`.
pub fn top_level_class<'p>(project: &'p Project, module: ModuleId, name: &str) -> Option<&'p StmtClassDef> {
    top_level_statements(&project.module(module).ast.body).find_map(|stmt| match stmt {
        Stmt::ClassDef(class) if class.name.as_str() == name => Some(class),
        _ => None,
    })
}

/// How many project base classes a method lookup climbs.
const MAX_BASE_DEPTH: usize = 8;

/// The method `name` of a project class: its own, or that of the first
/// project base (in order) that defines it. Bases that are not the
/// project's are not looked into.
pub fn method_of<'p>(
    project: &'p Project,
    module: ModuleId,
    class: &'p StmtClassDef,
    name: &str,
) -> Option<(ModuleId, &'p StmtClassDef, &'p StmtFunctionDef)> {
    let mut pending = vec![(module, class, 0)];
    while let Some((module, class, depth)) = pending.pop() {
        let own = class.body.iter().find_map(|stmt| match stmt {
            Stmt::FunctionDef(f) if f.name.as_str() == name => Some(f),
            _ => None,
        });
        if let Some(method) = own {
            return Some((module, class, method));
        }
        if depth < MAX_BASE_DEPTH {
            let bases: Vec<_> = class.bases().iter().filter_map(|b| resolve_class(project, module, b)).collect();
            pending.extend(bases.into_iter().rev().map(|(m, c)| (m, c, depth + 1)));
        }
    }
    None
}
