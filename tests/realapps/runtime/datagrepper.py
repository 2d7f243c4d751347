"""Build datagrepper as its WSGI deployment does, and dump the routes.

datagrepper (Fedora's HTTP API over the datanommer message archive) is
served as `datagrepper.app:app` (gunicorn in the `deploy` extra): the
module-level `app = Flask(__name__)` configured from
`datagrepper.default_config` and, when `DATAGREPPER_CONFIG` is set, from that
file; at import it calls `datanommer.models.init(...)` with the configured
URL (an SQLAlchemy engine, which connects only on a query), registers
flask-healthz's blueprint under `/healthz`, adds its views with
`@app.route` (some stacked: `/raw` and `/v2/search`, `/id` and `/v2/id`)
and imports `datagrepper.widgets` at its end, which imports the app back
and adds `/widget.js`. We import the module with the shipped default
configuration (a PostgreSQL URL that is never connected to), without the
server.

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

work = tempfile.mkdtemp(prefix="realapps-datagrepper-")
os.chdir(work)
os.environ.pop("DATAGREPPER_CONFIG", None)

from datagrepper.app import app  # noqa: E402

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
