"""Build Potato's Flask app as its WSGI factory does, and dump the routes.

`potato start <config.yaml>` (`potato.flask_server:main`) initialises the
server from the project's configuration and then serves `create_app()`;
containers and gunicorn call the same factory with the file,
`potato.flask_server:create_app(config_file)`, which runs the same
initialisation first. The factory rebinds the module's global `app` to a new
Flask, and `configure_app(app)` imports `routes` (the package's `routes.py`
as a top-level module: `potato.flask_server` puts the package folder on
`sys.path`), whose import adds the `@app.route` views to that new app, and
calls `configure_routes(app, config)` (rules added one by one, feature
route helpers, feature blueprints). We write a minimal project into a
temporary folder (three text items in a JSON-lines file, one radio-button
scheme, every optional feature left at its default) and call
`create_app(<folder>/config.yaml)`.

The factory writes the generated annotation templates into
`potato/templates/generated` when the package folder is writable (it is in
the venv); `apps.toml` leaves that folder out of the sources.

Stubs: nothing may leave the machine (`runtime/_offline.py`: sockets and DNS
refused).
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

work = tempfile.mkdtemp(prefix="realapps-potato-")
os.chdir(work)
os.mkdir("data")
with open(os.path.join("data", "items.jsonl"), "w") as fh:
    for i, text in enumerate(["The service was great.", "The food was cold.", "It was fine."]):
        fh.write(json.dumps({"id": str(i), "text": text}) + "\n")
with open("config.yaml", "w") as fh:
    fh.write("""\
annotation_task_name: realapps
task_dir: .
output_annotation_dir: annotation_output/
data_files:
  - data/items.jsonl
item_properties:
  id_key: id
  text_key: text
user_config:
  allow_all_users: true
  users: []
annotation_schemes:
  - annotation_type: radio
    name: sentiment
    description: What is the sentiment of this sentence?
    labels: [positive, negative, neutral]
""")

from potato.flask_server import create_app  # noqa: E402

app = create_app(os.path.join(work, "config.yaml"))
dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
