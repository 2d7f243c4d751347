//! SEC011: the documentation is [`DOC`].

use ruff_python_ast::Expr;

use crate::checker::helpers::dotted;
use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::taint::SinkSite;

pub const RULE: Rule = Rule {
    code: "SEC011",
    name: "code-injection",
    category: Category::Security,
    severity: Severity::Error,
    cwe: Some(95),
    summary: "Python code built from request data",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Flags request data reaching `eval()`, `exec()` or `compile()` inside a
request handler.

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

pub fn sink<'a>(site: &SinkSite<'a>) -> Option<&'a Expr> {
    let call = site.call;
    match dotted(&call.func)?.as_str() {
        "eval" | "exec" | "builtins.eval" | "builtins.exec" => call.arguments.find_argument_value("source", 0),
        "compile" => call.arguments.find_argument_value("source", 0),
        _ => None,
    }
}
