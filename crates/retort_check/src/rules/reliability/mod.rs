pub mod api_without_error_handlers;
pub mod celery_task_without_retry_policy;
pub mod development_server_in_production;
pub mod missing_health_endpoint;
pub mod request_without_timeout;
pub mod session_not_removed_at_teardown;
pub mod swallowed_exception;
pub mod wsgi_server_timeouts;

use crate::registry::{Check, Registered};
use crate::rules::registered;

/// The rules of this category, in code order.
pub(crate) static REGISTERED: &[Registered] = &[
    registered!(request_without_timeout, Check::Expr(m::check)),
    registered!(swallowed_exception, Check::Stmt(m::check)),
    registered!(missing_health_endpoint, Check::Project(m::check)),
    registered!(api_without_error_handlers, Check::Project(m::check)),
    registered!(development_server_in_production, Check::Project(m::check)),
    registered!(wsgi_server_timeouts, Check::Project(m::check)),
    registered!(session_not_removed_at_teardown, Check::Project(m::check)),
    registered!(celery_task_without_retry_policy, Check::Project(m::check)),
];

use retort_python::Module;
use ruff_python_ast::visitor::{walk_expr, walk_stmt, Visitor};
use ruff_python_ast::{Expr, ExprCall, Stmt};

use crate::checker::helpers::{dotted, method_name};
use crate::checker::Checker;
use crate::rules::delivery::{dockerfiles, final_stage};

/// A command that starts the service: the `CMD`/`ENTRYPOINT` of a
/// Dockerfile's final stage, a Procfile process, a docker-compose
/// `command:`/`entrypoint:`.
#[derive(Debug)]
pub(crate) struct EntryCommand {
    pub file: String,
    pub line: u32,
    /// `Dockerfile`, `Procfile` or `compose`.
    pub origin: &'static str,
    /// The programs it runs, in order (`a && b` runs two).
    pub launches: Vec<Launch>,
}

/// One program started by an entry command, with its arguments.
#[derive(Debug)]
pub(crate) struct Launch {
    /// `flask`, `gunicorn`, `uwsgi`, … or `python` (then `args[0]` is the
    /// script, or `-m` and the module).
    pub program: String,
    pub args: Vec<String>,
}

/// Programs recognised in entry commands. `python -m X` is read as `X`.
const PROGRAMS: &[&str] = &[
    "flask",
    "gunicorn",
    "uwsgi",
    "waitress-serve",
    "hypercorn",
    "uvicorn",
    "mod_wsgi-express",
    "granian",
    "daphne",
    "celery",
];

/// Files named like a development or test setup (`Dockerfile.dev`,
/// `docker-compose.override.yml`), whose commands are not production's.
fn is_development_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    ["dev", "local", "test", "override", "debug", "example"].iter().any(|w| name.contains(w))
}

/// Every production entry command of the project.
pub(crate) fn entry_commands(checker: &Checker) -> Vec<EntryCommand> {
    let mut out = Vec::new();
    for (file, instructions) in dockerfiles(checker) {
        if is_development_file(&file) {
            continue;
        }
        let stage = final_stage(&instructions);
        let entrypoint = stage.iter().rfind(|i| i.keyword == "ENTRYPOINT");
        let cmd = stage.iter().rfind(|i| i.keyword == "CMD");
        let (Some(anchor), words) = (cmd.or(entrypoint), [entrypoint, cmd]) else { continue };
        let text: Vec<String> = words.iter().flatten().map(|i| command_text(&i.arguments)).collect();
        out.push(EntryCommand { file, line: anchor.line, origin: "Dockerfile", launches: launches(&text.join(" ")) });
    }
    let project = checker.project;
    for path in &project.other_files {
        let file = path.to_string_lossy().replace('\\', "/");
        let name = file.rsplit('/').next().unwrap_or(&file).to_string();
        let is_compose = name.starts_with("docker-compose") || name.starts_with("compose.y");
        if (name != "Procfile" && !is_compose) || is_development_file(&file) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(project.root.join(path)) else { continue };
        if name == "Procfile" {
            for (index, line) in text.lines().enumerate() {
                let Some((_, command)) = line.split_once(':') else { continue };
                if line.trim_start().starts_with('#') {
                    continue;
                }
                let line = index as u32 + 1;
                out.push(EntryCommand { file: file.clone(), line, origin: "Procfile", launches: launches(command) });
            }
        } else {
            for (line, command) in compose_commands(&text) {
                out.push(EntryCommand { file: file.clone(), line, origin: "compose", launches: launches(&command) });
            }
        }
    }
    out
}

/// The raw text of every Dockerfile, Procfile and compose file (for
/// settings passed through the environment, such as `WEB_CONCURRENCY`).
pub(crate) fn deployment_texts(checker: &Checker) -> Vec<String> {
    let project = checker.project;
    project
        .other_files
        .iter()
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            name == "Procfile"
                || name.starts_with("Dockerfile")
                || name.starts_with("docker-compose")
                || name.starts_with("compose.y")
        })
        .filter_map(|p| std::fs::read_to_string(project.root.join(p)).ok())
        .collect()
}

/// An exec-form (`["a", "b"]`) or shell-form command as one shell line.
fn command_text(arguments: &str) -> String {
    match serde_json::from_str::<Vec<String>>(arguments.trim()) {
        Ok(words) => words.join(" "),
        Err(_) => arguments.to_string(),
    }
}

/// The programs a shell line starts (wrappers such as `exec`, `sh -c`,
/// `poetry run` or `ddtrace-run` are looked through).
pub(crate) fn launches(shell: &str) -> Vec<Launch> {
    let cleaned: String =
        shell.chars().map(|c| if matches!(c, '"' | '\'' | '[' | ']' | ',' | '(' | ')') { ' ' } else { c }).collect();
    let cleaned = cleaned.replace("&&", ";").replace("||", ";").replace(['|', '\n'], ";");
    let mut out = Vec::new();
    for segment in cleaned.split(';') {
        let words: Vec<&str> = segment.split_whitespace().collect();
        for (index, word) in words.iter().enumerate() {
            let base = word.rsplit('/').next().unwrap_or(word);
            let rest = || words[index + 1..].iter().map(|w| w.to_string()).collect::<Vec<_>>();
            if base.starts_with("python") && !base.contains('=') {
                let args: Vec<String> = rest().into_iter().skip_while(|a| a.starts_with('-') && a != "-m").collect();
                if let (Some("-m"), Some(module)) = (args.first().map(String::as_str), args.get(1)) {
                    let program = if module == "waitress" { "waitress-serve" } else { module.as_str() };
                    if PROGRAMS.contains(&program) {
                        out.push(Launch { program: program.to_string(), args: args[2..].to_vec() });
                        break;
                    }
                }
                out.push(Launch { program: "python".to_string(), args });
                break;
            }
            if PROGRAMS.contains(&base) {
                out.push(Launch { program: base.to_string(), args: rest() });
                break;
            }
        }
    }
    out
}

/// `command:` and `entrypoint:` values of a docker-compose file: (line, shell text).
fn compose_commands(text: &str) -> Vec<(u32, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let Some(value) = trimmed.strip_prefix("command:").or_else(|| trimmed.strip_prefix("entrypoint:")) else {
            continue;
        };
        let indent = line.len() - trimmed.len();
        let mut command = value.trim().trim_start_matches(['>', '|', '-']).trim().to_string();
        // A block list or a folded scalar continues on more-indented lines.
        for next in &lines[index + 1..] {
            let next_trimmed = next.trim_start();
            if next_trimmed.is_empty() || next.len() - next_trimmed.len() <= indent {
                break;
            }
            command.push(' ');
            command.push_str(next_trimmed.trim_start_matches("- "));
        }
        out.push((index as u32 + 1, command));
    }
    out
}

/// A call whose result outlives the function it is made in.
pub(crate) struct LongLived<'m> {
    /// What it is assigned to (`db_session`, `self.engine`), if anything.
    pub target: Option<String>,
    pub call: &'m ExprCall,
}

/// Calls of `functions` (by last name segment) whose result lives on: made
/// at module or class level, stored in an attribute, a subscript or a
/// `global`, or returned. A result kept in a plain local variable belongs
/// to a one-off command or check and is left out.
pub(crate) fn long_lived_calls<'m>(module: &'m Module, functions: &[&str]) -> Vec<LongLived<'m>> {
    let mut finder = LongLivedFinder { functions, globals: Vec::new(), found: Vec::new() };
    for stmt in &module.ast.body {
        finder.visit_stmt(stmt);
    }
    finder.found
}

struct LongLivedFinder<'f, 'm> {
    functions: &'f [&'f str],
    /// `global` names of each enclosing function, innermost last.
    globals: Vec<Vec<String>>,
    found: Vec<LongLived<'m>>,
}

impl<'m> LongLivedFinder<'_, 'm> {
    fn collect(&mut self, expr: &'m Expr, target: Option<String>) {
        struct Calls<'f, 'm> {
            functions: &'f [&'f str],
            calls: Vec<&'m ExprCall>,
        }
        impl<'m> Visitor<'m> for Calls<'_, 'm> {
            fn visit_expr(&mut self, expr: &'m Expr) {
                if let Expr::Call(call) = expr {
                    if method_name(call).is_some_and(|m| self.functions.contains(&m)) {
                        self.calls.push(call);
                    }
                }
                walk_expr(self, expr);
            }
        }
        let mut calls = Calls { functions: self.functions, calls: Vec::new() };
        calls.visit_expr(expr);
        self.found.extend(calls.calls.into_iter().map(|call| LongLived { target: target.clone(), call }));
    }

    fn keeps(&self, target: &Expr) -> bool {
        match target {
            Expr::Name(name) => self.globals.last().is_none_or(|g| g.iter().any(|n| n == name.id.as_str())),
            Expr::Attribute(_) | Expr::Subscript(_) => true,
            Expr::Tuple(t) => t.elts.iter().any(|e| self.keeps(e)),
            _ => false,
        }
    }
}

impl<'m> Visitor<'m> for LongLivedFinder<'_, 'm> {
    fn visit_stmt(&mut self, stmt: &'m Stmt) {
        match stmt {
            Stmt::FunctionDef(function) => {
                let globals = function
                    .body
                    .iter()
                    .filter_map(|s| match s {
                        Stmt::Global(g) => Some(g.names.iter().map(|n| n.to_string()).collect::<Vec<_>>()),
                        _ => None,
                    })
                    .flatten()
                    .collect();
                self.globals.push(globals);
                for s in &function.body {
                    self.visit_stmt(s);
                }
                self.globals.pop();
            }
            Stmt::Assign(assign) => {
                if assign.targets.iter().any(|t| self.keeps(t)) {
                    self.collect(&assign.value, assign.targets.first().and_then(dotted));
                }
            }
            Stmt::AnnAssign(assign) => {
                if let (Some(value), true) = (&assign.value, self.keeps(&assign.target)) {
                    self.collect(value, dotted(&assign.target));
                }
            }
            Stmt::Return(ret) => {
                if let Some(value) = &ret.value {
                    self.collect(value, None);
                }
            }
            _ => walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'m Expr) {
        // Outside functions every result lives as long as the module.
        if self.globals.is_empty() {
            self.collect(expr, None);
        }
    }
}
