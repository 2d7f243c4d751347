"""Build the Meltano UI app as `meltano ui` does, and dump the routes.

`meltano ui` (Meltano 2.x) starts gunicorn on `meltano.api.app:create_app()`
inside a Meltano project. We create an empty project in a temporary folder
with `meltano init` (run in this process through the click command, with
anonymous usage statistics off), then call `create_app()` from the
project's folder, as the gunicorn worker does, without serving it. The
factory opens the project's system database (SQLite under `.meltano/`),
sets up Flask-Security, Flask-Executor and the JSON encoder, registers the
`plugin_ref` URL converter and the controllers' blueprints.

The UI app mounts a second Flask app, the OAuth service, at `/-/oauth`
with werkzeug's `DispatcherMiddleware`; its routes serve requests of the
same service, so they are dumped too (tagged `flask_app`), as Pegasus's
second app is.

Stubs: nothing may leave the machine (`runtime/_offline.py`: sockets and DNS
refused).
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network()

work = tempfile.mkdtemp(prefix="realapps-meltano-")
os.chdir(work)
os.environ["MELTANO_SEND_ANONYMOUS_USAGE_STATS"] = "false"
os.environ["MELTANO_DISABLE_TRACKING"] = "true"

from meltano.cli import cli  # noqa: E402

try:
    cli.main(["init", "project", "--no_usage_stats"], standalone_mode=False)
except SystemExit as exc:  # click may still exit on success
    if exc.code not in (0, None):
        raise
os.chdir(os.path.join(work, "project"))

from meltano.api.app import create_app  # noqa: E402

app = create_app()


def mounted_apps(wsgi, seen=None):
    """Flask apps mounted in the WSGI chain with werkzeug's
    DispatcherMiddleware (Meltano mounts its OAuth service at `/-/oauth`):
    they serve requests of this service, so their routes are part of it."""
    from flask import Flask
    from werkzeug.middleware.dispatcher import DispatcherMiddleware

    seen = seen or set()
    if id(wsgi) in seen:
        return []
    seen.add(id(wsgi))
    found = []
    if isinstance(wsgi, DispatcherMiddleware):
        for prefix, mounted in sorted(wsgi.mounts.items()):
            if isinstance(mounted, Flask):
                found.append((prefix, mounted))
        found += mounted_apps(wsgi.app, seen)
    elif hasattr(wsgi, "app") and not isinstance(wsgi, Flask):
        found += mounted_apps(wsgi.app, seen)
    return found


routes = collect(app)
for r in routes:
    r["flask_app"] = "ui"
for prefix, mounted in mounted_apps(app.wsgi_app):
    for r in collect(mounted):
        r["flask_app"] = f"mounted at {prefix}"
        routes.append(r)
routes.sort(key=lambda r: (r["rule"], r["endpoint"], r["flask_app"]))
dump(app, routes=routes, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
