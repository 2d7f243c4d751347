"""Build Dallinger's experiment server app as its gunicorn server does, and dump the routes.

Dallinger's experiment server is a gunicorn application
(`dallinger.experiment_server.gunicorn.StandaloneServer`) whose `load()`
imports `dallinger.experiment_server.sockets:app` in the experiment's
folder. Importing it imports `experiment_server`, which builds
a module-level `Flask("Experiment_Server")` with plain `@app.route` views,
makes the working folder importable as the `dallinger_experiment` package,
loads the experiment class from it (`experiment.load()`), registers the
experiment's deferred routes (none here: the base `Experiment` declares
none) and, at module level, the MTurk and Prolific recruiter blueprints and
the dashboard blueprint; `sockets` adds the Flask-Sock websocket route. We
write a minimal experiment (a subclass of `dallinger.experiment.Experiment`
and nothing else, user code, not own) into a temporary folder and import
`sockets` there. The PostgreSQL engine and the Redis connection are
created at import but only used by requests.

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

work = tempfile.mkdtemp(prefix="realapps-dallinger-")
exp = os.path.join(work, "realapps_experiment")
os.mkdir(exp)
with open(os.path.join(exp, "__init__.py"), "w") as fh:
    fh.write("")
with open(os.path.join(exp, "experiment.py"), "w") as fh:
    fh.write("from dallinger.experiment import Experiment\n\n\n"
             "class RealappsExperiment(Experiment):\n"
             "    pass\n")
os.chdir(exp)
os.environ["FLASK_SECRET_KEY"] = "realapps-not-a-secret"

from dallinger.experiment_server.sockets import app  # noqa: E402

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
