"""Build BabyAGI's function dashboard as its README's `main.py` does, and dump the routes.

The package's README runs `app = babyagi.create_app('/dashboard')` then
`app.run(...)`: importing `babyagi` makes the module-level `Functionz()`
framework (an SQLite database in the working folder); the factory strips the
leading slash of the dashboard route, makes the dashboard blueprint and the
API blueprint with the factories `create_dashboard(...)` and
`create_api_blueprint()` (views defined inside them with `@bp.route`), and
registers them (`url_prefix=f'/{dashboard_route}'` and the API's own
`/api`).

We call `create_app('/dashboard')` in a temporary folder, without the
server and without loading a function pack (which adds no route).

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

work = tempfile.mkdtemp(prefix="realapps-babyagi-")
os.chdir(work)

import babyagi  # noqa: E402

app = babyagi.create_app("/dashboard")

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
