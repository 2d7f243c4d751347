"""Build the Jobmon server's web app as its WSGI module does, and dump the routes.

The server is deployed as `jobmon.server.web.wsgi:app` (gunicorn or
uwsgi): that module calls `jobmon.server.web.api.get_app()`, which makes an
`AppFactory(JobmonConfig())` (an SQLAlchemy engine on the configured
database, bound to the module-level session factory; the tables created
when the database is SQLite in memory) and calls its `get_app()` method:
`Flask(__name__)`, then for each name of its default argument
`["fsm", "cli", "reaper"]` the module `jobmon.server.web.routes.<name>` is
imported with `import_module` and its `blueprint` registered with
`url_prefix="/"`; each blueprint's package adds a few rules with
`blueprint.add_url_rule` and imports sibling modules whose views add
themselves with `@blueprint.route`.

We import `jobmon.server.web.wsgi` with the configuration of
`jobmon-core`'s `defaults.ini` (no configuration file, no `JOBMON__*`
variable: the database is SQLite in memory and APM is off), without a
server.

Stubs: `MySQLdb` is PyMySQL's stand-in (`pymysql.install_as_MySQLdb()`;
mysqlclient is imported for one exception class but not declared, and needs
the MySQL client headers to build); nothing may leave the machine (`runtime/_offline.py`: sockets and DNS
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

work = tempfile.mkdtemp(prefix="realapps-jobmon-")
os.chdir(work)
for key in [k for k in os.environ if k.startswith("JOBMON__")]:
    del os.environ[key]

# `jobmon.server.web.hooks_and_handlers` imports `OperationalError` from
# `MySQLdb` (mysqlclient), which jobmon-server does not declare (it declares
# PyMySQL) and which builds only against the MySQL client headers: PyMySQL's
# own stand-in module is installed under that name instead.
import pymysql  # noqa: E402

pymysql.install_as_MySQLdb()

from jobmon.server.web.wsgi import app  # noqa: E402

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
