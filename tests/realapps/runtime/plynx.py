"""Build PLynx's API server and worker server, and dump the routes of both.

PLynx has two Flask apps, each served by a `plynx` subcommand
(`plynx.bin.cli`): `plynx api` imports `run_api` from `plynx.web.common`
(importing the `plynx.web` package, whose `__init__` imports the six view
modules that add `@app.route` views to `plynx.web.common.app`), checks the
MongoDB connection and calls `app.run()`; `plynx worker-server` imports
`run_worker_server` from `plynx.service.worker_server` (its own
module-level app with one view) and calls `app.run()`.

We import both modules as the two subcommands do, with a `config.yaml`
naming a MongoDB host (never contacted: the check and the servers are not
run) and an empty `plugins` section (the package reads its four lists at
import; a deployment's list of resource, operation, hub and workflow
plugins configures what the pipelines can do, not the routes), and dump the union of both url_maps, each route tagged `api` or
`worker`.

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

work = tempfile.mkdtemp(prefix="realapps-plynx-")
os.chdir(work)
with open("config.yaml", "w", encoding="utf-8") as fh:
    fh.write(
        "mongodb:\n  host: mongodb.example.org\n  port: 27017\n"
        "plugins:\n  resources: []\n  operations: []\n  hubs: []\n  workflows: []\n"
    )
os.environ["PLYNX_CONFIG_PATH"] = os.path.join(work, "config.yaml")

from plynx.web.common import app as api_app  # noqa: E402
from plynx.service.worker_server import app as worker_app  # noqa: E402

routes = []
counts = {}
for name, flask_app in (("api", api_app), ("worker", worker_app)):
    rules = collect(flask_app)
    counts[name] = len(rules)
    for r in rules:
        r["flask_app"] = name
        routes.append(r)
routes.sort(key=lambda r: (r["rule"], r["endpoint"], r["flask_app"]))
dump(api_app, routes=routes, flask_apps=counts, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
