"""Build Annif's REST API app as its ASGI server does, and dump the routes.

`annif run` (`cxapp.run`, uvicorn) and ASGI servers started on
`annif:create_app` (an alias the package keeps for that) serve
`annif.create_cx_app()`: a Connexion 3
`FlaskApp` whose `add_api("annif.yaml")` names the REST operations in an
OpenAPI specification shipped in the package, and whose Flask app gets the
`annif.views` blueprint (the web UI). Connexion adds the API's rules to the
Flask app only when its middleware stack is built, which the ASGI server
does on the first call (`ConnexionMiddleware.__call__`); we build it the
same way (`_build_middleware_stack()`) and dump `cxapp.app`. The production
configuration initialises the projects named in `projects.cfg`: the
temporary working folder has none (Annif warns and serves no project).

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

work = tempfile.mkdtemp(prefix="realapps-annif-")
os.chdir(work)

import annif  # noqa: E402

cxapp = annif.create_cx_app()
middleware = cxapp.middleware
middleware.app, middleware.middleware_stack = middleware._build_middleware_stack()
dump(cxapp.app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
