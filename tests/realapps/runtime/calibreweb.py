"""Build Calibre-Web's app as `cps` (its console script) does, and dump it.

`calibreweb.__main__` puts the package directory on sys.path and runs
`cps.main.main()`, which calls `create_app()`, registers every blueprint and
then starts the web server. We stub the server start so main() returns after
the registrations, and switch on the optional Kobo sync (config flag) so its
blueprints are part of the truth too (OAuth comes in through the `oauth`
extra, installed by setup.sh).
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]  # runtime/<app>.py shadows <app>
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

tmp = tempfile.mkdtemp(prefix="realapps-cw-")
sys.argv = ["cps", "-p", os.path.join(tmp, "app.db"), "-g", os.path.join(tmp, "gdrive.db")]

import calibreweb  # noqa: E402,F401  (puts its directory on sys.path, imports cps.main)
import cps  # noqa: E402
from cps import main as cps_main, server  # noqa: E402

_create_app = cps.create_app


def create_app():
    app = _create_app()
    cps.config.config_kobo_sync = True  # what get_kobo_activated() reads
    return app


cps_main.create_app = create_app
server.WebServer.start = lambda self: True

try:
    cps_main.main()
except SystemExit:
    pass
dump(cps.app)
sys.stdout.flush()
os._exit(0)  # the updater and scheduler threads are not daemons
