"""Build changedetection.io's app as its test-suite fixture does, and dump it.

`changedetectionio.flask_app.changedetection_app(config, datastore)` creates
the Flask app and registers every blueprint and API resource; the datastore
is a JSON directory (a temporary one here). Background workers it starts are
left behind by exiting with os._exit.
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

os.environ.setdefault("LOGGER_LEVEL", "ERROR")
datastore_path = tempfile.mkdtemp(prefix="realapps-cd-")

from changedetectionio import store  # noqa: E402
from changedetectionio.flask_app import changedetection_app  # noqa: E402

config = {"datastore_path": datastore_path, "disable_checkver": True}
datastore = store.ChangeDetectionStore(datastore_path=datastore_path, include_default_watches=False)
app = changedetection_app(config, datastore)
dump(app)
sys.stdout.flush()
os._exit(0)
