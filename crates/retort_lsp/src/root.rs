//! Which project a file belongs to: the folder `retort check` would be
//! pointed at for it.

use std::path::{Path, PathBuf};

/// Files that mark the root of a Python project or repository.
const PROJECT_MARKERS: &[&str] = &["retort.toml", "pyproject.toml", "setup.py", "setup.cfg", ".git"];

/// The project root of `file`. With workspace folders, the innermost one
/// holding the file (`None` for a file outside them all: a library file
/// opened from `site-packages` is not the user's project). Without any,
/// the nearest folder above the file with a project marker
/// (`pyproject.toml`, `retort.toml`, `setup.py`, `setup.cfg`, `.git`), or
/// else the folder holding the file's top package (its import root).
pub fn project_root(file: &Path, workspace_folders: &[PathBuf]) -> Option<PathBuf> {
    if !workspace_folders.is_empty() {
        return workspace_folders
            .iter()
            .filter(|folder| file.starts_with(folder))
            .max_by_key(|folder| folder.components().count())
            .cloned();
    }
    let folder = file.parent()?;
    if let Some(marked) = folder.ancestors().find(|dir| PROJECT_MARKERS.iter().any(|m| dir.join(m).exists())) {
        return Some(marked.to_path_buf());
    }
    let mut import_root = folder;
    while import_root.join("__init__.py").is_file() {
        match import_root.parent() {
            Some(parent) => import_root = parent,
            None => break,
        }
    }
    Some(import_root.to_path_buf())
}

/// The path with symbolic links resolved when it exists, as given otherwise.
pub fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_folders_win_and_files_outside_them_have_no_root() {
        let folders = [PathBuf::from("/work/repo"), PathBuf::from("/work/repo/backend")];
        assert_eq!(
            project_root(Path::new("/work/repo/backend/app/views.py"), &folders),
            Some(PathBuf::from("/work/repo/backend"))
        );
        assert_eq!(project_root(Path::new("/work/repo/tools/x.py"), &folders), Some(PathBuf::from("/work/repo")));
        assert_eq!(project_root(Path::new("/usr/lib/python3/site-packages/flask/app.py"), &folders), None);
    }

    #[test]
    fn without_workspace_the_marker_or_the_import_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("proj/shop/api")).unwrap();
        std::fs::write(root.join("proj/shop/__init__.py"), "").unwrap();
        std::fs::write(root.join("proj/shop/api/__init__.py"), "").unwrap();
        // No marker: the folder above the top package.
        assert_eq!(project_root(&root.join("proj/shop/api/views.py"), &[]), Some(root.join("proj")));
        // A marker above the package chain wins.
        std::fs::write(root.join("pyproject.toml"), "").unwrap();
        assert_eq!(project_root(&root.join("proj/shop/api/views.py"), &[]), Some(root.to_path_buf()));
    }
}
