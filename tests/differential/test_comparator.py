"""The comparator must be able to fail: synthetic cases for each way Retort
can be wrong."""

from __future__ import annotations

import sys

from .conftest import HARNESS

sys.path.insert(0, str(HARNESS))
import compare  # noqa: E402


def rt(rule, endpoint, methods, origin="project"):
    return {"rule": rule, "endpoint": endpoint, "methods": methods, "origin": origin,
            "subdomain": None, "host": None}


def rs(rule, endpoint, methods, app="a", unresolved=None):
    return {"rule": rule, "endpoint": endpoint, "methods": methods, "app": app, "unresolved": unresolved}


RUNTIME = [
    rt("/", "index", ["GET"]),
    rt("/users", "users", ["GET", "POST"]),
    rt("/static/<path:filename>", "static", ["GET"], origin="flask"),
    rt("/swagger.json", "specs", ["GET"], origin="library"),
]


def test_exact_match_passes_and_head_options_are_ignored():
    retort = [rs("/", "index", ["GET", "HEAD", "OPTIONS"]), rs("/users", "users", ["POST", "GET"]),
              rs("/static/<path:filename>", "static", ["GET"])]
    result = compare.compare("x", RUNTIME, retort)
    assert result.ok
    assert sum(result.matched.values()) == 3
    assert sum(result.missing_library.values()) == 1


def test_missing_route_fails():
    result = compare.compare("x", RUNTIME, [rs("/", "index", ["GET"]), rs("/static/<path:filename>", "static", ["GET"])])
    assert not result.ok
    assert list(result.missing) == [("/users", "users", frozenset({"GET", "POST"}))]
    assert "missing (in Flask, not in Retort)" in result.report()


def test_wrong_methods_endpoint_or_rule_is_missing_plus_invented():
    for wrong in (rs("/users", "users", ["GET"]), rs("/users", "bp.users", ["GET", "POST"]),
                  rs("/users/", "users", ["GET", "POST"])):
        retort = [rs("/", "index", ["GET"]), rs("/static/<path:filename>", "static", ["GET"]), wrong]
        result = compare.compare("x", RUNTIME, retort)
        assert sum(result.missing.values()) == 1 and sum(result.invented.values()) == 1


def test_duplicates_count():
    runtime = [rt("/a", "a", ["GET"])]
    result = compare.compare("x", runtime, [rs("/a", "a", ["GET"]), rs("/a", "a", ["GET"])])
    assert sum(result.invented.values()) == 1


def test_library_routes_are_optional_but_must_be_right():
    base = [rs("/", "index", ["GET"]), rs("/users", "users", ["GET", "POST"]),
            rs("/static/<path:filename>", "static", ["GET"])]
    assert compare.compare("x", RUNTIME, base + [rs("/swagger.json", "specs", ["GET"])]).ok
    assert not compare.compare("x", RUNTIME, base + [rs("/swagger.json", "specs", ["POST"])]).ok


def test_unresolved_routes_are_not_compared():
    retort = [rs("/", "index", ["GET"]), rs(None, None, ["GET"], unresolved={"reason": "dynamic", "file": "a.py", "line": 3})]
    result = compare.compare("x", [rt("/", "index", ["GET"])], retort)
    assert result.ok
    assert len(compare.unresolved_routes({"routes": retort})) == 1


def test_apps_matched_by_file_or_module():
    runtime_apps = [
        {"entry": "users_service.app:app", "sys_path": "services/users", "routes": [rt("/u", "u", ["GET"])]},
        {"entry": "billing:create_app()", "sys_path": "services/billing", "routes": [rt("/b", "b", ["GET"])]},
    ]
    apps = [{"id": "A", "file": "services/users/users_service/app.py"},
            {"id": "B", "file": "services/billing/billing/__init__.py", "factory": "create_app"}]
    assert compare.match_apps(runtime_apps, apps) == {"users_service.app:app": "A", "billing:create_app()": "B"}
    catalog = {"apps": apps, "routes": [rs("/u", "u", ["GET"], app="A"), rs("/b", "b", ["GET"], app="B")]}
    comparisons, how = compare.compare_fixture("m", runtime_apps, catalog)
    assert how == "per app" and all(c.ok for c in comparisons)
    # A route attributed to the wrong app is missing in one and invented in the other.
    catalog["routes"][1]["app"] = "A"
    comparisons, _ = compare.compare_fixture("m", runtime_apps, catalog)
    assert not all(c.ok for c in comparisons)
    # Ids spelled like the entries win over files.
    by_id = [{"id": "billing:create_app()", "file": "elsewhere.py"}, {"id": "users_service.app:app", "file": "x.py"}]
    assert compare.match_apps(runtime_apps, by_id) == {
        "users_service.app:app": "users_service.app:app", "billing:create_app()": "billing:create_app()"}
    # Unmatchable ids fall back to the union.
    comparisons, how = compare.compare_fixture("m", runtime_apps, {"apps": [{"id": "x"}], "routes": catalog["routes"]})
    assert how.startswith("Retort's app ids could not be matched") and comparisons[0].ok
