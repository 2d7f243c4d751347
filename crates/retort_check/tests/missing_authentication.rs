//! SEC009 beyond its fixture pair: one finding per view however often it
//! is registered, and the limits of what counts as a view that needs no
//! guard (drawn from the twelfth review, docs/accuracy.md).

mod common;

use common::*;
use retort_check::CheckConfig;

fn sec009(views: &str) -> Vec<String> {
    let (_, report) = check_sources(&[("app.py", views)], &CheckConfig::default());
    report.findings.iter().filter(|f| f.code == "SEC009").map(|f| format!("{} {}", f.line, f.message)).collect()
}

const PRELUDE: &str = r#"from flask import Blueprint, Flask, abort, jsonify, request
from flask_login import login_required
from myapp.store import db

app = Flask(__name__)
bp = Blueprint("api", __name__)


@bp.get("/a")
@login_required
def a():
    return jsonify(db.a())


@bp.get("/b")
@login_required
def b():
    return jsonify(db.b())


@bp.get("/c")
@login_required
def c():
    return jsonify(db.c())
"#;

#[test]
fn a_blueprint_registered_under_three_prefixes_gives_one_finding_per_view() {
    let views = format!(
        r#"{PRELUDE}

@bp.post("/jobs/<job_id>/cancel")
def cancel(job_id):
    db.cancel(job_id)
    return "", 204


app.register_blueprint(bp, url_prefix="/")
app.register_blueprint(bp, url_prefix="/v1", name="v1")
app.register_blueprint(bp, url_prefix="/v1/<version>", name="versioned")
"#
    );
    let found = sec009(&views);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("/v1/jobs/<job_id>/cancel") && found[0].contains("/v1/<version>/jobs/<job_id>/cancel"));
}

#[test]
fn views_that_read_or_write_data_still_fire() {
    let views = format!(
        r#"{PRELUDE}

# A list of subscribers is not a subscription.
@bp.get("/subscribers")
def subscribers():
    return jsonify(db.subscribers())


# Writes a file: not inert, although it only returns a constant.
@bp.post("/notes")
def add_note():
    with open("notes.txt", "a") as f:
        f.write(request.form["text"])
    return "ok"


# Looks the token up but acts whatever it finds.
@bp.post("/jobs/<token>/run")
def run_job(token):
    job = db.job_by_token(token)
    db.run(job)
    return "ok"


app.register_blueprint(bp)
"#
    );
    let found = sec009(&views);
    assert_eq!(found.len(), 3, "{found:#?}");
}

#[test]
fn inert_views_and_capability_links_need_no_guard() {
    let views = format!(
        r#"{PRELUDE}

@bp.get("/teapot")
def teapot():
    abort(418)


@bp.post("/jobs/<token>/cancel")
def cancel_by_link(token):
    job = db.job_by_token(token)
    if not job:
        abort(404)
    db.cancel(job)
    return "", 204


app.register_blueprint(bp)
"#
    );
    assert_eq!(sec009(&views), Vec::<String>::new());
}

/// A project decorator counts as a guard by what it does (turns callers
/// away under an `if`, else calls the view), whatever its name; the page
/// it redirects to stays public; a decorator that only redirects to HTTPS
/// guards nothing (drawn from the fifteenth review, docs/accuracy.md).
#[test]
fn decorators_that_turn_callers_away_are_guards_and_their_redirect_target_is_public() {
    let gated = r#"from functools import wraps
from flask import Flask, redirect, request, url_for
from myapp.store import db

app = Flask(__name__)


def known_client(f):
    @wraps(f)
    def wrapper(*args, **kwargs):
        if db.client(request.remote_addr) is None:
            return redirect(url_for("identify"))
        return f(*args, **kwargs)
    return wrapper


def https_only(f):
    @wraps(f)
    def wrapper(*args, **kwargs):
        if not request.is_secure:
            return redirect(request.url.replace("http://", "https://"))
        return f(*args, **kwargs)
    return wrapper


@app.post("/items")
@known_client
def add_item():
    db.add(request.form["name"])
    return "", 201


@app.post("/items/<int:item_id>/delete")
@known_client
def delete_item(item_id):
    db.delete(item_id)
    return "", 204


@app.route("/id", methods=["GET", "POST"])
def identify():
    db.identify(request.remote_addr, request.form.get("name"))
    return "who are you?"


@app.post("/items/<int:item_id>/archive")
@https_only
def archive_item(item_id):
    db.archive(item_id)
    return "", 204
"#;
    let found = sec009(gated);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("archive_item"), "{found:#?}");
}

/// A gate that redirects to a literal path (`redirect("/unlock?msg=...")`)
/// leaves the page served at that path public; a gate redirecting home
/// does not make the home page public (drawn from the sixteenth review,
/// docs/accuracy.md).
#[test]
fn the_literal_path_a_gate_redirects_to_is_public() {
    let source = |target: &str| {
        format!(
            r#"from functools import wraps
from flask import Flask, redirect, request, session
from myapp.store import db

app = Flask(__name__)


def unlocked(f):
    @wraps(f)
    def wrapper(*args, **kwargs):
        if "unlocked" not in session:
            return redirect("{target}")
        return f(*args, **kwargs)
    return wrapper


@app.post("/jobs")
@unlocked
def add_job():
    db.add(request.form["name"])
    return "", 201


@app.post("/jobs/<int:job_id>/delete")
@unlocked
def delete_job(job_id):
    db.delete(job_id)
    return "", 204


@app.route("/unlock", methods=["GET", "POST"])
def unlock():
    if request.form.get("pin") == db.pin():
        session["unlocked"] = True
    return "enter the pin"
"#
        )
    };
    assert_eq!(sec009(&source("/unlock?msg=locked")), Vec::<String>::new());
    let home = sec009(&source("/"));
    assert_eq!(home.len(), 1, "{home:#?}");
    assert!(home[0].contains("unlock"), "{home:#?}");
}
