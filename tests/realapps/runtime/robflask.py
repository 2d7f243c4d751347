"""Build the ROB (Reproducible Open Benchmarks) web API as `flask run` does, and dump the routes.

The package's documented start is `FLASK_APP=robflask.api flask run`:
Flask finds the factory `robflask.api.create_app()`, which makes
`Flask(__name__)`, sets up CORS, a log file under `ROB_WEBAPI_LOG` and
error handlers, and registers the module-level blueprints of
`robflask.api.*` (imported inside the factory) under the API path that the
flowserv service gives (`FLOWSERV_API_PATH`, default `/flowserv/api/v1`);
a UI blueprint only when `ROB_UI_PATH` is set. Importing `robflask.service`
makes that service, flowserv's client API (`ClientAPI`: an SQLite database
and workflow files in its base folder, `FLOWSERV_API_DIR`).

We call `create_app()` with `ROB_WEBAPI_LOG` and flowserv's base folder in
a temporary folder, without a server.

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

work = tempfile.mkdtemp(prefix="realapps-robflask-")
os.chdir(work)
for key in [k for k in os.environ if k.startswith(("ROB_", "FLOWSERV_"))]:
    del os.environ[key]
os.environ["ROB_WEBAPI_LOG"] = os.path.join(work, "log")
os.environ["FLOWSERV_API_DIR"] = os.path.join(work, "flowserv")

from robflask.api import create_app  # noqa: E402

app = create_app()

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
