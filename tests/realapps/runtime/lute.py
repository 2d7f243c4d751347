"""Build Lute v3 as `python -m lute.main` does, and dump the routes.

`python -m lute.main` (`lute.main._start`) picks a configuration file (the
one given, else `config.yml` in the working folder, else the package's
`config/config.yml`, copied from `config.yml.prod` when missing), calls the
factory `lute.app_factory.create_app(config_file_path)` (data folders made,
the SQLite database created or migrated, the app built with its base routes
and sixteen blueprints, the parser plugins loaded), loads the demo data in
an app context and serves the app with waitress.

We write a production configuration (`ENV: prod`, `DBNAME: lute.db`, as
`config.yml.prod`) in a temporary folder with `DATAPATH` inside it, so that
nothing is written into the installed package or the user's data folder,
and call `create_app` with it, without the demo data (which adds no route)
and without waitress. The `dev_api` blueprint is registered only for a test
database (`DBNAME` starting with `test_`), so not here.

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

work = tempfile.mkdtemp(prefix="realapps-lute-")
os.chdir(work)
config = os.path.join(work, "config.yml")
with open(config, "w") as fh:
    fh.write("ENV: prod\nDBNAME: lute.db\nDATAPATH: " + os.path.join(work, "data") + "\n")

from lute.app_factory import create_app  # noqa: E402

app = create_app(config)

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
