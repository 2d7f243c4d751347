//! SEC011: the documentation is [`DOC`].

use retort_dataflow::SinkKind;

use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::taint::TaintCheck;

pub const RULE: Rule = Rule {
    code: "SEC011",
    name: "code-injection",
    category: Category::Security,
    severity: Severity::Error,
    cwe: Some(95),
    summary: "Python code built from request data",
    doc: DOC,
};

/// The engine's `code` sinks (see `docs/dataflow.md`).
pub const TAINT: TaintCheck = TaintCheck { kind: SinkKind::Code, sink: None };

pub const DOC: &str = r#"
## What it does
Flags request data reaching `eval()`, `exec()` or `compile()` inside a
request handler, or Js2Py's `eval_js()`/`eval_js6()`/`translate_js()`
unless the project calls `js2py.disable_pyimport()` (with `pyimport` the
script can import any Python module).

## Why is this bad?
The server runs whatever Python the client sends: reading files, opening
shells, exfiltrating secrets. No amount of filtering makes `eval` of user
input safe.

## Example
```python
expression = request.args["expr"]
return {"result": eval(expression)}
```

Use instead:
```python
from ast import literal_eval

return {"result": literal_eval(request.args["value"])}  # literals only
```

## References
- [Python: eval](https://docs.python.org/3/library/functions.html#eval)
- [CWE-95: Eval Injection](https://cwe.mitre.org/data/definitions/95.html)
"#;
