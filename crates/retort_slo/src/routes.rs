//! Request path → Flask rule, with werkzeug's converter semantics
//! (`string`, `int`, `float`, `path`, `uuid`, `any(...)`). Rules come in
//! as data; unmatched paths are grouped by shape and counted.

use std::collections::HashMap;

use regex::{Regex, RegexSet};
use serde::{Deserialize, Serialize};

/// One URL rule as the catalog resolved it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteRule {
    /// Flask rule, e.g. `/items/<int:item_id>`.
    pub rule: String,
    /// Endpoint name, if known.
    #[serde(default)]
    pub endpoint: Option<String>,
    /// Blueprint the rule belongs to, if any.
    #[serde(default)]
    pub blueprint: Option<String>,
}

/// Compiled rules.
#[derive(Clone)]
pub struct RouteMatcher {
    rules: Vec<RouteRule>,
    set: RegexSet,
    /// Per rule, its precedence key (lower wins), as werkzeug prefers
    /// static parts over converters and `path` last.
    keys: Vec<Vec<(u8, u16)>>,
    /// Per rule, the checks werkzeug's `int`/`float` converters make after
    /// the match (`<int(min=1, max=12):month>`, `fixed_digits`), with the
    /// regex that captures the values: a value that fails them is a 404.
    bounds: Vec<Option<(Regex, Vec<NumericBounds>)>>,
    /// Converter parts the matcher could not honour exactly (unknown
    /// converters), reported once.
    pub approximations: Vec<String>,
    cache: HashMap<String, Option<usize>>,
}

/// `min=`, `max=` and `fixed_digits=` of one numeric converter, for
/// capture group `group`.
#[derive(Debug, Clone, PartialEq)]
struct NumericBounds {
    group: usize,
    min: Option<f64>,
    max: Option<f64>,
    digits: Option<usize>,
}

impl NumericBounds {
    fn admits(&self, text: &str) -> bool {
        let Ok(value) = text.parse::<f64>() else { return false };
        self.digits.is_none_or(|n| text.len() == n)
            && self.min.is_none_or(|m| value >= m)
            && self.max.is_none_or(|m| value <= m)
    }
}

/// A custom converter found in the code (`retort scan`'s `converters`):
/// its regex, or the rule's first converter argument as the regex
/// (`<regex("[a-z]{3}"):code>`), and its werkzeug `weight`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomConverter {
    pub name: String,
    pub regex: Option<String>,
    #[serde(default)]
    pub regex_from_argument: bool,
    pub weight: Option<u32>,
}

/// Rules and custom converters from a scan.
#[derive(Debug, Clone, Default)]
pub struct RouteTable {
    pub rules: Vec<RouteRule>,
    pub converters: Vec<CustomConverter>,
}

/// Entries kept in the path cache before it is cleared (bounds memory).
const CACHE_LIMIT: usize = 200_000;

impl RouteMatcher {
    /// Compiles the rules (duplicates by rule text are merged, first wins)
    /// with werkzeug's built-in converters and the `custom` ones.
    pub fn new(rules: &[RouteRule], custom: &[CustomConverter]) -> RouteMatcher {
        let mut unique: Vec<RouteRule> = Vec::new();
        for r in rules {
            if !unique.iter().any(|u| u.rule == r.rule) {
                unique.push(r.clone());
            }
        }
        let mut patterns = Vec::new();
        let mut keys = Vec::new();
        let mut bounds = Vec::new();
        let mut approximations = Vec::new();
        for r in &unique {
            let compiled = compile_rule(&r.rule, custom);
            bounds.push(match compiled.bounds.is_empty() {
                true => None,
                false => Regex::new(&compiled.pattern).ok().map(|regex| (regex, compiled.bounds)),
            });
            patterns.push(compiled.pattern);
            keys.push(compiled.key);
            approximations.extend(compiled.notes);
        }
        let set = RegexSet::new(&patterns).unwrap_or_else(|_| RegexSet::empty());
        RouteMatcher { rules: unique, set, keys, bounds, approximations, cache: HashMap::new() }
    }

    /// The rules, in the order indices refer to.
    pub fn rules(&self) -> &[RouteRule] {
        &self.rules
    }

    /// Index of the rule `path` (no query string) matches, if any.
    pub fn match_path(&mut self, path: &str) -> Option<usize> {
        if let Some(hit) = self.cache.get(path) {
            return *hit;
        }
        let decoded = percent_decode(path);
        // werkzeug picks the rule first, then converts: a value its
        // converter rejects (`min`/`max`, `fixed_digits`) is a 404, not a
        // match of the next rule.
        let best = self
            .set
            .matches(&decoded)
            .into_iter()
            .min_by(|a, b| self.keys[*a].cmp(&self.keys[*b]))
            .filter(|&rule| self.within_bounds(rule, &decoded));
        if self.cache.len() >= CACHE_LIMIT {
            self.cache.clear();
        }
        self.cache.insert(path.to_string(), best);
        best
    }
}

impl RouteMatcher {
    fn within_bounds(&self, rule: usize, path: &str) -> bool {
        let Some((regex, bounds)) = &self.bounds[rule] else { return true };
        let Some(captures) = regex.captures(path) else { return false };
        bounds.iter().all(|b| captures.get(b.group).is_some_and(|m| b.admits(m.as_str())))
    }
}

/// One Flask rule, compiled.
struct CompiledRule {
    pattern: String,
    /// Precedence key (lower wins).
    key: Vec<(u8, u16)>,
    /// Numeric bounds, by capture group of `pattern`.
    bounds: Vec<NumericBounds>,
    notes: Vec<String>,
}

/// Regex, precedence key, numeric bounds and notes for one Flask rule.
fn compile_rule(rule: &str, custom: &[CustomConverter]) -> CompiledRule {
    let part = Regex::new(r"<(?:([A-Za-z_][A-Za-z0-9_]*)(?:\((.*?)\))?:)?([A-Za-z_][A-Za-z0-9_]*)>").expect("valid");
    let mut pattern = String::from("^");
    let mut key = Vec::new();
    let mut notes = Vec::new();
    let mut bounds = Vec::new();
    let mut last = 0;
    let body = rule.strip_suffix('/').filter(|b| !b.is_empty()).unwrap_or(rule);
    let trailing_slash = body.len() != rule.len();
    for caps in part.captures_iter(body) {
        let whole = caps.get(0).expect("group 0");
        let literal = &body[last..whole.start()];
        pattern.push_str(&regex::escape(literal));
        key.extend(literal.split('/').filter(|s| !s.is_empty()).map(|_| (0u8, 0u16)));
        let converter = caps.get(1).map_or("default", |m| m.as_str());
        let args = caps.get(2).map_or("", |m| m.as_str());
        let (regex, weight) = converter_regex(converter, args, rule, custom, &mut notes);
        let (min, max) = (arg_number(args, "min"), arg_number(args, "max"));
        let digits =
            if converter == "int" { arg_value(args, "fixed_digits").and_then(|n| n.parse().ok()) } else { None };
        if matches!(converter, "int" | "float") && (min.is_some() || max.is_some() || digits.is_some()) {
            bounds.push(NumericBounds { group: bounds.len() + 1, min, max, digits });
            pattern.push_str(&format!("({regex})"));
        } else {
            pattern.push_str(&format!("(?:{regex})"));
        }
        key.push((1, weight));
        last = whole.end();
    }
    let tail = &body[last..];
    pattern.push_str(&regex::escape(tail));
    key.extend(tail.split('/').filter(|s| !s.is_empty()).map(|_| (0u8, 0u16)));
    // `strict_slashes`: `/items/` also answers `/items` (with a redirect).
    if trailing_slash {
        pattern.push_str("/?");
    }
    pattern.push('$');
    CompiledRule { pattern, key, bounds, notes }
}

/// `min=1` → 1.0, `max=-2.5` → -2.5 from a converter's argument list.
fn arg_number(args: &str, name: &str) -> Option<f64> {
    args.split(',').find_map(|a| {
        let (k, v) = a.split_once('=')?;
        (k.trim() == name).then(|| v.trim().parse::<f64>().ok()).flatten()
    })
}

fn converter_regex(
    converter: &str,
    args: &str,
    rule: &str,
    custom: &[CustomConverter],
    notes: &mut Vec<String>,
) -> (String, u16) {
    let signed = args.contains("signed=True");
    let sign = if signed { "-?" } else { "" };
    match converter {
        "default" | "string" => {
            match (arg_value(args, "length"), arg_value(args, "minlength"), arg_value(args, "maxlength")) {
                (Some(n), _, _) => (format!("[^/]{{{n}}}"), 100),
                (None, None, None) => ("[^/]+".to_string(), 100),
                (None, min, max) => (format!("[^/]{{{},{}}}", min.unwrap_or("1"), max.unwrap_or("")), 100),
            }
        }
        // `fixed_digits` is checked after the match, as werkzeug does.
        "int" => (format!("{sign}\\d+"), 50),
        "float" => (format!("{sign}\\d+\\.\\d+"), 50),
        "path" => ("[^/].*?".to_string(), 200),
        "uuid" => ("[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}".to_string(), 100),
        "any" => {
            let items: Vec<String> = args
                .split(',')
                .map(|s| s.trim().trim_matches(|c| c == '"' || c == '\'').to_string())
                .filter(|s| !s.is_empty() && !s.contains('='))
                .map(|s| regex::escape(&s))
                .collect();
            (items.join("|"), 100)
        }
        other => match custom.iter().find(|c| c.name == other) {
            Some(c) => custom_regex(c, args, rule, notes),
            None => {
                notes.push(format!("{rule}: converter `{other}` is matched as a plain segment"));
                ("[^/]+".to_string(), 100)
            }
        },
    }
}

/// A custom converter's regex, checked on its own (Rust's regex engine has
/// no look-around or back-references: such a regex becomes a segment, with
/// a note). werkzeug's default weight is 100.
fn custom_regex(c: &CustomConverter, args: &str, rule: &str, notes: &mut Vec<String>) -> (String, u16) {
    let weight = c.weight.map_or(100, |w| u16::try_from(w).unwrap_or(u16::MAX));
    let regex = if c.regex_from_argument { first_string_argument(args) } else { c.regex.clone() };
    match regex {
        Some(r) if Regex::new(&format!("^(?:{r})$")).is_ok() => (r, weight),
        Some(r) => {
            notes.push(format!(
                "{rule}: converter `{}` regex `{r}` is not supported; matched as a plain segment",
                c.name
            ));
            ("[^/]+".to_string(), weight)
        }
        None => {
            notes.push(format!(
                "{rule}: converter `{}` has no regex known statically; matched as a plain segment",
                c.name
            ));
            ("[^/]+".to_string(), weight)
        }
    }
}

/// `"[a-z]{3}", x=1` → `[a-z]{3}`: werkzeug keeps a quoted argument's text
/// between the quotes as it is.
fn first_string_argument(args: &str) -> Option<String> {
    let args = args.trim_start();
    let quote = args.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let mut escaped = false;
    for (i, c) in args.char_indices().skip(1) {
        match c {
            '\\' if !escaped => escaped = true,
            c if c == quote && !escaped => return Some(args[1..i].to_string()),
            _ => escaped = false,
        }
    }
    None
}

/// `fixed_digits=4` → `4` from a converter's argument list.
fn arg_value<'a>(args: &'a str, name: &str) -> Option<&'a str> {
    args.split(',').find_map(|a| {
        let (k, v) = a.split_once('=')?;
        (k.trim() == name).then(|| v.trim()).filter(|v| v.chars().all(|c| c.is_ascii_digit()) && !v.is_empty())
    })
}

/// `%2F`-style escapes decoded (werkzeug matches the decoded path).
pub fn percent_decode(path: &str) -> String {
    if !path.contains('%') {
        return path.to_string();
    }
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(b) = hex {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Shape of an unmatched path: numbers, UUIDs and long hex tokens become
/// placeholders, so `/old/1` and `/old/2` count together.
pub fn path_shape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for (i, segment) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        let is_uuid = segment.len() == 36
            && segment
                .char_indices()
                .all(|(j, c)| if [8, 13, 18, 23].contains(&j) { c == '-' } else { c.is_ascii_hexdigit() });
        if !segment.is_empty() && segment.chars().all(|c| c.is_ascii_digit()) {
            out.push_str("{int}");
        } else if is_uuid {
            out.push_str("{uuid}");
        } else if segment.len() >= 16 && segment.chars().all(|c| c.is_ascii_hexdigit()) {
            out.push_str("{hex}");
        } else {
            out.push_str(segment);
        }
    }
    out
}
