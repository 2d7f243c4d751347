"""`retort push` from the command line: uploads of existing result files,
the duplicate policy's exit codes, and clear errors (exit 2) for an
unreachable portal, https to a plain-http server, a bad --file and a
folder outside git."""

import json
import subprocess

from conftest import REPO, RETORT, free_port

SHOPFRONT = REPO / "examples" / "shopfront"


def push(*args):
    return subprocess.run([RETORT, "push", *map(str, args)], capture_output=True, text=True, timeout=600)


def test_file_uploads_and_the_duplicate_policy(portal, tmp_path):
    slo = tmp_path / "slo.json"
    slo.write_text(json.dumps({"objectives": [{"name": "availability", "sli": 0.999, "target": 0.99,
                                               "budget_remaining": 0.9}]}))
    args = [portal.url, "--token", portal.token, "--file", f"slo={slo}", "--service", "cli-svc", "--commit", "c1", SHOPFRONT]
    first = push(*args)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["stored"] == ["slo"]
    again = push(*args)
    assert again.returncode == 0 and json.loads(again.stdout)["unchanged"] == ["slo"]
    slo.write_text(json.dumps({"objectives": [{"name": "availability", "sli": 0.5, "budget_remaining": -4}]}))
    conflict = push(*args)
    assert conflict.returncode == 1, conflict.stderr
    assert "already stored with different content" in conflict.stderr
    detail = portal.get_json("/api/services/cli-svc")
    assert detail["slo_history"][0]["values"]["budget_remaining:availability"] == 0.9, "first write wins"


def test_usage_and_transport_errors_exit_2_with_a_message(portal, tmp_path):
    closed = f"http://127.0.0.1:{free_port()}"
    cases = [
        ([closed, "--token", "t", "--file", "load=/nonexistent.json", "--commit", "x"], "cannot read"),
        ([closed, "--token", "t", "--commit", "x", "--file", f"exec={tmp_path}"], "unknown kind"),
        ([closed, "--token", "t", "--commit", "x", SHOPFRONT], "cannot reach the portal"),
        ([closed.replace("http://", "https://"), "--token", "t", SHOPFRONT], "cannot reach the portal"),
        ([closed, "--token", "t", "--ca-cert", tmp_path / "none.pem", SHOPFRONT], "cannot reach the portal"),
        ([portal.url.replace("http://", "https://"), "--token", "t", SHOPFRONT], "cannot reach the portal"),
        (["portal:8080", "--token", "t", SHOPFRONT], "bad portal URL"),
        ([portal.url, "--token", "", SHOPFRONT], "--token is empty"),
        ([portal.url + "/elsewhere", "--token", "t", SHOPFRONT], "does not look like a Retort portal"),
        ([portal.url, "--token", portal.token, tmp_path], "not in a git repository"),
    ]
    for args, message in cases:
        result = push(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert message in result.stderr, (args, result.stderr)
        assert "panicked" not in result.stderr


def test_dry_run_prints_the_push_document_with_identity_from_catalog_info(tmp_path):
    service = tmp_path / "svc"
    service.mkdir()
    (service / "app.py").write_text("from flask import Flask\napp = Flask(__name__)\n\n@app.get('/ping')\ndef ping():\n    return 'ok'\n")
    (service / "catalog-info.yaml").write_text(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: payments\n"
        "spec:\n  type: service\n  owner: team-pay\n  system: billing\n"
    )
    result = subprocess.run([RETORT, "push", "http://unused", "--token", "t", "--dry-run", "--commit", "abc", str(service)],
                            capture_output=True, text=True, check=True)
    document = json.loads(result.stdout)
    assert document["service"] == {"name": "payments", "owner": "team-pay", "system": "billing", "repository": None}
    assert document["commit"] == "abc"
    assert sorted(document["results"]) == ["arch", "check", "openapi", "scan"], "team needs git"
    assert "/ping" in [r["rule"] for r in document["results"]["scan"]["routes"]]
    assert "team skipped" in result.stderr
