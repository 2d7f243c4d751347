"""Build Archivy's Flask app as `archivy run` does, and dump the routes.

`archivy` (`archivy.cli`) imports the package, whose `__init__` builds a
module-level app: `Config()` (data folder from ARCHIVY_INTERNAL_DIR_PATH,
else the user's data folder), an optional user config file, the `api`
blueprint under `/api`, then `from archivy import routes` for the views.
We point ARCHIVY_INTERNAL_DIR_PATH at a temporary folder with no config
file (search stays disabled, as by default) and import the package.

Stubs: nothing may leave the machine (`runtime/_offline.py`).
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network()

work = tempfile.mkdtemp(prefix="realapps-archivy-")
os.chdir(work)
os.environ["ARCHIVY_INTERNAL_DIR_PATH"] = os.path.join(work, "archivy")

from archivy import app  # noqa: E402

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
