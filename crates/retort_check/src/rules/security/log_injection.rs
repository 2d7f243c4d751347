//! SEC033: the documentation is [`DOC`].

use retort_dataflow::SinkKind;
use ruff_python_ast::Expr;

use crate::checker::helpers::method_name;
use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::rules::security::sensitive_data_in_logs::{is_logger_call, LOG_METHODS};
use crate::taint::{SinkFinder, SinkSite, TaintCheck};

pub const RULE: Rule = Rule {
    code: "SEC033",
    name: "log-injection",
    category: Category::Security,
    severity: Severity::Info,
    cwe: Some(117),
    summary: "Request data written to a log without neutralising line breaks",
    doc: DOC,
};

/// The message and `%s` arguments of logger calls.
pub const TAINT: TaintCheck = TaintCheck { kind: SinkKind::Log, sink: Some(SinkFinder::Many(sink)) };

pub const DOC: &str = r#"
## What it does
Flags request data reaching the message of a logger call, or one of its
`%s` arguments (`logger.info(f"login failed for {user}")`,
`log.error("login failed for %s", user)`, `current_app.logger.warning(…)`,
`logging.getLogger(…).info(…)`), unless its line breaks were neutralised
on the way: `.replace("\n", …)` or `.replace("\r", …)`, `repr()`,
`json.dumps()`, or a conversion to a number.

Reported at `info` severity: a forged log line misleads whoever reads the
log, it does not give the attacker the service. Like CodeQL's
`py/log-injection` (which its default suite leaves out), the rule is there
for teams whose logs feed audits or alerting; it does not fail the
default gate.

## Why is this bad?
Python's `logging` writes the text as it is. A user name such as
`bob\n2026-01-01 12:00:00 INFO User 'admin' successfully logged in` adds a
line that looks like the service wrote it: an audit trail can no longer be
trusted, and a log-based alert can be triggered or hidden.

## Example
```python
user = request.form["username"]
log.error(f"Login failed for user '{user}'")
```

Use instead:
```python
user = request.form["username"]
log.error("Login failed for user %r", user)
```
or neutralise the line breaks
(`user.replace("\n", "\\n").replace("\r", "\\r")`), or log in a
structured format (JSON) that escapes them.

## References
- [OWASP: Log Injection](https://owasp.org/www-community/attacks/Log_Injection)
- [CWE-117: Improper Output Neutralization for Logs](https://cwe.mitre.org/data/definitions/117.html)
"#;

/// The message and the formatting arguments of a logger call
/// (`log(level, msg, *args)` skips the level).
pub fn sink<'a>(site: &SinkSite<'a, '_>) -> Vec<&'a Expr> {
    let call = site.call;
    let Some(method) = method_name(call) else { return Vec::new() };
    if !LOG_METHODS.contains(&method) || !is_logger_call(call) {
        return Vec::new();
    }
    let skip = usize::from(method == "log");
    let mut arguments = call.arguments.args.iter().skip(skip).filter(|a| !matches!(a, Expr::Starred(_)));
    let Some(message) = arguments.next() else { return Vec::new() };
    let conversions = match message {
        Expr::StringLiteral(s) => percent_conversions(s.value.to_str()),
        _ => None,
    };
    // `%r` writes the value's repr: line breaks come out as `\n`.
    let shown_raw = |index: usize| conversions.as_ref().is_none_or(|c| c.get(index) != Some(&'r'));
    std::iter::once(message).chain(arguments.enumerate().filter(|(i, _)| shown_raw(*i)).map(|(_, a)| a)).collect()
}

/// The conversion characters of a `%`-format string, in order (`None`
/// for the mapping form `%(name)s`, whose arguments are not positional).
fn percent_conversions(format: &str) -> Option<Vec<char>> {
    let mut out = Vec::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            continue;
        }
        match chars.peek() {
            Some('%') => {
                chars.next();
            }
            Some('(') => return None,
            _ => {
                // Flags, width, precision and length, then the conversion.
                let conversion = chars.find(|c| c.is_ascii_alphabetic() && !matches!(c, 'h' | 'l' | 'L'))?;
                out.push(conversion);
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::percent_conversions;

    #[test]
    fn conversions_in_order() {
        assert_eq!(percent_conversions("user %s from %r (%d%%)"), Some(vec!['s', 'r', 'd']));
        assert_eq!(percent_conversions("%-10s|%5.2f"), Some(vec!['s', 'f']));
        assert_eq!(percent_conversions("%(user)s"), None);
    }
}
