"""Build kenboard's Flask app as its server does, and dump the routes.

`kenboard serve` runs gunicorn on `dashboard.app:create_app()` (`kenboard
dev` calls `create_app()` and `app.run`). The factory reads its settings
from environment variables (and a `.env` file in the working directory,
through python-dotenv) and refuses to start without `KENBOARD_SECRET_KEY`
when DEBUG is off. We set that key and the three OpenID Connect variables
(`OIDC_DISCOVERY_URL`, `OIDC_CLIENT_ID`, `OIDC_CLIENT_SECRET`), which make
`init_oidc(app)` register its login blueprint: a superset of the default, as
pgAdmin's server mode (Authlib registers the client without fetching the
discovery document). The MySQL database (PyMySQL) is only opened by
requests; nothing connects while the app is built.

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

work = tempfile.mkdtemp(prefix="realapps-kenboard-")
os.chdir(work)  # no .env here
os.environ.update({
    "KENBOARD_SECRET_KEY": "realapps-not-a-secret",
    "OIDC_DISCOVERY_URL": "https://idp.realapps.invalid/.well-known/openid-configuration",
    "OIDC_CLIENT_ID": "realapps",
    "OIDC_CLIENT_SECRET": "realapps-not-a-secret",
})

from dashboard.app import create_app  # noqa: E402

app = create_app()
dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
