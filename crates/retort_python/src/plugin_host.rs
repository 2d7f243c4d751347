//! An installed package that is one plugin of an application assembled
//! from entry points, and the distributions that make up that application.
//!
//! Some Flask applications are many distributions: the app factory lives in
//! one package, and every other package adds its blueprints and extensions
//! by declaring entry points in groups that a package of the application
//! looks up (`invenio_base.blueprints`, `ckan.plugins`). Scanned alone, such
//! a package's views are never registered on an app. When the scanned
//! folder is a package beside `*.dist-info` folders (site-packages, or a
//! distribution root), [`find`] works out which distributions there are
//! joined to it through entry points, so that `retort scan` can read the
//! application the package belongs to instead of the package alone.
//!
//! By convention a group is named after the package that reads it: the
//! group `invenio_base.blueprints` is read by the package `invenio_base`.
//! Two distributions belong to the same application when one declares
//! entry points in a group that the other's package reads, transitively.
//! Only groups read by a package that builds on Flask join anything (its
//! files import `flask`, or a package beside it that does): `babel.extractors` or `pytest11` do not make
//! Jinja or a test plugin part of the app, nor does Flask's own
//! `flask.commands`, which any extension may add CLI commands to. Nothing
//! is run; only `entry_points.txt`, `top_level.txt` and `RECORD` are read,
//! plus the import lines of the reading packages' sources.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::entry_points::parse_entry_points_txt;
use crate::ImportRoot;

/// Files of a package read at most for its imports.
const MAX_FILES_PROBED: usize = 2000;

/// The application a scanned plugin package belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PluginHost {
    /// The folder that holds the packages (the scanned package's import
    /// root), as the user could have named it.
    pub root: PathBuf,
    /// The scanned package (its top-level name).
    pub package: String,
    /// Top-level packages and modules of the joined distributions, sorted;
    /// the scanned package among them.
    pub packages: Vec<String>,
    /// The entry-point groups that join them, sorted.
    pub groups: Vec<String>,
}

/// One `*.dist-info` folder beside the scanned package.
struct Distribution {
    /// Its top-level packages and modules.
    tops: BTreeSet<String>,
    /// The groups it declares entry points in.
    groups: BTreeSet<String>,
}

/// The application the package folder `scanned` belongs to, when its
/// import root holds distributions joined to it through entry points;
/// `None` for a folder that is not a package, a package no distribution
/// there owns, or one joined to nothing.
pub fn find(scanned: &Path, import_root: &ImportRoot) -> Option<PluginHost> {
    let package = import_root.package.as_deref()?.split('.').next()?.to_string();
    let root = scanned.join(&import_root.path);
    let root = std::fs::canonicalize(&root).unwrap_or(root);
    let distributions = distributions(&root);
    let start = distributions.iter().position(|d| d.tops.contains(&package))?;
    let all_tops: BTreeSet<String> = distributions.iter().flat_map(|d| d.tops.iter().cloned()).collect();
    let mut readers = Readers { root: &root, tops: &all_tops, imports: HashMap::new(), verdicts: HashMap::new() };
    let mut members = vec![start];
    let mut groups = BTreeSet::new();
    loop {
        let member_tops: BTreeSet<&str> =
            members.iter().flat_map(|&m| distributions[m].tops.iter().map(String::as_str)).collect();
        let member_groups: BTreeSet<&String> = members.iter().flat_map(|&m| distributions[m].groups.iter()).collect();
        let mut joined = Vec::new();
        for (index, distribution) in distributions.iter().enumerate() {
            if members.contains(&index) {
                continue;
            }
            // It declares entry points in a group a member reads, or a
            // member declares entry points in a group it reads.
            let mut through = Vec::new();
            for group in &distribution.groups {
                if member_tops.contains(reader_of(group)) && readers.joins(group) {
                    through.push(group.clone());
                }
            }
            for group in &member_groups {
                if distribution.tops.contains(reader_of(group)) && readers.joins(group) {
                    through.push((*group).clone());
                }
            }
            if !through.is_empty() {
                groups.extend(through);
                joined.push(index);
            }
        }
        if joined.is_empty() {
            break;
        }
        members.extend(joined);
    }
    if members.len() == 1 {
        return None;
    }
    let packages: BTreeSet<String> = members.iter().flat_map(|&m| distributions[m].tops.iter().cloned()).collect();
    Some(PluginHost { root, package, packages: packages.into_iter().collect(), groups: groups.into_iter().collect() })
}

/// Which groups join distributions, asked only for the groups met on the
/// way (reading a package's imports costs file reads).
struct Readers<'r> {
    root: &'r Path,
    tops: &'r BTreeSet<String>,
    imports: HashMap<String, BTreeSet<String>>,
    verdicts: HashMap<String, bool>,
}

impl Readers<'_> {
    /// Whether `group` is read by a package beside the others that builds
    /// on Flask (never Flask's own groups).
    fn joins(&mut self, group: &str) -> bool {
        let reader = reader_of(group);
        if reader == "flask" || !self.tops.contains(reader) {
            return false;
        }
        if let Some(&verdict) = self.verdicts.get(reader) {
            return verdict;
        }
        let verdict = builds_on_flask(self.root, reader, &mut self.imports);
        self.verdicts.insert(reader.to_string(), verdict);
        verdict
    }
}

/// The package a group is named after (`invenio_base` for
/// `invenio_base.blueprints`).
fn reader_of(group: &str) -> &str {
    group.split('.').next().unwrap_or(group)
}

/// The distributions whose `*.dist-info` folders are in `root`, with the
/// top-level names that exist there.
fn distributions(root: &Path) -> Vec<Distribution> {
    let Ok(entries) = std::fs::read_dir(root) else { return Vec::new() };
    let mut infos: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "dist-info") && p.is_dir())
        .collect();
    infos.sort();
    infos
        .iter()
        .map(|info| {
            let entry_points = std::fs::read_to_string(info.join("entry_points.txt"))
                .map(|text| parse_entry_points_txt(&text))
                .unwrap_or_default();
            let mut tops = top_level_names(info);
            if tops.is_empty() {
                // No `top_level.txt` nor `RECORD` (a trimmed copy): the
                // distribution's own name and the modules its entry points
                // name.
                tops.extend(distribution_name(info));
                tops.extend(entry_points.iter().filter_map(|e| e.module().split('.').next()).map(String::from));
            }
            let tops = tops.into_iter().filter(|name| exists_at(root, name)).collect();
            let groups = entry_points.into_iter().map(|e| e.group).collect();
            Distribution { tops, groups }
        })
        .collect()
}

/// The top-level packages and modules a distribution installs: its
/// `top_level.txt`, or else the first component of the paths in `RECORD`.
fn top_level_names(info: &Path) -> BTreeSet<String> {
    if let Ok(text) = std::fs::read_to_string(info.join("top_level.txt")) {
        let names: BTreeSet<String> = text.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
        if !names.is_empty() {
            return names;
        }
    }
    let Ok(record) = std::fs::read_to_string(info.join("RECORD")) else { return BTreeSet::new() };
    record
        .lines()
        .filter_map(|line| line.split(',').next())
        .filter_map(|path| path.split('/').next())
        .filter(|first| !first.ends_with(".dist-info") && !first.ends_with(".data") && *first != "..")
        .filter(|first| *first != "__pycache__" && !first.is_empty())
        .map(|first| first.strip_suffix(".py").unwrap_or(first).to_string())
        .collect()
}

/// `my_app` for `My-App-1.0.dist-info` (the normalised name, which is
/// usually the package's).
fn distribution_name(info: &Path) -> Option<String> {
    let stem = info.file_stem()?.to_string_lossy();
    let name = stem.split_once('-').map_or(stem.as_ref(), |(name, _)| name);
    Some(name.to_lowercase().replace(['-', '.'], "_"))
}

fn exists_at(root: &Path, name: &str) -> bool {
    root.join(name).is_dir() || root.join(format!("{name}.py")).is_file()
}

/// Whether the package `name` in `root` imports Flask, or imports a
/// package beside it that does (`imports` caches what each one imports).
fn builds_on_flask(root: &Path, name: &str, imports: &mut HashMap<String, BTreeSet<String>>) -> bool {
    let mut pending = vec![name.to_string()];
    let mut seen = BTreeSet::new();
    while let Some(package) = pending.pop() {
        if !seen.insert(package.clone()) {
            continue;
        }
        let imported = imports.entry(package.clone()).or_insert_with(|| imported_packages(&root.join(&package)));
        if imported.contains("flask") {
            return true;
        }
        pending.extend(imported.iter().filter(|p| *p != &package && root.join(p).is_dir()).cloned());
    }
    false
}

/// The top-level names a package's sources import (`import a.b`, `from a
/// import b`; relative imports left out), from its first files.
fn imported_packages(folder: &Path) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    crate::import_root::any_python_file(folder, MAX_FILES_PROBED, |text| {
        for line in text.lines().map(str::trim_start) {
            let names: Vec<&str> = if let Some(rest) = line.strip_prefix("from ") {
                rest.split_whitespace().next().into_iter().collect()
            } else if let Some(rest) = line.strip_prefix("import ") {
                rest.split(',').filter_map(|n| n.split_whitespace().next()).collect()
            } else {
                continue;
            };
            for dotted in names {
                let top = dotted.split('.').next().unwrap_or("");
                if !top.is_empty() && top.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    found.insert(top.to_string());
                }
            }
        }
        false
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, path: &str, text: &str) {
        let file = root.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }

    /// site-packages with a framework (`core`, builds on Flask, reads
    /// `core.blueprints`), the app (`site`), two plugins, an unrelated
    /// Flask extension adding a CLI command, and Babel's extractor group.
    fn site_packages() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "core/__init__.py", "from flask import Flask\n");
        write(root, "core-1.0.dist-info/RECORD", "core/__init__.py,,\ncore-1.0.dist-info/RECORD,,\n");
        write(root, "site/__init__.py", "from core import create_app\n");
        write(root, "site-1.0.dist-info/top_level.txt", "site\n");
        write(root, "site-1.0.dist-info/entry_points.txt", "[core.apps]\nsite = site:Ext\n");
        write(root, "notes/__init__.py", "");
        write(root, "notes-1.0.dist-info/top_level.txt", "notes\n");
        write(
            root,
            "notes-1.0.dist-info/entry_points.txt",
            "[core.blueprints]\nnotes = notes.views:bp\n[babel.extractors]\nj = jinja:x\n",
        );
        write(root, "admin/__init__.py", "");
        write(root, "admin-1.0.dist-info/top_level.txt", "admin\n");
        write(root, "admin-1.0.dist-info/entry_points.txt", "[core.blueprints]\nadmin = admin.views:bp\n");
        write(root, "flask_cli_ext/__init__.py", "import flask\n");
        write(root, "flask_cli_ext-1.0.dist-info/top_level.txt", "flask_cli_ext\n");
        write(root, "flask_cli_ext-1.0.dist-info/entry_points.txt", "[flask.commands]\ngo = flask_cli_ext:go\n");
        write(root, "babel/__init__.py", "");
        write(root, "babel-1.0.dist-info/top_level.txt", "babel\n");
        write(root, "jinja/__init__.py", "");
        write(root, "jinja-1.0.dist-info/top_level.txt", "jinja\n");
        write(root, "jinja-1.0.dist-info/entry_points.txt", "[babel.extractors]\nj = jinja:x\n");
        dir
    }

    #[test]
    fn a_plugin_is_joined_to_its_framework_and_the_other_plugins() {
        let dir = site_packages();
        let scanned = dir.path().join("notes");
        let host = find(&scanned, &ImportRoot::discover(&scanned)).expect("a plugin host");
        assert_eq!(host.package, "notes");
        assert_eq!(host.packages, ["admin", "core", "notes", "site"]);
        assert_eq!(host.groups, ["core.apps", "core.blueprints"]);
    }

    #[test]
    fn the_framework_itself_finds_its_plugins() {
        let dir = site_packages();
        let scanned = dir.path().join("core");
        let host = find(&scanned, &ImportRoot::discover(&scanned)).expect("a plugin host");
        assert_eq!(host.packages, ["admin", "core", "notes", "site"]);
    }

    #[test]
    fn groups_of_flask_or_of_packages_not_built_on_flask_join_nothing() {
        let dir = site_packages();
        for lone in ["flask_cli_ext", "jinja", "babel"] {
            let scanned = dir.path().join(lone);
            assert_eq!(find(&scanned, &ImportRoot::discover(&scanned)), None, "{lone}");
        }
    }

    #[test]
    fn a_folder_that_is_no_package_or_has_no_distribution_has_no_host() {
        let dir = site_packages();
        assert_eq!(find(dir.path(), &ImportRoot::discover(dir.path())), None);
        write(dir.path(), "loose/__init__.py", "");
        let scanned = dir.path().join("loose");
        assert_eq!(find(&scanned, &ImportRoot::discover(&scanned)), None);
    }
}
