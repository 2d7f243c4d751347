//! SEC018: the documentation is [`DOC`].

use ruff_python_ast::{Expr, ExprCall, Stmt, StmtClassDef};
use ruff_text_size::{Ranged, TextRange};

use crate::checker::helpers::{dotted, has_kwargs_splat, is_false, method_name, string_value};
use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::rules::in_non_production_scope;

pub const RULE: Rule = Rule {
    code: "SEC018",
    name: "insecure-session-cookie",
    category: Category::Security,
    severity: Severity::Warning,
    cwe: Some(614),
    summary: "Session or authentication cookie without Secure, HttpOnly or SameSite",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Flags, outside development and test configurations (classes or modules
named so):

- `SESSION_COOKIE_SECURE = False`, `SESSION_COOKIE_HTTPONLY = False`,
  `REMEMBER_COOKIE_SECURE = False`, `REMEMBER_COOKIE_HTTPONLY = False` and
  `SESSION_COOKIE_SAMESITE = None` (or `"None"`), set as configuration
  attributes, `app.config[…] =`, `app.config.update(…)` or
  `app.config.from_mapping(…)`;
- `response.set_cookie(…)` of a cookie whose name says session (`sid`),
  token, auth, login, remember, jwt, credential, secret, password or API
  key, with `secure=False`, `httponly=False` or `samesite=None`/`"None"`, or
  without `secure=`, `httponly=` or `samesite=` (all three default to off:
  no `SameSite` attribute leaves the choice to the browser). A CSRF token
  cookie (`csrf`, `xsrf` in its name) is meant to be read by JavaScript:
  `httponly` is not required of it. Calls that delete the cookie
  (`expires=0`, `max_age=0`) and calls passing `**kwargs` are skipped, and
  so are cookies whose name says nothing about authentication (a theme or
  language preference carries no credential);
- a production configuration class (named `Production…`/`Prod…`) that
  never sets `SESSION_COOKIE_SECURE`, when the application uses sessions
  (`from flask import session`, Flask-Login, Flask-Session) and nothing
  else in the project sets or mentions `SESSION_COOKIE_SECURE`, no
  Flask-Talisman is installed (it marks the session cookie Secure), and the
  application does not also load its configuration from the environment or
  a file (`from_envvar`, `from_pyfile`, `from_prefixed_env`, `from_file`),
  where the setting may live.

## Why is this bad?
Without `Secure` the browser sends the session cookie over plain HTTP too,
where anyone on the network path can copy it and become the user. Without
`HttpOnly` any XSS can read it with `document.cookie`. `SameSite=None`
sends it on cross-site requests, which is what CSRF needs. Flask's own
defaults leave `SESSION_COOKIE_SECURE` off (so that development over HTTP
works): production has to turn it on.

## Example
```python
class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = False

resp.set_cookie("auth_token", token)
```

Use instead:
```python
class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True

resp.set_cookie("auth_token", token, secure=True, httponly=True, samesite="Lax")
```

## References
- [Flask: Security considerations — Set-Cookie options](https://flask.palletsprojects.com/en/latest/web-security/#set-cookie-options)
- [Flask-Login: Cookie settings](https://flask-login.readthedocs.io/en/latest/#cookie-settings)
- [CWE-614: Sensitive Cookie in HTTPS Session Without 'Secure' Attribute](https://cwe.mitre.org/data/definitions/614.html)
- [CWE-1004: Sensitive Cookie Without 'HttpOnly' Flag](https://cwe.mitre.org/data/definitions/1004.html)
- [CWE-1275: Sensitive Cookie with Improper SameSite Attribute](https://cwe.mitre.org/data/definitions/1275.html)
"#;

/// Settings that must not be switched off.
const FLAGS: &[&str] =
    &["SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "REMEMBER_COOKIE_SECURE", "REMEMBER_COOKIE_HTTPONLY"];
const SAMESITE: &str = "SESSION_COOKIE_SAMESITE";
/// Words of a cookie name that say it authenticates.
const AUTH_COOKIE_WORDS: &[&str] = &[
    "session",
    "token",
    "auth",
    "remember",
    "jwt",
    "login",
    "credential",
    "secret",
    "password",
    "apikey",
    "api_key",
    "api-key",
];

pub fn check(checker: &mut Checker, stmt: &Stmt) {
    if in_non_production_scope(checker) {
        return;
    }
    match stmt {
        Stmt::Assign(s) => {
            for target in &s.targets {
                let key = match target {
                    Expr::Name(n) => Some(n.id.as_str()),
                    Expr::Subscript(sub) if dotted(&sub.value).is_some_and(|d| d.ends_with("config")) => {
                        string_value(&sub.slice)
                    }
                    _ => None,
                };
                if let Some(key) = key {
                    check_setting(checker, key, &s.value, stmt.range());
                }
            }
        }
        Stmt::Expr(s) => {
            if let Expr::Call(call) = &*s.value {
                check_call(checker, call);
            }
        }
        Stmt::ClassDef(class) => check_production_class(checker, class),
        _ => {}
    }
}

/// `config.update(…)`, `config.from_mapping(…)`, `set_cookie(…)`.
fn check_call(checker: &mut Checker, call: &ExprCall) {
    let Some(method) = method_name(call) else { return };
    match method {
        "update" | "from_mapping"
            if dotted(&call.func).is_some_and(|d| d.ends_with("config.update") || d.ends_with("from_mapping")) =>
        {
            for keyword in &call.arguments.keywords {
                if let Some(name) = &keyword.arg {
                    check_setting(checker, name.as_str(), &keyword.value, keyword.range());
                }
            }
            for arg in &call.arguments.args {
                if let Expr::Dict(dict) = arg {
                    for item in &dict.items {
                        if let Some(key) = item.key.as_ref().and_then(string_value) {
                            check_setting(checker, key, &item.value, item.value.range());
                        }
                    }
                }
            }
        }
        "set_cookie" => check_set_cookie(checker, call),
        _ => {}
    }
}

fn check_setting(checker: &mut Checker, key: &str, value: &Expr, range: TextRange) {
    if FLAGS.contains(&key) && is_false(value) {
        checker.report(&RULE, range, format!("`{key} = False` outside a development configuration"));
    } else if key == SAMESITE && (matches!(value, Expr::NoneLiteral(_)) || string_value(value) == Some("None")) {
        let shown = checker.source(value.range()).to_string();
        checker.report(&RULE, range, format!("`{key} = {shown}` sends the session cookie on cross-site requests"));
    }
}

fn check_set_cookie(checker: &mut Checker, call: &ExprCall) {
    if has_kwargs_splat(call) {
        return;
    }
    let Some(name) = call.arguments.find_argument_value("key", 0) else { return };
    let label = match string_value(name) {
        Some(s) => s.to_string(),
        // A constant (`SESSION_COOKIE`, `config.AUTH_COOKIE`) names the
        // cookie; a lower-case variable (`token`) only holds some name.
        None => match name {
            Expr::Name(_) | Expr::Attribute(_) if is_constant_name(checker.source(name.range())) => {
                checker.source(name.range()).to_string()
            }
            Expr::Subscript(sub) => string_value(&sub.slice).unwrap_or_default().to_string(),
            _ => return,
        },
    };
    let lower = label.to_ascii_lowercase();
    let is_sid = lower.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| w == "sid" || w == "sessid");
    let authenticates = (AUTH_COOKIE_WORDS.iter().any(|w| lower.contains(w)) || is_sid) && !lower.contains("author");
    if !authenticates || deletes_cookie(call) {
        return;
    }
    let js_readable = lower.contains("csrf") || lower.contains("xsrf");
    let off = |flag: &str| call.arguments.find_keyword(flag).is_none_or(|k| is_off(&k.value));
    let mut missing = Vec::new();
    if off("secure") {
        missing.push("`secure=True`");
    }
    if !js_readable && off("httponly") {
        missing.push("`httponly=True`");
    }
    let samesite = call.arguments.find_keyword("samesite").map(|k| &k.value);
    if samesite.is_none_or(|v| {
        matches!(v, Expr::NoneLiteral(_)) || string_value(v).is_some_and(|s| s.eq_ignore_ascii_case("none"))
    }) {
        missing.push("`samesite=\"Lax\"`");
    }
    if !missing.is_empty() {
        let shown = checker.source(name.range()).to_string();
        let list = match missing.split_last() {
            Some((last, [])) => last.to_string(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
            None => String::new(),
        };
        checker.report(&RULE, call.range(), format!("cookie {shown} is set without {list}"));
    }
}

/// `set_cookie(name, "", expires=0)`, `max_age=0`: the call deletes the
/// cookie, so its attributes protect nothing.
fn deletes_cookie(call: &ExprCall) -> bool {
    let zero = |value: &Expr| match value {
        Expr::NumberLiteral(n) => matches!(&n.value, ruff_python_ast::Number::Int(i) if i.as_u64() == Some(0)),
        Expr::StringLiteral(s) => s.value.to_str().contains("1970") || s.value.to_str().trim() == "0",
        _ => false,
    };
    ["expires", "max_age"].iter().any(|k| call.arguments.find_keyword(k).is_some_and(|kw| zero(&kw.value)))
}

/// `SESSION_COOKIE`, `settings.AUTH_COOKIE`: the last segment is upper case.
fn is_constant_name(dotted: &str) -> bool {
    let last = dotted.rsplit('.').next().unwrap_or(dotted);
    last.chars().any(|c| c.is_ascii_uppercase()) && !last.chars().any(|c| c.is_ascii_lowercase())
}

/// A flag value that is off: `False`, `0` or `None` (a computed value such
/// as `not app.debug` or `request.is_secure` is trusted).
fn is_off(value: &Expr) -> bool {
    is_false(value) || matches!(value, Expr::NoneLiteral(_))
}

fn check_production_class(checker: &mut Checker, class: &StmtClassDef) {
    let words = class_words(class.name.as_str());
    // A configuration class: named so (`ProductionConfig`, `ProdSettings`)
    // and holding upper-case settings; `ProductionTeamResource` is not one.
    let is_config = words.last().is_some_and(|w| matches!(w.as_str(), "config" | "configuration" | "settings"))
        && class.body.iter().any(|stmt| match stmt {
            Stmt::Assign(a) => a.targets.iter().any(|t| {
                matches!(t, Expr::Name(n) if n.id.chars().any(|c| c.is_ascii_uppercase())
                    && !n.id.chars().any(|c| c.is_ascii_lowercase()))
            }),
            _ => false,
        });
    if !is_config
        || !words.iter().any(|w| w == "production" || w == "prod")
        || words.iter().any(|w| w.contains("dev") || w.contains("test"))
    {
        return;
    }
    let catalog = checker.catalog;
    let external_config = catalog.apps.iter().flat_map(|a| &a.config_sources).any(|s| {
        let method = s.how.split('(').next().unwrap_or("");
        matches!(method, "from_envvar" | "from_pyfile" | "from_prefixed_env" | "from_file")
    });
    let talisman = catalog.extensions.iter().any(|e| e.kind == "security-headers");
    let mentioned = catalog.config_keys.iter().any(|k| k.key == "SESSION_COOKIE_SECURE")
        || checker.project.modules.iter().any(|m| m.source.contains("SESSION_COOKIE_SECURE"));
    if external_config || talisman || mentioned || !uses_sessions(checker) {
        return;
    }
    let name = class.name.as_str();
    checker.report(
        &RULE,
        class.name.range(),
        format!("`{name}` never sets `SESSION_COOKIE_SECURE = True`: the session cookie is also sent over HTTP"),
    );
}

/// Whether the application keeps users in a session: Flask-Login,
/// Flask-Session, or `from flask import session`.
fn uses_sessions(checker: &Checker) -> bool {
    let catalog = checker.catalog;
    if catalog.extensions.iter().any(|e| e.kind == "login" || e.kind == "session") {
        return true;
    }
    checker.project.modules.iter().any(|m| {
        m.ast.body.iter().any(|stmt| match stmt {
            Stmt::ImportFrom(import) => {
                let module = import.module.as_ref().map(|m| m.as_str()).unwrap_or("");
                module == "flask_login"
                    || module == "flask" && import.names.iter().any(|a| a.name.as_str() == "session")
            }
            _ => false,
        })
    })
}

/// Lower-case words of a CamelCase class name.
fn class_words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in name.chars() {
        if c.is_ascii_uppercase() || out.is_empty() || c == '_' {
            out.push(String::new());
        }
        if c != '_' {
            out.last_mut().expect("pushed").push(c.to_ascii_lowercase());
        }
    }
    out.retain(|w| !w.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use retort_flask::{build_catalog, ScanOptions};
    use retort_python::Project;

    use crate::{check, CheckConfig};

    fn findings(files: &[(&str, &str)]) -> Vec<String> {
        let project = Project::from_sources(files);
        let catalog = build_catalog(&project, &ScanOptions::default());
        let config = CheckConfig { select: vec!["SEC018".into()], ..CheckConfig::default() };
        check(&project, &catalog, &config)
            .findings
            .iter()
            .map(|f| format!("{}:{} {}", f.file, f.line, f.message))
            .collect()
    }

    const APP: &str = "from flask import Flask, session\nfrom config import ProductionConfig\n\napp = Flask(__name__)\napp.config.from_object(ProductionConfig)\n\n\n@app.get('/')\ndef index():\n    return session.get('user', 'anonymous')\n";

    #[test]
    fn a_production_class_that_never_secures_the_session_cookie() {
        let config = "class Config:\n    DEBUG = False\n\n\nclass ProductionConfig(Config):\n    PREFERRED_URL_SCHEME = 'https'\n";
        assert_eq!(
            findings(&[("app.py", APP), ("config.py", config)]),
            ["config.py:5 `ProductionConfig` never sets `SESSION_COOKIE_SECURE = True`: the session cookie is also sent over HTTP"]
        );
        let secured = format!("{config}    SESSION_COOKIE_SECURE = True\n");
        assert!(findings(&[("app.py", APP), ("config.py", &secured)]).is_empty());
        let base_secured = config.replace("DEBUG = False", "SESSION_COOKIE_SECURE = True");
        assert!(findings(&[("app.py", APP), ("config.py", &base_secured)]).is_empty());
        let from_env = APP
            .replace("from_object(ProductionConfig)", "from_object(ProductionConfig)\napp.config.from_prefixed_env()");
        assert!(findings(&[("app.py", &from_env), ("config.py", config)]).is_empty());
        let no_session = APP.replace(", session", "").replace("session.get('user', 'anonymous')", "'hi'");
        assert!(findings(&[("app.py", &no_session), ("config.py", config)]).is_empty());
        let product = config.replace("ProductionConfig(Config)", "ProductConfig(Config)");
        assert!(findings(&[("app.py", APP), ("config.py", &product)]).is_empty());
    }
}
