"""Build Apache Airflow's webserver Flask app as `airflow webserver` does, and dump it.

`airflow webserver` serves `airflow.www.app.cached_app()`, i.e.
`create_app()`: Flask-AppBuilder views, the FAB auth manager's security
views (provider `apache-airflow-providers-fab`, installed into
`airflow/providers/fab`), the stable REST API `/api/v1` (connexion, from
`airflow/api_connexion/openapi/v1.yaml`) and the auth/experimental API
blueprints. The app needs an initialised metadata database; we point
AIRFLOW_HOME and `[database] sql_alchemy_conn` at a SQLite file in a
temporary folder and run the venv's `airflow db migrate` first (what a user
does before starting the webserver). That is ground truth, not analysis.

Configuration: the defaults, except
- `[core] load_examples = False` (example DAGs are data, not routes);
- `[api] enable_experimental_api = True`, so the experimental REST API
  blueprint is registered too (off by default; as for pgAdmin's server mode
  and Zou's admin blueprint, the truth is the superset of what a
  configuration can serve);
- the internal API (`[webserver] run_internal_api`) stays off: it refuses to
  start unless the AIP-44 development flag is set.

Stubs: nothing may leave the machine (`runtime/_offline.py`): sockets and DNS
are refused, `socket.getfqdn` (Airflow's default hostname callable) returns a
fixed name, and SQLAlchemy may only open SQLite.
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

work = tempfile.mkdtemp(prefix="realapps-airflow-")
os.chdir(work)
for key in [k for k in os.environ if k.startswith("AIRFLOW")]:
    del os.environ[key]
os.environ.update({
    "AIRFLOW_HOME": work,
    "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": "sqlite:///" + os.path.join(work, "airflow.db"),
    "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    "AIRFLOW__API__ENABLE_EXPERIMENTAL_API": "True",
    "AIRFLOW__WEBSERVER__SECRET_KEY": "realapps-not-a-secret",
})
airflow = os.path.join(os.path.dirname(sys.executable), "airflow")
subprocess.run([airflow, "db", "migrate"], check=True, cwd=work, stdin=subprocess.DEVNULL,
               stdout=subprocess.DEVNULL)

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network()
refuse_databases(allow=("sqlite",))

from airflow.www.app import create_app  # noqa: E402

app = create_app()
dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
