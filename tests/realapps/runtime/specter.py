"""Build Specter Desktop's Flask app as `cryptoadvance.specter server` does, and dump the routes.

The `server` click command (`cryptoadvance.specter.cli.cli_server`) calls
`create_app()` (ProductionConfig unless `SPECTER_CONFIG` names another),
pushes an app context and calls `init_app(app, hwibridge=False)`, which
creates the `Specter` object in `SPECTER_DATA_FOLDER` (default
`~/.specter`, under the fresh HOME), lets the `ExtensionManager` load the
extensions (the ones bundled in the wheel and the `specterext` packages
installed as dependencies) and register their blueprints, registers the HWI
blueprints, and imports `server_endpoints.controller`, which registers the
core blueprints on `current_app`. We set `SPECTER_API_ACTIVE=True`, which
adds the REST API blueprint (a superset of the default, as pgAdmin's server
mode), and do the same as the command, stopping before `app.run`.

No Bitcoin Core node is configured, so none is contacted. The hardware
wallet bridge probes two simulators on local ports (Specter DIY's 8789,
Jade's 30121) and a version check asks PyPI; all three are refused, and
Specter then runs without them, as on a machine without them
(`refused_connections` lists them).

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

work = tempfile.mkdtemp(prefix="realapps-specter-")
os.chdir(work)  # no .env here
os.environ["SPECTER_API_ACTIVE"] = "True"

from cryptoadvance.specter.server import create_app, init_app  # noqa: E402

app = create_app()
app.app_context().push()
init_app(app, hwibridge=False)
dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
