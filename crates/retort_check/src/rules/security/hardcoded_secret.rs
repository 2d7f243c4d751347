//! SEC002: the documentation is [`DOC`].

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use crate::checker::helpers::{dotted, string_value};
use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::rules::in_non_production_scope;

pub const RULE: Rule = Rule {
    code: "SEC002",
    name: "hardcoded-secret",
    category: Category::Security,
    severity: Severity::Error,
    cwe: Some(798),
    summary: "Secret key or credential hard-coded in the source",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Flags string literals assigned to `SECRET_KEY`, `app.secret_key` and other
settings named like secrets (`*_SECRET`, `*_PASSWORD`, `*_API_KEY`,
`*_TOKEN`), including literal fallbacks such as
`os.environ.get("SECRET_KEY", "dev-secret")`. Development and test
configuration classes are not flagged.

## Why is this bad?
`SECRET_KEY` signs Flask's session cookie: whoever knows it can forge a
session for any user. A literal in the code is in every clone, fork, CI log
and backup of the repository. A fallback is worse than none: a deployment
that forgets the variable starts normally and silently uses the known key.

## Example
```python
class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-secret")
```

Use instead:
```python
class Config:
    SECRET_KEY = os.environ["SECRET_KEY"]  # fails fast when missing
```

## References
- [Flask: SECRET_KEY](https://flask.palletsprojects.com/en/latest/config/#SECRET_KEY)
- [CWE-798: Use of Hard-coded Credentials](https://cwe.mitre.org/data/definitions/798.html)
"#;

/// Setting names that hold secrets.
fn is_secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    if ["_URL", "_URI", "_FILE", "_PATH", "_NAME", "_HEADER", "_FIELD", "_LENGTH", "_EXPIRES", "_LOCATION"]
        .iter()
        .any(|s| upper.ends_with(s))
    {
        return false;
    }
    upper == "SECRET_KEY"
        || upper.ends_with("_SECRET_KEY")
        || upper.ends_with("SECRET")
        || upper.ends_with("PASSWORD")
        || upper.ends_with("PASSWORD_SALT")
        || upper.ends_with("API_KEY")
        || upper.ends_with("_TOKEN")
}

/// The literal that ends up as the value: the literal itself, or the
/// default of an environment lookup, or the right side of `or`.
fn literal_of(value: &Expr) -> Option<&Expr> {
    match value {
        Expr::StringLiteral(s) if !s.value.to_str().trim().is_empty() => Some(value),
        Expr::Call(call) => {
            let callee = dotted(&call.func)?;
            let env_lookup =
                callee.ends_with("environ.get") || callee.ends_with("getenv") || callee.ends_with("environ.setdefault");
            if !env_lookup {
                return None;
            }
            let default = call.arguments.find_argument_value("default", 1)?;
            literal_of(default)
        }
        Expr::BoolOp(b) => b.values.iter().skip(1).find_map(literal_of),
        _ => None,
    }
}

pub fn check(checker: &mut Checker, stmt: &Stmt) {
    let (targets, value): (Vec<&Expr>, &Expr) = match stmt {
        Stmt::Assign(s) => (s.targets.iter().collect(), &s.value),
        Stmt::AnnAssign(s) => match &s.value {
            Some(v) => (vec![&*s.target], v),
            None => return,
        },
        Stmt::Expr(s) => {
            // app.config.update(SECRET_KEY="...")
            let Expr::Call(call) = &*s.value else { return };
            if dotted(&call.func).is_some_and(|d| d.ends_with("config.update")) && !in_non_production_scope(checker) {
                for keyword in &call.arguments.keywords {
                    let Some(name) = &keyword.arg else { continue };
                    if is_setting_name(name.as_str()) && is_secret_name(name.as_str()) {
                        if let Some(literal) = literal_of(&keyword.value) {
                            report(checker, name.as_str(), literal, std::ptr::eq(literal, &keyword.value));
                        }
                    }
                }
            }
            return;
        }
        _ => return,
    };
    let Some(literal) = literal_of(value) else { return };
    if in_non_production_scope(checker) {
        return;
    }
    for target in targets {
        let name = match target {
            Expr::Name(n) => n.id.to_string(),
            Expr::Attribute(a) if a.attr.as_str() == "secret_key" => "secret_key".to_string(),
            Expr::Subscript(s) => match string_value(&s.slice) {
                Some(key) => key.to_string(),
                None => continue,
            },
            _ => continue,
        };
        if is_setting_name(&name) && is_secret_name(&name) {
            report(checker, &name, literal, std::ptr::eq(literal, value));
        }
    }
}

fn report(checker: &mut Checker, name: &str, literal: &Expr, direct: bool) {
    let value = string_value(literal).unwrap_or_default();
    if is_label_or_placeholder(name, value) {
        return;
    }
    let weak = value.len() < 24
        || ["dev", "secret", "change", "test", "default", "password"]
            .iter()
            .any(|w| value.to_ascii_lowercase().contains(w));
    let how = if weak { "a weak literal" } else { "a literal" };
    let verb = if direct { "is set to" } else { "falls back to" };
    checker.report(&RULE, literal.range(), format!("`{name}` {verb} {how} committed to the repository"));
}

/// Values that are not secrets: labels (`PASSWORD = "password"`,
/// `RESOURCE_GATEWAY_SECRET = "gateway_secret"`), names of environment
/// variables (`ENV_SECRET = "HEALTHCARE_SECRET"`), masks and placeholders.
fn is_label_or_placeholder(name: &str, value: &str) -> bool {
    let upper_name = name.to_ascii_uppercase();
    let upper_value = value.to_ascii_uppercase();
    let identifier_like = value.chars().all(|c| c.is_ascii_alphabetic() || c == '_');
    let env_var_name =
        value.len() > 1 && value.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    // A capitalised word is a UI label (`RESOURCE_PASSWORD = "Passwords"`).
    let capitalised_word = value.len() > 1
        && value.starts_with(|c: char| c.is_ascii_uppercase())
        && value[1..].chars().all(|c| c.is_ascii_lowercase());
    let repeated = value.len() > 1 && value.chars().all(|c| value.starts_with(c));
    let placeholder = ["unused", "dummy", "fake", "placeholder", "none", "null", "redacted", "hidden"]
        .contains(&value.to_ascii_lowercase().as_str());
    (identifier_like && upper_name.contains(&upper_value))
        || env_var_name
        || capitalised_word
        || repeated
        || placeholder
        // A phrase is a label (`"Enter your password"`), except as a
        // signing key, where any literal is the key (`SECRET_KEY = "secret key"`).
        || (value.contains(char::is_whitespace) && !is_signing_key(&upper_name))
}

/// `SECRET_KEY`, `JWT_SECRET_KEY`, `app.secret_key`.
fn is_signing_key(upper_name: &str) -> bool {
    upper_name == "SECRET_KEY" || upper_name.ends_with("_SECRET_KEY")
}

/// Settings are upper case (`SECRET_KEY`, `app.config["MAIL_PASSWORD"]`);
/// lower-case locals and parameters are left to data flow.
fn is_setting_name(name: &str) -> bool {
    name == "secret_key"
        || (name.chars().any(|c| c.is_ascii_uppercase()) && !name.chars().any(|c| c.is_ascii_lowercase()))
}
