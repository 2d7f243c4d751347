//! Which version of a modelled library the project runs, where the routes
//! a library adds differ between its versions (Flask-AppBuilder 5 dropped
//! `RestCRUDView`, and with it every `ModelView`'s `/api/...` routes).
//!
//! The version comes from what the project itself says: an installed
//! distribution's `*.dist-info` folder beside the import root (an installed
//! package scanned inside `site-packages`), else the project's declared
//! dependency (requirements files, `pyproject.toml`, `Pipfile`), else the
//! requirements that the installed distributions beside the import root
//! declare in their `METADATA` (`Requires-Dist:`, extras left out). Nothing
//! is imported or run.

use retort_python::Project;

/// The range of major versions a specifier allows, as (lowest, highest).
fn major_range(specifier: &str) -> (Option<u32>, Option<u32>) {
    let major = |version: &str| version.trim().split(['.', '*']).next()?.trim().parse::<u32>().ok();
    let is_zero_rest = |version: &str| version.split('.').skip(1).all(|part| part.trim() == "0");
    let (mut low, mut high): (Option<u32>, Option<u32>) = (None, None);
    for part in specifier.split(',') {
        let part = part.trim();
        let (op, version) = match part.find(|c: char| c.is_ascii_digit()) {
            Some(at) => (part[..at].trim(), &part[at..]),
            None => continue,
        };
        let Some(m) = major(version) else { continue };
        match op {
            // Poetry's bare version, `^` and `~` pin the major version too.
            "==" | "===" | "~=" | "^" | "~" | "" => {
                low = Some(low.map_or(m, |l| l.max(m)));
                high = Some(high.map_or(m, |h| h.min(m)));
            }
            ">=" | ">" => low = Some(low.map_or(m, |l| l.max(m))),
            "<" => {
                let top = if is_zero_rest(version) { m.saturating_sub(1) } else { m };
                high = Some(high.map_or(top, |h| h.min(top)));
            }
            "<=" => high = Some(high.map_or(m, |h| h.min(m))),
            _ => {}
        }
    }
    (low, high)
}

/// The version in an installed distribution's folder name
/// (`Flask_AppBuilder-4.5.3.dist-info`), for the distribution `name`.
fn installed_version(project: &Project, name: &str) -> Option<String> {
    let folder = project.root.join(&project.import_root.path);
    let wanted = name.replace('-', "_").to_ascii_lowercase();
    std::fs::read_dir(folder).ok()?.flatten().find_map(|entry| {
        let file_name = entry.file_name().to_string_lossy().to_ascii_lowercase();
        let stem = file_name.strip_suffix(".dist-info")?;
        let (dist, version) = stem.split_once('-')?;
        (dist == wanted).then(|| version.to_string())
    })
}

/// The project's declared dependencies: its manifests, else (a package
/// folder scanned on its own) those in the import root folder or the one
/// above it (a `src/` layout).
fn declared_dependencies(project: &Project) -> Vec<crate::catalog::Dependency> {
    let found = crate::facts::dependencies(&project.root, &project.other_files);
    if !found.is_empty() || project.import_root.path == "." {
        return found;
    }
    let import_root = project.root.join(&project.import_root.path);
    [import_root.clone(), import_root.join("..")]
        .iter()
        .map(|folder| {
            let manifests: Vec<std::path::PathBuf> = std::fs::read_dir(folder)
                .into_iter()
                .flatten()
                .flatten()
                .map(|entry| std::path::PathBuf::from(entry.file_name()))
                .filter(|name| {
                    let name = name.to_string_lossy();
                    name.starts_with("requirements") || name == "pyproject.toml" || name == "Pipfile"
                })
                .collect();
            crate::facts::dependencies(folder, &manifests)
        })
        .find(|deps| !deps.is_empty())
        .unwrap_or_default()
}

/// The `Requires-Dist:` specifiers for `name` in the `METADATA` of the
/// installed distributions beside the import root; requirements of an extra
/// (`; extra == "..."`) are left out, since nothing says it was installed.
fn installed_requirements(project: &Project, name: &str) -> Vec<String> {
    let folder = project.root.join(&project.import_root.path);
    let mut out = Vec::new();
    for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
        if !entry.file_name().to_string_lossy().ends_with(".dist-info") {
            continue;
        }
        let Ok(metadata) = std::fs::read_to_string(entry.path().join("METADATA")) else { continue };
        // The headers end at the first empty line; the description follows.
        for line in metadata.lines().take_while(|line| !line.is_empty()) {
            let Some(requirement) = line.strip_prefix("Requires-Dist:") else { continue };
            let (requirement, marker) = requirement.split_once(';').unwrap_or((requirement, ""));
            if marker.contains("extra") {
                continue;
            }
            if let Some((dist, specifier)) = crate::facts::parse_requirement(requirement) {
                if dist.replace('_', "-").eq_ignore_ascii_case(name) {
                    out.push(specifier.trim_matches(|c| c == '(' || c == ')' || c == ' ').to_string());
                }
            }
        }
    }
    out
}

/// Whether the project's Flask-AppBuilder still has `RestCRUDView`
/// (versions before 5); `None` when the project does not say.
pub fn fab_has_rest_crud_view(project: &Project) -> Option<bool> {
    let (low, high) = match installed_version(project, "flask-appbuilder") {
        Some(version) => major_range(&format!("=={version}")),
        None => declared_dependencies(project)
            .iter()
            .filter(|dep| dep.name.replace('_', "-").eq_ignore_ascii_case("flask-appbuilder"))
            .map(|dep| dep.specifier.clone())
            .chain(installed_requirements(project, "flask-appbuilder"))
            .map(|specifier| major_range(&specifier))
            .find(|(low, high)| low.is_some() || high.is_some())?,
    };
    if high.is_some_and(|h| h <= 4) {
        Some(true)
    } else if low.is_some_and(|l| l >= 5) {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::major_range;

    #[test]
    fn major_ranges_of_specifiers() {
        assert_eq!(major_range("==4.5.3"), (Some(4), Some(4)));
        assert_eq!(major_range(">=5.0.2,<6"), (Some(5), Some(5)));
        assert_eq!(major_range("<5"), (None, Some(4)));
        assert_eq!(major_range("<4.6"), (None, Some(4)));
        assert_eq!(major_range(">=4.3"), (Some(4), None));
        assert_eq!(major_range("^4.3"), (Some(4), Some(4)));
        assert_eq!(major_range(""), (None, None));
    }
}
