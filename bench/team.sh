#!/usr/bin/env bash
# Benchmark of `retort team` and `retort arch` against the history read
# (`bench/history.sh`'s reader, examples/history) and `git log --numstat
# --no-renames` on the same repository, in the same run. Not a test: it
# prints figures and writes them to .cache/bench-team.md (raw hyperfine
# data in .cache/bench-team.json).
#
#   bench/team.sh REPO             # a clone of at least 5,000 commits
#
# Environment: RUNS=5, RETORT_BIN, HISTORY_BIN, BENCH_NO_BUILD=1,
# BENCH_PRIORITY=0 as in bench/history.sh and bench/scan.sh.
#
# Issue 13's target: `retort team` within 2x the history read time. `team`
# runs with --no-check (the check half is timed by bench/check.sh); `arch`
# reads the same history plus the import graph of the code at HEAD.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/priority.sh"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO="${1:?usage: bench/team.sh REPO (a git repository of at least 5,000 commits)}"
REPO="$(cd "$REPO" && pwd)"
RUNS="${RUNS:-5}"
OUT="$ROOT/.cache"
NAME="bench-team"
WORK="$OUT/$NAME"
mkdir -p "$WORK"

source "$ROOT/bench/common.sh"
need_bench_tools
git -C "$REPO" rev-parse --git-dir >/dev/null 2>&1 || { log "$REPO is not a git repository"; exit 1; }

retort_snapshot
if [[ -z "${HISTORY_BIN:-}" ]]; then
  [[ "${BENCH_NO_BUILD:-0}" == 1 ]] || (cd "$ROOT" && cargo build --release --quiet -p retort_history --example history >&2)
  HISTORY_BIN="$ROOT/target/release/examples/history"
fi
cp "$HISTORY_BIN" "$WORK/history"
machine_info
COMMITS="$(git -C "$REPO" rev-list --count HEAD)"
REPO_HEAD="$(git -C "$REPO" rev-parse --short HEAD)"
((COMMITS >= 5000)) || log "warning: $REPO has only $COMMITS commits (the target asks for at least 5,000)"

# One run each for the record (and to fail early).
"$SNAP" team "$REPO" --format json --no-check >"$WORK/team.json" 2>"$WORK/team.stderr" || { log "team failed"; cat "$WORK/team.stderr" >&2; exit 1; }
set +e
"$SNAP" arch "$REPO" --format json >"$WORK/arch.json" 2>"$WORK/arch.stderr"
ARCH_RC=$?
set -e

log "hyperfine: warmup 1, $RUNS runs each"
hyperfine --warmup 1 --runs "$RUNS" --style basic -i \
  --export-json "$OUT/$NAME.json" \
  -n "git log --numstat --no-renames" "git -C '$REPO' log --numstat --no-renames > /dev/null" \
  -n "history read" "'$WORK/history' '$REPO' > /dev/null" \
  -n "retort team --no-check" "'$SNAP' team '$REPO' --format json --no-check > /dev/null" \
  -n "retort arch" "'$SNAP' arch '$REPO' --format json > /dev/null" >&2
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$OUT/$NAME.json" "$WORK" "$OUT/$NAME.md" <<EOF
import json, sys, os
hf, work, md_path = sys.argv[1], sys.argv[2], sys.argv[3]
r = {x["command"]: x for x in json.load(open(hf))["results"]}
team = json.load(open(os.path.join(work, "team.json")))
out = []
p = out.append
p("## team and arch vs the history read")
p("")
p(f"- machine: $MACHINE; load average before/after: $LOAD_BEFORE / $LOAD_AFTER")
p(f"- retort: $BIN_INFO (repo HEAD $COMMIT)")
p(f"- repository: \`$REPO\` at $REPO_HEAD, $COMMITS commits; hyperfine warmup 1, $RUNS runs; scheduling: $PRIORITY")
p(f"- arch exit code of the recorded run: $ARCH_RC (1 = a contract or threshold failed, still timed)")
p("")
p("| command | wall mean ± σ (s) | user + sys (s) |")
p("|---|---:|---:|")
for key, x in r.items():
    p(f"| {key} | {x['mean']:.3f} ± {x['stddev']:.3f} | {x['user'] + x['system']:.3f} |")
p("")
read = r["history read"]["mean"]
p(f"team / history read (target ≤ 2×): **{r['retort team --no-check']['mean'] / read:.2f}×**; "
  f"arch / history read: {r['retort arch']['mean'] / read:.2f}×; "
  f"history read / git log: {read / r['git log --numstat --no-renames']['mean']:.2f}×")
p("")
tf = team["truck_factor"]
p(f"team result: truck factor {tf['value']} ({', '.join(tf['developers'])}), {tf['files']} files")
text = "\n".join(out) + "\n"
open(md_path, "w").write(text)
print(text)
EOF
log "written to $OUT/$NAME.md"
