"""Build microSALT's report viewer as `microSALT utils view` serves it, and dump the routes.

`microSALT utils view` (`Reporter.start_web`) runs, in a separate process,
the app of `microSALT.server.views`: the module-level `Flask` object of the
package's `__init__` (re-exported through `microSALT.store.orm_models` and
`microSALT.store.db_manipulator`), to which the views module adds its pages
with `@app.route`. The configuration is a JSON file named by
`MICROSALT_CONFIG` (else `~/.microSALT/config.json`); without one the app
keeps its in-memory SQLite default. We import `microSALT.server.app` (the
module the viewer's process serves) without running the server.

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

work = tempfile.mkdtemp(prefix="realapps-microsalt-")
os.chdir(work)

from microSALT.server.app import app  # noqa: E402

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
