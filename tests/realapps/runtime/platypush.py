"""Build Platypush's web application as its HTTP backend does, and dump the routes.

`platypush` (`platypush.app.main`) reads the configuration
(`Config.init(config_file)`: working, cache and database folders, the
configured plugins and backends) and starts the HTTP backend, which serves
the module-level Flask app `platypush.backend.http.app.application` through
Tornado's `WSGIContainer` (websocket and streaming routes are Tornado
handlers, not Flask rules). That module makes
`Flask('platypush', template_folder=..., static_folder=...)` and registers
every blueprint listed in a `__routes__` attribute of the modules found
under `platypush.backend.http.app.routes` with `pkgutil.walk_packages` and
`importlib.import_module` (a module that cannot be imported is skipped with
a warning).

We write a configuration file naming a working folder in a temporary folder
(nothing else configured), call `Config.init` with it as `platypush
--config` does, and import the app module, without the backend, Redis and
Tornado.

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

work = tempfile.mkdtemp(prefix="realapps-platypush-")
os.chdir(work)
for key in [k for k in os.environ if k.startswith(("PLATYPUSH", "XDG_"))]:
    del os.environ[key]
config = os.path.join(work, "config.yaml")
with open(config, "w") as fh:
    fh.write("workdir: " + os.path.join(work, "workdir") + "\n")

from platypush.config import Config  # noqa: E402

Config.init(config)

from platypush.backend.http.app import application  # noqa: E402

dump(application, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
