"""Build the brozzler dashboard as `brozzler-dashboard` does, and dump the routes.

`brozzler-dashboard` (`brozzler.dashboard:main`) parses its command line,
configures logging and serves the module-level app of `brozzler.dashboard`
(`flask.Flask(__name__)`, configured from `BROZZLER_*`/`WAYBACK_BASEURL`/
`DASHBOARD_*` environment variables read at import) with gunicorn, or with
`app.run()` when gunicorn is missing. The module creates its
`doublethink.Rethinker` at import, which connects only on a query. We import
the module, without the server: its views are the module's `@app.route`
functions (most with two or four stacked rules, a catch-all with
`defaults=`).

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

work = tempfile.mkdtemp(prefix="realapps-brozzler-")
os.chdir(work)

from brozzler.dashboard import app  # noqa: E402

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
