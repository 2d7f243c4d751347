//! SEC004: the documentation is [`DOC`].

use retort_dataflow::SinkKind;

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
