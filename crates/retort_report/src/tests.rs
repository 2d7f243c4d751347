//! Page-level tests: hostile text from the scanned code stays text, every
//! section renders with and without its input, the policy matches the
//! inline style and script.

use serde_json::json;

use super::*;

const HOSTILE: &str = "</script><script>window.pwned=1</script><!-- \"'&\u{202e}gnp.exe\u{2066}";

fn hostile_input() -> ReportInput {
    let catalog = json!({
        "summary": {"files": 1, "lines": 10, "unresolved_routes": 0},
        "apps": [{"id": HOSTILE, "class": "Flask", "file": HOSTILE, "line": 1}],
        "blueprints": [{"name": HOSTILE, "url_prefix": HOSTILE, "file": "a.py", "line": 2}],
        "routes": [{
            "rule": format!("/x/{HOSTILE}"), "methods": ["GET"], "endpoint": HOSTILE, "blueprint": HOSTILE,
            "view": HOSTILE, "doc": HOSTILE, "file": HOSTILE, "line": 3,
            "guards": [{"kind": "decorator", "name": HOSTILE, "file": HOSTILE, "line": 3, "auth": true}]
        }],
        "extensions": [{"class": HOSTILE, "package": HOSTILE, "file": HOSTILE, "line": 1, "wiring": []}],
        "models": [{"name": HOSTILE, "table": HOSTILE, "file": HOSTILE, "line": 1, "columns": []}],
        "tasks": [{"name": HOSTILE, "decorator": HOSTILE, "file": HOSTILE, "line": 1}],
        "diagnostics": []
    });
    let check = json!({
        "summary": {"findings": 1, "errors": 1, "warnings": 0, "info": 0, "suppressed": 0},
        "findings": [{"code": "SEC001", "rule": HOSTILE, "category": "security", "severity": "error",
            "message": format!("`{HOSTILE}` {HOSTILE} `"), "file": HOSTILE, "line": 2, "column": 1, "flow": [{"file": HOSTILE, "line": 1, "note": HOSTILE}]}],
        "scorecard": [{"category": "security", "level": null, "status": "none", "next": "bronze",
            "missing": ["SEC001"], "not_assessed": {"SEC002": HOSTILE}}]
    });
    let arch = json!({
        "summary": {"modules": 2, "imports": 1, "components": 2, "cycles": 0, "contracts": 0,
            "components_from": "blueprints", "history": {"commits": 2, "note": HOSTILE}},
        "components": [{"name": HOSTILE, "origin": "blueprint", "modules": 1, "lines": 5, "routes": 1, "fan_in": [], "fan_out": ["core"]},
                       {"name": "core", "origin": "core", "modules": 1, "lines": 5, "routes": 0, "fan_in": [HOSTILE], "fan_out": []}],
        "dependencies": [{"from": HOSTILE, "to": "core", "imports": 2}],
        "component_cycles": [], "cycles": [],
        "contracts": [{"name": HOSTILE, "kind": "forbidden", "verdict": "broken",
            "violations": [{"summary": HOSTILE, "chain": []}], "messages": []}],
        "hotspots": [{"file": HOSTILE, "component": HOSTILE, "revisions": 2, "lines": 5, "score": 10, "complexity": 1}],
        "coupling": {"components": [{"a": HOSTILE, "b": "core", "shared_revisions": 2, "degree": 0.5, "hidden": true}]},
        "plan": {"candidates": [{"component": HOSTILE, "readiness": 80,
            "evidence": [{"factor": "x", "value": 1.0, "penalty": 20.0, "detail": HOSTILE}], "api": ["GET /x"]}],
            "notes": [HOSTILE]}
    });
    let team = json!({
        "window": {"commits": 2, "complete": true}, "inactive_days": 180,
        "developers": [{"name": HOSTILE, "commits": 2, "files_authored": 1, "active": true}],
        "truck_factor": {"value": 1, "developers": [HOSTILE]},
        "active_truck_factor": {"value": 1, "developers": [HOSTILE]},
        "knowledge_lost": {"files": 1, "examples": [HOSTILE], "components": [HOSTILE]},
        "if_leaves": [{"developer": HOSTILE, "files_orphaned": 1, "components_lost": [HOSTILE]}],
        "components": [{"name": HOSTILE, "files": 1, "authors": [{"developer": HOSTILE, "files": 1, "active": true}],
            "truck_factor": {"value": 1}, "active_truck_factor": {"value": 1}, "orphaned_files": 0}],
        "roles": [{"role": "x", "title": HOSTILE, "need": 1.5, "evidence": [{"points": 1.5, "text": HOSTILE}]}],
        "hiring_plan": [{"rank": 1, "title": HOSTILE, "need": 1.5, "because": HOSTILE}],
        "diagnostics": [HOSTILE]
    });
    let load = json!({
        "target": HOSTILE, "model": "closed", "connections": 2, "duration_s": 2.0,
        "totals": {"requests": 10, "rps": 5.0, "error_rate": 0.1, "latency_us": {"p50": 1000.0, "p95": 2000.0, "p99": 3000.0}},
        "requests": [{"name": HOSTILE, "method": "GET", "requests": 10, "errors": 1, "latency_us": {"p50": 1000.0}}],
        "timeline": [{"second": 0, "requests": 5, "errors": 0, "latency_us": {"p50": 900.0, "p95": 1500.0, "p99": 2000.0}},
                     {"second": 1, "requests": 5, "errors": 1, "latency_us": {"p50": 1100.0, "p95": 1700.0, "p99": 2500.0}}],
        "thresholds": [{"threshold": HOSTILE, "scope": HOSTILE, "actual": HOSTILE, "passed": false}]
    });
    let slo = json!({
        "spec": HOSTILE, "input": {"requests": 10, "first": HOSTILE},
        "objectives": [{"name": HOSTILE, "scope": HOSTILE, "indicator": HOSTILE, "target": 0.99, "window": "28d",
            "sli": 0.9, "budget_remaining": -9.0, "violated": true,
            "timeline": [{"budget_remaining": 1.0}, {"budget_remaining": -9.0}],
            "alerts": [{"severity": HOSTILE, "long_window": "1h", "short_window": "5m", "fired_minutes": 3, "episodes": [{}]}]}],
        "violated": true
    });
    ReportInput {
        project: HOSTILE.into(),
        tool: "retort test".into(),
        generated: Some(HOSTILE.into()),
        catalog,
        check: Ok(check),
        rules: vec![RuleDoc {
            code: "SEC001".into(),
            name: "debug".into(),
            category: "security".into(),
            severity: "error".into(),
            summary: HOSTILE.into(),
            doc: HOSTILE.into(),
        }],
        frames: vec![CodeFrame {
            file: HOSTILE.into(),
            line: 2,
            first_line: 1,
            lines: vec![HOSTILE.into(), HOSTILE.into()],
        }],
        arch: Ok(arch),
        history_unavailable: None,
        team: Ok(team),
        load: Some(load),
        slo: Some(slo),
    }
}

/// The page with the two inline blocks cut out (their content is ours).
fn markup_outside_inline_blocks(page: &str) -> String {
    let mut rest = page.to_string();
    for (open, close) in [("<style>", "</style>"), ("<script>", "</script>")] {
        let start = rest.find(open).expect("inline block");
        let end = start + rest[start..].find(close).expect("closed");
        rest.replace_range(start..end + close.len(), "");
    }
    rest
}

#[test]
fn hostile_text_never_becomes_markup() {
    let page = render(&hostile_input());
    let outside = markup_outside_inline_blocks(&page);
    assert!(!outside.contains("<script"), "a script element from the input survived");
    assert!(!outside.contains("</script"), "a script end tag from the input survived");
    assert!(!outside.contains("<!--"), "a comment from the input survived");
    assert!(!outside.contains("pwned=1</"), "the payload was not escaped");
    assert_eq!(page.matches("<script>").count(), 1, "only the report's own script");
    assert!(page.contains("&lt;script&gt;window.pwned=1&lt;/script&gt;"), "the payload is shown as text");
}

#[test]
fn bidi_controls_are_shown_not_applied() {
    let page = render(&hostile_input());
    assert!(!page.chars().any(escape::is_hidden), "a hidden or bidi control character reached the page");
    assert!(page.contains("[U+202E]gnp.exe[U+2066]"));
}

#[test]
fn quotes_cannot_leave_attributes() {
    let page = render(&hostile_input());
    // Every double quote in the page belongs to markup we wrote: after
    // escaping, the input's quote only appears as an entity.
    assert!(page.contains("&quot;&#39;&amp;"));
    assert!(!page.contains("\"'&"));
}

#[test]
fn every_section_renders_and_charts_are_svg() {
    let page = render(&hostile_input());
    for id in ["summary", "routes", "scorecard", "findings", "architecture", "team", "load", "slo", "rules"] {
        assert!(page.contains(&format!("<section id=\"{id}\">")), "section {id} missing");
    }
    for chart in [
        "component-graph",
        "contract-table",
        "scorecard-chart",
        "findings-chart",
        "hotspot-chart",
        "plan-chart",
        "authors-chart",
        "latency-chart",
        "budget-chart",
    ] {
        assert!(page.contains(&format!(" id=\"{chart}\"")), "{chart} missing");
    }
    assert!(!page.contains("Not available"), "every input was given");
    assert!(page.contains("class=\"sortable\""));
    assert!(page.contains("data-filter=\"route-table\""));
}

#[test]
fn missing_inputs_render_as_not_available() {
    let mut input = hostile_input();
    input.check = Err("check failed: <boom>".into());
    input.arch = Err("arch: not a folder".into());
    input.team = Err("not a git repository".into());
    input.load = None;
    input.slo = None;
    let page = render(&input);
    assert!(page.contains("Not available: check failed: &lt;boom&gt;"));
    assert!(page.contains("Not available: not a git repository"));
    assert!(page.contains("Not available: arch: not a folder"));
    assert!(page.contains("Not available: no load result given"));
    assert!(page.contains("Not available: no SLO report given"));
}

#[test]
fn arch_without_history_says_why() {
    let mut input = hostile_input();
    let mut arch = input.arch.clone().unwrap();
    arch["summary"]["history"] = serde_json::Value::Null;
    input.arch = Ok(arch);
    input.history_unavailable = Some("not a git repository".into());
    let page = render(&input);
    assert!(page.contains("Not available: hotspots, co-change and the when-to-move signals (not a git repository)"));
    assert!(!page.contains("id=\"hotspot-chart\""));
    assert!(page.contains("id=\"component-graph\""), "the static part of arch stays");
}

#[test]
fn empty_json_renders_without_panicking() {
    let input = ReportInput {
        project: String::new(),
        tool: String::new(),
        generated: None,
        catalog: serde_json::Value::Null,
        check: Ok(serde_json::Value::Null),
        rules: Vec::new(),
        frames: Vec::new(),
        arch: Ok(json!({"components": "not a list"})),
        history_unavailable: None,
        team: Ok(json!([])),
        load: Some(json!(3)),
        slo: Some(json!("x")),
    };
    let page = render(&input);
    assert!(page.starts_with("<!DOCTYPE html>") && page.ends_with("</html>\n"));
}

#[test]
fn policy_allows_exactly_the_inline_style_and_script() {
    let page = render(&hostile_input());
    let csp = page::content_security_policy();
    assert!(page.contains(&format!("content=\"{csp}\"")));
    assert!(csp.starts_with("default-src 'none';"));
    let style = &page[page.find("<style>").unwrap() + 7..page.find("</style>").unwrap()];
    let script = &page[page.find("<script>").unwrap() + 8..page.rfind("</script>").unwrap()];
    assert!(csp.contains(&page::csp_hash(style)));
    assert!(csp.contains(&page::csp_hash(script)));
    assert!(!csp.contains("unsafe-inline"));
    // Nothing to load: no element with a source, no style sheet link, no
    // link anywhere but within the page.
    assert!(!page.contains(" src="));
    assert!(!page.contains("<link"));
    assert!(!page.contains("href=\"http"));
}

#[test]
fn known_hash_of_the_empty_string() {
    // sha256("") in base64, to pin the encoding CSP expects.
    assert_eq!(page::csp_hash(""), "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
}

#[test]
fn findings_link_to_rule_docs_and_show_code_frames() {
    let page = render(&hostile_input());
    assert!(page.contains("href=\"#rule-SEC001\""));
    assert!(page.contains("id=\"rule-SEC001\""));
    assert!(page.contains("<span class=\"hit\"><i>2</i>"), "the flagged line is highlighted");
}
