//! Flask-Classful: `class AccountAPI(FlaskView)` registered with
//! `AccountAPI.register(app, route_prefix="/api/v3_0")`.
//!
//! As `FlaskView.register` does (Flask-Classful 0.16): every public
//! function of the class and its project bases (by name, sorted; not those
//! starting with `before_`/`after_`, not `excluded_methods`, not
//! classmethods or properties) becomes a rule under `route_prefix` and
//! `route_base` (default: the class name without `View`, dashed and
//! lowercased). `index`, `get`, `post`, `put`, `patch` and `delete` take
//! their HTTP method and the rule `/` plus the function's required
//! arguments (`<id>`, `<int:id>` from an `int` annotation); methods with
//! `@route(rule, ...)` take those rules; other methods are
//! `/<name>/<args>` with `GET` (or `default_methods`). Trailing slashes
//! follow `trailing_slash`, repeated slashes are collapsed, and the
//! endpoint is `Class:method` (`Class:method_1` for the second of several
//! `@route`s, or the `endpoint=` given).

use std::rc::Rc;

use crate::flask_api::app_or_blueprint_method;
use crate::interp::{Frame, Interpreter};
use crate::value::{CallArgs, ClassValue, FunctionValue, MroEntry, Site, Value};

/// The names `FlaskView` itself defines: never routed.
const FLASK_VIEW_NAMES: &[&str] = &[
    "decorators",
    "representations",
    "route_base",
    "route_prefix",
    "trailing_slash",
    "base_args",
    "excluded_methods",
    "method_dashified",
    "special_methods",
    "type_hints",
    "register",
    "parse_options",
    "make_proxy_method",
    "build_rule",
    "get_route_base",
    "default_route_base",
    "build_route_name",
];

/// Whether a project class derives from Flask-Classful's `FlaskView`.
pub fn is_flask_view(class: &ClassValue<'_>) -> bool {
    class.external_bases().iter().any(|base| matches!(&**base, "flask_classful.FlaskView" | "flask_classy.FlaskView"))
}

/// `View.register(app_or_blueprint, route_base=..., route_prefix=..., ...)`.
pub fn register<'p>(
    interp: &mut Interpreter<'p>,
    frame: &mut Frame<'p>,
    class: &Rc<ClassValue<'p>>,
    call: &CallArgs<'p>,
    site: Site,
) -> Value<'p> {
    let Some(Value::Object(target)) = call.arg(0, "app").cloned() else {
        return Value::unknown("Flask-Classful view registered on an object not known statically");
    };
    let setting =
        |name: &str| call.keyword(name).filter(|v| v.truthy() == Some(true)).cloned().or_else(|| class.lookup(name));
    let text = |value: Option<Value<'p>>| value.and_then(|v| v.as_str().map(str::to_string));
    let route_prefix = text(setting("route_prefix")).unwrap_or_default();
    let trailing_slash = match call.keyword("trailing_slash").cloned().or_else(|| class.lookup("trailing_slash")) {
        Some(Value::Bool(flag)) => flag,
        Some(Value::None) | None => true,
        Some(_) => return Value::unknown("Flask-Classful `trailing_slash` known only at run time"),
    };
    let dashified = matches!(
        call.keyword("method_dashified").cloned().or_else(|| class.lookup("method_dashified")),
        Some(Value::Bool(true))
    );
    let (route_base, base_args) = match text(setting("route_base")) {
        Some(base) => {
            let args = rule_arguments(&base);
            (base.trim_matches('/').to_string(), args)
        }
        None => (default_route_base(class.name()), Vec::new()),
    };
    let excluded: Vec<String> = class
        .lookup("excluded_methods")
        .and_then(|v| v.iter_items())
        .map(|items| items.iter().filter_map(|i| i.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    let default_methods = class
        .lookup("default_methods")
        .and_then(|v| v.iter_items())
        .map(|items| items.iter().filter_map(|i| i.as_str().map(str::to_string)).collect::<Vec<_>>())
        .unwrap_or_else(|| vec!["GET".to_string()]);
    let subdomain = call.keyword("subdomain").cloned();
    let build = |rule: &str, method: Option<&FunctionValue<'p>>| {
        let mut parts: Vec<String> = Vec::new();
        if !route_prefix.is_empty() {
            parts.push(route_prefix.clone());
        }
        if !route_base.is_empty() {
            parts.push(route_base.clone());
        }
        if !rule.is_empty() {
            parts.push(rule.to_string());
        }
        if let Some(method) = method {
            let postponed = postponed_annotations(interp.project, method.module);
            parts.extend(required_arguments(method, &base_args, postponed));
        }
        collapse_slashes(&format!("/{}", parts.join("/")))
    };
    for (name, function) in routed_functions(class, &excluded) {
        let endpoint = format!("{}:{name}", class.name());
        let mut rules: Vec<(String, String, Option<Vec<String>>)> = Vec::new();
        let exposes = function.exposes.borrow().clone();
        if !exposes.is_empty() {
            let several = exposes.len() > 1;
            for (index, expose) in exposes.iter().enumerate() {
                let Ok(url) = &expose.url else { continue };
                let name = match &expose.endpoint {
                    Some(given) => given.clone(),
                    None if several => format!("{endpoint}_{index}"),
                    None => endpoint.clone(),
                };
                rules.push((build(url, None), name, expose.methods.clone()));
            }
        } else if let Some(method) = special_method(&name) {
            let mut rule = build("/", Some(&function));
            if !trailing_slash && rule != "/" {
                rule = rule.trim_end_matches('/').to_string();
            } else if trailing_slash && !rule.ends_with('/') {
                rule.push('/');
            }
            rules.push((rule, endpoint, Some(vec![method.to_string()])));
        } else {
            let shown = if dashified { name.replace('_', "-") } else { name.clone() };
            let route = if trailing_slash { format!("/{shown}/") } else { format!("/{shown}") };
            let mut rule = build(&route, Some(&function));
            if trailing_slash && !rule.ends_with('/') {
                rule.push('/');
            }
            rules.push((rule, endpoint, Some(default_methods.clone())));
        }
        for (rule, endpoint, methods) in rules {
            let mut keywords = Vec::new();
            if let Some(methods) = methods {
                keywords.push(("methods".to_string(), Value::list(methods.iter().map(Value::str).collect())));
            }
            if let Some(subdomain) = &subdomain {
                keywords.push(("subdomain".to_string(), subdomain.clone()));
            }
            let view = Value::Function(function.clone());
            let args = CallArgs { positional: vec![Value::str(&rule), Value::str(&endpoint), view], keywords };
            app_or_blueprint_method(interp, frame, target, "add_url_rule", args, site);
        }
    }
    Value::None
}

/// The routed functions of a view class, closest definition first by
/// name, sorted by name as `inspect.getmembers` returns them.
fn routed_functions<'p>(class: &Rc<ClassValue<'p>>, excluded: &[String]) -> Vec<(String, Rc<FunctionValue<'p>>)> {
    let mut found: std::collections::BTreeMap<String, Option<Rc<FunctionValue<'p>>>> = Default::default();
    for entry in class.mro() {
        let MroEntry::Class(current) = entry else { continue };
        for (name, value) in current.attrs.borrow().iter() {
            if found.contains_key(name) {
                continue;
            }
            let routed = match value {
                Value::Function(function) => {
                    let decorators = function.decorators.borrow();
                    let bound = decorators.iter().any(|d| {
                        matches!(d.name.as_str(), "classmethod" | "property" | "cached_property")
                            || d.name.ends_with(".property")
                            || d.name.ends_with(".cached_property")
                    });
                    (!bound).then(|| function.clone())
                }
                _ => None,
            };
            found.insert(name.clone(), routed);
        }
    }
    found
        .into_iter()
        .filter_map(|(name, function)| Some((name, function?)))
        .filter(|(name, _)| {
            !name.starts_with('_')
                && !name.starts_with("before_")
                && !name.starts_with("after_")
                && !FLASK_VIEW_NAMES.contains(&name.as_str())
                && !excluded.contains(name)
        })
        .collect()
}

fn special_method(name: &str) -> Option<&'static str> {
    Some(match name {
        "get" | "index" => "GET",
        "put" => "PUT",
        "patch" => "PATCH",
        "post" => "POST",
        "delete" => "DELETE",
        _ => return None,
    })
}

/// Whether a module has `from __future__ import annotations`: its
/// annotations are strings at run time, which Flask-Classful's type-hint
/// table does not match, so no converter is derived from them.
fn postponed_annotations(project: &retort_python::Project, module: usize) -> bool {
    project.module(module).ast.body.iter().any(|stmt| match stmt {
        ruff_python_ast::Stmt::ImportFrom(import) => {
            import.module.as_ref().is_some_and(|m| m.as_str() == "__future__")
                && import.names.iter().any(|a| a.name.as_str() == "annotations")
        }
        _ => false,
    })
}

/// `<arg>` parts for the function's arguments without defaults (not
/// `self`, not the route base's own arguments), with the converter of an
/// `int`, `float`, `str` or `UUID` annotation (unless annotations are
/// postponed).
fn required_arguments(function: &FunctionValue<'_>, base_args: &[String], postponed: bool) -> Vec<String> {
    let parameters = &function.def.parameters;
    let positional: Vec<_> = parameters.posonlyargs.iter().chain(&parameters.args).collect();
    let with_defaults = positional.iter().filter(|p| p.default.is_some()).count();
    let mut parts = Vec::new();
    for (index, parameter) in positional.iter().enumerate() {
        let name = parameter.parameter.name.as_str();
        if name == "self" || base_args.iter().any(|a| a == name) {
            continue;
        }
        if with_defaults > 0 && positional.len() - index <= with_defaults {
            continue;
        }
        let converter = match parameter.parameter.annotation.as_deref().filter(|_| !postponed) {
            Some(ruff_python_ast::Expr::Name(n)) => match n.id.as_str() {
                "int" => Some("int"),
                "float" => Some("float"),
                "str" => Some("string"),
                "UUID" => Some("uuid"),
                _ => None,
            },
            _ => None,
        };
        parts.push(match converter {
            Some(converter) => format!("<{converter}:{name}>"),
            None => format!("<{name}>"),
        });
    }
    parts
}

/// The variable names of a rule (`/users/<int:user_id>` gives `user_id`).
fn rule_arguments(rule: &str) -> Vec<String> {
    rule.split('<')
        .skip(1)
        .filter_map(|part| part.split_once('>').map(|(inner, _)| inner.rsplit(':').next().unwrap_or(inner).to_string()))
        .collect()
}

/// `AccountCrudUI` → `account-crud-ui`; `TodoView` → `todo`, as
/// Flask-Classful's `_dashify_uppercase` does.
fn default_route_base(class_name: &str) -> String {
    let name = class_name.strip_suffix("View").unwrap_or(class_name);
    let chars: Vec<char> = name.chars().collect();
    // '(.)([A-Z][a-z]+)' → '\1-\2', then '([a-z0-9])([A-Z])' → '\1-\2'.
    let mut first = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if i > 0 && c.is_ascii_uppercase() && chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase()) {
            first.push('-');
        }
        first.push(c);
    }
    let chars: Vec<char> = first.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if i > 0 && c.is_ascii_uppercase() && (chars[i - 1].is_ascii_lowercase() || chars[i - 1].is_ascii_digit()) {
            out.push('-');
        }
        out.push(c);
    }
    out.to_lowercase().trim_matches('/').to_string()
}

fn collapse_slashes(rule: &str) -> String {
    let mut out = String::with_capacity(rule.len());
    for c in rule.chars() {
        if c == '/' && out.ends_with('/') {
            continue;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_bases_follow_flask_classful() {
        assert_eq!(default_route_base("AccountCrudUI"), "account-crud-ui");
        assert_eq!(default_route_base("TodoView"), "todo");
        assert_eq!(default_route_base("HTTPStatusView"), "http-status");
        assert_eq!(rule_arguments("/users/<int:user_id>/<name>"), vec!["user_id", "name"]);
        assert_eq!(collapse_slashes("/api//accounts///<id>"), "/api/accounts/<id>");
    }
}
