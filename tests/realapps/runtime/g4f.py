"""Build the g4f (gpt4free) web GUI as `g4f gui` does, and dump the routes.

`g4f gui` (`g4f.cli` -> `g4f.gui.run_gui`) calls `g4f.gui.get_gui_app()`:
the factory `g4f.gui.server.app.create_app(False)` makes the Flask app, then
a `Website(app)` and a `Backend_Api(app)` are made; each holds a dict
`routes` (rule -> view function and methods) that `get_gui_app` adds with
`app.add_url_rule` in a loop, and `Backend_Api.__init__` also adds views
with `@app.route` / `@self.app.route` on the app it is given. `run_gui` then
runs the development server.

We call `get_gui_app()` (its defaults: not the demo) without the server.
Importing the GUI resolves a few providers by name, which makes
`g4f.client.factory.AbstractClientFactory` fetch the live provider list
from g4f.dev (cached per day under the user's cache folder); the list is
set beforehand to one that names every provider, at an `.invalid` address
that is never contacted (the providers are only called on a request).
The FastAPI server of `g4f api` is not a Flask app and is not part of the
truth.

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

work = tempfile.mkdtemp(prefix="realapps-g4f-")
os.chdir(work)

from g4f.client.factory import AbstractClientFactory  # noqa: E402


class _AnyName(dict):
    """Every name is a provider of the live list, served at an address that
    is never contacted (the list is fetched from g4f.dev at import)."""

    def __contains__(self, name):
        return True

    def __getitem__(self, name):
        return {"baseUrl": f"https://{name.lower()}.invalid/v1"}


AbstractClientFactory._live_providers = {"providers": _AnyName(), "defaultModels": {}}

from g4f.gui import get_gui_app  # noqa: E402

app = get_gui_app()

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
