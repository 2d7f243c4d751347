"""Build Fava's Flask app as its command line does, and dump the routes.

`fava FILE` (`fava.cli.main`) calls `fava.application.create_app([FILE],
incognito=..., read_only=..., poll_watcher=...)` and serves it. We do the
same with a three-line Beancount ledger written to a temporary folder and
`load=True` (the ledger is parsed now instead of on the first request); the
options only change what views do, not which rules exist.

Stubs: nothing may leave the machine (`runtime/_offline.py`: sockets and
DNS refused). Fava needs no network to build its app; `refused_connections`
in the dump lists anything that tried.
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network()

work = tempfile.mkdtemp(prefix="realapps-fava-")
os.chdir(work)
ledger = os.path.join(work, "ledger.beancount")
with open(ledger, "w") as fh:
    fh.write('option "title" "realapps"\n'
             "2026-01-01 open Assets:Cash EUR\n"
             "2026-01-01 open Expenses:Food EUR\n")

from fava.application import create_app  # noqa: E402

app = create_app([ledger], load=True)
dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
