//! Import statements of every module, resolved to project modules with
//! grimp's rules, into one [`ImportGraph`].
//!
//! Source: grimp (`rust/src/import_parsing.rs`, `import_scanning.rs`,
//! David Seddon). Each imported *object* is named as grimp names it:
//! `import a.b` → `a.b`; `from a import b` → `a.b`; `from . import b` →
//! `<base>.b`; `from a import *` → `a.*`. The object resolves to the module
//! of that name, else to its parent (one level only), else it is external
//! (kept by its top-level name) or, when it lies inside a project package,
//! unresolved. So `import a.b` is an edge to `a.b`, not to `a` (although
//! Python runs `a/__init__.py` first, grimp records no such edge, and
//! neither does Retort, to keep the two graphs comparable). Imports in
//! function bodies and under `if TYPE_CHECKING:` are edges too, marked.

use std::collections::{BTreeMap, BTreeSet};

use retort_python::{Module, ModuleId, Project};
use ruff_python_ast::statement_visitor::{walk_stmt, StatementVisitor};
use ruff_python_ast::{Expr, Stmt};

use crate::graph::{ImportEdge, ImportGraph};

/// One imported object as written, before resolution.
#[derive(Debug, Clone)]
struct ImportedObject {
    /// Leading dots of a relative import.
    level: u32,
    /// The dotted object name after the dots (`a.b`, `b`, `*`).
    name: String,
    line: u32,
    in_function: bool,
    type_checking: bool,
}

struct ImportCollector<'m> {
    module: &'m Module,
    found: Vec<ImportedObject>,
    function_depth: usize,
    type_checking_depth: usize,
}

impl<'a> StatementVisitor<'a> for ImportCollector<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        let flags = |this: &Self| (this.function_depth > 0, this.type_checking_depth > 0);
        match stmt {
            Stmt::Import(import) => {
                let line = self.module.line_of(import.range.start());
                let (in_function, type_checking) = flags(self);
                for alias in &import.names {
                    self.found.push(ImportedObject {
                        level: 0,
                        name: alias.name.id.to_string(),
                        line,
                        in_function,
                        type_checking,
                    });
                }
            }
            Stmt::ImportFrom(import) => {
                let line = self.module.line_of(import.range.start());
                let (in_function, type_checking) = flags(self);
                for alias in &import.names {
                    let name = match &import.module {
                        Some(module) => format!("{}.{}", module.id, alias.name.id),
                        None => alias.name.id.to_string(),
                    };
                    self.found.push(ImportedObject { level: import.level, name, line, in_function, type_checking });
                }
            }
            Stmt::FunctionDef(_) => {
                self.function_depth += 1;
                walk_stmt(self, stmt);
                self.function_depth -= 1;
            }
            Stmt::If(if_stmt) if is_type_checking_test(&if_stmt.test) => {
                // Only the body is type-checking-only; `else:` runs at run time
                // (grimp marks the else branch too, see docs/arch.md).
                self.type_checking_depth += 1;
                self.visit_body(&if_stmt.body);
                self.type_checking_depth -= 1;
                for clause in &if_stmt.elif_else_clauses {
                    self.visit_body(&clause.body);
                }
            }
            _ => walk_stmt(self, stmt),
        }
    }
}

fn is_type_checking_test(test: &Expr) -> bool {
    match test {
        Expr::Name(name) => name.id.as_str() == "TYPE_CHECKING",
        Expr::Attribute(attribute) => attribute.attr.id.as_str() == "TYPE_CHECKING",
        _ => false,
    }
}

/// The absolute object name of a relative import, as grimp computes it
/// from the importer's dotted name; `None` when the dots go above the top.
fn absolute_name(module: &Module, level: u32, name: &str) -> Option<String> {
    if level == 0 {
        return Some(name.to_string());
    }
    let parts: Vec<&str> = module.name.split('.').collect();
    let drop = if module.is_package { level as usize - 1 } else { level as usize };
    let keep = parts.len().checked_sub(drop)?;
    if keep == 0 {
        return None;
    }
    Some(format!("{}.{}", parts[..keep].join("."), name))
}

/// What became of the imports that are no project edge.
#[derive(Debug, Default)]
pub struct ImportScan {
    pub graph: ImportGraph,
    /// Top-level names of external packages imported, with the modules and
    /// lines importing them (for forbidden contracts on external packages).
    pub external_lines: BTreeMap<String, Vec<(ModuleId, u32)>>,
    /// Imports that point inside the project but name no module found
    /// (`file`, `line`, the name as resolved).
    pub unresolved: Vec<(ModuleId, u32, String)>,
}

/// Scans every module of the project and builds the import graph.
pub fn scan_imports(project: &Project) -> ImportScan {
    let roots: BTreeSet<&str> = project.modules.iter().filter_map(|m| m.name.split('.').next()).collect();
    let mut scan = ImportScan { graph: ImportGraph::new(project), ..Default::default() };
    for (id, module) in project.modules.iter().enumerate() {
        let mut collector = ImportCollector { module, found: Vec::new(), function_depth: 0, type_checking_depth: 0 };
        collector.visit_body(&module.ast.body);
        for object in collector.found {
            let Some(name) = absolute_name(module, object.level, &object.name) else {
                scan.unresolved.push((
                    id,
                    object.line,
                    format!("{}{}", ".".repeat(object.level as usize), object.name),
                ));
                continue;
            };
            match resolve_object(project, &name, &module.path) {
                Some(target) => scan.graph.add_edge(ImportEdge {
                    from: id,
                    to: target,
                    line: object.line,
                    in_function: object.in_function,
                    type_checking: object.type_checking,
                    object: name.rsplit('.').next().unwrap_or_default().to_string(),
                }),
                None => {
                    let root = name.split('.').next().unwrap_or_default().to_string();
                    if object.level > 0 || roots.contains(root.as_str()) {
                        scan.unresolved.push((id, object.line, name));
                    } else if !root.is_empty() && root != "*" {
                        scan.external_lines.entry(root).or_default().push((id, object.line));
                    }
                }
            }
        }
    }
    scan.graph.finish();
    scan
}

/// The module an imported object names, else its parent (one level).
fn resolve_object(project: &Project, name: &str, importer_path: &std::path::Path) -> Option<ModuleId> {
    project
        .resolve_absolute_at(name, importer_path)
        .or_else(|| name.rsplit_once('.').and_then(|(parent, _)| project.resolve_absolute_at(parent, importer_path)))
}

/// The project modules imported by a file that is not one of the project's
/// modules (a test file read with `Project::map_side_modules`), with the
/// lines, resolved by the same rules as [`scan_imports`].
pub fn side_module_imports(project: &Project, module: &Module) -> Vec<(ModuleId, u32)> {
    let mut collector = ImportCollector { module, found: Vec::new(), function_depth: 0, type_checking_depth: 0 };
    collector.visit_body(&module.ast.body);
    collector
        .found
        .into_iter()
        .filter_map(|object| {
            let name = absolute_name(module, object.level, &object.name)?;
            resolve_object(project, &name, &module.path).map(|target| (target, object.line))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edges(project: &Project) -> Vec<(String, String, u32, bool, bool)> {
        let scan = scan_imports(project);
        let mut out: Vec<_> = scan
            .graph
            .edges
            .iter()
            .map(|e| {
                (
                    project.module(e.from).name.clone(),
                    project.module(e.to).name.clone(),
                    e.line,
                    e.in_function,
                    e.type_checking,
                )
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn resolves_like_grimp() {
        let project = Project::from_sources(&[
            ("pkg/__init__.py", "from . import x\nfrom .sub import thing\nimport pkg.sub.mod\n"),
            ("pkg/a.py", "import pkg.sub.nothere.deeper\nimport pkg.sub.mod.attr\nfrom pkg import *\n"),
            ("pkg/sub/__init__.py", ""),
            (
                "pkg/sub/mod.py",
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .. import a\nelse:\n    import os\ndef f():\n    import pkg.a\n",
            ),
        ]);
        // The expected edges are what grimp 3.19 prints for the same tree.
        assert_eq!(
            edges(&project),
            vec![
                ("pkg".into(), "pkg".into(), 1, false, false),
                ("pkg".into(), "pkg.sub".into(), 2, false, false),
                ("pkg".into(), "pkg.sub.mod".into(), 3, false, false),
                ("pkg.a".into(), "pkg".into(), 3, false, false),
                ("pkg.a".into(), "pkg.sub.mod".into(), 2, false, false),
                ("pkg.sub.mod".into(), "pkg.a".into(), 3, false, true),
                ("pkg.sub.mod".into(), "pkg.a".into(), 7, true, false),
            ]
        );
        let scan = scan_imports(&project);
        assert!(scan.external_lines.contains_key("typing") && scan.external_lines.contains_key("os"));
        assert_eq!(scan.unresolved.len(), 1, "pkg.sub.nothere.deeper names no module");
    }

    #[test]
    fn relative_names_follow_packages() {
        let project = Project::from_sources(&[("p/__init__.py", ""), ("p/q/__init__.py", ""), ("p/q/m.py", "")]);
        let package = project.modules.iter().find(|m| m.name == "p.q").unwrap();
        let module = project.modules.iter().find(|m| m.name == "p.q.m").unwrap();
        assert_eq!(absolute_name(package, 1, "x").as_deref(), Some("p.q.x"));
        assert_eq!(absolute_name(package, 2, "x").as_deref(), Some("p.x"));
        assert_eq!(absolute_name(module, 1, "x").as_deref(), Some("p.q.x"));
        assert_eq!(absolute_name(module, 3, "x"), None);
    }
}
