//! REL005: the documentation is [`DOC`].

use retort_python::Module;
use ruff_python_ast::visitor::{walk_expr, Visitor};
use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use crate::checker::helpers::dotted;
use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::rules::reliability::{entry_commands, Launch};

pub const RULE: Rule = Rule {
    code: "REL005",
    name: "development-server-in-production",
    category: Category::Reliability,
    severity: Severity::Warning,
    cwe: None,
    summary: "Flask's development server is the production entry point",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Reports the line of a Dockerfile (`CMD`/`ENTRYPOINT` of the final stage), a
Procfile or a docker-compose `command:`/`entrypoint:` that starts the
service with Flask's development server:

- `flask run` (also `python -m flask run`, `flask --app x run`, behind
  `exec`, `sh -c`, `poetry run` and the like);
- `python <file>.py` or `python -m <module>` where that file calls
  `app.run(...)` (on a Flask application, `application` or
  `create_app()`).

Not flagged: `app.run()` under `if __name__ == "__main__":` by itself (that
is how people run the app on a laptop); commands that start a WSGI/ASGI
server (gunicorn, uwsgi, waitress, hypercorn, uvicorn, mod_wsgi, granian);
`socketio.run(app)`, which uses eventlet or gevent when installed; files
named for development (`Dockerfile.dev`, `docker-compose.override.yml`,
`*local*`, `*test*`). The CWE is left empty: the debugger is SEC001's
concern, this rule is about the server itself.

## Why is this bad?
Werkzeug's development server is documented as not for production: one
process, a thread per request with no limit, no worker recycling, no
timeouts for slow clients, and no graceful shutdown on `SIGTERM`, so
deploys drop requests in flight. It also logs every request to stderr in
its own format, outside the service's logging.

## Example
```dockerfile
CMD ["flask", "run", "--host=0.0.0.0"]
```

Use instead:
```dockerfile
CMD ["gunicorn", "--workers", "4", "--bind", "0.0.0.0:8000", "wsgi:app"]
```

## References
- [Flask: Deploying to Production](https://flask.palletsprojects.com/en/stable/deploying/)
- [Werkzeug: the development server](https://werkzeug.palletsprojects.com/en/stable/serving/)
"#;

pub fn check(checker: &mut Checker) {
    if !checker.catalog.routes.iter().any(|r| r.view_location.is_some()) {
        return;
    }
    let mut found = Vec::new();
    for command in entry_commands(checker) {
        for launch in &command.launches {
            let reason = match launch.program.as_str() {
                "flask" if flask_subcommand(&launch.args) == Some("run") => {
                    Some("`flask run` starts the Werkzeug development server".to_string())
                }
                "python" => script_running_app(checker, launch),
                _ => None,
            };
            if let Some(reason) = reason {
                found.push((
                    command.file.clone(),
                    command.line,
                    format!("{reason} as the {} entry point", command.origin),
                ));
            }
        }
    }
    for (file, line, message) in found {
        checker.report_at(&RULE, &file, line, message);
    }
}

/// The first word after `flask` that is not an option or an option's value.
fn flask_subcommand(args: &[String]) -> Option<&str> {
    let mut words = args.iter();
    while let Some(word) = words.next() {
        match word.as_str() {
            "--app" | "-A" | "--env-file" | "-e" => {
                words.next();
            }
            w if w.starts_with('-') => {}
            w => return Some(w),
        }
    }
    None
}

/// Why `python <script>` / `python -m <module>` runs the development server.
fn script_running_app(checker: &Checker, launch: &Launch) -> Option<String> {
    let modules = &checker.project.modules;
    let (what, module) = match (launch.args.first().map(String::as_str), launch.args.get(1)) {
        (Some("-m"), Some(name)) => {
            let main = format!("{name}.__main__");
            (format!("python -m {name}"), modules.iter().find(|m| m.name == main || &m.name == name)?)
        }
        (Some(script), _) if script.ends_with(".py") => {
            let script = script.trim_start_matches("./");
            let module = modules.iter().find(|m| {
                let path = m.display_path();
                script == path || script.ends_with(&format!("/{path}"))
            })?;
            (format!("python {script}"), module)
        }
        _ => return None,
    };
    let app_names: Vec<&str> = checker
        .catalog
        .apps
        .iter()
        .filter(|a| a.file == module.display_path())
        .filter_map(|a| a.variable.as_deref())
        .collect();
    let line = app_run_line(module, &app_names)?;
    Some(format!("`{what}` calls `app.run()` ({}:{line}), the Werkzeug development server,", module.display_path()))
}

/// The line of the first `<app>.run(...)` of a module.
fn app_run_line(module: &Module, app_names: &[&str]) -> Option<u32> {
    struct Finder<'n> {
        app_names: &'n [&'n str],
        found: Option<ruff_text_size::TextSize>,
    }
    impl<'a> Visitor<'a> for Finder<'_> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr {
                if let Expr::Attribute(attr) = &*call.func {
                    let receiver = match &*attr.value {
                        Expr::Call(inner) => dotted(&inner.func).map(|f| format!("{f}()")),
                        other => dotted(other),
                    };
                    let is_app = receiver.is_some_and(|r| {
                        matches!(r.as_str(), "app" | "application" | "create_app()")
                            || self.app_names.contains(&r.as_str())
                    });
                    if attr.attr.as_str() == "run" && is_app && self.found.is_none() {
                        self.found = Some(call.range().start());
                    }
                }
            }
            walk_expr(self, expr);
        }
    }
    let mut finder = Finder { app_names, found: None };
    for stmt in &module.ast.body {
        finder.visit_stmt(stmt);
    }
    finder.found.map(|offset| module.line_of(offset))
}
