"""Build Toil's WES server app as `toil server` does, and dump the routes.

`toil server` (`toil.utils.toilServer.main`) parses its options with
`toil.server.app.parser_with_server_options()` and calls `start_server`,
which builds the app with `create_app(args)` and serves it with gunicorn's
uvicorn worker. `create_app` makes a Connexion 3 `FlaskApp` whose
`add_api("workflow_execution_service.swagger.yaml")` (a Swagger 2 document
shipped in `toil/server/api_spec/`) resolves each `operationId` to a bound
method of a `ToilBackend` (`resolver=connexion.Resolver(
backend.resolve_operation_id)`), then adds four rules with
`flask_app.add_url_rule(..., view_func=backend.<method>)`. We parse the
default options with a work directory in a temporary folder (no Swagger UI,
no CORS: the defaults) and call `create_app(args)` without serving it.
Connexion adds the API's rules to the Flask app only when its middleware
stack is built, which the ASGI server does on the first call
(`ConnexionMiddleware.__call__`); we build it the same way
(`_build_middleware_stack()`) and dump `cxapp.app`.

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

work = tempfile.mkdtemp(prefix="realapps-toil-")
os.chdir(work)

from toil.server.app import create_app, parser_with_server_options  # noqa: E402

args = parser_with_server_options().parse_args(["--work_dir", os.path.join(work, "workflows")])
cxapp = create_app(args)
middleware = cxapp.middleware
middleware.app, middleware.middleware_stack = middleware._build_middleware_stack()
dump(cxapp.app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
