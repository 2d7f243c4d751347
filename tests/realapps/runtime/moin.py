"""Build MoinMoin 2's Flask app as its WSGI driver does, and dump the routes.

A Moin wiki is an instance folder made by `moin create-instance` (a
`wikiconfig.py` and the `wiki_local` data folders) plus its search index
(`moin index-create`); the WSGI driver `moin/contrib/wsgi/moin2wsgi.py`
then serves `moin.app.create_app(<instance>/wikiconfig.py)`. We do exactly
that in a temporary folder, running both commands of the venv first. The
wiki's content does not change which rules exist.

Stubs: nothing may leave the machine (`runtime/_offline.py`: sockets and DNS
refused, in this process; the two setup commands only write local files).
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network()

work = tempfile.mkdtemp(prefix="realapps-moin-")
os.chdir(work)
moin = os.path.join(os.path.dirname(sys.executable), "moin")
for cmd in (["create-instance"], ["index-create"]):
    subprocess.run([moin, *cmd], check=True, cwd=work, stdin=subprocess.DEVNULL)
sys.path.insert(0, work)  # as moin2wsgi.py does: wikiconfig.py imports from there

from moin.app import create_app  # noqa: E402

app = create_app(os.path.join(work, "wikiconfig.py"))
dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
