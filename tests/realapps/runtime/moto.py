"""Build Moto's server apps as `moto_server` does, and dump the routes.

`moto_server` (`moto.server:main`) serves a `DomainDispatcherApplication`
with werkzeug's `run_simple`: for each request it picks a backend from the
Host header (the patterns of `moto.backend_index.backend_url_patterns`, or
`moto_api` for `/moto-api` paths) and builds that backend's Flask app once
with `moto.moto_server.werkzeug_app.create_backend_app(service)`, which
adds one rule per entry of the backend's `flask_paths` (the service's
`url_paths` dictionary with `{0}` filled from its `url_bases`) in a loop,
every HTTP method on each. The truth is the union of the url_maps of every
app the dispatcher can build: one per backend named in
`backend_url_patterns`, plus `moto_api`; each rule as that Flask app holds
it, each route tagged with its service (`flask_app`). The same rule in
several services is one (rule, method) pair.

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

work = tempfile.mkdtemp(prefix="realapps-moto-")
os.chdir(work)

from moto.backend_index import backend_url_patterns  # noqa: E402
from moto.moto_server.werkzeug_app import create_backend_app  # noqa: E402

services = sorted({name for name, _pattern in backend_url_patterns} | {"moto_api"})
routes = []
counts = {}
for service in services:
    app = create_backend_app(service)
    rules = collect(app)
    counts[service] = len(rules)
    for r in rules:
        r["flask_app"] = service
        routes.append(r)
routes.sort(key=lambda r: (r["rule"], r["endpoint"], r["flask_app"]))
dump(app, routes=routes, flask_apps=counts, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
