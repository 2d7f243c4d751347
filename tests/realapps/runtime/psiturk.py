"""Build psiTurk's experiment server app as `psiturk server on` does, and dump the routes.

`psiturk server on` runs gunicorn on `psiturk.experiment:app` in the
experiment's folder. Importing `psiturk.experiment` reads `config.txt` from
the working directory, builds a module-level `Flask("Experiment_Server")`,
checks the experiment's templates, imports the experiment's own
`custom.py` and registers its `custom_code` blueprint (user code, not
psiTurk's: its routes are not own), starts the APScheduler (paused by
default), registers the dashboard and API blueprints only when
`enable_dashboard` is true in the configuration, and creates the SQLite
tables. We copy the example experiment shipped in the package (what
`psiturk setup-example` does: `config.txt.sample` and `custom.py.sample`
renamed) into a temporary folder and import `psiturk.experiment` there,
with the example's configuration: the dashboard stays off (it refuses to
start without working Mechanical Turk credentials, which need the network).

Stubs: nothing may leave the machine (`runtime/_offline.py`: sockets and DNS
refused). The scheduler thread is shut down before exiting.
"""
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network()

import psiturk  # noqa: E402

work = tempfile.mkdtemp(prefix="realapps-psiturk-")
exp = os.path.join(work, "psiturk-example")
shutil.copytree(os.path.join(os.path.dirname(psiturk.__file__), "example"), exp)
os.rename(os.path.join(exp, "config.txt.sample"), os.path.join(exp, "config.txt"))
os.rename(os.path.join(exp, "custom.py.sample"), os.path.join(exp, "custom.py"))
os.chdir(exp)

from psiturk.experiment import app, scheduler  # noqa: E402

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
scheduler.shutdown(wait=False)
os._exit(0)
