//! SEC022: the documentation is [`DOC`].

use ruff_text_size::Ranged;

use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::handlers::{class_handlers, view_def, ViewDef};
use crate::registry::Rule;
use crate::rules::security::{changes_state, session_guarded};

pub const RULE: Rule = Rule {
    code: "SEC022",
    name: "missing-csrf-protection",
    category: Category::Security,
    severity: Severity::Error,
    cwe: Some(352),
    summary: "Session-authenticated forms without any CSRF protection",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Reports an app that logs users in with the session cookie (Flask-Login, or
`login_user()`), has state-changing routes (`POST`, `PUT`, `PATCH`,
`DELETE`) behind a session-based guard (`login_required` and the like, not
token or signature guards) whose views read form data (`request.form`,
`request.values`, `request.files`, a form's `validate_on_submit()`), and has
no CSRF protection anywhere: no `CSRFProtect`/Flask-SeaSurf extension, no
Flask-WTF `FlaskForm` (which carries its own token), and no code that
mentions a CSRF token. One finding per app, at the app, listing the routes.

Views that only read JSON are not counted: a cross-site form cannot send
`application/json` without a CORS preflight, and `request.get_json()`
rejects other content types. Projects that mention `csrf` anywhere (a
hand-written token check) are trusted.

## Why is this bad?
The browser attaches the session cookie to every request to the site,
also to a form another site submits. Without a per-session token, any page
a logged-in user visits can change their email, password or orders in
their name (cross-site request forgery). `SameSite=Lax` cookies narrow
this but do not cover `GET`-triggered changes, older browsers or
same-site subdomains.

## Example
```python
login_manager = LoginManager(app)

@app.post("/account/email")
@login_required
def change_email():
    current_user.email = request.form["email"]
    db.session.commit()
    return redirect(url_for("account"))
```

Use instead:
```python
csrf = CSRFProtect(app)   # and {{ csrf_token() }} in every form
```

## References
- [Flask-WTF: CSRF Protection](https://flask-wtf.readthedocs.io/en/latest/csrf/)
- [OWASP: Cross-Site Request Forgery Prevention Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html)
- [CWE-352](https://cwe.mitre.org/data/definitions/352.html)
"#;

/// What a view reads when it handles a browser form.
const FORM_READS: &[&str] = &["request.form", "request.values", "request.files", "validate_on_submit"];
/// How many routes a message names before "and N more".
const NAMED: usize = 5;

pub fn check(checker: &mut Checker) {
    let catalog = checker.catalog;
    let project = checker.project;
    let session_login = catalog.extensions.iter().any(|e| e.kind == "login")
        || project.modules.iter().any(|m| calls_login_user(&m.source));
    if !session_login || catalog.extensions.iter().any(|e| e.kind == "csrf") {
        return;
    }
    let mentions_csrf = |text: &str| text.contains("csrf") || text.contains("CSRF") || text.contains("FlaskForm");
    if project.modules.iter().any(|m| mentions_csrf(&m.source)) {
        return;
    }
    for app in &catalog.apps {
        let mut exposed: Vec<String> = Vec::new();
        for route in catalog.routes.iter().filter(|r| r.app.as_deref() == Some(app.id.as_str())) {
            if !changes_state(route) || !session_guarded(route) || !reads_form(checker, route) {
                continue;
            }
            let entry = format!("{} {}", route.methods.join(","), route.rule.as_deref().unwrap_or("?"));
            if !exposed.contains(&entry) {
                exposed.push(entry);
            }
        }
        if exposed.is_empty() {
            continue;
        }
        let count = exposed.len();
        let mut named: Vec<String> = exposed.into_iter().take(NAMED).collect();
        if count > NAMED {
            named.push(format!("and {} more", count - NAMED));
        }
        let message = format!(
            "`{}` logs users in with the session cookie but has no CSRF protection for {count} form route(s): {}",
            app.id,
            named.join("; ")
        );
        checker.report_at(&RULE, &app.file, app.line, message);
    }
}

/// Whether a module calls Flask-Login's (or Flask-Security's) `login_user()`:
/// it imports one of them and has a call that is not the definition of a
/// function of the same name (a JWT app's view named `login_user`; drawn
/// from the sixth blind review, docs/accuracy.md).
fn calls_login_user(source: &str) -> bool {
    if !source.contains("flask_login") && !source.contains("flask_security") {
        return false;
    }
    source.match_indices("login_user(").any(|(at, _)| {
        let before = &source[..at];
        let joined_to_a_name = before.ends_with(|c: char| c == '_' || c.is_alphanumeric());
        !joined_to_a_name && !before.trim_end_matches([' ', '\t']).ends_with("def")
    })
}

/// Whether the route's view reads form data.
fn reads_form(checker: &Checker, route: &retort_flask::catalog::Route) -> bool {
    let Some((module, def)) = view_def(checker.project, route) else { return false };
    let text = |range: ruff_text_size::TextRange| &module.source[range];
    match def {
        ViewDef::Function(function) => FORM_READS.iter().any(|r| text(function.range()).contains(r)),
        ViewDef::Class(class) => class_handlers(checker.project, module, class)
            .into_iter()
            .any(|(module, method)| FORM_READS.iter().any(|r| module.source[method.range()].contains(r))),
    }
}

#[cfg(test)]
mod tests {
    use super::calls_login_user;

    #[test]
    fn login_user_is_a_call_of_flask_login_not_a_view_of_that_name() {
        assert!(calls_login_user("from flask_login import login_user\nlogin_user(user)\n"));
        assert!(calls_login_user("import flask_login\nflask_login.login_user(user, remember=True)\n"));
        // A JWT app's view named login_user, with no Flask-Login in sight.
        assert!(!calls_login_user("@bp.post('/login')\ndef login_user():\n    return jwt_response()\n"));
        // The same name defined next to an import of flask_login, and a longer name.
        assert!(!calls_login_user("import flask_login\n\ndef  login_user(u):\n    pass\n"));
        assert!(!calls_login_user("from flask_login import current_user\napi_login_user(u)\n"));
    }
}
