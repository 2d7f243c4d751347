"""Build XNAT Dashboards as its `run_dashboards.py` script does, and dump the routes.

The `run_dashboards.py` script installed with the distribution parses the
paths of a pickle of XNAT data (made by `download_data.py`) and of a JSON
configuration, imports `dashboards.config` and the module-level app of
`dashboards.app` (`Flask(__name__)` configured from `dashboards.config`,
with its root view and the `dashboard` and `auth` blueprints of two sibling
packages registered at import), sets the two paths on the config module and
runs the app. The files are only read on a request. We do the same with
paths in a temporary folder, without running the server.

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

work = tempfile.mkdtemp(prefix="realapps-xnatdashboards-")
os.chdir(work)

from dashboards import config  # noqa: E402
from dashboards.app import app  # noqa: E402

config.DASHBOARD_CONFIG_PATH = os.path.join(work, "config.json")
config.PICKLE_PATH = os.path.join(work, "data.pickle")

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
