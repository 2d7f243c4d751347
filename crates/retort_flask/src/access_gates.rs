//! Project decorators that gate access, judged by what they do rather than
//! by their name: `id_required`, `must_be_member`, `check_key`.
//!
//! A gate is a decorator `def gate(view)` whose wrapper, under an `if`,
//! turns the caller away — `return redirect(...)`, `abort(401)` or
//! `abort(403)` (or `abort()` with a response), a `(body, 401|403)`
//! return, `raise Unauthorized/Forbidden` — and otherwise calls the view.
//! A wrapper whose tests only look at the URL (`request.is_secure`,
//! `request.scheme`, `request.path`, `request.url`) redirects for another
//! reason (HTTPS, trailing slashes) and is not a gate. Where a gate
//! redirects (`url_for("identify")`) is a page that must stay reachable
//! without it: the login or identification form.

use ruff_python_ast::visitor::{walk_expr, walk_stmt, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};

/// The endpoints a gate decorator redirects to (`url_for("x")`), or `None`
/// when `def` is not a gate.
pub fn gate_redirects(def: &ast::StmtFunctionDef) -> Option<Vec<String>> {
    let [parameter] = def.parameters.args.as_slice() else { return None };
    let view = parameter.parameter.name.as_str();
    // The wrapper: a nested function that calls the view.
    def.body.iter().find_map(|stmt| match stmt {
        Stmt::FunctionDef(wrapper) if calls_name(&wrapper.body, view) => wrapper_gate(&wrapper.body),
        _ => None,
    })
}

fn wrapper_gate(body: &[Stmt]) -> Option<Vec<String>> {
    let mut finder = GateFinder::default();
    for stmt in body {
        finder.visit_stmt(stmt);
    }
    (finder.denies && finder.tests_identity).then_some(finder.redirects)
}

#[derive(Default)]
struct GateFinder {
    /// Inside the body or `else` of an `if`.
    conditional: usize,
    denies: bool,
    /// Some `if` test looks at more than the URL.
    tests_identity: bool,
    redirects: Vec<String>,
}

impl<'a> Visitor<'a> for GateFinder {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            Stmt::If(if_stmt) => {
                let mut tests = vec![&*if_stmt.test];
                tests.extend(if_stmt.elif_else_clauses.iter().filter_map(|c| c.test.as_ref()));
                if tests.iter().any(|test| !only_url(test)) {
                    self.tests_identity = true;
                }
                self.conditional += 1;
                for inner in &if_stmt.body {
                    self.visit_stmt(inner);
                }
                for clause in &if_stmt.elif_else_clauses {
                    for inner in &clause.body {
                        self.visit_stmt(inner);
                    }
                }
                self.conditional -= 1;
            }
            Stmt::Return(ret) if self.conditional > 0 => {
                if let Some(value) = ret.value.as_deref() {
                    if let Some(target) = redirect_target(value) {
                        self.denies = true;
                        self.redirects.extend(target);
                    } else if returns_denied_status(value) {
                        self.denies = true;
                    }
                }
                walk_stmt(self, stmt);
            }
            Stmt::Raise(raise) if self.conditional > 0 => {
                let name = raise.exc.as_deref().and_then(|e| called_name(e).or_else(|| plain_name(e)));
                if name.is_some_and(|n| matches!(n, "Unauthorized" | "Forbidden" | "PermissionDenied")) {
                    self.denies = true;
                }
                walk_stmt(self, stmt);
            }
            _ => walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.conditional > 0 {
            if let Expr::Call(call) = expr {
                if called_name(expr) == Some("abort") {
                    let code = call.arguments.args.first();
                    let denies = match code {
                        Some(Expr::NumberLiteral(n)) => {
                            matches!(n.value.as_int().and_then(|i| i.as_u16()), Some(401 | 403))
                        }
                        // `abort(redirect(...))`, `abort(make_response(...))`.
                        Some(Expr::Call(_)) => true,
                        _ => false,
                    };
                    if denies {
                        self.denies = true;
                    }
                    if let Some(target) = code.and_then(redirect_target) {
                        self.redirects.extend(target);
                    }
                }
            }
        }
        walk_expr(self, expr);
    }
}

/// `redirect(url_for("x"))` → `Some(["x"])`; `redirect("/check_pass?msg=…")`
/// → `Some(["/check_pass"])` (a path, told from an endpoint by its leading
/// `/`); `redirect("/")` → `Some([])` (the home page is not a login page).
fn redirect_target(expr: &Expr) -> Option<Vec<String>> {
    let Expr::Call(call) = expr else { return None };
    if called_name(expr) != Some("redirect") {
        return None;
    }
    let target = call.arguments.args.first().and_then(|arg| match arg {
        Expr::Call(inner) if called_name(arg) == Some("url_for") => match inner.arguments.args.first() {
            Some(Expr::StringLiteral(s)) => Some(s.value.to_str().to_string()),
            _ => None,
        },
        Expr::StringLiteral(s) => {
            let path = s.value.to_str().split(['?', '#']).next().unwrap_or_default();
            (path.starts_with('/') && path.len() > 1 && !path.starts_with("//")).then(|| path.to_string())
        }
        _ => None,
    });
    Some(target.into_iter().collect())
}

/// `return body, 401` / `return jsonify(...), 403`.
fn returns_denied_status(expr: &Expr) -> bool {
    let Expr::Tuple(tuple) = expr else { return false };
    tuple.elts.iter().skip(1).any(|e| match e {
        Expr::NumberLiteral(n) => matches!(n.value.as_int().and_then(|i| i.as_u16()), Some(401 | 403)),
        _ => false,
    })
}

/// A test that reads only the request's URL or scheme.
fn only_url(test: &Expr) -> bool {
    struct Reads {
        url: bool,
        other: bool,
    }
    impl<'a> Visitor<'a> for Reads {
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Attribute(attr)
                    if matches!(&*attr.value, Expr::Name(n) if n.id.as_str() == "request")
                        && matches!(
                            attr.attr.as_str(),
                            "is_secure" | "scheme" | "path" | "url" | "full_path" | "base_url" | "host" | "url_root"
                        ) =>
                {
                    self.url = true;
                }
                Expr::Name(_) | Expr::Attribute(_) => self.other = true,
                _ => walk_expr(self, expr),
            }
        }
    }
    let mut reads = Reads { url: false, other: false };
    reads.visit_expr(test);
    reads.url && !reads.other
}

fn calls_name(body: &[Stmt], name: &str) -> bool {
    struct Finder<'n> {
        name: &'n str,
        found: bool,
    }
    impl<'a> Visitor<'a> for Finder<'_> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr {
                if matches!(&*call.func, Expr::Name(n) if n.id.as_str() == self.name) {
                    self.found = true;
                }
            }
            walk_expr(self, expr);
        }
    }
    let mut finder = Finder { name, found: false };
    for stmt in body {
        finder.visit_stmt(stmt);
    }
    finder.found
}

fn called_name(expr: &Expr) -> Option<&str> {
    let Expr::Call(call) = expr else { return None };
    plain_name(&call.func)
}

/// `abort` or `flask.abort` → `abort`.
fn plain_name(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => Some(a.attr.as_str()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::gate_redirects;
    use ruff_python_ast::Stmt;

    fn first_def(source: &str) -> Option<Vec<String>> {
        let project = retort_python::Project::from_sources(&[("gates.py", source)]);
        let module = &project.modules[0];
        let Some(Stmt::FunctionDef(def)) = module.ast.body.iter().find(|s| s.is_function_def_stmt()) else {
            panic!("no def")
        };
        gate_redirects(def)
    }

    #[test]
    fn a_decorator_that_turns_unknown_callers_away_is_a_gate() {
        let redirecting = r#"
def id_required(f):
    @wraps(f)
    def decorated(*args, **kwargs):
        client = Client.query.filter(Client.address == request.remote_addr).first()
        if client is None:
            flash("No user ID set.")
            return redirect(url_for("identify"))
        return f(*args, **kwargs)
    return decorated
"#;
        assert_eq!(first_def(redirecting), Some(vec!["identify".to_string()]));
        let aborting = r#"
def member_only(view):
    def wrapper(*a, **kw):
        if not g.member:
            abort(403)
        return view(*a, **kw)
    return wrapper
"#;
        assert_eq!(first_def(aborting), Some(vec![]));
        let status = r#"
def key_checked(view):
    def wrapper(*a, **kw):
        if request.headers.get("X-Key") != KEY:
            return {"error": "bad key"}, 401
        return view(*a, **kw)
    return wrapper
"#;
        assert_eq!(first_def(status), Some(vec![]));
    }

    #[test]
    fn decorators_that_redirect_for_the_url_or_deny_nothing_are_not_gates() {
        let https = r#"
def ssl_required(view):
    def wrapper(*a, **kw):
        if not request.is_secure:
            return redirect(request.url.replace("http://", "https://"))
        return view(*a, **kw)
    return wrapper
"#;
        assert_eq!(first_def(https), None);
        let validating = r#"
def json_body(view):
    def wrapper(*a, **kw):
        if not request.is_json:
            abort(400)
        return view(*a, **kw)
    return wrapper
"#;
        assert_eq!(first_def(validating), None);
        let timing = r#"
def timed(view):
    def wrapper(*a, **kw):
        start = time.time()
        result = view(*a, **kw)
        log(time.time() - start)
        return result
    return wrapper
"#;
        assert_eq!(first_def(timing), None);
    }
}
