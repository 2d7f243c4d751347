"""Build klaus's Flask app as its WSGI module does, and dump the routes.

`klaus.contrib.wsgi` (klaus' WSGI module for servers; the `klaus` command
calls `make_app` the same way before `app.run`) reads its arguments
from environment variables (`KLAUS_REPOS`, `KLAUS_SITE_NAME`, ...) and
calls `make_app(...)`, which builds the `Klaus` Flask subclass: its
constructor loads the repositories and calls `setup_routes()`, which adds
every rule from a list of (endpoint, rule) pairs, twice for rules with a
`<repo>` part (once under `/~<namespace>`). We create an empty Git
repository with Dulwich in a temporary folder, name it in `KLAUS_REPOS` and
import `klaus.contrib.wsgi`. Smart HTTP (Dulwich's WSGI chain around the
app) is off by default and adds no Flask rule.

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

work = tempfile.mkdtemp(prefix="realapps-klaus-")
os.chdir(work)

from dulwich.repo import Repo  # noqa: E402

repo = os.path.join(work, "realapps")
Repo.init(repo, mkdir=True)
os.environ["KLAUS_REPOS"] = repo
os.environ["KLAUS_SITE_NAME"] = "realapps"

from klaus.contrib.wsgi import application as app  # noqa: E402

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
