//! A synthetic Flask monolith in a git repository built by the test, with
//! known answers: `reports` is independent, `orders` and `billing` import
//! each other, share a model and change together, `search` and `notify`
//! change together without any import between them (a hidden dependency).

use std::path::Path;
use std::process::Command;

use retort_plan::{assess, ArchConfig, ArchReport, AssessInput};

fn git(dir: &Path, args: &[&str], date: &str) {
    let status = Command::new("git")
        .args(["-c", "user.name=Ada", "-c", "user.email=ada@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

fn write(dir: &Path, path: &str, text: &str) {
    let full = dir.join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(full, text).unwrap();
}

fn blueprint(name: &str, imports: &str) -> String {
    format!(
        "from flask import Blueprint\n{imports}\nbp = Blueprint('{name}', __name__, url_prefix='/{name}')\n\n@bp.route('/<int:item_id>')\ndef show(item_id):\n    return '{name}'\n"
    )
}

fn build_monolith(dir: &Path) {
    write(dir, "mono/__init__.py", "from flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n    from mono.reports import bp as reports_bp\n    from mono.orders import bp as orders_bp\n    from mono.billing import bp as billing_bp\n    from mono.search import bp as search_bp\n    from mono.notify import bp as notify_bp\n    for bp in (reports_bp, orders_bp, billing_bp, search_bp, notify_bp):\n        app.register_blueprint(bp)\n    return app\n");
    write(dir, "mono/extensions.py", "from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n");
    write(dir, "mono/reports/__init__.py", &blueprint("reports", "from mono.extensions import db"));
    write(dir, "mono/orders/__init__.py", &blueprint("orders", "from mono.billing.models import Invoice"));
    write(dir, "mono/orders/models.py", "from mono.extensions import db\n\nclass Order(db.Model):\n    __tablename__ = 'orders'\n    id = db.Column(db.Integer, primary_key=True)\n    invoice_id = db.Column(db.Integer, db.ForeignKey('invoices.id'))\n");
    write(dir, "mono/billing/__init__.py", &blueprint("billing", "from mono.orders.models import Order"));
    write(dir, "mono/billing/models.py", "from mono.extensions import db\n\nclass Invoice(db.Model):\n    __tablename__ = 'invoices'\n    id = db.Column(db.Integer, primary_key=True)\n");
    write(dir, "mono/search/__init__.py", &blueprint("search", "from mono.extensions import db"));
    write(dir, "mono/notify/__init__.py", &blueprint("notify", "from mono.extensions import db"));
    git(dir, &["init", "-q"], "2024-01-01T00:00:00");
    git(dir, &["add", "-A"], "2024-01-01T00:00:00");
    git(dir, &["commit", "-qm", "initial"], "2024-01-01T00:00:00");
    let mut day = 2;
    let mut change = |dir: &Path, files: &[&str]| {
        for file in files {
            let full = dir.join(file);
            let mut text = std::fs::read_to_string(&full).unwrap();
            text.push_str(&format!("# change {day}\n"));
            std::fs::write(full, text).unwrap();
        }
        let date = format!("2024-02-{day:02}T00:00:00");
        git(dir, &["add", "-A"], &date);
        git(dir, &["commit", "-qm", "change"], &date);
        day += 1;
    };
    for _ in 0..6 {
        change(dir, &["mono/orders/__init__.py", "mono/billing/__init__.py"]);
    }
    for _ in 0..5 {
        change(dir, &["mono/search/__init__.py", "mono/notify/__init__.py"]);
    }
    for _ in 0..6 {
        change(dir, &["mono/reports/__init__.py"]);
    }
}

fn assess_dir(dir: &Path, with_history: bool) -> ArchReport {
    let project = retort_python::load_project(dir, &Default::default(), &|_| {}).unwrap();
    let catalog = retort_flask::build_catalog(&project, &Default::default());
    let history = with_history.then(|| retort_history::read_history(dir, &Default::default()).unwrap());
    let config = ArchConfig::default();
    assess(&AssessInput {
        project: &project,
        catalog: &catalog,
        config: &config,
        root: dir,
        history: history.as_ref(),
        coupling: Default::default(),
        load: None,
    })
}

#[test]
fn planted_independent_blueprint_goes_first_and_entangled_ones_last() {
    let dir = tempfile::tempdir().unwrap();
    build_monolith(dir.path());
    let report = assess_dir(dir.path(), true);
    let order: Vec<&str> = report.plan.candidates.iter().map(|c| c.component.as_str()).collect();
    assert_eq!(order.len(), 5, "{order:?}");
    assert_eq!(order[0], "reports", "{order:?}");
    let rank = |name: &str| order.iter().position(|c| *c == name).unwrap();
    for entangled in ["orders", "billing"] {
        for cleaner in ["reports", "search", "notify"] {
            assert!(rank(entangled) > rank(cleaner), "{entangled} before {cleaner}: {order:?}");
        }
    }
    // The cuts of orders point at the import of billing's model.
    let orders = &report.plan.candidates[rank("orders")];
    assert!(orders
        .outbound_cuts
        .iter()
        .any(|i| i.file == "mono/orders/__init__.py" && i.to == "mono.billing.models" && i.line == 2));
    assert!(orders.openapi_paths.get("/orders/{item_id}").is_some(), "{}", orders.openapi_paths);
    // The foreign key orders.invoice_id -> invoices.id crosses the boundary.
    assert!(report
        .cross_component_foreign_keys
        .iter()
        .any(|k| k.from_component == "orders" && k.to_component == "billing" && k.references == "invoices.id"));
}

#[test]
fn co_change_between_components_with_code_maat_degrees() {
    let dir = tempfile::tempdir().unwrap();
    build_monolith(dir.path());
    let report = assess_dir(dir.path(), true);
    let pair = |a: &str, b: &str| {
        report.coupling.components.iter().find(|c| (c.a == a && c.b == b) || (c.a == b && c.b == a)).cloned()
    };
    // orders and billing: 7 revisions each (initial + 6), all shared.
    let orders_billing = pair("orders", "billing").expect("orders and billing co-change");
    assert_eq!((orders_billing.shared_revisions, orders_billing.degree, orders_billing.hidden), (7, 100.0, false));
    // search and notify: 6 each, all shared, and no import between them.
    let hidden = pair("search", "notify").expect("search and notify co-change");
    assert_eq!((hidden.shared_revisions, hidden.degree, hidden.hidden), (6, 100.0, true));
    // reports shares only the initial commit with anyone: below 5 shared revisions.
    assert!(pair("reports", "orders").is_none());
    // File pairs use paths relative to the repository root.
    assert!(report
        .coupling
        .files
        .iter()
        .any(|f| f.a == "mono/billing/__init__.py" && f.b == "mono/orders/__init__.py" && f.shared_revisions == 7));
    let hotspot = report.hotspots.iter().find(|h| h.file == "mono/orders/__init__.py").unwrap();
    assert_eq!(hotspot.revisions, 7);
    assert_eq!(hotspot.score, 7 * hotspot.lines as u64);
}

#[test]
fn without_history_the_plan_still_orders_by_static_evidence() {
    let dir = tempfile::tempdir().unwrap();
    build_monolith(dir.path());
    let report = assess_dir(dir.path(), false);
    assert!(report.summary.history.is_none() && report.hotspots.is_empty());
    let order: Vec<&str> = report.plan.candidates.iter().map(|c| c.component.as_str()).collect();
    assert!(order.iter().position(|c| *c == "orders") > order.iter().position(|c| *c == "reports"));
    assert!(report.component_cycles.iter().any(|c| c.components.contains(&"orders".to_string())));
}

fn commit_all(dir: &Path, message: &str, date: &str) {
    git(dir, &["add", "-A"], date);
    git(dir, &["commit", "-qm", message], date);
}

/// The parts of a plan a reviewer acts on: the order, each readiness, and
/// the first step's cuts.
fn plan_outline(
    report: &ArchReport,
) -> (Vec<(String, u32)>, Vec<retort_plan::report::Import>, Vec<retort_plan::report::Import>) {
    let order = report.plan.candidates.iter().map(|c| (c.component.clone(), c.readiness)).collect();
    let first = &report.plan.candidates[0];
    (order, first.inbound_cuts.clone(), first.outbound_cuts.clone())
}

#[test]
fn plan_is_stable_under_unrelated_commits() {
    let dir = tempfile::tempdir().unwrap();
    build_monolith(dir.path());
    let before = plan_outline(&assess_dir(dir.path(), true));
    assert_eq!(before.0[0].0, "reports");
    // Documentation edits.
    for day in 1..=8 {
        write(dir.path(), "README.md", &format!("notes {day}\n"));
        commit_all(dir.path(), "docs", &format!("2024-03-{day:02}T00:00:00"));
    }
    // Files outside every component (not Python modules of the project).
    for day in 9..=14 {
        write(dir.path(), "scripts/deploy.sh", &format!("#!/bin/sh\necho deploy {day}\n"));
        write(dir.path(), "mono/reports/templates/report.html", &format!("<p>{day}</p>\n"));
        commit_all(dir.path(), "ops", &format!("2024-03-{day:02}T00:00:00"));
    }
    // One file of the independent component, alone.
    for day in 15..=20 {
        let path = dir.path().join("mono/reports/__init__.py");
        let text = std::fs::read_to_string(&path).unwrap() + &format!("# tweak {day}\n");
        std::fs::write(&path, text).unwrap();
        commit_all(dir.path(), "reports tweak", &format!("2024-03-{day:02}T00:00:00"));
    }
    let after = plan_outline(&assess_dir(dir.path(), true));
    assert_eq!(before.0, after.0, "order and readiness");
    assert_eq!(before.1, after.1, "first step's inbound cuts");
    assert_eq!(before.2, after.2, "first step's outbound cuts");
    // The test sees the commits: they are in the history it read.
    let later = assess_dir(dir.path(), true);
    assert_eq!(later.components.iter().find(|c| c.name == "reports").unwrap().revisions, Some(13));
}

#[test]
fn churn_in_lines_per_file_and_component() {
    let dir = tempfile::tempdir().unwrap();
    build_monolith(dir.path());
    // reports/__init__.py has 7 lines + 6 appended `# change N`. Replace its
    // last code line and drop the six appended lines (+1 -7), add a 3-line
    // module and a template (not Python: not churn of the import graph).
    let path = dir.path().join("mono/reports/__init__.py");
    let text = std::fs::read_to_string(&path).unwrap();
    let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with("# change")).collect();
    let rewritten = kept.join("\n").replace("return 'reports'", "return 'annual reports'") + "\n";
    std::fs::write(&path, rewritten).unwrap();
    write(dir.path(), "mono/reports/export.py", "import csv\n\nFORMAT = 'csv'\n");
    write(dir.path(), "mono/reports/templates/report.html", "<h1>\n</h1>\n<p></p>\n<p></p>\n<p></p>\n");
    commit_all(dir.path(), "reports rewrite", "2024-04-01T00:00:00");

    let report = assess_dir(dir.path(), true);
    let component = |name: &str| report.components.iter().find(|c| c.name == name).unwrap();
    let reports = component("reports").churn.clone().expect("history read");
    let file = |path: &str| reports.files.iter().find(|f| f.file == path).cloned().unwrap();
    let init = file("mono/reports/__init__.py");
    // 7 lines created, 6 appended one per commit, then +1 -7.
    assert_eq!((init.revisions, init.added, init.removed, init.total), (8, 14, 7, 21));
    let export = file("mono/reports/export.py");
    assert_eq!((export.revisions, export.added, export.removed, export.total), (1, 3, 0, 3));
    assert_eq!(reports.files.len(), 2, "templates are not Python modules: {:?}", reports.files);
    assert_eq!((reports.added, reports.removed, reports.total), (17, 7, 24));
    assert_eq!(reports.files[0].file, "mono/reports/__init__.py", "most churn first");
    assert_eq!(component("reports").revisions, Some(8));
    // orders: __init__.py 7 lines + 6 appended, models.py 6 lines.
    let orders = component("orders").churn.clone().unwrap();
    assert_eq!((orders.added, orders.removed, orders.total, orders.files.len()), (19, 0, 19, 2));
    // The hotspot row of the same file carries the same counts.
    let hotspot = report.hotspots.iter().find(|h| h.file == "mono/reports/__init__.py").unwrap();
    assert_eq!((hotspot.added, hotspot.removed), (14, 7));
    // Without history there is no churn.
    let static_only = assess_dir(dir.path(), false);
    assert!(static_only.components.iter().all(|c| c.churn.is_none() && c.revisions.is_none()));
    // Both human formats show it.
    let text = retort_plan::render::render_text(&report);
    assert!(text.contains("+17/-7"), "{text}");
    let adr = retort_plan::render::render_markdown(&report);
    assert!(adr.contains("| 8 | +17/-7 |"), "{adr}");
}

#[test]
fn ownership_of_each_component_and_knowledge_lost_when_its_authors_left() {
    let dir = tempfile::tempdir().unwrap();
    build_monolith(dir.path());
    let report = assess_dir(dir.path(), true);
    let orders = report.components.iter().find(|c| c.name == "orders").unwrap();
    let owners = orders.ownership.as_ref().expect("history read");
    assert_eq!((owners.files, owners.truck_factor, owners.active_truck_factor), (2, 1, 1));
    assert_eq!(owners.authors, vec!["Ada (2 files)"]);
    let evidence = |report: &ArchReport, name: &str| {
        let candidate = report.plan.candidates.iter().find(|c| c.component == name).unwrap();
        candidate.evidence.iter().find(|e| e.factor == "ownership").cloned().expect("ownership evidence")
    };
    assert_eq!(evidence(&report, "orders").penalty, 0.0);

    // A year later only Bob commits (one small change): Ada is inactive,
    // nobody active authors any file, and every component loses points.
    let full = dir.path().join("mono/reports/__init__.py");
    let text = std::fs::read_to_string(&full).unwrap() + "# bob\n";
    std::fs::write(&full, text).unwrap();
    let date = "2025-03-01T00:00:00";
    let status = Command::new("git")
        .args(["-c", "user.name=Bob", "-c", "user.email=bob@example.com", "-c", "commit.gpgsign=false"])
        .args(["commit", "-qam", "bob"])
        .current_dir(dir.path())
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .status()
        .unwrap();
    assert!(status.success());
    let later = assess_dir(dir.path(), true);
    let reports = later.components.iter().find(|c| c.name == "reports").unwrap().ownership.clone().unwrap();
    assert_eq!((reports.truck_factor, reports.active_truck_factor, reports.orphaned_files), (1, 0, 1));
    assert_eq!(reports.authors, vec!["Ada (1 file, inactive)"]);
    let lost = evidence(&later, "reports");
    assert_eq!(lost.penalty, 10.0, "{}", lost.detail);
    assert!(lost.detail.contains("1 file(s) with no active author"), "{}", lost.detail);
    let before = report.plan.candidates.iter().find(|c| c.component == "reports").unwrap().readiness;
    let after = later.plan.candidates.iter().find(|c| c.component == "reports").unwrap().readiness;
    assert_eq!(after + 10, before);
}
