//! Every rule has a firing fixture (`fixtures/<CODE>.py` or the folder
//! `fixtures/<CODE>/`) and a non-firing twin (`<CODE>_ok`). The firing
//! findings are snapshotted.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use retort_check::{rules, CheckConfig, Report};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Runs the fixture `name`: a folder is loaded as a project, a `.py` file
/// is checked as `app.py` of a one-file project.
fn run(name: &str) -> Option<Report> {
    let dir = fixtures().join(name);
    if dir.is_dir() {
        let project = load(&dir);
        return Some(check_project(&project, &CheckConfig::default()));
    }
    let source = std::fs::read_to_string(fixtures().join(format!("{name}.py"))).ok()?;
    let (_, report) = check_sources(&[("app.py", &source)], &CheckConfig::default());
    Some(report)
}

fn of_code(report: &Report, code: &str) -> Vec<String> {
    report
        .findings
        .iter()
        .filter(|f| f.code == code)
        .map(|f| format!("{}:{}:{} {} {}", f.file, f.line, f.column, f.code, f.message))
        .collect()
}

#[test]
fn every_rule_fires_on_its_fixture_and_not_on_its_twin() {
    let mut missing = Vec::new();
    for rule in rules() {
        if rule.code == "RET100" {
            continue; // tested in suppressions.rs
        }
        let (Some(bad), Some(ok)) = (run(rule.code), run(&format!("{}_ok", rule.code))) else {
            missing.push(rule.code);
            continue;
        };
        let fired = of_code(&bad, rule.code);
        assert!(!fired.is_empty(), "{} did not fire on its fixture", rule.code);
        let quiet = of_code(&ok, rule.code);
        assert!(quiet.is_empty(), "{} fired on its _ok fixture:\n{}", rule.code, quiet.join("\n"));
        insta::assert_snapshot!(rule.code, fired.join("\n"));
    }
    assert!(missing.is_empty(), "rules without a fixture pair: {missing:?}");
}

#[test]
fn every_rule_is_documented_in_ruff_sections() {
    for rule in rules() {
        for section in ["## What it does", "## Why is this bad?", "## Example", "Use instead:", "## References"] {
            assert!(rule.doc.contains(section), "{} lacks {section}", rule.code);
        }
        let doc = retort_check::rule_doc(rule.code).unwrap();
        assert!(doc.starts_with(&format!("# {} ({})", rule.name, rule.code)));
        assert!(rule.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{} is not kebab-case", rule.name);
    }
    let codes: Vec<&str> = rules().iter().map(|r| r.code).collect();
    let mut unique = codes.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), codes.len(), "duplicate codes");
}

/// SEC008 follows project methods across modules: a store's own `verify`
/// is quiet, a library class reached through a project subclass or a
/// forwarding wrapper in another module still fires.
#[test]
fn tls_verification_resolves_project_callees_across_modules() {
    let stores = r#"
class Base:
    def connect(self, verify=True):
        return self


class MetaStore(Base):
    def reopen(self):
        return self.connect(verify=False)


meta_store = MetaStore()
"#;
    let clients = r#"
import httpx
import requests


class InternalClient(httpx.Client):
    pass


class InternalSession(requests.Session):
    def fetch(self, url):
        return self.get(url, timeout=5, verify=False)


def get_json(url, **kwargs):
    return requests.get(url, timeout=5, **kwargs).json()
"#;
    let app = r#"
from pkg.clients import InternalClient, get_json
from pkg.stores import meta_store

meta_store.connect(verify=False)
client = InternalClient(verify=False)
data = get_json("https://erp.internal/stock", verify=False)
"#;
    let (_, report) = check_sources(
        &[("pkg/__init__.py", ""), ("pkg/stores.py", stores), ("pkg/clients.py", clients), ("pkg/app.py", app)],
        &CheckConfig::default(),
    );
    assert_eq!(
        of_code(&report, "SEC008"),
        [
            "pkg/app.py:6:25 SEC008 `InternalClient(…, verify=False)` accepts any certificate",
            "pkg/app.py:7:47 SEC008 `get_json(…, verify=False)` accepts any certificate: it passes `verify` on to `requests.get()`",
            "pkg/clients.py:12:41 SEC008 `self.get(…, verify=False)` accepts any certificate",
        ]
    );
}

/// SEC002 follows a secret kept in a constant of another project module
/// (`SECRET_KEY = os.environ.get(…) or CHANGE_ME_SECRET_KEY`); an app that
/// refuses to start with that constant leaves the finding uncorroborated.
#[test]
fn hardcoded_secret_through_an_imported_constant() {
    use retort_check::Severity;
    let constants = "CHANGE_ME_SECRET_KEY = \"CHANGE_ME_TO_A_COMPLEX_RANDOM_SECRET\"\n";
    let config = "import os\n\nfrom app.constants import CHANGE_ME_SECRET_KEY\n\n\
                  SECRET_KEY = os.environ.get(\"APP_SECRET_KEY\") or CHANGE_ME_SECRET_KEY\n";
    // The app keeps logins in its session: Flask signs with the key.
    let app = "from flask import Flask\nfrom flask_login import LoginManager\n\n\
               app = Flask(__name__)\napp.config.from_object(\"app.config\")\n";
    let refusing = "import sys\n\nfrom flask import Flask\n\nfrom app.constants import CHANGE_ME_SECRET_KEY\n\n\
                    app = Flask(__name__)\napp.config.from_object(\"app.config\")\n\
                    if app.config[\"SECRET_KEY\"] == CHANGE_ME_SECRET_KEY:\n    sys.exit(\"set APP_SECRET_KEY\")\n";
    for (init, expected) in [(app, Severity::Error), (refusing, Severity::Info)] {
        let files = [("app/__init__.py", init), ("app/constants.py", constants), ("app/config.py", config)];
        let (_, report) = check_sources(&files, &CheckConfig::default());
        let found: Vec<_> =
            report.findings.iter().filter(|f| f.code == "SEC002" && f.file == "app/config.py").collect();
        assert_eq!(found.len(), 1, "{:?}", keys(&report));
        assert_eq!(found[0].severity, expected, "{}", found[0].message);
        assert!(found[0].message.contains("through `CHANGE_ME_SECRET_KEY`"), "{}", found[0].message);
    }
}
