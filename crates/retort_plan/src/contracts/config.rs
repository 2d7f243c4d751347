//! Reading import-linter's configuration: `.importlinter` and `setup.cfg`
//! (INI, `[importlinter]` and `[importlinter:contract:<id>]` sections) and
//! `pyproject.toml` (`[tool.importlinter]` with `[[tool.importlinter.contracts]]`),
//! looked for in that order; the first file holding the section wins.

use std::collections::BTreeMap;
use std::path::Path;

/// The session options and contracts of one configuration.
#[derive(Debug, Clone, Default)]
pub struct LinterConfig {
    /// The file it came from (relative to the root).
    pub source: String,
    pub root_packages: Vec<String>,
    pub include_external_packages: bool,
    pub exclude_type_checking_imports: bool,
    pub contracts: Vec<ContractSpec>,
}

/// One contract as written: its name, type and raw options.
#[derive(Debug, Clone, Default)]
pub struct ContractSpec {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub options: BTreeMap<String, Vec<String>>,
}

impl ContractSpec {
    pub fn list(&self, key: &str) -> Vec<String> {
        self.options.get(key).cloned().unwrap_or_default()
    }

    pub fn flag(&self, key: &str, default: bool) -> bool {
        self.options.get(key).and_then(|v| v.first()).map_or(default, |v| v.eq_ignore_ascii_case("true"))
    }
}

/// Finds and reads the project's import-linter configuration, if any.
pub fn load_linter_config(root: &Path) -> Result<Option<LinterConfig>, String> {
    for name in [".importlinter", "setup.cfg"] {
        let path = root.join(name);
        if let Ok(text) = std::fs::read_to_string(&path) {
            if let Some(mut config) = parse_ini(&text) {
                config.source = name.to_string();
                return Ok(Some(config));
            }
        }
    }
    let path = root.join("pyproject.toml");
    if let Ok(text) = std::fs::read_to_string(&path) {
        let doc: toml::Table = text.parse().map_err(|e| format!("invalid pyproject.toml: {e}"))?;
        if let Some(section) = doc.get("tool").and_then(|t| t.get("importlinter")).and_then(|t| t.as_table()) {
            let mut config = parse_toml(section);
            config.source = "pyproject.toml".to_string();
            return Ok(Some(config));
        }
    }
    Ok(None)
}

/// configparser-style INI: `key = value` with indented continuation lines.
pub fn parse_ini(text: &str) -> Option<LinterConfig> {
    let mut sections: Vec<(String, BTreeMap<String, Vec<String>>)> = Vec::new();
    let mut current_key: Option<String> = None;
    for raw in text.lines() {
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if trimmed.starts_with('[') && trimmed.ends_with(']') && !raw.starts_with([' ', '\t']) {
            sections.push((trimmed[1..trimmed.len() - 1].trim().to_string(), BTreeMap::new()));
            current_key = None;
            continue;
        }
        let Some((_, values)) = sections.last_mut() else { continue };
        if raw.starts_with([' ', '\t']) {
            if let Some(key) = &current_key {
                values.entry(key.clone()).or_default().push(trimmed.to_string());
            }
            continue;
        }
        let split = trimmed.find(['=', ':']);
        if let Some(at) = split {
            let key = trimmed[..at].trim().to_lowercase();
            let value = trimmed[at + 1..].trim();
            let entry = values.entry(key.clone()).or_default();
            if !value.is_empty() {
                entry.push(value.to_string());
            }
            current_key = Some(key);
        }
    }
    let (_, main) = sections.iter().find(|(name, _)| name == "importlinter")?;
    let first = |map: &BTreeMap<String, Vec<String>>, key: &str| map.get(key).and_then(|v| v.first()).cloned();
    let mut config =
        LinterConfig { root_packages: main.get("root_packages").cloned().unwrap_or_default(), ..Default::default() };
    if let Some(root) = first(main, "root_package") {
        config.root_packages.push(root);
    }
    config.include_external_packages =
        first(main, "include_external_packages").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    config.exclude_type_checking_imports =
        first(main, "exclude_type_checking_imports").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    for (name, values) in &sections {
        let Some(id) = name.strip_prefix("importlinter:contract:") else { continue };
        let mut options = values.clone();
        let name = options.remove("name").and_then(|v| v.into_iter().next()).unwrap_or_else(|| id.to_string());
        let kind = options.remove("type").and_then(|v| v.into_iter().next()).unwrap_or_default();
        config.contracts.push(ContractSpec { id: id.trim().to_string(), name, kind, options });
    }
    Some(config)
}

fn parse_toml(section: &toml::Table) -> LinterConfig {
    let strings = |value: &toml::Value| -> Vec<String> {
        match value {
            toml::Value::String(s) => vec![s.clone()],
            toml::Value::Boolean(b) => vec![b.to_string()],
            toml::Value::Integer(i) => vec![i.to_string()],
            toml::Value::Array(items) => items.iter().filter_map(|i| i.as_str().map(str::to_string)).collect(),
            _ => Vec::new(),
        }
    };
    let mut config = LinterConfig::default();
    if let Some(roots) = section.get("root_packages") {
        config.root_packages = strings(roots);
    }
    if let Some(root) = section.get("root_package") {
        config.root_packages.extend(strings(root));
    }
    config.include_external_packages =
        section.get("include_external_packages").and_then(|v| v.as_bool()).unwrap_or(false);
    config.exclude_type_checking_imports =
        section.get("exclude_type_checking_imports").and_then(|v| v.as_bool()).unwrap_or(false);
    for (index, contract) in section.get("contracts").and_then(|c| c.as_array()).into_iter().flatten().enumerate() {
        let Some(table) = contract.as_table() else { continue };
        let mut options: BTreeMap<String, Vec<String>> = table.iter().map(|(k, v)| (k.clone(), strings(v))).collect();
        let id = options.remove("id").and_then(|v| v.into_iter().next()).unwrap_or_else(|| index.to_string());
        let name = options.remove("name").and_then(|v| v.into_iter().next()).unwrap_or_else(|| id.clone());
        let kind = options.remove("type").and_then(|v| v.into_iter().next()).unwrap_or_default();
        config.contracts.push(ContractSpec { id, name, kind, options });
    }
    config
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ini_with_continuation_lines() {
        let config = parse_ini(
            "[importlinter]\nroot_package = shop\n\n[importlinter:contract:layers]\nname = Layers\ntype = layers\nlayers =\n    shop.views\n    shop.models\nignore_imports =\n    shop.models -> shop.views\n",
        )
        .unwrap();
        assert_eq!(config.root_packages, vec!["shop"]);
        let contract = &config.contracts[0];
        assert_eq!((contract.name.as_str(), contract.kind.as_str()), ("Layers", "layers"));
        assert_eq!(contract.list("layers"), vec!["shop.views", "shop.models"]);
        assert_eq!(contract.list("ignore_imports"), vec!["shop.models -> shop.views"]);
    }

    #[test]
    fn reads_pyproject_tables() {
        let doc: toml::Table =
            "root_packages = ['a', 'b']\n[[contracts]]\nname = 'x'\ntype = 'independence'\nmodules = ['a', 'b']\n"
                .parse()
                .unwrap();
        let config = parse_toml(&doc);
        assert_eq!(config.root_packages, vec!["a", "b"]);
        assert_eq!(config.contracts[0].list("modules"), vec!["a", "b"]);
    }
}
