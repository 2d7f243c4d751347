//! SEC019: the documentation is [`DOC`].

use ruff_python_ast::Stmt;

use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;

pub const RULE: Rule = Rule {
    code: "SEC019",
    name: "missing-security-headers",
    category: Category::Security,
    severity: Severity::Info,
    cwe: Some(693),
    summary: "HTML application without browser security headers",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Reports, once per application and at the application, an app whose
request handlers render HTML (`render_template`, `render_template_string`)
while the project neither installs a security-headers extension
(Flask-Talisman, `secure`, flask-secure-headers) nor sets, anywhere in its
Python code (an `after_request` hook, a middleware, a response helper),
`Content-Security-Policy` or `X-Frame-Options` **and**
`X-Content-Type-Options` or `Strict-Transport-Security`. The message
names the headers that are missing.

JSON-only APIs are not reported: these headers protect pages a browser
renders. Headers added outside the Python code (nginx, a CDN, an ingress)
are invisible to Retort; suppress the finding where that is the case.

## Why is this bad?
Without `Content-Security-Policy` an HTML injection becomes script
execution; without `X-Frame-Options` (or CSP `frame-ancestors`) pages can
be framed for clickjacking; without `X-Content-Type-Options: nosniff`
browsers may run an upload as script; without
`Strict-Transport-Security` the first request of a visit can be downgraded
to HTTP and its session cookie stolen.

## Example
```python
app = Flask(__name__)

@app.get("/")
def index():
    return render_template("index.html")
```

Use instead:
```python
from flask_talisman import Talisman

app = Flask(__name__)
Talisman(app, content_security_policy={"default-src": "'self'"})
```
or an `after_request` hook:
```python
@app.after_request
def security_headers(response):
    response.headers["Content-Security-Policy"] = "default-src 'self'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return response
```

## References
- [Flask: Security headers](https://flask.palletsprojects.com/en/latest/web-security/#security-headers)
- [OWASP: HTTP Headers Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/HTTP_Headers_Cheat_Sheet.html)
- [CWE-693: Protection Mechanism Failure](https://cwe.mitre.org/data/definitions/693.html)
"#;

/// Either header of each group is enough.
const GROUPS: &[&[&str]] =
    &[&["Content-Security-Policy", "X-Frame-Options"], &["X-Content-Type-Options", "Strict-Transport-Security"]];

pub fn check(checker: &mut Checker) {
    if has_header_extension(checker) {
        return;
    }
    let sources: Vec<String> = checker.project.modules.iter().map(|m| m.source.to_ascii_lowercase()).collect();
    let set_somewhere = |header: &str| sources.iter().any(|s| s.contains(&header.to_ascii_lowercase()));
    let missing: Vec<&str> = GROUPS
        .iter()
        .filter(|group| !group.iter().any(|h| set_somewhere(h)))
        .flat_map(|group| group.iter().copied())
        .collect();
    if missing.is_empty() {
        return;
    }
    let catalog = checker.catalog;
    let single_app = catalog.apps.len() == 1;
    let mut reports = Vec::new();
    for app in &catalog.apps {
        let renders_html = catalog
            .routes
            .iter()
            .filter(|r| single_app || r.app.as_deref() == Some(app.id.as_str()))
            .filter_map(|r| r.view_location.as_ref())
            .any(|location| {
                checker
                    .project
                    .modules
                    .iter()
                    .any(|m| m.display_path() == location.file && m.source.contains("render_template"))
            });
        if renders_html {
            reports.push((app.file.clone(), app.line, app.id.clone()));
        }
    }
    for (file, line, id) in reports {
        checker.report_at(
            &RULE,
            &file,
            line,
            format!(
                "`{id}` renders HTML without {} (no Flask-Talisman or after_request hook sets them)",
                missing.join(", ")
            ),
        );
    }
}

/// Packages (normalised) and modules of header extensions.
const HEADER_PACKAGES: &[&str] = &["flask-talisman", "talisman", "secure", "flask-secure-headers"];
const HEADER_MODULES: &[&str] = &["flask_talisman", "talisman", "secure", "flask_secure_headers"];

/// Flask-Talisman in the catalog, or a header package declared or imported
/// (matched by exact module name: `secure_filename` is not `secure`).
fn has_header_extension(checker: &Checker) -> bool {
    let catalog = checker.catalog;
    if catalog.extensions.iter().any(|e| e.kind == "security-headers") {
        return true;
    }
    let normalise = |name: &str| name.to_ascii_lowercase().replace('_', "-");
    if catalog.dependencies.iter().any(|d| HEADER_PACKAGES.contains(&normalise(&d.name).as_str())) {
        return true;
    }
    let is_header_module = |name: &str| HEADER_MODULES.contains(&name.split('.').next().unwrap_or(name));
    checker.project.modules.iter().any(|m| {
        m.ast.body.iter().any(|stmt| match stmt {
            Stmt::Import(import) => import.names.iter().any(|a| is_header_module(a.name.as_str())),
            Stmt::ImportFrom(import) => {
                import.level == 0 && import.module.as_ref().is_some_and(|n| is_header_module(n.as_str()))
            }
            _ => false,
        })
    })
}
