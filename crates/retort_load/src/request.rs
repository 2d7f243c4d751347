//! Requests of a plan and their rendering into bytes on the wire.

use std::collections::HashMap;

use bytes::Bytes;

use crate::check::Check;
use crate::data::DataSet;
use crate::extract::{Extraction, Source};
use crate::http1::Capture;
use crate::template::{Piece, Template};

/// A virtual user's variables extracted from responses.
pub type SessionVars = HashMap<String, String>;

/// Where a template variable takes its value from.
#[derive(Debug, Clone)]
pub enum Binding {
    /// A column of a data set (index of the set, index of the column).
    Data {
        /// Index of the data set in the plan.
        set: usize,
        /// Index of the column in the set.
        column: usize,
    },
    /// A fixed value (scenario or request variable, converter default).
    Const(String),
    /// The sequence number of the request within its connection.
    Sequence,
    /// A variable the virtual user extracted from a response.
    Session(String),
}

/// A request body template.
#[derive(Debug, Clone)]
pub enum Body {
    /// Text as written (a raw body, or JSON).
    Raw(Template),
    /// Form fields, sent as `application/x-www-form-urlencoded`; values are
    /// encoded after their placeholders are filled.
    Form(Vec<(String, Template)>),
}

impl Body {
    fn templates(&self) -> Vec<&Template> {
        match self {
            Body::Raw(t) => vec![t],
            Body::Form(fields) => fields.iter().map(|(_, t)| t).collect(),
        }
    }

    fn render(&self, value: &mut dyn FnMut(&str, &mut String)) -> String {
        match self {
            Body::Raw(template) => {
                let mut out = String::new();
                template.render_into(&mut out, value);
                out
            }
            Body::Form(fields) => {
                let mut form = form_urlencoded::Serializer::new(String::new());
                for (name, template) in fields {
                    let mut text = String::new();
                    template.render_into(&mut text, value);
                    form.append_pair(name, &text);
                }
                form.finish()
            }
        }
    }
}

/// One named request of a plan.
#[derive(Debug, Clone)]
pub struct RequestPlan {
    /// The name metrics are grouped under (a request name or a route rule).
    pub name: String,
    /// HTTP method.
    pub method: String,
    /// Path and query (already prefixed with the URL's base path).
    pub path: Template,
    /// Extra headers.
    pub headers: Vec<(String, Template)>,
    /// Body, if any.
    pub body: Option<Body>,
    /// Relative weight among the plan's requests.
    pub weight: u32,
    /// Statuses that count as success; empty means any status below 400.
    pub expect: Vec<u16>,
    /// Values of the variables used by the templates, by name.
    pub bindings: Vec<(String, Binding)>,
    /// The request rendered once, when it uses no variables.
    pub rendered: Option<Rendered>,
    /// A login step: run once per virtual user, in order, before its
    /// weighted requests; never picked by weight.
    pub login: bool,
    /// Checks judged on every response (extractions add their own).
    pub checks: Vec<Check>,
    /// Values taken from every response into the virtual user's variables.
    pub extractions: Vec<Extraction>,
}

/// A request ready to send.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// Path and query.
    pub path: String,
    /// Headers given by the plan (without Host, Content-Length).
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Bytes,
    /// The full HTTP/1.1 request.
    pub wire: Bytes,
}

impl RequestPlan {
    /// Whether a response status counts as success.
    pub fn is_success(&self, status: u16) -> bool {
        if self.expect.is_empty() {
            status < 400
        } else {
            self.expect.contains(&status)
        }
    }

    /// True when a HEAD request (whose response has no body).
    pub fn is_head(&self) -> bool {
        self.method.eq_ignore_ascii_case("HEAD")
    }

    /// What of its responses the request needs: headers for a cookie jar
    /// or header checks and extractions, the body for the others.
    pub fn capture(&self, cookie_jar: bool) -> Capture {
        let body = self.checks.iter().any(Check::needs_body)
            || self.extractions.iter().any(|e| !matches!(e.source, Source::Header(_) | Source::Cookie(_)));
        let headers = cookie_jar || !self.checks.is_empty() || !self.extractions.is_empty();
        Capture { headers, body }
    }

    /// Renders the request with fresh variable values.
    pub fn render(&self, authority: &str, data: &[DataSet], rng: &mut fastrand::Rng, sequence: u64) -> Rendered {
        self.render_session(authority, data, rng, sequence, &SessionVars::new())
    }

    /// Renders the request with a virtual user's extracted variables.
    pub fn render_session(
        &self,
        authority: &str,
        data: &[DataSet],
        rng: &mut fastrand::Rng,
        sequence: u64,
        session: &SessionVars,
    ) -> Rendered {
        // One row per data set per request, so columns of a row stay together.
        let mut rows: Vec<Option<usize>> = vec![None; data.len()];
        let mut value = |name: &str, out: &mut String| {
            let Some((_, binding)) = self.bindings.iter().find(|(n, _)| n == name) else {
                return;
            };
            match binding {
                Binding::Data { set, column } => {
                    let row = *rows[*set].get_or_insert_with(|| data[*set].pick_row(rng));
                    out.push_str(data[*set].value(row, *column));
                }
                Binding::Const(text) => out.push_str(text),
                Binding::Sequence => out.push_str(&sequence.to_string()),
                Binding::Session(variable) => out.push_str(session.get(variable).map(String::as_str).unwrap_or("")),
            }
        };
        let render = |template: &Template, value: &mut dyn FnMut(&str, &mut String)| {
            let mut out = String::new();
            template.render_into(&mut out, value);
            out
        };
        let path = render(&self.path, &mut value);
        let headers =
            self.headers.iter().map(|(name, template)| (name.clone(), render(template, &mut value))).collect();
        let body = self.body.as_ref().map(|body| Bytes::from(body.render(&mut value))).unwrap_or_default();
        self.assemble(authority, path, headers, body)
    }

    /// Builds the wire form from rendered parts.
    pub fn assemble(&self, authority: &str, path: String, headers: Vec<(String, String)>, body: Bytes) -> Rendered {
        assemble_as(&self.method, authority, path, headers, body)
    }

    /// Renders and stores the request when it uses no variables.
    pub fn prerender(&mut self, authority: &str) {
        let uses_variables = !self.path.is_static()
            || self.headers.iter().any(|(_, t)| !t.is_static())
            || self.body.as_ref().is_some_and(|b| b.templates().iter().any(|t| !t.is_static()));
        if uses_variables {
            self.rendered = None;
            return;
        }
        let path = self.path.render_static();
        let headers = self.headers.iter().map(|(n, t)| (n.clone(), t.render_static())).collect();
        let body = self.body.as_ref().map(|b| Bytes::from(b.render(&mut |_, _| {}))).unwrap_or_default();
        self.rendered = Some(self.assemble(authority, path, headers, body));
    }

    /// Variables used by the request's templates.
    pub fn variables(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        let body = self.body.as_ref().map(Body::templates).unwrap_or_default();
        let templates = std::iter::once(&self.path).chain(self.headers.iter().map(|(_, t)| t)).chain(body);
        for template in templates {
            for piece in template.pieces() {
                if let Piece::Var(name) = piece {
                    if !names.contains(name) {
                        names.push(name.clone());
                    }
                }
            }
        }
        names
    }
}

impl Rendered {
    /// The same request with a cookie jar's `Cookie` header value added
    /// (joined to a `Cookie` header the scenario set, if any).
    pub fn with_cookie(&self, method: &str, authority: &str, cookie: &str) -> Rendered {
        let mut headers = self.headers.clone();
        match headers.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case("cookie")) {
            Some((_, existing)) => *existing = format!("{existing}; {cookie}"),
            None => headers.push(("Cookie".into(), cookie.to_string())),
        }
        assemble_as(method, authority, self.path.clone(), headers, self.body.clone())
    }
}

/// Builds the HTTP/1.1 wire form of a request with `method`.
pub fn assemble_as(
    method: &str,
    authority: &str,
    path: String,
    headers: Vec<(String, String)>,
    body: Bytes,
) -> Rendered {
    let mut wire = Vec::with_capacity(64 + path.len() + body.len());
    wire.extend_from_slice(method.as_bytes());
    wire.push(b' ');
    wire.extend_from_slice(path.as_bytes());
    wire.extend_from_slice(b" HTTP/1.1\r\nHost: ");
    wire.extend_from_slice(authority.as_bytes());
    wire.extend_from_slice(b"\r\n");
    let has = |wanted: &str| headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(wanted));
    if !has("user-agent") {
        wire.extend_from_slice(b"User-Agent: retort-load\r\n");
    }
    for (name, value) in &headers {
        if name.eq_ignore_ascii_case("host") || name.eq_ignore_ascii_case("content-length") {
            continue;
        }
        wire.extend_from_slice(name.as_bytes());
        wire.extend_from_slice(b": ");
        wire.extend_from_slice(value.as_bytes());
        wire.extend_from_slice(b"\r\n");
    }
    let needs_length = !body.is_empty() || matches!(method.to_ascii_uppercase().as_str(), "POST" | "PUT" | "PATCH");
    if needs_length {
        wire.extend_from_slice(format!("Content-Length: {}\r\n", body.len()).as_bytes());
    }
    wire.extend_from_slice(b"\r\n");
    wire.extend_from_slice(&body);
    Rendered { path, headers, body, wire: Bytes::from(wire) }
}
