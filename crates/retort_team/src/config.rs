//! `[tool.retort.team]` in `pyproject.toml` (or `[team]` / `[tool.retort.team]`
//! in `retort.toml`). Every key has a documented default (`docs/team.md`).
//!
//! ```toml
//! [tool.retort.team]
//! inactive-days = 182
//! exclude = ["vendor/", "*.min.js"]
//! owners = { "@octocat" = "Mona Lisa" }
//! [tool.retort.team.components]
//! billing = ["shop/billing/", "shop/invoices.py"]
//! [tool.retort.team.capabilities]
//! observability = ["shop/telemetry/"]
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::doa::DoaOptions;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
pub struct TeamConfig {
    /// Developers whose last commit is older than this many days before
    /// the newest commit count as gone.
    pub inactive_days: u32,
    /// Files below these gitignore-style patterns are left out of
    /// authorship and truck factors (vendored code, generated files).
    pub exclude: Vec<String>,
    /// Components as gitignore-style patterns, replacing the default (one
    /// per blueprint package plus `core`).
    pub components: BTreeMap<String, Vec<String>>,
    /// Extra path patterns per capability, added to the defaults (a new
    /// name adds a capability).
    pub capabilities: BTreeMap<String, Vec<String>>,
    /// CODEOWNERS owner (`@handle` or e-mail) → developer name or e-mail,
    /// where the handle cannot be matched from the history.
    pub owners: BTreeMap<String, String>,
    /// Coverage below which the greedy algorithm stops (Avelino: 0.5).
    pub coverage_threshold: f64,
    pub doa: DoaOptions,
    /// Role weights: role → weight multiplying its need score (default 1).
    pub role_weights: BTreeMap<String, f64>,
}

impl Default for TeamConfig {
    fn default() -> Self {
        TeamConfig {
            inactive_days: 182,
            exclude: Vec::new(),
            components: BTreeMap::new(),
            capabilities: BTreeMap::new(),
            owners: BTreeMap::new(),
            coverage_threshold: 0.5,
            doa: DoaOptions::default(),
            role_weights: BTreeMap::new(),
        }
    }
}

/// Reads the `team` table; a missing file or table is the default.
pub fn load(root: &Path) -> Result<TeamConfig, String> {
    for (file, nested) in [("retort.toml", false), ("pyproject.toml", true)] {
        let path = root.join(file);
        if !path.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let value: toml::Value = text.parse().map_err(|e| format!("invalid {}: {e}", path.display()))?;
        let retort = value.get("tool").and_then(|t| t.get("retort"));
        let table = match (nested, retort) {
            (_, Some(retort)) => retort.get("team"),
            (false, None) => value.get("team"),
            (true, None) => None,
        };
        return match table {
            Some(table) => {
                table.clone().try_into().map_err(|e| format!("invalid [tool.retort.team] in {}: {e}", path.display()))
            }
            None => Ok(TeamConfig::default()),
        };
    }
    Ok(TeamConfig::default())
}
