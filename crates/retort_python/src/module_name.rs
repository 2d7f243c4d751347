//! Module names from package layout.
//!
//! A file's canonical module name follows the chain of `__init__.py`
//! packages above it; the folder above the topmost package is its source
//! root (this covers `src/` layouts and several services in one tree).
//! Namespace packages (folders without `__init__.py`) are handled at import
//! resolution time by matching dotted names against path suffixes.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The dotted module name of `relative` (a `.py` path relative to the
/// root), given the set of folders (relative) that hold an `__init__.py`.
pub fn module_name(relative: &Path, package_dirs: &HashSet<PathBuf>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let stem = relative.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    if stem != "__init__" {
        parts.push(stem);
    }
    let mut dir = relative.parent();
    while let Some(current) = dir {
        if current.as_os_str().is_empty() || !package_dirs.contains(current) {
            break;
        }
        if let Some(name) = current.file_name() {
            parts.push(name.to_string_lossy().into_owned());
        }
        dir = current.parent();
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
        assert_eq!(module_name(Path::new("src/shop/api/views.py"), &pkgs), "shop.api.views");
        assert_eq!(module_name(Path::new("src/shop/__init__.py"), &pkgs), "shop");
        assert_eq!(module_name(Path::new("wsgi.py"), &pkgs), "wsgi");
    }

    #[test]
    fn suffixes_cover_namespace_packages() {
        assert_eq!(dotted_suffixes(Path::new("ns/pkg/mod.py")), vec!["mod", "pkg.mod", "ns.pkg.mod"]);
        assert_eq!(dotted_suffixes(Path::new("ns/pkg/__init__.py")), vec!["pkg", "ns.pkg"]);
    }
}
