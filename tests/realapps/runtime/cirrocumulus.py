"""Build cirrocumulus's server as `cirro launch` / `cirro serve` do, and dump the routes.

Both commands (`cirrocumulus.launch.main`, `cirrocumulus.serve`) call the
factory `cirrocumulus.launch.create_app()`: `Flask(__name__,
static_folder=<package>/client, static_url_path="")`, the module-level
`cirro_blueprint` of `cirrocumulus.api` registered under `/api`, one
`@app.route("/")` view defined inside the factory, then Flask-Compress.
`launch` then configures a local database of the datasets given and runs
the development server; `serve` configures MongoDB or Firestore and is run
by gunicorn.

We call `create_app()` with no dataset, without a server.

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

work = tempfile.mkdtemp(prefix="realapps-cirrocumulus-")
os.chdir(work)

from cirrocumulus.launch import create_app  # noqa: E402

app = create_app()

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
