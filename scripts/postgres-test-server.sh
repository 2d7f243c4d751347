#!/usr/bin/env bash
# A throwaway PostgreSQL server for the portal's store tests.
#   scripts/postgres-test-server.sh start DIR [PORT]  -> prints the URL on stdout
#   scripts/postgres-test-server.sh stop DIR
# It listens on 127.0.0.1 only, trusts local connections (test data only)
# and keeps everything under DIR. As root it runs as the `postgres` user
# (PostgreSQL refuses to run as root). fsync is off unless PG_FSYNC=on
# (the tests need no durability across power cuts; the benchmark does).
set -euo pipefail
action=${1:?start|stop}
dir=${2:?folder}
port=${3:-55432}

bindir=""
for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  [ -x "$candidate/initdb" ] && { bindir=$candidate; break; }
done
if [ -z "$bindir" ]; then
  command -v initdb >/dev/null || { echo "error: no PostgreSQL server binaries (initdb) found" >&2; exit 2; }
  bindir=$(dirname "$(command -v initdb)")
fi

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$action" in
  start)
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bindir/initdb" -D "$dir/data" -A trust -U retort --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 2; }
    fi
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=${PG_FSYNC:-off}" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 2; }
    echo "postgres://retort@127.0.0.1:$port/postgres"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    ;;
  *)
    echo "usage: $0 start|stop DIR [PORT]" >&2
    exit 2
    ;;
esac
