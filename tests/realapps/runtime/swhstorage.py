"""Build the Software Heritage storage RPC server as its WSGI entry point does, and dump the routes.

`swh storage rpc-serve` and the gunicorn deployments serve
`swh.storage.api.server:make_app_from_configfile()`, which reads the YAML
configuration named by `SWH_CONFIG_FILENAME` (its `storage` section says
which backend to open, lazily, on the first request) into the module-level
`app`, a `StorageServerApp` (`swh.core.api.RPCServerApp`) whose constructor
adds one POST route per `@remote_api_endpoint` method of `StorageInterface`.
We write a configuration naming the in-memory backend (`cls: memory`) in a
temporary folder and call the factory, without the server. The installed
`swh` namespace also holds `swh.objstorage`, whose RPC server app
(`swh.objstorage.api.server:app`, built the same way from
`ObjStorageInterface`) is dumped too: both are apps of the scanned code.

Stubs: nothing may leave the machine (`runtime/_offline.py`: sockets and DNS
refused).
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump(), collect()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network()

work = tempfile.mkdtemp(prefix="realapps-swhstorage-")
os.chdir(work)
config = os.path.join(work, "storage.yml")
with open(config, "w") as f:
    f.write("storage:\n  cls: memory\n")
os.environ["SWH_CONFIG_FILENAME"] = config

from swh.storage.api.server import make_app_from_configfile  # noqa: E402

app = make_app_from_configfile()

# The installed `swh` namespace also holds swh.objstorage, whose RPC server
# (`swh objstorage rpc-serve`) is a second module-level app of the scanned
# code: its routes are dumped too, tagged by app.
from swh.objstorage.api.server import app as objstorage_app  # noqa: E402

routes = []
counts = {}
for name, flask_app in (("storage", app), ("objstorage", objstorage_app)):
    rules = collect(flask_app)
    counts[name] = len(rules)
    for r in rules:
        r["flask_app"] = name
        routes.append(r)
routes.sort(key=lambda r: (r["rule"], r["endpoint"], r["flask_app"]))
dump(app, routes=routes, flask_apps=counts, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
