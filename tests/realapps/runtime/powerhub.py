"""Build PowerHub's web app as `powerhub` does before serving it, and dump the routes.

`powerhub` (`powerhub.__main__:main`) parses its command line and makes a
`PowerHubApp(args)`, whose constructor creates the workspace folders, the
Flask app (`init_flask`: `Flask(__name__, static_url_path='/invalid')` with
the blueprint of `powerhub.flask` registered), its SQLite database, the
Socket.IO server and the module watchdog; `run()` then starts the WebDAV
server, the Flask server behind a Twisted reverse proxy. We parse
`--workspace-directory <tmp> --no-auth localhost` (the host the targets
reach the server at) and make the `PowerHubApp`, without
`run()`. The truth is the union of the url_maps of the package's two
Flask apps, each route tagged with its app (`flask_app`): the constructor's
`flask_app` (the app the reverse proxy forwards to) and the module-level
`hidden_app` of `powerhub.hiddenapp`, which the blueprint's catch-all view
serves through `hidden_app.test_client()` (its attributes are set by the
constructor's `set_flask_app_attributes()`).

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

work = tempfile.mkdtemp(prefix="realapps-powerhub-")
os.chdir(work)

from powerhub.args import parse_args  # noqa: E402
from powerhub.app import PowerHubApp  # noqa: E402

args = parse_args(["--workspace-directory", os.path.join(work, "workspace"), "--no-auth", "localhost"])
hub = PowerHubApp(args)

from powerhub.hiddenapp import hidden_app  # noqa: E402

routes = []
counts = {}
for name, app in (("flask_app", hub.flask_app), ("hidden_app", hidden_app)):
    rules = collect(app)
    counts[name] = len(rules)
    for r in rules:
        r["flask_app"] = name
        routes.append(r)
routes.sort(key=lambda r: (r["rule"], r["endpoint"], r["flask_app"]))
dump(hub.flask_app, routes=routes, flask_apps=counts, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
