"""Build signac-dashboard as its `signac-dashboard` command does, and dump the routes.

`signac-dashboard` (`signac_dashboard.__main__:main`) finds the signac
project of the current folder and makes
`Dashboard(modules=[StatepointList(), DocumentList(), ImageViewer()],
project=project)`, whose constructor creates the Flask app
(`_create_app`: `Flask("signac-dashboard")` with the package's static and
template folders), its assets and login manager, and registers the routes
(`_register_routes`: three `@dashboard.app.route` views and eight views added
by `add_url(...)`, a loop over rules calling `app.add_url_rule` with a
`LazyView`), then the modules' own routes; `.main()` parses `run` and serves
it. We initialise a signac project with one job in a temporary folder and
make the same `Dashboard`, without `.main()`.

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

work = tempfile.mkdtemp(prefix="realapps-signacdashboard-")
os.chdir(work)

import signac  # noqa: E402

project = signac.init_project(work)
project.open_job({"a": 1}).init()

from signac_dashboard import Dashboard  # noqa: E402
from signac_dashboard.modules import DocumentList, ImageViewer, StatepointList  # noqa: E402

dashboard = Dashboard(modules=[StatepointList(), DocumentList(), ImageViewer()], project=project)

dump(dashboard.app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
