"""Start OctoPrint's server (`octoprint serve`) just far enough to build its Flask app, and dump it.

`octoprint.server.Server.run()` sets up the Flask app, the bundled plugins
(`octoprint.plugins.*`, whose BlueprintPlugin blueprints are mounted under
/plugin/<id>) and the core blueprints (`_setup_blueprints`), and only then
starts Tornado. We stub the intermediary HTTP server and stop right after
`_setup_blueprints`: the url_map is complete at that point. The base folder
(config, users, uploads) is a temporary directory.
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

import octoprint  # noqa: E402
import octoprint.server  # noqa: E402

Server = octoprint.server.Server
Server._start_intermediary_server = lambda self: None
Server._stop_intermediary_server = lambda self: None


def _after_blueprints(self):
    dump(octoprint.server.app)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


Server._check_simple_api_plugins = _after_blueprints

basedir = tempfile.mkdtemp(prefix="realapps-op-")
sys.argv = ["octoprint", "serve", "--basedir", basedir, "--host", "127.0.0.1", "--port", "5999", "--iknowwhatimdoing"]  # CI runs as root
octoprint.main()
sys.exit("OctoPrint returned before its blueprints were set up")
