"""Build Planetmint's HTTP API as `planetmint start` does, and dump the routes.

`planetmint start` (`planetmint.start.start`) starts the web API with
`planetmint.web.server.create_server(settings=Config().get()["server"],
log_config=..., planetmint_factory=Validator)`, which calls the factory
`create_app(...)` and wraps the app in a gunicorn application; the ABCI
server for Tendermint and the websocket server run in other processes.
`create_app` makes `Flask(__name__)`, CORS and a lazy pool of validators
(one made on the first request), and `planetmint.web.routes.add_routes(app)`
makes one Flask-RESTful `Api(app, prefix=...)` per section of a table and
adds each row's resource with `api.add_resource(resource, pattern, ...)`.

We call `create_server` with the default configuration (Tarantool is not
contacted while the app is built) and take its `application`, without
running gunicorn.

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

work = tempfile.mkdtemp(prefix="realapps-planetmint-")
os.chdir(work)
for key in [k for k in os.environ if k.startswith("PLANETMINT_")]:
    del os.environ[key]

from planetmint.application.validator import Validator  # noqa: E402
from planetmint.config import Config  # noqa: E402
from planetmint.web.server import create_server  # noqa: E402

server = create_server(settings=Config().get()["server"], log_config=Config().get()["log"],
                       planetmint_factory=Validator)

dump(server.application, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
