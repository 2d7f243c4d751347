"""Build FlexGet's web server Flask apps as its daemon does, and dump their routes.

`flexget daemon start` with a `web_server:` section (and `web_ui: true`,
`run_v1: true`) loads the plugins (`flexget.plugin.load_plugins()`, which
imports every module of `flexget/plugins` and `flexget/components`, among
them the ~30 `api.py` modules adding Flask-RESTX namespaces to the API app)
and then mounts four Flask apps on one WSGI server through
`flexget.webserver.register_app(path, app, name)`:

- `flexget.api.app:api_app` under `/api`,
- `flexget.ui.v1:webui_app` under `/v1/` (only with `run_v1`),
- `flexget.ui.v2:webui_app` under `/`,
- `flexget.webserver._default_app` (the start page redirect).

Each is a Flask app with its own url_map; the mount paths belong to the WSGI
dispatcher, not to Flask. The truth is the union of the four url_maps, each
rule as Flask holds it (without the mount path), every route tagged with
the import name of its app (`flask_app`). We load the plugins as the daemon
does (without a user config folder: no user plugins) and import the four
modules; `register_web_server` only mounts them and starts the server.

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

work = tempfile.mkdtemp(prefix="realapps-flexget-")
os.chdir(work)

from flexget import plugin  # noqa: E402

plugin.load_plugins()

from flexget.api.app import api_app  # noqa: E402
from flexget.ui.v1 import webui_app as webui_v1  # noqa: E402
from flexget.ui.v2 import webui_app as webui_v2  # noqa: E402
from flexget.webserver import _default_app  # noqa: E402

apps = [api_app, webui_v1, webui_v2, _default_app]
routes = []
for a in apps:
    for r in collect(a):
        r["flask_app"] = a.import_name
        routes.append(r)
routes.sort(key=lambda r: (r["rule"], r["endpoint"], r["flask_app"]))
dump(api_app, routes=routes, flask_apps={a.import_name: len(list(a.url_map.iter_rules())) for a in apps},
     refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
