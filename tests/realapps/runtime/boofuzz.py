"""Build boofuzz's web interface as a fuzzing session does, and dump the routes.

boofuzz serves one Flask app, the module-level `app = Flask(__name__)` of
`boofuzz.web.app`, whose views are added there with `@app.route`. A
`Session` (unless `web_port=None`) and `boo open <db>` (`open_test_run`,
through `boofuzz.sessions.web_app.WebApp`) set `app.session` and serve the
app with tornado (`HTTPServer(WSGIContainer(app))`) on port 26000. We import
the package as a fuzzing script does (`from boofuzz import *`), then the
app, and set `app.session` to a `SessionInfo` over an empty results
database, as `open_test_run` does, without the tornado server.

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

work = tempfile.mkdtemp(prefix="realapps-boofuzz-")
os.chdir(work)

import boofuzz  # noqa: E402,F401
from boofuzz.sessions.session_info import SessionInfo  # noqa: E402
from boofuzz.web.app import app  # noqa: E402

try:
    app.session = SessionInfo(db_filename=os.path.join(work, "run.db"))
except Exception as exc:  # the routes do not depend on it
    print(f"SessionInfo: {exc!r}", file=sys.stderr)

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
