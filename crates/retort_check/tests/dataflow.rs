//! The data-flow engine's models, sources, sinks and confidence, each with
//! a firing and a non-firing case; code flows are snapshotted.

mod common;

use common::*;
use retort_check::{CheckConfig, Confidence, Report};

/// Imports every case may use (`myapp.stubs` is not part of the project).
const PRELUDE: &str = r#"import base64
import codecs
import configparser
import json
import os
import pickle
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

import jinja2
import jwt
from flask import Flask, abort, request, redirect, send_file, send_from_directory
from markupsafe import escape
from myapp.stubs import Model, SearchForm, cursor, schema, user

app = Flask(__name__)
BASE = "/srv/files"


"#;

fn run(body: &str) -> Report {
    run_with(body, &CheckConfig::default())
}

fn run_with(body: &str, config: &CheckConfig) -> Report {
    let source = format!("{PRELUDE}{body}");
    check_sources(&[("app.py", &source)], config).1
}

fn fired(report: &Report, code: &str) -> Vec<String> {
    report
        .findings
        .iter()
        .filter(|f| f.code == code)
        .map(|f| format!("{}:{} {} {}", f.file, f.line, f.code, f.message))
        .collect()
}

/// (what, rule, fires, body)
const CASES: &[(&str, &str, bool, &str)] = &[
    (
        "os.path.join/abspath/normpath carry the path",
        "SEC013",
        true,
        r#"
@app.get("/a")
def a():
    path = os.path.normpath(os.path.abspath(os.path.join(BASE, request.args["name"])))
    return open(path).read()
"#,
    ),
    (
        "os.path.basename keeps a path inside its folder",
        "SEC013",
        false,
        r#"
@app.get("/a")
def a():
    path = os.path.join(BASE, os.path.basename(request.args["name"]))
    return open(path).read()
"#,
    ),
    (
        "pathlib.Path and `/` carry the path to read_text",
        "SEC013",
        true,
        r#"
@app.get("/a")
def a():
    return (Path(BASE) / request.args["name"]).read_text()
"#,
    ),
    (
        "pathlib write_text of a fixed path is fine",
        "SEC013",
        false,
        r#"
@app.post("/a")
def a():
    (Path(BASE) / "notes.txt").write_text(request.form["text"])
    return "ok"
"#,
    ),
    (
        "codecs.open is a path sink",
        "SEC013",
        true,
        r#"
@app.get("/a")
def a():
    with codecs.open(request.args["name"], encoding="utf-8") as f:
        return f.read()
"#,
    ),
    (
        "os.path.exists is a path sink",
        "SEC013",
        true,
        r#"
@app.get("/a/<path:name>")
def a(name):
    return {"exists": os.path.exists(os.path.join(BASE, name))}
"#,
    ),
    (
        "send_from_directory with a fixed directory is fine",
        "SEC013",
        false,
        r#"
@app.get("/a/<name>")
def a(name):
    return send_from_directory(BASE, name)
"#,
    ),
    (
        "send_from_directory with a requested directory is a sink",
        "SEC013",
        true,
        r#"
@app.get("/a")
def a():
    return send_from_directory(request.args["dir"], "index.html")
"#,
    ),
    (
        "base64 decoding carries the data",
        "SEC006",
        true,
        r#"
@app.post("/a")
def a():
    return {"obj": str(pickle.loads(base64.b64decode(request.form["state"])))}
"#,
    ),
    (
        "base64 of a constant is clean",
        "SEC006",
        false,
        r#"
STATE = "gASVAAAAAAAAAAB9lC4="

@app.post("/a")
def a():
    return {"obj": str(pickle.loads(base64.b64decode(STATE)))}
"#,
    ),
    (
        "configparser set then get",
        "SEC005",
        true,
        r#"
@app.post("/a")
def a():
    parser = configparser.ConfigParser()
    parser.set("job", "command", request.form["command"])
    os.system(parser.get("job", "command"))
    return "ok"
"#,
    ),
    (
        "configparser with fixed values",
        "SEC005",
        false,
        r#"
@app.post("/a")
def a():
    parser = configparser.ConfigParser()
    parser.set("job", "command", "uptime")
    os.system(parser.get("job", "command"))
    return "ok"
"#,
    ),
    (
        "list.append then join",
        "SEC003",
        true,
        r#"
@app.get("/a")
def a():
    clauses = ["1 = 1"]
    clauses.append("name = '%s'" % request.args["name"])
    cursor.execute("SELECT * FROM t WHERE " + " AND ".join(clauses))
    return "ok"
"#,
    ),
    (
        "list.append of constants",
        "SEC003",
        false,
        r#"
@app.get("/a")
def a():
    clauses = ["1 = 1"]
    if request.args.get("active"):
        clauses.append("active = 1")
    cursor.execute("SELECT * FROM t WHERE " + " AND ".join(clauses))
    return "ok"
"#,
    ),
    (
        "list.extend then pop",
        "SEC005",
        true,
        r#"
@app.post("/a")
def a():
    commands = []
    commands.extend(request.form.getlist("command"))
    os.system(commands.pop())
    return "ok"
"#,
    ),
    (
        "dict.update then items",
        "SEC005",
        true,
        r#"
@app.post("/a")
def a():
    options = {}
    options.update(request.form)
    for key, value in options.items():
        os.system("set " + value)
    return "ok"
"#,
    ),
    (
        "str methods carry the text",
        "SEC003",
        true,
        r#"
@app.get("/a")
def a():
    name = request.args["name"].strip().lower().replace("*", "%")
    cursor.execute(f"SELECT * FROM t WHERE name LIKE '{name}'")
    return "ok"
"#,
    ),
    (
        "a str test is not the text",
        "SEC003",
        false,
        r#"
@app.get("/a")
def a():
    wanted = request.args["name"].startswith("a")
    cursor.execute(f"SELECT * FROM t WHERE flag = {wanted}")
    return "ok"
"#,
    ),
    (
        "json.loads carries the data",
        "SEC005",
        true,
        r#"
@app.post("/a")
def a():
    job = json.loads(request.data)
    subprocess.run(job["command"], shell=True)
    return "ok"
"#,
    ),
    (
        "urllib.parse functions carry the URL",
        "SEC007",
        true,
        r#"
@app.get("/a")
def a():
    return redirect(urlparse(unquote(request.args["next"])).geturl())
"#,
    ),
    (
        "jwt.decode carries the claims",
        "SEC003",
        true,
        r#"
@app.get("/a")
def a():
    claims = jwt.decode(request.headers["Authorization"], "k", algorithms=["HS256"])
    cursor.execute("SELECT * FROM users WHERE name = '" + claims["sub"] + "'")
    return "ok"
"#,
    ),
    (
        "an attribute set in one method and read in another",
        "SEC005",
        true,
        r#"
from flask.views import MethodView

class Export(MethodView):
    def post(self):
        self.fmt = request.form["format"]
        return self.run()

    def run(self):
        return subprocess.check_output("export --format " + self.fmt, shell=True)

app.add_url_rule("/export", view_func=Export.as_view("export"))
"#,
    ),
    (
        "a fixed attribute read in another method",
        "SEC005",
        false,
        r#"
from flask.views import MethodView

class Export(MethodView):
    def post(self):
        self.fmt = "csv"
        return self.run()

    def run(self):
        return subprocess.check_output("export --format " + self.fmt, shell=True)

app.add_url_rule("/export", view_func=Export.as_view("export"))
"#,
    ),
    (
        "an object attribute in one function",
        "SEC005",
        true,
        r#"
class Job:
    pass

@app.post("/a")
def a():
    job = Job()
    job.command = request.form["command"]
    os.system(job.command)
    return "ok"
"#,
    ),
    (
        "a small class and a factory carry the value",
        "SEC005",
        true,
        r#"
class Job:
    def __init__(self, command, retries=0):
        self.command = command
        self.retries = retries

def make_job(command):
    return Job(command)

@app.post("/a")
def a():
    job = make_job(request.form["command"])
    os.system(job.command)
    return "ok"
"#,
    ),
    (
        "a small class built from constants",
        "SEC005",
        false,
        r#"
class Job:
    def __init__(self, command, retries=0):
        self.command = command
        self.retries = retries

@app.post("/a")
def a():
    job = Job("uptime", retries=int(request.form["retries"]))
    os.system(job.command)
    return "ok"
"#,
    ),
    (
        "a closure sees the handler's values",
        "SEC005",
        true,
        r#"
@app.post("/a")
def a():
    command = request.form["command"]

    def run():
        os.system(command)

    run()
    return "ok"
"#,
    ),
    (
        "a WTForms field's data is a source",
        "SEC003",
        true,
        r#"
@app.post("/a")
def a():
    form = SearchForm()
    if form.validate_on_submit():
        cursor.execute("SELECT * FROM t WHERE name = '%s'" % form.name.data)
    return "ok"
"#,
    ),
    (
        "`.data` of something that is not a form",
        "SEC003",
        false,
        r#"
@app.post("/a")
def a():
    cursor.execute("SELECT * FROM t WHERE name = '%s'" % user.profile.data)
    return "ok"
"#,
    ),
    (
        "request received as a parameter",
        "SEC005",
        true,
        r#"
class Sessions:
    def open_session(self, app, request):
        sid = request.cookies.get("sid")
        os.system("touch /tmp/" + sid)
"#,
    ),
    (
        "request received as a parameter, method read only",
        "SEC005",
        false,
        r#"
class Sessions:
    def open_session(self, app, request):
        os.system("echo " + request.method)
"#,
    ),
    (
        "request.view_args is a source",
        "SEC005",
        true,
        r#"
@app.before_request
def audit():
    os.system("log " + request.view_args["page"])
"#,
    ),
    (
        "marshmallow load of request data",
        "SEC005",
        true,
        r#"
@app.post("/a")
def a():
    data = schema.load(request.get_json())
    os.system("convert " + data["name"])
    return "ok"
"#,
    ),
    (
        "pydantic model built from request data",
        "SEC005",
        true,
        r#"
@app.post("/a")
def a():
    job = Model(**request.json)
    os.system("convert " + job.name)
    return "ok"
"#,
    ),
    (
        "marshmallow load of a constant",
        "SEC005",
        false,
        r#"
@app.post("/a")
def a():
    data = schema.load({"name": "x"})
    os.system("convert " + data["name"])
    return "ok"
"#,
    ),
    (
        "a view returning HTML built from request data",
        "SEC014",
        true,
        r#"
@app.get("/hello")
def hello():
    name = request.args.get("name", "")
    return f"<h1>Hello {name}</h1>"
"#,
    ),
    (
        "a view returning escaped HTML",
        "SEC014",
        false,
        r#"
@app.get("/hello")
def hello():
    name = request.args.get("name", "")
    return f"<h1>Hello {escape(name)}</h1>"
"#,
    ),
    (
        "Environment().from_string and jinja2.Template",
        "SEC004",
        true,
        r#"
@app.post("/a")
def a():
    env = jinja2.Environment()
    env.from_string(request.form["tpl"]).render()
    return jinja2.Template(request.form["tpl"]).render()
"#,
    ),
    (
        "templates from constants",
        "SEC004",
        false,
        r#"
@app.post("/a")
def a():
    env = jinja2.Environment()
    return env.from_string("Hello {{ name }}").render(name=request.form["name"])
"#,
    ),
    (
        "an argument list whose program or `sh -c` text is request data",
        "SEC005",
        true,
        r#"
@app.post("/a")
def a():
    subprocess.run([request.form["tool"], "--version"])
    subprocess.run(["sh", "-c", "convert " + request.form["name"]])
    return "ok"
"#,
    ),
    (
        "request data as one argument of a fixed program",
        "SEC005",
        false,
        r#"
@app.post("/a")
def a():
    subprocess.run(["convert", request.form["name"], "out.pdf"])
    return "ok"
"#,
    ),
    (
        "a branch that module constants make dead",
        "SEC005",
        false,
        r#"
DEMO = False
LEVEL = 2

@app.post("/a")
def a():
    if DEMO or LEVEL * 2 > 10:
        os.system(request.form["command"])
    return "ok"
"#,
    ),
    (
        "a branch that module constants make live",
        "SEC005",
        true,
        r#"
DEMO = True

@app.post("/a")
def a():
    if DEMO:
        os.system(request.form["command"])
    return "ok"
"#,
    ),
    (
        "a match on a module constant runs only its case",
        "SEC005",
        false,
        r#"
MODE = "live"

@app.post("/a")
def a():
    match MODE:
        case "demo":
            os.system(request.form["command"])
        case _:
            pass
    return "ok"
"#,
    ),
    (
        "a match on a module constant selecting the sink",
        "SEC005",
        true,
        r#"
MODE = "demo"

@app.post("/a")
def a():
    match MODE:
        case "demo" | "test":
            os.system(request.form["command"])
        case _:
            pass
    return "ok"
"#,
    ),
    (
        "a parent reference check that aborts",
        "SEC013",
        false,
        r#"
@app.get("/a")
def a():
    name = request.args["name"]
    if ".." in name or name.startswith("/"):
        abort(400)
    return open(os.path.join(BASE, name)).read()
"#,
    ),
    (
        "a check that aborts on something else",
        "SEC013",
        true,
        r#"
@app.get("/a")
def a():
    name = request.args["name"]
    if name.endswith(".py"):
        abort(400)
    return open(os.path.join(BASE, name)).read()
"#,
    ),
    (
        "a variable whose start is a fixed local path keeps it (fifth blind review)",
        "SEC007",
        false,
        r#"
@app.get("/popup/<kind>")
@app.get("/popup/<kind>/<item>")
def popup(kind, item=None):
    route = "/app/popup/{}".format(kind)
    if item:
        return redirect("{}/{}".format(route, item))
    return redirect(route)
"#,
    ),
    (
        "a variable whose start comes from the request does not",
        "SEC007",
        true,
        r#"
@app.get("/go")
def go():
    route = "{}/done".format(request.args["back"])
    return redirect(route)
"#,
    ),
    (
        "a variable that starts with a bare slash does not either",
        "SEC007",
        true,
        r#"
@app.get("/go")
def go():
    route = "/" + request.args["back"]
    return redirect("{}".format(route))
"#,
    ),
    (
        "one session key written from the request leaves the others alone (fifth blind review)",
        "SEC007",
        false,
        r#"
from flask import session

@app.post("/login")
def login():
    session["username"] = request.form["username"]
    return redirect(session.get("next") or "/")
"#,
    ),
    (
        "the session key written from the request is still tainted",
        "SEC007",
        true,
        r#"
from flask import session

@app.post("/login")
def login():
    session["next"] = request.form["next"]
    return redirect(session.get("next", "/"))
"#,
    ),
    (
        "a default from the request taints the read of a missing key",
        "SEC007",
        true,
        r#"
@app.post("/go")
def go():
    prefs = {}
    prefs["theme"] = request.form["theme"]
    return redirect(prefs.get("next", request.args["next"]))
"#,
    ),
    (
        "a view parameter filled by a decorator is not a URL parameter (sixth blind review)",
        "SEC013",
        false,
        r#"
import functools

def with_user(f):
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        return f(user, *args, **kwargs)
    return wrapper

@app.get("/picture")
@with_user
def picture(auth_user):
    return send_file(os.path.join(BASE, auth_user.picture))
"#,
    ),
    (
        "a URL placeholder next to a decorator-filled parameter is",
        "SEC013",
        true,
        r#"
import functools

def with_user(f):
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        return f(user, *args, **kwargs)
    return wrapper

@app.get("/pictures/<path:name>")
@with_user
def picture(auth_user, name):
    return send_file(os.path.join(BASE, name))
"#,
    ),
    (
        "a project check that raises, called for its result (sixth blind review)",
        "SEC013",
        false,
        r#"
class Suspicious(Exception):
    pass

def path_traversal_check(unsafe_path, known_safe_path):
    known_safe_path = os.path.abspath(known_safe_path)
    unsafe_path = os.path.abspath(unsafe_path)
    if os.path.commonprefix([known_safe_path, unsafe_path]) != known_safe_path:
        raise Suspicious(unsafe_path)
    return unsafe_path

@app.get("/download/<filename>")
def download(filename):
    filepath = os.path.join(BASE, filename)
    try:
        checked = path_traversal_check(filepath, BASE)
        if os.path.isfile(checked):
            filepath = checked
    except Suspicious:
        abort(400)
    with open(filepath, "rb") as f:
        return f.read()
"#,
    ),
    (
        "a project check that cannot stop the request checks nothing",
        "SEC013",
        true,
        r#"
def path_check(unsafe_path, known_safe_path):
    return os.path.abspath(unsafe_path)

@app.get("/download/<filename>")
def download(filename):
    filepath = os.path.join(BASE, filename)
    checked = path_check(filepath, BASE)
    with open(checked, "rb") as f:
        return f.read()
"#,
    ),
    (
        "an allow-list check of a derived value followed by an early return",
        "SEC007",
        false,
        r#"
ALLOWED_HOSTS = {"example.org"}

@app.get("/a")
def a():
    target = request.args["next"]
    if urlparse(target).netloc not in ALLOWED_HOSTS:
        abort(400)
    return redirect(target)
"#,
    ),
    (
        "a same-host check of a subscript, re-read in the else branch (Flask-AppBuilder 3.3.2)",
        "SEC007",
        false,
        r#"
@app.get("/a")
def a():
    state = request.get_json()
    next_url = "/"
    if "next" in state and len(state["next"]) > 0:
        parsed_uri = urlparse(state["next"][0])
        if parsed_uri.netloc != request.host:
            print("Got an invalid next URL")
        else:
            next_url = state["next"][0]
    return redirect(next_url)
"#,
    ),
    (
        "a same-host check of one item, another item redirected to",
        "SEC007",
        true,
        r#"
@app.get("/a")
def a():
    state = request.get_json()
    next_url = "/"
    parsed_uri = urlparse(state["next"][0])
    if parsed_uri.netloc != request.host:
        print("Got an invalid next URL")
    else:
        next_url = state["next"][1]
    return redirect(next_url)
"#,
    ),
    (
        "a host compared with another client value",
        "SEC007",
        true,
        r#"
@app.get("/a")
def a():
    data = request.get_json()
    if urlparse(data["next"]).netloc != request.args["host"]:
        abort(400)
    return redirect(data["next"])
"#,
    ),
    (
        "an allow-list check of a subscript, then the same subscript",
        "SEC007",
        false,
        r#"
ALLOWED_HOSTS = {"example.org"}

@app.get("/a")
def a():
    data = request.get_json()
    if urlparse(data['next']).netloc not in ALLOWED_HOSTS:
        abort(400)
    return redirect(data["next"])
"#,
    ),
    (
        "an allow-list check of a subscript, then a new value stored there",
        "SEC007",
        true,
        r#"
ALLOWED_HOSTS = {"example.org"}

@app.get("/a")
def a():
    data = request.get_json()
    if urlparse(data["next"]).netloc not in ALLOWED_HOSTS:
        abort(400)
    data["next"] = request.args["next"]
    return redirect(data["next"])
"#,
    ),
    (
        "a project validator given an attribute chain, then the same chain",
        "SEC007",
        false,
        r#"
def is_safe_url(target):
    return urlparse(target).netloc in {"example.org"}

@app.post("/a")
def a():
    form = SearchForm(request.form)
    if not is_safe_url(form.next.data):
        abort(400)
    return redirect(form.next.data)
"#,
    ),
    (
        "a project validator given one attribute chain, another redirected to",
        "SEC007",
        true,
        r#"
def is_safe_url(target):
    return urlparse(target).netloc in {"example.org"}

@app.post("/a")
def a():
    form = SearchForm(request.form)
    if not is_safe_url(form.next.data):
        abort(400)
    return redirect(form.back.data)
"#,
    ),
    (
        "a derived value compared with something else",
        "SEC007",
        true,
        r#"
@app.get("/a")
def a():
    target = request.args["next"]
    if urlparse(target).scheme == "ftp":
        abort(400)
    return redirect(target)
"#,
    ),
    (
        "a validator named safe that checks nothing",
        "SEC013",
        true,
        r#"
def is_safe_path(path):
    return True

@app.get("/a")
def a():
    name = request.args["name"]
    if is_safe_path(name):
        return open(name).read()
    return "no"
"#,
    ),
    (
        "a validator that really validates",
        "SEC013",
        false,
        r#"
def is_safe_path(path):
    return ".." not in path and not path.startswith("/")

@app.get("/a")
def a():
    name = request.args["name"]
    if is_safe_path(name):
        return open(name).read()
    return "no"
"#,
    ),
    (
        "a guard named check that cannot stop the request",
        "SEC013",
        true,
        r#"
def check_name(name):
    print("opening", name)

@app.get("/a")
def a():
    name = request.args["name"]
    check_name(name)
    return open(name).read()
"#,
    ),
    (
        "a guard that aborts",
        "SEC013",
        false,
        r#"
def check_name(name):
    if ".." in name:
        abort(400)

@app.get("/a")
def a():
    name = request.args["name"]
    check_name(name)
    return open(name).read()
"#,
    ),
    // Validators judged by what their body does, not by their name
    // (thirteenth blind review: abilian-sbe's `redirect_back`).
    (
        "a same-host check replaced on failure in both branches of an inner if (abilian-sbe 1.1.15)",
        "SEC007",
        false,
        r#"
from urllib.parse import urljoin

def is_safe_url(target):
    ref_url = urlparse(request.host_url)
    test_url = urlparse(urljoin(request.url_root, target))
    return test_url.scheme in ("http", "https") and ref_url.netloc == test_url.netloc

def redirect_back(endpoint=None, url=None):
    target = request.form.get("next")
    if not target or not is_safe_url(target):
        if endpoint:
            target = url_for(endpoint)
        else:
            target = url
    return redirect(target)
"#,
    ),
    (
        "a check replaced on failure in one branch only",
        "SEC007",
        true,
        r#"
from urllib.parse import urljoin

def is_safe_url(target):
    ref_url = urlparse(request.host_url)
    test_url = urlparse(urljoin(request.url_root, target))
    return test_url.scheme in ("http", "https") and ref_url.netloc == test_url.netloc

@app.post("/back")
def back():
    target = request.form.get("next")
    if not is_safe_url(target):
        if request.form.get("strict"):
            target = "/"
    return redirect(target)
"#,
    ),
    (
        "a check replaced on failure by another client value in an inner branch",
        "SEC007",
        true,
        r#"
def is_safe_url(target):
    return urlparse(target).netloc in ("", "example.org")

@app.post("/back")
def back():
    target = request.form.get("next")
    if not is_safe_url(target):
        if request.form.get("strict"):
            target = "/"
        else:
            target = request.args["fallback"]
    return redirect(target)
"#,
    ),
    (
        "a validator named is_safe_url that only checks the value is there",
        "SEC007",
        true,
        r#"
def is_safe_url(target):
    return target is not None and len(target) > 0

@app.get("/a")
def a():
    target = request.args.get("next")
    if is_safe_url(target):
        return redirect(target)
    return redirect("/")
"#,
    ),
    (
        "a validator named is_safe_url that returns the truth of the value",
        "SEC007",
        true,
        r#"
def is_safe_url(target):
    return bool(target)

@app.get("/a")
def a():
    target = request.args.get("next")
    if not is_safe_url(target):
        abort(400)
    return redirect(target)
"#,
    ),
    (
        "a validator named is_safe_url that checks another value",
        "SEC007",
        true,
        r#"
def is_safe_url(target):
    return request.scheme == "https"

@app.get("/a")
def a():
    target = request.args.get("next")
    if is_safe_url(target):
        return redirect(target)
    return redirect("/")
"#,
    ),
    (
        "a same-host validator without a validator's name",
        "SEC007",
        false,
        r#"
from urllib.parse import urljoin

def points_home(target):
    ref_url = urlparse(request.host_url)
    test_url = urlparse(urljoin(request.host_url, target))
    return test_url.scheme in ("http", "https") and ref_url.netloc == test_url.netloc

@app.get("/a")
def a():
    target = request.args.get("next")
    if points_home(target):
        return redirect(target)
    return redirect("/")
"#,
    ),
    (
        "a project check that returns False for another host, then True",
        "SEC007",
        false,
        r#"
def stays_here(target):
    if urlparse(target).netloc not in ("", request.host):
        return False
    return True

@app.get("/a")
def a():
    target = request.args.get("next")
    if not stays_here(target):
        abort(400)
    return redirect(target)
"#,
    ),
    (
        "a project check whose host test ends in an if/else that returns in both branches (Flask-Security-Too)",
        "SEC007",
        false,
        r#"
def stays_here(target):
    parts = urlparse(target)
    if parts.netloc and parts.netloc != request.host:
        if ALLOW_SUBDOMAINS and parts.netloc.endswith(".example.org"):
            return True
        else:
            return False
    return True

ALLOW_SUBDOMAINS = True

@app.get("/a")
def a():
    target = request.args.get("next")
    if not stays_here(target):
        abort(400)
    return redirect(target)
"#,
    ),
    (
        "a project check that returns True whatever the host",
        "SEC007",
        true,
        r#"
def stays_here(target):
    if urlparse(target).netloc not in ("", request.host):
        print("leaving")
    return True

@app.get("/a")
def a():
    target = request.args.get("next")
    if not stays_here(target):
        abort(400)
    return redirect(target)
"#,
    ),
    (
        "a project function that aborts for another host, called for its effect",
        "SEC007",
        false,
        r#"
def same_host_only(target):
    if urlparse(target).netloc != request.host:
        abort(400)

@app.get("/a")
def a():
    target = request.args.get("next")
    same_host_only(target)
    return redirect(target)
"#,
    ),
    (
        "a project function named check that aborts on something else",
        "SEC007",
        true,
        r#"
def check_redirect(target):
    if not request.args.get("confirmed"):
        abort(400)

@app.get("/a")
def a():
    target = request.args.get("next")
    check_redirect(target)
    return redirect(target)
"#,
    ),
    (
        "an inline same-host check of a parsed URL that aborts",
        "SEC007",
        false,
        r#"
@app.get("/a")
def a():
    target = request.args.get("next")
    if urlparse(target).netloc != request.host:
        abort(400)
    return redirect(target)
"#,
    ),
    (
        "a helper returning (constant SQL, parameters): only the parameters carry the data",
        "SEC003",
        false,
        r#"
def build_query(filters):
    query = "SELECT * FROM t WHERE 1 = 1"
    conditions = []
    params = []
    if filters.get("name"):
        conditions.append("name = %s")
        params.append(filters["name"])
    if conditions:
        query += " AND " + " AND ".join(conditions)
    return query, params

@app.get("/a")
def a():
    query, params = build_query(request.args)
    cursor.execute(query, params)
    return "ok"
"#,
    ),
    (
        "a helper returning (SQL with the data in it, parameters)",
        "SEC003",
        true,
        r#"
def build_query(filters):
    params = []
    query = "SELECT * FROM t WHERE name = '" + filters["name"] + "'"
    return query, params

@app.get("/a")
def a():
    query, params = build_query(request.args)
    cursor.execute(query, params)
    return "ok"
"#,
    ),
    (
        "a helper whose returns differ in shape keeps the whole value tainted",
        "SEC003",
        true,
        r#"
def build_query(filters):
    if filters.get("raw"):
        return "SELECT * FROM t WHERE " + filters["raw"]
    return "SELECT 1", []

@app.get("/a")
def a():
    query, params = build_query(request.args)
    cursor.execute(query, params)
    return "ok"
"#,
    ),
    (
        "a helper that confines a normalised path with commonpath returns it checked",
        "SEC013",
        false,
        r#"
def resolve(relative):
    root = os.path.realpath(BASE)
    candidate = os.path.abspath(os.path.join(root, relative))
    try:
        inside = os.path.commonpath([root, candidate]) == root
    except ValueError:
        inside = False
    if not inside:
        abort(404)
    return candidate, relative.strip("/")

@app.post("/delete/<path:name>")
def delete(name):
    path, shown = resolve(name)
    os.remove(path)
    return shown
"#,
    ),
    (
        "the unchecked element of a confining helper's tuple stays tainted",
        "SEC013",
        true,
        r#"
def resolve(relative):
    root = os.path.realpath(BASE)
    candidate = os.path.abspath(os.path.join(root, relative))
    if os.path.commonpath([root, candidate]) != root:
        abort(404)
    return candidate, relative.strip("/")

@app.post("/delete/<path:name>")
def delete(name):
    path, shown = resolve(name)
    os.remove(os.path.join(BASE, shown))
    return "ok"
"#,
    ),
    (
        "commonpath of a path that was never normalised confines nothing",
        "SEC013",
        true,
        r#"
@app.get("/a")
def a():
    candidate = os.path.join(BASE, request.args["name"])
    if os.path.commonpath([BASE, candidate]) != BASE:
        abort(404)
    return open(candidate).read()
"#,
    ),
    (
        "a realpath prefix check confines the path",
        "SEC013",
        false,
        r#"
@app.get("/a")
def a():
    full = os.path.realpath(os.path.join(BASE, request.args["name"]))
    if not full.startswith(BASE + os.sep):
        abort(403)
    return open(full).read()
"#,
    ),
    (
        "a prefix check of the joined path without normalising confines nothing",
        "SEC013",
        true,
        r#"
@app.get("/a")
def a():
    full = os.path.join(BASE, request.args["name"])
    if not full.startswith(BASE):
        abort(403)
    return open(full).read()
"#,
    ),
    (
        "Path.resolve().is_relative_to confines the path",
        "SEC013",
        false,
        r#"
@app.get("/a")
def a():
    target = (Path(BASE) / request.args["name"]).resolve()
    if not target.is_relative_to(BASE):
        abort(403)
    return target.read_text()
"#,
    ),
    (
        "a check name rebound to request data no longer confines",
        "SEC013",
        true,
        r#"
@app.get("/a")
def a():
    full = os.path.realpath(os.path.join(BASE, request.args["name"]))
    inside = os.path.commonpath([BASE, full]) == BASE
    inside = request.args.get("force")
    if not inside:
        abort(404)
    return open(full).read()
"#,
    ),
    (
        "a containment check clears paths only, not SQL",
        "SEC003",
        true,
        r#"
@app.get("/a")
def a():
    full = os.path.realpath(os.path.join(BASE, request.args["name"]))
    if os.path.commonpath([BASE, full]) != BASE:
        abort(404)
    cursor.execute("SELECT * FROM files WHERE path = '%s'" % full)
    return "ok"
"#,
    ),
    (
        "the keys of a dict whose values only came from the request are clean",
        "SEC003",
        false,
        r#"
FIELDS = ["name", "email", "city"]

def save(table, data):
    payload = {field: data.get(field) for field in FIELDS if field in data}
    columns = ", ".join(f"`{field}`" for field in payload)
    placeholders = ", ".join(["%s"] * len(payload))
    cursor.execute(f"INSERT INTO `{table}` ({columns}) VALUES ({placeholders})", tuple(payload.values()))
    set_part = ", ".join(f"`{field}`=%s" for field in payload.keys())
    cursor.execute(f"UPDATE `{table}` SET {set_part}", tuple(payload.values()))

@app.post("/people")
def people():
    save("people", request.form)
    return "ok"
"#,
    ),
    (
        "the keys of a dict built from the request's own keys are tainted",
        "SEC003",
        true,
        r#"
def save(table, data):
    payload = {field: data.get(field) for field in data}
    columns = ", ".join(f"`{field}`" for field in payload)
    cursor.execute(f"INSERT INTO `{table}` ({columns}) VALUES (%s)", tuple(payload.values()))

@app.post("/people")
def people():
    save("people", request.form)
    return "ok"
"#,
    ),
    (
        "the values of a dict with clean keys stay tainted",
        "SEC003",
        true,
        r#"
@app.post("/people")
def people():
    payload = {"name": request.form["name"], "city": request.form["city"]}
    values = ", ".join(f"'{value}'" for value in payload.values())
    cursor.execute(f"INSERT INTO people VALUES ({values})")
    return "ok"
"#,
    ),
    (
        "one URL segment right under a fixed folder cannot leave it",
        "SEC013",
        false,
        r#"
@app.get("/scripts/<scriptname>")
def script(scriptname):
    return send_file(f"scripts/{scriptname}")

@app.get("/settings/<string:name>")
def setting(name):
    with open(f"settings/{name}.json") as fh:
        return fh.read()

@app.get("/files/<name>")
def file(name):
    return Path(BASE) / name and open(os.path.join(BASE, name)).read()
"#,
    ),
    (
        "a path parameter under a fixed folder can leave it",
        "SEC013",
        true,
        r#"
@app.get("/scripts/<path:scriptname>")
def script(scriptname):
    return send_file(f"scripts/{scriptname}")
"#,
    ),
    (
        "one segment given to a sink that works on folders can name the parent",
        "SEC013",
        true,
        r#"
import shutil

@app.post("/projects/<name>/delete")
def delete(name):
    shutil.rmtree(os.path.join(BASE, name))
    return "ok"
"#,
    ),
    (
        "a segment followed by more path can climb out through `..`",
        "SEC013",
        true,
        r#"
@app.get("/docs/<section>/<page>")
def doc(section, page):
    return open(f"docs/{section}/{page}.md").read()
"#,
    ),
    (
        "a segment rebound to a transformed value is no longer one segment",
        "SEC013",
        true,
        r#"
@app.get("/scripts/<scriptname>")
def script(scriptname):
    scriptname = scriptname.replace("~", "/")
    return send_file(f"scripts/{scriptname}")
"#,
    ),
    (
        "on Windows a segment can hold a backslash",
        "SEC013",
        true,
        r#"
WINDOWS = os.name == "nt"

@app.get("/scripts/<scriptname>")
def script(scriptname):
    return send_file(f"scripts/{scriptname}")
"#,
    ),
    // Drawn from the eighteenth blind set (tuning since stop 29).
    (
        "a parameter rebound to a literal query inside try is that literal",
        "SEC003",
        false,
        r#"
def neighbours(query):
    vector = [len(query)]
    try:
        with connect() as con:
            query = "SELECT id FROM sections WHERE similarity(embedding, ?) > 0.7"
            rows = con.execute(query, [vector]).fetchall()
    except Exception:
        return []
    return rows

@app.get("/search")
def search():
    return str(neighbours(request.args["q"]))
"#,
    ),
    (
        "a name rebound inside try is still the request data in the handler",
        "SEC003",
        true,
        r#"
@app.get("/search")
def search():
    query = "SELECT id FROM sections WHERE title = '" + request.args["q"] + "'"
    try:
        limit = int(request.args["limit"])
        query = "SELECT id FROM sections"
    except ValueError:
        pass
    return str(cursor.execute(query).fetchall())
"#,
    ),
    (
        "a name rebound inside try keeps the request data in the body before it",
        "SEC003",
        true,
        r#"
@app.get("/search")
def search():
    query = "SELECT id FROM sections WHERE title = '" + request.args["q"] + "'"
    try:
        rows = cursor.execute(query).fetchall()
        query = "SELECT 1"
    finally:
        pass
    return str(rows)
"#,
    ),
    (
        "a key of a returned dict that holds stored data is not the caller's",
        "SEC013",
        false,
        r#"
def project_info(project_id):
    row = cursor.execute("SELECT path FROM projects WHERE uuid = ?", (project_id,)).fetchone()
    directory = row[0] if row else None
    return {"id": project_id, "directory": directory}

@app.post("/preamble")
def preamble():
    info = project_info(request.get_json()["project"])
    return open(os.path.join(info["directory"], "preamble.txt")).read()
"#,
    ),
    (
        "the key of a returned dict that holds the caller's data is tainted",
        "SEC013",
        true,
        r#"
def project_info(project_id):
    row = cursor.execute("SELECT path FROM projects WHERE uuid = ?", (project_id,)).fetchone()
    return {"id": project_id, "directory": row[0]}

@app.post("/preamble")
def preamble():
    info = project_info(request.get_json()["project"])
    return open(os.path.join(BASE, info["id"] + ".txt")).read()
"#,
    ),
    (
        "a local dict display is read key by key",
        "SEC013",
        false,
        r#"
@app.post("/preamble")
def preamble():
    info = {"name": request.form["name"], "folder": "/srv/preambles"}
    return open(os.path.join(info["folder"], "preamble.txt")).read()
"#,
    ),
    (
        "a local dict display passes a tainted item on, and as a whole",
        "SEC013",
        true,
        r#"
@app.post("/preamble")
def preamble():
    info = {"name": request.form["name"], "folder": "/srv/preambles"}
    return open(info.get("name")).read() + open(str(info)).read()
"#,
    ),
];

#[test]
fn every_case_fires_or_stays_quiet_as_labelled() {
    let mut wrong = Vec::new();
    for (what, code, fires, body) in CASES {
        let report = run(body);
        let found = fired(&report, code);
        if found.is_empty() == *fires {
            wrong.push(format!("{what} ({code}, expected {}): {found:#?}", if *fires { "a finding" } else { "none" }));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The code flow of every firing case, as `file:line:column note` lines.
#[test]
fn code_flows_are_snapshotted() {
    let mut out = String::new();
    for (what, code, fires, body) in CASES {
        if !fires {
            continue;
        }
        let report = run(body);
        for finding in report.findings.iter().filter(|f| f.code == *code) {
            out.push_str(&format!(
                "## {what}\n{}:{}:{} {} [{}] {}\n",
                finding.file,
                finding.line,
                finding.column,
                finding.code,
                finding.confidence.map(|c| c.as_str()).unwrap_or("-"),
                finding.message
            ));
            for step in &finding.flow {
                out.push_str(&format!("  {}:{}:{} {}\n", step.file, step.line, step.column, step.note));
            }
        }
    }
    insta::assert_snapshot!(out);
}

#[test]
fn confidence_says_how_the_flow_was_established() {
    let direct = run(r#"
@app.get("/a")
def a():
    return open(request.args["name"]).read()
"#);
    assert_eq!(direct.findings.iter().find(|f| f.code == "SEC013").and_then(|f| f.confidence), Some(Confidence::High));
    let model = run(r#"
@app.get("/a")
def a():
    return open(os.path.join(BASE, request.args["name"])).read()
"#);
    assert_eq!(model.findings.iter().find(|f| f.code == "SEC013").and_then(|f| f.confidence), Some(Confidence::Medium));
    let unknown = run(r#"
@app.get("/a")
def a():
    return open(request.args["name"].frobnicate()).read()
"#);
    assert_eq!(unknown.findings.iter().find(|f| f.code == "SEC013").and_then(|f| f.confidence), Some(Confidence::Low));

    let mut report = unknown.clone();
    retort_check::retain_confidence(&mut report, Confidence::Medium);
    assert!(fired(&report, "SEC013").is_empty());
    let mut report = model.clone();
    retort_check::retain_confidence(&mut report, Confidence::Medium);
    assert_eq!(fired(&report, "SEC013").len(), 1);
}

#[test]
fn a_sanitiser_of_one_kind_leaves_the_others() {
    // basename keeps a path in its folder but is still shell text.
    let report = run(r#"
@app.post("/a")
def a():
    name = os.path.basename(request.form["name"])
    os.system("convert " + name)
    return open(os.path.join(BASE, name)).read()
"#);
    assert_eq!(fired(&report, "SEC005").len(), 1, "{:#?}", report.findings);
    assert!(fired(&report, "SEC013").is_empty(), "{:#?}", report.findings);
}

#[test]
fn sources_sinks_sanitisers_and_validators_come_from_the_project() {
    let body = r#"
from myapp.io import read_input, raw_query, scrub, vet

@app.get("/a")
def a():
    raw_query("SELECT " + read_input())
    raw_query("SELECT " + scrub(request.args["q"]))
    q = request.args["q2"]
    if vet(q):
        raw_query("SELECT " + q)
    return "ok"
"#;
    assert!(fired(&run(body), "SEC003").is_empty());
    let config = CheckConfig::from_toml_str(
        r#"
[dataflow]
sources = ["myapp.io.read_input"]
sinks = [{ call = "myapp.io.raw_query", kind = "sql" }]
sanitisers = ["myapp.io.scrub"]
validators = ["myapp.io.vet"]
"#,
    )
    .unwrap();
    let found = fired(&run_with(body, &config), "SEC003");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("`myapp.io.read_input()` (configured source)"), "{found:#?}");
}

#[test]
fn unknown_keys_in_the_dataflow_table_are_errors() {
    let err = CheckConfig::from_toml_str("[dataflow]\nsorces = [\"x\"]\n").unwrap_err().to_string();
    assert!(err.contains("unknown field `sorces`"), "{err}");
    let err = CheckConfig::from_toml_str("[dataflow]\nsinks = [{ call = \"x\", kind = \"nope\" }]\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown variant `nope`"), "{err}");
}

#[test]
fn a_project_function_that_shadows_a_sink_name_is_not_that_sink() {
    // Drawn from the fifth blind review (docs/accuracy.md): an app's own
    // translation lookup `text()` and its own `send_file()` helper.
    let translations = "def text(key):\n    return key.upper()\n";
    let helpers = r#"from flask import make_response


def send_file(data, name):
    response = make_response(data)
    response.headers["Content-Disposition"] = f"attachment; filename={name}"
    return response


def open_named(name):
    return open(name).read()
"#;
    let views = r#"import sqlalchemy as sa
from flask import Flask, request
from myapp.helpers import open_named, send_file
from myapp.translations import text

app = Flask(__name__)


@app.get("/label")
def label():
    return {"label": text(request.args["key"])}


@app.get("/export")
def export():
    return send_file(request.args["data"], "export.csv")


@app.get("/sql")
def sql():
    return str(db.session.execute(sa.text("SELECT * FROM t WHERE a = '%s'" % request.args["a"])))


@app.get("/read")
def read():
    return open_named(request.args["name"])
"#;
    let files = [
        ("myapp/__init__.py", ""),
        ("myapp/translations.py", translations),
        ("myapp/helpers.py", helpers),
        ("myapp/views.py", views),
    ];
    let report = check_sources(&files, &CheckConfig::default()).1;
    let lines = |code: &str| {
        report.findings.iter().filter(|f| f.code == code).map(|f| (f.file.clone(), f.line)).collect::<Vec<_>>()
    };
    // The real sinks still fire: SQLAlchemy's text(), and open() inside a project helper.
    assert_eq!(lines("SEC003"), vec![("myapp/views.py".to_string(), 21)], "{:#?}", report.findings);
    assert_eq!(lines("SEC013"), vec![("myapp/helpers.py".to_string(), 11)], "{:#?}", report.findings);
}
