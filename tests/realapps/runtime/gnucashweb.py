"""Build GnuCash Web with its factory, as its WSGI module does, and dump the routes.

GnuCash Web is served as `gnucash_web.wsgi:app` (gunicorn or any WSGI
server), whose module calls `gnucash_web.create_app()`; the `gnucash-web`
command is a `FlaskGroup` over the same factory. The configuration is a
Python file named by `GNUCASH_WEB_CONFIG` (else `/etc/gnucash-web/config.py`
or `~/.config/gnucash-web/config.py`) over the packaged defaults. We write
one in a temporary folder (a secret key and an SQLite GnuCash book in that
folder, no authentication) and import the WSGI module; the book is only
opened on a request.

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

work = tempfile.mkdtemp(prefix="realapps-gnucashweb-")
os.chdir(work)
config = os.path.join(work, "config.py")
with open(config, "w") as f:
    f.write(
        "SECRET_KEY = bytes.fromhex('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff')\n"
        "LOG_LEVEL = 30\n"
        "DB_DRIVER = 'sqlite'\n"
        f"DB_NAME = {os.path.join(work, 'book.gnucash')!r}\n"
        "AUTH_MECHANISM = None\n"
    )
os.environ["GNUCASH_WEB_CONFIG"] = config

from gnucash_web.wsgi import app  # noqa: E402

dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
