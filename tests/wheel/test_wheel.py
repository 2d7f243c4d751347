"""The Python distribution: `pip install retort-flask` puts `retort` on PATH
and `python -m retort` runs the same binary."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from wheel_helpers import ROOT, run

EXAMPLE = ROOT / "examples" / "shopfront"


def cargo_version() -> str:
    for line in (ROOT / "Cargo.toml").read_text().splitlines():
        if line.startswith("version = "):
            return line.split('"')[1]
    raise AssertionError("no workspace version in Cargo.toml")


def test_the_wheel_ships_the_binary_and_the_package(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    scripts = [n for n in names if n.split("/")[-2:-1] == ["scripts"]]
    assert [Path(n).name for n in scripts] in (["retort"], ["retort.exe"]), names
    assert "retort/__main__.py" in names and "retort/_find_retort.py" in names
    assert wheel.name.startswith(f"retort_flask-{cargo_version()}-")


def test_installed_retort_is_on_path_and_checks_the_example(wheel_bin):
    env = dict(os.environ, PATH=f"{wheel_bin}{os.pathsep}{os.environ.get('PATH', '')}")
    found = shutil.which("retort", path=env["PATH"])
    assert found and Path(found).parent == wheel_bin
    result = run("retort", "check", EXAMPLE, "--format", "concise", env=env)
    # The example has deliberate gaps (examples/shopfront/GAPS.md): exit 1 with findings.
    assert result.returncode == 1, result.stderr
    assert "shopfront/storefront/views.py" in result.stdout and "SEC003" in result.stdout


def test_python_dash_m_retort_runs_the_bundled_binary(wheel_bin):
    python = wheel_bin / "python"
    version = run(python, "-m", "retort", "--version")
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"retort {cargo_version()}"
    # Exit codes pass through: a usage error is 2.
    bad = run(python, "-m", "retort", "check", EXAMPLE, "--select", "SEC0003")
    assert bad.returncode == 2 and "did you mean `SEC003`" in bad.stderr


def test_pip_install_target_finds_the_binary_beside_the_package(wheel, tmp_path):
    target = tmp_path / "target"
    installed = run(sys.executable, "-m", "pip", "install", "--no-index", "--no-deps", "--quiet", "--target", target, wheel)
    assert installed.returncode == 0, installed.stderr
    env = dict(os.environ, PYTHONPATH=str(target))
    version = subprocess.run(
        [sys.executable, "-m", "retort", "--version"], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert version.returncode == 0, version.stderr
    assert version.stdout.startswith("retort ")
