"""Build Octavia's amphora agent app as `amphora-agent` does, and dump the routes.

Octavia's only Flask app is the REST agent that runs inside each amphora
(the load-balancer VM). `amphora-agent` (`octavia.cmd.agent:main`) parses
the configuration (`service.prepare_service(sys.argv)`), starts the health
sender process, then builds `server.Server(hm_queue)`, whose constructor
creates the Flask app and adds its rules, and serves `server.app` with
gunicorn. We parse a configuration file written into a temporary folder
(only `[amphora_agent] agent_server_network_dir` set, to that folder: the
constructor writes the loopback interface file there) and build
`Server(queue.Queue())`, without the health sender and without serving it.

Stubs: nothing may leave the machine (`runtime/_offline.py`: sockets and DNS
refused). `distro.id()` answers "ubuntu": the agent picks its OS helper
class from the distribution it runs on (Ubuntu, Red Hat or CentOS amphora
images) and refuses any other, Debian included.
"""
import os
import queue
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network()

work = tempfile.mkdtemp(prefix="realapps-octavia-")
os.chdir(work)
conf = os.path.join(work, "amphora-agent.conf")
with open(conf, "w") as fh:
    fh.write("[amphora_agent]\nagent_server_network_dir = %s\n" % os.path.join(work, "interfaces"))

import distro  # noqa: E402

distro.id = lambda: "ubuntu"

from octavia.amphorae.backends.agent.api_server import server  # noqa: E402
from octavia.common import service  # noqa: E402

service.prepare_service(["amphora-agent", "--config-file", conf])
server_instance = server.Server(queue.Queue())
dump(server_instance.app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
