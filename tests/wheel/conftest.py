"""The wheel is built once per test session (maturin reuses the cargo
target folder, so after `cargo build --release` it only links and packs)
and installed into a fresh virtualenv that the tests here share."""

from __future__ import annotations

import os
import sys
import venv
from pathlib import Path

import pytest

from wheel_helpers import run, ROOT


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    pytest.importorskip("maturin", reason="maturin is installed from tests/wheel/requirements.txt")
    out = tmp_path_factory.mktemp("wheels")
    built = run(sys.executable, "-m", "maturin", "build", "--release", "--locked", "--out", out, cwd=ROOT)
    assert built.returncode == 0, built.stderr[-4000:]
    wheels = sorted(out.glob("retort_flask-*.whl"))
    assert len(wheels) == 1, (wheels, built.stderr[-2000:])
    return wheels[0]


@pytest.fixture(scope="session")
def wheel_venv(wheel, tmp_path_factory) -> Path:
    """A fresh virtualenv with only the wheel installed (offline, no deps)."""
    env_dir = tmp_path_factory.mktemp("venv") / "env"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    installed = run(bindir / "python", "-m", "pip", "install", "--no-index", "--no-deps", "--quiet", wheel)
    assert installed.returncode == 0, installed.stderr
    return env_dir


@pytest.fixture(scope="session")
def wheel_bin(wheel_venv) -> Path:
    return wheel_venv / ("Scripts" if os.name == "nt" else "bin")
