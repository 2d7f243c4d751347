"""Build An Otter Wiki's Flask app as its WSGI module does, and dump the routes.

`otterwiki.server` builds a module-level app at import: defaults through
`app.config.update(...)`, then `from_envvar("OTTERWIKI_SETTINGS")`; it
exits unless SECRET_KEY (16+ characters) and REPOSITORY (an existing
folder) are configured, then imports `otterwiki.views` (the routes) for
its side effect. We write a settings file with both, point
OTTERWIKI_SETTINGS at it, create an empty git repository for REPOSITORY
(its GitStorage opens it), and import `otterwiki.server` as `otterwiki.wsgi`
does.

Stubs: nothing may leave the machine (`runtime/_offline.py`).
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network()

work = tempfile.mkdtemp(prefix="realapps-otterwiki-")
os.chdir(work)
repository = os.path.join(work, "repository")
os.makedirs(repository)
subprocess.run(["git", "init", "-q", repository], check=True)
settings = os.path.join(work, "settings.cfg")
with open(settings, "w") as fh:
    fh.write(f"REPOSITORY = {repository!r}\nSECRET_KEY = 'realapps-not-a-secret-key'\n")
os.environ["OTTERWIKI_SETTINGS"] = settings

from otterwiki.server import app  # noqa: E402

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
