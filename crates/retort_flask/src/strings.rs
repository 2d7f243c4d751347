//! Constant folding of Python string building: `%` formatting,
//! `str.format`, and the common `str` methods.

use crate::value::{CallArgs, Value};

/// `template % args` for `%s`, `%d`, `%r`, `%(name)s` and `%%`.
pub fn percent_format(template: &str, args: &Value<'_>) -> Option<String> {
    let positional: Vec<Value<'_>> = match args {
        Value::Tuple(items) => items.as_ref().clone(),
        Value::Dict(_) => Vec::new(),
        other => vec![other.clone()],
    };
    let mut next = positional.iter();
    let mut out = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut key = None;
        if chars.peek() == Some(&'(') {
            chars.next();
            let name: String = chars.by_ref().take_while(|&c| c != ')').collect();
            key = Some(name);
        }
        // Flags, width and precision are skipped; they rarely appear in URLs.
        while chars.peek().is_some_and(|c| "-+ #0123456789.".contains(*c)) {
            chars.next();
        }
        let conversion = chars.next()?;
        if conversion == '%' {
            out.push('%');
            continue;
        }
        let value = match &key {
            Some(name) => match args {
                Value::Dict(items) => {
                    items.borrow().iter().find(|(k, _)| k.as_str() == Some(name.as_str())).map(|(_, v)| v.clone())?
                }
                _ => return None,
            },
            None => next.next()?.clone(),
        };
        match conversion {
            's' | 'd' | 'i' => out.push_str(&value.display()?),
            'r' => out.push_str(&repr(&value)?),
            _ => return None,
        }
    }
    Some(out)
}

/// Python `repr()` of simple values.
pub fn repr(value: &Value<'_>) -> Option<String> {
    let items = |values: &[Value<'_>]| values.iter().map(repr).collect::<Option<Vec<_>>>().map(|v| v.join(", "));
    match value {
        Value::Str(s) => Some(format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))),
        Value::List(list) => items(&list.borrow()).map(|inner| format!("[{inner}]")),
        Value::Tuple(tuple) if tuple.len() == 1 => items(tuple).map(|inner| format!("({inner},)")),
        Value::Tuple(tuple) => items(tuple).map(|inner| format!("({inner})")),
        Value::Dict(dict) if dict.borrow().is_empty() => Some("{}".to_string()),
        other => other.display(),
    }
}

/// `template.format(*args, **kwargs)` for `{}`, `{0}`, `{name}`, `!r`/`!s`
/// conversions and `{{`/`}}` escapes.
pub fn str_format(template: &str, call: &CallArgs<'_>) -> Option<String> {
    let mut out = String::new();
    let mut auto_index = 0;
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let field: String = chars.by_ref().take_while(|&c| c != '}').collect();
                let (name_part, spec) = field.split_once(':').unwrap_or((&field, ""));
                let (name, conversion) = name_part.split_once('!').unwrap_or((name_part, ""));
                if name.contains(['.', '[']) {
                    return None;
                }
                let value = if name.is_empty() {
                    auto_index += 1;
                    call.positional.get(auto_index - 1)?
                } else if let Ok(index) = name.parse::<usize>() {
                    call.positional.get(index)?
                } else {
                    call.keyword(name)?
                };
                if !spec.is_empty() {
                    return None;
                }
                match conversion {
                    "r" => out.push_str(&repr(value)?),
                    "" | "s" => out.push_str(&value.display()?),
                    _ => return None,
                }
            }
            other => out.push(other),
        }
    }
    Some(out)
}

fn chars_arg(call: &CallArgs<'_>) -> Option<Option<String>> {
    match call.positional.first() {
        None | Some(Value::None) => Some(None),
        Some(Value::Str(s)) => Some(Some(s.to_string())),
        _ => None,
    }
}

/// Calls a `str` method on a known string. `None` when not foldable.
pub fn call_str_method<'p>(receiver: &str, method: &str, call: &CallArgs<'p>) -> Option<Value<'p>> {
    let arg_str = |i: usize| call.positional.get(i).and_then(Value::as_str);
    Some(match method {
        "format" => Value::str(str_format(receiver, call)?),
        "join" => {
            let items = call.positional.first()?.iter_items()?;
            let parts: Option<Vec<String>> = items.iter().map(|v| v.as_str().map(str::to_string)).collect();
            Value::str(parts?.join(receiver))
        }
        "strip" | "lstrip" | "rstrip" => {
            let set = chars_arg(call)?;
            let pred = |c: char| match &set {
                Some(chars) => chars.contains(c),
                None => c.is_whitespace(),
            };
            Value::str(match method {
                "strip" => receiver.trim_matches(pred),
                "lstrip" => receiver.trim_start_matches(pred),
                _ => receiver.trim_end_matches(pred),
            })
        }
        "lower" => Value::str(receiver.to_lowercase()),
        "upper" => Value::str(receiver.to_uppercase()),
        "title" | "capitalize" if receiver.is_ascii() => {
            let mut out = String::new();
            let mut start = true;
            for c in receiver.chars() {
                out.push(if start {
                    c.to_ascii_uppercase()
                } else if method == "capitalize" {
                    c.to_ascii_lowercase()
                } else {
                    c
                });
                start = method == "title" && !c.is_ascii_alphanumeric();
            }
            Value::str(out)
        }
        "replace" => Value::str(receiver.replace(arg_str(0)?, arg_str(1)?)),
        "removeprefix" => Value::str(receiver.strip_prefix(arg_str(0)?).unwrap_or(receiver)),
        "removesuffix" => Value::str(receiver.strip_suffix(arg_str(0)?).unwrap_or(receiver)),
        "startswith" => Value::Bool(receiver.starts_with(arg_str(0)?)),
        "endswith" => Value::Bool(receiver.ends_with(arg_str(0)?)),
        "split" if call.positional.len() <= 1 && call.keywords.is_empty() => {
            let parts: Vec<Value<'p>> = match arg_str(0) {
                Some(sep) => receiver.split(sep).map(Value::str).collect(),
                None => receiver.split_whitespace().map(Value::str).collect(),
            };
            Value::list(parts)
        }
        // `import_name.rsplit(".", 1)`: a separator and at most so many splits.
        "split" | "rsplit" => {
            let sep = arg_str(0).filter(|sep| !sep.is_empty())?;
            let limit = match (call.positional.get(1), call.keywords.as_slice()) {
                (Some(Value::Int(n)), []) => *n,
                (None, [(key, Value::Int(n))]) if key == "maxsplit" => *n,
                (None, []) => -1,
                _ => return None,
            };
            let parts: Vec<&str> = match (usize::try_from(limit), method) {
                (Err(_), "split") => receiver.split(sep).collect(),
                (Err(_), _) => receiver.rsplit(sep).collect::<Vec<_>>().into_iter().rev().collect(),
                (Ok(n), "split") => receiver.splitn(n + 1, sep).collect(),
                (Ok(n), _) => receiver.rsplitn(n + 1, sep).collect::<Vec<_>>().into_iter().rev().collect(),
            };
            Value::list(parts.into_iter().map(Value::str).collect())
        }
        "partition" | "rpartition" => {
            let sep = arg_str(0).filter(|sep| !sep.is_empty())?;
            let found = if method == "partition" { receiver.split_once(sep) } else { receiver.rsplit_once(sep) };
            let parts = match (found, method) {
                (Some((head, tail)), _) => [head, sep, tail],
                (None, "partition") => [receiver, "", ""],
                (None, _) => ["", "", receiver],
            };
            Value::Tuple(std::rc::Rc::new(parts.into_iter().map(Value::str).collect()))
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_formats() {
        let args = Value::Tuple(std::rc::Rc::new(vec![Value::str("users"), Value::Int(2)]));
        assert_eq!(percent_format("/%s/v%d/%%", &args).unwrap(), "/users/v2/%");
        assert_eq!(percent_format("/%r", &Value::str("x")).unwrap(), "/'x'");
    }

    #[test]
    fn format_fields() {
        let call = CallArgs {
            positional: vec![Value::str("a"), Value::str("b")],
            keywords: vec![("k".into(), Value::Int(3))],
        };
        assert_eq!(str_format("/{}/{1}/{k}/{{x}}", &call).unwrap(), "/a/b/3/{x}");
        assert!(str_format("/{0.attr}", &call).is_none());
    }

    #[test]
    fn str_methods() {
        let call = CallArgs { positional: vec![Value::str("/")], keywords: vec![] };
        assert_eq!(call_str_method("/api/", "rstrip", &call).unwrap().as_str(), Some("/api"));
        let join = CallArgs { positional: vec![Value::list(vec![Value::str("a"), Value::str("b")])], keywords: vec![] };
        assert_eq!(call_str_method("/", "join", &join).unwrap().as_str(), Some("a/b"));
        let underscore = CallArgs { positional: vec![Value::str("_")], keywords: vec![] };
        let parts = |value: Value<'_>| -> Vec<String> {
            value.iter_items().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
        };
        let partition = call_str_method("get_source_slice", "partition", &underscore).unwrap();
        assert_eq!(parts(partition), ["get", "_", "source_slice"]);
        let rpartition = call_str_method("get_source_slice", "rpartition", &underscore).unwrap();
        assert_eq!(parts(rpartition), ["get_source", "_", "slice"]);
        assert_eq!(parts(call_str_method("index", "partition", &underscore).unwrap()), ["index", "", ""]);
        assert_eq!(parts(call_str_method("index", "rpartition", &underscore).unwrap()), ["", "", "index"]);
        let maxsplit = CallArgs { positional: vec![Value::str("_"), Value::Int(1)], keywords: vec![] };
        assert_eq!(parts(call_str_method("a_b_c", "split", &maxsplit).unwrap()), ["a", "b_c"]);
        assert_eq!(parts(call_str_method("a_b_c", "rsplit", &maxsplit).unwrap()), ["a_b", "c"]);
        assert_eq!(parts(call_str_method("a_b_c", "rsplit", &underscore).unwrap()), ["a", "b", "c"]);
        let keyword =
            CallArgs { positional: vec![Value::str("_")], keywords: vec![("maxsplit".into(), Value::Int(0))] };
        assert_eq!(parts(call_str_method("a_b_c", "split", &keyword).unwrap()), ["a_b_c"]);
        let whitespace = CallArgs { positional: vec![Value::None, Value::Int(1)], keywords: vec![] };
        assert!(call_str_method("a b c", "split", &whitespace).is_none(), "whitespace with maxsplit is not modelled");
    }
}
