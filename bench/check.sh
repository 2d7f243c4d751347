#!/usr/bin/env bash
# Benchmark of `retort check` against ruff (same parser: the physical
# reference) and bandit (the security-linter reference) on the corpus of
# bench/scan.sh (bench/corpus.sh). Not a test: it prints figures and writes
# them to .cache/bench-check.md (raw hyperfine data in .cache/bench-check*.json).
#
#   bench/check.sh
#
# Environment:
#   RUNS=5              hyperfine runs of retort and ruff (after WARMUP runs)
#   WARMUP=1            hyperfine warm-up runs of retort and ruff
#   BANDIT_RUNS=2       hyperfine runs of bandit (no warm-up; it is slow)
#   BANDIT_TIMEOUT=600  seconds after which one bandit run is killed
#   TIMEOUT=900         seconds after which one retort/ruff run is killed
#   RETORT_BIN=path     use this binary instead of building target/release/retort
#   BENCH_NO_BUILD=1    don't run `cargo build --release`, use the binary as is
#   BENCH_PRIORITY=0    don't shield the run from other load (see bench/scan.sh)
#   SUBSET="pkg ..."    measure only these package directories of the corpus
#                       (e.g. SUBSET="flask_admin-2.2.1 ckan-2.12.0"); the
#                       report then goes to .cache/bench-check-subset.md
#
# Reference tools are installed with exact pins into their own venv,
# .cache/bench-tools/ (RUFF_VERSION, BANDIT_VERSION override the pins).
#
# Timed commands (hyperfine -i: retort exits 1 when it reports findings,
# bandit too):
#   retort check CORPUS --format json --fail-on info      (all findings)
#   ruff check CORPUS --no-cache --exit-zero --select ALL -q   (every rule)
#   ruff check CORPUS --no-cache --exit-zero --select S -q     (flake8-bandit)
#   bandit -r CORPUS -q -f json -o FILE
# retort and ruff run in ONE hyperfine invocation; bandit in a second one
# with BANDIT_RUNS runs. Each command runs under `/usr/bin/time -f %M`
# inside the timed command, so peak RSS comes from the timed runs
# themselves (the fork+exec of /usr/bin/time costs ~1 ms). retort's and
# bandit's JSON goes to a file in .cache/bench-check/ (for the finding
# counts) instead of /dev/null; ruff's text output goes to /dev/null and
# its findings are counted in one extra untimed run.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/priority.sh"   # own autogroup at nice -15 (sets PRIORITY)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${RUNS:-5}"
WARMUP="${WARMUP:-1}"
BANDIT_RUNS="${BANDIT_RUNS:-2}"
BANDIT_TIMEOUT="${BANDIT_TIMEOUT:-600}"
TIMEOUT="${TIMEOUT:-900}"
RUFF_VERSION="${RUFF_VERSION:-0.17.6}"
BANDIT_VERSION="${BANDIT_VERSION:-1.9.4}"
OUT="$ROOT/.cache"
NAME="bench-check${SUBSET:+-subset}"
WORK="$OUT/$NAME"
mkdir -p "$WORK"

source "$ROOT/bench/common.sh"   # log, need_bench_tools, retort_snapshot, machine_info

# --- tools -----------------------------------------------------------------
need_bench_tools

VENV="$OUT/bench-tools"
if [[ ! -x "$VENV/bin/ruff" || ! -x "$VENV/bin/bandit" ]] \
  || [[ "$("$VENV/bin/ruff" --version)" != "ruff $RUFF_VERSION" ]] \
  || ! "$VENV/bin/bandit" --version 2>/dev/null | grep -q "^bandit $BANDIT_VERSION\$"; then
  log "installing ruff==$RUFF_VERSION bandit==$BANDIT_VERSION into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check \
    "ruff==$RUFF_VERSION" "bandit==$BANDIT_VERSION" >&2
fi
RUFF="$VENV/bin/ruff"
BANDIT="$VENV/bin/bandit"

# --- corpus ----------------------------------------------------------------
CORPUS="$("$ROOT/bench/corpus.sh")"
if [[ -n "${SUBSET:-}" ]]; then
  # A directory with copies of the chosen packages (symlinks are not
  # followed the same way by all three tools).
  TARGET="$WORK/subset"
  rm -rf "$TARGET"; mkdir -p "$TARGET"
  for pkg in $SUBSET; do
    [[ -d "$CORPUS/$pkg" ]] || { log "no package $pkg in $CORPUS"; exit 1; }
    cp -r "$CORPUS/$pkg" "$TARGET/$pkg"
  done
else
  TARGET="$CORPUS"
fi

# --- binary ----------------------------------------------------------------
retort_snapshot
TOOLS="ruff $("$RUFF" --version | cut -d' ' -f2), $("$BANDIT" --version 2>/dev/null | head -1) (python $("$VENV/bin/python" -c 'import platform; print(platform.python_version())'))"

machine_info

# --- timings ---------------------------------------------------------------
rm -f "$WORK"/rss-*.txt
T="/usr/bin/time -f %M -a -o"
CHECK="$T '$WORK/rss-retort.txt' timeout $TIMEOUT '$SNAP' check '$TARGET' --format json --fail-on info > '$WORK/check.json'"
RUFF_ALL="$T '$WORK/rss-ruff-all.txt' timeout $TIMEOUT '$RUFF' check '$TARGET' --no-cache --exit-zero --select ALL -q > /dev/null"
RUFF_S="$T '$WORK/rss-ruff-s.txt' timeout $TIMEOUT '$RUFF' check '$TARGET' --no-cache --exit-zero --select S -q > /dev/null"
RUFF_DEFAULT="$T '$WORK/rss-ruff-default.txt' timeout $TIMEOUT '$RUFF' check '$TARGET' --no-cache --exit-zero -q > /dev/null"
BANDIT_CMD="$T '$WORK/rss-bandit.txt' timeout $BANDIT_TIMEOUT '$BANDIT' -r '$TARGET' -q -f json -o '$WORK/bandit.json'"

log "hyperfine 1/2: retort, ruff ALL, ruff S, ruff default (warmup $WARMUP, $RUNS runs each)"
hyperfine -i --warmup "$WARMUP" --runs "$RUNS" --style basic \
  --export-json "$OUT/$NAME.json" \
  -n "retort check" "$CHECK" \
  -n "ruff check --select ALL" "$RUFF_ALL" \
  -n "ruff check --select S" "$RUFF_S" \
  -n "ruff check (default rules)" "$RUFF_DEFAULT" >&2

log "hyperfine 2/2: bandit ($BANDIT_RUNS runs, no warm-up, timeout ${BANDIT_TIMEOUT}s)"
hyperfine -i --warmup 0 --runs "$BANDIT_RUNS" --style basic \
  --export-json "$OUT/$NAME-bandit.json" \
  -n "bandit -r" "$BANDIT_CMD" >&2

log "ruff finding counts (untimed)"
"$RUFF" check "$TARGET" --no-cache --exit-zero --select ALL -q --output-format concise 2>/dev/null | grep -c . >"$WORK/ruff-all.count" || true
"$RUFF" check "$TARGET" --no-cache --exit-zero --select S -q --output-format concise 2>/dev/null | grep -c . >"$WORK/ruff-s.count" || true
"$RUFF" check "$TARGET" --no-cache --exit-zero -q --output-format concise 2>/dev/null | grep -c . >"$WORK/ruff-default.count" || true
# Python files each tool sees: ruff and bandit read tests too, retort skips them.
find -L "$TARGET" -name '*.py' | wc -l >"$WORK/py-files.count"

LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- report ----------------------------------------------------------------
python3 - "$OUT/$NAME.json" "$OUT/$NAME-bandit.json" "$WORK" "$OUT/$NAME.md" <<EOF
import json, os, sys
hf1, hf2, work, md_path = sys.argv[1:5]
results = {r["command"]: r for r in json.load(open(hf1))["results"]}
results.update({r["command"]: r for r in json.load(open(hf2))["results"]})

def rss_mb(name):
    try:
        vals = [int(l) for l in open(os.path.join(work, f"rss-{name}.txt")) if l.strip().isdigit()]
        return max(vals) / 1024
    except Exception:
        return float("nan")

def count(name):
    try:
        return int(open(os.path.join(work, name)).read().split()[0])
    except Exception:
        return None

try:
    check = json.load(open(os.path.join(work, "check.json")))
    s = check["summary"]
    retort_findings = f"{s['findings']:,} ({s['errors']:,} errors, {s['warnings']:,} warnings, {s['info']:,} info)"
except Exception as e:
    retort_findings = f"? (no JSON: {e})"
try:
    bandit = json.load(open(os.path.join(work, "bandit.json")))
    bandit_findings = f"{len(bandit['results']):,} ({len(bandit.get('errors', []))} files with errors)"
    bandit_loc = bandit.get("metrics", {}).get("_totals", {}).get("loc")
except Exception as e:
    bandit_findings, bandit_loc = f"? (no JSON: {e})", None
ra, rs, rd = count("ruff-all.count"), count("ruff-s.count"), count("ruff-default.count")

rows = [("retort check --format json --fail-on info", "retort check", "retort", retort_findings),
        ("ruff check --no-cache --exit-zero --select ALL -q", "ruff check --select ALL", "ruff-all", f"{ra:,}" if ra is not None else "?"),
        ("ruff check --no-cache --exit-zero --select S -q", "ruff check --select S", "ruff-s", f"{rs:,}" if rs is not None else "?"),
        ("ruff check --no-cache --exit-zero -q", "ruff check (default rules)", "ruff-default", f"{rd:,}" if rd is not None else "?"),
        ("bandit -r -q -f json", "bandit -r", "bandit", bandit_findings)]
out = []
p = out.append
p("## retort check vs ruff and bandit")
p("")
p(f"- machine: $MACHINE; load average before/after: $LOAD_BEFORE / $LOAD_AFTER")
p(f"- binary: $BIN_INFO (repo HEAD $COMMIT); reference tools: $TOOLS")
p(f"- target: \`$TARGET\`" + (" (subset: ${SUBSET:-})" if "${SUBSET:-}" else " (bench/corpus.sh)") +
  f"; {count('py-files.count') or 0:,} .py files (ruff and bandit read them all, retort skips tests)"
  + (f"; bandit counted {bandit_loc:,} LOC" if bandit_loc else ""))
p(f"- hyperfine -i: retort + ruff in one invocation (warmup $WARMUP, $RUNS runs), bandit in a second "
  f"(warmup 0, $BANDIT_RUNS runs, timeout ${BANDIT_TIMEOUT}s); scheduling: $PRIORITY")
p("")
p("| command | runs | wall mean ± σ (s) | user + sys (s) | cores | peak RSS (MB) | findings |")
p("|---|---:|---:|---:|---:|---:|---|")
for label, key, rname, findings in rows:
    r = results[key]
    cpu = r["user"] + r["system"]
    codes = sorted(set(r.get("exit_codes", [])))
    p(f"| \`{label}\` | {len(r['times'])} | {r['mean']:.3f} ± {(r['stddev'] or 0):.3f} | {cpu:.3f} | "
      f"{cpu / r['mean']:.2f} | {rss_mb(rname):.0f} | {findings} (exit {','.join(map(str, codes))}) |")
p("")
w = lambda k: results[k]["mean"]
c = lambda k: results[k]["user"] + results[k]["system"]
p("| ratio | wall | CPU |")
p("|---|---:|---:|")
p(f"| retort check / ruff --select ALL (target ≤ 2×) | **{w('retort check')/w('ruff check --select ALL'):.2f}×** | {c('retort check')/c('ruff check --select ALL'):.2f}× |")
p(f"| retort check / ruff --select S | {w('retort check')/w('ruff check --select S'):.2f}× | {c('retort check')/c('ruff check --select S'):.2f}× |")
p(f"| retort check / ruff (default rules) | {w('retort check')/w('ruff check (default rules)'):.2f}× | {c('retort check')/c('ruff check (default rules)'):.2f}× |")
p(f"| bandit / retort check (target ≥ 30×) | **{w('bandit -r')/w('retort check'):.2f}×** | {c('bandit -r')/c('retort check'):.2f}× |")
text = "\n".join(out) + "\n"
open(md_path, "w").write(text)
print(text)
EOF
log "written to $OUT/$NAME.md"
