"""Build CELLxGENE Annotate's Flask app as its server does, and dump the routes.

`cellxgene launch <dataset.h5ad>` (`server.cli.launch:launch`, a click
command) builds an `AppConfig` from its options, loads the dataset
(`complete_config`), creates `CliLaunchServer(app_config)` (a subclass of
`server.app.app.Server`, whose `__init__` builds the Flask app: a web
blueprint, and Flask-RESTful `Api` resources on two blueprints whose
prefixes are computed from local variables) and calls `server.app.run`.
We write a four-cell AnnData file (`.h5ad`, with one categorical
annotation and a UMAP embedding) into a temporary folder, run the real
`launch` command on it with its defaults (host 127.0.0.1), and dump the app
in place of `Flask.run` (the command has silenced stdout by then; the dump
goes to the file named by REALAPPS_RUNTIME_OUT).

Stubs: nothing may leave the machine (`runtime/_offline.py`: sockets and DNS
refused); `Flask.run` is replaced by the dump.
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network()

work = tempfile.mkdtemp(prefix="realapps-cellxgene-")
os.chdir(work)

import anndata  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

obs = pd.DataFrame({"louvain": pd.Categorical(["a", "b", "a", "b"])}, index=[f"cell{i}" for i in range(4)])
var = pd.DataFrame(index=[f"gene{i}" for i in range(3)])
adata = anndata.AnnData(X=np.arange(12, dtype=np.float32).reshape(4, 3), obs=obs, var=var)
adata.obsm["X_umap"] = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
dataset = os.path.join(work, "tiny.h5ad")
adata.write_h5ad(dataset)

import flask  # noqa: E402


def _dump_instead_of_run(self, *args, **kwargs):
    dump(self, refused_connections=sorted(set(refused)))
    sys.stderr.flush()
    os._exit(0)


flask.Flask.run = _dump_instead_of_run

from server.cli.launch import launch  # noqa: E402

launch.main([dataset, "--host", "127.0.0.1"], standalone_mode=False)
print("cellxgene launch returned without running the app", file=sys.stderr)
sys.exit(1)
