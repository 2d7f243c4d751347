"""Build Apache Superset's Flask app offline and dump its url_map.

Superset reads its configuration from the module named by
SUPERSET_CONFIG_PATH; we write a small one (SECRET_KEY, SQLite metadata
database in a temporary directory, null caches: the default metastore
caches are not needed to build the app). `create_app()` builds the app
without the metadata tables (no `superset db upgrade` needed for the
url_map). Network and non-SQLite databases are refused (runtime/_offline.py).
Flask-Caching is pinned to 2.3.1 in constraints/superset.txt: 6.1.0's
`_memoize_make_cache_key` override does not work with 2.5.x.
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()
exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refuse_network()

refuse_network()
refuse_databases(allow=("sqlite",))

work = tempfile.mkdtemp(prefix="realapps-superset-")
os.chdir(work)
config = os.path.join(work, "superset_config.py")
with open(config, "w") as f:
    f.write(
        "SECRET_KEY = 'realapps-not-a-secret-realapps-not-a-secret'\n"
        f"SQLALCHEMY_DATABASE_URI = 'sqlite:///{os.path.join(work, 'superset.db')}'\n"
        "SQLALCHEMY_EXAMPLES_URI = SQLALCHEMY_DATABASE_URI\n"
        "WTF_CSRF_ENABLED = False\n"
        "CACHE_CONFIG = {'CACHE_TYPE': 'NullCache'}\n"
        "DATA_CACHE_CONFIG = CACHE_CONFIG\n"
        # The default metastore-backed caches do not take the keyword
        # arguments the installed Flask-Caching passes; not needed here.
        "FILTER_STATE_CACHE_CONFIG = CACHE_CONFIG\n"
        "EXPLORE_FORM_DATA_CACHE_CONFIG = CACHE_CONFIG\n"
    )
os.environ["SUPERSET_CONFIG_PATH"] = config
os.environ.setdefault("SUPERSET_HOME", work)

from superset.app import create_app  # noqa: E402

app = create_app()
dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
