//! REL008: the documentation is [`DOC`].

use retort_flask::catalog::Task;
use retort_python::Module;
use ruff_python_ast::visitor::{walk_expr, walk_stmt, Visitor};
use ruff_python_ast::{Expr, Stmt, StmtFunctionDef};

use crate::checker::helpers::{callee, dotted, method_name};
use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::handlers::{find_def_at_line, ViewDef};
use crate::registry::Rule;

pub const RULE: Rule = Rule {
    code: "REL008",
    name: "celery-task-without-retry-policy",
    category: Category::Reliability,
    severity: Severity::Warning,
    cwe: None,
    summary: "Celery task doing network or database I/O without a retry policy",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Reports, at its decorator, a Celery task (`@shared_task`, `@celery.task`,
`@app.task`, …) that does I/O that fails transiently and has no retry
policy. I/O is, in the task's body or in a function of the same module it
calls: `requests`/`httpx` calls, `urlopen`, `smtplib`, a `.commit()` of a
database session, and `.send()`/`.send_message()`/`.sendmail()` on a mail
or SMTP object.

A retry policy is `autoretry_for=` in the decorator, or a `self.retry(...)`
(`<task>.retry(...)`) call in the body. `max_retries=` alone does nothing
without one of them, and `base=` a custom task class is given the benefit
of the doubt. A policy every task inherits also counts: `autoretry_for` in
`task_annotations`, or a `Task` subclass setting `autoretry_for` installed
as the app's default (`celery.Task = RetryingTask`, `task_cls=`).

`acks_late=True` (or `task_acks_late`) is not counted as a retry policy:
with Celery's default `task_acks_on_failure_or_timeout=True` a task that
raises is acknowledged and dropped; late acknowledgement only redelivers
tasks whose worker died. The message says whether the task is `acks_late`,
so the reviewer sees what protection it has. Not flagged: Dramatiq actors
(retried by default), Huey tasks, and tasks whose body catches every
exception (`try: … except Exception:` without re-raising): they record or
report the failure themselves and have chosen not to retry (running a
user's SQL twice would be wrong); and periodic tasks (`@periodic_task`,
`run_every=`), whose next scheduled run catches up.

## Why is this bad?
A mail relay that times out, a 503 from a partner API or a database
failover turns into a task that failed once and is never run again: the
confirmation e-mail is not sent, the stock feed not synced, and nothing
but a log line says so.

## Example
```python
@shared_task
def send_receipt(order_id):
    requests.post(MAIL_URL, json=receipt(order_id), timeout=10).raise_for_status()
```

Use instead:
```python
@shared_task(
    autoretry_for=(requests.RequestException,),
    retry_backoff=True,
    retry_kwargs={"max_retries": 5},
    acks_late=True,
)
def send_receipt(order_id):
    requests.post(MAIL_URL, json=receipt(order_id), timeout=10).raise_for_status()
```

## References
- [Celery: Retrying](https://docs.celeryq.dev/en/stable/userguide/tasks.html#retrying)
- [Celery: Automatic retry for known exceptions](https://docs.celeryq.dev/en/stable/userguide/tasks.html#automatic-retry-for-known-exceptions)
- [Celery: task_acks_on_failure_or_timeout](https://docs.celeryq.dev/en/stable/userguide/configuration.html#task-acks-on-failure-or-timeout)
"#;

pub fn check(checker: &mut Checker) {
    let project = checker.project;
    let acks_late_config = project.modules.iter().any(|m| {
        m.source.lines().any(|l| {
            let lower = l.to_ascii_lowercase();
            (lower.contains("task_acks_late") || lower.contains("celery_acks_late")) && lower.contains("true")
        })
    });
    if has_default_retry_policy(checker) {
        return;
    }
    let mut found = Vec::new();
    for task in &checker.catalog.tasks {
        let Some(module) = project.module_by_display_path(&task.file) else { continue };
        if !is_celery_task(module, task)
            || task.options.contains_key("autoretry_for")
            || task.options.contains_key("base")
            || is_periodic(task)
        {
            continue;
        }
        let Some(ViewDef::Function(function)) = find_def_at_line(module, task.line) else { continue };
        if calls_retry(function) || handles_every_failure(function) {
            continue;
        }
        let Some(io) = io_call(module, function) else { continue };
        let protection = if task.options.get("acks_late").is_some_and(|v| v == "True") {
            "; its `acks_late=True` only redelivers after a worker crash"
        } else if acks_late_config {
            "; `task_acks_late` only redelivers after a worker crash"
        } else {
            " and is not `acks_late`"
        };
        let decorator_line = function
            .decorator_list
            .first()
            .map_or(task.line, |d| module.line_of(ruff_text_size::Ranged::range(d).start()));
        found.push((
            task.file.clone(),
            decorator_line,
            format!(
                "Celery task `{}` calls {io} but has no retry policy (`autoretry_for=` or `self.retry()`){protection}",
                function.name
            ),
        ));
    }
    for (file, line, message) in found {
        checker.report_at(&RULE, &file, line, message);
    }
}

/// A retry policy every task inherits: `autoretry_for` in
/// `task_annotations`, or a `Task` subclass with `autoretry_for` made the
/// app's default (`celery.Task = X`, `Celery(task_cls=X)`).
fn has_default_retry_policy(checker: &Checker) -> bool {
    let modules = &checker.project.modules;
    if modules.iter().any(|m| m.source.contains("task_annotations") && m.source.contains("autoretry_for")) {
        return true;
    }
    let retrying_bases: Vec<&str> = modules
        .iter()
        .flat_map(|m| m.ast.body.iter())
        .filter_map(|stmt| match stmt {
            Stmt::ClassDef(class) if class_sets(&class.body, "autoretry_for") => Some(class.name.as_str()),
            _ => None,
        })
        .collect();
    retrying_bases.iter().any(|base| {
        modules
            .iter()
            .any(|m| m.source.contains(&format!(".Task = {base}")) || m.source.contains(&format!("task_cls={base}")))
    })
}

fn class_sets(body: &[Stmt], attribute: &str) -> bool {
    body.iter().any(|stmt| match stmt {
        Stmt::Assign(a) => a.targets.iter().any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == attribute)),
        Stmt::AnnAssign(a) => matches!(&*a.target, Expr::Name(n) if n.id.as_str() == attribute),
        _ => false,
    })
}

/// `@shared_task`, or `@x.task` in a module that mentions Celery where `x`
/// is not a Huey object (Dramatiq's `@actor` is never one).
/// `@periodic_task(run_every=…)`: the next scheduled run is the retry.
fn is_periodic(task: &Task) -> bool {
    task.decorator.ends_with("periodic_task") || task.options.contains_key("run_every")
}

fn is_celery_task(module: &Module, task: &Task) -> bool {
    let last = task.decorator.rsplit('.').next().unwrap_or(&task.decorator);
    match last {
        "shared_task" => true,
        "task" | "periodic_task" => {
            let receiver = task.decorator.to_ascii_lowercase();
            !receiver.contains("huey") && module.source.contains("celery")
        }
        _ => false,
    }
}

/// A task whose body is wrapped in `try: … except Exception:` that does not
/// re-raise has chosen its own failure policy (record the failure, give up).
fn handles_every_failure(function: &StmtFunctionDef) -> bool {
    function.body.iter().any(|stmt| match stmt {
        Stmt::Try(t) => t.handlers.iter().any(|h| {
            let ruff_python_ast::ExceptHandler::ExceptHandler(h) = h;
            let broad = h.type_.as_deref().is_none_or(|t| {
                matches!(t, ruff_python_ast::Expr::Name(n) if n.id.as_str() == "Exception" || n.id.as_str() == "BaseException")
            });
            broad && !h.body.iter().any(|s| matches!(s, Stmt::Raise(_)))
        }),
        _ => false,
    })
}

/// Whether the body calls `<something>.retry(...)`.
fn calls_retry(function: &StmtFunctionDef) -> bool {
    let mut calls = Calls(Vec::new());
    for stmt in &function.body {
        calls.visit_stmt(stmt);
    }
    calls.0.iter().any(|c| c.ends_with(".retry"))
}

/// The first I/O call of the task, looking one level into functions of the
/// same module that it calls, quoted for the message.
fn io_call(module: &Module, function: &StmtFunctionDef) -> Option<String> {
    let mut calls = Calls(Vec::new());
    for stmt in &function.body {
        calls.visit_stmt(stmt);
    }
    if let Some(io) = calls.0.iter().find(|c| is_io(c)) {
        return Some(format!("`{io}`"));
    }
    for name in calls.0.iter().filter(|c| !c.contains('.')) {
        let Some(helper) = module_function(module, name) else { continue };
        let mut inner = Calls(Vec::new());
        for stmt in &helper.body {
            inner.visit_stmt(stmt);
        }
        if let Some(io) = inner.0.iter().find(|c| is_io(c)) {
            return Some(format!("`{io}` (in `{name}()`)"));
        }
    }
    None
}

fn is_io(call: &str) -> bool {
    let (receiver, method) = call.rsplit_once('.').unwrap_or(("", call));
    let receiver_lower = receiver.to_ascii_lowercase();
    let root = call.split('.').next().unwrap_or(call);
    matches!(root, "requests" | "httpx" | "smtplib" | "urllib3")
        || matches!(call, "urlopen" | "urllib.request.urlopen" | "request.urlopen")
        || (method == "commit" && receiver_lower.ends_with("session"))
        || (matches!(method, "send" | "send_message" | "sendmail")
            && (receiver_lower.contains("mail") || receiver_lower.contains("smtp")))
}

/// A top-level function of `module` named `name`.
fn module_function<'m>(module: &'m Module, name: &str) -> Option<&'m StmtFunctionDef> {
    module.ast.body.iter().find_map(|stmt| match stmt {
        Stmt::FunctionDef(f) if f.name.as_str() == name => Some(f),
        _ => None,
    })
}

/// Dotted names of the calls of a body (nested functions excluded).
struct Calls(Vec<String>);

impl<'a> Visitor<'a> for Calls {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
            walk_stmt(self, stmt);
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr {
            let name = callee(call).or_else(|| {
                // `smtplib.SMTP(host).sendmail(...)`, `db.session().commit()`.
                let Expr::Attribute(attr) = &*call.func else { return None };
                if !matches!(attr.attr.as_str(), "commit" | "send" | "send_message" | "sendmail") {
                    return None;
                }
                let base = match &*attr.value {
                    Expr::Call(inner) => dotted(&inner.func)?,
                    other => dotted(other)?,
                };
                Some(format!("{base}.{}", method_name(call)?))
            });
            self.0.extend(name);
        }
        walk_expr(self, expr);
    }
}
