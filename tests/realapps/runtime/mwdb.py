"""Build MWDB Core's Flask app as its server does, and dump the routes.

MWDB Core (CERT Polska's malware repository) is served by gunicorn from
`mwdb.app:app` (`mwdb-core run` is `flask run` on the same module): a
module-level Flask app created in `mwdb.core.app`, whose REST resources are
added at import of `mwdb.app` through a project `Service` object
(`api.add_resource(Resource, url, ...)`, a blueprint under `/api`), some of
them only under configuration switches, plugins loaded from the configuration
(`load_plugins`), and the blueprint registered at the end (`api.register()`).
The configuration comes from `mwdb.ini` files or `MWDB_*` environment
variables (`mwdb.core.config`). We set only the two required keys
(`postgres_uri`: a PostgreSQL URI whose engine is never connected to;
`secret_key`), switch OpenID Connect on (`enable_oidc`: eight more
resources, a superset of the default, as pgAdmin's server mode), and switch
ssdeep off (`enable_ssdeep = 0`, as its error message says to: it needs the
system library libfuzzy, which this machine lacks; it registers no route).
No Redis URI: the metrics endpoint `/api/varz` exists only with Redis, a
service. No plugins are configured (none ships with the package).

Stubs: nothing may leave the machine (`runtime/_offline.py`: sockets, DNS
and every SQLAlchemy dialect refused; `refused_connections` lists any try).
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network(), refuse_databases()
refuse_network()

work = tempfile.mkdtemp(prefix="realapps-mwdb-")
os.chdir(work)  # mwdb.ini is looked up in the working directory: none here
os.environ.update({
    "MWDB_POSTGRES_URI": "postgresql://mwdb:realapps@127.0.0.1:5432/mwdb",
    "MWDB_SECRET_KEY": "realapps-not-a-secret",
    "MWDB_ENABLE_OIDC": "1",
    "MWDB_ENABLE_SSDEEP": "0",
})

refuse_databases()
from mwdb.app import app  # noqa: E402

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
