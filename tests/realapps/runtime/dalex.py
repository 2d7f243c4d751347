"""Build dalex's Arena servers as `Arena.run_server()` and `generate_token()` do, and dump the routes.

dalex (the `dalex` package: explainers, fairness, Arena) has two Flask apps,
both created inside functions of `dalex.arena`:

- `dalex.arena.server.start_server(arena, host, port, disable_logs)`, run
  by `Arena.run_server()` in a thread: `Flask(__name__)` with `CORS(app)`,
  a `werkzeug.serving.ThreadedWSGIServer` made for it, three views defined
  inside the function with `@app.route`, then `serve_forever()`;
- `dalex.arena.static.start_authorization_server(host, port)`, which
  `generate_token()` (the OAuth flow behind `Arena.upload()`) calls after
  opening the browser on GitHub's authorization page: `Flask(__name__)`
  with one view defined inside the function, then `app.run()`.

We make an `Arena()` and call both functions as dalex does (the second
without `generate_token()`'s browser and free-port search), with the
servers stubbed (`ThreadedWSGIServer` records the app and does not bind,
`serve_forever()` and `Flask.run()` return at once), and capture the two
apps. The truth is the union of their url_maps, each route tagged with its
app (`flask_app`: `live` or `token`). Flask, Flask-CORS and requests are
imported by these functions but are not dependencies of the distribution
(only of its `full` extra, with much else): `requires` in apps.toml.

Stubs: nothing may leave the machine (`runtime/_offline.py`: sockets and DNS
refused); the servers never start.
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump(), collect()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network()

work = tempfile.mkdtemp(prefix="realapps-dalex-")
os.chdir(work)

import flask  # noqa: E402
import werkzeug.serving  # noqa: E402

captured = {}


class _Server:
    def __init__(self, host=None, port=None, app=None, *args, **kwargs):
        captured["live"] = app

    def serve_forever(self):
        return None

    def shutdown(self):
        return None


def _run(self, *args, **kwargs):
    captured["token"] = self


werkzeug.serving.ThreadedWSGIServer = _Server
flask.Flask.run = _run

import dalex  # noqa: E402
from dalex.arena import server as arena_server  # noqa: E402
from dalex.arena import static as arena_static  # noqa: E402

arena = dalex.Arena()
arena_server.start_server(arena, "127.0.0.1", 8181, True)
arena_static.start_authorization_server("127.0.0.1", 8182)

routes = []
counts = {}
for name in ("live", "token"):
    app = captured[name]
    # The nested views close over `request` (imported inside the functions):
    # `collect` looks into closures, so it runs in a request context, where
    # that proxy can be read.
    with app.test_request_context():
        rules = collect(app)
    counts[name] = len(rules)
    for r in rules:
        r["flask_app"] = name
        routes.append(r)
routes.sort(key=lambda r: (r["rule"], r["endpoint"], r["flask_app"]))
with captured["live"].test_request_context():  # dump() collects too
    dump(captured["live"], routes=routes, flask_apps=counts, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
