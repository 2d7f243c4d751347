"""Build the Superset Extender app with its factory, as its commands do, and dump the routes.

Superset Extender is served as `supextend.app:create_app()`: by the
`supextend` command (a Flask `FlaskGroup` whose `create_app` is the
factory, so `supextend run`) and by `supextend.cli.waitress_server`
(waitress). Its configuration comes from environment variables read at
import (`supextend.config`): `supextend.initialization` refuses to import
without a Superset URL and credentials, and checks that the metastore's
schema exists (`SCHEMA_NAME`, `main` by default, which an SQLite database
always has). `ConfigExtenderUI` writes a Keycloak `client_secrets.json` into
the working folder at import. We set the Superset URL and credentials, an
SQLite metastore in a temporary folder, and call `create_app()` from that
folder; Keycloak is not configured (the defaults: OAuth off).

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

work = tempfile.mkdtemp(prefix="realapps-supextend-")
os.chdir(work)
os.environ.update({
    "SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.path.join(work, "metastore.db"),
    "SUPERSET_BASE_URL": "http://localhost:8088",
    "SUPERSET_USERNAME": "admin",
    "SUPERSET_ADMIN_PASSWORD": "admin",
    "SECRET_KEY": "realapps-secret-key-0123456789",
})

from supextend.app import create_app  # noqa: E402

app = create_app()
dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
