"""Build RQ Dashboard's Flask apps as its two entry points do, and dump the routes.

RQ Dashboard has two ways to run: the `rq-dashboard` command
(`rq_dashboard.cli.run` → `make_flask_app(config, username, password,
url_prefix)` with the command line's default `--url-prefix ""`), and the
WSGI factory `rq_dashboard.app:create_app()` for Gunicorn, whose prefix is
`RQ_DASHBOARD_URL_PREFIX` (default `/rq-dashboard`). Both register the
`rq_dashboard.web.blueprint`. The truth is the union of both apps' rules,
each tagged with its entry point (`flask_app`), as for FlexGet.

No Redis is needed to build either app; nothing may leave the machine
(`runtime/_offline.py`).
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump(), collect()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network()

work = tempfile.mkdtemp(prefix="realapps-rqdashboard-")
os.chdir(work)
for key in [k for k in os.environ if k.startswith("RQ_DASHBOARD_")]:
    del os.environ[key]

from rq_dashboard.app import create_app  # noqa: E402
from rq_dashboard.cli import make_flask_app  # noqa: E402

apps = {"cli": make_flask_app(None, None, None, ""), "wsgi": create_app()}
routes = []
for tag, a in apps.items():
    for r in collect(a):
        r["flask_app"] = tag
        routes.append(r)
routes.sort(key=lambda r: (r["rule"], r["endpoint"], r["flask_app"]))
dump(apps["cli"], routes=routes, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
