"""Import pgAdmin 4's WSGI entry module (pgAdmin4.py), which builds the app, and dump it.

pgAdmin keeps its config database (SQLite) under $HOME/.pgadmin in desktop
mode; setup.sh runs this with a temporary HOME. No PostgreSQL server is
needed to build the app: connections are only made per request.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

import importlib.util  # noqa: E402

spec = importlib.util.find_spec("pgadmin4")
root = list(spec.submodule_search_locations)[0]
sys.path.insert(0, root)
os.environ.setdefault("PGADMIN_SERVER_MODE", os.environ.get("REALAPPS_PGADMIN_MODE", "OFF"))
sys.argv = [os.path.join(root, "pgAdmin4.py")]

import pgAdmin4  # noqa: E402  (the WSGI module: builds `app` at import, serves only under __main__)

app = pgAdmin4.app
dump(app, server_mode=os.environ["PGADMIN_SERVER_MODE"])
sys.stdout.flush()
os._exit(0)
