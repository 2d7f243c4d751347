#!/usr/bin/env bash
# bench/slo.sh — lines per second of `retort slo report` (route mapping on)
# next to GoAccess (Debian package) on the same combined-format log, in the
# same invocation, interleaved rounds, medians and ratios.
#
# Not a test: nothing here asserts. Needs: goaccess, python3, /usr/bin/time,
# and a release build (cargo build --release -p retort, or RETORT_BIN).
#
#   bench/slo.sh                         # 10 million lines, 3 rounds
#   LINES=1000000 ROUNDS=5 bench/slo.sh
#   IDS=100 CLIENTS=50 bench/slo.sh      # few distinct URLs and clients
#   STREAM_COPIES=10 bench/slo.sh        # also: the log N times through stdin
#                                        # (10 copies of 10M lines ~ 10 GB), flat memory?
#
# Rows: `retort` (default --jobs: every core parses, one more thread reads),
# `retort-1-job` (one parsing thread), `goaccess`.
#
# IDS (default 100000) bounds the ids in item and user URLs, CLIENTS
# (default 16777216) the distinct client addresses: GoAccess keeps every
# distinct URL and client, Retort one histogram per route, so the ratio
# depends on them; report both regimes.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/priority.sh"   # own autogroup at nice -15 (sets PRIORITY)

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RETORT=${RETORT_BIN:-$ROOT/target/release/retort}
LINES=${LINES:-10000000}
ROUNDS=${ROUNDS:-3}
IDS=${IDS:-100000}
CLIENTS=${CLIENTS:-16777216}

for tool in goaccess python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done
[ -x "$RETORT" ] || { echo "missing retort binary at $RETORT (cargo build --release, or set RETORT_BIN)" >&2; exit 2; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# A day of traffic over the example shop's rules (ids vary, 0.5% 5xx).
python3 - "$WORK/access.log" "$LINES" "$IDS" "$CLIENTS" <<'PY'
import random, sys, time
path, n, ids, clients = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(7)
paths = ["/", "/items", "/items/{}", "/items/{}/reviews", "/users/{}", "/static/app.js", "/healthz", "/old/{}"]
start = 1796515200
with open(path, "w") as f:
    for i in range(n):
        t = time.gmtime(start + i * 86400 // n)
        p = rng.choice(paths).format(rng.randrange(ids))
        client = rng.randrange(clients)
        status = 500 if rng.random() < 0.005 else 200
        f.write('10.%d.%d.%d - - [%s +0000] "GET %s HTTP/1.1" %d %d "-" "bench/1.0"\n' % (
            client >> 16 & 255, client >> 8 & 255, client & 255,
            time.strftime("%d/%b/%Y:%H:%M:%S", t), p, status, rng.randrange(10000)))
PY
cat > "$WORK/retort-slo.toml" <<'TOML'
service = "bench"
window = "1d"
[[objectives]]
name = "availability"
availability = "99.9%"
[[objectives]]
name = "item"
route = "/items/<int:item_id>"
availability = "99%"
[[objectives]]
name = "reviews"
route = "/items/<int:item_id>/reviews"
availability = "99%"
[[objectives]]
name = "user"
route = "/users/<int:user_id>"
availability = "99%"
TOML

measure() { # name, command...: prints "name seconds maxrss_kb"
    local name=$1; shift
    /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/err" || true
    echo "$name $(tail -n 1 "$WORK/time")"
}

: > "$WORK/rows"
for round in $(seq "$ROUNDS"); do
    measure retort "$RETORT" slo report --spec "$WORK/retort-slo.toml" --access-log "$WORK/access.log" --format json >> "$WORK/rows"
    measure retort-1-job "$RETORT" slo report --jobs 1 --spec "$WORK/retort-slo.toml" --access-log "$WORK/access.log" --format json >> "$WORK/rows"
    measure goaccess goaccess "$WORK/access.log" --log-format=COMBINED --no-global-config -o "$WORK/goaccess.json" >> "$WORK/rows"
done

if [[ -n "${STREAM_COPIES:-}" ]]; then
    # The same file N times through a pipe: nothing is seekable or sized
    # up front, memory must stay that of one copy.
    BYTES=$(( $(stat -c %s "$WORK/access.log") * STREAM_COPIES ))
    /usr/bin/time -f "%e %M" -o "$WORK/time" bash -c \
        'for _ in $(seq "$1"); do cat "$2"; done | "$3" slo report --spec "$4" --access-log - --format json >/dev/null' \
        _ "$STREAM_COPIES" "$WORK/access.log" "$RETORT" "$WORK/retort-slo.toml" 2>"$WORK/err" || true
    read -r secs rss < <(tail -n 1 "$WORK/time")
    python3 -c 'import sys; b, n, l, s, r = map(float, sys.argv[1:]); print(f"stream        {s:8.2f} s  {n * l / s:12,.0f} lines/s  {r / 1024:7.1f} MiB  {b / 2**30:.1f} GiB through stdin ({int(n)} copies)")' \
        "$BYTES" "$STREAM_COPIES" "$LINES" "$secs" "$rss" > "$WORK/stream"
fi

python3 - "$WORK/rows" "$LINES" "$PRIORITY" "$IDS" "$CLIENTS" <<'PY'
import statistics, sys
rows, lines, priority, ids, clients = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
data = {}
for line in open(rows):
    name, secs, rss = line.split()
    data.setdefault(name, []).append((float(secs), int(rss)))
print(f"{lines} combined-format lines (ids < {ids}, at most {clients} clients), {len(data['retort'])} rounds, medians; priority {priority}")
base = statistics.median(s for s, _ in data["goaccess"])
for name, runs in data.items():
    secs = statistics.median(s for s, _ in runs)
    rss = statistics.median(r for _, r in runs) / 1024
    print(f"{name:<13} {secs:8.2f} s  {lines / secs:12,.0f} lines/s  {rss:7.1f} MiB  x{base / secs:.2f} vs goaccess")
PY
if [[ -n "${STREAM_COPIES:-}" ]]; then cat "$WORK/stream"; fi
