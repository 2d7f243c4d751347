"""Build Panoptes (panoptes-ui) as the `panoptes` command does, and dump the routes.

`panoptes` (`panoptes:main`, in `panoptes/panoptes.py`) imports
`panoptes.app`, whose module-level `app` registers the `routes` blueprint
(defined in `panoptes/routes/__init__.py`, its views in
`panoptes/routes/api.py`, star-imported back) and creates the SQLite tables
(`init_db()`) of the database named by `PANOPTES_DB_URL` (default
`.panoptes.db` in the working folder), then runs the app. We import
`panoptes.app` in a temporary folder, with the database there, without
running the server.

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

work = tempfile.mkdtemp(prefix="realapps-panoptes-")
os.chdir(work)
os.environ["PANOPTES_DB_URL"] = "sqlite:///" + os.path.join(work, ".panoptes.db") + "?check_same_thread=False"

from panoptes.app import app  # noqa: E402

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
