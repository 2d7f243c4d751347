"""Build FlexMeasures' Flask app as its server does, and dump the routes.

The `flexmeasures` command (a Flask `FlaskGroup` with `create_app=create`,
so `flexmeasures run`) serves `flexmeasures.app.create()`: the factory
reads the configuration
(`FLEXMEASURES_ENV`, the config file in HOME or the instance folder, then
environment variables for the required settings), registers the database,
the auth policy, the CLI, the API (`flexmeasures.api.register_at`, which
registers the v3 Flask-Classful views and the dev/ops blueprints), the
plugins named in `FLEXMEASURES_PLUGINS` (none), then the UI
(`flexmeasures.ui.register_at`, blueprints, Flask-Classful CRUD views and
RQ Dashboard's blueprint under `/tasks`, a library's routes and not own). We set
`FLEXMEASURES_ENV=production`, `SECRET_KEY` and `SQLALCHEMY_DATABASE_URI`
(a PostgreSQL URI whose host is a Unix-socket folder inside the temporary
working folder, where nothing listens) and call `create()`. In production
the factory checks the Alembic revision of the database: libpq finds no
server at that socket, FlexMeasures logs the error and goes on (what a
server whose database is down does). The Redis connection is created but not
used while the app is built.

Stubs: nothing may leave the machine (`runtime/_offline.py`: sockets and DNS
refused; libpq's attempt goes to a Unix socket in the temporary folder).
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network()

work = tempfile.mkdtemp(prefix="realapps-flexmeasures-")
os.chdir(work)
os.environ.update({
    "FLEXMEASURES_ENV": "production",
    "SECRET_KEY": "realapps-not-a-secret",
    "SQLALCHEMY_DATABASE_URI": f"postgresql://flexmeasures@/flexmeasures?host={work}",
})

from flexmeasures.app import create  # noqa: E402

app = create()
dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
