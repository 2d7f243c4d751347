"""Build the Pegasus service app as `pegasus-service` does, and dump the routes.

`pegasus-service` (`Pegasus.service.server:main`) calls `run()`, which
builds `create_app(env=os.getenv("FLASK_ENV", "development"))` and serves
it: the factory loads the default settings and `~/.pegasus/service.py` (none
here: HOME is fresh), then calls `configure_<name>(app)` for each name in
the module-level `services` list, which register the dashboard and the
monitoring API blueprints. We call `create_app` the same way in a temporary
folder.

The package serves a second app: `pegasus-em server` (the ensemble
manager, `Pegasus.service.ensembles.commands`) runs `emapp`, the Flask app
that `Pegasus.service.ensembles` builds at import and whose views module
adds its rules. The truth is the union of both apps' rules, each tagged
with its entry point (`flask_app`), as for FlexGet and RQ Dashboard.

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

work = tempfile.mkdtemp(prefix="realapps-pegasus-")
os.chdir(work)

from Pegasus.service.server import create_app  # noqa: E402
from Pegasus.service.ensembles import emapp  # noqa: E402

apps = {"service": create_app(env=os.getenv("FLASK_ENV", "development")), "ensembles": emapp}
routes = []
for tag, a in apps.items():
    for r in collect(a):
        r["flask_app"] = tag
        routes.append(r)
routes.sort(key=lambda r: (r["rule"], r["endpoint"], r["flask_app"]))
dump(apps["service"], routes=routes, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
