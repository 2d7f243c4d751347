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
    /// The highest level whose rules (and all lower levels' rules) pass.
    pub level: Option<Level>,
    /// The next level, if any.
    pub next: Option<Level>,
    /// Rules of the next level (or lower) that still have findings.
    pub missing: Vec<String>,
}

/// Scores `report` against `cards` (the defaults merged with the project's).
pub fn score(report: &Report, cards: &BTreeMap<String, LevelRules>) -> Vec<CategoryScore> {
    let failing = |code: &String| report.findings.iter().any(|f| &f.code == code);
    cards
        .iter()
        .map(|(category, rules)| {
            let mut level = None;
            let mut missing = Vec::new();
            let mut next = None;
            for candidate in Level::ALL {
                let failed: Vec<String> = rules.added_at(candidate).iter().filter(|c| failing(c)).cloned().collect();
                if failed.is_empty() && next.is_none() {
                    level = Some(candidate);
                } else if next.is_none() {
                    next = Some(candidate);
                    missing = failed;
                }
            }
            CategoryScore { category: category.clone(), level, next, missing }
        })
        .collect()
}

/// Whether every category reached at least `min`.
pub fn meets(scores: &[CategoryScore], min: Level) -> bool {
    scores.iter().all(|s| s.level.is_some_and(|l| l >= min))
}

/// The scorecard as text, one line per category.
pub fn render_scorecard(scores: &[CategoryScore]) -> String {
    let mut out = String::from("\nScorecard:\n");
    for s in scores {
        let level = s.level.map(Level::as_str).unwrap_or("none");
        let next = match (s.next, s.missing.is_empty()) {
            (Some(next), false) => format!(" (for {}: fix {})", next.as_str(), s.missing.join(", ")),
            _ => String::new(),
        };
        out.push_str(&format!("  {:<14} {:<7}{}\n", s.category, level, next));
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
