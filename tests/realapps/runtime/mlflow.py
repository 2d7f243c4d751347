"""Build the MLflow tracking server's Flask app, with basic auth enabled, and dump it.

`mlflow.server` creates `app` at import time and adds the REST API rules in a
loop over `handlers.get_endpoints()`; `mlflow server --app-name basic-auth`
then passes it through `mlflow.server.auth.create_app(app)`, which adds the
user/permission endpoints. We do the same, with the auth database (SQLite)
and the tracking store in a temporary working directory. No other service
is needed: stores are opened per request.
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

work = tempfile.mkdtemp(prefix="realapps-mlflow-")
os.chdir(work)
os.environ.setdefault("MLFLOW_FLASK_SERVER_SECRET_KEY", "realapps-not-a-secret")
os.environ.setdefault("MLFLOW_AUTH_ADMIN_PASSWORD", "realapps-not-a-password")
os.environ.setdefault("MLFLOW_TRACKING_URI", "sqlite:///" + os.path.join(work, "mlflow.db"))
os.environ.setdefault("_MLFLOW_SERVER_FILE_STORE", os.path.join(work, "mlruns"))

from mlflow.server import app  # noqa: E402
from mlflow.server.auth import create_app  # noqa: E402

app = create_app(app)
dump(app)
sys.stdout.flush()
os._exit(0)
