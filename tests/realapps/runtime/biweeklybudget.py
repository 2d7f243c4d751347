"""Build biweeklybudget's Flask app as its WSGI server does, and dump the routes.

biweeklybudget is served as the module-level app of
`biweeklybudget.flaskapp.app` (`biweeklybudget.flaskapp.app:app`; the package
`biweeklybudget.flaskapp` is imported first, as for any import of its
submodule): importing the package builds `app` (and initialises the database: `init_db()` creates the tables
and stamps alembic when the database is empty) and star-imports
`flaskapp.views`, whose modules add their rules with `app.add_url_rule(...,
view_func=SomeView.as_view(...))`. Settings come from the module named by
SETTINGS_MODULE and environment variables; we use the package's own
`biweeklybudget.settings_example` with DB_CONNSTRING pointing at a SQLite
file in a temporary folder (the example reads it from the environment).

Stubs: nothing may leave the machine (`runtime/_offline.py`: sockets, DNS,
and every SQLAlchemy dialect but SQLite refused; `refused_connections` lists
any try).
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network(), refuse_databases()
refuse_network()
refuse_databases(allow=("sqlite",))

work = tempfile.mkdtemp(prefix="realapps-biweeklybudget-")
os.chdir(work)
os.environ["SETTINGS_MODULE"] = "biweeklybudget.settings_example"
os.environ["DB_CONNSTRING"] = "sqlite:///" + os.path.join(work, "budget.db")

import biweeklybudget.flaskapp  # noqa: E402,F401  (imports flaskapp.views: the rules)
from biweeklybudget.flaskapp.app import app  # noqa: E402

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
