"""Build Sahara's REST API Flask app as `sahara-api` does, and dump the routes.

`sahara-api` (`sahara.cli.sahara_api:main`) runs `setup_api()`:
`sahara.main.setup_common` (parses the oslo.config files, sets up logging,
validates the Keystone trustee settings, messaging, plugins, data sources,
job binaries), then `make_app()` loads the paste pipeline of
`api-paste.ini` (the wheel installs it under `<prefix>/etc/sahara/`), whose
application is `sahara.api.middleware.sahara_middleware:RouterV2.factory`:
it builds the Flask app with `build_v2_app()` (the v1.0/v1.1 blueprints
and the v2 blueprints) and keeps it as `RouterV2.app`. We write a
`sahara.conf` (that `api-paste.ini`, a SQLite database and a `[trustee]`
section, which Sahara requires) into a temporary folder, pass it with
`--config-file`, run `setup_api()`'s steps and dump `RouterV2.app`.
Keystone and the message bus are not contacted while the app is built.

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

work = tempfile.mkdtemp(prefix="realapps-sahara-")
os.chdir(work)
paste = os.path.join(sys.prefix, "etc", "sahara", "api-paste.ini")
conf = os.path.join(work, "sahara.conf")
with open(conf, "w") as fh:
    fh.write(f"[DEFAULT]\napi_paste_config = {paste}\nlog_dir = {work}\n"
             "[trustee]\nusername = sahara\npassword = realapps-not-a-secret\n"
             "project_name = service\nauth_url = http://keystone.realapps.invalid/v3\n"
             "user_domain_name = Default\nproject_domain_name = Default\n"
             f"[database]\nconnection = sqlite:///{work}/sahara.db\n")
sys.argv = ["sahara-api", "--config-file", conf]

import sahara.main as server  # noqa: E402

server.setup_common(work, "API")
server.make_app()
server.setup_sahara_api("distributed")
server.setup_auth_policy()

from sahara.api.middleware.sahara_middleware import RouterV2  # noqa: E402

dump(RouterV2.app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
