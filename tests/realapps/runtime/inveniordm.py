"""Build InvenioRDM's UI and REST API Flask apps as its WSGI modules do, and dump the routes.

InvenioRDM's WSGI modules are `invenio_app.wsgi_ui` (`create_ui()`),
`invenio_app.wsgi_rest` (`create_api()`), run by separate UI and API
servers, and `invenio_app.wsgi` (`create_app()`: the UI app with the REST
app mounted under `/api` by a dispatcher middleware, not by Flask). The
factories are made by `invenio_base.app.create_app_factory`. Each
factory loads the configuration (`invenio_config` entry points, then
`INVENIO_*` environment variables), initialises the extensions named in the
`invenio_base.apps` / `invenio_base.api_apps` entry-point groups, and
registers the blueprints returned by the functions named in the
`invenio_base.blueprints` / `invenio_base.api_blueprints` groups, from the
~50 `invenio_*` distributions installed with `invenio-app-rdm`; most REST
resources are Flask-Resources `Resource` objects whose `create_url_rules()`
lists `route(method, rule, self.view)` with rules read from their config
classes. We set `INVENIO_INSTANCE_PATH` to a temporary folder,
`INVENIO_SECRET_KEY`, and `INVENIO_SQLALCHEMY_DATABASE_URI` (a PostgreSQL
URI whose host is a Unix-socket folder inside the temporary folder, where
nothing listens; nothing connects while the apps are built), call both
factories and dump the union of their url_maps, each route tagged with its
app (`flask_app`: `ui` or `api`).

Flask-Resources registers a closure (`flask_resources.resources.route.
<locals>.view`) around the resource's decorated bound method; `_dump.py`
would give the library's module for it. As `_dump.py` does for a bound
method, the module of such a route is the module of the class of the
resource instance the method is bound to (found by unwrapping the closure's
`view_meth` down to the bound method).

Stubs: nothing may leave the machine (`runtime/_offline.py`: sockets and DNS
refused). OpenSearch, Redis and PostgreSQL are only used by requests.
"""
import inspect
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump(), collect()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network()

work = tempfile.mkdtemp(prefix="realapps-inveniordm-")
os.chdir(work)
instance = os.path.join(work, "instance")
os.mkdir(instance)
os.environ.update({
    "INVENIO_INSTANCE_PATH": instance,
    "INVENIO_SECRET_KEY": "realapps-not-a-secret",
    "INVENIO_SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg2://invenio@/invenio?host={work}",
})

from invenio_app.factory import create_api, create_ui  # noqa: E402


def resource_module(app, endpoint):
    """The module of the resource class behind a Flask-Resources view, else None."""
    func = app.view_functions.get(endpoint)
    if getattr(func, "__module__", None) != "flask_resources.resources":
        return None
    cells = dict(zip(func.__code__.co_freevars, func.__closure__ or ()))
    if "view_meth" not in cells:
        return None
    meth = cells["view_meth"].cell_contents
    try:
        meth = inspect.unwrap(meth, stop=lambda f: getattr(f, "__self__", None) is not None)
    except ValueError:
        pass
    owner = getattr(meth, "__self__", None)
    return type(owner).__module__ if owner is not None else None


ui_app = create_ui()
api_app = create_api()
routes = []
counts = {}
for name, app in (("ui", ui_app), ("api", api_app)):
    rules = collect(app)
    counts[name] = len(rules)
    for r in rules:
        r["flask_app"] = name
        module = resource_module(app, r["endpoint"])
        if module is not None:
            r["module"] = module
        routes.append(r)
routes.sort(key=lambda r: (r["rule"], r["endpoint"], r["flask_app"]))
dump(ui_app, routes=routes, flask_apps=counts, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
