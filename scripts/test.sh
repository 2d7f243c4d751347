#!/usr/bin/env bash
# The whole test suite on a fresh machine: Rust tests, then the Python
# harness (differential tests against real Flask, real PyPI apps, load e2e)
# in a virtualenv this script creates under .cache/venv.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo build (release) and cargo test"
cargo build --release --locked
cargo test --workspace --locked

echo "== python virtualenv"
VENV=.cache/venv
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install --quiet --upgrade pip
REQS=(-r tests/requirements.txt)
for f in tests/*/requirements.txt examples/*/requirements.txt; do
  [ -f "$f" ] && REQS+=(-r "$f")
done
"$VENV/bin/pip" install --quiet "${REQS[@]}"

echo "== pytest"
export RETORT_BIN="$PWD/target/release/retort"
export RETORT_PYTHON="$PWD/$VENV/bin/python"
"$VENV/bin/python" -m pytest tests/ -q -p no:cacheprovider "$@"
