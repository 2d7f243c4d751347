"""Build the Pegasus service app as `pegasus-service` does, and dump the routes.

`pegasus-service` (`Pegasus.service.server:main`) calls `run()`, which
builds `create_app(env=os.getenv("FLASK_ENV", "development"))` and serves
it: the factory loads the default settings and `~/.pegasus/service.py` (none
here: HOME is fresh), then calls `configure_<name>(app)` for each name in
the module-level `services` list, which register the dashboard and the
monitoring API blueprints. We call `create_app` the same way in a temporary
folder.

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

work = tempfile.mkdtemp(prefix="realapps-pegasus-")
os.chdir(work)

from Pegasus.service.server import create_app  # noqa: E402

app = create_app(env=os.getenv("FLASK_ENV", "development"))
dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
