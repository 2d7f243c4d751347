"""Build ActivityWatch's aw-server app as the `aw-server` command does, and dump the routes.

`aw-server` (`aw_server.main:main`) reads its command line and its
configuration file (`aw-server.toml` in the user's config folder, created
with the defaults when missing: the `peewee` storage, no custom static
folders), then `aw_server.server._start(...)` calls
`create_app(host, storage_method=..., testing=..., cors_origins=...,
custom_static=...)` and runs the app. We call `parse_settings()` with no
arguments (the fresh HOME gets the default configuration; the SQLite
database goes under it) and `create_app` with the same arguments as
`_start`, without running the server.

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

work = tempfile.mkdtemp(prefix="realapps-awserver-")
os.chdir(work)
sys.argv = ["aw-server"]

from aw_server.main import parse_settings  # noqa: E402
from aw_server.server import create_app  # noqa: E402

settings, storage_method = parse_settings()
app = create_app(
    settings.host,
    storage_method=storage_method,
    testing=settings.testing,
    cors_origins=settings.cors_origins,
    custom_static=settings.custom_static,
)
dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
