"""Build OWASP Nettacker's API Flask app as `nettacker --start-api` does, and dump the routes.

`nettacker --start-api` (`nettacker.api.engine.start_api_server`) runs
`start_api_subprocess(options)` in a child process, which stores the options
in `app.config` and calls `app.run(...)` on the module-level app of
`nettacker.api.engine`; every rule is added by `@app.route` at import of that
module. We import it (its data folders and SQLite database default to the
user's home, a fresh temporary folder here) and dump `app` without running it.

Stubs: nothing may leave the machine (`runtime/_offline.py`: sockets and DNS
refused, `refused_connections` lists any try).
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network()

work = tempfile.mkdtemp(prefix="realapps-nettacker-")
os.chdir(work)

from nettacker.api.engine import app  # noqa: E402

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
