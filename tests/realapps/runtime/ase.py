"""Build ASE's database browser as `ase db <file> -w` serves it, and dump the routes.

`ase db abc.db -w` (`ase.db.cli.main`) connects to the database and calls
`ase.db.app.DBApp.run_db(db)`, which creates a `DBApp` (its constructor
builds the Flask app with `new_app(self.projects)` and adds the front page),
adds the database as the project `default` and runs Flask's server. We do
the same with an SQLite database (one molecule written to it) in a
temporary folder, without running the server. Flask is not a dependency of
ASE (the command asks the user to install it), hence `requires = ["flask"]`.

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

work = tempfile.mkdtemp(prefix="realapps-ase-")
os.chdir(work)

from ase.build import molecule  # noqa: E402
from ase.db import connect  # noqa: E402
from ase.db.app import DBApp  # noqa: E402

db = connect(os.path.join(work, "abc.db"))
db.write(molecule("H2O"))

dbapp = DBApp()
dbapp.add_project("default", db)
# The views are closures over `request` (imported inside `new_app()`), a
# proxy that `_dump.py`'s look into closure cells may only touch inside a
# request context.
with dbapp.flask.test_request_context("/"):
    dump(dbapp.flask, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
