"""Compare Flask's runtime url_map (from dump_url_map.py) with the routes of
Retort's static catalog (``retort scan --format json``).

A route is compared as the key ``(rule, endpoint, frozenset(methods))`` with
the automatic ``HEAD`` and ``OPTIONS`` removed, as a multiset (a rule
registered twice counts twice).

Which runtime routes Retort must find: every route whose view the project
defines, and the built-in ``static`` routes of the app and of the project's
blueprints (dump origin ``project`` or ``flask``). Routes that an installed
library adds on its own (Flask-RESTX's Swagger views, Flask-AppBuilder's
security views, Flask-Admin's index; origin ``library``) may be reported by
Retort, and must then be right, but are not required: they are not the
application's own routes. Anything Retort reports that Flask does not have is
*invented*, whatever its origin.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

AUTOMATIC_METHODS = frozenset({"HEAD", "OPTIONS"})
REQUIRED_ORIGINS = ("project", "flask")

RouteKey = tuple  # (rule, endpoint, frozenset of methods)


def route_key(route: dict) -> RouteKey:
    methods = frozenset(route.get("methods") or ()) - AUTOMATIC_METHODS
    return (route.get("rule"), route.get("endpoint"), methods)


def format_key(key: RouteKey) -> str:
    rule, endpoint, methods = key
    return f"{rule}  [{','.join(sorted(methods))}]  endpoint={endpoint}"


def is_resolved(route: dict) -> bool:
    return route.get("unresolved") is None


@dataclass
class Comparison:
    """Outcome of comparing one runtime app (or a union of apps) with Retort."""

    label: str
    required: Counter = field(default_factory=Counter)
    library: Counter = field(default_factory=Counter)
    retort: Counter = field(default_factory=Counter)

    @property
    def matched(self) -> Counter:
        return self.retort & (self.required + self.library)

    @property
    def missing(self) -> Counter:
        """In Flask (project or static route), not in Retort."""
        return self.required - self.retort

    @property
    def missing_library(self) -> Counter:
        """Library-added routes Retort did not report (informational)."""
        return self.library - (self.retort - self.required)

    @property
    def invented(self) -> Counter:
        """In Retort, not in Flask."""
        return self.retort - (self.required + self.library)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.invented

    def report(self) -> str:
        lines = [
            f"{self.label}: Flask has {sum(self.required.values())} project/static routes "
            f"(+{sum(self.library.values())} added by libraries), Retort resolved "
            f"{sum(self.retort.values())}; matched {sum(self.matched.values())}, "
            f"missing {sum(self.missing.values())}, invented {sum(self.invented.values())}"
        ]
        for title, counter in (
            ("missing (in Flask, not in Retort)", self.missing),
            ("invented (in Retort, not in Flask)", self.invented),
        ):
            if counter:
                lines.append(f"  {title}:")
                for key in sorted(counter.elements(), key=lambda k: (str(k[0]), str(k[1]), sorted(k[2]))):
                    lines.append(f"    {format_key(key)}")
        return "\n".join(lines)


def compare(label: str, runtime_routes: list[dict], retort_routes: list[dict]) -> Comparison:
    """Compare runtime routes (dump format) with Retort's resolved routes."""
    result = Comparison(label)
    for route in runtime_routes:
        bucket = result.required if route.get("origin", "project") in REQUIRED_ORIGINS else result.library
        bucket[route_key(route)] += 1
    for route in retort_routes:
        if is_resolved(route):
            result.retort[route_key(route)] += 1
    return result


def module_files(entry: str, sys_path: str) -> set[str]:
    """Files (relative to the project root, POSIX) that may define an entry's module."""
    module = entry.split(":", 1)[0]
    base = PurePosixPath(sys_path.replace(os.sep, "/")) / PurePosixPath(*module.split("."))
    candidates = {str(base) + ".py", str(base / "__init__.py")}
    return {c[2:] if c.startswith("./") else c for c in candidates}


def _app_strings(app: dict) -> set[str]:
    values = set()
    for key in ("id", "name", "file", "module", "import_name", "factory", "variable"):
        value = app.get(key)
        if isinstance(value, str):
            values.add(value)
    location = app.get("location") or app.get("created_at")
    if isinstance(location, dict) and isinstance(location.get("file"), str):
        values.add(location["file"])
    return values


def match_apps(runtime_apps: list[dict], retort_apps: list[dict]) -> dict[str, str] | None:
    """Map each runtime app entry to one Retort app id, or None if that
    cannot be done one-to-one.

    A Retort app matches an entry ``pkg.mod:attr`` when its id is the entry
    itself (Retort names apps like Flask's CLI: ``module:variable`` or
    ``module:factory()``), else when its file is the entry module's file,
    else when one of its id/name/module fields names the entry module. Ambiguity (an entry matching zero or several apps, or two
    entries matching the same app) gives None, and the caller compares the
    union of all apps instead.
    """
    ids = [a.get("id") for a in retort_apps]
    if not retort_apps or any(not isinstance(i, str) for i in ids):
        return None
    mapping: dict[str, str] = {}
    for runtime in runtime_apps:
        entry, sys_path = runtime["entry"], runtime.get("sys_path", ".")
        module = entry.split(":", 1)[0]
        files = module_files(entry, sys_path)
        by_file = [a["id"] for a in retort_apps if _app_strings(a) & files]
        by_name = [
            a["id"]
            for a in retort_apps
            if any(s == module or s.startswith(module + ":") or s.startswith(module + ".") for s in _app_strings(a))
        ]
        by_id = [a["id"] for a in retort_apps if a["id"].replace(" ", "") == entry.replace(" ", "")]
        candidates = by_id if len(by_id) == 1 else by_file if len(by_file) == 1 else by_name
        if len(candidates) != 1:
            return None
        mapping[entry] = candidates[0]
    if len(set(mapping.values())) != len(mapping):
        return None
    return mapping


def compare_fixture(name: str, runtime_apps: list[dict], catalog: dict) -> tuple[list[Comparison], str]:
    """Compare every runtime app of a fixture with Retort's catalog.

    Returns the comparisons and a note on how apps were matched.
    """
    retort_routes = catalog.get("routes") or []
    if len(runtime_apps) == 1:
        return [compare(name, runtime_apps[0]["routes"], retort_routes)], "single app"
    mapping = match_apps(runtime_apps, catalog.get("apps") or [])
    if mapping is None:
        union = [r for app in runtime_apps for r in app["routes"]]
        return [compare(f"{name} (union of {len(runtime_apps)} apps)", union, retort_routes)], (
            "Retort's app ids could not be matched one-to-one with the fixture's entries; compared the union"
        )
    comparisons = []
    for runtime in runtime_apps:
        app_id = mapping[runtime["entry"]]
        mine = [r for r in retort_routes if r.get("app") == app_id]
        comparisons.append(compare(f"{name} / {runtime['entry']} (Retort app {app_id})", runtime["routes"], mine))
    stray = [r for r in retort_routes if r.get("app") not in set(mapping.values()) and is_resolved(r)]
    if stray:
        comparisons.append(compare(f"{name} / routes of no matched app", [], stray))
    return comparisons, "per app"


def unresolved_routes(catalog: dict) -> list[dict]:
    return [r for r in catalog.get("routes") or [] if not is_resolved(r)]


def run_retort_scan(retort_bin: str, project_dir: Path, timeout: int = 300, extra: tuple = ()) -> dict:
    """``retort scan --format json <dir> [extra...]``; raises with stderr on failure."""
    proc = subprocess.run(
        [retort_bin, "scan", "--format", "json", str(project_dir), *extra],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if proc.returncode != 0:
        raise AssertionError(
            f"`{retort_bin} scan --format json {project_dir}` exited {proc.returncode}\n"
            f"stderr:\n{proc.stderr[-4000:]}"
        )
    try:
        catalog = json.loads(proc.stdout)
    except json.JSONDecodeError as err:
        raise AssertionError(f"retort scan printed invalid JSON ({err}):\n{proc.stdout[:2000]}") from err
    if not isinstance(catalog, dict) or not isinstance(catalog.get("routes"), list):
        raise AssertionError(f"retort scan JSON has no `routes` list: {str(catalog)[:2000]}")
    return catalog
