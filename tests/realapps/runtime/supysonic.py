"""Build Supysonic's Flask app as its server command does, and dump the routes.

`supysonic-server` (`supysonic.server._base.BaseServer._load_app`) serves
`supysonic.web.create_application()` with no argument: the configuration is
`IniConfig.from_common_locations()` (`/etc/supysonic`, `~/.supysonic`,
`~/.config/supysonic/supysonic.conf`, `./supysonic.conf`) over
`DefaultConfig`. We write `~/.supysonic` (HOME is a fresh temporary folder)
with a SQLite database and a cache folder inside a temporary folder; the
defaults mount both the web UI (`frontend` blueprint) and the Subsonic API
(`api` blueprint under `/rest`), so nothing else is set. The factory opens the
SQLite database and creates its schema.

Stubs: nothing may leave the machine (`runtime/_offline.py`).
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network()

work = tempfile.mkdtemp(prefix="realapps-supysonic-")
os.chdir(work)
with open(os.path.expanduser("~/.supysonic"), "w") as fh:
    fh.write("[base]\n")
    fh.write(f"database_uri = sqlite:///{os.path.join(work, 'supysonic.db')}\n")
    fh.write("[webapp]\n")
    fh.write(f"cache_dir = {os.path.join(work, 'cache')}\n")

from supysonic.web import create_application  # noqa: E402

app = create_application()
dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
