//! REL006: the documentation is [`DOC`].

use std::collections::HashMap;

use retort_python::Module;
use ruff_python_ast::{Expr, Number, Stmt};

use crate::checker::helpers::{method_name, string_value};
use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::rules::reliability::{deployment_texts, entry_commands, Launch};

pub const RULE: Rule = Rule {
    code: "REL006",
    name: "unsafe-wsgi-server-timeouts",
    category: Category::Reliability,
    severity: Severity::Warning,
    cwe: Some(400),
    summary: "WSGI server without a worker timeout or with a single worker",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Reads how gunicorn and uWSGI are started (Dockerfile `CMD`/`ENTRYPOINT`,
Procfile, docker-compose `command:`) and configured (`gunicorn*.py`
modules such as `gunicorn.conf.py`, the `--ini` file of uWSGI or a
top-level `uwsgi.ini`), and reports:

- gunicorn's worker timeout disabled (`--timeout 0`, `timeout = 0`) or
  above 300 seconds, at the line that sets it. A missing timeout is fine:
  gunicorn's default is 30 s;
- gunicorn started by a Dockerfile or compose command with no worker or
  thread count anywhere: no `-w`/`--workers`/`--threads` or an async
  `-k`/`worker_class` (gevent, eventlet, uvicorn, tornado) on the command
  line, no `workers`/`threads`/`worker_class` in a gunicorn config module,
  no `WEB_CONCURRENCY` or `GUNICORN_CMD_ARGS` in the deployment files.
  The config file read is the one gunicorn loads: the command's
  `-c`/`--config` file, else `gunicorn.conf.py` in the working directory
  (a `-c` file that is not in the repository is given the benefit of the
  doubt).
  Gunicorn's default is one synchronous worker, one request at a time.
  Procfile commands are not reported for this: Heroku sets
  `WEB_CONCURRENCY`, which gunicorn reads;
- uWSGI with no `harakiri` (command line, ini file, `UWSGI_HARAKIRI`).
  uWSGI has no request timeout by default. A config file that cannot be
  read (`--yaml`, a path outside the repository) is given the benefit of
  the doubt.

An explicit `workers = 1` is a choice (one worker per container, scaled by
the orchestrator) and is not reported.

## Why is this bad?
A worker stuck on a hung upstream or a runaway query is only recycled by
the master's timeout. With the timeout off, a few stuck requests take every
worker and the service stops answering while its process still looks
alive. With a single sync worker, one slow request queues every other
request behind it, health checks included, and the orchestrator restarts a
container that was merely busy.

## Example
```dockerfile
CMD ["gunicorn", "--timeout", "0", "wsgi:app"]
```

Use instead:
```python
# gunicorn.conf.py
workers = int(os.getenv("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
threads = 2
timeout = 30
```

## References
- [Gunicorn: Settings](https://docs.gunicorn.org/en/stable/settings.html)
- [uWSGI: Things to know (harakiri)](https://uwsgi-docs.readthedocs.io/en/latest/ThingsToKnow.html)
- [CWE-400: Uncontrolled Resource Consumption](https://cwe.mitre.org/data/definitions/400.html)
"#;

/// Longest worker timeout accepted, in seconds.
const MAX_TIMEOUT_SECONDS: i64 = 300;
const ASYNC_WORKERS: &[&str] = &["gevent", "eventlet", "uvicorn", "tornado", "asyncio"];

pub fn check(checker: &mut Checker) {
    if !checker.catalog.routes.iter().any(|r| r.view_location.is_some()) {
        return;
    }
    let mut found: Vec<(String, u32, String)> = Vec::new();
    let configs: Vec<(&Module, Settings)> = checker
        .project
        .modules
        .iter()
        .filter(|m| m.display_path().rsplit('/').next().is_some_and(|n| n.starts_with("gunicorn")))
        .map(|m| (m, settings(m)))
        .collect();
    for (module, settings) in &configs {
        if let Some((line, value)) = settings.get("timeout") {
            if let Some(problem) = numeric(value).and_then(timeout_problem) {
                found.push((module.display_path(), *line, format!("gunicorn `timeout` {problem}")));
            }
        }
    }
    let deployment = deployment_texts(checker).join("\n");
    let concurrency_in_env = deployment.contains("WEB_CONCURRENCY") || deployment.contains("GUNICORN_CMD_ARGS");
    let harakiri_in_env = deployment.contains("UWSGI_HARAKIRI");
    let mut inis_read = Vec::new();
    for command in entry_commands(checker) {
        for launch in &command.launches {
            let at = |message: String| (command.file.clone(), command.line, message);
            match launch.program.as_str() {
                "gunicorn" => {
                    let timeout = option(launch, &["--timeout", "-t"]).and_then(|v| v.parse().ok());
                    if let Some(problem) = timeout.and_then(timeout_problem) {
                        found.push(at(format!("gunicorn `--timeout` {problem}")));
                    }
                    let concurrency = option(launch, &["--workers", "-w", "--threads"]).is_some()
                        || option(launch, &["--worker-class", "-k"]).is_some_and(is_async_worker);
                    // Heroku sets WEB_CONCURRENCY for Procfile processes.
                    let loaded = loaded_config(checker, launch);
                    // An unresolvable `-c` file may set the workers: no finding.
                    let config_concurrency = loaded.is_none_or(|m| m.is_some_and(|m| sets_concurrency(&settings(m))));
                    if command.origin != "Procfile" && !concurrency && !config_concurrency && !concurrency_in_env {
                        found.push(at(ONE_WORKER.to_string()));
                    }
                }
                "uwsgi" if !launch.args.iter().any(|a| a.contains("harakiri")) && !harakiri_in_env => {
                    match uwsgi_config(checker, launch) {
                        UwsgiConfig::None => found.push(at(NO_HARAKIRI.to_string())),
                        UwsgiConfig::Ini(path, text) => {
                            if !text.contains("harakiri") {
                                found.push(at(format!("{NO_HARAKIRI} (not set in {path})")));
                            }
                            inis_read.push(path);
                        }
                        UwsgiConfig::Unreadable => {}
                    }
                }
                _ => {}
            }
        }
    }
    // A top-level uwsgi.ini that no command line points at.
    if let Ok(text) = std::fs::read_to_string(checker.project.root.join("uwsgi.ini")) {
        let section = text.lines().position(|l| l.trim() == "[uwsgi]");
        let unseen = !inis_read.iter().any(|p| p == "uwsgi.ini");
        if let (Some(index), true, false, false) = (section, unseen, text.contains("harakiri"), harakiri_in_env) {
            found.push(("uwsgi.ini".into(), index as u32 + 1, NO_HARAKIRI.to_string()));
        }
    }
    for (file, line, message) in found {
        checker.report_at(&RULE, &file, line, message);
    }
}

const ONE_WORKER: &str =
    "gunicorn starts with its default of one sync worker: no `--workers`, `--threads` or `WEB_CONCURRENCY` is set";
const NO_HARAKIRI: &str = "uWSGI without `harakiri`: a stuck request holds its worker forever";

/// The config module gunicorn loads for a command: its `-c`/`--config`
/// file, else `gunicorn.conf.py` of the working directory (`Some(None)`:
/// no config file; `None`: a file the rule cannot find).
fn loaded_config<'m>(checker: &Checker<'m>, launch: &Launch) -> Option<Option<&'m Module>> {
    let modules = &checker.project.modules;
    let Some(path) = option(launch, &["--config", "-c"]) else {
        return Some(modules.iter().find(|m| m.display_path() == "gunicorn.conf.py"));
    };
    let found = match path.strip_prefix("python:") {
        Some(name) => modules.iter().find(|m| m.name == name),
        None => {
            let path = path.trim_start_matches("./");
            modules.iter().find(|m| {
                let module_path = m.display_path();
                path == module_path || path.ends_with(&format!("/{module_path}"))
            })
        }
    };
    found.map(Some)
}

fn sets_concurrency(settings: &Settings) -> bool {
    settings.contains_key("workers")
        || settings.contains_key("threads")
        || settings.get("worker_class").and_then(|(_, v)| string_value(v)).is_some_and(is_async_worker)
}

fn is_async_worker(class: &str) -> bool {
    ASYNC_WORKERS.iter().any(|w| class.contains(w))
}

fn timeout_problem(seconds: i64) -> Option<String> {
    match seconds {
        0 => Some("is 0: stuck workers are never killed".to_string()),
        s if s > MAX_TIMEOUT_SECONDS => {
            Some(format!("is {s} s: a stuck worker is held for over {MAX_TIMEOUT_SECONDS} s"))
        }
        _ => None,
    }
}

/// The value of a command-line option (`--timeout 0`, `--timeout=0`, `-t0`).
fn option<'l>(launch: &'l Launch, names: &[&str]) -> Option<&'l str> {
    let args = &launch.args;
    for (index, arg) in args.iter().enumerate() {
        for name in names {
            if arg == name {
                return args.get(index + 1).map(String::as_str);
            }
            if let Some(value) = arg.strip_prefix(&format!("{name}=")) {
                return Some(value);
            }
            if name.len() == 2 && arg.len() > 2 && arg.starts_with(name) && !arg.starts_with("--") {
                return Some(&arg[2..]);
            }
        }
    }
    None
}

/// Top-level `name = value` assignments of a config module: name -> (line, value).
type Settings<'m> = HashMap<String, (u32, &'m Expr)>;

/// The settings of a gunicorn config module.
fn settings(module: &Module) -> Settings<'_> {
    let mut out = HashMap::new();
    for stmt in &module.ast.body {
        if let Stmt::Assign(assign) = stmt {
            for target in &assign.targets {
                if let Expr::Name(name) = target {
                    out.insert(
                        name.id.to_string(),
                        (module.line_of(ruff_text_size::Ranged::range(stmt).start()), &*assign.value),
                    );
                }
            }
        }
    }
    out
}

/// A number written directly or as the default of an environment lookup:
/// `0`, `"0"`, `int(os.getenv("TIMEOUT", "0"))`.
fn numeric(expr: &Expr) -> Option<i64> {
    match expr {
        Expr::NumberLiteral(n) => match &n.value {
            Number::Int(i) => i.as_i64(),
            Number::Float(f) => Some(*f as i64),
            Number::Complex { .. } => None,
        },
        Expr::StringLiteral(s) => s.value.to_str().trim().parse().ok(),
        Expr::Call(call) => match method_name(call)? {
            "int" | "float" => numeric(call.arguments.args.first()?),
            "getenv" | "get" => numeric(call.arguments.args.get(1)?),
            _ => None,
        },
        _ => None,
    }
}

enum UwsgiConfig {
    /// Only command-line options.
    None,
    /// The ini file (path in the repository, text).
    Ini(String, String),
    /// A config the rule cannot read.
    Unreadable,
}

fn uwsgi_config(checker: &Checker, launch: &Launch) -> UwsgiConfig {
    let args = &launch.args;
    if args.iter().any(|a| ["--yaml", "--json", "--xml", "--config", "-y", "-j", "-x"].iter().any(|o| a.starts_with(o)))
    {
        return UwsgiConfig::Unreadable;
    }
    let ini =
        option(launch, &["--ini"]).map(str::to_string).or_else(|| args.iter().find(|a| a.ends_with(".ini")).cloned());
    let Some(path) = ini else { return UwsgiConfig::None };
    // Relative to the image's WORKDIR, which is usually the repository root.
    let relative = path.trim_start_matches("./").trim_start_matches('/');
    let mut candidates = vec![relative.to_string()];
    let mut rest = relative;
    while let Some((_, tail)) = rest.split_once('/') {
        candidates.push(tail.to_string());
        rest = tail;
    }
    candidates
        .into_iter()
        .find_map(|c| Some((std::fs::read_to_string(checker.project.root.join(&c)).ok()?, c)))
        .map_or(UwsgiConfig::Unreadable, |(text, found)| UwsgiConfig::Ini(found, text))
}
