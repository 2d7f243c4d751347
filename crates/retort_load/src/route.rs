//! Flask URL rules (`/items/<int:id>`) turned into request path templates
//! with typed default values, for scenarios generated from a scan.

/// A Flask rule converted to a path template.
#[derive(Debug, Clone, PartialEq)]
pub struct RulePath {
    /// The path with `{name}` placeholders, e.g. `/items/{id}`.
    pub template: String,
    /// Each parameter with a value that its converter accepts.
    pub defaults: Vec<(String, String)>,
}

/// Converts a Flask rule into a path template and typed default values.
///
/// Converters: `int` gives `1` (or its `min`), `float` `1.0`, `uuid` a fixed
/// UUID, `path` `a/b`, `any(x, y)` its first option, `string` and unknown
/// converters `a`. Malformed rules are kept as literal text.
pub fn rule_to_template(rule: &str) -> RulePath {
    let mut template = String::new();
    let mut defaults = Vec::new();
    let mut rest = rule;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let inner = &rest[open + 1..open + close];
        template.push_str(&escape_braces(&rest[..open]));
        let (converter, name) = match inner.rsplit_once(':') {
            Some((converter, name)) => (converter.trim(), name.trim()),
            None => ("default", inner.trim()),
        };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            template.push_str(&escape_braces(&rest[open..=open + close]));
        } else {
            template.push('{');
            template.push_str(name);
            template.push('}');
            defaults.push((name.to_string(), converter_default(converter)));
        }
        rest = &rest[open + close + 1..];
    }
    template.push_str(&escape_braces(rest));
    RulePath { template, defaults }
}

// Literal braces in a rule must not turn into placeholders.
fn escape_braces(text: &str) -> String {
    text.replace('{', "%7B").replace('}', "%7D")
}

fn converter_default(converter: &str) -> String {
    let (name, args) = match converter.split_once('(') {
        Some((name, args)) => (name.trim(), args.trim_end_matches(')')),
        None => (converter, ""),
    };
    match name {
        "int" => keyword_arg(args, "min")
            .and_then(|v| v.parse::<i64>().ok())
            .map(|v| v.to_string())
            .unwrap_or_else(|| "1".into()),
        "float" => keyword_arg(args, "min")
            .and_then(|v| v.parse::<f64>().ok())
            .map(|v| format!("{v:?}"))
            .unwrap_or_else(|| "1.0".into()),
        "uuid" => "00000000-0000-4000-8000-000000000001".into(),
        "path" => "a/b".into(),
        "any" => args
            .split(',')
            .next()
            .map(|v| v.trim().trim_matches(|c| c == '"' || c == '\'').to_string())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| "a".into()),
        _ => "a".into(),
    }
}

fn keyword_arg<'a>(args: &'a str, key: &str) -> Option<&'a str> {
    args.split(',').find_map(|arg| {
        let (k, v) = arg.split_once('=')?;
        (k.trim() == key).then_some(v.trim())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converters_give_typed_defaults() {
        let r = rule_to_template("/items/<int:item_id>/files/<path:p>");
        assert_eq!(r.template, "/items/{item_id}/files/{p}");
        assert_eq!(r.defaults, vec![("item_id".into(), "1".into()), ("p".into(), "a/b".into())]);
        let r = rule_to_template("/u/<uuid:u>/<float:x>/<name>/<any(left, right):side>/<int(min=5):n>");
        assert_eq!(r.template, "/u/{u}/{x}/{name}/{side}/{n}");
        let values: Vec<_> = r.defaults.iter().map(|(_, v)| v.as_str()).collect();
        assert_eq!(values, vec!["00000000-0000-4000-8000-000000000001", "1.0", "a", "left", "5"]);
    }

    #[test]
    fn malformed_rules_stay_literal() {
        assert_eq!(rule_to_template("/a/<broken").template, "/a/<broken");
        assert_eq!(rule_to_template("/a/{x}").template, "/a/%7Bx%7D");
        assert_eq!(rule_to_template("/a/<int:>").template, "/a/<int:>");
    }
}
