//! SEC006: the documentation is [`DOC`].

use ruff_python_ast::Expr;

use crate::checker::helpers::{dotted, is_true};
use retort_dataflow::SinkKind;

use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::taint::{SinkFinder, SinkSite, TaintCheck};

pub const RULE: Rule = Rule {
    code: "SEC006",
    name: "insecure-deserialization",
    category: Category::Security,
    severity: Severity::Error,
    cwe: Some(502),
    summary: "Deserialisation that can construct arbitrary objects",
    doc: DOC,
};

/// The engine's `deserialisation` sinks, and those [`sink`] finds.
pub const TAINT: TaintCheck = TaintCheck { kind: SinkKind::Deserialisation, sink: Some(SinkFinder::One(sink)) };

pub const DOC: &str = r#"
## What it does
Follows request data (the body, uploads, form fields, cookies, headers, URL
parameters — also through project helpers, see `retort rule SEC003`) into
`pickle.load(s)`, `cPickle`/`dill`/`jsonpickle`/`joblib` decoding,
`marshal.load(s)`, `pandas.read_pickle`, `yaml.unsafe_load()`,
`yaml.load()` without a safe loader (`Loader=yaml.SafeLoader`/`CSafeLoader`;
`yaml.Loader`, `FullLoader` and `UnsafeLoader` are unsafe) and `torch.load`
without `weights_only=True`.

Deserialising the service's own data (a cache it pickled itself, its
bundled YAML files) is not reported: the risk is in who can write the bytes,
and a rule that fires on every `pickle.loads` gets switched off. Bytes read
back from a store that clients can write to (a queue, a shared cache) are a
flow this rule cannot see.

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
    "joblib.load",
];
const SAFE_LOADERS: &[&str] = &["SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"];

/// The data argument of a call that can construct arbitrary objects.
pub fn sink<'a>(site: &SinkSite<'a, '_>) -> Option<&'a Expr> {
    let call = site.call;
    let callee = dotted(&call.func)?;
    let data = call.arguments.find_argument_value("data", 0);
    if ALWAYS_UNSAFE.contains(&callee.as_str()) {
        return data.or_else(|| call.arguments.args.first());
    }
    if callee == "yaml.load" || callee == "yaml.load_all" {
        let loader = call.arguments.find_argument_value("Loader", 1);
        let safe = loader.and_then(dotted).is_some_and(|l| {
            let last = l.rsplit('.').next().unwrap_or(&l);
            SAFE_LOADERS.contains(&last) || last.contains("Safe")
        });
        return if safe { None } else { call.arguments.find_argument_value("stream", 0) };
    }
    // `torch.load` unpickles unless `weights_only=True`.
    if callee == "torch.load" {
        let weights_only = call.arguments.find_keyword("weights_only").is_some_and(|k| is_true(&k.value));
        return if weights_only { None } else { call.arguments.find_argument_value("f", 0) };
    }
    None
}
