//! Lenient reading of the other commands' JSON: a missing or mistyped
//! field reads as empty, so a report from an older or newer Retort still
//! renders what it can.

use serde_json::Value;

/// The string at `key` (empty when absent or not a string).
pub fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or("")
}

/// The string at `key`, if it is one.
pub fn opt_text<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

/// The number at `key`.
pub fn num(value: &Value, key: &str) -> Option<f64> {
    value.get(key).and_then(Value::as_f64)
}

/// The unsigned integer at `key` (0 when absent).
pub fn count(value: &Value, key: &str) -> u64 {
    value.get(key).and_then(Value::as_u64).unwrap_or(0)
}

/// The boolean at `key` (false when absent).
pub fn flag(value: &Value, key: &str) -> bool {
    value.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// The array at `key` (empty when absent).
pub fn list<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

/// The strings of the array at `key`.
pub fn strings<'a>(value: &'a Value, key: &str) -> Vec<&'a str> {
    list(value, key).iter().filter_map(Value::as_str).collect()
}

/// `file:line` of an item with `file` and `line` fields (just the file when
/// the line is 0 or absent).
pub fn location(value: &Value) -> String {
    let file = text(value, "file");
    match count(value, "line") {
        0 => file.to_string(),
        line => format!("{file}:{line}"),
    }
}
