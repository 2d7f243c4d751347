"""Build Locust's web UI Flask app as `locust` does, and dump the routes.

`locust` (`locust.main.main`) builds an `Environment` and calls
`environment.create_web_ui(host, port, web_base_path=..., web_login=...,
delayed_start=True, ...)`, which constructs `locust.web.WebUI`: its
`__init__` makes the Flask app, a `locust` blueprint with the UI's routes
defined as nested functions, and registers the blueprint. We construct the
same `WebUI` with the command line's defaults (`web_base_path` None,
`web_login` False) and `delayed_start=True`, so no server is started.

Stubs: nothing may leave the machine (`runtime/_offline.py`).
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network()

work = tempfile.mkdtemp(prefix="realapps-locust-")
os.chdir(work)

from locust import HttpUser, task  # noqa: E402
from locust.env import Environment  # noqa: E402


class RealappsUser(HttpUser):
    host = "http://127.0.0.1:9"

    @task
    def nothing(self):
        pass


env = Environment(user_classes=[RealappsUser])
env.create_local_runner()
web_ui = env.create_web_ui("127.0.0.1", 0, delayed_start=True)
dump(web_ui.app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
