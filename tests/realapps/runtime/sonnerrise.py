"""Build the Sonnerrise web interface as `sonnerrise-web` does, and dump the routes.

`sonnerrise-web` (`sonnerrise_web.cli:main`) parses its options and calls
the factory `sonnerrise_web.app.create_app()`, then `app.run()`. The factory
loads the Sonnerrise configuration from its default locations
(`sonnerrise_core.load_config`), opens the configured database (SQLite by
default) and registers the seven blueprints of `sonnerrise_web.views`.

We call `create_app()` in a temporary folder (HOME is a fresh temporary
folder too, so the defaults apply), without the server.

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

work = tempfile.mkdtemp(prefix="realapps-sonnerrise-")
os.chdir(work)

from sonnerrise_web.app import create_app  # noqa: E402

app = create_app()

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
