//! SEC023: the documentation is [`DOC`].

use ruff_python_ast::visitor::{walk_expr, Visitor};
use ruff_python_ast::{Expr, ExprCall, Stmt, StmtFunctionDef};
use ruff_text_size::Ranged;

use crate::checker::helpers::{dotted, method_name, string_value, words};
use crate::checker::Checker;
use crate::corroboration::{destinations, enclosing_body, project_sites, Destination, Evidence};
use crate::finding::{Category, Confidence, Severity};
use crate::registry::Rule;
use crate::rules::in_non_production_scope;

pub const RULE: Rule = Rule {
    code: "SEC023",
    name: "weak-random-for-secret",
    category: Category::Security,
    severity: Severity::Warning,
    cwe: Some(330),
    summary: "Token, password or other secret made with the `random` module",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Flags a value made with the `random` module (`random.random()`,
`randint`, `randrange`, `choice`, `choices`, `sample`, `getrandbits`,
`randbytes`, `uniform`, also inside `"".join(…)`, `str(…)`, a hash or an
f-string) that is assigned to, or returned as, a security value: a name,
attribute, dictionary key or keyword argument that says token, password,
nonce, secret, OTP, salt, CSRF, session id, API or signing key, PIN, or a
reset, verification or activation code (`reset_token = …`,
`user.password = …`, `session["csrf_token"] = …`, `User(password=…)`,
`return` from `def generate_token()`), or set as the value of a cookie
(`resp.set_cookie("sid", …)`).

Not flagged: `secrets`, `random.SystemRandom()` and `os.urandom`;
`random` used for anything else (shuffling, sampling test data, jitter,
A/B buckets), which the names do not call a secret; and development, test
and example code (classes or modules named so), where throwaway secrets
are expected.

**Corroboration.** A finding keeps its `warning` severity only when the
code shows the random value is used as a secret:

- it is set as a cookie or stored in the session (high);
- it is stored on an object or record (`user.reset_token = …`,
  `User(api_key=…)`), passed as a secret-named keyword, sent in a response
  or a mail (`make_response`, `jsonify`, `render_template`, `send`,
  `Message`), or returned by a request handler (medium), also through
  local names;
- for a function that returns it (`def generate_reset_token()`), one of
  the above happens to the result where the project calls the function
  (medium).

A salt is public by design and never corroborated. Otherwise the finding
is reported at `info` severity with `low` confidence, and its message
says what was missing.

## Why is this bad?
`random` is a Mersenne Twister: fast and statistically good, but fully
predictable. An attacker who sees about 600 outputs (or guesses the seed,
often the start time) can compute every past and future value, and so the
next password-reset token or session id.

## Example
```python
def generate_reset_token():
    return "".join(random.choice(string.ascii_letters) for _ in range(32))
```

Use instead:
```python
def generate_reset_token():
    return secrets.token_urlsafe(32)
```

## References
- [Python: random — "must not be used for security purposes"](https://docs.python.org/3/library/random.html)
- [Python: secrets](https://docs.python.org/3/library/secrets.html)
- [CWE-330: Use of Insufficiently Random Values](https://cwe.mitre.org/data/definitions/330.html)
"#;

/// Functions of `random` that draw from the module's shared generator.
const DRAWS: &[&str] =
    &["random", "randint", "randrange", "choice", "choices", "sample", "getrandbits", "randbytes", "uniform"];

/// Words that make a name a security value on their own.
const SECRET_WORDS: &[&str] = &[
    "token",
    "password",
    "passwd",
    "passphrase",
    "nonce",
    "secret",
    "otp",
    "totp",
    "hotp",
    "salt",
    "csrf",
    "xsrf",
    "apikey",
    "sessionid",
    "sid",
    "pin",
    "pincode",
    "passcode",
];
/// Words that make `key`, `code` or `id` a security value.
const KEY_QUALIFIERS: &[&str] = &["api", "secret", "private", "signing", "session", "access", "auth", "encryption"];
const CODE_QUALIFIERS: &[&str] = &[
    "reset",
    "verify",
    "verification",
    "confirm",
    "confirmation",
    "activation",
    "auth",
    "login",
    "invite",
    "recovery",
];

pub fn check(checker: &mut Checker, stmt: &Stmt) {
    if in_non_production_scope(checker) {
        return;
    }
    match stmt {
        Stmt::Assign(s) => {
            for target in &s.targets {
                if let Some(name) = target_name(target) {
                    report_if_random(checker, &s.value, &name, None);
                }
            }
        }
        Stmt::AnnAssign(s) => {
            if let (Some(value), Some(name)) = (&s.value, target_name(&s.target)) {
                report_if_random(checker, value, &name, None);
            }
        }
        Stmt::FunctionDef(function) if is_secret_name(function.name.as_str()) => {
            let mut returns = Returns::default();
            for stmt in &function.body {
                returns.visit_stmt(stmt);
            }
            for value in returns.values {
                report_if_random(checker, value, &format!("{}()", function.name), Some(function));
            }
        }
        Stmt::Expr(s) => {
            if let Expr::Call(call) = &*s.value {
                check_call(checker, call);
            }
        }
        _ => {}
    }
    // Keyword arguments anywhere in the statement: `User(password=…)`.
    if let Stmt::Assign(_) | Stmt::Expr(_) | Stmt::Return(_) = stmt {
        let mut calls = Calls::default();
        calls.visit_stmt(stmt);
        for call in calls.found {
            for keyword in &call.arguments.keywords {
                if let Some(name) = keyword.arg.as_ref().filter(|n| is_secret_name(n.as_str())) {
                    report_if_random(checker, &keyword.value, name.as_str(), None);
                }
            }
        }
    }
}

/// `resp.set_cookie("sid", value)`: the value of a cookie that identifies
/// or authenticates (an A/B bucket or a theme cookie is no secret).
fn check_call(checker: &mut Checker, call: &ExprCall) {
    if method_name(call) != Some("set_cookie") {
        return;
    }
    let Some(name) = call.arguments.find_argument_value("key", 0) else { return };
    let label = string_value(name).unwrap_or_else(|| checker.source(name.range()));
    let identifies = is_secret_name(label)
        || words(label).iter().any(|w| ["session", "auth", "remember", "login", "identity"].contains(&w.as_str()));
    if let Some(value) = call.arguments.find_argument_value("value", 1).filter(|_| identifies) {
        let shown = checker.source(name.range()).to_string();
        report_if_random(checker, value, &format!("cookie {shown}"), None);
    }
}

/// The name a value is stored under: `token`, `user.reset_token`, `session["csrf_token"]`.
fn target_name(target: &Expr) -> Option<String> {
    let name = match target {
        Expr::Name(n) => n.id.to_string(),
        Expr::Attribute(a) => a.attr.to_string(),
        Expr::Subscript(s) => string_value(&s.slice)?.to_string(),
        _ => return None,
    };
    is_secret_name(&name).then_some(name)
}

/// Whether an identifier names a security value (`reset_token`, `apiKey`,
/// `SECRET_KEY`, `otp`, `verification_code`), judged by its words.
pub(crate) fn is_secret_name(name: &str) -> bool {
    let words = words(name);
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    has(SECRET_WORDS)
        || (words.iter().any(|w| w == "key") && has(KEY_QUALIFIERS))
        || (words.iter().any(|w| w == "code") && has(CODE_QUALIFIERS))
        || (words.iter().any(|w| w == "id") && words.iter().any(|w| w == "session"))
}

/// Reports the first draw of `random` in `value`, stored under `what` (or
/// returned by the function `returned_by`).
fn report_if_random(checker: &mut Checker, value: &Expr, what: &str, returned_by: Option<&StmtFunctionDef>) {
    let imported = imported_draws(checker);
    let mut finder = RandomCall { imported: &imported, found: None };
    finder.visit_expr(value);
    if let Some((call, shown)) = finder.found {
        let evidence = corroboration(checker, call, what, returned_by);
        let message = format!("`{what}` is made with `{shown}()`, which is predictable; use `secrets`");
        checker.report_judged(&RULE, call.range(), message, evidence);
    }
}

/// What shows the random value is kept secret, beyond the name it is given:
/// it is set as a cookie or stored in the session (high); stored on an
/// object or record (`user.reset_token = …`, `User(api_key=…)`), sent in a
/// response or a mail, or returned by a request handler (medium). A value
/// returned by a function (`def generate_token()`) is judged where the
/// project calls it. A salt is public by design and never corroborated.
fn corroboration(checker: &Checker, random: &ExprCall, what: &str, returned_by: Option<&StmtFunctionDef>) -> Evidence {
    if words(what).iter().any(|w| w == "salt") {
        return Evidence::missing("a salt is public by design");
    }
    // The statement hook sees a `def` before the traversal enters it.
    let (body, in_request_handler) = match returned_by {
        Some(function) => {
            let handler = checker.module.is_some_and(|m| checker.handlers.get(m, function.range().start()).is_some());
            (&function.body[..], handler)
        }
        None => (enclosing_body(checker), checker.in_request_handler()),
    };
    let here = destinations(body, random.range()).iter().filter_map(|d| kept_secret(d, in_request_handler)).max();
    let callers = || {
        let name = returned_by?.name.as_str();
        let calls = project_sites(checker.project, &|e| matches!(e, Expr::Call(c) if method_name(c) == Some(name)));
        calls
            .iter()
            .flat_map(|site| destinations(site.body, site.expr.range()))
            .filter_map(|d| kept_secret(&d, false))
            .max()
    };
    Evidence::from_confidence(
        here.or_else(callers),
        "not set as a cookie, kept in the session or on a record, nor sent",
    )
}

/// How sure a destination of the value makes it a secret in use.
fn kept_secret(destination: &Destination, in_request_handler: bool) -> Option<Confidence> {
    const RESPONSES: &[&str] =
        &["make_response", "jsonify", "Response", "render_template", "send", "send_mail", "send_email", "Message"];
    match destination {
        Destination::Stored(target)
            if subscript_base(target).is_some_and(|d| d == "session" || d.ends_with(".session")) =>
        {
            Some(Confidence::High)
        }
        Destination::Stored(_) => Some(Confidence::Medium),
        Destination::Argument(call) | Destination::Keyword(call, _) if method_name(call) == Some("set_cookie") => {
            Some(Confidence::High)
        }
        Destination::Keyword(_, name) if is_secret_name(name) => Some(Confidence::Medium),
        Destination::Argument(call) | Destination::Keyword(call, _)
            if method_name(call).is_some_and(|m| RESPONSES.contains(&m)) =>
        {
            Some(Confidence::Medium)
        }
        Destination::Returned if in_request_handler => Some(Confidence::Medium),
        _ => None,
    }
}

/// `session` for `session["csrf_token"]`.
fn subscript_base(target: &Expr) -> Option<String> {
    match target {
        Expr::Subscript(s) => dotted(&s.value),
        _ => None,
    }
}

/// Names bound by `from random import choice, randint` in the current module.
fn imported_draws(checker: &Checker) -> Vec<String> {
    let Some(module) = checker.module else { return Vec::new() };
    if !module.source.contains("from random import") {
        return Vec::new();
    }
    module
        .ast
        .body
        .iter()
        .filter_map(|stmt| match stmt {
            Stmt::ImportFrom(i) if i.module.as_ref().is_some_and(|m| m.as_str() == "random") => Some(i),
            _ => None,
        })
        .flat_map(|i| i.names.iter())
        .filter(|alias| DRAWS.contains(&alias.name.as_str()))
        .map(|alias| alias.asname.as_ref().unwrap_or(&alias.name).to_string())
        .collect()
}

/// Finds the first call of the shared `random` generator in an expression.
struct RandomCall<'a, 'b> {
    imported: &'b [String],
    found: Option<(&'a ExprCall, String)>,
}

impl<'a> Visitor<'a> for RandomCall<'a, '_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.found.is_some() {
            return;
        }
        if let Expr::Call(call) = expr {
            if let Some(name) = dotted(&call.func) {
                let draw = match name.strip_prefix("random.") {
                    Some(function) => DRAWS.contains(&function),
                    None => self.imported.contains(&name),
                };
                if draw {
                    self.found = Some((call, name));
                    return;
                }
            }
        }
        walk_expr(self, expr);
    }
}

/// The values a function returns (not those of nested functions).
#[derive(Default)]
struct Returns<'a> {
    values: Vec<&'a Expr>,
}

impl<'a> Visitor<'a> for Returns<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            Stmt::Return(r) => self.values.extend(r.value.as_deref()),
            _ => ruff_python_ast::visitor::walk_stmt(self, stmt),
        }
    }
}

/// Calls of a statement (not inside nested functions or lambdas).
#[derive(Default)]
struct Calls<'a> {
    found: Vec<&'a ExprCall>,
}

impl<'a> Visitor<'a> for Calls<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            _ => ruff_python_ast::visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr {
            self.found.push(call);
        }
        if !matches!(expr, Expr::Lambda(_)) {
            walk_expr(self, expr);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_secret_name;

    #[test]
    fn names_are_judged_by_their_words() {
        for name in ["reset_token", "apiKey", "SECRET_KEY", "otp", "verification_code", "session_id", "csrfToken"] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in ["key", "sort_key", "status_code", "sample", "tokenizer", "pinned", "user_id", "delay"] {
            assert!(!is_secret_name(name), "{name}");
        }
    }
}
