//! Settings a project reads with `configparser` from INI files it ships.
//!
//! psiTurk's `PsiturkConfig(ConfigParser)` reads `default_configs/*.txt`
//! from its own package, then the user's `config.txt`; a blueprint is
//! registered under `if CONFIG.getboolean('Server Parameters',
//! 'enable_dashboard')`. The shipped file decides such a test the way the
//! project's defaults decide a Flask config flag: the value is taken from
//! it and the read is noted with the files that may replace it ("unless
//! config.txt replaces it"), so the branch records its assumption.
//!
//! Only instances of project subclasses of `configparser`'s parsers are
//! followed. A file is read only when it lies inside the scanned project
//! (`data_files::read_project_file`); files elsewhere (the user's, the working directory's)
//! are remembered as the ones that may replace the values.

use std::collections::BTreeMap;

use crate::interp::Interpreter;
use crate::value::{CallArgs, ClassValue, Value};

/// What one parser instance has read so far.
#[derive(Debug, Default, Clone)]
pub struct IniSettings {
    /// `(section, option)` (option lowercased, as `optionxform` does) →
    /// the value and the file that set it; `None` once a value is known
    /// only at run time.
    values: BTreeMap<(String, String), Option<(String, String)>>,
    /// Files read that are not in the project, any of which may replace
    /// the values (in reading order).
    later: Vec<String>,
}

/// Whether a project class derives from one of `configparser`'s parsers.
pub fn is_config_parser(class: &ClassValue<'_>) -> bool {
    class.external_bases().iter().any(|base| {
        matches!(
            &**base,
            "configparser.ConfigParser"
                | "configparser.RawConfigParser"
                | "configparser.SafeConfigParser"
                | "ConfigParser.ConfigParser"
                | "ConfigParser.SafeConfigParser"
        )
    })
}

/// A `configparser` method called on the instance with identity `key`.
/// `None` for methods not modelled (the caller treats them as before).
pub fn call<'p>(interp: &mut Interpreter<'p>, key: usize, method: &str, call: &CallArgs<'p>) -> Option<Value<'p>> {
    match method {
        // `read_file(open(path))`: the file object keeps its path (`data_files::open`).
        "read_file" | "readfp" => {
            let path = match call.positional.first() {
                Some(Value::Unknown(unknown)) => unknown.file.as_deref().map(str::to_string),
                Some(other) => other.as_str().map(str::to_string),
                None => None,
            };
            match path {
                Some(path) => {
                    read_paths(interp, key, vec![path]);
                }
                None => later_unknown(interp, key, "a file object known only at run time"),
            }
            Some(Value::None)
        }
        "read" => {
            let paths = match call.arg(0, "filenames") {
                Some(Value::Str(path)) => vec![path.to_string()],
                Some(other) => match other.iter_items() {
                    Some(items) => items.iter().map(|item| item.as_str().map(str::to_string)).collect::<Option<_>>()?,
                    None => {
                        later_unknown(interp, key, "a file named at run time");
                        return Some(Value::unknown("files read by `read()`"));
                    }
                },
                None => return None,
            };
            let read = read_paths(interp, key, paths);
            Some(Value::list(read.into_iter().map(Value::str).collect()))
        }
        "read_string" => {
            let text = call.arg(0, "string")?.as_str()?.to_string();
            merge(interp.ini.entry(key).or_default(), &text, "read_string()");
            Some(Value::None)
        }
        "set" => {
            let (section, option) = section_option(call)?;
            let value = call.arg(2, "value").and_then(Value::as_str).map(str::to_string);
            let conditional = !interp.conditions.is_empty();
            let settings = interp.ini.entry(key).or_default();
            let entry = match value {
                Some(value) if !conditional => Some((value, "set()".to_string())),
                _ => None,
            };
            settings.values.insert((section, option.to_lowercase()), entry);
            Some(Value::None)
        }
        "get" | "getboolean" | "getint" | "getfloat" => get(interp, key, method, call),
        "has_option" => {
            let (section, option) = section_option(call)?;
            let settings = interp.ini.get(&key)?;
            let present = settings.values.contains_key(&(section, option.to_lowercase()));
            Some(if present || settings.later.is_empty() {
                Value::Bool(present)
            } else {
                Value::unknown("whether a later configuration file sets the option")
            })
        }
        _ => None,
    }
}

/// `get(section, option, fallback=...)` and its typed variants.
fn get<'p>(interp: &mut Interpreter<'p>, key: usize, method: &str, call: &CallArgs<'p>) -> Option<Value<'p>> {
    let (section, option) = section_option(call)?;
    let settings = interp.ini.get(&key)?.clone();
    let unless = match settings.later.as_slice() {
        [] => String::new(),
        files => format!(", unless {} replaces it", files.join(" or ")),
    };
    let found = settings
        .values
        .get(&(section.clone(), option.to_lowercase()))
        .or_else(|| settings.values.get(&("DEFAULT".to_string(), option.to_lowercase())));
    let (text, source) = match found {
        Some(Some((text, source))) => (text.clone(), source.clone()),
        Some(None) => return Some(Value::unknown(format!("setting [{section}] {option}, known only at run time"))),
        None => {
            let fallback = call.keyword("fallback")?.clone();
            let shown = crate::strings::repr(&fallback).unwrap_or_else(|| "its fallback".into());
            interp.note_config_read(
                format!("setting [{section}] {option} is not in the project's files: fallback {shown}{unless}"),
                unless.is_empty(),
            );
            return Some(fallback);
        }
    };
    let value = match method {
        "getboolean" => match text.to_lowercase().as_str() {
            "1" | "yes" | "true" | "on" => Value::Bool(true),
            "0" | "no" | "false" | "off" => Value::Bool(false),
            _ => return Some(Value::unknown(format!("setting [{section}] {option} is not a boolean"))),
        },
        "getint" => match text.trim().parse::<i64>() {
            Ok(number) => Value::Int(number),
            Err(_) => return Some(Value::unknown(format!("setting [{section}] {option} is not an integer"))),
        },
        "getfloat" => return Some(Value::unknown(format!("setting [{section}] {option} as a float"))),
        _ => Value::str(&text),
    };
    interp.note_config_read(
        format!("setting [{section}] {option} = {text} as {source} sets it{unless}"),
        unless.is_empty(),
    );
    Some(value)
}

fn section_option(call: &CallArgs<'_>) -> Option<(String, String)> {
    let section = call.arg(0, "section")?.as_str()?.to_string();
    let option = call.arg(1, "option")?.as_str()?.to_string();
    Some((section, option))
}

fn later_unknown(interp: &mut Interpreter<'_>, key: usize, what: &str) {
    interp.ini.entry(key).or_default().later.push(what.to_string());
}

/// Reads the project's files among `paths`; the others are remembered as
/// later files. Returns the paths read, as `read()` does.
fn read_paths(interp: &mut Interpreter<'_>, key: usize, paths: Vec<String>) -> Vec<String> {
    let mut read = Vec::new();
    for path in paths {
        let relative = crate::paths::relative_to_root(&path);
        let text = crate::data_files::read_project_file(interp.project, &path);
        let settings = interp.ini.entry(key).or_default();
        match text {
            Some(text) => {
                merge(settings, &text, &relative);
                read.push(path);
            }
            None => settings.later.push(relative),
        }
    }
    read
}

/// Adds the settings of one INI text, as `configparser` reads it with its
/// defaults: `[section]` headers, `key = value` or `key: value`, comment
/// lines starting with `#` or `;`, indented continuation lines.
fn merge(settings: &mut IniSettings, text: &str, source: &str) {
    let mut section: Option<String> = None;
    let mut last: Option<(String, String)> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            if let Some(Some((value, _))) = last.as_ref().and_then(|k| settings.values.get_mut(k)) {
                value.push('\n');
                value.push_str(trimmed);
            }
            continue;
        }
        if let Some(name) = trimmed.strip_prefix('[').and_then(|rest| rest.strip_suffix(']')) {
            section = Some(name.to_string());
            last = None;
            continue;
        }
        let Some(section) = &section else { continue };
        let split = trimmed.find(['=', ':']);
        let (option, value) = match split {
            Some(at) => (trimmed[..at].trim(), trimmed[at + 1..].trim()),
            None => (trimmed, ""),
        };
        let key = (section.clone(), option.to_lowercase());
        settings.values.insert(key.clone(), Some((value.to_string(), source.to_string())));
        last = Some(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sections_options_and_continuations() {
        let mut settings = IniSettings::default();
        let text = "# top\n[Server Parameters]\nHost = 0.0.0.0\nenable_dashboard: false\n; note\nbanner = one\n  two\n";
        merge(&mut settings, text, "defaults.txt");
        let get = |s: &str, o: &str| settings.values.get(&(s.to_string(), o.to_string())).cloned().flatten();
        assert_eq!(get("Server Parameters", "host"), Some(("0.0.0.0".into(), "defaults.txt".into())));
        assert_eq!(get("Server Parameters", "enable_dashboard").map(|v| v.0), Some("false".into()));
        assert_eq!(get("Server Parameters", "banner").map(|v| v.0), Some("one\ntwo".into()));
    }
}
