"""Build ViggoParceiroV2's REST service as its `SystemFlask()` does, and dump the routes.

`viggoparceirov2.SystemFlask` (a subclass of `viggocorev2.SystemFlask`, itself
a `flask.Flask` subclass) is the application: its `__init__` passes the
package's `system` (one subsystem, `parceiro`) and `viggolocalv2.system` to
the core's `__init__`, which reads `VIGGOPARCEIRO_DATABASE_URI` (the
subclass's `configure`), creates the tables (`db.create_all()`), joins the
subsystems of the core (users, domains, roles, policies, files, ...), of
viggolocal and of the app, and registers each subsystem (a `Blueprint`
subclass whose routers list their rules) before adding `/`. A deployment
makes one instance (`app = SystemFlask()`) for its WSGI server.

We make that instance with `VIGGOPARCEIRO_DATABASE_URI` naming an SQLite
file in a temporary folder (the package's comment gives MySQL or
PostgreSQL), without a server and without the `bootstrap` command.

Stubs: the tables are not created (`db.create_all()` does nothing): the
models are written for PostgreSQL (tables in its `public` schema, one
schema per tenant, composite keys with autoincrement) and no PostgreSQL
server runs here; nothing else touches the database while the app is built.
Nothing may leave the machine (`runtime/_offline.py`: sockets and DNS
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

work = tempfile.mkdtemp(prefix="realapps-viggoparceiro-")
os.chdir(work)
for key in [k for k in os.environ if k.startswith(("VIGGO", "ERROR_LOGS", "PERMISSOES_"))]:
    del os.environ[key]
os.environ["VIGGOPARCEIRO_DATABASE_URI"] = "sqlite:///" + os.path.join(work, "viggoparceiro.db")

import viggoparceirov2  # noqa: E402
from viggocorev2 import database  # noqa: E402

database.db.create_all = lambda *args, **kwargs: None  # the models need PostgreSQL

app = viggoparceirov2.SystemFlask()

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
