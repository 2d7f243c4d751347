//! SEC016: the documentation is [`DOC`].

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use crate::checker::helpers::{callee, is_false, string_value};
use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;

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
                checker.report(
                    &RULE,
                    call.range(),
                    format!("`generate_password_hash(…, method={method:?})` is a fast hash"),
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
        checker.report(&RULE, call.range(), format!("password hashed with `hashlib.{algorithm}`, a fast hash"));
    }
}
