"""Build Notebooker's web app as `notebooker-cli start-webapp` does, and dump the routes.

`notebooker-cli` (`notebooker._entrypoints.base_notebooker`, a click group)
builds a `BaseConfig` from its options (the MongoDB result serializer by
default); its `start-webapp` command copies it into a `WebappConfig` and
calls `notebooker.web.app.main`, which calls the factory `create_app(config)`
(module-level blueprints registered one by one: the report-running and
scheduling ones unless the read-only mode or `--disable-scheduler` is given,
and the Prometheus one when `prometheus_client` can be imported), then
`setup_app` (folders, Flask settings, and an APScheduler scheduler with a
MongoDB job store, started at once), and serves the app with gevent.

We run the click group with the default options and `start-webapp`
(folders in a temporary folder), with `main` replaced by its first two
steps (the global configuration and `create_app`), so that neither the
scheduler (which would contact MongoDB) nor the server starts; the
scheduler adds no route.

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

work = tempfile.mkdtemp(prefix="realapps-notebooker-")
os.chdir(work)

from notebooker import _entrypoints, global_config  # noqa: E402
from notebooker.web.app import create_app  # noqa: E402

built = []


def main_without_server(web_config):
    global_config.GLOBAL_CONFIG = web_config
    built.append(create_app(web_config))


_entrypoints.main = main_without_server
_entrypoints.base_notebooker.main(
    args=["--output-base-dir", os.path.join(work, "output"),
          "--template-base-dir", os.path.join(work, "templates"),
          "start-webapp", "--base-cache-dir", os.path.join(work, "webcache")],
    prog_name="notebooker-cli", standalone_mode=False)

dump(built[0], refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
