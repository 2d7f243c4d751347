"""Retort's contract verdicts equal import-linter's (`lint-imports`) on
fixture projects that keep and break each contract type, read from each
configuration file import-linter reads (.importlinter, setup.cfg,
pyproject.toml)."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
FIXTURES = sorted(p for p in (HERE / "fixtures").iterdir() if p.is_dir())
RETORT = os.environ.get("RETORT_BIN")
pytestmark = pytest.mark.skipif(not RETORT, reason="RETORT_BIN is not set")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports_verdicts(project):
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=project, env={**os.environ, "PYTHONPATH": str(project)}, capture_output=True, text=True, timeout=300,
    )
    verdicts = {}
    for line in result.stdout.splitlines():
        match = re.match(r"^(.*) (KEPT|BROKEN)( \(.*\))?$", line.strip())
        if match:
            verdicts[match.group(1)] = match.group(2).lower()
    assert verdicts, f"lint-imports printed no verdicts: {result.stdout}\n{result.stderr}"
    return verdicts


def retort_arch(project, *args):
    return subprocess.run([RETORT, "arch", str(project), *args], capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("project", FIXTURES, ids=lambda p: p.name)
def test_verdicts_equal_import_linter(project):
    report = json.loads(retort_arch(project, "--format", "json").stdout)
    ours = {c["name"]: c["verdict"] for c in report["contracts"] if c["kind"] != "components"}
    assert ours == lint_imports_verdicts(project)
    for contract in report["contracts"]:
        for violation in contract["violations"]:
            for link in violation["chain"]:
                assert link["file"].endswith(".py") and link["line"] > 0, link


def test_every_contract_type_is_both_kept_and_broken():
    seen = set()
    for project in FIXTURES:
        report = json.loads(retort_arch(project, "--format", "json").stdout)
        seen |= {(c["kind"], c["verdict"]) for c in report["contracts"]}
    for kind in ("forbidden", "independence", "layers", "acyclic_siblings", "protected"):
        assert {(kind, "kept"), (kind, "broken")} <= seen, kind


def test_fail_on_contracts_gates():
    broken = HERE / "fixtures" / "layered_shop"
    assert retort_arch(broken).returncode == 0
    assert retort_arch(broken, "--fail-on-contracts").returncode == 1


def test_broken_chain_points_at_the_import():
    report = json.loads(retort_arch(HERE / "fixtures" / "layered_shop", "--format", "json").stdout)
    [contract] = [c for c in report["contracts"] if c["name"] == "Util does not reach orders"]
    [violation] = contract["violations"]
    assert [(l["from"], l["to"], l["file"], l["line"]) for l in violation["chain"]] == [
        ("shop.util.money", "shop.services.pricing", "shop/util/money.py", 1),
        ("shop.services.pricing", "shop.orders", "shop/services/pricing.py", 2),
    ]


def test_component_rules_from_pyproject(tmp_path):
    """[tool.retort.arch] components and allowed dependencies: an import
    outside the allowed list breaks the rule, with its file:line; scan
    accepts the table."""
    for name, text in {
        "app/__init__.py": "",
        "app/billing/__init__.py": "from app.shipping import rates\n",
        "app/shipping/__init__.py": "",
        "app/shipping/rates.py": "from app import common\n",
        "app/common.py": "",
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / "pyproject.toml").write_text(
        "[tool.retort.arch]\n"
        "components = { billing = ['app.billing'], shipping = ['app.shipping'] }\n"
        "allowed = { billing = ['core'], shipping = ['core'] }\n"
    )
    report = json.loads(retort_arch(tmp_path, "--format", "json").stdout)
    rules = {c["name"]: c for c in report["contracts"] if c["kind"] == "components"}
    assert rules["shipping imports only core"]["verdict"] == "kept"
    billing = rules["billing imports only core"]
    assert billing["verdict"] == "broken"
    assert [(l["file"], l["line"]) for v in billing["violations"] for l in v["chain"]] == [("app/billing/__init__.py", 1)]
    assert subprocess.run([RETORT, "scan", str(tmp_path)], capture_output=True).returncode == 0
