//! Configuration, suppressions, fingerprints, baselines and the CI gate.

mod common;

use common::*;
use retort_check::{fails, Baseline, CheckConfig, Severity};

const VIEWS: &str = r#"import requests
from flask import Flask, request

app = Flask(__name__)


@app.route("/quote")
def quote():
    rate = requests.get("https://rates.example.com")  # retort: ignore[REL001]
    other = requests.get("https://other.example.com")  # retort: ignore
    third = requests.get("https://third.example.com")
    print(rate, other, third)  # retort: ignore[SEC003]
    return "ok"  # retort: ignore
"#;

#[test]
fn inline_suppressions_hide_findings_and_unused_ones_are_reported() {
    // PERF006 (the same calls, made in a handler) would double the counts.
    let config = CheckConfig { ignore: vec!["PERF006".into()], ..CheckConfig::default() };
    let (_, report) = check_sources(&[("app.py", VIEWS)], &config);
    let keys = keys(&report);
    assert!(
        !keys.contains(&"REL001 app.py:9".to_string()) && !keys.contains(&"REL001 app.py:10".to_string()),
        "{keys:?}"
    );
    assert!(keys.contains(&"REL001 app.py:11".to_string()), "{keys:?}");
    // SEC003 suppresses nothing on line 12 (the print is OBS001), a bare one nothing on 13.
    assert!(
        keys.contains(&"RET100 app.py:12".to_string()) && keys.contains(&"RET100 app.py:13".to_string()),
        "{keys:?}"
    );
    assert!(keys.contains(&"OBS001 app.py:12".to_string()), "{keys:?}");
    assert_eq!(report.suppressed, 2);
    let unused = report.findings.iter().find(|f| f.code == "RET100").unwrap();
    assert_eq!(unused.severity, Severity::Info);
}

#[test]
fn suppressions_of_disabled_rules_are_not_reported_as_unused() {
    let config = CheckConfig { ignore: vec!["SEC".into()], ..CheckConfig::default() };
    let (_, report) = check_sources(&[("app.py", VIEWS)], &config);
    assert!(!keys(&report).contains(&"RET100 app.py:12".to_string()));
}

#[test]
fn select_ignore_per_file_ignores_and_severity_overrides() {
    let config = CheckConfig::from_toml_str(
        r#"
        select = ["REL", "OBS001"]
        ignore = ["REL003"]
        severity-overrides = { REL001 = "error" }
        [per-file-ignores]
        "legacy/**" = ["REL"]
        "#,
    )
    .unwrap();
    let (_, report) =
        check_sources(&[("app.py", VIEWS), ("legacy/old.py", "import requests\nrequests.get('x')\n")], &config);
    let codes: Vec<&str> = report.findings.iter().map(|f| f.code.as_str()).collect();
    assert!(codes.iter().all(|c| c.starts_with("REL") || *c == "OBS001"), "{codes:?}");
    assert!(!report.findings.iter().any(|f| f.file.starts_with("legacy/")));
    let timeout = report.findings.iter().find(|f| f.code == "REL001").unwrap();
    assert_eq!(timeout.severity, Severity::Error);
    assert!(fails(&report, Severity::Error));
}

#[test]
fn config_loads_from_pyproject_or_retort_toml_and_rejects_bad_values() {
    let dir = tempfile::tempdir().unwrap();
    assert!(CheckConfig::load(dir.path()).unwrap().select.is_empty());
    std::fs::write(
        dir.path().join("pyproject.toml"),
        "[project]\nname = 'x'\n[tool.retort]\nignore = ['PERF']\nextra-auth-decorators = ['requires_scope']\n",
    )
    .unwrap();
    let config = CheckConfig::load(dir.path()).unwrap();
    assert_eq!(config.ignore, ["PERF"]);
    assert_eq!(config.extra_auth_decorators, ["requires_scope"]);
    assert!(!config.is_enabled("PERF001") && config.is_enabled("SEC003"));
    std::fs::write(dir.path().join("retort.toml"), "select = ['SEC00']\n").unwrap();
    let config = CheckConfig::load(dir.path()).unwrap();
    assert!(config.is_enabled("SEC003") && !config.is_enabled("SEC010") && !config.is_enabled("REL001"));
    std::fs::write(dir.path().join("retort.toml"), "severity-overrides = { SEC003 = 'fatal' }\n").unwrap();
    assert!(CheckConfig::load(dir.path()).is_err());
    std::fs::write(dir.path().join("retort.toml"), "select = [\n").unwrap();
    assert!(CheckConfig::load(dir.path()).is_err());
}

#[test]
fn fingerprints_survive_unrelated_edits_and_baselines_hide_known_findings() {
    let before = "import requests\n\n\ndef a():\n    return requests.get('https://a')\n\n\ndef b():\n    return requests.get('https://a')\n";
    let (_, old) = check_sources(&[("jobs.py", before)], &CheckConfig::default());
    let old_prints: Vec<&str> =
        old.findings.iter().filter(|f| f.code == "REL001").map(|f| f.fingerprint.as_str()).collect();
    assert_eq!(old_prints.len(), 2);
    assert_ne!(old_prints[0], old_prints[1], "identical lines get distinct occurrence indices");

    // Lines move and a new call appears: only the new call is new.
    let after = format!("import logging\nimport requests\n\nlog = logging.getLogger(__name__)\n{}\n\ndef c():\n    return   requests.post('https://c')\n", &before[16..]);
    let (_, new) = check_sources(&[("jobs.py", &after)], &CheckConfig::default());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("baseline.json");
    Baseline::from_report(&old).save(&path).unwrap();
    let filtered = Baseline::load(&path).unwrap().filter(new);
    let left: Vec<String> =
        filtered.findings.iter().filter(|f| f.code == "REL001").map(|f| f.message.clone()).collect();
    assert_eq!(left, ["`requests.post()` without `timeout=` can block a worker forever"]);
    assert_eq!(filtered.baselined, old.findings.len());
    assert!(Baseline::load(&dir.path().join("missing.json")).is_err());
}

#[test]
fn fail_on_levels() {
    let (_, report) = check_sources(
        &[("app.py", "import requests\nrequests.get('x')\n")],
        &CheckConfig { select: vec!["REL001".into()], ..CheckConfig::default() },
    );
    assert!(fails(&report, Severity::Warning) && fails(&report, Severity::Info) && !fails(&report, Severity::Error));
}

#[test]
fn deep_expressions_odd_files_and_empty_projects_do_not_panic() {
    // Parsing and dropping deep trees needs a big stack, as in the binary.
    std::thread::Builder::new().stack_size(256 << 20).spawn(deep_and_odd).unwrap().join().unwrap();
}

fn deep_and_odd() {
    let chain = vec!["q"; 5000].join(" + ");
    let source = format!(
        "from flask import Flask, request\nfrom sqlalchemy import text\napp = Flask(__name__)\n\n@app.route('/x')\ndef x():\n    q = request.args['q']\n    return text({chain})\n"
    );
    let (_, report) = check_sources(&[("app.py", &source)], &CheckConfig::default());
    assert!(keys(&report).contains(&"SEC003 app.py:8".to_string()));

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), b"FROM \xff\xfe\n").unwrap();
    std::fs::write(dir.path().join("app.py"), "def broken(:\n").unwrap();
    let project = load(dir.path());
    let _ = check_project(&project, &CheckConfig::default());
    let empty = tempfile::tempdir().unwrap();
    let report = check_project(&load(empty.path()), &CheckConfig::default());
    assert!(report.findings.is_empty(), "{:?}", keys(&report));
}

#[test]
fn repository_rules_do_not_judge_a_package_artefact() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().to_path_buf();
    let package = root.join("shop");
    std::fs::create_dir_all(&package).unwrap();
    std::fs::create_dir_all(root.join("shop-1.0.dist-info")).unwrap();
    std::fs::write(
        package.join("__init__.py"),
        "from flask import Flask\napp = Flask(__name__)\n\n@app.get('/')\ndef index():\n    return 'hi'\n",
    )
    .unwrap();
    let repository_rules = ["DEL001", "DEL009", "DEL010", "DEL011"];
    let codes = |root: &std::path::Path| -> Vec<String> {
        let report = check_project(&load(root), &CheckConfig::default());
        report.findings.iter().map(|f| f.code.clone()).filter(|c| repository_rules.contains(&c.as_str())).collect()
    };
    assert_eq!(codes(&root), Vec::<String>::new());
    std::fs::remove_dir_all(root.join("shop-1.0.dist-info")).unwrap();
    // Only a package folder at the top: an installed package or a `src/`.
    assert_eq!(codes(&root), Vec::<String>::new());
    std::fs::write(root.join("wsgi.py"), "from shop import app\n").unwrap();
    let found = codes(&root);

    assert!(found.contains(&"DEL001".to_string()) && found.contains(&"DEL010".to_string()), "{found:?}");
}

#[test]
fn csrf_protection_anywhere_silences_missing_csrf_protection() {
    let bad = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/SEC022.py")).unwrap();
    let sec022 = |source: &str| {
        let (_, report) = check_sources(&[("app.py", source)], &CheckConfig::default());
        report.findings.iter().filter(|f| f.code == "SEC022").count()
    };
    assert_eq!(sec022(&bad), 1);
    let protected = bad.replace(
        "login_manager = LoginManager(app)",
        "login_manager = LoginManager(app)\nfrom flask_wtf import CSRFProtect\ncsrf = CSRFProtect(app)",
    );
    assert_eq!(sec022(&protected), 0);
}

#[test]
fn guards_on_inherited_handler_methods_count() {
    let base = r#"
from flask_jwt_extended import jwt_required
from flask_restful import Resource

class BaseModelResource(Resource):
    @jwt_required()
    def get(self):
        return {}

class SecuredResource(Resource):
    method_decorators = [jwt_required()]
"#;
    let views = r#"
from flask import Flask
from flask_restful import Api
from flask_jwt_extended import jwt_required
from .base import BaseModelResource, SecuredResource

app = Flask(__name__)
api = Api(app)

class OutputTypes(BaseModelResource):
    pass

class Assets(SecuredResource):
    def get(self):
        return []

class Shots(BaseModelResource):
    @jwt_required()
    def get(self):
        return []

class Open(BaseModelResource):
    def get(self):
        return []

api.add_resource(OutputTypes, "/output-types")
api.add_resource(Assets, "/assets")
api.add_resource(Shots, "/shots")
api.add_resource(Open, "/open")
"#;
    let (_, report) = check_sources(&[("app/__init__.py", views), ("app/base.py", base)], &CheckConfig::default());
    let unguarded: Vec<String> =
        report.findings.iter().filter(|f| f.code == "SEC009").map(|f| f.message.clone()).collect();
    // `Open.get` overrides the guarded `get` without a guard.
    assert_eq!(unguarded.len(), 1, "{unguarded:#?}");
    assert!(unguarded[0].contains("/open"), "{unguarded:#?}");
}

#[test]
fn a_secret_in_a_project_template_folder_is_not_this_apps_secret() {
    // `django-admin startproject`-style templates ship a placeholder
    // settings module (seventh blind review, docs/accuracy.md).
    let settings = "SECRET_KEY = 'x9v#k2m!q7w@e4r$t6y^u8i&o0p'\n";
    let files = [
        ("app/__init__.py", ""),
        ("app/settings.py", settings),
        ("app/conf/project_template/settings.py", settings),
        ("app/scaffolds/basic/config.py", settings),
    ];
    let report = check_sources(&files, &CheckConfig::default()).1;
    let flagged: Vec<&str> = report.findings.iter().filter(|f| f.code == "SEC002").map(|f| f.file.as_str()).collect();
    assert_eq!(flagged, vec!["app/settings.py"]);
}
