"""End-to-end checks of `retort check`, `retort rules` and `retort rule`."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RETORT = os.environ.get("RETORT_BIN")
EXAMPLE = ROOT / "examples" / "shopfront"
pytestmark = pytest.mark.skipif(not RETORT, reason="RETORT_BIN is not set")


def retort(*args):
    return subprocess.run([RETORT, *map(str, args)], capture_output=True, text=True, timeout=120)


def test_check_fails_on_the_example_and_reports_cwe_tagged_sarif():
    result = retort("check", EXAMPLE, "--format", "sarif")
    assert result.returncode == 1, result.stderr
    sarif = json.loads(result.stdout)
    run = sarif["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert "CWE-89" in rules["SEC003"]["properties"]["tags"]
    assert "external/cwe/cwe-89" in rules["SEC003"]["properties"]["tags"]
    sql = [r for r in run["results"] if r["ruleId"] == "SEC003"]
    location = sql[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "shopfront/storefront/views.py"


def test_fail_on_and_baseline_decide_the_exit_code(tmp_path):
    baseline = tmp_path / "baseline.json"
    written = retort("check", EXAMPLE, "--write-baseline", baseline)
    assert written.returncode == 0 and baseline.is_file()
    again = retort("check", EXAMPLE, "--baseline", baseline, "--format", "json")
    assert again.returncode == 0, again.stdout
    assert json.loads(again.stdout)["findings"] == []


def test_an_inline_suppression_hides_the_finding(tmp_path):
    copy = tmp_path / "shopfront"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns("__pycache__", "instance"))
    views = copy / "shopfront" / "storefront" / "views.py"
    before = json.loads(retort("check", copy, "--format", "json").stdout)
    assert any(f["code"] == "SEC003" for f in before["findings"])
    text = views.read_text()
    lines = text.splitlines()
    sql_line = next(f["line"] for f in before["findings"] if f["code"] == "SEC003")
    lines[sql_line - 1] = lines[sql_line - 1] + "  # retort: ignore[SEC003]"
    views.write_text("\n".join(lines) + "\n")
    after = json.loads(retort("check", copy, "--format", "json").stdout)
    assert not any(f["code"] == "SEC003" for f in after["findings"])


def test_rules_listing_and_rule_docs():
    listing = retort("rules")
    assert listing.returncode == 0
    assert any(line.startswith("SEC003") for line in listing.stdout.splitlines())
    doc = retort("rule", "SEC003")
    assert doc.returncode == 0 and "## What it does" in doc.stdout
    missing = retort("rule", "NOPE999")
    assert missing.returncode == 2 and missing.stderr.startswith("error:")


def test_ci_formats():
    import xml.dom.minidom

    github = retort("check", EXAMPLE, "--format", "github")
    assert github.returncode == 1
    assert any(line.startswith("::error file=shopfront/storefront/views.py,") for line in github.stdout.splitlines())
    junit = retort("check", EXAMPLE, "--format", "junit").stdout
    cases = xml.dom.minidom.parseString(junit).getElementsByTagName("testcase")
    markdown = retort("check", EXAMPLE, "--format", "markdown").stdout
    assert len(cases) == markdown.count("\n| ") - 1 > 10


def test_scorecard_levels_and_min_level():
    report = json.loads(retort("check", EXAMPLE, "--format", "json").stdout)
    cards = {c["category"]: c for c in report["scorecard"]}
    assert set(cards) == {"security", "reliability", "performance", "observability", "delivery"}
    # The example's SQL injection keeps security below Bronze, and says so.
    assert cards["security"]["level"] is None and "SEC003" in cards["security"]["missing"]
    fixture = ROOT / "tests" / "fixtures" / "route_decorators"
    assert retort("check", fixture).returncode == 0
    assert retort("check", fixture, "--min-level", "bronze").returncode == 1
