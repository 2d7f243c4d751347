"""Build cg's web server app as its gunicorn server does, and dump the routes.

Clinical Genomics' `cg` serves `cg.server.auto:app` with gunicorn:
`create_app()` reads its settings from environment variables with defaults
(`AppConfig`, pydantic-settings; the default database is in-memory SQLite),
initialises the extensions (CORS, CSRF, the SQL store, the LIMS client,
Flask-Admin) and registers the API blueprints, the invoice blueprint, the
Flask-Dance Google login blueprint (a library's routes, not own), two
views of its own, and ~25 Flask-Admin model views. We import
`cg.server.auto` in a temporary folder with no settings in the environment.

Stubs: nothing may leave the machine (`runtime/_offline.py`: sockets and DNS
refused). `create_app()` downloads Google's OAuth signing certificates
(`requests.get("https://www.googleapis.com/oauth2/v1/certs")`) and keeps
them in the config; that one request is answered locally with an empty key
set (listed in `refused_connections`), so the app is built as it is with
the network up, minus the keys, which only logins use.
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network()

work = tempfile.mkdtemp(prefix="realapps-cg-")
os.chdir(work)

import requests  # noqa: E402

GOOGLE_CERTS = "https://www.googleapis.com/oauth2/v1/certs"
_get = requests.get


class _EmptyKeySet:
    ok = True
    status_code = 200

    def json(self):
        return {}


def _get_offline(url, *args, **kwargs):
    if url == GOOGLE_CERTS:
        refused.append(f"GET {url} (answered locally with an empty key set)")
        return _EmptyKeySet()
    return _get(url, *args, **kwargs)


requests.get = _get_offline

from cg.server.auto import app  # noqa: E402

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
