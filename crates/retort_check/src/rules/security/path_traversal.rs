//! SEC013: the documentation is [`DOC`].

use retort_dataflow::SinkKind;

use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::taint::TaintCheck;

pub const RULE: Rule = Rule {
    code: "SEC013",
    name: "path-traversal",
    category: Category::Security,
    severity: Severity::Error,
    cwe: Some(22),
    summary: "File path built from request data",
    doc: DOC,
};

/// The engine's `path` sinks (see `docs/dataflow.md`).
pub const TAINT: TaintCheck = TaintCheck { kind: SinkKind::Path, sink: None };

pub const DOC: &str = r#"
## What it does
Flags request data (including `<path:…>` and string URL parameters)
reaching `open()`, `codecs.open()`, `send_file()`, the directory of
`send_from_directory()`, `os.remove()`, `os.path.exists()`, `os.listdir()`,
`shutil` file functions, or pathlib's `read_text()`/`write_text()`/
`read_bytes()`/`write_bytes()`/`unlink()`, through `os.path.join()`,
`abspath()`, `normpath()`, `pathlib.Path` and `/`. `secure_filename()`,
`os.path.basename()` and the file name of `send_from_directory()` are
safe, and so is a value checked against an anchored regular expression
that admits no `/` or `\\` (`if not re.match(r"^[A-Za-z0-9_.-]+$", name):
abort(400)`; see docs/dataflow.md for the patterns that count).

## Why is this bad?
`../../etc/passwd`, or an absolute path, walks out of the intended folder:
the client reads (or deletes, or overwrites) any file the service can —
configuration, keys, the database.

## Example
```python
@app.route("/files/<path:name>")
def download(name):
    return send_file(os.path.join(UPLOAD_DIR, name))
```

Use instead:
```python
@app.route("/files/<path:name>")
def download(name):
    return send_from_directory(UPLOAD_DIR, name)
```

## References
- [Flask: send_from_directory](https://flask.palletsprojects.com/en/latest/api/#flask.send_from_directory)
- [CWE-22: Path Traversal](https://cwe.mitre.org/data/definitions/22.html)
"#;
