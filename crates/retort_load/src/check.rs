//! Per-request checks, counted like k6's `checks`: each check passes or
//! fails on every response of its request, and the passes and fails are
//! counted per check name, per request name and in total. Checks are
//! judged on responses only (a request without a response is an error,
//! not a failed check).

use crate::extract::{JsonPath, ResponseData};

/// One status or a list of statuses.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum StatusSpec {
    /// One status.
    One(u16),
    /// Any of these statuses.
    Any(Vec<u16>),
}

/// A check as written in a scenario: one of `status`, `json`,
/// `body_contains` or `header`, with `equals` / `exists` for `json` and
/// `header` (default: `exists = true`).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSpec {
    /// Name in reports (default: derived from the condition).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The status is this one (or one of these).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<StatusSpec>,
    /// A JSON path into the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json: Option<String>,
    /// A response header name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
    /// With `json`/`header`: the value must equal this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<toml::Value>,
    /// With `json`/`header`: the value must (or must not) be present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exists: Option<bool>,
    /// The body contains this text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_contains: Option<String>,
}

/// What a check tests.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// The status is one of these.
    Status(Vec<u16>),
    /// The JSON value at the path equals this (numbers compare as numbers).
    JsonEquals(JsonPath, serde_json::Value),
    /// The JSON path is (or is not) present.
    JsonExists(JsonPath, bool),
    /// The header equals this value.
    HeaderEquals(String, String),
    /// The header is (or is not) present.
    HeaderExists(String, bool),
    /// The body contains this text.
    BodyContains(String),
    /// An extraction found its value (added for every `extract` entry).
    Extracted(String),
}

/// A named check.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// Name in reports.
    pub name: String,
    /// What it tests.
    pub condition: Condition,
}

impl Check {
    /// Validates a spec.
    pub fn from_spec(spec: &CheckSpec) -> Result<Check, String> {
        let kinds = [spec.status.is_some(), spec.json.is_some(), spec.header.is_some(), spec.body_contains.is_some()];
        if kinds.iter().filter(|k| **k).count() != 1 {
            return Err("a check needs exactly one of `status`, `json`, `header`, `body_contains`".into());
        }
        let with_value = spec.json.is_some() || spec.header.is_some();
        if !with_value && (spec.equals.is_some() || spec.exists.is_some()) {
            return Err("`equals` and `exists` go with `json` or `header`".into());
        }
        if spec.equals.is_some() && spec.exists.is_some() {
            return Err("give `equals` or `exists`, not both".into());
        }
        let condition = if let Some(status) = &spec.status {
            let statuses = match status {
                StatusSpec::One(s) => vec![*s],
                StatusSpec::Any(list) => list.clone(),
            };
            if statuses.is_empty() || statuses.iter().any(|s| !(100..=999).contains(s)) {
                return Err("`status` must be a status code (100-999) or a non-empty list of them".into());
            }
            Condition::Status(statuses)
        } else if let Some(path) = &spec.json {
            let path = JsonPath::parse(path)?;
            match &spec.equals {
                Some(value) => Condition::JsonEquals(
                    path,
                    serde_json::to_value(value).map_err(|e| format!("`equals` is not a JSON value: {e}"))?,
                ),
                None => Condition::JsonExists(path, spec.exists.unwrap_or(true)),
            }
        } else if let Some(header) = &spec.header {
            match &spec.equals {
                Some(toml::Value::String(value)) => Condition::HeaderEquals(header.clone(), value.clone()),
                Some(_) => return Err("a header's `equals` must be a string".into()),
                None => Condition::HeaderExists(header.clone(), spec.exists.unwrap_or(true)),
            }
        } else {
            let text = spec.body_contains.clone().unwrap_or_default();
            if text.is_empty() {
                return Err("`body_contains` must not be empty".into());
            }
            Condition::BodyContains(text)
        };
        let name = spec.name.clone().unwrap_or_else(|| default_name(&condition));
        Ok(Check { name, condition })
    }

    /// Whether the check holds on `response`. `extracted` tells whether an
    /// [`Condition::Extracted`] variable was found.
    pub fn holds(&self, response: &ResponseData<'_>, extracted: &dyn Fn(&str) -> bool) -> bool {
        match &self.condition {
            Condition::Status(statuses) => statuses.contains(&response.status),
            Condition::JsonEquals(path, expected) => {
                response.json().and_then(|v| path.find(v)).is_some_and(|actual| json_equal(actual, expected))
            }
            Condition::JsonExists(path, wanted) => response.json().and_then(|v| path.find(v)).is_some() == *wanted,
            Condition::HeaderEquals(name, value) => response.header(name) == Some(value.as_str()),
            Condition::HeaderExists(name, wanted) => response.header(name).is_some() == *wanted,
            Condition::BodyContains(text) => response.text().contains(text.as_str()),
            Condition::Extracted(variable) => extracted(variable),
        }
    }

    /// Whether the check needs the response body.
    pub fn needs_body(&self) -> bool {
        matches!(self.condition, Condition::JsonEquals(..) | Condition::JsonExists(..) | Condition::BodyContains(_))
    }
}

fn default_name(condition: &Condition) -> String {
    match condition {
        Condition::Status(statuses) if statuses.len() == 1 => format!("status {}", statuses[0]),
        Condition::Status(statuses) => {
            format!("status in {}", statuses.iter().map(u16::to_string).collect::<Vec<_>>().join("/"))
        }
        Condition::JsonEquals(path, value) => format!("{} == {value}", path.source),
        Condition::JsonExists(path, true) => format!("{} exists", path.source),
        Condition::JsonExists(path, false) => format!("{} absent", path.source),
        Condition::HeaderEquals(name, value) => format!("header {name} == {value:?}"),
        Condition::HeaderExists(name, true) => format!("header {name} exists"),
        Condition::HeaderExists(name, false) => format!("header {name} absent"),
        Condition::BodyContains(text) => format!("body contains {text:?}"),
        Condition::Extracted(variable) => format!("extract {variable}"),
    }
}

/// JSON equality where numbers compare by value (`1` equals `1.0`).
fn json_equal(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    match (a, b) {
        (serde_json::Value::Number(x), serde_json::Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(toml_text: &str) -> Result<Check, String> {
        let spec: CheckSpec = toml::from_str(toml_text).map_err(|e| e.to_string())?;
        Check::from_spec(&spec)
    }

    #[test]
    fn checks_hold_or_fail() {
        let headers = vec![("Location".to_string(), "/".to_string())];
        let body = br#"{"status":"ok","count":3,"order":{"id":7},"tags":[],"note":"welcome"}"#;
        let ok = ResponseData::new(201, &headers, body);
        let none = |_: &str| false;
        let holds = |text: &str| check(text).unwrap().holds(&ok, &none);
        assert!(holds("status = 201"));
        assert!(holds("status = [200, 201]"));
        assert!(!holds("status = 200"));
        assert!(holds(
            r#"json = "$.status"
equals = "ok""#
        ));
        assert!(!holds(
            r#"json = "$.status"
equals = "OK""#
        ));
        assert!(holds("json = \"$.count\"\nequals = 3.0"));
        assert!(!holds("json = \"$.count\"\nequals = \"3\""));
        assert!(holds(r#"json = "order.id""#));
        assert!(!holds(r#"json = "order.missing""#));
        assert!(holds("json = \"order.missing\"\nexists = false"));
        assert!(holds("header = \"location\"\nequals = \"/\""));
        assert!(holds("header = \"Set-Cookie\"\nexists = false"));
        assert!(holds(r#"body_contains = "welcome""#));
        assert!(!holds(r#"body_contains = "error""#));
        // JSON checks on a body that is not JSON fail.
        let html = ResponseData::new(200, &headers, b"<p>welcome</p>");
        assert!(!check(r#"json = "$.status""#).unwrap().holds(&html, &none));
    }

    #[test]
    fn names_and_bad_specs() {
        assert_eq!(check("status = 200").unwrap().name, "status 200");
        assert_eq!(check("status = [200, 302]").unwrap().name, "status in 200/302");
        assert_eq!(check("json = \"$.a\"\nequals = \"x\"").unwrap().name, "$.a == \"x\"");
        assert_eq!(check("name = \"logged in\"\nbody_contains = \"hi\"").unwrap().name, "logged in");
        for bad in [
            "",
            "status = 200\nbody_contains = \"x\"",
            "status = 42",
            "status = []",
            "body_contains = \"\"",
            "status = 200\nequals = 1",
            "json = \"$.a\"\nequals = 1\nexists = true",
            "json = \"$.\"",
            "header = \"X\"\nequals = 1",
            "unknown = 1",
        ] {
            assert!(check(bad).is_err(), "{bad}");
        }
    }
}
