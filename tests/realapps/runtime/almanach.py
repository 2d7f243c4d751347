"""Build Almanach's API app as `almanach-api` serves it, and dump the routes.

`almanach-api` (`almanach.api.main:main`) parses its oslo.config
configuration (`--config-file`), builds the storage and controllers and
assigns them to module globals of `almanach.api.v1.routes`, then runs the
module-level app of `almanach.api.main`, to which the import of that module
has already registered the `v1` blueprint. The routes exist once the module
is imported; the controllers (MongoDB) are only used on a request. We import
`almanach.api.main` and parse an empty configuration file as `main()` does
(without the storage factory, which would open a MongoDB client), without
running the server.

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

work = tempfile.mkdtemp(prefix="realapps-almanach-")
os.chdir(work)
conf = os.path.join(work, "almanach.conf")
with open(conf, "w") as f:
    f.write("[DEFAULT]\n")

from almanach.api import main  # noqa: E402
from almanach.core import opts  # noqa: E402

opts.CONF(["--config-file", conf], project=opts.DOMAIN)

dump(main.app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
