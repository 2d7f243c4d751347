#!/usr/bin/env python3
"""Dump the runtime ``url_map`` of a Flask app as JSON: the ground truth that
Retort's static ``scan`` is compared with.

Usage::

    python dump_url_map.py <project_dir> <entry> [--sys-path REL]
    python dump_url_map.py <project_dir>          # every app of fixture.json

``entry`` is ``module:attribute`` or ``module:factory(...)`` (call arguments
must be Python literals). The module is imported with ``<project_dir>/<REL>``
first on ``sys.path`` and ``<project_dir>`` as working directory.

With an entry, the app is imported in *this* process and the output is::

    {"entry": ..., "routes": [{"rule", "methods", "endpoint", "subdomain",
                               "host", "origin", "view_module"}, ...]}

``methods`` are sorted, without the automatic ``HEAD`` and ``OPTIONS``.
``origin`` says who defined the view function: ``project`` (a file inside
``project_dir``), ``flask`` (the built-in ``static`` view of the app or of a
blueprint the project created) or ``library`` (an installed package, e.g. the
Swagger views of Flask-RESTX or the security views of Flask-AppBuilder).

Without an entry, the apps listed in ``<project_dir>/fixture.json`` are each
dumped by a fresh subprocess of this script (module caches, extension
singletons and ``sys.path`` must not leak from one app to the next), and the
output is ``{"apps": [<one object as above>, ...]}``.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

AUTOMATIC_METHODS = {"HEAD", "OPTIONS"}


def parse_entry(entry: str) -> tuple[str, str, tuple | None, dict | None]:
    """Split ``pkg.mod:factory(1, x="y")`` into module, attribute and call args."""
    if ":" not in entry:
        raise SystemExit(f"entry must be 'module:attribute' or 'module:call()', got {entry!r}")
    module_name, expr = entry.split(":", 1)
    expr = expr.strip()
    if "(" not in expr:
        return module_name, expr, None, None
    call = ast.parse(expr, mode="eval").body
    if not isinstance(call, ast.Call) or not isinstance(call.func, (ast.Name, ast.Attribute)):
        raise SystemExit(f"unsupported entry call: {expr!r}")
    args = tuple(ast.literal_eval(a) for a in call.args)
    kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
    return module_name, ast.unparse(call.func), args, kwargs


def resolve_attribute(obj, dotted: str):
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def load_app(project_dir: Path, entry: str, sys_path: str):
    module_name, attr, args, kwargs = parse_entry(entry)
    import_root = (project_dir / sys_path).resolve()
    sys.path.insert(0, str(import_root))
    os.chdir(project_dir)
    module = importlib.import_module(module_name)
    if not defined_in(getattr(module, "__file__", None), import_root):
        raise SystemExit(
            f"module {module_name!r} was imported from {getattr(module, '__file__', None)}, "
            f"not from {import_root}: it is shadowed by another module of that name"
        )
    target = resolve_attribute(module, attr)
    app = target(*args, **kwargs) if args is not None else target
    from flask import Flask

    if not isinstance(app, Flask):
        raise SystemExit(f"{entry} gave {type(app).__name__}, not a Flask app")
    return app


def unwrap_view(view):
    """The function or class that really defines a view: follows bound
    methods, ``functools.wraps`` chains, partials and ``View.as_view``."""
    seen = set()
    while id(view) not in seen:
        seen.add(id(view))
        if hasattr(view, "view_class"):
            return view.view_class
        if hasattr(view, "__func__"):
            view = view.__func__
        elif hasattr(view, "__wrapped__"):
            view = view.__wrapped__
        elif hasattr(view, "func") and callable(getattr(view, "func")):
            view = view.func  # functools.partial
        else:
            break
    return view


def defined_in(path: str | None, root: Path) -> bool:
    if not path:
        return False
    try:
        Path(path).resolve().relative_to(root)
        return True
    except ValueError:
        return False


def source_file(obj) -> str | None:
    try:
        return inspect.getsourcefile(obj) or inspect.getfile(obj)
    except (TypeError, OSError):
        module = sys.modules.get(getattr(obj, "__module__", "") or "")
        return getattr(module, "__file__", None)


def route_origin(app, endpoint: str, project_root: Path) -> tuple[str, str | None]:
    view = app.view_functions.get(endpoint)
    if view is None:
        return "library", None
    real = unwrap_view(view)
    module = getattr(real, "__module__", None)
    if endpoint == "static" or endpoint.endswith(".static"):
        # The built-in static view; it belongs to whoever created the app or
        # blueprint that has the static folder.
        if endpoint == "static":
            return "flask", module
        blueprint = app.blueprints.get(endpoint.rsplit(".", 1)[0])
        owner = sys.modules.get(getattr(blueprint, "import_name", "") or "")
        owner_file = getattr(owner, "__file__", None)
        return ("flask" if defined_in(owner_file, project_root) else "library"), module
    if defined_in(source_file(real), project_root):
        return "project", module
    return "library", module


def dump_app(project_dir: Path, entry: str, sys_path: str) -> dict:
    project_root = project_dir.resolve()
    app = load_app(project_root, entry, sys_path)
    routes = []
    for rule in app.url_map.iter_rules():
        origin, view_module = route_origin(app, rule.endpoint, project_root)
        routes.append(
            {
                "rule": rule.rule,
                "methods": sorted(set(rule.methods or ()) - AUTOMATIC_METHODS),
                "endpoint": rule.endpoint,
                "subdomain": rule.subdomain or None,
                "host": rule.host or None,
                "origin": origin,
                "view_module": view_module,
            }
        )
    routes.sort(key=lambda r: (r["rule"], r["endpoint"], r["methods"]))
    return {"entry": entry, "sys_path": sys_path, "routes": routes}


def dump_fixture(project_dir: Path, python: str) -> dict:
    """Dump every app of a fixture, each in its own interpreter."""
    meta = json.loads((project_dir / "fixture.json").read_text())
    apps = []
    for app in meta["apps"]:
        apps.append(run_isolated(project_dir, app["entry"], app.get("sys_path", "."), python))
    return {"apps": apps}


def run_isolated(project_dir: Path, entry: str, sys_path: str, python: str | None = None) -> dict:
    """Run this script for one app in a fresh interpreter and parse its JSON."""
    env = dict(os.environ)
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # keep fixture trees clean
    env.pop("PYTHONPATH", None)
    for key in [k for k in env if k.startswith("FLASK_")]:
        del env[key]
    proc = subprocess.run(
        [python or sys.executable, os.path.abspath(__file__), str(project_dir), entry, "--sys-path", sys_path],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"importing {entry} from {project_dir} failed (exit {proc.returncode}):\n{proc.stderr}"
        )
    return json.loads(proc.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project_dir", type=Path)
    parser.add_argument("entry", nargs="?", help="module:attribute or module:factory()")
    parser.add_argument("--sys-path", default=".", help="directory (relative to project_dir) put on sys.path")
    args = parser.parse_args(argv)
    project_dir = args.project_dir.resolve()
    if args.entry is None:
        result = dump_fixture(project_dir, sys.executable)
    else:
        sys.dont_write_bytecode = True
        # Logging from extensions goes to stderr; stdout carries only the JSON.
        real_stdout = sys.stdout
        sys.stdout = sys.stderr
        try:
            result = dump_app(project_dir, args.entry, args.sys_path)
        finally:
            sys.stdout = real_stdout
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
