//! File-system paths inside the scanned project, without touching the file
//! system: `__file__`, `__path__`, `os.path`, `os.walk`, `os.listdir` and
//! Flask's `get_root_path`. Blueprint discovery code walks the package it
//! lives in (indico walks its tree for `blueprint.py` modules); here the
//! walk lists the project tree Retort loaded.
//!
//! A path inside the project is a string under [`PROJECT_ROOT`], a virtual
//! absolute directory standing for the scanned root, so `os.path` functions
//! stay string operations. Paths outside it (the current directory, `/etc`)
//! are unknown when the answer would depend on the machine.

use std::collections::BTreeSet;
use std::rc::Rc;

use retort_python::{ModuleId, Project};

use crate::value::{CallArgs, Value};

/// The scanned root as `__file__` and friends see it.
pub const PROJECT_ROOT: &str = "/<project>";

/// `__file__` of a module.
pub fn module_file(project: &Project, module: ModuleId) -> String {
    format!("{PROJECT_ROOT}/{}", project.module(module).display_path())
}

/// A path for the catalog: relative to the scanned root when it lies inside
/// the project, as written otherwise.
pub fn relative_to_root(path: &str) -> String {
    match path.strip_prefix(PROJECT_ROOT) {
        Some(rest) => rest.trim_start_matches('/').to_string(),
        None => path.to_string(),
    }
}

/// `__path__` of a package: the list holding its folder.
pub fn package_path<'p>(project: &Project, module: ModuleId) -> Value<'p> {
    let file = module_file(project, module);
    Value::list(vec![Value::str(dirname(&file))])
}

/// `os.sep`, `os.path.sep` and other string constants of `os`.
pub fn constant<'p>(name: &str) -> Option<Value<'p>> {
    match name {
        "os.sep" | "os.path.sep" | "posixpath.sep" => Some(Value::str("/")),
        "os.curdir" | "os.path.curdir" => Some(Value::str(".")),
        "os.pardir" | "os.path.pardir" => Some(Value::str("..")),
        // `six`'s type aliases on Python 3, for `isinstance` tests.
        "six.string_types" | "six.class_types" => {
            Some(builtin_types(&[if name == "six.string_types" { "str" } else { "type" }]))
        }
        "six.integer_types" => Some(builtin_types(&["int"])),
        "six.text_type" => Some(Value::External(Rc::from("builtins.str"))),
        "six.binary_type" => Some(Value::External(Rc::from("builtins.bytes"))),
        // `http.HTTPMethod` is a `StrEnum`: its members are their names.
        _ => match name.strip_prefix("http.HTTPMethod.") {
            Some(method @ ("GET" | "HEAD" | "POST" | "PUT" | "DELETE" | "PATCH" | "OPTIONS" | "TRACE" | "CONNECT")) => {
                Some(Value::str(method))
            }
            _ => None,
        },
    }
}

/// A tuple of builtin classes, as `six.string_types` is.
fn builtin_types<'p>(names: &[&str]) -> Value<'p> {
    Value::Tuple(Rc::new(names.iter().map(|n| Value::External(Rc::from(format!("builtins.{n}")))).collect()))
}

/// Path functions by canonical name; `None` for names that are not.
pub fn call<'p>(project: &Project, tree: &ProjectTree, name: &str, call: &CallArgs<'p>) -> Option<Value<'p>> {
    // Every library call passes through here: allocate only for `posixpath`.
    let name = match name.strip_prefix("posixpath.") {
        Some(rest) => std::borrow::Cow::Owned(format!("os.path.{rest}")),
        None => std::borrow::Cow::Borrowed(name),
    };
    let text = |index: usize| call.positional.get(index).and_then(Value::as_str);
    let unknown = |what: &str| Value::unknown(format!("`{name}()` of {what}"));
    Some(match &*name {
        "os.path.dirname" | "os.path.basename" | "os.path.splitext" | "os.path.normpath" => {
            let Some(path) = text(0) else { return Some(unknown("a path known only at run time")) };
            match &*name {
                "os.path.dirname" => Value::str(dirname(path)),
                "os.path.basename" => Value::str(path.rsplit('/').next().unwrap_or(path)),
                "os.path.normpath" => Value::str(normpath(path)),
                _ => {
                    let base_start = path.rfind('/').map_or(0, |i| i + 1);
                    let split = path[base_start..].rfind('.').filter(|dot| *dot > 0).map(|dot| base_start + dot);
                    let (stem, extension) = path.split_at(split.unwrap_or(path.len()));
                    Value::Tuple(std::rc::Rc::new(vec![Value::str(stem), Value::str(extension)]))
                }
            }
        }
        "os.path.abspath" | "os.path.realpath" => match text(0) {
            Some(path) if path.starts_with('/') => Value::str(normpath(path)),
            _ => unknown("a path relative to the current directory"),
        },
        "pathlib.Path" | "pathlib.PurePath" | "pathlib.PosixPath" | "pathlib.PurePosixPath"
            if call.positional.is_empty() =>
        {
            Value::str(".")
        }
        "os.path.join" | "pathlib.Path" | "pathlib.PurePath" | "pathlib.PosixPath" | "pathlib.PurePosixPath" => {
            let parts: Option<Vec<&str>> = call.positional.iter().map(Value::as_str).collect();
            let Some(parts) = parts.filter(|parts| !parts.is_empty()) else {
                return Some(unknown("parts known only at run time"));
            };
            let mut joined = String::new();
            for part in parts {
                if part.starts_with('/') || joined.is_empty() {
                    joined = part.to_string();
                } else if joined.ends_with('/') {
                    joined.push_str(part);
                } else {
                    joined = format!("{joined}/{part}");
                }
            }
            Value::str(joined)
        }
        "os.path.relpath" => match (text(0).and_then(inside_project), text(1).and_then(inside_project)) {
            (Some(path), Some(start)) => Value::str(relpath(&path, &start)),
            _ => unknown("paths outside the project"),
        },
        "os.path.exists" | "os.path.isdir" | "os.path.isfile" => {
            let Some(path) = text(0).and_then(inside_project) else {
                return Some(unknown("a path outside the project"));
            };
            let files = tree.files(project);
            let (file, folder) = (files.contains(&path), is_folder(files, &path));
            Value::Bool(match &*name {
                "os.path.isdir" => folder,
                "os.path.isfile" => file,
                _ => file || folder,
            })
        }
        "os.walk" => match text(0).and_then(inside_project) {
            Some(top) => walk(tree.files(project), &top),
            None => unknown("a folder outside the project"),
        },
        "os.listdir" => match text(0).and_then(inside_project) {
            Some(folder) => {
                let (mut entries, files) = children(tree.files(project), &folder);
                entries.extend(files);
                entries.sort();
                Value::list(entries.into_iter().map(Value::str).collect())
            }
            None => unknown("a folder outside the project"),
        },
        "flask.helpers.get_root_path" | "flask.helpers.get_package_path" => {
            let Some(module) = text(0).and_then(|name| project.modules.iter().find(|m| m.name == name)) else {
                return Some(unknown("a module outside the project"));
            };
            Value::str(dirname(&format!("{PROJECT_ROOT}/{}", module.display_path())))
        }
        _ => return None,
    })
}

/// `os.walk(top)`, top-down with sorted entries: `(folder, folders, files)`.
fn walk<'p>(files: &BTreeSet<String>, top: &str) -> Value<'p> {
    let mut out = Vec::new();
    let mut pending = vec![top.to_string()];
    while let Some(folder) = pending.pop() {
        if !is_folder(files, &folder) {
            continue;
        }
        let (folders, names) = children(files, &folder);
        let virtual_folder =
            if folder.is_empty() { PROJECT_ROOT.to_string() } else { format!("{PROJECT_ROOT}/{folder}") };
        let strings = |items: &[String]| Value::list(items.iter().map(Value::str).collect());
        out.push(Value::Tuple(std::rc::Rc::new(vec![Value::str(&virtual_folder), strings(&folders), strings(&names)])));
        let join = |sub: &String| if folder.is_empty() { sub.clone() } else { format!("{folder}/{sub}") };
        pending.extend(folders.iter().rev().map(join));
    }
    Value::list(out)
}

/// `os.path.relpath` between two project-relative paths.
fn relpath(path: &str, start: &str) -> String {
    let split = |p: &str| -> Vec<String> { p.split('/').filter(|s| !s.is_empty()).map(str::to_string).collect() };
    let (path, start) = (split(path), split(start));
    let common = path.iter().zip(&start).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); start.len() - common];
    parts.extend(path[common..].iter().cloned());
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

/// `pathlib.Path` objects are path strings here: `Path(__file__).parent /
/// "static"` is `"/<project>/pkg/static"`. (A real `str` has none of these
/// attributes and cannot be divided, so valid code never mixes them up.)
pub fn path_attribute<'p>(path: &str, name: &str) -> Option<Value<'p>> {
    let base = path.rsplit('/').next().unwrap_or(path);
    let dot = base.rfind('.').filter(|dot| *dot > 0);
    Some(match name {
        "parent" => Value::str(match dirname(path) {
            parent if parent.is_empty() => ".".to_string(),
            parent => parent,
        }),
        // `Path(__file__).parents[2]`: every ancestor, nearest first.
        "parents" => {
            let mut ancestors = Vec::new();
            let mut current = dirname(path);
            while !current.is_empty() && ancestors.len() < 64 {
                ancestors.push(Value::str(&current));
                let up = dirname(&current);
                if up == current {
                    break;
                }
                current = up;
            }
            Value::Tuple(Rc::new(ancestors))
        }
        "name" => Value::str(base),
        "stem" => Value::str(dot.map_or(base, |dot| &base[..dot])),
        "suffix" => Value::str(dot.map_or("", |dot| &base[dot..])),
        _ => return None,
    })
}

/// Methods of `pathlib.Path` on a path string.
pub fn path_method<'p>(
    project: &Project,
    tree: &ProjectTree,
    path: &str,
    name: &str,
    call: &CallArgs<'p>,
) -> Option<Value<'p>> {
    let with_path = |function: &str, extra: &[Value<'p>]| {
        let mut args = CallArgs { positional: vec![Value::str(path)], keywords: Vec::new() };
        args.positional.extend(extra.iter().cloned());
        self::call(project, tree, function, &args)
    };
    match name {
        "resolve" | "absolute" => with_path("os.path.abspath", &[]),
        "joinpath" => with_path("os.path.join", &call.positional),
        "open" => crate::data_files::open(Some(&Value::str(path))),
        "exists" => with_path("os.path.exists", &[]),
        "is_dir" => with_path("os.path.isdir", &[]),
        "is_file" => with_path("os.path.isfile", &[]),
        "iterdir" => match with_path("os.listdir", &[])? {
            Value::List(names) => {
                let joined: Vec<String> =
                    names.borrow().iter().filter_map(Value::as_str).map(|n| format!("{path}/{n}")).collect();
                Some(Value::list(joined.into_iter().map(Value::str).collect()))
            }
            other => Some(other),
        },
        "with_suffix" => {
            let suffix = call.positional.first()?.as_str()?;
            let stem_end = path.rfind('.').filter(|dot| *dot > path.rfind('/').map_or(0, |s| s + 1));
            Some(Value::str(format!("{}{suffix}", &path[..stem_end.unwrap_or(path.len())])))
        }
        _ => None,
    }
}

/// `os.path.dirname`.
pub(crate) fn dirname(path: &str) -> String {
    match path.rfind('/') {
        Some(0) => "/".to_string(),
        Some(i) => path[..i].trim_end_matches('/').to_string(),
        None => String::new(),
    }
}

/// `os.path.normpath` on a POSIX path.
pub(crate) fn normpath(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|last| *last != "..") => {
                parts.pop();
            }
            ".." if absolute => {}
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (absolute, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// The project-relative folder or file a virtual path names (`""` for the
/// root), or `None` for a path outside the project.
pub fn inside_project(path: &str) -> Option<String> {
    let normal = normpath(path);
    let rest = normal.strip_prefix(PROJECT_ROOT)?;
    if rest.is_empty() {
        return Some(String::new());
    }
    rest.strip_prefix('/').map(str::to_string)
}

/// The project's files as `os.walk` and friends list them, built on first
/// use and kept for the run.
#[derive(Default)]
pub struct ProjectTree {
    files: std::cell::OnceCell<BTreeSet<String>>,
}

impl ProjectTree {
    fn files(&self, project: &Project) -> &BTreeSet<String> {
        self.files.get_or_init(|| project_files(project))
    }
}

/// Every file of the project, relative to the root: the Python modules and
/// other files the walk kept, and the data files on disk beside them (a
/// static folder's `css/` and `img/`), which the walk does not keep.
fn project_files(project: &Project) -> BTreeSet<String> {
    let mut files: BTreeSet<String> = project.modules.iter().map(|m| m.display_path()).collect();
    files.extend(project.other_files.iter().map(|p| p.to_string_lossy().replace('\\', "/")));
    add_files_on_disk(&project.root, "", &mut files);
    files
}

/// Files below `root/folder` on disk, without hidden folders, caches and
/// `node_modules`; at most `MAX_LISTED_FILES` in all.
fn add_files_on_disk(root: &std::path::Path, folder: &str, files: &mut BTreeSet<String>) {
    const MAX_LISTED_FILES: usize = 50_000;
    let Ok(entries) = std::fs::read_dir(root.join(folder)) else { return };
    for entry in entries.flatten() {
        if files.len() >= MAX_LISTED_FILES {
            return;
        }
        let name = entry.file_name().to_string_lossy().to_string();
        let path = if folder.is_empty() { name.clone() } else { format!("{folder}/{name}") };
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => {
                if !name.starts_with('.') && name != "__pycache__" && name != "node_modules" {
                    add_files_on_disk(root, &path, files);
                }
            }
            Ok(_) => {
                files.insert(path);
            }
            Err(_) => {}
        }
    }
}

/// The direct children of a project folder: (folders, files), sorted.
fn children(files: &BTreeSet<String>, folder: &str) -> (Vec<String>, Vec<String>) {
    let prefix = if folder.is_empty() { String::new() } else { format!("{folder}/") };
    let mut folders = BTreeSet::new();
    let mut names = Vec::new();
    // The files under `prefix` sort together, right from `prefix` on.
    for file in files.range(prefix.clone()..).take_while(|f| f.starts_with(&prefix)) {
        match file[prefix.len()..].split_once('/') {
            Some((sub, _)) => {
                folders.insert(sub.to_string());
            }
            None => names.push(file[prefix.len()..].to_string()),
        }
    }
    (folders.into_iter().collect(), names)
}

/// Whether some file lies under `path/`: the files of a folder sort
/// together, right from `path/` on.
fn is_folder(files: &BTreeSet<String>, path: &str) -> bool {
    let folder = format!("{path}/");
    path.is_empty() || files.range(folder.clone()..).next().is_some_and(|f| f.starts_with(&folder))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posix_path_helpers() {
        assert_eq!(dirname("/<project>/pkg/app.py"), "/<project>/pkg");
        assert_eq!(dirname("app.py"), "");
        assert_eq!(normpath("/<project>/pkg/../other/./x"), "/<project>/other/x");
        assert_eq!(normpath("a/../.."), "..");
        assert_eq!(relpath("pkg/web/views", "pkg"), "web/views");
        assert_eq!(relpath("pkg", "pkg"), ".");
        assert_eq!(relpath("other", "pkg/web"), "../../other");
        assert_eq!(inside_project("/<project>/pkg/"), Some("pkg".into()));
        assert_eq!(inside_project("/etc"), None);
    }

    #[test]
    fn walk_lists_the_project_tree_top_down() {
        let files: BTreeSet<String> = ["pkg/__init__.py", "pkg/a/blueprint.py", "pkg/b/c/x.py", "setup.py"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let rendered: Vec<String> = walk(&files, "pkg")
            .iter_items()
            .unwrap()
            .iter()
            .map(|entry| {
                let items = entry.iter_items().unwrap();
                let names = |v: &Value<'_>| {
                    v.iter_items()
                        .unwrap()
                        .iter()
                        .map(|n| n.as_str().unwrap().to_string())
                        .collect::<Vec<_>>()
                        .join(",")
                };
                format!("{} [{}] [{}]", items[0].as_str().unwrap(), names(&items[1]), names(&items[2]))
            })
            .collect();
        assert_eq!(
            rendered,
            [
                "/<project>/pkg [a,b] [__init__.py]",
                "/<project>/pkg/a [] [blueprint.py]",
                "/<project>/pkg/b [c] []",
                "/<project>/pkg/b/c [] [x.py]",
            ]
        );
        assert_eq!(walk(&files, "missing").iter_items().unwrap().len(), 0);
    }
}
