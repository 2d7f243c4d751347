//! SEC002: the documentation is [`DOC`].

use std::collections::HashMap;

use ruff_python_ast::visitor::{walk_expr, walk_stmt, Visitor};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::checker::helpers::{dotted, method_name, string_value, words};
use crate::checker::Checker;
use crate::corroboration::{
    destinations, each_subexpression, project_sites, referenced_setting, references_setting, target_name, Destination,
    Evidence, Site,
};
use crate::finding::{Category, Confidence, Severity};
use crate::registry::Rule;
use crate::rules::in_non_production_scope;
use crate::rules::security::weak_random_for_secret::is_secret_name as names_a_secret;

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
`os.environ.get("SECRET_KEY", "dev-secret")`, and literals kept in a
module constant of the project (`SECRET_KEY = os.environ.get("KEY") or
CHANGE_ME_SECRET_KEY`, the constant defined in the module or imported
from another). Development and test configuration classes are not
flagged.

**Corroboration.** A name alone does not make a value a secret, so a
finding keeps its `error` severity only when the code shows the literal
is in use as one:

- Flask or a wired extension reads the setting as its key or password:
  `SECRET_KEY` / `app.secret_key` (confidence high when set directly,
  medium for a fallback), `JWT_SECRET_KEY` when Flask-JWT-Extended's
  `JWTManager` is wired, `MAIL_PASSWORD` when Flask-Mail is;
- or the project passes the setting (directly or through a local name) to
  a key, password or token parameter (`password=`, `secret_key=`, `key=`,
  `auth=`, …), to a signing or credential call (`jwt.encode`, `hmac.new`,
  itsdangerous serializers and signers, `Fernet`, `.login()`, `bind`,
  `generate_password_hash`, `compare_digest`, …), or stores it under a
  secret's name (medium);
- or the value looks generated: 20 or more characters of letters and
  digits with at least 10 distinct ones, as API keys are (medium).

Flask signs its session (and what lives there: flashed messages, logins,
CSRF tokens) with `SECRET_KEY`, and nothing else. A literal `SECRET_KEY`
is not corroborated when nothing in the project signs with it: no module
uses `flask.session`, `flash` or a session interface, imports an
extension that may sign with the key (any `flask_*` package but those
known to keep nothing in the session, such as Flask-SQLAlchemy,
Flask-CORS, Flask-RESTX or Flask-Caching; `itsdangerous`, `authlib`,
`wtforms`), or reads the key (`app.config["SECRET_KEY"]`,
`app.secret_key`; not the environment variable of that name). A key set
only under a test that turns a debug switch on (`if app.debug:`,
`if args.debug:`; not `if not app.debug:`) is a development key and is
not corroborated either.

A setting assigned in a class body is Flask's only if the class can reach
a config: when nothing but project modules named by string is given to
`config.from_object`/`from_mapping` (which copies a module's upper-case
names, not its classes') and no code reads the setting as an attribute,
the finding is demoted (a dataclass of the app's own options).

A setting the project refuses (an `if` comparing it or its length with a
literal, or with the constant the value came through, whose branch
raises, exits or aborts, or such an `assert`: `if SECRET_KEY == "CHANGE
ME": sys.exit(…)`) is never corroborated, nor is a
constant only compared with input (a deny-list of old defaults). Without
corroboration the finding is reported at `info` severity with `low`
confidence, and its message says what was missing.

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

/// The literal that ends up as a setting's value.
struct Literal {
    value: String,
    /// Where it is written, or where the constant holding it is used.
    range: TextRange,
    /// The module constant the literal comes through
    /// (`SECRET_KEY = CHANGE_ME_SECRET_KEY`).
    constant: Option<String>,
}

/// The literal that ends up as the value: the literal itself, a module
/// constant holding one (defined in the module or imported from the
/// project), the default of an environment lookup, or the right side of `or`.
fn literal_of(checker: &Checker, value: &Expr) -> Option<Literal> {
    match value {
        Expr::StringLiteral(s) if !s.value.to_str().trim().is_empty() => {
            Some(Literal { value: s.value.to_str().to_string(), range: value.range(), constant: None })
        }
        Expr::Name(n) => {
            let text = constant_string(checker, n.id.as_str())?;
            (!text.trim().is_empty()).then(|| Literal { value: text, range: n.range, constant: Some(n.id.to_string()) })
        }
        Expr::Call(call) => {
            let callee = dotted(&call.func)?;
            let env_lookup =
                callee.ends_with("environ.get") || callee.ends_with("getenv") || callee.ends_with("environ.setdefault");
            if !env_lookup {
                return None;
            }
            let default = call.arguments.find_argument_value("default", 1)?;
            literal_of(checker, default)
        }
        Expr::BoolOp(b) => b.values.iter().skip(1).find_map(|v| literal_of(checker, v)),
        _ => None,
    }
}

/// How many `from x import NAME` hops a constant is followed.
const MAX_CONSTANT_HOPS: usize = 3;

/// The string a module-level constant `name` of the checked module holds:
/// `NAME = "…"` there, or in the project module it is imported from.
fn constant_string(checker: &Checker, name: &str) -> Option<String> {
    let project = checker.project;
    let mut module = project.module_by_path(&checker.module?.path)?;
    let mut name = name.to_string();
    for _ in 0..=MAX_CONSTANT_HOPS {
        let body = &project.module(module).ast.body;
        let assigned: Vec<&Expr> = body
            .iter()
            .filter_map(|stmt| match stmt {
                Stmt::Assign(a) if a.targets.iter().any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == name)) => {
                    Some(&*a.value)
                }
                _ => None,
            })
            .collect();
        if let [value] = assigned.as_slice() {
            return string_value(value).map(str::to_string);
        }
        if !assigned.is_empty() {
            return None;
        }
        let (from, original) = body.iter().find_map(|stmt| match stmt {
            Stmt::ImportFrom(import) => import.names.iter().find_map(|alias| {
                let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                (bound.as_str() == name).then(|| {
                    let target =
                        project.resolve_import(module, import.level, import.module.as_ref().map(|m| m.as_str()));
                    (target, alias.name.to_string())
                })
            }),
            _ => None,
        })?;
        module = from?;
        name = original;
    }
    None
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
                        if let Some(literal) = literal_of(checker, &keyword.value) {
                            let direct = literal.range == keyword.value.range();
                            report(checker, name.as_str(), &literal, direct);
                        }
                    }
                }
            }
            return;
        }
        _ => return,
    };
    let Some(literal) = literal_of(checker, value) else { return };
    let direct = literal.range == value.range();
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
            report(checker, &name, &literal, direct);
        }
    }
}

fn report(checker: &mut Checker, name: &str, literal: &Literal, direct: bool) {
    let value = literal.value.as_str();
    if is_label_or_placeholder(name, value) {
        return;
    }
    let weak = value.len() < 24
        || ["dev", "secret", "change", "test", "default", "password"]
            .iter()
            .any(|w| value.to_ascii_lowercase().contains(w));
    let how = if weak { "a weak literal" } else { "a literal" };
    let verb = if direct { "is set to" } else { "falls back to" };
    let through = literal.constant.as_ref().map(|c| format!(" (through `{c}`)")).unwrap_or_default();
    let evidence = match only_in_debug_mode(checker) {
        Some(test) => Evidence::missing(format!("set only when `{test}` holds, for development")),
        None => corroboration(checker, name, literal, direct),
    };
    checker.report_judged(
        &RULE,
        literal.range,
        format!("`{name}` {verb} {how}{through} committed to the repository"),
        evidence,
    );
}

/// Settings that Flask or a wired extension reads as a key or password,
/// with the extension (`None`: Flask itself).
const FRAMEWORK_SECRETS: &[(&str, Option<&str>)] =
    &[("SECRET_KEY", None), ("JWT_SECRET_KEY", Some("Flask-JWT-Extended")), ("MAIL_PASSWORD", Some("Flask-Mail"))];

/// Calls that take a key, password or token (by the last part of their name).
const CREDENTIAL_CALLS: &[&str] = &[
    "Serializer",
    "URLSafeSerializer",
    "URLSafeTimedSerializer",
    "TimedSerializer",
    "Signer",
    "TimestampSigner",
    "Fernet",
    "login",
    "bind",
    "simple_bind_s",
    "generate_password_hash",
    "check_password_hash",
    "hashpw",
    "HTTPBasicAuth",
    "encrypt",
    "decrypt",
    "sign",
    "compare_digest",
];

/// What shows the literal is in use as a secret, beyond the setting's name:
/// Flask or a wired extension reads the setting as its key or password
/// (`SECRET_KEY`; `JWT_SECRET_KEY` with Flask-JWT-Extended; `MAIL_PASSWORD`
/// with Flask-Mail), the project passes the setting to a key, password or
/// token parameter or a signing call, or the value looks like a generated
/// key. A setting the project checks at start-up and refuses (`if
/// SECRET_KEY == "CHANGE ME": sys.exit(…)`) is never corroborated.
fn corroboration(checker: &Checker, name: &str, literal: &Literal, direct: bool) -> Evidence {
    let value = literal.value.as_str();
    // Both questions walk the whole project: asked once per setting and run.
    let settings = checker.memo.secret_settings.get_or_init(|| SecretSettings::of(checker.project));
    let refused = checker.memo.secret_refusals.get_or_compute((name.to_string(), literal.constant.clone()), || {
        refusal(settings, name, literal.constant.as_deref())
    });
    if let Some(at) = refused {
        return Evidence::missing(format!("the project rejects this value at {at}"));
    }
    let read_by_framework = FRAMEWORK_SECRETS.iter().any(|(setting, extension)| {
        setting.eq_ignore_ascii_case(name)
            && extension.is_none_or(|package| checker.catalog.extensions.iter().any(|e| e.package == package))
    });
    // A class attribute is Flask's setting only if the class reaches a config.
    let unloaded_class = checker.class_stack.last().filter(|_| !settings.class_reaches_config(name));
    if let Some(class) = unloaded_class {
        return Evidence::missing(format!(
            "`{class}.{name}` is a class attribute that no `config.from_object` loads and no code reads"
        ));
    }
    if read_by_framework && name.eq_ignore_ascii_case("SECRET_KEY") && !settings.key_in_use() {
        return Evidence::missing(
            "nothing in the project signs with it: no `session`, `flash`, login, CSRF or token extension, and no \
             code reads the key",
        );
    }
    if read_by_framework {
        return Evidence::Corroborated(if direct { Confidence::High } else { Confidence::Medium });
    }
    let used = looks_generated(value)
        || checker.memo.secrets_in_use.get_or_compute(name.to_string(), || used_as_secret(settings, name));
    Evidence::from_confidence(
        used.then_some(Confidence::Medium),
        "no code uses it as a key or password, and it does not look generated",
    )
}

/// Whether the project hands the setting to a credential parameter or call.
fn used_as_secret(settings: &SecretSettings, name: &str) -> bool {
    settings.reads_of(name).iter().any(|site| {
        destinations(site.body, site.expr.range()).iter().any(|d| match d {
            Destination::Keyword(_, keyword) => is_secret_parameter(keyword),
            Destination::Argument(call) => {
                let callee = dotted(&call.func).unwrap_or_default();
                let method = method_name(call).unwrap_or_default();
                CREDENTIAL_CALLS.contains(&method)
                    || (callee.contains("jwt") && matches!(method, "encode" | "decode"))
                    || callee == "hmac.new"
            }
            Destination::Stored(target) => target_name(target).is_some_and(is_secret_parameter),
            Destination::Returned | Destination::Compared(_) => false,
        })
    })
}

/// `password=`, `secret_key=`, `api_key=`, `key=`, `auth=`.
fn is_secret_parameter(name: &str) -> bool {
    names_a_secret(name) || ["key", "auth", "credentials"].contains(&name.to_ascii_lowercase().as_str())
}

/// A long random-looking value (`9f86d081884c7d659a2feaa0c55ad015`), not a
/// word or phrase a person typed.
fn looks_generated(value: &str) -> bool {
    let distinct: std::collections::HashSet<char> = value.chars().collect();
    value.len() >= 20
        && distinct.len() >= 10
        && value.chars().all(|c| c.is_ascii_alphanumeric() || "-_+/=".contains(c))
        && value.chars().any(|c| c.is_ascii_digit())
        && value.chars().any(|c| c.is_ascii_alphabetic())
}

/// Where the project refuses to run with a weak value of the setting: an
/// `if` comparing it (or its length) with a literal whose branch raises or
/// exits, or an `assert` doing so; the literal may be named by the constant
/// the value came through (`if config["SECRET_KEY"] == CHANGE_ME_SECRET_KEY`).
/// A comparison with another value (a shared secret a client sent) checks
/// a request, not the setting. The first such statement of the project.
fn refusal(settings: &SecretSettings, name: &str, constant: Option<&str>) -> Option<String> {
    let is_weak_value = |e: &Expr| e.is_literal_expr() || matches!(e, Expr::Name(n) if Some(n.id.as_str()) == constant);
    let is_setting = |e: &Expr| match e {
        Expr::Call(call) if dotted(&call.func).as_deref() == Some("len") => {
            call.arguments.args.first().is_some_and(|a| references_setting(a, name))
        }
        other => references_setting(other, name),
    };
    let compares = |test: &Expr| {
        let mut found = false;
        each_subexpression(test, &mut |e| {
            if let Expr::Compare(c) = e {
                let operands: Vec<&Expr> = std::iter::once(&*c.left).chain(c.comparators.iter()).collect();
                found |= operands.iter().any(|o| is_setting(o)) && operands.iter().any(|o| is_weak_value(o));
            }
            found
        });
        found
    };
    let refusing = settings.refusals.iter().find(|candidate| candidate.tests.iter().any(|test| compares(test)))?;
    let module = refusing.module;
    Some(format!("{}:{}", module.display_path(), module.line_of(refusing.range.start())))
}

/// What SEC002's corroboration reads of the whole project, gathered in one
/// walk for all the settings it asks about (instead of one walk per
/// setting).
pub(crate) struct SecretSettings<'a> {
    /// Reads of settings named like secrets (`SECRET_KEY`,
    /// `config["MAIL_PASSWORD"]`, `os.getenv("API_TOKEN")`), by the
    /// setting's upper-case name. SEC002 only asks about such names, and
    /// whether a name is one does not depend on its case.
    reads: HashMap<String, Vec<Site<'a>>>,
    /// The statements that can refuse a value, in project order.
    refusals: Vec<RefusalCandidate<'a>>,
    /// What the project loads into a Flask config: the arguments of
    /// `config.from_object(...)` and `config.from_mapping(...)`.
    config_loads: Vec<&'a Expr>,
    /// Whether a module uses Flask's session (`session`, `flash`) or
    /// imports an extension that may sign with `SECRET_KEY`.
    key_signer: bool,
}

/// An `assert` (with its test) or an `if` (with the tests of its branches
/// that stop the program or the request).
struct RefusalCandidate<'a> {
    module: &'a retort_python::Module,
    range: TextRange,
    tests: Vec<&'a Expr>,
}

impl<'a> SecretSettings<'a> {
    fn of(project: &'a retort_python::Project) -> SecretSettings<'a> {
        let is_secret_read = |e: &Expr| {
            let load = match e {
                Expr::Name(n) => n.ctx.is_load(),
                Expr::Attribute(a) => a.ctx.is_load(),
                Expr::Subscript(s) => s.ctx.is_load(),
                _ => true,
            };
            load && referenced_setting(e).is_some_and(is_secret_name)
        };
        let mut reads: HashMap<String, Vec<Site<'a>>> = HashMap::new();
        for site in project_sites(project, &is_secret_read) {
            let name = referenced_setting(site.expr).unwrap_or_default().to_ascii_uppercase();
            reads.entry(name).or_default().push(site);
        }
        let mut refusals = Vec::new();
        let mut config_loads = Vec::new();
        for module in &project.modules {
            let mut finder = RefusalCandidates { module, found: Vec::new(), config_loads: Vec::new() };
            finder.visit_body(&module.ast.body);
            refusals.extend(finder.found);
            config_loads.extend(finder.config_loads);
        }
        // A project module loaded by name brings its upper-case names, not
        // the attributes of the classes it defines.
        config_loads.retain(|argument| {
            string_value(argument).is_none_or(|target| !project.modules.iter().any(|m| m.name == target))
        });
        let key_signer = project.modules.iter().any(|module| {
            let mut finder = KeySigners::default();
            finder.visit_body(&module.ast.body);
            finder.found
        });
        SecretSettings { reads, refusals, config_loads, key_signer }
    }

    /// What signs with Flask's `SECRET_KEY`: the session and what is kept
    /// in it, an extension that may, or a read of the key by the project
    /// (`app.config["SECRET_KEY"]`, `app.secret_key`; not the environment
    /// variable of the same name).
    fn key_in_use(&self) -> bool {
        let reads_key = ["SECRET_KEY"].iter().any(|name| {
            self.reads_of(name).iter().any(|site| match site.expr {
                Expr::Call(call) => !reads_environment(&call.func),
                Expr::Subscript(s) => !dotted(&s.value).is_some_and(|d| d.ends_with("environ")),
                Expr::Attribute(_) => true,
                _ => false,
            })
        });
        reads_key || self.key_signer
    }

    /// Whether a setting assigned in a class body can reach a Flask
    /// config: the project gives `config.from_object` anything but the
    /// name of a project module (a class or its dotted path, which may be
    /// a subclass; an instance; a variable), or it reads the setting as an
    /// attribute (`cfg.SECRET_KEY`). A class that only sits in a module
    /// loaded by name (`from_object("pkg.config")`, which copies the
    /// module's upper-case names, not the class's) never does.
    fn class_reaches_config(&self, name: &str) -> bool {
        !self.config_loads.is_empty() || self.reads_of(name).iter().any(|site| matches!(site.expr, Expr::Attribute(_)))
    }

    /// The reads of the setting `name` (any case).
    fn reads_of(&self, name: &str) -> &[Site<'a>] {
        self.reads.get(&name.to_ascii_uppercase()).map_or(&[], Vec::as_slice)
    }
}

/// Collects [`RefusalCandidate`]s of one module, outer statements first.
struct RefusalCandidates<'a> {
    module: &'a retort_python::Module,
    found: Vec<RefusalCandidate<'a>>,
    config_loads: Vec<&'a Expr>,
}

impl<'a> Visitor<'a> for RefusalCandidates<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        let tests: Vec<&'a Expr> = match stmt {
            Stmt::Assert(a) => vec![&*a.test],
            Stmt::If(i) => std::iter::once((Some(&*i.test), &i.body))
                .chain(i.elif_else_clauses.iter().map(|c| (c.test.as_ref(), &c.body)))
                .filter_map(|(test, body)| test.filter(|_| stops(body)))
                .collect(),
            _ => Vec::new(),
        };
        if !tests.is_empty() {
            self.found.push(RefusalCandidate { module: self.module, range: stmt.range(), tests });
        }
        walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr {
            if matches!(method_name(call), Some("from_object" | "from_mapping")) {
                self.config_loads.extend(call.arguments.args.first());
            }
        }
        walk_expr(self, expr);
    }
}

/// The enclosing `if` test that turns a debug switch on (`if app.debug:`,
/// `if args.debug:`), if any: a key set under it is a development key.
/// A negated test (`if not app.debug:`) is the production branch.
fn only_in_debug_mode<'a>(checker: &Checker<'a>) -> Option<&'a str> {
    checker.conditions.iter().find_map(|test| {
        let text = checker.source(test.range());
        let lower = text.to_ascii_lowercase();
        let positive = !matches!(test, Expr::UnaryOp(_)) && !lower.contains("not ") && !lower.contains("!=");
        (positive && lower.contains("debug") && !lower.contains("false")).then_some(text)
    })
}

/// `os.environ.get`, `os.getenv`, `environ.get`: a read of an environment
/// variable, not of the app's configuration.
fn reads_environment(func: &Expr) -> bool {
    dotted(func).is_some_and(|d| d.ends_with("getenv") || d.ends_with("environ.get"))
}

/// Flask extensions that keep nothing in the session and sign nothing
/// with `SECRET_KEY`; any other `flask_*` import may.
const EXTENSIONS_WITHOUT_SESSION: &[&str] = &[
    "flask_sqlalchemy",
    "flask_migrate",
    "flask_cors",
    "flask_restful",
    "flask_restx",
    "flask_restplus",
    "flask_smorest",
    "flask_marshmallow",
    "flask_caching",
    "flask_compress",
    "flask_mail",
    "flask_bcrypt",
    "flask_limiter",
    "flask_apscheduler",
    "flask_executor",
    "flask_swagger_ui",
    "flask_talisman",
    "flask_httpauth",
    "flask_basicauth",
    "flask_babel",
    "flask_assets",
    "flask_moment",
    "flask_bootstrap",
    "flask_pymongo",
    "flask_redis",
    "flask_sock",
    "flask_mysqldb",
];

/// Other packages that sign with the app's key or keep state in its session.
const KEY_SIGNING_PACKAGES: &[&str] = &["itsdangerous", "authlib", "wtforms"];

/// Whether one module uses Flask's session or imports an extension that
/// may sign with the app's key.
#[derive(Default)]
struct KeySigners {
    found: bool,
}

impl KeySigners {
    fn package(&mut self, name: &str) {
        let top = name.split('.').next().unwrap_or(name);
        self.found |= (top.starts_with("flask_") && !EXTENSIONS_WITHOUT_SESSION.contains(&top))
            || KEY_SIGNING_PACKAGES.contains(&top);
    }
}

impl<'a> Visitor<'a> for KeySigners {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Import(s) => s.names.iter().for_each(|a| self.package(a.name.as_str())),
            Stmt::ImportFrom(s) => {
                let module = s.module.as_ref().map(|m| m.as_str()).unwrap_or_default();
                if module == "flask" {
                    self.found |= s.names.iter().any(|a| {
                        matches!(a.name.as_str(), "session" | "flash" | "get_flashed_messages" | "SessionInterface")
                    });
                } else {
                    self.package(module);
                }
            }
            _ => {}
        }
        walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Attribute(a) = expr {
            self.found |= matches!(a.attr.as_str(), "session" | "flash")
                && matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "flask");
        }
        walk_expr(self, expr);
    }
}

/// Whether a branch stops the program or the request: `raise`, `sys.exit()`,
/// `abort()`, a project's `fatal_error()`.
fn stops(body: &[Stmt]) -> bool {
    struct Stops(bool);
    impl<'a> Visitor<'a> for Stops {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            self.0 |= matches!(stmt, Stmt::Raise(_));
            walk_stmt(self, stmt);
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr {
                let words = words(method_name(call).unwrap_or_default());
                self.0 |= words.iter().any(|w| ["exit", "abort", "fatal", "die", "quit"].contains(&w.as_str()));
            }
            walk_expr(self, expr);
        }
    }
    let mut stops = Stops(false);
    stops.visit_body(body);
    stops.0
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
        // An environment variable's name (`TOKEN_VAR = "APP_TOKEN"`), except
        // as a signing key, where any literal is the key
        // (`SECRET_KEY = "CHANGE_ME_TO_A_COMPLEX_RANDOM_SECRET"`), unless the
        // setting's own name says it names a variable (`ENV_SECRET_KEY =
        // "APP_SECRET_KEY"`, eighteenth blind review).
        || (env_var_name && (!is_signing_key(&upper_name) || names_environment_variable(&upper_name)))
        || capitalised_word
        || repeated
        || placeholder
        // A phrase is a label (`"Enter your password"`), except as a
        // signing key, where any literal is the key (`SECRET_KEY = "secret key"`).
        || (value.contains(char::is_whitespace) && !is_signing_key(&upper_name))
}

/// `ENV_SECRET_KEY`, `SECRET_KEY_ENV_VAR`: a name for the name of an
/// environment variable.
fn names_environment_variable(upper_name: &str) -> bool {
    upper_name.starts_with("ENV_")
        || ["_ENV", "_VAR", "_ENVVAR", "_VARIABLE"].iter().any(|suffix| upper_name.ends_with(suffix))
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
