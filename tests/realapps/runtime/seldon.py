"""Build Seldon Core's microservice Flask apps as its server does, and dump the routes.

`seldon-core-microservice <Model>` (`seldon_core.microservice:main`) imports
the user's model class by name from the working directory, instantiates
it, creates `SeldonMetrics(worker_id_func=os.getpid)` and starts, each in its
own process, a REST server on the app of
`seldon_core.wrapper.get_rest_microservice(user_object, seldon_metrics)`
(a factory that defines every route as a nested function, stacked
`@app.route` decorators), a gRPC server and a metrics server on the app of
`get_metrics_microservice(seldon_metrics)`. We write a minimal model class
(`RealappsModel`, a `predict` that returns its input, no custom error
handler) into a temporary folder, import and instantiate it as `main` does,
and build both Flask apps the way `main`'s server functions do. The truth is
the union of their url_maps, each route tagged with its app (`flask_app`:
`rest` or `metrics`).

Stubs: nothing may leave the machine (`runtime/_offline.py`: sockets and DNS
refused). The metrics object's multiprocessing Manager process is shut down
before exiting.
"""
import importlib
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump(), collect()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network()

work = tempfile.mkdtemp(prefix="realapps-seldon-")
os.chdir(work)
with open(os.path.join(work, "RealappsModel.py"), "w") as fh:
    fh.write("class RealappsModel:\n"
             "    def predict(self, X, features_names=None):\n"
             "        return X\n")
sys.path.append(os.getcwd())  # as main() does

from seldon_core import wrapper as seldon_microservice  # noqa: E402
from seldon_core.metrics import SeldonMetrics  # noqa: E402

user_class = getattr(importlib.import_module("RealappsModel"), "RealappsModel")
user_object = user_class()
seldon_metrics = SeldonMetrics(worker_id_func=os.getpid)

rest_app = seldon_microservice.get_rest_microservice(user_object, seldon_metrics)
metrics_app = seldon_microservice.get_metrics_microservice(seldon_metrics)

routes = []
counts = {}
for name, app in (("rest", rest_app), ("metrics", metrics_app)):
    rules = collect(app)
    counts[name] = len(rules)
    for r in rules:
        r["flask_app"] = name
        routes.append(r)
routes.sort(key=lambda r: (r["rule"], r["endpoint"], r["flask_app"]))
dump(rest_app, routes=routes, flask_apps=counts, refused_connections=sorted(set(refused)))
sys.stdout.flush()
# SeldonMetrics keeps a multiprocessing Manager (a child process that would
# outlive os._exit and hold the output pipes open): shut it down first.
seldon_metrics._manager.shutdown()
os._exit(0)
