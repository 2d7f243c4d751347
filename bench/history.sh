#!/usr/bin/env bash
# Benchmark of retort_history's reader against `git log --numstat
# --no-renames` on the same repository, in the same run. Not a test: it
# prints figures and writes them to .cache/bench-history.md (raw hyperfine
# data in .cache/bench-history.json).
#
#   bench/history.sh REPO          # a clone of at least 5,000 commits
#
# Environment:
#   RUNS=10             hyperfine runs per command (after 1 warm-up run)
#   HISTORY_BIN=path    use this reader binary instead of building
#                       target/release/examples/history
#   BENCH_NO_BUILD=1    don't run `cargo build --release`, use the binary as is
#   BENCH_PRIORITY=0    don't shield the run from other load (bench/priority.sh)
#
# Timed in one hyperfine invocation:
#   git log --numstat --no-renames                       (the reference)
#   history REPO             (the reader: git log --raw --numstat -M -z streamed
#                             and parsed into the change table, identities
#                             merged, renames followed)
#   history REPO --analyses  (plus churn, coupling, authorship, activity)
# Peak RSS from /usr/bin/time -v, also with --max-commits 1000 to show how
# memory grows with the window.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/priority.sh"   # own autogroup at nice -15 (sets PRIORITY)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO="${1:?usage: bench/history.sh REPO (a git repository of at least 5,000 commits)}"
REPO="$(cd "$REPO" && pwd)"
RUNS="${RUNS:-10}"
OUT="$ROOT/.cache"
NAME="bench-history"
WORK="$OUT/$NAME"
mkdir -p "$WORK"

source "$ROOT/bench/common.sh"   # log, need_bench_tools, machine_info
need_bench_tools
git -C "$REPO" rev-parse --git-dir >/dev/null 2>&1 || { log "$REPO is not a git repository"; exit 1; }

# --- binary ----------------------------------------------------------------
if [[ -n "${HISTORY_BIN:-}" ]]; then
  BIN="$HISTORY_BIN"
else
  if [[ "${BENCH_NO_BUILD:-0}" != 1 ]]; then
    log "cargo build --release -p retort_history --example history"
    (cd "$ROOT" && cargo build --release --quiet -p retort_history --example history >&2)
  fi
  BIN="$ROOT/target/release/examples/history"
fi
[[ -x "$BIN" ]] || { log "no binary at $BIN"; exit 1; }
SNAP="$WORK/history"
cp "$BIN" "$SNAP"
BIN_INFO="built $(date -u -r "$BIN" +%Y-%m-%dT%H:%MZ), sha256 $(sha256sum "$SNAP" | cut -c1-12)"
COMMIT="$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
machine_info

COMMITS="$(git -C "$REPO" rev-list --count HEAD)"
REPO_HEAD="$(git -C "$REPO" rev-parse --short HEAD)"
GIT_VERSION="$(git --version)"
((COMMITS >= 5000)) || log "warning: $REPO has only $COMMITS commits (the target asks for at least 5,000)"

# --- correctness side: one summary run ---------------------------------------
"$SNAP" "$REPO" --analyses >"$WORK/summary.txt" 2>"$WORK/summary.stderr" || { log "reader failed:"; cat "$WORK/summary.stderr" >&2; exit 1; }

# --- timings ---------------------------------------------------------------
log "hyperfine: warmup 1, $RUNS runs each"
hyperfine --warmup 1 --runs "$RUNS" --style basic \
  --export-json "$OUT/$NAME.json" \
  -n "git log --numstat --no-renames" "git -C '$REPO' log --numstat --no-renames > /dev/null" \
  -n "reader" "'$SNAP' '$REPO' > /dev/null" \
  -n "reader + analyses" "'$SNAP' '$REPO' --analyses > /dev/null" >&2

log "peak RSS (/usr/bin/time -v)"
rss() { # name, command...
  local name="$1"; shift
  /usr/bin/time -v -o "$WORK/time-$name.txt" "$@" >/dev/null 2>"$WORK/stderr-$name.txt" || true
}
rss git git -C "$REPO" log --numstat --no-renames
rss reader "$SNAP" "$REPO"
rss reader1000 "$SNAP" "$REPO" --max-commits 1000
rss analyses "$SNAP" "$REPO" --analyses
"$SNAP" "$REPO" --max-commits 1000 >"$WORK/summary1000.txt" 2>/dev/null || true
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
summary = open(os.path.join(work, "summary.txt")).read().strip()
def own(name):
    m = re.search(r"reader process peak RSS ([0-9.]+) MB", open(os.path.join(work, name)).read())
    return float(m.group(1)) if m else float("nan")
out = []
p = out.append
p("## history: retort_history reader vs git log --numstat --no-renames")
p("")
p(f"- machine: $MACHINE; load average before/after: $LOAD_BEFORE / $LOAD_AFTER")
p(f"- reader: examples/history, $BIN_INFO (repo HEAD $COMMIT); $GIT_VERSION")
p(f"- repository: \`$REPO\` at $REPO_HEAD, $COMMITS commits reachable from HEAD")
p(f"- hyperfine: warmup 1, $RUNS runs per command, all in one invocation; scheduling: $PRIORITY")
p("")
p("| command | wall mean ± σ (s) | user + sys (s) | peak RSS (MB) |")
p("|---|---:|---:|---:|")
for key, rname in (("git log --numstat --no-renames", "git"), ("reader", "reader"), ("reader + analyses", "analyses")):
    r = results[key]
    p(f"| {key} | {r['mean']:.3f} ± {r['stddev']:.3f} | {r['user'] + r['system']:.3f} | {rss_mb(rname):.1f} |")
p(f"| reader --max-commits 1000 (RSS only) | | | {rss_mb('reader1000'):.1f} |")
p("")
p("Peak RSS above is /usr/bin/time's: the larger of the reader and its git child. "
  f"The reader process alone (VmHWM): {own('summary.txt'):.1f} MB for the whole history, "
  f"{own('summary1000.txt'):.1f} MB with --max-commits 1000.")
p("")
ref = results["git log --numstat --no-renames"]["mean"]
p(f"Ratio reader / git log, wall time (target ≤ 1.5×): **{results['reader']['mean'] / ref:.2f}×**; "
  f"with the analyses: {results['reader + analyses']['mean'] / ref:.2f}×")
p("")
p(f"Reader summary: {summary}")
text = "\n".join(out) + "\n"
open(md_path, "w").write(text)
print(text)
EOF
log "written to $OUT/$NAME.md"
