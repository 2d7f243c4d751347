"""Build the Autosubmit API with its factory, as `autosubmit_api start` serves it, and dump the routes.

`autosubmit_api start` (`autosubmit_api.cli`) runs gunicorn on
`autosubmit_api.app:create_app()`. The factory reads Autosubmit's
configuration (`AUTOSUBMIT_CONFIGURATION`, else `./.autosubmitrc`,
`~/.autosubmitrc` or `/etc/autosubmitrc`: where the experiments' database
and folders are), creates its own SQLite tables and a view over the
Autosubmit database's `experiment` table (`prepare_db()`), binds a
Flask-APScheduler with its background jobs (interval triggers: none runs
at start by default), then adds its routes. A deployment runs on a machine
where Autosubmit is configured and installed (`autosubmit configure`,
`autosubmit install`, which creates that database). We do the same in a
temporary folder: an `autosubmitrc` naming folders there, then
`Autosubmit.install()` (the `autosubmit install` command) in the same
process, then `create_app()`.

Stubs: nothing may leave the machine (`runtime/_offline.py`: sockets and DNS
refused). The `multiprocessing.Manager()` server process that
`autosubmit_api.views.v3` starts at import is terminated after the dump.
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network()

work = tempfile.mkdtemp(prefix="realapps-autosubmit-")
os.chdir(work)
for sub in ("db", "experiments", "metadata/graph", "metadata/test", "metadata/structures",
            "metadata/data", "metadata/logs", "historic"):
    os.makedirs(os.path.join(work, sub), exist_ok=True)
rc = os.path.join(work, "autosubmitrc")
with open(rc, "w") as f:
    f.write(f"""[database]
path = {work}/db
filename = autosubmit.db

[local]
path = {work}/experiments

[globallogs]
path = {work}/metadata/logs

[structures]
path = {work}/metadata/structures

[historicdb]
path = {work}/historic

[historiclog]
path = {work}/metadata/logs

[autosubmitapi]
url = http://localhost:8081

[graph]
path = {work}/metadata/graph

[statusdb]
path = {work}/metadata/test
""")
os.environ["AUTOSUBMIT_CONFIGURATION"] = rc

from autosubmitconfigparser.config.basicconfig import BasicConfig  # noqa: E402
from autosubmit.autosubmit import Autosubmit  # noqa: E402

BasicConfig.read()
Autosubmit.install()

from autosubmit_api.app import create_app  # noqa: E402

app = create_app()
dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
# `autosubmit_api.views.v3` starts a `multiprocessing.Manager()` at import
# (a server process that would outlive `os._exit` and hold the output pipes).
import multiprocessing  # noqa: E402

for child in multiprocessing.active_children():
    child.terminate()
    child.join(5)
os._exit(0)
