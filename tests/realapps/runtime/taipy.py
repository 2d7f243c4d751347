"""Build Taipy's web server (GUI and REST API together) as `taipy.run` does, and dump the routes.

A Taipy application serves its pages and its REST API from one Flask app:
`taipy.run(gui, rest)` starts the orchestrator, hands the REST API's Flask
app (`Rest()` calls `taipy.rest.app.create_app(...)`) to the GUI
(`gui._set_flask(rest._app)`) and runs the GUI, whose server registers its
blueprints on that app; with `run_server=False` it returns the Flask app
instead of serving it (what a WSGI deployment of a Taipy application does).
We build a one-page GUI (user code, not own) and a `Rest()` in a temporary
folder, call `taipy.run(gui, rest, run_server=False)` and dump the app it
returns. Taipy reads its command line, so `sys.argv` names a `main.py` in
that folder and nothing else; the orchestrator runs in development mode with
its data in the folder.

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

work = tempfile.mkdtemp(prefix="realapps-taipy-")
os.chdir(work)
sys.argv = [os.path.join(work, "main.py")]

import taipy as tp  # noqa: E402
from taipy import Gui, Rest  # noqa: E402

value = 1
gui = Gui(page="# realapps\n\nValue: <|{value}|>")
rest = Rest()
app = tp.run(gui, rest, run_server=False)
dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
