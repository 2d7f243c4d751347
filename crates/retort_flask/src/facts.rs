//! Facts read syntactically, module by module: SQLAlchemy models, Celery
//! tasks and config keys; and from non-Python files: declared
//! dependencies and CI pipelines.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use retort_python::{Module, Project};
use ruff_python_ast::visitor::{walk_expr, Visitor};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use crate::catalog::{CiPipeline, CiStep, Column, ConfigKey, Dependency, Model, Relationship, Task, UrlConverter};

fn text<'a>(module: &'a Module, node: &impl Ranged) -> &'a str {
    &module.source[node.range()]
}

fn call_name<'a>(module: &'a Module, expr: &Expr) -> Option<&'a str> {
    match expr {
        Expr::Call(call) => Some(text(module, &*call.func)),
        _ => None,
    }
}

fn last_segment(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// SQLAlchemy models: classes deriving from `db.Model`, a declarative
/// base, or another model.
pub fn models(project: &Project) -> Vec<Model> {
    let mut model_names: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    // Two passes so that models deriving from models defined later are found.
    for _ in 0..2 {
        for module in &project.modules {
            for stmt in module.ast.body.iter() {
                let Stmt::ClassDef(class) = stmt else { continue };
                let Some(arguments) = &class.arguments else { continue };
                let is_model = arguments.args.iter().any(|base| {
                    let base = text(module, base);
                    let last = last_segment(base);
                    base.ends_with(".Model")
                        || matches!(last, "Model" | "DeclarativeBase" | "Base" | "BaseModel" | "db_Model")
                            && !base.starts_with("pydantic")
                        || model_names.contains(last)
                });
                if !is_model
                    || model_names.contains(class.name.as_str())
                        && out.iter().any(|m: &Model| m.name == class.name.as_str())
                {
                    continue;
                }
                let model = read_model(module, class);
                if model.columns.is_empty()
                    && model.table.is_none()
                    && !text(module, &arguments.args[0]).ends_with("Model")
                {
                    continue;
                }
                model_names.insert(class.name.to_string());
                out.push(model);
            }
        }
    }
    out.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    out
}

fn read_model(module: &Module, class: &ruff_python_ast::StmtClassDef) -> Model {
    let mut model = Model {
        name: class.name.to_string(),
        table: None,
        file: module.display_path(),
        line: module.line_of(class.range().start()),
        columns: Vec::new(),
        relationships: Vec::new(),
    };
    for stmt in class.body.iter() {
        let (target, value) = match stmt {
            Stmt::Assign(a) if a.targets.len() == 1 => (&a.targets[0], Some(&*a.value)),
            Stmt::AnnAssign(a) => (&*a.target, a.value.as_deref()),
            _ => continue,
        };
        let Expr::Name(name) = target else { continue };
        let line = module.line_of(stmt.range().start());
        if name.id.as_str() == "__tablename__" {
            if let Some(Expr::StringLiteral(s)) = value {
                model.table = Some(s.value.to_str().to_string());
            }
            continue;
        }
        let Some(value) = value else { continue };
        let Some(callee) = call_name(module, value) else { continue };
        let Expr::Call(call) = value else { continue };
        match last_segment(callee) {
            "Column" | "mapped_column" => {
                let mut column = Column {
                    name: name.id.to_string(),
                    type_: None,
                    primary_key: false,
                    foreign_key: None,
                    nullable: None,
                    line,
                };
                for arg in call.arguments.args.iter() {
                    match arg {
                        Expr::Call(inner) if last_segment(text(module, &*inner.func)) == "ForeignKey" => {
                            column.foreign_key = inner
                                .arguments
                                .args
                                .first()
                                .map(|a| text(module, a).trim_matches(['"', '\'']).to_string());
                        }
                        Expr::StringLiteral(_) => {}
                        other => {
                            if column.type_.is_none() {
                                column.type_ = Some(last_segment(text(module, other)).to_string());
                            }
                        }
                    }
                }
                for keyword in call.arguments.keywords.iter() {
                    let value = text(module, &keyword.value);
                    match keyword.arg.as_ref().map(|a| a.as_str()) {
                        Some("primary_key") => column.primary_key = value == "True",
                        Some("nullable") => column.nullable = Some(value == "True"),
                        _ => {}
                    }
                }
                model.columns.push(column);
            }
            "relationship" | "relation" => {
                let target = call.arguments.args.first().map(|a| text(module, a).trim_matches(['"', '\'']).to_string());
                model.relationships.push(Relationship { name: name.id.to_string(), target, line });
            }
            _ => {}
        }
    }
    model
}

/// Celery (and similar) tasks: functions decorated with `@x.task`,
/// `@shared_task`, `@dramatiq.actor`, `@huey.task`.
pub fn tasks(project: &Project) -> Vec<Task> {
    let mut out = Vec::new();
    for module in &project.modules {
        let mut stack: Vec<&Stmt> = module.ast.body.iter().collect();
        while let Some(stmt) = stack.pop() {
            match stmt {
                Stmt::FunctionDef(def) => {
                    for decorator in &def.decorator_list {
                        let (callee, call) = match &decorator.expression {
                            Expr::Call(call) => (text(module, &*call.func), Some(call)),
                            other => (text(module, other), None),
                        };
                        let last = last_segment(callee);
                        if !(matches!(last, "task" | "shared_task" | "periodic_task" | "actor")
                            && (callee.contains('.') || last != "task"))
                        {
                            continue;
                        }
                        let mut options = BTreeMap::new();
                        let mut name = def.name.to_string();
                        if let Some(call) = call {
                            for keyword in call.arguments.keywords.iter() {
                                if let Some(arg) = &keyword.arg {
                                    let value = text(module, &keyword.value).to_string();
                                    if arg.as_str() == "name" {
                                        name = value.trim_matches(['"', '\'']).to_string();
                                    }
                                    options.insert(arg.to_string(), value);
                                }
                            }
                        }
                        out.push(Task {
                            name,
                            function: format!("{}:{}", module.name, def.name),
                            decorator: callee.to_string(),
                            options,
                            file: module.display_path(),
                            line: module.line_of(def.range().start()),
                        });
                        break;
                    }
                }
                Stmt::ClassDef(class) => stack.extend(class.body.iter()),
                Stmt::If(i) => stack.extend(i.body.iter()),
                _ => {}
            }
        }
    }
    out.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    out
}

struct ConfigVisitor<'m> {
    module: &'m Module,
    out: Vec<ConfigKey>,
}

impl<'a> Visitor<'a> for ConfigVisitor<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        let module = self.module;
        let mut push = |key: &str, access: &str, node: &Expr| {
            self.out.push(ConfigKey {
                key: key.to_string(),
                access: access.to_string(),
                file: module.display_path(),
                line: module.line_of(node.range().start()),
            });
        };
        match expr {
            Expr::Subscript(sub) => {
                let base = text(module, &*sub.value);
                if let Expr::StringLiteral(key) = &*sub.slice {
                    if base.ends_with("config") {
                        let access = if sub.ctx.is_store() { "set" } else { "read" };
                        push(key.value.to_str(), access, expr);
                    } else if base == "os.environ" || base == "environ" {
                        push(key.value.to_str(), "env", expr);
                    }
                }
            }
            Expr::Call(call) => {
                let callee = text(module, &*call.func);
                if let Some(Expr::StringLiteral(key)) = call.arguments.args.first() {
                    if callee.ends_with("config.get") || callee.ends_with("config.setdefault") {
                        push(key.value.to_str(), "read", expr);
                    } else if matches!(
                        callee,
                        "os.environ.get" | "os.getenv" | "environ.get" | "getenv" | "os.environ.setdefault"
                    ) {
                        push(key.value.to_str(), "env", expr);
                    }
                }
            }
            _ => {}
        }
        walk_expr(self, expr);
    }
}

/// Config keys read or set (`app.config["X"]`, `config.get("X")`) and
/// environment variables read (`os.environ.get("X")`).
pub fn config_keys(project: &Project) -> Vec<ConfigKey> {
    let mut out = Vec::new();
    for module in &project.modules {
        let mut visitor = ConfigVisitor { module, out: Vec::new() };
        for stmt in module.ast.body.iter() {
            visitor.visit_stmt(stmt);
        }
        // Upper-case class attributes of config classes are config keys too.
        for stmt in module.ast.body.iter() {
            if let Stmt::ClassDef(class) = stmt {
                if !class.name.as_str().contains("Config") {
                    continue;
                }
                for inner in class.body.iter() {
                    if let Stmt::Assign(assign) = inner {
                        for target in &assign.targets {
                            if let Expr::Name(name) = target {
                                if name
                                    .id
                                    .as_str()
                                    .chars()
                                    .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
                                {
                                    visitor.out.push(ConfigKey {
                                        key: name.id.to_string(),
                                        access: "set".into(),
                                        file: module.display_path(),
                                        line: module.line_of(inner.range().start()),
                                    });
                                }
                            }
                        }
                    }
                }
            }
        }
        out.extend(visitor.out);
    }
    out
}

pub(crate) fn parse_requirement(line: &str) -> Option<(String, String)> {
    let line = line.split(" #").next()?.trim();
    if line.is_empty() || line.starts_with('#') || line.starts_with('-') || line.contains("://") && !line.contains('@')
    {
        return None;
    }
    let line = line.split(';').next()?.trim();
    let end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '[' | ']')))
        .unwrap_or(line.len());
    let name = line[..end].split('[').next()?.to_string();
    if name.is_empty() {
        return None;
    }
    Some((name, line[end..].trim().to_string()))
}

fn is_pinned(specifier: &str) -> bool {
    specifier.starts_with("==") && !specifier.contains(',') && !specifier.contains('*') || specifier.starts_with("===")
}

/// Declared dependencies from requirements files, `pyproject.toml`
/// (PEP 621 and Poetry) and `Pipfile`.
pub fn dependencies(root: &Path, files: &[std::path::PathBuf]) -> Vec<Dependency> {
    let mut out = Vec::new();
    for relative in files {
        let name = relative.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let display = relative.to_string_lossy().replace('\\', "/");
        let requirements = name.starts_with("requirements") || display.contains("requirements/");
        if !requirements && name != "pyproject.toml" && name != "Pipfile" {
            continue;
        }
        let Ok(content) = std::fs::read_to_string(root.join(relative)) else { continue };
        let dev = display.contains("dev") || display.contains("test");
        if requirements {
            for (index, line) in content.lines().enumerate() {
                if let Some((dep, specifier)) = parse_requirement(line) {
                    out.push(Dependency {
                        pinned: is_pinned(&specifier),
                        name: dep,
                        specifier,
                        file: display.clone(),
                        line: index as u32 + 1,
                        source: "requirements".into(),
                        dev,
                    });
                }
            }
        } else if name == "pyproject.toml" || name == "Pipfile" {
            let Ok(doc) = content.parse::<toml::Table>() else { continue };
            let line_of =
                |needle: &str| content.lines().position(|l| l.contains(needle)).map(|i| i as u32 + 1).unwrap_or(1);
            let mut push_list = |items: &toml::Value, dev: bool, source: &str| {
                for item in items.as_array().into_iter().flatten() {
                    if let Some((dep, specifier)) = item.as_str().and_then(parse_requirement) {
                        out.push(Dependency {
                            pinned: is_pinned(&specifier),
                            line: line_of(item.as_str().unwrap_or("")),
                            name: dep,
                            specifier,
                            file: display.clone(),
                            source: source.into(),
                            dev,
                        });
                    }
                }
            };
            if let Some(project) = doc.get("project") {
                if let Some(deps) = project.get("dependencies") {
                    push_list(deps, false, "pyproject");
                }
                if let Some(optional) = project.get("optional-dependencies").and_then(|o| o.as_table()) {
                    for (group, deps) in optional {
                        push_list(deps, group.contains("dev") || group.contains("test"), "pyproject");
                    }
                }
            }
            let mut tables: Vec<(&toml::Table, bool, &str)> = Vec::new();
            if let Some(poetry) = doc.get("tool").and_then(|t| t.get("poetry")) {
                if let Some(t) = poetry.get("dependencies").and_then(|d| d.as_table()) {
                    tables.push((t, false, "poetry"));
                }
                if let Some(t) = poetry.get("dev-dependencies").and_then(|d| d.as_table()) {
                    tables.push((t, true, "poetry"));
                }
            }
            if let Some(t) = doc.get("packages").and_then(|d| d.as_table()) {
                tables.push((t, false, "pipfile"));
            }
            if let Some(t) = doc.get("dev-packages").and_then(|d| d.as_table()) {
                tables.push((t, true, "pipfile"));
            }
            for (table, dev, source) in tables {
                for (dep, spec) in table {
                    if dep == "python" {
                        continue;
                    }
                    let specifier = match spec {
                        toml::Value::String(s) if s == "*" => String::new(),
                        toml::Value::String(s) => s.clone(),
                        toml::Value::Table(t) => t.get("version").and_then(|v| v.as_str()).unwrap_or("").to_string(),
                        _ => String::new(),
                    };
                    let pinned = is_pinned(&specifier)
                        || specifier.chars().next().is_some_and(|c| c.is_ascii_digit()) && !specifier.contains('*');
                    out.push(Dependency {
                        name: dep.clone(),
                        pinned,
                        specifier,
                        file: display.clone(),
                        line: line_of(dep),
                        source: source.into(),
                        dev,
                    });
                }
            }
        }
    }
    out
}

fn classify_command(command: &str) -> Vec<&'static str> {
    let lower = command.to_ascii_lowercase();
    let mut kinds = Vec::new();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    if has(&["pytest", "unittest", "tox", "nox", "manage.py test", "coverage run", "make test"]) {
        kinds.push("test");
    }
    if has(&["ruff", "flake8", "pylint", "black --check", "black .", "isort --check", "pre-commit", "make lint"]) {
        kinds.push("lint");
    }
    if has(&["mypy", "pyright", "pytype"]) {
        kinds.push("type-check");
    }
    if has(&[
        "bandit",
        "pip-audit",
        "safety",
        "semgrep",
        "codeql",
        "trivy",
        "snyk",
        "gitleaks",
        "osv-scanner",
        "retort check",
    ]) {
        kinds.push("security");
    }
    if has(&["docker build", "docker/build-push-action", "python -m build", "poetry build"]) {
        kinds.push("build");
    }
    if has(&["deploy", "kubectl", "helm ", "terraform apply", "flyctl", "heroku"]) {
        kinds.push("deploy");
    }
    kinds
}

/// CI pipelines and the kinds of steps they run.
pub fn ci_pipelines(root: &Path, files: &[std::path::PathBuf]) -> Vec<CiPipeline> {
    let mut out = Vec::new();
    for relative in files {
        let display = relative.to_string_lossy().replace('\\', "/");
        let system = if display.starts_with(".github/workflows/") {
            "github-actions"
        } else if display.ends_with(".gitlab-ci.yml") {
            "gitlab-ci"
        } else if display.starts_with(".circleci/") {
            "circleci"
        } else if display.ends_with("Jenkinsfile") {
            "jenkins"
        } else if display.ends_with("azure-pipelines.yml") {
            "azure-pipelines"
        } else if display.ends_with("bitbucket-pipelines.yml") {
            "bitbucket"
        } else if display.ends_with(".travis.yml") {
            "travis"
        } else {
            continue;
        };
        let Ok(content) = std::fs::read_to_string(root.join(relative)) else { continue };
        let mut steps = Vec::new();
        for (index, line) in content.lines().enumerate() {
            let trimmed = line.trim().trim_start_matches("- ");
            let command = trimmed
                .strip_prefix("run:")
                .or_else(|| trimmed.strip_prefix("uses:"))
                .or_else(|| trimmed.strip_prefix("script:"))
                .or_else(|| trimmed.strip_prefix("sh "))
                .unwrap_or(trimmed)
                .trim();
            if command.is_empty() || command.starts_with('#') {
                continue;
            }
            for kind in classify_command(command) {
                steps.push(CiStep {
                    kind: kind.into(),
                    command: command.chars().take(120).collect(),
                    line: index as u32 + 1,
                });
            }
        }
        out.push(CiPipeline { system: system.into(), file: display, steps });
    }
    out
}

/// Custom URL converters registered on an app's `url_map`:
/// `app.url_map.converters["name"] = Cls` (also inside functions, e.g. an
/// app factory) and `app.url_map.converters.update(...)` with a dict or
/// keywords, joined to the project's class of that name for its `regex`
/// and `weight` class attributes, or an `__init__` that sets `self.regex`
/// from its arguments (the classic `RegexConverter`: the rule's first
/// converter argument is the regex, `<regex("[a-z]{3}"):code>`).
pub fn url_converters(project: &Project) -> Vec<UrlConverter> {
    let mut classes: BTreeMap<String, (Option<String>, bool, Option<u32>)> = BTreeMap::new();
    let mut registrations: Vec<(String, String, String, u32)> = Vec::new();
    for module in &project.modules {
        let mut stack: Vec<&Stmt> = module.ast.body.iter().collect();
        while let Some(stmt) = stack.pop() {
            match stmt {
                Stmt::ClassDef(class) => {
                    classes.entry(class.name.to_string()).or_insert_with(|| converter_class(class));
                    stack.extend(class.body.iter());
                }
                Stmt::FunctionDef(def) => stack.extend(def.body.iter()),
                Stmt::If(i) => {
                    stack.extend(i.body.iter());
                    stack.extend(i.elif_else_clauses.iter().flat_map(|c| c.body.iter()));
                }
                Stmt::With(w) => stack.extend(w.body.iter()),
                Stmt::Try(t) => stack.extend(t.body.iter()),
                Stmt::Assign(assign) => {
                    for target in &assign.targets {
                        if let Expr::Subscript(sub) = target {
                            if let (true, Expr::StringLiteral(name)) = (is_converters_map(&sub.value), &*sub.slice) {
                                if let Some(class) = class_name(&assign.value) {
                                    let line = module.line_of(stmt.range().start());
                                    registrations.push((
                                        name.value.to_str().to_string(),
                                        class,
                                        module.display_path(),
                                        line,
                                    ));
                                }
                            }
                        }
                    }
                }
                Stmt::Expr(e) => {
                    let Expr::Call(call) = &*e.value else { continue };
                    let Expr::Attribute(method) = &*call.func else { continue };
                    if method.attr.as_str() != "update" || !is_converters_map(&method.value) {
                        continue;
                    }
                    let line = module.line_of(stmt.range().start());
                    let mut add = |name: &str, value: &Expr| {
                        if let Some(class) = class_name(value) {
                            registrations.push((name.to_string(), class, module.display_path(), line));
                        }
                    };
                    for keyword in call.arguments.keywords.iter() {
                        if let Some(name) = &keyword.arg {
                            add(name.as_str(), &keyword.value);
                        }
                    }
                    for arg in call.arguments.args.iter() {
                        if let Expr::Dict(dict) = arg {
                            for item in dict.items.iter() {
                                if let Some(Expr::StringLiteral(key)) = &item.key {
                                    add(key.value.to_str(), &item.value);
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let mut out: Vec<UrlConverter> = registrations
        .into_iter()
        .map(|(name, class, file, line)| {
            let (regex, regex_from_argument, weight) = classes.get(&class).cloned().unwrap_or((None, false, None));
            UrlConverter { name, class, regex, regex_from_argument, weight, file, line }
        })
        .collect();
    out.sort_by(|a, b| (&a.file, a.line, &a.name).cmp(&(&b.file, b.line, &b.name)));
    out.dedup_by(|a, b| a.name == b.name && a.class == b.class);
    out
}

/// `<anything>.url_map.converters`.
fn is_converters_map(expr: &Expr) -> bool {
    matches!(expr, Expr::Attribute(a) if a.attr.as_str() == "converters"
        && matches!(&*a.value, Expr::Attribute(m) if m.attr.as_str() == "url_map"))
}

/// `Cls` or `module.Cls`.
fn class_name(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Name(n) => Some(n.id.to_string()),
        Expr::Attribute(a) => Some(a.attr.to_string()),
        _ => None,
    }
}

/// A class's `regex = "..."` and `weight = N` class attributes, and
/// whether its `__init__` sets `self.regex` from a parameter.
fn converter_class(class: &ruff_python_ast::StmtClassDef) -> (Option<String>, bool, Option<u32>) {
    let (mut regex, mut from_argument, mut weight) = (None, false, None);
    for stmt in class.body.iter() {
        match stmt {
            Stmt::Assign(assign) => {
                let Some(Expr::Name(target)) = assign.targets.first() else { continue };
                match (target.id.as_str(), &*assign.value) {
                    ("regex", Expr::StringLiteral(s)) => regex = Some(s.value.to_str().to_string()),
                    ("weight", Expr::NumberLiteral(n)) => {
                        weight = n.value.as_int().and_then(|i| i.as_u64()).and_then(|w| u32::try_from(w).ok())
                    }
                    _ => {}
                }
            }
            Stmt::FunctionDef(def) if def.name.as_str() == "__init__" => {
                let params: Vec<&str> = def
                    .parameters
                    .posonlyargs
                    .iter()
                    .chain(def.parameters.args.iter())
                    .map(|p| p.parameter.name.as_str())
                    .chain(def.parameters.vararg.iter().map(|v| v.name.as_str()))
                    .skip(2) // self, url_map
                    .collect();
                from_argument = def.body.iter().any(|s| {
                    let Stmt::Assign(assign) = s else { return false };
                    let sets_regex = assign.targets.iter().any(|t| {
                        matches!(t, Expr::Attribute(a) if a.attr.as_str() == "regex"
                            && matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "self"))
                    });
                    let from_param = match &*assign.value {
                        Expr::Name(n) => params.contains(&n.id.as_str()),
                        Expr::Subscript(sub) => matches!(&*sub.value, Expr::Name(n) if params.contains(&n.id.as_str())),
                        _ => false,
                    };
                    sets_regex && from_param
                });
            }
            _ => {}
        }
    }
    (regex, from_argument, weight)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirement_lines() {
        assert_eq!(parse_requirement("Flask==3.0.3  # web").unwrap(), ("Flask".into(), "==3.0.3".into()));
        assert_eq!(parse_requirement("celery[redis]>=5").unwrap(), ("celery".into(), ">=5".into()));
        assert!(parse_requirement("-r base.txt").is_none());
        assert!(is_pinned("==3.0.3"));
        assert!(!is_pinned(">=3"));
        assert!(!is_pinned("==3.*"));
    }

    #[test]
    fn ci_commands() {
        assert_eq!(classify_command("python -m pytest -q"), vec!["test"]);
        assert_eq!(classify_command("ruff check . && mypy src"), vec!["lint", "type-check"]);
    }
}
