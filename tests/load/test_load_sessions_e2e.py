"""End-to-end tests of `retort load` sessions against a real Flask app with
Flask-Login and Flask-WTF CSRF under gunicorn: every virtual user logs in
(CSRF token from the form, session cookie in its jar), places orders with
the token, and every check passes; a wrong password fails the checks and the
run; `--from-scan` loads the login_required routes only after a login."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gunicorn_server import free_port, gunicorn

APP_DIR = Path(__file__).parent / "app_sessions"
SCENARIO = APP_DIR / "scenario.toml"
RETORT = os.environ.get("RETORT_BIN")

pytestmark = pytest.mark.skipif(not RETORT, reason="RETORT_BIN is not set")


@pytest.fixture(scope="module")
def server():
    with gunicorn(APP_DIR, "account:app") as url:
        yield url


def retort_load(*args, timeout=120):
    return subprocess.run([RETORT, "load", "-q", *args], capture_output=True, text=True, timeout=timeout)


def by_name(result, name):
    return next(r for r in result["requests"] if r["name"] == name)


def test_logged_in_users_pass_every_check(server, tmp_path):
    out, html = tmp_path / "run.json", tmp_path / "run.html"
    run = retort_load("-s", str(SCENARIO), server, "-d", "3s", "--json", str(out), "--html", str(html))
    assert run.returncode == 0, run.stdout + run.stderr
    result = json.loads(out.read_text())
    totals = result["totals"]
    assert totals["checks_failed"] == 0, totals["checks"]
    assert totals["checks_passed"] > 100
    assert totals["errors"] == 0, totals["statuses"]
    # Four virtual users, each logged in exactly once.
    assert by_name(result, "login form")["requests"] == 4
    assert by_name(result, "log in")["statuses"] == {"302": 4}
    # Behind the login: the session cookie and the CSRF token worked.
    orders = by_name(result, "place order")
    assert orders["requests"] > 10 and orders["statuses"] == {"201": orders["requests"]}
    account = by_name(result, "account")
    assert {c["name"]: c["failed"] for c in account["checks"]} == {"status 200": 0, '$.user.name == "alice"': 0}
    assert "checks:" in run.stdout and "result: PASSED" in run.stdout
    page = html.read_text()
    assert "PASSED" in page and "retort load" in page and result["retort_version"] in page


def test_a_wrong_password_fails_the_checks_and_the_run(server, tmp_path):
    scenario = tmp_path / "wrong.toml"
    scenario.write_text(SCENARIO.read_text().replace('password = "wonderland"', 'password = "guess"'))
    out = tmp_path / "run.json"
    run = retort_load("-s", str(scenario), server, "-d", "3s", "--json", str(out))
    assert run.returncode == 1, run.stdout + run.stderr
    result = json.loads(out.read_text())
    login = by_name(result, "log in")
    assert login["requests"] >= 4
    assert {c["name"]: c["passed"] for c in login["checks"]} == {"redirected after login": 0, "header Location == \"/account\"": 0}
    # Nobody got past the login.
    assert by_name(result, "account")["requests"] == 0
    assert by_name(result, "place order")["requests"] == 0
    assert "result: FAILED" in run.stdout and "checks failed" in run.stdout


def test_a_run_that_measured_nothing_is_an_error(tmp_path):
    out = tmp_path / "run.json"
    run = retort_load("-s", str(SCENARIO), f"http://127.0.0.1:{free_port()}", "-n", "20", "--json", str(out))
    assert run.returncode == 2, run.stdout + run.stderr
    assert "measured nothing useful" in run.stderr and "connect" in run.stderr
    assert json.loads(out.read_text())["totals"]["requests"] == 20


def flask_guarded_get_rules():
    """GET rules whose view Flask-Login guards: asked of the real app (an
    anonymous GET is redirected to the login view)."""
    sys.path.insert(0, str(APP_DIR))
    try:
        import account
    finally:
        sys.path.remove(str(APP_DIR))
    client = account.app.test_client()
    guarded, public = set(), set()
    for rule in account.app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        response = client.get(rule.rule)
        redirected_to_login = response.status_code == 302 and "/login" in response.headers["Location"]
        (guarded if redirected_to_login else public).add(rule.rule)
    return guarded, public


def test_from_scan_loads_guarded_routes_only_after_a_login(server, tmp_path):
    guarded, public = flask_guarded_get_rules()
    assert guarded == {"/account", "/orders/new", "/logout"}

    out = tmp_path / "anonymous.json"
    run = retort_load("--from-scan", str(APP_DIR), server, "-n", "40", "-c", "2", "--json", str(out))
    assert run.returncode == 0, run.stdout + run.stderr
    assert sorted(r["name"] for r in json.loads(out.read_text())["requests"]) == sorted(public)
    for rule in guarded:
        assert f"note: skipped GET {rule}: guarded by login_required" in run.stderr, run.stderr
    assert "note: skipped POST /orders: state-changing method" in run.stderr

    # The login steps of the scenario, without its requests: the scan gives those.
    login_only = tmp_path / "login.toml"
    text = SCENARIO.read_text()
    login_only.write_text(text[: text.index("[[request]]")])
    out = tmp_path / "logged-in.json"
    run = retort_load("--from-scan", str(APP_DIR), "-s", str(login_only), server, "-n", "80", "-c", "2",
                      "--json", str(out))
    assert run.returncode == 0, run.stdout + run.stderr
    result = json.loads(out.read_text())
    names = {r["name"] for r in result["requests"]} - {"login form", "log in"}
    # Guarded routes load as the logged-in user, except the logout.
    assert names == (public | guarded) - {"/logout"}
    assert "note: skipped GET /logout: would end the virtual user's session" in run.stderr
    assert result["totals"]["errors"] == 0, result["totals"]["statuses"]
    assert by_name(result, "/account")["statuses"].keys() == {"200"}

    printed = retort_load("--from-scan", str(APP_DIR), server, "--print-scenario")
    assert printed.returncode == 0, printed.stderr
    assert "#   GET /account: guarded by login_required" in printed.stdout
