"""Build a Chill site as `chill serve` does, and dump the routes.

Chill (a database-driven web application framework on Flask) runs a site
from a folder holding its `site.cfg`: `chill init` writes the default
`site.cfg`, the `queries` and `templates` folders and the SQLite database;
`chill serve` (`chill.script:serve`) calls the app factory
`chill.app.make_app(config="site.cfg")` and serves the app with gunicorn.
`make_app` creates a `ChillFlask("chill")` (a Flask subclass with
`send_root_file`/`send_media_file`/`send_theme_file` methods), adds
`/<path:filename>`, the media and the theme rules with `app.add_url_rule`
only when the configured folders exist, and registers a blueprint
(`public`) with four rules whose views are `PageView.as_view(...)`
(a `MethodView`) wrapped by Flask-Caching, under `PUBLIC_URL_PREFIX`.

We run `chill init` in a temporary folder, then enable in its `site.cfg`
the media folder and the theme's static folder, two settings the generated
file documents (commented out), as a site with images and a theme does
(`MEDIA_FOLDER = "media"`, `THEME_STATIC_FOLDER = "static"`, both folders
created), and build the app as `chill serve` does, without gunicorn.

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

work = tempfile.mkdtemp(prefix="realapps-chill-")
os.chdir(work)

from chill import script  # noqa: E402

script.init()
with open("site.cfg", "a", encoding="utf-8") as fh:
    fh.write('\nMEDIA_FOLDER = "media"\nTHEME_STATIC_FOLDER = "static"\n')
os.mkdir("media")
os.mkdir("static")

app = script.make_app(config="site.cfg", database_readonly=False)

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
