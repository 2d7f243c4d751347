"""Build Scout's Flask app as its WSGI module does, and dump the routes.

Scout is served from `scout.server.auto:app` (gunicorn in its container
images; `scout serve` is deprecated), which calls
`create_app(config_file=os.environ["SCOUT_CONFIG"])`: the factory loads
the package defaults and the Python config file, initialises the extensions
(MongoDB client and adapter, login manager, mail, ClinVar API; the
optional ones, such as Chanjo, LoqusDB, Matchmaker Exchange or Gens, only
when their settings are present: none here) and registers the blueprints. We
write a config file with a secret key and the database name into a
temporary folder, point `SCOUT_CONFIG` at it and import `scout.server.auto`.

Stubs: nothing may leave the machine (`runtime/_offline.py`: sockets and DNS
refused). `get_connection` asks MongoDB (`localhost:27017`) for its server
info while the app is built; the refused connection is retried until
PyMongo's server-selection timeout (30 s), then Scout logs the error and
goes on, as it does when its database is down.
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network()

work = tempfile.mkdtemp(prefix="realapps-scout-")
os.chdir(work)
with open("scout_config.py", "w") as fh:
    fh.write('SECRET_KEY = "realapps-not-a-secret"\nMONGO_DBNAME = "scout"\n')
os.environ["SCOUT_CONFIG"] = os.path.join(work, "scout_config.py")

from scout.server.auto import app  # noqa: E402

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
