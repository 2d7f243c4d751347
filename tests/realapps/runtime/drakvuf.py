"""Build the DRAKVUF Sandbox web app as its WSGI module is served, and dump the routes.

`drakrun`'s web interface is the module-level `drakrun.web.app:app` (served
by gunicorn or `flask run` in the sandbox's deployment). Importing it reads
the sandbox configuration (`drakrun.lib.config.load_config()`: a
pydantic-settings model read from `/etc/drakrun/config.toml`, which
`drakrun install` writes, and from `drakrun__`-prefixed environment
variables), builds the flask-openapi3 `OpenAPI` app, registers RQ
Dashboard's blueprint and the `api` APIBlueprint, and adds the two
front-end views. There is no `/etc/drakrun` here: the settings the
configuration requires are given as environment variables with the values
of the packaged default `drakrun/data/config.toml`. We import the module in
a temporary folder; Redis is only connected to on a request.

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

work = tempfile.mkdtemp(prefix="realapps-drakvuf-")
os.chdir(work)
# The packaged default configuration (drakrun/data/config.toml), as environment variables.
os.environ.update({
    "drakrun__redis__host": "localhost",
    "drakrun__redis__port": "6379",
    "drakrun__network__dns_server": "use-gateway-address",
    "drakrun__network__out_interface": "default",
    "drakrun__network__net_enable": "false",
    "drakrun__drakrun__default_timeout": "300",
    "drakrun__drakrun__plugins": '["apimon", "clipboardmon", "exmon", "filetracer", "memdump", '
                                 '"procmon", "regmon", "socketmon", "tlsmon"]',
})

from drakrun.web.app import app  # noqa: E402

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
