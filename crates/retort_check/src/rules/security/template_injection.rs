//! SEC004: the documentation is [`DOC`].

use retort_dataflow::SinkKind;
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use crate::checker::helpers::dotted;
use crate::checker::Checker;
use crate::corroboration::Evidence;
use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::taint::TaintCheck;

pub const RULE: Rule = Rule {
    code: "SEC004",
    name: "template-injection",
    category: Category::Security,
    severity: Severity::Error,
    cwe: Some(1336),
    summary: "Template source built from request data",
    doc: DOC,
};

/// The engine's `ssti` sinks (see `docs/dataflow.md`).
pub const TAINT: TaintCheck = TaintCheck { kind: SinkKind::Ssti, sink: None };

pub const DOC: &str = r#"
## What it does
Flags `render_template_string()`, `jinja2.Template()` and
`Environment.from_string()` (also `app.jinja_env.from_string()`) whose
template source carries request data (`request.args`, `request.form`,
JSON bodies, URL parameters…), followed through the project's functions
and the library models of the data-flow engine (`docs/dataflow.md`).

Also reported, at `info` severity with `low` confidence: a template
compiled from text that is not a literal by a plain, non-sandboxed
`jinja2.Environment` (`Environment(loader=BaseLoader).from_string(body)`,
the environment built in the same function or at the module's top level),
when no request data is seen reaching it. Such text usually comes from
storage (a notification body saved from a form, a setting), where the
flow is not followed; if users can write it, they run code on the server.
`jinja2.sandbox.SandboxedEnvironment` and
`ImmutableSandboxedEnvironment` are not reported.

## Why is this bad?
Jinja templates are code. A template built from user input lets the user
run expressions on the server — `{{ config }}` leaks the secret key,
`{{ ''.__class__.__mro__ }}` chains reach `os.popen` (server-side template
injection, remote code execution).

## Example
```python
name = request.args.get("name", "")
return render_template_string(f"<h1>Hello {name}</h1>")
```

Use instead:
```python
name = request.args.get("name", "")
return render_template_string("<h1>Hello {{ name }}</h1>", name=name)
```

## References
- [Flask: render_template_string](https://flask.palletsprojects.com/en/latest/api/#flask.render_template_string)
- [CWE-1336: Improper Neutralization of Special Elements Used in a Template Engine](https://cwe.mitre.org/data/definitions/1336.html)
"#;

/// `from_string(source)` on a plain `jinja2.Environment` with a source
/// that is not a literal (see the documentation).
pub fn check(checker: &mut Checker, expr: &Expr) {
    let Expr::Call(call) = expr else { return };
    let Expr::Attribute(attr) = &*call.func else { return };
    if attr.attr.as_str() != "from_string" {
        return;
    }
    let Some(source) = call.arguments.find_argument_value("source", 0) else { return };
    if matches!(source, Expr::StringLiteral(_)) || !is_plain_environment(checker, &attr.value) {
        return;
    }
    checker.report_judged(
        &RULE,
        source.range(),
        "Template compiled from text that is not a literal by a jinja2 `Environment` that is not sandboxed",
        Evidence::missing("no request data seen reaching it; where the text comes from is not followed"),
    );
}

/// Whether `receiver` is a plain `jinja2.Environment(...)`: the call
/// itself, or a name bound to one in the enclosing function or at the
/// module's top level.
fn is_plain_environment(checker: &Checker, receiver: &Expr) -> bool {
    let is_environment_call = |value: &Expr| match value {
        Expr::Call(call) => dotted(&call.func).is_some_and(|callee| {
            callee == "jinja2.Environment" || (callee == "Environment" && imports_environment_from_jinja2(checker))
        }),
        _ => false,
    };
    match receiver {
        Expr::Name(name) => {
            let in_function = checker.function_stack.last().map(|f| &f.body[..]).unwrap_or_default();
            let module = checker.module.map(|m| &m.ast.body[..]).unwrap_or_default();
            [in_function, module].into_iter().flatten().any(|stmt| match stmt {
                Stmt::Assign(a) => {
                    a.targets.iter().any(|t| matches!(t, Expr::Name(n) if n.id == name.id))
                        && is_environment_call(&a.value)
                }
                _ => false,
            })
        }
        other => is_environment_call(other),
    }
}

/// `from jinja2 import Environment` in the checked module.
fn imports_environment_from_jinja2(checker: &Checker) -> bool {
    checker.module.is_some_and(|module| {
        module.ast.body.iter().any(|stmt| match stmt {
            Stmt::ImportFrom(import) => {
                import.module.as_ref().is_some_and(|m| m.as_str() == "jinja2")
                    && import.names.iter().any(|a| a.name.as_str() == "Environment" && a.asname.is_none())
            }
            _ => false,
        })
    })
}
