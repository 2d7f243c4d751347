"""Build NVIDIA FLARE's Flask apps as its commands run them, and dump the routes.

NVFlare (a federated-learning runtime of ~1,200 Python files) serves three
Flask apps:

- the dashboard: `nvflare dashboard --start` runs `python3 -m
  nvflare.dashboard.wsgi` in a container (`--local`: in a subprocess), with
  `NVFL_CREDENTIAL` (the first project admin's `email:password:org`) and
  the web root in its environment. The WSGI module calls `init_app()`,
  which creates `Flask(__name__, static_url_path="", static_folder=...)`,
  binds Flask-SQLAlchemy and Flask-JWT-Extended, and inside an app context
  imports the `clients`, `project` and `users` modules, whose views are
  added with `@app.route(FLARE_DASHBOARD_NAMESPACE + "/api/v1/...")` on
  `app`, the `current_app` proxy they import under that name; it then
  creates the SQLite database and seeds the admin user;
- the edge routing proxy: `python -m nvflare.edge.web.routing_proxy <port>
  <mapping> <ca_cert>` (the command the provisioning of `nvflare.lighter`
  writes), whose `__main__` block registers the `feg` blueprint of
  `nvflare.edge.web.views.feg_views` on the module-level app and runs it;
- the edge web server: `nvflare.edge.web.web_server.run_server(host, port)`,
  which registers the same blueprint on its own module-level app and runs
  it.

We set the dashboard's environment (a web root and a credential in a
temporary folder) and import the WSGI module, then make the two edge apps'
registrations as their entry points do (the routing proxy's query, which
reads the mapping and certificate files, is not started), without running
any server. The truth is the union of the three url_maps, each route tagged
with its app (`flask_app`).

Stubs: nothing may leave the machine (`runtime/_offline.py`: sockets and DNS
refused).
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump(), collect()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network()

work = tempfile.mkdtemp(prefix="realapps-nvflare-")
os.chdir(work)
os.environ["NVFL_WEB_ROOT"] = os.path.join(work, "dashboard")
os.environ["NVFL_CREDENTIAL"] = "admin@example.com:realapps-password:realapps"
os.environ["SECRET_KEY"] = "realapps"

from nvflare.dashboard.wsgi import app as dashboard_app  # noqa: E402
from nvflare.edge.web import routing_proxy, web_server  # noqa: E402
from nvflare.edge.web.views.feg_views import feg_bp  # noqa: E402

# routing_proxy's `__main__` block, without api_query.start() and app.run()
routing_proxy.app.json = routing_proxy.FilteredJSONProvider(routing_proxy.app)
routing_proxy.app.register_blueprint(feg_bp)
# web_server.run_server(), without app.run()
web_server.app.json = web_server.FilteredJSONProvider(web_server.app)
web_server.app.register_blueprint(feg_bp)

routes = []
counts = {}
for name, app in (("dashboard", dashboard_app), ("routing_proxy", routing_proxy.app),
                  ("web_server", web_server.app)):
    rules = collect(app)
    counts[name] = len(rules)
    for r in rules:
        r["flask_app"] = name
        routes.append(r)
routes.sort(key=lambda r: (r["rule"], r["endpoint"], r["flask_app"]))
dump(dashboard_app, routes=routes, flask_apps=counts, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
