//! The name-based security rules (SEC002, SEC009, SEC016, SEC021, SEC023)
//! keep their severity only when the code corroborates the name
//! (`crate::corroboration`), and SEC001 only when the debugger can be
//! reached from another machine. For each rule, `fixtures/corroboration/<CODE>.py`
//! holds cases with evidence (reported at the rule's severity, medium or
//! high confidence) and `<CODE>_demoted.py` cases without (reported at
//! `info`, low confidence, with what was missing). The findings are
//! snapshotted with their severity and confidence.

mod common;

use std::path::Path;

use common::*;
use retort_check::{rule, CheckConfig, Confidence, Report, Severity};

/// (code, findings of `<CODE>.py`, findings of `<CODE>_demoted.py`).
const CASES: &[(&str, usize, usize)] =
    &[("SEC001", 4, 3), ("SEC002", 6, 5), ("SEC009", 2, 2), ("SEC016", 3, 3), ("SEC021", 6, 4), ("SEC023", 5, 3)];

fn run(name: &str) -> Report {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/corroboration/{name}.py"));
    let source = std::fs::read_to_string(&path).expect("fixture exists");
    check_sources(&[("app.py", &source)], &CheckConfig::default()).1
}

fn listed(report: &Report, code: &str) -> Vec<String> {
    report
        .findings
        .iter()
        .filter(|f| f.code == code)
        .map(|f| {
            let confidence = f.confidence.map_or("none", |c| c.as_str());
            format!("{}:{} {} [{} {confidence}] {}", f.file, f.line, f.code, f.severity.as_str(), f.message)
        })
        .collect()
}

#[test]
fn corroborated_findings_keep_their_severity() {
    for (code, expected, _) in CASES {
        let report = run(code);
        let found: Vec<_> = report.findings.iter().filter(|f| f.code == *code).collect();
        let shown = listed(&report, code).join("\n");
        assert_eq!(found.len(), *expected, "{code}: every corroborated case fires:\n{shown}");
        for finding in &found {
            assert_eq!(finding.severity, rule(code).unwrap().severity, "{code}:\n{shown}");
            assert!(finding.confidence >= Some(Confidence::Medium), "{code}:\n{shown}");
            assert!(!finding.message.contains("uncorroborated"), "{code}:\n{shown}");
        }
        insta::assert_snapshot!(format!("{code}_corroborated"), shown);
    }
}

#[test]
fn uncorroborated_findings_are_info_with_low_confidence() {
    for (code, _, expected) in CASES {
        let report = run(&format!("{code}_demoted"));
        let found: Vec<_> = report.findings.iter().filter(|f| f.code == *code).collect();
        let shown = listed(&report, code).join("\n");
        assert_eq!(found.len(), *expected, "{code}: every demoted case is still reported:\n{shown}");
        for finding in &found {
            assert_eq!(finding.severity, Severity::Info, "{code}:\n{shown}");
            assert_eq!(finding.confidence, Some(Confidence::Low), "{code}:\n{shown}");
            assert!(finding.message.contains("(uncorroborated: "), "{code}:\n{shown}");
            assert!(finding.is_tentative());
        }
        insta::assert_snapshot!(format!("{code}_demoted"), shown);
    }
}

#[test]
fn min_confidence_drops_uncorroborated_findings_and_scorecards_ignore_them() {
    let mut report = run("SEC002_demoted");
    assert!(report.findings.iter().any(|f| f.code == "SEC002"));
    // SEC002 is a Bronze rule: its tentative findings do not fail Bronze.
    let scores = retort_check::score(&report, &CheckConfig::default().scorecards());
    let security = scores.iter().find(|s| s.category == "security").unwrap();
    assert!(!security.missing.iter().any(|c| c == "SEC002"), "{security:?}");
    retort_check::retain_confidence(&mut report, Confidence::Medium);
    assert!(!report.findings.iter().any(|f| f.code == "SEC002"));

    let corroborated = run("SEC002");
    let scores = retort_check::score(&corroborated, &CheckConfig::default().scorecards());
    let security = scores.iter().find(|s| s.category == "security").unwrap();
    assert!(security.missing.iter().any(|c| c == "SEC002"), "{security:?}");
}

/// A `SECRET_KEY` class attribute is Flask's key only if the class can
/// reach a config: here the only load is of the module by name, which
/// copies upper-case module names, not the class's (drawn from the
/// fifteenth review, docs/accuracy.md). Loading the class makes it so.
#[test]
fn a_secret_key_in_a_class_no_config_loads_is_not_flasks_key() {
    let config = r#"from dataclasses import dataclass

@dataclass
class Options:
    RATE_LIMIT: str = "10 per minute"
    SECRET_KEY: str = "dev-secret-key-change-in-production"
"#;
    let loading = |how: &str| {
        // The app keeps a session, so Flask signs with the key.
        let app = format!("from flask import Flask, session\n\napp = Flask(__name__)\napp.config.from_object({how})\n");
        let (_, report) = check_sources(
            &[("pkg/__init__.py", ""), ("pkg/config.py", config), ("pkg/app.py", &app)],
            &CheckConfig::default(),
        );
        let found: Vec<_> = report.findings.into_iter().filter(|f| f.code == "SEC002").collect();
        assert_eq!(found.len(), 1, "{found:#?}");
        found[0].severity
    };
    assert_eq!(loading("\"pkg.config\""), Severity::Info);
    assert_eq!(loading("\"pkg.config.Options\""), Severity::Error);
}

/// Flask signs only the session with `SECRET_KEY`: a literal key in an app
/// that keeps no session, flashes nothing, wires no extension that signs
/// with it and never reads it protects nothing (drawn from the nineteenth
/// review, docs/accuracy.md). Any one of those uses corroborates it.
#[test]
fn a_secret_key_nothing_signs_with_is_info() {
    let severity = |extra: &str| {
        let app = format!(
            "{extra}\nfrom flask import Flask, jsonify\n\napp = Flask(__name__)\n\n\n\
             class DefaultConfig:\n    SECRET_KEY = \"dev-secret-key-change-in-production\"\n\n\n\
             app.config.from_object(DefaultConfig)\n\n\n@app.get(\"/tables\")\ndef tables():\n    \
             return jsonify([])\n"
        );
        let (_, report) = check_sources(&[("app.py", &app)], &CheckConfig::default());
        let found: Vec<_> = report.findings.into_iter().filter(|f| f.code == "SEC002").collect();
        assert_eq!(found.len(), 1, "{found:#?}");
        (found[0].severity, found[0].message.clone())
    };
    let (unused, message) = severity("");
    assert_eq!(unused, Severity::Info);
    assert!(message.contains("nothing in the project signs with it"), "{message}");
    // Extensions that keep nothing in the session do not change that.
    assert_eq!(severity("from flask_sqlalchemy import SQLAlchemy\nfrom flask_cors import CORS").0, Severity::Info);
    // The environment variable of the same name is not the key.
    assert_eq!(severity("import os\nKEY = os.environ.get(\"SECRET_KEY\")").0, Severity::Info);
    for uses in [
        "from flask import session",
        "from flask import flash",
        "import flask\nflask.session.clear",
        "from flask_login import LoginManager",
        "from flask_wtf.csrf import CSRFProtect",
        "from itsdangerous import URLSafeTimedSerializer",
        "from some_site.ext import flask_unknown_extension\nimport flask_unknown_extension",
        "from flask import current_app\nKEY = current_app.config[\"SECRET_KEY\"]",
    ] {
        assert_eq!(severity(uses).0, Severity::Error, "{uses}");
    }
}

/// A flow from the JSON body to a sink, in a local tool (no login, a
/// server on the loopback interface only, nothing that deploys it, no
/// CORS), is reported at info with low confidence: no other site can make
/// a browser send that JSON (drawn from the nineteenth review). Form data
/// can be posted from any site, and `get_json(force=True)` parses it, so
/// those keep their severity; so does every flow once the tool listens on
/// every interface, allows other origins, has a login or ships a
/// Dockerfile.
#[test]
fn json_flows_in_a_local_tool_are_info() {
    let app = |launcher: &str, extra: &str| {
        format!(
            r#"import os
{extra}
from flask import Flask, request, send_file

app = Flask(__name__)


@app.post("/open")
def open_file():
    name = request.get_json()["name"]
    return send_file(os.path.join("/srv/files", name))


@app.post("/open-json")
def open_json():
    return send_file(os.path.join("/srv/files", request.json["name"]))


@app.post("/open-form")
def open_form():
    return send_file(os.path.join("/srv/files", request.form["name"]))


@app.post("/open-forced")
def open_forced():
    return send_file(os.path.join("/srv/files", request.get_json(force=True)["name"]))


def main():
    {launcher}
"#
        )
    };
    let severities = |files: &[(&str, &str)]| {
        let (_, report) = check_sources(files, &CheckConfig::default());
        let mut found: Vec<_> = report
            .findings
            .into_iter()
            .filter(|f| f.code == "SEC013")
            .map(|f| (f.line, f.severity, f.confidence, f.message))
            .collect();
        found.sort_by_key(|f| f.0);
        found
    };
    let local = severities(&[("tool.py", &app("app.run(port=5000, debug=False)", ""))]);
    assert_eq!(local.len(), 4, "{local:#?}");
    let levels: Vec<_> = local.iter().map(|f| f.1).collect();
    assert_eq!(levels, vec![Severity::Info, Severity::Info, Severity::Error, Severity::Error], "{local:#?}");
    assert!(local[..2].iter().all(|f| f.2 == Some(Confidence::Low)), "{local:#?}");
    assert!(local[0].3.contains("a local tool") && local[0].3.contains("tool.py:"), "{}", local[0].3);
    let exposed = [
        severities(&[("tool.py", &app("app.run(host=\"0.0.0.0\", port=5000)", ""))]),
        severities(&[("tool.py", &app("app.run(host=args.host)", ""))]),
        severities(&[("tool.py", &app("serve(app, port=8080)", "from waitress import serve"))]),
        severities(&[("tool.py", &app("app.run()", "from flask_cors import CORS"))]),
        severities(&[("tool.py", &app("app.run()", "")), ("wsgi.py", "from tool import app\n")]),
        severities(&[("tool.py", &app("pass", ""))]),
    ];
    for found in exposed {
        assert_eq!(found.len(), 4, "{found:#?}");
        assert!(found.iter().all(|f| f.1 == Severity::Error), "{found:#?}");
    }
    let with_login = app("app.run()", "").replace("@app.post(\"/open-form\")", "@app.post(\"/login\")");
    let found = severities(&[("tool.py", &with_login)]);
    assert!(found.iter().all(|f| f.1 == Severity::Error), "{found:#?}");
}
