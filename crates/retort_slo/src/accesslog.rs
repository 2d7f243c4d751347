//! Access-log lines → requests: nginx/Apache combined and common, gunicorn
//! `access_log_format` (default or custom), nginx `log_format` templates,
//! and JSON lines with configurable field names. Files may be plain or
//! gzip (detected by magic bytes) or stdin; lines are streamed with a
//! bounded line buffer, so memory stays flat whatever the input size.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use regex::Regex;

use crate::error::SloError;
use crate::time::{parse_clf_time, parse_iso8601};

/// One request read from a log line.
#[derive(Debug, Clone, PartialEq)]
pub struct Request<'a> {
    /// Unix time in milliseconds.
    pub time_ms: i64,
    /// HTTP method (empty when the format has none).
    pub method: &'a str,
    /// Path without the query string.
    pub path: &'a str,
    /// Response status.
    pub status: u16,
    /// Time to serve, if the format records it.
    pub duration_us: Option<u64>,
}

/// What a field of a log template holds.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Field {
    /// `[06/Dec/2026:10:00:00 +0000]` or without brackets.
    ClfTime,
    /// ISO 8601 with offset.
    IsoTime,
    /// Seconds since the epoch, with a fraction (`$msec`).
    EpochSeconds,
    /// `GET /path?q HTTP/1.1`.
    RequestLine,
    Method,
    Path,
    Status,
    DurationSeconds,
    DurationMillis,
    DurationMicros,
    /// A field Retort does not read.
    Ignored,
}

/// The line format of a log.
#[derive(Debug, Clone)]
pub enum LogFormat {
    /// Combined or common (nginx, Apache, gunicorn's default): detected per
    /// line, JSON lines included.
    Auto,
    /// A template translated to a regex with one group per field.
    Template {
        /// Anchored regex, one group per field.
        regex: Regex,
        /// What each group holds.
        fields: Vec<Field>,
    },
    /// JSON lines.
    Json(JsonFields),
}

/// Field names of JSON lines (`--json-fields time=ts,path=url,...`).
#[derive(Debug, Clone)]
pub struct JsonFields {
    time: Vec<String>,
    method: Vec<String>,
    path: Vec<String>,
    request: Vec<String>,
    status: Vec<String>,
    /// Name and unit (1 = µs per unit: seconds 1e6, ms 1e3, us 1).
    duration: Vec<(String, f64)>,
}

impl Default for JsonFields {
    fn default() -> Self {
        let names = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
        JsonFields {
            time: names(&["time", "timestamp", "@timestamp", "ts", "time_local", "time_iso8601"]),
            method: names(&["method", "request_method", "verb"]),
            path: names(&["path", "uri", "request_uri", "url"]),
            request: names(&["request"]),
            status: names(&["status", "status_code", "response_status", "code"]),
            duration: vec![
                ("request_time".into(), 1e6),
                ("duration".into(), 1e6),
                ("response_time".into(), 1e6),
                ("duration_ms".into(), 1e3),
                ("latency_ms".into(), 1e3),
                ("elapsed_ms".into(), 1e3),
                ("duration_us".into(), 1.0),
            ],
        }
    }
}

impl JsonFields {
    /// Parses `time=ts,path=url,status=code,duration=latency_ms:ms,method=verb`.
    pub fn parse(spec: &str) -> Result<JsonFields, SloError> {
        let mut fields = JsonFields::default();
        for item in spec.split(',').filter(|s| !s.trim().is_empty()) {
            let (key, value) = item
                .split_once('=')
                .ok_or_else(|| SloError::Usage(format!("--json-fields: `{item}` is not KEY=FIELD")))?;
            let value = value.trim().to_string();
            match key.trim() {
                "time" => fields.time = vec![value],
                "method" => fields.method = vec![value],
                "path" => fields.path = vec![value],
                "request" => fields.request = vec![value],
                "status" => fields.status = vec![value],
                "duration" => {
                    let (name, unit) = match value.rsplit_once(':') {
                        Some((n, u)) => (n.to_string(), u.to_string()),
                        None => (value.clone(), "s".to_string()),
                    };
                    let scale = match unit.as_str() {
                        "s" => 1e6,
                        "ms" => 1e3,
                        "us" => 1.0,
                        _ => return Err(SloError::Usage(format!("--json-fields: duration unit `{unit}` (s, ms, us)"))),
                    };
                    fields.duration = vec![(name, scale)];
                }
                other => {
                    return Err(SloError::Usage(format!(
                        "--json-fields: unknown key `{other}` (time, method, path, request, status, duration)"
                    )))
                }
            }
        }
        Ok(fields)
    }
}

impl LogFormat {
    /// `auto`, `combined`, `common`, `gunicorn` (its default format),
    /// `json`, or a template: gunicorn atoms (`%(h)s %(t)s "%(r)s" %(s)s %(D)s`)
    /// or nginx variables (`$remote_addr [$time_local] "$request" $status $request_time`).
    pub fn parse(text: &str, json_fields: Option<&str>) -> Result<LogFormat, SloError> {
        let json = || -> Result<LogFormat, SloError> {
            Ok(LogFormat::Json(match json_fields {
                Some(spec) => JsonFields::parse(spec)?,
                None => JsonFields::default(),
            }))
        };
        match text.trim() {
            "auto" | "combined" | "common" | "gunicorn" | "nginx" | "apache" if json_fields.is_none() => {
                Ok(LogFormat::Auto)
            }
            "json" | "auto" => json(),
            template if template.contains("%(") => translate(template, Syntax::Gunicorn),
            template if template.contains('$') => translate(template, Syntax::Nginx),
            other => Err(SloError::Usage(format!(
                "--log-format `{other}`: use auto, combined, common, gunicorn, json, or a gunicorn/nginx template"
            ))),
        }
    }

    /// Reads one line; `Err` carries the reason it is not a request.
    pub fn parse_line<'a>(&self, line: &'a str) -> Result<Request<'a>, &'static str> {
        match self {
            LogFormat::Auto => {
                if line.trim_start().starts_with('{') {
                    parse_json(line, &JsonFields::default())
                } else {
                    parse_combined(line)
                }
            }
            LogFormat::Json(fields) => parse_json(line, fields),
            LogFormat::Template { regex, fields } => parse_template(line, regex, fields),
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Syntax {
    Gunicorn,
    Nginx,
}

/// A gunicorn or nginx format string → an anchored regex with one group per atom.
fn translate(template: &str, syntax: Syntax) -> Result<LogFormat, SloError> {
    let atom = match syntax {
        Syntax::Gunicorn => Regex::new(r"%\((\{[^}]*\}[a-z]|[A-Za-z]+)\)s").expect("valid"),
        Syntax::Nginx => Regex::new(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?").expect("valid"),
    };
    let mut pattern = String::from("^");
    let mut fields = Vec::new();
    let mut last = 0;
    for caps in atom.captures_iter(template) {
        let whole = caps.get(0).expect("group 0");
        pattern.push_str(&regex::escape(&template[last..whole.start()]));
        let name = &caps[1];
        let next = template[whole.end()..].chars().next();
        let (field, group) = atom_field(name, syntax, next);
        pattern.push_str(&format!("({group})"));
        fields.push(field);
        last = whole.end();
    }
    pattern.push_str(&regex::escape(&template[last..]));
    pattern.push_str(r"\s*$");
    if !fields.iter().any(|f| matches!(f, Field::ClfTime | Field::IsoTime | Field::EpochSeconds)) {
        return Err(SloError::Usage(format!("log format `{template}` has no timestamp field")));
    }
    if !fields.contains(&Field::Status) {
        return Err(SloError::Usage(format!("log format `{template}` has no status field")));
    }
    if !fields.iter().any(|f| matches!(f, Field::RequestLine | Field::Path)) {
        return Err(SloError::Usage(format!("log format `{template}` has no request or path field")));
    }
    let regex = Regex::new(&pattern).map_err(|e| SloError::Usage(format!("log format `{template}`: {e}")))?;
    Ok(LogFormat::Template { regex, fields })
}

/// The field an atom holds and the regex its value matches. `next` is the
/// character after the atom: a value inside quotes runs to the quote.
fn atom_field(name: &str, syntax: Syntax, next: Option<char>) -> (Field, &'static str) {
    let free = if next == Some('"') { r#"(?:[^"\\]|\\.)*"# } else { r".*?" };
    let field = match (syntax, name) {
        (Syntax::Gunicorn, "t") => return (Field::ClfTime, r"\[[^\]]*\]"),
        (Syntax::Nginx, "time_local") => return (Field::ClfTime, r"[^\]]*?"),
        (Syntax::Nginx, "time_iso8601") => return (Field::IsoTime, r"\S+"),
        (Syntax::Nginx, "msec") => return (Field::EpochSeconds, r"[0-9.]+"),
        (Syntax::Gunicorn, "r") | (Syntax::Nginx, "request") => Field::RequestLine,
        (Syntax::Gunicorn, "m") | (Syntax::Nginx, "request_method") => return (Field::Method, r"[A-Za-z]*"),
        (Syntax::Gunicorn, "U") | (Syntax::Nginx, "uri") | (Syntax::Nginx, "request_uri") => {
            return (Field::Path, r"[^\s?]*(?:\?[^\s]*)?")
        }
        (Syntax::Gunicorn, "s") | (Syntax::Nginx, "status") => return (Field::Status, r"\d{3}"),
        (Syntax::Gunicorn, "D") => return (Field::DurationMicros, r"\d+"),
        (Syntax::Gunicorn, "M") => return (Field::DurationMillis, r"\d+"),
        (Syntax::Gunicorn, "T") => return (Field::DurationSeconds, r"\d+"),
        (Syntax::Gunicorn, "L") | (Syntax::Nginx, "request_time") => return (Field::DurationSeconds, r"[0-9.]+"),
        _ => Field::Ignored,
    };
    (field, free)
}

fn parse_template<'a>(line: &'a str, regex: &Regex, fields: &[Field]) -> Result<Request<'a>, &'static str> {
    let caps = regex.captures(line).ok_or("does not match the log format")?;
    let mut time_ms = None;
    let mut method = "";
    let mut path = None;
    let mut status = None;
    let mut duration_us = None;
    for (i, field) in fields.iter().enumerate() {
        let Some(value) = caps.get(i + 1).map(|m| m.as_str()) else { continue };
        match field {
            Field::ClfTime => {
                time_ms = Some(parse_clf_time(value.trim_matches(|c| c == '[' || c == ']')).ok_or("bad timestamp")?)
            }
            Field::IsoTime => time_ms = Some(parse_iso8601(value).ok_or("bad timestamp")?),
            Field::EpochSeconds => time_ms = Some(epoch_ms(value.parse().map_err(|_| "bad timestamp")?)?),
            Field::RequestLine => {
                let (m, p) = split_request_line(value).ok_or("bad request line")?;
                method = m;
                path = Some(p);
            }
            Field::Method => method = value,
            Field::Path => path = Some(strip_query(value)),
            Field::Status => status = Some(value.parse().map_err(|_| "bad status")?),
            Field::DurationSeconds => duration_us = Some(scaled(value, 1e6)?),
            Field::DurationMillis => duration_us = Some(scaled(value, 1e3)?),
            Field::DurationMicros => duration_us = Some(scaled(value, 1.0)?),
            Field::Ignored => {}
        }
    }
    Ok(Request {
        time_ms: time_ms.ok_or("no timestamp")?,
        method,
        path: path.ok_or("no path")?,
        status: status.ok_or("no status")?,
        duration_us,
    })
}

fn scaled(value: &str, us_per_unit: f64) -> Result<u64, &'static str> {
    // nginx writes `-` or `0.001, 0.002` for upstream times; take the first.
    let first = value.split(',').next().unwrap_or(value).trim();
    let v: f64 = first.parse().map_err(|_| "bad duration")?;
    if !(v.is_finite() && v >= 0.0) {
        return Err("bad duration");
    }
    Ok((v * us_per_unit).round() as u64)
}

fn epoch_ms(seconds: f64) -> Result<i64, &'static str> {
    if seconds.is_finite() && seconds > 0.0 && seconds < 1e11 {
        Ok((seconds * 1000.0).round() as i64)
    } else {
        Err("bad timestamp")
    }
}

/// `GET /a?b HTTP/1.1` → (`GET`, `/a`); absolute-form targets lose scheme and host.
fn split_request_line(line: &str) -> Option<(&str, &str)> {
    let mut parts = line.split(' ');
    let method = parts.next()?;
    let target = parts.next()?;
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    Some((method, strip_query(target)))
}

fn strip_query(target: &str) -> &str {
    let mut path = target.split(['?', '#']).next().unwrap_or(target);
    if let Some(rest) = path.strip_prefix("http://").or_else(|| path.strip_prefix("https://")) {
        path = rest.find('/').map_or("/", |i| &rest[i..]);
    }
    path
}

/// `host ident user [time] "request" status bytes ["referer" "agent"]`.
fn parse_combined(line: &str) -> Result<Request<'_>, &'static str> {
    let open = line.find('[').ok_or("no [timestamp]")?;
    let close = open + line[open..].find(']').ok_or("no [timestamp]")?;
    let time_ms = parse_clf_time(&line[open + 1..close]).ok_or("bad timestamp")?;
    let rest = &line[close + 1..];
    let q1 = rest.find('"').ok_or("no \"request\"")?;
    let after = &rest[q1 + 1..];
    let bytes = after.as_bytes();
    let mut end = None;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => {
                end = Some(i);
                break;
            }
            _ => i += 1,
        }
    }
    let end = end.ok_or("unterminated \"request\"")?;
    let request = &after[..end];
    let mut tail = after[end + 1..].split_ascii_whitespace();
    let status: u16 = tail.next().ok_or("no status")?.parse().map_err(|_| "bad status")?;
    if !(100..=599).contains(&status) {
        return Err("bad status");
    }
    let (method, path) = split_request_line(request).ok_or("bad request line")?;
    Ok(Request { time_ms, method, path, status, duration_us: None })
}

fn parse_json<'a>(line: &'a str, fields: &JsonFields) -> Result<Request<'a>, &'static str> {
    let value: serde_json::Value = serde_json::from_str(line).map_err(|_| "not JSON")?;
    let object = value.as_object().ok_or("not a JSON object")?;
    let get = |names: &[String]| names.iter().find_map(|n| object.get(n.as_str()));
    let time_ms = match get(&fields.time).ok_or("no time field")? {
        serde_json::Value::Number(n) => {
            let v = n.as_f64().ok_or("bad timestamp")?;
            // Milliseconds when it looks like it (after 2286 in seconds).
            if v > 1e11 {
                v.round() as i64
            } else {
                epoch_ms(v)?
            }
        }
        serde_json::Value::String(s) => parse_iso8601(s)
            .or_else(|| parse_clf_time(s.trim_matches(|c| c == '[' || c == ']')))
            .or_else(|| s.parse::<f64>().ok().and_then(|v| epoch_ms(v).ok()))
            .ok_or("bad timestamp")?,
        _ => return Err("bad timestamp"),
    };
    let status: u16 = match get(&fields.status).ok_or("no status field")? {
        serde_json::Value::Number(n) => n.as_u64().and_then(|v| u16::try_from(v).ok()).ok_or("bad status")?,
        serde_json::Value::String(s) => s.parse().map_err(|_| "bad status")?,
        _ => return Err("bad status"),
    };
    let duration_us = fields.duration.iter().find_map(|(name, scale)| {
        let v = match object.get(name.as_str())? {
            serde_json::Value::Number(n) => n.as_f64()?,
            serde_json::Value::String(s) => s.parse().ok()?,
            _ => return None,
        };
        (v.is_finite() && v >= 0.0).then(|| (v * scale).round() as u64)
    });
    // The borrowed fields must point into `line`: find the raw string there.
    let (method, path) = if let Some(p) = get(&fields.path).and_then(|v| v.as_str()) {
        let method = get(&fields.method).and_then(|v| v.as_str()).and_then(|m| find_in(line, m)).unwrap_or("");
        (method, strip_query(find_in(line, p).ok_or("path with escapes is not supported")?))
    } else if let Some(r) = get(&fields.request).and_then(|v| v.as_str()) {
        split_request_line(find_in(line, r).ok_or("request with escapes is not supported")?)
            .ok_or("bad request line")?
    } else {
        return Err("no path field");
    };
    Ok(Request { time_ms, method, path, status, duration_us })
}

/// `value` as a slice of `line` (JSON strings without escapes appear verbatim).
fn find_in<'a>(line: &'a str, value: &str) -> Option<&'a str> {
    let quoted = format!("\"{value}\"");
    line.find(&quoted).map(|i| &line[i + 1..i + 1 + value.len()])
}

/// Longest line read; longer ones are counted as bad and skipped.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// A source of log lines.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// Standard input.
    Stdin,
    /// A file (plain or gzip).
    File(PathBuf),
}

impl Input {
    /// `-` is stdin.
    pub fn from_arg(arg: &Path) -> Input {
        if arg == Path::new("-") {
            Input::Stdin
        } else {
            Input::File(arg.to_path_buf())
        }
    }

    /// Name for messages.
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_string(),
            Input::File(p) => p.display().to_string(),
        }
    }

    /// Opens the input, decompressing gzip when the first bytes say so.
    pub fn open(&self) -> Result<Box<dyn BufRead>, SloError> {
        let raw: Box<dyn Read> = match self {
            Input::Stdin => Box::new(std::io::stdin()),
            Input::File(p) => {
                Box::new(std::fs::File::open(p).map_err(|e| SloError::Io(format!("cannot open {}: {e}", p.display())))?)
            }
        };
        let mut reader = BufReader::with_capacity(256 * 1024, raw);
        let head = reader.fill_buf().map_err(|e| SloError::Io(format!("cannot read {}: {e}", self.name())))?;
        if head.starts_with(&[0x1f, 0x8b]) {
            Ok(Box::new(BufReader::with_capacity(256 * 1024, flate2::bufread::MultiGzDecoder::new(reader))))
        } else {
            Ok(Box::new(reader))
        }
    }
}

/// Calls `each` with every line (without the newline) of `reader`. Lines
/// longer than [`MAX_LINE_BYTES`] are passed as `None` (skipped). A read
/// error (e.g. a truncated gzip member) ends the input and is returned with
/// the lines read before it.
pub fn for_each_line(mut reader: impl BufRead, mut each: impl FnMut(Option<&[u8]>)) -> Result<(), std::io::Error> {
    let mut pending: Vec<u8> = Vec::new();
    let mut overlong = false;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            if overlong {
                each(None);
            } else if !pending.is_empty() {
                each(Some(trim_cr(&pending)));
            }
            return Ok(());
        }
        let mut start = 0;
        let len = chunk.len();
        while let Some(offset) = memchr::memchr(b'\n', &chunk[start..]) {
            let end = start + offset;
            if overlong {
                each(None);
                overlong = false;
            } else if pending.is_empty() {
                each(Some(trim_cr(&chunk[start..end])));
            } else {
                if pending.len() + (end - start) > MAX_LINE_BYTES {
                    each(None);
                } else {
                    pending.extend_from_slice(&chunk[start..end]);
                    each(Some(trim_cr(&pending)));
                }
                pending.clear();
            }
            start = end + 1;
        }
        if !overlong {
            if pending.len() + (len - start) > MAX_LINE_BYTES {
                overlong = true;
                pending.clear();
            } else {
                pending.extend_from_slice(&chunk[start..]);
            }
        }
        reader.consume(len);
    }
}

fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}
