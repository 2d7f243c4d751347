//! SEC014: the documentation is [`DOC`].

use ruff_python_ast::Expr;

use crate::checker::helpers::dotted;
use retort_dataflow::SinkKind;

use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::taint::{SinkFinder, SinkSite, TaintCheck};

pub const RULE: Rule = Rule {
    code: "SEC014",
    name: "cross-site-scripting",
    category: Category::Security,
    severity: Severity::Error,
    cwe: Some(79),
    summary: "HTML built from request data without escaping",
    doc: DOC,
};

/// The engine's `xss` sinks, and those [`sink`] finds.
pub const TAINT: TaintCheck = TaintCheck { kind: SinkKind::Xss, sink: Some(SinkFinder::One(sink)) };

pub const DOC: &str = r#"
## What it does
Flags request data reaching `Markup()` (which marks text as safe HTML),
`make_response()` or `Response()` bodies built as text (f-strings, `+`,
`%`, `.format()`), or a `render_template()` variable that the template
prints without escaping (`{{ bio|safe }}`, or inside `{% autoescape false
%}`; the template is found under the project's `templates/` folders),
unless it passed through `escape()`; also a view that returns text
built by hand from request data — HTML (`return f"<p>{q}</p>"`, high
confidence) or plain words (`return f"Unknown origin: {origin}", 404`,
medium confidence: Flask serves a returned string as `text/html`, so
markup in the data is rendered). Non-HTML mimetypes are not flagged, nor
are methods of Flask-RESTful and Flask-RESTX resources, whose return
values are serialised as JSON. Request data that chooses a response's
media type (`send_file(…, mimetype=request.args["type"])`,
`Response(…, mimetype=…)` or `content_type=…`) is flagged too: with
`text/html` the browser renders whatever the body holds.
Only the first unescaped variable of a `render_template()` call is
followed, and templates pulled in with `{% include %}` are not read.

## Why is this bad?
Jinja escapes template variables, but `Markup` turns that off and a
response body built by hand never had it: `<script>` sent in a parameter
runs in the victim's browser with their session (reflected XSS).

## Example
```python
q = request.args.get("q", "")
return make_response(f"<p>No results for {q}</p>")
```

Use instead:
```python
q = request.args.get("q", "")
return render_template("search.html", q=q)  # or escape(q)
```

## References
- [Flask: Security Considerations — XSS](https://flask.palletsprojects.com/en/latest/web-security/#cross-site-scripting-xss)
- [CWE-79](https://cwe.mitre.org/data/definitions/79.html)
"#;

pub fn sink<'a>(site: &SinkSite<'a, '_>) -> Option<&'a Expr> {
    let call = site.call;
    match dotted(&call.func)?.as_str() {
        "Markup" | "markupsafe.Markup" | "flask.Markup" | "jinja2.Markup" => {
            call.arguments.find_argument_value("base", 0)
        }
        "make_response" | "flask.make_response" | "Response" | "flask.Response" => {
            // `Response(csv_text, mimetype="text/csv")` is not rendered as HTML.
            let not_html = ["mimetype", "content_type"].iter().any(|k| {
                call.arguments
                    .find_keyword(k)
                    .and_then(|kw| crate::checker::helpers::string_value(&kw.value))
                    .is_some_and(|v| !v.contains("html"))
            });
            if not_html {
                return None;
            }
            // A body built as text here; a name may hold a dict (sent as JSON).
            call.arguments.find_argument_value("response", 0).filter(|body| is_text_built(body))
        }
        // `render_template("t.html", bio=bio)` where t.html prints `{{ bio|safe }}`.
        "render_template" | "flask.render_template" => {
            let name =
                crate::checker::helpers::string_value(call.arguments.find_argument_value("template_name_or_list", 0)?)?;
            let unescaped = site.templates.unescaped_variables(name);
            call.arguments
                .keywords
                .iter()
                .filter(|k| k.arg.as_ref().is_some_and(|a| unescaped.iter().any(|u| u == a.as_str())))
                .map(|k| &k.value)
                .find(|value| !value.is_literal_expr())
        }
        _ => None,
    }
}

/// f-strings, `+`, `%`, `.format()`/`.join()` and direct `request.…` reads.
fn is_text_built(expr: &Expr) -> bool {
    match expr {
        Expr::FString(_) | Expr::BinOp(_) => true,
        Expr::Call(call) => {
            matches!(&*call.func, Expr::Attribute(a) if a.attr.as_str() == "format" || a.attr.as_str() == "join")
                || dotted(&call.func).is_some_and(|d| d.starts_with("request."))
        }
        Expr::Attribute(_) | Expr::Subscript(_) => dotted_root(expr) == Some("request"),
        _ => false,
    }
}

fn dotted_root(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => dotted_root(&a.value),
        Expr::Subscript(s) => dotted_root(&s.value),
        Expr::Call(c) => dotted_root(&c.func),
        _ => None,
    }
}
