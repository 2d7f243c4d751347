//! Connexion: routes declared in an OpenAPI (or Swagger 2) document.
//!
//! `connexion.FlaskApp(__name__, specification_dir=...)` (and connexion 2's
//! `connexion.App`) wraps a Flask app (`.app`); `add_api("api.yaml",
//! base_path=...)` reads the document and registers one rule per operation
//! on a blueprint named after the base path. Connexion 2's
//! `FlaskApi(specification=document, base_path=...)` builds that blueprint
//! (`.blueprint`) from a document the project loaded itself (Airflow's
//! `yaml.safe_load` of `api_connexion/openapi/v1.yaml`, see `data_files`).
//!
//! As connexion does: the base path is the `base_path` argument, else the
//! path of the document's first server URL (OpenAPI 3) or its `basePath`
//! (Swagger 2), without a trailing slash; `{name}` path templates become
//! `<name>` with the converter of the parameter's type (`integer` → `int`,
//! `number` → `float`, `string` with format `path` → `path`); the endpoint
//! is `x-openapi-router-controller` + `.` + `operationId` with dots
//! replaced by underscores, under the blueprint named like the base path
//! (`/v1.annif_rest_show_info`). The view is the project function the
//! operation names, when it is in the project. Operations without an
//! `operationId` are reported as unresolved. Connexion's own routes (the
//! Swagger UI, `openapi.json`) are the library's and are not listed.

use std::rc::Rc;

use serde_json::Value as Json;

use crate::flask_api::{app_or_blueprint_method, create_object, import_by_string, make_app, make_blueprint};
use crate::interp::{Frame, Interpreter, LooseRegistration};
use crate::objects::{ExtensionObject, ObjId, Object};
use crate::value::{CallArgs, Site, Value};

const HTTP_METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Canonical names of connexion's app classes (wrapping a Flask app).
pub fn is_app_class(name: &str) -> bool {
    matches!(
        name,
        "connexion.FlaskApp"
            | "connexion.App"
            | "connexion.apps.flask.FlaskApp"
            | "connexion.apps.flask_app.FlaskApp"
            | "connexion.apps.FlaskApp"
    )
}

/// Canonical names of connexion 2's API class building a blueprint.
pub fn is_api_class(name: &str) -> bool {
    matches!(name, "connexion.FlaskApi" | "connexion.apis.flask_api.FlaskApi" | "connexion.apis.FlaskApi")
}

/// `connexion.FlaskApp(import_name, specification_dir=...)`: an extension
/// object whose `app` attribute is the Flask app it wraps.
pub fn make_connexion_app<'p>(interp: &mut Interpreter<'p>, class: &str, call: &CallArgs<'p>, site: Site) -> ObjId {
    let import_name = call.arg(0, "import_name").cloned().unwrap_or_else(|| Value::str("app"));
    let flask_call = CallArgs { positional: vec![import_name], keywords: Vec::new() };
    let app = make_app(interp, &flask_call, site, class.to_string());
    let id = extension(interp, class, site);
    // connexion reads a relative `specification_dir` from the folder of
    // the `import_name` module (its root path), as Flask does.
    let directory = match call.keyword("specification_dir") {
        Some(Value::Str(dir)) if !dir.starts_with('/') => {
            match crate::flask_api::object_attribute(interp, app, "root_path") {
                Value::Str(root) => Some(Value::str(crate::paths::normpath(&format!("{root}/{dir}")))),
                _ => Some(Value::Str(dir.clone())),
            }
        }
        other => other.cloned(),
    };
    let attrs = interp.object_attrs.entry(id).or_default();
    attrs.insert("app".into(), Value::Object(app));
    if let Some(dir) = directory {
        attrs.insert("__specification_dir".into(), dir);
    }
    id
}

/// `FlaskApi(specification=..., base_path=...)`: an extension object whose
/// `blueprint` attribute holds the document's routes.
pub fn make_connexion_api<'p>(
    interp: &mut Interpreter<'p>,
    frame: &mut Frame<'p>,
    class: &str,
    call: &CallArgs<'p>,
    site: Site,
) -> ObjId {
    let id = extension(interp, class, site);
    let document = call.arg(0, "specification").cloned().unwrap_or(Value::None);
    if let Some(blueprint) = blueprint_from_document(interp, frame, &document, None, call, site) {
        interp.object_attrs.entry(id).or_default().insert("blueprint".into(), Value::Object(blueprint));
    }
    id
}

/// `cxapp.add_api(specification, base_path=...)` on a connexion app:
/// registers the document's blueprint on the wrapped Flask app.
pub fn add_api<'p>(
    interp: &mut Interpreter<'p>,
    frame: &mut Frame<'p>,
    id: ObjId,
    call: &CallArgs<'p>,
    site: Site,
) -> Value<'p> {
    let attrs = interp.object_attrs.get(&id).cloned().unwrap_or_default();
    let Some(Value::Object(app)) = attrs.get("app").cloned() else {
        return Value::unknown("connexion app without a Flask app");
    };
    let document = call.arg(0, "specification").cloned().unwrap_or(Value::None);
    let directory = attrs.get("__specification_dir").and_then(Value::as_str).map(str::to_string);
    let Some(blueprint) = blueprint_from_document(interp, frame, &document, directory.as_deref(), call, site) else {
        return Value::unknown("connexion API from a document known only at run time");
    };
    let register = CallArgs { positional: vec![Value::Object(blueprint)], keywords: Vec::new() };
    app_or_blueprint_method(interp, frame, app, "register_blueprint", register, site);
    Value::Object(blueprint)
}

fn extension(interp: &mut Interpreter<'_>, class: &str, site: Site) -> ObjId {
    create_object(interp, site, class.to_string(), || {
        Object::Extension(ExtensionObject {
            kind: "api".into(),
            package: "connexion".into(),
            class: class.to_string(),
            variable: None,
            site,
            wiring: Vec::new(),
        })
    })
}

/// The blueprint of one OpenAPI document (a path under `directory`, a
/// path, or the document itself), with a rule per operation; `None` (and a
/// loose registration saying why) when the document is not known.
fn blueprint_from_document<'p>(
    interp: &mut Interpreter<'p>,
    frame: &mut Frame<'p>,
    document: &Value<'p>,
    directory: Option<&str>,
    call: &CallArgs<'p>,
    site: Site,
) -> Option<ObjId> {
    let spec = match document {
        Value::Str(name) => {
            let path = match directory {
                Some(dir) if !name.starts_with('/') => format!("{}/{name}", dir.trim_end_matches('/')),
                _ => name.to_string(),
            };
            match crate::data_files::project_document(interp.project, &mut interp.documents, &path) {
                Some(spec) => (*spec).clone(),
                None => {
                    return unresolved(
                        interp,
                        site,
                        format!("OpenAPI document `{path}` is not a readable project file"),
                    )
                }
            }
        }
        other => match crate::data_files::to_json(other) {
            Some(spec @ Json::Object(_)) => spec,
            _ => return unresolved(interp, site, "OpenAPI document known only at run time".into()),
        },
    };
    let base_path = match call.keyword("base_path") {
        Some(Value::Str(path)) => path.trim_end_matches('/').to_string(),
        Some(Value::None) | None => document_base_path(&spec),
        Some(_) => return unresolved(interp, site, "connexion `base_path` known only at run time".into()),
    };
    let name = if base_path.is_empty() { "/".to_string() } else { base_path.replace('.', "_") };
    let blueprint_call = CallArgs {
        positional: vec![Value::str(&name), Value::str("connexion")],
        keywords: vec![("url_prefix".into(), Value::str(&base_path))],
    };
    let blueprint = make_blueprint(interp, &blueprint_call, site, "connexion".into());
    for operation in operations(&spec) {
        let Some(endpoint) = &operation.function else {
            interp.loose.push(LooseRegistration {
                rule: Some(format!("{base_path}{}", operation.rule)),
                reason: format!("OpenAPI operation {} {} has no operationId", operation.method, operation.rule),
                site,
                view: None,
            });
            continue;
        };
        let view = project_function(interp, frame.module, endpoint);
        let rule_call = CallArgs {
            positional: vec![Value::str(&operation.rule), Value::str(endpoint.replace('.', "_")), view],
            keywords: vec![("methods".into(), Value::list(vec![Value::str(&operation.method)]))],
        };
        app_or_blueprint_method(interp, frame, blueprint, "add_url_rule", rule_call, site);
    }
    Some(blueprint)
}

fn unresolved(interp: &mut Interpreter<'_>, site: Site, reason: String) -> Option<ObjId> {
    interp.loose.push(LooseRegistration { rule: None, reason, site, view: None });
    None
}

/// The function an operation names, when it is a project function; else
/// its dotted name as a library value.
fn project_function<'p>(interp: &mut Interpreter<'p>, importer: usize, dotted: &str) -> Value<'p> {
    if let Some((module, function)) = dotted.rsplit_once('.') {
        if interp.project.resolve_absolute(module, importer).is_some() {
            let target = Value::str(format!("{module}:{function}"));
            if let found @ Value::Function(_) = import_by_string(interp, importer, Some(&target), false) {
                return found;
            }
        }
    }
    Value::External(Rc::from(dotted))
}

/// The base path a document declares: its first server URL's path
/// (variables at their defaults) or `basePath`, without a trailing slash.
fn document_base_path(spec: &Json) -> String {
    if let Some(base) = spec.get("basePath").and_then(Json::as_str) {
        return base.trim_end_matches('/').to_string();
    }
    let Some(server) = spec.get("servers").and_then(|s| s.get(0)) else { return String::new() };
    let mut url = server.get("url").and_then(Json::as_str).unwrap_or("").to_string();
    if let Some(variables) = server.get("variables").and_then(Json::as_object) {
        for (name, variable) in variables {
            if let Some(default) = variable.get("default").and_then(Json::as_str) {
                url = url.replace(&format!("{{{name}}}"), default);
            }
        }
    }
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map(|slash| &rest[slash..]).unwrap_or(""),
        None => url.as_str(),
    };
    path.trim_end_matches('/').to_string()
}

/// One operation of a document, as a Flask rule.
#[derive(Debug, PartialEq)]
struct Operation {
    rule: String,
    method: String,
    /// `x-openapi-router-controller.operationId`, or the `operationId`.
    function: Option<String>,
}

fn operations(spec: &Json) -> Vec<Operation> {
    let mut out = Vec::new();
    let Some(paths) = spec.get("paths").and_then(Json::as_object) else { return out };
    for (path, item) in paths {
        let item = resolve(spec, item);
        let shared = item.get("parameters").and_then(Json::as_array).cloned().unwrap_or_default();
        for method in HTTP_METHODS {
            let Some(operation) = item.get(*method).map(|o| resolve(spec, o)) else { continue };
            let mut types = std::collections::HashMap::new();
            let own = operation.get("parameters").and_then(Json::as_array).cloned().unwrap_or_default();
            for parameter in shared.iter().chain(own.iter()) {
                let parameter = resolve(spec, parameter);
                if parameter.get("in").and_then(Json::as_str) != Some("path") {
                    continue;
                }
                let Some(name) = parameter.get("name").and_then(Json::as_str) else { continue };
                let schema = parameter.get("schema").map(|s| resolve(spec, s)).unwrap_or(parameter);
                let kind = schema.get("type").and_then(Json::as_str);
                let format = schema.get("format").and_then(Json::as_str);
                let converter = match (kind, format) {
                    (Some("string"), Some("path")) => Some("path"),
                    (Some("integer"), _) => Some("int"),
                    (Some("number"), _) => Some("float"),
                    _ => None,
                };
                types.insert(name.to_string(), converter);
            }
            let function = operation.get("operationId").and_then(Json::as_str).map(|id| {
                match operation.get("x-openapi-router-controller").and_then(Json::as_str) {
                    Some(controller) => format!("{controller}.{id}"),
                    None => id.to_string(),
                }
            });
            out.push(Operation { rule: flask_path(path, &types), method: method.to_uppercase(), function });
        }
    }
    out
}

/// `{my-param}` → `<my_param>`, with the converter of its type.
fn flask_path(path: &str, types: &std::collections::HashMap<String, Option<&str>>) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else { break };
        out.push_str(&rest[..open]);
        let name = &rest[open + 1..open + close];
        match types.get(name).copied().flatten() {
            Some(converter) => out.push_str(&format!("<{converter}:{}>", name.replace('-', "_"))),
            None => out.push_str(&format!("<{}>", name.replace('-', "_"))),
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// Follows a local `$ref` (`#/components/parameters/Id`).
fn resolve<'a>(spec: &'a Json, value: &'a Json) -> &'a Json {
    let mut current = value;
    for _ in 0..8 {
        let Some(reference) = current.get("$ref").and_then(Json::as_str) else { return current };
        let Some(pointer) = reference.strip_prefix('#') else { return current };
        match spec.pointer(pointer) {
            Some(target) => current = target,
            None => return current,
        }
    }
    current
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_follow_connexion_naming() {
        let spec: Json = serde_norway::from_str(
            r##"
openapi: 3.0.1
servers: [{url: "https://example.org/{version}/", variables: {version: {default: v1}}}]
components:
  parameters:
    Id: {name: item-id, in: path, required: true, schema: {type: integer}}
paths:
  /items/{item-id}:
    parameters: [{$ref: "#/components/parameters/Id"}]
    get: {operationId: app.items.get}
    delete: {operationId: delete_item, x-openapi-router-controller: app.items}
  /files/{name}:
    get:
      operationId: app.files.get
      parameters: [{name: name, in: path, schema: {type: string, format: path}}]
    post: {summary: no id}
"##,
        )
        .unwrap();
        assert_eq!(document_base_path(&spec), "/v1");
        let ops = operations(&spec);
        let rules: Vec<(&str, &str, Option<&str>)> =
            ops.iter().map(|o| (o.rule.as_str(), o.method.as_str(), o.function.as_deref())).collect();
        assert!(rules.contains(&("/items/<int:item_id>", "GET", Some("app.items.get"))));
        assert!(rules.contains(&("/items/<int:item_id>", "DELETE", Some("app.items.delete_item"))));
        assert!(rules.contains(&("/files/<path:name>", "GET", Some("app.files.get"))));
        assert!(rules.contains(&("/files/<name>", "POST", None)));
    }
}
