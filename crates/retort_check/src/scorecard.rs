//! Scorecards: per category, a level (Bronze, Silver, Gold) defined
//! declaratively as the rules that must pass, like Cortex or OpsLevel
//! scorecards. Levels are cumulative: Silver needs Bronze's rules too.
//! The built-in definition can be replaced per category in configuration:
//!
//! ```toml
//! [tool.retort.scorecards.security]
//! bronze = ["SEC001", "SEC002"]
//! silver = ["SEC003", "SEC005"]
//! gold = ["SEC009"]
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::finding::Report;
use crate::registry::rules;

/// A scorecard level, from lowest to highest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Bronze,
    Silver,
    Gold,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Bronze, Level::Silver, Level::Gold];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Bronze => "bronze",
            Level::Silver => "silver",
            Level::Gold => "gold",
        }
    }

    pub fn parse(text: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == text.to_ascii_lowercase())
    }
}

/// The rules each level adds, for one category.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct LevelRules {
    pub bronze: Vec<String>,
    pub silver: Vec<String>,
    pub gold: Vec<String>,
}

impl LevelRules {
    fn added_at(&self, level: Level) -> &[String] {
        match level {
            Level::Bronze => &self.bronze,
            Level::Silver => &self.silver,
            Level::Gold => &self.gold,
        }
    }
}

fn codes(list: &[&str]) -> Vec<String> {
    list.iter().map(|c| c.to_string()).collect()
}

/// The built-in scorecards: Bronze is what no service should ship without,
/// Silver what a service that scales needs, Gold the rest of the category.
pub fn default_scorecards() -> BTreeMap<String, LevelRules> {
    let mut cards = BTreeMap::new();
    let mut add = |category: &str, bronze: &[&str], silver: &[&str]| {
        let named: Vec<&str> = bronze.iter().chain(silver).copied().collect();
        let gold = rules()
            .into_iter()
            .filter(|r| r.category.as_str() == category && !named.contains(&r.code))
            .map(|r| r.code.to_string())
            .collect();
        cards.insert(category.to_string(), LevelRules { bronze: codes(bronze), silver: codes(silver), gold });
    };
    add(
        "security",
        &["SEC001", "SEC002", "SEC003", "SEC005", "SEC006", "SEC011"],
        &["SEC004", "SEC007", "SEC008", "SEC009", "SEC010", "SEC012", "SEC013", "SEC014", "SEC018", "SEC020", "SEC022"],
    );
    add("reliability", &["REL003", "REL005"], &["REL001", "REL004", "REL006", "REL007"]);
    add("performance", &["PERF002"], &["PERF001", "PERF003", "PERF004"]);
    add("observability", &["OBS004"], &["OBS001", "OBS002", "OBS005"]);
    add("delivery", &["DEL001", "DEL010"], &["DEL002", "DEL004", "DEL005", "DEL012"]);
    cards
}

/// One category's result.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryScore {
    pub category: String,
    /// The highest level whose rules (and all lower levels' rules) were
    /// assessed and pass.
    pub level: Option<Level>,
    /// `gold`, `silver`, `bronze`, `none` (a Bronze rule has findings) or
    /// `not-assessed` (no Bronze rule fails, but some were not assessed).
    pub status: &'static str,
    /// The next level, if any.
    pub next: Option<Level>,
    /// Rules of the next level (or lower) that still have findings.
    pub missing: Vec<String>,
    /// Rules of the next level (or lower) that were not assessed, with why:
    /// they keep the category from that level.
    pub not_assessed: BTreeMap<String, String>,
}

impl CategoryScore {
    /// `DEL001, DEL010: deselected; DEL002: no CI pipeline found`.
    pub fn describe_not_assessed(&self) -> String {
        let mut by_reason: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (code, why) in &self.not_assessed {
            by_reason.entry(why.as_str()).or_default().push(code.as_str());
        }
        by_reason.iter().map(|(why, codes)| format!("{}: {why}", codes.join(", "))).collect::<Vec<_>>().join("; ")
    }

    /// `bronze (for silver: fix SEC004)`, `not assessed (SEC001: deselected)`.
    pub fn describe(&self) -> String {
        let level = if self.status == "not-assessed" { "not assessed" } else { self.status };
        let mut why = Vec::new();
        if !self.missing.is_empty() {
            why.push(format!("fix {}", self.missing.join(", ")));
        }
        if !self.not_assessed.is_empty() {
            why.push(format!("not assessed: {}", self.describe_not_assessed()));
        }
        match (self.next, why.is_empty()) {
            (Some(next), false) if self.status != "not-assessed" => {
                format!("{level} (for {}: {})", next.as_str(), why.join("; "))
            }
            (_, false) if self.missing.is_empty() => format!("{level} ({})", self.describe_not_assessed()),
            (_, false) => format!("{level} ({})", why.join("; ")),
            _ => level.to_string(),
        }
    }
}

/// Scores `report` against `cards` (the defaults merged with the project's).
/// A level needs every rule up to it assessed and without findings, so
/// deselected rules and rules with nothing to judge never raise a level.
/// Tentative findings (uncorroborated name-based ones) do not count.
pub fn score(report: &Report, cards: &BTreeMap<String, LevelRules>) -> Vec<CategoryScore> {
    let failing = |code: &String| report.findings.iter().any(|f| &f.code == code && !f.is_tentative());
    cards
        .iter()
        .map(|(category, rules)| {
            let mut level = None;
            let mut missing = Vec::new();
            let mut not_assessed = BTreeMap::new();
            let mut next = None;
            for candidate in Level::ALL {
                let failed: Vec<String> = rules.added_at(candidate).iter().filter(|c| failing(c)).cloned().collect();
                let unassessed: BTreeMap<String, String> = rules
                    .added_at(candidate)
                    .iter()
                    .filter_map(|c| report.not_assessed.get(c).map(|why| (c.clone(), why.clone())))
                    .collect();
                if failed.is_empty() && unassessed.is_empty() && next.is_none() {
                    level = Some(candidate);
                } else if next.is_none() {
                    next = Some(candidate);
                    missing = failed;
                    not_assessed = unassessed;
                }
            }
            let status = match level {
                Some(level) => level.as_str(),
                None if missing.is_empty() => "not-assessed",
                None => "none",
            };
            CategoryScore { category: category.clone(), level, status, next, missing, not_assessed }
        })
        .collect()
}

/// Whether every category reached at least `min`.
pub fn meets(scores: &[CategoryScore], min: Level) -> bool {
    scores.iter().all(|s| s.level.is_some_and(|l| l >= min))
}

/// Why `--min-level min` fails, one line per reason (empty: it passes):
/// categories below `min` or not assessed, and files that could not be
/// analysed (their findings are unknown).
pub fn gate_failures(
    scores: &[CategoryScore],
    completeness: &crate::assessment::Completeness,
    min: Level,
) -> Vec<String> {
    let mut out = Vec::new();
    for s in scores.iter().filter(|s| s.level.is_none_or(|l| l < min)) {
        out.push(format!("{} is {}", s.category, s.describe()));
    }
    if !completeness.is_complete() {
        out.push(format!("{}; fix or exclude those files", completeness.describe()));
    }
    out
}

/// The scorecard as text, one line per category.
pub fn render_scorecard(scores: &[CategoryScore]) -> String {
    let mut out = String::from("\nScorecard:\n");
    for s in scores {
        out.push_str(&format!("  {:<14} {}\n", s.category, s.describe()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Category, Finding, Severity};

    fn finding(code: &str) -> Finding {
        Finding {
            code: code.into(),
            rule: String::new(),
            category: Category::Security,
            severity: Severity::Error,
            message: String::new(),
            file: "a.py".into(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
            cwe: None,
            fingerprint: String::new(),
            confidence: None,
            flow: Vec::new(),
        }
    }

    fn card() -> BTreeMap<String, LevelRules> {
        let rules = LevelRules { bronze: codes(&["A1"]), silver: codes(&["A2"]), gold: codes(&["A3"]) };
        BTreeMap::from([("a".to_string(), rules)])
    }

    #[test]
    fn levels_are_cumulative() {
        let report = Report { findings: vec![finding("A3")], ..Default::default() };
        let scores = score(&report, &card());
        assert_eq!(scores[0].level, Some(Level::Silver));
        assert_eq!(scores[0].next, Some(Level::Gold));
        assert_eq!(scores[0].missing, vec!["A3"]);
        // A failing Bronze rule caps the level even when higher rules pass.
        let report = Report { findings: vec![finding("A1")], ..Default::default() };
        let scores = score(&report, &card());
        assert_eq!(scores[0].level, None);
        assert!(!meets(&scores, Level::Bronze));
        let clean = score(&Report::default(), &card());
        assert_eq!(clean[0].level, Some(Level::Gold));
        assert!(meets(&clean, Level::Gold));
    }

    #[test]
    fn rules_not_assessed_never_count_as_passed() {
        let mut report = Report::default();
        report.not_assessed.insert("A2".into(), "deselected".into());
        let scores = score(&report, &card());
        assert_eq!(
            (scores[0].level, scores[0].status, scores[0].next),
            (Some(Level::Bronze), "bronze", Some(Level::Silver))
        );
        assert_eq!(scores[0].describe(), "bronze (for silver: not assessed: A2: deselected)");
        assert!(meets(&scores, Level::Bronze) && !meets(&scores, Level::Silver));
        report.not_assessed.insert("A1".into(), "no Python file was analysed".into());
        let scores = score(&report, &card());
        assert_eq!((scores[0].level, scores[0].status), (None, "not-assessed"));
        assert_eq!(scores[0].describe(), "not assessed (A1: no Python file was analysed)");
        // A failing rule is reported as failing, not as not assessed.
        report.findings.push(finding("A1"));
        report.not_assessed.remove("A1");
        assert_eq!(score(&report, &card())[0].status, "none");
    }

    #[test]
    fn configuration_replaces_a_category() {
        let config = crate::CheckConfig::from_toml_str("[scorecards.security]\nbronze = ['SEC001']\n").unwrap();
        let cards = config.scorecards();
        assert_eq!(cards["security"], LevelRules { bronze: codes(&["SEC001"]), silver: vec![], gold: vec![] });
        assert_eq!(cards["delivery"], default_scorecards()["delivery"]);
    }

    #[test]
    fn defaults_cover_every_rule_of_each_category_once() {
        let cards = default_scorecards();
        for rule in rules().into_iter().filter(|r| r.category.as_str() != "meta") {
            let card = &cards[rule.category.as_str()];
            let listed = Level::ALL.iter().filter(|l| card.added_at(**l).iter().any(|c| c == rule.code)).count();
            assert_eq!(listed, 1, "{} in {} levels", rule.code, listed);
        }
    }
}
