"""Build pyLoad's Flask app as its core does, and dump the routes.

`pyload` (`pyload.__main__`) creates `pyload.core.Core(userdir, tempdir,
storagedir, debug)`, whose `_init_webserver()` makes the web-server thread;
that thread's constructor builds the app with
`pyload.webui.app.App(core, develop, prefix)` (the server starts later, in
`Core.start()`, which we never call). We create the Core with its three
folders in a temporary directory and dump `core.webserver.app`. The default
configuration (no path prefix, the default theme) is kept; the built-in
addons the Core activates by default only change what runs, not the
url_map.

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

work = tempfile.mkdtemp(prefix="realapps-pyload-")
os.chdir(work)

from pyload.core import Core  # noqa: E402

core = Core(os.path.join(work, "userdir"), os.path.join(work, "tmp"), os.path.join(work, "downloads"),
            debug=False)
dump(core.webserver.app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
