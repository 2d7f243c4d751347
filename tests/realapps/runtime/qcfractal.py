"""Build the QCFractal API server as `qcfractal-server start-api` does, and dump the routes.

`qcfractal-server init-config` writes `qcfractal_config.yaml` in a base
folder (secret keys, the database settings); `qcfractal-server start-api`
(`qcfractal.qcfractal_server_cli.server_start_api`) reads it with
`qcfractal.config.read_configuration`, makes sure PostgreSQL is alive and
serves `FractalWaitressApp(config)` with waitress, whose `application` is
`qcfractal.flask_app.create_flask_app(config)` (`qcfractal-server start`
builds the same app in its API process). The factory makes the storage
socket (an SQLAlchemy engine, then a check that the database's alembic
revision is current), imports the route modules (the API, auth and compute
blueprints' `routes` and `qcfractal.components.register_all`) and registers
the four blueprints.

We write the initial configuration as `init-config` does, in a temporary
folder, read it back as the CLI does and call the factory through
`FractalWaitressApp`, without waitress and without PostgreSQL.

Stubs: nothing may leave the machine (`runtime/_offline.py`: sockets and DNS
refused: `init-config` probes two local ports, PostgreSQL's 5432 and the
API's 7777, to pick free ones; both are refused, i.e. free, so the defaults
are kept, and they are the dump's `refused_connections`); the storage socket the factory makes first
(`qcfractal.db_socket.SQLAlchemySocket`, whose constructor checks the
database's alembic revision, reads the message of the day and queues
internal jobs) is replaced by an object holding the configuration: the
routes do not depend on it, and no other step of the factory reads the
database.
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network()

work = tempfile.mkdtemp(prefix="realapps-qcfractal-")
os.chdir(work)
os.environ.pop("QCF_CONFIG_PATH", None)

from qcfractal.config import read_configuration, write_initial_configuration  # noqa: E402

config_file = os.path.join(work, "qcfractal_config.yaml")
write_initial_configuration(config_file, full_config=False)
config = read_configuration([config_file])

import qcfractal.flask_app.flask_socket as flask_socket  # noqa: E402


class _Socket:
    """Stands for SQLAlchemySocket, which reads and writes the database when made."""

    def __init__(self, qcf_config):
        self.qcf_config = qcf_config

    def set_finished_watch(self, finished_queue):
        pass


flask_socket.SQLAlchemySocket = _Socket

from qcfractal.flask_app.waitress_app import FractalWaitressApp  # noqa: E402

app = FractalWaitressApp(config).application

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
