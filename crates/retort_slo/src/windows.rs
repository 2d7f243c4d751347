//! Burn-rate windows and alert factors, read from `windows.toml` (data).

use serde::Deserialize;

use crate::units::parse_duration_secs;

const DEFAULT_WINDOWS: &str = include_str!("windows.toml");

/// One multiwindow burn-rate alert condition.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertWindow {
    /// `page` or `ticket`.
    pub severity: String,
    /// Burn-rate factor, e.g. 14.4.
    pub factor: f64,
    /// Long window in seconds.
    pub long_secs: i64,
    /// Short window in seconds.
    pub short_secs: i64,
}

/// The burn-rate windows and alert conditions.
#[derive(Debug, Clone, PartialEq)]
pub struct Windows {
    /// Windows for burn-rate figures and recorded error ratios, in seconds.
    pub burn_rate_secs: Vec<i64>,
    /// Alert conditions, in table order.
    pub alerts: Vec<AlertWindow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WindowsFile {
    burn_rate_windows: Vec<String>,
    alert: Vec<AlertEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AlertEntry {
    severity: String,
    factor: f64,
    long: String,
    short: String,
}

impl Windows {
    /// The SRE workbook's table (see `windows.toml`).
    pub fn sre_workbook() -> Windows {
        Self::parse(DEFAULT_WINDOWS).expect("the built-in windows.toml is valid")
    }

    /// Parses a windows table in the format of `windows.toml`.
    pub fn parse(text: &str) -> Result<Windows, String> {
        let file: WindowsFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let burn_rate_secs =
            file.burn_rate_windows.iter().map(|w| parse_duration_secs(w)).collect::<Result<Vec<_>, _>>()?;
        let alerts = file
            .alert
            .into_iter()
            .map(|a| {
                Ok(AlertWindow {
                    severity: a.severity,
                    factor: a.factor,
                    long_secs: parse_duration_secs(&a.long)?,
                    short_secs: parse_duration_secs(&a.short)?,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Windows { burn_rate_secs, alerts })
    }

    /// Every window the alerts and burn rates need, sorted, without duplicates.
    pub fn all_secs(&self) -> Vec<i64> {
        let mut all: Vec<i64> = self.burn_rate_secs.clone();
        for a in &self.alerts {
            all.push(a.long_secs);
            all.push(a.short_secs);
        }
        all.sort_unstable();
        all.dedup();
        all
    }

    /// The longest window any alert looks back over.
    pub fn longest_secs(&self) -> i64 {
        self.all_secs().last().copied().unwrap_or(0)
    }
}
