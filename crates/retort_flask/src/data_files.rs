//! Data files the project ships and loads while it builds its app: an
//! OpenAPI document read with `yaml.safe_load(open(path))` (Airflow's
//! REST API), a JSON settings file read with `json.load(f)`.
//!
//! A file object opened on a project file is an unknown value that keeps
//! its path ([`Unknown::opened_file`]); loading it reads the file from the
//! scanned tree (inside the project only, at most [`MAX_DATA_FILE_BYTES`])
//! and turns the document into interpreter values. Nothing is executed.

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

/// `yaml.safe_load(f)`, `yaml.load(f, Loader)`, `json.load(f)` of a file
/// object, or of a string (`json.loads(text)`): the document as values.
/// `None` when the argument is neither (the caller keeps it unknown).
pub fn load<'p>(project: &retort_python::Project, name: &str, source: Option<&Value<'p>>) -> Option<Value<'p>> {
    let text = match source? {
        Value::Unknown(unknown) => read_project_file(project, unknown.file.as_deref()?)?,
        Value::Str(text) => text.to_string(),
        _ => return None,
    };
    let document: serde_json::Value = if name.starts_with("json.") {
        serde_json::from_str(&text).ok()?
    } else {
        serde_norway::from_str(&text).ok()?
    };
    Some(from_json(&document))
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
        let document: serde_json::Value =
            serde_norway::from_str("paths:\n  /a/{id}:\n    get:\n      operationId: m.f\nn: 2\nok: true\n").unwrap();
        let value = from_json(&document);
        assert_eq!(to_json(&value), Some(document));
    }
}
