"""Build the OpenCTF server's two Flask apps as its commands serve them, and dump the routes.

`openctf-server` (`openctf_server.cli:main`) serves the module-level app of
`openctf_server.app` (the CTF platform's API); `openctf-server-target`
(`openctf_server.cli:target`) serves the module-level `target_app` of
`openctf_server.target_app` (the sandboxed target website the challenges
attack). Both are built at import. We import both modules in a temporary
folder (`DATABASE_URL` puts the platform's SQLite database there), without running a
server, and dump the routes of both apps (each route carries `flask_app`);
the document's own fields are the platform app's.

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

work = tempfile.mkdtemp(prefix="realapps-openctf-")
os.chdir(work)
# The platform's database: SQLite in the temporary folder (the default is
# `instance/ctf.db` inside the installed package).
os.environ["DATABASE_URL"] = "sqlite:///" + os.path.join(work, "ctf.db")

from openctf_server.app import app  # noqa: E402
from openctf_server.target_app import target_app  # noqa: E402

apps = {"app": app, "target_app": target_app}
routes = []
for name, a in apps.items():
    for r in collect(a):
        r["flask_app"] = name
        routes.append(r)
routes.sort(key=lambda r: (r["rule"], r["endpoint"], r["flask_app"]))
dump(app, routes=routes, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
