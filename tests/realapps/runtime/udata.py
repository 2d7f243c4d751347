"""Build udata's Flask app as its WSGI module does, and dump the routes.

`udata.wsgi` (what udata's gunicorn/uwsgi deployments serve) is
`standalone(create_app())`: `create_app()` builds the `UDataApp` (a Flask
subclass) from `udata.settings.Defaults` and the file named by
`UDATA_SETTINGS` (default `./udata.cfg`), and registers the extensions;
`standalone(app)` initialises the core modules, the frontend, the API (two
Flask-RESTX `UDataApi` objects on their blueprints) and the plugins of the
`udata.plugins` entry-point group (none is installed). udata refuses to
start without `SECRET_KEY` and `API_TOKEN_SECRET`; we write a `udata.cfg`
with those two in a temporary folder, point `UDATA_SETTINGS` at it, and do
what `udata.wsgi` does. MongoDB (MongoEngine) and Elasticsearch are only
used by requests and commands; nothing connects while the app is built.

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

work = tempfile.mkdtemp(prefix="realapps-udata-")
os.chdir(work)
settings = os.path.join(work, "udata.cfg")
with open(settings, "w") as fh:
    fh.write("SECRET_KEY = 'realapps-not-a-secret'\n"
             "API_TOKEN_SECRET = 'realapps-not-a-secret'\n")
os.environ["UDATA_SETTINGS"] = settings

from udata.app import create_app, standalone  # noqa: E402

app = standalone(create_app())
dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
