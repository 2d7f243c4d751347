"""Build I Hate Money's Flask app as its WSGI entry point does, and dump it.

`ihatemoney.wsgi` is `application = create_app()` (`ihatemoney.run`), and
`create_app()` reads the settings file named by IHATEMONEY_SETTINGS_FILE_PATH
on top of `ihatemoney.default_settings`. We write one into a temporary
folder with a SQLite database in that folder (the default is
`/tmp/ihatemoney.db`) and a SECRET_KEY; everything else is the default
(ACTIVATE_ADMIN_DASHBOARD and the other options only change what views do,
not which rules are registered). `create_app()` runs the Alembic migrations
on that SQLite file (`setup_database()`): a local file, no database server.

Stubs: nothing may leave the machine. Every AF_INET/AF_INET6
`socket.connect` raises ConnectionRefusedError, as if no server listened,
and `getaddrinfo` answers only for localhost and numeric addresses. The only
network use in the package, the exchange-rate download of
`CurrencyConverter.get_rates()`, happens on a request, not while the app is
built, so none of this fires today; `refused_connections` in the dump lists
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

work = tempfile.mkdtemp(prefix="realapps-ihatemoney-")
os.chdir(work)
settings = os.path.join(work, "ihatemoney.cfg")
with open(settings, "w") as fh:
    fh.write(f"""\
SQLALCHEMY_DATABASE_URI = {'sqlite:///' + os.path.join(work, 'ihatemoney.db')!r}
SECRET_KEY = 'realapps-not-a-secret'
""")
os.environ["IHATEMONEY_SETTINGS_FILE_PATH"] = settings

from ihatemoney.run import create_app  # noqa: E402

app = create_app()
dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
