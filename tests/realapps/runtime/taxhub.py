"""Build TaxHub's app with its factory, as gunicorn and the `flask` command do, and dump the routes.

TaxHub is served as `apptax.app:create_app()` (gunicorn; the `flask`
command with `FLASK_APP=apptax.app:create_app` for its `taxref` commands).
The factory reads the TOML file named by `TAXHUB_CONFIG_FILE` (validated by
a marshmallow schema: a PostgreSQL URL and a secret key are required),
initialises the extensions (Flask-SQLAlchemy, Flask-Migrate, the
pypnusershub login manager, Flask-Babel), adds its Flask-Admin views, and
registers the API blueprints named as strings in
`apptax.taxhub_api_routes`. We write a minimal configuration into a
temporary folder (a PostgreSQL URL on localhost, nothing listens there) and
call `create_app()` in that folder.

Stubs: nothing may leave the machine (`runtime/_offline.py`: sockets and DNS
refused; SQLAlchemy's connections refused too).
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

work = tempfile.mkdtemp(prefix="realapps-taxhub-")
os.chdir(work)
config = os.path.join(work, "taxhub_config.toml")
with open(config, "w") as fh:
    fh.write(
        'SQLALCHEMY_DATABASE_URI = "postgresql://taxhub:taxhub@localhost:5432/taxhub"\n'
        'SECRET_KEY = "realapps-secret-key-0123456789"\n'
    )
os.environ["TAXHUB_CONFIG_FILE"] = config

from apptax.app import create_app  # noqa: E402

app = create_app()
dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
