use serde_json::{json, Map, Value};

use crate::finding::{Category, Report, Severity};
use crate::registry::{rule_doc, rules, Rule};

const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// SARIF 2.1.0 with every rule in `tool.driver.rules` (CWE tags in
/// `properties.tags`, `security-severity` for security rules) and one result
/// per finding, with Retort's fingerprint as a partial fingerprint.
pub fn render_sarif(report: &Report) -> String {
    let all = rules();
    let descriptors: Vec<Value> = all.iter().map(|r| descriptor(r)).collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let mut result = Map::new();
            result.insert("ruleId".into(), json!(f.code));
            if let Some(index) = all.iter().position(|r| r.code == f.code) {
                result.insert("ruleIndex".into(), json!(index));
            }
            result.insert("level".into(), json!(level(f.severity)));
            result.insert("message".into(), json!({ "text": f.message }));
            if !f.file.is_empty() {
                let mut physical = Map::new();
                physical.insert("artifactLocation".into(), json!({ "uri": f.file, "uriBaseId": "%SRCROOT%" }));
                if f.line > 0 {
                    let mut region = Map::new();
                    region.insert("startLine".into(), json!(f.line));
                    region.insert("startColumn".into(), json!(f.column.max(1)));
                    if f.end_line >= f.line {
                        region.insert("endLine".into(), json!(f.end_line));
                        if f.end_column > 0 && (f.end_line > f.line || f.end_column > f.column) {
                            region.insert("endColumn".into(), json!(f.end_column));
                        }
                    }
                    physical.insert("region".into(), Value::Object(region));
                }
                result.insert("locations".into(), json!([{ "physicalLocation": Value::Object(physical) }]));
            }
            if !f.flow.is_empty() {
                insert_flow(&mut result, f);
            }
            // Data-flow findings and those of the name-based rules.
            if let Some(confidence) = f.confidence {
                result.insert("properties".into(), json!({ "confidence": confidence.as_str() }));
            }
            result.insert("partialFingerprints".into(), json!({ "retortFingerprint/v1": f.fingerprint }));
            Value::Object(result)
        })
        .collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "retort",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": descriptors,
                }
            },
            "originalUriBaseIds": { "%SRCROOT%": { "uri": "./" } },
            "invocations": [invocation(report)],
            "results": results,
            "properties": run_properties(report),
        }]
    });
    let mut text = serde_json::to_string_pretty(&log).expect("SARIF serialises");
    text.push('\n');
    text
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn descriptor(rule: &Rule) -> Value {
    let mut tags = vec![json!(rule.category.as_str())];
    for cwe in rule.cwes() {
        tags.push(json!(format!("CWE-{cwe}")));
        tags.push(json!(format!("external/cwe/cwe-{cwe}")));
    }
    let mut properties = Map::new();
    properties.insert("tags".into(), Value::Array(tags));
    if rule.category == Category::Security {
        let score = match rule.severity {
            Severity::Error => "8.0",
            Severity::Warning => "5.0",
            Severity::Info => "2.0",
        };
        properties.insert("security-severity".into(), json!(score));
    }
    let doc = rule_doc(rule.code).unwrap_or_default();
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": what_it_does(rule) },
        "help": { "text": doc, "markdown": doc },
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": Value::Object(properties),
    })
}

/// The `## What it does` section as plain text.
fn what_it_does(rule: &Rule) -> String {
    let doc = rule.doc;
    let section =
        doc.split("## What it does").nth(1).and_then(|rest| rest.split("\n## ").next()).unwrap_or(rule.summary);
    section.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The run's invocation: files that could not be read, decoded or parsed
/// become tool execution notifications (as code-scanning platforms show them).
fn invocation(report: &Report) -> Value {
    let notifications: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let kind =
                serde_json::to_value(d.kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
            let mut physical = Map::new();
            physical.insert("artifactLocation".into(), json!({ "uri": d.file, "uriBaseId": "%SRCROOT%" }));
            if let Some(line) = d.line.filter(|l| *l > 0) {
                physical.insert("region".into(), json!({ "startLine": line }));
            }
            json!({
                "level": if kind == "syntax" { "warning" } else { "error" },
                "message": { "text": format!("{kind}: {}", d.message) },
                "descriptor": { "id": format!("retort/{kind}") },
                "locations": [{ "physicalLocation": Value::Object(physical) }],
            })
        })
        .collect();
    json!({ "executionSuccessful": true, "toolExecutionNotifications": notifications })
}

/// Retort's own facts about the run: completeness, rules not assessed and
/// the scorecard (a property bag, which SARIF consumers may ignore).
fn run_properties(report: &Report) -> Value {
    json!({
        "completeness": report.completeness,
        "notAssessed": report.not_assessed,
        "scorecard": report.scorecard,
    })
}

/// A SARIF physical location of a flow step.
fn step_location(step: &crate::finding::FlowStep) -> Value {
    let mut region = Map::new();
    region.insert("startLine".into(), json!(step.line.max(1)));
    region.insert("startColumn".into(), json!(step.column.max(1)));
    if step.end_line >= step.line && step.end_line > 0 {
        region.insert("endLine".into(), json!(step.end_line));
        if step.end_line > step.line || step.end_column > step.column {
            region.insert("endColumn".into(), json!(step.end_column));
        }
    }
    json!({
        "artifactLocation": { "uri": step.file, "uriBaseId": "%SRCROOT%" },
        "region": Value::Object(region),
    })
}

/// A data-flow finding's path as `codeFlows` (one thread flow, source to
/// sink) and its source as a related location.
fn insert_flow(result: &mut Map<String, Value>, f: &crate::finding::Finding) {
    let locations: Vec<Value> = f
        .flow
        .iter()
        .map(|step| {
            json!({
                "location": {
                    "physicalLocation": step_location(step),
                    "message": { "text": step.note },
                }
            })
        })
        .collect();
    result.insert("codeFlows".into(), json!([{ "threadFlows": [{ "locations": locations }] }]));
    if let Some(source) = f.flow.first() {
        result.insert(
            "relatedLocations".into(),
            json!([{ "id": 1, "physicalLocation": step_location(source), "message": { "text": source.note } }]),
        );
    }
}
