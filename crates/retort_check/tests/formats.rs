//! Text, JSON and SARIF output.

mod common;

use std::path::Path;

use common::*;
use retort_check::{render_json, render_sarif, render_text, CheckConfig, Finding};
use serde_json::Value;

const SQL_VIEW: &str = r#"from flask import Flask, request
from sqlalchemy import text

from .extensions import db

app = Flask(__name__)


@app.route("/search")
def search():
    q = request.args.get("q", "")
    return {"rows": db.session.execute(text(f"SELECT * FROM p WHERE name = '{q}'")).all()}


@app.get("/healthz")
def health():
    print("probe")
    return "ok"
"#;

#[test]
fn text_output_has_locations_code_frames_and_a_summary() {
    let config = CheckConfig { select: vec!["SEC".into(), "OBS001".into()], ..CheckConfig::default() };
    let (project, report) = check_sources(&[("shop/views.py", SQL_VIEW)], &config);
    let text = render_text(&report, &project, false);
    insta::assert_snapshot!(text);
    let coloured = render_text(&report, &project, true);
    assert!(coloured.contains("\x1b[31m") && !text.contains('\x1b'));
}

#[test]
fn json_output_round_trips_the_findings() {
    let (_, report) = check_sources(&[("shop/views.py", SQL_VIEW)], &CheckConfig::default());
    let json: Value = serde_json::from_str(&render_json(&report)).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["summary"]["findings"].as_u64().unwrap() as usize, report.findings.len());
    let findings: Vec<Finding> = serde_json::from_value(json["findings"].clone()).unwrap();
    assert_eq!(findings, report.findings);
    let sql = findings.iter().find(|f| f.code == "SEC003").unwrap();
    assert_eq!((sql.line, sql.cwe, sql.severity.as_str()), (12, Some(89), "error"));
}

#[test]
fn sarif_validates_against_the_official_schema_and_carries_cwe_tags() {
    let project = load(&shopfront_root());
    let report = check_project(&project, &CheckConfig::default());
    let sarif: Value = serde_json::from_str(&render_sarif(&report)).unwrap();

    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sarif/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let errors: Vec<String> = validator.iter_errors(&sarif).map(|e| format!("{} at {}", e, e.instance_path)).collect();
    assert!(errors.is_empty(), "SARIF does not validate:\n{}", errors.join("\n"));
    // The validator does reject what the schema forbids.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator.is_valid(&broken));

    // The schema accepts a lot; check what code-scanning platforms read.
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"].as_str().unwrap().contains("sarif-schema-2.1.0"));
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let sql = rules.iter().find(|r| r["id"] == "SEC003").unwrap();
    let tags: Vec<&str> = sql["properties"]["tags"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
    assert!(
        tags.contains(&"CWE-89") && tags.contains(&"external/cwe/cwe-89") && tags.contains(&"security"),
        "{tags:?}"
    );
    assert!(sql["properties"]["security-severity"].as_str().unwrap().parse::<f64>().unwrap() >= 7.0);
    assert_eq!(sql["name"], "sql-injection");
    assert!(sql["help"]["markdown"].as_str().unwrap().contains("## Why is this bad?"));
    assert!(!sql["fullDescription"]["text"].as_str().unwrap().is_empty());
    let timeout = rules.iter().find(|r| r["id"] == "REL001").unwrap();
    assert!(timeout["properties"].get("security-severity").is_none());

    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), report.findings.len());
    let injection = results.iter().find(|r| r["ruleId"] == "SEC003").unwrap();
    assert_eq!(injection["level"], "error");
    let location = &injection["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "shopfront/storefront/views.py");
    assert_eq!(location["region"]["startLine"], 85);
    assert!(location["region"]["startColumn"].as_u64().unwrap() > 1);
    // The path from the source to the sink, as code-scanning platforms show it.
    let steps = injection["codeFlows"][0]["threadFlows"][0]["locations"].as_array().unwrap();
    assert!(steps.len() >= 2, "{steps:#?}");
    let last = &steps[steps.len() - 1]["location"]["physicalLocation"];
    assert_eq!(last["region"]["startLine"], 85);
    assert!(steps[0]["location"]["message"]["text"].as_str().unwrap().starts_with("source: "));
    let related = &injection["relatedLocations"][0];
    assert_eq!(related["physicalLocation"], steps[0]["location"]["physicalLocation"]);
    assert!(matches!(injection["properties"]["confidence"].as_str(), Some("high" | "medium" | "low")));
    assert!(injection["partialFingerprints"]
        .as_object()
        .unwrap()
        .values()
        .all(|v| v.as_str().is_some_and(|s| !s.is_empty())));
    // Rule indices point at the right descriptor.
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
}
