//! PERF003: the documentation is [`DOC`].

use std::collections::{HashMap, HashSet};

use ruff_python_ast::visitor::{walk_expr, walk_stmt, Visitor};
use ruff_python_ast::{Expr, Stmt, StmtFunctionDef};
use ruff_text_size::Ranged;

use crate::checker::helpers::{dotted, string_value};
use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;

pub const RULE: Rule = Rule {
    code: "PERF003",
    name: "n-plus-one-query",
    category: Category::Performance,
    severity: Severity::Warning,
    cwe: None,
    summary: "Lazy relationship loaded once per row (N+1 queries)",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
In a request handler, flags a loop over the rows of a SQLAlchemy query
that reads a lazily loaded relationship of each row (`order.items`,
`order.user`), when the query has no eager-loading option
(`selectinload`, `joinedload`, `subqueryload`, `contains_eager`) and the
relationship is not declared `lazy="joined"`/`"selectin"`/`"subquery"`.

## Why is this bad?
Each access runs one more query: a page of 500 orders costs 1 + 500 + 500
round trips to the database. It is invisible with ten rows in development
and dominates the response time in production.

## Example
```python
orders = Order.query.filter(Order.placed_at >= start).all()
for order in orders:
    for item in order.items:
        writer.writerow([order.number, order.user.email, item.sku])
```

Use instead:
```python
orders = (
    Order.query.filter(Order.placed_at >= start)
    .options(selectinload(Order.items), joinedload(Order.user))
    .all()
)
```

## References
- [SQLAlchemy: Relationship Loading Techniques](https://docs.sqlalchemy.org/en/20/orm/queryguide/relationships.html)
"#;

const EAGER_OPTIONS: &[&str] = &["selectinload", "joinedload", "subqueryload", "contains_eager", "immediateload"];
const EAGER_LAZY: &[&str] = &["joined", "selectin", "subquery", "immediate"];
const QUERY_MARKERS: &[&str] = &["query", "filter", "filter_by", "order_by", "scalars", "select", "where"];

pub fn check(checker: &mut Checker, stmt: &Stmt) {
    let Stmt::FunctionDef(function) = stmt else { return };
    let Some(module) = checker.module else { return };
    if checker.handlers.get(module, function.range().start()).is_none() {
        return;
    }
    let lazy = checker.memo.lazy_relationships.get_or_init(|| lazy_relationships(checker)).clone();
    if lazy.is_empty() {
        return;
    }
    for (attribute, range, target) in n_plus_one_accesses(function, &lazy) {
        checker.report(
            &RULE,
            range,
            format!(
                "`{target}.{attribute}` is loaded lazily for every row of the query this loop iterates (N+1 queries)"
            ),
        );
    }
}

/// Relationship names declared lazy (the default) on some model.
fn lazy_relationships(checker: &Checker) -> HashSet<String> {
    let mut by_file: HashMap<&str, Vec<&retort_flask::catalog::Relationship>> = HashMap::new();
    for model in &checker.catalog.models {
        by_file.entry(model.file.as_str()).or_default().extend(&model.relationships);
    }
    let mut eager_by_name: HashMap<String, bool> = HashMap::new();
    for (file, relationships) in by_file {
        // Lines of the module's `relationship(...)` calls with an eager `lazy=`.
        let eager_lines = checker.project.module_by_display_path(file).map(|m| {
            let mut finder = LazyFinder { module: m, eager_lines: HashSet::new() };
            for stmt in &m.ast.body {
                finder.visit_stmt(stmt);
            }
            finder.eager_lines
        });
        for relationship in relationships {
            let eager = eager_lines.as_ref().is_some_and(|lines| lines.contains(&relationship.line));
            // Lazy on any model with that name is enough to suspect it.
            let entry = eager_by_name.entry(relationship.name.clone()).or_insert(true);
            *entry &= eager;
        }
    }
    eager_by_name.into_iter().filter(|(_, eager)| !eager).map(|(name, _)| name).collect()
}

struct LazyFinder<'m> {
    module: &'m retort_python::Module,
    eager_lines: HashSet<u32>,
}

impl<'a> Visitor<'a> for LazyFinder<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr {
            let is_relationship = dotted(&call.func).is_some_and(|d| d.ends_with("relationship"));
            if is_relationship {
                let lazy = call.arguments.find_keyword("lazy");
                if lazy.is_some_and(|k| string_value(&k.value).is_some_and(|v| EAGER_LAZY.contains(&v))) {
                    self.eager_lines.insert(self.module.line_of(call.range().start()));
                }
            }
        }
        walk_expr(self, expr);
    }
}

/// (relationship, where, loop variable) for each first lazy access per loop.
fn n_plus_one_accesses(
    function: &StmtFunctionDef,
    lazy: &HashSet<String>,
) -> Vec<(String, ruff_text_size::TextRange, String)> {
    // Names bound to a query result without eager loading.
    let mut query_results: HashSet<String> = HashSet::new();
    let mut collector = Loops { query_results: &mut query_results, loops: Vec::new() };
    for stmt in &function.body {
        collector.visit_stmt(stmt);
    }
    let mut out = Vec::new();
    for (target, body) in collector.loops {
        let mut accesses = Accesses { target: &target, lazy, seen: HashSet::new(), found: Vec::new() };
        for stmt in body {
            accesses.visit_stmt(stmt);
        }
        out.extend(accesses.found.into_iter().map(|(attr, range)| (attr, range, target.clone())));
    }
    out
}

fn is_lazy_query(expr: &Expr, source_names: &HashSet<String>) -> bool {
    let mut names = Vec::new();
    let mut cursor = expr;
    let mut eager = false;
    loop {
        match cursor {
            Expr::Call(call) => {
                if let Some(name) = dotted(&call.func).or_else(|| match &*call.func {
                    Expr::Attribute(a) => Some(a.attr.to_string()),
                    _ => None,
                }) {
                    let last = name.rsplit('.').next().unwrap_or(&name).to_string();
                    if last == "options" {
                        eager |= call.arguments.args.iter().any(|a| {
                            matches!(a, Expr::Call(c) if dotted(&c.func).is_some_and(|d| EAGER_OPTIONS.contains(&d.rsplit('.').next().unwrap_or(""))))
                        });
                    }
                }
                cursor = &call.func;
            }
            Expr::Attribute(a) => {
                names.push(a.attr.to_string());
                cursor = &a.value;
            }
            Expr::Name(n) => {
                if source_names.contains(n.id.as_str()) {
                    return !eager;
                }
                break;
            }
            _ => break,
        }
    }
    !eager && names.iter().any(|n| QUERY_MARKERS.contains(&n.as_str()))
}

struct Loops<'a, 'q> {
    query_results: &'q mut HashSet<String>,
    loops: Vec<(String, &'a [Stmt])>,
}

impl<'a> Visitor<'a> for Loops<'a, '_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Assign(a) => {
                if let [Expr::Name(target)] = a.targets.as_slice() {
                    if is_lazy_query(&a.value, self.query_results) {
                        self.query_results.insert(target.id.to_string());
                    } else {
                        self.query_results.remove(target.id.as_str());
                    }
                }
            }
            Stmt::For(f) => {
                if let Expr::Name(target) = &*f.target {
                    if is_lazy_query(&f.iter, self.query_results) {
                        self.loops.push((target.id.to_string(), &f.body));
                    }
                }
            }
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => return,
            _ => {}
        }
        walk_stmt(self, stmt);
    }
}

struct Accesses<'t> {
    target: &'t str,
    lazy: &'t HashSet<String>,
    seen: HashSet<String>,
    found: Vec<(String, ruff_text_size::TextRange)>,
}

impl<'a> Visitor<'a> for Accesses<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            // `order.items.append(...)` and `row.keys()` are calls on the value;
            // only a method called directly on the row is skipped.
            Expr::Call(call) => {
                if let Expr::Attribute(method) = &*call.func {
                    if matches!(&*method.value, Expr::Name(n) if n.id.as_str() == self.target) {
                        for arg in &call.arguments.args {
                            self.visit_expr(arg);
                        }
                        for keyword in &call.arguments.keywords {
                            self.visit_expr(&keyword.value);
                        }
                        return;
                    }
                }
            }
            Expr::Attribute(a) => {
                if let Expr::Name(n) = &*a.value {
                    let attr = a.attr.to_string();
                    if n.id.as_str() == self.target && self.lazy.contains(&attr) && self.seen.insert(attr.clone()) {
                        self.found.push((attr, a.range()));
                    }
                }
            }
            _ => {}
        }
        walk_expr(self, expr);
    }
}
