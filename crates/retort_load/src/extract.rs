//! Values taken from responses into a virtual user's variables: a JSON
//! path (`$.token`, `data.items[0].id`), a response header, a regex
//! capture group, an HTML form input (`<input name="csrf_token"
//! value="…">`, or `<meta name="csrf-token" content="…">`), or a cookie of
//! the jar.

use std::cell::OnceCell;

use regex::Regex;

use crate::cookie::CookieJar;

/// A response as checks and extractions see it (captured only for
/// requests that have checks or extractions, or a cookie jar).
#[derive(Debug)]
pub struct ResponseData<'a> {
    /// Status code.
    pub status: u16,
    /// Headers as received (names in their original case).
    pub headers: &'a [(String, String)],
    /// The body (decoded from chunked framing; at most the capture limit).
    pub body: &'a [u8],
    json: OnceCell<Option<serde_json::Value>>,
}

impl<'a> ResponseData<'a> {
    /// Wraps a captured response.
    pub fn new(status: u16, headers: &'a [(String, String)], body: &'a [u8]) -> ResponseData<'a> {
        ResponseData { status, headers, body, json: OnceCell::new() }
    }

    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON (once), `None` if it is not JSON.
    pub fn json(&self) -> Option<&serde_json::Value> {
        self.json.get_or_init(|| serde_json::from_slice(self.body).ok()).as_ref()
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(self.body)
    }
}

/// One step of a JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    /// An object member.
    Key(String),
    /// An array element; negative counts from the end.
    Index(i64),
}

/// A JSON path: `$.data.items[0].id`, `data.items[-1]`, `$['odd key']`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonPath {
    /// The path as written.
    pub source: String,
    steps: Vec<PathStep>,
}

impl JsonPath {
    /// Parses a path; the leading `$` is optional.
    pub fn parse(text: &str) -> Result<JsonPath, String> {
        let bad = |why: &str| format!("invalid JSON path `{text}`: {why} (use e.g. `$.token` or `data.items[0].id`)");
        let trimmed = text.trim();
        let mut rest = trimmed.strip_prefix('$').unwrap_or(trimmed);
        let mut steps = Vec::new();
        // `data.items` may start with a key; after `$` comes `.` or `[`.
        let mut first = rest.len() == trimmed.len();
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('[') {
                let close = after.find(']').ok_or_else(|| bad("`[` without `]`"))?;
                let inner = after[..close].trim();
                let quoted = inner.len() >= 2
                    && ((inner.starts_with('\'') && inner.ends_with('\''))
                        || (inner.starts_with('"') && inner.ends_with('"')));
                if quoted {
                    steps.push(PathStep::Key(inner[1..inner.len() - 1].to_string()));
                } else {
                    let index = inner.parse::<i64>().map_err(|_| bad("an index must be an integer or a quoted key"))?;
                    steps.push(PathStep::Index(index));
                }
                rest = &after[close + 1..];
            } else {
                let after = match rest.strip_prefix('.') {
                    Some(after) => after,
                    None if first => rest,
                    None => return Err(bad("expected `.` or `[`")),
                };
                let end = after.find(['.', '[']).unwrap_or(after.len());
                if end == 0 {
                    return Err(bad("empty key"));
                }
                steps.push(PathStep::Key(after[..end].to_string()));
                rest = &after[end..];
            }
            first = false;
        }
        Ok(JsonPath { source: text.trim().to_string(), steps })
    }

    /// The value at this path, if present.
    pub fn find<'v>(&self, value: &'v serde_json::Value) -> Option<&'v serde_json::Value> {
        let mut current = value;
        for step in &self.steps {
            current = match (step, current) {
                (PathStep::Key(key), serde_json::Value::Object(map)) => map.get(key)?,
                (PathStep::Index(i), serde_json::Value::Array(items)) => {
                    let index = if *i < 0 { items.len().checked_sub(i.unsigned_abs() as usize)? } else { *i as usize };
                    items.get(index)?
                }
                _ => return None,
            };
        }
        Some(current)
    }
}

/// Text of a JSON value for a template: strings without quotes, other
/// values as JSON.
pub fn json_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// An extraction as written in a scenario: exactly one source.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtractSpec {
    /// JSON path into the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json: Option<String>,
    /// Response header name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
    /// Regular expression on the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
    /// Capture group of `regex` (default 1, or 0 when it has no group).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<usize>,
    /// Name of an HTML form input (or `<meta name=…>`) whose value to take.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<String>,
    /// Name of a cookie in the virtual user's jar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cookie: Option<String>,
}

/// Where an extracted value comes from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A JSON path into the body.
    Json(JsonPath),
    /// A response header.
    Header(String),
    /// A regex capture group on the body.
    Regex(Regex, usize),
    /// An HTML form input's (or meta tag's) value.
    FormInput(String),
    /// A cookie of the jar.
    Cookie(String),
}

/// One `extract` entry: a variable and its source.
#[derive(Debug, Clone)]
pub struct Extraction {
    /// The variable it sets.
    pub variable: String,
    /// Where the value comes from.
    pub source: Source,
}

impl Source {
    /// Validates a spec.
    pub fn from_spec(spec: &ExtractSpec) -> Result<Source, String> {
        let given =
            [&spec.json, &spec.header, &spec.regex, &spec.form, &spec.cookie].iter().filter(|s| s.is_some()).count();
        if given != 1 {
            return Err("give exactly one of `json`, `header`, `regex`, `form`, `cookie`".into());
        }
        if spec.group.is_some() && spec.regex.is_none() {
            return Err("`group` needs `regex`".into());
        }
        if let Some(path) = &spec.json {
            return Ok(Source::Json(JsonPath::parse(path)?));
        }
        if let Some(header) = &spec.header {
            return Ok(Source::Header(header.clone()));
        }
        if let Some(pattern) = &spec.regex {
            let regex = Regex::new(pattern).map_err(|e| format!("invalid regex `{pattern}`: {e}"))?;
            let groups = regex.captures_len() - 1;
            let group = spec.group.unwrap_or(if groups > 0 { 1 } else { 0 });
            if group > groups {
                return Err(format!("regex `{pattern}` has {groups} capture group(s), not {group}"));
            }
            return Ok(Source::Regex(regex, group));
        }
        if let Some(name) = &spec.form {
            return Ok(Source::FormInput(name.clone()));
        }
        Ok(Source::Cookie(spec.cookie.clone().unwrap_or_default()))
    }

    /// The value found in `response` (or the jar), if any.
    pub fn extract(&self, response: &ResponseData<'_>, jar: Option<&CookieJar>) -> Option<String> {
        match self {
            Source::Json(path) => response.json().and_then(|v| path.find(v)).map(json_text),
            Source::Header(name) => response.header(name).map(str::to_string),
            Source::Regex(regex, group) => {
                regex.captures(&response.text()).and_then(|c| c.get(*group)).map(|m| m.as_str().to_string())
            }
            Source::FormInput(name) => form_input_value(&response.text(), name),
            Source::Cookie(name) => jar.and_then(|j| j.get(name)).map(str::to_string),
        }
    }

    /// A short description for check names and messages.
    pub fn describe(&self) -> String {
        match self {
            Source::Json(path) => format!("json {}", path.source),
            Source::Header(name) => format!("header {name}"),
            Source::Regex(regex, group) => format!("regex {} group {group}", regex.as_str()),
            Source::FormInput(name) => format!("form input {name}"),
            Source::Cookie(name) => format!("cookie {name}"),
        }
    }
}

/// The `value` of the first `<input>` whose `name` is `name`, or the
/// `content` of the first `<meta>` whose `name` is `name`; HTML entities
/// in the value are decoded.
pub fn form_input_value(html: &str, name: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(offset) = lower[from..].find('<') {
        let start = from + offset + 1;
        let end = lower[start..].find('>').map(|e| start + e).unwrap_or(lower.len());
        let tag = &html[start..end];
        let tag_name_len = tag.find(|c: char| c.is_ascii_whitespace() || c == '/').unwrap_or(tag.len());
        let tag_name = tag[..tag_name_len].to_ascii_lowercase();
        if tag_name == "input" || tag_name == "meta" {
            let attributes = parse_attributes(&tag[tag_name_len..]);
            let get = |key: &str| attributes.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
            if get("name") == Some(name) {
                let value_key = if tag_name == "input" { "value" } else { "content" };
                return Some(decode_entities(get(value_key).unwrap_or("")));
            }
        }
        from = end;
    }
    None
}

fn parse_attributes(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        let key_start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'=' && bytes[i] != b'/' {
            i += 1;
        }
        let key = text[key_start..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < bytes.len() && (bytes[i] == b'"' || bytes[i] == b'\'') {
                let quote = bytes[i];
                let value_start = i + 1;
                i = value_start;
                while i < bytes.len() && bytes[i] != quote {
                    i += 1;
                }
                value = text[value_start..i].to_string();
                i += 1;
            } else {
                let value_start = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = text[value_start..i].to_string();
            }
        }
        if !key.is_empty() {
            out.push((key, value));
        }
    }
    out
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.bytes().take(12).position(|b| b == b';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_paths() {
        let v: serde_json::Value =
            serde_json::from_str(r#"{"token":"t1","data":{"items":[{"id":7},{"id":8}]},"odd key":true,"n":1.5}"#)
                .unwrap();
        let find = |p: &str| JsonPath::parse(p).unwrap().find(&v).map(json_text);
        assert_eq!(find("$.token").as_deref(), Some("t1"));
        assert_eq!(find("token").as_deref(), Some("t1"));
        assert_eq!(find("data.items[0].id").as_deref(), Some("7"));
        assert_eq!(find("$.data.items[-1].id").as_deref(), Some("8"));
        assert_eq!(find("$['odd key']").as_deref(), Some("true"));
        assert_eq!(find("$.n").as_deref(), Some("1.5"));
        assert_eq!(find("$.data.items").as_deref(), Some(r#"[{"id":7},{"id":8}]"#));
        assert_eq!(find("$").as_deref(), Some(v.to_string().as_str()));
        assert_eq!(find("$.data.items[5]"), None);
        assert_eq!(find("$.token.x"), None);
        for bad in ["$.", "$.a[", "$.a[x]", "$..a", "$a"] {
            assert!(JsonPath::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn form_inputs_and_meta() {
        let html = r#"<form method=post><INPUT type="hidden" name='csrf_token' value="IjE2Z.a&amp;b"/>
            <input name=username value=bob><input name="empty"></form><meta name="csrf-token" content="m1">"#;
        assert_eq!(form_input_value(html, "csrf_token").as_deref(), Some("IjE2Z.a&b"));
        assert_eq!(form_input_value(html, "username").as_deref(), Some("bob"));
        assert_eq!(form_input_value(html, "empty").as_deref(), Some(""));
        assert_eq!(form_input_value(html, "csrf-token").as_deref(), Some("m1"));
        assert_eq!(form_input_value(html, "missing"), None);
        assert_eq!(form_input_value("<input name=", "x"), None);
        assert_eq!(decode_entities("a&#39;b&#x41;&bogus;&"), "a'bA&bogus;&");
    }

    #[test]
    fn sources() {
        let headers = vec![("X-Token".to_string(), "h1".to_string())];
        let body = br#"{"token":"abc"} order 42"#;
        let response = ResponseData::new(200, &headers, body);
        let source = |spec: ExtractSpec| Source::from_spec(&spec).unwrap();
        let regex = source(ExtractSpec { regex: Some(r"order (\d+)".into()), ..Default::default() });
        assert_eq!(regex.extract(&response, None).as_deref(), Some("42"));
        let whole = source(ExtractSpec { regex: Some(r"order \d+".into()), ..Default::default() });
        assert_eq!(whole.extract(&response, None).as_deref(), Some("order 42"));
        let header = source(ExtractSpec { header: Some("x-token".into()), ..Default::default() });
        assert_eq!(header.extract(&response, None).as_deref(), Some("h1"));
        let mut jar = CookieJar::new();
        jar.store("sid=s1", "h", "/", false);
        let cookie = source(ExtractSpec { cookie: Some("sid".into()), ..Default::default() });
        assert_eq!(cookie.extract(&response, Some(&jar)).as_deref(), Some("s1"));
        // Not JSON: nothing found, no error.
        let json = source(ExtractSpec { json: Some("$.token".into()), ..Default::default() });
        assert_eq!(json.extract(&ResponseData::new(200, &headers, b"<html>"), None), None);

        let invalid = |spec: ExtractSpec| Source::from_spec(&spec).is_err();
        assert!(invalid(ExtractSpec::default()));
        assert!(invalid(ExtractSpec { json: Some("a".into()), header: Some("b".into()), ..Default::default() }));
        assert!(invalid(ExtractSpec { regex: Some("(".into()), ..Default::default() }));
        assert!(invalid(ExtractSpec { regex: Some("(a)".into()), group: Some(2), ..Default::default() }));
        assert!(invalid(ExtractSpec { header: Some("a".into()), group: Some(1), ..Default::default() }));
    }
}
