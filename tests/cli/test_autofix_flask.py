"""`retort check --fix --unsafe-fixes` on the example service: the fixed
code still imports and runs under real Flask with the same url_map (the
differential harness's dump, which imports our own example, never an
analysed third-party app), and a second check finds nothing left to fix."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RETORT = os.environ.get("RETORT_BIN")
PYTHON = os.environ.get("RETORT_PYTHON", sys.executable)
EXAMPLE = ROOT / "examples" / "shopfront"
DUMP = ROOT / "tests" / "harness" / "dump_url_map.py"
pytestmark = pytest.mark.skipif(not RETORT, reason="RETORT_BIN is not set")


def url_map(project):
    dump = subprocess.run([PYTHON, str(DUMP), str(project)], capture_output=True, text=True, timeout=120)
    if dump.returncode != 0 and "No module named" in dump.stderr:
        pytest.skip(f"the example's requirements are not installed: {dump.stderr.strip().splitlines()[-1]}")
    assert dump.returncode == 0, dump.stderr
    return sorted((r["rule"], r["endpoint"], tuple(r["methods"])) for app in json.loads(dump.stdout)["apps"]
                  for r in app["routes"])


def test_fixed_example_still_runs_under_flask_with_the_same_routes(tmp_path):
    copy = tmp_path / "shopfront"
    shutil.copytree(EXAMPLE, copy)
    before = url_map(copy)
    fixed = subprocess.run([RETORT, "check", str(copy), "--fix", "--unsafe-fixes"],
                           capture_output=True, text=True, timeout=120)
    assert fixed.returncode in (0, 1), fixed.stderr
    assert "Fixed" in fixed.stderr and "Fixed 0 " not in fixed.stderr, fixed.stderr
    changed = subprocess.run(["diff", "-rq", str(EXAMPLE), str(copy)], capture_output=True, text=True)
    assert changed.stdout.strip(), "the fixes changed no file"
    compiled = subprocess.run([PYTHON, "-m", "compileall", "-q", str(copy / "shopfront")],
                              capture_output=True, text=True, timeout=120)
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    assert url_map(copy) == before
    again = subprocess.run([RETORT, "check", str(copy), "--diff", "--unsafe-fixes"],
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and not again.stdout.strip(), again.stdout
