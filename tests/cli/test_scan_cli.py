"""End-to-end checks of the `retort` command line: JSON against the
documented schema, OpenAPI against a real validator, `--runtime` against
real Flask, exit codes and the human table."""

import json
import re
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from openapi_spec_validator import validate

ROOT = Path(__file__).resolve().parents[2]
RETORT = os.environ.get("RETORT_BIN")
EXAMPLE = ROOT / "examples" / "shopfront"
pytestmark = pytest.mark.skipif(not RETORT, reason="RETORT_BIN is not set")


def retort(*args, check=True):
    result = subprocess.run([RETORT, *map(str, args)], capture_output=True, text=True, timeout=120)
    if check and result.returncode != 0:
        raise AssertionError(f"retort {' '.join(map(str, args))} exited {result.returncode}: {result.stderr}")
    return result


def test_catalog_json_validates_against_the_documented_schema():
    catalog = json.loads(retort("scan", EXAMPLE, "--format", "json").stdout)
    schema = json.loads((ROOT / "docs" / "catalog.schema.json").read_text())
    jsonschema.validate(catalog, schema)
    assert catalog["schema_version"] == 1
    assert catalog["summary"]["routes"] == len(catalog["routes"])
    # Paths are relative to the scanned root.
    assert all(not r["file"].startswith("/") for r in catalog["routes"])


def test_example_catalog_has_the_promised_inventory():
    catalog = json.loads(retort("scan", EXAMPLE, "--format", "json").stdout)
    assert [a["id"] for a in catalog["apps"]] == ["shopfront:create_app()"]
    names = {b["name"] for b in catalog["blueprints"]}
    assert {"admin", "admin.catalog", "admin.reports", "api_v1"} <= names
    kinds = {e["kind"] for e in catalog["extensions"]}
    assert {"sqlalchemy", "migrate", "login", "csrf", "celery"} <= kinds
    assert len(catalog["models"]) >= 10
    assert any(t["decorator"] == "shared_task" for t in catalog["tasks"])
    assert any(d["name"].lower() == "flask" and d["pinned"] for d in catalog["dependencies"])
    assert catalog["ci"] and catalog["ci"][0]["system"] == "github-actions"
    guarded = [r for r in catalog["routes"] if any(g["auth"] for g in r["guards"])]
    assert guarded, "login_required views must carry an auth guard"


def test_openapi_document_is_valid_openapi_3_1():
    document = json.loads(retort("openapi", EXAMPLE, "--title", "Shopfront", "--version", "1.0.0").stdout)
    validate(document)
    assert document["openapi"] == "3.1.0"
    operations = [op for item in document["paths"].values() for op in item.values()]
    assert len({op["operationId"] for op in operations}) == len(operations)
    assert any("{" in path for path in document["paths"])
    params = [p for op in operations for p in op.get("parameters", [])]
    assert any(p["schema"].get("type") == "integer" for p in params)


@pytest.mark.parametrize("fixture", ["route_decorators", "flask_restx_api", "nested_blueprints"])
def test_openapi_validates_on_fixtures(fixture):
    document = json.loads(retort("openapi", ROOT / "tests" / "fixtures" / fixture).stdout)
    validate(document)


def test_runtime_comparison_reports_nothing_missed_on_the_example():
    python = os.environ.get("RETORT_PYTHON", sys.executable)
    result = retort("scan", EXAMPLE, "--format", "json", "--runtime", "shopfront:create_app()", "--python", python)
    runtime = json.loads(result.stdout)["runtime"]
    assert runtime["runtime_routes"] == 54
    assert runtime["missed"] == [] and runtime["invented"] == []


def test_runtime_comparison_shows_what_static_analysis_cannot_see():
    python = os.environ.get("RETORT_PYTHON", sys.executable)
    fixture = ROOT / "tests" / "fixtures" / "unresolved_rules"
    entry = json.loads((fixture / "fixture.json").read_text())["apps"][0]["entry"]
    result = retort("scan", fixture, "--runtime", entry, "--python", python)
    assert "missed:" in result.stdout
    assert "Unresolved:" in result.stdout


def test_table_lists_routes_and_a_summary_line():
    out = retort("scan", EXAMPLE, "--sort", "rule").stdout
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["Endpoint", "Methods", "Rule"]
    rows = [re.split(r"\s{2,}", line) for line in lines[2:]]
    rules = [row[2] for row in rows if len(row) >= 4 and row[2].startswith("/")]
    assert len(rules) > 40
    assert rules == sorted(rules)
    assert "1 apps" in lines[-1] and "routes" in lines[-1]
    assert "\x1b[" not in out  # no colours when stdout is not a terminal


def test_missing_root_is_a_usage_error():
    result = retort("scan", ROOT / "does-not-exist", check=False)
    assert result.returncode == 2
    assert result.stderr.startswith("error:")
    assert "panicked" not in result.stderr


def test_every_entry_a_user_has(tmp_path):
    """The repository root, the package folder and an empty folder give the
    same routes or a clear word; a wrong flag and a file are usage errors."""
    from_root = json.loads(retort("scan", EXAMPLE, "--format", "json").stdout)
    from_package = json.loads(retort("scan", EXAMPLE / "shopfront", "--format", "json").stdout)
    key = lambda c: sorted((r["rule"], r["endpoint"], tuple(r["methods"])) for r in c["routes"])  # noqa: E731
    assert key(from_package) == key(from_root)
    assert from_package["summary"]["import_root"] == {
        "path": "..", "package": "shopfront", "source_roots": [], "how": from_package["summary"]["import_root"]["how"]}
    table = retort("scan", EXAMPLE / "shopfront").stdout
    assert "import root: .. (the scanned folder is package `shopfront`)" in table
    empty = retort("scan", tmp_path)
    assert "no Python files found" in empty.stderr
    assert retort("scan", "--no-such-flag", check=False).returncode == 2
    assert retort("scan", EXAMPLE / "shopfront" / "__init__.py", check=False).returncode == 2


def test_partial_routes_are_not_load_targets(tmp_path):
    """A blueprint never registered keeps its routes as unresolved (rule
    without its prefix); `load --from-scan` must not turn them into URLs."""
    (tmp_path / "app.py").write_text(
        "from flask import Flask, Blueprint\napp = Flask(__name__)\n"
        "lost = Blueprint('lost', __name__)\n\n@lost.route('/orphan')\ndef orphan():\n    pass\n\n"
        "@app.route('/kept')\ndef kept():\n    pass\n"
    )
    catalog = json.loads(retort("scan", tmp_path, "--format", "json").stdout)
    orphan = next(r for r in catalog["routes"] if r["rule"] == "/orphan")
    assert orphan["rule_prefix_unknown"] and orphan["unresolved"]
    assert catalog["summary"]["resolved_routes"] == 2  # /kept and static
    scenario = retort("load", "--from-scan", tmp_path, "http://127.0.0.1:9", "--print-scenario").stdout
    assert "/kept" in scenario and "/orphan" not in scenario
    spec = json.loads(retort("openapi", tmp_path).stdout)
    assert "/kept" in spec["paths"] and "/orphan" not in spec["paths"]
