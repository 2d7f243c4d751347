//! Module names from package layout.
//!
//! A file's canonical module name follows the chain of `__init__.py`
//! packages above it; the folder above the topmost package is its source
//! root (this covers `src/` layouts and several services in one tree).
//! Namespace packages (folders without `__init__.py`) are handled at import
//! resolution time by matching dotted names against path suffixes.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::import_root::{name_below_source_root, ImportRoot};

/// The dotted module name of `relative` (a `.py` path relative to the
/// root), given the set of folders (relative) that hold an `__init__.py`
/// and how names start ([`ImportRoot`]): below a declared source root the
/// path names the module; otherwise the `__init__.py` chain does, carrying
/// the scanned folder's own package name when the chain reaches it.
pub fn module_name(relative: &Path, package_dirs: &HashSet<PathBuf>, import_root: &ImportRoot) -> String {
    if let Some(name) = name_below_source_root(relative, &import_root.source_roots) {
        return name;
    }
    let mut parts: Vec<String> = Vec::new();
    let stem = relative.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    if stem != "__init__" {
        parts.push(stem);
    }
    let mut dir = relative.parent();
    let mut reached_root = true;
    while let Some(current) = dir {
        if current.as_os_str().is_empty() {
            break;
        }
        if !package_dirs.contains(current) {
            reached_root = false;
            break;
        }
        if let Some(name) = current.file_name() {
            parts.push(name.to_string_lossy().into_owned());
        }
        dir = current.parent();
    }
    if reached_root {
        if let Some(package) = &import_root.package {
            parts.push(package.clone());
        }
    }
    parts.reverse();
    if parts.is_empty() {
        // `__init__.py` at the root: name it after the root folder's role.
        return "__init__".to_string();
    }
    parts.join(".")
}

/// Every dotted name a file could be imported as, from the shortest to the
/// full path (`a/b/c.py` → `c`, `b.c`, `a.b.c`), for namespace packages
/// and projects scanned from above their source root.
pub fn dotted_suffixes(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    if let Some(last) = parts.last_mut() {
        *last = last.trim_end_matches(".py").to_string();
        if last == "__init__" {
            parts.pop();
        }
    }
    (0..parts.len()).rev().map(|start| parts[start..].join(".")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dirs(list: &[&str]) -> HashSet<PathBuf> {
        list.iter().map(PathBuf::from).collect()
    }

    #[test]
    fn package_chain_sets_the_name() {
        let pkgs = dirs(&["src/shop", "src/shop/api"]);
        let plain = ImportRoot::plain();
        assert_eq!(module_name(Path::new("src/shop/api/views.py"), &pkgs, &plain), "shop.api.views");
        assert_eq!(module_name(Path::new("src/shop/__init__.py"), &pkgs, &plain), "shop");
        assert_eq!(module_name(Path::new("wsgi.py"), &pkgs, &plain), "wsgi");
    }

    #[test]
    fn a_package_root_prefixes_names_that_reach_it() {
        let pkgs = dirs(&["api"]);
        let root = ImportRoot { package: Some("shop".into()), path: "..".into(), ..ImportRoot::plain() };
        assert_eq!(module_name(Path::new("__init__.py"), &pkgs, &root), "shop");
        assert_eq!(module_name(Path::new("views.py"), &pkgs, &root), "shop.views");
        assert_eq!(module_name(Path::new("api/rest.py"), &pkgs, &root), "shop.api.rest");
        // A plain folder inside the package starts its own chain.
        assert_eq!(module_name(Path::new("scripts/run.py"), &pkgs, &root), "run");
    }

    #[test]
    fn source_roots_name_namespace_packages() {
        let root = ImportRoot { source_roots: vec!["src".into()], ..ImportRoot::plain() };
        assert_eq!(module_name(Path::new("src/ns/pkg/mod.py"), &dirs(&["src/ns/pkg"]), &root), "ns.pkg.mod");
    }

    #[test]
    fn suffixes_cover_namespace_packages() {
        assert_eq!(dotted_suffixes(Path::new("ns/pkg/mod.py")), vec!["mod", "pkg.mod", "ns.pkg.mod"]);
        assert_eq!(dotted_suffixes(Path::new("ns/pkg/__init__.py")), vec!["pkg", "ns.pkg"]);
    }
}
