"""The test command installs tests/requirements.txt and every
examples/*/requirements.txt into one virtualenv: a package pinned in two of
them must have the same pin, or the fixtures' ground truth would be produced
by whichever version happened to be installed last."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*==\s*([^\s;#]+)")


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        match = PIN.match(line)
        if match:
            found[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(3)
    return found


def requirement_files() -> list[Path]:
    return sorted(REPO.glob("tests/*/requirements.txt")) + [REPO / "tests/requirements.txt"] + sorted(
        REPO.glob("examples/*/requirements.txt")
    )


def test_tests_requirements_are_exact_pins():
    lines = [
        line.strip()
        for line in (REPO / "tests/requirements.txt").read_text().splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    loose = [line for line in lines if not PIN.match(line)]
    assert not loose, f"tests/requirements.txt must pin exactly (==): {loose}"


def test_shared_packages_have_one_pin():
    seen: dict[str, tuple[str, Path]] = {}
    conflicts = []
    for path in requirement_files():
        if not path.is_file():
            continue
        for name, version in pins(path).items():
            if name in seen and seen[name][0] != version:
                other_version, other_path = seen[name]
                conflicts.append(
                    f"{name}: {version} in {path.relative_to(REPO)} but {other_version} in {other_path.relative_to(REPO)}"
                )
            seen.setdefault(name, (version, path))
    assert not conflicts, "conflicting pins for one virtualenv:\n  " + "\n  ".join(conflicts)
