#!/usr/bin/env bash
# Install the real Flask applications of tests/realapps/apps.toml (one venv
# each), copy their sources and dump their runtime url_map, under
# .cache/realapps/ (or $REALAPPS_CACHE). Idempotent: cached pieces are reused
# while apps.toml, the runtime scripts and the Python version are unchanged.
#
#   tests/realapps/setup.sh                 # all apps
#   tests/realapps/setup.sh mlflow octoprint
#   tests/realapps/setup.sh --force calibreweb
#
# Needs python3 >= 3.11 (or $PYTHON) and access to PyPI.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
py="${PYTHON:-python3}"
exec "$py" "$here/realapps.py" setup "$@"
