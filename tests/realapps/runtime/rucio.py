"""Build Rucio's REST API Flask app as its server does, and dump the routes.

The Rucio server (its container runs Apache httpd with mod_wsgi) serves
`rucio.web.rest.flaskapi.v1.main:application`, a module-level Flask app built
at import: the endpoint modules named by the `[api]` options `endpoints`,
`endpoints_add` and `endpoints_remove` of rucio.cfg (by default the set
`DEFAULT_ENDPOINTS`) are imported by name and their `blueprint()` (and
`blueprint_legacy()`) functions registered. We write a rucio.cfg into a
temporary folder with only a SQLite database, a log level and a memcached
address, point
RUCIO_CONFIG at it (no `[api]` section: the default endpoints), and import
that module. `rucio.common.cache` probes memcached at import and falls back
to dogpile's null cache when none answers; the address we give is a Unix
socket that does not exist, so the probe fails as it does on a server
without memcached, without a TCP connection to refuse.

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

work = tempfile.mkdtemp(prefix="realapps-rucio-")
os.chdir(work)
config = os.path.join(work, "rucio.cfg")
with open(config, "w") as fh:
    fh.write("[common]\nloglevel = WARNING\n")
    fh.write(f"[database]\ndefault = sqlite:///{os.path.join(work, 'rucio.db')}\n")
    fh.write(f"[cache]\nurl = {os.path.join(work, 'no-memcached.sock')}\n")
os.environ["RUCIO_CONFIG"] = config
os.environ["RUCIO_HOME"] = work

from rucio.web.rest.flaskapi.v1.main import application  # noqa: E402

dump(application, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
