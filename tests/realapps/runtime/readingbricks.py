"""Build ReadingBricks as its WSGI module does, and dump the routes.

ReadingBricks is served as `readingbricks.app_for_server:app` (uWSGI or any
WSGI server) or run by `python -m readingbricks` with the development
server. Both import the module-level app of the package's `__init__`
(`Flask(__name__)` configured from `readingbricks.default_settings`), which
imports `readingbricks.views` at its end; that module adds the pages with
`@app.route` on the app it imports back from the package. The notes and the
databases made from them are only read on a request. We import the WSGI
module, without the server (and without `make_resources`, which indexes a
folder of notes).

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

work = tempfile.mkdtemp(prefix="realapps-readingbricks-")
os.chdir(work)

from readingbricks.app_for_server import app  # noqa: E402

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
