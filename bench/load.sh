#!/usr/bin/env bash
# bench/load.sh — how fast is `retort load` next to wrk, oha and Locust?
#
# One loopback target that is not the bottleneck: nginx (Debian package),
# one worker, a small static response. Each generator runs at the same
# connection count, threads and duration, in interleaved rounds; we report
# the median of the rounds for requests/s, the generator's own CPU seconds
# per 1000 requests (user+sys from /usr/bin/time) and its peak RSS, and
# the ratios to wrk measured in the same invocation.
#
# Not a test: nothing here asserts. Needs: nginx, wrk, /usr/bin/time,
# python3; optional: oha (cargo install oha --locked), locust (pip).
#
#   bench/load.sh                       # defaults: 50 connections, 10 s, 2 threads, 3 rounds
#   CONNECTIONS=100 DURATION=20 ROUNDS=5 bench/load.sh
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/priority.sh"   # own autogroup at nice -15 (sets PRIORITY)

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RETORT=${RETORT_BIN:-$ROOT/target/release/retort}
OHA=${OHA_BIN:-$(command -v oha || true)}
LOCUST=${LOCUST_BIN:-$(command -v locust || true)}
CONNECTIONS=${CONNECTIONS:-50}
DURATION=${DURATION:-10}
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-3}
PORT=${PORT:-18089}
URL="http://127.0.0.1:$PORT/"

for tool in nginx wrk python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done
[ -x "$RETORT" ] || { echo "missing retort binary at $RETORT (cargo build --release, or set RETORT_BIN)" >&2; exit 2; }

WORK=$(mktemp -d)
cat > "$WORK/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 100000000;
    keepalive_timeout 75s;
    server {
        listen 127.0.0.1:$PORT;
        location / { default_type text/plain; return 200 "hello from nginx\n"; }
    }
}
NGINX
# In the foreground (daemon off) so nginx stays in this session's autogroup.
nginx -c "$WORK/nginx.conf" -p "$WORK" &
NGINX_PID=$!
stop() { kill "$NGINX_PID" 2>/dev/null || true; wait "$NGINX_PID" 2>/dev/null || true; }
trap 'stop; rm -rf "$WORK"' EXIT
sleep 0.5
curl -fsS "$URL" >/dev/null 2>&1 || python3 -c "import urllib.request; urllib.request.urlopen('$URL').read()"

RESULTS="$WORK/results.tsv"
: > "$RESULTS"

# measure NAME ROUND COUNT_COMMAND -- GENERATOR...
# Runs the generator under /usr/bin/time and appends one line:
# name round requests elapsed_s user_s sys_s max_rss_kb
measure() {
    local name=$1 round=$2 count=$3
    shift 4
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.txt" "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" || true
    local requests
    requests=$(eval "$count")
    echo "$name $round $requests $(cat "$WORK/time.txt" | tail -1)" >> "$RESULTS"
}

cat > "$WORK/locustfile.py" <<'PY'
from locust import FastHttpUser, constant, task


class Client(FastHttpUser):
    wait_time = constant(0)

    @task
    def index(self):
        self.client.get("/")
PY

echo "target: nginx 1 worker at $URL; $CONNECTIONS connections, ${DURATION}s, $THREADS threads, $ROUNDS rounds" >&2
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for round in $(seq 1 "$ROUNDS"); do
    echo "round $round/$ROUNDS" >&2
    measure wrk "$round" \
        "python3 -c \"import re,sys; print(re.search(r'(\d+) requests in', open('$WORK/wrk.out').read()).group(1))\"" -- \
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" "$URL"
    if [ -n "$OHA" ]; then
        measure oha "$round" \
            "python3 -c \"import json; d=json.load(open('$WORK/oha.json')); print(sum(d['statusCodeDistribution'].values()))\"" -- \
            "$OHA" -z "${DURATION}s" -c "$CONNECTIONS" --worker-threads "$THREADS" --no-tui --output-format json -o "$WORK/oha.json" "$URL"
    fi
    measure retort "$round" \
        "python3 -c \"import json; print(json.load(open('$WORK/retort.json'))['totals']['requests'])\"" -- \
        "$RETORT" load "$URL" -c "$CONNECTIONS" -d "${DURATION}s" --threads "$THREADS" -q --json "$WORK/retort.json"
done
if [ -n "$LOCUST" ]; then
    echo "locust (1 process, FastHttpUser)" >&2
    measure locust 1 \
        "python3 -c \"import csv; print(next(r['Request Count'] for r in csv.DictReader(open('$WORK/locust_stats.csv')) if r['Name']=='Aggregated'))\"" -- \
        "$LOCUST" -f "$WORK/locustfile.py" --headless -u "$CONNECTIONS" -r "$CONNECTIONS" -t "${DURATION}s" \
        --host "http://127.0.0.1:$PORT" --only-summary --csv "$WORK/locust"
fi

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
python3 - "$RESULTS" "$DURATION" "$CONNECTIONS" "$THREADS" "$PRIORITY" "$LOAD_BEFORE" "$LOAD_AFTER" <<'PY'
import statistics, sys
from collections import defaultdict

path, duration, connections, threads = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
priority, load_before, load_after = sys.argv[5], sys.argv[6], sys.argv[7]
rows = defaultdict(list)
for line in open(path):
    parts = line.split()
    if len(parts) != 7 or not parts[2].isdigit():
        print(f"skipped unparsable line: {line.strip()}", file=sys.stderr)
        continue
    name, _round, requests, elapsed, user, system, rss = parts
    requests = int(requests)
    rows[name].append({
        "rps": requests / duration,
        "cpu_per_1000": (float(user) + float(system)) / max(requests, 1) * 1000,
        "rss_mb": int(rss) / 1024,
        "requests": requests,
    })

def median(name, key):
    return statistics.median(r[key] for r in rows[name])

print(f"| generator | req/s | CPU s / 1000 req | peak RSS | req/s vs wrk | CPU/req vs wrk | RSS vs wrk | rounds |")
print(f"|---|---:|---:|---:|---:|---:|---:|---:|")
base = "wrk" if "wrk" in rows else None
for name in ["wrk", "oha", "retort", "locust"]:
    if name not in rows:
        continue
    rps, cpu, rss = median(name, "rps"), median(name, "cpu_per_1000"), median(name, "rss_mb")
    if base:
        ratios = (f"{rps / median(base, 'rps'):.2f}", f"{cpu / median(base, 'cpu_per_1000'):.2f}",
                  f"{rss / median(base, 'rss_mb'):.1f}")
    else:
        ratios = ("-", "-", "-")
    print(f"| {name} | {rps:,.0f} | {cpu:.4f} | {rss:.1f} MiB | {ratios[0]} | {ratios[1]} | {ratios[2]} | {len(rows[name])} |")
print(f"\n{connections} connections, {duration:.0f} s, {threads} generator threads (Locust: 1 process), nginx 1 worker, loopback.")
print(f"Priority: {priority}; load average before {load_before}, after {load_after}.")
print("Per-round figures:", file=sys.stderr)
for name, runs in rows.items():
    for r in runs:
        print(f"  {name:7} {r['rps']:>10,.0f} req/s  {r['cpu_per_1000']:.4f} CPU s/1000  {r['rss_mb']:.1f} MiB", file=sys.stderr)
PY
