"""Build Shell History's web app as `shellhistory-web` serves it, and dump the routes.

`shellhistory-web` (`shellhistory:web`, i.e. `shellhistory._internal.cli.web`)
imports `shellhistory._internal._app` and runs its module-level `app`. The
module builds the app at import: it creates the history database's tables
(SQLite, under `$HOME` or `SHELLHISTORY_DB`), adds a Flask-Admin `Admin`
with one `ModelView` subclass (`HistoryModelView`) over the history table,
and its own views with `@app.route`. We import the module with the
database in a temporary folder, without running the server.

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

work = tempfile.mkdtemp(prefix="realapps-shellhistory-")
os.chdir(work)
os.environ["SHELLHISTORY_DB"] = os.path.join(work, "shellhistory.db")

from shellhistory._internal._app import app  # noqa: E402

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
