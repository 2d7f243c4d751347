//! SEC006: the documentation is [`DOC`].

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use crate::checker::helpers::dotted;
use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;

pub const RULE: Rule = Rule {
    code: "SEC006",
    name: "insecure-deserialization",
    category: Category::Security,
    severity: Severity::Error,
    cwe: Some(502),
    summary: "Deserialisation that can construct arbitrary objects",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Flags `pickle.load(s)`, `cPickle`/`dill`/`jsonpickle` decoding,
`marshal.load(s)`, `yaml.unsafe_load()`, and `yaml.load()` without a safe
loader (`Loader=yaml.SafeLoader`/`CSafeLoader`) — `yaml.Loader`,
`FullLoader` and `UnsafeLoader` included.

## Why is this bad?
These formats describe objects to construct and functions to call. Loading
data an attacker controls — an upload, a cookie, a message from a queue
others can write to — runs their code in the service.

## Example
```python
data = yaml.load(upload.stream, Loader=yaml.Loader)
```

Use instead:
```python
data = yaml.safe_load(upload.stream)
```

## References
- [Python: pickle — warning](https://docs.python.org/3/library/pickle.html)
- [PyYAML: yaml.load(input) deprecation](https://github.com/yaml/pyyaml/wiki/PyYAML-yaml.load(input)-Deprecation)
- [CWE-502](https://cwe.mitre.org/data/definitions/502.html)
"#;

const ALWAYS_UNSAFE: &[&str] = &[
    "pickle.loads",
    "pickle.load",
    "cPickle.loads",
    "cPickle.load",
    "_pickle.loads",
    "dill.loads",
    "dill.load",
    "marshal.loads",
    "marshal.load",
    "jsonpickle.decode",
    "yaml.unsafe_load",
    "yaml.unsafe_load_all",
    "pandas.read_pickle",
];
const SAFE_LOADERS: &[&str] = &["SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"];

pub fn check(checker: &mut Checker, expr: &Expr) {
    let Expr::Call(call) = expr else { return };
    let Some(callee) = dotted(&call.func) else { return };
    // `pickle.loads(pickle.dumps(obj))` is a deep copy of the process's own data.
    let round_trip = call.arguments.args.first().is_some_and(|a| {
        matches!(a, Expr::Call(inner) if dotted(&inner.func).is_some_and(|d| d.ends_with(".dumps") || d.ends_with(".dump")))
    });
    if ALWAYS_UNSAFE.contains(&callee.as_str()) && !round_trip {
        checker.report(&RULE, call.range(), format!("`{callee}()` can run code embedded in the data"));
        return;
    }
    if callee == "yaml.load" || callee == "yaml.load_all" {
        let loader = call.arguments.find_argument_value("Loader", 1);
        let safe = loader.and_then(dotted).is_some_and(|l| {
            SAFE_LOADERS.iter().any(|s| l.rsplit('.').next() == Some(s))
                || l.rsplit('.').next().is_some_and(|last| last.contains("Safe"))
        });
        if !safe {
            let which = loader
                .map(|l| checker.source(l.range()).to_string())
                .unwrap_or_else(|| "the default loader".to_string());
            checker.report(
                &RULE,
                call.range(),
                format!("`{callee}()` with {which} constructs arbitrary Python objects; use `yaml.safe_load()`"),
            );
        }
    }
}
