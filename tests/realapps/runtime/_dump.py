"""Shared helper for the per-app runtime scripts: dump a Flask app's url_map.

Each ``runtime/<app>.py`` builds the real application (inside that app's own
virtualenv) and calls :func:`dump`. The output is the ground truth the static
analysis is compared with:

    {"routes": [{"rule", "methods", "endpoint", "subdomain", "host",
                 "module", "static", "static_root"}],
     "has_static_folder": bool, ...}

``methods`` are sorted and exclude HEAD and OPTIONS (Flask adds them on its
own). ``module`` is the module that defines the view: the view class's module
for class-based views (``View.as_view``, Flask-RESTful/RESTX resources), the
class of the bound instance for bound methods (Flask-Admin/AppBuilder style
``@expose`` views), the blueprint's/app's ``import_name`` for the built-in
``static`` routes, else the (unwrapped) function's ``__module__``.
"""
import functools
import inspect
import json
import os
import sys


def _wrapped_bound_method(f):
    """The bound method a library closure wraps, else ``f``.

    Flask-AppBuilder (``hooks.wrap_route_handler_with_hooks``) registers a
    plain closure around the bound view method when the view class has
    ``@before_request`` hooks; the view is still the instance's method. Only
    a closure without ``__wrapped__`` holding exactly one bound method of an
    instance is followed.
    """
    if getattr(f, "__self__", None) is not None or hasattr(f, "__wrapped__"):
        return f
    bound = []
    for cell in getattr(f, "__closure__", None) or ():
        try:
            value = cell.cell_contents
        except ValueError:  # empty cell
            continue
        owner = getattr(value, "__self__", None)
        if inspect.ismethod(value) and not inspect.isclass(owner) and not inspect.ismodule(owner):
            bound.append(value)
    return bound[0] if len(bound) == 1 else f


def _view_module(app, endpoint, func):
    """Return (module, static_root) for a view function.

    static_root is the static folder (absolute) of the app/blueprint serving
    a built-in static route (None for other routes): such a route belongs to
    the application when that folder lies inside the application's package.
    """
    from flask import Blueprint, Flask

    if func is None:
        return None, None
    view_class = getattr(func, "view_class", None)
    if view_class is not None:
        return view_class.__module__, None
    if endpoint == "static" and getattr(func, "__module__", "").startswith("flask."):
        # Flask >= 2.x registers a lambda around app.send_static_file.
        return app.import_name, app.static_folder
    f = func
    while isinstance(f, functools.partial):
        f = f.func
    f = _wrapped_bound_method(f)
    owner = getattr(f, "__self__", None)
    if owner is not None and getattr(f, "__name__", "") == "send_static_file":
        if isinstance(owner, (Flask, Blueprint)):
            return owner.import_name, owner.static_folder
    if owner is not None and not inspect.isclass(owner) and not inspect.ismodule(owner):
        return type(owner).__module__, None
    try:
        f = inspect.unwrap(f)
    except ValueError:
        pass
    return getattr(f, "__module__", None), None


def collect(app):
    routes = []
    for rule in app.url_map.iter_rules():
        methods = sorted(m for m in (rule.methods or ()) if m not in ("HEAD", "OPTIONS"))
        func = app.view_functions.get(rule.endpoint)
        module, static_root = _view_module(app, rule.endpoint, func)
        routes.append(
            {
                "rule": rule.rule,
                "methods": methods,
                "endpoint": rule.endpoint,
                "subdomain": rule.subdomain or None,
                "host": rule.host or None,
                "module": module,
                "static": static_root is not None,
                "static_root": static_root,
            }
        )
    routes.sort(key=lambda r: (r["rule"], r["endpoint"]))
    return routes


def dump(app, out=None, **extra):
    """Print (or write to ``out``) the url_map of ``app`` as JSON."""
    import sysconfig
    from importlib.metadata import version

    doc = {
        "flask_version": version("flask"),
        "python_version": sys.version.split()[0],
        "site_packages": sysconfig.get_paths()["purelib"],
        "app_import_name": app.import_name,
        "has_static_folder": bool(app.has_static_folder),
        "routes": collect(app),
    }
    doc.update(extra)
    text = json.dumps(doc, indent=1, sort_keys=False)
    out = out or os.environ.get("REALAPPS_RUNTIME_OUT")
    if out:
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
    else:
        sys.stdout.write(text + "\n")
