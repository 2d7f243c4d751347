"""Build Indico's Flask app with `indico.web.flask.app.make_app()` and dump it.

This is what `indico.web.indico_wsgi` (the uWSGI entry point) does. Indico
reads its configuration from the file named by INDICO_CONFIG; we write one
into a temporary folder with what `make_app()` requires and nothing more:
SQLALCHEMY_DATABASE_URI (a PostgreSQL URI on a Unix socket folder that does
not exist), SECRET_KEY, BASE_URL, REDIS_CACHE_URL/CELERY_BROKER (only used
lazily), CACHE_DIR, TEMP_DIR, LOG_DIR and STORAGE_BACKENDS inside the
temporary HOME, and a console-only logging.yaml next to it.

ROUTE_OLD_URLS = True, so the legacy-URL `compat_*` blueprints are registered
(they are only when that option is on): a superset of the default routes, as
pgAdmin's server mode. No plugins are installed (PLUGINS is empty): Indico's
plugins are separate PyPI packages (indico-plugins), not part of this one.

Stubs: nothing may leave the machine. Every AF_INET/AF_INET6
`socket.connect` raises ConnectionRefusedError, as if no server listened;
`getaddrinfo` answers only for localhost and numeric addresses;
`socket.getfqdn` (used for the WORKER_NAME default at import) returns a
fixed name instead of asking the resolver; and SQLAlchemy's
`DefaultDialect.connect` is refused (libpq does not use Python sockets).
`make_app()` runs no query (its own `check_db()` insists on that) and does
not touch Redis, so none of this fires today; `refused_connections` in the
dump lists anything that tried.
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network()
refuse_databases()

work = tempfile.mkdtemp(prefix="realapps-indico-")
os.chdir(work)
for sub in ("cache", "tmp", "log", "archive"):
    os.makedirs(os.path.join(work, sub), exist_ok=True)
conf = os.path.join(work, "indico.conf")
with open(conf, "w") as fh:
    fh.write(f"""\
SQLALCHEMY_DATABASE_URI = 'postgresql://realapps@/indico?host=/nonexistent-realapps-socket-dir'
SECRET_KEY = 'realapps-not-a-secret-0123456789abcdef'
BASE_URL = 'https://indico.invalid'
REDIS_CACHE_URL = 'redis://127.0.0.1:6379/1'
CELERY_BROKER = 'redis://127.0.0.1:6379/0'
CACHE_DIR = {os.path.join(work, 'cache')!r}
TEMP_DIR = {os.path.join(work, 'tmp')!r}
LOG_DIR = {os.path.join(work, 'log')!r}
STORAGE_BACKENDS = {{'default': 'fs:' + {os.path.join(work, 'archive')!r}}}
ATTACHMENT_STORAGE = 'default'
NO_REPLY_EMAIL = 'noreply@indico.invalid'
SUPPORT_EMAIL = 'support@indico.invalid'
DEFAULT_TIMEZONE = 'UTC'
DEFAULT_LOCALE = 'en_GB'
ROUTE_OLD_URLS = True
""")
with open(os.path.join(work, "logging.yaml"), "w") as fh:
    fh.write("""\
version: 1
formatters:
  simple: {format: '%(levelname)s %(name)s %(message)s'}
handlers:
  console: {class: logging.StreamHandler, formatter: simple, level: WARNING}
root: {level: WARNING, handlers: [console]}
""")
os.environ["INDICO_CONFIG"] = conf

from indico.web.flask.app import make_app  # noqa: E402

app = make_app()
dump(app, route_old_urls=True, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
