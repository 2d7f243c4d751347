//! PERF001: the documentation is [`DOC`].

use ruff_python_ast::Expr;
use ruff_text_size::{Ranged, TextRange};

use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;

pub const RULE: Rule = Rule {
    code: "PERF001",
    name: "unbounded-query",
    category: Category::Performance,
    severity: Severity::Warning,
    cwe: Some(770),
    summary: "Unbounded query in a request handler",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Flags SQLAlchemy queries ending in `.all()` inside a request handler when
the chain has no `limit()`, `paginate()`, `slice()`, `get()`, `first()`,
`one()`, `in_()` or similar bound.

Not reported, because their size does not grow with the table's traffic:
`GROUP BY` aggregates over columns with few values (`status`, `type`,
`category`, `year`, … — grouping by an id or a name still returns a row
per entity and is reported), the rows of one parent or of the current user
(`filter_by(order_id=...)`, `filter(Item.user_id == current_user.id)`), and
small lookup tables (`Role`, `Permission`, `Setting`, `Config`, `Language`,
`Locale`, `Country`, `Currency`, `Timezone` models).

## Why is this bad?
The response time, memory and database load of the endpoint grow with the
table. It is fast in development and on launch day, then times out (and
takes workers with it) once the table has grown.

## Example
```python
return User.query.filter_by(is_admin=False).order_by(User.id).all()
```

Use instead:
```python
page = User.query.filter_by(is_admin=False).order_by(User.id).paginate(
    page=page, per_page=min(per_page, 100), error_out=False
)
```

## References
- [Flask-SQLAlchemy: Paginating Query Results](https://flask-sqlalchemy.readthedocs.io/en/latest/pagination/)
- [CWE-770: Allocation of Resources Without Limits or Throttling](https://cwe.mitre.org/data/definitions/770.html)
"#;

/// Methods that bound the number of rows.
const BOUNDING: &[&str] = &[
    "limit",
    "paginate",
    "slice",
    "get",
    "get_or_404",
    "first",
    "first_or_404",
    "one",
    "one_or_none",
    "scalar",
    "count",
    "fetchmany",
    "execute",
    "exists",
    "top",
    "yield_per",
];
/// Methods that show the chain is a SQLAlchemy query.
const QUERY_METHODS: &[&str] = &[
    "query",
    "filter",
    "filter_by",
    "order_by",
    "join",
    "outerjoin",
    "options",
    "where",
    "select",
    "distinct",
    "group_by",
];

/// Model names of small lookup tables (`Role.query.all()` for a form's
/// choices): their size does not grow with traffic.
const LOOKUP_TABLE_WORDS: &[&str] =
    &["Role", "Permission", "Setting", "Config", "Language", "Locale", "Country", "Currency", "Timezone"];

/// Column names with few distinct values.
const FEW_VALUES: &[&str] = &[
    "status",
    "state",
    "type",
    "kind",
    "category",
    "level",
    "role",
    "language",
    "country",
    "currency",
    "year",
    "month",
    "day",
    "date",
    "format",
    "flag",
    "enabled",
    "active",
    "rating",
    "lang_code",
    "locale",
];

/// `group_by(Order.status)`: one row per status. Grouping by an id or a
/// name (`group_by(Author.id)`) still returns one row per entity.
fn groups_by_few_values(chain: &str) -> bool {
    chain.split("group_by(").skip(1).any(|args| {
        let args = args.split(')').next().unwrap_or("");
        !args.is_empty()
            && args.split(',').all(|column| {
                let column = column.trim().rsplit('.').next().unwrap_or("").to_ascii_lowercase();
                FEW_VALUES.iter().any(|w| column == *w || column.ends_with(&format!("_{w}")))
            })
    })
}

/// `filter_by(order_id=...)`, `filter(Item.user_id == current_user.id)`:
/// the rows of one parent or of the current user.
fn scoped_to_one_parent(chain: &str) -> bool {
    let compact: String = chain.chars().filter(|c| !c.is_whitespace()).collect();
    compact.contains("current_user")
        || compact.contains("_id==")
        || compact.contains("_id=")
            && compact
                .split("filter_by(")
                .skip(1)
                .any(|args| args.split(')').next().is_some_and(|a| a.contains("_id=")))
}

/// Whether the query's model (the first name of the chain, or the entity of
/// `query(...)`/`select(...)`) names a lookup table.
fn queries_lookup_table(chain: &str) -> bool {
    let entity = match chain.find("query(").or_else(|| chain.find("select(")) {
        Some(open) => chain[open..].split(['(', ')', ',', '.']).nth(1).unwrap_or(""),
        None => chain.split('.').next().unwrap_or(""),
    };
    let entity = entity.trim();
    LOOKUP_TABLE_WORDS.iter().any(|w| entity.starts_with(w) && entity[w.len()..].chars().all(|c| c == 's'))
}

pub fn check(checker: &mut Checker, expr: &Expr) {
    if !checker.in_request_handler() {
        return;
    }
    let Expr::Call(call) = expr else { return };
    let Expr::Attribute(all) = &*call.func else { return };
    if all.attr.as_str() != "all" || !call.arguments.args.is_empty() {
        return;
    }
    let mut names = Vec::new();
    let mut cursor: &Expr = &all.value;
    loop {
        match cursor {
            Expr::Call(c) => cursor = &c.func,
            Expr::Attribute(a) => {
                names.push(a.attr.as_str());
                cursor = &a.value;
            }
            Expr::Subscript(s) => {
                // `query[:50]` is a slice.
                names.push("slice");
                cursor = &s.value;
            }
            _ => break,
        }
    }
    let receiver = checker.source(all.value.range());
    if names.iter().any(|n| BOUNDING.contains(n)) || receiver.contains(".in_(") {
        return;
    }
    if !names.iter().any(|n| QUERY_METHODS.contains(n)) {
        return;
    }
    if groups_by_few_values(receiver) || scoped_to_one_parent(receiver) || queries_lookup_table(receiver) {
        return;
    }
    let range = TextRange::new(all.attr.range().start(), call.range().end());
    checker.report(&RULE, range, "`.all()` loads every matching row: no `limit()` or pagination bounds this query");
}
