#!/usr/bin/env bash
# bench/portal.sh — the portal under load, on SQLite and on PostgreSQL:
# pushes per second and page latency p50/p99 while pushes keep arriving.
#
# `retort load` drives everything. The push body is what `retort push
# --dry-run examples/shopfront` would send (scan, check, openapi, arch,
# team), with the service and commit taken from a CSV so that every push
# is a new (service, commit): each is one transaction writing ~5 results
# and their derived rows.
#
#   phase 1  pushes only: PUSHES pushes over PUSH_CONNECTIONS connections
#            (closed model) -> pushes/s, push latency p50/p99; then the
#            run count is checked against the pushes sent (nothing lost).
#   phase 2  pages under write load: PAGE_CONNECTIONS connections GET the
#            overview, a service page, a search, the organisation view and
#            /api/services for DURATION s while pushes arrive at PUSH_RATE/s
#            -> p50/p99 per page.
#
# Not a test: nothing here asserts. Needs: target/release/retort (or
# RETORT_BIN), python3, PostgreSQL server binaries (Debian `postgresql`;
# the PostgreSQL half is skipped without them). SQLite runs with
# synchronous=FULL, PostgreSQL with fsync on (the defaults a portal runs with).
#
#   bench/portal.sh
#   PUSHES=2000 PUSH_CONNECTIONS=32 DURATION=20 bench/portal.sh
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/priority.sh"

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RETORT=${RETORT_BIN:-$ROOT/target/release/retort}
PUSHES=${PUSHES:-1000}
PUSH_CONNECTIONS=${PUSH_CONNECTIONS:-16}
PAGE_CONNECTIONS=${PAGE_CONNECTIONS:-8}
PUSH_RATE=${PUSH_RATE:-10}
DURATION=${DURATION:-15}
ENGINES=${ENGINES:-sqlite postgres}

[ -x "$RETORT" ] || { echo "missing retort binary at $RETORT (cargo build --release, or set RETORT_BIN)" >&2; exit 2; }
WORK=$(mktemp -d)
chmod 755 "$WORK"   # the PostgreSQL server runs as the postgres user
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "$ROOT/scripts/postgres-test-server.sh" stop "$WORK/pg" >/dev/null 2>&1 || true
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "bench: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "bench: building the push body from examples/shopfront" >&2
"$RETORT" push http://unused --token unused --dry-run --commit BENCH_COMMIT --service BENCH_SERVICE \
  "$ROOT/examples/shopfront" > "$WORK/push.json" 2>"$WORK/push.log"
python3 - "$WORK" "$PUSHES" "$PUSH_CONNECTIONS" "$PAGE_CONNECTIONS" <<'PY'
import json, sys
work, pushes, push_conns, page_conns = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
doc = json.load(open(f"{work}/push.json"))
doc.pop("time", None)
SENT_OPEN, SENT_CLOSE = "\x01", "\x02"
def hide(v):
    # `retort load` reads {name} as a placeholder: braces inside the
    # documents' strings travel as JSON escapes instead.
    if isinstance(v, str):
        return v.replace("{", SENT_OPEN).replace("}", SENT_CLOSE)
    if isinstance(v, list):
        return [hide(x) for x in v]
    if isinstance(v, dict):
        return {hide(k): hide(x) for k, x in v.items()}
    return v
body = json.dumps(hide(doc), ensure_ascii=True)
body = body.replace("\\u0001", "\\u007b").replace("\\u0002", "\\u007d")
body = body.replace("BENCH_COMMIT", "{commit}").replace("BENCH_SERVICE", "bench-{svc}")
def scenario(path, connections, csv, model="closed"):
    with open(path, "w") as f:
        f.write(f'model = "{model}"\nconnections = {connections}\ntimeout = "60s"\n\n')
        f.write('[headers]\nAuthorization = "Bearer {token}"\nContent-Type = "application/json"\n\n')
        f.write(f'[[data]]\nfile = "{csv}"\norder = "sequential"\n\n')
        f.write('[[request]]\nname = "push"\nmethod = "POST"\npath = "/api/pushes"\nexpect = [201]\n')
        f.write("body = '''" + body + "'''\n")
with open(f"{work}/pushes.csv", "w") as f:
    f.write("svc,commit,token\n")
    for i in range(pushes):
        f.write(f"{i % 20},c{i},TOKEN\n")
with open(f"{work}/background.csv", "w") as f:
    f.write("svc,commit,token\n")
    for i in range(100000):
        f.write(f"{i % 20},bg{i},TOKEN\n")
scenario(f"{work}/pushes.toml", push_conns, "pushes.csv")
scenario(f"{work}/background.toml", 8, "background.csv", model="open")
with open(f"{work}/pages.toml", "w") as f:
    f.write(f'model = "closed"\nconnections = {page_conns}\ntimeout = "60s"\n\n')
    for name, path in [("overview", "/"), ("service page", "/services/bench-3"),
                       ("search", "/search?q=%2Faccount%2F"), ("organisation", "/org"),
                       ("api services", "/api/services")]:
        f.write(f'[[request]]\nname = "{name}"\npath = "{path}"\nexpect = [200]\n\n')
print(f"push body: {len(body)} bytes", file=sys.stderr)
PY

report() {  # engine, push result, pages result, healthz json
  python3 - "$@" <<'PY'
import json, sys
engine, pushes_file, pages_file, health_file, sent, background_file = sys.argv[1:7]
pushes = json.load(open(pushes_file)); pages = json.load(open(pages_file)); health = json.load(open(health_file))
background = json.load(open(background_file))["totals"]
t = pushes["totals"]
rate = t["requests"] / pushes["duration_s"]
print(f"### {engine}")
print()
print(f"- pushes: {t['requests']} in {pushes['duration_s']:.1f} s = **{rate:.1f} pushes/s**, "
      f"push latency p50 {t['latency_us']['p50']/1000:.1f} ms, p99 {t['latency_us']['p99']/1000:.1f} ms, "
      f"errors {t['errors']}")
print(f"- runs stored after phase 1: {health['counts']['runs']} of {sent} pushes sent")
print(f"- phase 2 background pushes: {background['requests']}, p50 {background['latency_us']['p50']/1000:.1f} ms, "
      f"p99 {background['latency_us']['p99']/1000:.1f} ms, errors {background['errors']}")
print()
print("| page (under pushes) | requests | p50 ms | p99 ms | errors |")
print("|---|---:|---:|---:|---:|")
for r in pages["requests"]:
    l = r["latency_us"]
    print(f"| {r['name']} | {r['requests']} | {l['p50']/1000:.1f} | {l['p99']/1000:.1f} | {r['errors']} |")
print()
PY
}

run_engine() {
  local engine=$1 database=$2
  local port token url
  port=$(free_port)
  url="http://127.0.0.1:$port"
  token=$("$RETORT" serve token create --database "$database")
  sed -i "s/TOKEN\$/$token/" "$WORK/pushes.csv" "$WORK/background.csv"
  "$RETORT" serve --listen "127.0.0.1:$port" --database "$database" 2>"$WORK/serve-$engine.log" &
  PIDS+=($!)
  local serve_pid=$!
  for _ in $(seq 100); do curl -sf "$url/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  echo "bench: $engine: phase 1, $PUSHES pushes over $PUSH_CONNECTIONS connections" >&2
  (cd "$WORK" && "$RETORT" load "$url" -s pushes.toml -n "$PUSHES" --json "pushes-$engine.json" >/dev/null 2>"load1-$engine.log") || true
  curl -sf "$url/healthz" > "$WORK/health-$engine.json"
  echo "bench: $engine: phase 2, pages for ${DURATION}s with pushes at $PUSH_RATE/s" >&2
  (cd "$WORK" && "$RETORT" load "$url" -s background.toml --rate "$PUSH_RATE/s" -d "$((DURATION + 2))s" \
     --json "background-$engine.json" >/dev/null 2>"load2-$engine.log") &
  local bg=$!
  sleep 1
  (cd "$WORK" && "$RETORT" load "$url" -s pages.toml -d "${DURATION}s" --json "pages-$engine.json" >/dev/null 2>"load3-$engine.log") || true
  wait "$bg" || true
  report "$engine" "$WORK/pushes-$engine.json" "$WORK/pages-$engine.json" "$WORK/health-$engine.json" "$PUSHES" "$WORK/background-$engine.json"
  kill "$serve_pid" 2>/dev/null || true
  wait "$serve_pid" 2>/dev/null || true
  sed -i "s/$token\$/TOKEN/" "$WORK/pushes.csv" "$WORK/background.csv"
}

echo "## portal bench $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "$("$RETORT" --version); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg); priority: $PRIORITY"
echo "pushes $PUSHES over $PUSH_CONNECTIONS connections; pages over $PAGE_CONNECTIONS connections for ${DURATION}s with pushes at $PUSH_RATE/s"
echo
for engine in $ENGINES; do
  case "$engine" in
    sqlite) run_engine sqlite "$WORK/portal.db" ;;
    postgres)
      port=$(free_port)
      if url=$(PG_FSYNC=on "$ROOT/scripts/postgres-test-server.sh" start "$WORK/pg" "$port" 2>"$WORK/pg.log"); then
        run_engine postgres "$url"
      else
        echo "bench: PostgreSQL server binaries missing or failed to start; skipped ($(tail -1 "$WORK/pg.log"))" >&2
      fi
      ;;
  esac
done
