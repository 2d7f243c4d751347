"""Import pgAdmin 4's WSGI entry module (pgAdmin4.py), which builds the app, and dump it.

Server mode (PGADMIN_SERVER_MODE=ON, as in a web deployment): its routes are
a strict superset of desktop mode's (password reset/change, Kerberos, MFA).
A `config_local.py` written to a temporary folder moves DATA_DIR and the log
file from /var/lib/pgadmin and /var/log/pgadmin into the temporary HOME that
setup.sh provides; the config database is SQLite and the first user comes
from PGADMIN_SETUP_EMAIL/PASSWORD. No PostgreSQL server is needed to build
the app: connections are only made per request.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

import importlib.util  # noqa: E402
import tempfile  # noqa: E402

spec = importlib.util.find_spec("pgadmin4")
root = list(spec.submodule_search_locations)[0]
sys.path.insert(0, root)
os.environ.setdefault("PGADMIN_SERVER_MODE", os.environ.get("REALAPPS_PGADMIN_MODE", "ON"))
os.environ.setdefault("PGADMIN_SETUP_EMAIL", "realapps@example.com")
os.environ.setdefault("PGADMIN_SETUP_PASSWORD", "realapps-not-a-password")
home = tempfile.mkdtemp(prefix="realapps-pgadmin-")
with open(os.path.join(home, "config_local.py"), "w") as fh:
    fh.write(f"DATA_DIR = {os.path.join(home, 'data')!r}\n")
    fh.write(f"LOG_FILE = {os.path.join(home, 'pgadmin4.log')!r}\n")
sys.path.append(home)
sys.argv = [os.path.join(root, "pgAdmin4.py")]

import pgAdmin4  # noqa: E402  (the WSGI module: builds `app` at import, serves only under __main__)

app = pgAdmin4.app
dump(app, server_mode=os.environ["PGADMIN_SERVER_MODE"])
sys.stdout.flush()
os._exit(0)
