//! Which project function a call reaches, or which project class a base
//! names: `helper(x)` defined in the same module or imported (`from .db
//! import helper`, `from pkg import db` then `db.helper(x)`, `import pkg.db
//! as db`), following re-exports through `__init__.py`. Methods, and
//! functions bound at run time, are not resolved.

use std::collections::HashMap;
use std::sync::OnceLock;

use retort_python::{ModuleId, Project};
use ruff_python_ast::{Alias, Expr, Stmt, StmtClassDef, StmtFunctionDef, StmtImportFrom};

use crate::syntax::dotted;

/// How many `from x import y` hops a re-export is followed.
const MAX_REEXPORT_HOPS: usize = 4;

/// The project function `func` (the called expression) names in `module`.
pub fn resolve_function<'p>(
    project: &'p Project,
    module: ModuleId,
    func: &Expr,
) -> Option<(ModuleId, &'p StmtFunctionDef)> {
    Lookup { project, index: None }.function(module, func)
}

/// The project class `expr` (a base class, a name) names in `module`.
pub fn resolve_class<'p>(project: &'p Project, module: ModuleId, expr: &Expr) -> Option<(ModuleId, &'p StmtClassDef)> {
    Lookup { project, index: None }.class(module, expr)
}

/// What a module binds at its top level (see [`top_level_statements`]),
/// by name: what resolution looks up, read in one pass over the module.
struct TopLevel<'p> {
    /// `def` and `class` statements (of several with one name, the last).
    definitions: HashMap<&'p str, &'p Stmt>,
    /// `from x import y [as z]`, by bound name (of several, the first).
    from_imports: HashMap<&'p str, (&'p StmtImportFrom, &'p Alias)>,
    /// What may bind a module, by bound name (of several, the first):
    /// `import a.b` (bound as `a.b`), `import a.b as m`, `from a import b`.
    module_bindings: HashMap<&'p str, ModuleBinding<'p>>,
}

enum ModuleBinding<'p> {
    /// `import a.b [as m]`: the full name.
    Import(&'p str),
    /// `from a import b [as m]`.
    From(&'p StmtImportFrom, &'p Alias),
}

impl<'p> TopLevel<'p> {
    fn of(body: &'p [Stmt]) -> TopLevel<'p> {
        let mut table =
            TopLevel { definitions: HashMap::new(), from_imports: HashMap::new(), module_bindings: HashMap::new() };
        for stmt in top_level_statements(body) {
            match stmt {
                Stmt::FunctionDef(f) => {
                    table.definitions.insert(f.name.as_str(), stmt);
                }
                Stmt::ClassDef(c) => {
                    table.definitions.insert(c.name.as_str(), stmt);
                }
                Stmt::Import(import) => {
                    for alias in &import.names {
                        let bound = alias.asname.as_ref().unwrap_or(&alias.name).as_str();
                        table.module_bindings.entry(bound).or_insert(ModuleBinding::Import(alias.name.as_str()));
                    }
                }
                Stmt::ImportFrom(import) => {
                    for alias in &import.names {
                        let bound = alias.asname.as_ref().unwrap_or(&alias.name).as_str();
                        table.from_imports.entry(bound).or_insert((import, alias));
                        table.module_bindings.entry(bound).or_insert(ModuleBinding::From(import, alias));
                    }
                }
                _ => {}
            }
        }
        table
    }
}

/// The top-level tables of a project's modules, each built the first time
/// a resolution looks into its module, and shared by every analysis of the
/// run (and their threads). Resolving through it gives the same answers as
/// [`resolve_function`] and [`resolve_class`], without reading the
/// module's statements again for every call.
pub struct ProjectIndex<'p> {
    project: &'p Project,
    tables: Vec<OnceLock<TopLevel<'p>>>,
}

impl<'p> ProjectIndex<'p> {
    pub fn new(project: &'p Project) -> ProjectIndex<'p> {
        ProjectIndex { project, tables: project.modules.iter().map(|_| OnceLock::new()).collect() }
    }

    fn table(&self, module: ModuleId) -> &TopLevel<'p> {
        self.tables[module].get_or_init(|| TopLevel::of(&self.project.module(module).ast.body))
    }

    /// [`resolve_function`] through the index.
    pub fn resolve_function(&self, module: ModuleId, func: &Expr) -> Option<(ModuleId, &'p StmtFunctionDef)> {
        Lookup { project: self.project, index: Some(self) }.function(module, func)
    }

    /// [`resolve_class`] through the index.
    pub fn resolve_class(&self, module: ModuleId, expr: &Expr) -> Option<(ModuleId, &'p StmtClassDef)> {
        Lookup { project: self.project, index: Some(self) }.class(module, expr)
    }

    /// [`method_of`] through the index.
    pub fn method_of(
        &self,
        module: ModuleId,
        class: &'p StmtClassDef,
        name: &str,
    ) -> Option<(ModuleId, &'p StmtClassDef, &'p StmtFunctionDef)> {
        Lookup { project: self.project, index: Some(self) }.method(module, class, name)
    }
}

/// A module's table: the index's, or one built for a single lookup.
enum Table<'i, 'p> {
    Shared(&'i TopLevel<'p>),
    Own(TopLevel<'p>),
}

impl<'p> std::ops::Deref for Table<'_, 'p> {
    type Target = TopLevel<'p>;
    fn deref(&self) -> &TopLevel<'p> {
        match self {
            Table::Shared(table) => table,
            Table::Own(table) => table,
        }
    }
}

/// Resolution over the tables of an index, or (without one) over tables
/// built for each lookup.
struct Lookup<'i, 'p> {
    project: &'p Project,
    index: Option<&'i ProjectIndex<'p>>,
}

impl<'i, 'p> Lookup<'i, 'p> {
    fn table(&self, module: ModuleId) -> Table<'i, 'p> {
        match self.index {
            Some(index) => Table::Shared(index.table(module)),
            None => Table::Own(TopLevel::of(&self.project.module(module).ast.body)),
        }
    }

    fn function(&self, module: ModuleId, func: &Expr) -> Option<(ModuleId, &'p StmtFunctionDef)> {
        match self.resolve(module, func)? {
            (id, Stmt::FunctionDef(function)) => Some((id, function)),
            _ => None,
        }
    }

    fn class(&self, module: ModuleId, expr: &Expr) -> Option<(ModuleId, &'p StmtClassDef)> {
        match self.resolve(module, expr)? {
            (id, Stmt::ClassDef(class)) => Some((id, class)),
            _ => None,
        }
    }

    /// The `def` or `class` statement a name or `module.name` refers to.
    fn resolve(&self, module: ModuleId, expr: &Expr) -> Option<(ModuleId, &'p Stmt)> {
        match expr {
            Expr::Name(name) => self.definition_in(module, name.id.as_str(), 0),
            Expr::Attribute(attr) => {
                let target = self.module_named(module, &dotted(&attr.value)?)?;
                self.definition_in(target, attr.attr.as_str(), 0)
            }
            _ => None,
        }
    }

    /// The function or class `name` of `module`: defined there, or imported
    /// into it (the first `from … import` binding the name is followed).
    fn definition_in(&self, module: ModuleId, name: &str, hops: usize) -> Option<(ModuleId, &'p Stmt)> {
        let table = self.table(module);
        if let Some(&definition) = table.definitions.get(name) {
            return Some((module, definition));
        }
        if hops >= MAX_REEXPORT_HOPS {
            return None;
        }
        let &(import, alias) = table.from_imports.get(name)?;
        let from = self.project.resolve_import(module, import.level, import.module.as_ref().map(|m| m.as_str()))?;
        self.definition_in(from, alias.name.as_str(), hops + 1)
    }

    /// The project module a dotted name refers to in `module`: `import a.b`,
    /// `import a.b as m`, or `from a import b` where `b` is a module (the
    /// first import binding the name).
    fn module_named(&self, module: ModuleId, dotted_name: &str) -> Option<ModuleId> {
        match self.table(module).module_bindings.get(dotted_name)? {
            ModuleBinding::Import(full) => self.project.resolve_absolute(full, module),
            ModuleBinding::From(import, alias) => {
                let full = match import.module.as_ref().map(|m| m.as_str()) {
                    Some(base) => format!("{base}.{}", alias.name.as_str()),
                    None => alias.name.to_string(),
                };
                self.project.resolve_import(module, import.level, Some(&full))
            }
        }
    }

    /// See [`method_of`].
    fn method(
        &self,
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
                let bases: Vec<_> = class.bases().iter().filter_map(|b| self.class(module, b)).collect();
                pending.extend(bases.into_iter().rev().map(|(m, c)| (m, c, depth + 1)));
            }
        }
        None
    }
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
    Lookup { project, index: None }.method(module, class, name)
}
