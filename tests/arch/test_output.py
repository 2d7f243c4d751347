"""`retort arch` output formats on the example service: JSON valid against
docs/arch.schema.json, DOT, Mermaid and the Markdown ADR draft."""

import json
import os
import subprocess
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "shopfront"
RETORT = os.environ.get("RETORT_BIN")
pytestmark = pytest.mark.skipif(not RETORT, reason="RETORT_BIN is not set")


def arch(*args):
    result = subprocess.run([RETORT, "arch", str(EXAMPLE), *args], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_json_validates_against_the_documented_schema():
    report = json.loads(arch("--format", "json"))
    jsonschema.validate(report, json.loads((ROOT / "docs" / "arch.schema.json").read_text()))
    assert report["schema_version"] == 1
    assert {c["name"] for c in report["components"]} >= {"core", "cart", "auth"}
    assert all({"from", "to", "file", "line"} <= set(i) for i in report["imports"])
    assert report["plan"]["candidates"], "the example has blueprints, so a plan"


def test_graph_formats():
    dot = arch("--format", "dot")
    assert dot.startswith("digraph components {") and '"cart" -> "core"' in dot
    mermaid = arch("--format", "mermaid")
    assert mermaid.startswith("flowchart LR") and "cart -->" in mermaid
    adr = arch("--format", "markdown")
    assert adr.startswith("# ADR: Extracting ") and "## Decision" in adr and "## Consequences" in adr
