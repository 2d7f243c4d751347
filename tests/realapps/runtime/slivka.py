"""Build a slivka project's server as `slivka start server` does, and dump the routes.

`slivka init <dir>` writes a project: `settings.yaml`, an example service,
and copies of the package's `project_template/wsgi.py` and `routes.py`.
`slivka start server` (run in the project, `SLIVKA_HOME` naming it) serves
`wsgi:app` with gunicorn: `wsgi.py` calls the factory
`slivka.server.create_app()` (settings read from the project; the API
blueprint registered twice, under `/api/v1.1` and `/api`; the uploads and
results rules under the settings' paths) and registers the project's
`routes.blueprint`.

We run `slivka init` in a temporary folder and import its `wsgi` module as
gunicorn does, with `SLIVKA_HOME` naming the project, without the server.
MongoDB is not contacted while the app is built.

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

work = tempfile.mkdtemp(prefix="realapps-slivka-")
project = os.path.join(work, "project")
os.makedirs(project)
os.chdir(project)

from slivka.cli import init_project  # noqa: E402

init_project(project)
os.environ["SLIVKA_HOME"] = project
sys.path.insert(0, project)

from wsgi import app  # noqa: E402

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
