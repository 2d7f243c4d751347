"""Build bepasty's Flask app as its WSGI module does, and dump the routes.

`bepasty.wsgi` (what `bepasty-server` and the documented WSGI setups serve)
is `create_app()`: the app reads `bepasty.config.Config` and the file named
by `BEPASTY_CONFIG`, creates the storage and registers the `bepasty` and
`bepasty_apis` blueprints. We write a configuration (a secret key and a
filesystem storage folder) into a temporary folder, point `BEPASTY_CONFIG`
at it and import `bepasty.wsgi`.

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

work = tempfile.mkdtemp(prefix="realapps-bepasty-")
os.chdir(work)
storage = os.path.join(work, "storage")
os.mkdir(storage)
config = os.path.join(work, "bepasty.conf")
with open(config, "w") as fh:
    fh.write(f"STORAGE_FILESYSTEM_DIRECTORY = {storage!r}\n"
             "SECRET_KEY = 'realapps-not-a-secret'\n")
os.environ["BEPASTY_CONFIG"] = config

from bepasty.wsgi import application as app  # noqa: E402

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
