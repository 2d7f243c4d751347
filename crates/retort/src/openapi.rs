//! OpenAPI 3.1 from the catalog's routes: one operation per method,
//! path parameters typed from Werkzeug converters.

use std::collections::{BTreeMap, HashSet};

use retort_flask::Catalog;
use serde_json::{json, Map, Value};

/// One `<converter(args):name>` of a Flask rule.
#[derive(Debug, PartialEq)]
pub struct RuleParameter {
    pub name: String,
    pub converter: String,
    pub args: String,
}

/// Splits a Flask rule into an OpenAPI path and its parameters.
pub fn convert_rule(rule: &str) -> (String, Vec<RuleParameter>) {
    let mut path = String::new();
    let mut params = Vec::new();
    let mut rest = rule;
    while let Some(start) = rest.find('<') {
        path.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            path.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let inner = &rest[start + 1..start + end];
        let (converter_part, name) = match inner.rsplit_once(':') {
            Some((conv, name)) => (conv, name),
            None => ("default", inner),
        };
        let (converter, args) = match converter_part.split_once('(') {
            Some((c, a)) => (c.trim(), a.trim_end_matches(')')),
            None => (converter_part.trim(), ""),
        };
        path.push('{');
        path.push_str(name.trim());
        path.push('}');
        params.push(RuleParameter {
            name: name.trim().to_string(),
            converter: converter.to_string(),
            args: args.to_string(),
        });
        rest = &rest[start + end + 1..];
    }
    path.push_str(rest);
    (path, params)
}

fn parameter_schema(param: &RuleParameter) -> Value {
    match param.converter.as_str() {
        "int" => json!({"type": "integer"}),
        "float" => json!({"type": "number"}),
        "uuid" => json!({"type": "string", "format": "uuid"}),
        "path" => json!({"type": "string", "description": "may contain slashes"}),
        "any" => {
            let options: Vec<String> = param
                .args
                .split(',')
                .map(|a| a.trim().trim_matches(['"', '\'']).to_string())
                .filter(|a| !a.is_empty())
                .collect();
            json!({"type": "string", "enum": options})
        }
        "default" | "string" => json!({"type": "string"}),
        custom => json!({"type": "string", "description": format!("custom converter `{custom}`")}),
    }
}

/// Builds the document. Static-file routes and unresolved routes are left
/// out (the latter are listed under `x-retort-unresolved`).
pub fn build(catalog: &Catalog, title: &str, version: &str, app: Option<&str>) -> Value {
    let mut paths: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    let mut operation_ids: HashSet<String> = HashSet::new();
    let mut tags: BTreeMap<String, ()> = BTreeMap::new();
    let mut unresolved = Vec::new();
    for route in &catalog.routes {
        if app.is_some_and(|a| route.app.as_deref() != Some(a)) {
            continue;
        }
        let (Some(rule), Some(endpoint), None) = (&route.rule, &route.endpoint, &route.unresolved) else {
            unresolved.push(json!({"rule": route.rule, "file": route.file, "line": route.line, "reason": route.unresolved.as_ref().map(|u| u.reason.clone())}));
            continue;
        };
        if endpoint == "static" || endpoint.ends_with(".static") {
            continue;
        }
        let (path, params) = convert_rule(rule);
        let parameters: Vec<Value> = params
            .iter()
            .map(|p| json!({"name": p.name, "in": "path", "required": true, "schema": parameter_schema(p)}))
            .collect();
        let entry = paths.entry(path).or_default();
        for method in &route.methods {
            let key = method.to_ascii_lowercase();
            if !matches!(key.as_str(), "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace")
                || entry.contains_key(&key)
            {
                continue;
            }
            let mut operation_id =
                if route.methods.len() == 1 { endpoint.clone() } else { format!("{endpoint}_{key}") };
            while !operation_ids.insert(operation_id.clone()) {
                operation_id.push('_');
            }
            let mut operation = json!({
                "operationId": operation_id,
                "responses": {"default": {"description": "Response of the view (not inferred statically)"}},
                "x-retort-location": format!("{}:{}", route.file, route.line),
            });
            if let Some(view) = &route.view {
                operation["x-retort-view"] = json!(view);
            }
            if let Some(doc) = &route.doc {
                operation["summary"] = json!(doc);
            }
            if let Some(blueprint) = &route.blueprint {
                operation["tags"] = json!([blueprint]);
                tags.insert(blueprint.clone(), ());
            }
            if !parameters.is_empty() {
                operation["parameters"] = json!(parameters);
            }
            let guards: Vec<&str> = route.guards.iter().filter(|g| g.auth).map(|g| g.name.as_str()).collect();
            if !guards.is_empty() {
                operation["x-retort-guards"] = json!(guards);
            }
            entry.insert(key, operation);
        }
    }
    let mut document = json!({
        "openapi": "3.1.0",
        "info": {"title": title, "version": version, "description": format!("Generated statically by {} from the Flask routes.", catalog.tool)},
        "paths": paths,
        "tags": tags.keys().map(|t| json!({"name": t})).collect::<Vec<_>>(),
    });
    if !unresolved.is_empty() {
        document["x-retort-unresolved"] = json!(unresolved);
    }
    document
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_rules() {
        let (path, params) = convert_rule("/users/<int:user_id>/files/<path:name>");
        assert_eq!(path, "/users/{user_id}/files/{name}");
        assert_eq!(params[0].converter, "int");
        assert_eq!(params[1].name, "name");
        let (path, params) = convert_rule("/p/<slug>/<any(a, b):kind>/<int(min=1):n>");
        assert_eq!(path, "/p/{slug}/{kind}/{n}");
        assert_eq!(params[0].converter, "default");
        assert_eq!(params[1].args, "a, b");
        assert_eq!(params[2].converter, "int");
        assert_eq!(parameter_schema(&params[1]), json!({"type": "string", "enum": ["a", "b"]}));
    }
}
