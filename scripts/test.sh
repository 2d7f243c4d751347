#!/usr/bin/env bash
# The whole test suite on a fresh machine: Rust tests, then the Python
# harness (differential tests against real Flask, real PyPI apps, load e2e)
# in a virtualenv this script creates under .cache/venv.
set -euo pipefail
cd "$(dirname "$0")/.."

# rust-toolchain.toml pins the toolchain (e.g. 1.95.0). A machine whose
# rustup has that release only as `stable` (and cannot download) gets the
# installed one registered under the pinned name, so cargo does not try to
# fetch it; a different release is left alone and rustup reports it.
pinned=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
if command -v rustup >/dev/null && [ -n "$pinned" ]; then
  toolchains=$(rustup toolchain list 2>/dev/null || true)
  if ! grep -q "^$pinned" <<<"$toolchains"; then
    installed=$(RUSTUP_TOOLCHAIN=stable rustc --version 2>/dev/null | awk '{print $2}' || true)
    if [ "$installed" = "$pinned" ]; then
      rustup toolchain link "$pinned" "$(RUSTUP_TOOLCHAIN=stable rustc --print sysroot)" \
        || echo "warning: could not register stable as $pinned" >&2
    fi
  fi
fi

echo "== promtool, nginx"
# retort_slo's rule tests run `promtool check rules` and `promtool test
# rules` (Debian's prometheus package), tests/slo reads a real nginx's logs;
# without them those tests skip with a message. Installed before cargo test.
if ! command -v promtool >/dev/null || ! [ -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq prometheus nginx-light
  else
    echo "warning: promtool or nginx missing and apt-get unavailable; the Prometheus rule and nginx log tests will skip" >&2
  fi
fi

echo "== chromium, chromedriver, postgresql"
# tests/report and tests/portal drive Debian's Chromium, headless, through
# chromedriver (selenium); the portal's store and HTTP tests
# (crates/retort_portal) also run on a real PostgreSQL server started here.
# Without them those tests skip with a message. Installed before cargo test.
have_pg_server() { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null; }
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! have_pg_server; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver postgresql
  else
    echo "warning: chromium, chromedriver or the PostgreSQL server missing and apt-get unavailable; the browser tests and the PostgreSQL half of the portal tests will skip" >&2
  fi
fi
PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/retort-pg.XXXXXX")
stop_test_postgres() {
  scripts/postgres-test-server.sh stop "$PG_DIR" >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
trap stop_test_postgres EXIT
PG_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if have_pg_server && pg_url=$(scripts/postgres-test-server.sh start "$PG_DIR" "$PG_PORT"); then
  export RETORT_TEST_POSTGRES_URL="$pg_url"
  echo "PostgreSQL for the portal tests: $RETORT_TEST_POSTGRES_URL"
else
  echo "warning: no PostgreSQL test server; the PostgreSQL half of the portal tests will skip" >&2
fi

echo "== cargo build (release) and cargo test"
# Only the binary's package: tests/wheel builds the wheel with maturin, which
# compiles exactly this package, so its build reuses every artefact of this
# one (a workspace build unifies other members' dependency features, e.g.
# serde's `rc`, and maturin would then rebuild nearly everything).
cargo build --release --locked -p retort
cargo test --workspace --locked

echo "== system packages"
# indico (tests/realapps) builds psycopg2 from source: it needs pg_config,
# the Python headers and a C compiler. Specter imports libusb1 (hardware
# wallets) at start-up, which loads the system's libusb-1.0.
have_libusb() { ldconfig -p 2>/dev/null | grep -q 'libusb-1\.0\.so'; }
if ! command -v pg_config >/dev/null || ! command -v gcc >/dev/null || ! have_libusb; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq libpq-dev python3-dev gcc libusb-1.0-0
  else
    echo "warning: pg_config, gcc or libusb-1.0 missing and apt-get unavailable; the indico and specter real-app setups will fail" >&2
  fi
fi

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
