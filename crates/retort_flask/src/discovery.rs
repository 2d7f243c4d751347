//! Module discovery through the standard library: `pkgutil.iter_modules`
//! with a package prefix, `find_spec`/`module_from_spec`, and
//! `inspect.getmembers(module, predicate)` (CKAN registers every blueprint
//! of its `views` package this way). Modules come from the project tree,
//! never from the file system at run time.

use std::rc::Rc;

use crate::interp::Interpreter;
use crate::value::{CallArgs, Value};

/// The loader `iter_modules` yields (a stand-in: its `find_spec(name)` is
/// the only method discovery code calls).
const MODULE_FINDER: &str = "pkgutil.ModuleFinder";

/// Library functions of module discovery, by canonical name.
pub fn call<'p>(interp: &mut Interpreter<'p>, importer: usize, name: &str, call: &CallArgs<'p>) -> Option<Value<'p>> {
    Some(match name {
        "pkgutil.iter_modules" => iter_modules(interp, importer, call),
        "pkgutil.ModuleFinder.find_spec" | "importlib.util.find_spec" => find_spec(interp, importer, call),
        "importlib.util.module_from_spec" => match call.arg(0, "spec") {
            Some(Value::Module(id)) => {
                interp.run_module(*id);
                Value::Module(*id)
            }
            _ => Value::unknown("module_from_spec() of a spec found at run time"),
        },
        "inspect.getmembers" => getmembers(interp, call),
        _ => return None,
    })
}

/// `pkgutil.iter_modules(path, prefix="")`: the direct submodules of the
/// project folders in `path` (`__path__`, or a folder built from
/// `__file__`), or else of the project package the prefix names, as
/// `(finder, prefix + name, ispkg)`.
fn iter_modules<'p>(interp: &mut Interpreter<'p>, importer: usize, call: &CallArgs<'p>) -> Value<'p> {
    let prefix = call.arg(1, "prefix").and_then(Value::as_str).unwrap_or("");
    let folders: Option<Vec<String>> = call
        .arg(0, "path")
        .and_then(Value::iter_items)
        .and_then(|paths| paths.iter().map(|p| p.as_str().and_then(crate::paths::inside_project)).collect());
    let folder = match (folders.as_deref(), prefix.strip_suffix('.')) {
        (Some([folder]), _) => std::path::PathBuf::from(folder),
        (_, Some(package)) => {
            let Some(package_id) = interp.project.resolve_absolute(package, importer) else {
                return Value::unknown(format!("pkgutil.iter_modules(): package `{package}` is not in the project"));
            };
            interp.project.module(package_id).path.parent().map(|p| p.to_path_buf()).unwrap_or_default()
        }
        _ => return Value::unknown("pkgutil.iter_modules() of folders known only at run time"),
    };
    let mut found: Vec<(String, bool)> = Vec::new();
    for module in &interp.project.modules {
        let Ok(rest) = module.path.strip_prefix(&folder) else { continue };
        let parts: Vec<String> = rest.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        let entry = match (parts.as_slice(), module.is_package) {
            ([file], false) => Some((file.trim_end_matches(".py").to_string(), false)),
            ([folder, _init], true) => Some((folder.clone(), true)),
            _ => None,
        };
        if let Some((name, is_package)) = entry {
            found.push((format!("{prefix}{name}"), is_package));
        }
    }
    found.sort();
    let finder = Value::External(Rc::from(MODULE_FINDER));
    Value::list(
        found
            .into_iter()
            .map(|(name, is_package)| {
                Value::Tuple(Rc::new(vec![finder.clone(), Value::str(name), Value::Bool(is_package)]))
            })
            .collect(),
    )
}

/// `finder.find_spec(name)` / `importlib.util.find_spec(name)`: the module
/// itself stands for its spec (`module_from_spec` turns it back).
fn find_spec<'p>(interp: &mut Interpreter<'p>, importer: usize, call: &CallArgs<'p>) -> Value<'p> {
    let Some(name) = call.arg(0, "fullname").or_else(|| call.arg(0, "name")).and_then(Value::as_str) else {
        return Value::unknown("find_spec() of a module named at run time");
    };
    match interp.project.resolve_absolute(name, importer) {
        Some(id) => Value::Module(id),
        None => Value::None,
    }
}

/// `inspect.getmembers(module, predicate)`: `(name, value)` pairs of the
/// module's globals, sorted by name, kept when a project `predicate`
/// returns `True` for them, or a value it cannot decide on for a project
/// object.
fn getmembers<'p>(interp: &mut Interpreter<'p>, call: &CallArgs<'p>) -> Value<'p> {
    let Some(Value::Module(id)) = call.arg(0, "object") else {
        return Value::unknown("inspect.getmembers() of an object");
    };
    let id = *id;
    interp.run_module(id);
    let mut members = interp.globals_of(id);
    members.sort_by(|a, b| a.0.cmp(&b.0));
    let predicate = call.arg(1, "predicate").cloned();
    let mut kept = Vec::new();
    for (name, value) in members {
        let keep = match &predicate {
            None | Some(Value::None) => true,
            Some(Value::Function(function)) => {
                let call = CallArgs { positional: vec![value.clone()], keywords: Vec::new() };
                match interp.call_function(function, &call) {
                    Value::Bool(verdict) => verdict,
                    // Library names (`Blueprint`, `request`) the predicate
                    // cannot be evaluated on: nothing of theirs to list.
                    _ => !matches!(value, Value::External(_) | Value::Unknown(_)),
                }
            }
            Some(_) => return Value::unknown("inspect.getmembers() with a library predicate"),
        };
        if keep {
            kept.push(Value::Tuple(Rc::new(vec![Value::str(name), value])));
        }
    }
    Value::list(kept)
}
