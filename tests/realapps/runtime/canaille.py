"""Build Canaille's Flask app as its server does, and dump the routes.

`canaille run` serves `canaille.hypercorn.app.create_app()`, which calls the
app factory `canaille.create_app(config=...)` and wraps the Flask app for
ASGI (WSGI deployments call `canaille.create_app()` directly). The factory
reads the configuration (a dict, a TOML file or environment variables),
sets up the backend and registers the blueprints; the OpenID Connect and
SCIM blueprints only when those features are configured. The package is
installed with its optional extras (`front`, `oidc`, `scim`, `sqlite`,
`otp`, `fido`, `sms`, `captcha`), and we pass a configuration with the SQL
backend on a SQLite file in a temporary folder, OpenID Connect on
(`CANAILLE_OIDC.ENABLE_OIDC`) and the SCIM server on
(`CANAILLE_SCIM.ENABLE_SERVER`): a superset of the default, as pgAdmin's
server mode. The SQL backend creates and migrates its SQLite database while
the app is built.

Stubs: nothing may leave the machine (`runtime/_offline.py`: sockets, DNS
and every SQLAlchemy dialect but SQLite refused).
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network(), refuse_databases()
refuse_network()
refuse_databases(allow=("sqlite",))

work = tempfile.mkdtemp(prefix="realapps-canaille-")
os.chdir(work)  # no canaille.toml or .env here

from canaille.hypercorn.app import create_app  # noqa: E402

app = create_app(
    config={
        "SECRET_KEY": "realapps-not-a-secret",
        "CANAILLE_SQL": {"DATABASE_URI": f"sqlite:///{os.path.join(work, 'canaille.sqlite')}"},
        "CANAILLE_OIDC": {"ENABLE_OIDC": True},
        "CANAILLE_SCIM": {"ENABLE_SERVER": True},
    },
    env_file=None,
    wrap_asgi=False,
)
dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
