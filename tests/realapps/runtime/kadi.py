"""Build Kadi4Mat as its WSGI module does in production, and dump the routes.

Kadi4Mat (the `kadi` distribution, a virtual research environment) is served
as `kadi.wsgi:app` (uWSGI): `create_app()` makes a `Kadi` app (a Flask
subclass) in the production environment, configured from
`kadi.config.ProductionConfig` and the file named by `KADI_CONFIG_FILE`,
loads the configured plugins through the `kadi_plugins` entry points
(pluggy), initializes the extensions (SQLAlchemy, Elasticsearch, Celery,
Flask-Limiter, Flask-Login, Authlib, ...) and, in `_init_app`, registers
every blueprint that the `kadi_get_blueprints` hook returns: the built-in
hook implementations (`kadi.plugins.impl`) return the blueprints of the
modules (`kadi.modules.*`: their views with `@bp.route`, their API views
with `kadi.lib.api.blueprint.APIBlueprint.route`, which adds each rule once
per API version) and the enabled plugins return their own.

We write a configuration file as the installation guide does (PostgreSQL
URL, storage and upload paths in a temporary folder, server name, secret
key) and enable the three bundled plugins that register blueprints
(`influxdb`, `tib_ts`, `zenodo`, with the settings they require), then
import `kadi.wsgi` with `KADI_CONFIG_FILE` naming that file, without
uWSGI. Elasticsearch and Redis are not contacted while the app is built
(the clients connect on first use).

Stubs: nothing may leave the machine (`runtime/_offline.py`: sockets and DNS
refused); the last step of `_init_app` in production, after every blueprint
is registered, asks PostgreSQL whether migrations are pending
(`kadi.app.has_pending_revisions`): it answers "none" without a database.
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network()

work = tempfile.mkdtemp(prefix="realapps-kadi-")
os.chdir(work)

config_file = os.path.join(work, "kadi.py")
with open(config_file, "w", encoding="utf-8") as fh:
    fh.write(
        f"""
SQLALCHEMY_DATABASE_URI = "postgresql://kadi:kadi@localhost/kadi"
STORAGE_PATH = {os.path.join(work, "storage")!r}
MISC_UPLOADS_PATH = {os.path.join(work, "uploads")!r}
SERVER_NAME = "kadi4mat.example.edu"
SECRET_KEY = "realapps-not-a-secret"
PLUGINS = ["influxdb", "tib_ts", "zenodo"]
PLUGIN_CONFIG = {{
    "influxdb": {{"instance": {{"url": "https://influxdb.example.edu"}}}},
    "zenodo": {{
        "base_url": "https://zenodo.org",
        "client_id": "realapps",
        "client_secret": "realapps",
    }},
}}
"""
    )
os.environ["KADI_CONFIG_FILE"] = config_file
os.environ.pop("KADI_ENV", None)

import kadi.app  # noqa: E402

kadi.app.has_pending_revisions = lambda: False

from kadi.wsgi import app  # noqa: E402

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
