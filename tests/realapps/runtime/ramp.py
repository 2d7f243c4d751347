"""Build the RAMP front end with its factory, as `ramp-frontend launch` does, and dump the routes.

`ramp-frontend launch --config config.yml` and the WSGI entry
(`ramp_frontend.wsgi.make_app(config_file)`) read the deployment's YAML
configuration (`flask` and `sqlalchemy` sections), turn it into a Flask
configuration with `ramp_utils.generate_flask_config(config)` and call
`ramp_frontend.create_app(flask_config)`, which initialises the extensions,
imports the five view modules inside an application context, registers
their blueprints and runs `db.create_all()`. We build the configuration the
same way from a minimal dictionary (a PostgreSQL database on localhost),
then point `SQLALCHEMY_DATABASE_URI` at an SQLite file in a temporary
folder, because `create_all()` needs a database that answers (RAMP's
models hold nothing PostgreSQL-specific), and call `create_app`.

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

work = tempfile.mkdtemp(prefix="realapps-ramp-")
os.chdir(work)

from ramp_utils import generate_flask_config  # noqa: E402

from ramp_frontend import create_app  # noqa: E402

config = {
    "flask": {"secret_key": "realapps-secret-key-0123456789", "mail_server": "localhost",
              "mail_port": 8025, "mail_default_sender": ["RAMP admin", "admin@localhost"]},
    "sqlalchemy": {"drivername": "postgresql", "username": "ramp", "password": "ramp",
                   "host": "localhost", "port": 5432, "database": "ramp"},
}
flask_config = generate_flask_config(config)
flask_config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(work, "ramp.db")
app = create_app(flask_config)
dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
