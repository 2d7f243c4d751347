//! SEC003: the documentation is [`DOC`].

use ruff_python_ast::Expr;

use crate::checker::helpers::{dotted, method_name};
use retort_dataflow::SinkKind;

use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::taint::{SinkFinder, SinkSite, TaintCheck};

pub const RULE: Rule = Rule {
    code: "SEC003",
    name: "sql-injection",
    category: Category::Security,
    severity: Severity::Error,
    cwe: Some(89),
    summary: "SQL built from request data",
    doc: DOC,
};

/// The engine's `sql` sinks, and those [`sink`] finds.
pub const TAINT: TaintCheck = TaintCheck { kind: SinkKind::Sql, sink: Some(SinkFinder::One(sink)) };

pub const DOC: &str = r#"
## What it does
Follows values from Flask's `request` (`args`, `form`, `values`, `json`,
`get_json()`, `cookies`, `headers`, `files`, `data`) and the view's URL
parameters through assignments, f-strings, `%`, `.format()`, `join` and `+`
inside a request handler, and flags them when they reach the SQL text of
`execute()`, `executemany()`, `exec_driver_sql()` or SQLAlchemy's `text()`.
`int()`/`float()`, `<int:…>` URL converters and `.get(…, type=int)` make a
value safe, and so do allow-list checks (`if sort not in COLUMNS: sort =
"id"`, `if not order in ("asc", "desc"): abort(400)`); bound parameters
are never flagged, nor is `execute()` on an object constructed in place
(`Runner(...).execute(sql)`: not a database cursor).

## Why is this bad?
A value spliced into SQL text is parsed as SQL: `' OR '1'='1` reads every
row, `'; DROP TABLE …` destroys data. Escaping by hand is error-prone;
bound parameters keep data out of the grammar entirely.

## Example
```python
q = request.args.get("q", "")
rows = db.session.execute(text(f"SELECT * FROM products WHERE name LIKE '%{q}%'"))
```

Use instead:
```python
q = request.args.get("q", "")
rows = db.session.execute(
    text("SELECT * FROM products WHERE name LIKE :pattern"), {"pattern": f"%{q}%"}
)
```

## References
- [SQLAlchemy: Using Textual SQL](https://docs.sqlalchemy.org/en/20/core/tutorial.html#using-textual-sql)
- [OWASP: SQL Injection Prevention Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html)
- [CWE-89](https://cwe.mitre.org/data/definitions/89.html)
"#;

const EXECUTE_METHODS: &[&str] = &["execute", "executemany", "exec_driver_sql", "executescript"];

pub fn sink<'a>(site: &SinkSite<'a, '_>) -> Option<&'a Expr> {
    let call = site.call;
    let method = method_name(call)?;
    let is_text = method == "text"
        && match &*call.func {
            Expr::Name(_) => true,
            other => dotted(other)
                .is_some_and(|d| d.ends_with("sqlalchemy.text") || d == "sa.text" || d == "db.text" || d == "sql.text"),
        };
    // `StartRunningQuery(...).execute(sql)`: a project object built in place
    // whose `execute` is its own business, not a database cursor.
    let on_new_object = matches!(&*call.func, Expr::Attribute(a) if matches!(&*a.value, Expr::Call(c)
        if method_name(c).is_some_and(|n| n.starts_with(|ch: char| ch.is_ascii_uppercase()))));
    if is_text || (EXECUTE_METHODS.contains(&method) && !on_new_object) {
        return call
            .arguments
            .find_argument_value("statement", 0)
            .or_else(|| call.arguments.find_keyword("sql").map(|k| &k.value));
    }
    None
}
