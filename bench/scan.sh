#!/usr/bin/env bash
# Benchmark of `retort scan` against the parse-only reference pass
# (`retort parse-only`: walk + decode + parse, the same code path) on a large
# real corpus (bench/corpus.sh). Not a test: it prints figures and writes them
# to .cache/bench-scan.md (raw hyperfine data in .cache/bench-scan.json).
#
#   bench/scan.sh
#
# Environment:
#   RUNS=5              hyperfine runs per command (after 1 warm-up run)
#   RETORT_BIN=path     use this binary instead of building target/release/retort
#   BENCH_NO_BUILD=1    don't run `cargo build --release`, use the binary as is
#   BENCH_PRIORITY=0    don't shield the run from other load (see below)
#   EXCLUDE="glob ..."  leave these paths out (passed as --exclude to every
#                       command), e.g. EXCLUDE=mlflow-3.18.0; the report then
#                       goes to .cache/bench-scan-exclude.md
#
# Everything is measured in ONE invocation, as ratios against the reference:
# hyperfine times the four commands (parse-only and scan, default threads and
# --threads 1), /usr/bin/time -v gives peak RSS, and CPU utilisation is
# (user+sys)/wall from hyperfine's means.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/priority.sh"   # own autogroup at nice -15 (sets PRIORITY)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${RUNS:-5}"
OUT="$ROOT/.cache"
NAME="bench-scan${EXCLUDE:+-exclude}"
WORK="$OUT/$NAME"
EXCL_ARGS=()
EXCL_SHELL=""
for glob in ${EXCLUDE:-}; do
  EXCL_ARGS+=(--exclude "$glob")
  EXCL_SHELL+=" --exclude '$glob'"
done
mkdir -p "$WORK"

source "$ROOT/bench/common.sh"   # log, need_bench_tools, retort_snapshot, machine_info

# --- tools -----------------------------------------------------------------
need_bench_tools

# --- corpus ----------------------------------------------------------------
CORPUS="$("$ROOT/bench/corpus.sh")"

# --- binary ----------------------------------------------------------------
retort_snapshot

# --- machine ---------------------------------------------------------------
machine_info

# --- correctness side: one JSON scan (summary, stderr), one table scan ------
log "scan (json) once for the summary"
set +e
"$SNAP" scan "$CORPUS" "${EXCL_ARGS[@]}" --format json >"$WORK/scan.json" 2>"$WORK/scan-json.stderr"
JSON_RC=$?
"$SNAP" scan "$CORPUS" "${EXCL_ARGS[@]}" >"$WORK/scan-table.txt" 2>"$WORK/scan-table.stderr"
TABLE_RC=$?
set -e

# --- timings ---------------------------------------------------------------
PARSE="$SNAP parse-only '$CORPUS'$EXCL_SHELL"
SCAN="$SNAP scan '$CORPUS'$EXCL_SHELL --format json > /dev/null"
log "hyperfine: warmup 1, $RUNS runs each"
hyperfine --warmup 1 --runs "$RUNS" --style basic \
  --export-json "$OUT/$NAME.json" \
  -n "parse-only" "$PARSE" \
  -n "scan" "$SCAN" \
  -n "parse-only --threads 1" "$PARSE --threads 1" \
  -n "scan --threads 1" "$SNAP scan '$CORPUS'$EXCL_SHELL --format json --threads 1 > /dev/null" >&2

log "peak RSS (/usr/bin/time -v)"
rss() { # name, command...
  local name="$1"; shift
  /usr/bin/time -v -o "$WORK/time-$name.txt" "$@" >/dev/null 2>"$WORK/stderr-$name.txt" || true
}
rss parse "$SNAP" parse-only "$CORPUS" "${EXCL_ARGS[@]}"
rss scan "$SNAP" scan "$CORPUS" "${EXCL_ARGS[@]}" --format json
rss parse1 "$SNAP" parse-only "$CORPUS" "${EXCL_ARGS[@]}" --threads 1
rss scan1 "$SNAP" scan "$CORPUS" "${EXCL_ARGS[@]}" --format json --threads 1

log "per package (one run each, indicative)"
: >"$WORK/packages.tsv"
for dir in "$CORPUS"/*/; do
  pkg="$(basename "$dir")"
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/pkg-parse.txt" "$SNAP" parse-only "$dir" >/dev/null 2>&1 || true
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/pkg-scan.txt" "$SNAP" scan "$dir" --format json >"$WORK/pkg.json" 2>"$WORK/pkg.stderr" || true
  printf '%s\t%s\t%s\t%s\n' "$pkg" "$(tail -1 "$WORK/pkg-parse.txt")" "$(tail -1 "$WORK/pkg-scan.txt")" \
    "$(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["summary"]))' "$WORK/pkg.json" 2>/dev/null || echo '{}')" \
    >>"$WORK/packages.tsv"
  cat "$WORK/pkg.stderr" >>"$WORK/scan-json.stderr"
done

LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- report ----------------------------------------------------------------
python3 - "$OUT/$NAME.json" "$WORK" "$OUT/$NAME.md" <<EOF
import json, re, sys, os
hf, work, md_path = sys.argv[1], sys.argv[2], sys.argv[3]
results = {r["command"]: r for r in json.load(open(hf))["results"]}

def rss_mb(name):
    try:
        text = open(os.path.join(work, f"time-{name}.txt")).read()
        return int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) / 1024
    except Exception:
        return float("nan")

try:
    summary = json.load(open(os.path.join(work, "scan.json")))["summary"]
except Exception as e:
    summary = {"error": f"scan --format json gave no catalog: {e}"}

stderr = open(os.path.join(work, "scan-json.stderr"), errors="replace").read() + \
         open(os.path.join(work, "scan-table.stderr"), errors="replace").read()
for n in ("parse", "scan", "parse1", "scan1"):
    stderr += open(os.path.join(work, f"stderr-{n}.txt"), errors="replace").read()
panics = len(re.findall(r"panicked at", stderr))
table_lines = open(os.path.join(work, "scan-table.txt"), errors="replace").read().strip().splitlines()
table_summary = table_lines[-1] if table_lines else "(no output)"

rows = [("parse-only", "parse-only", "default (all cores)", "parse"),
        ("scan --format json", "scan", "default (all cores)", "scan"),
        ("parse-only", "parse-only --threads 1", "1", "parse1"),
        ("scan --format json", "scan --threads 1", "1", "scan1")]
out = []
p = out.append
p("## retort scan vs parse-only")
p("")
p(f"- machine: $MACHINE; load average before/after: $LOAD_BEFORE / $LOAD_AFTER")
p(f"- binary: $BIN_INFO (repo HEAD $COMMIT)")
p(f"- corpus: \`$CORPUS\` (bench/corpus.sh)" + (" excluding \`${EXCLUDE:-}\`" if "${EXCLUDE:-}" else ""))
if "files" in summary:
    p(f"- parsed by retort: {summary['files']:,} Python files, {summary['lines']:,} lines, "
      f"{summary['bytes']/1e6:.1f} MB (tests skipped by default: {summary.get('skipped_test_files', 0):,} files)")
p(f"- hyperfine: warmup 1, $RUNS runs per command, all four in one invocation; scheduling: $PRIORITY")
p("")
p("| command | threads | wall mean ± σ (s) | user + sys (s) | CPU utilisation | peak RSS (MB) |")
p("|---|---|---:|---:|---:|---:|")
for label, key, threads, rname in rows:
    r = results[key]
    cpu = r["user"] + r["system"]
    p(f"| \`retort {label}\` | {threads} | {r['mean']:.3f} ± {r['stddev']:.3f} | {cpu:.3f} | "
      f"{cpu / r['mean'] * 100:.0f} % ({cpu / r['mean']:.2f} cores) | {rss_mb(rname):.0f} |")
p("")
def ratio(a, b, f):
    return f(results[a]) / f(results[b])
wall = lambda r: r["mean"]
cpu = lambda r: r["user"] + r["system"]
p("| ratio | all cores | 1 thread |")
p("|---|---:|---:|")
p(f"| scan / parse-only, wall time (target ≤ 2×) | **{ratio('scan', 'parse-only', wall):.2f}×** | {ratio('scan --threads 1', 'parse-only --threads 1', wall):.2f}× |")
p(f"| scan / parse-only, CPU time | {ratio('scan', 'parse-only', cpu):.2f}× | {ratio('scan --threads 1', 'parse-only --threads 1', cpu):.2f}× |")
p(f"| speed-up of all cores over 1 thread: parse-only / scan | {ratio('parse-only --threads 1', 'parse-only', wall):.2f}× / {ratio('scan --threads 1', 'scan', wall):.2f}× | — |")
p("")
p("Scan result on the corpus: " + ", ".join(f"{k} {v}" for k, v in summary.items()
                                                    if k not in ("files", "lines", "bytes")))
p("")
p(f"Table output summary line: \`{table_summary}\`")
p("")
p(f"Exit codes: scan --format json {$JSON_RC}, scan (table) {$TABLE_RC}; "
  f"panics in stderr: {panics}; stderr lines: {len(stderr.strip().splitlines())}")
p("")
p("Per package (one run each, default threads, indicative; CPU = user + sys):")
p("")
p("| package | files | lines | parse-only CPU (s) | scan CPU (s) | scan wall (s) | scan RSS (MB) | apps | blueprints | routes | unresolved | budget exhausted |")
p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
for line in open(os.path.join(work, "packages.tsv")):
    pkg, pt, st, sj = line.rstrip("\n").split("\t")
    pe, pu, ps, pm = (float(x) for x in pt.split())
    se, su, ss, sm = (float(x) for x in st.split())
    s = json.loads(sj)
    g = lambda k: s.get(k, "?")
    p(f"| {pkg} | {g('files')} | {g('lines')} | {pu+ps:.2f} | {su+ss:.2f} | {se:.2f} | {sm/1024:.0f} | "
      f"{g('apps')} | {g('blueprints')} | {g('routes')} | {g('unresolved_routes')} | {g('budget_exhausted')} |")
text = "\n".join(out) + "\n"
open(md_path, "w").write(text)
print(text)
EOF
log "written to $OUT/$NAME.md"
