//! SEC021: the documentation is [`DOC`].

use ruff_python_ast::{Expr, ExprCall, FStringPart};
use ruff_text_size::Ranged;

use crate::checker::helpers::{dotted, method_name, string_value, words};
use crate::checker::Checker;
use crate::corroboration::{
    enclosing_body, is_form_field, is_request_read, is_setting_read, makes_secret, traced, Evidence,
};
use crate::finding::Confidence;
use crate::finding::{Category, Severity};
use crate::registry::Rule;

pub const RULE: Rule = Rule {
    code: "SEC021",
    name: "sensitive-data-in-logs",
    category: Category::Security,
    severity: Severity::Warning,
    cwe: Some(532),
    summary: "Password, token or other secret written to the logs",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Flags logging calls — `debug`, `info`, `warning`, `warn`, `error`,
`exception`, `critical`, `fatal` and `log` on `logging`, `logger`, `log`,
`app.logger`, `current_app.logger`, `self.logger`,
`logging.getLogger(…)` — whose arguments (the message, its `%`
arguments, f-string and `.format()` fields, and `extra=`) carry:

- a value named like a secret or personal data: a variable, attribute,
  dictionary key or `.get()` key whose words include `password`, `passwd`,
  `passphrase`, `secret`, `token`, `apikey`/`api_key`, `access_key`,
  `private_key`, `credit_card`, `card_number`, `cvv`, `cvc`, `ssn` or
  `authorization` (`user.password`, `form.password.data`, `token.value`,
  `data["api_key"]`, `os.environ.get("DB_PASSWORD")`,
  `request.headers.get("Authorization")`, `request.authorization`);
  a password-reset URL or link, which carries the reset token;
- a whole `request.headers` or `request.cookies` (also through `dict()`,
  `str()`, `json.dumps()`, `.items()`, `.to_dict()`): they carry the
  `Authorization` header and the session cookie.

Not flagged, deliberately:

- the word inside the message text (`log.info("password reset for %s", email)`);
- names that describe a secret without holding it: counts, lengths,
  flags, times, URLs of endpoints, identifiers, types and prefixes
  (`token_count`, `prompt_tokens`, `len(password)`, `password_changed`,
  `has_token`, `is_token_valid`, `token_expires_at`, `token_url`,
  `token_type`, `token_types`, `token_id`, `token_serial`, `tokenDt`,
  `api_key_prefix`, `card_last4`);
- values passed through a function that hides them (`mask(token)`,
  `redact(…)`, `hashlib.sha256(token).hexdigest()`, `bool(token)`), a
  slice (`token[:8]`), or any other call whose result is not the secret
  (`authenticate(username, password)`);
- one non-sensitive entry of a request container
  (`request.headers.get("User-Agent")`, `request.form["email"]`);
- whole request bodies (`request.form`, `request.json`): whether they hold
  secrets depends on the endpoint, and their sensitive keys are caught
  when logged by name;
- describing attributes of a secret-named object (`api_key.name`,
  `auth_token.user_id`, `ADMIN_PASSWORD_ENV.name`): only content attributes
  (`.value`, `.data`, `.raw`, `.plaintext`, …) are followed into the object.

**Corroboration.** A value named like a token is often not a credential
(an ORM row with a safe `repr`, a public challenge, a token that just
failed verification), so a finding keeps its `warning` severity only when
the code shows where the logged value comes from:

- read from the request: `request.headers`, `request.cookies`,
  `request.authorization`, `request.form["password"]` (high), or a local
  assigned from a request read, also through a call given the request
  (`get_api_key(request)`) (medium);
- read from the configuration or the environment
  (`current_app.config["SECRET_KEY"]`, `os.environ.get("DB_PASSWORD")`),
  a WTForms field (`form.password.data`), or made by a call that makes
  secrets (`secrets.token_*`, `os.urandom`, `jwt.encode`, project
  functions named `create_*`/`generate_*`/`issue_*`/`make_*` of a token,
  key or password), directly or through local names (medium);
- a credential attribute of an object (`user.password_hash`,
  `auth_token.auth_token`) (medium).

A bare name with none of this behind it (a parameter, a loop variable, a
getter's result, a module constant) is reported at `info` severity with
`low` confidence, and its message says what was missing.

## Why is this bad?
Logs are copied to aggregators, shared in tickets, kept for months and
read by far more people than the database. A password or API token in a
log line is a credential anyone with log access can use; session tokens
and `Authorization` headers let them impersonate the user; card data and
SSNs in logs put the whole logging pipeline in scope of PCI DSS and
privacy law.

## Example
```python
log.info("login attempt user=%s password=%s", username, password)
current_app.logger.debug(f"headers: {dict(request.headers)}")
```

Use instead:
```python
log.info("login attempt user=%s", username)
current_app.logger.debug("user agent: %s", request.headers.get("User-Agent"))
```

## References
- [OWASP: Logging Cheat Sheet — data to exclude](https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html#data-to-exclude)
- [CWE-532: Insertion of Sensitive Information into Log File](https://cwe.mitre.org/data/definitions/532.html)
"#;

pub(crate) const LOG_METHODS: &[&str] =
    &["debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"];
const LOGGER_NAMES: &[&str] = &["logging", "logger", "log"];
/// Request containers that must not be logged whole: they always carry
/// credentials (`Authorization`, the session cookie). Bodies (`form`,
/// `json`) are judged by their keys, not whole.
const REQUEST_CONTAINERS: &[&str] = &["headers", "cookies"];
/// Attributes that hold the content of the object they are read from
/// (`token.value`); other attributes (`api_key.name`, `auth_token.user_id`)
/// describe it and are judged by their own name.
const CONTENT_ATTRIBUTES: &[&str] =
    &["value", "data", "raw", "plain", "plaintext", "cleartext", "decoded", "encoded", "hex", "text", "string"];
/// Words that mark a secret or personal data.
const SENSITIVE_WORDS: &[&str] =
    &["password", "passwd", "passphrase", "secret", "token", "apikey", "cvv", "cvc", "ssn", "authorization"];
/// Word pairs that mark a secret or personal data.
const SENSITIVE_PAIRS: &[(&str, &str)] =
    &[("api", "key"), ("access", "key"), ("private", "key"), ("credit", "card"), ("card", "number")];
/// Words that make a name describe a secret rather than hold it.
const DESCRIBING_WORDS: &[&str] = &[
    "count",
    "counts",
    "num",
    "len",
    "length",
    "size",
    "min",
    "max",
    "limit",
    "type",
    "types",
    "kind",
    "kinds",
    "serial",
    "serials",
    "dt",
    "date",
    "time",
    "timestamp",
    "expires",
    "expiry",
    "expiration",
    "exp",
    "ttl",
    "age",
    "lifetime",
    "at",
    "url",
    "uri",
    "endpoint",
    "path",
    "file",
    "filename",
    "name",
    "id",
    "ids",
    "changed",
    "updated",
    "created",
    "valid",
    "invalid",
    "expired",
    "revoked",
    "is",
    "has",
    "should",
    "needs",
    "required",
    "enabled",
    "disabled",
    "policy",
    "strength",
    "prefix",
    "last4",
    "masked",
    "redacted",
    "hash",
    "hashed",
    "digest",
    "fingerprint",
    "field",
    "label",
    "header",
    "version",
    "format",
    "provider",
    "status",
    "error",
    "scope",
    "scopes",
    "usage",
    "attempts",
    "retries",
    "index",
    "regex",
    "pattern",
    "timeout",
    "location",
    "rotation",
    "algorithm",
    "alg",
    "mode",
    "set",
    // Pagination and polling cursors (`next_token`, `page_token`,
    // `continuation_token`): opaque positions, not credentials (drawn from
    // the seventh blind review, docs/accuracy.md).
    "next",
    "page",
    "cursor",
    "continuation",
    "pagination",
    "poll",
    "marker",
];
/// Calls whose result hides their argument.
const HIDING_CALLS: &[&str] = &[
    "len",
    "bool",
    "type",
    "hash",
    "id",
    "isinstance",
    "hexdigest",
    "sha256",
    "sha1",
    "md5",
    "startswith",
    "endswith",
];
/// Calls and methods whose result is their argument's data.
const PASS_THROUGH_CALLS: &[&str] = &[
    "str", "repr", "dict", "list", "tuple", "sorted", "dumps", "format", "join", "strip", "lower", "upper", "encode",
    "decode", "replace", "items", "values", "to_dict", "copy", "pformat", "jsonify",
];

pub fn check(checker: &mut Checker, expr: &Expr) {
    let Expr::Call(call) = expr else { return };
    let Some(method) = method_name(call) else { return };
    if !LOG_METHODS.contains(&method) || !is_logger_call(call) {
        return;
    }
    let skip = usize::from(method == "log");
    let values = call
        .arguments
        .args
        .iter()
        .skip(skip)
        .chain(call.arguments.find_keyword("extra").map(|k| &k.value))
        .chain(call.arguments.find_keyword("msg").map(|k| &k.value));
    for value in values {
        if let Some(what) = sensitive(value).filter(|what| !names_a_setting(checker, what)) {
            let receiver = match &*call.func {
                Expr::Attribute(a) => checker.source(a.value.range()).to_string(),
                _ => String::new(),
            };
            let shown = checker.source(what.range());
            let shown: String = if shown.chars().count() > 60 {
                format!("{}…", shown.chars().take(60).collect::<String>())
            } else {
                shown.to_string()
            };
            let evidence = corroboration(checker, what);
            let message = format!("`{receiver}.{method}()` writes `{shown}` to the logs");
            checker.report_judged(&RULE, call.range(), message, evidence);
            return;
        }
    }
}

/// What shows that the logged value is a credential, beyond its name: it
/// is read from the request (`request.headers`, `request.form["password"]`:
/// high), from the configuration or the environment, a WTForms field, a
/// credential attribute of an object (`user.password_hash`), or made by a
/// call that makes secrets (`secrets.token_hex()`, `create_access_token()`),
/// directly or through local assignments (medium).
fn corroboration(checker: &Checker, what: &Expr) -> Evidence {
    let body = enclosing_body(checker);
    let attribute = matches!(what, Expr::Attribute(a) if is_sensitive_name(a.attr.as_str()));
    let source = traced(body, what, &|e| match e {
        _ if is_request_read(e) => Some(Confidence::High),
        _ if is_setting_read(e) || is_form_field(e) => Some(Confidence::Medium),
        Expr::Call(call) if makes_secret(call) => Some(Confidence::Medium),
        _ => None,
    });
    Evidence::from_confidence(
        source.or(attribute.then_some(Confidence::Medium)),
        "not read from the request, configuration or environment, nor made as a token",
    )
}

/// A module constant that holds the name of a setting, not its value:
/// `OPT_API_KEY = "MYAPP_API_KEY"` (an environment variable's or config
/// key's name, upper case). Drawn from the seventh blind review.
fn names_a_setting(checker: &Checker, what: &Expr) -> bool {
    let (Expr::Name(name), Some(module)) = (what, checker.module) else { return false };
    let mut bindings = module.ast.body.iter().filter_map(|stmt| match stmt {
        ruff_python_ast::Stmt::Assign(a) if a.targets.iter().any(|t| matches!(t, Expr::Name(n) if n.id == name.id)) => {
            Some(&*a.value)
        }
        _ => None,
    });
    let (Some(value), None) = (bindings.next(), bindings.next()) else { return false };
    string_value(value).is_some_and(|text| {
        text.len() > 1
            && text.starts_with(|c: char| c.is_ascii_uppercase())
            && text.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    })
}

/// `logger.info`, `current_app.logger.error`, `logging.getLogger(…).debug`…
pub(crate) fn is_logger_call(call: &ExprCall) -> bool {
    let Expr::Attribute(attr) = &*call.func else { return false };
    match &*attr.value {
        Expr::Call(inner) => dotted(&inner.func).is_some_and(|d| d.ends_with("getLogger")),
        receiver => dotted(receiver).is_some_and(|d| {
            let last = d.rsplit('.').next().unwrap_or(&d).trim_start_matches('_').to_ascii_lowercase();
            LOGGER_NAMES.contains(&last.as_str())
        }),
    }
}

/// The first sensitive value inside a logged expression.
fn sensitive(expr: &Expr) -> Option<&Expr> {
    match expr {
        Expr::Name(name) => is_sensitive_name(name.id.as_str()).then_some(expr),
        Expr::Attribute(attr) => {
            if is_request_container(expr) || is_sensitive_name(attr.attr.as_str()) {
                return Some(expr);
            }
            // `request.args`, `config.DEBUG`: descend only through plain
            // objects, and only for attributes that hold their content.
            if is_request(&attr.value) || !CONTENT_ATTRIBUTES.contains(&attr.attr.as_str()) {
                return None;
            }
            sensitive(&attr.value)
        }
        Expr::Subscript(sub) => {
            if let Some(key) = string_value(&sub.slice) {
                return is_sensitive_name(key).then_some(expr);
            }
            if matches!(&*sub.slice, Expr::Slice(_)) || is_request_container(&sub.value) {
                return None;
            }
            sensitive(&sub.value)
        }
        Expr::Call(call) => call_sensitive(expr, call),
        Expr::FString(f) => f.value.iter().find_map(|part| match part {
            FStringPart::FString(fs) => fs.elements.interpolations().find_map(|e| sensitive(&e.expression)),
            FStringPart::Literal(_) => None,
        }),
        Expr::BinOp(b) => sensitive(&b.left).or_else(|| sensitive(&b.right)),
        Expr::BoolOp(b) => b.values.iter().find_map(sensitive),
        Expr::If(i) => sensitive(&i.body).or_else(|| sensitive(&i.orelse)),
        Expr::Tuple(t) => t.elts.iter().find_map(sensitive),
        Expr::List(l) => l.elts.iter().find_map(sensitive),
        Expr::Dict(d) => d.items.iter().find_map(|item| {
            let literal = matches!(
                item.value,
                Expr::StringLiteral(_) | Expr::NumberLiteral(_) | Expr::BooleanLiteral(_) | Expr::NoneLiteral(_)
            );
            match item.key.as_ref().and_then(string_value) {
                Some(key) if is_sensitive_name(key) && !literal => Some(&item.value),
                _ => sensitive(&item.value),
            }
        }),
        _ => None,
    }
}

fn call_sensitive<'a>(expr: &'a Expr, call: &'a ExprCall) -> Option<&'a Expr> {
    let name = method_name(call)?;
    let lower = name.to_ascii_lowercase();
    let hides = HIDING_CALLS.contains(&name)
        || ["mask", "redact", "obfuscate", "sanitize", "sanitise", "scrub", "censor", "anonymi", "hash"]
            .iter()
            .any(|w| lower.contains(w));
    if hides {
        return None;
    }
    let receiver = match &*call.func {
        Expr::Attribute(a) => Some(&*a.value),
        _ => None,
    };
    // request.headers.get("Authorization").
    if matches!(name, "get" | "getlist" | "getenv") {
        let key = call.arguments.args.first().and_then(string_value);
        return key.filter(|k| is_sensitive_name(k)).map(|_| expr);
    }
    if PASS_THROUGH_CALLS.contains(&name) {
        if let Some(receiver) = receiver {
            if is_request_container(receiver) && name != "keys" {
                return Some(receiver);
            }
            if let Some(found) = sensitive(receiver) {
                return Some(found);
            }
        }
        return call
            .arguments
            .args
            .iter()
            .find_map(sensitive)
            .or_else(|| call.arguments.keywords.iter().find_map(|k| keyword_sensitive(&k.arg, &k.value)));
    }
    // A getter or generator of a secret: `get_token()`, `create_access_token(user)`.
    let words = words(name);
    let getter = ["get", "create", "generate", "issue", "make", "new", "fetch", "read", "load"]
        .contains(&words.first().map(String::as_str).unwrap_or(""));
    (getter && is_sensitive_name(name)).then_some(expr)
}

fn keyword_sensitive<'a>(arg: &Option<ruff_python_ast::Identifier>, value: &'a Expr) -> Option<&'a Expr> {
    match arg {
        Some(name) if is_sensitive_name(name.as_str()) => Some(value),
        _ => sensitive(value),
    }
}

fn is_request(expr: &Expr) -> bool {
    matches!(expr, Expr::Name(n) if n.id.as_str() == "request")
}

/// `request.headers` or `request.cookies`.
fn is_request_container(expr: &Expr) -> bool {
    matches!(expr, Expr::Attribute(a) if is_request(&a.value) && REQUEST_CONTAINERS.contains(&a.attr.as_str()))
}

/// Whether a name holds a secret (see [`DOC`]).
pub(crate) fn is_sensitive_name(name: &str) -> bool {
    let words = words(name);
    let has = |w: &str| words.iter().any(|x| x == w);
    // A reset link carries the reset token.
    if has("reset") && (has("url") || has("link")) {
        return true;
    }
    let sensitive = words.iter().any(|w| SENSITIVE_WORDS.contains(&w.as_str()))
        || words.windows(2).any(|pair| SENSITIVE_PAIRS.contains(&(pair[0].as_str(), pair[1].as_str())));
    if !sensitive {
        return false;
    }
    // A password hash can be cracked offline: it stays sensitive.
    let describing = words.iter().any(|w| {
        DESCRIBING_WORDS.contains(&w.as_str()) && !(has("password") && matches!(w.as_str(), "hash" | "hashed"))
    });
    !describing
}

#[cfg(test)]
mod tests {
    use super::is_sensitive_name;

    #[test]
    fn names_that_hold_secrets() {
        for name in [
            "password",
            "new_password",
            "SECRET_KEY",
            "client_secret",
            "access_token",
            "refreshToken",
            "api_key",
            "apiKey",
            "X-Api-Key",
            "Authorization",
            "card_number",
            "cvv",
            "ssn",
            "password_hash",
            "password_reset_url",
            "reset_link",
            "AWS_SECRET_ACCESS_KEY",
            "private_key_pem",
        ] {
            assert!(is_sensitive_name(name), "{name}");
        }
    }

    #[test]
    fn names_that_describe_secrets() {
        for name in [
            "token_count",
            "next_token",
            "pageToken",
            "continuation_token",
            "prompt_tokens",
            "password_changed",
            "has_token",
            "is_token_valid",
            "token_expires_at",
            "token_url",
            "token_type",
            "token_id",
            "api_key_prefix",
            "card_last4",
            "tokenizer",
            "secrets",
            "username",
            "token_hash",
            "password_min_length",
            "allowed_token_types",
            "token_serial",
            "tokenDt",
            "token_timestamp",
        ] {
            assert!(!is_sensitive_name(name), "{name}");
        }
    }
}
