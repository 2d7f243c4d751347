"""Build AiiDA's REST API Flask app as `verdi restapi` does, and dump the routes.

`verdi restapi` calls `aiida.restapi.run_api.run_api(...)`, which builds
the app with `configure_api(...)` and then calls `app.run`.
`configure_api` reads the REST API's `config.py` (the default one in
`aiida/restapi/common/`), creates an `App` (a Flask subclass) and wraps it
in `AiidaApi` (a Flask-RESTful `Api` subclass whose constructor adds every
resource). We call `configure_api(posting=True)` (the default of `verdi
restapi --posting`, which adds `/querybuilder/`) and dump `api.app`. No
profile is loaded: the storage is opened by requests only.

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

work = tempfile.mkdtemp(prefix="realapps-aiida-")
os.chdir(work)

from aiida.restapi.run_api import configure_api  # noqa: E402

api = configure_api(posting=True)
dump(api.app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
