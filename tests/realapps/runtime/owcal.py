"""Build the Open Web Calendar app as its WSGI module is served, and dump the routes.

The Open Web Calendar is served as `open_web_calendar.app:app` (gunicorn in
its Docker image; `python -m open_web_calendar` runs the same module-level
`app` with Flask's server). The module builds the app at import: its
configuration comes from environment variables (`open_web_calendar.config`;
none set here: the defaults), and the views, among them one per folder of
the package's `static` folder, are added by `@app.route` at module level.
We import the module in a temporary folder, without running the server.

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

work = tempfile.mkdtemp(prefix="realapps-owcal-")
os.chdir(work)

from open_web_calendar.app import app  # noqa: E402

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
