"""Build Zou's (Kitsu API) Flask apps as its entry points do, and dump the routes.

Zou ships two processes built from the same factory: the REST API
(`zou.app:app` under gunicorn, i.e. `zou.app.create_app()`) and the event
stream (`zou.event_stream:app`: `create_app()` plus `/`, `/stats` and
`/rooms`, with Flask-SocketIO on top). We import `zou.event_stream`, whose
app is a superset of the API app (checked below: every API rule is in it),
and dump that one, so the truth is the union of what both processes serve.

Configuration (environment, read by `zou.app.config` at import):
- ADMIN_TOKEN is set, so the `admin` blueprint is registered (it is only
  when a token is configured; a superset, as pgAdmin's server mode);
- CACHE_TYPE=simple, so `zou.app.utils.cache` does not ping Redis at import;
- PREVIEW_FOLDER, TMP_DIR, PLUGIN_FOLDER and EVENT_HANDLERS_FOLDER point into
  the temporary HOME (no plugins, no event handlers are installed);
- the PostgreSQL URI (DB_HOST=localhost) is never connected: engines are lazy.

Stubs: nothing may leave the machine. After gevent's monkey patching (which
`zou.event_stream` does first thing, so we do it before anything else), every
AF_INET/AF_INET6 `socket.connect` raises ConnectionRefusedError, as if no
server listened. Zou then behaves as with Redis down: `config_store.sync_config()`
and the Nomad check in `warn_about_overridden_settings` catch
`redis.ConnectionError` and log a warning; Flask-SocketIO's Redis message queue
is only used on the first emit. redis-py's retries (with exponential
backoff: two minutes in all) are cut to a single attempt. The refused
addresses are recorded in the dump (`refused_connections`). libpq (psycopg)
does not go through Python's socket module, so `DefaultDialect.connect` of
SQLAlchemy is refused the same way: no query runs while the app is built, and
one would fail the dump loudly. The socket.io endpoint itself is WSGI
middleware, not a url_map rule.
"""
from gevent import monkey

monkey.patch_all()

import os  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network(dns=False)
refuse_databases()

import redis.retry  # noqa: E402

_call_with_retry = redis.retry.Retry.call_with_retry


def _no_retry(self, *args, **kwargs):
    self._retries = 0
    return _call_with_retry(self, *args, **kwargs)


redis.retry.Retry.call_with_retry = _no_retry

work = tempfile.mkdtemp(prefix="realapps-zou-")
os.chdir(work)
for key, sub in (("PREVIEW_FOLDER", "previews"), ("TMP_DIR", "tmp"),
                 ("PLUGIN_FOLDER", "plugins"), ("EVENT_HANDLERS_FOLDER", "event_handlers")):
    os.environ.setdefault(key, os.path.join(work, sub))
os.makedirs(os.environ["PLUGIN_FOLDER"], exist_ok=True)
os.environ.setdefault("ADMIN_TOKEN", "realapps-not-a-token")
os.environ.setdefault("CACHE_TYPE", "simple")
os.environ.setdefault("SECRET_KEY", "realapps-not-a-secret")

import zou.app  # noqa: E402

api_app = zou.app.create_app()
api_rules = {(r.rule, tuple(sorted(r.methods))) for r in api_app.url_map.iter_rules()}

import zou.event_stream  # noqa: E402  (builds its own create_app() and adds 3 routes)

app = zou.event_stream.app
rules = {(r.rule, tuple(sorted(r.methods))) for r in app.url_map.iter_rules()}
missing = api_rules - rules
if missing:
    raise SystemExit(f"event-stream app lacks API rules: {sorted(missing)[:10]}")
dump(app, api_routes=len(api_rules), refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
