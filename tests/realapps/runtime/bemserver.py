"""Build BEMServer API's Flask app as its WSGI entry point does, and dump the routes.

BEMServer API is served as `bemserver_api:create_app()` (gunicorn, `flask
--app bemserver_api run`). The factory reads `bemserver_api.settings.Config`
and the file named by BEMSERVER_API_SETTINGS_FILE (optional), sets up the
Flask-Smorest `Api`, registers the resource blueprints
(`bemserver_api.resources.register_blueprints(api)`) and builds
`bemserver_core.BEMServerCore()`, which needs BEMSERVER_CORE_SETTINGS_FILE
(a Python file; SQLALCHEMY_DATABASE_URI is required). We write both files
into a temporary folder: a SECRET_KEY for the API, a PostgreSQL URI (the
only database BEMServer supports; the engine is only created, never
connected to, while the app is built) for the core.

Stubs: nothing may leave the machine (`runtime/_offline.py`: sockets, DNS,
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
refuse_databases()

work = tempfile.mkdtemp(prefix="realapps-bemserver-")
os.chdir(work)
api_settings = os.path.join(work, "api_settings.py")
with open(api_settings, "w") as fh:
    fh.write("SECRET_KEY = 'realapps-not-a-secret'\n")
core_settings = os.path.join(work, "core_settings.py")
with open(core_settings, "w") as fh:
    fh.write("SQLALCHEMY_DATABASE_URI = 'postgresql+psycopg://realapps@localhost/bemserver'\n")
os.environ["BEMSERVER_API_SETTINGS_FILE"] = api_settings
os.environ["BEMSERVER_CORE_SETTINGS_FILE"] = core_settings

from bemserver_api import create_app  # noqa: E402

app = create_app()
dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
