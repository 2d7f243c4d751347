//! SEC009: the documentation is [`DOC`].

use std::collections::HashMap;

use retort_flask::catalog::Route;
use ruff_text_size::Ranged;

use crate::checker::helpers::words;
use crate::checker::Checker;
use crate::corroboration::Evidence;
use crate::finding::{Category, Confidence, Severity};
use crate::handlers::{class_handlers, route_guarded, url_param_names, view_def, ViewDef};
use crate::registry::Rule;
use crate::rules::reliability::missing_health_endpoint::is_health_rule;
use crate::rules::security::changes_state;
use crate::view_effects::{is_inert_view, is_token_authorised};

pub const RULE: Rule = Rule {
    code: "SEC009",
    name: "missing-authentication",
    category: Category::Security,
    severity: Severity::Error,
    cwe: Some(306),
    summary: "Endpoint without an authentication guard among guarded ones",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
In an application that authenticates some of its endpoints, lists the
endpoints that have no authentication guard at all (no auth decorator below
the route decorator, no `decorators`/`method_decorators` on the class view
or a project base class, no guarded handler method — its own or inherited —,
no authenticating `before_request` hook) while most other endpoints defined
in the same file are guarded. A route registered by a helper in another
file is reported at its view. Project decorators count when they gate access by what they do: under an
`if`, they redirect, `abort(401)`/`abort(403)`, return a 401/403 status or
raise `Unauthorized`/`Forbidden`, and otherwise call the view (a gate
whose tests only read the URL, such as an HTTPS redirect, does not count).
The page such a gate redirects to (`redirect(url_for("identify"))`) is
not listed: it must be reachable without the gate. Static files (also single assets such as `/embed.js`, and `/assets/…`), health probes and the login,
registration, password-reset and single-sign-on flows (OAuth, SAML, OIDC
callbacks) and newsletter subscribe/unsubscribe are not listed. Project decorators
count when named in `extra-auth-decorators`.

Nor are views that can do nothing worth guarding, judged by their body:
every statement only returns or raises something built from constants,
the view's URL parameters and the caller's own request (`abort(404)`,
`raise Exception("no")`, `return jsonify(ok=True)`, echoing the request's
headers). A view that calls anything else (a database, a file, a project
function, a logger), reads a module-level value (a configuration value, a
secret) or stores anything is still listed. Nor are views authorised by
a secret token in their URL (`/unsubscribe/<token>`): the body looks the
token up and leaves when nothing is found, or compares it and leaves when
it differs — the capability link of an e-mail. Not handled: endpoints that
a specification makes public although they compute with stored data
(openEO's `POST /validation`), since nothing in the code tells them from
a forgotten guard.

One finding per view: a view served by several routes (several route
decorators, or a blueprint registered under several prefixes) is
reported once, at its first route, and the message lists the others.

**Corroboration.** Most guarded neighbours alone were often wrong on
unseen code (a currency list, a probe, a page of links are public by
design), so a finding keeps its `error` severity, at medium confidence,
only when the route changes state (POST, PUT, PATCH or DELETE) and a route
of the same blueprint (of the same app, for routes on the app) carries an
authentication guard. A read-only route, or one whose blueprint guards no
route, is reported at `info` severity with `low` confidence, and its
message says what was missing.

## Why is this bad?
When every view around it is guarded, an unguarded one is almost always a
forgotten decorator, and anyone on the internet can call it: an admin
action, a data export, an expensive job.

## Example
```python
@bp.post("/search/reindex")
def reindex_search():
    ...
```

Use instead:
```python
@bp.post("/search/reindex")
@login_required
@admin_required
def reindex_search():
    ...
```

## References
- [Flask-Login: Protecting Views](https://flask-login.readthedocs.io/en/latest/#protecting-views)
- [CWE-306: Missing Authentication for Critical Function](https://cwe.mitre.org/data/definitions/306.html)
"#;

/// Endpoints that are public by nature.
const PUBLIC_WORDS: &[&str] = &[
    "login",
    "logout",
    "signin",
    "sign_in",
    "signup",
    "sign_up",
    "register",
    "password",
    "reset",
    "forgot",
    "callback",
    "oauth",
    "sso",
    "saml",
    "oidc",
    "openid",
    "authorize",
    "confirm",
    "verify",
    "static",
    // `/assets/<path:path>`: a front end's bundled files (sixth blind review).
    "assets",
    "robots",
    "favicon",
    "sitemap",
    ".well-known",
];

pub fn check(checker: &mut Checker) {
    let catalog = checker.catalog;
    let extra = &checker.config.extra_auth_decorators;
    let guarded: Vec<(&Route, bool)> = catalog
        .routes
        .iter()
        .filter(|r| r.view_location.is_some())
        .map(|r| (r, route_guarded(checker.project, r, extra)))
        .collect();
    if !guarded.iter().any(|(_, g)| *g) {
        return;
    }
    // Routes that need no guard leave the counts too, except that a guarded
    // route shows the file's intent whatever its body does.
    let gate_targets = retort_flask::gate_redirect_targets(checker.project);
    let exempt: Vec<bool> = guarded
        .iter()
        .map(|(r, g)| {
            is_public_by_nature(r) || is_gate_target(r, &gate_targets) || (!*g && needs_no_guard(checker.project, r))
        })
        .collect();
    let mut by_file: HashMap<&str, (usize, usize)> = HashMap::new();
    for ((route, is_guarded), _) in guarded.iter().zip(&exempt).filter(|(_, exempt)| !**exempt) {
        let file = route.view_location.as_ref().map(|l| l.file.as_str()).unwrap_or_default();
        let entry = by_file.entry(file).or_default();
        entry.0 += 1;
        entry.1 += usize::from(*is_guarded);
    }
    // One finding per view: a blueprint registered under several prefixes,
    // or a view with several route decorators, is one missing guard.
    let mut findings: Vec<ViewFinding> = Vec::new();
    for ((route, is_guarded), exempt) in guarded.iter().zip(&exempt) {
        if *is_guarded || *exempt {
            continue;
        }
        let file = route.view_location.as_ref().map(|l| l.file.as_str()).unwrap_or_default();
        let (total, guarded_here) = by_file[file];
        let others = total - 1;
        if guarded_here == 0 || guarded_here * 2 <= others {
            continue;
        }
        let rule = route.rule.as_deref().unwrap_or("?");
        let endpoint = route.endpoint.as_deref().unwrap_or("?");
        // Registered by a helper elsewhere (`api.add_resource` in utils):
        // report at the view, where the guard belongs.
        let (at_file, at_line) = match (&route.view_location, handler_line(checker.project, route)) {
            // A class-based view: at the handler method that lacks the guard.
            (Some(view), Some(line)) => (view.file.clone(), line),
            (Some(view), None) if view.file != route.file => (view.file.clone(), view.line),
            _ => (route.file.clone(), route.line),
        };
        let served = format!("`{} {rule}`", route.methods.join(","));
        let evidence = corroboration(route, &guarded);
        let view = route.view_location.as_ref().map(|l| (l.file.clone(), l.line)).unwrap_or_default();
        if let Some(same) = findings.iter_mut().find(|f| f.view == view) {
            if !same.also.contains(&served) && same.served != served {
                same.also.push(served);
            }
            if matches!(evidence, Evidence::Corroborated(_)) && !matches!(same.evidence, Evidence::Corroborated(_)) {
                same.evidence = evidence;
            }
            continue;
        }
        findings.push(ViewFinding {
            view,
            at_file,
            at_line,
            message: format!(
                "{served} ({endpoint}) has no authentication guard, while {guarded_here} of the {others} other routes of {file} have one"
            ),
            served,
            also: Vec::new(),
            evidence,
        });
    }
    for finding in findings {
        let mut message = finding.message;
        if !finding.also.is_empty() {
            message.push_str(&format!("; the same view also serves {}", finding.also.join(", ")));
        }
        checker.report_judged_at(&RULE, &finding.at_file, finding.at_line, message, finding.evidence);
    }
}

/// One view without a guard, with every route it serves.
struct ViewFinding {
    /// Where the view is defined: the key of the grouping.
    view: (String, u32),
    at_file: String,
    at_line: u32,
    message: String,
    /// The method and rule of the first route (`GET /x`).
    served: String,
    /// The other routes the same view serves.
    also: Vec<String>,
    evidence: Evidence,
}

/// The page an access gate sends turned-away callers to (`@id_required`
/// redirecting to `url_for("identify")`) must be reachable without it.
fn is_gate_target(route: &Route, targets: &std::collections::BTreeSet<String>) -> bool {
    // A literal path (`redirect("/check_pass?msg=...")`): the route serving it.
    if route.rule.as_deref().is_some_and(|rule| targets.contains(rule.trim_end_matches('/')) || targets.contains(rule))
    {
        return true;
    }
    let Some(endpoint) = route.endpoint.as_deref() else { return false };
    let last = endpoint.rsplit('.').next().unwrap_or(endpoint);
    targets.iter().any(|t| t == endpoint || (t.starts_with('.') && t[1..] == *last) || (!t.contains('.') && t == last))
}

/// Views that need no authentication guard by what their body does: they
/// can do nothing worth guarding, or are authorised by a secret token in
/// their URL.
fn needs_no_guard(project: &retort_python::Project, route: &Route) -> bool {
    let Some((_, ViewDef::Function(function))) = view_def(project, route) else { return false };
    is_inert_view(function) || url_param_names(route).is_some_and(|params| is_token_authorised(function, &params))
}

/// The line of the first handler method (`def get`, …) of a class-based
/// view that serves one of the route's methods and is defined in the
/// view's own file.
fn handler_line(project: &retort_python::Project, route: &Route) -> Option<u32> {
    let (module, ViewDef::Class(class)) = view_def(project, route)? else { return None };
    class_handlers(project, module, class).into_iter().find_map(|(handler_module, method)| {
        let serves = route.methods.iter().any(|m| m.eq_ignore_ascii_case(method.name.as_str()));
        (serves && std::ptr::eq(handler_module, module)).then(|| module.line_of(method.range().start()))
    })
}

/// What shows the route needs the guard the others have, beyond the file
/// it is in: it changes state (POST, PUT, PATCH, DELETE), and a route of
/// the same blueprint (of the same app, for routes on the app) carries an
/// authentication guard. Read-only routes next to guarded ones were most
/// often public by design on unseen code (a currency list, a probe, a
/// page of links).
fn corroboration(route: &Route, routes: &[(&Route, bool)]) -> Evidence {
    if route.methods_unknown || !changes_state(route) {
        return Evidence::missing("a read-only route");
    }
    let comparable_guarded =
        routes.iter().any(|(other, guarded)| *guarded && other.app == route.app && other.blueprint == route.blueprint);
    if !comparable_guarded {
        return Evidence::missing("no guarded route in its blueprint");
    }
    Evidence::Corroborated(Confidence::Medium)
}

/// Extensions of files a browser loads before any login (`/embed.js`).
const ASSET_EXTENSIONS: &[&str] = &[".js", ".mjs", ".css", ".map", ".ico", ".png", ".svg", ".woff", ".woff2"];

fn is_public_by_nature(route: &Route) -> bool {
    let rule = route.rule.as_deref().unwrap_or("");
    let endpoint = route.endpoint.as_deref().unwrap_or("").to_ascii_lowercase();
    let last = endpoint.rsplit('.').next().unwrap_or(&endpoint);
    let lower_rule = rule.to_ascii_lowercase();
    let asset = ASSET_EXTENSIONS.iter().any(|ext| lower_rule.ends_with(ext));
    let sign_up = words(last).iter().chain(words(&lower_rule).iter()).any(|w| SIGN_UP_WORDS.contains(&w.as_str()));
    asset || sign_up || is_health_rule(rule) || PUBLIC_WORDS.iter().any(|w| last.contains(w) || lower_rule.contains(w))
}

/// Self-service sign-up to a list, matched as whole words so that
/// `/subscribers` (a list of them, worth guarding) is not one: a newsletter
/// subscription only registers the caller's own address (twelfth blind
/// review, docs/accuracy.md).
const SIGN_UP_WORDS: &[&str] = &["subscribe", "unsubscribe"];
