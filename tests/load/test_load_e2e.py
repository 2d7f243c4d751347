"""End-to-end tests of `retort load` against a real Flask app under gunicorn:
the scenario generated from the static scan matches Flask's own url_map,
thresholds set the exit code, and SIGINT still writes a partial result."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gunicorn_server import gunicorn

APP_DIR = Path(__file__).parent / "app"
RETORT = os.environ.get("RETORT_BIN")

pytestmark = pytest.mark.skipif(not RETORT, reason="RETORT_BIN is not set")


@pytest.fixture(scope="module")
def server():
    with gunicorn(APP_DIR, "shop:app") as url:
        yield url


def flask_get_rules():
    """The GET rules Flask itself registers (ground truth for --from-scan)."""
    sys.path.insert(0, str(APP_DIR))
    try:
        import shop
    finally:
        sys.path.remove(str(APP_DIR))
    return sorted(
        rule.rule for rule in shop.app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint != "static"
    )


def retort_load(*args, timeout=120):
    return subprocess.run([RETORT, "load", "-q", *args], capture_output=True, text=True, timeout=timeout)


def test_from_scan_loads_every_get_route_grouped_by_rule(server, tmp_path):
    out = tmp_path / "scan.json"
    run = retort_load("--from-scan", str(APP_DIR), server, "-n", "400", "-c", "4", "--json", str(out))
    assert run.returncode == 0, run.stderr + run.stdout
    result = json.loads(out.read_text())
    names = sorted(r["name"] for r in result["requests"])
    assert names == flask_get_rules()
    # Typed defaults (int, uuid, path, float) are values Flask accepts: no 404s.
    assert result["totals"]["requests"] == 400
    assert result["totals"]["errors"] == 0, result["totals"]["statuses"]
    assert sum(r["requests"] for r in result["requests"]) == 400
    assert all(r["requests"] > 0 for r in result["requests"])


def test_from_scan_with_methods_adds_post_routes(server, tmp_path):
    out = tmp_path / "scan.json"
    run = retort_load("--from-scan", str(APP_DIR), server, "--methods", "GET,POST", "-n", "200",
                      "-c", "2", "--json", str(out))
    assert run.returncode == 0, run.stderr + run.stdout
    result = json.loads(out.read_text())
    post = [r for r in result["requests"] if r["name"] == "POST /api/items"]
    assert len(post) == 1 and post[0]["statuses"].keys() == {"201"}


def test_print_scenario_from_scan_is_a_runnable_toml(server, tmp_path):
    run = retort_load("--from-scan", str(APP_DIR), server, "--print-scenario")
    assert run.returncode == 0, run.stderr
    scenario = tmp_path / "scenario.toml"
    scenario.write_text(run.stdout)
    again = retort_load("-s", str(scenario), "-n", "50", "-c", "2")
    assert again.returncode == 0, again.stderr + again.stdout


def test_thresholds_set_the_exit_code(server):
    slow = server + "/slow"
    assert retort_load(slow, "-n", "40", "-c", "2", "--threshold", "p50 < 1ms").returncode == 1
    ok = retort_load(slow, "-n", "40", "-c", "2", "--threshold", "p50 > 15ms", "--threshold", "error_rate < 1%")
    assert ok.returncode == 0, ok.stdout
    assert "thresholds: 2 passed, 0 failed" in ok.stdout
    assert retort_load(slow, "--threshold", "p95 <<< 1").returncode == 2
    assert retort_load("not-a-url").returncode == 2


def test_json_to_stdout(server):
    run = retort_load(server + "/", "-n", "20", "-c", "2", "--json", "-")
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["totals"]["requests"] == 20
    assert "reqs" in run.stderr  # the human table moved to stderr


def test_sigint_writes_a_partial_result(server, tmp_path):
    out = tmp_path / "partial.json"
    html = tmp_path / "partial.html"
    proc = subprocess.Popen(
        [RETORT, "load", "-q", server + "/slow", "-c", "4", "-d", "120s", "--json", str(out), "--html", str(html)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    time.sleep(2.5)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 0, stderr
    result = json.loads(out.read_text())
    assert result["interrupted"] is True
    assert result["totals"]["requests"] > 10
    assert result["duration_s"] < 30
    assert "interrupted" in stdout
    assert "<svg" in html.read_text()


def test_result_file_matches_its_json_schema(server, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    schema_path = Path(__file__).parents[2] / "crates" / "retort_load" / "result.schema.json"
    out = tmp_path / "r.json"
    run = retort_load(server + "/", "-n", "100", "-c", "2", "--threshold", "p99 < 5s", "--json", str(out))
    assert run.returncode == 0, run.stderr
    jsonschema.validate(json.loads(out.read_text()), json.loads(schema_path.read_text()))
