"""Build a Celery Director project's web app as `director webserver` does, and dump the routes.

`director init <dir>` writes a project (`.env` with an SQLite database in
the project and Redis for Celery, `workflows.yml`, two task modules);
`director webserver` (run with `DIRECTOR_HOME` naming the project) serves
`director._auto:app` with gunicorn: that module calls the factory
`director.create_app()` (a `Flask` subclass, the settings read from the
project's `.env`, the module-level `api_bp` and `view_bp` blueprints
registered, then a `user` blueprint made inline for the project's static
folder; extensions, Celery and the workflows of `workflows.yml` set up).

We run `director init` (the click command's function) in a temporary
folder and import `director._auto` as gunicorn does, with `DIRECTOR_HOME`
naming the project, without the server. Redis is not contacted while the
app is built.

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

work = tempfile.mkdtemp(prefix="realapps-celerydirector-")
project = os.path.join(work, "project")
os.chdir(work)
for key in [k for k in os.environ if k.startswith("DIRECTOR_")]:
    del os.environ[key]

# Set before `director` is imported: `create_app`'s defaults read it then.
os.environ["DIRECTOR_HOME"] = project

from director.commands.init import init  # noqa: E402

init.callback(project)

from director._auto import app  # noqa: E402

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
