//! Data files the project ships and loads while it builds its app: an
//! OpenAPI document read with `yaml.safe_load(open(path))` (Airflow's
//! REST API), a JSON settings file read with `json.load(f)`.
//!
//! A file object opened on a project file is an unknown value that keeps
//! its path ([`Unknown::opened_file`]); loading it reads the file from the
//! scanned tree (inside the project only, at most [`MAX_DATA_FILE_BYTES`])
//! and turns the document into interpreter values when it is an OpenAPI or
//! Swagger document (other documents stay unknown, as before: following
//! the code that walks a large settings file costs time and decides no
//! route). Nothing is executed.

use std::rc::Rc;

use crate::value::{Unknown, Value};

/// Data files read at most this large.
const MAX_DATA_FILE_BYTES: u64 = 8 << 20;

/// The text of a project file named by a path under the virtual root
/// (`/<project>/pkg/openapi/v1.yaml`); `None` outside the project, for
/// missing or large files.
pub fn read_project_file(project: &retort_python::Project, path: &str) -> Option<String> {
    let relative = path.strip_prefix(crate::paths::PROJECT_ROOT)?.trim_start_matches('/');
    if relative.split('/').any(|part| part == "..") {
        return None;
    }
    let file = project.root.join(relative);
    let meta = std::fs::metadata(&file).ok()?;
    if !meta.is_file() || meta.len() > MAX_DATA_FILE_BYTES {
        return None;
    }
    std::fs::read_to_string(file).ok()
}

/// `open(path)` of a project path: a file object that remembers its path.
pub fn open<'p>(path: Option<&Value<'p>>) -> Option<Value<'p>> {
    let path = path?.as_str()?;
    path.starts_with(crate::paths::PROJECT_ROOT).then(|| Value::Unknown(Rc::new(Unknown::opened_file(path))))
}

/// Parsed project files by path: a factory run several times (once per
/// entry point) reads and parses each document once.
pub type Documents = std::collections::HashMap<String, Option<Rc<serde_json::Value>>>;

/// A project file parsed as YAML (or JSON, a subset of it), once.
pub fn project_document(
    project: &retort_python::Project,
    documents: &mut Documents,
    path: &str,
) -> Option<Rc<serde_json::Value>> {
    documents
        .entry(path.to_string())
        .or_insert_with(|| {
            let text = read_project_file(project, path)?;
            serde_norway::from_str::<serde_json::Value>(&text).ok().map(Rc::new)
        })
        .clone()
}

/// `yaml.safe_load(f)`, `yaml.load(f, Loader)`, `json.load(f)` of a file
/// object, or of a string (`json.loads(text)`): the document as values.
/// `None` when the argument is neither (the caller keeps it unknown).
pub fn load<'p>(
    project: &retort_python::Project,
    documents: &mut Documents,
    name: &str,
    source: Option<&Value<'p>>,
) -> Option<Value<'p>> {
    let document: Rc<serde_json::Value> = match source? {
        Value::Unknown(unknown) => project_document(project, documents, unknown.file.as_deref()?)?,
        Value::Str(text) if name.starts_with("json.") => Rc::new(serde_json::from_str(text).ok()?),
        Value::Str(text) => Rc::new(serde_norway::from_str(text).ok()?),
        _ => return None,
    };
    // Only API documents are turned into values: other data (Airflow's
    // 100 kB `config.yml`) would only make the project's code that walks
    // it expensive to follow, and decides no route.
    let is_api_document = document.get("openapi").is_some() || document.get("swagger").is_some();
    is_api_document.then(|| from_json(&document))
}

/// Canonical names of the loaders [`load`] models.
pub fn is_loader(name: &str) -> bool {
    matches!(name, "yaml.safe_load" | "yaml.load" | "yaml.full_load" | "yaml.unsafe_load" | "json.load" | "json.loads")
}

/// A JSON document as interpreter values (dicts keep their order).
pub fn from_json<'p>(value: &serde_json::Value) -> Value<'p> {
    match value {
        serde_json::Value::Null => Value::None,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or_default()),
        },
        serde_json::Value::String(s) => Value::str(s),
        serde_json::Value::Array(items) => Value::list(items.iter().map(from_json).collect()),
        serde_json::Value::Object(map) => Value::Dict(Rc::new(std::cell::RefCell::new(
            map.iter().map(|(k, v)| (Value::str(k), from_json(v))).collect(),
        ))),
    }
}

/// Interpreter values back as a JSON document, for code that walks one (an
/// OpenAPI document built or loaded by the project); `None` when a part is
/// not known.
pub fn to_json(value: &Value<'_>) -> Option<serde_json::Value> {
    Some(match value {
        Value::None => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Int(i) => serde_json::Value::from(*i),
        Value::Float(f) => serde_json::Value::from(*f),
        Value::Str(s) => serde_json::Value::String(s.to_string()),
        Value::List(items) => serde_json::Value::Array(items.borrow().iter().map(to_json).collect::<Option<_>>()?),
        Value::Tuple(items) => serde_json::Value::Array(items.iter().map(to_json).collect::<Option<_>>()?),
        Value::Dict(items) => {
            let mut map = serde_json::Map::new();
            for (key, value) in items.borrow().iter() {
                map.insert(key.as_str()?.to_string(), to_json(value)?);
            }
            serde_json::Value::Object(map)
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_round_trip() {
        let document: serde_json::Value = serde_norway::from_str(
            "openapi: 3.0.1\npaths:\n  /a/{id}:\n    get:\n      operationId: m.f\nn: 2\nok: true\n",
        )
        .unwrap();
        let value = from_json(&document);
        assert_eq!(to_json(&value), Some(document));
    }
}
