"""Build Grip's Flask app as `grip` does before serving, and dump the routes.

`grip [path]` calls `grip.api.serve(...)`, which builds the app with
`create_app(path, ...)` and then calls `app.run`. `create_app` picks a
reader and a renderer and instantiates `Grip`, a Flask subclass whose
constructor computes its rules from `grip_url` (the `GRIPURL` environment
variable, else `DEFAULT_GRIPURL`) with `posixpath.join` and adds them with
`self.add_url_rule(rule, endpoint, self._bound_method)`; the static URL
path is computed the same way. We write a README into a temporary folder
and call `create_app(folder)` with the defaults (GitHub's renderer, which
is only contacted when a page is rendered).

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

work = tempfile.mkdtemp(prefix="realapps-grip-")
os.chdir(work)
with open(os.path.join(work, "README.md"), "w") as fh:
    fh.write("# realapps\n")

from grip import create_app  # noqa: E402

app = create_app(work)
dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
