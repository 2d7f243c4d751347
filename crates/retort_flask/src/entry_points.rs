//! Entry points the project declares: plugin systems that find their views
//! with `importlib.metadata.entry_points(group=...)` or
//! `pkg_resources.iter_entry_points(group)` and `ep.load()` them
//! (Invenio's `invenio_base.blueprints`, temBoard's plugins).
//!
//! Read, never run, from what an installed or checked-out project says:
//! the `entry_points.txt` of the `*.dist-info` folders beside the import
//! root (an installed package in site-packages), `[project.entry-points]`
//! and Poetry's `[tool.poetry.plugins]` in `pyproject.toml`, and
//! `[options.entry_points]` in `setup.cfg`. Only groups are modelled that
//! the code asks for by a name known statically; an entry point naming a
//! module outside the scanned code loads as that library name.

pub use retort_python::entry_points::EntryPoint;
use retort_python::entry_points::{parse_entry_points_txt, parse_pyproject, parse_setup_cfg};
use retort_python::Project;

/// Every entry point the project declares, in file order.
pub fn declared(project: &Project) -> Vec<EntryPoint> {
    let mut found = Vec::new();
    let import_root = project.root.join(&project.import_root.path);
    let mut folders = vec![project.root.clone()];
    if import_root != project.root {
        folders.push(import_root);
    }
    for folder in &folders {
        let Ok(entries) = std::fs::read_dir(folder) else { continue };
        let mut infos: Vec<_> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "dist-info") && p.is_dir())
            .collect();
        infos.sort();
        for info in infos {
            if let Ok(text) = std::fs::read_to_string(info.join("entry_points.txt")) {
                found.extend(parse_entry_points_txt(&text));
            }
        }
        if let Ok(text) = std::fs::read_to_string(folder.join("setup.cfg")) {
            found.extend(parse_setup_cfg(&text));
        }
        if let Ok(text) = std::fs::read_to_string(folder.join("pyproject.toml")) {
            found.extend(parse_pyproject(&text));
        }
    }
    let mut unique = Vec::new();
    for entry in found {
        if !unique.contains(&entry) {
            unique.push(entry);
        }
    }
    unique
}
