//! Entry points as packaging declares them, read never run: the
//! `entry_points.txt` of `*.dist-info` folders, `[options.entry_points]` in
//! `setup.cfg`, and `[project.entry-points]` / Poetry's
//! `[tool.poetry.plugins]` in `pyproject.toml`.

/// One declared entry point: `name = value` in `group`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryPoint {
    pub group: String,
    pub name: String,
    /// `module:attribute` or `module` (extras in brackets removed).
    pub value: String,
}

impl EntryPoint {
    /// The module part of `value`.
    pub fn module(&self) -> &str {
        self.value.split_once(':').map_or(self.value.as_str(), |(module, _)| module).trim()
    }

    /// The attribute part of `value`, if any.
    pub fn attr(&self) -> Option<&str> {
        self.value.split_once(':').map(|(_, attr)| attr.trim())
    }
}

/// `[group]` sections of `name = value` lines (`entry_points.txt`); with
/// `only`, the lines of that one section hold `group =` and indented
/// `name = value` lines instead (`setup.cfg`'s `[options.entry_points]`).
fn parse_ini(text: &str, only: Option<&str>) -> Vec<EntryPoint> {
    let mut out = Vec::new();
    let mut section: Option<String> = None;
    let mut group: Option<String> = None;
    for raw in text.lines() {
        let line = raw.split(['#', ';']).next().unwrap_or("").trim_end();
        if line.trim().is_empty() {
            continue;
        }
        if let Some(name) = line.trim().strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = Some(name.trim().to_string());
            group = None;
            continue;
        }
        let Some(section) = &section else { continue };
        match only {
            None => {
                if let Some((name, value)) = line.split_once('=') {
                    out.push(entry(section, name, value));
                }
            }
            Some(wanted) if section == wanted => {
                let indented = raw.starts_with([' ', '\t']);
                match line.split_once('=') {
                    Some((name, value)) if indented => {
                        if let Some(group) = &group {
                            out.push(entry(group, name, value));
                        }
                    }
                    Some((name, value)) => {
                        group = Some(name.trim().to_string());
                        // `group = name = value` on one line.
                        if let Some((inner, value)) = value.split_once('=') {
                            out.push(entry(name.trim(), inner, value));
                        }
                    }
                    None => {}
                }
            }
            Some(_) => {}
        }
    }
    out
}

fn entry(group: &str, name: &str, value: &str) -> EntryPoint {
    let value = value.split('[').next().unwrap_or(value).trim().to_string();
    EntryPoint { group: group.trim().to_string(), name: name.trim().to_string(), value }
}

pub fn parse_setup_cfg(text: &str) -> Vec<EntryPoint> {
    parse_ini(text, Some("options.entry_points"))
}

pub fn parse_pyproject(text: &str) -> Vec<EntryPoint> {
    let Ok(doc) = text.parse::<toml::Table>() else { return Vec::new() };
    let tables = [
        doc.get("project").and_then(|p| p.get("entry-points")),
        doc.get("tool").and_then(|t| t.get("poetry")).and_then(|p| p.get("plugins")),
    ];
    let mut out = Vec::new();
    for groups in tables.into_iter().flatten().filter_map(|t| t.as_table()) {
        for (group, names) in groups {
            for (name, value) in names.as_table().into_iter().flatten() {
                if let Some(value) = value.as_str() {
                    out.push(entry(group, name, value));
                }
            }
        }
    }
    out
}

/// The entry points of an `entry_points.txt` file.
pub fn parse_entry_points_txt(text: &str) -> Vec<EntryPoint> {
    parse_ini(text, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_points_txt_setup_cfg_and_pyproject() {
        let txt = parse_ini(
            "[console_scripts]\nrun = pkg.cli:main\n\n[app.plugins]\nnotes = pkg.notes:NotesPlugin [extra]\n",
            None,
        );
        assert_eq!(
            txt[1],
            EntryPoint { group: "app.plugins".into(), name: "notes".into(), value: "pkg.notes:NotesPlugin".into() }
        );
        let cfg = parse_setup_cfg("[metadata]\nname = x\n\n[options.entry_points]\napp.blueprints =\n    notes = pkg.views:bp\n    admin = pkg.admin\n");
        assert_eq!(cfg.len(), 2);
        assert_eq!((cfg[1].group.as_str(), cfg[1].module(), cfg[1].attr()), ("app.blueprints", "pkg.admin", None));
        let toml =
            parse_pyproject("[project]\nname = 'x'\n[project.entry-points.'app.blueprints']\nnotes = 'pkg.views:bp'\n");
        assert_eq!(
            (toml[0].group.as_str(), toml[0].name.as_str(), toml[0].attr()),
            ("app.blueprints", "notes", Some("bp"))
        );
    }
}
