//! The context rules see, and the single traversal that calls them.

use retort_flask::Catalog;
use retort_python::{Module, Project};
use ruff_python_ast::visitor::{walk_expr, walk_stmt, Visitor};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::config::CheckConfig;
use crate::handlers::HandlerIndex;
use crate::registry::{Check, Rule};
use crate::taint;

/// A finding before configuration, suppressions and fingerprints apply.
#[derive(Debug, Clone)]
pub(crate) struct RawFinding {
    pub rule: &'static Rule,
    pub message: String,
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub confidence: Option<crate::finding::Confidence>,
    pub flow: Vec<crate::finding::FlowStep>,
    /// A name-based finding without corroborating evidence: reported at
    /// `info` whatever the rule's severity (see [`crate::corroboration`]).
    pub demoted: bool,
}

/// What a rule can read, and where it reports. Rules never print.
pub struct Checker<'a> {
    pub project: &'a Project,
    pub catalog: &'a Catalog,
    pub config: &'a CheckConfig,
    /// The module being traversed (`None` for project-level rules).
    pub module: Option<&'a Module>,
    /// The path of `module` says it is development, test or generated code
    /// (see [`crate::rules::in_non_production_scope`]).
    pub(crate) in_non_production_module: bool,
    /// Names of the enclosing classes, innermost last.
    pub class_stack: Vec<&'a str>,
    /// The enclosing functions, innermost last.
    pub function_stack: Vec<&'a ruff_python_ast::StmtFunctionDef>,
    /// Tests of the enclosing `if`/`elif` branches (not of `else`), innermost last.
    pub conditions: Vec<&'a Expr>,
    /// Start offsets of the statements that end a `for`/`while` body
    /// (where `pass` in an `except` means "skip this item").
    loop_tails: std::collections::HashSet<TextSize>,
    pub(crate) handlers: &'a HandlerIndex,
    handler_depth: usize,
    /// The rules served by the innermost request handler being traversed.
    pub(crate) handler_rules: Vec<String>,
    pub(crate) raw: Vec<RawFinding>,
    pub(crate) memo: &'a Memo<'a>,
    /// The data-flow engine of this traversal (when a taint rule runs).
    pub(crate) taint: Option<taint::TaintClient<'a>>,
}

/// Project facts some rules need, computed at most once per run and shared
/// by the checkers of all modules (they read many modules).
pub(crate) struct Memo<'a> {
    /// Relationship names loaded lazily on some model.
    pub lazy_relationships: std::sync::OnceLock<std::collections::HashSet<String>>,
    /// The project's Jinja templates.
    pub templates: crate::templates::Templates,
    /// The data-flow engine's library models, with the project's additions.
    pub models: retort_dataflow::Models,
    /// What the data-flow engine learns about the whole project, once.
    pub dataflow_facts: retort_dataflow::ProjectFacts<'a>,
    /// SEC002: the project's reads of secret settings and its refusals of
    /// weak values, gathered in one walk.
    pub secret_settings: std::sync::OnceLock<crate::rules::security::hardcoded_secret::SecretSettings<'a>>,
    /// SEC002: where the project refuses a weak value of a setting, by
    /// setting name and the constant the value came through.
    pub secret_refusals: SharedCache<(String, Option<String>), Option<String>>,
    /// SEC002: whether the project hands a setting to a key, password or
    /// token parameter or call, by setting name.
    pub secrets_in_use: SharedCache<String, bool>,
    /// Why the app is a local tool, if it is one ([`crate::exposure`]).
    pub local_tool: std::sync::OnceLock<Option<String>>,
}

/// Results of project-wide questions (each a walk over every module),
/// computed on the first ask and shared by the checkers of all modules and
/// their threads. The questions are pure functions of the project and the
/// key, so which thread answers first does not matter; two threads asking
/// at once may both compute the answer, and they get the same one.
pub(crate) struct SharedCache<K, V>(std::sync::Mutex<std::collections::HashMap<K, V>>);

impl<K, V> Default for SharedCache<K, V> {
    fn default() -> Self {
        SharedCache(Default::default())
    }
}

impl<K: std::hash::Hash + Eq, V: Clone> SharedCache<K, V> {
    /// The answer for `key`, computed by `compute` (without holding the
    /// lock) the first time.
    pub fn get_or_compute(&self, key: K, compute: impl FnOnce() -> V) -> V {
        if let Some(known) = self.0.lock().expect("not poisoned").get(&key) {
            return known.clone();
        }
        let answer = compute();
        self.0.lock().expect("not poisoned").entry(key).or_insert(answer).clone()
    }
}

impl<'a> Memo<'a> {
    pub fn new(project: &Project, config: &CheckConfig) -> Memo<'a> {
        Memo {
            lazy_relationships: Default::default(),
            dataflow_facts: Default::default(),
            secret_settings: Default::default(),
            secret_refusals: Default::default(),
            secrets_in_use: Default::default(),
            local_tool: Default::default(),
            templates: crate::templates::Templates::new(project),
            // The configuration was checked against the models when it was read.
            models: retort_dataflow::Models::new(&config.dataflow).unwrap_or_default(),
        }
    }
}

impl<'a> Checker<'a> {
    pub(crate) fn new(
        project: &'a Project,
        catalog: &'a Catalog,
        config: &'a CheckConfig,
        handlers: &'a HandlerIndex,
        memo: &'a Memo<'a>,
    ) -> Self {
        Checker {
            project,
            catalog,
            config,
            module: None,
            in_non_production_module: false,
            class_stack: Vec::new(),
            function_stack: Vec::new(),
            conditions: Vec::new(),
            loop_tails: Default::default(),
            handlers,
            handler_depth: 0,
            handler_rules: Vec::new(),
            raw: Vec::new(),
            memo,
            taint: None,
        }
    }

    /// Whether the node being visited is inside a request handler.
    pub fn in_request_handler(&self) -> bool {
        self.handler_depth > 0
    }

    /// Whether `stmt` is the last statement of a loop body.
    pub fn ends_loop_body(&self, stmt: &Stmt) -> bool {
        self.loop_tails.contains(&stmt.range().start())
    }

    /// Reports `range` of the current module.
    pub fn report(&mut self, rule: &'static Rule, range: TextRange, message: impl Into<String>) {
        let Some(module) = self.module else { return };
        let (line, column) = position(module, range.start());
        let (end_line, end_column) = position(module, range.end());
        self.raw.push(RawFinding {
            rule,
            message: message.into(),
            file: module.display_path(),
            line,
            column,
            end_line,
            end_column,
            confidence: None,
            flow: Vec::new(),
            demoted: false,
        });
    }

    /// Reports a line of any file (`line` 0: the whole file or project).
    pub fn report_at(&mut self, rule: &'static Rule, file: &str, line: u32, message: impl Into<String>) {
        let column = u32::from(line > 0);
        self.raw.push(RawFinding {
            rule,
            message: message.into(),
            file: file.to_string(),
            line,
            column,
            end_line: line,
            end_column: column,
            confidence: None,
            flow: Vec::new(),
            demoted: false,
        });
    }

    /// Reports a finding of a name-based rule with what corroborates it: the
    /// confidence of the evidence, or, without evidence, `info` severity,
    /// low confidence and what was missing in the message.
    pub fn report_judged(
        &mut self,
        rule: &'static Rule,
        range: TextRange,
        message: impl Into<String>,
        evidence: crate::corroboration::Evidence,
    ) {
        self.report(rule, range, message);
        judge(self.raw.last_mut(), evidence);
    }

    /// [`Checker::report_at`] with the evidence of [`Checker::report_judged`].
    pub fn report_judged_at(
        &mut self,
        rule: &'static Rule,
        file: &str,
        line: u32,
        message: impl Into<String>,
        evidence: crate::corroboration::Evidence,
    ) {
        self.report_at(rule, file, line, message);
        judge(self.raw.last_mut(), evidence);
    }

    /// Reports a data flow at its sink (in any module), with its path.
    pub(crate) fn report_flow(&mut self, rule: &'static Rule, flow: retort_dataflow::Flow) {
        let message = taint::message(rule, &flow);
        let steps = taint::steps(&flow);
        // JSON only the local user can send, to a local tool.
        let local = crate::exposure::is_json_body(&flow.source).then(|| crate::exposure::local_tool(self)).flatten();
        self.raw.push(RawFinding {
            rule,
            message,
            file: flow.sink.file,
            line: flow.sink.line,
            column: flow.sink.column,
            end_line: flow.sink.end_line,
            end_column: flow.sink.end_column,
            confidence: Some(flow.confidence),
            flow: steps,
            demoted: false,
        });
        if let Some(launchers) = local {
            let evidence = crate::corroboration::Evidence::Missing(format!(
                "a local tool: no login, its server listens on this machine only ({launchers}) and no other \
                 origin may call it, so only the local user can send it JSON"
            ));
            judge(self.raw.last_mut(), evidence);
        }
    }

    /// The source text of a node of the current module.
    pub fn source(&self, range: TextRange) -> &'a str {
        self.module.map(|m| &m.source[range]).unwrap_or("")
    }
}

/// Gives the finding just reported its confidence, or demotes it.
fn judge(raw: Option<&mut RawFinding>, evidence: crate::corroboration::Evidence) {
    let Some(raw) = raw else { return };
    match evidence {
        crate::corroboration::Evidence::Corroborated(confidence) => raw.confidence = Some(confidence),
        crate::corroboration::Evidence::Missing(what) => {
            raw.confidence = Some(crate::finding::Confidence::Low);
            raw.demoted = true;
            raw.message.push_str(&format!(" (uncorroborated: {what})"));
        }
    }
}

/// 1-based line and column (in characters) of an offset.
pub(crate) fn position(module: &Module, offset: TextSize) -> (u32, u32) {
    let line = module.line_of(offset);
    let offset = usize::from(offset).min(module.source.len());
    let line_start = module.source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let column = module.source[line_start..offset].chars().count() as u32 + 1;
    (line, column)
}

/// The rules of one traversal, split by hook.
pub(crate) struct Hooks {
    pub exprs: Vec<fn(&mut Checker, &Expr)>,
    pub stmts: Vec<fn(&mut Checker, &Stmt)>,
    pub sinks: Vec<(&'static Rule, taint::TaintCheck)>,
}

impl Hooks {
    pub fn new(checks: &[(&'static Rule, Check)]) -> Hooks {
        let mut hooks = Hooks { exprs: Vec::new(), stmts: Vec::new(), sinks: Vec::new() };
        for (rule, check) in checks {
            match *check {
                Check::Expr(f) => hooks.exprs.push(f),
                Check::Stmt(f) => hooks.stmts.push(f),
                Check::Taint(check) => hooks.sinks.push((rule, check)),
                Check::Project(_) => {}
            }
        }
        hooks
    }
}

/// Runs every AST rule over one module.
pub(crate) fn check_module<'a>(checker: &mut Checker<'a>, module: &'a Module, hooks: &Hooks) {
    checker.module = Some(module);
    checker.in_non_production_module = crate::rules::is_non_production_module(module);
    if !hooks.sinks.is_empty() && checker.taint.is_none() {
        checker.taint = Some(taint::TaintClient::new(checker, &hooks.sinks));
    }
    let reads_flask_request = module.source.contains("request") && taint::imports_flask_request(module);
    let mut walker = Walker { checker, hooks, reads_flask_request };
    for stmt in &module.ast.body {
        walker.visit_stmt(stmt);
    }
}

struct Walker<'c, 'a> {
    checker: &'c mut Checker<'a>,
    hooks: &'c Hooks,
    /// The module imports `flask.request`: its functions are taint roots.
    reads_flask_request: bool,
}

impl<'a> Visitor<'a> for Walker<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        let loop_body = match stmt {
            Stmt::For(s) => Some(&s.body),
            Stmt::While(s) => Some(&s.body),
            _ => None,
        };
        if let Some(last) = loop_body.and_then(|body| body.last()) {
            self.checker.loop_tails.insert(last.range().start());
        }
        for rule in &self.hooks.stmts {
            rule(self.checker, stmt);
        }
        match stmt {
            Stmt::ClassDef(class) => {
                self.checker.class_stack.push(class.name.as_str());
                walk_stmt(self, stmt);
                self.checker.class_stack.pop();
            }
            Stmt::If(if_stmt) => {
                self.visit_expr(&if_stmt.test);
                self.checker.conditions.push(&if_stmt.test);
                self.visit_body(&if_stmt.body);
                self.checker.conditions.pop();
                for clause in &if_stmt.elif_else_clauses {
                    if let Some(test) = &clause.test {
                        self.visit_expr(test);
                        self.checker.conditions.push(test);
                    }
                    self.visit_body(&clause.body);
                    if clause.test.is_some() {
                        self.checker.conditions.pop();
                    }
                }
            }
            Stmt::FunctionDef(function) => {
                let module = self.checker.module.expect("module set during traversal");
                let handler = self.checker.handlers.get(module, function.range().start()).cloned();
                self.checker.function_stack.push(function);
                if let Some(info) = handler {
                    taint::check_function(self.checker, function, Some(&info));
                    self.checker.handler_depth += 1;
                    let outer_rules = std::mem::replace(&mut self.checker.handler_rules, info.rules.clone());
                    walk_stmt(self, stmt);
                    self.checker.handler_rules = outer_rules;
                    self.checker.handler_depth -= 1;
                } else {
                    // Helpers and hooks that read `flask.request` themselves.
                    if self.checker.handler_depth == 0 && (self.reads_flask_request || taint::takes_request(function)) {
                        taint::check_function(self.checker, function, None);
                    }
                    walk_stmt(self, stmt);
                }
                self.checker.function_stack.pop();
            }
            _ => walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        for rule in &self.hooks.exprs {
            rule(self.checker, expr);
        }
        walk_expr(self, expr);
    }
}

/// Helpers shared by rules.
pub mod helpers {
    use ruff_python_ast::{Expr, ExprCall};

    /// Dotted name of a `Name`/`Attribute` chain (`requests.get`), if it is one.
    pub fn dotted(expr: &Expr) -> Option<String> {
        match expr {
            Expr::Name(name) => Some(name.id.to_string()),
            Expr::Attribute(attr) => Some(format!("{}.{}", dotted(&attr.value)?, attr.attr.as_str())),
            _ => None,
        }
    }

    /// The called name of a call (`requests.get`, `execute`), when it is a dotted chain.
    pub fn callee(call: &ExprCall) -> Option<String> {
        dotted(&call.func)
    }

    /// The last segment of what is called (`execute` for `db.session.execute(...)`),
    /// also when the receiver is not a plain name.
    pub fn method_name(call: &ExprCall) -> Option<&str> {
        match &*call.func {
            Expr::Name(name) => Some(name.id.as_str()),
            Expr::Attribute(attr) => Some(attr.attr.as_str()),
            _ => None,
        }
    }

    /// `True` literal.
    pub fn is_true(expr: &Expr) -> bool {
        matches!(expr, Expr::BooleanLiteral(b) if b.value)
    }

    /// `False` literal.
    pub fn is_false(expr: &Expr) -> bool {
        matches!(expr, Expr::BooleanLiteral(b) if !b.value)
    }

    /// The value of a string literal.
    pub fn string_value(expr: &Expr) -> Option<&str> {
        match expr {
            Expr::StringLiteral(s) => Some(s.value.to_str()),
            _ => None,
        }
    }

    /// The lower-case words of an identifier or key (`snake_case`,
    /// `camelCase`, `kebab-case`, `Header-Name`, `UPPER_CASE`).
    pub fn words(name: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut current = String::new();
        let mut previous_lower = false;
        for c in name.chars() {
            if !c.is_ascii_alphanumeric() {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
                previous_lower = false;
                continue;
            }
            if c.is_ascii_uppercase() && previous_lower && !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            current.push(c.to_ascii_lowercase());
        }
        if !current.is_empty() {
            out.push(current);
        }
        out
    }

    /// Whether a call passes `**kwargs` (which may carry any keyword).
    pub fn has_kwargs_splat(call: &ExprCall) -> bool {
        call.arguments.keywords.iter().any(|k| k.arg.is_none())
    }
}
