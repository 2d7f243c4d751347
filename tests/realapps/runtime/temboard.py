"""Build temBoard's Flask app as the `temboard` command does, and dump the routes.

The `temboard` command (`temboardui.__main__:main`) creates the Flask app
(`temboardui.web.flask.create_app`), pushes an application context, imports
the route modules (which add their views with `@current_app.route(...)`
or `@app.route(...)` on the `current_app` proxy, and on two module-level
blueprints), loads its sub-commands and runs the temBoard application: it
reads the configuration (no file here: the defaults), loads the six default
plugins through the `temboardui.plugins` entry points (their modules add
views to the two blueprints) and finalises the Flask app
(`finalize_app()` registers the blueprints), before running the command.
Tornado serves the Flask app as a WSGI fallback behind its own handlers,
which are not Flask routes. We run `main(["routes"])` (the command that
lists the routes, after the same bootstrap as `serve`, its output
discarded) in a temporary folder, then dump `flask.current_app`.

Stubs: nothing may leave the machine (`runtime/_offline.py`: sockets and DNS
refused).
"""
import contextlib
import io
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network()

work = tempfile.mkdtemp(prefix="realapps-temboard-")
os.chdir(work)

from flask import current_app  # noqa: E402

from temboardui.__main__ import main  # noqa: E402

try:
    with contextlib.redirect_stdout(io.StringIO()):
        rc = main(["routes"])
except SystemExit as exc:  # the application's entry point exits with the command's status
    rc = exc.code
if rc:
    raise SystemExit(f"temboard routes exited {rc}")
dump(current_app._get_current_object(), refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
