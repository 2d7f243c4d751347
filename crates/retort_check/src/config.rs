//! `[tool.retort]` in `pyproject.toml`, or `retort.toml`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::finding::Severity;

/// How `check` is configured. Codes match by prefix: `SEC` selects the
/// category, `SEC00` the first nine security rules, `ALL` everything.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct CheckConfig {
    /// Only these codes or prefixes (empty: all rules).
    pub select: Vec<String>,
    /// Never these codes or prefixes.
    pub ignore: Vec<String>,
    /// Glob (relative to the root) → codes or prefixes ignored in matching files.
    #[serde(alias = "per_file_ignores")]
    pub per_file_ignores: BTreeMap<String, Vec<String>>,
    /// Code → severity (`error`, `warning`, `info`).
    #[serde(alias = "severity_overrides")]
    pub severity_overrides: BTreeMap<String, Severity>,
    /// Project-specific authentication decorators (`requires_scope`).
    #[serde(alias = "extra_auth_decorators")]
    pub extra_auth_decorators: Vec<String>,
    /// Project-specific sanitisers (`clean_sql_identifier`, `bleach.clean`):
    /// functions whose result carries no request data into a sink.
    #[serde(alias = "extra_sanitisers", alias = "extra-sanitizers", alias = "extra_sanitizers")]
    pub extra_sanitisers: Vec<String>,
    /// Scorecard definitions replacing the built-in one per category.
    pub scorecards: BTreeMap<String, crate::scorecard::LevelRules>,
    /// `[tool.retort.dataflow]`: the project's sources, sinks, sanitisers
    /// and validators for the data-flow engine (unknown keys are errors).
    pub dataflow: retort_dataflow::DataflowConfig,
}

/// Why the configuration could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

impl CheckConfig {
    /// The built-in scorecards with the project's categories replacing them.
    pub fn scorecards(&self) -> BTreeMap<String, crate::scorecard::LevelRules> {
        let mut cards = crate::scorecard::default_scorecards();
        cards.extend(self.scorecards.clone());
        cards
    }

    /// Reads `retort.toml` (top-level keys, or a `[tool.retort]` table) or
    /// else `pyproject.toml`'s `[tool.retort]` under `root`. Neither: defaults.
    pub fn load(root: &Path) -> Result<CheckConfig, ConfigError> {
        let retort_toml = root.join("retort.toml");
        if retort_toml.is_file() {
            let table = read_table(&retort_toml)?;
            let table = match table.get("tool").and_then(|t| t.get("retort")) {
                Some(inner) => inner.clone(),
                None => toml::Value::Table(table),
            };
            return CheckConfig::from_value(table, &retort_toml);
        }
        let pyproject = root.join("pyproject.toml");
        if pyproject.is_file() {
            let table = read_table(&pyproject)?;
            if let Some(section) = table.get("tool").and_then(|t| t.get("retort")) {
                return CheckConfig::from_value(section.clone(), &pyproject);
            }
        }
        Ok(CheckConfig::default())
    }

    /// Parses the text of a `[tool.retort]` table (for tests and tools).
    pub fn from_toml_str(text: &str) -> Result<CheckConfig, ConfigError> {
        let path = PathBuf::from("<string>");
        let value: toml::Value =
            toml::from_str(text).map_err(|e| ConfigError::Parse { path: path.clone(), message: e.to_string() })?;
        CheckConfig::from_value(value, &path)
    }

    fn from_value(value: toml::Value, path: &Path) -> Result<CheckConfig, ConfigError> {
        let config: CheckConfig = value
            .try_into()
            .map_err(|e: toml::de::Error| ConfigError::Invalid { path: path.to_path_buf(), message: e.to_string() })?;
        config.compile_globs().map_err(|message| ConfigError::Invalid { path: path.to_path_buf(), message })?;
        retort_dataflow::Models::new(&config.dataflow)
            .map_err(|e| ConfigError::Invalid { path: path.to_path_buf(), message: format!("dataflow: {e}") })?;
        Ok(config)
    }

    /// Whether a rule runs at all.
    pub fn is_enabled(&self, code: &str) -> bool {
        let selected = self.select.is_empty() || self.select.iter().any(|s| matches_code(s, code));
        selected && !self.ignore.iter().any(|s| matches_code(s, code))
    }

    /// The severity of `code`, after overrides.
    pub fn severity(&self, code: &str, default: Severity) -> Severity {
        self.severity_overrides.get(code).copied().unwrap_or(default)
    }

    pub(crate) fn compile_globs(&self) -> Result<Vec<(GlobSet, Vec<String>)>, String> {
        self.per_file_ignores
            .iter()
            .map(|(pattern, codes)| {
                let glob = Glob::new(pattern).map_err(|e| format!("per-file-ignores: {e}"))?;
                let set = GlobSetBuilder::new().add(glob).build().map_err(|e| e.to_string())?;
                Ok((set, codes.clone()))
            })
            .collect()
    }
}

/// `SEC`, `SEC00`, `SEC003` and `ALL` all match `SEC003`.
pub fn matches_code(selector: &str, code: &str) -> bool {
    selector.eq_ignore_ascii_case("ALL") || code.to_ascii_uppercase().starts_with(&selector.to_ascii_uppercase())
}

fn read_table(path: &Path) -> Result<toml::Table, ConfigError> {
    let text =
        std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.to_path_buf(), source })?;
    text.parse::<toml::Table>().map_err(|e| ConfigError::Parse { path: path.to_path_buf(), message: e.to_string() })
}
