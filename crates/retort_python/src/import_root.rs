//! Where module names start: the import root of the scanned folder and the
//! source roots its packaging declares.
//!
//! Python names a module after the package chain above it, so the same file
//! is `myapp.views` whether the user points Retort at the repository, at
//! `src/`, or at the `myapp/` package itself (an installed package in
//! `site-packages`, say). Like Python tools (pytest's rootdir logic, mypy's
//! `--explicit-package-bases` off), the scanned folder's own package chain is
//! found by walking up while `__init__.py` is present. Source roots that
//! packaging declares (`src/` layouts in `pyproject.toml`, setuptools
//! `package-dir`, Poetry `from`, Hatch wheel `packages`, PDM/flit
//! `package-dir`) name the folders under them as packages even without an
//! `__init__.py` (PEP 420 namespace packages).

use std::path::{Path, PathBuf};

use serde::Serialize;

/// Folders above the scanned root that are examined at most (a guard
/// against pathological trees; real package chains are a few levels).
const MAX_PARENT_PACKAGES: usize = 32;

/// How module names are formed for one scanned root.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct ImportRoot {
    /// The folder module names start from, relative to the scanned root
    /// (`.` when the scanned folder is not itself a package, `..` for a
    /// package folder, `../..` for a subpackage).
    pub path: String,
    /// The dotted package name of the scanned folder when it is itself a
    /// package (`myapp`, `myapp.api`); module names below it carry it.
    pub package: Option<String>,
    /// Source roots declared by packaging or by convention (`src`),
    /// relative to the scanned root: files below them are named from them,
    /// namespace packages included.
    pub source_roots: Vec<String>,
    /// How the import root was found, in words (printed in the summary).
    pub how: String,
}

impl ImportRoot {
    /// The import root of `root` (an existing folder).
    pub fn discover(root: &Path) -> Self {
        let absolute = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let mut packages: Vec<String> = Vec::new();
        let mut current = absolute.clone();
        while current.join("__init__.py").is_file() && packages.len() < MAX_PARENT_PACKAGES {
            let Some(name) = current.file_name().map(|n| n.to_string_lossy().into_owned()) else { break };
            packages.push(name);
            let Some(parent) = current.parent() else { break };
            current = parent.to_path_buf();
        }
        packages.reverse();
        let mut namespaces: Vec<String> = Vec::new();
        if !packages.is_empty() {
            let top = absolute.ancestors().nth(packages.len() - 1).unwrap_or(&absolute).to_path_buf();
            for namespace in namespace_parents(&current, &packages, &top) {
                packages.insert(0, namespace.clone());
                namespaces.insert(0, namespace);
                current = current.parent().map(Path::to_path_buf).unwrap_or(current);
            }
        }
        let mut source_roots = declared_source_roots(root);
        if packages.is_empty() && root.join("src").is_dir() && !root.join("src/__init__.py").is_file() {
            source_roots.push("src".to_string());
        }
        source_roots.sort();
        source_roots.dedup();
        if packages.is_empty() {
            if let Some(namespace) = scanned_namespace_package(&absolute) {
                let how = format!(
                    "{} (the scanned folder is namespace package `{namespace}`: it has no __init__.py, and its \
                     packages import themselves through it)",
                    absolute.parent().unwrap_or(&absolute).display()
                );
                return Self { path: "..".into(), package: Some(namespace), source_roots: Vec::new(), how };
            }
            let how = if source_roots.is_empty() {
                "the scanned folder (module names follow each file's __init__.py chain)".to_string()
            } else {
                format!("the scanned folder, with source roots {}", source_roots.join(", "))
            };
            return Self { path: ".".into(), package: None, source_roots, how };
        }
        let up = vec![".."; packages.len()].join("/");
        let package = packages.join(".");
        let mut how = format!("{} (the scanned folder is package `{package}`", current.display());
        if !namespaces.is_empty() {
            how.push_str(&format!(
                "; `{}` has no __init__.py: a namespace package the project's imports go through",
                namespaces.join(".")
            ));
        }
        how.push(')');
        // Declared source roots are only looked for at a project root, which
        // a package folder is not.
        Self { path: up, package: Some(package), source_roots: Vec::new(), how }
    }

    /// A naming where the scanned folder is the import root and nothing is
    /// declared (in-memory projects).
    pub fn plain() -> Self {
        Self { path: ".".into(), package: None, source_roots: Vec::new(), how: "the scanned folder".into() }
    }
}

/// Files of the top package read at most when looking for namespace
/// packages above it.
const MAX_NAMESPACE_PROBE_FILES: usize = 400;

/// PEP 420 namespace packages above the top package `packages[0]` (whose
/// folder is `top`, inside `parent`): a folder without `__init__.py` counts
/// as one when the package's own files import the package through it
/// (`from cryptoadvance.specter.util import x` inside
/// `cryptoadvance/specter/`). Outermost last.
fn namespace_parents(parent: &Path, packages: &[String], top: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut folder = parent.to_path_buf();
    let mut dotted = packages[0].clone();
    while found.len() < MAX_PARENT_PACKAGES {
        let Some(name) = folder.file_name().map(|n| n.to_string_lossy().into_owned()) else { break };
        if !is_identifier(&name) || folder.join("__init__.py").is_file() {
            break;
        }
        let candidate = format!("{name}.{dotted}");
        if !package_imports(top, &candidate) {
            break;
        }
        found.push(name);
        dotted = candidate;
        let Some(up) = folder.parent() else { break };
        folder = up.to_path_buf();
    }
    found
}

/// The scanned folder as a PEP 420 namespace package (`swh/` holding
/// `swh/core/`, `swh/storage/`, … without `swh/__init__.py`): its name,
/// when one of its packages imports itself through it (`from swh.storage
/// import x` inside `swh/storage/`).
fn scanned_namespace_package(folder: &Path) -> Option<String> {
    let name = folder.file_name()?.to_string_lossy().into_owned();
    if !is_identifier(&name) || folder.join("__init__.py").is_file() {
        return None;
    }
    let mut packages: Vec<(String, PathBuf)> = std::fs::read_dir(folder)
        .ok()?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.join("__init__.py").is_file())
        .filter_map(|path| Some((path.file_name()?.to_string_lossy().into_owned(), path)))
        .filter(|(sub, _)| is_identifier(sub))
        .collect();
    packages.sort();
    packages.iter().any(|(sub, path)| package_imports(path, &format!("{name}.{sub}"))).then_some(name)
}

/// Whether a Python file under `top` imports `dotted` or a module below it.
fn package_imports(top: &Path, dotted: &str) -> bool {
    let needles = [format!("from {dotted}"), format!("import {dotted}")];
    any_python_file(top, MAX_NAMESPACE_PROBE_FILES, |text| {
        needles.iter().any(|needle| {
            text.match_indices(needle.as_str())
                .any(|(at, _)| matches!(text[at + needle.len()..].chars().next(), Some('.' | ' ' | '\n' | '\r' | ',')))
        })
    })
}

/// Whether `test` holds for the text of one of the first `max_files` Python
/// files under `top` (read in folder order; unreadable files are empty).
pub(crate) fn any_python_file(top: &Path, max_files: usize, mut test: impl FnMut(&str) -> bool) -> bool {
    let mut pending = vec![top.to_path_buf()];
    let mut read = 0;
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for path in entries.flatten().map(|entry| entry.path()) {
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "py") {
                read += 1;
                if read > max_files {
                    return false;
                }
                if test(&std::fs::read_to_string(&path).unwrap_or_default()) {
                    return true;
                }
            }
        }
    }
    false
}

/// Source roots from `pyproject.toml` (setuptools, Poetry, Hatch, PDM) and
/// `setup.cfg` (`package_dir`), relative to `root`, existing folders only.
fn declared_source_roots(root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    if let Ok(text) = std::fs::read_to_string(root.join("pyproject.toml")) {
        if let Ok(doc) = text.parse::<toml::Table>() {
            found.extend(pyproject_source_roots(&doc));
        }
    }
    if let Ok(text) = std::fs::read_to_string(root.join("setup.cfg")) {
        found.extend(setup_cfg_source_roots(&text));
    }
    found
        .into_iter()
        .map(|r| r.trim_start_matches("./").trim_end_matches('/').to_string())
        .filter(|r| !r.is_empty() && r != "." && !r.contains("..") && root.join(r).is_dir())
        .collect()
}

fn pyproject_source_roots(doc: &toml::Table) -> Vec<String> {
    let get = |path: &[&str]| -> Option<&toml::Value> {
        let mut value: Option<&toml::Value> = None;
        let mut table = doc;
        for (i, key) in path.iter().enumerate() {
            let next = table.get(*key)?;
            if i + 1 == path.len() {
                value = Some(next);
            } else {
                table = next.as_table()?;
            }
        }
        value
    };
    let mut roots = Vec::new();
    // setuptools: package-dir = {"" = "src"}; packages.find.where = ["src"]
    if let Some(dir) = get(&["tool", "setuptools", "package-dir", ""]).and_then(|v| v.as_str()) {
        roots.push(dir.to_string());
    }
    if let Some(wheres) = get(&["tool", "setuptools", "packages", "find", "where"]).and_then(|v| v.as_array()) {
        roots.extend(wheres.iter().filter_map(|w| w.as_str()).map(str::to_string));
    }
    // Poetry: packages = [{ include = "pkg", from = "src" }]
    if let Some(packages) = get(&["tool", "poetry", "packages"]).and_then(|v| v.as_array()) {
        roots.extend(packages.iter().filter_map(|p| p.get("from")?.as_str()).map(str::to_string));
    }
    // Hatch: [tool.hatch.build.targets.wheel] packages = ["src/pkg"]
    if let Some(packages) = get(&["tool", "hatch", "build", "targets", "wheel", "packages"]).and_then(|v| v.as_array())
    {
        for package in packages.iter().filter_map(|p| p.as_str()) {
            if let Some((parent, _)) = package.trim_end_matches('/').rsplit_once('/') {
                roots.push(parent.to_string());
            }
        }
    }
    // PDM: [tool.pdm.build] package-dir = "src"
    if let Some(dir) = get(&["tool", "pdm", "build", "package-dir"]).and_then(|v| v.as_str()) {
        roots.push(dir.to_string());
    }
    roots
}

/// `[options] package_dir = =src` (or `\n    = src`).
fn setup_cfg_source_roots(text: &str) -> Vec<String> {
    let mut in_options = false;
    let mut in_package_dir = false;
    let mut roots = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_options = trimmed == "[options]";
            in_package_dir = false;
            continue;
        }
        if !in_options {
            continue;
        }
        let continuation = line.starts_with([' ', '\t']);
        if !continuation {
            in_package_dir = false;
            if let Some((key, value)) = trimmed.split_once('=') {
                if key.trim() == "package_dir" {
                    in_package_dir = true;
                    roots.extend(package_dir_entry(value));
                }
            }
        } else if in_package_dir {
            roots.extend(package_dir_entry(trimmed));
        }
    }
    roots
}

/// One `package_dir` mapping, `= src` or `=src`: only the root mapping
/// (empty package name) names a source root.
fn package_dir_entry(entry: &str) -> Option<String> {
    let (package, dir) = entry.trim().split_once('=')?;
    (package.trim().is_empty() && !dir.trim().is_empty()).then(|| dir.trim().to_string())
}

/// The dotted module name of `relative` when it lies below one of
/// `source_roots`: every folder between is a package (PEP 420).
pub(crate) fn name_below_source_root(relative: &Path, source_roots: &[String]) -> Option<String> {
    let (_, rest) = source_roots
        .iter()
        .filter_map(|root| relative.strip_prefix(Path::new(root)).ok().map(|rest| (root.len(), rest)))
        .max_by_key(|(len, _)| *len)?;
    let mut parts: Vec<String> = rest.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    let last = parts.pop()?;
    let stem = last.strip_suffix(".py").unwrap_or(&last);
    if stem != "__init__" {
        parts.push(stem.to_string());
    }
    if parts.is_empty() || parts.iter().any(|p| !is_identifier(p)) {
        return None;
    }
    Some(parts.join("."))
}

fn is_identifier(part: &str) -> bool {
    let mut chars = part.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_alphabetic()) && chars.all(|c| c == '_' || c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "").unwrap();
    }

    #[test]
    fn package_folder_names_modules_from_its_parent() {
        let dir = tempfile::tempdir().unwrap();
        touch(&dir.path().join("myapp/__init__.py"));
        touch(&dir.path().join("myapp/api/__init__.py"));
        let root = ImportRoot::discover(&dir.path().join("myapp"));
        assert_eq!(root.path, "..");
        assert_eq!(root.package.as_deref(), Some("myapp"));
        let sub = ImportRoot::discover(&dir.path().join("myapp/api"));
        assert_eq!(sub.path, "../..");
        assert_eq!(sub.package.as_deref(), Some("myapp.api"));
        let top = ImportRoot::discover(dir.path());
        assert_eq!(top.path, ".");
        assert_eq!(top.package, None);
    }

    #[test]
    fn src_layouts_and_declared_roots() {
        let dir = tempfile::tempdir().unwrap();
        touch(&dir.path().join("src/ns/pkg/__init__.py"));
        assert_eq!(ImportRoot::discover(dir.path()).source_roots, vec!["src"]);
        std::fs::write(dir.path().join("pyproject.toml"), "[tool.poetry]\npackages = [{include='x', from='lib'}]\n")
            .unwrap();
        touch(&dir.path().join("lib/x/__init__.py"));
        assert_eq!(ImportRoot::discover(dir.path()).source_roots, vec!["lib", "src"]);
        std::fs::write(dir.path().join("setup.cfg"), "[options]\npackage_dir =\n    = code\n").unwrap();
        touch(&dir.path().join("code/y.py"));
        assert_eq!(ImportRoot::discover(dir.path()).source_roots, vec!["code", "lib", "src"]);
    }

    #[test]
    fn declared_roots_from_each_backend() {
        let doc: toml::Table = r#"
            [tool.setuptools]
            package-dir = {"" = "a"}
            [tool.setuptools.packages.find]
            where = ["b"]
            [tool.hatch.build.targets.wheel]
            packages = ["c/pkg"]
            [tool.pdm.build]
            package-dir = "d"
        "#
        .parse()
        .unwrap();
        assert_eq!(pyproject_source_roots(&doc), vec!["a", "b", "c", "d"]);
    }

    #[test]
    fn namespace_package_above_a_package_folder() {
        let dir = tempfile::tempdir().unwrap();
        let ns = dir.path().join("acme");
        touch(&ns.join("wallet/__init__.py"));
        std::fs::write(ns.join("wallet/server.py"), "from acme.wallet.config import X\n").unwrap();
        touch(&ns.join("wallet/api/__init__.py"));
        let root = ImportRoot::discover(&ns.join("wallet/api"));
        assert_eq!(root.package.as_deref(), Some("acme.wallet.api"));
        assert_eq!(root.path, "../../..");
        // Without such an import the folder above is not a package.
        std::fs::write(ns.join("wallet/server.py"), "from acme_other.wallet import X\n").unwrap();
        let root = ImportRoot::discover(&ns.join("wallet"));
        assert_eq!(root.package.as_deref(), Some("wallet"));
        assert_eq!(root.path, "..");
    }

    #[test]
    fn namespace_names_below_a_source_root() {
        let roots = vec!["src".to_string()];
        assert_eq!(name_below_source_root(Path::new("src/ns/pkg/mod.py"), &roots).as_deref(), Some("ns.pkg.mod"));
        assert_eq!(name_below_source_root(Path::new("src/ns/pkg/__init__.py"), &roots).as_deref(), Some("ns.pkg"));
        assert_eq!(name_below_source_root(Path::new("tests/x.py"), &roots), None);
        assert_eq!(name_below_source_root(Path::new("src/my-scripts/x.py"), &roots), None);
    }
}
