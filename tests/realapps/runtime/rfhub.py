"""Build Robot Framework Hub's web app as `python -m rfhub` does, and dump the routes.

`python -m rfhub` (the package's `__main__`) makes `rfhub.app.RobotHub()`
and calls its `start()`: the constructor parses the command line, makes the
keyword database (`KeywordTable`, SQLite in memory, with a file watcher),
makes `flask.Flask(__name__)`, loads the keywords of the installed Robot
Framework libraries, adds three rules on bound methods of the hub with
`app.add_url_rule(...)` and registers the `api` and `doc` blueprints of
`rfhub.blueprints` under `/api` and `/doc` (the package imports a third,
`dashboard`, which is not registered); `start()` serves the app with
Tornado.

We make `RobotHub()` with an empty command line (as `python -m rfhub` with
no argument), without `start()`.

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

work = tempfile.mkdtemp(prefix="realapps-rfhub-")
os.chdir(work)
sys.argv = ["rfhub"]

from rfhub import app as rfhub_app  # noqa: E402

hub = rfhub_app.RobotHub()

dump(hub.app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
