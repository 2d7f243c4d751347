"""Build Puppetboard's Flask app as its WSGI module does, and dump the routes.

Puppetboard is served as `puppetboard.app:app` (gunicorn, the Docker image):
importing `puppetboard.app` imports the twelve view modules, which add their
routes to the singleton app of `puppetboard.core.get_app()`. Settings come
from `puppetboard.default_settings` plus the file named by
PUPPETBOARD_SETTINGS; we write one into a temporary folder holding only a
SECRET_KEY (the import exits without one). Everything else is the default:
the ENABLE_* options only change the menu, not which rules exist.

Stubs: nothing may leave the machine (`runtime/_offline.py`: sockets and DNS
refused). At import, `puppetboard.app` calls
`puppetboard.utils.check_db_version(puppetdb)`, which asks PuppetDB for its
version and exits when it cannot be reached; it is replaced by a function
that records the skipped check (it reads a version, it registers nothing).
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network()

work = tempfile.mkdtemp(prefix="realapps-puppetboard-")
os.chdir(work)
settings = os.path.join(work, "settings.py")
with open(settings, "w") as fh:
    fh.write("SECRET_KEY = 'realapps-not-a-secret'\n")
os.environ["PUPPETBOARD_SETTINGS"] = settings
for key in [k for k in os.environ if k.startswith("PUPPETDB_")]:
    del os.environ[key]

import puppetboard.utils  # noqa: E402

skipped = []
puppetboard.utils.check_db_version = lambda puppetdb: skipped.append("check_db_version")

import puppetboard.app  # noqa: E402

dump(puppetboard.app.app, skipped_checks=skipped, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
