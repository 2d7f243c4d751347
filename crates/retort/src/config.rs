//! Project configuration for `scan`: `[tool.retort]` in `pyproject.toml`,
//! or the top level of `retort.toml`. Command-line flags add to it.
//!
//! ```toml
//! [tool.retort]
//! exclude = ["legacy/**", "scripts/*.py"]
//! include-tests = false
//! auth-decorators = ["requires_scope", "api_key_required"]
//! ```

use std::path::Path;

use anyhow::Context;
use serde::Deserialize;

/// The keys `scan` reads; other keys (for `check`) are ignored here.
#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case")]
pub struct ScanConfig {
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub include_tests: bool,
    #[serde(default)]
    pub auth_decorators: Vec<String>,
}

#[derive(Deserialize)]
struct PyProject {
    tool: Option<Tool>,
}

#[derive(Deserialize)]
struct Tool {
    retort: Option<ScanConfig>,
}

/// Reads `retort.toml` (preferred) or `pyproject.toml` at the root. A
/// missing file is an empty configuration; a malformed one is an error.
pub fn load(root: &Path) -> anyhow::Result<ScanConfig> {
    let retort_toml = root.join("retort.toml");
    if retort_toml.is_file() {
        let text =
            std::fs::read_to_string(&retort_toml).with_context(|| format!("cannot read {}", retort_toml.display()))?;
        let value: toml::Value = toml::from_str(&text).with_context(|| format!("invalid {}", retort_toml.display()))?;
        let table = value.get("tool").and_then(|t| t.get("retort")).cloned().unwrap_or(value);
        retort_check::config::check_keys(&table)
            .map_err(|message| anyhow::anyhow!("{}: {message}", retort_toml.display()))?;
        return table.try_into().with_context(|| format!("invalid {}", retort_toml.display()));
    }
    let pyproject = root.join("pyproject.toml");
    if pyproject.is_file() {
        let text =
            std::fs::read_to_string(&pyproject).with_context(|| format!("cannot read {}", pyproject.display()))?;
        let parsed: PyProject = toml::from_str(&text).with_context(|| format!("invalid {}", pyproject.display()))?;
        let value: toml::Value = toml::from_str(&text).with_context(|| format!("invalid {}", pyproject.display()))?;
        if let Some(table) = value.get("tool").and_then(|t| t.get("retort")) {
            retort_check::config::check_keys(table)
                .map_err(|message| anyhow::anyhow!("{}: {message}", pyproject.display()))?;
        }
        return Ok(parsed.tool.and_then(|t| t.retort).unwrap_or_default());
    }
    Ok(ScanConfig::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tool_retort_from_pyproject() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("pyproject.toml"),
            "[project]\nname = 'x'\n[tool.retort]\nexclude = ['legacy/**']\nauth-decorators = ['requires_scope']\nselect = ['SEC']\n",
        )
        .unwrap();
        let config = load(dir.path()).unwrap();
        assert_eq!(config.exclude, vec!["legacy/**"]);
        assert_eq!(config.auth_decorators, vec!["requires_scope"]);
        assert!(!config.include_tests);
    }

    #[test]
    fn retort_toml_wins_and_errors_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("retort.toml"), "include-tests = true\n").unwrap();
        assert!(load(dir.path()).unwrap().include_tests);
        std::fs::write(dir.path().join("retort.toml"), "include-tests = 'maybe'\n").unwrap();
        assert!(load(dir.path()).is_err());
    }

    #[test]
    fn unknown_keys_are_errors_with_a_suggestion() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("pyproject.toml"), "[tool.retort]\nexlude = ['x']\n").unwrap();
        let message = format!("{:#}", load(dir.path()).unwrap_err());
        assert!(message.contains("unknown key `exlude`") && message.contains("did you mean `exclude`?"), "{message}");
        std::fs::write(dir.path().join("retort.toml"), "[tool.retort]\ninclude-tests = true\n").unwrap();
        assert!(load(dir.path()).unwrap().include_tests);
    }

    #[test]
    fn no_file_is_an_empty_configuration() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path()).unwrap(), ScanConfig::default());
    }
}
