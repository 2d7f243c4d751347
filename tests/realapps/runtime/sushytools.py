"""Build the sushy-tools Redfish emulator as `sushy-emulator` does, and dump the routes.

`sushy-emulator` (`sushy_tools.emulator.main:main`) parses its command line,
configures the module-level `app` of `sushy_tools.emulator.main` (an
`Application`, a Flask subclass that reads the file named by
`SUSHY_EMULATOR_CONFIG` when it is made) and calls `app.run()`. Every route
is added when the module is imported: the three controller blueprints
(`sushy_tools.emulator.controllers`) and the module's `@app.route` views.
The drivers (libvirt, OpenStack, fake) are only made on a request.

We import the module with no configuration file (the defaults: the full
feature set, the libvirt driver chosen lazily), without the server.

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

work = tempfile.mkdtemp(prefix="realapps-sushytools-")
os.chdir(work)
os.environ.pop("SUSHY_EMULATOR_CONFIG", None)

from sushy_tools.emulator.main import app  # noqa: E402

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
