"""Build privacyIDEA's Flask app as its WSGI entry point does, and dump it.

privacyIDEA's documented WSGI script (`privacyideaapp.wsgi`, also what
`pi-manage` builds through `privacyidea.cli.create_silent_app`) is

    application = create_app(config_name="production",
                             config_file="/etc/privacyidea/pi.cfg", silent=True)

We call `privacyidea.app.create_app()` the same way, with `config_file`
pointing at a `pi.cfg` written to a temporary folder instead of /etc:
SQLALCHEMY_DATABASE_URI is a SQLite file in that folder, PI_ENCFILE a freshly
generated 96-byte key there (what `pi-manage setup create_enckey` writes),
PI_PEPPER/SECRET_KEY fixed strings, PI_AUDIT_NO_SIGN (no audit key pair),
PI_LOGFILE/PI_LOGCONFIG/PI_UUID_FILE inside the folder, and PI_NODE_UUID
fixed (so /etc/privacyidea/uuid.txt and /etc/machine-id are not read).
PI_REDIS_URL and PI_JOB_QUEUE_CLASS stay unset (no Redis, no queue), and
PRIVACYIDEA_* / PI_CONFIG_NAME variables are removed from the environment
so the machine's environment cannot change the configuration.

All 36 blueprints are registered unconditionally (`_register_blueprints`);
`create_docker_app()`, the other factory, registers the same ones. During
the build `create_app()` only touches the database to look for the
`nodename` table in `_setup_node_configuration()` (the SQLite file is new
and empty, so it just logs a warning).

Stubs: nothing may leave the machine. Every AF_INET/AF_INET6
`socket.connect` raises ConnectionRefusedError, as if no server listened;
`getaddrinfo` answers only for localhost and numeric addresses;
`socket.getfqdn` returns a fixed name; and SQLAlchemy's
`DefaultDialect.connect` is refused for any dialect but SQLite (a local
file). None of this fires today; `refused_connections` in the dump lists
anything that tried.
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network()
refuse_databases(allow=("sqlite",))

for key in list(os.environ):
    if key.startswith(("PRIVACYIDEA", "PI_")) or key in ("DATABASE_URL", "SECRET_KEY"):
        del os.environ[key]

work = tempfile.mkdtemp(prefix="realapps-privacyidea-")
os.chdir(work)
enckey = os.path.join(work, "enckey")
with open(enckey, "wb") as fh:
    fh.write(os.urandom(96))
cfg = os.path.join(work, "pi.cfg")
with open(cfg, "w") as fh:
    fh.write(f"""\
SQLALCHEMY_DATABASE_URI = {'sqlite:///' + os.path.join(work, 'privacyidea.sqlite')!r}
SECRET_KEY = 'realapps-not-a-secret-0123456789abcdef'
PI_PEPPER = 'realapps-not-a-pepper'
PI_ENCFILE = {enckey!r}
PI_AUDIT_NO_SIGN = True
PI_LOGFILE = {os.path.join(work, 'privacyidea.log')!r}
PI_LOGCONFIG = {os.path.join(work, 'no-logging.cfg')!r}
PI_LOGLEVEL = 30
PI_UUID_FILE = {os.path.join(work, 'uuid.txt')!r}
PI_NODE_UUID = '8e4272a9-9037-40df-8aa3-976e4a04b5a9'
PI_NODE = 'realapps'
PI_BASE_URL = 'https://privacyidea.invalid'
""")

from privacyidea.app import create_app  # noqa: E402

app = create_app(config_name="production", config_file=cfg, silent=True)
dump(app, config_name="production", refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
