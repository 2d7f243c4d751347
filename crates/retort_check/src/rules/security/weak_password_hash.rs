//! SEC016: the documentation is [`DOC`].

use ruff_python_ast::{Expr, ExprCall};
use ruff_text_size::Ranged;

use crate::checker::helpers::{callee, is_false, method_name, string_value, words};
use crate::checker::Checker;
use crate::corroboration::{
    destinations, enclosing_body, is_form_field, is_request_read, target_name, traced, Destination, Evidence,
};
use crate::finding::{Category, Confidence, Severity};
use crate::registry::Rule;
use crate::rules::security::sensitive_data_in_logs::is_sensitive_name;

pub const RULE: Rule = Rule {
    code: "SEC016",
    name: "weak-password-hash",
    category: Category::Security,
    severity: Severity::Error,
    cwe: Some(328),
    summary: "Password hashed with a fast or broken algorithm",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Flags Werkzeug's `generate_password_hash(..., method=...)` with a plain or
fast hash (`plain`, `md5`, `sha1`, `sha256`, `sha512`), and `hashlib.md5`,
`hashlib.sha1`, `hashlib.sha256` or `hashlib.sha512` — called directly or
through `hashlib.new("md5", …)` — applied to a value whose name mentions a
password. A hash made with `usedforsecurity=False` (Python 3.9+) says it
protects nothing and is not flagged, as in bandit.

**Corroboration.** `generate_password_hash` hashes passwords by
definition: its findings are high confidence. For `hashlib`, the name of
the hashed value is not enough (the SHA-1 that the Have I Been Pwned range
API needs, a key derived from a stored hash): a finding keeps its `error`
severity only when the digest is stored or compared as a password
(`user.password_hash = …`, `User(password=…)`, `user.password == …`,
`compare_digest(…, row["password"])`, also through local names: high
confidence), or the hashed value is what a user typed
(`request.form["password"]`, `form.password.data`: high; a local assigned
from them: medium). Names that describe a password rather than hold it
(`password_hash_version`) do not count. Otherwise the finding is reported
at `info` severity with `low` confidence, and its message says what was
missing.

## Why is this bad?
General-purpose hashes are built to be fast: a stolen table of MD5 or SHA
password hashes is cracked at billions of guesses per second. Password
hashes must be slow and salted (scrypt, PBKDF2 with many iterations,
bcrypt, argon2).

## Example
```python
user.password_hash = hashlib.sha256(password.encode()).hexdigest()
```

Use instead:
```python
user.password_hash = generate_password_hash(password)  # scrypt by default
```

## References
- [Werkzeug: generate_password_hash](https://werkzeug.palletsprojects.com/en/stable/utils/#werkzeug.security.generate_password_hash)
- [OWASP Password Storage Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html)
- [CWE-328: Use of Weak Hash](https://cwe.mitre.org/data/definitions/328.html)
"#;

const FAST: &[&str] = &["plain", "md5", "sha1", "sha256", "sha512", "sha224", "sha384"];

pub fn check(checker: &mut Checker, expr: &Expr) {
    let Expr::Call(call) = expr else { return };
    let Some(name) = callee(call) else { return };
    if name == "generate_password_hash" || name.ends_with(".generate_password_hash") {
        let method = call.arguments.find_keyword("method").map(|k| &k.value).or(call.arguments.args.get(1));
        if let Some(method) = method.and_then(string_value) {
            let base = method.split(':').next().unwrap_or(method).to_ascii_lowercase();
            if FAST.contains(&base.as_str()) {
                // Werkzeug's password API: what it hashes is a password.
                checker.report_judged(
                    &RULE,
                    call.range(),
                    format!("`generate_password_hash(…, method={method:?})` is a fast hash"),
                    Evidence::Corroborated(Confidence::High),
                );
            }
        }
        return;
    }
    let not_for_security = call.arguments.find_keyword("usedforsecurity").is_some_and(|k| is_false(&k.value));
    let (algorithm, data) = match name.as_str() {
        // hashlib.new(name, data=b"", *, usedforsecurity=True)
        "hashlib.new" => {
            let Some(algorithm) = call.arguments.find_argument_value("name", 0).and_then(string_value) else { return };
            (algorithm.to_ascii_lowercase().replace('-', ""), call.arguments.find_argument_value("data", 1))
        }
        _ => (name.strip_prefix("hashlib.").unwrap_or("").to_string(), call.arguments.find_argument_value("string", 0)),
    };
    if not_for_security || !matches!(algorithm.as_str(), "md5" | "sha1" | "sha256" | "sha512" | "md4") {
        return;
    }
    let hashes_password = data.is_some_and(|arg| {
        let text = checker.source(arg.range()).to_ascii_lowercase();
        text.contains("password") || text.contains("passwd") || text.contains("pwd")
    });
    if hashes_password {
        let evidence = corroboration(checker, call, data);
        let message = format!("password hashed with `hashlib.{algorithm}`, a fast hash");
        checker.report_judged(&RULE, call.range(), message, evidence);
    }
}

/// What shows that a password is hashed, beyond names: the digest is
/// stored or compared as a password (`user.password_hash = …`,
/// `User(password=…)`, `row["password"] == …`, `compare_digest(…,
/// user.password)`), or the hashed value is what a user typed into a form
/// (`request.form["password"]`, `form.password.data`, also through local
/// names: medium).
fn corroboration(checker: &Checker, call: &ExprCall, data: Option<&Expr>) -> Evidence {
    let body = enclosing_body(checker);
    let stored = destinations(body, call.range()).iter().any(|d| match d {
        Destination::Stored(target) => target_name(target).is_some_and(is_password_name),
        Destination::Keyword(_, name) => is_password_name(name),
        Destination::Compared(others) => others.iter().any(|o| target_name(o).is_some_and(is_password_name)),
        Destination::Argument(call) => {
            method_name(call) == Some("compare_digest")
                && call.arguments.args.iter().any(|a| target_name(a).is_some_and(is_password_name))
        }
        Destination::Returned => false,
    });
    let typed = data
        .and_then(|data| traced(body, data, &|e| (is_request_read(e) || is_form_field(e)).then_some(Confidence::High)));
    Evidence::from_confidence(
        stored.then_some(Confidence::High).or(typed),
        "not stored or compared as a password, nor read from a form",
    )
}

/// A name that stores a password or its hash (`password_hash`, `pwd`),
/// not one that describes it (`password_hash_version`, `password_policy`).
fn is_password_name(name: &str) -> bool {
    let words = words(name);
    words.iter().any(|w| ["password", "passwd", "pwd", "pw", "passphrase"].contains(&w.as_str()))
        && (is_sensitive_name(name) || words.iter().all(|w| ["pwd", "pw", "hash", "hashed"].contains(&w.as_str())))
}
