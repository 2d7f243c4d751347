//! What a push carries, what the portal shows, and the facts drawn from
//! the (untrusted) result documents at push time.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

/// The tools whose results a push may carry, in the order pages show them.
pub const TOOLS: [&str; 7] = ["scan", "check", "openapi", "arch", "team", "load", "slo"];

/// Scorecard levels by rank; `none` (a Bronze rule fails) is 0.
pub const LEVELS: [&str; 4] = ["none", "bronze", "silver", "gold"];

/// Longest service name, commit or metadata string accepted.
const MAX_NAME_CHARS: usize = 200;

/// The body of `POST /api/pushes`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Push {
    pub service: ServiceIdentity,
    /// The commit the results describe (a hash, or any label up to 200 characters).
    pub commit: String,
    /// Unix seconds the results were produced; the server's clock when absent.
    #[serde(default)]
    pub time: Option<i64>,
    /// Result documents by tool (`scan`, `check`, … as the CLI prints them with `--format json`).
    pub results: BTreeMap<String, Json>,
}

/// Who a service is: from the repository and an optional `catalog-info.yaml`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ServiceIdentity {
    pub name: String,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub system: Option<String>,
    #[serde(default)]
    pub repository: Option<String>,
}

/// Why a push is refused before it reaches the store.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum InvalidPush {
    #[error("{field}: {reason}")]
    Field { field: &'static str, reason: String },
    #[error("unknown tool `{0}` (known: scan, check, openapi, arch, team, load, slo)")]
    UnknownTool(String),
    #[error("a push needs at least one result")]
    NoResults,
}

fn check_text(field: &'static str, text: &str, required: bool) -> Result<(), InvalidPush> {
    let reason = if required && text.trim().is_empty() {
        Some("must not be empty".to_string())
    } else if text.chars().count() > MAX_NAME_CHARS {
        Some(format!("longer than {MAX_NAME_CHARS} characters"))
    } else if text.chars().any(char::is_control) {
        Some("contains control characters".to_string())
    } else {
        None
    };
    match reason {
        Some(reason) => Err(InvalidPush::Field { field, reason }),
        None => Ok(()),
    }
}

impl Push {
    /// Checks the identity fields and tool names; result documents are
    /// stored as sent and only read defensively.
    pub fn validate(&self) -> Result<(), InvalidPush> {
        check_text("service.name", &self.service.name, true)?;
        if self.service.name.contains('/') {
            return Err(InvalidPush::Field { field: "service.name", reason: "must not contain `/`".into() });
        }
        for (field, value) in [
            ("service.owner", &self.service.owner),
            ("service.system", &self.service.system),
            ("service.repository", &self.service.repository),
        ] {
            if let Some(value) = value {
                check_text(field, value, false)?;
            }
        }
        check_text("commit", &self.commit, true)?;
        if self.results.is_empty() {
            return Err(InvalidPush::NoResults);
        }
        if let Some(tool) = self.results.keys().find(|tool| !TOOLS.contains(&tool.as_str())) {
            return Err(InvalidPush::UnknownTool(tool.clone()));
        }
        Ok(())
    }
}

/// What happened to a push: each tool is stored, unchanged (the same
/// document was already stored for this service and commit) or in
/// conflict (a different document was); any conflict rejects the whole push.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct PushOutcome {
    /// The run created, when anything was stored.
    pub run_id: Option<i64>,
    pub stored: Vec<String>,
    pub unchanged: Vec<String>,
    pub conflicts: Vec<String>,
}

/// Facts drawn from one result document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Derived {
    pub levels: Vec<LevelRow>,
    pub findings: Vec<FindingRow>,
    pub routes: Vec<RouteRow>,
    pub components: Vec<ComponentRow>,
    pub metrics: Vec<(String, f64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelRow {
    pub category: String,
    /// `none`, `bronze`, `silver`, `gold` or `not-assessed`.
    pub level: String,
    /// 0 to 3 as in [`LEVELS`]; -1 when not assessed.
    pub rank: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingRow {
    pub code: String,
    pub rule: String,
    pub category: String,
    pub severity: String,
    pub message: String,
    pub file: String,
    pub line: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteRow {
    pub rule: String,
    pub methods: String,
    pub endpoint: String,
    pub view: String,
    pub doc: String,
    pub guards: String,
    pub file: String,
    pub line: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentRow {
    pub name: String,
    pub truck_factor: i64,
    /// The main authors, comma-separated.
    pub authors: String,
}

/// A string field; NUL characters (which PostgreSQL's TEXT cannot hold)
/// become U+FFFD, so both engines store the same text.
fn text(value: &Json, key: &str) -> String {
    let raw = match value.get(key) {
        Some(Json::String(s)) => s.clone(),
        Some(Json::Number(n)) => n.to_string(),
        Some(Json::Array(items)) => {
            items.iter().filter_map(|i| i.as_str().map(str::to_string)).collect::<Vec<_>>().join(",")
        }
        _ => String::new(),
    };
    if raw.contains('\0') {
        raw.replace('\0', "\u{fffd}")
    } else {
        raw
    }
}

fn number(value: &Json, path: &[&str]) -> Option<f64> {
    let mut at = value;
    for key in path {
        at = at.get(key)?;
    }
    at.as_f64().filter(|n| n.is_finite())
}

fn array<'a>(value: &'a Json, key: &str) -> &'a [Json] {
    value.get(key).and_then(Json::as_array).map(Vec::as_slice).unwrap_or(&[])
}

/// Rank of a scorecard status as `check` writes it.
pub fn level_rank(level: &str) -> i64 {
    LEVELS.iter().position(|l| *l == level).map(|p| p as i64).unwrap_or(-1)
}

/// Reads what the views need from a tool's document; anything missing or
/// of the wrong type is left out, never an error.
pub fn derive(tool: &str, doc: &Json) -> Derived {
    let mut derived = Derived::default();
    match tool {
        "check" => {
            for score in array(doc, "scorecard") {
                let category = text(score, "category");
                if category.is_empty() {
                    continue;
                }
                let mut level = text(score, "status");
                if level.is_empty() {
                    level = score.get("level").and_then(Json::as_str).unwrap_or("none").to_string();
                }
                derived.levels.push(LevelRow { rank: level_rank(&level), category, level });
            }
            for finding in array(doc, "findings") {
                derived.findings.push(FindingRow {
                    code: text(finding, "code"),
                    rule: text(finding, "rule"),
                    category: text(finding, "category"),
                    severity: text(finding, "severity"),
                    message: text(finding, "message"),
                    file: text(finding, "file"),
                    line: finding.get("line").and_then(Json::as_i64).unwrap_or(0),
                });
            }
            for key in ["errors", "warnings", "findings"] {
                if let Some(n) = number(doc, &["summary", key]) {
                    derived.metrics.push((key.to_string(), n));
                }
            }
        }
        "scan" => {
            for route in array(doc, "routes") {
                // Authentication guards, as the `scan` table's Guard column shows them.
                let mut guards: Vec<String> = Vec::new();
                for guard in array(route, "guards") {
                    let name = match guard {
                        Json::String(s) => s.clone(),
                        other if other.get("auth").and_then(Json::as_bool) == Some(true) => text(other, "name"),
                        _ => continue,
                    };
                    if !name.is_empty() && !guards.contains(&name) {
                        guards.push(name);
                    }
                }
                let guards = guards.join(",");
                derived.routes.push(RouteRow {
                    rule: text(route, "rule"),
                    methods: text(route, "methods"),
                    endpoint: text(route, "endpoint"),
                    view: text(route, "view"),
                    doc: text(route, "doc"),
                    guards,
                    file: text(route, "file"),
                    line: route.get("line").and_then(Json::as_i64).unwrap_or(0),
                });
            }
            derived.metrics.push(("routes".into(), derived.routes.len() as f64));
        }
        "team" => {
            for component in array(doc, "components") {
                let truck_factor = number(component, &["truck_factor", "value"]).unwrap_or(0.0) as i64;
                let authors = array(component, "authors")
                    .iter()
                    .take(3)
                    .map(|a| {
                        let name = text(a, "developer");
                        if name.is_empty() {
                            text(a, "name")
                        } else {
                            name
                        }
                    })
                    .filter(|a| !a.is_empty())
                    .collect::<Vec<_>>()
                    .join(", ");
                derived.components.push(ComponentRow { name: text(component, "name"), truck_factor, authors });
            }
            if let Some(n) = number(doc, &["truck_factor", "value"]) {
                derived.metrics.push(("truck_factor".into(), n));
            }
        }
        "arch" => {
            for (key, path) in [("components", "components"), ("cycles", "cycles")] {
                derived.metrics.push((key.into(), array(doc, path).len() as f64));
            }
        }
        "load" => {
            let totals = doc.get("totals").unwrap_or(&Json::Null);
            if let Some(p) = number(totals, &["latency_us", "p50"]) {
                derived.metrics.push(("p50_ms".into(), p / 1000.0));
            }
            if let Some(p) = number(totals, &["latency_us", "p99"]) {
                derived.metrics.push(("p99_ms".into(), p / 1000.0));
            }
            if let Some(rate) = number(totals, &["error_rate"]) {
                derived.metrics.push(("error_rate".into(), rate));
            }
            if let (Some(requests), Some(duration)) = (number(totals, &["requests"]), number(doc, &["duration_s"])) {
                if duration > 0.0 {
                    derived.metrics.push(("rps".into(), requests / duration));
                }
            }
        }
        "slo" => {
            for objective in array(doc, "objectives") {
                let name = text(objective, "name");
                if let Some(b) = number(objective, &["budget_remaining"]) {
                    derived.metrics.push((format!("budget_remaining:{name}"), b));
                }
                if let Some(sli) = number(objective, &["sli"]) {
                    derived.metrics.push((format!("sli:{name}"), sli));
                }
            }
        }
        _ => {}
    }
    derived
}

/// The newest arch result's extraction order: candidate component names,
/// best first (at most 20).
pub fn extraction_plan(payload: &str) -> Vec<String> {
    let Ok(doc) = serde_json::from_str::<Json>(payload) else { return Vec::new() };
    let plan = doc.get("plan").unwrap_or(&Json::Null);
    array(plan, "candidates").iter().take(20).map(|c| text(c, "component")).filter(|c| !c.is_empty()).collect()
}

/// A service on the overview.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ServiceSummary {
    pub name: String,
    pub owner: Option<String>,
    pub system: Option<String>,
    pub repository: Option<String>,
    /// The newest run's commit and time.
    pub last_commit: Option<String>,
    pub last_time: Option<i64>,
    /// Levels of the newest `check`, with the one before for the trend.
    pub levels: Vec<LevelTrend>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LevelTrend {
    pub category: String,
    pub level: String,
    pub rank: i64,
    pub previous_rank: Option<i64>,
    /// `up`, `down`, `same` or `new`.
    pub trend: String,
}

/// One point of a history: a result's commit, time and numbers.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct HistoryPoint {
    pub commit: String,
    pub time: i64,
    pub values: BTreeMap<String, f64>,
}

/// Everything the service page shows.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ServiceDetail {
    pub summary: ServiceSummary,
    /// Scorecard ranks per category over time (oldest first).
    pub scorecards: Vec<HistoryPoint>,
    /// `errors`, `warnings`, `findings` over time.
    pub check_history: Vec<HistoryPoint>,
    pub load_history: Vec<HistoryPoint>,
    pub slo_history: Vec<HistoryPoint>,
    pub routes: Vec<RouteRow>,
    pub findings: Vec<FindingRow>,
    pub components: Vec<ComponentRow>,
    /// `truck_factor` etc. of the newest team result, `components`/`cycles` of arch.
    pub team_metrics: BTreeMap<String, f64>,
    pub arch_metrics: BTreeMap<String, f64>,
    /// The newest arch result's extraction plan (component names in order).
    pub extraction_plan: Vec<String>,
    pub runs: Vec<RunSummary>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RunSummary {
    pub id: i64,
    pub commit: String,
    pub time: i64,
    pub tools: Vec<String>,
}

/// A route found by search, with the service serving it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RouteHit {
    pub service: String,
    pub route: RouteRow,
    /// `path` when the query is a concrete URL the rule matches, else `text`.
    pub matched: String,
}

/// A component whose knowledge rests on one person (or none).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ComponentRisk {
    pub service: String,
    pub component: ComponentRow,
}

/// A rule and how often it fails across services' newest check.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RuleCount {
    pub code: String,
    pub rule: String,
    pub services: i64,
    pub findings: i64,
}

/// Row counts, for health checks and tests.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Counts {
    pub services: i64,
    pub runs: i64,
    pub results: i64,
    pub routes: i64,
    pub findings: i64,
}

/// Does a Flask rule (`/users/<int:id>`) serve this concrete path?
/// Each converter matches one segment, `path` the rest; `int` and `float`
/// need digits.
pub fn rule_matches_path(rule: &str, path: &str) -> bool {
    let rule_parts: Vec<&str> = rule.trim_end_matches('/').split('/').collect();
    let path_parts: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let mut i = 0;
    for (index, part) in rule_parts.iter().enumerate() {
        if let Some(inner) = part.strip_prefix('<').and_then(|p| p.strip_suffix('>')) {
            let converter = inner.split_once(':').map(|(c, _)| c.split('(').next().unwrap_or(c)).unwrap_or("");
            if converter == "path" {
                return index == rule_parts.len() - 1 && i < path_parts.len() && !path_parts[i].is_empty();
            }
            let Some(segment) = path_parts.get(i) else { return false };
            let ok = match converter {
                "int" => !segment.is_empty() && segment.chars().all(|c| c.is_ascii_digit()),
                "float" => segment.contains('.') && segment.chars().all(|c| c.is_ascii_digit() || c == '.'),
                _ => !segment.is_empty(),
            };
            if !ok {
                return false;
            }
        } else if path_parts.get(i) != Some(part) {
            return false;
        }
        i += 1;
    }
    i == path_parts.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_match_concrete_paths() {
        assert!(rule_matches_path("/api/v1/users/<int:id>", "/api/v1/users/42"));
        assert!(!rule_matches_path("/api/v1/users/<int:id>", "/api/v1/users/bob"));
        assert!(rule_matches_path("/api/v1/users/", "/api/v1/users"));
        assert!(!rule_matches_path("/api/v1/users", "/api/v1/users/1"));
        assert!(rule_matches_path("/files/<path:p>", "/files/a/b/c"));
        assert!(!rule_matches_path("/files/<path:p>", "/files"));
        assert!(rule_matches_path("/u/<name>", "/u/x"));
    }

    #[test]
    fn validation_rejects_bad_identity() {
        let mut push = Push {
            service: ServiceIdentity { name: "shop".into(), ..Default::default() },
            commit: "abc".into(),
            time: None,
            results: BTreeMap::from([("check".to_string(), serde_json::json!({}))]),
        };
        assert_eq!(push.validate(), Ok(()));
        push.service.name = "a/b".into();
        assert!(push.validate().is_err());
        push.service.name = "a\u{7}".into();
        assert!(push.validate().is_err());
        push.service.name = "shop".into();
        push.results.insert("exec".into(), Json::Null);
        assert_eq!(push.validate(), Err(InvalidPush::UnknownTool("exec".into())));
    }

    #[test]
    fn derive_reads_check_levels_and_tolerates_junk() {
        let doc = serde_json::json!({
            "summary": {"errors": 2, "warnings": 1, "findings": 3},
            "scorecard": [{"category": "security", "level": "bronze", "status": "bronze"},
                          {"category": "delivery", "level": null, "status": "not-assessed"}, 7],
            "findings": [{"code": "SEC001", "rule": "debug", "category": "security", "severity": "error",
                          "message": "m", "file": "a.py", "line": 3}, "junk"]
        });
        let d = derive("check", &doc);
        assert_eq!(d.levels.len(), 2);
        assert_eq!(d.levels[0].rank, 1);
        assert_eq!(d.levels[1].rank, -1);
        assert_eq!(d.findings.len(), 2);
        assert_eq!(d.findings[0].line, 3);
        assert!(d.metrics.contains(&("errors".to_string(), 2.0)));
        assert_eq!(derive("check", &serde_json::json!("nonsense")), Derived::default());
    }
}
