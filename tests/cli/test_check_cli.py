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
    typo = retort("rule", "SEC0003")
    assert typo.returncode == 2 and "did you mean `SEC003`?" in typo.stderr


def test_ci_formats():
    import xml.dom.minidom

    github = retort("check", EXAMPLE, "--format", "github")
    assert github.returncode == 1
    assert any(line.startswith("::error file=shopfront/storefront/views.py,") for line in github.stdout.splitlines())
    junit = retort("check", EXAMPLE, "--format", "junit").stdout
    cases = xml.dom.minidom.parseString(junit).getElementsByTagName("testcase")
    findings = [c for c in cases if not c.getAttribute("classname").startswith("retort.")]
    scorecard = [c for c in cases if c.getAttribute("classname") == "retort.scorecard"]
    assert len(scorecard) == 5
    markdown = retort("check", EXAMPLE, "--format", "markdown").stdout
    assert len(findings) == markdown.count("\n| ") - 1 > 10
    assert "Scorecard:" in markdown and "- security: none (for bronze: fix" in markdown


def test_scorecard_levels_and_min_level():
    report = json.loads(retort("check", EXAMPLE, "--format", "json").stdout)
    cards = {c["category"]: c for c in report["scorecard"]}
    assert set(cards) == {"security", "reliability", "performance", "observability", "delivery"}
    # The example's SQL injection keeps security below Bronze, and says so.
    assert cards["security"]["level"] is None and "SEC003" in cards["security"]["missing"]
    fixture = ROOT / "tests" / "fixtures" / "route_decorators"
    assert retort("check", fixture).returncode == 0
    assert retort("check", fixture, "--min-level", "bronze").returncode == 1


def write_app(folder, config=None):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "app.py").write_text(
        "from flask import Flask, request\n\napp = Flask(__name__)\n\n\n"
        "@app.route('/items')\ndef items():\n    return {'q': request.args.get('q', '')}\n"
    )
    if config is not None:
        (folder / "pyproject.toml").write_text("[project]\nname = 'x'\n\n[tool.retort]\n" + config)
    return folder


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--select", "FOO"], "unknown rule code or prefix `FOO` in `--select`"),
        (["--select", "SEC0003"], "did you mean `SEC003`?"),
        (["--ignore", "XYZ123"], "unknown rule code or prefix `XYZ123` in `--ignore`"),
        (["--extend-select", "PREF"], "did you mean `PERF`?"),
    ],
)
def test_unknown_codes_on_the_command_line_are_usage_errors(tmp_path, args, expected):
    result = retort("check", write_app(tmp_path / "app"), *args)
    assert result.returncode == 2, result.stdout
    assert expected in result.stderr and result.stdout == ""


@pytest.mark.parametrize(
    "config, expected",
    [
        ('select = ["NOPE"]\n', "unknown rule code or prefix `NOPE` in `select`"),
        ('selct = ["SEC"]\n', "unknown key `selct` in [tool.retort]; did you mean `select`?"),
        ("[tool.retort.severity-overrides]\nSEC0003 = 'info'\n", "did you mean `SEC003`?"),
    ],
)
def test_unknown_codes_and_keys_in_the_configuration_are_usage_errors(tmp_path, config, expected):
    for command in ("check", "scan"):
        result = retort(command, write_app(tmp_path / "app", config))
        if command == "scan" and "key" not in expected:
            assert result.returncode == 0, result.stderr  # scan reads no rule codes
            continue
        assert result.returncode == 2, (command, result.stdout)
        assert expected in result.stderr, (command, result.stderr)


def test_a_category_that_was_not_run_is_not_assessed_and_fails_min_level(tmp_path):
    app = write_app(tmp_path / "app")
    result = retort("check", app, "--select", "SEC", "--format", "json", "--min-level", "bronze")
    cards = {c["category"]: c for c in json.loads(result.stdout)["scorecard"]}
    assert cards["delivery"]["status"] == "not-assessed" and cards["delivery"]["level"] is None
    assert cards["delivery"]["not_assessed"]["DEL001"] == "deselected"
    assert result.returncode == 1
    assert "--min-level bronze not met: delivery is not assessed (DEL001, DEL010: deselected)" in result.stderr
    text = retort("check", app, "--select", "SEC").stdout
    assert "delivery       not assessed (DEL001, DEL010: deselected)" in text
    empty = tmp_path / "empty"
    empty.mkdir()
    assert retort("check", empty, "--min-level", "bronze").returncode == 1
    sarif = json.loads(retort("check", empty, "--format", "sarif").stdout)
    statuses = {c["status"] for c in sarif["runs"][0]["properties"]["scorecard"]}
    assert statuses == {"not-assessed"}


def test_a_baseline_hides_findings_but_never_raises_a_level(tmp_path):
    baseline = tmp_path / "baseline.json"
    assert retort("check", EXAMPLE, "--write-baseline", baseline).returncode == 0
    before = json.loads(retort("check", EXAMPLE, "--format", "json").stdout)
    after = retort("check", EXAMPLE, "--baseline", baseline, "--format", "json", "--min-level", "bronze")
    report = json.loads(after.stdout)
    assert report["findings"] == [] and report["summary"]["baselined"] > 0
    assert report["scorecard"] == before["scorecard"]
    assert after.returncode == 1 and "security is none" in after.stderr


def test_unparseable_files_are_reported_by_check(tmp_path):
    app = write_app(tmp_path / "app")
    (app / "broken.py").write_text("def f(:\n    pass\n")
    text = retort("check", app).stdout
    assert "broken.py:1: syntax:" in text and "1 of 2 Python files analysed in full (50 %)" in text
    report = json.loads(retort("check", app, "--format", "json").stdout)
    assert [d["file"] for d in report["diagnostics"]] == ["broken.py"]
    assert report["completeness"]["partial"] == 1
    github = retort("check", app, "--format", "github").stdout
    assert "::warning file=broken.py,line=1,title=retort could not analyse this file::syntax:" in github
    gate = retort("check", app, "--select", "SEC", "--ignore", "SEC009", "--min-level", "bronze")
    assert "1 of 2 Python files analysed in full" in gate.stderr and gate.returncode == 1


def test_findings_are_sorted_by_severity_and_concise_is_one_line_each():
    concise = retort("check", EXAMPLE, "--output-format", "concise")
    assert concise.returncode == 1
    lines = concise.stdout.split("\n\n")[0].splitlines()
    severities = [line.split("[", 1)[1].split("]", 1)[0] for line in lines]
    order = {"error": 0, "warning": 1, "info": 2}
    assert len(lines) > 10 and severities == sorted(severities, key=order.get)
    assert all(": " in line and "|" not in line for line in lines)
    by_file = retort("check", EXAMPLE, "--format", "concise", "--sort", "file").stdout.split("\n\n")[0].splitlines()
    assert sorted(by_file) == sorted(lines) and by_file != lines
    assert "Found " in concise.stdout and concise.stdout.split("Found ", 1)[1].split(" ")[1].startswith("error")
