"""Build medallion's Flask app as its server command does, and dump the routes.

`medallion CONFIG_PATH` (`medallion.scripts.run:main`) reads a JSON
configuration and calls `set_config(application_instance, ...)` for
"users", "taxii" and "backend" and then `register_blueprints(
application_instance)` on the module-level app of `medallion/__init__.py`
before `application_instance.run(...)`; `medallion.load_app(config_file)`
(the WSGI way, e.g. under gunicorn) does the same. We write a configuration
into a temporary folder with the in-memory backend
(`medallion.backends.memory_backend.MemoryBackend`, no data file), one user
and a page size, and call `load_app` on it.

Stubs: nothing may leave the machine (`runtime/_offline.py`).
"""
import json
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network()

work = tempfile.mkdtemp(prefix="realapps-medallion-")
os.chdir(work)
config = os.path.join(work, "medallion.json")
with open(config, "w") as fh:
    json.dump({
        "backend": {"module": "medallion.backends.memory_backend", "module_class": "MemoryBackend",
                    "filename": None},
        "users": {"realapps": "not-a-password"},
        "taxii": {"max_page_size": 100},
    }, fh)

from medallion import load_app  # noqa: E402

app = load_app(config)
dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
