"""Build the OpenFisca web API as `openfisca serve` does, and dump the routes.

`openfisca serve --country-package openfisca_country_template`
(`openfisca_web_api.scripts.serve`) builds the country package's tax and
benefit system with `openfisca_core.scripts.build_tax_benefit_system` and
serves `openfisca_web_api.app.create_app(tax_benefit_system, ...)` with
gunicorn (`OpenFiscaWebAPIApplication.load`). The factory makes
`Flask(__name__)`, wraps it in `ProxyFix` and CORS, builds the API's data
from the system and adds its views, defined inside the factory, with
`@app.route`.

We build the tax and benefit system of `openfisca_country_template` (the
reference country package, installed with the app) as the serve script
does, without extensions or reforms, and call `create_app` with the serve
script's defaults (no tracker, no welcome message), without gunicorn.

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

work = tempfile.mkdtemp(prefix="realapps-openfisca-")
os.chdir(work)

from openfisca_core.scripts import build_tax_benefit_system  # noqa: E402
from openfisca_web_api.app import create_app  # noqa: E402

tax_benefit_system = build_tax_benefit_system("openfisca_country_template", None, None)
app = create_app(tax_benefit_system)

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
