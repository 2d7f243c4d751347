"""Differential tests: Retort's static routes against real Flask's url_map.

For every ``tests/fixtures/*/fixture.json`` and ``examples/*/fixture.json``:
the apps it lists are imported by real Flask (``tests/harness/dump_url_map.py``,
one fresh interpreter per app) and ``$RETORT_BIN scan --format json <dir>``
must report the same routes: rule, endpoint and methods (without HEAD and
OPTIONS). See tests/harness/compare.py for what is required exactly.

Environment:
  RETORT_BIN     the retort binary; the comparisons are skipped without it
  RETORT_PYTHON  interpreter that imports the fixtures (default: this one)
"""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path

import pytest

from .conftest import HARNESS, SUMMARY

sys.path.insert(0, str(HARNESS))
import compare  # noqa: E402
import dump_url_map  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
FIXTURE_FILES = sorted(REPO.glob("tests/fixtures/*/fixture.json")) + sorted(REPO.glob("examples/*/fixture.json"))


def fixture_id(path: Path) -> str:
    parent = path.parent
    return parent.name if parent.parent.name == "fixtures" else f"{parent.parent.name}/{parent.name}"


FIXTURES = {fixture_id(p): p.parent for p in FIXTURE_FILES}
PARAMS = [pytest.param(name, id=name) for name in FIXTURES]


def metadata(name: str) -> dict:
    return json.loads((FIXTURES[name] / "fixture.json").read_text())


@functools.lru_cache(maxsize=None)
def runtime_apps(name: str) -> tuple:
    """The runtime url_map of every app of a fixture (cached per session)."""
    python = os.environ.get("RETORT_PYTHON") or sys.executable
    apps = []
    for app in metadata(name)["apps"]:
        apps.append(dump_url_map.run_isolated(FIXTURES[name], app["entry"], app.get("sys_path", "."), python))
    return tuple(apps)


def retort_bin() -> str:
    path = os.environ.get("RETORT_BIN")
    if not path:
        pytest.skip("RETORT_BIN is not set: build retort and set RETORT_BIN=<path to target/release/retort>")
    assert os.path.isfile(path) and os.access(path, os.X_OK), f"RETORT_BIN={path} is not an executable file"
    return path


@functools.lru_cache(maxsize=None)
def _scan(binary: str, name: str, folder: Path | None = None) -> dict:
    return compare.run_retort_scan(binary, folder or FIXTURES[name])


def retort_catalog(name: str) -> dict:
    return _scan(retort_bin(), name)


def record(name: str, **values) -> None:
    SUMMARY.setdefault(name, {}).update(values)


def record_runtime(name: str, apps) -> None:
    record(
        name,
        runtime=sum(1 for a in apps for r in a["routes"] if r["origin"] in compare.REQUIRED_ORIGINS),
        library=sum(1 for a in apps for r in a["routes"] if r["origin"] not in compare.REQUIRED_ORIGINS),
    )


def test_fixtures_exist():
    fixtures = [n for n in FIXTURES if "/" not in n]
    assert len(fixtures) >= 24, f"expected at least 24 fixtures under tests/fixtures, found {len(fixtures)}"


@pytest.mark.parametrize("name", PARAMS)
def test_fixture_metadata(name):
    meta = metadata(name)
    for key in ("description", "patterns", "apps", "expect_unresolved"):
        assert key in meta, f"{name}/fixture.json lacks {key!r}"
    assert meta["description"].strip() and meta["patterns"], f"{name}: describe the fixture and its patterns"
    assert isinstance(meta["expect_unresolved"], bool)
    if meta["expect_unresolved"]:
        # The list may be empty when the unresolved routes are ones Flask
        # never registers (a blueprint no code path registers).
        assert isinstance(meta.get("unresolved_endpoints"), list), (
            f"{name}: with expect_unresolved, list the runtime endpoints Retort cannot resolve in unresolved_endpoints"
        )
    assert meta["apps"], f"{name}: no apps listed"
    for app in meta["apps"]:
        dump_url_map.parse_entry(app["entry"])
        assert (FIXTURES[name] / app.get("sys_path", ".")).is_dir(), f"{name}: sys_path {app.get('sys_path')} missing"


@pytest.mark.parametrize("name", PARAMS)
def test_runtime_url_map_is_not_empty(name):
    """A fixture that fails to build, or builds an app without own routes,
    would make the comparison vacuous."""
    apps = runtime_apps(name)
    for app in apps:
        own = [r for r in app["routes"] if r["origin"] == "project"]
        assert own, f"{name}: {app['entry']} has no routes defined by the project: {app['routes']}"
    record_runtime(name, apps)


def package_folder(name: str) -> Path | None:
    """The fixture's one package folder (``<pkg>/`` or ``src/<pkg>/`` with an
    ``__init__.py``, or a namespace folder without one whose subfolders are
    packages) when every Python file of the fixture lies inside it:
    scanning that folder must then give what scanning the fixture gives."""
    root = FIXTURES[name]
    candidates = [p.parent for p in list(root.glob("*/__init__.py")) + list(root.glob("src/*/__init__.py"))]
    if not candidates:
        candidates = sorted({p.parent.parent for p in root.glob("*/*/__init__.py")})
    if len(candidates) != 1:
        return None
    package = candidates[0]
    files = [p for p in root.rglob("*.py") if "tests" not in p.relative_to(root).parts]
    return package if all(package in p.parents for p in files) else None


PACKAGE_PARAMS = [pytest.param(name, id=name) for name in FIXTURES if package_folder(name)]


def assert_matches_runtime(name: str, catalog: dict, root_label: str) -> None:
    """Every project/static route of the runtime url_map is in the catalog
    with the same rule, endpoint and methods, and nothing is invented."""
    apps = runtime_apps(name)
    comparisons, how = compare.compare_fixture(name, list(apps), catalog)
    missing = sum(sum(c.missing.values()) for c in comparisons)
    invented = sum(sum(c.invented.values()) for c in comparisons)
    report = "\n".join(c.report() for c in comparisons) + f"\n(apps compared: {how}; scanned from {root_label})"
    meta = metadata(name)
    if meta["expect_unresolved"]:
        # Runtime routes of the endpoints the fixture declares unresolvable
        # may be absent from Retort's resolved routes (Retort reports them as
        # unresolved instead); every other route must still match exactly.
        allowed = set(meta["unresolved_endpoints"])
        missing_keys = [k for c in comparisons for k in c.missing.elements()]
        unexpected = [k for k in missing_keys if k[1] not in allowed]
        if invented or unexpected:
            pytest.fail(
                f"{report}\nmissing routes not declared unresolvable (unresolved_endpoints={sorted(allowed)}): "
                f"{[compare.format_key(k) for k in unexpected]}",
                pytrace=False,
            )
    elif missing or invented:
        pytest.fail(report, pytrace=False)


@pytest.mark.parametrize("name", PARAMS)
def test_scan_matches_runtime(name):
    """Every project/static route of the runtime url_map is found by Retort
    with the same rule, endpoint and methods, and Retort invents nothing."""
    catalog = retort_catalog(name)
    apps = runtime_apps(name)
    record_runtime(name, apps)
    comparisons, _ = compare.compare_fixture(name, list(apps), catalog)
    record(
        name,
        matched=sum(sum(c.matched.values()) for c in comparisons),
        missing=sum(sum(c.missing.values()) for c in comparisons),
        invented=sum(sum(c.invented.values()) for c in comparisons),
        unresolved=len(compare.unresolved_routes(catalog)),
    )
    assert_matches_runtime(name, catalog, "the fixture folder")


@pytest.mark.parametrize("name", PACKAGE_PARAMS)
def test_scan_from_the_package_folder_is_the_same(name):
    """Pointing Retort at the package folder itself (as at an installed
    package) names modules from the import root above it: same routes, same
    unresolved entries, and still equal to Flask's url_map."""
    package = package_folder(name)
    catalog = _scan(retort_bin(), name, package)
    assert catalog["summary"]["import_root"]["package"] == package.name, catalog["summary"]["import_root"]
    assert_matches_runtime(name, catalog, f"the package folder {package.name}/")

    def keys(cat: dict) -> list:
        return sorted(((r["rule"] or "", r["endpoint"] or "", tuple(r["methods"]), bool(r["unresolved"])) for r in cat["routes"]))

    assert keys(catalog) == keys(retort_catalog(name))


PLUGIN_PARAMS = [
    pytest.param(name, package, id=f"{name}/{package}")
    for name in FIXTURES
    for package in metadata(name).get("plugin_packages", [])
]
LONE_PARAMS = [
    pytest.param(name, package, id=f"{name}/{package}")
    for name in FIXTURES
    for package in metadata(name).get("lone_packages", [])
]


@pytest.mark.parametrize(("name", "package"), PLUGIN_PARAMS)
def test_scan_of_a_plugin_package_reads_its_application(name, package):
    """A package folder that entry points join to the distributions beside
    it (one plugin of an installed application) is read with them: the
    application's routes, equal to Flask's url_map, and the summary names
    the packages read. `--package-only` reads the package alone."""
    folder = FIXTURES[name] / package
    catalog = _scan(retort_bin(), name, folder)
    host = catalog["summary"].get("plugin_host")
    assert host and host["package"] == package and package in host["packages"], catalog["summary"]
    assert_matches_runtime(name, catalog, f"the plugin package folder {package}/")
    alone = compare.run_retort_scan(retort_bin(), folder, extra=("--package-only",))
    assert "plugin_host" not in alone["summary"], alone["summary"]
    assert alone["summary"]["import_root"]["package"] == package
    assert alone["summary"]["files"] < catalog["summary"]["files"]


@pytest.mark.parametrize(("name", "package"), LONE_PARAMS)
def test_scan_of_a_package_joined_to_nothing_reads_it_alone(name, package):
    """A package whose entry points join it to no application (a
    `flask.commands` CLI plugin) is read alone."""
    catalog = _scan(retort_bin(), name, FIXTURES[name] / package)
    assert "plugin_host" not in catalog["summary"], catalog["summary"]
    assert catalog["summary"]["import_root"]["package"] == package


@pytest.mark.parametrize("name", PARAMS)
def test_unresolved_routes_as_expected(name):
    """Without expect_unresolved, Retort resolves everything; with it, at
    least one route is reported unresolved with a reason."""
    catalog = retort_catalog(name)
    unresolved = compare.unresolved_routes(catalog)
    if metadata(name)["expect_unresolved"]:
        assert unresolved, f"{name}: expected at least one unresolved route, Retort reported none"
        for route in unresolved:
            detail = route["unresolved"]
            assert isinstance(detail, dict) and str(detail.get("reason") or "").strip(), (
                f"{name}: unresolved route without a reason: {route}"
            )
    else:
        assert not unresolved, f"{name}: Retort reported unresolved routes:\n" + "\n".join(
            json.dumps(r, sort_keys=True) for r in unresolved
        )


@pytest.mark.parametrize("name", PARAMS)
def test_subdomain_and_host_of_matched_routes(name):
    """Routes Retort found carry the subdomain and host Flask gives them."""
    catalog = retort_catalog(name)
    expected: dict = {}
    for app in runtime_apps(name):
        for route in app["routes"]:
            expected.setdefault(compare.route_key(route), set()).add((route["subdomain"], route["host"]))
    wrong = []
    for route in catalog["routes"]:
        if not compare.is_resolved(route):
            continue
        want = expected.get(compare.route_key(route))
        got = (route.get("subdomain") or None, route.get("host") or None)
        if want is not None and got not in want:
            wrong.append(f"{compare.format_key(compare.route_key(route))}: Retort {got}, Flask {sorted(want, key=str)}")
    assert not wrong, f"{name}: wrong subdomain/host:\n  " + "\n  ".join(wrong)
