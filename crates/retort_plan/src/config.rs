//! `[tool.retort.arch]` in `pyproject.toml` (or `[arch]` in `retort.toml`):
//!
//! ```toml
//! [tool.retort.arch]
//! # Components replace the default (one per blueprint package + core).
//! components = { catalog = ["shop.catalog", "shop.search"], orders = ["shop.orders"] }
//! # A component listed here may import only these components (and itself).
//! allowed = { catalog = ["core"], orders = ["core", "catalog"] }
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

/// What `retort arch` reads from the project's configuration.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
pub struct ArchConfig {
    /// Component name → module prefixes it owns.
    pub components: BTreeMap<String, Vec<String>>,
    /// Component name → components it may import.
    pub allowed: BTreeMap<String, Vec<String>>,
}

/// A configuration file that exists but cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("invalid {file}: {message}")]
pub struct ConfigError {
    pub file: String,
    pub message: String,
}

#[derive(Deserialize)]
struct PyProject {
    tool: Option<Tool>,
}

#[derive(Deserialize)]
struct Tool {
    retort: Option<RetortSection>,
}

#[derive(Deserialize)]
struct RetortSection {
    arch: Option<ArchConfig>,
}

impl ArchConfig {
    /// Reads `retort.toml` (`[arch]`, preferred) or `pyproject.toml`
    /// (`[tool.retort.arch]`) at `root`; none is the default.
    pub fn load(root: &Path) -> Result<Self, ConfigError> {
        let read = |name: &str| -> Result<Option<String>, ConfigError> {
            let path = root.join(name);
            if !path.is_file() {
                return Ok(None);
            }
            std::fs::read_to_string(&path)
                .map(Some)
                .map_err(|e| ConfigError { file: name.to_string(), message: e.to_string() })
        };
        let invalid = |name: &str, e: toml::de::Error| ConfigError { file: name.to_string(), message: e.to_string() };
        if let Some(text) = read("retort.toml")? {
            // Like `scan`: the top level of retort.toml, or its [tool.retort].
            if let Ok(parsed) = toml::from_str::<PyProject>(&text) {
                if let Some(arch) = parsed.tool.and_then(|t| t.retort).and_then(|r| r.arch) {
                    return Ok(arch);
                }
            }
            let section: RetortSection = toml::from_str(&text).map_err(|e| invalid("retort.toml", e))?;
            return Ok(section.arch.unwrap_or_default());
        }
        if let Some(text) = read("pyproject.toml")? {
            let parsed: PyProject = toml::from_str(&text).map_err(|e| invalid("pyproject.toml", e))?;
            return Ok(parsed.tool.and_then(|t| t.retort).and_then(|r| r.arch).unwrap_or_default());
        }
        Ok(Self::default())
    }
}
