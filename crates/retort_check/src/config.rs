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
    /// Added to `select` (when `select` is set; all rules run otherwise).
    #[serde(alias = "extend_select")]
    pub extend_select: Vec<String>,
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
        let invalid = |message: String| ConfigError::Invalid { path: path.to_path_buf(), message };
        check_keys(&value).map_err(invalid)?;
        let config: CheckConfig = value.try_into().map_err(|e: toml::de::Error| invalid(e.to_string()))?;
        config.compile_globs().map_err(invalid)?;
        config.check_codes().map_err(invalid)?;
        retort_dataflow::Models::new(&config.dataflow).map_err(|e| invalid(format!("dataflow: {e}")))?;
        Ok(config)
    }

    /// Every rule code and prefix the configuration names exists: an unknown
    /// one would otherwise select, ignore or gate on nothing, silently.
    fn check_codes(&self) -> Result<(), String> {
        check_selectors("select", &self.select)?;
        check_selectors("extend-select", &self.extend_select)?;
        check_selectors("ignore", &self.ignore)?;
        for (glob, codes) in &self.per_file_ignores {
            check_selectors(&format!("per-file-ignores.\"{glob}\""), codes)?;
        }
        let overridden: Vec<String> = self.severity_overrides.keys().cloned().collect();
        check_selectors("severity-overrides", &overridden)?;
        for (category, levels) in &self.scorecards {
            for (level, codes) in [("bronze", &levels.bronze), ("silver", &levels.silver), ("gold", &levels.gold)] {
                for code in codes {
                    if crate::registry::rule(code).is_none_or(|r| !r.code.eq_ignore_ascii_case(code)) {
                        return Err(unknown_code_message(&format!("scorecards.{category}.{level}"), code, true));
                    }
                }
            }
        }
        Ok(())
    }

    /// Whether a rule runs at all.
    pub fn is_enabled(&self, code: &str) -> bool {
        let selected =
            self.select.is_empty() || self.select.iter().chain(&self.extend_select).any(|s| matches_code(s, code));
        selected && !self.ignore.iter().any(|s| matches_code(s, code))
    }

    /// The severity of `code`, after overrides (a code or prefix; the most
    /// specific override wins).
    pub fn severity(&self, code: &str, default: Severity) -> Severity {
        self.severity_overrides
            .iter()
            .filter(|(selector, _)| matches_code(selector, code))
            .max_by_key(|(selector, _)| if selector.eq_ignore_ascii_case("ALL") { 0 } else { selector.len() })
            .map_or(default, |(_, severity)| *severity)
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

/// The keys of `[tool.retort]` (of `retort.toml`), for `scan` and `check`.
/// `dataflow` belongs to the data-flow engine, which validates its own table;
/// `arch` to `retort arch` (retort_plan's `ArchConfig`).
pub const KNOWN_KEYS: &[&str] = &[
    "exclude",
    "include-tests",
    "auth-decorators",
    "select",
    "extend-select",
    "extend_select",
    "ignore",
    "per-file-ignores",
    "per_file_ignores",
    "severity-overrides",
    "severity_overrides",
    "extra-auth-decorators",
    "extra_auth_decorators",
    "extra-sanitisers",
    "extra_sanitisers",
    "extra-sanitizers",
    "extra_sanitizers",
    "scorecards",
    "dataflow",
    "arch",
    "team",
];

/// The scorecard categories and the keys of one card.
const CATEGORIES: &[&str] = &["security", "reliability", "performance", "observability", "delivery"];
const LEVELS: &[&str] = &["bronze", "silver", "gold"];

/// Rejects unknown keys of a `[tool.retort]` table (and of its
/// `scorecards` tables) with the closest known key as a suggestion.
pub fn check_keys(value: &toml::Value) -> Result<(), String> {
    let Some(table) = value.as_table() else { return Ok(()) };
    for key in table.keys() {
        if !KNOWN_KEYS.contains(&key.as_str()) {
            return Err(unknown_key_message("[tool.retort]", key, KNOWN_KEYS));
        }
    }
    if let Some(cards) = table.get("scorecards").and_then(toml::Value::as_table) {
        for (category, card) in cards {
            if !CATEGORIES.contains(&category.as_str()) {
                return Err(unknown_key_message("[tool.retort.scorecards]", category, CATEGORIES));
            }
            for key in card.as_table().map(|t| t.keys().collect::<Vec<_>>()).unwrap_or_default() {
                if !LEVELS.contains(&key.as_str()) {
                    return Err(unknown_key_message(&format!("[tool.retort.scorecards.{category}]"), key, LEVELS));
                }
            }
        }
    }
    Ok(())
}

fn unknown_key_message(table: &str, key: &str, known: &[&str]) -> String {
    let mut message = format!("unknown key `{key}` in {table}");
    match closest(key, known.iter().copied()) {
        Some(suggestion) => message.push_str(&format!("; did you mean `{suggestion}`?")),
        None => message.push_str(&format!(" (known keys: {})", known.join(", "))),
    }
    message
}

/// Whether a selector names a rule or a prefix of one (or is `ALL`).
pub fn is_known_selector(selector: &str) -> bool {
    selector.eq_ignore_ascii_case("ALL")
        || (!selector.is_empty() && crate::registry::rules().iter().any(|r| matches_code(selector, r.code)))
}

/// Checks that every selector of `field` is a known code or prefix.
pub fn check_selectors(field: &str, selectors: &[String]) -> Result<(), String> {
    match selectors.iter().find(|s| !is_known_selector(s)) {
        Some(unknown) => Err(unknown_code_message(field, unknown, false)),
        None => Ok(()),
    }
}

/// `unknown rule code or prefix `SEC0003` in `select`; did you mean `SEC003`?`
pub fn unknown_code_message(field: &str, selector: &str, exact: bool) -> String {
    let what = if exact { "rule code" } else { "rule code or prefix" };
    let mut message = format!("unknown {what} `{selector}` in `{field}`");
    let codes = crate::registry::rules().into_iter().map(|r| r.code);
    let prefixes: Vec<&str> = ["ALL", "SEC", "REL", "PERF", "OBS", "DEL", "RET"].to_vec();
    let upper = selector.to_ascii_uppercase();
    let candidates: Vec<&str> = if exact { codes.collect() } else { codes.chain(prefixes).collect() };
    match closest(&upper, candidates.into_iter()) {
        Some(suggestion) => message.push_str(&format!("; did you mean `{suggestion}`?")),
        None => message.push_str("; `retort rules` lists the codes"),
    }
    message
}

/// The candidate most similar to `word`, if one is similar enough to be a
/// likely typo (normalised Damerau-Levenshtein similarity of at least 0.7).
pub fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (strsim::normalized_damerau_levenshtein(word, c), c))
        .filter(|(similarity, _)| *similarity >= 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
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
