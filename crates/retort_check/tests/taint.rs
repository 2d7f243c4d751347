//! Taint across functions and modules: summaries of project functions carry
//! request data from a handler into helpers' sinks and back out of their
//! return values; sanitising helpers and bound parameters stay quiet.

mod common;

use common::*;
use retort_check::{CheckConfig, Report};

const APP: &str = r#"
from flask import Flask
from shop.views import bp

app = Flask(__name__)
app.register_blueprint(bp)
"#;

fn check(files: &[(&str, &str)]) -> Report {
    check_with(files, &CheckConfig::default())
}

fn check_with(files: &[(&str, &str)], config: &CheckConfig) -> Report {
    let mut all = vec![("app.py", APP), ("shop/__init__.py", "")];
    all.extend_from_slice(files);
    check_sources(&all, config).1
}

/// `CODE file:line message` of the taint findings.
fn taint_findings(report: &Report) -> Vec<String> {
    report
        .findings
        .iter()
        .filter(|f| matches!(f.code.as_str(), "SEC003" | "SEC005" | "SEC007" | "SEC011" | "SEC012" | "SEC013"))
        .map(|f| format!("{} {}:{} {}", f.code, f.file, f.line, f.message))
        .collect()
}

/// `file:line note` of each step of the first finding of `code`.
fn flow_of(report: &Report, code: &str) -> Vec<String> {
    let Some(finding) = report.findings.iter().find(|f| f.code == code) else { return Vec::new() };
    finding.flow.iter().map(|s| format!("{}:{} {}", s.file, s.line, s.note)).collect()
}

#[test]
fn request_data_reaches_a_sink_in_a_helper_of_another_module() {
    let views = r#"
from flask import Blueprint, request
from .db import find_products

bp = Blueprint("shop", __name__)

@bp.get("/search")
def search():
    q = request.args.get("q", "")
    return {"rows": find_products(q, limit=10)}
"#;
    let db = r#"
from sqlalchemy import text
from .models import db

def find_products(term, limit):
    sql = "SELECT * FROM products WHERE name LIKE '%" + term + "%' LIMIT " + str(limit)
    return db.session.execute(text(sql)).all()
"#;
    let report = check(&[("shop/views.py", views), ("shop/db.py", db)]);
    assert_eq!(
        taint_findings(&report),
        ["SEC003 shop/db.py:7 SQL built from request data: `request.args` (shop/views.py:9) reaches `text()`"]
    );
    // Reported at the sink, with the path from the source in the handler.
    assert_eq!(
        flow_of(&report, "SEC003"),
        [
            "shop/views.py:9 source: `request.args`",
            "shop/views.py:9 assigned to `q`",
            "shop/views.py:10 passed to `find_products()`",
            "shop/db.py:5 parameter `term` of `find_products()`",
            "shop/db.py:6 assigned to `sql`",
            "shop/db.py:7 reaches `text()`",
        ]
    );
    let finding = report.findings.iter().find(|f| f.code == "SEC003").unwrap();
    assert_eq!(finding.confidence, Some(retort_check::Confidence::Medium));
}

#[test]
fn values_flow_back_out_of_helpers_and_through_module_attributes() {
    let views = r#"
import subprocess
from flask import Blueprint, request
from . import util

bp = Blueprint("shop", __name__)

@bp.post("/convert")
def convert():
    name = util.with_extension(request.form["name"], "pdf")
    subprocess.run("convert input " + name, shell=True)
    return "ok"

@bp.get("/next")
def go_next():
    from flask import redirect
    return redirect(util.next_target())
"#;
    let util = r#"
from flask import request

def with_extension(stem, extension):
    return f"{stem}.{extension}"

def next_target():
    return request.args.get("next", "/")
"#;
    let report = check(&[("shop/views.py", views), ("shop/util.py", util)]);
    let found = taint_findings(&report);
    assert!(found.iter().any(|f| f.starts_with("SEC005 shop/views.py:11")), "{found:#?}");
    assert!(found.iter().any(|f| f.starts_with("SEC007 shop/views.py:17")), "{found:#?}");
    let flow = flow_of(&report, "SEC007");
    assert_eq!(flow.first().map(String::as_str), Some("shop/util.py:8 source: `request.args`"), "{flow:#?}");
    assert!(flow.iter().any(|s| s == "shop/views.py:17 returned by `next_target()`"), "{flow:#?}");
}

#[test]
fn flows_are_followed_through_chains_of_helpers() {
    let views = r#"
from flask import Blueprint, request
from shop.reports import build

bp = Blueprint("shop", __name__)

@bp.get("/report")
def report():
    return build(request.args["column"])
"#;
    let reports = r#"
from shop.sql import run

def build(column):
    return run(order_clause(column))

def order_clause(column):
    return "ORDER BY " + column

def recursive(n):
    return recursive(n)
"#;
    let sql = r#"
from shop.models import db

def run(clause):
    return db.session.execute("SELECT * FROM sales " + clause)
"#;
    let report = check(&[("shop/views.py", views), ("shop/reports.py", reports), ("shop/sql.py", sql)]);
    let found = taint_findings(&report);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].starts_with("SEC003 shop/sql.py:5"), "{found:#?}");
    assert!(found[0].contains("`request.args` (shop/views.py:9) reaches `execute()`"), "{found:#?}");
    let flow = flow_of(&report, "SEC003");
    assert!(flow.iter().any(|s| s == "shop/reports.py:5 passed to `run()`"), "{flow:#?}");
}

#[test]
fn functions_that_read_the_request_themselves_are_checked() {
    let hooks = r#"
import os
from flask import request

def audit():
    os.system("logger visited " + request.path + " " + request.args.get("ref", ""))
"#;
    let report = check(&[
        ("shop/views.py", "from flask import Blueprint\nbp = Blueprint('shop', __name__)\n"),
        ("shop/hooks.py", hooks),
    ]);
    let found = taint_findings(&report);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].starts_with("SEC005 shop/hooks.py:6"), "{found:#?}");
}

#[test]
fn safe_helpers_stay_quiet() {
    let views = r#"
from flask import Blueprint, request
from .db import find_products, product_page, sorted_products
from .util import clean_sort, safe_path

bp = Blueprint("shop", __name__)

@bp.get("/search")
def search():
    q = request.args.get("q", "")
    return {"rows": find_products(q)}

@bp.get("/page")
def page():
    return product_page(request.args.get("page"))

@bp.get("/sorted")
def sorted_view():
    return sorted_products(clean_sort(request.args.get("sort")))

@bp.get("/file")
def file():
    return open(safe_path(request.args["name"])).read()
"#;
    let db = r#"
from sqlalchemy import text
from .models import db

def find_products(term):
    return db.session.execute(text("SELECT * FROM products WHERE name LIKE :p"), {"p": f"%{term}%"}).all()

def product_page(page):
    offset = int(page) * 20
    return db.session.execute(text("SELECT * FROM products LIMIT 20 OFFSET " + str(offset))).all()

def sorted_products(column):
    return db.session.execute(text("SELECT * FROM products ORDER BY " + column)).all()
"#;
    let util = r#"
import os

def clean_sort(value):
    return value if value in ("name", "price") else "name"

def safe_path(name):
    return os.path.join("/srv/files", os.path.basename(name))
"#;
    let report = check(&[("shop/views.py", views), ("shop/db.py", db), ("shop/util.py", util)]);
    assert_eq!(taint_findings(&report), Vec::<String>::new());
}

#[test]
fn project_sanitisers_come_from_configuration() {
    let views = r#"
from flask import Blueprint, request
from .db import db
from .columns import checked_column

bp = Blueprint("shop", __name__)

@bp.get("/sorted")
def sorted_view():
    return db.session.execute("SELECT * FROM products ORDER BY " + checked_column(request.args["sort"]))
"#;
    let columns = "def checked_column(value):\n    return value.strip()\n";
    let files = [("shop/views.py", views), ("shop/columns.py", columns)];
    assert_eq!(taint_findings(&check(&files)).len(), 1);
    let config = CheckConfig::from_toml_str(r#"extra-sanitisers = ["checked_column"]"#).unwrap();
    assert_eq!(taint_findings(&check_with(&files, &config)), Vec::<String>::new());
}

#[test]
fn near_misses_of_real_code_stay_quiet() {
    let views = r#"
from flask import Blueprint, request, redirect, url_for
from markupsafe import Markup, escape
from .flash import flash_error

bp = Blueprint("shop", __name__)

@bp.get("/fields")
def fields():
    field = {"schema": {"html": "<b>fixed</b>"}}
    field["value"] = request.args.get("value")
    schema = field["schema"]
    return Markup(schema["html"])

@bp.post("/comments")
def comments():
    return {"text": Markup(request.form.get("comments")).unescape()}

@bp.get("/missing/<name>")
def missing(name):
    flash_error("No such item: %s" % name)
    return redirect(url_for("shop.fields"))

@bp.get("/next")
def go_next():
    target = request.args.get("next")
    if target != "internal" and not is_safe_redirect(target):
        target = url_for("shop.fields")
    return redirect(target)

def is_safe_redirect(url):
    return url.startswith("/") and not url.startswith("//")
"#;
    let flash = r#"
from flask import flash
from markupsafe import Markup, escape

def flash_error(message, allow_html=False):
    if allow_html:
        message = Markup(message)
    else:
        message = escape(message)
    flash(message, "error")
"#;
    let report = check(&[("shop/views.py", views), ("shop/flash.py", flash)]);
    let found: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.code == "SEC014" || f.code == "SEC007")
        .map(|f| f.message.clone())
        .collect();
    assert_eq!(found, Vec::<String>::new());

    // The same flag set by the caller is a flow.
    let unsafe_views =
        views.replace(r#"flash_error("No such item: %s" % name)"#, r#"flash_error(name, allow_html=True)"#);
    let report = check(&[("shop/views.py", &unsafe_views), ("shop/flash.py", flash)]);
    let found: Vec<String> = report.findings.iter().filter(|f| f.code == "SEC014").map(|f| f.message.clone()).collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].ends_with("URL parameter `name` (shop/views.py:20) reaches `Markup()`"), "{found:#?}");
    assert!(report.findings.iter().any(|f| f.code == "SEC014" && f.file == "shop/flash.py" && f.line == 7));
}

#[test]
fn methods_of_class_based_views_are_followed_through_self() {
    let views = r#"
import subprocess
from flask import Blueprint, request
from flask.views import MethodView

bp = Blueprint("shop", __name__)

class ExportView(MethodView):
    def post(self):
        return self.export(request.form["format"])

    def export(self, fmt):
        return subprocess.check_output("export --format " + fmt, shell=True)

bp.add_url_rule("/export", view_func=ExportView.as_view("export"))
"#;
    let found = taint_findings(&check(&[("shop/views.py", views)]));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].starts_with("SEC005 shop/views.py:13"), "{found:#?}");
    let flow = flow_of(&check(&[("shop/views.py", views)]), "SEC005");
    assert!(flow.iter().any(|s| s == "shop/views.py:10 passed to `export()`"), "{flow:#?}");
}

#[test]
fn template_variables_printed_with_safe_are_sinks() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "app.py",
        r#"
from flask import Flask, render_template, request

app = Flask(__name__)

@app.get("/profile")
def profile():
    bio = request.args.get("bio", "")
    return render_template("profile.html", title="Profile", bio=bio, name=request.args.get("name"))

@app.get("/preview")
def preview():
    return render_template("preview.html", body=request.args.get("body"))
"#,
    );
    write(
        "templates/profile.html",
        "<h1>{{ title|safe }}</h1>\n<p>{{ bio | safe }}</p>\n<p>{{ name }}</p>\n<script>{{ name|tojson|safe }}</script>\n",
    );
    write("templates/preview.html", "{% autoescape false %}{{ body }}{% endautoescape %}\n");
    let report = check_project(&load(dir.path()), &CheckConfig::default());
    let found: Vec<String> =
        report.findings.iter().filter(|f| f.code == "SEC014").map(|f| format!("{}:{}", f.file, f.line)).collect();
    assert_eq!(found, ["app.py:9", "app.py:13"], "{:#?}", report.findings);

    // Escaped output: no finding.
    write("templates/profile.html", "<p>{{ bio }}</p>\n");
    write("templates/preview.html", "{{ body }}\n");
    let report = check_project(&load(dir.path()), &CheckConfig::default());
    assert!(!report.findings.iter().any(|f| f.code == "SEC014"), "{:#?}", report.findings);
}

#[test]
fn guard_calls_that_raise_check_their_arguments() {
    let views = r#"
import os
from flask import Blueprint, request
from .files import storage_path

bp = Blueprint("shop", __name__)

@bp.get("/download")
def download():
    return open(storage_path(request.args["name"])).read()

@bp.get("/raw")
def raw():
    return open(os.path.join("/srv/files", request.args["name"])).read()
"#;
    let files = r#"
import os

def check_access_permission(root, path):
    if not os.path.realpath(os.path.join(root, path)).startswith(root):
        raise PermissionError(path)

def storage_path(path):
    check_access_permission("/srv/files", path)
    return os.path.join("/srv/files", path)
"#;
    let found = taint_findings(&check(&[("shop/views.py", views), ("shop/files.py", files)]));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].starts_with("SEC013 shop/views.py:14"), "{found:#?}");
}

#[test]
fn a_branch_does_not_see_the_taint_of_its_sibling() {
    let views = r#"
import os
from flask import Blueprint, request

bp = Blueprint("shop", __name__)

@bp.post("/books")
def books():
    if request.files:
        book_id = request.form.get("book_id")
    else:
        book_id = current_book_id()
        os.remove(os.path.join("/srv/books", book_id))
    open(os.path.join("/srv/books", book_id), "wb").close()
    return "ok"

def current_book_id():
    return "42"
"#;
    let found = taint_findings(&check(&[("shop/views.py", views)]));
    // Only after the `if`, where either branch may have run.
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].starts_with("SEC013 shop/views.py:14"), "{found:#?}");
}

#[test]
fn a_sink_reached_by_several_flows_is_one_finding_with_the_surest() {
    let views = r#"
import os
from flask import Blueprint, request
from .jobs import run

bp = Blueprint("shop", __name__)

@bp.post("/a")
def a():
    run(request.form["cmd"].frobnicate())
    return "ok"

@bp.post("/b")
def b():
    run(request.form["cmd"])
    return "ok"
"#;
    let jobs = r#"
import os

def run(command):
    os.system(command)
"#;
    let report = check(&[("shop/views.py", views), ("shop/jobs.py", jobs)]);
    let found: Vec<_> = report.findings.iter().filter(|f| f.code == "SEC005").collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!((found[0].file.as_str(), found[0].line), ("shop/jobs.py", 5));
    assert_eq!(found[0].confidence, Some(retort_check::Confidence::Medium), "{found:#?}");
}
