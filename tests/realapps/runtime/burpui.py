"""Build Burp-UI's Flask app as `burp-ui` (server mode) does, and dump the routes.

`burp-ui` (`burpui.__main__.server`) finds the configuration file, sets
BUI_CONFIG, BUI_MODE=server and FLASK_APP=burpui.cli, and execs `flask run`,
which imports `burpui.cli`: a module-level `app = create_app(conf=...,
gunicorn=False, unittest=False, cli=False, ...)`. We copy the sample
configuration the wheel installs (`<venv>/share/burpui/etc/burpui.sample.cfg`)
into a temporary folder, set the same environment and import `burpui.cli`.

Stubs: nothing may leave the machine (`runtime/_offline.py`; sockets and DNS
refused, `refused_connections` lists any try).
"""
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network()

work = tempfile.mkdtemp(prefix="realapps-burpui-")
os.chdir(work)
conf = os.path.join(work, "burpui.cfg")
shutil.copy(os.path.join(sys.prefix, "share", "burpui", "etc", "burpui.sample.cfg"), conf)
os.environ.update({"BUI_CONFIG": conf, "BUI_MODE": "server", "BUI_VERBOSE": "0", "FLASK_APP": "burpui.cli"})

from burpui.cli import app  # noqa: E402

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
